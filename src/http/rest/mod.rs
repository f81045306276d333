//! The REST/JSON API under `/api/v1`, for scripts and notebooks: the same
//! content and filter vocabulary as GraphQL, pages with cursors, and whole
//! exports as CSV and JSON Lines. Handlers parse parameters, call the query
//! layer and hand records to `repr`; the OpenAPI document is generated from
//! their annotations (`openapi.json` at the repository root is a snapshot).

mod changes;
mod docs;
mod editorial;
mod meetings;
mod people;
pub mod releases;
pub mod repr;
pub mod resources;
mod structure;
pub mod webhooks;

use std::sync::OnceLock;

use axum::{
    Router,
    extract::{Path, rejection::PathRejection},
    http::header,
    response::{IntoResponse, Response},
    routing::{any, get},
};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{AppState, error::ApiError, params::QueryParams};
use repr::{Fields, Projected, Resource};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "OSCE content API",
        version = "1",
        description = "The public content of the OSCE (press releases, meetings, people, structure, taxonomy) as JSON, CSV and JSON Lines. \
Field names are those of the interchange format. Lists are paged with `limit` and `cursor` (follow `next`); \
the `.csv` and `.jsonl` endpoints stream the whole filtered list. Errors are `{\"error\": {\"code\", \"message\", \"details\"}}` with a 4xx status for anything the client can fix.",
    ),
    tags(
        (name = "press releases", description = "Press releases, filtered as in GraphQL and the feeds."),
        (name = "meetings", description = "Meetings and conferences."),
        (name = "people", description = "People and the roles they held."),
        (name = "structure", description = "The organisational structure."),
        (name = "taxonomy", description = "Fields of work and countries."),
        (name = "changes", description = "The changes feed: what changed in the public content, with tombstones, for mirrors and archives (pages, long-polling, Server-Sent Events)."),
        (name = "webhooks", description = "Webhook endpoints, deliveries and replays (scope `admin`); deliveries are signed as Standard Webhooks says."),
        (name = "editing", description = "Editors' writes, drafts, revisions and the audit log: each needs an API key (`Authorization: Bearer osce_…`) with the operation's scope."),
    )
)]
struct ApiDoc;

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(changes::changes))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::item, webhooks::patch, webhooks::delete))
        .routes(routes!(webhooks::rotate_secret))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::delivery))
        .routes(routes!(webhooks::replay_delivery))
        .routes(routes!(webhooks::replay_range))
        .routes(routes!(releases::list, editorial::create))
        .routes(routes!(releases::csv))
        .routes(routes!(releases::jsonl))
        .routes(routes!(
            releases::item,
            editorial::replace,
            editorial::patch,
            editorial::delete
        ))
        .routes(routes!(editorial::publish))
        .routes(routes!(editorial::unpublish))
        .routes(routes!(editorial::schedule))
        .routes(routes!(editorial::revisions))
        .routes(routes!(editorial::restore))
        .routes(routes!(
            editorial::list_translations,
            editorial::create_translation
        ))
        .routes(routes!(
            editorial::translation,
            editorial::replace_translation,
            editorial::patch_translation,
            editorial::delete_translation
        ))
        .routes(routes!(editorial::editorial_list))
        .routes(routes!(editorial::audit_log))
        .routes(routes!(editorial::audit_log_jsonl))
        .routes(routes!(meetings::list, editorial::create_meeting))
        .routes(routes!(meetings::csv))
        .routes(routes!(meetings::jsonl))
        .routes(routes!(
            meetings::item,
            editorial::replace_meeting,
            editorial::patch_meeting,
            editorial::delete_meeting
        ))
        .routes(routes!(people::list, editorial::create_person))
        .routes(routes!(people::csv))
        .routes(routes!(people::jsonl))
        .routes(routes!(
            people::item,
            editorial::replace_person,
            editorial::patch_person,
            editorial::delete_person
        ))
        .routes(routes!(structure::org_units, editorial::create_org_unit))
        .routes(routes!(structure::org_units_csv))
        .routes(routes!(structure::org_units_jsonl))
        .routes(routes!(
            structure::org_unit,
            editorial::replace_org_unit,
            editorial::patch_org_unit,
            editorial::delete_org_unit
        ))
        .routes(routes!(
            structure::fields_of_work,
            editorial::create_field_of_work
        ))
        .routes(routes!(structure::fields_of_work_csv))
        .routes(routes!(structure::fields_of_work_jsonl))
        .routes(routes!(
            structure::field_of_work,
            editorial::replace_field_of_work,
            editorial::patch_field_of_work,
            editorial::delete_field_of_work
        ))
        .routes(routes!(structure::countries, editorial::create_country))
        .routes(routes!(structure::countries_csv))
        .routes(routes!(structure::countries_jsonl))
        .routes(routes!(
            structure::country,
            editorial::replace_country,
            editorial::patch_country,
            editorial::delete_country
        ))
}

