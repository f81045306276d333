//! The GraphQL API through the real router: schema, queries, filters
//! against a brute-force oracle, paging, errors, batching.

mod conventions;
mod costs;
mod dated;
mod errors;
mod graphiql;
mod listing;
mod meeting_oracle;
mod oracle;
mod orders;
mod people_oracle;

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use osce_api::AppState;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp, TestDb, generated_corpus, import_text};

use conventions::{request_errors_have_no_data_and_say_where, the_schema_follows_conventions};
use costs::{answers_have_a_size_cap, nodes_are_one_batch, unpaged_lists_cost_their_length};
use dated::{
    a_release_shows_the_role_held_on_its_date, children_are_those_open_on_the_day,
    co_chairs_are_those_in_office_on_the_day, roles_are_those_held_on_the_day,
};
use errors::bad_requests_get_coded_errors;
use meeting_oracle::meeting_filters_match_an_oracle;
use oracle::filters_match_a_brute_force_oracle;
use orders::{meeting_orders_match_an_oracle, release_orders_match_an_oracle};
use people_oracle::people_filters_match_an_oracle;

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
    let app = TestApp::new(db.state());
    let data = app.graphql_data(r#"{ coChairs(group: "minsk-group", activeOn: "2020-10-25") { title person { name } representing { code } } }"#,
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

    let release = data_of_seed_release(&app).await;
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

async fn data_of_seed_release(app: &TestApp) -> Value {
    let data = app.graphql_data(r#"query($slug: String!) { pressRelease(slug: $slug) { id title date source { slug } fieldsOfWork { slug }
            people { person { slug } role { title representing { code } } } meetings { slug } bodyText } }"#,
        json!({ "slug": "press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25" }),
    )
    .await;
    data["pressRelease"].clone()
}

async fn statements_do_not_grow_with_the_page(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let corpus = generated_corpus(300, 3);
    import_text(&db.conn, &corpus).await;
    let (counted, statements) = counted_connection(&db).await;
    // A generous batch window, so that a slow debug build still gathers each
    // level's keys into one batch: this test is about batching, not timing.
    let app = TestApp::new(
        AppState::new(counted).with_loader_delay(std::time::Duration::from_millis(50)),
    );
    let query = r#"query($first: Int) { pressReleases(first: $first) { totalCount nodes {
        slug title date source { name parent { name } } fieldsOfWork { name } countries { name }
        people { person { name } role { title orgUnit { name } representing { code } } }
        meetings { title country { name } fieldsOfWork { name } } translations { language title } } } }"#;
    let mut counts = Vec::new();
    for first in [40, 100] {
        app.graphql_data(query, json!({ "first": first })).await; // warms the release index
        statements.store(0, Ordering::SeqCst);
        let d = app.graphql_data(query, json!({ "first": first })).await;
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

async fn the_index_follows_imports(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state());
    let count = r#"{ pressReleases(first: 1) { totalCount } }"#;
    assert_eq!(
        app.graphql_data(count, json!({})).await["pressReleases"]["totalCount"],
        1
    );
    import_text(&db.conn, generated_corpus(20, 1)).await;
    db.settle().await;
    assert_eq!(
        app.graphql_data(count, json!({})).await["pressReleases"]["totalCount"],
        21,
        "a second replica sees the import"
    );
    db.cleanup().await;
}

async fn example_queries_run(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state());
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
        let (status, body) = app.graphql(&query, variables).await.status_and_json();
        assert_eq!(status, 200, "{}: {body}", path.display());
        assert!(body.get("errors").is_none(), "{}: {body}", path.display());
        ran += 1;
    }
    assert!(ran >= 5, "found {ran} example queries");
    db.cleanup().await;
}

/// A second connection to the test's database that counts the SQL
/// statements it runs (`SHOW_SQL=1` prints them), for tests of how many
/// statements an answer takes.
pub(super) async fn counted_connection(
    db: &TestDb,
) -> (sea_orm::DatabaseConnection, Arc<AtomicUsize>) {
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
    (counted, statements)
}

crate::backend_and_production_tests!(
    minsk_group_co_chairs_in_october_2020,
    filters_match_a_brute_force_oracle,
    statements_do_not_grow_with_the_page,
    bad_requests_get_coded_errors,
    the_index_follows_imports,
    example_queries_run,
    unpaged_lists_cost_their_length,
    nodes_are_one_batch,
    answers_have_a_size_cap,
    the_schema_follows_conventions,
    request_errors_have_no_data_and_say_where,
    co_chairs_are_those_in_office_on_the_day,
    children_are_those_open_on_the_day,
    roles_are_those_held_on_the_day,
    a_release_shows_the_role_held_on_its_date,
    release_orders_match_an_oracle,
    meeting_orders_match_an_oracle,
    people_filters_match_an_oracle,
    meeting_filters_match_an_oracle,
);
