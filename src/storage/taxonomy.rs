//! Fields of work and countries: read in key order, upserted by key.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use super::rows::{code, corrupt, slug};
use super::sql::query_all;
use super::write::insert_rows;
use crate::domain::CountryStatus;
use crate::model::{Country, FieldOfWork};

pub async fn fields_of_work(conn: &impl ConnectionTrait) -> Result<Vec<FieldOfWork>, DbErr> {
    query_all(
        conn,
        "SELECT slug, name FROM field_of_work ORDER BY slug",
        vec![],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(FieldOfWork {
            slug: slug(r, "slug")?,
            name: r.try_get("", "name")?,
        })
    })
    .collect()
}

pub async fn countries(conn: &impl ConnectionTrait) -> Result<Vec<Country>, DbErr> {
    query_all(
        conn,
        "SELECT code, slug, name, status FROM country ORDER BY code",
        vec![],
    )
    .await?
    .iter()
    .map(|r| {
        let status: String = r.try_get("", "status")?;
        Ok(Country {
            code: code(r, "code")?,
            slug: slug(r, "slug")?,
            name: r.try_get("", "name")?,
            status: CountryStatus::parse(&status)
                .ok_or_else(|| corrupt("country status", &status))?,
        })
    })
    .collect()
}

pub async fn upsert_fields_of_work(
    conn: &impl ConnectionTrait,
    records: &[FieldOfWork],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = records
        .iter()
        .map(|r| vec![r.slug.as_str().into(), r.name.as_str().into(), now.into()])
        .collect();
    insert_rows(
        conn,
        "field_of_work",
        "slug, name, updated_at",
        rows,
        "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
    )
    .await
}

pub async fn upsert_countries(
    conn: &impl ConnectionTrait,
    records: &[Country],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = records
        .iter()
        .map(|r| {
            vec![
                r.code.as_str().into(),
                r.slug.as_str().into(),
                r.name.as_str().into(),
                r.status.as_str().into(),
                now.into(),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "country",
        "code, slug, name, status, updated_at",
        rows,
        "ON CONFLICT (code) DO UPDATE SET slug = excluded.slug, name = excluded.name, \
         status = excluded.status, updated_at = excluded.updated_at",
    )
    .await
}
