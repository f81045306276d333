//! HTTP caching of GraphQL: `Cache-Control`, `ETag` and `304` on GET,
//! automatic persisted queries, the in-process response cache and its
//! invalidation by a write, and API keys with their own budgets.

use std::time::Duration;

use axum::{body::Body, http::Method};
use osce_api::http::CacheSettings;
use osce_api::http::ratelimit::{ApiKey, RateLimitSettings, key_digest};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{Backend, Reply, TestApp, TestDb, error_code, import_text};

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// GraphQL over GET, `params` encoded as the query string. Every answer
/// here must be JSON or empty (a 304), which is checked at once.
async fn graphql_get(app: &TestApp, params: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let reply = app
        .get_with(&format!("/graphql?{}", query.join("&")), headers)
        .await;
    reply.json_or_null();
    reply
}

/// GraphQL over POST; the answer is checked as by [`graphql_get`].
async fn graphql_post(app: &TestApp, body: Value, headers: &[(&str, &str)]) -> Reply {
    let reply = app
        .post_json_with("/graphql", headers, body.to_string())
        .await;
    reply.json_or_null();
    reply
}

const COUNT: &str = "query Count { pressReleases(first: 1) { totalCount } }";
/// Runs, with a field error: pages hold at most 100.
const TOO_MANY: &str = "{ pressReleases(first: 101) { totalCount } }";

