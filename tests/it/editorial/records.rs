//! Editors' writes of meetings, people and their roles, units, fields of
//! work, countries and Chairpersonships, over REST and GraphQL.

use axum::http::Method;
use serde_json::{Value, json};

use super::{Newsroom, call, graphql_as};
use crate::support::{Backend, import_text};

async fn meetings_are_written_versioned_and_kept_whole(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("desk", "write,publish,delete").await;
    let app = &room.app;
    let meeting = json!({
        "slug": "ministerial-council-vienna-2026", "title": "Ministerial Council",
        "kind": "ministerial-council", "start": "2026-12-03", "end": "2026-12-04",
        "place": "Vienna", "country": "AT", "fields_of_work": ["arms-control"],
    });
    let auth = format!("Bearer {key}");
    let headers = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
        ("idempotency-key", "meeting-1"),
    ];
    let reply = app
        .request(
            Method::POST,
            "/api/v1/meetings",
            &headers,
            meeting.to_string(),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.json()["version"], 1);
    // A retry is answered as the first time; the same key taken again
    // without one is a conflict.
    let retry = app
        .request(
            Method::POST,
            "/api/v1/meetings",
            &headers,
            meeting.to_string(),
        )
        .await;
    assert_eq!(retry.status, 201);
    assert_eq!(retry.header("idempotent-replayed"), "true");
    assert_eq!(retry.json(), reply.json());
    let taken = call(
        app,
        Method::POST,
        "/api/v1/meetings",
        Some(&key),
        None,
        meeting.clone(),
    )
    .await;
    assert_eq!(taken.status, 409, "{}", taken.text());
    assert_eq!(taken.json()["error"]["code"], "slug_taken");
    let uri = "/api/v1/meetings/ministerial-council-vienna-2026";
    let public = app.get(uri).await;
    assert_eq!(public.status, 200);
    assert_eq!(public.json()["place"], "Vienna");
    assert_eq!(public.header("etag"), "\"1\"");

    let reply = call(
        app,
        Method::PATCH,
        uri,
        Some(&key),
        Some(1),
        json!({ "place": null, "title": "OSCE Ministerial Council" }),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["version"], 2);
    let public = app.get(uri).await.json();
    assert_eq!(public["title"], "OSCE Ministerial Council");
    assert!(public["place"].is_null());
    let stale = call(
        app,
        Method::PATCH,
        uri,
        Some(&key),
        Some(1),
        json!({ "title": "Stale" }),
    )
    .await;
    assert_eq!(stale.status, 412);
    assert_eq!(stale.json()["error"]["details"]["current_version"], 2);

    // Every bad field named; nothing written.
    let before = (
        room.count("meeting").await,
        room.count("revision").await,
        room.count("content_change").await,
    );
    let bad = json!({ "slug": "x-y", "title": "", "kind": "tea-party", "start": "2026-02-30",
        "end": "2026-01-01", "country": "ZZ", "colour": 1 });
    let reply = call(app, Method::POST, "/api/v1/meetings", Some(&key), None, bad).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let fields: Vec<String> = reply.json()["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    for expected in ["kind", "start", "colour"] {
        assert!(
            fields.iter().any(|f| f == expected),
            "{expected} not in {fields:?}"
        );
    }
    let after = (
        room.count("meeting").await,
        room.count("revision").await,
        room.count("content_change").await,
    );
    assert_eq!(before, after);
    let reply = call(app, Method::POST, "/api/v1/meetings", Some(&key), None,
        json!({ "slug": "m-2026", "title": "M", "kind": "ministerial-council", "start": "2026-02-02",
                "end": "2026-01-01", "country": "ZZ" })).await;
    assert_eq!(reply.status, 422);
    let fields = reply.json()["error"]["details"]["fields"].to_string();
    assert!(
        fields.contains("\"end\"") && fields.contains("\"country\""),
        "{fields}"
    );

    // A meeting a release names cannot be deleted; one no release names can.
    let referenced = "/api/v1/meetings/minsk-group-co-chairs-geneva-2020-10-29";
    let reply = call(
        app,
        Method::DELETE,
        referenced,
        Some(&key),
        Some(1),
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 409, "{}", reply.text());
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("press release")
    );
    let reply = call(app, Method::DELETE, uri, Some(&key), Some(2), Value::Null).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_eq!(app.get(uri).await.status, 404);
    room.cleanup().await;
}

