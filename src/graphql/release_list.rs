//! The one definition of a `pressReleases` field: the filter, search, order
//! and paging arguments that every release list takes (the root list and
//! those of a field of work, a country, a unit, a person, a meeting), with
//! their descriptions. async-graphql reads a field's arguments from its
//! method's signature, so the signature is written here once and each type
//! says only which releases it pins the list to.

use super::connection::{PressReleaseFilterInput, PressReleaseOrder};

/// The arguments every `pressReleases` field shares.
pub struct ReleaseListArgs {
    pub filter: Option<PressReleaseFilterInput>,
    pub search: Option<String>,
    pub order_by: Option<PressReleaseOrder>,
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
    pub locale: Option<String>,
    pub fallback: Option<Vec<String>>,
}

/// Writes an `#[Object]` impl with a `pressReleases` field appended to its
/// fields (or between `$fields` and `then { … }`):
///
/// ```text
/// object_with_release_list! {
///     #[Object]
///     impl Country { /* fields */ }
///     /// Press releases about this country, with any further filter.
///     press_releases(self, ctx) => { Some(Pinned::Country(self.0.id)) }
/// }
/// ```
///
/// Extra leading arguments may follow `ctx` (`#[graphql(default)]
/// include_descendants: bool`); the block computes the `Option<Pinned>`
/// the list is narrowed to, and may use `self`, `ctx` and those arguments.
macro_rules! object_with_release_list {
    (
        $(#[$attr:meta])*
        impl $ty:ident { $($fields:tt)* }
        $(#[$doc:meta])*
        press_releases($self_:ident, $ctx:ident $(, #[$arg_attr:meta] $arg:ident: $arg_ty:ty)* $(,)?) => $pinned:block
        $(then { $($after:tt)* })?
    ) => {
        $(#[$attr])*
        impl $ty {
            $($fields)*

            $(#[$doc])*
            #[allow(clippy::too_many_arguments)]
            async fn press_releases(
                &$self_,
                $ctx: &::async_graphql::Context<'_>,
                $(#[$arg_attr] $arg: $arg_ty,)*
                #[graphql(desc = "Which releases: every condition given must hold (fields of work, countries, units, people, dates…). All releases when omitted.")]
                filter: Option<$crate::graphql::connection::PressReleaseFilterInput>,
                #[graphql(
                    desc = "Full-text search over title, summary and body (and their translations): words must all match; `\"exact phrase\"`, `a OR b`, `-excluded` and `prefix*` work as on a search engine. Combines with `filter`; the list is then ordered by relevance unless `orderBy` says otherwise."
                )]
                search: Option<String>,
                #[graphql(desc = "Defaults to `RELEVANCE` with a `search`, `DATE_DESC` without.")]
                order_by: Option<$crate::graphql::connection::PressReleaseOrder>,
                #[graphql(desc = "How many releases from the start (or from `after`), at most 100. Give `first` or `last`, not both.")]
                first: Option<i32>,
                #[graphql(desc = "Start after this `cursor` (from an edge or `pageInfo.endCursor`), with `first`.")]
                after: Option<String>,
                #[graphql(desc = "How many releases from the end (or before `before`), at most 100.")]
                last: Option<i32>,
                #[graphql(desc = "End before this `cursor` (from an edge or `pageInfo.startCursor`), with `last`.")]
                before: Option<String>,
                #[graphql(desc = "The language to answer in (BCP 47, e.g. `ru`; `fr-CH` is served `fr`), for these releases and everything nested in them unless a nested field gives its own. Each release appears once, in the first language of the fallback chain it exists in (else its own); a search matches that text. Without it, the enclosing field's `locale`, else the request's `Accept-Language`, else the default language.")]
                locale: Option<String>,
                #[graphql(desc = "The languages to fall back to, in order, replacing the configured chain: only releases that exist in `locale` or one of these are listed. `[]` lists only releases that exist in `locale` itself.")]
                fallback: Option<Vec<String>>,
            ) -> ::async_graphql::Result<$crate::graphql::connection::PressReleaseConnection> {
                let pinned: Option<$crate::domain::Pinned> = $pinned;
                let args = $crate::graphql::release_list::ReleaseListArgs {
                    filter,
                    search,
                    order_by,
                    first,
                    after,
                    last,
                    before,
                    locale,
                    fallback,
                };
                $crate::graphql::connection::press_releases($ctx, args, pinned).await
            }

            $($($after)*)?
        }
    };
}

pub(crate) use object_with_release_list;
