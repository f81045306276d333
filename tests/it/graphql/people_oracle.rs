//! `people(filter:)` against a brute-force oracle over generated people
//! and roles. As documented ("Whose roles must match: every condition given
//! must hold"): a person is listed when one of their roles meets every
//! condition given (a title among `roleTitles`, a unit among `orgUnits` or,
//! with `includeDescendants`, below one, a State among `representing`, held
//! on `activeOn`, first and last day included). An omitted or empty list
//! does not filter; with no condition at all everyone is listed, people
//! without roles too. The list is by name.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use osce_api::model::Record;
use serde_json::{Map, Value, json};

use super::listing::{Gen, backward, forward, in_units, reference_parents, texts};
use crate::support::{Backend, TestApp, TestDb, import_text};

const TITLES: &[&str] = &[
    "Head of Mission",
    "Deputy Head of Mission",
    "Co-Chair",
    "Director",
    "Special Representative",
];

/// Units at every depth of the reference tree (field operations, the
/// closed ones below "Closed field activities" below them, the
/// Secretariat's departments…).
const UNITS: &[&str] = &[
    "field-operations",
    "mission-to-moldova",
    "mission-to-serbia",
    "closed-field-activities",
    "mission-to-georgia",
    "office-in-yerevan",
    "secretariat",
    "conflict-prevention-centre",
    "transnational-threats-department",
    "minsk-group",
    "institutions",
    "odihr",
];

const STATES: &[&str] = &["RU", "US", "FR", "DE", "MD"];

#[derive(Clone, Debug)]
struct Role {
    title: String,
    unit: String,
    country: Option<String>,
    from: NaiveDate,
    to: Option<NaiveDate>,
}

impl Role {
    fn held_on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| to >= day)
    }
}

#[derive(Clone, Debug, Default)]
struct Filter {
    titles: Option<Vec<String>>,
    units: Option<Vec<String>>,
    descendants: bool,
    representing: Option<Vec<String>>,
    active_on: Option<NaiveDate>,
}

impl Filter {
    fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Some(t) = &self.titles {
            m.insert("roleTitles".into(), json!(t));
        }
        if let Some(u) = &self.units {
            m.insert("orgUnits".into(), json!(u));
        }
        m.insert("includeDescendants".into(), json!(self.descendants));
        if let Some(r) = &self.representing {
            m.insert("representing".into(), json!(r));
        }
        if let Some(d) = self.active_on {
            m.insert("activeOn".into(), json!(d.to_string()));
        }
        Value::Object(m)
    }
}

struct World {
    /// (slug, name), and each person's roles.
    people: Vec<(String, String)>,
    roles: HashMap<String, Vec<Role>>,
    parents: HashMap<String, Option<String>>,
}

impl World {
    fn condition(&self, f: &Filter) -> impl Fn(&Role) -> bool {
        let titles = f.titles.clone().unwrap_or_default();
        let units = f.units.clone().unwrap_or_default();
        let states = f.representing.clone().unwrap_or_default();
        let (descendants, day) = (f.descendants, f.active_on);
        let parents = self.parents.clone();
        move |r: &Role| {
            (titles.is_empty() || titles.contains(&r.title))
                && in_units(&parents, Some(&r.unit), &units, descendants)
                && (states.is_empty() || r.country.as_ref().is_some_and(|c| states.contains(c)))
                && day.is_none_or(|d| r.held_on(d))
        }
    }

    fn no_condition(f: &Filter) -> bool {
        let empty = |l: &Option<Vec<String>>| l.as_ref().is_none_or(Vec::is_empty);
        empty(&f.titles) && empty(&f.units) && empty(&f.representing) && f.active_on.is_none()
    }

    /// The documented semantics: one role meets every condition.
    fn matching(&self, f: &Filter) -> Vec<String> {
        let ok = self.condition(f);
        self.listed(|slug| {
            Self::no_condition(f) || self.roles.get(slug).into_iter().flatten().any(&ok)
        })
    }

