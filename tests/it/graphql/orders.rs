//! Every order of the press-release and meeting lists against an order
//! computed here from the imported records, over data full of ties, read
//! whole in small pages forward (`first`/`after`) and backward
//! (`last`/`before`).
//!
//! The rules, as documented (and, for titles, as the implementation
//! defines them): dates order by the release's date; titles compare by
//! Unicode code point (`"Apple" < "Zebra" < "apple" < "zebra" < "Äpple"`:
//! capitals first, accented letters after every ASCII one, a prefix before
//! its extensions). Ties are broken by date, then by the internal id (the
//! order the database stored the releases in); a `_DESC` order is its
//! `_ASC` order reversed. `RELEVANCE` (with a search) is most relevant
//! first, then newest, then the internal id. Meetings order by start date,
//! ties broken by slug.

use std::collections::HashMap;

use chrono::NaiveDate;
use osce_api::model::Record;
use serde_json::json;

use super::listing::{Gen, backward, forward, ids_by_slug, texts};
use crate::support::{Backend, TestApp, TestDb, import_text};

/// Titles that differ only in case or accents, a title that is a prefix of
/// others, digits: each is given to several releases.
const TITLES: &[&str] = &[
    "Apple talks",
    "apple talks",
    "Apple Talks",
    "Äpple talks",
    "Émile report",
    "Emile report",
    "emile report",
    "Report",
    "Report on",
    "Report on elections",
    "report",
    "Zebra crossing",
    "zebra crossing",
    "Ökonomie",
    "10 years",
    "2 years",
];

/// The releases a search for "quokka" finds: in the title (all alike),
/// or only in the body (all alike).
const IN_TITLE: &str = "Quokka census";
const IN_BODY: &str = "Wildlife notes";

#[derive(Clone, Debug)]
struct Release {
    slug: String,
    title: String,
    date: NaiveDate,
}

fn line(r: &Release) -> String {
    let body = match r.title.as_str() {
        IN_TITLE => "<p>Counting continues on the island.</p>",
        IN_BODY => "<p>A quokka was seen near the station.</p>",
        _ => "<p>Text of the release.</p>",
    };
    json!({
        "type": "press_release", "slug": r.slug, "title": r.title, "date": r.date.to_string(),
        "source": "secretariat", "language": "en", "body_html": body,
        "published_at": format!("{}T10:00:00Z", r.date), "updated_at": format!("{}T10:00:00Z", r.date),
    })
    .to_string()
        + "\n"
}

/// Two batches of releases over eight days, the relevance groups spread
/// over both.
fn corpus(rng: &mut Gen) -> [Vec<Release>; 2] {
    let first_day = NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
    let mut batches = [Vec::new(), Vec::new()];
    for (b, batch) in batches.iter_mut().enumerate() {
        let (n, in_title, in_body) = [(40, 3, 2), (30, 2, 2)][b];
        for i in 0..n + in_title + in_body {
            let title = if i < n {
                rng.pick(TITLES).to_string()
            } else if i < n + in_title {
                IN_TITLE.to_string()
            } else {
                IN_BODY.to_string()
            };
            batch.push(Release {
                slug: format!("order-{b}-{i:02}"),
                title,
                date: rng.day(first_day, 8),
            });
        }
    }
    batches
}

