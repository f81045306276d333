//! Atom 1.0 (RFC 4287): the summary as text, the body as HTML content, the
//! issuing unit as author, fields of work and countries as categories.

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text,
};
use chrono::{DateTime, Utc};

use super::{FeedContent, Format, xml_text};

fn fixed(time: DateTime<Utc>) -> FixedDateTime {
    time.fixed_offset()
}

fn link(href: &str, rel: &str, format: Format) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.into(),
        mime_type: Some(format.media_type().into()),
        ..Default::default()
    }
}

/// Plain text, with `xml:lang` when it is not the feed's language (which
/// it inherits otherwise).
fn text_in(value: &str, language: Option<&String>, feed: &FeedContent) -> Text {
    Text {
        lang: language
            .filter(|l| feed.language.as_ref() != Some(*l))
            .cloned(),
        ..Text::plain(xml_text(value))
    }
}

/// The feed's `xml:lang` is the language asked for; an entry's title,
/// summary and content say theirs when it differs (a fallback item).
pub fn render(feed: &FeedContent) -> Result<Vec<u8>, atom_syndication::Error> {
    let entries = feed
        .items
        .iter()
        .map(|item| Entry {
            title: text_in(&item.title, Some(&item.language), feed),
            id: item.id.clone(),
            updated: fixed(item.updated),
            published: Some(fixed(item.published)),
            authors: vec![Person {
                name: xml_text(&item.source).into_owned(),
                ..Default::default()
            }],
            links: vec![Link {
                href: item.url.clone(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                hreflang: Some(item.language.clone()),
                ..Default::default()
            }],
            summary: item
                .summary
                .as_deref()
                .map(|s| text_in(s, item.summary_language.as_ref(), feed)),
            content: Some(Content {
                content_type: Some("html".into()),
                value: Some(xml_text(&item.body_html).into_owned()),
                lang: Some(item.language.clone()),
                ..Default::default()
            }),
            categories: item
                .categories
                .iter()
                .map(|term| Category {
                    term: term.term.clone(),
                    scheme: Some(term.scheme.clone()),
                    label: Some(xml_text(&term.label).into_owned()),
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    let out = Feed {
        title: Text::plain(xml_text(&feed.title)),
        subtitle: Some(Text::plain(xml_text(&feed.description))),
        id: feed.id.clone(),
        updated: fixed(feed.updated),
        authors: vec![Person {
            name: "OSCE".into(),
            ..Default::default()
        }],
        links: vec![
            link(feed.url(Format::Atom), "self", Format::Atom),
            link(
                &feed.html_url,
                "alternate",
                Format::Embed(super::Theme::Light),
            ),
        ],
        generator: Some(Generator {
            value: "osce-api".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
            ..Default::default()
        }),
        lang: feed.language.clone(),
        entries,
        ..Default::default()
    };
    out.write_to(Vec::new())
}