    /// The semantics the documentation rules out: each condition met by
    /// some role, not necessarily the same one.
    fn matching_across_roles(&self, f: &Filter) -> Vec<String> {
        let parts = [
            Filter {
                titles: f.titles.clone(),
                ..Default::default()
            },
            Filter {
                units: f.units.clone(),
                descendants: f.descendants,
                ..Default::default()
            },
            Filter {
                representing: f.representing.clone(),
                ..Default::default()
            },
            Filter {
                active_on: f.active_on,
                ..Default::default()
            },
        ];
        let each: Vec<HashSet<String>> = parts
            .iter()
            .map(|p| self.matching(p).into_iter().collect())
            .collect();
        self.listed(|slug| each.iter().all(|s| s.contains(slug)))
    }

    /// Slugs of the people `keep` keeps, by name (then slug).
    fn listed(&self, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let mut people: Vec<&(String, String)> =
            self.people.iter().filter(|(s, _)| keep(s)).collect();
        people.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
        people.into_iter().map(|(s, _)| s.clone()).collect()
    }
}

/// 40 people with 0–3 roles each (names repeat), and the text to import.
fn generate(rng: &mut Gen) -> (World, String) {
    let mut text = String::new();
    let mut world = World {
        people: Vec::new(),
        roles: HashMap::new(),
        parents: reference_parents(),
    };
    let first_day = NaiveDate::from_ymd_opt(2005, 1, 1).unwrap();
    for i in 0..40 {
        let slug = format!("delegate-{}-{i:02}", rng.pick(&["x", "b", "m"]));
        let name = format!("Delegate {:02}", rng.below(25));
        text += &(json!({ "type": "person", "slug": slug, "name": name }).to_string() + "\n");
        let mut roles: Vec<Role> = Vec::new();
        for _ in 0..rng.below(4) {
            let from = rng.day(first_day, 15 * 365);
            let role = Role {
                title: rng.pick(TITLES).to_string(),
                unit: rng.pick(UNITS).to_string(),
                country: rng.chance(0.6).then(|| rng.pick(STATES).to_string()),
                from,
                to: rng
                    .chance(0.7)
                    .then(|| from + chrono::Days::new(rng.below(2000) as u64)),
            };
            if roles
                .iter()
                .any(|r| (&r.title, &r.unit, r.from) == (&role.title, &role.unit, role.from))
            {
                continue;
            }
            text += &(json!({
                "type": "role", "person": slug, "org_unit": role.unit, "title": role.title,
                "country": role.country, "from": role.from.to_string(), "to": role.to.map(|d| d.to_string()),
            })
            .to_string()
                + "\n");
            roles.push(role);
        }
        world.people.push((slug.clone(), name));
        world.roles.insert(slug, roles);
    }
    for l in osce_api::model::reference::REFERENCE_DATA.lines() {
        match serde_json::from_str(l).unwrap() {
            Record::Person(p) => world.people.push((p.slug.to_string(), p.name)),
            Record::Role(r) => world
                .roles
                .entry(r.person.to_string())
                .or_default()
                .push(Role {
                    title: r.title,
                    unit: r.org_unit.to_string(),
                    country: r.country.map(|c| c.to_string()),
                    from: r.from,
                    to: r.to,
                }),
            _ => {}
        }
    }
    (world, text)
}

/// A filter of a few random conditions; days often on a role's boundary.
fn random_filter(rng: &mut Gen, world: &World) -> Filter {
    let list = |rng: &mut Gen, options: &[&str]| -> Option<Vec<String>> {
        rng.chance(0.5).then(|| {
            rng.some(options, 2)
                .into_iter()
                .map(str::to_string)
                .collect()
        })
    };
    let mut titles: Vec<&str> = TITLES.to_vec();
    titles.push("Secretary General");
    let mut units: Vec<&str> = UNITS.to_vec();
    units.push("secretary-general");
    let titles = list(rng, &titles);
    let units = list(rng, &units);
    let representing = list(rng, STATES);
    let active_on = rng.chance(0.5).then(|| {
        let all: Vec<&Role> = world.roles.values().flatten().collect();
        let r = *rng.pick(&all);
        match rng.below(4) {
            0 => r.from,
            1 => r.from - chrono::Days::new(1),
            2 => r.to.unwrap_or(r.from) + chrono::Days::new(1),
            _ => r.to.unwrap_or(r.from),
        }
    });
    Filter {
        titles,
        units,
        descendants: rng.chance(0.5),
        representing,
        active_on,
    }
}

