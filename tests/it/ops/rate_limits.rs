//! Rate limits: requests and GraphQL cost per client, told apart by the
//! peer address (and, behind a trusted proxy, by X-Forwarded-For).

use osce_api::AppState;
use osce_api::http::ratelimit::RateLimitSettings;

use crate::support::{Backend, TestApp, TestDb};

pub(super) async fn rate_limits(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let query = r#"{"query":"{ pressReleases(first: 10) { nodes { slug source { name } } } }"}"#;
    let unlimited = TestApp::new(AppState::new(db.conn.clone()));
    let measured = unlimited.post_json("/graphql", query).await;
    let cost = measured.json()["extensions"]["cost"]["requested"]
        .as_u64()
        .expect("the requested cost");
    assert!(cost > 0);

    let app = TestApp::new(
        AppState::new(db.conn.clone()).with_rate_limits(RateLimitSettings {
            requests_per_minute: 3,
            cost_per_minute: 2 * cost + 1,
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
            api_keys: Vec::new(),
        }),
    );
    // Requests: three a minute for one client, with where it stands.
    for remaining in ["2", "1", "0"] {
        let response = app
            .with_peer("192.0.2.1:1000")
            .get("/api/v1/countries")
            .await;
        assert_eq!(response.status, 200);
        assert_eq!(response.headers["ratelimit-limit"], "3");
        assert_eq!(response.headers["ratelimit-remaining"], remaining);
    }
    let refused = app
        .with_peer("192.0.2.1:1001")
        .get("/api/v1/countries")
        .await;
    assert_eq!(refused.status, 429);
    let retry: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    assert_eq!(refused.headers["ratelimit-remaining"], "0");
    let body = refused.json();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Another client is not held back, nor is health.
    let other = app
        .with_peer("192.0.2.2:1000")
        .get("/api/v1/countries")
        .await;
    assert_eq!(other.status, 200);
    let health = app.with_peer("192.0.2.1:1000").get("/healthz").await;
    assert_eq!(health.status, 200);
    // Behind a trusted proxy, clients are told apart by X-Forwarded-For;
    // from anyone else the header is ignored.
    for client in ["198.51.100.1", "198.51.100.2"] {
        let response = app
            .with_peer("10.1.2.3:5000")
            .get_with("/feeds/press-releases.rss", &[("x-forwarded-for", client)])
            .await;
        assert_eq!(response.status, 200);
        assert_eq!(response.headers["ratelimit-remaining"], "2", "{client}");
    }
    let spoofed = app
        .with_peer("192.0.2.1:1000")
        .get_with(
            "/feeds/press-releases.rss",
            &[("x-forwarded-for", "198.51.100.9")],
        )
        .await;
    assert_eq!(spoofed.status, 429);

    // GraphQL cost: two such queries a minute, the third is refused.
    let client = app.with_peer("192.0.2.50:1");
    for _ in 0..2 {
        let response = client.post_json("/graphql", query).await;
        assert_eq!(response.status, 200);
        assert_eq!(
            response.headers["ratelimit-limit"].to_str().unwrap(),
            (2 * cost + 1).to_string(),
            "GraphQL responses report the cost budget"
        );
    }
    let refused = client.post_json("/graphql", query).await;
    assert_eq!(refused.status, 429);
    assert!(refused.headers.contains_key("retry-after"));
    let body = refused.json();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{body}"
    );
    db.cleanup().await;
}
