//! Pure domain types and rules, with no storage or HTTP in them.
//! Identifiers are parsed once at the boundary ("parse, don't validate").

mod codes;
pub mod cursor;
mod filter;
mod filter_keys;
mod keyset;
mod kinds;
mod locale;

pub use codes::{CountryCode, LanguageTag, MAX_SLUG_LEN, Slug};
pub use filter::{
    Facets, Page, PageRequest, Pinned, ReleaseCursor, ReleaseFilter, ReleaseOrder, SearchMatches,
};
pub use filter_keys::{
    DateRange, FilterError, FilterField, ReleaseFilterKeys, parse_countries, parse_languages,
    parse_slugs,
};
pub use keyset::{KeysetPage, KeysetRequest};
pub use kinds::{CountryStatus, MeetingKind, OrgUnitKind, ReleaseRelation};
pub use locale::{
    DEFAULT_FALLBACKS, DEFAULT_LOCALES, Decided, FallbackOverride, LocaleError, LocalePreference,
    LocaleSource, Locales,
};
