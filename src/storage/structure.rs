//! The organisational structure: units (a tree) and chairpersonships.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use super::entity::{chairpersonship, org_unit};
use super::rows::{code, corrupt, one_where, opt_code, opt_slug, slug};
use super::sql::{execute, query_all};
use super::write::{insert_rows, null_date, null_string, opt};
use crate::domain::OrgUnitKind;
use crate::model::{Chairpersonship, OrgUnit};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub async fn org_units(conn: &impl ConnectionTrait) -> Result<Vec<OrgUnit>, DbErr> {
    let sql = "SELECT u.slug, u.name, u.kind, p.slug AS parent, c.code AS country, u.closed_on, u.description \
               FROM org_unit u \
               LEFT JOIN org_unit p ON p.id = u.parent_id \
               LEFT JOIN country c ON c.id = u.country_id \
               ORDER BY u.slug";
    query_all(conn, sql, vec![])
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get("", "kind")?;
            Ok(OrgUnit {
                slug: slug(r, "slug")?,
                name: r.try_get("", "name")?,
                kind: OrgUnitKind::parse(&kind).ok_or_else(|| corrupt("unit kind", &kind))?,
                parent: opt_slug(r, "parent")?,
                country: opt_code(r, "country")?,
                closed_on: r.try_get("", "closed_on")?,
                description: r.try_get("", "description")?,
            })
        })
        .collect()
}

pub async fn chairpersonships(conn: &impl ConnectionTrait) -> Result<Vec<Chairpersonship>, DbErr> {
    let sql = "SELECT ch.year, c.code FROM chairpersonship ch JOIN country c ON c.id = ch.country_id ORDER BY ch.year";
    query_all(conn, sql, vec![])
        .await?
        .iter()
        .map(|r| {
            Ok(Chairpersonship {
                year: r.try_get("", "year")?,
                country: code(r, "code")?,
            })
        })
        .collect()
}

/// Units first without their parents, then the parents: a file may name a
/// parent that comes later in it.
pub async fn upsert_org_units(
    conn: &impl ConnectionTrait,
    records: &[OrgUnit],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = records
        .iter()
        .map(|r| {
            vec![
                r.slug.as_str().into(),
                r.name.as_str().into(),
                r.kind.as_str().into(),
                opt(r.closed_on, null_date()),
                opt(r.description.clone(), null_string()),
                now.into(),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "org_unit",
        "slug, name, kind, closed_on, description, updated_at",
        rows,
        "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
         closed_on = excluded.closed_on, description = excluded.description, updated_at = excluded.updated_at",
    )
    .await?;
    for r in records {
        execute(
            conn,
            "UPDATE org_unit SET parent_id = (SELECT p.id FROM org_unit p WHERE p.slug = ?), \
             country_id = (SELECT c.id FROM country c WHERE c.code = ?) WHERE slug = ?",
            vec![
                opt(
                    r.parent.as_ref().map(|s| s.as_str().to_string()),
                    null_string(),
                ),
                opt(
                    r.country.as_ref().map(|s| s.as_str().to_string()),
                    null_string(),
                ),
                r.slug.as_str().into(),
            ],
        )
        .await?;
    }
    Ok(())
}

pub async fn upsert_chairpersonships(
    conn: &impl ConnectionTrait,
    records: &[Chairpersonship],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for r in records {
        execute(
            conn,
            "INSERT INTO chairpersonship (year, country_id, updated_at) \
             VALUES (?, (SELECT id FROM country WHERE code = ?), ?) \
             ON CONFLICT (year) DO UPDATE SET country_id = excluded.country_id, updated_at = excluded.updated_at",
            vec![r.year.into(), r.country.as_str().into(), now.into()],
        )
        .await?;
    }
    Ok(())
}

/// The unit whose slug is `slug`, as stored.
pub async fn org_unit_by_slug(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<org_unit::Model>, DbErr> {
    one_where::<org_unit::Entity>(conn, org_unit::Column::Slug, slug).await
}

/// The Chairpersonship of `year`, as stored.
pub async fn chairpersonship_of_year(
    conn: &impl ConnectionTrait,
    year: i32,
) -> Result<Option<chairpersonship::Model>, DbErr> {
    one_where::<chairpersonship::Entity>(conn, chairpersonship::Column::Year, year).await
}

/// The Chairpersonships of `years`, as stored, in no order.
pub async fn chairpersonships_of_years(
    conn: &impl ConnectionTrait,
    years: &[i32],
) -> Result<Vec<chairpersonship::Model>, DbErr> {
    if years.is_empty() {
        return Ok(Vec::new());
    }
    chairpersonship::Entity::find()
        .filter(chairpersonship::Column::Year.is_in(years.iter().copied()))
        .all(conn)
        .await
}

/// Every Chairpersonship, latest first.
pub async fn chairpersonships_latest_first(
    conn: &impl ConnectionTrait,
) -> Result<Vec<chairpersonship::Model>, DbErr> {
    chairpersonship::Entity::find()
        .order_by_desc(chairpersonship::Column::Year)
        .all(conn)
        .await
}
