//! Schema conventions (issue 24, defect 6): conventional names, every
//! element described, request errors shaped as GraphQL over HTTP says.

use osce_api::AppState;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp, TestDb, error_code};

const INTROSPECTION: &str = r#"{ __schema { queryType { name }
    types { kind name description specifiedByURL
      fields { name description args { name description } }
      inputFields { name description }
      enumValues { name description } } } }"#;

fn described(value: &Value) -> bool {
    value.as_str().is_some_and(|d| !d.trim().is_empty())
}

pub(super) async fn the_schema_follows_conventions(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(AppState::new(db.conn.clone()));
    let schema = app.graphql_data(INTROSPECTION, json!({})).await["__schema"].clone();
    assert_eq!(schema["queryType"]["name"], "Query");
    let types = schema["types"].as_array().unwrap();
    let named = |name: &str| types.iter().find(|t| t["name"] == name).cloned();
    assert!(
        named("NaiveDate").is_none(),
        "a Rust type name in the schema"
    );
    let date = named("Date").expect("a Date scalar");
    let date_time = named("DateTime").expect("a DateTime scalar");
    for scalar in [&date, &date_time] {
        assert!(
            scalar["specifiedByURL"]
                .as_str()
                .is_some_and(|u| u.contains("rfc3339")),
            "{scalar}"
        );
        let text = scalar["description"].as_str().unwrap_or("");
        assert!(text.contains("RFC 3339"), "{scalar}");
        assert!(!text.contains("Implement"), "library boilerplate: {scalar}");
    }
    // Every type, field, argument, input field and enum value of the
    // schema's own (not introspection's) has a description.
    let mut missing = Vec::new();
    for ty in types {
        let name = ty["name"].as_str().unwrap();
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if !described(&ty["description"]) {
            missing.push(name.to_string());
        }
        for field in ty["fields"].as_array().into_iter().flatten() {
            let field_name = field["name"].as_str().unwrap();
            if !described(&field["description"]) {
                missing.push(format!("{name}.{field_name}"));
            }
            for arg in field["args"].as_array().into_iter().flatten() {
                if !described(&arg["description"]) {
                    missing.push(format!("{name}.{field_name}({})", arg["name"]));
                }
            }
        }
        for member in ty["inputFields"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(ty["enumValues"].as_array().into_iter().flatten())
        {
            if !described(&member["description"]) {
                missing.push(format!("{name}.{}", member["name"]));
            }
        }
    }
    assert!(missing.is_empty(), "undescribed: {missing:?}");

    // Dates in and out in RFC 3339.
    let data = app
        .graphql_data(
            r#"{ pressReleases(first: 1, filter: { dateFrom: "2020-10-01" }) { nodes { date publishedAt } } }"#,
            json!({}),
        )
        .await;
    let node = &data["pressReleases"]["nodes"][0];
    assert_eq!(node["date"].as_str().unwrap().len(), 10, "{node}");
    assert!(
        node["publishedAt"].as_str().unwrap().ends_with('Z'),
        "{node}"
    );
    let (_, body) = app
        .graphql(
            r#"{ pressReleases(first: 1, filter: { dateFrom: "2020-1-5" }) { totalCount } }"#,
            json!({}),
        )
        .await
        .status_and_json();
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("YYYY-MM-DD"),
        "{body}"
    );
    db.cleanup().await;
}

pub(super) async fn request_errors_have_no_data_and_say_where(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(AppState::new(db.conn.clone()));
    // A syntax error: 400, no `data`, the place in `locations`, no parser art.
    let (status, body) = app
        .graphql(
            "{\n  pressReleases(first: 1) {\n    totalCount\n  ",
            json!({}),
        )
        .await
        .status_and_json();
    assert_eq!(status, 400, "{body}");
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(error_code(&body), Some("GRAPHQL_PARSE_FAILED"));
    let error = &body["errors"][0];
    assert_eq!(error["locations"][0]["line"], 4, "{body}");
    assert!(
        error["locations"][0]["column"].as_u64().unwrap() >= 1,
        "{body}"
    );
    let message = error["message"].as_str().unwrap();
    assert!(message.starts_with("syntax error at line 4"), "{message}");
    assert!(
        !message.contains("-->") && !message.contains('\n'),
        "{message}"
    );
    // A validation error: no `data` either.
    let (status, body) = app
        .graphql("{ noSuchField }", json!({}))
        .await
        .status_and_json();
    assert_eq!(status, 400, "{body}");
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(error_code(&body), Some("GRAPHQL_VALIDATION_FAILED"));
    assert!(body["errors"][0]["locations"].is_array(), "{body}");
    // A field error is an execution that ran: `data` is there.
    let (status, body) = app
        .graphql(r#"{ node(id: "!!!") { id } }"#, json!({}))
        .await
        .status_and_json();
    assert_eq!(status, 200, "{body}");
    assert!(body.get("data").is_some(), "{body}");
    db.cleanup().await;
}
