//! Tests in a real browser: headless Chromium, driven by chromedriver over
//! the W3C WebDriver protocol, against the service on a random loopback
//! port. Each test saves a screenshot under `<target>/test-output/`.
//!
//! Skipped with a note where Chromium or chromedriver is not installed,
//! unless `TEST_REQUIRE_TOOLS=1` (CI), where that is a failure.

mod graphiql;
mod partner_site;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use osce_api::{AppState, app};
use serde_json::{Value, json};

pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// Chromium and chromedriver, or `None` (the test is skipped, said so)
/// where they are not installed and not required.
pub fn tools(test: &str) -> Option<(PathBuf, PathBuf)> {
    let required = std::env::var("TEST_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    let chromedriver = find_program(&["chromedriver"]);
    match (chromium, chromedriver) {
        (Some(chromium), Some(chromedriver)) => Some((chromium, chromedriver)),
        _ => {
            assert!(
                !required,
                "chromium and chromedriver are required here (apt-get install chromium chromium-driver)"
            );
            eprintln!(
                "note: chromium or chromedriver is not installed: the {test} browser test is SKIPPED \
                 (apt-get install chromium chromium-driver to run it)"
            );
            None
        }
    }
}

/// The whole service over `state` on a random loopback port: its origin.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> String {
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app(state)).await.ok() });
    origin
}

/// Ends chromedriver (which ends its browser) however the test ends.
pub struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
    session: Option<String>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    pub async fn start(chromedriver: &Path) -> Driver {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: crate::support::http_client(),
            session: None,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .await
                .ok();
            if let Some(response) = ready
                && let Ok(status) = response.json::<Value>().await
                && status["value"]["ready"] == true
            {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// One WebDriver command; fails the test on a WebDriver error.
    pub async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = match &self.session {
            Some(id) => format!("{}/session/{id}{path}", self.base),
            None => format!("{}{path}", self.base),
        };
        let mut request = self.http.request(method, &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response: Value = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"))
            .json()
            .await
            .unwrap();
        if response["value"]["error"].is_string() {
            panic!("WebDriver {path}: {}", response["value"]);
        }
        response["value"].clone()
    }

    pub async fn new_session(&mut self, chromium: &Path, profile: &Path) {
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-background-networking",
                    "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let value = self
            .command(reqwest::Method::POST, "/session", Some(capabilities))
            .await;
        self.session = Some(value["sessionId"].as_str().unwrap().to_string());
    }

    pub async fn script(&self, script: &str) -> Value {
        self.command(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
        .await
    }

    /// Opens `url` in the session's window.
    pub async fn open(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    /// Saves a screenshot of the window as `<target>/test-output/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self
            .command(reqwest::Method::GET, "/screenshot", None)
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        // `CARGO_TARGET_TMPDIR` is `<target>/tmp`: the output folder sits beside it.
        let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .unwrap()
            .join("test-output");
        std::fs::create_dir_all(&out).unwrap();
        let path = out.join(format!("{name}.png"));
        std::fs::write(&path, &png).unwrap();
        path
    }

    /// Ends the session (and its browser).
    pub async fn quit(self) {
        self.command(reqwest::Method::DELETE, "", None).await;
    }
}
