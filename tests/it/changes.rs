//! Content that changes while replicas serve it: every write appends to the
//! change log, every replica follows it (applying the changes to the index
//! it holds, not rebuilding), deletions disappear everywhere, and a write
//! that changes nothing appends nothing.

use std::time::Duration;

use osce_api::AppState;
use osce_api::model::RecordKind;
use osce_api::service::delete::{DeleteError, delete_records};
use osce_api::storage::changes;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp, TestDb, generated_corpus, import_text};

/// A small, seeded, dependency-free random source (xorshift).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn releases_of(corpus: &str) -> Vec<Value> {
    corpus
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|r| r["type"] == "press_release")
        .collect()
}

/// Distinct string values of `field` (an array field) over the releases.
fn values_of(releases: &[Value], field: &str) -> Vec<String> {
    let mut values: Vec<String> = releases
        .iter()
        .flat_map(|r| r[field].as_array().cloned().unwrap_or_default())
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    values.sort();
    values.dedup();
    values
}

const LIST: &str = r#"query($filter: PressReleaseFilterInput, $search: String, $order: PressReleaseOrder, $first: Int, $after: String, $last: Int, $before: String) {
  pressReleases(filter: $filter, search: $search, orderBy: $order, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { slug date title fieldsOfWork { slug } countries { code } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    facets {
      fieldsOfWork { fieldOfWork { slug } count }
      countries { country { code } count }
      sources { orgUnit { slug } count }
      years { year count }
    }
  }
}"#;

/// Every page of a list, walked forwards with `first` and one backwards
/// page with `last`: what a client sees of it.
async fn walk(app: &TestApp, filter: &Value, search: Option<&str>, order: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let vars =
            json!({"filter": filter, "search": search, "order": order, "first": 7, "after": after});
        let data = app.graphql_data(LIST, vars.clone()).await;
        let connection = data["pressReleases"].clone();
        let next = connection["pageInfo"]["hasNextPage"].as_bool() == Some(true);
        after = connection["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
        pages.push(json!({"asked": vars, "answer": connection}));
        if !next || pages.len() > 60 {
            break;
        }
    }
    if let Some(before) = &after {
        let vars = json!({"filter": filter, "search": search, "order": order, "last": 5, "before": before});
        let answer = app.graphql_data(LIST, vars.clone()).await["pressReleases"].clone();
        pages.push(json!({"asked": vars, "answer": answer}));
    }
    pages
}

/// What the queries of the oracle test see through `app`.
async fn everything(app: &TestApp, filters: &[Value]) -> Vec<Value> {
    let mut seen = Vec::new();
    for filter in filters {
        for order in ["DATE_DESC", "DATE_ASC", "TITLE_ASC", "TITLE_DESC"] {
            seen.extend(walk(app, filter, None, order).await);
        }
    }
    for search in ["osce", "minsk group", "elections"] {
        seen.extend(walk(app, &json!({}), Some(search), "RELEVANCE").await);
    }
    seen
}

