//! Webhooks against a local receiver: signatures an independent
//! implementation accepts, the retry schedule on a paused clock,
//! `Retry-After`, 410, a dispatcher killed mid-delivery, two dispatchers
//! sharing the work, addresses that are refused.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use axum::http::{HeaderMap, Method};
use chrono::{DateTime, Utc};
use osce_api::service::webhooks::WebhookSettings;
use osce_api::service::webhooks::dispatch::Dispatcher;
use serde_json::{Value, json};

use super::receiver::{Received, Receiver};
use crate::editorial::{Newsroom, act, call, create, graphql_as};
use crate::support::Backend;

pub(super) fn loopback() -> WebhookSettings {
    WebhookSettings {
        allow_loopback: true,
        timeout: Duration::from_secs(15),
        ..WebhookSettings::default()
    }
}

pub(crate) async fn open(backend: Backend) -> Option<(Newsroom, String, String)> {
    let mut room = Newsroom::open(backend).await?;
    room.app.state = room.app.state.clone().with_webhooks(loopback());
    let admin = room.key("admin", "admin").await;
    let editor = room.key("editor", "read:drafts,write,publish,delete").await;
    Some((room, admin, editor))
}

/// Registers the receiver for `types`; (id, secret).
pub(crate) async fn register(
    room: &Newsroom,
    admin: &str,
    address: SocketAddr,
    types: Value,
) -> (i64, String) {
    let reply = call(
        &room.app,
        Method::POST,
        "/api/v1/webhooks",
        Some(admin),
        None,
        json!({ "url": format!("http://{address}/hook"), "event_types": types }),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let body = reply.json();
    (
        body["id"].as_i64().unwrap(),
        body["secret"].as_str().unwrap().to_string(),
    )
}

pub(super) fn dispatcher(room: &Newsroom) -> Dispatcher {
    Dispatcher::new(room.db.conn.clone(), room.clock.clone(), loopback()).unwrap()
}

/// Creates and publishes `slug`.
pub(super) async fn publish(room: &Newsroom, editor: &str, slug: &str) -> i64 {
    let v = create(&room.app, editor, slug, "Hooked").await;
    act(&room.app, editor, slug, "publish", v).await
}

pub(crate) async fn deliveries(room: &Newsroom, admin: &str, id: i64) -> Vec<Value> {
    let reply = call(
        &room.app,
        Method::GET,
        &format!("/api/v1/webhooks/{id}/deliveries"),
        Some(admin),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["items"].as_array().unwrap().clone()
}

pub(super) fn at(text: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

async fn signatures_verify_independently(backend: Backend) {
    let Some((room, admin, editor)) = open(backend).await else {
        return;
    };
    let (receiver, address) = Receiver::start(&[], false).await;
    let (_, secret) = register(&room, &admin, address, json!(["press_release.*"])).await;
    // A refused write (a bad field) sends nothing.
    let reply = call(
        &room.app,
        Method::POST,
        "/api/v1/press-releases",
        Some(&editor),
        None,
        json!({ "title": "" }),
    )
    .await;
    assert_eq!(reply.status, 422);
    // A draft sends nothing; publishing, an edit and withdrawal do.
    let v = create(&room.app, &editor, "signed", "Signed").await;
    assert_eq!(room.count("webhook_delivery").await, 0);
    let v = act(&room.app, &editor, "signed", "publish", v).await;
    let reply = call(
        &room.app,
        Method::PATCH,
        "/api/v1/press-releases/signed",
        Some(&editor),
        Some(v),
        json!({ "title": "Signed, corrected" }),
    )
    .await;
    assert_eq!(reply.status, 200);
    act(
        &room.app,
        &editor,
        "signed",
        "unpublish",
        reply.json()["version"].as_i64().unwrap(),
    )
    .await;
    while dispatcher(&room).run_once().await.unwrap() > 0 {}
    // Deliveries go out together: order them by change number.
    let mut got = receiver.got();
    got.sort_by_key(|r| serde_json::from_str::<Value>(&r.body).unwrap()["data"]["seq"].as_i64());
    let types: Vec<String> = got
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        types,
        [
            "press_release.published",
            "press_release.updated",
            "press_release.unpublished"
        ]
    );
    let independent = standardwebhooks::Webhook::new(&secret).unwrap();
    for received in &got {
        let expected = independent
            .sign(&received.id, received.timestamp, received.body.as_bytes())
            .unwrap();
        assert!(
            received.signature.split(' ').any(|s| s == expected),
            "{received:?}"
        );
        let body: Value = serde_json::from_str(&received.body).unwrap();
        assert_eq!(body["data"]["key"], "signed");
        assert!(body["data"]["seq"].as_i64().is_some());
    }
    // With the real clock, the crate's own verification accepts it too.
    let now = Utc::now().timestamp();
    let body = r#"{"type":"press_release.updated"}"#;
    let header =
        osce_api::service::webhooks::signing::signature_header(&[&secret], "msg_1", now, body);
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", "msg_1".parse().unwrap());
    headers.insert("webhook-timestamp", now.to_string().parse().unwrap());
    headers.insert("webhook-signature", header.parse().unwrap());
    independent.verify(body.as_bytes(), &headers).unwrap();
    room.cleanup().await;
}

async fn a_killed_dispatcher_redelivers(backend: Backend) {
    let Some((room, admin, editor)) = open(backend).await else {
        return;
    };
    let (receiver, address) = Receiver::start(&[], true).await;
    register(&room, &admin, address, json!(["*"])).await;
    publish(&room, &editor, "interrupted").await;
    let first = dispatcher(&room);
    let running = tokio::spawn(async move { first.run_once().await });
    while receiver.got().is_empty() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    running.abort();
    let _ = running.await;
    // Its claim holds for a while: nobody sends it twice at once.
    let second = dispatcher(&room);
    assert_eq!(second.run_once().await.unwrap(), 0);
    room.clock
        .set(room.clock.now() + chrono::Duration::seconds(61));
    assert_eq!(second.run_once().await.unwrap(), 1);
    let got = receiver.got();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].id, got[1].id);
    room.cleanup().await;
}

