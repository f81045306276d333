//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>): `language` at
//! the top (the language asked for) and on every item (the one it is in).

use chrono::SecondsFormat;
use serde_json::{Value, json};

use super::{FeedContent, Format};

pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

pub fn render(feed: &FeedContent) -> Result<Vec<u8>, serde_json::Error> {
    let items: Vec<Value> = feed
        .items
        .iter()
        .map(|item| {
            let mut out = json!({
                "id": item.id,
                "url": item.url,
                "title": item.title,
                "content_html": item.body_html,
                "date_published": item.published.to_rfc3339_opts(SecondsFormat::Secs, true),
                "date_modified": item.updated.to_rfc3339_opts(SecondsFormat::Secs, true),
                "authors": [{ "name": item.source }],
                "tags": item.categories.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
                "language": item.language,
                // Extensions start with an underscore (JSON Feed 1.1, "Extensions").
                "_osce": {
                    "slug": item.slug,
                    "date": item.date.to_string(),
                    "place": item.place,
                    "is_fallback": item.is_fallback,
                    "available_locales": item.available_languages,
                    "categories": item.categories.iter().map(|t| json!({
                        "scheme": t.scheme, "term": t.term, "label": t.label,
                    })).collect::<Vec<_>>(),
                },
            });
            if let Some(summary) = &item.summary {
                out["summary"] = json!(summary);
            }
            out
        })
        .collect();
    let mut out = json!({
        "version": VERSION,
        "title": feed.title,
        "description": feed.description,
        "home_page_url": feed.html_url,
        "feed_url": feed.url(Format::Json),
        "authors": [{ "name": "OSCE" }],
        "items": items,
    });
    if let Some(language) = &feed.language {
        out["language"] = json!(language);
    }
    serde_json::to_vec_pretty(&out)
}