/// Random upserts (new releases, dated anywhere, and edits) and deletions,
/// applied to a replica's index as they come, agree with a full build of
/// the same content: every page of every order, counts, facets, search.
async fn incremental_updates_agree_with_a_full_build(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let corpus = generated_corpus(90, 7);
    import_text(&db.conn, &corpus).await;
    let mut releases = releases_of(&corpus);
    let fields = values_of(&releases, "fields_of_work");
    let countries = values_of(&releases, "countries");
    let filters = vec![
        json!({}),
        json!({"fieldsOfWork": [fields[0]]}),
        json!({"countries": [countries[0], countries[1]]}),
        json!({"dateFrom": "2019-01-01", "dateTo": "2023-06-30"}),
        json!({"fieldsOfWork": [fields[1]], "dateFrom": "2018-01-01"}),
    ];

    // The replica that follows the log; its index is built once, here.
    let replica = TestApp::new(AppState::new(db.conn.clone()));
    everything(&replica, &filters).await;

    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    for round in 0..6 {
        let mut lines = String::new();
        let mut deletions = Vec::new();
        for op in 0..5 {
            let template = random.pick(&releases).clone();
            let mut release = template.clone();
            let year = 2015 + random.below(12);
            let date = format!(
                "{year}-{:02}-{:02}",
                1 + random.below(12),
                1 + random.below(28)
            );
            match random.below(3) {
                0 => {
                    // A new release, somewhere in the middle of the date order.
                    release["slug"] = json!(format!("change-{round}-{op}-{date}"));
                    release["title"] = json!(format!("Round {round} statement {op} on elections"));
                    release["date"] = json!(date);
                    release["fields_of_work"] = json!([random.pick(&fields)]);
                    lines.push_str(&format!("{release}\n"));
                    releases.push(release);
                }
                1 => {
                    // An edit: new date, title and links.
                    release["date"] = json!(date);
                    release["title"] = json!(format!("Amended {} {round}", random.below(1000)));
                    release["countries"] = json!([random.pick(&countries)]);
                    lines.push_str(&format!("{release}\n"));
                    let slug = release["slug"].clone();
                    releases.retain(|r| r["slug"] != slug);
                    releases.push(release);
                }
                _ if releases.len() > 20 => {
                    let slug = template["slug"].as_str().unwrap().to_owned();
                    releases.retain(|r| r["slug"] != template["slug"]);
                    deletions.push((RecordKind::PressRelease, slug));
                }
                _ => {}
            }
        }
        if !lines.is_empty() {
            import_text(&db.conn, lines).await;
        }
        if !deletions.is_empty() {
            delete_records(&db.conn, &deletions).await.expect("delete");
        }
        // The oracle: a replica that builds its index from scratch now.
        let fresh = TestApp::new(AppState::new(db.conn.clone()));
        let expected = everything(&fresh, &filters).await;
        let got = everything(&replica, &filters).await;
        assert_eq!(expected.len(), got.len(), "round {round}: pages");
        for (i, (e, g)) in expected.iter().zip(&got).enumerate() {
            assert_eq!(
                e["asked"], g["asked"],
                "round {round}, page {i}: the same question"
            );
            if e != g {
                panic!(
                    "round {round}, page {i}, asked {}:\nexpected {}\ngot      {}",
                    e["asked"], e["answer"]["pageInfo"], g["answer"]["pageInfo"]
                );
            }
        }
        assert_eq!(
            expected[0]["answer"]["totalCount"].as_u64(),
            Some(releases.len() as u64),
            "round {round}: the count is what was written"
        );
    }
    db.cleanup().await;
}

