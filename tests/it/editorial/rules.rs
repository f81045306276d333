//! The rules every write keeps: one winner among writers of the same
//! version, validation that names every bad field and writes nothing,
//! idempotent creates, sanitised HTML, and keys that are never stored.

use axum::http::Method;
use serde_json::{Value, json};

use super::{Newsroom, act, call, create, release};
use crate::support::{Backend, export_string};

async fn two_writers_with_one_version_one_wins(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("desk", "read:drafts,write,publish").await;
    let slug = "contested-release";
    let version = create(&room.app, &key, slug, "Contested").await;
    let version = act(&room.app, &key, slug, "publish", version).await;
    let other = room.replica();
    let uri = format!("/api/v1/press-releases/{slug}");
    let (a, b) = tokio::join!(
        call(
            &room.app,
            Method::PATCH,
            &uri,
            Some(&key),
            Some(version),
            json!({ "title": "Title A" })
        ),
        call(
            &other,
            Method::PATCH,
            &uri,
            Some(&key),
            Some(version),
            json!({ "title": "Title B" })
        ),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412], "{} / {}", a.text(), b.text());
    let (winner, loser) = if a.status == 200 { (a, b) } else { (b, a) };
    let current = winner.json()["version"].as_i64().unwrap();
    assert_eq!(current, version + 1);
    assert_eq!(loser.json()["error"]["code"], "version_mismatch");
    assert_eq!(loser.json()["error"]["details"]["current_version"], current);
    assert_eq!(loser.header("etag"), format!("\"{current}\""));
    let title = winner.json()["title"].clone();
    assert_eq!(room.app.get(&uri).await.json()["title"], title);

    // Without If-Match: 428; with a malformed one: 400.
    let reply = call(
        &room.app,
        Method::PATCH,
        &uri,
        Some(&key),
        None,
        json!({ "title": "x" }),
    )
    .await;
    assert_eq!(reply.status, 428);
    assert_eq!(reply.json()["error"]["code"], "precondition_required");
    let reply = room
        .app
        .request(
            Method::PATCH,
            &uri,
            &[
                ("authorization", &format!("Bearer {key}")),
                ("if-match", "W/\"abc\""),
                ("content-type", "application/json"),
            ],
            "{}",
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text());

    // GraphQL: a stale expectedVersion is VERSION_CONFLICT.
    let body = super::graphql_as(
        &room.app,
        Some(&key),
        "mutation($slug: String!, $v: Int!) { updatePressRelease(slug: $slug, expectedVersion: $v, input: {title: \"Late\"}) { version } }",
        json!({ "slug": slug, "v": version }),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "VERSION_CONFLICT",
        "{body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["currentVersion"], current);
    room.cleanup().await;
}

/// What a refused write must leave alone: content, revisions, audit, log.
async fn snapshot(room: &Newsroom) -> (String, i64, i64, i64, i64) {
    (
        export_string(&room.db.conn).await,
        room.count("press_release").await,
        room.count("revision").await,
        room.count("audit_log").await,
        room.count("content_change").await,
    )
}

