//! Upserting press releases with their links, translations and search
//! documents, in statements as large as the backend takes.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use super::super::keys::IdMaps;
use super::super::search_index::{self, IndexedDocument, SearchKind};
use super::super::sql::{placeholders, query_all};
use super::super::write::{
    KEYS_PER_STATEMENT, delete_where_in, ids_of, insert_rows, null_string, opt, rows_per_statement,
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
