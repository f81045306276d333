//! Editors' writes of meetings, people (with their roles), units, fields of
//! work and countries: `POST` on the collection, `PUT`, `PATCH` and
//! `DELETE` on the item. These are public as soon as saved (scopes `write`
//! and `publish`; `delete` to delete). `PUT`, `PATCH` and `DELETE` need
//! `If-Match` with the version the editor saw; the item's `GET` sends it as
//! `ETag`.

use axum::{
    Extension, Json,
    body::Bytes,
    extract::{Path, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::super::docs::{CountryDoc, ErrorDoc, FieldOfWorkDoc, MeetingDoc, OrgUnitDoc, PersonDoc};
use super::{
    caller, idempotency_of, if_match, json_object, refused, replayed, slug_of, with_current_etag,
};
use crate::http::auth::Caller;
use crate::http::{AppState, error::ApiError};
use crate::model::RecordKind;
use crate::service::auth::Scope;
use crate::service::editorial::records::{self, Created, EditorialRecord};

/// A saved record, with its version as `ETag`; never cached.
fn saved(status: StatusCode, record: &EditorialRecord) -> Response {
    let mut response = (status, Json(record.to_json())).into_response();
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", record.version)) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Sets an item's `ETag` to its record's version (for `If-Match`); a
/// failure to read it leaves the answer without one.
pub async fn with_version(state: &AppState, kind: RecordKind, key: &str, response: &mut Response) {
    if let Ok(version) = records::version_of(&state.db, kind, key).await
        && let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\""))
    {
        response.headers_mut().insert(header::ETAG, etag);
    }
}

async fn create(
    state: AppState,
    caller_ext: Option<Extension<Caller>>,
    headers: HeaderMap,
    body: Bytes,
    kind: RecordKind,
    collection: &str,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor
        .require(Scope::Write)
        .and_then(|_| actor.require(Scope::Publish))
    {
        return refused(error);
    }
    let fields = match json_object(&headers, &body) {
        Ok(fields) => fields,
        Err(error) => return error.into_response(),
    };
    let idempotency = match idempotency_of(&headers, collection, &body) {
        Ok(idempotency) => idempotency,
        Err(error) => return error.into_response(),
    };
    match records::create(
        &state.db,
        &actor,
        kind,
        &fields,
        idempotency,
        state.clock.now(),
    )
    .await
    {
        Ok(Created::New(record)) => {
            let mut response = saved(StatusCode::CREATED, &record);
            if let Ok(location) = HeaderValue::from_str(&format!("{collection}/{}", record.key)) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Ok(Created::Replayed(stored)) => replayed(&stored),
        Err(error) => refused(error),
    }
}

async fn edit(
    state: AppState,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
    kind: RecordKind,
    replace: bool,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor
        .require(Scope::Write)
        .and_then(|_| actor.require(Scope::Publish))
    {
        return refused(error);
    }
    let run = async {
        let key = slug_of(path)?;
        let fields = json_object(&headers, &body)?;
        let expected = expected(&state, &headers, kind, &key).await?;
        records::save(
            &state.db,
            &actor,
            kind,
            Some(&key),
            Some(expected),
            &fields,
            replace,
            state.clock.now(),
        )
        .await
        .map_err(ApiError::from)
    };
    match run.await {
        Ok(record) => saved(StatusCode::OK, &record),
        Err(error) => with_current_etag(error),
    }
}

async fn expected(
    state: &AppState,
    headers: &HeaderMap,
    kind: RecordKind,
    key: &str,
) -> Result<i64, ApiError> {
    // Only the version, by the revision index: the save reads the record.
    let stored = Some(records::version_of(&state.db, kind, key).await?);
    if_match(headers, || stored)
}

async fn delete(
    state: AppState,
    caller_ext: Option<Extension<Caller>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    kind: RecordKind,
) -> Response {
    let actor = caller(caller_ext).actor();
    if let Err(error) = actor.require(Scope::Delete) {
        return refused(error);
    }
    let run = async {
        let key = slug_of(path)?;
        let expected = expected(&state, &headers, kind, &key).await?;
        records::delete(&state.db, &actor, kind, &key, expected, state.clock.now())
            .await
            .map_err(ApiError::from)
    };
    match run.await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => with_current_etag(error),
    }
}

/// The four writes of one resource, documented for the OpenAPI document.
macro_rules! record_writes {
    (
        $kind:expr, $doc:ty, $collection:literal, $item:literal, $key:literal, $noun:literal,
        $create:ident, $replace:ident, $patch:ident, $delete:ident
    ) => {
        #[utoipa::path(
            post,
            path = $collection,
            tag = "editing",
            summary = concat!("Create a ", $noun),
            description = "Public at once (scopes `write` and `publish`). Fields as the interchange format names them.",
            request_body(content = $doc, content_type = "application/json"),
            params(("Idempotency-Key" = Option<String>, Header, description = "A key of the client's making (at most 255 characters): the same key and body again is answered as the first time.")),
            responses(
                (status = 201, description = "Created, with its `version`.", body = $doc,
                    headers(("ETag" = String, description = "The version."), ("Location" = String, description = "Its URL."))),
                (status = 400, description = "The body is not a JSON object.", body = ErrorDoc),
                (status = 401, description = "No valid API key.", body = ErrorDoc),
                (status = 403, description = "The key lacks a scope this needs.", body = ErrorDoc),
                (status = 415, description = "Not JSON.", body = ErrorDoc),
                (status = 409, description = "The key is taken.", body = ErrorDoc),
                (status = 422, description = "Fields that are not valid (`details.fields`), or a reused Idempotency-Key.", body = ErrorDoc),
            )
        )]
        pub async fn $create(
            State(state): State<AppState>,
            caller: Option<Extension<Caller>>,
            headers: HeaderMap,
            body: Bytes,
        ) -> Response {
            create(state, caller, headers, body, $kind, $collection).await
        }

        #[utoipa::path(
            put,
            path = $item,
            tag = "editing",
            summary = concat!("Replace a ", $noun),
            description = "The whole record as it should read (scopes `write` and `publish`).",
            request_body(content = $doc, content_type = "application/json"),
            params(($key = String, Path, description = "The key."),
                ("If-Match" = String, Header, description = "The ETag of the version edited.")),
            responses(
                (status = 200, description = "Saved.", body = $doc, headers(("ETag" = String, description = "The new version."))),
                (status = 400, description = "The body or If-Match cannot be read.", body = ErrorDoc),
                (status = 401, description = "No valid API key.", body = ErrorDoc),
                (status = 403, description = "The key lacks a scope this needs.", body = ErrorDoc),
                (status = 404, description = "No such record.", body = ErrorDoc),
                (status = 412, description = "It changed since (`details.current_version`).", body = ErrorDoc),
                (status = 415, description = "Not JSON.", body = ErrorDoc),
                (status = 422, description = "Fields that are not valid (`details.fields`).", body = ErrorDoc),
                (status = 428, description = "If-Match is missing.", body = ErrorDoc),
            )
        )]
        pub async fn $replace(
            State(state): State<AppState>,
            caller: Option<Extension<Caller>>,
            path: Result<Path<String>, PathRejection>,
            headers: HeaderMap,
            body: Bytes,
        ) -> Response {
            edit(state, caller, path, headers, body, $kind, true).await
        }

        #[utoipa::path(
            patch,
            path = $item,
            tag = "editing",
            summary = concat!("Change fields of a ", $noun),
            description = "A JSON Merge Patch of the record's fields (scopes `write` and `publish`); `null` clears a field.",
            request_body(content = $doc, content_type = "application/merge-patch+json"),
            params(($key = String, Path, description = "The key."),
                ("If-Match" = String, Header, description = "The ETag of the version edited.")),
            responses(
                (status = 200, description = "Saved.", body = $doc, headers(("ETag" = String, description = "The new version."))),
                (status = 400, description = "The body or If-Match cannot be read.", body = ErrorDoc),
                (status = 401, description = "No valid API key.", body = ErrorDoc),
                (status = 403, description = "The key lacks a scope this needs.", body = ErrorDoc),
                (status = 404, description = "No such record.", body = ErrorDoc),
                (status = 412, description = "It changed since (`details.current_version`).", body = ErrorDoc),
                (status = 415, description = "Not JSON.", body = ErrorDoc),
                (status = 422, description = "Fields that are not valid (`details.fields`).", body = ErrorDoc),
                (status = 428, description = "If-Match is missing.", body = ErrorDoc),
            )
        )]
        pub async fn $patch(
            State(state): State<AppState>,
            caller: Option<Extension<Caller>>,
            path: Result<Path<String>, PathRejection>,
            headers: HeaderMap,
            body: Bytes,
        ) -> Response {
            edit(state, caller, path, headers, body, $kind, false).await
        }

        #[utoipa::path(
            delete,
            path = $item,
            tag = "editing",
            summary = concat!("Delete a ", $noun),
            description = "For good (scope `delete`); refused (409) while anything refers to it, naming what.",
            params(($key = String, Path, description = "The key."),
                ("If-Match" = String, Header, description = "The ETag of the version deleted.")),
            responses(
                (status = 204, description = "Deleted."),
                (status = 400, description = "If-Match cannot be read.", body = ErrorDoc),
                (status = 401, description = "No valid API key.", body = ErrorDoc),
                (status = 403, description = "The key lacks the `delete` scope.", body = ErrorDoc),
                (status = 404, description = "No such record.", body = ErrorDoc),
                (status = 409, description = "Something refers to it.", body = ErrorDoc),
                (status = 412, description = "It changed since.", body = ErrorDoc),
                (status = 428, description = "If-Match is missing.", body = ErrorDoc),
            )
        )]
        pub async fn $delete(
            State(state): State<AppState>,
            caller: Option<Extension<Caller>>,
            path: Result<Path<String>, PathRejection>,
            headers: HeaderMap,
        ) -> Response {
            delete(state, caller, path, headers, $kind).await
        }
    };
}

