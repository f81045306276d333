//! The partner-site example in a real browser: the service runs on a random
//! loopback port over a temporary SQLite database, `examples/partner-site/`
//! is served on another (so the custom element's GraphQL reads are
//! cross-origin, as on a partner's site), and Chromium must show the
//! expected titles in both the iframe and the custom element.

use std::time::{Duration, Instant};

use axum::{Router, response::Html, routing::get};
use osce_api::AppState;
use osce_api::feeds::{FeedOptions, PublicUrl};
use serde_json::{Value, json};

use super::{Driver, ELEMENT_KEY, serve, tools};
use crate::support::{Backend, TestDb, generated_corpus, import_text};

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
    let feed: Value = crate::support::http_client()
        .get(format!("{api}/feeds/press-releases.json?{query}"))
        .send()
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
    let Some((chromium, chromedriver)) = tools("partner-site") else {
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
    serve(listener, state).await;
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
    driver.open(&format!("{site}/?api={api}")).await;

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

    let path = driver.screenshot("partner-site").await;
    eprintln!("screenshot of the partner site: {}", path.display());

    driver.quit().await;
    db.cleanup().await;
}
