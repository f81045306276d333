//! Values derived from the content and kept in memory per content version:
//! the release index (lists, counts, facets) and the catalog of the small
//! tables. Both are caches: built from the database, safe to lose.

pub mod catalog;
pub mod facet_cube;
pub mod release_index;
