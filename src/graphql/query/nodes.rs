//! `node(id:)` and `nodes(ids:)`: objects by global ID. A batch costs one
//! query for its press releases and one for its Chairpersonships, whatever
//! its size; everything else comes from the request's catalog.

use std::collections::HashMap;

use async_graphql::{Context, ID};

use super::super::context::{catalog, db};
use super::super::error::{OrInternal, bad_input};
use super::super::ids::parse_global_id;
use super::super::types::{
    Chairpersonship, Country, FieldOfWork, Meeting, Node, OrgUnit, Person, PressRelease,
};
use crate::storage::{releases, structure};

/// Most IDs one `nodes` call takes.
pub const MAX_IDS: usize = 100;

/// A global ID taken apart, checked before anything is read.
enum Wanted {
    PressRelease(String),
    /// `None`: a year that is not a number, which names nothing (null, like
    /// a slug that is not there).
    Chairpersonship(Option<i32>),
    Meeting(String),
    Person(String),
    OrgUnit(String),
    FieldOfWork(String),
    Country(String),
}

fn wanted(id: &ID) -> async_graphql::Result<Wanted> {
    let (type_name, key) = parse_global_id(id)?;
    Ok(match type_name.as_str() {
        "PressRelease" => Wanted::PressRelease(key),
        "Chairpersonship" => Wanted::Chairpersonship(key.parse().ok()),
        "Meeting" => Wanted::Meeting(key),
        "Person" => Wanted::Person(key),
        "OrgUnit" => Wanted::OrgUnit(key),
        "FieldOfWork" => Wanted::FieldOfWork(key),
        "Country" => Wanted::Country(key),
        _ => return Err(bad_input(format!("invalid ID {:?}", id.as_str()))),
    })
}

/// The objects of `ids`, in their order, `None` where there is none.
pub async fn nodes(ctx: &Context<'_>, ids: &[ID]) -> async_graphql::Result<Vec<Option<Node>>> {
    if ids.len() > MAX_IDS {
        return Err(bad_input(format!(
            "{} ids were given; at most {MAX_IDS} are accepted",
            ids.len()
        )));
    }
    let wanted = ids.iter().map(wanted).collect::<Result<Vec<_>, _>>()?;
    let slugs: Vec<&str> = wanted
        .iter()
        .filter_map(|w| match w {
            Wanted::PressRelease(slug) => Some(slug.as_str()),
            _ => None,
        })
        .collect();
    let years: Vec<i32> = wanted
        .iter()
        .filter_map(|w| match w {
            Wanted::Chairpersonship(year) => *year,
            _ => None,
        })
        .collect();
    let releases: HashMap<String, _> = releases::models_by_slugs(db(ctx), &slugs)
        .await
        .or_internal()?
        .into_iter()
        .map(|m| (m.slug.clone(), m))
        .collect();
    let chairs: HashMap<i32, _> = structure::chairpersonships_of_years(db(ctx), &years)
        .await
        .or_internal()?
        .into_iter()
        .map(|m| (m.year, m))
        .collect();
    let catalog = catalog(ctx).await?;
    let found = |key: &str, ids: &HashMap<String, i64>| ids.get(key).copied();
    Ok(wanted
        .into_iter()
        .map(|w| match w {
            Wanted::PressRelease(slug) => releases
                .get(&slug)
                .cloned()
                .map(|m| Node::PressRelease(PressRelease::from_model(m))),
            Wanted::Chairpersonship(year) => year
                .and_then(|y| chairs.get(&y).cloned())
                .map(|m| Node::Chairpersonship(Chairpersonship(m))),
            Wanted::Meeting(key) => found(&key, &catalog.meeting_ids)
                .and_then(|id| catalog.meetings.get(&id).cloned())
                .map(|m| Node::Meeting(Meeting(m))),
            Wanted::Person(key) => found(&key, &catalog.person_ids)
                .and_then(|id| catalog.people.get(&id).cloned())
                .map(|m| Node::Person(Person(m))),
            Wanted::OrgUnit(key) => found(&key, &catalog.org_unit_ids)
                .and_then(|id| catalog.org_units.get(&id).cloned())
                .map(|m| Node::OrgUnit(OrgUnit(m))),
            Wanted::FieldOfWork(key) => found(&key, &catalog.field_of_work_ids)
                .and_then(|id| catalog.fields_of_work.get(&id).cloned())
                .map(|m| Node::FieldOfWork(FieldOfWork(m))),
            Wanted::Country(key) => found(&key, &catalog.country_ids)
                .and_then(|id| catalog.countries.get(&id).cloned())
                .map(|m| Node::Country(Country(m))),
        })
        .collect())
}
