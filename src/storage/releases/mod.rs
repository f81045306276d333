//! Press releases: reads by id (with their links and translations), the
//! export stream, the rows the release index is built from, and upserts.

mod export;
mod index;
mod links;
mod write;

pub use export::{
    LinkTargets, link_targets, prepare_export, press_release_from_export_row,
    press_releases_in_slug_order,
};
pub use index::{IndexRows, IndexedRelease, LinkRow, ReleaseEntry, index_rows};
pub use links::{bodies, linked_ids, translations};
pub use write::{ReleaseRow, upsert_press_releases};

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use futures::TryStreamExt;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryResult, StreamTrait,
};

use super::entity::press_release;
use super::rows::{corrupt, one_where, parse_slugs, related_slugs, stored_slug};
use super::sql::{in_id_list, query_all, statement};
use crate::domain::{CountryCode, LanguageTag};
use crate::model::{PressRelease, Translation};

const RELEASE_COLUMNS: &str = "SELECT pr.id, pr.slug, pr.title, pr.date, pr.place, s.slug AS source, \
     pr.language, pr.summary, pr.body_html, pr.published_at, pr.updated_at \
     FROM press_release pr JOIN org_unit s ON s.id = pr.source_id";

/// The condition every public read of releases adds: drafts, scheduled and
/// withdrawn releases are stored beside published ones and never shown
/// without an editor's key.
pub(crate) const PUBLIC: &str = "pr.status = 'published'";

/// The position of each of `RELEASE_COLUMNS`: release rows are read by
/// position, as exports read millions and a lookup by name hashes the name.
mod column {
    pub const ID: usize = 0;
    pub const SLUG: usize = 1;
    pub const TITLE: usize = 2;
    pub const DATE: usize = 3;
    pub const PLACE: usize = 4;
    pub const SOURCE: usize = 5;
    pub const LANGUAGE: usize = 6;
    pub const SUMMARY: usize = 7;
    pub const BODY_HTML: usize = 8;
    pub const PUBLISHED_AT: usize = 9;
    pub const UPDATED_AT: usize = 10;
}

/// A release's links: (junction table, target column, target table, target
/// key column), in the order of `ReleaseLinks` and of the interchange format.
pub(super) const RELEASE_JUNCTIONS: [(&str, &str, &str, &str); 4] = [
    (
        "press_release_field_of_work",
        "field_of_work_id",
        "field_of_work",
        "slug",
    ),
    ("press_release_country", "country_id", "country", "code"),
    ("press_release_person", "person_id", "person", "slug"),
    ("press_release_meeting", "meeting_id", "meeting", "slug"),
];

/// One page of press releases in slug order, after `after` (exclusive), with
/// all their relations: six queries per page, whatever its size.
pub async fn press_releases_page(
    conn: &impl ConnectionTrait,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<PressRelease>, DbErr> {
    let sql =
        format!("{RELEASE_COLUMNS} WHERE {PUBLIC} AND pr.slug > ? ORDER BY pr.slug LIMIT {limit}");
    let rows = query_all(conn, &sql, vec![after.unwrap_or("").into()]).await?;
    Ok(with_relations(conn, rows)
        .await?
        .into_iter()
        .map(|(_, record)| record)
        .collect())
}

/// Press releases by id, in the order given, with all their relations (six
/// queries whatever the number); ids not in the table are skipped.
pub async fn press_releases_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<PressRelease>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (condition, list) = in_id_list(conn.get_database_backend(), "pr.id", ids);
    let sql = format!("{RELEASE_COLUMNS} WHERE {PUBLIC} AND {condition}");
    let rows = query_all(conn, &sql, vec![list]).await?;
    let mut by_id: HashMap<i64, PressRelease> =
        with_relations(conn, rows).await?.into_iter().collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The release keyed `slug` whatever its status (drafts too), with its
/// relations, and its id: what an editor works on.
pub async fn record_any_status(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<(i64, PressRelease)>, DbErr> {
    let sql = format!("{RELEASE_COLUMNS} WHERE pr.slug = ?");
    let rows = query_all(conn, &sql, vec![slug.into()]).await?;
    Ok(with_relations(conn, rows).await?.pop())
}

/// Rows of `RELEASE_COLUMNS` → records with their relations, keyed by id.
async fn with_relations(
    conn: &impl ConnectionTrait,
    rows: Vec<QueryResult>,
) -> Result<Vec<(i64, PressRelease)>, DbErr> {
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get_by_index(column::ID))
        .collect::<Result<_, _>>()?;
    let junction_sql = RELEASE_JUNCTIONS.map(|(table, target_column, target, key)| {
        format!(
            "SELECT j.press_release_id AS owner, t.{key} AS slug FROM {table} j \
             JOIN {target} t ON t.id = j.{target_column} WHERE {{ids}} \
             ORDER BY j.press_release_id, j.position"
        )
    });
    // Concurrent: on a pool each runs on its own connection.
    let owner = "j.press_release_id";
    let [fields_sql, countries_sql, people_sql, meetings_sql] = &junction_sql;
    let (mut fields, mut countries, mut people, mut meetings, mut translations) = futures::try_join!(
        related_slugs(conn, fields_sql, owner, &ids),
        related_slugs(conn, countries_sql, owner, &ids),
        related_slugs(conn, people_sql, owner, &ids),
        related_slugs(conn, meetings_sql, owner, &ids),
        translations_of(conn, &ids),
    )?;

    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get_by_index(column::ID)?;
            let links = ReleaseLinks {
                fields_of_work: fields.remove(&id).unwrap_or_default(),
                countries: countries.remove(&id).unwrap_or_default(),
                people: people.remove(&id).unwrap_or_default(),
                meetings: meetings.remove(&id).unwrap_or_default(),
            };
            let record = release_record(r, links, translations.remove(&id).unwrap_or_default())?;
            Ok((id, record))
        })
        .collect()
}

