use osce_api::domain::CountryStatus;
use osce_api::storage::{people, releases, structure, taxonomy};

use crate::support::{Backend, TestDb, export_string};

const SEED_RELEASE: &str = "press-statement-by-the-co-chairs-of-the-osce-minsk-group-2020-10-25";

async fn seed_press_release_is_there_after_first_start(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let releases = releases::press_releases_page(&db.conn, None, 10)
        .await
        .unwrap();
    let release = releases
        .iter()
        .find(|r| r.slug.as_str() == SEED_RELEASE)
        .expect("the seed release");
    assert_eq!(
        release.title,
        "Press Statement by the Co-Chairs of the OSCE Minsk Group"
    );
    assert_eq!(
        release.date.to_string(),
        "2020-10-25",
        "its date is the dateline's"
    );
    assert_eq!(release.place.as_deref(), Some("Washington D.C."));
    assert_eq!(release.source.as_str(), "minsk-group");
    let fields: Vec<&str> = release.fields_of_work.iter().map(|f| f.as_str()).collect();
    assert_eq!(fields, ["conflict-prevention-and-resolution"]);
    let people: Vec<&str> = release.people.iter().map(|p| p.as_str()).collect();
    for co_chair in [
        "igor-popov",
        "stephane-visconti",
        "andrew-schofer",
        "andrzej-kasprzyk",
    ] {
        assert!(
            people.contains(&co_chair),
            "{co_chair} missing from {people:?}"
        );
    }
    let meetings: Vec<&str> = release.meetings.iter().map(|m| m.as_str()).collect();
    assert_eq!(
        meetings,
        [
            "minsk-group-co-chairs-washington-2020-10-24",
            "minsk-group-co-chairs-geneva-2020-10-29"
        ]
    );
    assert!(release.body_html.contains("humanitarian ceasefire"));

    // The co-chairs' roles say whom each represented.
    let roles = people::roles(&db.conn).await.unwrap();
    let represented = |person: &str| {
        roles
            .iter()
            .find(|r| {
                r.person.as_str() == person
                    && r.title == "Co-Chair"
                    && r.org_unit.as_str() == "minsk-group"
            })
            .and_then(|r| r.country.as_ref().map(|c| c.to_string()))
    };
    assert_eq!(represented("igor-popov").as_deref(), Some("RU"));
    assert_eq!(represented("stephane-visconti").as_deref(), Some("FR"));
    assert_eq!(represented("andrew-schofer").as_deref(), Some("US"));

    // The taxonomy and structure from the seed page.
    let countries = taxonomy::countries(&db.conn).await.unwrap();
    let states = countries
        .iter()
        .filter(|c| c.status == CountryStatus::ParticipatingState)
        .count();
    assert_eq!(states, 57, "57 participating States");
    assert!(
        countries
            .iter()
            .any(|c| c.code.as_str() == "VA" && c.name == "Holy See")
    );
    assert_eq!(taxonomy::fields_of_work(&db.conn).await.unwrap().len(), 23);
    let chairs = structure::chairpersonships(&db.conn).await.unwrap();
    assert!(
        chairs
            .iter()
            .any(|c| c.year == 2025 && c.country.as_str() == "FI")
    );
    let units = structure::org_units(&db.conn).await.unwrap();
    let parent_of = |slug: &str| {
        units
            .iter()
            .find(|u| u.slug.as_str() == slug)
            .and_then(|u| u.parent.as_ref().map(|p| p.to_string()))
    };
    assert_eq!(
        parent_of("conflict-prevention-centre").as_deref(),
        Some("secretariat")
    );
    assert_eq!(
        parent_of("mission-to-moldova").as_deref(),
        Some("field-operations")
    );
    db.cleanup().await;
}

async fn a_second_start_changes_nothing(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let before = export_string(&db.conn).await;
    let stamps = "SELECT MAX(updated_at) AS t FROM org_unit";
    let stamp_before = db
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            db.conn.get_database_backend(),
            stamps,
        ))
        .await
        .unwrap();
    osce_api::boot::prepare(&db.conn).await.unwrap();
    // Even with the version marker gone, reloading writes nothing that is already so.
    osce_api::storage::state::set(
        &db.conn,
        "reference_data_version",
        "old",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    osce_api::boot::prepare(&db.conn).await.unwrap();
    let stamp_after = db
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            db.conn.get_database_backend(),
            stamps,
        ))
        .await
        .unwrap();
    assert_eq!(export_string(&db.conn).await, before);
    let t = |row: Option<sea_orm::QueryResult>| {
        row.unwrap()
            .try_get::<chrono::DateTime<chrono::Utc>>("", "t")
            .unwrap()
    };
    assert_eq!(t(stamp_before), t(stamp_after), "updated_at untouched");
    let head = osce_api::storage::changes::head(&db.conn).await.unwrap();
    osce_api::boot::prepare(&db.conn).await.unwrap();
    assert_eq!(
        osce_api::storage::changes::head(&db.conn).await.unwrap(),
        head,
        "a reload that changes nothing appends nothing to the change log"
    );
    db.cleanup().await;
}

/// During a rolling deploy an older binary starts beside a newer one: it
/// leaves a search index built by the newer one as it is (before, each
/// start rebuilt the index to its own version, flipping it back and forth).
async fn an_older_binary_leaves_a_newer_search_index_alone(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let key = "search_index_version";
    osce_api::storage::state::set(&db.conn, key, "999", chrono::Utc::now())
        .await
        .unwrap();
    osce_api::boot::prepare(&db.conn).await.unwrap();
    assert_eq!(
        osce_api::storage::state::get(&db.conn, key)
            .await
            .unwrap()
            .as_deref(),
        Some("999")
    );
    // An older index is rebuilt to this binary's version.
    osce_api::storage::state::set(&db.conn, key, "0", chrono::Utc::now())
        .await
        .unwrap();
    osce_api::boot::prepare(&db.conn).await.unwrap();
    assert_eq!(
        osce_api::storage::state::get(&db.conn, key)
            .await
            .unwrap()
            .as_deref(),
        Some(osce_api::storage::search_index::SEARCH_VERSION)
    );
    db.cleanup().await;
}

use sea_orm::ConnectionTrait;

crate::backend_tests!(
    seed_press_release_is_there_after_first_start,
    a_second_start_changes_nothing,
    an_older_binary_leaves_a_newer_search_index_alone
);
