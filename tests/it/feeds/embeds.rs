//! The embed page, its script, a release's page, and CORS.

use axum::{body::Body, http::Method};
use serde_json::json;

use super::{PUBLIC, REFERENCE_SLUG, corpus_db, graphql_slugs, options};
use crate::support::{Backend, TestApp};

pub(super) async fn embed_page_script_and_cors(backend: Backend) {
    let Some(db) = corpus_db(backend, 150).await else {
        return;
    };
    let app = TestApp::new(db.state().with_feeds(options()));
    let page = app
        .get_no_500("/embed/press-releases?field_of_work=human-rights&count=3&theme=dark")
        .await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    let csp = page.header("content-security-policy");
    assert!(
        csp.contains("default-src 'none'"),
        "no external assets: {csp}"
    );
    let html = page.text();
    assert!(html.contains("class=\"dark\""));
    for (kind, path) in [
        (
            "application/rss+xml",
            "/feeds/press-releases.rss?field_of_work=human-rights&amp;limit=3",
        ),
        (
            "application/atom+xml",
            "/feeds/press-releases.atom?field_of_work=human-rights&amp;limit=3",
        ),
        (
            "application/feed+json",
            "/feeds/press-releases.json?field_of_work=human-rights&amp;limit=3",
        ),
    ] {
        let link = format!("<link rel=\"alternate\" type=\"{kind}\"");
        assert!(html.contains(&link), "autodiscovery of {kind}");
        assert!(
            html.contains(&format!("href=\"{PUBLIC}{path}\"")),
            "{path} in {html}"
        );
    }
    assert!(!html.contains("<script"), "the page runs no script");
    assert!(!html.contains("src=\""), "the page loads nothing");
    let expected = graphql_slugs(&app, json!({ "fieldsOfWork": ["human-rights"] }), 3).await;
    assert_eq!(expected.len(), 3);
    assert_eq!(html.matches("<li ").count(), 3);
    for slug in &expected {
        assert!(
            html.contains(&format!("{PUBLIC}/press-releases/{slug}")),
            "{slug}"
        );
    }
    let light = app.get_no_500("/embed/press-releases").await.text();
    assert!(light.contains("class=\"light\""));
    assert_eq!(light.matches("<li ").count(), 5, "five releases by default");

    let script = app.get_no_500("/embed.js").await;
    assert_eq!(
        script.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    assert!(
        script
            .text()
            .contains("customElements.define(\"osce-press-releases\"")
    );

    let release = app
        .get_no_500(&format!("/press-releases/{REFERENCE_SLUG}"))
        .await;
    assert_eq!(release.status, 200);
    let text = release.text();
    assert!(text.contains("<h1>Press Statement by the Co-Chairs of the OSCE Minsk Group</h1>"));
    assert!(text.contains("25 October 2020 · Washington D.C. · Minsk Group"));

    // CORS: partner pages may read feeds and embeds, and query GraphQL.
    let origin = ("origin", "https://partner.example.net");
    let feed = app.get_with("/feeds/press-releases.rss", &[origin]).await;
    assert_eq!(feed.header("access-control-allow-origin"), "*");
    let preflight = app
        .request(
            Method::OPTIONS,
            "/graphql",
            &[
                origin,
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type"),
            ],
            Body::empty(),
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), "*");
    assert!(
        preflight
            .header("access-control-allow-methods")
            .contains("POST")
    );
    let graphql = app
        .get_with("/graphql?query=%7B__typename%7D", &[origin])
        .await;
    assert_eq!(graphql.status, 200);
    assert_eq!(graphql.header("access-control-allow-origin"), "*");
    let health = app.get_with("/healthz", &[origin]).await;
    assert!(health.headers.get("access-control-allow-origin").is_none());
    db.cleanup().await;
}
