//! Feeds and embeds through the real router: every format read back by real
//! parsers (the `rss` and `atom_syndication` crates, Python's feedparser),
//! JSON Feed 1.1 checked field by field, filters and shortcuts against the
//! GraphQL API, conditional requests, HEAD, invalidation by an import, and
//! 4xx for every bad request.

use std::collections::HashSet;
use std::io::Write;
use std::time::Duration;

use axum::{
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode},
};
use http_body_util::BodyExt;
use osce_api::feeds::{FeedOptions, PublicUrl};
use osce_api::{AppState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{Backend, TestDb, generated_corpus, import_text};

const PUBLIC: &str = "https://partners.example.org/osce";
const REFERENCE_SLUG: &str = "press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25";

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or_else(|| panic!("no {name} header"))
    }
}

pub async fn call(state: &AppState, method: Method, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: body.to_vec(),
    }
}

pub async fn get(state: &AppState, uri: &str) -> Reply {
    let reply = call(state, Method::GET, uri, &[]).await;
    assert!(
        reply.status != StatusCode::INTERNAL_SERVER_ERROR,
        "{uri}: 500 {}",
        reply.text()
    );
    reply
}

/// Feeds as configured; the content generation is re-read on every
/// request (`AppState::new`'s default), so writes show at once.
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
async fn graphql_slugs(state: &AppState, filter: Value, first: usize) -> Vec<String> {
    let data = crate::graphql::data(
        state,
        "query($f: PressReleaseFilterInput, $n: Int) { pressReleases(filter: $f, first: $n, orderBy: DATE_DESC) { edges { node { slug } } } }",
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

/// Reads an RSS feed back with the `rss` crate and validates it; returns the GUIDs.
fn read_rss(body: &[u8]) -> (rss::Channel, Vec<String>) {
    use rss::validation::Validate;
    let channel = rss::Channel::read_from(body).expect("RSS parses");
    channel.validate().expect("RSS validates");
    let guids = channel
        .items
        .iter()
        .map(|item| {
            item.guid
                .as_ref()
                .expect("every item has a GUID")
                .value
                .clone()
        })
        .collect();
    (channel, guids)
}

fn read_atom(body: &[u8]) -> (atom_syndication::Feed, Vec<String>) {
    let feed = atom_syndication::Feed::read_from(body).expect("Atom parses");
    let ids = feed.entries.iter().map(|e| e.id.clone()).collect();
    (feed, ids)
}

fn is_rfc3339(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|v| chrono::DateTime::parse_from_rfc3339(v).is_ok())
}

/// Checks the JSON Feed 1.1 structure (https://www.jsonfeed.org/version/1.1/):
/// required members, types, and absolute URLs. Returns the item ids.
fn read_json_feed(feed: &Value) -> Vec<String> {
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(feed["title"].as_str().is_some_and(|t| !t.is_empty()));
    for url in ["home_page_url", "feed_url"] {
        assert!(feed[url].as_str().unwrap().starts_with(PUBLIC), "{url}");
    }
    assert!(feed["description"].is_string());
    for author in feed["authors"].as_array().unwrap() {
        assert!(author["name"].is_string());
    }
    let items = feed["items"].as_array().expect("items is an array");
    let known = [
        "id",
        "url",
        "external_url",
        "title",
        "content_html",
        "content_text",
        "summary",
        "image",
        "banner_image",
        "date_published",
        "date_modified",
        "authors",
        "tags",
        "language",
        "attachments",
    ];
    let mut ids = Vec::new();
    for item in items {
        let object = item.as_object().expect("an item is an object");
        for key in object.keys() {
            assert!(
                known.contains(&key.as_str()) || key.starts_with('_'),
                "unknown item member {key}"
            );
        }
        assert!(item["id"].is_string(), "id is a string");
        assert!(
            item["content_html"].is_string() || item["content_text"].is_string(),
            "an item has content"
        );
        assert!(item["url"].as_str().unwrap().starts_with(PUBLIC));
        assert!(is_rfc3339(&item["date_published"]));
        assert!(is_rfc3339(&item["date_modified"]));
        assert!(
            item["tags"]
                .as_array()
                .unwrap()
                .iter()
                .all(Value::is_string)
        );
        assert!(item["summary"].is_null() || item["summary"].is_string());
        ids.push(item["id"].as_str().unwrap().to_string());
    }
    ids
}

/// Python's feedparser, when installed: no `bozo` (no warning of any kind).
/// Required in CI (`TEST_REQUIRE_TOOLS=1`), skipped with a note elsewhere.
fn feedparser_accepts(body: &[u8], what: &str) {
    let script = "import sys, feedparser\n\
                  d = feedparser.parse(sys.stdin.buffer.read())\n\
                  print(d.version, int(bool(d.bozo)), repr(d.get('bozo_exception')), len(d.entries))\n";
    let child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let output = child.and_then(|mut child| {
        child.stdin.take().unwrap().write_all(body)?;
        child.wait_with_output()
    });
    let required = std::env::var("TEST_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    match output {
        Ok(output) if output.status.success() => {
            let line = String::from_utf8_lossy(&output.stdout).trim().to_string();
            let parts: Vec<&str> = line.split(' ').collect();
            assert_eq!(
                parts.get(1),
                Some(&"0"),
                "feedparser: bozo on {what}: {line}"
            );
            assert!(
                parts[0] == "rss20" || parts[0] == "atom10",
                "feedparser version of {what}: {line}"
            );
        }
        Ok(output) if String::from_utf8_lossy(&output.stderr).contains("No module named") => {
            assert!(!required, "feedparser is required here but not installed");
            eprintln!(
                "note: Python's feedparser is not installed: feedparser check of {what} skipped"
            );
        }
        Ok(output) => panic!(
            "feedparser failed on {what}: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => {
            assert!(!required, "python3 is required here: {error}");
            eprintln!(
                "note: python3 is not available ({error}): feedparser check of {what} skipped"
            );
        }
    }
}

async fn every_format_parses(backend: Backend) {
    let Some(db) = corpus_db(backend, 120).await else {
        return;
    };
    let state = AppState::new(db.conn.clone()).with_feeds(options());
    for query in [
        "",
        "?limit=100",
        "?field_of_work=human-rights&limit=7",
        "?country=AM,AZ&language=en",
        "?source=minsk-group",
        "?q=ceasefire",
        "?country=VA&date_to=1995-01-01",
    ] {
        let rss = get(&state, &format!("/feeds/press-releases.rss{query}")).await;
        let atom = get(&state, &format!("/feeds/press-releases.atom{query}")).await;
        let json = get(&state, &format!("/feeds/press-releases.json{query}")).await;
        for reply in [&rss, &atom, &json] {
            assert_eq!(reply.status, 200, "{query}: {}", reply.text());
        }
        assert_eq!(
            rss.header("content-type"),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(
            atom.header("content-type"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            json.header("content-type"),
            "application/feed+json; charset=utf-8"
        );
        let (channel, rss_ids) = read_rss(&rss.body);
        let (feed, atom_ids) = read_atom(&atom.body);
        let json_ids = read_json_feed(&json.json());
        assert_eq!(
            rss_ids, atom_ids,
            "{query}: the formats list the same releases"
        );
        assert_eq!(
            rss_ids, json_ids,
            "{query}: the formats list the same releases"
        );
        feedparser_accepts(&rss.body, &format!("RSS {query}"));
        feedparser_accepts(&atom.body, &format!("Atom {query}"));

        // Titles say what the feed holds; links are absolute.
        assert_eq!(channel.title, feed.title.value);
        assert_eq!(channel.title, json.json()["title"]);
        assert!(channel.link.starts_with(PUBLIC));
        for item in &channel.items {
            assert!(item.link.as_deref().unwrap().starts_with(PUBLIC));
            assert!(!item.guid.as_ref().unwrap().permalink);
            assert!(item.content.is_some(), "the body is in content:encoded");
        }
        for entry in &feed.entries {
            assert!(entry.links[0].href.starts_with(PUBLIC));
            assert_eq!(
                entry.content.as_ref().unwrap().content_type.as_deref(),
                Some("html")
            );
            assert!(!entry.authors.is_empty());
        }
        let self_link = feed.links.iter().find(|l| l.rel == "self").unwrap();
        assert!(
            self_link
                .href
                .starts_with(&format!("{PUBLIC}/feeds/press-releases.atom"))
        );
    }

    // What titles and categories say, on a known release.
    let atom = get(
        &state,
        "/feeds/org-units/minsk-group.atom?date_from=2020-10-25&date_to=2020-10-25",
    )
    .await;
    let (feed, ids) = read_atom(&atom.body);
    assert_eq!(feed.title.value, "OSCE press releases: Minsk Group");
    assert_eq!(
        feed.subtitle.as_ref().unwrap().value,
        "The 20 latest press releases of the OSCE issued by Minsk Group dated 2020-10-25 to 2020-10-25, newest first."
    );
    assert_eq!(
        ids,
        [format!("tag:osce.org,2026:press-release:{REFERENCE_SLUG}")]
    );
    let entry = &feed.entries[0];
    assert_eq!(
        entry.title.value,
        "Press Statement by the Co-Chairs of the OSCE Minsk Group"
    );
    assert_eq!(
        entry.links[0].href,
        format!("{PUBLIC}/press-releases/{REFERENCE_SLUG}")
    );
    let terms: Vec<(&str, &str)> = entry
        .categories
        .iter()
        .map(|c| (c.term.as_str(), c.label.as_deref().unwrap()))
        .collect();
    assert!(terms.contains(&(
        "conflict-prevention-and-resolution",
        "Conflict prevention and resolution"
    )));
    assert!(
        terms.contains(&("AM", "Armenia")) && terms.contains(&("US", "United States of America"))
    );
    assert_eq!(entry.authors[0].name, "Minsk Group");
    let rss = get(
        &state,
        "/feeds/press-releases.rss?field_of_work=human-rights,elections&country=AM&limit=3",
    )
    .await;
    let (channel, _) = read_rss(&rss.body);
    assert_eq!(
        channel.title,
        "OSCE press releases: Elections or Human rights · Armenia"
    );
    assert_eq!(
        channel.description,
        "The 3 latest press releases of the OSCE on Elections or Human rights about Armenia, newest first."
    );
    db.cleanup().await;
}

async fn filters_and_shortcuts_match_graphql(backend: Backend) {
    let Some(db) = corpus_db(backend, 150).await else {
        return;
    };
    let state = AppState::new(db.conn.clone()).with_feeds(options());
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
        let reply = get(&state, uri).await;
        assert_eq!(reply.status, 200, "{uri}: {}", reply.text());
        let got: Vec<String> = read_json_feed(&reply.json())
            .iter()
            .map(|g| slug_of_guid(g))
            .collect();
        let expected = graphql_slugs(&state, filter, first).await;
        assert_eq!(got, expected, "{uri}");
        nonempty += usize::from(!got.is_empty());
    }
    assert!(
        nonempty >= 10,
        "the cases exercise real data ({nonempty} non-empty)"
    );

    // A search: every item matches it, newest first.
    let reply = get(&state, "/feeds/press-releases.json?q=ceasefire&limit=100").await;
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
    let search_data = crate::graphql::data(
        &state,
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

async fn conditional_requests_and_head(backend: Backend) {
    let Some(db) = corpus_db(backend, 40).await else {
        return;
    };
    let state = AppState::new(db.conn.clone()).with_feeds(options());
    let uri = "/feeds/press-releases.atom?limit=20&field_of_work=human-rights";
    let first = get(&state, uri).await;
    assert_eq!(first.status, 200);
    let etag = first.header("etag").to_string();
    let last_modified = first.header("last-modified").to_string();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "a strong ETag: {etag}"
    );
    assert_eq!(first.header("cache-control"), "public, max-age=120");
    // Last-Modified is the newest change among the items.
    let (feed, _) = read_atom(&first.body);
    let newest = feed.entries.iter().map(|e| e.updated).max().unwrap();
    assert_eq!(
        httpdate::parse_http_date(&last_modified).unwrap(),
        std::time::UNIX_EPOCH + Duration::from_secs(newest.timestamp() as u64)
    );

    let again = get(&state, uri).await;
    assert_eq!(again.body, first.body, "the same bytes from the cache");
    assert_eq!(again.header("etag"), etag);

    for if_none_match in [
        etag.clone(),
        format!("W/{etag}"),
        format!("\"x\", {etag}"),
        "*".into(),
    ] {
        let reply = call(
            &state,
            Method::GET,
            uri,
            &[("if-none-match", &if_none_match)],
        )
        .await;
        assert_eq!(reply.status, 304, "If-None-Match: {if_none_match}");
        assert!(reply.body.is_empty());
        assert_eq!(reply.header("etag"), etag);
        assert_eq!(reply.header("cache-control"), "public, max-age=120");
    }
    let reply = call(&state, Method::GET, uri, &[("if-none-match", "\"other\"")]).await;
    assert_eq!(reply.status, 200);
    // If-None-Match wins over If-Modified-Since.
    let reply = call(
        &state,
        Method::GET,
        uri,
        &[
            ("if-none-match", "\"other\""),
            ("if-modified-since", &last_modified),
        ],
    )
    .await;
    assert_eq!(reply.status, 200);

    let reply = call(
        &state,
        Method::GET,
        uri,
        &[("if-modified-since", &last_modified)],
    )
    .await;
    assert_eq!(reply.status, 304, "If-Modified-Since: the same date");
    let later = httpdate::fmt_http_date(
        httpdate::parse_http_date(&last_modified).unwrap() + Duration::from_secs(3600),
    );
    let reply = call(&state, Method::GET, uri, &[("if-modified-since", &later)]).await;
    assert_eq!(reply.status, 304);
    let earlier = httpdate::fmt_http_date(
        httpdate::parse_http_date(&last_modified).unwrap() - Duration::from_secs(1),
    );
    let reply = call(&state, Method::GET, uri, &[("if-modified-since", &earlier)]).await;
    assert_eq!(reply.status, 200);
    let reply = call(
        &state,
        Method::GET,
        uri,
        &[("if-modified-since", "not a date")],
    )
    .await;
    assert_eq!(reply.status, 200, "an unparseable date is ignored");

    // HEAD: the headers of a GET, no body.
    let head = call(&state, Method::HEAD, uri, &[]).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), etag);
    assert_eq!(
        head.header("content-type"),
        "application/atom+xml; charset=utf-8"
    );
    let head = call(&state, Method::HEAD, uri, &[("if-none-match", &etag)]).await;
    assert_eq!(head.status, 304);

    // The embed page and the script are validated the same way.
    for uri in [
        "/embed/press-releases?country=AM",
        "/embed.js",
        &format!("/press-releases/{REFERENCE_SLUG}"),
    ] {
        let reply = get(&state, uri).await;
        assert_eq!(reply.status, 200, "{uri}");
        let etag = reply.header("etag").to_string();
        let reply = call(&state, Method::GET, uri, &[("if-none-match", &etag)]).await;
        assert_eq!(reply.status, 304, "{uri}");
    }
    db.cleanup().await;
}

async fn an_import_invalidates_the_cache(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone()).with_feeds(options());
    let uri = "/feeds/countries/AM.rss";
    let before = get(&state, uri).await;
    let (channel, guids) = read_rss(&before.body);
    assert_eq!(
        guids,
        [format!("tag:osce.org,2026:press-release:{REFERENCE_SLUG}")]
    );
    assert_eq!(state.feed_cache.len(), 1);
    let etag = before.header("etag").to_string();
    let hit = call(&state, Method::GET, uri, &[("if-none-match", &etag)]).await;
    assert_eq!(hit.status, 304);

    // Edit the reference release (new title and time) and add a newer one.
    let reference = osce_api::model::reference::REFERENCE_DATA
        .lines()
        .find(|l| l.contains("\"type\":\"press_release\""))
        .unwrap();
    let mut edited: Value = serde_json::from_str(reference).unwrap();
    edited["title"] = json!("Press Statement by the Co-Chairs (corrected)");
    edited["updated_at"] = json!("2021-01-05T09:00:00Z");
    let added = json!({
        "type": "press_release", "slug": "armenia-news-2026-11-01", "title": "Armenia news",
        "date": "2026-11-01", "source": "minsk-group", "countries": ["AM"], "language": "en",
        "body_html": "<p>News.</p>", "published_at": "2026-11-01T10:00:00Z",
        "updated_at": "2026-11-01T10:00:00Z"
    });
    import_text(&db.conn, format!("{edited}\n{added}\n")).await;

    let after = call(&state, Method::GET, uri, &[("if-none-match", &etag)]).await;
    assert_eq!(after.status, 200, "the import changed the feed");
    assert_ne!(after.header("etag"), etag);
    let (channel_after, guids_after) = read_rss(&after.body);
    assert_eq!(
        guids_after,
        [
            "tag:osce.org,2026:press-release:armenia-news-2026-11-01".to_string(),
            guids[0].clone()
        ],
        "the edited release keeps its GUID"
    );
    assert_eq!(
        channel_after.items[1].title.as_deref(),
        Some("Press Statement by the Co-Chairs (corrected)")
    );
    assert_ne!(channel.last_build_date, channel_after.last_build_date);
    assert_eq!(
        state.feed_cache.len(),
        1,
        "entries of the old generation are gone"
    );
    db.cleanup().await;
}

