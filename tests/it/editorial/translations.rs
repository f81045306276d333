//! Translations written on their own: added, edited and removed with their
//! own versions, checked by the release's rules, visible to readers in
//! their language on every replica, and named with their language in the
//! changes feed, the audit log and webhooks.

use axum::http::Method;
use serde_json::{Value, json};

use super::{Newsroom, act, call, create, graphql_as};
use crate::support::Backend;

pub(super) const RELEASE: &str = "/api/v1/press-releases/translated";
pub(super) const TRANSLATIONS: &str = "/api/v1/press-releases/translated/translations";
pub(super) const RUSSIAN: &str = "/api/v1/press-releases/translated/translations/ru";

pub(super) fn russian() -> Value {
    json!({
        "language": "ru",
        "title": "Посланники встретились в Вене",
        "summary": "Краткое изложение.",
        "body_html": "<p>ВЕНА, 7 декабря 2026 года – Посланники встретились на переговорах.</p><script>alert(1)</script>",
    })
}

/// The release's own version, as its editors read it.
pub(super) async fn release_version(room: &Newsroom, key: &str) -> i64 {
    let reply = call(
        &room.app,
        Method::GET,
        RELEASE,
        Some(key),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["version"].as_i64().unwrap()
}

/// The last entry of the changes feed for press releases.
async fn last_change(room: &Newsroom) -> Value {
    let reply = room.app.get("/api/v1/changes?types=press_release").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["items"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone()
}

async fn a_translation_has_its_own_life(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let editor = room.key("desk", "read:drafts,write,publish,delete").await;
    let writer = room.key("writer", "write").await;
    let app = &room.app;
    let v = create(app, &editor, "translated", "Envoys met in Vienna").await;
    let release = act(app, &editor, "translated", "publish", v).await;

    // Only keys with the scopes a public release needs may add one.
    let anonymous = call(app, Method::POST, TRANSLATIONS, None, None, russian()).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text());
    let short = call(
        app,
        Method::POST,
        TRANSLATIONS,
        Some(&writer),
        None,
        russian(),
    )
    .await;
    assert_eq!(short.status, 403, "{}", short.text());
    assert_eq!(short.json()["error"]["details"]["scope"], "publish");

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
    assert_eq!(added.header("etag"), "\"1\"");
    assert_eq!(added.header("location"), RUSSIAN);
    let body = added.json();
    assert_eq!(body["version"], 1);
    assert_eq!(body["release"], "translated");
    assert!(!body["body_html"].as_str().unwrap().contains("script"));
    // The release's own version did not move.
    assert_eq!(release_version(&room, &editor).await, release);

    // Readers get it in Russian, on this replica and on another.
    for replica in [app, &room.replica()] {
        let reply = replica.get(&format!("{RELEASE}?locale=ru")).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.header("content-language"), "ru");
        assert_eq!(reply.json()["title"], "Посланники встретились в Вене");
        assert_eq!(reply.json()["served_locale"], "ru");
    }
    // Search finds it by another form of a word, in Russian.
    let found = graphql_as(
        app,
        None,
        r#"{ pressReleases(search: "посланников", locale: "ru", first: 5) { nodes { slug title } } }"#,
        Value::Null,
    )
    .await;
    assert_eq!(
        found["data"]["pressReleases"]["nodes"],
        json!([{ "slug": "translated", "title": "Посланники встретились в Вене" }]),
        "{found}"
    );
    let change = last_change(&room).await;
    assert_eq!(change["key"], "translated");
    assert_eq!(change["language"], "ru");
    assert_eq!(change["language_op"], "upsert");

    // One translation per language; never the release's own; rules named
    // by the translation's own fields.
    let again = call(
        app,
        Method::POST,
        TRANSLATIONS,
        Some(&editor),
        None,
        russian(),
    )
    .await;
    assert_eq!(again.status, 409, "{}", again.text());
    let own = json!({ "language": "en", "title": "Again", "body_html": "<p>x</p>" });
    let own = call(app, Method::POST, TRANSLATIONS, Some(&editor), None, own).await;
    assert_eq!(own.status, 422, "{}", own.text());
    assert_eq!(
        own.json()["error"]["details"]["fields"][0]["field"],
        "language"
    );
    let bad = json!({ "language": "fr", "title": "", "body_html": "<p>x</p>", "colour": 1 });
    let bad = call(app, Method::POST, TRANSLATIONS, Some(&editor), None, bad).await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    let fields: Vec<String> = bad.json()["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["colour"], "unknown fields are refused first");
    let bad = json!({ "language": "fr", "title": "", "body_html": "<p>x</p>" });
    let bad = call(app, Method::POST, TRANSLATIONS, Some(&editor), None, bad).await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert_eq!(
        bad.json()["error"]["details"]["fields"][0]["field"],
        "title"
    );
    let missing = json!({ "title": "Sans langue", "body_html": "<p>x</p>" });
    let missing = call(
        app,
        Method::POST,
        TRANSLATIONS,
        Some(&editor),
        None,
        missing,
    )
    .await;
    assert_eq!(missing.status, 422, "{}", missing.text());

    // Edits need the translation's version, not the release's.
    let edit = json!({ "title": "Посланники снова встретились" });
    let bare = call(
        app,
        Method::PATCH,
        RUSSIAN,
        Some(&editor),
        None,
        edit.clone(),
    )
    .await;
    assert_eq!(bare.status, 428, "{}", bare.text());
    let edited = call(
        app,
        Method::PATCH,
        RUSSIAN,
        Some(&editor),
        Some(1),
        edit.clone(),
    )
    .await;
    assert_eq!(edited.status, 200, "{}", edited.text());
    assert_eq!(edited.json()["version"], 2);
    assert_eq!(
        edited.json()["summary"],
        "Краткое изложение.",
        "a patch keeps the rest"
    );
    let stale = call(app, Method::PATCH, RUSSIAN, Some(&editor), Some(1), edit).await;
    assert_eq!(stale.status, 412, "{}", stale.text());
    assert_eq!(stale.json()["error"]["details"]["current_version"], 2);
    assert_eq!(stale.header("etag"), "\"2\"");
    // The release's editor is not in the translator's way.
    assert_eq!(release_version(&room, &editor).await, release);
    let retitled = call(
        app,
        Method::PATCH,
        RELEASE,
        Some(&editor),
        Some(release),
        json!({ "title": "Envoys met in Vienna again" }),
    )
    .await;
    assert_eq!(retitled.status, 200, "{}", retitled.text());

    let read = room.app.get(RUSSIAN).await;
    assert_eq!(read.status, 200, "{}", read.text());
    assert_eq!(read.header("etag"), "\"2\"");
    assert_eq!(read.json()["title"], "Посланники снова встретились");
    let list = room.app.get(TRANSLATIONS).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["language"], "ru");
    assert_eq!(list["items"][0]["version"], 2);

    // Removing it leaves the release, in English.
    let gone = call(
        app,
        Method::DELETE,
        RUSSIAN,
        Some(&writer),
        Some(2),
        Value::Null,
    )
    .await;
    assert_eq!(gone.status, 403, "{}", gone.text());
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
    let strict = room
        .app
        .get(&format!("{RELEASE}?locale=ru&fallback=none"))
        .await;
    assert_eq!(strict.status, 404, "{}", strict.text());
    let fallback = room.app.get(&format!("{RELEASE}?locale=ru")).await.json();
    assert_eq!(fallback["served_locale"], "en");
    assert_eq!(fallback["title"], "Envoys met in Vienna again");
    assert_eq!(room.app.get(RUSSIAN).await.status, 404);
    let change = last_change(&room).await;
    assert_eq!(change["language"], "ru");
    assert_eq!(change["language_op"], "delete");
    assert_eq!(change["op"], "upsert", "the release itself stays");

    // Added again, it continues its numbering (the removal took 3).
    let back = call(
        app,
        Method::POST,
        TRANSLATIONS,
        Some(&editor),
        None,
        russian(),
    )
    .await;
    assert_eq!(back.status, 201, "{}", back.text());
    assert_eq!(back.json()["version"], 4);

    // Every write is audited under the translation's key.
    let admin = room.key("admin", "admin").await;
    let audit = call(
        app,
        Method::GET,
        "/api/v1/audit-log",
        Some(&admin),
        None,
        Value::Null,
    )
    .await;
    let lines: Vec<(String, String)> = audit.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "press_release_translation")
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["key"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "create_translation",
            "update_translation",
            "delete_translation",
            "create_translation"
        ]
        .map(|a| (a.to_string(), "translated/ru".to_string()))
    );
    room.cleanup().await;
}

