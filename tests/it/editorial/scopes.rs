//! Who may do what: every operation against keys of every scope, with no
//! key, and with keys that are unknown, revoked or expired.

use axum::http::Method;
use serde_json::{Value, json};

use super::{Newsroom, act, call, create, start};
use crate::support::Backend;

/// (operation, the scope it needs) → what each key gets.
async fn each_operation_needs_its_scope(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let all = room.key("all", "read:drafts,write,publish,delete").await;
    let scopes = ["read:drafts", "write", "publish", "delete", "admin"];
    let mut keys = Vec::new();
    for scope in scopes {
        keys.push((scope, room.key(&format!("only-{scope}"), scope).await));
    }
    // Fixtures: a draft and a published release, made by the all-scopes key.
    let draft = "draft-release";
    let draft_version = create(&room.app, &all, draft, "Draft").await;
    let public = "public-release";
    let v = create(&room.app, &all, public, "Public").await;
    let public_version = act(&room.app, &all, public, "publish", v).await;

    // Each probe is refused before it does anything, or succeeds with the
    // key that holds the scope; a success is undone where it matters.
    struct Probe {
        name: &'static str,
        needs: &'static [&'static str],
        method: Method,
        uri: String,
        version: Option<i64>,
        body: Value,
    }
    let probes = [
        Probe {
            name: "create",
            needs: &["write"],
            method: Method::POST,
            uri: "/api/v1/press-releases".into(),
            version: None,
            body: json!({}),
        },
        Probe {
            name: "edit a draft",
            needs: &["write"],
            method: Method::PATCH,
            uri: format!("/api/v1/press-releases/{draft}"),
            version: Some(draft_version),
            body: json!({}),
        },
        Probe {
            name: "edit a public release",
            needs: &["write", "publish"],
            method: Method::PATCH,
            uri: format!("/api/v1/press-releases/{public}"),
            version: Some(public_version),
            body: json!({}),
        },
        Probe {
            name: "publish",
            needs: &["publish"],
            method: Method::POST,
            uri: format!("/api/v1/press-releases/{draft}/publish"),
            version: Some(draft_version + 100),
            body: Value::Null,
        },
        Probe {
            name: "unpublish",
            needs: &["publish"],
            method: Method::POST,
            uri: format!("/api/v1/press-releases/{public}/unpublish"),
            version: Some(public_version + 100),
            body: Value::Null,
        },
        Probe {
            name: "delete",
            needs: &["delete"],
            method: Method::DELETE,
            uri: format!("/api/v1/press-releases/{draft}"),
            version: Some(draft_version + 100),
            body: Value::Null,
        },
        Probe {
            name: "revisions",
            needs: &["read:drafts"],
            method: Method::GET,
            uri: format!("/api/v1/press-releases/{draft}/revisions"),
            version: None,
            body: Value::Null,
        },
        Probe {
            name: "editorial list",
            needs: &["read:drafts"],
            method: Method::GET,
            uri: "/api/v1/editorial/press-releases".into(),
            version: None,
            body: Value::Null,
        },
        Probe {
            name: "audit log",
            needs: &["admin"],
            method: Method::GET,
            uri: "/api/v1/audit-log".into(),
            version: None,
            body: Value::Null,
        },
    ];
    for probe in &probes {
        let reply = call(
            &room.app,
            probe.method.clone(),
            &probe.uri,
            None,
            probe.version,
            probe.body.clone(),
        )
        .await;
        assert_eq!(
            reply.status,
            401,
            "{} without a key: {}",
            probe.name,
            reply.text()
        );
        assert_eq!(reply.json()["error"]["code"], "unauthenticated");
        assert!(reply.header("www-authenticate").starts_with("Bearer"));
        for (scope, key) in &keys {
            let allowed = *scope == "admin" || probe.needs.iter().all(|n| n == scope);
            let reply = call(
                &room.app,
                probe.method.clone(),
                &probe.uri,
                Some(key),
                probe.version,
                probe.body.clone(),
            )
            .await;
            if allowed {
                // Past the scope check: any answer but 401/403 (the probes
                // are shaped to stop at validation or a version check).
                assert!(
                    ![401, 403].contains(&reply.status.as_u16()),
                    "{} with {scope}: {} {}",
                    probe.name,
                    reply.status,
                    reply.text()
                );
            } else {
                assert_eq!(
                    reply.status,
                    403,
                    "{} with {scope}: {}",
                    probe.name,
                    reply.text()
                );
                assert_eq!(reply.json()["error"]["code"], "forbidden");
            }
        }
    }

    // Reading drafts: only with read:drafts; others see the public release only.
    let uri = format!("/api/v1/press-releases/{draft}");
    for (scope, key) in &keys {
        let reply = call(&room.app, Method::GET, &uri, Some(key), None, Value::Null).await;
        let expected = if ["read:drafts", "admin"].contains(scope) {
            200
        } else {
            404
        };
        assert_eq!(reply.status, expected, "a draft read with {scope}");
    }
    let body = super::graphql_as(
        &room.app,
        Some(&keys[1].1),
        "query($s: String!) { editorialPressRelease(slug: $s) { status } }",
        json!({ "s": draft }),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    let body = super::graphql_as(
        &room.app,
        None,
        "query($s: String!) { editorialPressRelease(slug: $s) { status } }",
        json!({ "s": draft }),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{body}"
    );
    let body = super::graphql_as(&room.app, Some(&keys[0].1), "query($s: String!) { editorialPressRelease(slug: $s) { status version content { title } } }", json!({ "s": draft })).await;
    assert_eq!(
        body["data"]["editorialPressRelease"]["status"], "DRAFT",
        "{body}"
    );
    assert_eq!(
        body["data"]["editorialPressRelease"]["content"]["title"],
        "Draft"
    );

    // Mutations over GET are refused.
    let reply = room
        .app
        .get_with(
            "/graphql?query=mutation%7BdeletePressRelease(slug%3A%22draft-release%22%2CexpectedVersion%3A1)%7Bslug%7D%7D",
            &[("authorization", &format!("Bearer {all}"))],
        )
        .await;
    assert_eq!(reply.status, 405, "{}", reply.text());
    room.cleanup().await;
}

