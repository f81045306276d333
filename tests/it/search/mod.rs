//! Full-text search through the real router, on both backends: relevance of
//! the real release, a labelled query set, a brute-force oracle for what
//! matches, hostile input, and the index following imports.

mod oracle;
mod shedding;

use oracle::{documents, oracle};

use std::collections::{BTreeSet, HashMap};

use osce_api::model::Record;
use osce_api::model::sanitize::html_to_text;

use osce_api::search::parse;
use osce_api::storage::search_index::SearchDocument;
use osce_api::storage::tsvector::tsvector_literal;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp, TestDb, generated_corpus, import_text};

const SEED: &str = "press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25";

/// Hand-written releases with known answers, mixed into a generated corpus.
fn labelled_releases() -> String {
    let release = |slug: &str, title: &str, summary: &str, body: &str| {
        json!({
            "type": "press_release", "slug": slug, "title": title, "date": "2024-03-01",
            "source": "secretariat", "fields_of_work": ["environmental-activities"],
            "countries": ["TR"], "language": "en", "summary": summary,
            "body_html": format!("<p>{body}</p>"),
            "published_at": "2024-03-01T09:00:00Z", "updated_at": "2024-03-01T09:00:00Z"
        })
        .to_string()
            + "\n"
    };
    [
        release(
            "label-wildfire",
            "Wildfire preparedness exercise in Türkiye",
            "Fire services from three States trained together.",
            "Firefighters practised a joint response to forest wildfires near İzmir.",
        ),
        release(
            "label-glacier",
            "Glacial lake outburst floods: early warning for mountain valleys",
            "Hydrologists mapped glacial lakes.",
            "The project installs sensors on glacial lakes above mountain villages.",
        ),
        release(
            "label-phosphogypsum",
            "Clean-up of phosphogypsum waste begins",
            "A legacy of industrial pollution.",
            "Contractors started removing phosphogypsum stockpiles from the river bank.",
        ),
    ]
    .concat()
}

async fn search_releases(app: &TestApp, search: &str, first: usize) -> Vec<Value> {
    let data = app.graphql_data("query($s: String!, $n: Int!) { pressReleases(search: $s, first: $n) { edges { snippet relevance node { slug title } } } }",
        json!({ "s": search, "n": first }),
    )
    .await;
    data["pressReleases"]["edges"].as_array().unwrap().clone()
}

async fn the_real_release_and_labelled_queries_rank_first(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    import_text(
        &db.conn,
        &(generated_corpus(500, 21) + &labelled_releases()),
    )
    .await;
    let app = TestApp::new(db.state());
    for (query, expected) in [
        ("humanitarian ceasefire", SEED),
        ("\"Minsk Group\" Geneva", SEED),
        ("Turkiye wildfire", "label-wildfire"),
        ("wildfires", "label-wildfire"),
        ("izmir", "label-wildfire"),
        ("glacial lakes", "label-glacier"),
        ("\"early warning\" glacial", "label-glacier"),
        ("phosphogyps*", "label-phosphogypsum"),
        ("phosphogypsum -floods", "label-phosphogypsum"),
        ("glacier OR phosphogypsum", "label-phosphogypsum"),
    ] {
        let edges = search_releases(&app, query, 5).await;
        assert_eq!(
            edges[0]["node"]["slug"], expected,
            "{query:?} on {backend:?}: {edges:#?}"
        );
        let snippet = edges[0]["snippet"].as_str().unwrap();
        assert!(snippet.contains("<mark>"), "{query:?}: {snippet}");
        assert!(edges[0]["relevance"].as_f64().unwrap() > 0.0);
        // Relevance never increases down the list.
        let scores: Vec<f64> = edges
            .iter()
            .map(|e| e["relevance"].as_f64().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{query:?}: {scores:?}"
        );
    }
    // Excluding the answer's words removes it.
    let edges = search_releases(&app, "glacial -mountain", 5).await;
    assert!(edges.iter().all(|e| e["node"]["slug"] != "label-glacier"));
    db.cleanup().await;
}

async fn all_slugs(app: &TestApp, search: &str, filter: Value) -> (BTreeSet<String>, u64) {
    let mut slugs = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let data = app.graphql_data("query($s: String!, $f: PressReleaseFilterInput, $a: String) { pressReleases(search: $s, filter: $f, first: 37, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { slug } } }",
            json!({ "s": search, "f": filter, "a": after }),
        )
        .await;
        let connection = &data["pressReleases"];
        let total = connection["totalCount"].as_u64().unwrap();
        for node in connection["nodes"].as_array().unwrap() {
            assert!(
                slugs.insert(node["slug"].as_str().unwrap().to_string()),
                "{search:?}: a release repeated across pages"
            );
        }
        if !connection["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return (slugs, total);
        }
        after = connection["pageInfo"]["endCursor"]
            .as_str()
            .map(String::from);
    }
}