async fn a_draft_translation_stays_private(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let editor = room.key("desk", "read:drafts,write,publish,delete").await;
    let writer = room.key("writer", "write").await;
    let app = &room.app;
    create(app, &editor, "translated", "Envoys met in Vienna").await;
    // A draft's translation needs `write` only, and is not public.
    let added = call(
        app,
        Method::POST,
        TRANSLATIONS,
        Some(&writer),
        None,
        russian(),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.text());
    assert_eq!(room.app.get(RUSSIAN).await.status, 404);
    assert_eq!(
        room.app.get(&format!("{RELEASE}?locale=ru")).await.status,
        404
    );
    let preview = call(app, Method::GET, RUSSIAN, Some(&editor), None, Value::Null).await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    let found = graphql_as(
        app,
        None,
        r#"{ pressReleases(search: "посланников", locale: "ru", first: 5) { nodes { slug } } }"#,
        Value::Null,
    )
    .await;
    assert_eq!(
        found["data"]["pressReleases"]["nodes"],
        json!([]),
        "{found}"
    );
    room.cleanup().await;
}

async fn graphql_writes_translations(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let editor = room.key("desk", "read:drafts,write,publish,delete").await;
    let app = &room.app;
    let v = create(app, &editor, "translated", "Envoys met in Vienna").await;
    act(app, &editor, "translated", "publish", v).await;
    let created = graphql_as(
        app,
        Some(&editor),
        r#"mutation($input: TranslationPatchInput!) {
            createPressReleaseTranslation(slug: "translated", language: "fr", input: $input) {
                release language title version
            }
        }"#,
        json!({ "input": { "title": "Les envoyés se sont réunis", "bodyHtml": "<p>VIENNE – Les envoyés se sont réunis.</p>" } }),
    )
    .await;
    assert_eq!(
        created["data"]["createPressReleaseTranslation"],
        json!({ "release": "translated", "language": "fr", "title": "Les envoyés se sont réunis", "version": 1 }),
        "{created}"
    );
    let update = r#"mutation($v: Int!) {
        updatePressReleaseTranslation(slug: "translated", language: "fr", expectedVersion: $v,
            input: { summary: "Résumé." }) { version summary }
    }"#;
    let updated = graphql_as(app, Some(&editor), update, json!({ "v": 1 })).await;
    assert_eq!(
        updated["data"]["updatePressReleaseTranslation"],
        json!({ "version": 2, "summary": "Résumé." }),
        "{updated}"
    );
    let stale = graphql_as(app, Some(&editor), update, json!({ "v": 1 })).await;
    assert_eq!(
        stale["errors"][0]["extensions"]["code"], "VERSION_CONFLICT",
        "{stale}"
    );
    let read = graphql_as(
        app,
        Some(&editor),
        r#"{ editorialPressRelease(slug: "translated") { version translations { language version } } }"#,
        Value::Null,
    )
    .await;
    assert_eq!(
        read["data"]["editorialPressRelease"]["translations"],
        json!([{ "language": "fr", "version": 2 }]),
        "{read}"
    );
    let public = graphql_as(
        app,
        None,
        r#"{ pressRelease(slug: "translated", locale: "fr") { title servedLocale summary } }"#,
        Value::Null,
    )
    .await;
    assert_eq!(
        public["data"]["pressRelease"],
        json!({ "title": "Les envoyés se sont réunis", "servedLocale": "fr", "summary": "Résumé." }),
        "{public}"
    );
    let deleted = graphql_as(
        app,
        Some(&editor),
        r#"mutation { deletePressReleaseTranslation(slug: "translated", language: "fr", expectedVersion: 2) { language deletedVersion } }"#,
        Value::Null,
    )
    .await;
    assert_eq!(
        deleted["data"]["deletePressReleaseTranslation"],
        json!({ "language": "fr", "deletedVersion": 2 }),
        "{deleted}"
    );
    room.cleanup().await;
}

crate::backend_tests!(
    a_translation_has_its_own_life,
    a_draft_translation_stays_private,
    graphql_writes_translations
);
