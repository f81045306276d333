//! The translations of a release as resources of their own:
//! `/api/v1/press-releases/{slug}/translations[/{language}]`. Each has its
//! own version (`ETag`), so a translator and the release's editor never
//! overwrite each other; `PUT`, `PATCH` and `DELETE` need `If-Match`.

use axum::{
    Extension, Json,
    body::Bytes,
    extract::{Path, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::super::docs::{
    EditorialTranslationDoc, EditorialTranslationListDoc, ErrorDoc, TranslationInputDoc,
};
use super::{caller, if_match, json_object, refused, slug_of, with_current_etag};
use crate::http::auth::Caller;
use crate::http::{AppState, error::ApiError};
use crate::service::editorial::translations::{self, EditorialTranslation, Expect};

/// A translation with its version as `ETag`; never cached (readers ask for
/// a language with `?locale=` on the release).
fn answer(status: StatusCode, translation: &EditorialTranslation) -> Response {
    let mut response = (status, Json(translation.to_json())).into_response();
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", translation.version)) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn item_path(
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<(String, String), ApiError> {
    path.map(|Path(parts)| parts)
        .map_err(|e| ApiError::bad_parameter("path", e.body_text()))
}

/// List a release's translations
///
/// Each with its version. Anyone may read those of a public release;
/// a draft's need `read:drafts`.
#[utoipa::path(
    get,
    path = "/api/v1/press-releases/{slug}/translations",
    tag = "editing",
    params(("slug" = String, Path, description = "The release's slug.")),
    responses(
        (status = 200, description = "The translations, by language.", body = EditorialTranslationListDoc),
        (status = 400, description = "The path cannot be read.", body = ErrorDoc),
        (status = 404, description = "No release has this slug (or it is a draft and the key may not read drafts).", body = ErrorDoc),
    )
)]
pub async fn list_translations(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let actor = caller(caller_ext).actor();
    let run = async {
        let slug = slug_of(path)?;
        translations::list(&state.db, &actor, &slug, state.clock.now())
            .await
            .map_err(ApiError::from)
    };
    match run.await {
        Ok(items) => {
            let items: Vec<Value> = items.iter().map(EditorialTranslation::to_json).collect();
            let mut response = Json(json!({ "items": items })).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => error.into_response(),
    }
}

/// Add a translation
///
/// Adds the release's text in one more language (scope `write`, and
/// `publish` if the release is public or scheduled). The body names the
/// `language`; it must not be the release's own or one it has already.
#[utoipa::path(
    post,
    path = "/api/v1/press-releases/{slug}/translations",
    tag = "editing",
    request_body(content = TranslationInputDoc, content_type = "application/json"),
    params(("slug" = String, Path, description = "The release's slug.")),
    responses(
        (status = 201, description = "Added, at version 1 (or on from a removed one's).", body = EditorialTranslationDoc,
            headers(("ETag" = String, description = "The translation's version."), ("Location" = String, description = "The translation's URL."))),
        (status = 400, description = "The body is not a JSON object.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks a scope this needs.", body = ErrorDoc),
        (status = 404, description = "No release has this slug.", body = ErrorDoc),
        (status = 409, description = "The release has this language already (`wrong_state`).", body = ErrorDoc),
        (status = 415, description = "Not JSON.", body = ErrorDoc),
        (status = 422, description = "Fields that are not valid (`details.fields`).", body = ErrorDoc),
    )
)]
pub async fn create_translation(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::Write) {
        return refused(error);
    }
    let run = async {
        let slug = slug_of(path)?;
        let mut fields = json_object(&headers, &body)?;
        let language = match fields.remove("language") {
            Some(Value::String(language)) => language,
            _ => {
                return Err(ApiError::from(
                    crate::service::editorial::EditError::Invalid(vec![
                        crate::service::editorial::FieldError {
                            field: "language".into(),
                            message: "is required: the language tag of the translation".into(),
                        },
                    ]),
                ));
            }
        };
        translations::save(
            &state.db,
            &actor,
            &slug,
            &language,
            Expect::New,
            &fields,
            true,
            state.clock.now(),
        )
        .await
        .map_err(ApiError::from)
    };
    match run.await {
        Ok(translation) => {
            let mut response = answer(StatusCode::CREATED, &translation);
            if let Ok(location) = HeaderValue::from_str(&format!(
                "/api/v1/press-releases/{}/translations/{}",
                translation.slug, translation.translation.language
            )) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Err(error) => error.into_response(),
    }
}

/// Read a translation
///
/// With its version as `ETag`, for `If-Match`.
#[utoipa::path(
    get,
    path = "/api/v1/press-releases/{slug}/translations/{language}",
    tag = "editing",
    params(("slug" = String, Path, description = "The release's slug."),
        ("language" = String, Path, description = "The translation's language tag.")),
    responses(
        (status = 200, description = "The translation.", body = EditorialTranslationDoc,
            headers(("ETag" = String, description = "The translation's version."))),
        (status = 400, description = "The path cannot be read.", body = ErrorDoc),
        (status = 404, description = "No such release or no translation into this language.", body = ErrorDoc),
    )
)]
pub async fn translation(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let actor = caller(caller_ext).actor();
    let run = async {
        let (slug, language) = item_path(path)?;
        translations::get(&state.db, &actor, &slug, &language, state.clock.now())
            .await
            .map_err(ApiError::from)
    };
    match run.await {
        Ok(translation) => answer(StatusCode::OK, &translation),
        Err(error) => error.into_response(),
    }
}

