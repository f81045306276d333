use osce_api::model::RecordKind;
use osce_api::service::import::{ImportError, ImportOptions, Source, import};
use osce_api::storage::keys;

use crate::support::{Backend, TestDb, export_string, generated_corpus, temp_file};

async fn import_text(
    db: &TestDb,
    text: impl AsRef<[u8]>,
) -> Result<osce_api::service::import::ImportSummary, ImportError> {
    let file = temp_file(text);
    import(
        &db.conn,
        Source::File(file.path().to_path_buf()),
        ImportOptions::default(),
    )
    .await
}

async fn export_import_export_is_byte_identical(backend: Backend) {
    let Some(first) = TestDb::prepared(backend).await else {
        return;
    };
    let corpus = generated_corpus(300, 42);
    import_text(&first, &corpus)
        .await
        .expect("import the corpus");
    let export1 = export_string(&first.conn).await;
    assert_eq!(
        export1
            .lines()
            .filter(|l| l.starts_with(r#"{"type":"press_release""#))
            .count(),
        301
    );
    first.cleanup().await;

    let Some(second) = TestDb::prepared(backend).await else {
        return;
    };
    import_text(&second, &export1)
        .await
        .expect("import the export");
    let export2 = export_string(&second.conn).await;
    assert!(
        export1 == export2,
        "export → import → export must be byte-identical"
    );
    second.cleanup().await;
}

async fn importing_the_same_file_twice_changes_nothing(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let corpus = generated_corpus(120, 7);
    let first = import_text(&db, &corpus).await.unwrap();
    assert!(first.changed > 0);
    let after_first = export_string(&db.conn).await;
    let second = import_text(&db, &corpus).await.unwrap();
    assert_eq!(second.changed, 0, "no small record differs the second time");
    assert_eq!(second.press_releases, 121);
    assert_eq!(export_string(&db.conn).await, after_first);
    db.cleanup().await;
}

/// A valid person and a valid release that uses them, then `bad` as line 3.
fn file_with_bad_line(bad: &[u8]) -> Vec<u8> {
    let mut text = br#"{"type":"person","slug":"jane-doe","name":"Jane Doe"}
{"type":"press_release","slug":"a-new-release","title":"A new release","date":"2024-01-02","place":null,"source":"secretariat","fields_of_work":["youth"],"countries":["AT"],"people":["jane-doe"],"meetings":[],"language":"en","summary":null,"body_html":"<p>Text</p>","translations":[],"published_at":"2024-01-02T10:00:00Z","updated_at":"2024-01-02T10:00:00Z"}
"#
    .to_vec();
    text.extend_from_slice(bad);
    text.push(b'\n');
    text
}

async fn bad_input_names_the_line_and_writes_nothing(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let before = export_string(&db.conn).await;
    let release = |extra: &str| {
        format!(
            r#"{{"type":"press_release","slug":"other-release","title":"T","date":"2024-01-02","source":"secretariat","language":"en","body_html":"<p>x</p>","published_at":"2024-01-02T10:00:00Z","updated_at":"2024-01-02T10:00:00Z"{extra}}}"#
        )
    };
    let cases: Vec<(&str, Vec<u8>, u64, &str)> = vec![
        ("unknown type", br#"{"type":"speech","slug":"x"}"#.to_vec(), 3, "unknown variant `speech`"),
        ("missing type", br#"{"slug":"x"}"#.to_vec(), 3, "missing field `type`"),
        ("unknown key", br#"{"type":"person","slug":"john-doe","name":"John","age":3}"#.to_vec(), 3, "unknown field `age`"),
        ("missing key", br#"{"type":"person","slug":"john-doe"}"#.to_vec(), 3, "missing field `name`"),
        ("dangling reference", release(r#","people":["nobody-here"]"#).into_bytes(), 3, "unknown person `nobody-here`"),
        ("dangling source", br#"{"type":"meeting","slug":"m-1","title":"M","kind":"other","start":"2024-01-01","end":"2024-01-01","org_unit":"no-such-unit"}"#.to_vec(), 3, "unknown org unit `no-such-unit`"),
        ("bad slug", br#"{"type":"person","slug":"John Doe","name":"John"}"#.to_vec(), 3, "invalid slug"),
        ("bad date", br#"{"type":"role","person":"jane-doe","org_unit":"secretariat","title":"Adviser","country":null,"from":"2020-13-01","to":null}"#.to_vec(), 3, "input is out of range"),
        ("bad timestamp", release(r#","translations":[]"#).replace("2024-01-02T10:00:00Z\",\"updated", "yesterday\",\"updated").into_bytes(), 3, "invalid RFC 3339 timestamp"),
        ("bad ISO code", br#"{"type":"chairpersonship","year":2030,"country":"USA"}"#.to_vec(), 3, "invalid country code"),
        ("unknown ISO code", br#"{"type":"chairpersonship","year":2030,"country":"ZZ"}"#.to_vec(), 3, "unknown country `ZZ`"),
        ("bad kind", br#"{"type":"org_unit","slug":"u","name":"U","kind":"castle"}"#.to_vec(), 3, "unknown variant `castle`"),
        ("duplicate key", br#"{"type":"person","slug":"jane-doe","name":"Jane Again"}"#.to_vec(), 3, "duplicate person `jane-doe` (first defined on line 1)"),
        ("duplicate release", release("").replace("other-release", "a-new-release").into_bytes(), 3, "duplicate press_release `a-new-release` (first defined on line 2)"),
        ("listed twice", release(r#","countries":["AT","AT"]"#).into_bytes(), 3, "listed twice in countries"),
        ("truncated line", br#"{"type":"person","slug":"jo"#.to_vec(), 3, "truncated JSON"),
        ("invalid UTF-8", b"{\"type\":\"person\",\"slug\":\"x\",\"name\":\"\xff\xfe\"}".to_vec(), 3, "invalid UTF-8"),
        ("not JSON", b"hello".to_vec(), 3, "invalid record"),
        ("role ends before it starts", br#"{"type":"role","person":"jane-doe","org_unit":"secretariat","title":"Adviser","from":"2020-01-01","to":"2019-01-01"}"#.to_vec(), 3, "ends (2019-01-01) before it starts"),
        ("parent cycle", br#"{"type":"org_unit","slug":"secretariat","name":"Secretariat","kind":"secretariat","parent":"conflict-prevention-centre"}"#.to_vec(), 3, "its own ancestor"),
    ];
    for (name, bad, line, expected) in cases {
        let error = import_text(&db, file_with_bad_line(&bad))
            .await
            .expect_err(name);
        match &error {
            ImportError::Invalid { line: got, message } => {
                assert_eq!(*got, line, "{name}: wrong line in {error}");
                assert!(
                    message.contains(expected),
                    "{name}: {message:?} does not say {expected:?}"
                );
            }
            other => panic!("{name}: expected a validation error, got {other}"),
        }
        assert!(
            error.to_string().starts_with(&format!("line {line}: ")),
            "{name}: {error}"
        );
        assert_eq!(
            export_string(&db.conn).await,
            before,
            "{name}: the database changed"
        );
    }
    // The same file without the bad line imports.
    import_text(&db, file_with_bad_line(b""))
        .await
        .expect("valid file");
    assert_eq!(
        keys::count(&db.conn, RecordKind::PressRelease)
            .await
            .unwrap(),
        2
    );
    db.cleanup().await;
}

async fn a_database_failure_midway_rolls_everything_back(backend: Backend) {
    use sea_orm::ConnectionTrait;
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    // A trigger makes the database refuse one release, written after
    // several batches have already gone in.
    let poison = match backend {
        Backend::Sqlite => vec![
            "CREATE TRIGGER poison BEFORE INSERT ON press_release WHEN NEW.slug = 'poison' \
             BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
        ],
        Backend::Postgres => vec![
            "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN \
             IF NEW.slug = 'poison' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER poison BEFORE INSERT ON press_release FOR EACH ROW EXECUTE FUNCTION poison()",
        ],
    };
    for sql in poison {
        db.conn.execute_unprepared(sql).await.unwrap();
    }
    let before = export_string(&db.conn).await;
    let mut corpus = generated_corpus(1600, 9);
    corpus.push_str(r#"{"type":"press_release","slug":"poison","title":"T","date":"2024-01-02","source":"secretariat","language":"en","body_html":"<p>x</p>","published_at":"2024-01-02T10:00:00Z","updated_at":"2024-01-02T10:00:00Z"}"#);
    corpus.push('\n');
    let error = import_text(&db, &corpus)
        .await
        .expect_err("the database refused a row");
    assert!(matches!(error, ImportError::Database(_)), "{error}");
    assert_eq!(
        export_string(&db.conn).await,
        before,
        "nothing of the import remains"
    );
    db.cleanup().await;
}

async fn html_is_sanitised_on_import(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let line = r#"{"type":"press_release","slug":"dirty","title":"Dirty","date":"2024-01-02","source":"secretariat","language":"en","body_html":"<p onclick=\"steal()\" style=\"color:red\">Safe <b>text</b></p><script>alert(1)</script><img src=x onerror=alert(2)>","translations":[{"language":"de","title":"Schmutzig","summary":"","body_html":"<p>Gut<script>x()</script></p>"}],"published_at":"2024-01-02T10:00:00+02:00","updated_at":"2024-01-02T10:00:00+02:00"}"#;
    import_text(&db, line).await.unwrap();
    let export = export_string(&db.conn).await;
    let stored = export
        .lines()
        .find(|l| l.contains("\"slug\":\"dirty\""))
        .unwrap();
    for forbidden in ["<script", "onclick", "onerror", "style=", "alert"] {
        assert!(
            !stored.contains(forbidden),
            "{forbidden} survived: {stored}"
        );
    }
    assert!(stored.contains("<p>Safe <b>text</b></p>"), "{stored}");
    assert!(stored.contains(r#""body_html":"<p>Gut</p>""#), "{stored}");
    assert!(
        stored.contains(r#""summary":null"#),
        "empty summary normalised: {stored}"
    );
    assert!(
        stored.contains(r#""published_at":"2024-01-02T08:00:00Z""#),
        "timestamps in UTC: {stored}"
    );
    db.cleanup().await;
}

/// The press releases of `jsonl` by slug, as JSON objects.
fn releases_by_slug(jsonl: &str) -> std::collections::BTreeMap<String, serde_json::Value> {
    jsonl
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("a JSON line"))
        .filter(|record| record["type"] == "press_release")
        .map(|record| (record["slug"].as_str().unwrap().to_owned(), record))
        .collect()
}

/// Each exported release carries the links it was imported with, in the
/// order given (not sorted by key or id), and its translations (sorted by
/// language, the export's order).
async fn export_holds_links_in_given_order_and_translations(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let mut corpus = generated_corpus(200, 7);
    // Links listed against key order, translations against language order.
    corpus.push_str(concat!(
        r#"{"type":"press_release","slug":"links-out-of-order","title":"Links out of order","#,
        r#""date":"2024-03-01","source":"secretariat","#,
        r#""fields_of_work":["policing","arms-control","human-rights"],"countries":["UA","AT"],"#,
        r#""language":"en","body_html":"<p>Body</p>","#,
        r#""translations":[{"language":"ru","title":"Заголовок","body_html":"<p>Текст</p>"},"#,
        r#"{"language":"de","title":"Titel","summary":"Kurz","body_html":"<p>Text</p>"}],"#,
        r#""published_at":"2024-03-01T10:00:00Z","updated_at":"2024-03-01T10:00:00Z"}"#,
        "\n"
    ));
    import_text(&db, &corpus).await.expect("import the corpus");
    let given = releases_by_slug(&corpus);
    let exported = releases_by_slug(&export_string(&db.conn).await);
    // 200 generated, the seed release the generator includes, and ours.
    assert_eq!(given.len(), 202);
    assert_eq!(exported.len(), 202);
    let translated = given
        .values()
        .filter(|r| r["translations"].as_array().is_some_and(|t| !t.is_empty()))
        .count();
    assert!(translated > 1, "the corpus has translated releases");
    for (slug, given) in &given {
        let exported = exported
            .get(slug)
            .unwrap_or_else(|| panic!("{slug} exported"));
        for links in ["fields_of_work", "countries", "people", "meetings"] {
            let given_links = given.get(links).cloned().unwrap_or(serde_json::json!([]));
            assert_eq!(exported[links], given_links, "{slug}: {links}");
        }
        let mut translations: Vec<(String, String)> = given["translations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| (t["language"].to_string(), t["title"].to_string()))
            .collect();
        translations.sort();
        let exported_translations: Vec<(String, String)> = exported["translations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| (t["language"].to_string(), t["title"].to_string()))
            .collect();
        assert_eq!(exported_translations, translations, "{slug}: translations");
    }
    let release = &exported["links-out-of-order"];
    assert_eq!(release["translations"][0]["summary"], "Kurz");
    assert_eq!(release["translations"][1]["body_html"], "<p>Текст</p>");
    db.cleanup().await;
}

crate::backend_tests!(
    export_holds_links_in_given_order_and_translations,
    export_import_export_is_byte_identical,
    importing_the_same_file_twice_changes_nothing,
    bad_input_names_the_line_and_writes_nothing,
    a_database_failure_midway_rolls_everything_back,
    html_is_sanitised_on_import,
);
