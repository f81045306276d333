//! The GraphQL API through the real router: schema, queries, filters
//! against a brute-force oracle, paging, errors, batching.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use axum::{body::Body, http::Request};
use http_body_util::BodyExt;
use osce_api::model::{self, Record};
use osce_api::{AppState, app};
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{Backend, TestDb, generated_corpus, import_text};

pub async fn post(state: &AppState, query: &str, variables: Value) -> (u16, Value) {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).expect("JSON response"),
    )
}

/// Posts and insists on no errors; returns `data`.
pub async fn data(state: &AppState, query: &str, variables: Value) -> Value {
    let (status, body) = post(state, query, variables).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    body["data"].clone()
}

fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

#[test]
fn checked_in_schema_is_what_the_server_serves() {
    let served = osce_api::graphql::sdl();
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    assert!(
        served == checked_in,
        "schema.graphql is stale: run `cargo run -- schema --output schema.graphql`"
    );
}

async fn minsk_group_co_chairs_in_october_2020(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone());
    let data = data(
        &state,
        r#"{ coChairs(group: "minsk-group", activeOn: "2020-10-25") { title person { name } representing { code } } }"#,
        json!({}),
    )
    .await;
    let mut got: Vec<(String, String)> = data["coChairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["person"]["name"].as_str().unwrap().to_string(),
                r["representing"]["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("Andrew Schofer".into(), "US".into()),
            ("Igor Popov".into(), "RU".into()),
            ("Stephane Visconti".into(), "FR".into())
        ]
    );

    let release = data_of_seed_release(&state).await;
    assert_eq!(release["source"]["slug"], "minsk-group");
    assert_eq!(
        release["fieldsOfWork"][0]["slug"],
        "conflict-prevention-and-resolution"
    );
    let people: Vec<(&str, Option<&str>)> = release["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["person"]["slug"].as_str().unwrap(),
                p["role"]["title"].as_str(),
            )
        })
        .collect();
    assert_eq!(people[0], ("igor-popov", Some("Co-Chair")));
    assert_eq!(release["meetings"].as_array().unwrap().len(), 2);
    assert!(
        release["bodyText"]
            .as_str()
            .unwrap()
            .contains("humanitarian ceasefire")
    );
    db.cleanup().await;
}

async fn data_of_seed_release(state: &AppState) -> Value {
    let data = data(
        state,
        r#"query($slug: String!) { pressRelease(slug: $slug) { id title date source { slug } fieldsOfWork { slug }
            people { person { slug } role { title representing { code } } } meetings { slug } bodyText } }"#,
        json!({ "slug": "press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25" }),
    )
    .await;
    data["pressRelease"].clone()
}

/// A release as the oracle sees it.
#[derive(Clone)]
struct Oracle {
    slug: String,
    date: chrono::NaiveDate,
    fields: HashSet<String>,
    countries: HashSet<String>,
    source: String,
    language: String,
}

fn oracle_of(corpus: &str) -> (Vec<Oracle>, HashMap<String, Option<String>>) {
    let mut releases = Vec::new();
    let mut parents = HashMap::new();
    for line in corpus.lines() {
        match serde_json::from_str::<Record>(line).unwrap() {
            Record::PressRelease(r) => releases.push(release_oracle(&r)),
            Record::OrgUnit(u) => {
                parents.insert(u.slug.to_string(), u.parent.map(|p| p.to_string()));
            }
            _ => {}
        }
    }
    (releases, parents)
}

fn release_oracle(r: &model::PressRelease) -> Oracle {
    Oracle {
        slug: r.slug.to_string(),
        date: r.date,
        fields: r.fields_of_work.iter().map(|f| f.to_string()).collect(),
        countries: r.countries.iter().map(|c| c.to_string()).collect(),
        source: r.source.to_string(),
        language: r.language.to_string(),
    }
}

fn descends_from(parents: &HashMap<String, Option<String>>, unit: &str, ancestor: &str) -> bool {
    let mut current = Some(unit.to_string());
    while let Some(u) = current {
        if u == ancestor {
            return true;
        }
        current = parents.get(&u).cloned().flatten();
    }
    false
}

