//! The REST API through the real router: pages and links, fields, items,
//! exports (counted against GraphQL, re-imported byte for byte), errors,
//! and the OpenAPI document (checked in, and true to what is written).

use std::collections::BTreeSet;

use axum::{
    body::Body,
    http::{Request, header},
};
use http_body_util::BodyExt;
use osce_api::http::rest::{self, repr::Resource, resources::PersonOut};
use osce_api::model;
use osce_api::{AppState, app};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{Backend, TestDb, export_string, generated_corpus, import_text};

struct Answer {
    status: u16,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8")
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn get_with(state: &AppState, uri: &str, accept: Option<&str>) -> Answer {
    let mut request = Request::get(uri);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    let response = app(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: body.to_vec(),
    }
}

async fn get(state: &AppState, uri: &str) -> Answer {
    get_with(state, uri, None).await
}

async fn ok_json(state: &AppState, uri: &str) -> Value {
    let answer = get(state, uri).await;
    assert_eq!(answer.status, 200, "{uri}: {}", answer.text());
    answer.json()
}

async fn with_corpus(backend: Backend, releases: u64) -> Option<(TestDb, AppState)> {
    let db = TestDb::prepared(backend).await?;
    import_text(&db.conn, generated_corpus(releases, 3)).await;
    let state = AppState::new(db.conn.clone());
    Some((db, state))
}

/// Rows of a CSV document (header first), parsed by the `csv` crate.
/// A line of a JSON Lines export that must be a press release.
fn release_of_line(line: &str) -> model::PressRelease {
    match serde_json::from_str::<model::Record>(line).unwrap() {
        model::Record::PressRelease(r) => r,
        other => panic!("not a release: {other:?}"),
    }
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect()
}

/// The keys of a JSON object, in the order written.
struct Keys(Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_map(V)
    }
}

fn keys_of(line: &str) -> Vec<String> {
    serde_json::from_str::<Keys>(line).unwrap().0
}

#[test]
fn checked_in_openapi_is_what_the_server_serves() {
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json")).unwrap();
    assert!(
        rest::openapi_json() == checked_in,
        "openapi.json is stale: run `cargo run -- openapi --output openapi.json`"
    );
}

