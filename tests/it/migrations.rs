use migration::{Migrator, MigratorTrait};
use osce_api::storage::reader;

use crate::support::{Backend, TestDb, export_string, generated_corpus, import_text};

const TABLES: [&str; 15] = [
    "field_of_work",
    "country",
    "org_unit",
    "chairpersonship",
    "person",
    "role",
    "meeting",
    "meeting_field_of_work",
    "press_release",
    "press_release_field_of_work",
    "press_release_country",
    "press_release_person",
    "press_release_meeting",
    "press_release_translation",
    "app_state",
];

async fn table_exists(db: &TestDb, table: &str) -> bool {
    reader::count(&db.conn, table).await.is_ok()
}

async fn migrations_go_up_and_down_cleanly(backend: Backend) {
    let Some(db) = TestDb::empty(backend).await else {
        return;
    };
    Migrator::up(&db.conn, None).await.expect("up");
    for table in TABLES {
        assert!(table_exists(&db, table).await, "{table} missing after up");
    }
    let statuses = Migrator::get_migration_with_status(&db.conn).await.unwrap();
    assert!(
        statuses
            .iter()
            .all(|m| m.status() == migration::MigrationStatus::Applied)
    );

    Migrator::down(&db.conn, None).await.expect("down");
    for table in TABLES {
        assert!(!table_exists(&db, table).await, "{table} left after down");
    }
    // And up again on the emptied database, with content.
    Migrator::up(&db.conn, None).await.expect("up again");
    osce_api::storage::prepare(&db.conn)
        .await
        .expect("reference data after re-up");
    assert_eq!(reader::count(&db.conn, "press_release").await.unwrap(), 1);
    db.cleanup().await;
}

/// The newest migration rebuilds tables that hold content (SQLite's release
/// junctions): rolling it back and applying it again on a loaded database
/// keeps every release's links, in order.
async fn latest_migration_keeps_content_down_and_up(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    import_text(&db.conn, generated_corpus(200, 3)).await;
    let before = export_string(&db.conn).await;
    Migrator::down(&db.conn, Some(1)).await.expect("down one");
    assert_eq!(export_string(&db.conn).await, before, "after down");
    Migrator::up(&db.conn, None).await.expect("up again");
    assert_eq!(export_string(&db.conn).await, before, "after up");
    db.cleanup().await;
}

crate::backend_tests!(
    migrations_go_up_and_down_cleanly,
    latest_migration_keeps_content_down_and_up
);