/// Every page of a query, following `endCursor`, as slugs.
async fn all_pages(
    state: &AppState,
    filter: &Value,
    order: &str,
    page: usize,
) -> (Vec<String>, u64) {
    let query = r#"query($filter: PressReleaseFilterInput, $order: PressReleaseOrder!, $first: Int, $after: String) {
        pressReleases(filter: $filter, orderBy: $order, first: $first, after: $after) {
            totalCount nodes { slug } pageInfo { hasNextPage endCursor } } }"#;
    let mut slugs = Vec::new();
    let mut after = Value::Null;
    let mut total: u64;
    loop {
        let d = data(
            state,
            query,
            json!({ "filter": filter, "order": order, "first": page, "after": after }),
        )
        .await;
        let connection = &d["pressReleases"];
        total = connection["totalCount"].as_u64().unwrap();
        slugs.extend(
            connection["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["slug"].as_str().unwrap().to_string()),
        );
        if !connection["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return (slugs, total);
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
}

/// Slugs that share a date are ordered by internal id, which the oracle
/// does not know: compare dates in order, and sets.
fn assert_same_listing(
    got: &[String],
    expected: &[&Oracle],
    by_slug: &HashMap<String, &Oracle>,
    what: &str,
) {
    assert_eq!(got.len(), expected.len(), "{what}: count");
    let got_dates: Vec<_> = got.iter().map(|s| by_slug[s].date).collect();
    let want_dates: Vec<_> = expected.iter().map(|r| r.date).collect();
    assert_eq!(got_dates, want_dates, "{what}: order");
    let got_set: HashSet<&String> = got.iter().collect();
    assert_eq!(got_set.len(), got.len(), "{what}: an item repeated");
    let want_set: HashSet<&String> = expected.iter().map(|r| &r.slug).collect();
    assert_eq!(got_set, want_set, "{what}: items");
}

async fn filters_match_a_brute_force_oracle(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let mut corpus = generated_corpus(600, 99);
    // Many releases on one day, to test paging through ties.
    for i in 0..40 {
        corpus.push_str(&format!(
            r#"{{"type":"press_release","slug":"same-day-{i}","title":"Same day {i}","date":"2019-05-05","source":"mission-to-serbia","fields_of_work":["rule-of-law"],"countries":["RS"],"language":"en","body_html":"<p>x</p>","published_at":"2019-05-05T10:00:00Z","updated_at":"2019-05-05T10:00:00Z"}}"#
        ));
        corpus.push('\n');
    }
    import_text(&db.conn, &corpus).await;
    let state = AppState::new(db.conn.clone());
    let (mut releases, parents) = oracle_of(&corpus);
    let seed_release = {
        let seed = osce_api::model::reference::REFERENCE_DATA
            .lines()
            .find(|l| l.contains("\"type\":\"press_release\""))
            .unwrap();
        match serde_json::from_str::<Record>(seed).unwrap() {
            Record::PressRelease(r) => release_oracle(&r),
            _ => unreachable!(),
        }
    };
    if !releases.iter().any(|r| r.slug == seed_release.slug) {
        releases.push(seed_release);
    }
    let by_slug: HashMap<String, &Oracle> = releases.iter().map(|r| (r.slug.clone(), r)).collect();

    let fields = [
        "rule-of-law",
        "human-rights",
        "elections",
        "conflict-prevention-and-resolution",
        "youth",
    ];
    let countries = ["RS", "UA", "AT", "KZ", "US", "MD"];
    let sources = [
        "field-operations",
        "secretariat",
        "odihr",
        "mission-to-serbia",
        "institutions",
    ];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    for round in 0..30 {
        let pick = |rng: &mut rand_chacha::ChaCha8Rng, options: &[&str]| -> Vec<String> {
            let n = rng.random_range(0..3);
            (0..n)
                .map(|_| options[rng.random_range(0..options.len())].to_string())
                .collect()
        };
        let f = pick(&mut rng, &fields);
        let c = pick(&mut rng, &countries);
        let s = pick(&mut rng, &sources);
        let descendants = rng.random_bool(0.5);
        let from = rng
            .random_bool(0.5)
            .then(|| chrono::NaiveDate::from_ymd_opt(rng.random_range(1996..2024), 1, 1).unwrap());
        let to = rng
            .random_bool(0.5)
            .then(|| chrono::NaiveDate::from_ymd_opt(rng.random_range(2005..2027), 6, 30).unwrap());
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            continue;
        }
        let languages: Vec<String> = if rng.random_bool(0.2) {
            vec!["en".into()]
        } else {
            vec![]
        };
        let filter = json!({
            "fieldsOfWork": f, "countries": c, "sources": s, "includeDescendants": descendants,
            "dateFrom": from.map(|d| d.to_string()), "dateTo": to.map(|d| d.to_string()), "languages": languages,
        });
        let matches = |r: &Oracle| {
            (f.is_empty() || f.iter().any(|x| r.fields.contains(x)))
                && (c.is_empty() || c.iter().any(|x| r.countries.contains(x)))
                && (s.is_empty()
                    || s.iter().any(|x| {
                        if descendants {
                            descends_from(&parents, &r.source, x)
                        } else {
                            &r.source == x
                        }
                    }))
                && from.is_none_or(|d| r.date >= d)
                && to.is_none_or(|d| r.date <= d)
                && (languages.is_empty() || languages.contains(&r.language))
        };
        let mut expected: Vec<&Oracle> = releases.iter().filter(|r| matches(r)).collect();
        expected.sort_by_key(|r| std::cmp::Reverse(r.date));
        let page = [7, 25, 100][round % 3];
        let (got, total) = all_pages(&state, &filter, "DATE_DESC", page).await;
        assert_eq!(
            total as usize,
            expected.len(),
            "round {round}: totalCount for {filter}"
        );
        assert_same_listing(
            &got,
            &expected,
            &by_slug,
            &format!("round {round} {filter}"),
        );

        // Facets: each counted with the other filters applied.
        let d = data(
            &state,
            r#"query($filter: PressReleaseFilterInput) { pressReleases(filter: $filter, first: 1) {
                facets { fieldsOfWork { fieldOfWork { slug } count } countries { country { code } count }
                         sources { orgUnit { slug } count } years { year count } } } }"#,
            json!({ "filter": filter }),
        )
        .await;
        let mut want_fields: BTreeMap<String, u64> = BTreeMap::new();
        let without_fields = |r: &Oracle| {
            (c.is_empty() || c.iter().any(|x| r.countries.contains(x)))
                && (s.is_empty()
                    || s.iter().any(|x| {
                        if descendants {
                            descends_from(&parents, &r.source, x)
                        } else {
                            &r.source == x
                        }
                    }))
                && from.is_none_or(|d| r.date >= d)
                && to.is_none_or(|d| r.date <= d)
                && (languages.is_empty() || languages.contains(&r.language))
        };
        for r in releases.iter().filter(|r| without_fields(r)) {
            for field in &r.fields {
                *want_fields.entry(field.clone()).or_default() += 1;
            }
        }
        let got_fields: BTreeMap<String, u64> = d["pressReleases"]["facets"]["fieldsOfWork"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["fieldOfWork"]["slug"].as_str().unwrap().to_string(),
                    x["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got_fields, want_fields,
            "round {round}: field facets for {filter}"
        );
        // Countries and sources likewise, each without its own filter.
        let in_sources = |r: &Oracle| {
            s.is_empty()
                || s.iter().any(|x| {
                    if descendants {
                        descends_from(&parents, &r.source, x)
                    } else {
                        &r.source == x
                    }
                })
        };
        let in_dates_and_language = |r: &Oracle| {
            from.is_none_or(|d| r.date >= d)
                && to.is_none_or(|d| r.date <= d)
                && (languages.is_empty() || languages.contains(&r.language))
        };
        let mut want_countries: BTreeMap<String, u64> = BTreeMap::new();
        let mut want_sources: BTreeMap<String, u64> = BTreeMap::new();
        for r in &releases {
            let in_fields = f.is_empty() || f.iter().any(|x| r.fields.contains(x));
            let in_countries = c.is_empty() || c.iter().any(|x| r.countries.contains(x));
            if in_fields && in_sources(r) && in_dates_and_language(r) {
                for country in &r.countries {
                    *want_countries.entry(country.clone()).or_default() += 1;
                }
            }
            if in_fields && in_countries && in_dates_and_language(r) {
                *want_sources.entry(r.source.clone()).or_default() += 1;
            }
        }
        let facet = |name: &str, item: &str, key: &str| -> BTreeMap<String, u64> {
            d["pressReleases"]["facets"][name]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    (
                        x[item][key].as_str().unwrap().to_string(),
                        x["count"].as_u64().unwrap(),
                    )
                })
                .collect()
        };
        assert_eq!(
            facet("countries", "country", "code"),
            want_countries,
            "round {round}: country facets for {filter}"
        );
        assert_eq!(
            facet("sources", "orgUnit", "slug"),
            want_sources,
            "round {round}: source facets for {filter}"
        );
        let year_total: u64 = d["pressReleases"]["facets"]["years"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y["count"].as_u64().unwrap())
            .sum();
        let want_year_total = releases
            .iter()
            .filter(|r| {
                (f.is_empty() || f.iter().any(|x| r.fields.contains(x)))
                    && (c.is_empty() || c.iter().any(|x| r.countries.contains(x)))
                    && (s.is_empty()
                        || s.iter().any(|x| {
                            if descendants {
                                descends_from(&parents, &r.source, x)
                            } else {
                                &r.source == x
                            }
                        }))
                    && (languages.is_empty() || languages.contains(&r.language))
            })
            .count() as u64;
        assert_eq!(
            year_total, want_year_total,
            "round {round}: year facets ignore the date filter"
        );
    }

    // Backward paging over the same list gives the same items in the same order.
    let filter = json!({ "countries": ["RS"] });
    let (forward, _) = all_pages(&state, &filter, "DATE_DESC", 9).await;
    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let d = data(
            &state,
            r#"query($filter: PressReleaseFilterInput, $before: String) { pressReleases(filter: $filter, last: 9, before: $before) {
                nodes { slug } pageInfo { hasPreviousPage startCursor } } }"#,
            json!({ "filter": filter, "before": before }),
        )
        .await;
        let connection = &d["pressReleases"];
        let mut page: Vec<String> = connection["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["slug"].as_str().unwrap().to_string())
            .collect();
        page.append(&mut backward);
        backward = page;
        if !connection["pageInfo"]["hasPreviousPage"].as_bool().unwrap() {
            break;
        }
        before = connection["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, forward, "paging backward gives the same list");
    assert!(
        forward
            .iter()
            .filter(|s| s.starts_with("same-day-"))
            .count()
            == 40
    );

    // Title order: every item once, sorted by title.
    let (by_title, total) =
        all_pages(&state, &json!({ "countries": ["RS"] }), "TITLE_ASC", 13).await;
    assert_eq!(by_title.len() as u64, total);
    assert_eq!(
        by_title.iter().collect::<HashSet<_>>().len(),
        by_title.len()
    );
    db.cleanup().await;
}

async fn statements_do_not_grow_with_the_page(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let corpus = generated_corpus(300, 3);
    import_text(&db.conn, &corpus).await;
    let mut counted =
        osce_api::storage::connect(&osce_api::storage::DbSettings::new(db.url.clone(), 4))
            .await
            .unwrap();
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&statements);
    counted.set_metric_callback(move |info| {
        counter.fetch_add(1, Ordering::SeqCst);
        if std::env::var("SHOW_SQL").is_ok() {
            eprintln!(
                "SQL {}",
                info.statement.sql.chars().take(90).collect::<String>()
            );
        }
    });
    // A generous batch window, so that a slow debug build still gathers each
    // level's keys into one batch: this test is about batching, not timing.
    let state = AppState::new(counted).with_loader_delay(std::time::Duration::from_millis(50));
    let query = r#"query($first: Int) { pressReleases(first: $first) { totalCount nodes {
        slug title date source { name parent { name } } fieldsOfWork { name } countries { name }
        people { person { name } role { title orgUnit { name } representing { code } } }
        meetings { title country { name } fieldsOfWork { name } } translations { language title } } } }"#;
    let mut counts = Vec::new();
    for first in [40, 100] {
        data(&state, query, json!({ "first": first })).await; // warms the release index
        statements.store(0, Ordering::SeqCst);
        let d = data(&state, query, json!({ "first": first })).await;
        assert_eq!(d["pressReleases"]["nodes"].as_array().unwrap().len(), first);
        counts.push(statements.load(Ordering::SeqCst));
    }
    // One statement per relation and nesting level (two relations on the
    // same level may or may not share a batch, hence a bound, not equality):
    // about 20, whether the page holds 40 releases or 100.
    assert!(
        counts.iter().all(|&n| n <= 22),
        "SQL statements for 40 and 100 releases: {counts:?}"
    );
    assert!(
        counts[1].abs_diff(counts[0]) <= 2,
        "SQL statements for 40 and 100 releases: {counts:?}"
    );
    db.cleanup().await;
}