async fn two_dispatchers_never_both_deliver(backend: Backend) {
    let Some((room, admin, editor)) = open(backend).await else {
        return;
    };
    let (receiver, address) = Receiver::start(&[], false).await;
    register(&room, &admin, address, json!(["*"])).await;
    for i in 0..40 {
        publish(&room, &editor, &format!("shared-{i}")).await;
    }
    let (a, b) = (dispatcher(&room), dispatcher(&room));
    let run = |d: Dispatcher| async move {
        let mut sent = 0;
        loop {
            let n = d.run_once().await.unwrap();
            if n == 0 {
                return sent;
            }
            sent += n;
        }
    };
    let (sent_a, sent_b) = tokio::join!(run(a), run(b));
    assert_eq!(sent_a + sent_b, 40);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for received in receiver.got() {
        *seen.entry(received.id).or_default() += 1;
    }
    assert_eq!(seen.len(), 40);
    assert!(seen.values().all(|n| *n == 1), "{seen:?}");
    room.cleanup().await;
}

async fn inside_addresses_are_refused(backend: Backend) {
    let Some((room, admin, editor)) = open(backend).await else {
        return;
    };
    for url in [
        "http://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "ftp://example.org/",
        "https://user:pw@127.0.0.1/",
    ] {
        let reply = call(
            &room.app,
            Method::POST,
            "/api/v1/webhooks",
            Some(&admin),
            None,
            json!({ "url": url }),
        )
        .await;
        assert_eq!(reply.status, 422, "{url}: {}", reply.text());
        assert_eq!(
            reply.json()["error"]["details"]["fields"][0]["field"],
            "url"
        );
    }
    // Without the loopback setting, even the test receiver is refused.
    let strict = crate::support::TestApp::new(
        room.app
            .state
            .clone()
            .with_webhooks(WebhookSettings::default()),
    );
    let reply = call(
        &strict,
        Method::POST,
        "/api/v1/webhooks",
        Some(&admin),
        None,
        json!({ "url": "https://127.0.0.1:9/hook" }),
    )
    .await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    // Unknown event types and fields are named.
    let reply = call(
        &room.app,
        Method::POST,
        "/api/v1/webhooks",
        Some(&admin),
        None,
        json!({ "url": "http://127.0.0.1:9/hook", "event_types": ["press_release.exploded"], "colour": 1 }),
    )
    .await;
    assert_eq!(reply.status, 422);
    // Only admins manage webhooks.
    let reply = call(
        &room.app,
        Method::GET,
        "/api/v1/webhooks",
        Some(&editor),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 403);
    let reply = room.app.get("/api/v1/webhooks").await;
    assert_eq!(reply.status, 401);
    room.cleanup().await;
}

