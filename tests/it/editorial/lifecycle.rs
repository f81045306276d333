//! A release's life as readers see it: a draft and a scheduled release are
//! nowhere; at its time it is everywhere (lists, search, feeds, REST,
//! exports), on a second replica too; withdrawn or deleted, it is gone.

use axum::http::Method;
use serde_json::{Value, json};

use super::{Newsroom, act, call, create, start};
use crate::support::{Backend, TestApp};

const WORD: &str = "zanzibarian";

/// What each public surface shows of `slug`: for each, whether it is there.
async fn seen(app: &TestApp, slug: &str) -> Vec<(&'static str, bool)> {
    let item = app.get(&format!("/api/v1/press-releases/{slug}")).await;
    let data = app
        .graphql_data(
            "query($slug: String!, $s: String!) { pressRelease(slug: $slug) { slug title } \
             pressReleases(search: $s, first: 5) { totalCount nodes { slug } } \
             search(query: $s, first: 5) { totalCount } }",
            json!({ "slug": slug, "s": WORD }),
        )
        .await;
    let feed = app.get("/feeds/press-releases.json").await.text();
    let rss = app.get("/feeds/press-releases.rss").await.text();
    let export = app
        .get("/api/v1/press-releases.jsonl?date_from=2026-12-07")
        .await
        .text();
    let embed = app.get(&format!("/press-releases/{slug}")).await;
    vec![
        ("REST item", item.status == 200),
        ("GraphQL pressRelease", !data["pressRelease"].is_null()),
        (
            "GraphQL list search",
            data["pressReleases"]["totalCount"] == 1,
        ),
        ("GraphQL search", data["search"]["totalCount"] == 1),
        ("JSON Feed", feed.contains(slug)),
        ("RSS", rss.contains(slug)),
        ("JSON Lines export", export.contains(slug)),
        ("release page", embed.status == 200),
    ]
}

async fn assert_seen(app: &TestApp, slug: &str, expected: bool, when: &str) {
    for (surface, there) in seen(app, slug).await {
        assert_eq!(there, expected, "{when}: {surface} shows it: {there}");
    }
}