async fn bad_requests_are_4xx_json(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let state = AppState::new(db.conn.clone()).with_feeds(options());
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
        let reply = get(&state, uri).await;
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
    let reply = get(&state, "/feeds/press-releases.json?limit=0").await;
    assert_eq!(reply.json()["error"]["details"]["parameter"], "limit");
    assert!(state.feed_cache.is_empty(), "errors are not cached");
    db.cleanup().await;
}

async fn embed_page_script_and_cors(backend: Backend) {
    let Some(db) = corpus_db(backend, 150).await else {
        return;
    };
    let state = AppState::new(db.conn.clone()).with_feeds(options());
    let page = get(
        &state,
        "/embed/press-releases?field_of_work=human-rights&count=3&theme=dark",
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    let csp = page.header("content-security-policy");
    assert!(
        csp.contains("default-src 'none'"),
        "no external assets: {csp}"
    );
    let html = page.text();
    assert!(html.contains("class=\"dark\""));
    for (kind, path) in [
        (
            "application/rss+xml",
            "/feeds/press-releases.rss?field_of_work=human-rights&amp;limit=3",
        ),
        (
            "application/atom+xml",
            "/feeds/press-releases.atom?field_of_work=human-rights&amp;limit=3",
        ),
        (
            "application/feed+json",
            "/feeds/press-releases.json?field_of_work=human-rights&amp;limit=3",
        ),
    ] {
        let link = format!("<link rel=\"alternate\" type=\"{kind}\"");
        assert!(html.contains(&link), "autodiscovery of {kind}");
        assert!(
            html.contains(&format!("href=\"{PUBLIC}{path}\"")),
            "{path} in {html}"
        );
    }
    assert!(!html.contains("<script"), "the page runs no script");
    assert!(!html.contains("src=\""), "the page loads nothing");
    let expected = graphql_slugs(&state, json!({ "fieldsOfWork": ["human-rights"] }), 3).await;
    assert_eq!(expected.len(), 3);
    assert_eq!(html.matches("<li ").count(), 3);
    for slug in &expected {
        assert!(
            html.contains(&format!("{PUBLIC}/press-releases/{slug}")),
            "{slug}"
        );
    }
    let light = get(&state, "/embed/press-releases").await.text();
    assert!(light.contains("class=\"light\""));
    assert_eq!(light.matches("<li ").count(), 5, "five releases by default");

    let script = get(&state, "/embed.js").await;
    assert_eq!(
        script.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    assert!(
        script
            .text()
            .contains("customElements.define(\"osce-press-releases\"")
    );

    let release = get(&state, &format!("/press-releases/{REFERENCE_SLUG}")).await;
    assert_eq!(release.status, 200);
    let text = release.text();
    assert!(text.contains("<h1>Press Statement by the Co-Chairs of the OSCE Minsk Group</h1>"));
    assert!(text.contains("25 October 2020 · Washington D.C. · Minsk Group"));

    // CORS: partner pages may read feeds and embeds, and query GraphQL.
    let origin = ("origin", "https://partner.example.net");
    let feed = call(&state, Method::GET, "/feeds/press-releases.rss", &[origin]).await;
    assert_eq!(feed.header("access-control-allow-origin"), "*");
    let preflight = call(
        &state,
        Method::OPTIONS,
        "/graphql",
        &[
            origin,
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type"),
        ],
    )
    .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), "*");
    assert!(
        preflight
            .header("access-control-allow-methods")
            .contains("POST")
    );
    let graphql = call(
        &state,
        Method::GET,
        "/graphql?query=%7B__typename%7D",
        &[origin],
    )
    .await;
    assert_eq!(graphql.status, 200);
    assert_eq!(graphql.header("access-control-allow-origin"), "*");
    let health = call(&state, Method::GET, "/healthz", &[origin]).await;
    assert!(health.headers.get("access-control-allow-origin").is_none());
    db.cleanup().await;
}

