//! HTTP caching of GraphQL: `Cache-Control`, `ETag` and `304` on GET,
//! automatic persisted queries, the in-process response cache and its
//! invalidation by a write, and API keys with their own budgets.

use std::time::Duration;

use axum::{
    body::Body,
    http::{HeaderMap, Method, Request, header},
};
use http_body_util::BodyExt;
use osce_api::http::CacheSettings;
use osce_api::http::ratelimit::{ApiKey, RateLimitSettings, key_digest};
use osce_api::{AppState, app};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

use crate::support::{Backend, TestDb, import_text};

struct Reply {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("")
    }
}

async fn send(state: &AppState, request: Request<Body>) -> Reply {
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("{bytes:?}"))
    };
    Reply {
        status,
        headers,
        body,
    }
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

async fn get(state: &AppState, params: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let mut request = Request::get(format!("/graphql?{}", query.join("&")));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(state, request.body(Body::empty()).unwrap()).await
}

async fn post(state: &AppState, body: Value, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(state, request.body(Body::from(body.to_string())).unwrap()).await
}

const COUNT: &str = "query Count { pressReleases(first: 1) { totalCount } }";
/// Runs, with a field error: pages hold at most 100.
const TOO_MANY: &str = "{ pressReleases(first: 101) { totalCount } }";

