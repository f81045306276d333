//! Exports: counted against GraphQL and a brute-force oracle, CSV cells
//! against the JSON fields, JSON Lines re-imported byte for byte.

use osce_api::AppState;
use osce_api::http::rest::repr::Resource;
use osce_api::model;
use serde_json::{Value, json};

use super::{csv_rows, ok_json, release_of_line, with_corpus};
use crate::support::{Backend, TestApp, TestDb, export_string, import_text};

pub(super) async fn exports_count_what_graphql_counts(backend: Backend) {
    // More releases than one export batch (500), so batches join up.
    let Some((db, app)) = with_corpus(backend, 1100).await else {
        return;
    };
    // The brute-force oracle: every release, filtered here.
    let everything: Vec<model::PressRelease> = app
        .get("/api/v1/press-releases.jsonl")
        .await
        .text()
        .lines()
        .map(release_of_line)
        .collect();
    type Oracle = fn(&model::PressRelease) -> bool;
    let all: Oracle = |_| true;
    // Sparse: exported by primary key.
    let armenia_conflict: Oracle = |r| {
        r.fields_of_work
            .iter()
            .any(|f| f.as_str() == "conflict-prevention-and-resolution")
            && r.countries.iter().any(|c| c.as_str() == "AM")
    };
    // Dense (most releases are in English): read by days, the rest dropped.
    let english_2015_2019: Oracle =
        |r| r.language.as_str() == "en" && (2015..=2019).contains(&chrono::Datelike::year(&r.date));
    for (rest_filter, graphql_filter, search, oracle) in [
        ("", json!({}), None, Some(all)),
        (
            "field_of_work=conflict-prevention-and-resolution&country=AM",
            json!({"fieldsOfWork": ["conflict-prevention-and-resolution"], "countries": ["AM"]}),
            None,
            Some(armenia_conflict),
        ),
        (
            "date_from=2015-01-01&date_to=2019-12-31&language=en",
            json!({"dateFrom": "2015-01-01", "dateTo": "2019-12-31", "languages": ["en"]}),
            None,
            Some(english_2015_2019),
        ),
        (
            "source=field-operations&include_descendants=true",
            json!({"sources": ["field-operations"], "includeDescendants": true}),
            None,
            None,
        ),
        ("q=ceasefire", json!({}), Some("ceasefire"), None),
    ] {
        let graphql = app.graphql_data("query($f: PressReleaseFilterInput, $q: String) { pressReleases(filter: $f, search: $q, first: 1) { totalCount } }",
            json!({ "f": graphql_filter, "q": search }),
        )
        .await;
        let total = graphql["pressReleases"]["totalCount"].as_u64().unwrap();
        assert!(total > 0, "{rest_filter} matches nothing: a weak test");

        let csv = app
            .get(&format!("/api/v1/press-releases.csv?{rest_filter}"))
            .await;
        assert_eq!(csv.status, 200, "{}", csv.text());
        assert_eq!(
            csv.header_opt("content-disposition"),
            Some("attachment; filename=\"press-releases.csv\"")
        );
        assert_eq!(
            csv.header_opt("x-total-count"),
            Some(total.to_string().as_str())
        );
        let rows = csv_rows(&csv.text());
        assert_eq!(rows[0], model::PressRelease::FIELDS);
        assert_eq!(rows.len() as u64 - 1, total, "CSV rows for {rest_filter}");

        let jsonl = app
            .get(&format!("/api/v1/press-releases.jsonl?{rest_filter}"))
            .await;
        assert_eq!(jsonl.status, 200);
        assert_eq!(
            jsonl.header_opt("content-disposition"),
            Some("attachment; filename=\"press-releases.jsonl\"")
        );
        let lines: Vec<&str> = jsonl
            .body
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| std::str::from_utf8(l).unwrap())
            .collect();
        assert_eq!(lines.len() as u64, total, "JSONL lines for {rest_filter}");

        // Both list the same releases in the same order: newest first, a day's by slug.
        let csv_slugs: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        let records: Vec<model::PressRelease> =
            lines.iter().copied().map(release_of_line).collect();
        let jsonl_slugs: Vec<&str> = records.iter().map(|r| r.slug.as_str()).collect();
        assert_eq!(csv_slugs, jsonl_slugs);
        if let Some(oracle) = oracle {
            let expected: Vec<&model::PressRelease> =
                everything.iter().filter(|r| oracle(r)).collect();
            assert!(
                records.iter().eq(expected.iter().copied()),
                "{rest_filter}: the export differs from the filtered full export"
            );
        }
        assert!(
            records.windows(2).all(|w| w[0].date > w[1].date
                || (w[0].date == w[1].date && w[0].slug.as_str() < w[1].slug.as_str())),
            "not newest first, then by slug"
        );
    }
    // `Accept` asks a list endpoint for its export.
    let csv = app
        .get_with(
            "/api/v1/press-releases?country=AM",
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.header_opt("content-type")
            .unwrap()
            .starts_with("text/csv")
    );
    let direct = app.get("/api/v1/press-releases.csv?country=AM").await;
    assert_eq!(csv.body, direct.body);
    let jsonl = app
        .get_with("/api/v1/meetings", &[("accept", "application/x-ndjson")])
        .await;
    assert_eq!(jsonl.body, app.get("/api/v1/meetings.jsonl").await.body);
    // An export of nothing is a header row.
    let empty = app
        .get("/api/v1/press-releases.csv?date_from=2100-01-01&fields=slug,title")
        .await;
    assert_eq!(empty.text(), "slug,title\n");
    db.cleanup().await;
}

