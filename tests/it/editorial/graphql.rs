//! The editor's path through GraphQL: create, preview, schedule, publish at
//! its time, correct, restore a revision; and the audit log as JSON Lines.

use axum::http::Method;
use serde_json::{Value, json};

use super::{Newsroom, call, graphql_as, start};
use crate::support::Backend;

const FIELDS: &str = "slug status version publishAt content { title summary fieldsOfWork { slug } } revisions { version action actor changed }";

async fn an_editor_works_through_graphql(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("graphql-desk", "read:drafts,write,publish").await;
    let app = &room.app;
    let run = |query: String, variables: Value| {
        let key = key.clone();
        async move {
            let body = graphql_as(app, Some(&key), &query, variables).await;
            assert!(body.get("errors").is_none(), "{body}");
            body["data"].clone()
        }
    };
    let created = run(
        format!("mutation($input: PressReleaseInput!) {{ createPressRelease(input: $input) {{ {FIELDS} }} }}"),
        json!({ "input": {
            "title": "Chair welcomes agreement", "date": "2026-12-07", "source": "chairpersonship",
            "fieldsOfWork": ["arms-control"], "bodyHtml": "<p>VIENNA – The Chair welcomed it.</p>",
            "summary": "First summary."
        }}),
    )
    .await["createPressRelease"]
        .clone();
    let slug = created["slug"].as_str().unwrap().to_string();
    assert_eq!(slug, "chair-welcomes-agreement-2026-12-07");
    assert_eq!(created["status"], "DRAFT");
    assert_eq!(created["version"], 1);
    assert_eq!(created["revisions"][0]["actor"], "graphql-desk");

    let anonymous = app
        .graphql_data(
            "query($s: String!) { pressRelease(slug: $s) { slug } }",
            json!({ "s": slug }),
        )
        .await;
    assert!(anonymous["pressRelease"].is_null());

    let at = start() + chrono::Duration::hours(3);
    let scheduled = run(
        format!("mutation($s: String!, $at: DateTime!) {{ schedulePressRelease(slug: $s, expectedVersion: 1, publishAt: $at) {{ {FIELDS} }} }}"),
        json!({ "s": slug, "at": at.to_rfc3339() }),
    )
    .await["schedulePressRelease"]
        .clone();
    assert_eq!(scheduled["status"], "SCHEDULED");
    assert_eq!(scheduled["publishAt"], "2026-12-07T12:00:00Z");
    let list = run(
        "{ editorialPressReleases(status: [SCHEDULED]) { items { slug status } nextCursor } }"
            .into(),
        json!({}),
    )
    .await;
    assert_eq!(
        list["editorialPressReleases"]["items"][0]["slug"],
        slug.as_str()
    );

    room.clock.set(at);
    let public = app
        .graphql_data(
            "query($s: String!) { pressRelease(slug: $s) { title summary } }",
            json!({ "s": slug }),
        )
        .await;
    assert_eq!(public["pressRelease"]["title"], "Chair welcomes agreement");

    // A correction: summary changed, fields of work cleared.
    let corrected = run(
        format!("mutation($s: String!) {{ updatePressRelease(slug: $s, expectedVersion: 2, input: {{summary: \"Second summary.\", fieldsOfWork: null}}) {{ {FIELDS} }} }}"),
        json!({ "s": slug }),
    )
    .await["updatePressRelease"]
        .clone();
    assert_eq!(corrected["version"], 3);
    assert_eq!(corrected["status"], "PUBLISHED");
    assert_eq!(corrected["content"]["fieldsOfWork"], json!([]));
    let changed = &corrected["revisions"][0]["changed"];
    assert_eq!(
        changed,
        &json!(["fields_of_work", "summary"]),
        "{corrected}"
    );

    // Restore the first revision: a new version with the old content.
    let restored = run(
        format!("mutation($s: String!) {{ restorePressReleaseRevision(slug: $s, version: 1, expectedVersion: 3) {{ {FIELDS} }} }}"),
        json!({ "s": slug }),
    )
    .await["restorePressReleaseRevision"]
        .clone();
    assert_eq!(restored["version"], 4);
    assert_eq!(restored["content"]["summary"], "First summary.");
    assert_eq!(restored["revisions"][0]["action"], "restore");
    let public = app
        .graphql_data(
            "query($s: String!) { pressRelease(slug: $s) { summary } }",
            json!({ "s": slug }),
        )
        .await;
    assert_eq!(public["pressRelease"]["summary"], "First summary.");

    // The audit log, as JSON Lines, for an admin only.
    let admin = room.key("auditor", "admin").await;
    let lines = call(
        app,
        Method::GET,
        "/api/v1/audit-log.jsonl",
        Some(&admin),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(lines.status, 200);
    let entries: Vec<Value> = lines
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(String, Option<i64>, Option<i64>)> = entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().into(),
                e["version_from"].as_i64(),
                e["version_to"].as_i64(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("create".to_string(), None, Some(1)),
            ("schedule".into(), Some(1), Some(2)),
            ("publish".into(), Some(2), Some(2)),
            ("update".into(), Some(2), Some(3)),
            ("restore".into(), Some(3), Some(4)),
        ]
    );
    assert!(
        entries
            .iter()
            .all(|e| e["kind"] == "press_release" && e["key"] == slug.as_str())
    );
    assert!(
        entries[0]["request_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    room.cleanup().await;
}

crate::backend_tests!(an_editor_works_through_graphql);