async fn cache_headers_on_get(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state());
    let ok = graphql_get(&app, &[("query", COUNT)], &[]).await;
    assert_eq!(ok.status, 200, "{}", ok.json_or_null());
    assert_eq!(ok.json_or_null()["data"]["pressReleases"]["totalCount"], 1);
    assert_eq!(ok.header("cache-control"), "public, max-age=60");
    assert!(ok.header("vary").to_ascii_lowercase().contains("accept"));
    let etag = ok.header("etag").to_string();
    assert!(etag.starts_with('"') && etag.len() > 2, "{etag}");

    // The client's copy is current: 304, with the validators again.
    let fresh = graphql_get(&app, &[("query", COUNT)], &[("if-none-match", &etag)]).await;
    assert_eq!(fresh.status, 304);
    assert_eq!(fresh.header("etag"), etag);
    assert_eq!(fresh.header("cache-control"), "public, max-age=60");
    let stale = graphql_get(&app, &[("query", COUNT)], &[("if-none-match", "\"other\"")]).await;
    assert_eq!(stale.status, 200);

    // Errors are not for keeping.
    let error = graphql_get(&app, &[("query", TOO_MANY)], &[]).await;
    assert_eq!(error.status, 200);
    assert_eq!(error_code(&error.json_or_null()), Some("BAD_USER_INPUT"));
    assert_eq!(error.header("cache-control"), "no-store");
    assert!(error.headers.get("etag").is_none());
    let invalid = graphql_get(&app, &[("query", "{ nope }")], &[]).await;
    assert_eq!(invalid.status, 400);
    assert_eq!(invalid.header("cache-control"), "no-store");

    // `operationName` and `variables`, as GraphQL over HTTP names them.
    let document = "query A { countries { code } } \
                    query B($first: Int!) { pressReleases(first: $first) { nodes { slug } } }";
    let chosen = graphql_get(
        &app,
        &[
            ("query", document),
            ("operationName", "B"),
            ("variables", r#"{"first": 2}"#),
        ],
        &[],
    )
    .await;
    assert_eq!(chosen.status, 200, "{}", chosen.json_or_null());
    assert_eq!(
        chosen.json_or_null()["data"]["pressReleases"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(chosen.json_or_null()["data"].get("countries").is_none());
    let twice = graphql_get(&app, &[("query", COUNT), ("query", COUNT)], &[]).await;
    assert_eq!(
        (twice.status_u16(), error_code(&twice.json_or_null())),
        (400, Some("BAD_REQUEST"))
    );
    assert_eq!(twice.header("cache-control"), "no-store");
    let bad_variables = graphql_get(&app, &[("query", COUNT), ("variables", "[1")], &[]).await;
    assert_eq!(
        (
            bad_variables.status_u16(),
            error_code(&bad_variables.json_or_null())
        ),
        (400, Some("BAD_REQUEST"))
    );

    // POST responses are not HTTP-cached (no validators).
    let posted = graphql_post(&app, json!({ "query": COUNT }), &[]).await;
    assert_eq!(posted.status, 200);
    assert!(posted.headers.get("etag").is_none());

    // A configured max-age of zero: revalidate every time.
    let no_age = TestApp::new(db.state().with_caching(CacheSettings {
        graphql_max_age: Duration::ZERO,
        ..CacheSettings::default()
    }));
    let reply = graphql_get(&no_age, &[("query", COUNT)], &[]).await;
    assert_eq!(reply.header("cache-control"), "public, no-cache");
    db.cleanup().await;
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn persisted_queries(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state());
    let hash = sha256_hex(COUNT);
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let hashed_get = [("extensions", extensions.to_string())];
    let hashed_get: Vec<(&str, &str)> = hashed_get.iter().map(|(k, v)| (*k, v.as_str())).collect();

    // Unknown hash: the client is told to send the query (not cached), with
    // a 200 as Apollo clients expect (they give persisted queries up on a 400).
    let unknown = graphql_get(&app, &hashed_get, &[]).await;
    assert_eq!(unknown.status, 200);
    assert_eq!(
        error_code(&unknown.json_or_null()),
        Some("PERSISTED_QUERY_NOT_FOUND")
    );
    assert_eq!(
        unknown.json_or_null()["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    assert_eq!(unknown.header("cache-control"), "no-store");

    // Registered with its text, then answered from the hash alone, over GET.
    let registered = graphql_post(
        &app,
        json!({ "query": COUNT, "extensions": extensions }),
        &[],
    )
    .await;
    assert_eq!(registered.status, 200, "{}", registered.json_or_null());
    let by_hash = graphql_get(&app, &hashed_get, &[]).await;
    assert_eq!(by_hash.status, 200, "{}", by_hash.json_or_null());
    assert_eq!(
        by_hash.json_or_null()["data"],
        registered.json_or_null()["data"]
    );
    assert_eq!(by_hash.header("cache-control"), "public, max-age=60");
    let by_post = graphql_post(&app, json!({ "extensions": extensions }), &[]).await;
    assert_eq!(
        by_post.json_or_null()["data"],
        registered.json_or_null()["data"]
    );

    // A hash that is not the query's, or not a hash.
    let lying = graphql_post(
        &app,
        json!({ "query": "{ countries { code } }", "extensions": extensions }),
        &[],
    )
    .await;
    assert_eq!(
        (lying.status_u16(), error_code(&lying.json_or_null())),
        (400, Some("BAD_REQUEST"))
    );
    let garbage = graphql_post(
        &app,
        json!({ "extensions": { "persistedQuery": { "version": 2, "sha256Hash": hash } } }),
        &[],
    )
    .await;
    assert_eq!(
        (garbage.status_u16(), error_code(&garbage.json_or_null())),
        (400, Some("BAD_REQUEST"))
    );
    // A query over the limits is refused, and not registered.
    let deep = format!("{{ {}__typename{} }}", "a { ".repeat(40), " }".repeat(40));
    let deep_hash = sha256_hex(&deep);
    let refused = graphql_post(
        &app,
        json!({ "query": deep, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": deep_hash } } }),
        &[],
    )
    .await;
    assert_eq!(refused.status, 400);
    let after = graphql_post(
        &app,
        json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": deep_hash } } }),
        &[],
    )
    .await;
    assert_eq!(
        error_code(&after.json_or_null()),
        Some("PERSISTED_QUERY_NOT_FOUND")
    );
    // Nor is one that fails validation.
    let invalid = "{ noSuchField }";
    let invalid_ext =
        json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(invalid) } });
    let rejected = graphql_post(
        &app,
        json!({ "query": invalid, "extensions": invalid_ext }),
        &[],
    )
    .await;
    assert_eq!(
        error_code(&rejected.json_or_null()),
        Some("GRAPHQL_VALIDATION_FAILED")
    );
    let never = graphql_post(&app, json!({ "extensions": invalid_ext }), &[]).await;
    assert_eq!(
        error_code(&never.json_or_null()),
        Some("PERSISTED_QUERY_NOT_FOUND")
    );
    db.cleanup().await;
}

async fn response_cache_follows_writes(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state().with_caching(CacheSettings {
        graphql_cache_bytes: 1 << 20,
        ..CacheSettings::default()
    }));
    let first = graphql_post(&app, json!({ "query": COUNT }), &[]).await;
    let second = graphql_post(&app, json!({ "query": COUNT }), &[]).await;
    assert_eq!(first.json_or_null(), second.json_or_null());
    assert_eq!(
        first.json_or_null()["data"]["pressReleases"]["totalCount"],
        1
    );
    let stats = app.state.graphql_cache.stats();
    assert_eq!((stats.hits, stats.misses, stats.entries), (1, 1, 1));
    // Other variables are another entry; so is an error-free GET of it.
    let by_get = graphql_get(&app, &[("query", COUNT)], &[]).await;
    assert_eq!(by_get.json_or_null(), first.json_or_null());
    assert_eq!(app.state.graphql_cache.stats().hits, 2);
    // A persisted query answered from the cache is registered all the same.
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(COUNT) } });
    let registered = graphql_post(
        &app,
        json!({ "query": COUNT, "extensions": extensions }),
        &[],
    )
    .await;
    assert_eq!(registered.json_or_null(), first.json_or_null());
    assert_eq!(app.state.graphql_cache.stats().hits, 3);
    let by_hash = graphql_post(&app, json!({ "extensions": extensions }), &[]).await;
    assert_eq!(by_hash.json_or_null(), first.json_or_null());
    let with_errors = graphql_post(&app, json!({ "query": TOO_MANY }), &[]).await;
    assert_eq!(
        error_code(&with_errors.json_or_null()),
        Some("BAD_USER_INPUT")
    );
    assert_eq!(
        app.state.graphql_cache.stats().entries,
        1,
        "errors are not kept"
    );

    // A write: the next answer is computed afresh.
    let added = json!({
        "type": "press_release", "slug": "cached-news-2026-11-01", "title": "Cached news",
        "date": "2026-11-01", "source": "minsk-group", "language": "en",
        "body_html": "<p>News.</p>", "published_at": "2026-11-01T10:00:00Z",
        "updated_at": "2026-11-01T10:00:00Z"
    });
    import_text(&db.conn, format!("{added}\n")).await;
    db.settle().await;
    let after = graphql_post(&app, json!({ "query": COUNT }), &[]).await;
    assert_eq!(
        after.json_or_null()["data"]["pressReleases"]["totalCount"],
        2
    );
    assert_eq!(app.state.graphql_cache.stats().entries, 1);
    db.cleanup().await;
}

