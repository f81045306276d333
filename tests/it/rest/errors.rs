//! Bad parameters are JSON 4xx; items are found by key.

use osce_api::AppState;
use serde_json::json;

use super::ok_json;
use crate::support::{Backend, TestApp, TestDb};

pub(super) async fn bad_parameters_are_json_4xx(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let app = TestApp::new(AppState::new(db.conn.clone()));
    let meeting_cursor = ok_json(&app, "/api/v1/meetings?limit=1").await["next"]
        .as_str()
        .unwrap()
        .split("cursor=")
        .nth(1)
        .unwrap()
        .to_string();
    let cases: Vec<(String, u16, &str)> = vec![
        (
            "/api/v1/press-releases?limit=0".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?limit=101".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?limit=ten".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?limit=5&limit=6".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?cursor=garbage".into(),
            400,
            "bad_parameter",
        ),
        (
            format!("/api/v1/press-releases?cursor={meeting_cursor}"),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?date_from=2020-02-30".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?date_from=2021-01-01&date_to=2020-01-01".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?country=XX".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?field_of_work=nope".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?meeting_kind=nope".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?include_descendants=maybe".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?fields=slug,nope".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?fields=".into(),
            400,
            "bad_parameter",
        ),
        ("/api/v1/countries?status=".into(), 400, "bad_parameter"),
        (
            "/api/v1/press-releases?order=nope".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?order=relevance".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases?bogus=1".into(),
            400,
            "unknown_parameter",
        ),
        (
            "/api/v1/press-releases.csv?order=title_asc".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases.csv?limit=10".into(),
            400,
            "unknown_parameter",
        ),
        (
            "/api/v1/press-releases.csv?source=nope".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/press-releases.jsonl?fields=slug".into(),
            400,
            "unknown_parameter",
        ),
        (
            "/api/v1/press-releases/no-such-release".into(),
            404,
            "not_found",
        ),
        ("/api/v1/press-releases/%FF".into(), 400, "bad_parameter"),
        ("/api/v1/meetings?kind=nope".into(), 400, "bad_parameter"),
        ("/api/v1/meetings?order=title".into(), 400, "bad_parameter"),
        (
            "/api/v1/meetings.csv?country=XX".into(),
            400,
            "bad_parameter",
        ),
        ("/api/v1/meetings/nope".into(), 404, "not_found"),
        (
            "/api/v1/people?active_on=yesterday".into(),
            400,
            "bad_parameter",
        ),
        (
            "/api/v1/people.jsonl?org_unit=nope".into(),
            400,
            "bad_parameter",
        ),
        ("/api/v1/people/nope".into(), 404, "not_found"),
        ("/api/v1/org-units?kind=nope".into(), 400, "bad_parameter"),
        (
            "/api/v1/org-units?cursor=garbage".into(),
            400,
            "bad_parameter",
        ),
        ("/api/v1/countries?status=nope".into(), 400, "bad_parameter"),
        ("/api/v1/countries/ZZ".into(), 404, "not_found"),
        (
            "/api/v1/fields-of-work?q=x".into(),
            400,
            "unknown_parameter",
        ),
        ("/api/v1/no-such-list".into(), 404, "not_found"),
    ];
    for (uri, status, code) in cases {
        let answer = app.get(&uri).await;
        assert_eq!(answer.status, status, "{uri}: {}", answer.text());
        assert_eq!(
            answer.header_opt("content-type"),
            Some("application/json"),
            "{uri}"
        );
        let body = answer.json();
        assert_eq!(body["error"]["code"], code, "{uri}: {body}");
        assert!(body["error"]["message"].is_string(), "{uri}");
        assert!(body["error"].get("details").is_some(), "{uri}");
    }
    // Items: found by key, case-insensitive for country codes, with `fields`.
    let country = ok_json(&app, "/api/v1/countries/am?fields=name,code").await;
    assert_eq!(country, json!({"name": "Armenia", "code": "AM"}));
    let unit = ok_json(&app, "/api/v1/org-units/minsk-group?fields=kind,parent").await;
    assert_eq!(unit, json!({"kind": "group", "parent": null}));
    let release = ok_json(&app,
        "/api/v1/press-releases/press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25?fields=countries,people",
    )
    .await;
    assert_eq!(
        release,
        json!({"countries": ["AM", "AZ", "FR", "RU", "US"], "people": ["igor-popov", "stephane-visconti", "andrew-schofer", "andrzej-kasprzyk"]})
    );
    db.cleanup().await;
}