async fn cache_headers_on_get(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone());
    let ok = get(&state, &[("query", COUNT)], &[]).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["data"]["pressReleases"]["totalCount"], 1);
    assert_eq!(ok.header("cache-control"), "public, max-age=60");
    assert!(ok.header("vary").to_ascii_lowercase().contains("accept"));
    let etag = ok.header("etag").to_string();
    assert!(etag.starts_with('"') && etag.len() > 2, "{etag}");

    // The client's copy is current: 304, with the validators again.
    let fresh = get(&state, &[("query", COUNT)], &[("if-none-match", &etag)]).await;
    assert_eq!(fresh.status, 304);
    assert_eq!(fresh.header("etag"), etag);
    assert_eq!(fresh.header("cache-control"), "public, max-age=60");
    let stale = get(
        &state,
        &[("query", COUNT)],
        &[("if-none-match", "\"other\"")],
    )
    .await;
    assert_eq!(stale.status, 200);

    // Errors are not for keeping.
    let error = get(&state, &[("query", TOO_MANY)], &[]).await;
    assert_eq!(error.status, 200);
    assert_eq!(error.code(), "BAD_USER_INPUT");
    assert_eq!(error.header("cache-control"), "no-store");
    assert!(error.headers.get("etag").is_none());
    let invalid = get(&state, &[("query", "{ nope }")], &[]).await;
    assert_eq!(invalid.status, 400);
    assert_eq!(invalid.header("cache-control"), "no-store");

    // `operationName` and `variables`, as GraphQL over HTTP names them.
    let document = "query A { countries { code } } \
                    query B($first: Int!) { pressReleases(first: $first) { nodes { slug } } }";
    let chosen = get(
        &state,
        &[
            ("query", document),
            ("operationName", "B"),
            ("variables", r#"{"first": 2}"#),
        ],
        &[],
    )
    .await;
    assert_eq!(chosen.status, 200, "{}", chosen.body);
    assert_eq!(
        chosen.body["data"]["pressReleases"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(chosen.body["data"].get("countries").is_none());
    let twice = get(&state, &[("query", COUNT), ("query", COUNT)], &[]).await;
    assert_eq!((twice.status, twice.code()), (400, "BAD_REQUEST"));
    assert_eq!(twice.header("cache-control"), "no-store");
    let bad_variables = get(&state, &[("query", COUNT), ("variables", "[1")], &[]).await;
    assert_eq!(
        (bad_variables.status, bad_variables.code()),
        (400, "BAD_REQUEST")
    );

    // POST responses are not HTTP-cached (no validators).
    let posted = post(&state, json!({ "query": COUNT }), &[]).await;
    assert_eq!(posted.status, 200);
    assert!(posted.headers.get("etag").is_none());

    // A configured max-age of zero: revalidate every time.
    let no_age = AppState::new(db.conn.clone()).with_caching(CacheSettings {
        graphql_max_age: Duration::ZERO,
        ..CacheSettings::default()
    });
    let reply = get(&no_age, &[("query", COUNT)], &[]).await;
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
    let state = AppState::new(db.conn.clone());
    let hash = sha256_hex(COUNT);
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let hashed_get = [("extensions", extensions.to_string())];
    let hashed_get: Vec<(&str, &str)> = hashed_get.iter().map(|(k, v)| (*k, v.as_str())).collect();

    // Unknown hash: the client is told to send the query (not cached), with
    // a 200 as Apollo clients expect (they give persisted queries up on a 400).
    let unknown = get(&state, &hashed_get, &[]).await;
    assert_eq!(unknown.status, 200);
    assert_eq!(unknown.code(), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(
        unknown.body["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    assert_eq!(unknown.header("cache-control"), "no-store");

    // Registered with its text, then answered from the hash alone, over GET.
    let registered = post(
        &state,
        json!({ "query": COUNT, "extensions": extensions }),
        &[],
    )
    .await;
    assert_eq!(registered.status, 200, "{}", registered.body);
    let by_hash = get(&state, &hashed_get, &[]).await;
    assert_eq!(by_hash.status, 200, "{}", by_hash.body);
    assert_eq!(by_hash.body["data"], registered.body["data"]);
    assert_eq!(by_hash.header("cache-control"), "public, max-age=60");
    let by_post = post(&state, json!({ "extensions": extensions }), &[]).await;
    assert_eq!(by_post.body["data"], registered.body["data"]);

    // A hash that is not the query's, or not a hash.
    let lying = post(
        &state,
        json!({ "query": "{ countries { code } }", "extensions": extensions }),
        &[],
    )
    .await;
    assert_eq!((lying.status, lying.code()), (400, "BAD_REQUEST"));
    let garbage = post(
        &state,
        json!({ "extensions": { "persistedQuery": { "version": 2, "sha256Hash": hash } } }),
        &[],
    )
    .await;
    assert_eq!((garbage.status, garbage.code()), (400, "BAD_REQUEST"));
    // A query over the limits is refused, and not registered.
    let deep = format!("{{ {}__typename{} }}", "a { ".repeat(40), " }".repeat(40));
    let deep_hash = sha256_hex(&deep);
    let refused = post(
        &state,
        json!({ "query": deep, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": deep_hash } } }),
        &[],
    )
    .await;
    assert_eq!(refused.status, 400);
    let after = post(
        &state,
        json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": deep_hash } } }),
        &[],
    )
    .await;
    assert_eq!(after.code(), "PERSISTED_QUERY_NOT_FOUND");
    // Nor is one that fails validation.
    let invalid = "{ noSuchField }";
    let invalid_ext =
        json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(invalid) } });
    let rejected = post(
        &state,
        json!({ "query": invalid, "extensions": invalid_ext }),
        &[],
    )
    .await;
    assert_eq!(rejected.code(), "GRAPHQL_VALIDATION_FAILED");
    let never = post(&state, json!({ "extensions": invalid_ext }), &[]).await;
    assert_eq!(never.code(), "PERSISTED_QUERY_NOT_FOUND");
    db.cleanup().await;
}

async fn response_cache_follows_writes(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone()).with_caching(CacheSettings {
        graphql_cache_bytes: 1 << 20,
        ..CacheSettings::default()
    });
    let first = post(&state, json!({ "query": COUNT }), &[]).await;
    let second = post(&state, json!({ "query": COUNT }), &[]).await;
    assert_eq!(first.body, second.body);
    assert_eq!(first.body["data"]["pressReleases"]["totalCount"], 1);
    let stats = state.graphql_cache.stats();
    assert_eq!((stats.hits, stats.misses, stats.entries), (1, 1, 1));
    // Other variables are another entry; so is an error-free GET of it.
    let by_get = get(&state, &[("query", COUNT)], &[]).await;
    assert_eq!(by_get.body, first.body);
    assert_eq!(state.graphql_cache.stats().hits, 2);
    // A persisted query answered from the cache is registered all the same.
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(COUNT) } });
    let registered = post(
        &state,
        json!({ "query": COUNT, "extensions": extensions }),
        &[],
    )
    .await;
    assert_eq!(registered.body, first.body);
    assert_eq!(state.graphql_cache.stats().hits, 3);
    let by_hash = post(&state, json!({ "extensions": extensions }), &[]).await;
    assert_eq!(by_hash.body, first.body);
    let with_errors = post(&state, json!({ "query": TOO_MANY }), &[]).await;
    assert_eq!(with_errors.code(), "BAD_USER_INPUT");
    assert_eq!(
        state.graphql_cache.stats().entries,
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
    let after = post(&state, json!({ "query": COUNT }), &[]).await;
    assert_eq!(after.body["data"]["pressReleases"]["totalCount"], 2);
    assert_eq!(state.graphql_cache.stats().entries, 1);
    db.cleanup().await;
}

async fn api_keys(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone()).with_rate_limits(RateLimitSettings {
        requests_per_minute: 0,
        cost_per_minute: 0,
        trusted_proxies: Vec::new(),
        api_keys: vec![ApiKey {
            name: "newsroom".into(),
            sha256: key_digest("k-123"),
            requests_per_minute: 2,
            cost_per_minute: 0,
        }],
    });
    let query = json!({ "query": COUNT });
    let unknown = post(&state, query.clone(), &[("authorization", "Bearer k-999")]).await;
    assert_eq!((unknown.status, unknown.code()), (401, "UNAUTHENTICATED"));
    assert!(unknown.header("www-authenticate").starts_with("Bearer"));
    let rest = send(
        &state,
        Request::get("/api/v1/countries")
            .header("x-api-key", "nope")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(rest.status, 401);
    assert_eq!(rest.body["error"]["code"], "unauthenticated");

    // The key's own budget, wherever it comes from.
    for remaining in ["1", "0"] {
        let ok = post(&state, query.clone(), &[("authorization", "Bearer k-123")]).await;
        assert_eq!(ok.status, 200);
        assert_eq!(ok.header("ratelimit-limit"), "2");
        assert_eq!(ok.header("ratelimit-remaining"), remaining);
    }
    let spent = post(&state, query.clone(), &[("x-api-key", "k-123")]).await;
    assert_eq!((spent.status, spent.code()), (429, "RATE_LIMITED"));
    // Without a key: the IP's budget (here none).
    let anonymous = post(&state, query.clone(), &[]).await;
    assert_eq!(anonymous.status, 200);
    assert!(anonymous.headers.get("ratelimit-limit").is_none());

    // Browsers may send the key cross-origin.
    let preflight = send(
        &state,
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/graphql")
            .header("origin", "https://partner.example")
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, x-api-key, content-type",
            )
            .body(Body::empty())
            .unwrap(),
    )
    .await;
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

crate::backend_tests!(
    cache_headers_on_get,
    persisted_queries,
    response_cache_follows_writes,
    api_keys
);
