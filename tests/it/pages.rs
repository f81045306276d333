//! `osce-api import-pages` as a user runs it: the real binary, the saved
//! pages in `tests/fixtures/pages/` (one per variant the archive holds)
//! and the seed page the project started from, against a real database.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cli::osce_api;
use crate::support::{Backend, TestDb, export_string};

const SEED_SLUG: &str = "press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages")
}

fn seed_page() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_e622bb463d5bc45c.txt")
}

/// Runs `import-pages ARGS…`; the report's lines, and what it said.
fn import_pages(db: &TestDb, args: &[&str]) -> (Vec<Value>, String) {
    let mut all = vec!["import-pages"];
    all.extend_from_slice(args);
    let out = osce_api(db, &all, None);
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{said}");
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (lines, said)
}

fn file_name(line: &Value) -> String {
    let page = line["page"].as_str().unwrap();
    Path::new(page)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into()
}

/// The release as the interchange format exports it.
async fn exported(db: &TestDb, slug: &str) -> Option<Value> {
    export_string(&db.conn)
        .await
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["type"] == "press_release" && r["slug"] == slug)
}

async fn change_log_head(db: &TestDb) -> i64 {
    osce_api::storage::changes::head(&db.conn)
        .await
        .unwrap()
        .seq
}

fn reference_release() -> Value {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["slug"] == SEED_SLUG)
        .unwrap()
}

/// The seed page is the release the reference data holds: unchanged
/// against it; created again, field for field, once that release is gone.
async fn the_seed_page_is_the_reference_release(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let seed = seed_page();
    let (lines, _) = import_pages(&db, &[seed.to_str().unwrap()]);
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert_eq!(line["outcome"], "unchanged", "{line}");
    assert_eq!(line["slug"], SEED_SLUG);
    // The co-chairs with the States they represent on the day, and the
    // Personal Representative with his role.
    let people: Vec<(String, Value)> = line["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["slug"].as_str().unwrap().to_string(),
                p["roles"][0]["country"].clone(),
            )
        })
        .collect();
    assert_eq!(
        people,
        vec![
            ("igor-popov".into(), "RU".into()),
            ("stephane-visconti".into(), "FR".into()),
            ("andrew-schofer".into(), "US".into()),
            ("andrzej-kasprzyk".into(), Value::Null),
        ]
    );
    assert_eq!(
        line["meetings"],
        serde_json::json!([
            "minsk-group-co-chairs-washington-2020-10-24",
            "minsk-group-co-chairs-geneva-2020-10-29"
        ])
    );
    assert_eq!(line["proposed_meetings"], serde_json::json!([]));

    // Without the release, the page creates it: the reference record but
    // for the summary, which the page does not carry.
    let out = osce_api(&db, &["delete", "press_release", SEED_SLUG], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (lines, said) = import_pages(&db, &["--commit", seed.to_str().unwrap()]);
    assert_eq!(lines[0]["outcome"], "created", "{said}");
    let mut want = reference_release();
    want["summary"] = Value::Null;
    assert_eq!(exported(&db, SEED_SLUG).await.unwrap(), want);

    let head = change_log_head(&db).await;
    let (lines, _) = import_pages(&db, &["--commit", seed.to_str().unwrap()]);
    assert_eq!(lines[0]["outcome"], "unchanged");
    assert_eq!(change_log_head(&db).await, head, "nothing appended");
    db.cleanup().await;
}

