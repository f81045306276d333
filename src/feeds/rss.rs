//! RSS 2.0, with `atom:link rel="self"`, `content:encoded` for the body and
//! `dc:creator` for the issuing unit, as feed validators recommend.

use rss::extension::atom::AtomExtension;
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Guid, Item};

use super::{FeedContent, Format, xml_text};

pub fn render(feed: &FeedContent, max_age: std::time::Duration) -> Result<Vec<u8>, rss::Error> {
    let items = feed
        .items
        .iter()
        .map(|item| Item {
            title: Some(xml_text(&item.title).into_owned()),
            link: Some(item.url.clone()),
            // Readers show the description in lists: the summary when there
            // is one, else the body.
            description: Some(
                xml_text(item.summary.as_deref().unwrap_or(&item.body_html)).into_owned(),
            ),
            content: Some(xml_text(&item.body_html).into_owned()),
            guid: Some(Guid {
                value: item.id.clone(),
                permalink: false,
            }),
            pub_date: Some(item.published.to_rfc2822()),
            categories: item
                .categories
                .iter()
                .map(|term| Category {
                    name: xml_text(&term.label).into_owned(),
                    domain: Some(term.scheme.clone()),
                })
                .collect(),
            dublin_core_ext: Some(DublinCoreExtension {
                creators: vec![xml_text(&item.source).into_owned()],
                languages: vec![item.language.clone()],
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    let channel = Channel {
        title: xml_text(&feed.title).into_owned(),
        link: feed.html_url.clone(),
        description: xml_text(&feed.description).into_owned(),
        language: feed.language.clone(),
        last_build_date: Some(feed.updated.to_rfc2822()),
        generator: Some(concat!("osce-api ", env!("CARGO_PKG_VERSION")).into()),
        docs: Some("https://www.rssboard.org/rss-specification".into()),
        ttl: Some((max_age.as_secs() / 60).max(1).to_string()),
        atom_ext: Some(AtomExtension {
            links: vec![atom_syndication::Link {
                href: feed.url(Format::Rss).to_string(),
                rel: "self".into(),
                mime_type: Some(Format::Rss.media_type().into()),
                ..Default::default()
            }],
        }),
        items,
        ..Default::default()
    };
    channel.write_to(Vec::new())
}
