//! `meetings(filter:)` and the releases' `meetingKinds` filter against a
//! brute-force oracle over generated meetings and releases. As documented:
//! lists mean "any of", filters combine with AND, an omitted or empty list
//! does not filter; a meeting is in `dateFrom`–`dateTo` when it overlaps it
//! (ends on or after `dateFrom`, starts on or before `dateTo`); a release
//! matches `meetingKinds` when any meeting it is about is of one of them.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use osce_api::model::Record;
use serde_json::{Map, Value, json};

use super::listing::{Gen, backward, forward, ids_by_slug, in_units, reference_parents, texts};
use crate::support::{Backend, TestApp, TestDb, import_text};

/// The kinds meetings get; `asian-conference` and `summit` are asked for too
/// (no meeting is of those kinds).
const KINDS: &[&str] = &[
    "ministerial-council",
    "permanent-council",
    "human-rights-meeting",
    "media-conference",
    "other",
];
const ASKED_KINDS: &[&str] = &[
    "ministerial-council",
    "permanent-council",
    "human-rights-meeting",
    "media-conference",
    "other",
    "asian-conference",
    "summit",
];
const FIELDS: &[&str] = &[
    "rule-of-law",
    "human-rights",
    "elections",
    "conflict-prevention-and-resolution",
    "youth",
];
const COUNTRIES: &[&str] = &["AT", "CH", "RS", "MD", "US", "UA"];
const UNITS: &[&str] = &[
    "field-operations",
    "mission-to-moldova",
    "closed-field-activities",
    "mission-to-georgia",
    "secretariat",
    "conflict-prevention-centre",
    "minsk-group",
    "odihr",
];
const PEOPLE: &[&str] = &["igor-popov", "andrew-schofer", "thomas-greminger"];

#[derive(Clone, Debug)]
struct Meeting {
    slug: String,
    kind: String,
    start: NaiveDate,
    end: NaiveDate,
    country: Option<String>,
    unit: Option<String>,
    fields: Vec<String>,
}

#[derive(Clone, Debug, Default)]
struct Filter {
    fields: Vec<String>,
    countries: Vec<String>,
    kinds: Vec<String>,
    units: Vec<String>,
    descendants: bool,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// `kebab-case` → `SCREAMING_SNAKE_CASE`, as GraphQL spells the kinds.
fn kind_value(kind: &str) -> String {
    kind.to_uppercase().replace('-', "_")
}

fn any_of(wanted: &[String], has: &[String]) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| has.contains(w))
}

impl Filter {
    fn to_json(&self) -> Value {
        let mut m = Map::new();
        let kinds: Vec<String> = self.kinds.iter().map(|k| kind_value(k)).collect();
        for (key, list) in [
            ("fieldsOfWork", &self.fields),
            ("countries", &self.countries),
            ("kinds", &kinds),
            ("orgUnits", &self.units),
        ] {
            if !list.is_empty() {
                m.insert(key.into(), json!(list));
            }
        }
        m.insert("includeDescendants".into(), json!(self.descendants));
        m.insert("dateFrom".into(), json!(self.from.map(|d| d.to_string())));
        m.insert("dateTo".into(), json!(self.to.map(|d| d.to_string())));
        Value::Object(m)
    }

    fn matches(&self, m: &Meeting, parents: &HashMap<String, Option<String>>) -> bool {
        any_of(&self.fields, &m.fields)
            && any_of(
                &self.countries,
                &m.country.clone().into_iter().collect::<Vec<_>>(),
            )
            && any_of(&self.kinds, std::slice::from_ref(&m.kind))
            && in_units(parents, m.unit.as_deref(), &self.units, self.descendants)
            && self.from.is_none_or(|d| m.end >= d)
            && self.to.is_none_or(|d| m.start <= d)
    }
}

fn generate(rng: &mut Gen) -> (Vec<Meeting>, String) {
    let first_day = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
    let mut text = String::new();
    let mut meetings = Vec::new();
    for i in 0..50 {
        let start = rng.day(first_day, 3 * 365);
        let m = Meeting {
            slug: format!("meeting-{}-{i:02}", rng.pick(&["v", "c", "p"])),
            kind: rng.pick(KINDS).to_string(),
            start,
            end: start + chrono::Days::new(*rng.pick(&[0, 0, 1, 2, 4, 30])),
            country: rng.chance(0.75).then(|| rng.pick(COUNTRIES).to_string()),
            unit: rng.chance(0.75).then(|| rng.pick(UNITS).to_string()),
            fields: rng
                .some(FIELDS, 3)
                .into_iter()
                .map(str::to_string)
                .collect(),
        };
        text += &(json!({
            "type": "meeting", "slug": m.slug, "title": format!("Meeting {i}"), "kind": m.kind,
            "start": m.start.to_string(), "end": m.end.to_string(), "country": m.country,
            "org_unit": m.unit, "fields_of_work": m.fields,
        })
        .to_string()
            + "\n");
        meetings.push(m);
    }
    for l in osce_api::model::reference::REFERENCE_DATA.lines() {
        if let Record::Meeting(m) = serde_json::from_str(l).unwrap() {
            meetings.push(Meeting {
                slug: m.slug.to_string(),
                kind: m.kind.as_str().to_string(),
                start: m.start,
                end: m.end,
                country: m.country.map(|c| c.to_string()),
                unit: m.org_unit.map(|u| u.to_string()),
                fields: m.fields_of_work.iter().map(|f| f.to_string()).collect(),
            });
        }
    }
    (meetings, text)
}