/// Replace a translation
///
/// The whole translation as it should read (scope `write`, and `publish` if
/// the release is public or scheduled). The release's version stays.
#[utoipa::path(
    put,
    path = "/api/v1/press-releases/{slug}/translations/{language}",
    tag = "editing",
    request_body(content = TranslationInputDoc, content_type = "application/json"),
    params(("slug" = String, Path, description = "The release's slug."),
        ("language" = String, Path, description = "The translation's language tag."),
        ("If-Match" = String, Header, description = "The ETag of the translation's version edited.")),
    responses(
        (status = 200, description = "Saved.", body = EditorialTranslationDoc, headers(("ETag" = String, description = "The new version."))),
        (status = 400, description = "The body or If-Match cannot be read.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks a scope this needs.", body = ErrorDoc),
        (status = 404, description = "No such release or translation.", body = ErrorDoc),
        (status = 412, description = "The translation changed since (`details.current_version`).", body = ErrorDoc),
        (status = 415, description = "Not JSON.", body = ErrorDoc),
        (status = 422, description = "Fields that are not valid (`details.fields`).", body = ErrorDoc),
        (status = 428, description = "If-Match is missing.", body = ErrorDoc),
    )
)]
pub async fn replace_translation(
    state: State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    edit(state, caller_ext, path, headers, body, true).await
}

/// Change fields of a translation
///
/// A JSON Merge Patch (RFC 7396) of the translation's fields (scope
/// `write`, and `publish` if the release is public or scheduled).
#[utoipa::path(
    patch,
    path = "/api/v1/press-releases/{slug}/translations/{language}",
    tag = "editing",
    request_body(content = TranslationInputDoc, content_type = "application/merge-patch+json"),
    params(("slug" = String, Path, description = "The release's slug."),
        ("language" = String, Path, description = "The translation's language tag."),
        ("If-Match" = String, Header, description = "The ETag of the translation's version edited.")),
    responses(
        (status = 200, description = "Saved.", body = EditorialTranslationDoc, headers(("ETag" = String, description = "The new version."))),
        (status = 400, description = "The body or If-Match cannot be read.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks a scope this needs.", body = ErrorDoc),
        (status = 404, description = "No such release or translation.", body = ErrorDoc),
        (status = 412, description = "The translation changed since (`details.current_version`).", body = ErrorDoc),
        (status = 415, description = "Not JSON.", body = ErrorDoc),
        (status = 422, description = "Fields that are not valid (`details.fields`).", body = ErrorDoc),
        (status = 428, description = "If-Match is missing.", body = ErrorDoc),
    )
)]
pub async fn patch_translation(
    state: State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    edit(state, caller_ext, path, headers, body, false).await
}

async fn edit(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
    replace: bool,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::Write) {
        return refused(error);
    }
    let run = async {
        let (slug, language) = item_path(path)?;
        let fields = json_object(&headers, &body)?;
        let expected = expected(&state, &headers, &slug, &language).await?;
        translations::save(
            &state.db,
            &actor,
            &slug,
            &language,
            Expect::Version(expected),
            &fields,
            replace,
            state.clock.now(),
        )
        .await
        .map_err(ApiError::from)
    };
    match run.await {
        Ok(translation) => answer(StatusCode::OK, &translation),
        Err(error) => with_current_etag(error),
    }
}

/// Remove a translation
///
/// The release stays, in its other languages (scope `delete`); the change
/// log and webhooks say which language went.
#[utoipa::path(
    delete,
    path = "/api/v1/press-releases/{slug}/translations/{language}",
    tag = "editing",
    params(("slug" = String, Path, description = "The release's slug."),
        ("language" = String, Path, description = "The translation's language tag."),
        ("If-Match" = String, Header, description = "The ETag of the translation's version removed.")),
    responses(
        (status = 204, description = "Removed."),
        (status = 400, description = "If-Match cannot be read.", body = ErrorDoc),
        (status = 401, description = "No valid API key.", body = ErrorDoc),
        (status = 403, description = "The key lacks the `delete` scope.", body = ErrorDoc),
        (status = 404, description = "No such release or translation.", body = ErrorDoc),
        (status = 412, description = "The translation changed since (`details.current_version`).", body = ErrorDoc),
        (status = 428, description = "If-Match is missing.", body = ErrorDoc),
    )
)]
pub async fn delete_translation(
    State(state): State<AppState>,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(crate::service::auth::Scope::Delete) {
        return refused(error);
    }
    let run = async {
        let (slug, language) = item_path(path)?;
        let expected = expected(&state, &headers, &slug, &language).await?;
        translations::delete(
            &state.db,
            &actor,
            &slug,
            &language,
            expected,
            state.clock.now(),
        )
        .await
        .map_err(ApiError::from)
    };
    match run.await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => with_current_etag(error),
    }
}

/// The version `If-Match` names; `*` reads the stored one.
async fn expected(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
    language: &str,
) -> Result<i64, ApiError> {
    let stored = Some(translations::version_of(&state.db, slug, language).await?);
    if_match(headers, || stored)
}
