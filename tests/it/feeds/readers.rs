//! The feeds read back: by the `rss` and `atom_syndication` crates, by
//! Python's feedparser, and JSON Feed 1.1 checked field by field.

use std::io::Write;

use serde_json::Value;

use super::PUBLIC;

/// Reads an RSS feed back with the `rss` crate and validates it; returns the GUIDs.
pub(super) fn read_rss(body: &[u8]) -> (rss::Channel, Vec<String>) {
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

pub(super) fn read_atom(body: &[u8]) -> (atom_syndication::Feed, Vec<String>) {
    let feed = atom_syndication::Feed::read_from(body).expect("Atom parses");
    let ids = feed.entries.iter().map(|e| e.id.clone()).collect();
    (feed, ids)
}

pub(super) fn is_rfc3339(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|v| chrono::DateTime::parse_from_rfc3339(v).is_ok())
}

/// Checks the JSON Feed 1.1 structure (https://www.jsonfeed.org/version/1.1/):
/// required members, types, and absolute URLs. Returns the item ids.
pub(super) fn read_json_feed(feed: &Value) -> Vec<String> {
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

/// Runs `script` with the feed on standard input and returns what it
/// printed, when Python's feedparser is installed. Required in CI
/// (`TEST_REQUIRE_TOOLS=1`), skipped with a note elsewhere.
fn run_feedparser(script: &str, body: &[u8], what: &str) -> Option<String> {
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
            Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
        }
        Ok(output) if String::from_utf8_lossy(&output.stderr).contains("No module named") => {
            assert!(!required, "feedparser is required here but not installed");
            eprintln!(
                "note: Python's feedparser is not installed: feedparser check of {what} skipped"
            );
            None
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
            None
        }
    }
}

/// Python's feedparser, when installed: no `bozo` (no warning of any kind).
pub(super) fn feedparser_accepts(body: &[u8], what: &str) {
    let script = "import sys, feedparser\n\
                  d = feedparser.parse(sys.stdin.buffer.read())\n\
                  print(d.version, int(bool(d.bozo)), repr(d.get('bozo_exception')), len(d.entries))\n";
    let Some(line) = run_feedparser(script, body, what) else {
        return;
    };
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

/// What feedparser reads of a feed's languages, when it is installed: the
/// feed's, and each entry's title with the language feedparser gives it
/// (Atom: the title's `xml:lang`, inherited from the feed's; RSS: the
/// item's `dc:language`). Fails on `bozo`.
pub(super) fn feedparser_languages(
    body: &[u8],
    what: &str,
) -> Option<(String, Vec<(String, String)>)> {
    let script = "import sys, json, feedparser\n\
                  d = feedparser.parse(sys.stdin.buffer.read())\n\
                  print(json.dumps({'bozo': bool(d.bozo), 'error': repr(d.get('bozo_exception')),\n\
                  'language': d.feed.get('language'),\n\
                  'entries': [[e.get('title'), e.get('title_detail', {}).get('language') or e.get('language')]\n\
                  for e in d.entries]}))\n";
    let out: Value = serde_json::from_str(&run_feedparser(script, body, what)?).unwrap();
    assert_eq!(out["bozo"], false, "feedparser: bozo on {what}: {out}");
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let entries = out["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (text(&e[0]), text(&e[1])))
        .collect();
    Some((text(&out["language"]), entries))
}