async fn matches_agree_with_a_brute_force_oracle(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let corpus = generated_corpus(300, 8) + &labelled_releases();
    import_text(&db.conn, &corpus).await;
    let app = TestApp::new(db.state());
    let (documents, stemmings) = documents(&corpus);
    let field = "conflict-prevention-and-resolution";
    for search in [
        "ceasefire monitoring",
        "\"ceasefire monitoring\"",
        "border OR customs",
        "trafficking -victims",
        "mediat*",
        "\"the peace process\" observers",
        "Türkiye",
        "elections OR \"human rights\" -media",
        "co-chairs",
    ] {
        let query = parse(search).unwrap();
        let want: BTreeSet<String> = documents
            .iter()
            .filter(|d| oracle(&query, d, &stemmings))
            .map(|d| d.slug.clone())
            .collect();
        let (got, total) = all_slugs(&app, search, Value::Null).await;
        assert_eq!(got, want, "{search:?} on {backend:?}");
        assert_eq!(total as usize, want.len());

        // With a filter, and the field-of-work facet counted without it.
        let want_in_field: BTreeSet<String> = documents
            .iter()
            .filter(|d| oracle(&query, d, &stemmings) && d.field.iter().any(|f| f == field))
            .map(|d| d.slug.clone())
            .collect();
        let (got, _) = all_slugs(&app, search, json!({ "fieldsOfWork": [field] })).await;
        assert_eq!(got, want_in_field, "{search:?} in {field}");
        let facets = app.graphql_data("query($s: String!, $f: PressReleaseFilterInput) { pressReleases(search: $s, filter: $f, first: 1) { facets { fieldsOfWork { fieldOfWork { slug } count } } } }",
            json!({ "s": search, "f": { "fieldsOfWork": [field] } }),
        )
        .await;
        let mut want_facet: HashMap<String, u64> = HashMap::new();
        for d in documents.iter().filter(|d| oracle(&query, d, &stemmings)) {
            for f in &d.field {
                *want_facet.entry(f.clone()).or_default() += 1;
            }
        }
        let got_facet: HashMap<String, u64> = facets["pressReleases"]["facets"]["fieldsOfWork"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["fieldOfWork"]["slug"].as_str().unwrap().to_string(),
                    c["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got_facet, want_facet, "{search:?}: facets");
    }
    db.cleanup().await;
}

async fn hostile_queries_get_results_or_bad_user_input(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state());
    let long = "ceasefire ".repeat(1_000);
    for search in [
        "\"unbalanced",
        "\"\"",
        "OR",
        "- - -",
        "* : ^ \" ( ) NEAR",
        "NEAR(ceasefire geneva, 2)",
        "title:ceasefire",
        "^minsk",
        "ceasefire*:*",
        "a & b | !c <-> d",
        "'; DROP TABLE press_release; --",
        "minsk\0group",
        "\u{0}",
        "the of and",
        long.as_str(),
        "*",
        "-minsk",
        "ceasefire OR",
        "OR ceasefire",
    ] {
        for query in [
            "query($s: String!) { pressReleases(search: $s, first: 5) { totalCount nodes { slug } edges { snippet } } }",
            "query($s: String!) { search(query: $s, first: 5) { totalCount edges { snippet node { __typename } } } }",
            "query($s: String!) { meetings(search: $s, first: 5) { nodes { slug } } people(search: $s, first: 5) { nodes { slug } } orgUnits(search: $s) { slug } }",
        ] {
            let (status, body) = app
                .graphql(query, json!({ "s": search }))
                .await
                .status_and_json();
            assert_eq!(status, 200, "{search:?}: {body}");
            if let Some(errors) = body.get("errors") {
                for error in errors.as_array().unwrap() {
                    assert_eq!(
                        error["extensions"]["code"], "BAD_USER_INPUT",
                        "{search:?}: {body}"
                    );
                    let message = error["message"].as_str().unwrap();
                    assert!(message.starts_with("search: "), "{message}");
                }
            }
        }
    }
    // Database text never leaks, and the service still answers.
    assert_eq!(
        search_releases(&app, "minsk", 1).await[0]["node"]["slug"],
        SEED
    );
    db.cleanup().await;
}

async fn search_across_types_and_the_index_follows_imports(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state());
    let data_of = |query: &'static str| {
        let app = app.clone();
        async move {
            app.graphql_data("query($s: String!) { search(query: $s, first: 20) { totalCount edges { snippet node { __typename ... on PressRelease { slug } ... on OrgUnit { slug } ... on Person { slug } ... on Meeting { slug } } } } }",
                json!({ "s": query }),
            )
            .await
        }
    };
    let result = data_of("Minsk Group").await;
    let kinds: BTreeSet<&str> = result["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["__typename"].as_str().unwrap())
        .collect();
    for kind in ["PressRelease", "OrgUnit", "Meeting", "Person"] {
        assert!(kinds.contains(kind), "{kind} missing: {result:#}");
    }
    // Paging through the union: every result once, in the first page's order.
    let total = result["search"]["totalCount"].as_u64().unwrap();
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = app.graphql_data("query($a: String) { search(query: \"Minsk Group\", first: 3, after: $a) { pageInfo { hasNextPage endCursor } edges { node { __typename ... on PressRelease { slug } ... on OrgUnit { slug } ... on Person { slug } ... on Meeting { slug } } } } }",
            json!({ "a": after }),
        )
        .await;
        for edge in page["search"]["edges"].as_array().unwrap() {
            seen.push(format!(
                "{}/{}",
                edge["node"]["__typename"], edge["node"]["slug"]
            ));
        }
        if !page["search"]["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = page["search"]["pageInfo"]["endCursor"]
            .as_str()
            .map(String::from);
    }
    assert_eq!(seen.len() as u64, total);
    assert_eq!(
        seen.iter().collect::<BTreeSet<_>>().len(),
        seen.len(),
        "{seen:?}"
    );
    let (_, body) = app
        .graphql(
            "{ search(query: \"Minsk\", first: 3, after: \"bm9wZQ\") { totalCount } }",
            json!({}),
        )
        .await
        .status_and_json();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );

    let result = data_of("Kasprzyk").await;
    assert_eq!(
        result["search"]["edges"][0]["node"]["slug"], "andrzej-kasprzyk",
        "{result:#}"
    );
    assert!(
        result["search"]["edges"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>Kasprzyk</mark>")
    );

    // A new release is found at once; an edit replaces its words.
    let release = |title: &str| {
        json!({
            "type": "press_release", "slug": "search-follows-writes", "title": title,
            "date": "2025-01-10", "source": "secretariat", "language": "en",
            "body_html": "<p>Body.</p>",
            "published_at": "2025-01-10T09:00:00Z", "updated_at": "2025-01-10T09:00:00Z"
        })
        .to_string()
    };
    import_text(&db.conn, &release("Zanzibar quokka symposium")).await;
    db.settle().await;
    assert_eq!(search_releases(&app, "quokka", 5).await.len(), 1);
    import_text(&db.conn, &release("Platypus symposium")).await;
    db.settle().await;
    assert!(search_releases(&app, "quokka", 5).await.is_empty());
    assert_eq!(search_releases(&app, "platypus", 5).await.len(), 1);
    db.cleanup().await;
}