async fn bad_requests_get_coded_errors(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone());
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
        let (status, body) = post(&state, query, json!({})).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(error_code(&body), Some(code), "{query}: {body}");
    }
    let (_, body) = post(
        &state,
        r#"{ pressRelease(slug: "nope") { title } }"#,
        json!({}),
    )
    .await;
    assert_eq!(body["data"]["pressRelease"], Value::Null);
    assert!(body.get("errors").is_none());

    // A syntax error with the GraphQL-over-HTTP media type: 400.
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body(Body::from(r#"{"query":"{ pressReleases("}"#))
        .unwrap();
    let response = app(state.clone()).oneshot(request).await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        response.headers()["content-type"],
        "application/graphql-response+json"
    );

    // GET for queries; GraphiQL for browsers.
    let request = Request::get("/graphql?query=%7BfieldsOfWork%7Bslug%7D%7D")
        .body(Body::empty())
        .unwrap();
    let response = app(state.clone()).oneshot(request).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["data"]["fieldsOfWork"].as_array().unwrap().len(), 23);
    let request = Request::get("/graphql")
        .header("accept", "text/html")
        .body(Body::empty())
        .unwrap();
    let response = app(state.clone()).oneshot(request).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let html = String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(html.contains("graphiql"), "GraphiQL page");
    db.cleanup().await;
}