const RELEASES: &str = r#"query($search: String, $order: PressReleaseOrder, $first: Int, $after: String, $last: Int, $before: String) {
    list: pressReleases(search: $search, orderBy: $order, first: $first, after: $after, last: $last, before: $before) {
        totalCount edges { cursor relevance node { slug title date } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"#;

pub(super) async fn release_orders_match_an_oracle(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let mut rng = Gen::new(24);
    let [first, second] = corpus(&mut rng);
    let text = |rs: &[Release]| rs.iter().map(line).collect::<String>();
    import_text(&db.conn, text(&first)).await;
    let app = TestApp::new(db.state());
    // The index is built now, with the first batch; the second comes
    // through the change log (merged into every order at read time).
    let count = app
        .graphql_data(r#"{ pressReleases(first: 1) { totalCount } }"#, json!({}))
        .await;
    assert_eq!(count["pressReleases"]["totalCount"], first.len() as u64 + 1);
    import_text(&db.conn, text(&second)).await;
    db.settle().await;

    let mut all: Vec<Release> = first.into_iter().chain(second).collect();
    for l in osce_api::model::reference::REFERENCE_DATA.lines() {
        if let Record::PressRelease(r) = serde_json::from_str(l).unwrap() {
            all.push(Release {
                slug: r.slug.to_string(),
                title: r.title,
                date: r.date,
            });
        }
    }
    let ids = ids_by_slug(&db.conn, "press_release").await;
    let id = |r: &Release| ids[&r.slug];
    // The data decides the tie-breaks: releases of one title on different
    // days whose ids run against their dates (by title then id would put
    // them in another order), and of one day and title (only the id decides).
    assert!(all.iter().any(|a| {
        all.iter()
            .any(|b| a.title == b.title && a.date < b.date && id(a) > id(b))
    }));
    assert!(all.iter().any(|a| {
        all.iter()
            .any(|b| a.title == b.title && a.date == b.date && a.slug != b.slug)
    }));

    let by_date = |a: &Release, b: &Release| (a.date, id(a)).cmp(&(b.date, id(b)));
    let by_title = |a: &Release, b: &Release| {
        (a.title.as_str(), a.date, id(a)).cmp(&(b.title.as_str(), b.date, id(b)))
    };
    let sorted = |cmp: &dyn Fn(&Release, &Release) -> std::cmp::Ordering, reverse: bool| {
        let mut v = all.clone();
        v.sort_by(|a, b| cmp(a, b));
        if reverse {
            v.reverse();
        }
        v.into_iter().map(|r| r.slug).collect::<Vec<_>>()
    };
    let orders: [(&str, Vec<String>); 4] = [
        ("DATE_DESC", sorted(&by_date, true)),
        ("DATE_ASC", sorted(&by_date, false)),
        ("TITLE_ASC", sorted(&by_title, false)),
        ("TITLE_DESC", sorted(&by_title, true)),
    ];
    let by_slug: HashMap<&str, &Release> = all.iter().map(|r| (r.slug.as_str(), r)).collect();
    for (order, want) in &orders {
        let vars = json!({ "order": order });
        for page in [7, 100] {
            let edges = forward(&app, RELEASES, &vars, page).await;
            assert_eq!(&texts(&edges, "slug"), want, "{order}, {page} a page");
            // What is shown is what was imported.
            for e in &edges {
                let r = by_slug[e["node"]["slug"].as_str().unwrap()];
                assert_eq!(e["node"]["title"], r.title.as_str());
                assert_eq!(e["node"]["date"], r.date.to_string());
                assert!(e["relevance"].is_null(), "no relevance outside a search");
            }
        }
        let edges = backward(&app, RELEASES, &vars, 7).await;
        assert_eq!(&texts(&edges, "slug"), want, "{order} backward");
    }
    // Without `orderBy`: newest first.
    let edges = forward(&app, RELEASES, &json!({}), 7).await;
    assert_eq!(texts(&edges, "slug"), orders[0].1);

    // Relevance: the title matches first (titles weigh more than bodies),
    // each group (alike, so equally relevant) newest first, then by id.
    let group = |title: &str| {
        let mut v: Vec<&Release> = all.iter().filter(|r| r.title == title).collect();
        v.sort_by(|a, b| by_date(b, a));
        v.into_iter().map(|r| r.slug.clone()).collect::<Vec<_>>()
    };
    let want: Vec<String> = group(IN_TITLE).into_iter().chain(group(IN_BODY)).collect();
    let titled = group(IN_TITLE).len();
    for vars in [
        json!({ "search": "quokka", "order": "RELEVANCE" }),
        json!({ "search": "quokka" }),
    ] {
        for edges in [
            forward(&app, RELEASES, &vars, 3).await,
            backward(&app, RELEASES, &vars, 3).await,
        ] {
            assert_eq!(texts(&edges, "slug"), want, "{vars}");
            let scores: Vec<f64> = edges
                .iter()
                .map(|e| e["relevance"].as_f64().unwrap())
                .collect();
            assert!(
                scores[..titled].iter().all(|&s| s == scores[0]),
                "{scores:?}"
            );
            assert!(scores[titled..].iter().all(|&s| s == scores[titled]));
            assert!(scores[0] > scores[titled], "{scores:?}");
        }
    }
    // A search with another order keeps that order.
    let edges = forward(
        &app,
        RELEASES,
        &json!({ "search": "quokka", "order": "TITLE_DESC" }),
        2,
    )
    .await;
    let mut titled_order: Vec<&Release> = all
        .iter()
        .filter(|r| r.title == IN_TITLE || r.title == IN_BODY)
        .collect();
    titled_order.sort_by(|a, b| by_title(b, a));
    let want: Vec<&str> = titled_order.iter().map(|r| r.slug.as_str()).collect();
    assert_eq!(texts(&edges, "slug"), want);
    db.cleanup().await;
}

const MEETINGS: &str = r#"query($order: MeetingOrder!, $first: Int, $after: String, $last: Int, $before: String) {
    list: meetings(orderBy: $order, first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { slug startDate } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"#;

pub(super) async fn meeting_orders_match_an_oracle(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let mut rng = Gen::new(7);
    let first_day = NaiveDate::from_ymd_opt(2017, 5, 1).unwrap();
    let mut meetings: Vec<(NaiveDate, String)> = Vec::new();
    let mut text = String::new();
    for i in 0..40 {
        // Slugs in an order unrelated to the order of import (and so of ids).
        let slug = format!(
            "meeting-{}{}-{i}",
            rng.pick(&["k", "b", "x", "a", "q"]),
            rng.pick(&["m", "z", "c"])
        );
        let start = rng.day(first_day, 6);
        let end = start + chrono::Days::new(rng.below(4) as u64);
        text += &(json!({
            "type": "meeting", "slug": slug, "title": format!("Meeting {i}"), "kind": "other",
            "start": start.to_string(), "end": end.to_string(),
        })
        .to_string()
            + "\n");
        meetings.push((start, slug));
    }
    import_text(&db.conn, &text).await;
    for l in osce_api::model::reference::REFERENCE_DATA.lines() {
        if let Record::Meeting(m) = serde_json::from_str(l).unwrap() {
            meetings.push((m.start, m.slug.to_string()));
        }
    }
    // The data decides: meetings starting the same day whose slugs run
    // against their ids (a tie broken by id would order them otherwise).
    let ids = ids_by_slug(&db.conn, "meeting").await;
    assert!(meetings.iter().any(|a| {
        meetings
            .iter()
            .any(|b| a.0 == b.0 && a.1 < b.1 && ids[&a.1] > ids[&b.1])
    }));
    let app = TestApp::new(db.state());
    let mut ascending = meetings.clone();
    ascending.sort();
    let ascending: Vec<String> = ascending.into_iter().map(|(_, s)| s).collect();
    let mut descending = ascending.clone();
    descending.reverse();
    for (order, want) in [("START_ASC", &ascending), ("START_DESC", &descending)] {
        let vars = json!({ "order": order });
        for edges in [
            forward(&app, MEETINGS, &vars, 7).await,
            backward(&app, MEETINGS, &vars, 7).await,
            forward(&app, MEETINGS, &vars, 100).await,
        ] {
            assert_eq!(&texts(&edges, "slug"), want, "{order}");
        }
    }
    db.cleanup().await;
}
