//! GraphiQL, for a browser's `GET /graphql`: a page of ours that loads
//! pinned production builds of React, ReactDOM and GraphiQL compiled into
//! the binary (`vendor/`, whose README says where they come from), so it
//! works offline and under a strict Content-Security-Policy: nothing is
//! loaded from another origin, no script is inline, and the one style
//! element GraphiQL adds (the scroll lock of its dialogs) must carry the
//! page's nonce.
//!
//! Assets are served at `/graphql/assets/{hash}/{name}`, `{hash}` a hash of
//! their bytes: what a path names never changes, so browsers keep it for a
//! year without asking again. The page itself is made afresh for each
//! request (its nonce) and not kept.

use std::sync::LazyLock;

use axum::{
    Router,
    body::Body,
    extract::Path,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use base64::{Engine, engine::general_purpose::STANDARD};

use super::AppState;
use super::error::ApiError;
use super::feeds::if_none_match;

pub fn router() -> Router<AppState> {
    Router::new().route("/graphql/assets/{hash}/{name}", get(asset))
}

/// The page's policy: only this origin's scripts, style sheets and GraphQL
/// endpoint; images and fonts also as `data:` URLs (GraphiQL's style sheet
/// embeds its fonts so); style elements only with the page's nonce.
fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; \
         connect-src 'self'; img-src 'self' data:; font-src 'self' data:; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// A file the page loads, fixed at build time.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
    /// A hash of the bytes: the path's `{hash}`, and (quoted) the ETag.
    hash: String,
}

macro_rules! asset {
    ($path:literal, $content_type:expr) => {{
        let name = match $path.rsplit_once('/') {
            Some((_, name)) => name,
            None => $path,
        };
        let body = include_str!($path).as_bytes();
        Asset {
            name,
            content_type: $content_type,
            body,
            hash: format!("{:016x}", xxhash_rust::xxh3::xxh3_64(body)),
        }
    }};
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    vec![
        asset!("vendor/react.production.min.js", JS),
        asset!("vendor/react-dom.production.min.js", JS),
        asset!("vendor/graphiql.min.js", JS),
        asset!("vendor/graphiql.min.css", CSS),
        asset!("mount.js", JS),
        asset!("page.css", CSS),
    ]
});

/// `page.html`, each `{name}` replaced by its asset's path (`{nonce}` is
/// left for each response).
static PAGE: LazyLock<String> = LazyLock::new(|| {
    let mut page = include_str!("page.html").to_string();
    for asset in ASSETS.iter() {
        let path = format!("/graphql/assets/{}/{}", asset.hash, asset.name);
        page = page.replace(&format!("{{{}}}", asset.name), &path);
    }
    page
});

/// The GraphiQL page, with a nonce of its own: `mount.js` hands it to the
/// code that adds the style element (`window.__webpack_nonce__`).
pub fn page() -> Response {
    let nonce = STANDARD.encode(rand::random::<[u8; 18]>());
    let mut response = Body::from(PAGE.replace("{nonce}", &nonce)).into_response();
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        out.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn asset(Path((hash, name)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let Some(asset) = ASSETS
        .iter()
        .find(|asset| asset.name == name && asset.hash == hash)
    else {
        // Perhaps another version's (a page from a replica not yet, or no
        // longer, running this build): not for keeping.
        let mut response =
            ApiError::not_found(format!("no GraphiQL asset {hash}/{name} here")).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    };
    let etag = format!("\"{}\"", asset.hash);
    let mut response = if if_none_match(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut ok = Body::from(asset.body).into_response();
        let out = ok.headers_mut();
        out.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
        out.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        ok
    };
    let out = response.headers_mut();
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, etag);
    }
    response
}
