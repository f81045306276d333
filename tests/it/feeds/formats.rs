//! Every format parses, says the same, and survives awkward text; GUIDs
//! stay put across edits.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::readers::{feedparser_accepts, read_atom, read_json_feed, read_rss};
use super::{PUBLIC, REFERENCE_SLUG, corpus_db, options};
use crate::support::{Backend, TestApp, TestDb, generated_corpus, import_text};

pub(super) async fn every_format_parses(backend: Backend) {
    let Some(db) = corpus_db(backend, 120).await else {
        return;
    };
    let app = TestApp::new(db.state().with_feeds(options()));
    for query in [
        "",
        "?limit=100",
        "?field_of_work=human-rights&limit=7",
        "?country=AM,AZ&language=en",
        "?source=minsk-group",
        "?q=ceasefire",
        "?country=VA&date_to=1995-01-01",
    ] {
        let rss = app
            .get_no_500(&format!("/feeds/press-releases.rss{query}"))
            .await;
        let atom = app
            .get_no_500(&format!("/feeds/press-releases.atom{query}"))
            .await;
        let json = app
            .get_no_500(&format!("/feeds/press-releases.json{query}"))
            .await;
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
    let atom = app
        .get_no_500("/feeds/org-units/minsk-group.atom?date_from=2020-10-25&date_to=2020-10-25")
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
    let rss = app
        .get_no_500(
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

pub(super) async fn guids_never_change_on_edit(backend: Backend) {
    let Some(db) = corpus_db(backend, 30).await else {
        return;
    };
    let app = TestApp::new(db.state().with_feeds(options()));
    let guids = |body: &[u8]| -> HashSet<String> { read_atom(body).1.into_iter().collect() };
    let before = guids(
        &app.get_no_500("/feeds/press-releases.atom?limit=100")
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
    db.settle().await;
    let reply = app.get_no_500("/feeds/press-releases.atom?limit=100").await;
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
pub(super) async fn awkward_text_survives_every_format(backend: Backend) {
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
    let app = TestApp::new(db.state().with_feeds(options()));
    let expected = "Q&A: <b>“Ceasefire”</b> ]]> 'now' done";
    let rss = app.get_no_500("/feeds/countries/AM.rss?limit=1").await;
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
    let atom = app.get_no_500("/feeds/countries/AM.atom?limit=1").await;
    let (feed, _) = read_atom(&atom.body);
    assert_eq!(feed.entries[0].title.value, expected);
    feedparser_accepts(&atom.body, "Atom with awkward text");
    let json = app
        .get_no_500("/feeds/countries/AM.json?limit=1")
        .await
        .json();
    read_json_feed(&json);
    let page = app
        .get_no_500("/embed/press-releases?country=AM&count=1")
        .await
        .text();
    assert!(page.contains("Q&amp;A: &lt;b&gt;“Ceasefire”&lt;/b&gt; ]]&gt; &#39;now&#39;"));
    db.cleanup().await;
}
