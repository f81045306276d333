//! Filters and shortcuts against the GraphQL API, and 4xx for every bad
//! request.

use serde_json::{Value, json};

use super::readers::read_json_feed;
use super::{corpus_db, graphql_slugs, options, slug_of_guid};
use crate::support::{Backend, TestApp, TestDb};

pub(super) async fn filters_and_shortcuts_match_graphql(backend: Backend) {
    let Some(db) = corpus_db(backend, 150).await else {
        return;
    };
    let app = TestApp::new(db.state().with_feeds(options()));
    let cases: Vec<(&str, Value, usize)> = vec![
        ("/feeds/press-releases.json", json!({}), 20),
        ("/feeds/press-releases.json?limit=100", json!({}), 100),
        ("/feeds/press-releases.json?limit=3", json!({}), 3),
        (
            "/feeds/press-releases.json?field_of_work=human-rights",
            json!({ "fieldsOfWork": ["human-rights"] }),
            20,
        ),
        (
            "/feeds/fields-of-work/human-rights.json",
            json!({ "fieldsOfWork": ["human-rights"] }),
            20,
        ),
        (
            "/feeds/press-releases.json?country=am,az",
            json!({ "countries": ["AM", "AZ"] }),
            20,
        ),
        (
            "/feeds/countries/am.json",
            json!({ "countries": ["AM"] }),
            20,
        ),
        (
            "/feeds/countries/AM.json?field_of_work=elections",
            json!({ "countries": ["AM"], "fieldsOfWork": ["elections"] }),
            20,
        ),
        (
            "/feeds/press-releases.json?source=secretariat&include_descendants=true",
            json!({ "sources": ["secretariat"], "includeDescendants": true }),
            20,
        ),
        (
            "/feeds/org-units/secretariat.json?include_descendants=true&limit=50",
            json!({ "sources": ["secretariat"], "includeDescendants": true }),
            50,
        ),
        (
            "/feeds/org-units/minsk-group.json",
            json!({ "sources": ["minsk-group"] }),
            20,
        ),
        (
            "/feeds/press-releases.json?language=ru",
            json!({ "languages": ["ru"] }),
            20,
        ),
        (
            "/feeds/press-releases.json?date_from=2020-01-01&date_to=2022-12-31",
            json!({ "dateFrom": "2020-01-01", "dateTo": "2022-12-31" }),
            20,
        ),
    ];
    let mut nonempty = 0;
    for (uri, filter, first) in cases {
        let reply = app.get_no_500(uri).await;
        assert_eq!(reply.status, 200, "{uri}: {}", reply.text());
        let got: Vec<String> = read_json_feed(&reply.json())
            .iter()
            .map(|g| slug_of_guid(g))
            .collect();
        let expected = graphql_slugs(&app, filter, first).await;
        assert_eq!(got, expected, "{uri}");
        nonempty += usize::from(!got.is_empty());
    }
    assert!(
        nonempty >= 10,
        "the cases exercise real data ({nonempty} non-empty)"
    );

    // A search: every item matches it, newest first.
    let reply = app
        .get_no_500("/feeds/press-releases.json?q=ceasefire&limit=100")
        .await;
    let feed = reply.json();
    let items = feed["items"].as_array().unwrap();
    assert!(
        !items.is_empty(),
        "the generated corpus speaks of ceasefires"
    );
    let dates: Vec<&str> = items
        .iter()
        .map(|i| i["_osce"]["date"].as_str().unwrap())
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    let search_data = app
        .graphql_data(
            r#"{ pressReleases(search: "ceasefire", first: 100) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        items.len() as u64,
        search_data["pressReleases"]["totalCount"]
            .as_u64()
            .unwrap()
            .min(100)
    );
    assert!(feed["title"].as_str().unwrap().contains("“ceasefire”"));
    db.cleanup().await;
}

pub(super) async fn bad_requests_are_4xx_json(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state().with_feeds(options()));
    let cases: &[(&str, u16, &str)] = &[
        (
            "/feeds/press-releases.rss?country=XX",
            400,
            "unknown country: XX",
        ),
        (
            "/feeds/press-releases.atom?field_of_work=nope",
            400,
            "unknown field of work: nope",
        ),
        (
            "/feeds/press-releases.json?source=nope",
            400,
            "unknown source unit: nope",
        ),
        (
            "/feeds/press-releases.json?person=nobody",
            400,
            "unknown person: nobody",
        ),
        (
            "/feeds/press-releases.json?meeting_kind=party",
            400,
            "unknown meeting kind",
        ),
        (
            "/feeds/press-releases.json?limit=0",
            400,
            "`limit` must be an integer from 1 to 100",
        ),
        (
            "/feeds/press-releases.json?limit=101",
            400,
            "`limit` must be an integer from 1 to 100",
        ),
        (
            "/feeds/press-releases.json?limit=ten",
            400,
            "`limit` must be an integer",
        ),
        (
            "/feeds/press-releases.json?limit=5&limit=6",
            400,
            "may be given only once",
        ),
        (
            "/feeds/press-releases.json?date_from=2020-02-30",
            400,
            "`date_from` must be a date",
        ),
        (
            "/feeds/press-releases.json?date_from=2021-01-01&date_to=2020-01-01",
            400,
            "date range is empty",
        ),
        (
            "/feeds/press-releases.json?language=English",
            400,
            "`language` takes language tags",
        ),
        ("/feeds/press-releases.json?q=-ceasefire", 400, "search"),
        (
            "/feeds/press-releases.json?colour=red",
            400,
            "unknown query parameter: colour",
        ),
        (
            "/feeds/press-releases.json?count=5",
            400,
            "unknown query parameter: count",
        ),
        ("/feeds/countries/XX.rss", 404, "unknown country: XX"),
        (
            "/feeds/fields-of-work/nope.atom",
            404,
            "unknown field of work: nope",
        ),
        ("/feeds/org-units/nope.json", 404, "unknown unit: nope"),
        ("/feeds/press-releases.xml", 404, "feeds end in .rss"),
        ("/feeds/releases.rss", 404, "no feed"),
        ("/feeds/countries/.rss", 404, "no feed"),
        (
            "/embed/press-releases?theme=pink",
            400,
            "`theme` must be light, dark or auto",
        ),
        (
            "/embed/press-releases?count=0",
            400,
            "`count` must be an integer from 1 to 100",
        ),
        (
            "/embed/press-releases?limit=5",
            400,
            "unknown query parameter: limit",
        ),
        (
            "/embed/press-releases?country=XX",
            400,
            "unknown country: XX",
        ),
        (
            "/press-releases/no-such-release",
            404,
            "unknown press release",
        ),
    ];
    for (uri, status, message) in cases {
        let reply = app.get_no_500(uri).await;
        assert_eq!(reply.status.as_u16(), *status, "{uri}: {}", reply.text());
        assert!(
            reply.header("content-type").starts_with("application/json"),
            "{uri}"
        );
        let body = reply.json();
        let code = body["error"]["code"].as_str().unwrap();
        assert!(!code.is_empty());
        let got = body["error"]["message"].as_str().unwrap();
        assert!(got.contains(message), "{uri}: {got:?} lacks {message:?}");
    }
    let reply = app.get_no_500("/feeds/press-releases.json?limit=0").await;
    assert_eq!(reply.json()["error"]["details"]["parameter"], "limit");
    assert!(app.state.feed_cache.is_empty(), "errors are not cached");
    db.cleanup().await;
}