async fn bad_keys_are_refused(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let good = room.key("soon-revoked", "read:drafts").await;
    let expiring = osce_api::service::auth::create_key(
        &room.db.conn,
        "expiring",
        osce_api::service::auth::parse_scopes("read:drafts").unwrap(),
        Some(start() + chrono::Duration::hours(1)),
        start(),
    )
    .await
    .unwrap()
    .key;
    let list = "/api/v1/editorial/press-releases";
    assert_eq!(
        call(&room.app, Method::GET, list, Some(&good), None, Value::Null)
            .await
            .status,
        200
    );
    assert_eq!(
        call(
            &room.app,
            Method::GET,
            list,
            Some(&expiring),
            None,
            Value::Null
        )
        .await
        .status,
        200
    );
    // A key of the right shape that was never made, and a mangled one.
    // (The last character is changed, never kept: a key ending in "x" stays "y".)
    let last = if good.ends_with('x') { 'y' } else { 'x' };
    let forged = format!("{}{last}", &good[..good.len() - 1]);
    for key in [
        forged.as_str(),
        "osce_0000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let reply = call(&room.app, Method::GET, list, Some(key), None, Value::Null).await;
        assert_eq!(reply.status, 401, "{key}");
        // Even for public reads: a typo must not read as anonymous.
        let reply = call(
            &room.app,
            Method::GET,
            "/api/v1/countries",
            Some(key),
            None,
            Value::Null,
        )
        .await;
        assert_eq!(reply.status, 401);
    }
    assert!(
        osce_api::service::auth::revoke_key(&room.db.conn, "soon-revoked", start())
            .await
            .unwrap()
    );
    let reply = call(&room.app, Method::GET, list, Some(&good), None, Value::Null).await;
    assert_eq!(reply.status, 401);
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
    room.clock.set(start() + chrono::Duration::hours(2));
    let reply = call(
        &room.app,
        Method::GET,
        list,
        Some(&expiring),
        None,
        Value::Null,
    )
    .await;
    assert_eq!(reply.status, 401);
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    // GraphQL answers 401 with its code.
    let body = super::graphql_as(&room.app, Some(&good), "{ countries { code } }", json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    room.cleanup().await;
}

crate::backend_tests!(each_operation_needs_its_scope, bad_keys_are_refused);