/// The `tsvector` an import sends (built in Rust) equals what PostgreSQL's
/// own `to_tsvector` makes of the same folded text, up to its limits: long
/// words skipped, 16,383 positions, 255/256 positions per lexeme.
async fn tsvector_literal_equals_postgresql_to_tsvector(backend: Backend) {
    if backend != Backend::Postgres {
        return;
    }
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let release = serde_json::from_str::<Record>(
        osce_api::model::reference::REFERENCE_DATA
            .lines()
            .find(|l| l.contains(r#""type":"press_release""#))
            .expect("the seed release"),
    );
    let Ok(Record::PressRelease(release)) = release else {
        panic!("the seed release parses");
    };
    let body = html_to_text(&release.body_html);
    let repeated = vec!["Ceasefire monitoring"; 300].join(", ");
    let long_body: String = (0..17_000).map(|n| format!("w{} ", n % 5_000)).collect();
    let cases: Vec<(String, String, String)> = vec![
        (
            release.title.clone(),
            release.summary.clone().unwrap_or_default(),
            body,
        ),
        ("".into(), "".into(), "".into()),
        (
            "Türkiye Москва 中文字 ٣abc 123abc 1e5 0x1f".into(),
            "".into(),
            "Straße Ærø".into(),
        ),
        (repeated.clone(), repeated.clone(), repeated),
        (format!("a {} b", "x".repeat(3_000)), "a".into(), long_body),
    ];
    for (title, summary, body) in cases {
        let document = SearchDocument::new([title.as_str()], [summary.as_str()], [body.as_str()]);
        let row = db
            .conn
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                "SELECT (setweight(to_tsvector('simple', $1), 'A') || \
                 setweight(to_tsvector('simple', $2), 'B') || \
                 setweight(to_tsvector('simple', $3), 'C'))::text AS expected, \
                 CAST($4 AS tsvector)::text AS built",
                [
                    document.title.as_str().into(),
                    document.summary.as_str().into(),
                    document.body.as_str().into(),
                    tsvector_literal(&document).into(),
                ],
            ))
            .await
            .expect("compare")
            .expect("a row");
        let expected: String = row.try_get("", "expected").unwrap();
        let built: String = row.try_get("", "built").unwrap();
        assert!(expected == built, "{title:?}: {expected} != {built}");
    }
    db.cleanup().await;
}

crate::backend_and_production_tests!(
    tsvector_literal_equals_postgresql_to_tsvector,
    the_real_release_and_labelled_queries_rank_first,
    matches_agree_with_a_brute_force_oracle,
    hostile_queries_get_results_or_bad_user_input,
    search_across_types_and_the_index_follows_imports,
);