async fn a_release_lives_draft_scheduled_published_withdrawn_deleted(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room
        .key("press-office", "read:drafts,write,publish,delete")
        .await;
    let app = &room.app;
    let other = room.replica();
    let slug = "envoys-meet-in-vienna";

    let version = create(app, &key, slug, "Envoys meet in Vienna").await;
    assert_eq!(version, 1);
    room.db.settle().await;
    assert_seen(app, slug, false, "a draft").await;
    // The editor previews it.
    let preview = call(
        app,
        Method::GET,
        &format!("/api/v1/press-releases/{slug}"),
        Some(&key),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(preview.status, 200);
    assert_eq!(preview.json()["status"], "draft");
    assert_eq!(preview.header("etag"), "\"1\"");

    // Scheduled for an hour from now: still nowhere.
    let at = start() + chrono::Duration::hours(1);
    let reply = call(
        app,
        Method::POST,
        &format!("/api/v1/press-releases/{slug}/schedule"),
        Some(&key),
        Some(version),
        json!({ "publish_at": at.to_rfc3339() }),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["status"], "scheduled");
    let version = reply.json()["version"].as_i64().unwrap();
    room.db.settle().await;
    assert_seen(app, slug, false, "scheduled, before its time").await;
    assert_seen(
        &other,
        slug,
        false,
        "scheduled, before its time (replica B)",
    )
    .await;

    // At its time, it is everywhere, on both replicas.
    room.clock.set(at);
    room.db.settle().await;
    assert_seen(&other, slug, true, "at its time (replica B)").await;
    assert_seen(app, slug, true, "at its time").await;
    let preview = call(
        app,
        Method::GET,
        &format!("/api/v1/press-releases/{slug}"),
        Some(&key),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(preview.json()["status"], "published");
    assert_eq!(preview.json()["published_at"], "2026-12-07T10:00:00Z");
    // The moment it became public reached the change log and the audit log.
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
    let actions: Vec<(String, String)> = audit.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("create", "press-office"),
            ("schedule", "press-office"),
            ("publish", "scheduler")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );

    // A correction after publication shows at once, on both replicas.
    let reply = call(
        app,
        Method::PATCH,
        &format!("/api/v1/press-releases/{slug}"),
        Some(&key),
        Some(version),
        json!({ "title": "Envoys meet in Vienna (corrected)" }),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let version = reply.json()["version"].as_i64().unwrap();
    room.db.settle().await;
    for replica in [app, &other] {
        let item = replica.get(&format!("/api/v1/press-releases/{slug}")).await;
        assert_eq!(item.json()["title"], "Envoys meet in Vienna (corrected)");
        assert_eq!(item.header("etag"), format!("\"{version}\""));
    }

    // Withdrawn: gone everywhere; published again: back.
    let version = act(app, &key, slug, "unpublish", version).await;
    room.db.settle().await;
    assert_seen(app, slug, false, "withdrawn").await;
    assert_seen(&other, slug, false, "withdrawn (replica B)").await;
    let version = act(app, &key, slug, "publish", version).await;
    room.db.settle().await;
    assert_seen(&other, slug, true, "published again (replica B)").await;

    // Deleted: gone, for good.
    let reply = call(
        app,
        Method::DELETE,
        &format!("/api/v1/press-releases/{slug}"),
        Some(&key),
        Some(version),
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    room.db.settle().await;
    assert_seen(app, slug, false, "deleted").await;
    assert_seen(&other, slug, false, "deleted (replica B)").await;
    let preview = call(
        app,
        Method::GET,
        &format!("/api/v1/press-releases/{slug}"),
        Some(&key),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(preview.status, 404);

    // Every save is a revision; the deletion too.
    let revisions = call(
        app,
        Method::GET,
        &format!("/api/v1/press-releases/{slug}/revisions"),
        Some(&key),
        None,
        Value::Null,
    )
    .await;
    let revisions = revisions.json();
    let actions: Vec<&str> = revisions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "delete",
            "publish",
            "unpublish",
            "update",
            "schedule",
            "create"
        ]
    );
    room.cleanup().await;
}

/// A scheduled release becomes public at its time through the read path
/// alone: no write, no task, just a read after the time.
async fn a_scheduled_release_needs_no_job(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("desk", "read:drafts,write,publish").await;
    let slug = "embargoed-statement";
    let version = create(&room.app, &key, slug, "Embargoed statement").await;
    let at = start() + chrono::Duration::minutes(30);
    let reply = call(
        &room.app,
        Method::POST,
        &format!("/api/v1/press-releases/{slug}/schedule"),
        Some(&key),
        Some(version),
        json!({ "publish_at": at.to_rfc3339() }),
    )
    .await;
    assert_eq!(reply.status, 200);
    // Scheduling in the past is refused and changes nothing.
    let version = reply.json()["version"].as_i64().unwrap();
    let past = call(
        &room.app,
        Method::POST,
        &format!("/api/v1/press-releases/{slug}/schedule"),
        Some(&key),
        Some(version),
        json!({ "publish_at": (start() - chrono::Duration::minutes(1)).to_rfc3339() }),
    )
    .await;
    assert_eq!(past.status, 422, "{}", past.text());
    assert_eq!(
        past.json()["error"]["details"]["fields"][0]["field"],
        "publish_at"
    );

    // A fresh replica, started after the time: its first read publishes it.
    room.clock.set(at + chrono::Duration::seconds(1));
    let fresh = room.replica();
    let item = fresh
        .get("/api/v1/press-releases.jsonl?date_from=2026-12-07")
        .await;
    assert!(item.text().contains(slug), "{}", item.text());
    room.cleanup().await;
}

crate::backend_tests!(
    a_release_lives_draft_scheduled_published_withdrawn_deleted,
    a_scheduled_release_needs_no_job
);
crate::production_tests!(a_release_lives_draft_scheduled_published_withdrawn_deleted);
