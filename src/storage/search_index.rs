//! The full-text index inside the database, so it is written in the same
//! transaction as the content and shared by every replica: an FTS5 table on
//! SQLite, a `tsvector` column with a GIN index on PostgreSQL. Both index the
//! same text, already folded and stemmed by `search::text`, in three weighted
//! parts: title over summary over body.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait, Value};

use super::sql::{execute, placeholders, query_all, statement};
use super::tsvector::tsvector_literal;
use super::state;
use crate::search::syntax::{SearchQuery, to_fts5, to_tsquery};
use crate::search::text::index_text;

/// Stored in `app_state` once the index holds every document as this
/// version of the code folds it; bump it whenever `search::text` changes how
/// text is indexed, and the next start rebuilds the index.
pub const SEARCH_VERSION_KEY: &str = "search_index_version";
pub const SEARCH_VERSION: &str = "1";

/// Relative weights of title, summary and body (FTS5's bm25 column weights;
/// PostgreSQL's ts_rank weights A, B, C are in the same ratio).
const FTS5_WEIGHTS: &str = "10.0, 4.0, 1.0";
const TS_RANK_WEIGHTS: &str = "'{0, 0.1, 0.4, 1.0}'";

/// What a search document describes. On SQLite the FTS5 rowid is
/// `id * 4 + kind`, so one table holds every kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SearchKind {
    PressRelease = 0,
    Meeting = 1,
    Person = 2,
    OrgUnit = 3,
}

impl SearchKind {
    fn from_code(code: i64) -> Option<Self> {
        match code {
            0 => Some(Self::PressRelease),
            1 => Some(Self::Meeting),
            2 => Some(Self::Person),
            3 => Some(Self::OrgUnit),
            _ => None,
        }
    }
}

/// A document as indexed: each part already passed through `index_text`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchDocument {
    pub title: String,
    pub summary: String,
    pub body: String,
}

impl SearchDocument {
    /// Folds and stems the parts; each part may be several texts (e.g. an
    /// original and its translations).
    pub fn new<'a>(
        title: impl IntoIterator<Item = &'a str>,
        summary: impl IntoIterator<Item = &'a str>,
        body: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let part = |texts: &mut dyn Iterator<Item = &'a str>| {
            let mut out = String::new();
            for text in texts {
                let indexed = index_text(text);
                if !indexed.is_empty() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(&indexed);
                }
            }
            out
        };
        Self {
            title: part(&mut title.into_iter()),
            summary: part(&mut summary.into_iter()),
            body: part(&mut body.into_iter()),
        }
    }
}

/// One match: what, and how relevant (higher is better; comparable within
/// one search only).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub kind: SearchKind,
    pub id: i64,
    pub score: f64,
}

const ROWS_PER_STATEMENT: usize = 500;

/// A search document as one backend indexes it: the folded text (FTS5), or
/// already a `tsvector` literal (PostgreSQL), built where there is CPU to
/// spare, e.g. on the import's parser thread rather than between the
/// writer's statements.
pub enum IndexedDocument {
    Folded(SearchDocument),
    TsVector(String),
}

impl IndexedDocument {
    pub fn for_backend(backend: DbBackend, document: SearchDocument) -> Self {
        match backend {
            DbBackend::Postgres => Self::TsVector(tsvector_literal(&document)),
            _ => Self::Folded(document),
        }
    }
}

impl From<SearchDocument> for IndexedDocument {
    fn from(document: SearchDocument) -> Self {
        Self::Folded(document)
    }
}

