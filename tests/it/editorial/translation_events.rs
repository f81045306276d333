//! What else a translation's write touches: webhooks name its language;
//! a release's own save that changes translations moves their versions; a
//! key that may write a draft but not read drafts never reads its text.

use axum::http::Method;
use serde_json::{Value, json};

use super::translations::{RELEASE, RUSSIAN, TRANSLATIONS, release_version, russian};
use super::{Newsroom, act, call, create, graphql_as};
use crate::support::Backend;

async fn webhooks_name_the_language(backend: Backend) {
    let Some((room, admin, editor)) = crate::sync::webhooks::open(backend).await else {
        return;
    };
    let (_receiver, address) = crate::sync::receiver::Receiver::start(&[], false).await;
    let (id, _) = crate::sync::webhooks::register(
        &room,
        &admin,
        address,
        json!([
            "press_release.translation_saved",
            "press_release.translation_deleted"
        ]),
    )
    .await;
    let app = &room.app;
    let v = create(app, &editor, "translated", "Envoys met in Vienna").await;
    // A draft's translation sends nothing.
    let added = call(
        app,
        Method::POST,
        TRANSLATIONS,
        Some(&editor),
        None,
        russian(),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.text());
    assert_eq!(room.count("webhook_delivery").await, 0);
    act(app, &editor, "translated", "publish", v).await;
    let edit = json!({ "title": "Посланники снова встретились" });
    let edited = call(app, Method::PATCH, RUSSIAN, Some(&editor), Some(1), edit).await;
    assert_eq!(edited.status, 200, "{}", edited.text());
    let gone = call(
        app,
        Method::DELETE,
        RUSSIAN,
        Some(&editor),
        Some(2),
        Value::Null,
    )
    .await;
    assert_eq!(gone.status, 204, "{}", gone.text());
    let mut sent: Vec<(String, Value, Value)> =
        crate::sync::webhooks::deliveries(&room, &admin, id)
            .await
            .iter()
            .map(|d| {
                (
                    d["event_type"].as_str().unwrap().to_string(),
                    d["payload"]["data"]["language"].clone(),
                    d["payload"]["data"]["key"].clone(),
                )
            })
            .collect();
    sent.reverse();
    assert_eq!(
        sent,
        [
            (
                "press_release.translation_saved".to_string(),
                json!("ru"),
                json!("translated")
            ),
            (
                "press_release.translation_deleted".to_string(),
                json!("ru"),
                json!("translated")
            ),
        ]
    );
    room.cleanup().await;
}

async fn a_release_save_moves_its_translations_versions(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let editor = room.key("desk", "read:drafts,write,publish,delete").await;
    let app = &room.app;
    create(app, &editor, "translated", "Envoys met in Vienna").await;
    let added = call(
        app,
        Method::POST,
        TRANSLATIONS,
        Some(&editor),
        None,
        russian(),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.text());
    // The release's editor replaces the translations wholesale…
    let release = release_version(&room, &editor).await;
    let replaced = call(
        app,
        Method::PATCH,
        RELEASE,
        Some(&editor),
        Some(release),
        json!({ "translations": [{ "language": "ru", "title": "Другое", "body_html": "<p>Другое.</p>" }] }),
    )
    .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    // …so the translator's version 1 is stale, not silently overwritten.
    let stale = call(
        app,
        Method::PATCH,
        RUSSIAN,
        Some(&editor),
        Some(1),
        json!({ "title": "Посланники встретились" }),
    )
    .await;
    assert_eq!(stale.status, 412, "{}", stale.text());
    assert_eq!(stale.json()["error"]["details"]["current_version"], 2);
    // A save that changes nothing takes no version.
    let same = call(
        app,
        Method::PATCH,
        RUSSIAN,
        Some(&editor),
        Some(2),
        json!({ "title": "Другое" }),
    )
    .await;
    assert_eq!(same.status, 200, "{}", same.text());
    assert_eq!(same.json()["version"], 2);
    room.cleanup().await;
}

async fn a_writer_without_read_drafts_never_reads_a_draft(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let editor = room.key("desk", "read:drafts,write,publish,delete").await;
    let writer = room.key("writer", "write").await;
    let app = &room.app;
    create(app, &editor, "translated", "Envoys met in Vienna").await;
    let added = call(
        app,
        Method::POST,
        TRANSLATIONS,
        Some(&editor),
        None,
        russian(),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.text());
    // An empty patch would echo the text: it says where the write stands.
    let echo = call(
        app,
        Method::PATCH,
        RUSSIAN,
        Some(&writer),
        Some(1),
        json!({}),
    )
    .await;
    assert_eq!(echo.status, 200, "{}", echo.text());
    assert_eq!(
        echo.json(),
        json!({ "release": "translated", "language": "ru", "version": 1 })
    );
    assert_eq!(
        call(app, Method::GET, RUSSIAN, Some(&writer), None, Value::Null)
            .await
            .status,
        404
    );
    let graphql = graphql_as(
        app,
        Some(&writer),
        r#"mutation { updatePressReleaseTranslation(slug: "translated", language: "ru",
            expectedVersion: 1, input: {}) { title bodyHtml version } }"#,
        Value::Null,
    )
    .await;
    assert_eq!(
        graphql["data"]["updatePressReleaseTranslation"],
        json!({ "title": null, "bodyHtml": null, "version": 1 }),
        "{graphql}"
    );
    room.cleanup().await;
}

crate::backend_tests!(
    webhooks_name_the_language,
    a_release_save_moves_its_translations_versions,
    a_writer_without_read_drafts_never_reads_a_draft
);
