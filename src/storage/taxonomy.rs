//! Fields of work and countries: read in key order, upserted by key.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use super::entity::{country, field_of_work};
use super::rows::{code, corrupt, one_where, slug};
use super::sql::query_all;
use super::write::insert_rows;
use crate::domain::CountryStatus;
use crate::model::{Country, FieldOfWork};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

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

/// The field of work whose slug is `slug`, as stored.
pub async fn field_of_work_by_slug(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<field_of_work::Model>, DbErr> {
    one_where::<field_of_work::Entity>(conn, field_of_work::Column::Slug, slug).await
}

/// Every field of work, by name.
pub async fn fields_of_work_by_name(
    conn: &impl ConnectionTrait,
) -> Result<Vec<field_of_work::Model>, DbErr> {
    field_of_work::Entity::find()
        .order_by_asc(field_of_work::Column::Name)
        .all(conn)
        .await
}

/// The country whose ISO code is `code`, as stored.
pub async fn country_by_code(
    conn: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<country::Model>, DbErr> {
    one_where::<country::Entity>(conn, country::Column::Code, code).await
}

/// Countries by name; only those of `status` when given.
pub async fn countries_by_name(
    conn: &impl ConnectionTrait,
    status: Option<CountryStatus>,
) -> Result<Vec<country::Model>, DbErr> {
    let mut query = country::Entity::find().order_by_asc(country::Column::Name);
    if let Some(status) = status {
        query = query.filter(country::Column::Status.eq(status.as_str()));
    }
    query.all(conn).await
}
