//! Searching the index: the matches of a query, ranked, on either backend.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use super::{SLOTS_PER_RELEASE, SearchKind};
use crate::search::syntax::{SearchQuery, to_fts5, to_tsquery};
use crate::search::text::Stemming;
use crate::storage::sql::statement;

/// Relative weights of title, summary and body (FTS5's bm25 column weights;
/// PostgreSQL's ts_rank weights A, B, C are in the same ratio).
const FTS5_WEIGHTS: &str = "10.0, 4.0, 1.0";
const TS_RANK_WEIGHTS: &str = "'{0, 0.1, 0.4, 1.0}'";

/// One match: what, and how relevant (higher is better; comparable within
/// one search only).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub kind: SearchKind,
    pub id: i64,
    /// Which of a release's documents matched: 0 its own language, then
    /// its translations in the order of their language tags.
    pub slot: u8,
    pub score: f64,
}

impl Hit {
    /// A match of the document stored under `document_id`.
    fn of_document(kind: SearchKind, document_id: i64, score: f64) -> Hit {
        let (id, slot) = match kind {
            SearchKind::PressRelease => (
                document_id.div_euclid(SLOTS_PER_RELEASE),
                document_id.rem_euclid(SLOTS_PER_RELEASE) as u8,
            ),
            _ => (document_id, 0),
        };
        Hit {
            kind,
            id,
            slot,
            score,
        }
    }
}

/// Every document matching `query` (of one kind, or of all), with its
/// score. Documents holding a plain-word query as an exact phrase score
/// above all others (see `SearchQuery::as_phrase`). Each term is looked
/// for in its forms under `stemmings` (English alone when empty): the
/// languages of the documents the search is for.
pub async fn matches(
    conn: &impl ConnectionTrait,
    query: &SearchQuery,
    kind: Option<SearchKind>,
    stemmings: &[Stemming],
) -> Result<Vec<Hit>, DbErr> {
    let phrase = query.as_phrase();
    let hits = match conn.get_database_backend() {
        DbBackend::Postgres => {
            tsvector_matches(conn, query, phrase.as_ref(), kind, stemmings).await?
        }
        _ => {
            let mut hits = fts5_matches(conn, query, kind, stemmings).await?;
            if let Some(phrase) = &phrase {
                // FTS5 cannot test a second query row by row: ask for it apart.
                let in_phrase: std::collections::HashSet<(SearchKind, i64, u8)> =
                    fts5_matches(conn, phrase, kind, stemmings)
                        .await?
                        .into_iter()
                        .map(|(h, _)| (h.kind, h.id, h.slot))
                        .collect();
                for (hit, phrased) in &mut hits {
                    *phrased = in_phrase.contains(&(hit.kind, hit.id, hit.slot));
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
    stemmings: &[Stemming],
) -> Result<Vec<(Hit, bool)>, DbErr> {
    let (expression, terms) = to_tsquery(query, stemmings);
    let (in_phrase, phrase_terms) = match phrase {
        Some(phrase) => {
            let (expression, terms) = to_tsquery(phrase, stemmings);
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
            Some((Hit::of_document(kind, id, score), phrased))
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
    stemmings: &[Stemming],
) -> Result<Vec<(Hit, bool)>, DbErr> {
    // Materialised: bm25() only works on the FTS5 query itself, not in a
    // subquery that SQLite would flatten into the aggregate.
    let mut sql = format!(
        "WITH m AS MATERIALIZED (SELECT rowid AS r, -bm25(search_fts, {FTS5_WEIGHTS}) AS s \
         FROM search_fts WHERE search_fts MATCH ?"
    );
    let mut values: Vec<Value> = vec![to_fts5(query, stemmings).into()];
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
            hits.push((Hit::of_document(kind, rowid >> 2, score), false));
        }
    }
    Ok(hits)
}