async fn every_bad_field_is_named_and_nothing_is_written(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("desk", "read:drafts,write,publish").await;
    let slug = "the-good-one";
    let version = create(&room.app, &key, slug, "A good one").await;
    let before = snapshot(&room).await;

    let bad = json!({
        "slug": "Not A Slug",
        "date": "2026-13-45",
        "source": "no-such-unit",
        "fields_of_work": ["arms-control", "arms-control"],
        "countries": ["XX1"],
        "people": ["nobody-at-all"],
        "language": "english!",
        "body_html": 7,
        "translations": [{ "language": "ru" }],
        "status": "published",
        "colour": "red",
    });
    let reply = call(
        &room.app,
        Method::POST,
        "/api/v1/press-releases",
        Some(&key),
        None,
        bad,
    )
    .await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["error"]["code"], "invalid");
    let fields: Vec<&str> = body["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for expected in [
        "slug",
        "title",
        "date",
        "source",
        "fields_of_work[1]",
        "countries[0]",
        "people[0]",
        "language",
        "body_html",
        "translations[0].title",
        "translations[0].body_html",
        "status",
        "colour",
    ] {
        assert!(
            fields.contains(&expected),
            "{expected} not named in {fields:?}"
        );
    }
    assert_eq!(
        snapshot(&room).await,
        before,
        "a refused create wrote something"
    );

    // The same rules on an edit, and a taken slug, and a slug change.
    let uri = format!("/api/v1/press-releases/{slug}");
    let reply = call(
        &room.app,
        Method::PATCH,
        &uri,
        Some(&key),
        Some(version),
        json!({ "title": "", "meetings": ["no-such-meeting"] }),
    )
    .await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let reply = call(
        &room.app,
        Method::PATCH,
        &uri,
        Some(&key),
        Some(version),
        json!({ "slug": "another-slug" }),
    )
    .await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let reply = call(
        &room.app,
        Method::POST,
        "/api/v1/press-releases",
        Some(&key),
        None,
        super::release(slug, "Again"),
    )
    .await;
    assert_eq!(reply.status, 409, "{}", reply.text());
    assert_eq!(reply.json()["error"]["code"], "slug_taken");
    let reply = room
        .app
        .request(
            Method::POST,
            "/api/v1/press-releases",
            &[
                ("authorization", &format!("Bearer {key}")),
                ("content-type", "text/plain"),
            ],
            "{}",
        )
        .await;
    assert_eq!(reply.status, 415);
    let reply = room
        .app
        .request(
            Method::POST,
            "/api/v1/press-releases",
            &[
                ("authorization", &format!("Bearer {key}")),
                ("content-type", "application/json"),
            ],
            "[1,",
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        snapshot(&room).await,
        before,
        "a refused edit wrote something"
    );

    // GraphQL names the fields as its inputs do.
    let body = super::graphql_as(
        &room.app,
        Some(&key),
        "mutation { createPressRelease(input: {title: \"T\", date: \"2026-12-07\", source: \"nowhere\", fieldsOfWork: [\"nope\"]}) { slug } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    let named: Vec<&str> = body["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(named, ["bodyHtml", "source", "fieldsOfWork[0]"], "{body}");
    assert_eq!(
        snapshot(&room).await,
        before,
        "a refused GraphQL create wrote something"
    );

    // A slug is made from title and date; HTML is sanitised.
    let mut fields = release("x", "Ministers Agree: Türkiye & Austria");
    fields.as_object_mut().unwrap().remove("slug");
    fields["body_html"] = json!("<p onclick=\"x()\">Hi<script>alert(1)</script></p>");
    let reply = call(
        &room.app,
        Method::POST,
        "/api/v1/press-releases",
        Some(&key),
        None,
        fields,
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["slug"], "ministers-agree-turkiye-austria-2026-12-07");
    assert_eq!(body["body_html"], "<p>Hi</p>");
    assert_eq!(
        reply.header("location"),
        "/api/v1/press-releases/ministers-agree-turkiye-austria-2026-12-07"
    );
    room.cleanup().await;
}

async fn a_retried_create_creates_one_release(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("desk", "read:drafts,write").await;
    let auth = format!("Bearer {key}");
    let body = release("retried-release", "Retried").to_string();
    let send = |idempotency: &'static str, body: String| {
        let app = room.app.clone();
        let auth = auth.clone();
        async move {
            app.request(
                Method::POST,
                "/api/v1/press-releases",
                &[
                    ("authorization", &auth),
                    ("content-type", "application/json"),
                    ("idempotency-key", idempotency),
                ],
                body,
            )
            .await
        }
    };
    let (first, second) = tokio::join!(send("k-1", body.clone()), send("k-1", body.clone()));
    let third = send("k-1", body.clone()).await;
    let statuses = [first.status, second.status, third.status];
    assert!(
        statuses.iter().all(|s| *s == 201),
        "{statuses:?}: {} {}",
        first.text(),
        second.text()
    );
    assert_eq!(first.json(), second.json());
    assert_eq!(first.json(), third.json());
    assert_eq!(third.header("idempotent-replayed"), "true");
    let drafts = "/api/v1/editorial/press-releases?status=draft";
    let list = call(
        &room.app,
        Method::GET,
        drafts,
        Some(&key),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(
        list.json()["items"].as_array().unwrap().len(),
        1,
        "{}",
        list.text()
    );
    assert_eq!(room.count("revision WHERE kind = 'press_release'").await, 1);

    // The same key for another request is refused.
    let other = send("k-1", release("another-release", "Another").to_string()).await;
    assert_eq!(other.status, 422, "{}", other.text());
    assert_eq!(other.json()["error"]["code"], "idempotency_key_reused");

    // GraphQL's idempotencyKey too.
    let create = "mutation { createPressRelease(idempotencyKey: \"g-1\", input: {title: \"Via GraphQL\", date: \"2026-12-07\", source: \"chairpersonship\", bodyHtml: \"<p>x</p>\"}) { slug version } }";
    let a = super::graphql_as(&room.app, Some(&key), create, json!({})).await;
    let b = super::graphql_as(&room.app, Some(&key), create, json!({})).await;
    assert_eq!(a, b);
    assert_eq!(
        a["data"]["createPressRelease"]["slug"], "via-graphql-2026-12-07",
        "{a}"
    );
    let list = call(
        &room.app,
        Method::GET,
        drafts,
        Some(&key),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 2);
    room.cleanup().await;
}

