//! GraphQL over HTTP: `POST /graphql`, `GET /graphql` for queries (so that
//! caches can keep them), GraphiQL for browsers. The body is read here, not
//! by async-graphql-axum, so that its size is bounded before it is read;
//! every refusal is a GraphQL error with a stable `extensions.code`.
//!
//! Status codes follow the GraphQL-over-HTTP spec: a request that cannot run
//! at all (unreadable body, parse or validation error, a limit) gets a 4xx,
//! one that ran gets 200 even with field errors. Responses are
//! `application/graphql-response+json` when the client accepts it,
//! `application/json` otherwise.

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{BatchRequest, ErrorExtensionValues, ServerError, Value};
use axum::{
    Extension, Router,
    body::Body,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};

use super::AppState;
use super::ratelimit::{Client, RATE_LIMITED, Verdict};
use crate::graphql::error::SERVICE_UNAVAILABLE;
use crate::graphql::{RequestedCost, limits, new_loader};
use crate::metrics::ErrorCode;
use crate::query::RETRY_AFTER_SECS;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

pub fn router() -> Router<AppState> {
    Router::new().route("/graphql", get(get_graphql).post(post_graphql))
}

fn accepts(headers: &HeaderMap, media_type: &str) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(media_type))
}

/// A response holding only errors, with the given status.
fn refusal(headers: &HeaderMap, status: StatusCode, code: &'static str, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    });
    let mut response = json_response(
        headers,
        status,
        serde_json::to_vec(&body).unwrap_or_default(),
    );
    response.extensions_mut().insert(ErrorCode(code));
    response
}

fn json_response(headers: &HeaderMap, status: StatusCode, body: Vec<u8>) -> Response {
    let content_type = if accepts(headers, GRAPHQL_RESPONSE) {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

async fn get_graphql(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    RawQuery(query): RawQuery,
) -> Response {
    let client = client.map(|Extension(client)| client);
    let query = query.unwrap_or_default();
    if query.is_empty() {
        if accepts(&headers, "text/html") {
            return Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response();
        }
        return refusal(
            &headers,
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "give a `query` parameter, or open this URL in a browser for GraphiQL",
        );
    }
    match async_graphql::http::parse_query_string(&query) {
        Ok(request) => {
            execute_batch(
                &state,
                &headers,
                client,
                BatchRequest::Single(request),
                true,
            )
            .await
        }
        Err(error) => refusal(
            &headers,
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            &format!("the query string is not a GraphQL request: {error}"),
        ),
    }
}

async fn post_graphql(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    body: Body,
) -> Response {
    let client = client.map(|Extension(client)| client);
    // Only JSON: a text/plain, form or multipart POST is a "simple" request
    // that a browser sends cross-site without a CORS preflight (CSRF).
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence != "application/json" {
        return refusal(
            &headers,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the request as `Content-Type: application/json`",
        );
    }
    let max_body = state.limits.max_body_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        refusal(
            &headers,
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            &format!("the request body may be at most {max_body} bytes"),
        )
    };
    if declared.is_some_and(|n| n > max_body as u64) {
        return too_large();
    }
    let bytes = match axum::body::to_bytes(body, max_body).await {
        Ok(bytes) => bytes,
        Err(_) => return too_large(),
    };
    let batch: BatchRequest = match serde_json::from_slice(&bytes) {
        Ok(batch) => batch,
        Err(error) => {
            return refusal(
                &headers,
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!(
                    "the body is not a GraphQL request (JSON with a `query`): {}",
                    json_problem(&error)
                ),
            );
        }
    };
    if let BatchRequest::Batch(requests) = &batch
        && (requests.is_empty() || requests.len() > state.limits.max_batch)
    {
        return refusal(
            &headers,
            StatusCode::BAD_REQUEST,
            "BATCH_TOO_LARGE",
            &format!(
                "a batch holds 1 to {} operations, this one {}",
                state.limits.max_batch,
                requests.len()
            ),
        );
    }
    execute_batch(&state, &headers, client, batch, false).await
}

/// serde_json's error without the Rust type names it sometimes mentions.
fn json_problem(error: &serde_json::Error) -> String {
    match error.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => format!(
            "invalid JSON at line {} column {}",
            error.line(),
            error.column()
        ),
        serde_json::error::Category::Io => "the body could not be read".into(),
        serde_json::error::Category::Data => format!(
            "unexpected JSON at line {} column {} (expected an object with `query`, \
             optional `variables` object and `operationName` string)",
            error.line(),
            error.column()
        ),
    }
}

fn coded_error(code: &str, message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", code);
    error.extensions = Some(extensions);
    error
}

