//! Searches under load and searches too broad to run: shed or refused
//! with a code, while everything else keeps answering.

use std::time::Duration;

use osce_api::http::ratelimit::RateLimitSettings;
use osce_api::service::search_gate::SearchGate;
use serde_json::json;

use super::{SEED, search_releases};
use crate::support::{Backend, TestApp, TestDb, error_code, import_text};

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

/// A search costs its matches: after it ran, `extensions.cost.search` is
/// its matches / 100 (none when it came from the search cache), charged to
/// the client's cost budget, so broad searches spend a budget faster than
/// narrow ones of the same requested cost.
async fn searches_cost_their_matches(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let matches = 730;
    let releases: String = (0..matches)
        .map(|n| {
            json!({
                "type": "press_release", "slug": format!("quokka-census-{n}"),
                "title": format!("Quokka census, district {n}"), "date": "2024-05-01",
                "source": "secretariat", "language": "en",
                "body_html": "<p>The quokka census went on.</p>",
                "published_at": "2024-05-01T09:00:00Z", "updated_at": "2024-05-01T09:00:00Z"
            })
            .to_string()
                + "\n"
        })
        .collect();
    import_text(&db.conn, releases).await;
    let query = r#"{"query":"{ pressReleases(search: \"quokka\", first: 5) { totalCount } }"}"#;
    let probe = TestApp::new(db.state());
    let first = probe.post_json("/graphql", query).await.json();
    assert_eq!(first["data"]["pressReleases"]["totalCount"], matches);
    let cost = &first["extensions"]["cost"];
    let requested = cost["requested"].as_u64().unwrap();
    let search = cost["search"].as_u64().unwrap();
    assert_eq!(search, (matches as u64).div_ceil(100), "{cost}");
    // The same search for another page ranks nothing: its matches come
    // from the search cache.
    let other_page = query.replace("first: 5", "first: 6");
    let again = probe.post_json("/graphql", other_page).await.json();
    assert_eq!(again["extensions"]["cost"]["search"], 0, "{again}");

    // A budget that two such requests would fit in, but not two and the
    // first one's matches: the second is refused.
    let app = TestApp::new(db.state().with_rate_limits(RateLimitSettings {
        requests_per_minute: 0,
        cost_per_minute: 2 * requested + search - 1,
        trusted_proxies: Vec::new(),
        api_keys: Vec::new(),
    }));
    let client = app.with_peer("192.0.2.7:1000");
    let ran = client.post_json("/graphql", query).await;
    assert_eq!(ran.status, 200);
    let remaining: u64 = ran.headers["ratelimit-remaining"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(remaining, requested - 1, "the matches were charged");
    let refused = client.post_json("/graphql", query).await;
    assert_eq!(refused.status, 429, "{}", refused.text_lossy());
    assert_eq!(error_code(&refused.json()), Some("RATE_LIMITED"));
    db.cleanup().await;
}

crate::backend_and_production_tests!(
    searches_beyond_the_bound_are_shed_while_lists_answer,
    short_prefixes_are_refused,
    searches_cost_their_matches,
);