/// A write through one replica's database is seen through another replica
/// (its own `AppState`, caches and index) within the check interval, in
/// lists, counts, facets, search, feeds and REST; a deletion disappears
/// from all of them.
async fn a_write_is_seen_by_every_replica(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    import_text(&db.conn, generated_corpus(30, 3)).await;
    let interval = Duration::from_millis(200);
    let caching = osce_api::http::CacheSettings {
        check_interval: interval,
        graphql_cache_bytes: 8 << 20,
        ..Default::default()
    };
    let replica = TestApp::new(AppState::new(db.conn.clone()).with_caching(caching));
    let slug = "a-word-from-the-other-replica-2026-11-20";
    let count = "{ pressReleases(first: 1, filter: {fieldsOfWork: [\"human-rights\"]}) { totalCount facets { years { year count } } } }";
    let search = "{ pressReleases(first: 5, search: \"zanzibarian\") { nodes { slug } } }";
    let before = replica.graphql_data(count, json!({})).await;
    let feed = "/feeds/press-releases.atom?field_of_work=human-rights";
    let rest = "/api/v1/press-releases?field_of_work=human-rights&limit=100";
    assert!(!replica.get(feed).await.text().contains(slug));

    // The writer: another process over the same database.
    let release = json!({
        "type": "press_release", "slug": slug, "title": "A zanzibarian word",
        "date": "2026-11-20", "source": "minsk-group", "language": "en",
        "fields_of_work": ["human-rights"],
        "body_html": "<p>News.</p>", "published_at": "2026-11-20T10:00:00Z",
        "updated_at": "2026-11-20T10:00:00Z"
    });
    import_text(&db.conn, format!("{release}\n")).await;
    tokio::time::sleep(interval + Duration::from_millis(50)).await;

    let after = replica.graphql_data(count, json!({})).await;
    let total = |v: &Value| v["pressReleases"]["totalCount"].as_u64().unwrap();
    assert_eq!(total(&after), total(&before) + 1, "the count");
    let year_2026 = |v: &Value| {
        v["pressReleases"]["facets"]["years"]
            .as_array()
            .unwrap()
            .iter()
            .find(|y| y["year"] == 2026)
            .map_or(0, |y| y["count"].as_u64().unwrap())
    };
    assert_eq!(year_2026(&after), year_2026(&before) + 1, "the facets");
    let found = replica.graphql_data(search, json!({})).await;
    assert_eq!(found["pressReleases"]["nodes"][0]["slug"], slug, "search");
    assert!(replica.get(feed).await.text().contains(slug), "the feed");
    assert!(replica.get(rest).await.text().contains(slug), "REST");
    let one = replica.get(&format!("/api/v1/press-releases/{slug}")).await;
    assert_eq!(one.status_u16(), 200);

    // Deleted: gone from everything.
    delete_records(&db.conn, &[(RecordKind::PressRelease, slug.to_owned())])
        .await
        .expect("delete");
    tokio::time::sleep(interval + Duration::from_millis(50)).await;
    let deleted = replica.graphql_data(count, json!({})).await;
    assert_eq!(
        total(&deleted),
        total(&before),
        "the count after the deletion"
    );
    assert_eq!(year_2026(&deleted), year_2026(&before));
    let found = replica.graphql_data(search, json!({})).await;
    assert_eq!(found["pressReleases"]["nodes"], json!([]), "search");
    assert!(!replica.get(feed).await.text().contains(slug), "the feed");
    assert!(!replica.get(rest).await.text().contains(slug), "REST");
    let one = replica.get(&format!("/api/v1/press-releases/{slug}")).await;
    assert_eq!(one.status_u16(), 404);
    db.cleanup().await;
}

/// Re-importing what is stored appends nothing to the log (caches stay
/// warm: the version does not move); a real change appends one entry per
/// record changed.
async fn a_no_op_import_appends_no_change(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let corpus = generated_corpus(40, 5);
    import_text(&db.conn, &corpus).await;
    let head = changes::head(&db.conn).await.unwrap();
    assert!(head.seq > 40, "the import was logged: {head:?}");
    let app = TestApp::new(AppState::new(db.conn.clone()));
    let feed = "/feeds/press-releases.atom";
    let etag = app.get(feed).await.header("etag").to_owned();

    import_text(&db.conn, &corpus).await;
    assert_eq!(
        changes::head(&db.conn).await.unwrap(),
        head,
        "nothing appended"
    );
    let again = app.get(feed).await;
    assert_eq!(again.header("etag"), etag, "the same version");

    // One release edited: one entry, naming it.
    let mut release = releases_of(&corpus)[3].clone();
    release["title"] = json!("A corrected title");
    import_text(&db.conn, format!("{release}\n")).await;
    let logged = changes::after(&db.conn, head.seq, 10).await.unwrap();
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0].change.kind, RecordKind::PressRelease);
    assert_eq!(logged[0].change.key, release["slug"].as_str().unwrap());
    assert_eq!(logged[0].seq, head.seq + 1, "numbered without gaps");
    db.cleanup().await;
}

