//! Bad requests get coded errors; GET and GraphiQL.

use osce_api::AppState;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp, TestDb, error_code};

pub(super) async fn bad_requests_get_coded_errors(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(AppState::new(db.conn.clone()));
    let cases = [
        (
            "{ pressReleases(first: 101) { totalCount } }",
            "BAD_USER_INPUT",
        ),
        (
            "{ pressReleases(first: -1) { totalCount } }",
            "BAD_USER_INPUT",
        ),
        ("{ pressReleases { totalCount } }", "BAD_USER_INPUT"),
        (
            "{ pressReleases(first: 5, last: 5) { totalCount } }",
            "BAD_USER_INPUT",
        ),
        (
            r#"{ pressReleases(first: 5, after: "garbage") { totalCount } }"#,
            "BAD_USER_INPUT",
        ),
        (
            r#"{ pressReleases(first: 5, filter: { fieldsOfWork: ["no-such-field"] }) { totalCount } }"#,
            "BAD_USER_INPUT",
        ),
        (
            r#"{ pressReleases(first: 5, filter: { countries: ["ZZ"] }) { totalCount } }"#,
            "BAD_USER_INPUT",
        ),
        (
            r#"{ pressReleases(first: 5, filter: { dateFrom: "2020-01-02", dateTo: "2020-01-01" }) { totalCount } }"#,
            "BAD_USER_INPUT",
        ),
        (r#"{ node(id: "!!!") { id } }"#, "BAD_USER_INPUT"),
        (r#"{ coChairs(group: "nope") { title } }"#, "NOT_FOUND"),
        (
            r#"{ meetings(first: 5, after: "bad") { nodes { slug } } }"#,
            "BAD_USER_INPUT",
        ),
    ];
    for (query, code) in cases {
        let (status, body) = app.graphql(query, json!({})).await.status_and_json();
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(error_code(&body), Some(code), "{query}: {body}");
    }
    let (_, body) = app
        .graphql(r#"{ pressRelease(slug: "nope") { title } }"#, json!({}))
        .await
        .status_and_json();
    assert_eq!(body["data"]["pressRelease"], Value::Null);
    assert!(body.get("errors").is_none());

    // A syntax error with the GraphQL-over-HTTP media type: 400.
    let response = app
        .post_json_with(
            "/graphql",
            &[("accept", "application/graphql-response+json")],
            r#"{"query":"{ pressReleases("}"#,
        )
        .await;
    assert_eq!(response.status_u16(), 400);
    assert_eq!(
        response.headers["content-type"],
        "application/graphql-response+json"
    );

    // GET for queries; GraphiQL for browsers.
    let response = app.get("/graphql?query=%7BfieldsOfWork%7Bslug%7D%7D").await;
    assert_eq!(response.status_u16(), 200);
    let body: Value = response.json();
    assert_eq!(body["data"]["fieldsOfWork"].as_array().unwrap().len(), 23);
    let response = app.get_with("/graphql", &[("accept", "text/html")]).await;
    assert_eq!(response.status_u16(), 200);
    let html = response.text();
    assert!(html.contains("graphiql"), "GraphiQL page");
    db.cleanup().await;
}
