//! Editors' reads: revisions, the list of releases of any status, and the
//! audit log.

use axum::{
    Extension, Json,
    extract::{Path, RawQuery, State, rejection::PathRejection},
    http::header,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::super::docs::{AuditPageDoc, EditorialPageDoc, ErrorDoc, RevisionListDoc};
use super::{caller, limit_param, private, refused, slug_of};
use crate::http::auth::Caller;
use crate::http::{AppState, error::ApiError, params::QueryParams};
use crate::service::editorial::Status;
use crate::service::editorial::releases;

/// Revisions of a press release
///
/// Every save, newest first (scope `read:drafts`).
#[utoipa::path(
    get,
    path = "/api/v1/press-releases/{slug}/revisions",
    tag = "editing",
    params(("slug" = String, Path, description = "The release's slug.")),
    responses(
        (status = 200, description = "The revisions.", body = RevisionListDoc),
        (status = 400, description = "The slug is malformed.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `read:drafts` scope.", body = ErrorDoc),
        (status = 404, description = "No release has this slug.", body = ErrorDoc),
    )
)]
pub async fn revisions(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::ReadDrafts) {
        return refused(error);
    }
    let run = async {
        let slug = slug_of(path)?;
        releases::revisions(&state.db, &actor, &slug)
            .await
            .map_err(ApiError::from)
    };
    match run.await {
        Ok(revisions) => {
            let items: Vec<Value> = revisions
                .into_iter()
                .map(|r| {
                    json!({
                        "version": r.version,
                        "action": r.action,
                        "actor": r.actor,
                        "changed": r.changed,
                        "created_at": crate::model::rfc3339::format(&r.created_at),
                        "record": r.record,
                    })
                })
                .collect();
            private(Json(json!({ "items": items })).into_response())
        }
        Err(error) => error.into_response(),
    }
}

/// An editor's list of press releases
///
/// Releases of any status, in slug order (scope `read:drafts`):
/// `status=draft,scheduled` lists what is not public yet.
#[utoipa::path(
    get,
    path = "/api/v1/editorial/press-releases",
    tag = "editing",
    params(
        ("status" = Option<String>, Query, description = "Comma-separated: draft, scheduled, published, unpublished (all when left out)."),
        ("limit" = Option<u32>, Query, description = "Items per page, 1 to 500 (default 50)."),
        ("after" = Option<String>, Query, description = "The slug after which the page starts (from `next`)."),
    ),
    responses(
        (status = 200, description = "One page.", body = EditorialPageDoc),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `read:drafts` scope.", body = ErrorDoc),
    )
)]
pub async fn editorial_list(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    RawQuery(query): RawQuery,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::ReadDrafts) {
        return refused(error);
    }
    let run = async {
        let mut params = QueryParams::parse(query.as_deref());
        let statuses = match params.one("status")? {
            None => Vec::new(),
            Some(text) => text
                .split(',')
                .map(|s| {
                    Status::parse(s.trim()).ok_or_else(|| {
                        ApiError::bad_parameter(
                            "status",
                            format!("unknown status {s:?}; known: draft, scheduled, published, unpublished"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        let limit = limit_param(&mut params, 50, 500)?;
        let after = params.one("after")?;
        params.finish()?;
        let rows =
            releases::list(&state.db, &actor, &statuses, after.as_deref(), limit + 1).await?;
        let more = rows.len() as u64 > limit;
        let items: Vec<Value> = rows
            .iter()
            .take(limit as usize)
            .map(|r| {
                json!({
                    "slug": r.slug, "title": r.title, "status": r.status,
                    "publish_at": r.publish_at.map(|t| crate::model::rfc3339::format(&t)),
                    "version": r.version,
                    "updated_at": crate::model::rfc3339::format(&r.updated_at),
                })
            })
            .collect();
        let next = more
            .then(|| rows.get(limit as usize - 1))
            .flatten()
            .map(|last| {
                let mut url = form_urlencoded::Serializer::new(String::new());
                if !statuses.is_empty() {
                    let list: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
                    url.append_pair("status", &list.join(","));
                }
                url.append_pair("limit", &limit.to_string());
                url.append_pair("after", &last.slug);
                format!("/api/v1/editorial/press-releases?{}", url.finish())
            });
        Ok::<_, ApiError>(json!({ "items": items, "next": next }))
    };
    match run.await {
        Ok(page) => private(Json(page).into_response()),
        Err(error) => error.into_response(),
    }
}

/// The audit log
///
/// Every write, oldest first (scope `admin`); page with `after`.
#[utoipa::path(
    get,
    path = "/api/v1/audit-log",
    tag = "editing",
    params(
        ("after" = Option<i64>, Query, description = "The id after which the page starts (from `next`)."),
        ("limit" = Option<u32>, Query, description = "Entries per page, 1 to 1000 (default 100)."),
    ),
    responses(
        (status = 200, description = "One page.", body = AuditPageDoc),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
    )
)]
pub async fn audit_log(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    RawQuery(query): RawQuery,
) -> Response {
    audit(state, caller_ext, query, false).await
}

/// Export the audit log as JSON Lines
///
/// Every entry after `after`, oldest first, one JSON object a line (scope `admin`).
#[utoipa::path(
    get,
    path = "/api/v1/audit-log.jsonl",
    tag = "editing",
    params(("after" = Option<i64>, Query, description = "Only entries after this id.")),
    responses(
        (status = 200, description = "JSON Lines.", content_type = "application/x-ndjson", body = String),
        (status = 400, description = "A parameter the API cannot use.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `admin` scope.", body = ErrorDoc),
    )
)]
pub async fn audit_log_jsonl(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    RawQuery(query): RawQuery,
) -> Response {
    audit(state, caller_ext, query, true).await
}

async fn audit(
    state: AppState,
    caller_ext: Option<Extension<Caller>>,
    query: Option<String>,
    jsonl: bool,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::Admin) {
        return refused(error);
    }
    let run = async {
        let mut params = QueryParams::parse(query.as_deref());
        let after = match params.one("after")? {
            None => 0,
            Some(text) => text
                .parse::<i64>()
                .map_err(|_| ApiError::bad_parameter("after", "after is an entry's id"))?,
        };
        if jsonl {
            params.finish()?;
            let mut out = Vec::new();
            let mut after = after;
            loop {
                let page = releases::audit_log(&state.db, &actor, after, 1_000).await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for entry in &page {
                    serde_json::to_writer(&mut out, entry).map_err(|e| ApiError::internal(&e))?;
                    out.push(b'\n');
                }
            }
            let response = (
                [
                    (header::CONTENT_TYPE, "application/x-ndjson"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"audit-log.jsonl\"",
                    ),
                ],
                out,
            )
                .into_response();
            return Ok(private(response));
        }
        let limit = limit_param(&mut params, 100, 1_000)?;
        params.finish()?;
        let page = releases::audit_log(&state.db, &actor, after, limit).await?;
        let next = (page.len() as u64 == limit)
            .then(|| page.last())
            .flatten()
            .map(|last| format!("/api/v1/audit-log?after={}&limit={limit}", last.id));
        Ok::<_, ApiError>(private(
            Json(json!({ "items": page, "next": next })).into_response(),
        ))
    };
    match run.await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}