async fn api_keys(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state().with_rate_limits(RateLimitSettings {
        requests_per_minute: 0,
        cost_per_minute: 0,
        trusted_proxies: Vec::new(),
        api_keys: vec![ApiKey {
            name: "newsroom".into(),
            sha256: key_digest("k-123"),
            requests_per_minute: 2,
            cost_per_minute: 0,
        }],
    }));
    let query = json!({ "query": COUNT });
    let unknown = graphql_post(&app, query.clone(), &[("authorization", "Bearer k-999")]).await;
    assert_eq!(
        (unknown.status_u16(), error_code(&unknown.json_or_null())),
        (401, Some("UNAUTHENTICATED"))
    );
    assert!(unknown.header("www-authenticate").starts_with("Bearer"));
    let rest = app
        .get_with("/api/v1/countries", &[("x-api-key", "nope")])
        .await;
    assert_eq!(rest.status, 401);
    assert_eq!(rest.json_or_null()["error"]["code"], "unauthenticated");

    // The key's own budget, wherever it comes from.
    for remaining in ["1", "0"] {
        let ok = graphql_post(&app, query.clone(), &[("authorization", "Bearer k-123")]).await;
        assert_eq!(ok.status, 200);
        assert_eq!(ok.header("ratelimit-limit"), "2");
        assert_eq!(ok.header("ratelimit-remaining"), remaining);
    }
    let spent = graphql_post(&app, query.clone(), &[("x-api-key", "k-123")]).await;
    assert_eq!(
        (spent.status_u16(), error_code(&spent.json_or_null())),
        (429, Some("RATE_LIMITED"))
    );
    // Without a key: the IP's budget (here none).
    let anonymous = graphql_post(&app, query.clone(), &[]).await;
    assert_eq!(anonymous.status, 200);
    assert!(anonymous.headers.get("ratelimit-limit").is_none());

    // Browsers may send the key cross-origin.
    let preflight = app
        .request(
            Method::OPTIONS,
            "/graphql",
            &[
                ("origin", "https://partner.example"),
                ("access-control-request-method", "POST"),
                (
                    "access-control-request-headers",
                    "authorization, x-api-key, content-type",
                ),
            ],
            Body::empty(),
        )
        .await;
    preflight.json_or_null();
    assert_eq!(preflight.status, 200);
    let allowed = preflight
        .header("access-control-allow-headers")
        .to_ascii_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("x-api-key"),
        "{allowed}"
    );
    db.cleanup().await;
}

/// A partner page's preflight for what standard clients send: a request ID
/// of its own (the service documents `X-Request-Id`), Apollo's client
/// headers, revalidation headers. Each is allowed on every API.
async fn cors_preflights_allow_what_clients_send(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state());
    let asked = "x-request-id, apollographql-client-name, apollographql-client-version, \
                 if-none-match, if-modified-since";
    for (uri, method) in [
        ("/graphql", "POST"),
        ("/feeds/press-releases.atom", "GET"),
        ("/api/v1/press-releases", "GET"),
    ] {
        let preflight = app
            .request(
                Method::OPTIONS,
                uri,
                &[
                    ("origin", "https://partner.example"),
                    ("access-control-request-method", method),
                    ("access-control-request-headers", asked),
                ],
                Body::empty(),
            )
            .await;
        assert_eq!(preflight.status, 200, "{uri}");
        let allowed = preflight
            .header("access-control-allow-headers")
            .to_ascii_lowercase();
        for header in asked.split(", ").map(str::trim) {
            assert!(allowed.contains(header), "{uri}: {header} not in {allowed}");
        }
    }
    db.cleanup().await;
}

crate::backend_and_production_tests!(
    cache_headers_on_get,
    persisted_queries,
    response_cache_follows_writes,
    api_keys,
    cors_preflights_allow_what_clients_send,
);