/// Writes the documents of `kind`, replacing any stored for the same ids.
/// `maybe_indexed` are the ids that may already have a document (SQLite's
/// contentless FTS5 table needs them deleted first; a fresh import has none).
pub async fn store<D: Into<IndexedDocument>>(
    conn: &impl ConnectionTrait,
    kind: SearchKind,
    documents: Vec<(i64, D)>,
    maybe_indexed: &[i64],
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    if backend == DbBackend::Sqlite && !maybe_indexed.is_empty() {
        delete(conn, kind, maybe_indexed).await?;
    }
    let mut documents = documents.into_iter().peekable();
    while documents.peek().is_some() {
        let chunk: Vec<(i64, IndexedDocument)> = documents
            .by_ref()
            .take(ROWS_PER_STATEMENT)
            .map(|(id, document)| (id, document.into()))
            .collect();
        let rows = chunk.len();
        let mut values: Vec<Value> = Vec::with_capacity(rows * 4);
        let sql = match backend {
            DbBackend::Postgres => {
                for (id, document) in chunk {
                    let tsvector = match document {
                        IndexedDocument::TsVector(literal) => literal,
                        IndexedDocument::Folded(document) => tsvector_literal(&document),
                    };
                    values.extend([(kind as i16).into(), id.into(), tsvector.into()]);
                }
                format!(
                    "INSERT INTO search_document (kind, id, document) VALUES {} \
                     ON CONFLICT (kind, id) DO UPDATE SET document = excluded.document",
                    vec!["(?, ?, CAST(? AS tsvector))"; rows].join(", ")
                )
            }
            _ => {
                for (id, document) in chunk {
                    let IndexedDocument::Folded(document) = document else {
                        return Err(DbErr::Custom(
                            "a PostgreSQL tsvector cannot go into SQLite's index".into(),
                        ));
                    };
                    values.extend([
                        (id * 4 + kind as i64).into(),
                        document.title.into(),
                        document.summary.into(),
                        document.body.into(),
                    ]);
                }
                format!(
                    "INSERT INTO search_fts (rowid, title, summary, body) VALUES {}",
                    vec!["(?, ?, ?, ?)"; rows].join(", ")
                )
            }
        };
        execute(conn, &sql, values).await?;
    }
    Ok(())
}

/// Removes the documents of `kind` for these ids.
pub async fn delete(
    conn: &impl ConnectionTrait,
    kind: SearchKind,
    ids: &[i64],
) -> Result<(), DbErr> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        match conn.get_database_backend() {
            DbBackend::Postgres => {
                let sql = format!(
                    "DELETE FROM search_document WHERE kind = ? AND id IN ({})",
                    placeholders(chunk.len())
                );
                let mut values: Vec<Value> = vec![(kind as i16).into()];
                values.extend(chunk.iter().map(|&id| id.into()));
                execute(conn, &sql, values).await?;
            }
            _ => {
                let sql = format!(
                    "DELETE FROM search_fts WHERE rowid IN ({})",
                    placeholders(chunk.len())
                );
                let values = chunk
                    .iter()
                    .map(|&id| (id * 4 + kind as i64).into())
                    .collect();
                execute(conn, &sql, values).await?;
            }
        }
    }
    Ok(())
}

/// Every document matching `query` (of one kind, or of all), with its
/// score. Documents holding a plain-word query as an exact phrase score
/// above all others (see `SearchQuery::as_phrase`).
pub async fn matches(
    conn: &impl ConnectionTrait,
    query: &SearchQuery,
    kind: Option<SearchKind>,
) -> Result<Vec<Hit>, DbErr> {
    let phrase = query.as_phrase();
    let hits = match conn.get_database_backend() {
        DbBackend::Postgres => tsvector_matches(conn, query, phrase.as_ref(), kind).await?,
        _ => {
            let mut hits = fts5_matches(conn, query, kind).await?;
            if let Some(phrase) = &phrase {
                // FTS5 cannot test a second query row by row: ask for it apart.
                let in_phrase: std::collections::HashSet<(SearchKind, i64)> =
                    fts5_matches(conn, phrase, kind)
                        .await?
                        .into_iter()
                        .map(|(h, _)| (h.kind, h.id))
                        .collect();
                for (hit, phrased) in &mut hits {
                    *phrased = in_phrase.contains(&(hit.kind, hit.id));
                }
            }
            hits
        }
    };
    let boost = hits.iter().map(|(h, _)| h.score).fold(0.0, f64::max);
    Ok(hits
        .into_iter()
        .map(|(mut hit, phrased)| {
            if phrased {
                hit.score += boost;
            }
            hit
        })
        .collect())
}