/// Every fixture gives its expected report line and, once committed,
/// exactly its expected release; a second run is all unchanged.
async fn each_variant_imports_to_its_expected_record(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let dir = fixtures();
    let expected: Vec<Value> = std::fs::read_to_string(dir.join("expected.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(expected.len() >= 18);

    // A dry run reports what a commit does, and writes nothing.
    let before = export_string(&db.conn).await;
    let (dry, said) = import_pages(&db, &[dir.to_str().unwrap()]);
    assert!(said.contains("a dry run"), "{said}");
    assert_eq!(
        export_string(&db.conn).await,
        before,
        "a dry run writes nothing"
    );

    let (lines, said) = import_pages(&db, &["--commit", dir.to_str().unwrap()]);
    assert!(said.contains("14 created"), "{said}");
    assert_eq!(dry, lines, "the dry run said what the commit did");
    assert_eq!(lines.len(), expected.len());
    for want in &expected {
        let page = want["page"].as_str().unwrap();
        let line = lines
            .iter()
            .find(|l| file_name(l) == page)
            .unwrap_or_else(|| panic!("no line for {page}"));
        for key in [
            "outcome",
            "reason",
            "identity",
            "language",
            "translation_of",
            "people",
            "proposed_meetings",
            "dropped",
            "notes",
        ] {
            assert_eq!(line[key], want[key], "{page}: {key}");
        }
        if !want["record"].is_null() {
            let slug = want["record"]["slug"].as_str().unwrap();
            assert_eq!(line["slug"], slug, "{page}");
            let mut got = exported(&db, slug).await.unwrap();
            // A translation saved in the run moves the release's
            // `updated_at` to the run's time (the expected record says null).
            if want["record"]["updated_at"].is_null() {
                assert!(
                    got["updated_at"].as_str().unwrap() > got["published_at"].as_str().unwrap()
                );
                got["updated_at"] = Value::Null;
            }
            assert_eq!(got, want["record"], "{page}");
        }
    }

    // The same pages again: all unchanged, nothing in the change log.
    let head = change_log_head(&db).await;
    let (again, _) = import_pages(&db, &["--commit", dir.to_str().unwrap()]);
    for (line, first) in again.iter().zip(&lines) {
        let want = match first["outcome"].as_str().unwrap() {
            "created" | "updated" => "unchanged",
            other => other,
        };
        assert_eq!(line["outcome"], want, "{}", file_name(line));
    }
    assert_eq!(change_log_head(&db).await, head);

    // The editorial trail: revisions and audit lines by the importer.
    let out = osce_api(&db, &["audit"], None);
    let audit = String::from_utf8(out.stdout).unwrap();
    let imports: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["origin"] == "import")
        .collect();
    assert_eq!(imports.len(), 14, "{audit}");
    assert!(imports.iter().all(|e| e["actor"] == "import"));
    db.cleanup().await;
}

/// A page is known by its identity: the same page from a mirror host,
/// with tracking parameters, gzip-compressed, is unchanged; a changed
/// title updates the same release rather than making another.
async fn a_page_is_known_by_its_identity(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let original = std::fs::read_to_string(fixtures().join("14-html-english.html")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.html");
    std::fs::write(&first, &original).unwrap();
    let (lines, _) = import_pages(&db, &["--commit", first.to_str().unwrap()]);
    assert_eq!(lines[0]["outcome"], "created");
    let slug = lines[0]["slug"].as_str().unwrap().to_string();

    let mirrored = original
        .replace(
            "https://www.osce.org/mission-to-moldova/475123?fbclid=IwAR2xYz&amp;utm_source=facebook",
            "https://web.archive.org/web/20210123000000/http://m.osce.org/mission-to-moldova/475123/?utm_campaign=x",
        )
        .replace("https://www.osce.org/node/475123", "http://osce.org/node/475123");
    let gz = dir.path().join("mirrored.html.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, mirrored.as_bytes()).unwrap();
    std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
    let (lines, _) = import_pages(&db, &[gz.to_str().unwrap()]);
    assert_eq!(lines[0]["outcome"], "unchanged", "{}", lines[0]);
    assert_eq!(lines[0]["identity"], "node:475123");

    let retitled = dir.path().join("retitled.html");
    std::fs::write(
        &retitled,
        original.replace(
            "<span>OSCE Mission to Moldova welcomes agreement on school fees</span>",
            "<span>OSCE Mission to Moldova welcomes school fees agreement</span>",
        ),
    )
    .unwrap();
    let (lines, _) = import_pages(&db, &["--commit", retitled.to_str().unwrap()]);
    assert_eq!(lines[0]["outcome"], "updated");
    assert_eq!(lines[0]["slug"], slug.as_str());
    assert_eq!(lines[0]["changed"], serde_json::json!(["title"]));
    let release = exported(&db, &slug).await.unwrap();
    assert_eq!(
        release["title"],
        "OSCE Mission to Moldova welcomes school fees agreement"
    );
    assert_eq!(
        release["published_at"], "2021-01-22T00:00:00Z",
        "the first date stays"
    );

    // A translation whose original is not imported is rejected, saying so.
    let fresh = TestDb::prepared(backend).await.unwrap();
    let ru = fixtures().join("15-html-russian-translation.html");
    let (lines, _) = import_pages(&fresh, &["--commit", ru.to_str().unwrap()]);
    assert_eq!(lines[0]["outcome"], "rejected");
    assert!(
        lines[0]["reason"]
            .as_str()
            .unwrap()
            .contains("import the English page with it"),
        "{}",
        lines[0]
    );
    fresh.cleanup().await;
    db.cleanup().await;
}

/// The report as CSV, and clear errors for what cannot be read.
async fn csv_report_and_bad_input(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let dir = fixtures();
    let out = osce_api(
        &db,
        &["import-pages", "--format", "csv", dir.to_str().unwrap()],
        None,
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().take(3).collect::<Vec<_>>(),
        ["page", "outcome", "reason"]
    );
    assert_eq!(reader.records().count(), 20);

    let out = osce_api(&db, &["import-pages", "-"], Some(b"\x00\xff\xfe garbage"));
    assert!(out.status.success());
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["outcome"], "skipped");

    let out = osce_api(&db, &["import-pages", "/nonexistent/pages"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    db.cleanup().await;
}

/// Two titles that give one slug (a long title is cut) are two releases,
/// each found again on the next run.
async fn titles_that_share_a_slug_stay_apart(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let long = "OSCE Office of the Special Representative and Co-ordinator for Combating Trafficking in Human Beings and partners discuss";
    for (name, ending) in [
        ("a.txt", "victims' rights"),
        ("b.txt", "labour exploitation"),
    ] {
        let page = format!(
            "Press release\n{long} {ending}\n- Date:\n- 29 April 2016\n- Source:\n- Secretariat\n\
             VIENNA, 29 April 2016 – Experts discussed {ending}.\n"
        );
        std::fs::write(dir.path().join(name), page).unwrap();
    }
    let path = dir.path().to_str().unwrap();
    let (first, _) = import_pages(&db, &["--commit", path]);
    let slugs: Vec<&str> = first.iter().map(|l| l["slug"].as_str().unwrap()).collect();
    assert_eq!(
        first.iter().filter(|l| l["outcome"] == "created").count(),
        2
    );
    assert_ne!(slugs[0], slugs[1]);
    let (again, _) = import_pages(&db, &["--commit", path]);
    for (line, slug) in again.iter().zip(&slugs) {
        assert_eq!(line["outcome"], "unchanged");
        assert_eq!(line["slug"], *slug);
    }
    db.cleanup().await;
}

crate::backend_tests!(
    titles_that_share_a_slug_stay_apart,
    the_seed_page_is_the_reference_release,
    each_variant_imports_to_its_expected_record,
    a_page_is_known_by_its_identity,
    csv_report_and_bad_input,
);
