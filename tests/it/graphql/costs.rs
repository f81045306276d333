//! The cost limit bounds work (issue 24, defect 1): unpaged lists cost
//! their length, `nodes(ids:)` is one batch, and an answer has a size cap.

use std::sync::atomic::Ordering;

use osce_api::AppState;
use osce_api::graphql::limits::Limits;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp, TestDb, error_code, generated_corpus, import_text};

/// The outside reviewers' query: 25 aliases of every country's releases.
fn aliased_countries(aliases: usize) -> String {
    let one = "countries { code pressReleases(first: 100) { nodes { slug title bodyHtml bodyText source { name } fieldsOfWork { name } } } }";
    let fields: String = (0..aliases).map(|i| format!("c{i}: {one} ")).collect();
    format!("{{ {fields} }}")
}

pub(super) async fn unpaged_lists_cost_their_length(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(AppState::new(db.conn.clone()));
    // Once the catalog is held, its real counts price the lists.
    app.graphql_data("{ fieldsOfWork { slug } }", json!({}))
        .await;
    let (status, body) = app
        .graphql(&aliased_countries(25), json!({}))
        .await
        .status_and_json();
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), Some("QUERY_TOO_COSTLY"), "{body}");
    assert!(
        body.get("data").is_none(),
        "a request error has no data: {body}"
    );
    // Even one alias is 68 pages of 100.
    let (status, body) = app
        .graphql(&aliased_countries(1), json!({}))
        .await
        .status_and_json();
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), Some("QUERY_TOO_COSTLY"), "{body}");

    // What a list costs is reported, and is its length.
    let body = app
        .graphql("{ countries { code name } }", json!({}))
        .await
        .json();
    let countries = body["data"]["countries"].as_array().unwrap().len() as u64;
    assert!(countries >= 50, "{countries}");
    assert_eq!(body["extensions"]["cost"]["requested"], countries, "{body}");

    // GraphiQL's own introspection query still fits.
    let introspection = r#"query IntrospectionQuery { __schema { queryType { name }
        types { kind name description fields(includeDeprecated: true) { name description
        args { name description type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } defaultValue }
        type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } isDeprecated deprecationReason }
        inputFields { name type { kind name ofType { kind name } } } interfaces { name }
        enumValues(includeDeprecated: true) { name description } possibleTypes { name } }
        directives { name locations args { name } } } }"#;
    let (status, body) = app
        .graphql(introspection, json!({}))
        .await
        .status_and_json();
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    db.cleanup().await;
}

pub(super) async fn nodes_are_one_batch(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    import_text(&db.conn, generated_corpus(120, 5)).await;
    let (counted, statements) = super::counted_connection(&db).await;
    let app = TestApp::new(AppState::new(counted));
    let page = app
        .graphql_data(
            "{ pressReleases(first: 100) { nodes { id } } countries { id } orgUnits { id } }",
            json!({}),
        )
        .await;
    let mut ids: Vec<Value> = page["pressReleases"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].clone())
        .collect();
    ids.truncate(90);
    ids.extend(
        page["countries"].as_array().unwrap()[..5]
            .iter()
            .map(|n| n["id"].clone()),
    );
    ids.extend(
        page["orgUnits"].as_array().unwrap()[..5]
            .iter()
            .map(|n| n["id"].clone()),
    );
    let query = "query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }";
    for round in 0..2 {
        statements.store(0, Ordering::SeqCst);
        let data = app.graphql_data(query, json!({ "ids": ids })).await;
        let found = data["nodes"].as_array().unwrap();
        assert_eq!(found.len(), 100);
        // In the order asked, each the object named.
        for (asked, got) in ids.iter().zip(found) {
            assert_eq!(&got["id"], asked);
        }
        // One query for the releases (the catalog is held after the page
        // above): 90 ids are not 90 queries.
        let n = statements.load(Ordering::SeqCst);
        assert!(n <= 3, "round {round}: {n} statements for 100 ids");
    }
    // A repeated and an unknown id: the same object twice, and null.
    let unknown = json!("UHJlc3NSZWxlYXNlOm5vLXN1Y2gtcmVsZWFzZQ"); // PressRelease:no-such-release
    let data = app
        .graphql_data(query, json!({ "ids": [ids[0], unknown, ids[0]] }))
        .await;
    assert_eq!(data["nodes"][0]["id"], ids[0]);
    assert_eq!(data["nodes"][1], Value::Null);
    assert_eq!(data["nodes"][2]["id"], ids[0]);
    db.cleanup().await;
}

pub(super) async fn answers_have_a_size_cap(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    import_text(&db.conn, generated_corpus(100, 6)).await;
    let limits = Limits {
        max_response_bytes: 64 * 1024,
        ..Limits::default()
    };
    let app = TestApp::new(AppState::new(db.conn.clone()).with_graphql(limits, true));
    let small = app
        .graphql("{ pressReleases(first: 5) { nodes { slug } } }", json!({}))
        .await;
    assert_eq!(small.status_u16(), 200);
    let (status, body) = app
        .graphql(
            "{ pressReleases(first: 100) { nodes { slug bodyHtml bodyText } } }",
            json!({}),
        )
        .await
        .status_and_json();
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), Some("RESPONSE_TOO_LARGE"), "{body}");
    assert!(body.get("data").is_none(), "{body}");
    db.cleanup().await;
}
