//! Full-text search, independent of the backend: how text is folded and
//! stemmed, the query syntax, and snippets. The index itself lives in the
//! database (`storage::search_index`).

pub mod snippet;
pub mod syntax;
pub mod text;

pub use syntax::{SearchQuery, SyntaxError, parse};