/// A release's links as stored keys (slugs; codes for countries), in
/// stored order.
#[derive(Default)]
pub struct ReleaseLinks {
    pub fields_of_work: Vec<String>,
    pub countries: Vec<String>,
    pub people: Vec<String>,
    pub meetings: Vec<String>,
}

/// A row of `RELEASE_COLUMNS` with its links and translations.
fn release_record(
    r: &QueryResult,
    links: ReleaseLinks,
    translations: Vec<Translation>,
) -> Result<PressRelease, DbErr> {
    let language: String = r.try_get_by_index(column::LANGUAGE)?;
    Ok(PressRelease {
        slug: stored_slug(r.try_get_by_index(column::SLUG)?)?,
        title: r.try_get_by_index(column::TITLE)?,
        date: r.try_get_by_index(column::DATE)?,
        place: r.try_get_by_index(column::PLACE)?,
        source: stored_slug(r.try_get_by_index(column::SOURCE)?)?,
        fields_of_work: parse_slugs(links.fields_of_work)?,
        countries: links
            .countries
            .into_iter()
            .map(|c| CountryCode::parse(c.clone()).map_err(|_| corrupt("country code", &c)))
            .collect::<Result<_, _>>()?,
        people: parse_slugs(links.people)?,
        meetings: parse_slugs(links.meetings)?,
        language: LanguageTag::parse(language.clone())
            .map_err(|_| corrupt("language", &language))?,
        summary: r.try_get_by_index(column::SUMMARY)?,
        body_html: r.try_get_by_index(column::BODY_HTML)?,
        translations,
        published_at: r.try_get_by_index(column::PUBLISHED_AT)?,
        updated_at: r.try_get_by_index(column::UPDATED_AT)?,
    })
}

/// Press releases by id, in the order given, with their links from
/// `links_of` (the release index, which holds them) rather than the
/// junction tables: two queries (rows, translations) whatever the number.
/// Falls back to the tables when `links_of` does not know a release (one
/// written after the index was built). Ids not in the table are skipped.
pub async fn press_releases_by_ids_with_links(
    conn: &impl ConnectionTrait,
    ids: &[i64],
    links_of: impl Fn(i64) -> Option<ReleaseLinks>,
    may_be_translated: impl Fn(i64) -> bool,
) -> Result<Vec<PressRelease>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (condition, list) = in_id_list(conn.get_database_backend(), "pr.id", ids);
    let sql = format!("{RELEASE_COLUMNS} WHERE {PUBLIC} AND {condition}");
    // Most releases have no translation: look up only those that may.
    let translated: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|&id| may_be_translated(id))
        .collect();
    let (rows, mut translations) = futures::try_join!(
        query_all(conn, &sql, vec![list]),
        translations_of(conn, &translated)
    )?;
    let mut by_id: HashMap<i64, PressRelease> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let id: i64 = row.try_get_by_index(column::ID)?;
        let Some(links) = links_of(id) else {
            return press_releases_by_ids(conn, ids).await;
        };
        let record = release_record(row, links, translations.remove(&id).unwrap_or_default())?;
        by_id.insert(id, record);
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Press releases by id, streamed to `each` one at a time in (date, slug)
/// order (`ascending` or newest first, slugs ascending within a day), with
/// their links from `links_of` like `press_releases_by_ids_with_links`: only
/// one release's record is ever held, whatever the number of ids. Ids not in
/// the table are skipped.
///
/// With `on_days` (the first and last day the ids fall on), the rows are
/// read by one range of the date index and those not among `ids` dropped:
/// cheaper than one index probe per id when the ids are most of those days'
/// releases.
pub async fn for_each_press_release_by_ids(
    conn: &DatabaseConnection,
    ids: &[i64],
    on_days: Option<std::ops::RangeInclusive<NaiveDate>>,
    ascending: bool,
    links_of: impl Fn(i64) -> Option<ReleaseLinks>,
    may_be_translated: impl Fn(i64) -> bool,
    mut each: impl FnMut(PressRelease) -> Result<(), DbErr>,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let backend = conn.get_database_backend();
    // Byte order for slugs, as Rust compares them, whatever the collation.
    let slug_order = match backend {
        DbBackend::Postgres => "pr.slug COLLATE \"C\"",
        _ => "pr.slug",
    };
    let direction = if ascending { "ASC" } else { "DESC" };
    let order = format!("ORDER BY pr.date {direction}, {slug_order}");
    let (sql, values, wanted) = match on_days {
        Some(days) => (
            format!("{RELEASE_COLUMNS} WHERE {PUBLIC} AND pr.date BETWEEN ? AND ? {order}"),
            vec![(*days.start()).into(), (*days.end()).into()],
            Some(ids.iter().copied().collect::<HashSet<i64>>()),
        ),
        None => {
            let (condition, list) = in_id_list(backend, "pr.id", ids);
            (
                format!("{RELEASE_COLUMNS} WHERE {PUBLIC} AND {condition} {order}"),
                vec![list],
                None,
            )
        }
    };
    let translated: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|&id| may_be_translated(id))
        .collect();
    let mut translations = translations_of(conn, &translated).await?;
    let rows = conn.stream_raw(statement(backend, &sql, values)).await?;
    let mut rows = std::pin::pin!(rows);
    while let Some(row) = rows.try_next().await? {
        let id: i64 = row.try_get_by_index(column::ID)?;
        if wanted.as_ref().is_some_and(|wanted| !wanted.contains(&id)) {
            continue;
        }
        let translations = translations.remove(&id).unwrap_or_default();
        let record = match links_of(id) {
            Some(links) => release_record(&row, links, translations)?,
            // Written after the index was built: its links from the tables.
            None => match press_releases_by_ids(conn, &[id]).await?.pop() {
                Some(record) => record,
                None => continue,
            },
        };
        each(record)?;
    }
    Ok(())
}

