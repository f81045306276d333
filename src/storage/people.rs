//! People and the roles they hold.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::entity::person;
use super::entity::role;
use super::keys::IdMaps;
use super::keyset::{any_of, id_in, keyset};
use super::rows::{one_where, opt_code, slug};
use super::sql::{placeholders, query_all};
use super::write::{insert_rows, null_date, opt};
use crate::domain::{KeysetPage, KeysetRequest};
use crate::model::{Person, Role};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

pub async fn people(conn: &impl ConnectionTrait) -> Result<Vec<Person>, DbErr> {
    query_all(conn, "SELECT slug, name FROM person ORDER BY slug", vec![])
        .await?
        .iter()
        .map(|r| {
            Ok(Person {
                slug: slug(r, "slug")?,
                name: r.try_get("", "name")?,
            })
        })
        .collect()
}

/// Roles in key order: person, start, unit, title.
pub async fn roles(conn: &impl ConnectionTrait) -> Result<Vec<Role>, DbErr> {
    let sql = "SELECT p.slug AS person, u.slug AS org_unit, r.title, c.code AS country, r.from_date, r.to_date \
               FROM role r \
               JOIN person p ON p.id = r.person_id \
               JOIN org_unit u ON u.id = r.org_unit_id \
               LEFT JOIN country c ON c.id = r.country_id \
               ORDER BY p.slug, r.from_date, u.slug, r.title";
    query_all(conn, sql, vec![])
        .await?
        .iter()
        .map(|r| {
            Ok(Role {
                person: slug(r, "person")?,
                org_unit: slug(r, "org_unit")?,
                title: r.try_get("", "title")?,
                country: opt_code(r, "country")?,
                from: r.try_get("", "from_date")?,
                to: r.try_get("", "to_date")?,
            })
        })
        .collect()
}

/// People by id, in the order given, each with their roles in key order
/// (start, unit, title): two queries whatever the number.
pub async fn people_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<(Person, Vec<Role>)>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let values: Vec<Value> = ids.iter().map(|&id| id.into()).collect();
    let sql = format!(
        "SELECT id, slug, name FROM person WHERE id IN ({})",
        placeholders(ids.len())
    );
    let mut people: HashMap<i64, Person> = HashMap::new();
    for r in query_all(conn, &sql, values.clone()).await? {
        people.insert(
            r.try_get("", "id")?,
            Person {
                slug: slug(&r, "slug")?,
                name: r.try_get("", "name")?,
            },
        );
    }
    let sql = format!(
        "SELECT r.person_id, p.slug AS person, u.slug AS org_unit, r.title, c.code AS country, r.from_date, r.to_date \
         FROM role r \
         JOIN person p ON p.id = r.person_id \
         JOIN org_unit u ON u.id = r.org_unit_id \
         LEFT JOIN country c ON c.id = r.country_id \
         WHERE r.person_id IN ({}) \
         ORDER BY r.person_id, r.from_date, u.slug, r.title",
        placeholders(ids.len())
    );
    let mut roles: HashMap<i64, Vec<Role>> = HashMap::new();
    for r in query_all(conn, &sql, values).await? {
        roles
            .entry(r.try_get("", "person_id")?)
            .or_default()
            .push(Role {
                person: slug(&r, "person")?,
                org_unit: slug(&r, "org_unit")?,
                title: r.try_get("", "title")?,
                country: opt_code(&r, "country")?,
                from: r.try_get("", "from_date")?,
                to: r.try_get("", "to_date")?,
            });
    }
    Ok(ids
        .iter()
        .filter_map(|id| Some((people.remove(id)?, roles.remove(id).unwrap_or_default())))
        .collect())
}

pub async fn upsert_people(
    conn: &impl ConnectionTrait,
    records: &[Person],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = records
        .iter()
        .map(|r| vec![r.slug.as_str().into(), r.name.as_str().into(), now.into()])
        .collect();
    insert_rows(
        conn,
        "person",
        "slug, name, updated_at",
        rows,
        "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
    )
    .await
}

