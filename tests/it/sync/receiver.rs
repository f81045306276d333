//! A local webhook receiver for the tests: records what it gets and
//! answers from a script.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;

/// What a receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub id: String,
    pub timestamp: i64,
    pub signature: String,
    pub body: String,
}

/// What the receiver answers next: a status and maybe a `Retry-After`.
pub type Answer = (u16, Option<&'static str>);

/// A local receiver answering from a script (then 200), optionally
/// hanging on the first request.
#[derive(Clone, Default)]
pub struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<Answer>>>,
    hang_first: Arc<Mutex<bool>>,
}

impl Receiver {
    pub async fn start(
        script: &[(u16, Option<&'static str>)],
        hang_first: bool,
    ) -> (Receiver, SocketAddr) {
        let receiver = Receiver {
            script: Arc::new(Mutex::new(script.iter().copied().collect())),
            hang_first: Arc::new(Mutex::new(hang_first)),
            ..Receiver::default()
        };
        let shared = receiver.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let shared = shared.clone();
                async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string()
                    };
                    shared.got.lock().unwrap().push(Received {
                        id: header("webhook-id"),
                        timestamp: header("webhook-timestamp").parse().unwrap_or(0),
                        signature: header("webhook-signature"),
                        body,
                    });
                    let hang = std::mem::take(&mut *shared.hang_first.lock().unwrap());
                    if hang {
                        tokio::time::sleep(Duration::from_secs(600)).await;
                    }
                    let next = shared.script.lock().unwrap().pop_front();
                    let (status, retry_after) = next.unwrap_or((200, None));
                    let mut response =
                        (StatusCode::from_u16(status).unwrap(), "thanks").into_response();
                    if let Some(value) = retry_after {
                        response
                            .headers_mut()
                            .insert("retry-after", value.parse().unwrap());
                    }
                    response
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (receiver, address)
    }

    pub fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}