record_writes!(
    RecordKind::Meeting,
    MeetingDoc,
    "/api/v1/meetings",
    "/api/v1/meetings/{slug}",
    "slug",
    "meeting",
    create_meeting,
    replace_meeting,
    patch_meeting,
    delete_meeting
);
record_writes!(
    RecordKind::Person,
    PersonDoc,
    "/api/v1/people",
    "/api/v1/people/{slug}",
    "slug",
    "person",
    create_person,
    replace_person,
    patch_person,
    delete_person
);
record_writes!(
    RecordKind::OrgUnit,
    OrgUnitDoc,
    "/api/v1/org-units",
    "/api/v1/org-units/{slug}",
    "slug",
    "unit",
    create_org_unit,
    replace_org_unit,
    patch_org_unit,
    delete_org_unit
);
record_writes!(
    RecordKind::FieldOfWork,
    FieldOfWorkDoc,
    "/api/v1/fields-of-work",
    "/api/v1/fields-of-work/{slug}",
    "slug",
    "field of work",
    create_field_of_work,
    replace_field_of_work,
    patch_field_of_work,
    delete_field_of_work
);
record_writes!(
    RecordKind::Country,
    CountryDoc,
    "/api/v1/countries",
    "/api/v1/countries/{code}",
    "code",
    "country",
    create_country,
    replace_country,
    patch_country,
    delete_country
);
