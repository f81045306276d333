//! Searches under load and searches too broad to run: shed or refused
//! with a code, while everything else keeps answering.

use std::time::Duration;

use osce_api::service::search_gate::SearchGate;
use serde_json::json;

use super::{SEED, search_releases};
use crate::support::{Backend, TestApp, TestDb, error_code};

/// Searches beyond the bound wait, then are shed with a fast 503 that says
/// when to retry; lists and feeds keep answering meanwhile (issue 24,
/// defect 2: 32 searches at once took the whole pool).
async fn searches_beyond_the_bound_are_shed_while_lists_answer(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let gate = SearchGate::new(1, Duration::from_millis(50));
    let app = TestApp::new(db.state().with_search_gate(gate.clone()));
    let running = gate.enter().await.unwrap();
    for query in [
        r#"{ pressReleases(search: "ceasefire", first: 5) { totalCount } }"#,
        r#"{ search(query: "ceasefire", first: 5) { totalCount } }"#,
    ] {
        let reply = app.graphql(query, json!({})).await;
        let (status, body) = reply.status_and_json();
        assert_eq!(status, 503, "{body}");
        assert_eq!(reply.header("retry-after"), "1");
        assert_eq!(error_code(&body), Some("SEARCH_BUSY"), "{body}");
    }
    let reply = app.get("/api/v1/press-releases?q=ceasefire").await;
    let (status, body) = reply.status_and_json();
    assert_eq!(status, 503, "{body}");
    assert_eq!(reply.header("retry-after"), "1");
    assert_eq!(body["error"]["code"], "search_busy", "{body}");
    // Everything that does not search still answers.
    let data = app
        .graphql_data(
            "{ pressReleases(first: 5) { totalCount } countries { code } }",
            json!({}),
        )
        .await;
    assert!(data["pressReleases"]["totalCount"].as_u64().unwrap() >= 1);
    assert_eq!(
        app.get("/api/v1/press-releases?limit=5").await.status_u16(),
        200
    );
    assert_eq!(
        app.get("/feeds/press-releases.atom").await.status_u16(),
        200
    );
    // A search waiting less than the bound's patience gets its turn.
    let waiting = {
        let app = app.clone();
        tokio::spawn(async move { search_releases(&app, "minsk", 1).await })
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    drop(running);
    assert_eq!(waiting.await.unwrap()[0]["node"]["slug"], SEED);
    db.cleanup().await;
}

/// A one- or two-letter prefix would match most of the corpus: refused
/// with a message that says how long a prefix must be.
async fn short_prefixes_are_refused(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state());
    for search in ["a*", "mi*", "minsk a*"] {
        let (status, body) = app
            .graphql(
                "query($s: String!) { pressReleases(search: $s, first: 5) { totalCount } }",
                json!({ "s": search }),
            )
            .await
            .status_and_json();
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            error_code(&body),
            Some("BAD_USER_INPUT"),
            "{search}: {body}"
        );
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("at least 3 letters"), "{message}");
        let reply = app
            .get(&format!(
                "/api/v1/press-releases?q={}",
                search.replace(' ', "+").replace('*', "%2A")
            ))
            .await;
        assert_eq!(reply.status_u16(), 400, "{search}");
    }
    assert_eq!(
        search_releases(&app, "min*", 1).await[0]["node"]["slug"],
        SEED
    );
    db.cleanup().await;
}

crate::backend_tests!(
    searches_beyond_the_bound_are_shed_while_lists_answer,
    short_prefixes_are_refused
);
crate::production_tests!(
    searches_beyond_the_bound_are_shed_while_lists_answer,
    short_prefixes_are_refused
);