async fn the_index_follows_imports(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone());
    let count = r#"{ pressReleases(first: 1) { totalCount } }"#;
    assert_eq!(
        data(&state, count, json!({})).await["pressReleases"]["totalCount"],
        1
    );
    import_text(&db.conn, generated_corpus(20, 1)).await;
    assert_eq!(
        data(&state, count, json!({})).await["pressReleases"]["totalCount"],
        21,
        "a second replica sees the import"
    );
    db.cleanup().await;
}

async fn example_queries_run(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone());
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/queries");
    let mut ran = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("graphql") {
            continue;
        }
        let query = std::fs::read_to_string(&path).unwrap();
        let variables_path = path.with_extension("json");
        let variables: Value = std::fs::read_to_string(&variables_path)
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or(json!({}));
        let (status, body) = post(&state, &query, variables).await;
        assert_eq!(status, 200, "{}: {body}", path.display());
        assert!(body.get("errors").is_none(), "{}: {body}", path.display());
        ran += 1;
    }
    assert!(ran >= 5, "found {ran} example queries");
    db.cleanup().await;
}

crate::backend_tests!(
    minsk_group_co_chairs_in_october_2020,
    filters_match_a_brute_force_oracle,
    statements_do_not_grow_with_the_page,
    bad_requests_get_coded_errors,
    the_index_follows_imports,
    example_queries_run,
);