/// A record something refers to is not deleted, and the error names what
/// refers to it; a bulk file's deletion line removes a release, with a
/// tombstone in the log.
async fn deletions_check_references_and_leave_tombstones(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let corpus = generated_corpus(20, 9);
    import_text(&db.conn, &corpus).await;
    let releases = releases_of(&corpus);
    let field = releases[0]["fields_of_work"][0]
        .as_str()
        .unwrap()
        .to_owned();

    let refused = delete_records(&db.conn, &[(RecordKind::FieldOfWork, field.clone())]).await;
    let Err(DeleteError::Referenced { referrers, .. }) = &refused else {
        panic!("expected a refusal, got {refused:?}");
    };
    let message = refused.as_ref().unwrap_err().to_string();
    assert!(message.contains("press release"), "{message}");
    assert!(
        referrers
            .iter()
            .any(|r| r.kind == RecordKind::PressRelease && r.count > 0),
        "{referrers:?}"
    );
    let missing = delete_records(&db.conn, &[(RecordKind::PressRelease, "no-such".into())]).await;
    assert!(
        matches!(missing, Err(DeleteError::NotFound { .. })),
        "{missing:?}"
    );

    let head = changes::head(&db.conn).await.unwrap();
    let slug = releases[1]["slug"].as_str().unwrap();
    import_text(
        &db.conn,
        format!(
            "{}\n",
            json!({"type": "deletion", "of": "press_release", "key": slug})
        ),
    )
    .await;
    let logged = changes::after(&db.conn, head.seq, 10).await.unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(
        logged[0].change.op,
        osce_api::model::change::ChangeOp::Delete
    );
    assert_eq!(logged[0].change.key, slug);
    let app = TestApp::new(AppState::new(db.conn.clone()));
    let gone = app.get(&format!("/api/v1/press-releases/{slug}")).await;
    assert_eq!(gone.status_u16(), 404);
    db.cleanup().await;
}

crate::backend_tests!(
    incremental_updates_agree_with_a_full_build,
    a_write_is_seen_by_every_replica,
    a_no_op_import_appends_no_change,
    deletions_check_references_and_leave_tombstones
);

/// Two writers on PostgreSQL: the first takes its number and commits last.
/// The second cannot take a number until the first commits (it waits on
/// the counter row), so a reader polling the log never sees a later number
/// before an earlier one, and never skips one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_log_numbers_are_gap_free_in_commit_order() {
    use osce_api::model::change::Change;
    use sea_orm::TransactionTrait;
    let Some(db) = TestDb::prepared(Backend::Postgres).await else {
        return;
    };
    let start = changes::head(&db.conn).await.unwrap().seq;
    let now = chrono::Utc::now();
    let first = db.conn.begin().await.unwrap();
    let taken = changes::append(&first, &[Change::upsert(RecordKind::Person, "first")], now)
        .await
        .unwrap();
    assert_eq!(taken, start + 1);

    let conn = db.conn.clone();
    let second = tokio::spawn(async move {
        let txn = conn.begin().await.unwrap();
        let taken = changes::append(&txn, &[Change::upsert(RecordKind::Person, "second")], now)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        taken
    });

    // A reader polls while both are open: it sees neither.
    let mut seen = Vec::new();
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(60)).await;
        let last = seen.last().copied().unwrap_or(start);
        seen.extend(
            changes::after(&db.conn, last, 10)
                .await
                .unwrap()
                .iter()
                .map(|c| c.seq),
        );
    }
    assert!(seen.is_empty(), "nothing committed yet: {seen:?}");
    assert!(
        !second.is_finished(),
        "the second writer waits for the first"
    );

    first.commit().await.unwrap();
    let second_taken = second.await.unwrap();
    assert_eq!(second_taken, start + 2, "numbered after the first's commit");
    let last = seen.last().copied().unwrap_or(start);
    seen.extend(
        changes::after(&db.conn, last, 10)
            .await
            .unwrap()
            .iter()
            .map(|c| c.seq),
    );
    assert_eq!(seen, vec![start + 1, start + 2], "in order, none skipped");
    db.cleanup().await;
}

/// Replicas that start together on a fresh PostgreSQL database prepare it
/// one at a time: every one starts, the schema is migrated once, the
/// reference data loaded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_replicas_starting_together_prepare_once() {
    let Some(db) = TestDb::empty(Backend::Postgres).await else {
        return;
    };
    let starts: Vec<_> = (0..3)
        .map(|_| {
            let conn = db.conn.clone();
            tokio::spawn(async move { osce_api::boot::prepare(&conn).await })
        })
        .collect();
    for start in starts {
        start.await.unwrap().expect("every replica starts");
    }
    // The reference data was imported by one of them: its changes once.
    let logged = changes::after(&db.conn, 0, 100_000).await.unwrap();
    let mut keys: Vec<_> = logged
        .iter()
        .map(|c| (c.change.kind, c.change.key.clone()))
        .collect();
    let all = keys.len();
    keys.sort();
    keys.dedup();
    assert!(all > 0);
    assert_eq!(keys.len(), all, "no record was loaded twice");
    db.cleanup().await;
}