async fn keys_are_stored_hashed(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("desk", "write").await;
    assert!(key.starts_with("osce_"), "{key}");
    let rows = osce_api::storage::api_keys::all(&room.db.conn)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    // `osce_` + 10 characters of public prefix + `_`, then the secret
    // (base64url, which may hold `_` itself).
    let secret = &key[16..];
    assert_eq!(secret.len(), 32);
    for stored in [&row.name, &row.prefix, &row.secret_hash, &row.scopes] {
        assert!(
            !stored.contains(secret),
            "the key's secret is stored: {stored}"
        );
    }
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(row.secret_hash, digest);
    room.cleanup().await;
}

/// An import of a slug an editor holds as a draft keeps it out of search;
/// a release deleted and imported again is edited on from its last version.
async fn imports_keep_drafts_private_and_versions_moving(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("desk", "read:drafts,write,publish,delete").await;
    let slug = "quietly-drafted";
    create(&room.app, &key, slug, "Quietly drafted").await;
    let line = json!({
        "type": "press_release", "slug": slug, "title": "Quietly drafted", "date": "2026-12-07",
        "source": "chairpersonship", "language": "en",
        "body_html": "<p>The xylophonic envoys met.</p>",
        "published_at": "2026-12-07T09:00:00Z", "updated_at": "2026-12-07T09:00:00Z",
    });
    crate::support::import_text(&room.db.conn, format!("{line}\n")).await;
    let search = room
        .app
        .graphql_data("{ search(query: \"xylophonic\", first: 5) { totalCount } pressReleases(search: \"xylophonic\", first: 5) { totalCount } }", json!({}))
        .await;
    assert_eq!(search["search"]["totalCount"], 0, "{search}");
    assert_eq!(search["pressReleases"]["totalCount"], 0, "{search}");
    let draft = call(
        &room.app,
        Method::GET,
        &format!("/api/v1/press-releases/{slug}"),
        Some(&key),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(draft.json()["status"], "draft");
    let version = draft.json()["version"].as_i64().unwrap();

    // Deleted, imported again (public), then edited: no clash with the
    // revisions of the first life, and the old version numbers stay spent.
    let reply = call(
        &room.app,
        Method::DELETE,
        &format!("/api/v1/press-releases/{slug}"),
        Some(&key),
        Some(version),
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 204);
    crate::support::import_text(&room.db.conn, format!("{line}\n")).await;
    let reply = call(
        &room.app,
        Method::PATCH,
        &format!("/api/v1/press-releases/{slug}"),
        Some(&key),
        Some(1),
        json!({ "title": "Imported again" }),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        reply.json()["version"].as_i64().unwrap() > version + 1,
        "{}",
        reply.text()
    );

    // A key that may write but not read drafts does not read them through
    // its writes.
    let writer = room.key("writer", "write").await;
    let other = "someone-elses-draft";
    create(&room.app, &key, other, "Someone else's draft").await;
    let auth = format!("Bearer {writer}");
    let reply = room
        .app
        .request(
            Method::PATCH,
            &format!("/api/v1/press-releases/{other}"),
            &[
                ("authorization", &auth),
                ("if-match", "*"),
                ("content-type", "application/json"),
            ],
            "{}",
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.json().get("title").is_none(), "{}", reply.text());
    let body = super::graphql_as(
        &room.app,
        Some(&writer),
        "mutation($s: String!) { updatePressRelease(slug: $s, expectedVersion: 1, input: {}) { version content { title } } }",
        json!({ "s": other }),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    room.cleanup().await;
}

crate::backend_tests!(
    imports_keep_drafts_private_and_versions_moving,
    two_writers_with_one_version_one_wins,
    every_bad_field_is_named_and_nothing_is_written,
    a_retried_create_creates_one_release,
    keys_are_stored_hashed
);