/// Matches with their scores and whether each also holds `phrase`, tested
/// on the rows already read.
async fn tsvector_matches(
    conn: &impl ConnectionTrait,
    query: &SearchQuery,
    phrase: Option<&SearchQuery>,
    kind: Option<SearchKind>,
) -> Result<Vec<(Hit, bool)>, DbErr> {
    let (expression, terms) = to_tsquery(query);
    let (in_phrase, phrase_terms) = match phrase {
        Some(phrase) => {
            let (expression, terms) = to_tsquery(phrase);
            (format!("d.document @@ {expression}"), terms)
        }
        None => ("FALSE".to_owned(), Vec::new()),
    };
    // Parameters in the order their `?` appear: the phrase (in the select
    // list) first, then the query.
    let values: Vec<Value> = phrase_terms
        .into_iter()
        .chain(terms)
        .map(Value::from)
        .collect();
    let mut matched = format!(
        "SELECT d.kind, d.id, \
         CAST(ts_rank({TS_RANK_WEIGHTS}, d.document, q.q, 1) AS DOUBLE PRECISION) AS score, \
         {in_phrase} AS in_phrase \
         FROM search_document d CROSS JOIN (SELECT {expression} AS q) q \
         WHERE d.document @@ q.q"
    );
    if let Some(kind) = kind {
        // A literal, not a parameter: under a generic plan PostgreSQL
        // guesses `kind = $n` selective and ANDs the GIN scan with a scan
        // of the whole primary key (a million entries for press releases),
        // doubling the cost of every search.
        matched.push_str(&format!(" AND d.kind = {}", kind as i16));
    }
    // One row of arrays rather than a row per match: 20,000 rows cost the
    // client more to decode than four binary arrays.
    let sql = format!(
        "SELECT array_agg(kind) AS kinds, array_agg(id) AS ids, \
         array_agg(score) AS scores, array_agg(in_phrase) AS phrased FROM ({matched}) m"
    );
    let backend = conn.get_database_backend();
    let Some(row) = conn.query_one_raw(statement(backend, &sql, values)).await? else {
        return Ok(Vec::new());
    };
    // `array_agg` of no rows is NULL.
    let kinds: Option<Vec<i16>> = row.try_get("", "kinds")?;
    let ids: Option<Vec<i64>> = row.try_get("", "ids")?;
    let scores: Option<Vec<f64>> = row.try_get("", "scores")?;
    let phrased: Option<Vec<bool>> = row.try_get("", "phrased")?;
    let hits = kinds
        .unwrap_or_default()
        .into_iter()
        .zip(ids.unwrap_or_default())
        .zip(scores.unwrap_or_default())
        .zip(phrased.unwrap_or_default())
        .filter_map(|(((kind, id), score), phrased)| {
            let kind = SearchKind::from_code(i64::from(kind))?;
            Some((Hit { kind, id, score }, phrased))
        })
        .collect();
    Ok(hits)
}

