//! Embeds for partner sites: the list page for an `<iframe>`
//! (`/embed/press-releases`), the `<osce-press-releases>` custom element
//! (`/embed.js`, which reads the GraphQL API), and a release's own page
//! (`/press-releases/{slug}`), where feed and embed links lead. The list
//! and the page are served in the language asked for, like the feeds.

use std::sync::{Arc, LazyLock};

use axum::{
    Router,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, HeaderName, header},
    response::Response,
    routing::get,
};

use super::AppState;
use super::error::ApiError;
use super::feeds::{localized_filter, rendered, respond};
use super::locale::language_headers;
use super::params::QueryParams;
use crate::feeds::{self, FeedRequest, Format, Scope, Theme, cache::Rendered, html};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/embed/press-releases", get(embed_page))
        .route("/embed.js", get(embed_js))
        .route("/press-releases/{slug}", get(release_page))
}

const HTML_HEADERS: &[(HeaderName, &str)] = &[
    (
        header::CONTENT_SECURITY_POLICY,
        html::CONTENT_SECURITY_POLICY,
    ),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
];

async fn embed_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut params = QueryParams::parse(query.as_deref());
    let (keys, preference) = localized_filter(&mut params, &state, &headers)?;
    let count = params.integer("count", 1, feeds::MAX_LIMIT, html::DEFAULT_COUNT)?;
    let theme = match params.one("theme")? {
        None => Theme::Light,
        Some(value) => Theme::parse(&value).ok_or_else(|| {
            ApiError::bad_parameter(
                "theme",
                format!("`theme` must be light, dark or auto, got {value:?}"),
            )
        })?,
    };
    params.finish()?;
    let request = FeedRequest::new(Scope::All, keys, count);
    let page = rendered(&state, &request, Format::Embed(theme)).await?;
    let mut response = respond(&page, &headers, state.feeds.max_age, HTML_HEADERS);
    language_headers(
        response.headers_mut(),
        preference.locale.as_str(),
        &preference,
    );
    Ok(response)
}

/// The custom element's script: fixed for a build, so its validator is too.
static EMBED_JS: LazyLock<Rendered> = LazyLock::new(|| {
    Rendered::new(
        include_str!("embed.js").as_bytes().to_vec(),
        "text/javascript; charset=utf-8",
        None,
    )
});

async fn embed_js(State(state): State<AppState>, headers: HeaderMap) -> Response {
    respond(
        &EMBED_JS,
        &headers,
        state.feeds.max_age,
        &[(header::X_CONTENT_TYPE_OPTIONS, "nosniff")],
    )
}

async fn release_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut params = QueryParams::parse(query.as_deref());
    // One release: its best language unless `fallback` says otherwise.
    let preference = params.locale(&headers, &state.locales, None)?;
    params.finish()?;
    state.settle_schedule().await;
    let item = feeds::load_release(&state.db, &slug, &state.feeds, &preference).await?;
    let page = Arc::new(Rendered::new(
        html::release_page(&item).into_bytes(),
        Format::Embed(Theme::Auto).content_type(),
        Some(item.updated),
    ));
    let mut response = respond(&page, &headers, state.feeds.max_age, HTML_HEADERS);
    language_headers(response.headers_mut(), &item.language, &preference);
    Ok(response)
}
