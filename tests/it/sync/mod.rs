//! Keeping copies in sync: the changes feed and signed webhooks.

mod feed;
mod mirror;
pub mod receiver;
mod retries;
pub mod webhooks;

use std::collections::BTreeMap;
use std::net::SocketAddr;

use osce_api::AppState;
use serde_json::Value;

use crate::support::TestApp;

pub async fn get_json(app: &TestApp, uri: &str) -> Value {
    let reply = app.get(uri).await;
    assert_eq!(reply.status, 200, "{uri}: {}", reply.text());
    reply.json()
}

/// Reads one page after `cursor` into `mirror`; the next cursor and
/// whether more wait.
pub async fn mirror_page(
    app: &TestApp,
    mirror: &mut BTreeMap<(String, String), Option<i64>>,
    cursor: Option<&str>,
    limit: u64,
    types: &str,
) -> (String, bool) {
    let mut uri = format!("/api/v1/changes?limit={limit}");
    if let Some(cursor) = cursor {
        uri.push_str(&format!("&after={cursor}"));
    }
    if !types.is_empty() {
        uri.push_str(&format!("&types={types}"));
    }
    let page = get_json(app, &uri).await;
    let mut last_seq = 0;
    for item in page["items"].as_array().unwrap() {
        let seq = item["seq"].as_i64().unwrap();
        assert!(seq > last_seq, "items in order");
        last_seq = seq;
        let id = (
            item["type"].as_str().unwrap().to_string(),
            item["key"].as_str().unwrap().to_string(),
        );
        match item["op"].as_str().unwrap() {
            "upsert" => {
                mirror.insert(id, item["version"].as_i64());
            }
            "delete" => {
                mirror.remove(&id);
            }
            other => panic!("op {other}"),
        }
    }
    (
        page["next"].as_str().unwrap().to_string(),
        page["has_more"].as_bool().unwrap(),
    )
}

/// The service on a real socket (for event streams); its address.
pub async fn serve(state: AppState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let service = osce_api::app(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, service).await;
    });
    address
}

/// One Server-Sent Event.
#[derive(Debug, Clone, Default)]
pub struct SseEvent {
    pub id: String,
    pub name: String,
    pub data: String,
}

/// A `text/event-stream` response read event by event.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl EventStream {
    pub async fn open(client: &reqwest::Client, url: &str, last_event_id: Option<&str>) -> Self {
        let mut request = client.get(url).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The next event with data (keep-alive comments skipped), within 20 s.
    pub async fn next_event(&mut self) -> SseEvent {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent::default();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        event.id = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event.name = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        event.data.push_str(v.trim_start());
                    }
                }
                if !event.data.is_empty() {
                    return event;
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .expect("an event within 20 s")
                .unwrap()
                .expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

/// (type, key) → version, as a mirror keeps it.
pub type Mirror = BTreeMap<(String, String), Option<i64>>;

/// Applies pages until the head; returns the cursor.
pub async fn catch_up(
    app: &crate::support::TestApp,
    mirror: &mut Mirror,
    cursor: Option<String>,
    limit: u64,
    types: &str,
) -> String {
    let mut cursor = cursor;
    loop {
        let (next, more) = mirror_page(app, mirror, cursor.as_deref(), limit, types).await;
        cursor = Some(next);
        if !more {
            return cursor.unwrap_or_default();
        }
    }
}