/// FTS5's matches with their scores, as one text value (`rowid score,…`)
/// rather than a row each: sqlx hands every row over from its SQLite
/// thread with a lock and a wake-up, and for the 20,000 matches of a
/// common query that handoff cost more than the search itself. Scores
/// travel as SQLite prints a REAL (15 significant digits): plenty to rank by.
async fn fts5_matches(
    conn: &impl ConnectionTrait,
    query: &SearchQuery,
    kind: Option<SearchKind>,
) -> Result<Vec<(Hit, bool)>, DbErr> {
    // Materialised: bm25() only works on the FTS5 query itself, not in a
    // subquery that SQLite would flatten into the aggregate.
    let mut sql = format!(
        "WITH m AS MATERIALIZED (SELECT rowid AS r, -bm25(search_fts, {FTS5_WEIGHTS}) AS s \
         FROM search_fts WHERE search_fts MATCH ?"
    );
    let mut values: Vec<Value> = vec![to_fts5(query).into()];
    if let Some(kind) = kind {
        sql.push_str(" AND (rowid & 3) = ?");
        values.push((kind as i64).into());
    }
    sql.push_str(") SELECT group_concat(r || ' ' || s, ',') AS hits FROM m");
    let backend = conn.get_database_backend();
    let Some(row) = conn.query_one_raw(statement(backend, &sql, values)).await? else {
        return Ok(Vec::new());
    };
    let packed: Option<String> = row.try_get("", "hits")?;
    let malformed = || DbErr::Custom("malformed full-text matches from SQLite".into());
    let mut hits = Vec::new();
    for hit in packed
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|h| !h.is_empty())
    {
        let (rowid, score) = hit.split_once(' ').ok_or_else(malformed)?;
        let rowid: i64 = rowid.parse().map_err(|_| malformed())?;
        let score: f64 = score.parse().map_err(|_| malformed())?;
        if let Some(kind) = SearchKind::from_code(rowid & 3) {
            hits.push((
                Hit {
                    kind,
                    id: rowid >> 2,
                    score,
                },
                false,
            ));
        }
    }
    Ok(hits)
}

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

/// The document of each release: its own text and its translations'.
pub fn release_document<'a>(
    title: &'a str,
    summary: Option<&'a str>,
    body_text: &'a str,
    translations: impl IntoIterator<Item = (&'a str, Option<&'a str>, &'a str)> + Clone,
) -> SearchDocument {
    let titles = std::iter::once(title).chain(translations.clone().into_iter().map(|t| t.0));
    let summaries = summary
        .into_iter()
        .chain(translations.clone().into_iter().filter_map(|t| t.1));
    let bodies = std::iter::once(body_text).chain(translations.into_iter().map(|t| t.2));
    SearchDocument::new(titles, summaries, bodies)
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
                "SELECT id, title, summary, body_text FROM press_release WHERE id > ? \
                 ORDER BY id LIMIT {REBUILD_BATCH}"
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
        let mut translations: std::collections::HashMap<
            i64,
            Vec<(String, Option<String>, String)>,
        > = Default::default();
        let sql = format!(
            "SELECT press_release_id, title, summary, body_text FROM press_release_translation \
             WHERE press_release_id IN ({}) ORDER BY press_release_id, language",
            placeholders(ids.len())
        );
        let values = ids.iter().map(|&id| id.into()).collect();
        for row in query_all(&txn, &sql, values).await? {
            translations
                .entry(row.try_get("", "press_release_id")?)
                .or_default()
                .push((
                    row.try_get("", "title")?,
                    row.try_get("", "summary")?,
                    row.try_get("", "body_text")?,
                ));
        }
        let mut documents = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("", "id")?;
            let title: String = row.try_get("", "title")?;
            let summary: Option<String> = row.try_get("", "summary")?;
            let body_text: String = row.try_get("", "body_text")?;
            let translated = translations.remove(&id).unwrap_or_default();
            let document = release_document(
                &title,
                summary.as_deref(),
                &body_text,
                translated
                    .iter()
                    .map(|(t, s, b)| (t.as_str(), s.as_deref(), b.as_str())),
            );
            documents.push((id, document));
        }
        indexed += documents.len() as u64;
        store(&txn, SearchKind::PressRelease, documents, &[]).await?;
    }
    index_small_tables(&txn).await?;
    state::set(&txn, SEARCH_VERSION_KEY, SEARCH_VERSION, chrono::Utc::now()).await?;
    txn.commit().await?;
    Ok(indexed)
}

/// Rebuilds the index if it was built by another version of the code (or never).
pub async fn ensure_current(db: &DatabaseConnection) -> Result<(), DbErr> {
    if state::get(db, SEARCH_VERSION_KEY).await?.as_deref() == Some(SEARCH_VERSION) {
        return Ok(());
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
