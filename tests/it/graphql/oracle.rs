//! Filters, facets and paging against a brute-force oracle.

use std::collections::{BTreeMap, HashMap, HashSet};

use osce_api::model::{self, Record};
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use super::listing::descends_from;
use crate::support::{Backend, TestApp, TestDb, generated_corpus, import_text};

/// A release as the oracle sees it.
#[derive(Clone)]
struct Oracle {
    slug: String,
    date: chrono::NaiveDate,
    fields: HashSet<String>,
    countries: HashSet<String>,
    source: String,
    language: String,
}

fn oracle_of(corpus: &str) -> (Vec<Oracle>, HashMap<String, Option<String>>) {
    let mut releases = Vec::new();
    let mut parents = HashMap::new();
    for line in corpus.lines() {
        match serde_json::from_str::<Record>(line).unwrap() {
            Record::PressRelease(r) => releases.push(release_oracle(&r)),
            Record::OrgUnit(u) => {
                parents.insert(u.slug.to_string(), u.parent.map(|p| p.to_string()));
            }
            _ => {}
        }
    }
    (releases, parents)
}

fn release_oracle(r: &model::PressRelease) -> Oracle {
    Oracle {
        slug: r.slug.to_string(),
        date: r.date,
        fields: r.fields_of_work.iter().map(|f| f.to_string()).collect(),
        countries: r.countries.iter().map(|c| c.to_string()).collect(),
        source: r.source.to_string(),
        language: r.language.to_string(),
    }
}