/// Removes every role of the person keyed `slug` (an editor's save then
/// writes the list it holds).
pub async fn delete_roles_of(conn: &impl ConnectionTrait, slug: &str) -> Result<(), DbErr> {
    super::sql::execute(
        conn,
        "DELETE FROM role WHERE person_id = (SELECT id FROM person WHERE slug = ?)",
        vec![slug.into()],
    )
    .await?;
    Ok(())
}

pub async fn upsert_roles(
    conn: &impl ConnectionTrait,
    records: &[Role],
    ids: &IdMaps,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = records
        .iter()
        .map(|r| {
            vec![
                ids.person(r.person.as_str()).into(),
                ids.org_unit(r.org_unit.as_str()).into(),
                r.title.as_str().into(),
                opt(
                    r.country.as_ref().map(|c| ids.country(c.as_str())),
                    Value::BigInt(None),
                ),
                r.from.into(),
                opt(r.to, null_date()),
                now.into(),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "role",
        "person_id, org_unit_id, title, country_id, from_date, to_date, updated_at",
        rows,
        "ON CONFLICT (person_id, org_unit_id, title, from_date) DO UPDATE SET \
         country_id = excluded.country_id, to_date = excluded.to_date, updated_at = excluded.updated_at",
    )
    .await
}

/// A people list's filter in ids, as the service resolved it: people who
/// hold (or held) a role meeting all of the role conditions.
#[derive(Clone, Debug, Default)]
pub struct PersonQuery {
    /// Only these people (a search's matches), when given.
    pub among: Option<Vec<i64>>,
    pub role_titles: Vec<String>,
    pub units: Vec<i64>,
    pub representing: Vec<i64>,
    pub active_on: Option<chrono::NaiveDate>,
}

/// One keyset page of people by name (ties by slug).
pub async fn page(
    conn: &impl ConnectionTrait,
    query: &PersonQuery,
    request: &KeysetRequest,
) -> Result<KeysetPage<person::Model>, DbErr> {
    let mut role_conditions = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    any_of(
        "r.title",
        &query.role_titles,
        &mut role_conditions,
        &mut values,
    );
    any_of(
        "r.org_unit_id",
        &query.units,
        &mut role_conditions,
        &mut values,
    );
    any_of(
        "r.country_id",
        &query.representing,
        &mut role_conditions,
        &mut values,
    );
    if let Some(day) = query.active_on {
        role_conditions.push("r.from_date <= ? AND (r.to_date IS NULL OR r.to_date >= ?)".into());
        values.push(day.into());
        values.push(day.into());
    }
    let mut conditions = if role_conditions.is_empty() {
        vec![]
    } else {
        vec![format!(
            "EXISTS (SELECT 1 FROM role r WHERE r.person_id = p.id AND {})",
            role_conditions.join(" AND ")
        )]
    };
    if let Some(ids) = &query.among {
        id_in("p.id", ids, &mut conditions, &mut values);
    }
    keyset(
        conn,
        "SELECT p.* FROM person p",
        &conditions,
        &values,
        // Ties by slug (unique), as for meetings.
        &[("p.name", false), ("p.slug", false)],
        "SELECT k.name, k.slug FROM person k WHERE k.id = ?",
        request,
    )
    .await
}

/// The person whose slug is `slug`, as stored.
pub async fn model_by_slug(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<person::Model>, DbErr> {
    one_where::<person::Entity>(conn, person::Column::Slug, slug).await
}

/// The roles titled `title` in unit `unit_id`, by start (then id); with
/// `active_on`, only those held that day.
pub async fn roles_in_unit(
    conn: &impl ConnectionTrait,
    unit_id: i64,
    title: &str,
    active_on: Option<chrono::NaiveDate>,
) -> Result<Vec<role::Model>, DbErr> {
    let mut query = role::Entity::find()
        .filter(role::Column::OrgUnitId.eq(unit_id))
        .filter(role::Column::Title.eq(title));
    if let Some(day) = active_on {
        query = query.filter(role::Column::FromDate.lte(day)).filter(
            Condition::any()
                .add(role::Column::ToDate.is_null())
                .add(role::Column::ToDate.gte(day)),
        );
    }
    query
        .order_by_asc(role::Column::FromDate)
        .order_by_asc(role::Column::Id)
        .all(conn)
        .await
}