/// The OpenAPI 3.1 document of the REST API, as served and checked in
/// (`osce-api openapi --output openapi.json` rewrites the snapshot).
pub fn openapi_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = api().into_openapi();
        document_common_errors(&mut doc);
        #[allow(
            clippy::expect_used,
            reason = "the document is plain data with string keys, which serde_json always serialises"
        )]
        let mut text = doc
            .to_pretty_json()
            .expect("the OpenAPI document serialises");
        text.push('\n');
        text
    })
}

/// Any operation may answer 429 (when rate limits are set) and 503 (while
/// the database is out of reach); said once here rather than on every handler.
fn document_common_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        Content, Header, HeaderBuilder, ObjectBuilder, Ref, Response, ResponseBuilder, Type,
    };
    let seconds = |description: &str| -> Header {
        HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::Integer))
            .description(Some(description))
            .build()
    };
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .header("Retry-After", seconds("Seconds to wait before retrying."))
            .content(
                "application/json",
                Content::new(Some(Ref::from_schema_name("Error"))),
            )
    };
    let too_many: Response =
        error("Over the client's rate limit (`rate_limited`); retry after `Retry-After` seconds.")
            .header(
                "RateLimit-Limit",
                seconds("Requests the client may make per minute."),
            )
            .header(
                "RateLimit-Remaining",
                seconds("Requests left in the budget."),
            )
            .header(
                "RateLimit-Reset",
                seconds("Seconds until the budget is whole again."),
            )
            .build();
    let unavailable: Response = error(
        "The database is out of reach for now (`service_unavailable`); retry after `Retry-After` seconds.",
    )
    .build();
    for item in doc.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.head,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let responses = &mut operation.responses.responses;
            for (status, response) in [("429", &too_many), ("503", &unavailable)] {
                responses
                    .entry(status.to_string())
                    .or_insert_with(|| response.clone().into());
            }
        }
    }
}

pub fn router() -> Router<AppState> {
    let (router, _) = api().split_for_parts();
    router
        .route("/api/v1/openapi.json", get(serve_openapi))
        .route("/api/v1/{*path}", any(no_such_endpoint))
}

async fn serve_openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json()).into_response()
}

async fn no_such_endpoint() -> ApiError {
    ApiError::not_found("no such endpoint; see /api/v1/openapi.json")
}

/// `limit`: 1 to 100, 20 by default.
fn limit(params: &mut QueryParams) -> Result<usize, ApiError> {
    Ok(params.integer("limit", 1, 100, 20)? as usize)
}

/// `cursor`, decoded; a cursor from another list or mangled is a 400.
fn cursor<T>(
    params: &mut QueryParams,
    decode: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, ApiError> {
    params
        .one("cursor")?
        .map(|c| {
            decode(&c).ok_or_else(|| {
                ApiError::bad_parameter("cursor", format!("invalid cursor {c:?} for this list"))
            })
        })
        .transpose()
}

/// The key in an item URL; a malformed one is a JSON 400 like any other.
fn path_key(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(key)| key)
        .map_err(|e| ApiError::bad_parameter("path", e.body_text()))
}

/// A page of a list read whole (taxonomy, structure: a few dozen rows),
/// ordered by its key; the cursor is the last key given.
fn page_by_key<T: Resource>(
    items: Vec<T>,
    key: impl Fn(&T) -> &str,
    after: Option<String>,
    limit: usize,
    fields: &Fields,
    next: impl Fn(&str) -> String,
) -> Result<Response, ApiError> {
    let mut rest = items
        .into_iter()
        .filter(|item| after.as_deref().is_none_or(|a| key(item) > a));
    let page: Vec<T> = rest.by_ref().take(limit).collect();
    let more = rest.next().is_some();
    let next = more
        .then(|| page.last().map(|last| next(key(last))))
        .flatten();
    let items = page
        .iter()
        .map(|item| fields.project(item))
        .collect::<Result<Vec<Projected>, _>>()?;
    Ok(repr::page(items, next, None))
}
