//! The root query type: thin resolvers over the service layer and the repository.

use crate::graphql::release_list::object_with_release_list;
use crate::graphql::scalars::Date;
use async_graphql::{Context, ID, Object};

use super::connection::{PageInfo, countries, slugs};
use super::context::{catalog, db, snapshot};
use super::error::{NOT_FOUND, OrInternal, coded};
use super::ids::id_cursor;
use super::types::{
    Chairpersonship, Country, FieldOfWork, Meeting, Node, OrgUnit, Person, PressRelease, Role,
};
use crate::domain::{CountryStatus, DateRange, FilterField};
use crate::service::lists::{self, MeetingFilterKeys, PersonFilterKeys};
use crate::service::search;
use crate::storage::search_index::SearchKind;
use crate::storage::{meetings, people, releases, structure, taxonomy};

mod inputs;
mod nodes;

use inputs::keyset_request;
pub use inputs::{
    MeetingConnection, MeetingEdge, MeetingFilterInput, MeetingOrder, OrgUnitFilterInput,
    PersonConnection, PersonEdge, PersonFilterInput,
};

pub struct Query;

fn not_found(what: &str, key: &str) -> async_graphql::Error {
    coded(NOT_FOUND, format!("no {what} `{key}`"))
}

object_with_release_list! {
    /// Everything the API can read. Start from a list (`pressReleases`,
    /// `meetings`, `people`, `orgUnits`…) or an object by its key.
    #[Object]
    impl Query {
        /// What changed in the public content, oldest first, with
        /// tombstones (the changes feed; `GET /api/v1/changes` on REST).
        /// Without `after`: every public record once, then the changes
        /// after it. `CURSOR_EXPIRED` means the cursor is older than the
        /// tombstones kept: start again without one.
        #[graphql(cache_control(no_cache))]
        async fn changes(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The `endCursor` (or `nextCursor`) of the last page; leave out to start.")]
            after: Option<String>,
            #[graphql(desc = "How many changes (1 to 1000, default 100).")] first: Option<i32>,
            #[graphql(desc = "Only these record types (`press_release`, `meeting`…); their tombstones included.")]
            types: Option<Vec<String>>,
        ) -> async_graphql::Result<super::changes::ChangeConnection> {
            super::changes::changes(ctx, after, first, types).await
        }

        /// Webhook endpoints (scope `admin`).
        #[graphql(cache_control(private))]
        async fn webhooks(
            &self,
            ctx: &Context<'_>,
        ) -> async_graphql::Result<Vec<super::editorial::webhooks::Webhook>> {
            super::editorial::webhooks::list(ctx).await
        }

        /// Full-text search across press releases, meetings, people and units,
        /// most relevant first. Syntax: words (all must match), `"exact phrase"`,
        /// `a OR b`, `-excluded`, `prefix*`; case and diacritics are ignored
        /// (`Türkiye` = `turkiye`) and English words match their other forms
        /// (`monitoring` = `monitors`). Titles weigh more than summaries, and
        /// summaries more than bodies. To search releases with filters and facets,
        /// use `pressReleases(search:)`.
        #[allow(
            clippy::too_many_arguments,
            reason = "a resolver takes its GraphQL arguments one by one"
        )]
        async fn search(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "What to look for (at most 1,000 characters).")] query: String,
            #[graphql(desc = "Only results of these types (all when omitted).")] types: Option<
                Vec<super::search::SearchResultType>,
            >,
            #[graphql(desc = "How many results (at most 100).")] first: i32,
            #[graphql(desc = "The `cursor` of the last result of the previous page.")] after: Option<
                String,
            >,
            #[graphql(desc = "The language to search and answer in (BCP 47): each release is matched in, and answered in, the first language of the fallback chain it exists in (else its own). Without it, the request's `Accept-Language`, else the default language.")]
            locale: Option<String>,
            #[graphql(desc = "The languages to fall back to, in order, replacing the configured chain: releases in none of `locale` and these are left out. `[]`: only releases in `locale` itself.")]
            fallback: Option<Vec<String>>,
        ) -> async_graphql::Result<super::search::SearchResultConnection> {
            let preference =
                crate::graphql::locale::scoped(ctx, locale.as_deref(), fallback.as_deref())?
                    .unwrap_or_else(|| crate::graphql::locale::preference(ctx));
            super::search::search(ctx, query, types, first, after, &preference).await
        }

        /// Any object by its global ID; null if there is none.
        async fn node(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "A global ID, as the `id` field of any object gives it.")] id: ID,
        ) -> async_graphql::Result<Option<Node>> {
            Ok(nodes::nodes(ctx, &[id]).await?.pop().flatten())
        }

        /// Several objects by global ID, in the order asked (null where there is none). At most 100.
        async fn nodes(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Global IDs (at most 100), as the `id` field of any object gives them.")]
            ids: Vec<ID>,
        ) -> async_graphql::Result<Vec<Option<Node>>> {
            nodes::nodes(ctx, &ids).await
        }

        /// One press release by slug; null if there is none.
        async fn press_release(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The release's slug, e.g. `2020-10-25-joint-statement`.")] slug: String,
            #[graphql(desc = "The language to answer in (BCP 47, e.g. `ru`), for the release and everything nested in it unless a nested field gives its own: the first language of the fallback chain the release exists in, else its own. Without it, the request's `Accept-Language`, else the default language.")]
            locale: Option<String>,
            #[graphql(desc = "The languages to fall back to, in order, replacing the configured chain; null when the release exists in none of `locale` and these. `[]`: only in `locale` itself.")]
            fallback: Option<Vec<String>>,
        ) -> async_graphql::Result<Option<PressRelease>> {
            let preference =
                crate::graphql::locale::scoped(ctx, locale.as_deref(), fallback.as_deref())?;
            let Some(release) = releases::model_by_slug(db(ctx), &slug).await.or_internal()?
            else {
                return Ok(None);
            };
            let release = PressRelease::from_model(release);
            if let Some(preference) = preference
                && preference.strict
                && !release.is_served_in(ctx, &preference).await?
            {
                return Ok(None);
            }
            Ok(Some(release))
        }
    }
    /// Press releases, filtered and paged. Give `first` (with `after`) or
    /// `last` (with `before`), at most 100.
    press_releases(self, ctx) => { None }
    then {
        /// One meeting by slug.
        async fn meeting(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The meeting's slug.")] slug: String,
        ) -> async_graphql::Result<Option<Meeting>> {
            Ok(meetings::model_by_slug(db(ctx), &slug)
                .await
                .or_internal()?
                .map(Meeting))
        }

        /// Meetings and conferences, filtered and paged.
        #[allow(clippy::too_many_arguments)]
        async fn meetings(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Which meetings: every condition given must hold. All meetings when omitted.")]
            filter: Option<MeetingFilterInput>,
            #[graphql(
                desc = "Full-text search (same syntax as on `pressReleases`); filters the list, which keeps its order."
            )]
            search: Option<String>,
            #[graphql(default, desc = "By start date; latest first unless `START_ASC`.")]
            order_by: MeetingOrder,
            #[graphql(desc = "How many meetings from the start (or from `after`), at most 100. Give `first` or `last`, not both.")]
            first: Option<i32>,
            #[graphql(desc = "Start after this `cursor` (from an edge or `pageInfo.endCursor`), with `first`.")]
            after: Option<String>,
            #[graphql(desc = "How many meetings from the end (or before `before`), at most 100.")]
            last: Option<i32>,
            #[graphql(desc = "End before this `cursor` (from an edge or `pageInfo.startCursor`), with `last`.")]
            before: Option<String>,
        ) -> async_graphql::Result<MeetingConnection> {
            let request = keyset_request("m", first, after, last, before)?;
            let f = filter.unwrap_or_default();
            let keys = MeetingFilterKeys {
                fields_of_work: slugs(FilterField::FieldsOfWork, f.fields_of_work)?,
                countries: countries("countries", f.countries)?,
                kinds: f.kinds.unwrap_or_default(),
                units: slugs(FilterField::OrgUnits, f.org_units)?,
                include_descendants: f.include_descendants,
                dates: DateRange::new(f.date_from.map(|d| d.0), f.date_to.map(|d| d.0)),
                search,
            };
            let page =
                {
                let query = lists::resolve_meetings(snapshot(ctx), &keys).await?;
                lists::meetings(db(ctx), &query, order_by == MeetingOrder::StartAsc, &request).await?
            };
            let cursors: Vec<String> = page.items.iter().map(|m| id_cursor("m", m.id)).collect();
            Ok(MeetingConnection {
                page_info: PageInfo::new(&cursors, page.has_next_page, page.has_previous_page),
                nodes: page.items.iter().cloned().map(Meeting).collect(),
                edges: page
                    .items
                    .into_iter()
                    .zip(cursors)
                    .map(|(m, cursor)| MeetingEdge {
                        cursor,
                        node: Meeting(m),
                    })
                    .collect(),
            })
        }

        /// One person by slug.
        async fn person(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The person's slug.")] slug: String,
        ) -> async_graphql::Result<Option<Person>> {
            Ok(people::model_by_slug(db(ctx), &slug)
                .await
                .or_internal()?
                .map(Person))
        }

        /// People, by name, filtered by the roles they hold or held.
        #[allow(clippy::too_many_arguments)]
        async fn people(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Whose roles must match: every condition given must hold. Everyone when omitted.")]
            filter: Option<PersonFilterInput>,
            #[graphql(
                desc = "Full-text search (same syntax as on `pressReleases`); filters the list, which keeps its order."
            )]
            search: Option<String>,
            #[graphql(desc = "How many people from the start (or from `after`), at most 100. Give `first` or `last`, not both.")]
            first: Option<i32>,
            #[graphql(desc = "Start after this `cursor` (from an edge or `pageInfo.endCursor`), with `first`.")]
            after: Option<String>,
            #[graphql(desc = "How many people from the end (or before `before`), at most 100.")]
            last: Option<i32>,
            #[graphql(desc = "End before this `cursor` (from an edge or `pageInfo.startCursor`), with `last`.")]
            before: Option<String>,
        ) -> async_graphql::Result<PersonConnection> {
            let request = keyset_request("p", first, after, last, before)?;
            let f = filter.unwrap_or_default();
            let keys = PersonFilterKeys {
                role_titles: f.role_titles.unwrap_or_default(),
                units: slugs(FilterField::OrgUnits, f.org_units)?,
                include_descendants: f.include_descendants,
                representing: countries("representing", f.representing)?,
                active_on: f.active_on.map(|d| d.0),
                search,
            };
            let query = lists::resolve_people(snapshot(ctx), &keys).await?;
            let page = lists::people(db(ctx), &query, &request).await?;
            let cursors: Vec<String> = page.items.iter().map(|p| id_cursor("p", p.id)).collect();
            Ok(PersonConnection {
                page_info: PageInfo::new(&cursors, page.has_next_page, page.has_previous_page),
                nodes: page.items.iter().cloned().map(Person).collect(),
                edges: page
                    .items
                    .into_iter()
                    .zip(cursors)
                    .map(|(p, cursor)| PersonEdge {
                        cursor,
                        node: Person(p),
                    })
                    .collect(),
            })
        }

        /// Who co-chaired a group: its roles titled "Co-Chair", each with the
        /// State represented. With `activeOn`, only those in office that day.
        async fn co_chairs(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Slug of the group.", default = "minsk-group")] group: String,
            #[graphql(desc = "Only co-chairs in office on this day (all, past and present, when omitted).")]
            active_on: Option<Date>,
        ) -> async_graphql::Result<Vec<Role>> {
            let conn = db(ctx);
            let unit = structure::org_unit_by_slug(conn, &group)
                .await
                .or_internal()?
                .ok_or_else(|| not_found("org unit", &group))?;
            Ok(people::roles_in_unit(conn, unit.id, "Co-Chair", active_on.map(|d| d.0))
                .await
                .or_internal()?
                .into_iter()
                .map(Role)
                .collect())
        }

        /// One unit by slug.
        async fn org_unit(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The unit's slug, e.g. `secretariat`.")] slug: String,
        ) -> async_graphql::Result<Option<OrgUnit>> {
            Ok(structure::org_unit_by_slug(db(ctx), &slug)
                .await
                .or_internal()?
                .map(OrgUnit))
        }

        /// The organisational structure (a few dozen units), by name. For the
        /// org chart, take `topLevel: true` and follow `children`.
        async fn org_units(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Which units: every condition given must hold. All units when omitted.")]
            filter: Option<OrgUnitFilterInput>,
            #[graphql(
                desc = "Full-text search (same syntax as on `pressReleases`); filters the list, which keeps its order."
            )]
            search: Option<String>,
        ) -> async_graphql::Result<Vec<OrgUnit>> {
            let f = filter.unwrap_or_default();
            let matching: Option<std::collections::HashSet<i64>> = match &search {
                Some(text) => Some(
                    search::matching_ids(snapshot(ctx), text, SearchKind::OrgUnit)
                        .await?
                        .into_iter()
                        .collect(),
                ),
                None => None,
            };
            let kinds: Option<Vec<&str>> = f
                .kinds
                .as_ref()
                .map(|kinds| kinds.iter().map(|k| k.as_str()).collect());
            Ok(catalog(ctx)
                .await?
                .org_units_by_name()
                .into_iter()
                .filter(|u| matching.as_ref().is_none_or(|ids| ids.contains(&u.id)))
                .filter(|u| kinds.as_ref().is_none_or(|k| k.contains(&u.kind.as_str())))
                .filter(|u| !f.top_level || u.parent_id.is_none())
                .filter(|u| super::types::structure_is_open(u, f.as_of.map(|d| d.0)))
                .cloned()
                .map(OrgUnit)
                .collect())
        }

        /// One field of work by slug.
        async fn field_of_work(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The field of work's slug, e.g. `elections`.")] slug: String,
        ) -> async_graphql::Result<Option<FieldOfWork>> {
            Ok(taxonomy::field_of_work_by_slug(db(ctx), &slug)
                .await
                .or_internal()?
                .map(FieldOfWork))
        }

        /// All fields of work, by name.
        async fn fields_of_work(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<FieldOfWork>> {
            Ok(taxonomy::fields_of_work_by_name(db(ctx))
                .await
                .or_internal()?
                .into_iter()
                .map(FieldOfWork)
                .collect())
        }

        /// One country by ISO code.
        async fn country(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "ISO 3166-1 alpha-2 code in capitals, e.g. `AT`.")] code: String,
        ) -> async_graphql::Result<Option<Country>> {
            Ok(taxonomy::country_by_code(db(ctx), &code)
                .await
                .or_internal()?
                .map(Country))
        }

        /// Participating States and Partners for Co-operation, by name; optionally of one status.
        async fn countries(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Only participating States, or only Partners for Co-operation (all when omitted).")]
            status: Option<CountryStatus>,
        ) -> async_graphql::Result<Vec<Country>> {
            Ok(taxonomy::countries_by_name(db(ctx), status)
                .await
                .or_internal()?
                .into_iter()
                .map(Country)
                .collect())
        }

        /// The Chairpersonship of a year.
        async fn chairpersonship(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The year of the Chairpersonship, e.g. `2020`.")] year: i32,
        ) -> async_graphql::Result<Option<Chairpersonship>> {
            Ok(structure::chairpersonship_of_year(db(ctx), year)
                .await
                .or_internal()?
                .map(Chairpersonship))
        }

        /// All Chairpersonships, latest first.
        async fn chairpersonships(
            &self,
            ctx: &Context<'_>,
        ) -> async_graphql::Result<Vec<Chairpersonship>> {
            Ok(structure::chairpersonships_latest_first(db(ctx))
                .await
                .or_internal()?
                .into_iter()
                .map(Chairpersonship)
                .collect())
        }

        /// A press release whatever its status (drafts, scheduled, withdrawn),
        /// as its editors see it. Needs an API key with `read:drafts`.
        #[graphql(cache_control(private))]
        async fn editorial_press_release(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The release's slug.")] slug: String,
        ) -> async_graphql::Result<super::editorial::EditorialPressRelease> {
            super::editorial::editorial_release(ctx, &slug).await
        }

        /// Press releases of any status, in slug order: `status: [DRAFT,
        /// SCHEDULED]` lists what is not public yet. Needs `read:drafts`.
        #[graphql(cache_control(private))]
        async fn editorial_press_releases(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Only these statuses (all when omitted).")] status: Option<
                Vec<super::editorial::PublicationStatus>,
            >,
            #[graphql(desc = "How many (1 to 500).", default = 50)] first: i32,
            #[graphql(desc = "The `nextCursor` of the previous page.")] after: Option<String>,
        ) -> async_graphql::Result<super::editorial::EditorialListPage> {
            super::editorial::editorial_list(ctx, status, first, after).await
        }
    }
}
