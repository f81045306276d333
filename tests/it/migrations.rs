use migration::{Migrator, MigratorTrait};
use osce_api::model::RecordKind;
use osce_api::storage::keys;
use sea_orm::ConnectionTrait;

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
    let sql = format!("SELECT COUNT(*) FROM {table}");
    db.conn.execute_unprepared(&sql).await.is_ok()
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
    osce_api::boot::prepare(&db.conn)
        .await
        .expect("reference data after re-up");
    assert_eq!(
        keys::count(&db.conn, RecordKind::PressRelease)
            .await
            .unwrap(),
        1
    );
    db.cleanup().await;
}

/// The junction rebuild (SQLite's release junctions clustered by release)
/// moves tables that hold content: rolling back to before it and applying
/// everything again on a loaded database keeps every release's links, in
/// order.
async fn junction_rebuild_keeps_content_down_and_up(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    import_text(&db.conn, generated_corpus(200, 3)).await;
    let before = export_string(&db.conn).await;
    let links = junction_rows(&db).await;
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let position = names
        .iter()
        .position(|name| name == "m20261202_000001_clustered_release_junctions")
        .expect("the junction rebuild is a migration");
    let steps = (names.len() - position) as u32;
    let clustered = if backend == Backend::Sqlite { 4 } else { 0 };
    assert_eq!(clustered_junctions(&db).await, clustered, "before");
    Migrator::down(&db.conn, Some(steps))
        .await
        .expect("down to before the rebuild");
    assert_eq!(clustered_junctions(&db).await, 0, "rowid tables after down");
    // This binary's export reads columns of later migrations: after down,
    // the links themselves are compared.
    assert_eq!(junction_rows(&db).await, links, "links after down");
    Migrator::up(&db.conn, None).await.expect("up again");
    assert_eq!(clustered_junctions(&db).await, clustered, "after up");
    assert_eq!(export_string(&db.conn).await, before, "after up");
    db.cleanup().await;
}

/// Every link of every release junction, in key order.
async fn junction_rows(db: &TestDb) -> Vec<(String, i64, i64, i64)> {
    use sea_orm::ConnectionTrait;
    let mut rows = Vec::new();
    for (table, target) in [
        ("press_release_field_of_work", "field_of_work_id"),
        ("press_release_country", "country_id"),
        ("press_release_person", "person_id"),
        ("press_release_meeting", "meeting_id"),
    ] {
        let sql = format!(
            "SELECT press_release_id, {target} AS target, position FROM {table} \
             ORDER BY press_release_id, {target}"
        );
        for row in db
            .conn
            .query_all_raw(sea_orm::Statement::from_string(
                db.conn.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
        {
            rows.push((
                table.to_string(),
                row.try_get::<i64>("", "press_release_id").unwrap(),
                row.try_get::<i64>("", "target").unwrap(),
                i64::from(row.try_get::<i16>("", "position").unwrap()),
            ));
        }
    }
    rows
}

/// How many release junctions are `WITHOUT ROWID` tables (SQLite; 0 elsewhere).
async fn clustered_junctions(db: &TestDb) -> usize {
    use sea_orm::ConnectionTrait;
    if db.conn.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return 0;
    }
    let sql = "SELECT sql FROM sqlite_master WHERE type = 'table' \
               AND name LIKE 'press_release\\_%' ESCAPE '\\' AND sql LIKE '%WITHOUT ROWID'";
    db.conn
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            sql,
        ))
        .await
        .unwrap()
        .len()
}

crate::backend_tests!(
    migrations_go_up_and_down_cleanly,
    junction_rebuild_keeps_content_down_and_up
);
