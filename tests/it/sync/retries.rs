//! Webhook deliveries that fail: the retry schedule on a paused clock,
//! `Retry-After`, 410, timeouts and redirects, days of failures; replays.

use std::time::Duration;

use axum::http::Method;
use osce_api::service::webhooks::WebhookSettings;
use osce_api::service::webhooks::dispatch::{Dispatcher, RETRY_DELAYS};
use serde_json::{Value, json};

use super::receiver::Receiver;
use super::webhooks::{at, deliveries, dispatcher, loopback, open, publish, register};
use crate::editorial::{Newsroom, call};
use crate::support::Backend;

async fn retries_follow_the_schedule(backend: Backend) {
    let Some((room, admin, editor)) = open(backend).await else {
        return;
    };
    let (receiver, address) =
        Receiver::start(&[(500, None), (500, None), (500, None)], false).await;
    let (id, _) = register(&room, &admin, address, json!(["*"])).await;
    publish(&room, &editor, "retried").await;
    let dispatcher = dispatcher(&room);
    let mut attempted_at = Vec::new();
    for attempt in 0..4 {
        attempted_at.push(room.clock.now());
        assert_eq!(dispatcher.run_once().await.unwrap(), 1, "attempt {attempt}");
        // Nothing more is due until the scheduled time.
        assert_eq!(dispatcher.run_once().await.unwrap(), 0);
        let delivery = &deliveries(&room, &admin, id).await[0];
        if attempt < 3 {
            assert_eq!(delivery["status"], "pending");
            let next = at(&delivery["next_attempt_at"]);
            let wait = (next - room.clock.now()).to_std().unwrap();
            let scheduled = RETRY_DELAYS.get(attempt).copied().unwrap();
            assert!(
                wait >= scheduled && wait <= scheduled.mul_f64(1.1),
                "{wait:?}"
            );
            room.clock.set(next);
        } else {
            assert_eq!(delivery["status"], "delivered");
            assert_eq!(delivery["attempts"], 4);
        }
    }
    let got = receiver.got();
    assert_eq!(got.len(), 4);
    assert!(got.iter().all(|r| r.id == got[0].id), "one webhook-id");
    let stamps: Vec<i64> = got.iter().map(|r| r.timestamp).collect();
    let expected: Vec<i64> = attempted_at.iter().map(|t| t.timestamp()).collect();
    assert_eq!(stamps, expected);
    // The attempt log says what happened.
    let delivery_id = deliveries(&room, &admin, id).await[0]["id"]
        .as_i64()
        .unwrap();
    let reply = call(
        &room.app,
        Method::GET,
        &format!("/api/v1/webhooks/{id}/deliveries/{delivery_id}"),
        Some(&admin),
        None,
        Value::Null,
    )
    .await;
    let log = reply.json()["attempt_log"].as_array().unwrap().clone();
    let codes: Vec<i64> = log
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [500, 500, 500, 200]);
    assert_eq!(log[0]["response"], "thanks");
    // A replay sends it again, with the same id.
    let reply = call(
        &room.app,
        Method::POST,
        &format!("/api/v1/webhooks/{id}/deliveries/{delivery_id}/replay"),
        Some(&admin),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 202, "{}", reply.text());
    assert_eq!(dispatcher.run_once().await.unwrap(), 1);
    assert_eq!(receiver.got().last().unwrap().id, got[0].id);
    // And a range of change numbers goes out again the same way.
    let seq = deliveries(&room, &admin, id).await[0]["seq"]
        .as_i64()
        .unwrap();
    let reply = call(
        &room.app,
        Method::POST,
        &format!("/api/v1/webhooks/{id}/replay"),
        Some(&admin),
        None,
        json!({ "from_seq": seq, "to_seq": seq + 10 }),
    )
    .await;
    assert_eq!(reply.status, 202, "{}", reply.text());
    assert_eq!(reply.json()["queued"], 1);
    assert_eq!(dispatcher.run_once().await.unwrap(), 1);
    assert_eq!(receiver.got().len(), 6);
    room.cleanup().await;
}

