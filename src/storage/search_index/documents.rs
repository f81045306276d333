//! The documents themselves: their folded text, how each backend stores
//! them, and writing and removing them.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use super::SearchKind;
use crate::search::text::Stemming;
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
    /// Folds and stems (in English) the parts; each part may be several texts.
    pub fn new<'a>(
        title: impl IntoIterator<Item = &'a str>,
        summary: impl IntoIterator<Item = &'a str>,
        body: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        Self::in_language(Stemming::English, title, summary, body)
    }

    /// Folds and stems the parts as words of one language.
    pub fn in_language<'a>(
        stemming: Stemming,
        title: impl IntoIterator<Item = &'a str>,
        summary: impl IntoIterator<Item = &'a str>,
        body: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let part = |texts: &mut dyn Iterator<Item = &'a str>| {
            let mut out = String::new();
            for text in texts {
                let indexed = stemming.index_text(text);
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
                        fts5_rowid(kind, id).into(),
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

/// Removes the documents of `kind` for these ids (for a release, the
/// documents of all its languages).
pub async fn delete(
    conn: &impl ConnectionTrait,
    kind: SearchKind,
    ids: &[i64],
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut values: Vec<Value> = Vec::new();
        let sql = match (backend, kind) {
            (DbBackend::Postgres, SearchKind::PressRelease) => {
                for &id in chunk {
                    values.extend([document_id(id, 0).into(), document_id(id + 1, 0).into()]);
                }
                format!(
                    "DELETE FROM search_document WHERE kind = {} AND ({})",
                    kind as i16,
                    vec!["(id >= ? AND id < ?)"; chunk.len()].join(" OR ")
                )
            }
            (DbBackend::Postgres, _) => {
                values.extend(chunk.iter().map(|&id| id.into()));
                format!(
                    "DELETE FROM search_document WHERE kind = {} AND id IN ({})",
                    kind as i16,
                    placeholders(chunk.len())
                )
            }
            (_, SearchKind::PressRelease) => {
                // One range a statement: FTS5 narrows a scan by one rowid
                // range, not by several ORed.
                for &id in chunk {
                    let range: Vec<Value> = vec![
                        fts5_rowid(kind, document_id(id, 0)).into(),
                        fts5_rowid(kind, document_id(id + 1, 0)).into(),
                    ];
                    let sql = format!(
                        "DELETE FROM search_fts WHERE rowid >= ? AND rowid < ? AND (rowid & 3) = {}",
                        kind as i64
                    );
                    execute(conn, &sql, range).await?;
                }
                continue;
            }
            _ => {
                values.extend(chunk.iter().map(|&id| fts5_rowid(kind, id).into()));
                format!(
                    "DELETE FROM search_fts WHERE rowid IN ({})",
                    placeholders(chunk.len())
                )
            }
        };
        execute(conn, &sql, values).await?;
    }
    Ok(())
}

/// A release has a document per language: its own (slot 0) and one per
/// translation (slots 1… in the order of their language tags). The slot
/// is the low bits of the document's id, so one release's documents are a
/// range of ids, and a match names its language through the release.
pub const SLOTS_PER_RELEASE: i64 = crate::model::MAX_TRANSLATIONS as i64 + 1;

/// The id the document of a release's `slot` is stored under.
pub fn document_id(release_id: i64, slot: u8) -> i64 {
    release_id * SLOTS_PER_RELEASE + i64::from(slot)
}

/// SQLite's rowid of a document: one FTS5 table holds every kind.
pub fn fts5_rowid(kind: SearchKind, document_id: i64) -> i64 {
    document_id * 4 + kind as i64
}

/// Writes the documents of releases, every language of each, replacing
/// those stored for them (`maybe_indexed`: the ids that may have some; a
/// translation removed since leaves no document behind).
pub async fn store_releases(
    conn: &impl ConnectionTrait,
    releases: Vec<(i64, Vec<IndexedDocument>)>,
    maybe_indexed: &[i64],
) -> Result<(), DbErr> {
    if !maybe_indexed.is_empty() {
        delete(conn, SearchKind::PressRelease, maybe_indexed).await?;
    }
    let documents = releases
        .into_iter()
        .flat_map(|(id, documents)| {
            documents
                .into_iter()
                .take(SLOTS_PER_RELEASE as usize)
                .enumerate()
                .map(move |(slot, document)| (document_id(id, slot as u8), document))
        })
        .collect();
    store(conn, SearchKind::PressRelease, documents, &[]).await
}

/// The documents of a release, in slot order: its own text in its own
/// language, then each translation's in the translation's, ordered by
/// language tag (as `translation_languages` lists them).
pub fn release_documents<'a>(
    language: &'a str,
    title: &'a str,
    summary: Option<&'a str>,
    body_text: &'a str,
    translations: impl IntoIterator<Item = (&'a str, &'a str, Option<&'a str>, &'a str)>,
) -> Vec<SearchDocument> {
    let mut translations: Vec<_> = translations.into_iter().collect();
    translations.sort_by_key(|t| t.0);
    std::iter::once((language, title, summary, body_text))
        .chain(translations)
        .map(|(language, title, summary, body)| {
            SearchDocument::in_language(Stemming::of_language(language), [title], summary, [body])
        })
        .collect()
}
