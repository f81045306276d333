//! The full-text index inside the database, so it is written in the same
//! transaction as the content and shared by every replica: an FTS5 table on
//! SQLite, a `tsvector` column with a GIN index on PostgreSQL. Both index the
//! same text, already folded and stemmed by `search::text`, in three weighted
//! parts: title over summary over body.

mod documents;
mod matches;
mod rebuild;

pub use documents::{
    IndexedDocument, SLOTS_PER_RELEASE, SearchDocument, delete, document_id, release_documents,
    store, store_releases,
};
pub use matches::{Hit, matches};
pub use rebuild::{ensure_current, index_small_tables, rebuild};

/// Stored in `app_state` once the index holds every document as this
/// version of the code folds it; bump it whenever `search::text` changes how
/// text is indexed, and the next start rebuilds the index.
pub const SEARCH_VERSION_KEY: &str = "search_index_version";
/// A number: raised when the indexing code changes; only a higher one rebuilds.
pub const SEARCH_VERSION: &str = "2";

/// What a search document describes. On SQLite the FTS5 rowid is
/// `id * 4 + kind`, so one table holds every kind; a release's documents
/// (one per language) have the ids `document_id(release, slot)`.
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
