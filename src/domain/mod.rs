//! Pure domain types and rules, with no storage or HTTP in them.
//! Identifiers are parsed once at the boundary ("parse, don't validate").

mod codes;
pub mod cursor;
mod filter;
mod keyset;
mod kinds;

pub use codes::{CountryCode, LanguageTag, Slug};
pub use filter::{
    Facets, Page, PageRequest, Pinned, ReleaseCursor, ReleaseFilter, ReleaseOrder, SearchMatches,
};
pub use keyset::{KeysetPage, KeysetRequest};
pub use kinds::{CountryStatus, MeetingKind, OrgUnitKind, ReleaseRelation};