async fn retry_after_and_gone(backend: Backend) {
    let Some((room, admin, editor)) = open(backend).await else {
        return;
    };
    let (_, address) = Receiver::start(&[(503, Some("3600")), (410, None)], false).await;
    let (id, _) = register(&room, &admin, address, json!(["press_release.published"])).await;
    publish(&room, &editor, "asked-to-wait").await;
    let dispatcher = dispatcher(&room);
    assert_eq!(dispatcher.run_once().await.unwrap(), 1);
    let delivery = &deliveries(&room, &admin, id).await[0];
    let wait = at(&delivery["next_attempt_at"]) - room.clock.now();
    assert!(wait >= chrono::Duration::seconds(3600), "{wait}");
    room.clock.set(at(&delivery["next_attempt_at"]));
    assert_eq!(dispatcher.run_once().await.unwrap(), 1);
    let reply = call(
        &room.app,
        Method::GET,
        &format!("/api/v1/webhooks/{id}"),
        Some(&admin),
        None,
        Value::Null,
    )
    .await;
    let endpoint = reply.json();
    assert_eq!(endpoint["active"], false);
    assert!(
        endpoint["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("410")
    );
    assert!(endpoint["secret"].is_null());
    // Nothing goes to a disabled endpoint.
    publish(&room, &editor, "after-gone").await;
    assert_eq!(dispatcher.run_once().await.unwrap(), 0);
    // Re-enabled, it gets what waited.
    let reply = call(
        &room.app,
        Method::PATCH,
        &format!("/api/v1/webhooks/{id}"),
        Some(&admin),
        None,
        json!({ "active": true }),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(dispatcher.run_once().await.unwrap(), 1);
    room.cleanup().await;
}

async fn timeouts_and_redirects_are_failures(backend: Backend) {
    let Some((room, admin, editor)) = open(backend).await else {
        return;
    };
    let (receiver, address) = Receiver::start(&[(302, None)], true).await;
    let (id, _) = register(&room, &admin, address, json!(["*"])).await;
    publish(&room, &editor, "slow-then-moved").await;
    let impatient = WebhookSettings {
        timeout: Duration::from_secs(1),
        ..loopback()
    };
    let dispatcher = Dispatcher::new(room.db.conn.clone(), room.clock.clone(), impatient).unwrap();
    for expected in ["timed out", "302"] {
        assert_eq!(dispatcher.run_once().await.unwrap(), 1);
        let delivery = &deliveries(&room, &admin, id).await[0];
        assert_eq!(delivery["status"], "pending", "{expected}");
        room.clock.set(at(&delivery["next_attempt_at"]));
    }
    assert_eq!(dispatcher.run_once().await.unwrap(), 1);
    let delivery_id = deliveries(&room, &admin, id).await[0]["id"]
        .as_i64()
        .unwrap();
    let reply = call(
        &room.app,
        Method::GET,
        &format!("/api/v1/webhooks/{id}/deliveries/{delivery_id}"),
        Some(&admin),
        None,
        Value::Null,
    )
    .await;
    let body = reply.json();
    assert_eq!(body["status"], "delivered");
    let log = body["attempt_log"].as_array().unwrap();
    assert_eq!(log[0]["error"], "timed out");
    assert!(log[0]["status_code"].is_null());
    assert_eq!(log[1]["status_code"], 302);
    assert_eq!(log[2]["status_code"], 200);
    assert_eq!(receiver.got().len(), 3);
    room.cleanup().await;
}

async fn days_of_failures_disable(backend: Backend) {
    let Some((room, admin, editor)) = open(backend).await else {
        return;
    };
    let (_, address) = Receiver::start(&[(500, None); 10], false).await;
    let (id, _) = register(&room, &admin, address, json!(["*"])).await;
    publish(&room, &editor, "failing-1").await;
    let dispatcher = dispatcher(&room);
    assert_eq!(dispatcher.run_once().await.unwrap(), 1);
    let endpoint = |room: &Newsroom| {
        let (app, admin) = (room.app.clone(), admin.clone());
        async move {
            call(
                &app,
                Method::GET,
                &format!("/api/v1/webhooks/{id}"),
                Some(&admin),
                None,
                Value::Null,
            )
            .await
            .json()
        }
    };
    assert_eq!(endpoint(&room).await["active"], true);
    assert!(endpoint(&room).await["failing_since"].is_string());
    room.clock
        .set(room.clock.now() + chrono::Duration::days(5) + chrono::Duration::minutes(1));
    publish(&room, &editor, "failing-2").await;
    assert_eq!(dispatcher.run_once().await.unwrap(), 2);
    let disabled = endpoint(&room).await;
    assert_eq!(disabled["active"], false);
    assert!(
        disabled["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("5 days"),
        "{disabled}"
    );
    room.cleanup().await;
}

crate::backend_tests!(
    retries_follow_the_schedule,
    retry_after_and_gone,
    timeouts_and_redirects_are_failures,
    days_of_failures_disable,
);
