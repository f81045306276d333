//! Writing content: upserts keyed by slug / code / year / role key, with the
//! same SQL on both backends (`INSERT … ON CONFLICT … DO UPDATE`). Callers
//! run these inside one transaction; nothing here commits.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use super::reader::RELEASE_JUNCTIONS;
use super::search_index::{self, IndexedDocument, SearchKind};
use super::sql::{execute, placeholders, query_all};
use crate::io::format::{
    Chairpersonship, Country, FieldOfWork, Meeting, OrgUnit, Person, PressRelease, Role,
};
use crate::io::sanitize::html_to_text;

/// Bound parameters per statement on PostgreSQL (below its 65,535).
/// Statements are made as large as that allows: each one is a round trip,
/// and over TCP a large message can wait for a delayed ACK (sqlx 0.9.0 does
/// not set TCP_NODELAY), so fewer, larger statements are much faster than
/// many small ones.
const PARAMETERS_PER_STATEMENT: usize = 30_000;

/// On SQLite, in process, a statement costs no round trip, but a prepared
/// one holds code and registers for each of its rows, and sqlx keeps them
/// prepared: 30,000-parameter statements made an import's resident memory
/// pass 250 MB. Smaller ones cost about 7% of an import's time.
const PARAMETERS_PER_STATEMENT_SQLITE: usize = 2_000;

/// Keys per `IN (…)` list.
const KEYS_PER_STATEMENT: usize = 2_000;

fn rows_per_statement(backend: DbBackend, width: usize) -> usize {
    let parameters = match backend {
        DbBackend::Sqlite => PARAMETERS_PER_STATEMENT_SQLITE,
        _ => PARAMETERS_PER_STATEMENT,
    };
    (parameters / width.max(1)).max(1)
}

fn opt<T: Into<Value>>(value: Option<T>, null: Value) -> Value {
    value.map(Into::into).unwrap_or(null)
}

fn null_string() -> Value {
    Value::String(None)
}

fn null_date() -> Value {
    Value::ChronoDate(None)
}

/// `INSERT INTO {table} ({columns}) VALUES (…), (…) {tail}` over rows of values.
async fn insert_rows(
    conn: &impl ConnectionTrait,
    table: &str,
    columns: &str,
    rows: Vec<Vec<Value>>,
    tail: &str,
) -> Result<(), DbErr> {
    let width = columns.split(',').count();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows
            .by_ref()
            .take(rows_per_statement(conn.get_database_backend(), width))
            .collect();
        let tuple = format!("({})", placeholders(width));
        let values_sql = vec![tuple; chunk.len()].join(", ");
        let sql = format!("INSERT INTO {table} ({columns}) VALUES {values_sql} {tail}");
        execute(conn, &sql, chunk.into_iter().flatten().collect()).await?;
    }
    Ok(())
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

