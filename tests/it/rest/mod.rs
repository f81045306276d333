//! The REST API through the real router: pages and links, fields, items,
//! exports (counted against GraphQL, re-imported byte for byte), errors,
//! and the OpenAPI document (checked in, and true to what is written).

mod errors;
mod exports;
mod paging;

use std::collections::BTreeSet;

use osce_api::http::rest::{self, repr::Resource, resources::PersonOut};
use osce_api::model;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use crate::support::{Backend, TestApp, TestDb, generated_corpus, import_text};

use errors::bad_parameters_are_json_4xx;
use exports::{
    csv_cells_are_the_json_fields, exports_count_what_graphql_counts,
    jsonl_exports_reimport_byte_identically,
};
use paging::pages_follow_next_links_through_the_whole_list;

async fn ok_json(app: &TestApp, uri: &str) -> Value {
    let answer = app.get(uri).await;
    assert_eq!(answer.status, 200, "{uri}: {}", answer.text());
    answer.json()
}

async fn with_corpus(backend: Backend, releases: u64) -> Option<(TestDb, TestApp)> {
    let db = TestDb::prepared(backend).await?;
    import_text(&db.conn, generated_corpus(releases, 3)).await;
    let app = TestApp::new(db.state());
    Some((db, app))
}

/// A line of a JSON Lines export that must be a press release.
fn release_of_line(line: &str) -> model::PressRelease {
    match serde_json::from_str::<model::Record>(line).unwrap() {
        model::Record::PressRelease(r) => r,
        other => panic!("not a release: {other:?}"),
    }
}

/// Rows of a CSV document (header first), parsed by the `csv` crate.
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
        // The record's fields and the language served.
        ("PressRelease", rest::releases::LOCALIZED_FIELDS),
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
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["summary"].is_string(),
                "{method} {path} has no summary"
            );
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                assert!(
                    parameter["description"].is_string(),
                    "{path}: {} is not described",
                    parameter["name"]
                );
            }
            assert!(
                operation["responses"]["400"].is_object(),
                "{method} {path}: no 400"
            );
        }
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
    let app = TestApp::new(db.state());
    let served = app.get("/api/v1/openapi.json").await;
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
        let export = app.get(&format!("/api/v1/{path}.jsonl")).await;
        let line = export.text().lines().next().unwrap().to_string();
        let mut keys = keys_of(&line);
        assert_eq!(keys.remove(0), "type");
        assert_eq!(keys, fields, "{path}");
        // A page item without `fields` is the same object.
        let page = ok_json(&app, &format!("/api/v1/{path}?limit=100")).await;
        let mut record: Value = serde_json::from_str(&line).unwrap();
        record.as_object_mut().unwrap().remove("type");
        // Less, for a release, which language was served.
        let items: Vec<Value> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .cloned()
            .map(|mut item| {
                for served in ["served_locale", "is_fallback", "available_locales"] {
                    item.as_object_mut().unwrap().remove(served);
                }
                item
            })
            .collect();
        assert!(items.contains(&record), "{path}: {record} not in the list");
    }
    // A person is the `person` record plus its `role`s without `person`.
    let people = app.get("/api/v1/people.jsonl?role_title=Co-Chair").await;
    let lines: Vec<Value> = people
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let person = ok_json(&app, "/api/v1/people/igor-popov").await;
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

crate::backend_and_production_tests!(
    field_names_are_the_interchange_formats,
    pages_follow_next_links_through_the_whole_list,
    exports_count_what_graphql_counts,
    csv_cells_are_the_json_fields,
    jsonl_exports_reimport_byte_identically,
    bad_parameters_are_json_4xx,
);
