//! The partner-site example in a real browser: the service runs on a random
//! loopback port over a temporary SQLite database, `examples/partner-site/`
//! is served on another (so the custom element's GraphQL reads are
//! cross-origin, as on a partner's site), and headless Chromium, driven by
//! chromedriver over the W3C WebDriver protocol, must show the expected
//! titles in both the iframe and the custom element. A screenshot is saved
//! under `<target>/test-output/`.
//!
//! Skipped with a note where Chromium or chromedriver is not installed,
//! unless `TEST_REQUIRE_TOOLS=1` (CI), where that is a failure.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::{Router, response::Html, routing::get};
use base64::Engine;
use osce_api::feeds::{FeedOptions, PublicUrl};
use osce_api::{AppState, app};
use serde_json::{Value, json};

use crate::support::{Backend, TestDb, generated_corpus, import_text};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// Ends chromedriver (which ends its browser) however the test ends.
struct Driver {
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
    async fn start(chromedriver: &Path) -> Driver {
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
            http: reqwest::Client::new(),
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
    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
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

    async fn new_session(&mut self, chromium: &Path, profile: &Path) {
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

    async fn script(&self, script: &str) -> Value {
        self.command(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
        .await
    }
}

/// Serves the partner-site example folder (index.html) on loopback.
async fn serve_example() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/partner-site");
    let page = std::fs::read_to_string(format!("{dir}/index.html")).unwrap();
    let router = Router::new().route("/", get(move || async move { Html(page) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.ok() });
    format!("http://{address}")
}

/// Titles of a feed, as the embeds should show them.
async fn expected_titles(api: &str, query: &str) -> Vec<String> {
    let feed: Value = reqwest::get(format!("{api}/feeds/press-releases.json?{query}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_string())
        .collect()
}

const ELEMENT_TITLES: &str = "const el = document.querySelector('osce-press-releases');\
    if (!el || !el.shadowRoot || el.getAttribute('data-state') !== 'loaded') return null;\
    return Array.from(el.shadowRoot.querySelectorAll('a.title')).map(a => a.textContent);";

const FRAME_TITLES: &str = "if (document.readyState !== 'complete') return null;\
    return Array.from(document.querySelectorAll('a.title')).map(a => a.textContent);";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partner_site_shows_both_embeds() {
    let required = std::env::var("TEST_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    let chromedriver = find_program(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        assert!(
            !required,
            "chromium and chromedriver are required here (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "note: chromium or chromedriver is not installed: the partner-site browser test is SKIPPED \
             (apt-get install chromium chromium-driver to run it)"
        );
        return;
    };

    let db = TestDb::prepared(Backend::Sqlite).await.unwrap();
    import_text(&db.conn, generated_corpus(300, 11)).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(db.conn.clone()).with_feeds(FeedOptions {
        public_url: PublicUrl::parse(&api).unwrap(),
        ..FeedOptions::default()
    });
    tokio::spawn(async move { axum::serve(listener, app(state)).await.ok() });
    let site = serve_example().await;

    let frame_expected = expected_titles(&api, "country=AM&limit=5").await;
    let element_expected = expected_titles(&api, "field_of_work=human-rights&limit=5").await;
    assert_eq!(
        frame_expected.len(),
        5,
        "the corpus has releases about Armenia"
    );
    assert_eq!(
        element_expected.len(),
        5,
        "the corpus has releases on human rights"
    );

    let profile = tempfile::tempdir().unwrap();
    let mut driver = Driver::start(&chromedriver).await;
    driver.new_session(&chromium, profile.path()).await;
    driver
        .command(
            reqwest::Method::POST,
            "/url",
            Some(json!({ "url": format!("{site}/?api={api}") })),
        )
        .await;

    // The custom element renders from GraphQL, asynchronously: wait for it.
    let deadline = Instant::now() + Duration::from_secs(30);
    let element_titles = loop {
        let titles = driver.script(ELEMENT_TITLES).await;
        if !titles.is_null() {
            break titles;
        }
        let state = driver
            .script("const el = document.querySelector('osce-press-releases'); return el && el.getAttribute('data-state');")
            .await;
        assert!(
            state != "error",
            "the custom element failed: {}",
            driver
                .script(
                    "return document.querySelector('osce-press-releases').shadowRoot.textContent"
                )
                .await
        );
        assert!(
            Instant::now() < deadline,
            "the custom element did not render"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        element_titles,
        json!(element_expected),
        "custom element titles"
    );

    // The iframe is another document (another origin): enter it to read it.
    let frame = driver
        .command(
            reqwest::Method::POST,
            "/element",
            Some(json!({ "using": "css selector", "value": "#osce-iframe" })),
        )
        .await;
    let frame_titles = loop {
        driver
            .command(
                reqwest::Method::POST,
                "/frame",
                Some(json!({ "id": { ELEMENT_KEY: frame[ELEMENT_KEY] } })),
            )
            .await;
        let titles = driver.script(FRAME_TITLES).await;
        driver
            .command(reqwest::Method::POST, "/frame/parent", Some(json!({})))
            .await;
        if titles.as_array().is_some_and(|t| !t.is_empty()) {
            break titles;
        }
        assert!(Instant::now() < deadline, "the iframe did not load");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(frame_titles, json!(frame_expected), "iframe titles");

    let png = driver
        .command(reqwest::Method::GET, "/screenshot", None)
        .await;
    let png = base64::engine::general_purpose::STANDARD
        .decode(png.as_str().unwrap())
        .unwrap();
    // `CARGO_TARGET_TMPDIR` is `<target>/tmp`: the output folder sits beside it.
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("test-output");
    std::fs::create_dir_all(&out).unwrap();
    let path = out.join("partner-site.png");
    std::fs::write(&path, &png).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    eprintln!("screenshot of the partner site: {}", path.display());

    driver.command(reqwest::Method::DELETE, "", None).await;
    drop(driver);
    db.cleanup().await;
}