async fn guids_never_change_on_edit(backend: Backend) {
    let Some(db) = corpus_db(backend, 30).await else {
        return;
    };
    let state = AppState::new(db.conn.clone()).with_feeds(options());
    let guids = |body: &[u8]| -> HashSet<String> { read_atom(body).1.into_iter().collect() };
    let before = guids(
        &get(&state, "/feeds/press-releases.atom?limit=100")
            .await
            .body,
    );
    // Re-import the whole corpus with every title changed.
    let corpus = generated_corpus(30, 11);
    let edited: String = corpus
        .lines()
        .map(|line| {
            let mut record: Value = serde_json::from_str(line).unwrap();
            if record["type"] == "press_release" {
                record["title"] = json!(format!("{} (edited)", record["title"].as_str().unwrap()));
            }
            format!("{record}\n")
        })
        .collect();
    import_text(&db.conn, edited).await;
    let reply = get(&state, "/feeds/press-releases.atom?limit=100").await;
    let (feed, _) = read_atom(&reply.body);
    assert!(
        feed.entries
            .iter()
            .filter(|e| e.title.value.ends_with("(edited)"))
            .count()
            >= 30
    );
    assert_eq!(guids(&reply.body), before);
    db.cleanup().await;
}

/// Markup-like text, CDATA ends and control characters cannot break a feed.
async fn awkward_text_survives_every_format(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let title = "Q&A: <b>“Ceasefire”</b> ]]> 'now' \u{1}done";
    let release = json!({
        "type": "press_release", "slug": "awkward-2026-11-02", "title": title,
        "date": "2026-11-02", "source": "minsk-group", "countries": ["AM"], "language": "en",
        "summary": "A ]]> B & C < D",
        "body_html": "<p>x ]]&gt; y &amp; <em>z</em></p><script>alert(1)</script>",
        "published_at": "2026-11-02T10:00:00Z", "updated_at": "2026-11-02T10:00:00Z"
    });
    import_text(&db.conn, format!("{release}\n")).await;
    let state = AppState::new(db.conn.clone()).with_feeds(options());
    let expected = "Q&A: <b>“Ceasefire”</b> ]]> 'now' done";
    let rss = get(&state, "/feeds/countries/AM.rss?limit=1").await;
    let (channel, _) = read_rss(&rss.body);
    assert_eq!(channel.items[0].title.as_deref(), Some(expected));
    assert_eq!(
        channel.items[0].description.as_deref(),
        Some("A ]]> B & C < D")
    );
    assert!(
        !channel.items[0]
            .content
            .as_deref()
            .unwrap()
            .contains("<script")
    );
    feedparser_accepts(&rss.body, "RSS with awkward text");
    let atom = get(&state, "/feeds/countries/AM.atom?limit=1").await;
    let (feed, _) = read_atom(&atom.body);
    assert_eq!(feed.entries[0].title.value, expected);
    feedparser_accepts(&atom.body, "Atom with awkward text");
    let json = get(&state, "/feeds/countries/AM.json?limit=1").await.json();
    read_json_feed(&json);
    let page = get(&state, "/embed/press-releases?country=AM&count=1")
        .await
        .text();
    assert!(page.contains("Q&amp;A: &lt;b&gt;“Ceasefire”&lt;/b&gt; ]]&gt; &#39;now&#39;"));
    db.cleanup().await;
}

crate::backend_tests!(
    every_format_parses,
    awkward_text_survives_every_format,
    filters_and_shortcuts_match_graphql,
    conditional_requests_and_head,
    an_import_invalidates_the_cache,
    bad_requests_are_4xx_json,
    embed_page_script_and_cors,
    guids_never_change_on_edit,
);