pub async fn upsert_meetings(
    conn: &impl ConnectionTrait,
    records: &[Meeting],
    ids: &IdMaps,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = records
        .iter()
        .map(|r| {
            vec![
                r.slug.as_str().into(),
                r.title.as_str().into(),
                r.kind.as_str().into(),
                r.start.into(),
                r.end.into(),
                opt(r.place.clone(), null_string()),
                opt(
                    r.country.as_ref().map(|c| ids.country(c.as_str())),
                    Value::BigInt(None),
                ),
                opt(
                    r.org_unit.as_ref().map(|u| ids.org_unit(u.as_str())),
                    Value::BigInt(None),
                ),
                now.into(),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "meeting",
        "slug, title, kind, start_date, end_date, place, country_id, org_unit_id, updated_at",
        rows,
        "ON CONFLICT (slug) DO UPDATE SET title = excluded.title, kind = excluded.kind, \
         start_date = excluded.start_date, end_date = excluded.end_date, place = excluded.place, \
         country_id = excluded.country_id, org_unit_id = excluded.org_unit_id, updated_at = excluded.updated_at",
    )
    .await?;
    let slugs: Vec<String> = records
        .iter()
        .map(|r| r.slug.as_str().to_string())
        .collect();
    let meeting_ids = ids_of(conn, "meeting", &slugs).await?;
    let id_list: Vec<i64> = meeting_ids.values().copied().collect();
    delete_where_in(conn, "meeting_field_of_work", "meeting_id", &id_list).await?;
    let mut rows = Vec::new();
    for r in records {
        let meeting_id = meeting_ids[r.slug.as_str()];
        for (position, field) in r.fields_of_work.iter().enumerate() {
            rows.push(vec![
                meeting_id.into(),
                ids.field_of_work(field.as_str()).into(),
                (position as i16).into(),
            ]);
        }
    }
    insert_rows(
        conn,
        "meeting_field_of_work",
        "meeting_id, field_of_work_id, position",
        rows,
        "",
    )
    .await
}

async fn ids_of(
    conn: &impl ConnectionTrait,
    table: &str,
    slugs: &[String],
) -> Result<HashMap<String, i64>, DbErr> {
    let mut map = HashMap::with_capacity(slugs.len());
    for chunk in slugs.chunks(KEYS_PER_STATEMENT) {
        let sql = format!(
            "SELECT id, slug FROM {table} WHERE slug IN ({})",
            placeholders(chunk.len())
        );
        let values = chunk.iter().map(|s| s.as_str().into()).collect();
        for row in query_all(conn, &sql, values).await? {
            map.insert(row.try_get("", "slug")?, row.try_get("", "id")?);
        }
    }
    Ok(map)
}

async fn delete_where_in(
    conn: &impl ConnectionTrait,
    table: &str,
    column: &str,
    ids: &[i64],
) -> Result<(), DbErr> {
    for chunk in ids.chunks(KEYS_PER_STATEMENT) {
        let sql = format!(
            "DELETE FROM {table} WHERE {column} IN ({})",
            placeholders(chunk.len())
        );
        execute(conn, &sql, chunk.iter().map(|&id| id.into()).collect()).await?;
    }
    Ok(())
}

/// `key → id` for everything a press release can point at. Loaded once per
/// import after the small record types are written.
#[derive(Default)]
pub struct IdMaps {
    pub fields_of_work: HashMap<String, i64>,
    pub countries: HashMap<String, i64>,
    pub org_units: HashMap<String, i64>,
    pub people: HashMap<String, i64>,
    pub meetings: HashMap<String, i64>,
}

impl IdMaps {
    pub async fn load(conn: &impl ConnectionTrait) -> Result<Self, DbErr> {
        use super::reader::id_map;
        Ok(Self {
            fields_of_work: id_map(conn, "field_of_work", "slug").await?,
            countries: id_map(conn, "country", "code").await?,
            org_units: id_map(conn, "org_unit", "slug").await?,
            people: id_map(conn, "person", "slug").await?,
            meetings: id_map(conn, "meeting", "slug").await?,
        })
    }

    // References were resolved before anything was written, so a miss here
    // is a bug, not bad input.
    fn get(map: &HashMap<String, i64>, kind: &str, key: &str) -> i64 {
        *map.get(key)
            .unwrap_or_else(|| panic!("{kind} {key:?} was validated but has no id"))
    }
    pub fn field_of_work(&self, key: &str) -> i64 {
        Self::get(&self.fields_of_work, "field of work", key)
    }
    pub fn country(&self, key: &str) -> i64 {
        Self::get(&self.countries, "country", key)
    }
    pub fn org_unit(&self, key: &str) -> i64 {
        Self::get(&self.org_units, "org unit", key)
    }
    pub fn person(&self, key: &str) -> i64 {
        Self::get(&self.people, "person", key)
    }
    pub fn meeting(&self, key: &str) -> i64 {
        Self::get(&self.meetings, "meeting", key)
    }
}

/// A press release ready to store: HTML already sanitised, plain text
/// already derived (both done off the writer's thread).
pub struct ReleaseRow {
    pub record: PressRelease,
    pub body_text: String,
    /// The plain text of each translation, in the record's order.
    pub translation_texts: Vec<String>,
    /// What the full-text index stores for it (folding, stemming and, for
    /// PostgreSQL, the `tsvector` are the costly part, done with the parsing).
    pub search: IndexedDocument,
}

impl ReleaseRow {
    pub fn new(record: PressRelease, backend: DbBackend) -> Self {
        let body_text = html_to_text(&record.body_html);
        let translation_texts = record
            .translations
            .iter()
            .map(|t| html_to_text(&t.body_html))
            .collect::<Vec<_>>();
        let search = search_index::release_document(
            &record.title,
            record.summary.as_deref(),
            &body_text,
            record
                .translations
                .iter()
                .zip(&translation_texts)
                .map(|(t, text)| (t.title.as_str(), t.summary.as_deref(), text.as_str())),
        );
        let search = IndexedDocument::for_backend(backend, search);
        Self {
            record,
            body_text,
            translation_texts,
            search,
        }
    }
}

/// Upserts a batch of releases and replaces their relations and translations.
pub async fn upsert_press_releases(
    conn: &impl ConnectionTrait,
    batch: Vec<ReleaseRow>,
    ids: &IdMaps,
) -> Result<(), DbErr> {
    let mut batch = batch.into_iter().peekable();
    while batch.peek().is_some() {
        let chunk: Vec<ReleaseRow> = batch
            .by_ref()
            .take(rows_per_statement(conn.get_database_backend(), 11).min(KEYS_PER_STATEMENT))
            .collect();
        // Releases already stored lose their old relations first. A fresh
        // import finds none and skips the deletes.
        let slugs: Vec<String> = chunk.iter().map(|r| r.record.slug.to_string()).collect();
        let existing: Vec<i64> = ids_of(conn, "press_release", &slugs)
            .await?
            .into_values()
            .collect();
        if !existing.is_empty() {
            for (table, _, _, _) in RELEASE_JUNCTIONS {
                delete_where_in(conn, table, "press_release_id", &existing).await?;
            }
            delete_where_in(
                conn,
                "press_release_translation",
                "press_release_id",
                &existing,
            )
            .await?;
        }

        let mut junction_rows: [Vec<Vec<Value>>; 4] = Default::default();
        let mut targets_of: Vec<[Vec<i64>; 4]> = Vec::with_capacity(chunk.len());
        let mut translations_of = Vec::with_capacity(chunk.len());
        let columns = "slug, title, date, place, source_id, language, summary, body_html, body_text, published_at, updated_at";
        let tuple = format!("({})", placeholders(11));
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 11);
        let mut dates = Vec::with_capacity(chunk.len());
        let mut documents = Vec::with_capacity(chunk.len());
        for row in chunk {
            documents.push(row.search);
            let r = row.record;
            targets_of.push([
                r.fields_of_work
                    .iter()
                    .map(|s| ids.field_of_work(s.as_str()))
                    .collect(),
                r.countries
                    .iter()
                    .map(|c| ids.country(c.as_str()))
                    .collect(),
                r.people.iter().map(|p| ids.person(p.as_str())).collect(),
                r.meetings.iter().map(|m| ids.meeting(m.as_str())).collect(),
            ]);
            dates.push(r.date);
            translations_of.push((r.translations, row.translation_texts, r.updated_at));
            values.extend([
                String::from(r.slug).into(),
                r.title.into(),
                r.date.into(),
                opt(r.place, null_string()),
                ids.org_unit(r.source.as_str()).into(),
                String::from(r.language).into(),
                opt(r.summary, null_string()),
                r.body_html.into(),
                row.body_text.into(),
                r.published_at.into(),
                r.updated_at.into(),
            ]);
        }
        let sql = format!(
            "INSERT INTO press_release ({columns}) VALUES {} \
             ON CONFLICT (slug) DO UPDATE SET title = excluded.title, date = excluded.date, \
             place = excluded.place, source_id = excluded.source_id, language = excluded.language, \
             summary = excluded.summary, body_html = excluded.body_html, body_text = excluded.body_text, \
             published_at = excluded.published_at, updated_at = excluded.updated_at \
             RETURNING id, slug",
            vec![tuple; slugs.len()].join(", ")
        );
        let mut release_ids: HashMap<String, i64> = HashMap::with_capacity(slugs.len());
        for row in query_all(conn, &sql, values).await? {
            release_ids.insert(row.try_get("", "slug")?, row.try_get("", "id")?);
        }

        let documents = slugs
            .iter()
            .zip(documents)
            .map(|(slug, document)| (release_ids[slug], document))
            .collect();
        search_index::store(conn, SearchKind::PressRelease, documents, &existing).await?;

        let mut translation_rows = Vec::new();
        for (((slug, targets), date), (translations, texts, updated_at)) in
            slugs.iter().zip(targets_of).zip(dates).zip(translations_of)
        {
            let id = release_ids[slug];
            for (rows, targets) in junction_rows.iter_mut().zip(targets) {
                for (position, target) in targets.into_iter().enumerate() {
                    rows.push(vec![
                        id.into(),
                        target.into(),
                        date.into(),
                        (position as i16).into(),
                    ]);
                }
            }
            for (t, text) in translations.into_iter().zip(texts) {
                translation_rows.push(vec![
                    id.into(),
                    String::from(t.language).into(),
                    t.title.into(),
                    opt(t.summary, null_string()),
                    t.body_html.into(),
                    text.into(),
                    updated_at.into(),
                ]);
            }
        }
        for ((table, target_col, _, _), rows) in RELEASE_JUNCTIONS.iter().zip(junction_rows) {
            let columns = format!("press_release_id, {target_col}, release_date, position");
            insert_rows(conn, table, &columns, rows, "").await?;
        }
        insert_rows(
            conn,
            "press_release_translation",
            "press_release_id, language, title, summary, body_html, body_text, updated_at",
            translation_rows,
            "",
        )
        .await?;
    }
    Ok(())
}

/// Small key/value state of the service itself (e.g. which reference data is loaded).
pub async fn set_state(
    conn: &impl ConnectionTrait,
    key: &str,
    value: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    execute(
        conn,
        "INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        vec![key.into(), value.into(), now.into()],
    )
    .await
    .map(|_| ())
}

pub async fn get_state(conn: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbErr> {
    let rows = query_all(
        conn,
        "SELECT value FROM app_state WHERE key = ?",
        vec![key.into()],
    )
    .await?;
    rows.first().map(|r| r.try_get("", "value")).transpose()
}

/// A state value with the time it was last set.
pub async fn get_state_with_time(
    conn: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<(String, DateTime<Utc>)>, DbErr> {
    let rows = query_all(
        conn,
        "SELECT value, updated_at FROM app_state WHERE key = ?",
        vec![key.into()],
    )
    .await?;
    rows.first()
        .map(|r| Ok((r.try_get("", "value")?, r.try_get("", "updated_at")?)))
        .transpose()
}

/// Marks the content as changed, so every replica's derived indexes rebuild.
/// Called in the same transaction as the change.
pub async fn bump_generation(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), DbErr> {
    let value = format!("{}-{:016x}", now.timestamp_micros(), rand::random::<u64>());
    set_state(conn, super::release_index::GENERATION_KEY, &value, now).await
}