async fn people_units_and_taxonomy_through_graphql(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("desk", "write,publish,delete").await;
    let app = &room.app;
    let run = |query: &'static str, variables: Value| {
        let key = key.clone();
        async move {
            let body = graphql_as(app, Some(&key), query, variables).await;
            assert!(body.get("errors").is_none(), "{body}");
            body["data"].clone()
        }
    };
    // A person with a role; then their roles replaced.
    let created = run(
        "mutation { createPerson(input: {slug: \"ana-example\", name: \"Ana Example\", roles: [{orgUnit: \"chairpersonship\", title: \"Special Representative\", from: \"2026-01-01\"}]}) { version person { name roles { title from to } } } }",
        json!({}),
    )
    .await;
    assert_eq!(created["createPerson"]["version"], 1);
    assert_eq!(
        created["createPerson"]["person"]["roles"][0]["title"],
        "Special Representative"
    );
    let updated = run(
        "mutation { updatePerson(slug: \"ana-example\", expectedVersion: 1, input: {roles: [{orgUnit: \"chairpersonship\", title: \"Special Representative\", from: \"2026-01-01\", to: \"2026-06-30\"}, {orgUnit: \"chairpersonship\", title: \"Envoy\", from: \"2026-07-01\"}]}) { version person { roles { title to } } } }",
        json!({}),
    )
    .await;
    assert_eq!(updated["updatePerson"]["version"], 2);
    let roles = updated["updatePerson"]["person"]["roles"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(roles, 2);
    let public = app
        .graphql_data(
            "{ person(slug: \"ana-example\") { roles { title } } }",
            json!({}),
        )
        .await;
    assert_eq!(public["person"]["roles"].as_array().unwrap().len(), 2);

    // A unit created, then closed.
    run("mutation { createOrgUnit(input: {slug: \"mission-to-example\", name: \"Mission to Example\", kind: FIELD_OPERATION, parent: \"chairpersonship\", country: \"AT\"}) { version } }", json!({})).await;
    let closed = run("mutation { closeOrgUnit(slug: \"mission-to-example\", expectedVersion: 1, on: \"2026-12-31\") { version orgUnit { closedOn } } }", json!({})).await;
    assert_eq!(closed["closeOrgUnit"]["orgUnit"]["closedOn"], "2026-12-31");
    assert_eq!(closed["closeOrgUnit"]["version"], 2);
    // A unit cannot be its own ancestor.
    let body = graphql_as(app, Some(&key), "mutation { updateOrgUnit(slug: \"chairpersonship\", expectedVersion: 1, input: {parent: \"mission-to-example\"}) { version } }", json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["fields"][0]["field"],
        "parent"
    );

    // Taxonomy and Chairpersonships.
    let field = run("mutation { createFieldOfWork(input: {slug: \"space-security\", name: \"Space security\"}) { version fieldOfWork { name } } }", json!({})).await;
    assert_eq!(
        field["createFieldOfWork"]["fieldOfWork"]["name"],
        "Space security"
    );
    let country = run("mutation { updateCountry(code: \"AT\", expectedVersion: 1, input: {name: \"Republic of Austria\"}) { version country { name } } }", json!({})).await;
    assert_eq!(
        country["updateCountry"]["country"]["name"],
        "Republic of Austria"
    );
    let chair = run("mutation { createChairpersonship(input: {year: 2031, country: \"AT\"}) { version chairpersonship { year } } }", json!({})).await;
    assert_eq!(
        chair["createChairpersonship"]["chairpersonship"]["year"],
        2031
    );
    let body = graphql_as(
        app,
        Some(&key),
        "mutation { deleteCountry(code: \"AT\", expectedVersion: 2) { key } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INVALID_STATE",
        "{body}"
    );
    let deleted = run("mutation { deleteFieldOfWork(slug: \"space-security\", expectedVersion: 1) { key deletedVersion } }", json!({})).await;
    assert_eq!(deleted["deleteFieldOfWork"]["deletedVersion"], 1);

    // A key with `write` alone cannot change public content.
    let writer = room.key("writer", "write").await;
    let body = graphql_as(
        app,
        Some(&writer),
        "mutation { createFieldOfWork(input: {slug: \"x\", name: \"X\"}) { version } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    room.cleanup().await;
}

/// An import that changes a record moves its version: an editor holding
/// the one before is refused.
async fn an_import_moves_versions(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("desk", "write,publish").await;
    let uri = "/api/v1/fields-of-work/arms-control";
    assert_eq!(room.app.get(uri).await.header("etag"), "\"1\"");
    import_text(&room.db.conn, "{\"type\":\"field_of_work\",\"slug\":\"arms-control\",\"name\":\"Arms control and disarmament\"}\n").await;
    assert_eq!(room.app.get(uri).await.header("etag"), "\"2\"");
    let reply = call(
        &room.app,
        Method::PATCH,
        uri,
        Some(&key),
        Some(1),
        json!({ "name": "Arms control" }),
    )
    .await;
    assert_eq!(reply.status, 412, "{}", reply.text());
    room.cleanup().await;
}

crate::backend_tests!(
    meetings_are_written_versioned_and_kept_whole,
    people_units_and_taxonomy_through_graphql,
    an_import_moves_versions
);