#[test]
fn openapi_documents_every_field_and_filter() {
    let doc: Value = serde_json::from_str(rest::openapi_json()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemas = &doc["components"]["schemas"];
    for (name, fields) in [
        ("PressRelease", model::PressRelease::FIELDS),
        ("Meeting", model::Meeting::FIELDS),
        ("Person", PersonOut::FIELDS),
        ("OrgUnit", model::OrgUnit::FIELDS),
        ("Country", model::Country::FIELDS),
        ("FieldOfWork", model::FieldOfWork::FIELDS),
    ] {
        let documented: BTreeSet<&str> = schemas[name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no schema {name}"))
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(documented, fields.iter().copied().collect(), "{name}");
        for (field, schema) in schemas[name]["properties"].as_object().unwrap() {
            assert!(
                schema["description"].is_string() || schema["$ref"].is_string(),
                "{name}.{field} is not described"
            );
        }
    }
    // Every parameter of every operation is described, and the release
    // filter is the shared vocabulary, no more and no less.
    for (path, item) in doc["paths"].as_object().unwrap() {
        let operation = &item["get"];
        assert!(operation["summary"].is_string(), "{path} has no summary");
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            assert!(
                parameter["description"].is_string(),
                "{path}: {} is not described",
                parameter["name"]
            );
        }
        assert!(operation["responses"]["400"].is_object(), "{path}: no 400");
    }
    let names: BTreeSet<&str> = doc["paths"]["/api/v1/press-releases.jsonl"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .filter(|n| *n != "order")
        .collect();
    assert_eq!(
        names,
        osce_api::http::params::RELEASE_FILTER_PARAMETERS
            .iter()
            .copied()
            .collect()
    );
}

async fn field_names_are_the_interchange_formats(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone());
    let served = get(&state, "/api/v1/openapi.json").await;
    assert_eq!(served.status, 200);
    assert_eq!(served.text(), rest::openapi_json());
    // Each interchange line (less its `type`) has the resource's fields, in order.
    for (path, fields) in [
        ("press-releases", model::PressRelease::FIELDS),
        ("meetings", model::Meeting::FIELDS),
        ("org-units", model::OrgUnit::FIELDS),
        ("countries", model::Country::FIELDS),
        ("fields-of-work", model::FieldOfWork::FIELDS),
    ] {
        let export = get(&state, &format!("/api/v1/{path}.jsonl")).await;
        let line = export.text().lines().next().unwrap().to_string();
        let mut keys = keys_of(&line);
        assert_eq!(keys.remove(0), "type");
        assert_eq!(keys, fields, "{path}");
        // A page item without `fields` is the same object.
        let page = ok_json(&state, &format!("/api/v1/{path}?limit=100")).await;
        let mut record: Value = serde_json::from_str(&line).unwrap();
        record.as_object_mut().unwrap().remove("type");
        let items = page["items"].as_array().unwrap();
        assert!(items.contains(&record), "{path}: {record} not in the list");
    }
    // A person is the `person` record plus its `role`s without `person`.
    let people = get(&state, "/api/v1/people.jsonl?role_title=Co-Chair").await;
    let lines: Vec<Value> = people
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let person = ok_json(&state, "/api/v1/people/igor-popov").await;
    assert_eq!(person["name"], "Igor Popov");
    let roles: Vec<Value> = lines
        .iter()
        .filter(|l| l["type"] == "role" && l["person"] == "igor-popov")
        .map(|l| {
            let mut role = l.clone();
            role.as_object_mut().unwrap().remove("type");
            role.as_object_mut().unwrap().remove("person");
            role
        })
        .collect();
    assert_eq!(person["roles"], Value::Array(roles));
    db.cleanup().await;
}

async fn pages_follow_next_links_through_the_whole_list(backend: Backend) {
    let Some((db, state)) = with_corpus(backend, 300).await else {
        return;
    };
    for (rest_filter, graphql_filter) in [
        ("", json!({})),
        (
            "country=am,az&date_from=2010-01-01",
            json!({"countries": ["AM", "AZ"], "dateFrom": "2010-01-01"}),
        ),
    ] {
        let graphql = crate::graphql::data(
            &state,
            "query($f: PressReleaseFilterInput) { pressReleases(filter: $f, first: 100) { totalCount nodes { slug } } }",
            json!({ "f": graphql_filter }),
        )
        .await;
        let total = graphql["pressReleases"]["totalCount"].as_u64().unwrap();
        let mut uri = format!("/api/v1/press-releases?limit=37&fields=slug&{rest_filter}");
        let mut slugs = Vec::new();
        let mut pages = 0;
        loop {
            let answer = get(&state, &uri).await;
            assert_eq!(answer.status, 200, "{}", answer.text());
            let page = answer.json();
            assert_eq!(page["total_count"].as_u64(), Some(total));
            for item in page["items"].as_array().unwrap() {
                assert_eq!(item.as_object().unwrap().len(), 1, "only `slug`: {item}");
                slugs.push(item["slug"].as_str().unwrap().to_string());
            }
            pages += 1;
            match page["next"].as_str() {
                Some(next) => {
                    assert_eq!(
                        answer.header("link"),
                        Some(format!("<{next}>; rel=\"next\"").as_str())
                    );
                    uri = next.to_string();
                }
                None => {
                    assert!(answer.header("link").is_none());
                    break;
                }
            }
        }
        assert_eq!(slugs.len() as u64, total);
        assert_eq!(pages, total.div_ceil(37).max(1));
        let unique: BTreeSet<&String> = slugs.iter().collect();
        assert_eq!(unique.len(), slugs.len(), "a page repeated a release");
        // The same order as GraphQL's (one query path).
        let first_graphql: Vec<&str> = graphql["pressReleases"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["slug"].as_str().unwrap())
            .collect();
        assert_eq!(
            first_graphql,
            slugs
                .iter()
                .take(100)
                .map(String::as_str)
                .collect::<Vec<_>>()
        );
    }
    // Keyset lists (meetings, people) and short lists (units) page the same way.
    for (list, limit) in [("meetings", 100), ("people", 40), ("org-units", 7)] {
        let mut uri = format!("/api/v1/{list}?limit={limit}&fields=slug");
        let mut slugs = Vec::new();
        loop {
            let page = ok_json(&state, &uri).await;
            slugs.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["slug"].as_str().unwrap().to_string()),
            );
            match page["next"].as_str() {
                Some(next) => uri = next.to_string(),
                None => break,
            }
        }
        let export = get(&state, &format!("/api/v1/{list}.csv?fields=slug")).await;
        let exported: Vec<String> = csv_rows(&export.text())
            .into_iter()
            .skip(1)
            .map(|r| r[0].clone())
            .collect();
        assert_eq!(slugs, exported, "{list}: pages and export differ");
    }
    db.cleanup().await;
}

