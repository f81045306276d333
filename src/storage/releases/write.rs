//! Upserting press releases with their links, translations and search
//! documents, in statements as large as the backend takes.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use super::super::keys::IdMaps;
use super::super::search_index::{self, IndexedDocument, SearchKind};
use super::super::sql::{placeholders, query_all};
use super::super::write::{
    KEYS_PER_STATEMENT, delete_where_in, insert_rows, null_string, opt, rows_per_statement,
};
use super::RELEASE_JUNCTIONS;
use crate::model::PressRelease;
use crate::model::sanitize::html_to_text;

/// A press release ready to store: HTML already sanitised, plain text
/// already derived (both done off the writer's thread).
pub struct ReleaseRow {
    pub record: PressRelease,
    pub body_text: String,
    /// The plain text of each translation, in the record's order.
    pub translation_texts: Vec<String>,
    /// What the full-text index stores for it (folding, stemming and, for
    /// PostgreSQL, the `tsvector` are the costly part, done with the parsing).
    /// One document per language, in slot order (`release_documents`).
    pub search: Vec<IndexedDocument>,
    /// A hash of the record as stored: an import skips a release whose
    /// stored hash is the same (nothing to write, nothing to log).
    pub content_hash: i64,
}

impl ReleaseRow {
    pub fn new(record: PressRelease, backend: DbBackend) -> Self {
        let body_text = html_to_text(&record.body_html);
        let translation_texts = record
            .translations
            .iter()
            .map(|t| html_to_text(&t.body_html))
            .collect::<Vec<_>>();
        let search = search_index::release_documents(
            record.language.as_str(),
            &record.title,
            record.summary.as_deref(),
            &body_text,
            record
                .translations
                .iter()
                .zip(&translation_texts)
                .map(|(t, text)| {
                    (
                        t.language.as_str(),
                        t.title.as_str(),
                        t.summary.as_deref(),
                        text.as_str(),
                    )
                }),
        )
        .into_iter()
        .map(|document| IndexedDocument::for_backend(backend, document))
        .collect();
        let content_hash = content_hash(&record);
        Self {
            content_hash,
            record,
            body_text,
            translation_texts,
            search,
        }
    }
}

impl ReleaseRow {
    /// Bytes of text the row holds (bodies, plain texts, the indexed
    /// document): what a batch of rows costs in memory, and again in the
    /// statement that writes it.
    pub fn text_bytes(&self) -> usize {
        let r = &self.record;
        r.title.len()
            + r.summary.as_deref().map_or(0, str::len)
            + r.body_html.len()
            + self.body_text.len()
            + r.translations
                .iter()
                .map(|t| {
                    t.title.len() + t.summary.as_deref().map_or(0, str::len) + t.body_html.len()
                })
                .sum::<usize>()
            + self
                .translation_texts
                .iter()
                .map(String::len)
                .sum::<usize>()
            + self
                .search
                .iter()
                .map(IndexedDocument::text_bytes)
                .sum::<usize>()
    }
}

/// The hash an import compares: of the record's interchange form, so any
/// change to what is stored (links and translations included) changes it.
fn content_hash(record: &PressRelease) -> i64 {
    let bytes = serde_json::to_vec(record).unwrap_or_default();
    xxhash_rust::xxh3::xxh3_64(&bytes) as i64
}

/// The slug, id and content hash of those of `slugs` already stored.
async fn stored_hashes(
    conn: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, (i64, Option<i64>)>, DbErr> {
    let sql = format!(
        "SELECT id, slug, content_hash FROM press_release WHERE slug IN ({})",
        placeholders(slugs.len())
    );
    let values = slugs.iter().map(|s| s.clone().into()).collect();
    let mut stored = HashMap::with_capacity(slugs.len());
    for row in query_all(conn, &sql, values).await? {
        stored.insert(
            row.try_get("", "slug")?,
            (row.try_get("", "id")?, row.try_get("", "content_hash")?),
        );
    }
    Ok(stored)
}

/// Upserts a batch of releases and replaces their relations and
/// translations; releases stored exactly so are left alone. Returns the
/// slugs and ids of the releases written.
pub async fn upsert_press_releases(
    conn: &impl ConnectionTrait,
    batch: Vec<ReleaseRow>,
    ids: &IdMaps,
) -> Result<Vec<(String, i64)>, DbErr> {
    let mut written = Vec::with_capacity(batch.len());
    let mut batch = batch.into_iter().peekable();
    while batch.peek().is_some() {
        let chunk: Vec<ReleaseRow> = batch
            .by_ref()
            .take(rows_per_statement(conn.get_database_backend(), 12).min(KEYS_PER_STATEMENT))
            .collect();
        let slugs: Vec<String> = chunk.iter().map(|r| r.record.slug.to_string()).collect();
        let stored = stored_hashes(conn, &slugs).await?;
        let chunk: Vec<ReleaseRow> = chunk
            .into_iter()
            .filter(|row| {
                stored
                    .get(row.record.slug.as_str())
                    .is_none_or(|(_, hash)| *hash != Some(row.content_hash))
            })
            .collect();
        if chunk.is_empty() {
            continue;
        }
        let slugs: Vec<String> = chunk.iter().map(|r| r.record.slug.to_string()).collect();
        // Releases already stored lose their old relations first. A fresh
        // import finds none and skips the deletes.
        let existing: Vec<i64> = slugs
            .iter()
            .filter_map(|slug| stored.get(slug).map(|(id, _)| *id))
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
        let columns = "slug, title, date, place, source_id, language, summary, body_html, body_text, published_at, updated_at, content_hash";
        let tuple = format!("({})", placeholders(12));
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 12);
        let mut dates = Vec::with_capacity(chunk.len());
        let mut documents = Vec::with_capacity(chunk.len());
        for row in chunk {
            documents.push(row.search);
            let content_hash = row.content_hash;
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
                content_hash.into(),
            ]);
        }
        let sql = format!(
            "INSERT INTO press_release ({columns}) VALUES {} \
             ON CONFLICT (slug) DO UPDATE SET title = excluded.title, date = excluded.date, \
             place = excluded.place, source_id = excluded.source_id, language = excluded.language, \
             summary = excluded.summary, body_html = excluded.body_html, body_text = excluded.body_text, \
             published_at = excluded.published_at, updated_at = excluded.updated_at, \
             content_hash = excluded.content_hash, version = press_release.version + 1 \
             RETURNING id, slug, status",
            vec![tuple; slugs.len()].join(", ")
        );
        let mut release_ids: HashMap<String, i64> = HashMap::with_capacity(slugs.len());
        let mut not_public: Vec<i64> = Vec::new();
        for row in query_all(conn, &sql, values).await? {
            let id: i64 = row.try_get("", "id")?;
            let status: String = row.try_get("", "status")?;
            if status != super::PUBLISHED {
                not_public.push(id);
            }
            release_ids.insert(row.try_get("", "slug")?, id);
        }

        // Search finds public releases only: a draft, scheduled or withdrawn
        // release written over (by an import) keeps no search document.
        let documents = slugs
            .iter()
            .zip(documents)
            .map(|(slug, document)| (release_ids[slug], document))
            .filter(|(id, _)| !not_public.contains(id))
            .collect();
        search_index::store_releases(conn, documents, &existing).await?;
        if !not_public.is_empty() {
            search_index::delete(conn, SearchKind::PressRelease, &not_public).await?;
        }

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
        written.extend(slugs.into_iter().map(|slug| {
            let id = release_ids[&slug];
            (slug, id)
        }));
    }
    Ok(written)
}
