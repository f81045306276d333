//! Conditional requests, HEAD, and invalidation by an import.

use std::time::Duration;

use axum::{body::Body, http::Method};
use serde_json::{Value, json};

use super::readers::{read_atom, read_rss};
use super::{REFERENCE_SLUG, corpus_db, options};
use crate::support::{Backend, TestApp, TestDb, import_text};

pub(super) async fn conditional_requests_and_head(backend: Backend) {
    let Some(db) = corpus_db(backend, 40).await else {
        return;
    };
    let app = TestApp::new(db.state().with_feeds(options()));
    // A filter every generated corpus matches (which fields of work 40
    // generated releases name depends on the generator's random stream).
    let uri = "/feeds/press-releases.atom?limit=20&date_from=2000-01-01";
    let first = app.get_no_500(uri).await;
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

    let again = app.get_no_500(uri).await;
    assert_eq!(again.body, first.body, "the same bytes from the cache");
    assert_eq!(again.header("etag"), etag);

    for if_none_match in [
        etag.clone(),
        format!("W/{etag}"),
        format!("\"x\", {etag}"),
        "*".into(),
    ] {
        let reply = app
            .get_with(uri, &[("if-none-match", &if_none_match)])
            .await;
        assert_eq!(reply.status, 304, "If-None-Match: {if_none_match}");
        assert!(reply.body.is_empty());
        assert_eq!(reply.header("etag"), etag);
        assert_eq!(reply.header("cache-control"), "public, max-age=120");
    }
    let reply = app.get_with(uri, &[("if-none-match", "\"other\"")]).await;
    assert_eq!(reply.status, 200);
    // If-None-Match wins over If-Modified-Since.
    let reply = app
        .get_with(
            uri,
            &[
                ("if-none-match", "\"other\""),
                ("if-modified-since", &last_modified),
            ],
        )
        .await;
    assert_eq!(reply.status, 200);

    let reply = app
        .get_with(uri, &[("if-modified-since", &last_modified)])
        .await;
    assert_eq!(reply.status, 304, "If-Modified-Since: the same date");
    let later = httpdate::fmt_http_date(
        httpdate::parse_http_date(&last_modified).unwrap() + Duration::from_secs(3600),
    );
    let reply = app.get_with(uri, &[("if-modified-since", &later)]).await;
    assert_eq!(reply.status, 304);
    let earlier = httpdate::fmt_http_date(
        httpdate::parse_http_date(&last_modified).unwrap() - Duration::from_secs(1),
    );
    let reply = app.get_with(uri, &[("if-modified-since", &earlier)]).await;
    assert_eq!(reply.status, 200);
    let reply = app
        .get_with(uri, &[("if-modified-since", "not a date")])
        .await;
    assert_eq!(reply.status, 200, "an unparseable date is ignored");

    // HEAD: the headers of a GET, no body.
    let head = app.request(Method::HEAD, uri, &[], Body::empty()).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), etag);
    assert_eq!(
        head.header("content-type"),
        "application/atom+xml; charset=utf-8"
    );
    let head = app
        .request(
            Method::HEAD,
            uri,
            &[("if-none-match", &etag)],
            Body::empty(),
        )
        .await;
    assert_eq!(head.status, 304);

    // The embed page and the script are validated the same way.
    for uri in [
        "/embed/press-releases?country=AM",
        "/embed.js",
        &format!("/press-releases/{REFERENCE_SLUG}"),
    ] {
        let reply = app.get_no_500(uri).await;
        assert_eq!(reply.status, 200, "{uri}");
        let etag = reply.header("etag").to_string();
        let reply = app.get_with(uri, &[("if-none-match", &etag)]).await;
        assert_eq!(reply.status, 304, "{uri}");
    }
    db.cleanup().await;
}

pub(super) async fn an_import_invalidates_the_cache(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state().with_feeds(options()));
    let uri = "/feeds/countries/AM.rss";
    let before = app.get_no_500(uri).await;
    let (channel, guids) = read_rss(&before.body);
    assert_eq!(
        guids,
        [format!("tag:osce.org,2026:press-release:{REFERENCE_SLUG}")]
    );
    assert_eq!(app.state.feed_cache.len(), 1);
    let etag = before.header("etag").to_string();
    let hit = app.get_with(uri, &[("if-none-match", &etag)]).await;
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
    db.settle().await;

    let after = app.get_with(uri, &[("if-none-match", &etag)]).await;
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
        app.state.feed_cache.len(),
        1,
        "entries of the old generation are gone"
    );
    db.cleanup().await;
}

/// Content may carry a time in the future (an importer's clock, a typo):
/// `Last-Modified` is never later than now (RFC 9110, 8.8.2.1), so that a
/// client that sends it back after the next change gets the new feed, not a
/// 304.
pub(super) async fn validators_never_lie_in_the_future(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(db.state().with_feeds(options()));
    let future = json!({
        "type": "press_release", "slug": "armenia-news-2099-01-01", "title": "From the future",
        "date": "2026-11-01", "source": "minsk-group", "countries": ["AM"], "language": "en",
        "body_html": "<p>News.</p>", "published_at": "2026-11-01T10:00:00Z",
        "updated_at": "2099-01-01T00:00:00Z"
    });
    import_text(&db.conn, format!("{future}\n")).await;
    let uri = "/feeds/countries/AM.atom";
    let first = app.get_no_500(uri).await;
    assert_eq!(first.status, 200);
    let sent = httpdate::parse_http_date(first.header("last-modified")).unwrap();
    assert!(
        sent <= std::time::SystemTime::now(),
        "Last-Modified in the future: {}",
        first.header("last-modified")
    );

    // The content changes; a client revalidates with what it was sent.
    let added = json!({
        "type": "press_release", "slug": "armenia-news-2026-11-02", "title": "Armenia news",
        "date": "2026-11-02", "source": "minsk-group", "countries": ["AM"], "language": "en",
        "body_html": "<p>News.</p>", "published_at": "2026-11-02T10:00:00Z",
        "updated_at": "2026-11-02T10:00:00Z"
    });
    import_text(&db.conn, format!("{added}\n")).await;
    db.settle().await;
    let again = app
        .get_with(uri, &[("if-modified-since", first.header("last-modified"))])
        .await;
    assert_eq!(again.status, 200, "the feed changed: not a 304");
    assert!(again.text().contains("armenia-news-2026-11-02"));
    db.cleanup().await;
}