async fn execute_batch(
    state: &AppState,
    headers: &HeaderMap,
    client: Option<Client>,
    batch: BatchRequest,
    over_get: bool,
) -> Response {
    let (single, requests) = match batch {
        BatchRequest::Single(request) => (true, vec![request]),
        BatchRequest::Batch(requests) => (false, requests),
    };
    let mut responses = Vec::new();
    let mut any_ran = false;
    let mut cost = None;
    for request in requests {
        let (response, ran) = execute_one(state, request, over_get, client, &mut cost).await;
        any_ran |= ran;
        responses.push(response);
    }
    let body = if single {
        serde_json::to_vec(&responses[0])
    } else {
        serde_json::to_vec(&responses)
    };
    let body = match body {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "cannot serialise a GraphQL response");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // The database out of reach is the server's problem, not the
    // request's: 503 with `Retry-After`, whatever else the response holds,
    // so that clients and load balancers back off.
    let (mut unavailable, mut rate_limited) = (false, false);
    for error in responses.iter().flat_map(|r| &r.errors) {
        let code = error_code(error);
        unavailable |= code == Some(SERVICE_UNAVAILABLE);
        rate_limited |= code == Some(RATE_LIMITED);
        state.metrics.error(code.unwrap_or("NONE"));
    }
    let status = if unavailable {
        StatusCode::SERVICE_UNAVAILABLE
    } else if rate_limited {
        StatusCode::TOO_MANY_REQUESTS
    } else if any_ran {
        StatusCode::OK
    } else if responses
        .iter()
        .flat_map(|r| &r.errors)
        .any(|e| error_code(e) == Some("METHOD_NOT_ALLOWED"))
    {
        StatusCode::METHOD_NOT_ALLOWED
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut response = json_response(headers, status, body);
    // The cost budget is what binds a GraphQL client: its headers win over
    // the request budget's (which the middleware adds only when absent).
    if let Some(cost) = cost {
        cost.write_headers(response.headers_mut());
    }
    if unavailable {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    }
    response
}

fn error_code(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        Value::String(code) => Some(code),
        _ => None,
    }
}

/// The name of the operation that will run, for metrics: the one asked
/// for if the document has it, or the document's only operation's; `None`
/// for an anonymous one.
fn operation_name(document: &ExecutableDocument, wanted: Option<&str>) -> Option<String> {
    let mut operations = document.operations.iter();
    match wanted {
        Some(wanted) => operations
            .find_map(|(name, _)| name.filter(|n| n.as_str() == wanted))
            .map(|n| n.to_string()),
        None => match (operations.next(), operations.next()) {
            (Some((name, _)), None) => name.map(|n| n.to_string()),
            _ => None,
        },
    }
}

/// Runs one operation; `false` when it could not run at all (a request error).
async fn execute_one(
    state: &AppState,
    mut request: async_graphql::Request,
    over_get: bool,
    client: Option<Client>,
    cost: &mut Option<Verdict>,
) -> (async_graphql::Response, bool) {
    let refused = |code: &str, message: String| {
        (
            async_graphql::Response::from_errors(vec![coded_error(code, message)]),
            false,
        )
    };
    let (document, stats) = match limits::check(&request.query, &request.variables, &state.limits) {
        Ok(checked) => checked,
        Err(error) => return refused(error.code, error.message),
    };
    if over_get
        && document.operations.iter().any(|(name, operation)| {
            operation.node.ty != OperationType::Query
                && request
                    .operation_name
                    .as_deref()
                    .is_none_or(|wanted| name.map(|n| n.as_str()) == Some(wanted))
        })
    {
        return refused(
            "METHOD_NOT_ALLOWED",
            "only queries may be sent with GET; use POST".into(),
        );
    }
    // Charged before running, on the requested cost: the budget bounds
    // what a client may ask of the service, whatever the result.
    if let (Some(limiter), Some(client)) = (state.rate_limiter.as_deref(), client)
        && let Some(verdict) = limiter.take_cost(client, stats.cost)
    {
        // A refusal's verdict is the one reported, even if a later
        // operation of the batch fitted.
        if cost.is_none_or(|earlier| earlier.allowed) {
            *cost = Some(verdict);
        }
        if !verdict.allowed {
            return refused(
                RATE_LIMITED,
                format!(
                    "the query's cost ({}) is more than this client may still spend this minute \
                     ({} of {}); retry in {} s",
                    stats.cost, verdict.remaining, verdict.limit, verdict.retry_after
                ),
            );
        }
    }
    let operation = operation_name(&document, request.operation_name.as_deref());
    request.set_parsed_query(document);
    let request = request.data(new_loader(
        state.db.clone(),
        state.catalog.clone(),
        state.release_index.clone(),
        state.loader_delay,
    ));
    let cost = RequestedCost {
        requested: stats.cost,
        limit: state.limits.max_cost,
    };
    let started = std::time::Instant::now();
    let mut response = state.schema.execute(request).await;
    state
        .metrics
        .operation(operation.as_deref(), started.elapsed());
    // A request error (validation) has no data and no error with a path; a
    // field error that nulled the whole result still ran.
    let ran = !(response.is_err()
        && response.data == Value::Null
        && response.errors.iter().all(|e| e.path.is_empty()));
    if !ran {
        for error in &mut response.errors {
            if error_code(error).is_none() {
                error
                    .extensions
                    .get_or_insert_with(Default::default)
                    .set("code", "GRAPHQL_VALIDATION_FAILED");
            }
        }
    }
    if ran {
        response = cost.report(response);
    }
    (response, ran)
}
