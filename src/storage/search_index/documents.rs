//! The documents themselves: their folded text, how each backend stores
//! them, and writing and removing them.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use super::SearchKind;
use crate::search::text::index_text;
use crate::storage::sql::{execute, placeholders};
use crate::storage::tsvector::tsvector_literal;

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
    /// Bytes of text it holds, for bounding batches by size.
    pub fn text_bytes(&self) -> usize {
        match self {
            Self::Folded(d) => d.title.len() + d.summary.len() + d.body.len(),
            Self::TsVector(literal) => literal.len(),
        }
    }

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
