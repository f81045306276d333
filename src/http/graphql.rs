//! GraphQL over HTTP: `POST /graphql`, `GET /graphql` for queries (cacheable),
//! GraphiQL for browsers. Responses follow the GraphQL-over-HTTP spec:
//! `application/graphql-response+json` when the client accepts it (request
//! errors then get a 400), `application/json` otherwise.

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::GraphQLRequest;
use axum::{
    Router,
    extract::{FromRequest, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};

use super::AppState;
use crate::graphql::new_loader;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

pub fn router() -> Router<AppState> {
    Router::new().route("/graphql", get(get_graphql).post(post_graphql))
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

async fn get_graphql(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let has_query = request
        .uri()
        .query()
        .is_some_and(|q| q.contains("query=") || q.contains("extensions="));
    match has_query {
        true => match GraphQLRequest::from_request(request, &state).await {
            Ok(request) => execute(state, &headers, request).await,
            Err(rejection) => rejection.into_response(),
        },
        false if wants_html(&headers) => Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response(),
        _ => (
            StatusCode::BAD_REQUEST,
            axum::Json(serde_json::json!({ "errors": [{ "message": "give a `query` parameter, or open this URL in a browser for GraphiQL", "extensions": { "code": "BAD_REQUEST" } }] })),
        )
            .into_response(),
    }
}

async fn post_graphql(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> Response {
    execute(state, &headers, request).await
}

async fn execute(state: AppState, headers: &HeaderMap, request: GraphQLRequest) -> Response {
    let request = request
        .into_inner()
        .data(new_loader(state.db.clone(), state.loader_delay));
    let response = state.schema.execute(request).await;
    let accepts_graphql_response = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE));
    // A request error (parse, validation) has no data at all.
    let request_error = response.is_err() && response.data == async_graphql::Value::Null;
    let status = if accepts_graphql_response && request_error {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let content_type = if accepts_graphql_response {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    let body = match serde_json::to_vec(&response) {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "cannot serialise a GraphQL response");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut http = (status, body).into_response();
    http.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    http
}