async fn translations_of(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Translation>>, DbErr> {
    let mut grouped: HashMap<i64, Vec<Translation>> = HashMap::new();
    if ids.is_empty() {
        return Ok(grouped);
    }
    let (condition, list) = in_id_list(conn.get_database_backend(), "press_release_id", ids);
    let sql = format!(
        "SELECT press_release_id, language, title, summary, body_html FROM press_release_translation \
         WHERE {condition} ORDER BY press_release_id, language"
    );
    for row in query_all(conn, &sql, vec![list]).await? {
        let language: String = row.try_get("", "language")?;
        grouped
            .entry(row.try_get("", "press_release_id")?)
            .or_default()
            .push(Translation {
                language: LanguageTag::parse(language.clone())
                    .map_err(|_| corrupt("language", &language))?,
                title: row.try_get("", "title")?,
                summary: row.try_get("", "summary")?,
                body_html: row.try_get("", "body_html")?,
            });
    }
    Ok(grouped)
}

/// Releases without their bodies, in the order of `ids`; ids not in the
/// table are skipped.
pub async fn release_heads_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<press_release::Head>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = releases_with_ids(ids)
        .into_partial_model::<press_release::Head>()
        .all(conn)
        .await?;
    Ok(in_order_of(ids, rows, |row| row.id))
}

/// Whole releases, in the order of `ids`; ids not in the table are skipped.
pub async fn releases_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<press_release::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = releases_with_ids(ids).all(conn).await?;
    Ok(in_order_of(ids, rows, |row| row.id))
}

fn releases_with_ids(ids: &[i64]) -> sea_orm::Select<press_release::Entity> {
    press_release::Entity::find()
        .filter(press_release::Column::Id.is_in(ids.to_vec()))
        .filter(press_release::Column::Status.eq(PUBLISHED))
}

/// The status of public releases.
pub const PUBLISHED: &str = "published";

/// `rows` in the order of `ids`.
fn in_order_of<T>(ids: &[i64], rows: Vec<T>, id_of: impl Fn(&T) -> i64) -> Vec<T> {
    let mut by_id: std::collections::HashMap<i64, T> =
        rows.into_iter().map(|row| (id_of(&row), row)).collect();
    ids.iter().filter_map(|id| by_id.remove(id)).collect()
}

/// The releases whose slugs are among `slugs`, as stored, in no order
/// (one query whatever their number).
pub async fn models_by_slugs(
    conn: &impl ConnectionTrait,
    slugs: &[&str],
) -> Result<Vec<press_release::Model>, DbErr> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    press_release::Entity::find()
        .filter(press_release::Column::Slug.is_in(slugs.iter().copied()))
        .filter(press_release::Column::Status.eq(PUBLISHED))
        .all(conn)
        .await
}

/// The published release whose slug is `slug`.
pub async fn model_by_slug(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<press_release::Model>, DbErr> {
    Ok(any_status_by_slug(conn, slug)
        .await?
        .filter(|model| model.status == PUBLISHED))
}

/// The release whose slug is `slug`, whatever its status (for editors).
pub async fn any_status_by_slug(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<press_release::Model>, DbErr> {
    one_where::<press_release::Entity>(conn, press_release::Column::Slug, slug).await
}
