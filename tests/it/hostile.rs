//! Hostile GraphQL requests through the real router: each is refused fast
//! with a 4xx and a coded error (or answered), and the service answers a
//! normal query right after.

use std::time::{Duration, Instant};

use axum::{body::Body, http::Request};
use osce_api::AppState;
use serde_json::Value;

use crate::support::{Backend, TestApp, TestDb, error_code, json_request, query_body};

/// Sends `request` and insists on a JSON answer within 5 s.
async fn answered_fast(app: &TestApp, request: Request<Body>) -> (u16, Value) {
    let started = Instant::now();
    let reply = tokio::time::timeout(Duration::from_secs(5), app.send(request))
        .await
        .expect("answered within 5 s");
    assert!(started.elapsed() < Duration::from_secs(5));
    reply.status_and_json()
}

async fn hostile_requests_are_refused_fast(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(AppState::new(db.conn.clone()));

    let deep = format!("{}{}", "{ fieldsOfWork ".repeat(200), "}".repeat(200));
    let aliases: String = (0..10_000).map(|i| format!("a{i}: __typename ")).collect();
    let mut fan_out = String::from("query { ...F0 }\n");
    for i in 0..30 {
        fan_out.push_str(&format!(
            "fragment F{i} on Query {{ ...F{n} ...F{n} }}\n",
            n = i + 1
        ));
    }
    fan_out.push_str("fragment F30 on Query { fieldsOfWork { slug } }\n");
    let cycle =
        "{ ...A } fragment A on Query { fieldsOfWork { slug } ...B } fragment B on Query { ...A }";
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
            json_request("/graphql", query_body(&deep)),
            400,
            "QUERY_TOO_DEEP",
        ),
        (
            "10,000 aliases",
            json_request("/graphql", query_body(&aliases)),
            413,
            "PAYLOAD_TOO_LARGE",
        ),
        (
            "fragment fan-out",
            json_request("/graphql", query_body(&fan_out)),
            400,
            "QUERY_TOO_COMPLEX",
        ),
        (
            "fragment cycle",
            json_request("/graphql", query_body(cycle)),
            400,
            "FRAGMENT_CYCLE",
        ),
        (
            "1,000 directives",
            json_request("/graphql", query_body(&directives)),
            400,
            "TOO_MANY_DIRECTIVES",
        ),
        (
            "1 MiB document",
            json_request("/graphql", query_body(&one_mib)),
            413,
            "PAYLOAD_TOO_LARGE",
        ),
        (
            "10 MiB document",
            json_request("/graphql", query_body(&ten_mib)),
            413,
            "PAYLOAD_TOO_LARGE",
        ),
        (
            "1,000-operation batch",
            json_request("/graphql", batch),
            400,
            "BATCH_TOO_LARGE",
        ),
        (
            "invalid JSON",
            json_request("/graphql", "{\"query\": "),
            400,
            "BAD_REQUEST",
        ),
        (
            "not a request",
            json_request("/graphql", "[1, 2]"),
            400,
            "BAD_REQUEST",
        ),
        (
            "invalid UTF-8",
            json_request("/graphql", &b"{\"query\": \"\xff\xfe\"}"[..]),
            400,
            "BAD_REQUEST",
        ),
        (
            "NUL byte",
            json_request("/graphql", query_body("{ __typename \u{0} }")),
            400,
            "GRAPHQL_PARSE_FAILED",
        ),
        (
            "nested variables",
            json_request("/graphql", nested_variables),
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
            json_request(
                "/graphql",
                query_body("{ pressReleases(first: 1000000) { totalCount } }"),
            ),
            200,
            "BAD_USER_INPUT",
        ),
        (
            "overflowing integer",
            json_request(
                "/graphql",
                query_body("{ pressReleases(first: 99999999999999999999999) { totalCount } }"),
            ),
            400,
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "costly nesting",
            json_request(
                "/graphql",
                query_body(
                    "{ pressReleases(first: 100) { nodes { countries { pressReleases(first: 100) { nodes { title } } } } } }",
                ),
            ),
            400,
            "QUERY_TOO_COSTLY",
        ),
    ] {
        let (status, body) = answered_fast(&app, request).await;
        assert_eq!(status, want_status, "{what}: {body}");
        assert_eq!(error_code(&body), Some(want_code), "{what}: {body}");
    }

    // Still answering, and reporting what a query costs.
    let (status, body) = answered_fast(
        &app,
        json_request(
            "/graphql",
            query_body("{ pressReleases(first: 3) { nodes { title } } }"),
        ),
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
    let (status, body) = answered_fast(&app, json_request("/graphql", batch)).await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().unwrap().len(), 2);
    db.cleanup().await;
}

async fn introspection_can_be_switched_off(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let introspect = || json_request("/graphql", query_body("{ __schema { types { name } } }"));
    let typo = || json_request("/graphql", query_body("{ fieldsOfWrk { slug } }"));
    let open = TestApp::new(AppState::new(db.conn.clone()));
    let (status, body) = answered_fast(&open, introspect()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["__schema"]["types"].as_array().unwrap().len() > 10);
    let (_, body) = answered_fast(&open, typo()).await;
    assert!(body.to_string().contains("Did you mean"), "{body}");

    let closed = TestApp::new(
        AppState::new(db.conn.clone())
            .with_graphql(osce_api::graphql::limits::Limits::default(), false),
    );
    let (_, body) = answered_fast(&closed, introspect()).await;
    assert!(body["data"]["__schema"].is_null(), "{body}");
    let (status, body) = answered_fast(&closed, typo()).await;
    assert_eq!(status, 400);
    assert!(!body.to_string().contains("Did you mean"), "{body}");
    assert_eq!(error_code(&body), Some("GRAPHQL_VALIDATION_FAILED"));
    db.cleanup().await;
}

crate::backend_tests!(
    hostile_requests_are_refused_fast,
    introspection_can_be_switched_off
);
