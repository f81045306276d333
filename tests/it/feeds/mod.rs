//! Feeds and embeds through the real router: every format read back by real
//! parsers (the `rss` and `atom_syndication` crates, Python's feedparser),
//! JSON Feed 1.1 checked field by field, filters and shortcuts against the
//! GraphQL API, conditional requests, HEAD, invalidation by an import,
//! languages (`languages`), and 4xx for every bad request.

mod caching;
mod embeds;
mod filters;
mod formats;
mod languages;
mod readers;

use std::time::Duration;

use osce_api::feeds::{FeedOptions, PublicUrl};
use serde_json::{Value, json};

use crate::support::{Backend, TestApp, TestDb, generated_corpus, import_text};

use caching::{
    an_import_invalidates_the_cache, conditional_requests_and_head,
    validators_never_lie_in_the_future,
};
use embeds::embed_page_script_and_cors;
use filters::{bad_requests_are_4xx_json, filters_and_shortcuts_match_graphql};
use formats::{
    awkward_text_survives_every_format, every_format_parses, guids_never_change_on_edit,
};

const PUBLIC: &str = "https://partners.example.org/osce";
const REFERENCE_SLUG: &str = "press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25";

/// Feeds as configured. In the strict profile the content generation is
/// re-read on every request, so writes show at once; in the production
/// one, tests wait for the check interval after a write (`TestDb::settle`).
fn options() -> FeedOptions {
    FeedOptions {
        public_url: PublicUrl::parse(PUBLIC).unwrap(),
        max_age: Duration::from_secs(120),
        cache_entries: 64,
    }
}

/// A database with the reference data and a generated corpus.
async fn corpus_db(backend: Backend, releases: u64) -> Option<TestDb> {
    let db = TestDb::prepared(backend).await?;
    import_text(&db.conn, generated_corpus(releases, 11)).await;
    Some(db)
}

/// Slugs of a list through GraphQL, newest first: the reference answer.
async fn graphql_slugs(app: &TestApp, filter: Value, first: usize) -> Vec<String> {
    let data = app.graphql_data("query($f: PressReleaseFilterInput, $n: Int) { pressReleases(filter: $f, first: $n, orderBy: DATE_DESC) { edges { node { slug } } } }",
        json!({ "f": filter, "n": first }),
    )
    .await;
    data["pressReleases"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["slug"].as_str().unwrap().to_string())
        .collect()
}

fn slug_of_guid(guid: &str) -> String {
    guid.strip_prefix("tag:osce.org,2026:press-release:")
        .unwrap_or_else(|| panic!("GUID {guid} is not a release tag URI"))
        .to_string()
}

crate::backend_and_production_tests!(
    every_format_parses,
    awkward_text_survives_every_format,
    filters_and_shortcuts_match_graphql,
    conditional_requests_and_head,
    an_import_invalidates_the_cache,
    bad_requests_are_4xx_json,
    embed_page_script_and_cors,
    guids_never_change_on_edit,
    validators_never_lie_in_the_future,
);