/// The CSV cells of a release are its JSON fields: text as is, lists joined
/// with `;`, nested records as JSON; quoting survives commas and quotes.
/// The export holds the record in its own language: a list item served in
/// a translation (the default language, here) differs in the translated
/// fields only.
pub(super) async fn csv_cells_are_the_json_fields(backend: Backend) {
    let Some((db, app)) = with_corpus(backend, 120).await else {
        return;
    };
    let fields = "slug,title,date,place,countries,people,summary,translations,published_at";
    let csv = app
        .get(&format!("/api/v1/press-releases.csv?fields={fields}"))
        .await;
    let rows = csv_rows(&csv.text());
    assert_eq!(rows[0].join(","), fields);
    let page = ok_json(
        &app,
        &format!("/api/v1/press-releases?limit=100&fields={fields},language,served_locale"),
    )
    .await;
    let mut checked = 0;
    let mut translated = 0;
    for item in page["items"].as_array().unwrap() {
        let in_translation = item["served_locale"] != item["language"];
        translated += usize::from(in_translation);
        let row = rows
            .iter()
            .find(|r| r[0] == item["slug"].as_str().unwrap())
            .expect("every listed release is exported");
        for (i, name) in fields.split(',').enumerate() {
            if in_translation && ["title", "summary"].contains(&name) {
                continue;
            }
            if let Value::Array(records) = &item[name]
                && records.iter().any(Value::is_object)
            {
                // Nested records are their JSON (keys in the interchange order).
                let cell: Value = serde_json::from_str(&row[i]).expect("a JSON cell");
                assert_eq!(&cell, &item[name], "{name} of {}", row[0]);
                continue;
            }
            let expected = match &item[name] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                Value::Array(a) if a.iter().all(Value::is_string) => a
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(";"),
                other => other.to_string(),
            };
            assert_eq!(row[i], expected, "{name} of {}", row[0]);
        }
        checked += 1;
    }
    assert_eq!(checked, 100);
    assert!(translated < checked, "most releases are served as written");
    assert!(
        csv.text().contains('"'),
        "no quoted cell at all: the corpus does not exercise quoting"
    );
    db.cleanup().await;
}

/// The JSON Lines exports, imported into an empty database, export the same bytes.
pub(super) async fn jsonl_exports_reimport_byte_identically(backend: Backend) {
    let Some((source, app)) = with_corpus(backend, 600).await else {
        return;
    };
    let lists = [
        "fields-of-work",
        "countries",
        "org-units",
        "people",
        "meetings",
        "press-releases",
    ];
    let mut first = Vec::new();
    for list in lists {
        let answer = app.get(&format!("/api/v1/{list}.jsonl")).await;
        assert_eq!(answer.status, 200);
        first.push(answer.body);
    }
    // The release lines are exactly those of `osce-api export`.
    let mut exported: Vec<&str> = Vec::new();
    let full = export_string(&source.conn).await;
    exported.extend(
        full.lines()
            .filter(|l| l.starts_with("{\"type\":\"press_release\"")),
    );
    let releases = String::from_utf8(first[5].clone()).unwrap();
    let mut served: Vec<&str> = releases.lines().collect();
    served.sort_unstable();
    exported.sort_unstable();
    assert_eq!(served, exported);

    let Some(target) = TestDb::prepared(backend).await else {
        return;
    };
    import_text(&target.conn, first.concat()).await;
    let again = TestApp::new(AppState::new(target.conn.clone()));
    for (list, before) in lists.iter().zip(&first) {
        let after = again.get(&format!("/api/v1/{list}.jsonl")).await;
        assert!(after.body == *before, "{list}: the re-export differs");
    }
    source.cleanup().await;
    target.cleanup().await;
}
