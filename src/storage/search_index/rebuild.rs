//! Filling the index from the content: the small tables after each change,
//! and everything when the indexing code has changed.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait};

use super::{
    SEARCH_VERSION, SEARCH_VERSION_KEY, SearchDocument, SearchKind, release_documents, store,
    store_releases,
};
use crate::storage::sql::{execute, placeholders, query_all};
use crate::storage::state;

/// A translation's language, title, summary and plain text, as indexed.
type TranslationText = (String, String, Option<String>, String);

/// (Re)indexes every meeting, person and unit: small tables, read back in full.
pub async fn index_small_tables(conn: &impl ConnectionTrait) -> Result<(), DbErr> {
    let meetings = query_all(
        conn,
        "SELECT m.id, m.title, m.place, c.name AS country FROM meeting m \
         LEFT JOIN country c ON c.id = m.country_id",
        vec![],
    )
    .await?;
    let mut documents = Vec::with_capacity(meetings.len());
    for row in &meetings {
        let title: String = row.try_get("", "title")?;
        let place: Option<String> = row.try_get("", "place")?;
        let country: Option<String> = row.try_get("", "country")?;
        documents.push((
            row.try_get("", "id")?,
            SearchDocument::new(
                [title.as_str()],
                [
                    place.as_deref().unwrap_or(""),
                    country.as_deref().unwrap_or(""),
                ],
                [],
            ),
        ));
    }
    replace_all(conn, SearchKind::Meeting, documents).await?;

    let people = query_all(
        conn,
        "SELECT p.id, p.name, r.title AS role, u.name AS unit FROM person p \
         LEFT JOIN role r ON r.person_id = p.id LEFT JOIN org_unit u ON u.id = r.org_unit_id \
         ORDER BY p.id",
        vec![],
    )
    .await?;
    let mut grouped: Vec<(i64, String, Vec<String>)> = Vec::new();
    for row in &people {
        let id: i64 = row.try_get("", "id")?;
        if grouped.last().is_none_or(|(last, _, _)| *last != id) {
            grouped.push((id, row.try_get("", "name")?, Vec::new()));
        }
        let role: Option<String> = row.try_get("", "role")?;
        let unit: Option<String> = row.try_get("", "unit")?;
        if let Some(entry) = grouped.last_mut() {
            entry.2.extend(role.into_iter().chain(unit));
        }
    }
    let documents = grouped
        .iter()
        .map(|(id, name, roles)| {
            (
                *id,
                SearchDocument::new([name.as_str()], roles.iter().map(String::as_str), []),
            )
        })
        .collect();
    replace_all(conn, SearchKind::Person, documents).await?;

    let units = query_all(conn, "SELECT id, name, description FROM org_unit", vec![]).await?;
    let mut documents = Vec::with_capacity(units.len());
    for row in &units {
        let name: String = row.try_get("", "name")?;
        let description: Option<String> = row.try_get("", "description")?;
        documents.push((
            row.try_get("", "id")?,
            SearchDocument::new([name.as_str()], [], [description.as_deref().unwrap_or("")]),
        ));
    }
    replace_all(conn, SearchKind::OrgUnit, documents).await
}

async fn replace_all(
    conn: &impl ConnectionTrait,
    kind: SearchKind,
    documents: Vec<(i64, SearchDocument)>,
) -> Result<(), DbErr> {
    match conn.get_database_backend() {
        DbBackend::Postgres => {
            execute(
                conn,
                "DELETE FROM search_document WHERE kind = ?",
                vec![(kind as i16).into()],
            )
            .await?;
            store(conn, kind, documents, &[]).await
        }
        _ => {
            let ids: Vec<i64> = documents.iter().map(|(id, _)| *id).collect();
            store(conn, kind, documents, &ids).await
        }
    }
}

const REBUILD_BATCH: i64 = 2_000;

/// Rebuilds the whole index from the content, in one transaction, and
/// records the version. Run at start when the stored version differs.
pub async fn rebuild(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let txn = db.begin().await?;
    match txn.get_database_backend() {
        DbBackend::Postgres => {
            // A rebuild is long by nature; the request timeout does not apply.
            execute(&txn, "SET LOCAL statement_timeout = 0", vec![]).await?;
            execute(&txn, "DELETE FROM search_document", vec![]).await?;
        }
        _ => {
            execute(
                &txn,
                "INSERT INTO search_fts (search_fts) VALUES ('delete-all')",
                vec![],
            )
            .await?;
        }
    }
    let mut after = 0i64;
    let mut indexed = 0u64;
    loop {
        let rows = query_all(
            &txn,
            &format!(
                "SELECT id, language, title, summary, body_text FROM press_release WHERE id > ? \
                 AND status = 'published' ORDER BY id LIMIT {REBUILD_BATCH}"
            ),
            vec![after.into()],
        )
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("", "id")?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get("", "id"))
            .collect::<Result<_, _>>()?;
        let mut translations: std::collections::HashMap<i64, Vec<TranslationText>> =
            Default::default();
        let sql = format!(
            "SELECT press_release_id, language, title, summary, body_text \
             FROM press_release_translation \
             WHERE press_release_id IN ({}) ORDER BY press_release_id, language",
            placeholders(ids.len())
        );
        let values = ids.iter().map(|&id| id.into()).collect();
        for row in query_all(&txn, &sql, values).await? {
            translations
                .entry(row.try_get("", "press_release_id")?)
                .or_default()
                .push((
                    row.try_get("", "language")?,
                    row.try_get("", "title")?,
                    row.try_get("", "summary")?,
                    row.try_get("", "body_text")?,
                ));
        }
        let mut documents = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("", "id")?;
            let language: String = row.try_get("", "language")?;
            let title: String = row.try_get("", "title")?;
            let summary: Option<String> = row.try_get("", "summary")?;
            let body_text: String = row.try_get("", "body_text")?;
            let translated = translations.remove(&id).unwrap_or_default();
            let languages = release_documents(
                &language,
                &title,
                summary.as_deref(),
                &body_text,
                translated
                    .iter()
                    .map(|(l, t, s, b)| (l.as_str(), t.as_str(), s.as_deref(), b.as_str())),
            );
            documents.push((id, languages.into_iter().map(Into::into).collect()));
        }
        indexed += documents.len() as u64;
        store_releases(&txn, documents, &[]).await?;
    }
    index_small_tables(&txn).await?;
    state::set(&txn, SEARCH_VERSION_KEY, SEARCH_VERSION, chrono::Utc::now()).await?;
    txn.commit().await?;
    Ok(indexed)
}

/// Rebuilds the index if it was built by an older version of the code (or
/// never). One built by a newer version is left alone: during a rolling
/// deploy the old and the new binary start side by side, and the index
/// must not flip back and forth between them.
pub async fn ensure_current(db: &DatabaseConnection) -> Result<(), DbErr> {
    let ours: u64 = SEARCH_VERSION.parse().unwrap_or(0);
    let stored = state::get(db, SEARCH_VERSION_KEY).await?;
    match stored.as_deref().map(str::parse::<u64>) {
        Some(Ok(theirs)) if theirs == ours => return Ok(()),
        Some(Ok(theirs)) if theirs > ours => {
            tracing::warn!(
                theirs,
                ours,
                "the search index was built by a newer version of osce-api; leaving it as it is"
            );
            return Ok(());
        }
        _ => {}
    }
    let started = std::time::Instant::now();
    let releases = rebuild(db).await?;
    tracing::info!(
        releases,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "search index rebuilt"
    );
    Ok(())
}
