//! The changes feed's rules: type filters keep tombstones, an expired
//! cursor is 410, event streams resume, long-polls wake, scheduled releases
//! enter at their time, records older than the log are listed.

use axum::http::Method;
use serde_json::{Value, json};

use super::{Mirror, catch_up, get_json};
use crate::editorial::{Newsroom, act, call, create, start};
use crate::support::Backend;

async fn type_filters_keep_tombstones(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("editor", "read:drafts,write,publish,delete").await;
    let v = create(&room.app, &key, "to-withdraw", "To withdraw").await;
    let v_withdrawn = act(&room.app, &key, "to-withdraw", "publish", v).await;
    let v = create(&room.app, &key, "to-delete", "To delete").await;
    let v_deleted = act(&room.app, &key, "to-delete", "publish", v).await;
    let mut start_mirror = Mirror::new();
    let releases_at = catch_up(&room.app, &mut start_mirror, None, 1000, "press_release").await;
    let fields_at = catch_up(&room.app, &mut Mirror::new(), None, 1000, "field_of_work").await;
    assert!(start_mirror.contains_key(&("press_release".into(), "to-delete".into())));
    assert!(start_mirror.keys().all(|(kind, _)| kind == "press_release"));

    act(&room.app, &key, "to-withdraw", "unpublish", v_withdrawn).await;
    let reply = call(
        &room.app,
        Method::DELETE,
        "/api/v1/press-releases/to-delete",
        Some(&key),
        Some(v_deleted),
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 204);
    let reply = call(
        &room.app,
        Method::POST,
        "/api/v1/fields-of-work",
        Some(&key),
        None,
        json!({ "slug": "short-lived", "name": "Short-lived" }),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let reply = call(
        &room.app,
        Method::DELETE,
        "/api/v1/fields-of-work/short-lived",
        Some(&key),
        Some(reply.json()["version"].as_i64().unwrap()),
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 204, "{}", reply.text());

    let page = get_json(
        &room.app,
        &format!("/api/v1/changes?after={releases_at}&types=press_release"),
    )
    .await;
    let items: Vec<(String, String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap().to_string(),
                i["op"].as_str().unwrap().to_string(),
                i["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        items,
        vec![
            ("to-withdraw".into(), "delete".into(), "unpublished".into()),
            ("to-delete".into(), "delete".into(), "deleted".into()),
        ]
    );
    // The field of work came and went: its tombstone is there for a mirror
    // that saw it, under its own type only.
    let page = get_json(
        &room.app,
        &format!("/api/v1/changes?after={fields_at}&types=field_of_work"),
    )
    .await;
    let ops: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["op"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["delete"]);
    // Bad parameters are 400s that say what is wrong.
    for uri in [
        "/api/v1/changes?types=nope",
        "/api/v1/changes?after=garbage",
        "/api/v1/changes?limit=5000",
        "/api/v1/changes?since=1",
    ] {
        let reply = room.app.get(uri).await;
        assert_eq!(reply.status, 400, "{uri}: {}", reply.text());
    }
    room.cleanup().await;
}

async fn an_expired_cursor_is_gone(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("editor", "read:drafts,write,publish,delete").await;
    let v = create(&room.app, &key, "old-news", "Old news").await;
    let v = act(&room.app, &key, "old-news", "publish", v).await;
    let old_cursor = catch_up(&room.app, &mut Mirror::new(), None, 1000, "").await;
    let reply = call(
        &room.app,
        Method::DELETE,
        "/api/v1/press-releases/old-news",
        Some(&key),
        Some(v),
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 204);
    // Within the retention the tombstone is served.
    let page = get_json(&room.app, &format!("/api/v1/changes?after={old_cursor}")).await;
    assert_eq!(page["items"][0]["op"], "delete");
    let later = start() + chrono::Duration::days(401);
    let purged = osce_api::service::changes::purge_tombstones(
        &room.db.conn,
        std::time::Duration::from_secs(400 * 86_400),
        later,
    )
    .await
    .unwrap();
    assert_eq!(purged, 1);
    let reply = room
        .app
        .get(&format!("/api/v1/changes?after={old_cursor}"))
        .await;
    assert_eq!(reply.status, 410, "{}", reply.text());
    assert_eq!(reply.json()["error"]["code"], "cursor_expired");
    // Starting again works, and knows nothing of the purged release.
    let mut fresh = Mirror::new();
    catch_up(&room.app, &mut fresh, None, 1000, "").await;
    assert!(!fresh.contains_key(&("press_release".into(), "old-news".into())));
    assert!(!fresh.is_empty());
    room.cleanup().await;
}

async fn event_streams_resume(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("editor", "read:drafts,write,publish,delete").await;
    let server = super::serve(room.app.state.clone()).await;
    let client = crate::support::http_client();
    let url = format!("http://{server}/api/v1/changes?types=press_release");
    let mut stream = super::EventStream::open(&client, &url, None).await;
    // The snapshot's releases, one event each, ids in order.
    let first = stream.next_event().await;
    assert_eq!(first.name, "change");
    let resume_at = first.id.clone();
    drop(stream);
    let v = create(&room.app, &key, "while-away", "While away").await;
    act(&room.app, &key, "while-away", "publish", v).await;
    // Resumed from the first event: the rest of the snapshot, then the new one.
    let mut stream = super::EventStream::open(&client, &url, Some(&resume_at)).await;
    let mut seen = Vec::new();
    loop {
        let event = stream.next_event().await;
        let data: Value = serde_json::from_str(&event.data).unwrap();
        assert_ne!(event.id, resume_at);
        seen.push(data["key"].as_str().unwrap().to_string());
        if data["key"] == "while-away" {
            break;
        }
    }
    assert!(!seen.contains(&first_key(&first)));
    // A change made while the stream is open arrives on it.
    let v = create(&room.app, &key, "while-watching", "While watching").await;
    act(&room.app, &key, "while-watching", "publish", v).await;
    let event = stream.next_event().await;
    let data: Value = serde_json::from_str(&event.data).unwrap();
    assert_eq!(data["key"], "while-watching");
    assert_eq!(data["op"], "upsert");
    // A bad Last-Event-ID is a 400, not a broken stream.
    let reply = client
        .get(&url)
        .header("accept", "text/event-stream")
        .header("last-event-id", "nonsense")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);
    room.cleanup().await;
}

fn first_key(event: &super::SseEvent) -> String {
    let data: Value = serde_json::from_str(&event.data).unwrap();
    data["key"].as_str().unwrap().to_string()
}

async fn long_polls_wake_on_a_change(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("editor", "read:drafts,write,publish,delete").await;
    let head = catch_up(&room.app, &mut Mirror::new(), None, 1000, "").await;
    let app = room.app.clone();
    let waiting = tokio::spawn(async move {
        let started = std::time::Instant::now();
        let page = get_json(&app, &format!("/api/v1/changes?after={head}&wait=20")).await;
        (page, started.elapsed())
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let v = create(&room.app, &key, "awaited", "Awaited").await;
    act(&room.app, &key, "awaited", "publish", v).await;
    let (page, took) = waiting.await.unwrap();
    assert_eq!(page["items"][0]["key"], "awaited");
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
    room.cleanup().await;
}

async fn a_scheduled_release_enters_at_its_time(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("editor", "read:drafts,write,publish,delete").await;
    let head = catch_up(&room.app, &mut Mirror::new(), None, 1000, "").await;
    let v = create(&room.app, &key, "embargoed", "Embargoed").await;
    let at = start() + chrono::Duration::hours(1);
    let reply = call(
        &room.app,
        Method::POST,
        "/api/v1/press-releases/embargoed/schedule",
        Some(&key),
        Some(v),
        json!({ "publish_at": at.to_rfc3339() }),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let page = get_json(&room.app, &format!("/api/v1/changes?after={head}")).await;
    assert_eq!(page["items"], json!([]), "not before its time");
    room.clock.set(at);
    let page = get_json(&room.app, &format!("/api/v1/changes?after={head}")).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    assert_eq!(items[0]["key"], "embargoed");
    assert_eq!(items[0]["op"], "upsert");
    // GraphQL serves the same feed as a connection.
    let data = room
        .app
        .graphql_data(
            "query($after: String) { changes(after: $after, types: [\"press_release\"]) { edges { node { key op type version } } pageInfo { hasNextPage } nextCursor } }",
            json!({ "after": head }),
        )
        .await;
    assert_eq!(data["changes"]["edges"][0]["node"]["key"], "embargoed");
    assert_eq!(data["changes"]["edges"][0]["node"]["op"], "UPSERT");
    assert_eq!(data["changes"]["pageInfo"]["hasNextPage"], false);
    room.cleanup().await;
}

/// A database made before the feed: records stored before the change log
/// (and never changed since) are listed once, at start-up.
async fn records_older_than_the_log_are_listed(backend: Backend) {
    use sea_orm::ConnectionTrait;
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    for sql in [
        "DELETE FROM change_feed WHERE kind IN ('country', 'role')",
        "DELETE FROM app_state WHERE key = 'change_feed_complete'",
    ] {
        room.db.conn.execute_unprepared(sql).await.unwrap();
    }
    let listed = osce_api::service::changes::complete_feed(&room.db.conn, start())
        .await
        .unwrap();
    assert!(listed > 0);
    let mut mirror = Mirror::new();
    catch_up(&room.app, &mut mirror, None, 1000, "country,role").await;
    let mut countries = 0;
    let mut next = Some("/api/v1/countries?limit=100".to_string());
    while let Some(uri) = next {
        let page = get_json(&room.app, &uri).await;
        countries += page["items"].as_array().unwrap().len();
        next = page["next"].as_str().map(String::from);
    }
    let mirrored = |kind: &str| mirror.keys().filter(|(k, _)| k == kind).count();
    assert_eq!(mirrored("country"), countries);
    assert!(mirrored("role") > 0);
    assert_eq!(listed as usize, countries + mirrored("role"));
    // Once is enough.
    let again = osce_api::service::changes::complete_feed(&room.db.conn, start())
        .await
        .unwrap();
    assert_eq!(again, 0);
    room.cleanup().await;
}

crate::backend_tests!(
    records_older_than_the_log_are_listed,
    a_scheduled_release_enters_at_its_time,
    type_filters_keep_tombstones,
    an_expired_cursor_is_gone,
    event_streams_resume,
    long_polls_wake_on_a_change,
);
