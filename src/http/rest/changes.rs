//! `GET /api/v1/changes`: the changes feed as JSON pages (long-polled with
//! `wait`) or as Server-Sent Events (`Accept: text/event-stream`, resumed
//! from `Last-Event-ID`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::{
    Json,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use serde_json::json;

use super::super::{AppState, error::ApiError, params::QueryParams};
use super::docs::{ChangesPageDoc, ErrorDoc};
use crate::model::RecordKind;
use crate::model::change::FeedEntry;
use crate::service::changes::{
    self, ChangesError, Cursor, DEFAULT_LIMIT, MAX_LIMIT, MAX_WAIT_SECS,
};

impl From<ChangesError> for ApiError {
    fn from(error: ChangesError) -> Self {
        let message = error.to_string();
        match error {
            ChangesError::BadCursor(_) => ApiError::bad_parameter("after", message),
            ChangesError::Expired => ApiError::new(StatusCode::GONE, "cursor_expired", message)
                .with_details(json!({ "resync": true })),
            ChangesError::Database(cause) => cause.into(),
        }
    }
}

/// What a feed request asks for.
struct FeedRequest {
    cursor: Option<Cursor>,
    limit: u64,
    kinds: Vec<RecordKind>,
    wait: Duration,
    stream: bool,
}

fn parse(
    state: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<FeedRequest, ApiError> {
    let mut params = QueryParams::parse(query);
    let after = params.one("after")?;
    let limit = params.integer("limit", 1, MAX_LIMIT as u32, DEFAULT_LIMIT as u32)?;
    let kinds = changes::parse_kinds(&params.list("types").join(","))
        .map_err(|message| ApiError::bad_parameter("types", message))?;
    let wait = params.integer("wait", 0, MAX_WAIT_SECS as u32, 0)?;
    params.finish()?;
    let stream = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"));
    // A reconnecting event stream says where it stopped.
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| stream && !v.trim().is_empty());
    let cursor = resume
        .or(after.as_deref())
        .map(Cursor::decode)
        .transpose()
        .map_err(ApiError::from)?;
    // A long-poll answers before the request timeout would cut it off.
    let ceiling = state.request_timeout.saturating_sub(Duration::from_secs(1));
    Ok(FeedRequest {
        cursor,
        limit: limit.into(),
        kinds,
        wait: Duration::from_secs(wait.into()).min(ceiling),
        stream,
    })
}

/// The changes feed
///
/// What changed in the public content, oldest first: `upsert` (the record
/// now reads as the API serves it; fetch it by `type` and `key`) or `delete`
/// (a tombstone, with `reason` `deleted` or `unpublished`). Without `after`,
/// the first page of a snapshot: every public record once, then the changes
/// after it. Follow `next`; at the head, `has_more` is false and `next`
/// still moves you on. `wait` long-polls; `Accept: text/event-stream` gets
/// Server-Sent Events (each `id` is a cursor, resumed from `Last-Event-ID`).
/// A cursor older than the tombstones kept gets 410 `cursor_expired`: start
/// again without one.
#[utoipa::path(
    get,
    path = "/api/v1/changes",
    tag = "changes",
    params(
        ("after" = Option<String>, Query, description = "The cursor to go on from (`next` of the last page); leave out to start a snapshot."),
        ("limit" = Option<u32>, Query, description = "Items per page, 1 to 1000 (default 100)."),
        ("types" = Option<String>, Query, description = "Comma-separated record types (press_release, meeting, person, role, org_unit, field_of_work, country, chairpersonship); tombstones of these types are included."),
        ("wait" = Option<u32>, Query, description = "Seconds to wait for a change when there is none yet (0 to 60, capped below the request timeout)."),
    ),
    responses(
        (status = 200, description = "One page, or an event stream (`text/event-stream`).", body = ChangesPageDoc),
        (status = 400, description = "A parameter the API cannot use (`bad_parameter`, `unknown_parameter`).", body = ErrorDoc),
        (status = 410, description = "The cursor is older than the tombstones kept (`cursor_expired`): start again without `after`.", body = ErrorDoc),
    )
)]
pub async fn changes(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let request = match parse(&state, &headers, query.as_deref()) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    // A scheduled release whose time has come is published (and so enters
    // the feed) before the feed is read, as on any read.
    state.settle_schedule().await;
    if request.stream {
        return stream(state, request).await;
    }
    let page = changes::page_or_wait(
        &state.db,
        &state.feed_watch,
        request.cursor,
        request.limit,
        &request.kinds,
        request.wait,
    )
    .await;
    match page {
        Ok(page) => {
            let items: Vec<_> = page.entries.iter().map(FeedEntry::to_json).collect();
            let mut response = Json(json!({
                "items": items,
                "next": page.next.encode(),
                "has_more": page.has_more,
            }))
            .into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => ApiError::from(error).into_response(),
    }
}

/// How long an event stream waits for changes before looking again (the
/// keep-alive comments go out meanwhile).
const STREAM_WAIT: Duration = Duration::from_secs(25);

async fn stream(state: AppState, request: FeedRequest) -> Response {
    // The first page is read before answering, so a bad or expired cursor
    // is a 4xx rather than an event in a 200 stream.
    let first = match changes::page(&state.db, request.cursor, request.limit, &request.kinds).await
    {
        Ok(page) => page,
        Err(error) => return ApiError::from(error).into_response(),
    };
    struct Reader {
        state: AppState,
        kinds: Vec<RecordKind>,
        limit: u64,
        position: Cursor,
        buffered: VecDeque<FeedEntry>,
        failed: bool,
    }
    let reader = Reader {
        state,
        kinds: request.kinds,
        limit: request.limit,
        position: first.next,
        buffered: first.entries.into(),
        failed: false,
    };
    let start = request.cursor.unwrap_or(first.next);
    let events = futures::stream::unfold((reader, start), |(mut reader, mut at)| async move {
        loop {
            if reader.failed {
                return None;
            }
            if let Some(entry) = reader.buffered.pop_front() {
                at = at.past(&entry);
                let event = Event::default()
                    .id(at.encode())
                    .event("change")
                    .data(entry.to_json().to_string());
                return Some((Ok::<_, Infallible>(event), (reader, at)));
            }
            let page = changes::page_or_wait(
                &reader.state.db,
                &reader.state.feed_watch,
                Some(reader.position),
                reader.limit,
                &reader.kinds,
                STREAM_WAIT,
            )
            .await;
            match page {
                Ok(page) => {
                    reader.position = page.next;
                    reader.buffered = page.entries.into();
                }
                Err(error) => {
                    reader.failed = true;
                    let error = ApiError::from(error);
                    let event = Event::default()
                        .event("error")
                        .data(json!({ "code": error.code, "message": error.message }).to_string());
                    return Some((Ok(event), (reader, at)));
                }
            }
        }
    });
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
