//! Hostile GraphQL requests through the real router: each is refused fast
//! with a 4xx and a coded error (or answered), and the service answers a
//! normal query right after.

use std::time::{Duration, Instant};

use axum::{body::Body, http::Request};
use http_body_util::BodyExt;
use osce_api::{AppState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{Backend, TestDb};

async fn send(state: &AppState, request: Request<Body>) -> (u16, Value) {
    let started = Instant::now();
    let response =
        tokio::time::timeout(Duration::from_secs(5), app(state.clone()).oneshot(request))
            .await
            .expect("answered within 5 s")
            .unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert!(started.elapsed() < Duration::from_secs(5));
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
        panic!(
            "status {status}: body is not JSON: {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    (status, body)
}

fn post_json(body: impl Into<Body>) -> Request<Body> {
    Request::post("/graphql")
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

fn query_body(query: &str) -> String {
    json!({ "query": query }).to_string()
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

async fn hostile_requests_are_refused_fast(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone());

    let deep = format!("{}{}", "{ fieldsOfWork ".repeat(200), "}".repeat(200));
    let aliases: String = (0..10_000).map(|i| format!("a{i}: __typename ")).collect();
    let mut fan_out = String::from("query { ...F0 }\n");
    for i in 0..30 {
        fan_out.push_str(&format!(
            "fragment F{i} on QueryRoot {{ ...F{n} ...F{n} }}\n",
            n = i + 1
        ));
    }
    fan_out.push_str("fragment F30 on QueryRoot { fieldsOfWork { slug } }\n");
    let cycle = "{ ...A } fragment A on QueryRoot { fieldsOfWork { slug } ...B } fragment B on QueryRoot { ...A }";
    let directives = format!("{{ __typename {} }}", "@include(if: true) ".repeat(1_000));
    let one_mib = format!("{{ __typename }} #{}", "x".repeat(1 << 20));
    let ten_mib = format!("{{ __typename }} #{}", "x".repeat(10 << 20));
    let nested_variables = format!(
        r#"{{"query":"query($v: String) {{ __typename }}","variables":{{"v":{}{}}}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let batch = format!("[{}]", vec![query_body("{ __typename }"); 1_000].join(","));

    for (what, request, want_status, want_code) in [
        (
            "200 deep",
            post_json(query_body(&deep)),
            400,
            "QUERY_TOO_DEEP",
        ),
        (
            "10,000 aliases",
            post_json(query_body(&aliases)),
            413,
            "PAYLOAD_TOO_LARGE",
        ),
        (
            "fragment fan-out",
            post_json(query_body(&fan_out)),
            400,
            "QUERY_TOO_COMPLEX",
        ),
        (
            "fragment cycle",
            post_json(query_body(cycle)),
            400,
            "FRAGMENT_CYCLE",
        ),
        (
            "1,000 directives",
            post_json(query_body(&directives)),
            400,
            "TOO_MANY_DIRECTIVES",
        ),
        (
            "1 MiB document",
            post_json(query_body(&one_mib)),
            413,
            "PAYLOAD_TOO_LARGE",
        ),
        (
            "10 MiB document",
            post_json(query_body(&ten_mib)),
            413,
            "PAYLOAD_TOO_LARGE",
        ),
        (
            "1,000-operation batch",
            post_json(batch),
            400,
            "BATCH_TOO_LARGE",
        ),
        (
            "invalid JSON",
            post_json("{\"query\": "),
            400,
            "BAD_REQUEST",
        ),
        ("not a request", post_json("[1, 2]"), 400, "BAD_REQUEST"),
        (
            "invalid UTF-8",
            post_json(&b"{\"query\": \"\xff\xfe\"}"[..]),
            400,
            "BAD_REQUEST",
        ),
        (
            "NUL byte",
            post_json(query_body("{ __typename \u{0} }")),
            400,
            "GRAPHQL_PARSE_FAILED",
        ),
        (
            "nested variables",
            post_json(nested_variables),
            400,
            "BAD_REQUEST",
        ),
        (
            "text/plain",
            Request::post("/graphql")
                .header("content-type", "text/plain")
                .body(Body::from(query_body("{ __typename }")))
                .unwrap(),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            "form",
            Request::post("/graphql")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("query=%7B__typename%7D"))
                .unwrap(),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            "multipart",
            Request::post("/graphql")
                .header("content-type", "multipart/form-data; boundary=x")
                .body(Body::from("--x--"))
                .unwrap(),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            "mutation over GET",
            Request::get("/graphql?query=mutation%20%7B%20__typename%20%7D")
                .body(Body::empty())
                .unwrap(),
            405,
            "METHOD_NOT_ALLOWED",
        ),
        (
            "lying Content-Length",
            Request::post("/graphql")
                .header("content-type", "application/json")
                .header("content-length", "104857600")
                .body(Body::from_stream(futures::stream::pending::<
                    Result<Vec<u8>, std::io::Error>,
                >()))
                .unwrap(),
            413,
            "PAYLOAD_TOO_LARGE",
        ),
        (
            "huge first",
            post_json(query_body(
                "{ pressReleases(first: 1000000) { totalCount } }",
            )),
            200,
            "BAD_USER_INPUT",
        ),
        (
            "overflowing integer",
            post_json(query_body(
                "{ pressReleases(first: 99999999999999999999999) { totalCount } }",
            )),
            400,
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "costly nesting",
            post_json(query_body(
                "{ pressReleases(first: 100) { nodes { countries { pressReleases(first: 100) { nodes { title } } } } } }",
            )),
            400,
            "QUERY_TOO_COSTLY",
        ),
    ] {
        let (status, body) = send(&state, request).await;
        assert_eq!(status, want_status, "{what}: {body}");
        assert_eq!(code(&body), want_code, "{what}: {body}");
    }

    // Still answering, and reporting what a query costs.
    let (status, body) = send(
        &state,
        post_json(query_body(
            "{ pressReleases(first: 3) { nodes { title } } }",
        )),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["pressReleases"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(body["extensions"]["cost"]["requested"], 5);
    assert!(body["extensions"]["cost"]["actual"].as_u64().unwrap() >= 2);
    // A small batch is fine.
    let batch = format!(
        "[{},{}]",
        query_body("{ __typename }"),
        query_body("{ fieldsOfWork { slug } }")
    );
    let (status, body) = send(&state, post_json(batch)).await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().unwrap().len(), 2);
    db.cleanup().await;
}

async fn introspection_can_be_switched_off(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let introspect = || post_json(query_body("{ __schema { types { name } } }"));
    let typo = || post_json(query_body("{ fieldsOfWrk { slug } }"));
    let open = AppState::new(db.conn.clone());
    let (status, body) = send(&open, introspect()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["__schema"]["types"].as_array().unwrap().len() > 10);
    let (_, body) = send(&open, typo()).await;
    assert!(body.to_string().contains("Did you mean"), "{body}");

    let closed = AppState::new(db.conn.clone())
        .with_graphql(osce_api::graphql::limits::Limits::default(), false);
    let (_, body) = send(&closed, introspect()).await;
    assert!(body["data"]["__schema"].is_null(), "{body}");
    let (status, body) = send(&closed, typo()).await;
    assert_eq!(status, 400);
    assert!(!body.to_string().contains("Did you mean"), "{body}");
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED");
    db.cleanup().await;
}

crate::backend_tests!(
    hostile_requests_are_refused_fast,
    introspection_can_be_switched_off
);