/// Every page of a query, following `endCursor`, as slugs.
async fn all_pages(app: &TestApp, filter: &Value, order: &str, page: usize) -> (Vec<String>, u64) {
    let query = r#"query($filter: PressReleaseFilterInput, $order: PressReleaseOrder!, $first: Int, $after: String) {
        pressReleases(filter: $filter, orderBy: $order, first: $first, after: $after) {
            totalCount nodes { slug } pageInfo { hasNextPage endCursor } } }"#;
    let mut slugs = Vec::new();
    let mut after = Value::Null;
    let mut total: u64;
    loop {
        let d = app
            .graphql_data(
                query,
                json!({ "filter": filter, "order": order, "first": page, "after": after }),
            )
            .await;
        let connection = &d["pressReleases"];
        total = connection["totalCount"].as_u64().unwrap();
        slugs.extend(
            connection["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["slug"].as_str().unwrap().to_string()),
        );
        if !connection["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return (slugs, total);
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
}

/// Slugs that share a date are ordered by internal id, which the oracle
/// does not know: compare dates in order, and sets.
fn assert_same_listing(
    got: &[String],
    expected: &[&Oracle],
    by_slug: &HashMap<String, &Oracle>,
    what: &str,
) {
    assert_eq!(got.len(), expected.len(), "{what}: count");
    let got_dates: Vec<_> = got.iter().map(|s| by_slug[s].date).collect();
    let want_dates: Vec<_> = expected.iter().map(|r| r.date).collect();
    assert_eq!(got_dates, want_dates, "{what}: order");
    let got_set: HashSet<&String> = got.iter().collect();
    assert_eq!(got_set.len(), got.len(), "{what}: an item repeated");
    let want_set: HashSet<&String> = expected.iter().map(|r| &r.slug).collect();
    assert_eq!(got_set, want_set, "{what}: items");
}

pub(super) async fn filters_match_a_brute_force_oracle(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let mut corpus = generated_corpus(600, 99);
    // Many releases on one day, to test paging through ties.
    for i in 0..40 {
        corpus.push_str(&format!(
            r#"{{"type":"press_release","slug":"same-day-{i}","title":"Same day {i}","date":"2019-05-05","source":"mission-to-serbia","fields_of_work":["rule-of-law"],"countries":["RS"],"language":"en","body_html":"<p>x</p>","published_at":"2019-05-05T10:00:00Z","updated_at":"2019-05-05T10:00:00Z"}}"#
        ));
        corpus.push('\n');
    }
    import_text(&db.conn, &corpus).await;
    let app = TestApp::new(db.state());
    let (mut releases, parents) = oracle_of(&corpus);
    let seed_release = {
        let seed = osce_api::model::reference::REFERENCE_DATA
            .lines()
            .find(|l| l.contains("\"type\":\"press_release\""))
            .unwrap();
        match serde_json::from_str::<Record>(seed).unwrap() {
            Record::PressRelease(r) => release_oracle(&r),
            _ => unreachable!(),
        }
    };
    if !releases.iter().any(|r| r.slug == seed_release.slug) {
        releases.push(seed_release);
    }
    let by_slug: HashMap<String, &Oracle> = releases.iter().map(|r| (r.slug.clone(), r)).collect();

    let fields = [
        "rule-of-law",
        "human-rights",
        "elections",
        "conflict-prevention-and-resolution",
        "youth",
    ];
    let countries = ["RS", "UA", "AT", "KZ", "US", "MD"];
    let sources = [
        "field-operations",
        "secretariat",
        "odihr",
        "mission-to-serbia",
        "institutions",
    ];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    for round in 0..30 {
        let pick = |rng: &mut rand_chacha::ChaCha8Rng, options: &[&str]| -> Vec<String> {
            let n = rng.random_range(0..3);
            (0..n)
                .map(|_| options[rng.random_range(0..options.len())].to_string())
                .collect()
        };
        let f = pick(&mut rng, &fields);
        let c = pick(&mut rng, &countries);
        let s = pick(&mut rng, &sources);
        let descendants = rng.random_bool(0.5);
        let from = rng
            .random_bool(0.5)
            .then(|| chrono::NaiveDate::from_ymd_opt(rng.random_range(1996..2024), 1, 1).unwrap());
        let to = rng
            .random_bool(0.5)
            .then(|| chrono::NaiveDate::from_ymd_opt(rng.random_range(2005..2027), 6, 30).unwrap());
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            continue;
        }
        let languages: Vec<String> = if rng.random_bool(0.2) {
            vec!["en".into()]
        } else {
            vec![]
        };
        let filter = json!({
            "fieldsOfWork": f, "countries": c, "sources": s, "includeDescendants": descendants,
            "dateFrom": from.map(|d| d.to_string()), "dateTo": to.map(|d| d.to_string()), "languages": languages,
        });
        let matches = |r: &Oracle| {
            (f.is_empty() || f.iter().any(|x| r.fields.contains(x)))
                && (c.is_empty() || c.iter().any(|x| r.countries.contains(x)))
                && (s.is_empty()
                    || s.iter().any(|x| {
                        if descendants {
                            descends_from(&parents, &r.source, x)
                        } else {
                            &r.source == x
                        }
                    }))
                && from.is_none_or(|d| r.date >= d)
                && to.is_none_or(|d| r.date <= d)
                && (languages.is_empty() || languages.contains(&r.language))
        };
        let mut expected: Vec<&Oracle> = releases.iter().filter(|r| matches(r)).collect();
        expected.sort_by_key(|r| std::cmp::Reverse(r.date));
        let page = [7, 25, 100][round % 3];
        let (got, total) = all_pages(&app, &filter, "DATE_DESC", page).await;
        assert_eq!(
            total as usize,
            expected.len(),
            "round {round}: totalCount for {filter}"
        );
        assert_same_listing(
            &got,
            &expected,
            &by_slug,
            &format!("round {round} {filter}"),
        );

        // Facets: each counted with the other filters applied.
        let d = app.graphql_data(r#"query($filter: PressReleaseFilterInput) { pressReleases(filter: $filter, first: 1) {
                facets { fieldsOfWork { fieldOfWork { slug } count } countries { country { code } count }
                         sources { orgUnit { slug } count } years { year count } } } }"#,
            json!({ "filter": filter }),
        )
        .await;
        let mut want_fields: BTreeMap<String, u64> = BTreeMap::new();
        let without_fields = |r: &Oracle| {
            (c.is_empty() || c.iter().any(|x| r.countries.contains(x)))
                && (s.is_empty()
                    || s.iter().any(|x| {
                        if descendants {
                            descends_from(&parents, &r.source, x)
                        } else {
                            &r.source == x
                        }
                    }))
                && from.is_none_or(|d| r.date >= d)
                && to.is_none_or(|d| r.date <= d)
                && (languages.is_empty() || languages.contains(&r.language))
        };
        for r in releases.iter().filter(|r| without_fields(r)) {
            for field in &r.fields {
                *want_fields.entry(field.clone()).or_default() += 1;
            }
        }
        let got_fields: BTreeMap<String, u64> = d["pressReleases"]["facets"]["fieldsOfWork"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["fieldOfWork"]["slug"].as_str().unwrap().to_string(),
                    x["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got_fields, want_fields,
            "round {round}: field facets for {filter}"
        );
        // Countries and sources likewise, each without its own filter.
        let in_sources = |r: &Oracle| {
            s.is_empty()
                || s.iter().any(|x| {
                    if descendants {
                        descends_from(&parents, &r.source, x)
                    } else {
                        &r.source == x
                    }
                })
        };
        let in_dates_and_language = |r: &Oracle| {
            from.is_none_or(|d| r.date >= d)
                && to.is_none_or(|d| r.date <= d)
                && (languages.is_empty() || languages.contains(&r.language))
        };
        let mut want_countries: BTreeMap<String, u64> = BTreeMap::new();
        let mut want_sources: BTreeMap<String, u64> = BTreeMap::new();
        for r in &releases {
            let in_fields = f.is_empty() || f.iter().any(|x| r.fields.contains(x));
            let in_countries = c.is_empty() || c.iter().any(|x| r.countries.contains(x));
            if in_fields && in_sources(r) && in_dates_and_language(r) {
                for country in &r.countries {
                    *want_countries.entry(country.clone()).or_default() += 1;
                }
            }
            if in_fields && in_countries && in_dates_and_language(r) {
                *want_sources.entry(r.source.clone()).or_default() += 1;
            }
        }
        let facet = |name: &str, item: &str, key: &str| -> BTreeMap<String, u64> {
            d["pressReleases"]["facets"][name]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    (
                        x[item][key].as_str().unwrap().to_string(),
                        x["count"].as_u64().unwrap(),
                    )
                })
                .collect()
        };
        assert_eq!(
            facet("countries", "country", "code"),
            want_countries,
            "round {round}: country facets for {filter}"
        );
        assert_eq!(
            facet("sources", "orgUnit", "slug"),
            want_sources,
            "round {round}: source facets for {filter}"
        );
        let year_total: u64 = d["pressReleases"]["facets"]["years"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y["count"].as_u64().unwrap())
            .sum();
        let want_year_total = releases
            .iter()
            .filter(|r| {
                (f.is_empty() || f.iter().any(|x| r.fields.contains(x)))
                    && (c.is_empty() || c.iter().any(|x| r.countries.contains(x)))
                    && (s.is_empty()
                        || s.iter().any(|x| {
                            if descendants {
                                descends_from(&parents, &r.source, x)
                            } else {
                                &r.source == x
                            }
                        }))
                    && (languages.is_empty() || languages.contains(&r.language))
            })
            .count() as u64;
        assert_eq!(
            year_total, want_year_total,
            "round {round}: year facets ignore the date filter"
        );
    }

    // Backward paging over the same list gives the same items in the same order.
    let filter = json!({ "countries": ["RS"] });
    let (forward, _) = all_pages(&app, &filter, "DATE_DESC", 9).await;
    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let d = app.graphql_data(r#"query($filter: PressReleaseFilterInput, $before: String) { pressReleases(filter: $filter, last: 9, before: $before) {
                nodes { slug } pageInfo { hasPreviousPage startCursor } } }"#,
            json!({ "filter": filter, "before": before }),
        )
        .await;
        let connection = &d["pressReleases"];
        let mut page: Vec<String> = connection["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["slug"].as_str().unwrap().to_string())
            .collect();
        page.append(&mut backward);
        backward = page;
        if !connection["pageInfo"]["hasPreviousPage"].as_bool().unwrap() {
            break;
        }
        before = connection["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, forward, "paging backward gives the same list");
    assert!(
        forward
            .iter()
            .filter(|s| s.starts_with("same-day-"))
            .count()
            == 40
    );

    // Title order: every item once, sorted by title.
    let (by_title, total) = all_pages(&app, &json!({ "countries": ["RS"] }), "TITLE_ASC", 13).await;
    assert_eq!(by_title.len() as u64, total);
    assert_eq!(
        by_title.iter().collect::<HashSet<_>>().len(),
        by_title.len()
    );
    db.cleanup().await;
}