async fn rotation_signs_with_both_secrets(backend: Backend) {
    let Some((room, admin, editor)) = open(backend).await else {
        return;
    };
    let (receiver, address) = Receiver::start(&[], false).await;
    let (id, old) = register(&room, &admin, address, json!(["*"])).await;
    let reply = call(
        &room.app,
        Method::POST,
        &format!("/api/v1/webhooks/{id}/rotate-secret"),
        Some(&admin),
        None,
        json!({ "grace_hours": 2 }),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let new = reply.json()["secret"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    publish(&room, &editor, "rotated").await;
    dispatcher(&room).run_once().await.unwrap();
    room.clock
        .set(room.clock.now() + chrono::Duration::hours(3));
    publish(&room, &editor, "rotated-later").await;
    dispatcher(&room).run_once().await.unwrap();
    let got = receiver.got();
    assert_eq!(got.len(), 2);
    let signs = |secret: &str, r: &Received| {
        let expected = standardwebhooks::Webhook::new(secret)
            .unwrap()
            .sign(&r.id, r.timestamp, r.body.as_bytes())
            .unwrap();
        r.signature.split(' ').any(|s| s == expected)
    };
    assert!(signs(&new, &got[0]) && signs(&old, &got[0]));
    assert!(signs(&new, &got[1]) && !signs(&old, &got[1]));
    room.cleanup().await;
}

async fn graphql_manages_webhooks(backend: Backend) {
    let Some((room, admin, editor)) = open(backend).await else {
        return;
    };
    let create = "mutation($input: WebhookInput!) { createWebhook(input: $input) { secret webhook { id url eventTypes active } } }";
    let made = graphql_as(
        &room.app,
        Some(&admin),
        create,
        json!({ "input": { "url": "http://127.0.0.1:9/hook", "eventTypes": ["meeting.*"] } }),
    )
    .await;
    let created = &made["data"]["createWebhook"];
    assert!(
        created["secret"].as_str().unwrap().starts_with("whsec_"),
        "{made}"
    );
    assert_eq!(created["webhook"]["eventTypes"], json!(["meeting.*"]));
    let id = created["webhook"]["id"].as_str().unwrap().to_string();
    // Bad input names the field; other keys are refused with a code.
    let bad = graphql_as(
        &room.app,
        Some(&admin),
        create,
        json!({ "input": { "url": "https://192.168.0.1/" } }),
    )
    .await;
    assert_eq!(bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(bad["errors"][0]["extensions"]["fields"][0]["field"], "url");
    let list = "{ webhooks { id url active } }";
    let refused = graphql_as(&room.app, Some(&editor), list, json!({})).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let listed = graphql_as(&room.app, Some(&admin), list, json!({})).await;
    assert_eq!(listed["data"]["webhooks"][0]["id"], id.as_str());
    let update = "mutation($id: ID!) { updateWebhook(id: $id, input: { active: false }) { active disabledReason } }";
    let updated = graphql_as(&room.app, Some(&admin), update, json!({ "id": id })).await;
    assert_eq!(
        updated["data"]["updateWebhook"]["active"], false,
        "{updated}"
    );
    let rotate = "mutation($id: ID!) { rotateWebhookSecret(id: $id, graceHours: 1) { secret webhook { previousSecretExpiresAt } } }";
    let rotated = graphql_as(&room.app, Some(&admin), rotate, json!({ "id": id })).await;
    assert_ne!(
        rotated["data"]["rotateWebhookSecret"]["secret"],
        created["secret"]
    );
    let delete = "mutation($id: ID!) { deleteWebhook(id: $id) }";
    let deleted = graphql_as(&room.app, Some(&admin), delete, json!({ "id": id })).await;
    assert_eq!(deleted["data"]["deleteWebhook"], id.as_str());
    let again = graphql_as(&room.app, Some(&admin), delete, json!({ "id": id })).await;
    assert_eq!(again["errors"][0]["extensions"]["code"], "NOT_FOUND");
    room.cleanup().await;
}

crate::backend_tests!(
    graphql_manages_webhooks,
    signatures_verify_independently,
    a_killed_dispatcher_redelivers,
    two_dispatchers_never_both_deliver,
    inside_addresses_are_refused,
    rotation_signs_with_both_secrets,
);