async fn exports_count_what_graphql_counts(backend: Backend) {
    // More releases than one export batch (500), so batches join up.
    let Some((db, state)) = with_corpus(backend, 1100).await else {
        return;
    };
    // The brute-force oracle: every release, filtered here.
    let everything: Vec<model::PressRelease> = get(&state, "/api/v1/press-releases.jsonl")
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
        let graphql = crate::graphql::data(
            &state,
            "query($f: PressReleaseFilterInput, $q: String) { pressReleases(filter: $f, search: $q, first: 1) { totalCount } }",
            json!({ "f": graphql_filter, "q": search }),
        )
        .await;
        let total = graphql["pressReleases"]["totalCount"].as_u64().unwrap();
        assert!(total > 0, "{rest_filter} matches nothing: a weak test");

        let csv = get(&state, &format!("/api/v1/press-releases.csv?{rest_filter}")).await;
        assert_eq!(csv.status, 200, "{}", csv.text());
        assert_eq!(
            csv.header("content-disposition"),
            Some("attachment; filename=\"press-releases.csv\"")
        );
        assert_eq!(
            csv.header("x-total-count"),
            Some(total.to_string().as_str())
        );
        let rows = csv_rows(&csv.text());
        assert_eq!(rows[0], model::PressRelease::FIELDS);
        assert_eq!(rows.len() as u64 - 1, total, "CSV rows for {rest_filter}");

        let jsonl = get(
            &state,
            &format!("/api/v1/press-releases.jsonl?{rest_filter}"),
        )
        .await;
        assert_eq!(jsonl.status, 200);
        assert_eq!(
            jsonl.header("content-disposition"),
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
    let csv = get_with(
        &state,
        "/api/v1/press-releases?country=AM",
        Some("text/csv"),
    )
    .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let direct = get(&state, "/api/v1/press-releases.csv?country=AM").await;
    assert_eq!(csv.body, direct.body);
    let jsonl = get_with(&state, "/api/v1/meetings", Some("application/x-ndjson")).await;
    assert_eq!(jsonl.body, get(&state, "/api/v1/meetings.jsonl").await.body);
    // An export of nothing is a header row.
    let empty = get(
        &state,
        "/api/v1/press-releases.csv?date_from=2100-01-01&fields=slug,title",
    )
    .await;
    assert_eq!(empty.text(), "slug,title\n");
    db.cleanup().await;
}

/// The CSV cells of a release are its JSON fields: text as is, lists joined
/// with `;`, nested records as JSON; quoting survives commas and quotes.
async fn csv_cells_are_the_json_fields(backend: Backend) {
    let Some((db, state)) = with_corpus(backend, 120).await else {
        return;
    };
    let fields = "slug,title,date,place,countries,people,summary,translations,published_at";
    let csv = get(
        &state,
        &format!("/api/v1/press-releases.csv?fields={fields}"),
    )
    .await;
    let rows = csv_rows(&csv.text());
    assert_eq!(rows[0].join(","), fields);
    let page = ok_json(
        &state,
        &format!("/api/v1/press-releases?limit=100&fields={fields}"),
    )
    .await;
    let mut checked = 0;
    for item in page["items"].as_array().unwrap() {
        let row = rows
            .iter()
            .find(|r| r[0] == item["slug"].as_str().unwrap())
            .expect("every listed release is exported");
        for (i, name) in fields.split(',').enumerate() {
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
    assert!(
        csv.text().contains('"'),
        "no quoted cell at all: the corpus does not exercise quoting"
    );
    db.cleanup().await;
}

/// The JSON Lines exports, imported into an empty database, export the same bytes.
async fn jsonl_exports_reimport_byte_identically(backend: Backend) {
    let Some((source, state)) = with_corpus(backend, 600).await else {
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
        let answer = get(&state, &format!("/api/v1/{list}.jsonl")).await;
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
    let again = AppState::new(target.conn.clone());
    for (list, before) in lists.iter().zip(&first) {
        let after = get(&again, &format!("/api/v1/{list}.jsonl")).await;
        assert!(after.body == *before, "{list}: the re-export differs");
    }
    source.cleanup().await;
    target.cleanup().await;
}

async fn bad_parameters_are_json_4xx(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone());
    let meeting_cursor = ok_json(&state, "/api/v1/meetings?limit=1").await["next"]
        .as_str()
        .unwrap()
        .split("cursor=")
        .nth(1)
        .unwrap()
        .to_string();
    let cases: Vec<(String, u16, &str)> = vec![
        (
            "/api/v1/press-releases?limit=0".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?limit=101".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?limit=ten".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?limit=5&limit=6".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?cursor=garbage".into(),
            400,
            "bad_parameter",
        ),
        (
            format!("/api/v1/press-releases?cursor={meeting_cursor}"),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?date_from=2020-02-30".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?date_from=2021-01-01&date_to=2020-01-01".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?country=XX".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?field_of_work=nope".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?meeting_kind=nope".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?include_descendants=maybe".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?fields=slug,nope".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?fields=".into(),
            400,
            "bad_parameter",
        ),
        ("/api/v1/countries?status=".into(), 400, "bad_parameter"),
        (
            "/api/v1/press-releases?order=nope".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?order=relevance".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?bogus=1".into(),
            400,
            "unknown_parameter",
        ),
        (
            "/api/v1/press-releases.csv?order=title_asc".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases.csv?limit=10".into(),
            400,
            "unknown_parameter",
        ),
        (
            "/api/v1/press-releases.csv?source=nope".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases.jsonl?fields=slug".into(),
            400,
            "unknown_parameter",
        ),
        (
            "/api/v1/press-releases/no-such-release".into(),
            404,
            "not_found",
        ),
        ("/api/v1/press-releases/%FF".into(), 400, "bad_parameter"),
        ("/api/v1/meetings?kind=nope".into(), 400, "bad_parameter"),
        ("/api/v1/meetings?order=title".into(), 400, "bad_parameter"),
        (
            "/api/v1/meetings.csv?country=XX".into(),
            400,
            "bad_parameter",
        ),
        ("/api/v1/meetings/nope".into(), 404, "not_found"),
        (
            "/api/v1/people?active_on=yesterday".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/people.jsonl?org_unit=nope".into(),
            400,
            "bad_parameter",
        ),
        ("/api/v1/people/nope".into(), 404, "not_found"),
        ("/api/v1/org-units?kind=nope".into(), 400, "bad_parameter"),
        (
            "/api/v1/org-units?cursor=garbage".into(),
            400,
            "bad_parameter",
        ),
        ("/api/v1/countries?status=nope".into(), 400, "bad_parameter"),
        ("/api/v1/countries/ZZ".into(), 404, "not_found"),
        (
            "/api/v1/fields-of-work?q=x".into(),
            400,
            "unknown_parameter",
        ),
        ("/api/v1/no-such-list".into(), 404, "not_found"),
    ];
    for (uri, status, code) in cases {
        let answer = get(&state, &uri).await;
        assert_eq!(answer.status, status, "{uri}: {}", answer.text());
        assert_eq!(
            answer.header("content-type"),
            Some("application/json"),
            "{uri}"
        );
        let body = answer.json();
        assert_eq!(body["error"]["code"], code, "{uri}: {body}");
        assert!(body["error"]["message"].is_string(), "{uri}");
        assert!(body["error"].get("details").is_some(), "{uri}");
    }
    // Items: found by key, case-insensitive for country codes, with `fields`.
    let country = ok_json(&state, "/api/v1/countries/am?fields=name,code").await;
    assert_eq!(country, json!({"name": "Armenia", "code": "AM"}));
    let unit = ok_json(&state, "/api/v1/org-units/minsk-group?fields=kind,parent").await;
    assert_eq!(unit, json!({"kind": "group", "parent": null}));
    let release = ok_json(
        &state,
        "/api/v1/press-releases/press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25?fields=countries,people",
    )
    .await;
    assert_eq!(
        release,
        json!({"countries": ["AM", "AZ", "FR", "RU", "US"], "people": ["igor-popov", "stephane-visconti", "andrew-schofer", "andrzej-kasprzyk"]})
    );
    db.cleanup().await;
}

crate::backend_tests!(
    field_names_are_the_interchange_formats,
    pages_follow_next_links_through_the_whole_list,
    exports_count_what_graphql_counts,
    csv_cells_are_the_json_fields,
    jsonl_exports_reimport_byte_identically,
    bad_parameters_are_json_4xx,
);