const PEOPLE: &str = r#"query($filter: PersonFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
    list: people(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { slug name } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"#;

pub(super) async fn people_filters_match_an_oracle(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let mut rng = Gen::new(11);
    let (world, text) = generate(&mut rng);
    import_text(&db.conn, text).await;
    let app = TestApp::new(db.state());
    let names: HashMap<&str, &str> = world
        .people
        .iter()
        .map(|(s, n)| (s.as_str(), n.as_str()))
        .collect();

    let mut filters = vec![
        Filter::default(),
        Filter {
            descendants: true,
            ..Default::default()
        },
        Filter {
            titles: Some(vec![]),
            units: Some(vec![]),
            ..Default::default()
        },
    ];
    for _ in 0..60 {
        filters.push(random_filter(&mut rng, &world));
    }
    // How often the data tells the documented semantics from a resolver
    // that ignored one condition, or let the conditions be met by
    // different roles: each must happen, or these rounds prove nothing.
    let mut decided: HashMap<&str, usize> = HashMap::new();
    for (round, f) in filters.iter().enumerate() {
        let want = world.matching(f);
        let ignoring: [(&str, Filter); 5] = [
            (
                "roleTitles",
                Filter {
                    titles: None,
                    ..f.clone()
                },
            ),
            (
                "orgUnits",
                Filter {
                    units: None,
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
                "representing",
                Filter {
                    representing: None,
                    ..f.clone()
                },
            ),
            (
                "activeOn",
                Filter {
                    active_on: None,
                    ..f.clone()
                },
            ),
        ];
        for (what, other) in &ignoring {
            if world.matching(other) != want {
                *decided.entry(what).or_default() += 1;
            }
        }
        if world.matching_across_roles(f) != want {
            *decided.entry("one role for all conditions").or_default() += 1;
        }
        let vars = json!({ "filter": f.to_json() });
        let page = [3, 7, 100][round % 3];
        let mut runs = vec![forward(&app, PEOPLE, &vars, page).await];
        if round % 4 == 0 {
            runs.push(backward(&app, PEOPLE, &vars, page).await);
        }
        if let [ahead, back] = &runs[..] {
            assert_eq!(
                texts(ahead, "slug"),
                texts(back, "slug"),
                "round {round}: backward"
            );
        }
        for edges in runs {
            let got = texts(&edges, "slug");
            // By name; people of one name in an order of the API's own
            // (the same forward and backward).
            let got_names: Vec<&str> = got.iter().map(|s| names[s.as_str()]).collect();
            let want_names: Vec<&str> = want.iter().map(|s| names[s.as_str()]).collect();
            assert_eq!(got_names, want_names, "round {round}: {vars}");
            let got_set: HashSet<&String> = got.iter().collect();
            assert_eq!(got_set.len(), got.len(), "round {round}: a person repeated");
            assert_eq!(
                got_set,
                want.iter().collect::<HashSet<_>>(),
                "round {round}: {vars}"
            );
            assert_eq!(texts(&edges, "name"), got_names);
        }
    }
    for what in [
        "roleTitles",
        "orgUnits",
        "includeDescendants",
        "representing",
        "activeOn",
        "one role for all conditions",
    ] {
        assert!(
            decided.get(what).copied().unwrap_or(0) >= 3,
            "the data decides {what} in only {decided:?}"
        );
    }
    db.cleanup().await;
}
