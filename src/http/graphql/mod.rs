//! GraphQL over HTTP: `POST /graphql`, `GET /graphql` for queries (so that
//! caches can keep them), GraphiQL for browsers (`super::graphiql`). The
//! body is read here, not by async-graphql-axum, so that its size is
//! bounded before it is read; every refusal is a GraphQL error with a
//! stable `extensions.code`.
//!
//! Status codes follow the GraphQL-over-HTTP spec: a request that cannot run
//! at all (unreadable body, parse or validation error, a limit) gets a 4xx,
//! one that ran gets 200 even with field errors. Responses are
//! `application/graphql-response+json` when the client accepts it,
//! `application/json` otherwise.

mod answer;
mod cache;
mod execute;

pub use cache::{CachedAnswer, ResponseCache};
use cache::{cache_control, cache_key, etag_of};
use execute::{Shape, answer, respond};

use super::AppState;
use super::auth::Caller;
use super::graphiql;
use super::ratelimit::Client;
use crate::graphql::editorial::Editor;
use crate::http::metrics::ErrorCode;
use async_graphql::{BatchRequest, ErrorExtensionValues, ServerError};
use axum::{
    Extension, Router,
    body::Body,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

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

fn json_response(headers: &HeaderMap, status: StatusCode, body: impl Into<Body>) -> Response {
    let content_type = if accepts(headers, GRAPHQL_RESPONSE) {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    let mut response = (status, body.into()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The editor behind a request (anonymous without a key), for resolvers.
fn editor(state: &AppState, caller: Option<Extension<Caller>>) -> Editor {
    Editor {
        actor: caller.map(|Extension(c)| c).unwrap_or_default().actor(),
        clock: state.clock.clone(),
        webhooks: state.webhooks.clone(),
    }
}

async fn get_graphql(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    caller: Option<Extension<Caller>>,
    RawQuery(query): RawQuery,
) -> Response {
    let client = client.map(|Extension(client)| client);
    let editor = editor(&state, caller);
    let mut response =
        answer_get(&state, &headers, client, editor, query.unwrap_or_default()).await;
    // Refusals are not for keeping.
    if !response.status().is_success() && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    // What comes back (GraphiQL, or JSON of one media type or another)
    // follows `Accept`: caches must keep one copy per value.
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept"));
    response
}

async fn answer_get(
    state: &AppState,
    headers: &HeaderMap,
    client: Option<Client>,
    editor: Editor,
    query: String,
) -> Response {
    if query.is_empty() {
        if accepts(headers, "text/html") {
            return graphiql::page();
        }
        return refusal(
            headers,
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "give a `query` parameter, or open this URL in a browser for GraphiQL",
        );
    }
    let request = match parse_query_string(&query) {
        Ok(request) => request,
        Err(problem) => {
            return refusal(
                headers,
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("the query string is not a GraphQL request: {problem}"),
            );
        }
    };
    let mut cost = None;
    let answer = answer(
        state,
        request.data(editor),
        true,
        client,
        &mut cost,
        accept_language(headers),
    )
    .await;
    let varies = answer.varies_by_language;
    with_language_vary(
        respond(state, headers, vec![answer], Shape::Get, cost),
        varies,
    )
}

/// A GraphQL GET request's parameters (GraphQL over HTTP: `query`,
/// `operationName`, and `variables` and `extensions` as JSON). Read here
/// because async-graphql's reader expects `operation_name`.
fn parse_query_string(raw: &str) -> Result<async_graphql::Request, String> {
    let (mut query, mut operation_name, mut variables, mut extensions) = (None, None, None, None);
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        let slot = match key.as_ref() {
            "query" => &mut query,
            "operationName" => &mut operation_name,
            "variables" => &mut variables,
            "extensions" => &mut extensions,
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(format!("`{key}` is given twice"));
        }
    }
    let mut request = async_graphql::Request::new(query.unwrap_or_default());
    request.operation_name = operation_name.filter(|name| !name.is_empty());
    if let Some(variables) = variables.filter(|v| !v.is_empty()) {
        request.variables = serde_json::from_str(&variables)
            .map_err(|e| format!("`variables` is not a JSON object: {}", json_problem(&e)))?;
    }
    if let Some(extensions) = extensions.filter(|v| !v.is_empty()) {
        request.extensions = serde_json::from_str(&extensions)
            .map_err(|e| format!("`extensions` is not a JSON object: {}", json_problem(&e)))?;
    }
    Ok(request)
}

async fn post_graphql(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    caller: Option<Extension<Caller>>,
    body: Body,
) -> Response {
    let client = client.map(|Extension(client)| client);
    let editor = editor(&state, caller);
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
    let (shape, requests) = match batch {
        BatchRequest::Single(request) => (Shape::Post, vec![request]),
        BatchRequest::Batch(requests) => (Shape::Batch, requests),
    };
    let mut cost = None;
    let mut answers = Vec::with_capacity(requests.len());
    for request in requests {
        answers.push(
            answer(
                &state,
                request.data(editor.clone()),
                false,
                client,
                &mut cost,
                accept_language(&headers),
            )
            .await,
        );
    }
    let varies = answers.iter().any(|a| a.varies_by_language);
    with_language_vary(respond(&state, &headers, answers, shape, cost), varies)
}

fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
}

/// An answer whose language `Accept-Language` decided says so to caches.
fn with_language_vary(mut response: Response, varies: bool) -> Response {
    if varies {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-language"));
    }
    response
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