/// A day near the meetings' own first and last days, often on one.
fn boundary(rng: &mut Gen, meetings: &[Meeting]) -> NaiveDate {
    let m = rng.pick(meetings);
    let day = if rng.chance(0.5) { m.start } else { m.end };
    match rng.below(3) {
        0 => day - chrono::Days::new(1),
        1 => day + chrono::Days::new(1),
        _ => day,
    }
}

fn random_filter(rng: &mut Gen, meetings: &[Meeting]) -> Filter {
    let mut list = |options: &[&str]| -> Vec<String> {
        if rng.chance(0.5) {
            vec![]
        } else {
            rng.some(options, 2)
                .into_iter()
                .map(str::to_string)
                .collect()
        }
    };
    let (fields, countries, kinds, units) = (
        list(FIELDS),
        list(COUNTRIES),
        list(ASKED_KINDS),
        list(UNITS),
    );
    let mut from = rng.chance(0.4).then(|| boundary(rng, meetings));
    let mut to = rng.chance(0.4).then(|| boundary(rng, meetings));
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        (from, to) = (to, from);
    }
    Filter {
        fields,
        countries,
        kinds,
        units,
        descendants: rng.chance(0.5),
        from,
        to,
    }
}

const MEETINGS: &str = r#"query($filter: MeetingFilterInput, $order: MeetingOrder!, $first: Int, $after: String, $last: Int, $before: String) {
    list: meetings(filter: $filter, orderBy: $order, first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { slug kind startDate endDate } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"#;

pub(super) async fn meeting_filters_match_an_oracle(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let mut rng = Gen::new(3);
    let (meetings, text) = generate(&mut rng);
    import_text(&db.conn, text).await;
    let app = TestApp::new(db.state());
    let parents = reference_parents();
    let mut filters = vec![Filter::default()];
    for kind in ASKED_KINDS {
        filters.push(Filter {
            kinds: vec![kind.to_string()],
            ..Default::default()
        });
    }
    // One day inside a meeting of several: it overlaps, though it starts
    // before the range.
    for m in meetings.iter().filter(|m| m.end > m.start).take(4) {
        let day = Some(m.start + chrono::Days::new(1));
        filters.push(Filter {
            from: day,
            to: day,
            ..Default::default()
        });
    }
    for _ in 0..50 {
        filters.push(random_filter(&mut rng, &meetings));
    }
    // Rounds where the data tells the documented filter from one that
    // ignored a condition, or compared start dates only: each must happen.
    let mut decided: HashMap<&str, usize> = HashMap::new();
    for (round, f) in filters.iter().enumerate() {
        let mut want: Vec<&Meeting> = meetings.iter().filter(|m| f.matches(m, &parents)).collect();
        let set = |f: &Filter| -> HashSet<&str> {
            meetings
                .iter()
                .filter(|m| f.matches(m, &parents))
                .map(|m| m.slug.as_str())
                .collect()
        };
        let exact = set(f);
        let variants: [(&str, Filter); 6] = [
            (
                "fieldsOfWork",
                Filter {
                    fields: vec![],
                    ..f.clone()
                },
            ),
            (
                "countries",
                Filter {
                    countries: vec![],
                    ..f.clone()
                },
            ),
            (
                "kinds",
                Filter {
                    kinds: vec![],
                    ..f.clone()
                },
            ),
            (
                "orgUnits",
                Filter {
                    units: vec![],
                    ..f.clone()
                },
            ),
            (
                "includeDescendants",
                Filter {
                    descendants: !f.descendants,
                    ..f.clone()
                },
            ),
            (
                "dates",
                Filter {
                    from: None,
                    to: None,
                    ..f.clone()
                },
            ),
        ];
        for (what, other) in &variants {
            if set(other) != exact {
                *decided.entry(what).or_default() += 1;
            }
        }
        let undated = Filter {
            from: None,
            to: None,
            ..f.clone()
        };
        let starts_only: HashSet<&str> = meetings
            .iter()
            .filter(|m| {
                undated.matches(m, &parents)
                    && f.from.is_none_or(|d| m.start >= d)
                    && f.to.is_none_or(|d| m.start <= d)
            })
            .map(|m| m.slug.as_str())
            .collect();
        if starts_only != exact {
            *decided.entry("overlap").or_default() += 1;
        }
        let ascending = round % 2 == 0;
        want.sort_by(|a, b| (a.start, &a.slug).cmp(&(b.start, &b.slug)));
        if !ascending {
            want.reverse();
        }
        let want: Vec<&str> = want.iter().map(|m| m.slug.as_str()).collect();
        let order = if ascending { "START_ASC" } else { "START_DESC" };
        let vars = json!({ "filter": f.to_json(), "order": order });
        let page = [5, 100][round % 2];
        let mut runs = vec![forward(&app, MEETINGS, &vars, page).await];
        if round % 3 == 0 {
            runs.push(backward(&app, MEETINGS, &vars, page).await);
        }
        for edges in runs {
            assert_eq!(texts(&edges, "slug"), want, "round {round}: {vars}");
        }
    }
    for what in [
        "fieldsOfWork",
        "countries",
        "kinds",
        "orgUnits",
        "includeDescendants",
        "dates",
        "overlap",
    ] {
        assert!(
            decided.get(what).copied().unwrap_or(0) >= 3,
            "the data decides {what} in only {decided:?}"
        );
    }

    // Releases about those meetings, filtered by the meetings' kinds.
    let mut releases: Vec<(String, NaiveDate, Vec<String>, Vec<String>)> = Vec::new();
    let mut text = String::new();
    let first_day = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
    let slugs: Vec<&str> = meetings.iter().map(|m| m.slug.as_str()).collect();
    for i in 0..60 {
        let slug = format!("about-meetings-{i:02}");
        let date = rng.day(first_day, 3 * 365);
        let linked: Vec<String> = rng
            .some(&slugs, 3)
            .into_iter()
            .map(str::to_string)
            .collect();
        let people: Vec<String> = rng
            .some(PEOPLE, 2)
            .into_iter()
            .map(str::to_string)
            .collect();
        text += &(json!({
            "type": "press_release", "slug": slug, "title": format!("About meetings {i}"),
            "date": date.to_string(), "source": "secretariat", "meetings": linked, "people": people,
            "language": "en", "body_html": "<p>Text.</p>",
            "published_at": format!("{date}T10:00:00Z"), "updated_at": format!("{date}T10:00:00Z"),
        })
        .to_string()
            + "\n");
        releases.push((slug, date, linked, people));
    }
    import_text(&db.conn, text).await;
    db.settle().await;
    for l in osce_api::model::reference::REFERENCE_DATA.lines() {
        if let Record::PressRelease(r) = serde_json::from_str(l).unwrap() {
            releases.push((
                r.slug.to_string(),
                r.date,
                r.meetings.iter().map(ToString::to_string).collect(),
                r.people.iter().map(ToString::to_string).collect(),
            ));
        }
    }
    let ids = ids_by_slug(&db.conn, "press_release").await;
    let kind_of: HashMap<&str, &str> = meetings
        .iter()
        .map(|m| (m.slug.as_str(), m.kind.as_str()))
        .collect();
    let query = r#"query($filter: PressReleaseFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
        list: pressReleases(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
            totalCount edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"#;
    let mut kinds_decide = 0;
    for round in 0..30 {
        let kinds: Vec<String> = rng
            .some(ASKED_KINDS, 2)
            .into_iter()
            .map(str::to_string)
            .collect();
        let linked: Vec<String> = if rng.chance(0.3) {
            rng.some(&slugs, 3)
                .into_iter()
                .map(str::to_string)
                .collect()
        } else {
            vec![]
        };
        let people: Vec<String> = if rng.chance(0.3) {
            rng.some(PEOPLE, 1)
                .into_iter()
                .map(str::to_string)
                .collect()
        } else {
            vec![]
        };
        let of_kinds = |r: &(String, NaiveDate, Vec<String>, Vec<String>), kinds: &[String]| {
            kinds.is_empty()
                || r.2
                    .iter()
                    .any(|m| kinds.iter().any(|k| k == kind_of[m.as_str()]))
        };
        let select = |kinds: &[String]| -> Vec<&str> {
            let mut v: Vec<_> = releases
                .iter()
                .filter(|r| of_kinds(r, kinds) && any_of(&linked, &r.2) && any_of(&people, &r.3))
                .collect();
            v.sort_by_key(|r| std::cmp::Reverse((r.1, ids[&r.0])));
            v.into_iter().map(|r| r.0.as_str()).collect()
        };
        let want = select(&kinds);
        if select(&[]) != want {
            kinds_decide += 1;
        }
        let kind_values: Vec<String> = kinds.iter().map(|k| kind_value(k)).collect();
        let filter = json!({ "meetingKinds": kind_values, "meetings": linked, "people": people });
        let vars = json!({ "filter": filter });
        let edges = forward(&app, query, &vars, [7, 100][round % 2]).await;
        assert_eq!(texts(&edges, "slug"), want, "round {round}: {filter}");
        let total = app
            .graphql_data(query, json!({ "filter": filter, "first": 1 }))
            .await;
        assert_eq!(
            total["list"]["totalCount"],
            want.len(),
            "round {round}: {filter}"
        );
        if round % 5 == 0 {
            let edges = backward(&app, query, &vars, 7).await;
            assert_eq!(
                texts(&edges, "slug"),
                want,
                "round {round} backward: {filter}"
            );
        }
    }
    assert!(
        kinds_decide >= 10,
        "meetingKinds decides in {kinds_decide} rounds"
    );
    db.cleanup().await;
}
