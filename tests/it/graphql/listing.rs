//! Shared by the oracle tests: a connection read whole, page by page
//! (forward with `first`/`after`, backward with `last`/`before`), checking
//! `pageInfo` on the way; the internal ids the documented tie-breaks use;
//! a small seeded generator.

use std::collections::HashMap;

use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};

use crate::support::TestApp;

/// The connection is aliased `list` in every query given here, asks for
/// `edges { cursor … }` and `pageInfo`, and declares (and uses) `$first`,
/// `$after`, `$last` and `$before`.
const LIST: &str = "list";

/// Every edge of the list, `page` at a time from the start, following
/// `endCursor`. Checks that every page but the last is full, and that
/// `hasPreviousPage` says whether items come before the page.
pub(super) async fn forward(app: &TestApp, query: &str, vars: &Value, page: usize) -> Vec<Value> {
    let mut edges: Vec<Value> = Vec::new();
    let mut after = Value::Null;
    loop {
        let mut v = vars.clone();
        v["first"] = json!(page);
        v["after"] = after.clone();
        let data = app.graphql_data(query, v).await;
        let connection = &data[LIST];
        let got = connection["edges"].as_array().unwrap();
        let info = &connection["pageInfo"];
        assert_eq!(
            info["hasPreviousPage"].as_bool().unwrap(),
            !edges.is_empty(),
            "hasPreviousPage after {} items of {vars}",
            edges.len()
        );
        if let Some(last) = got.last() {
            assert_eq!(last["cursor"], info["endCursor"]);
        }
        edges.extend(got.iter().cloned());
        if !info["hasNextPage"].as_bool().unwrap() {
            assert!(got.len() <= page);
            return edges;
        }
        assert_eq!(got.len(), page, "a page before the last is full ({vars})");
        assert!(edges.len() < 10_000, "paging does not end ({vars})");
        after = info["endCursor"].clone();
    }
}

/// Every edge of the list, `page` at a time from the end (`last`,
/// `before`), in list order.
pub(super) async fn backward(app: &TestApp, query: &str, vars: &Value, page: usize) -> Vec<Value> {
    let mut pages: Vec<Vec<Value>> = Vec::new();
    let mut before = Value::Null;
    let mut count = 0;
    loop {
        let mut v = vars.clone();
        v["last"] = json!(page);
        v["before"] = before.clone();
        let data = app.graphql_data(query, v).await;
        let connection = &data[LIST];
        let got = connection["edges"].as_array().unwrap().clone();
        let info = &connection["pageInfo"];
        assert_eq!(
            info["hasNextPage"].as_bool().unwrap(),
            count > 0,
            "hasNextPage with {count} items after the page of {vars}"
        );
        if let Some(first) = got.first() {
            assert_eq!(first["cursor"], info["startCursor"]);
        }
        count += got.len();
        let more = info["hasPreviousPage"].as_bool().unwrap();
        if more {
            assert_eq!(got.len(), page, "a page after the first is full ({vars})");
        }
        before = info["startCursor"].clone();
        pages.push(got);
        if !more {
            break;
        }
        assert!(count < 10_000, "paging does not end ({vars})");
    }
    pages.into_iter().rev().flatten().collect()
}

/// `field` of each edge's node, as text.
pub(super) fn texts(edges: &[Value], field: &str) -> Vec<String> {
    edges
        .iter()
        .map(|e| e["node"][field].as_str().unwrap().to_string())
        .collect()
}

/// The internal id of every row of `table`, by slug: what the documented
/// tie-breaks ("an internal id") use. The API never shows it.
pub(super) async fn ids_by_slug(conn: &DatabaseConnection, table: &str) -> HashMap<String, i64> {
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT id, slug FROM {table}"),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get::<String>("", "slug").unwrap(),
                r.try_get::<i64>("", "id").unwrap(),
            )
        })
        .collect()
}

/// A small deterministic generator for test data.
pub(super) struct Gen(rand_chacha::ChaCha8Rng);

impl Gen {
    pub(super) fn new(seed: u64) -> Gen {
        Gen(rand_chacha::ChaCha8Rng::seed_from_u64(seed))
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n)
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.0.random_bool(p)
    }

    pub(super) fn pick<'a, T>(&mut self, options: &'a [T]) -> &'a T {
        &options[self.below(options.len())]
    }

    /// Up to `most` distinct items of `options` (possibly none).
    pub(super) fn some<T: Clone + PartialEq>(&mut self, options: &[T], most: usize) -> Vec<T> {
        let n = self.below(most + 1);
        let mut chosen: Vec<T> = Vec::new();
        for _ in 0..n {
            let x = self.pick(options).clone();
            if !chosen.contains(&x) {
                chosen.push(x);
            }
        }
        chosen
    }

    /// A day in `[from, from + days)`.
    pub(super) fn day(&mut self, from: chrono::NaiveDate, days: usize) -> chrono::NaiveDate {
        from + chrono::Days::new(self.below(days) as u64)
    }
}

/// Parents of the reference data's units (slug → parent slug), for
/// `includeDescendants` oracles.
pub(super) fn reference_parents() -> HashMap<String, Option<String>> {
    osce_api::model::reference::REFERENCE_DATA
        .lines()
        .filter_map(|line| match serde_json::from_str(line).unwrap() {
            osce_api::model::Record::OrgUnit(u) => {
                Some((u.slug.to_string(), u.parent.map(|p| p.to_string())))
            }
            _ => None,
        })
        .collect()
}

/// Whether `unit` is `ancestor` or below it.
pub(super) fn descends_from(
    parents: &HashMap<String, Option<String>>,
    unit: &str,
    ancestor: &str,
) -> bool {
    let mut current = Some(unit.to_string());
    while let Some(u) = current {
        if u == ancestor {
            return true;
        }
        current = parents.get(&u).cloned().flatten();
    }
    false
}

/// Whether `unit` matches a unit filter of `units`, with or without their
/// descendants (an empty filter matches every unit, even none).
pub(super) fn in_units(
    parents: &HashMap<String, Option<String>>,
    unit: Option<&str>,
    units: &[String],
    descendants: bool,
) -> bool {
    units.is_empty()
        || unit.is_some_and(|unit| {
            units.iter().any(|x| {
                if descendants {
                    descends_from(parents, unit, x)
                } else {
                    unit == x
                }
            })
        })
}
