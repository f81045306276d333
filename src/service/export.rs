//! Bulk export in the interchange format: every record, by type in format
//! order, then by key; meetings read in keyset pages and press releases
//! streamed, so memory stays flat whatever the corpus size. Everything is
//! read in one read-only transaction: the export is one snapshot.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::Arc;

use futures::TryStreamExt;
use sea_orm::{
    AccessMode, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, IsolationLevel,
    TransactionTrait,
};

use crate::model::Record;
use crate::storage;

const PAGE: u64 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the output: {0}")]
    Io(#[from] io::Error),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

/// Writes everything to `out`; returns the number of records written.
pub async fn export(db: &DatabaseConnection, out: &mut impl Write) -> Result<u64, ExportError> {
    // SQLite's transactions are serializable already (and it takes neither
    // option).
    let txn = if db.get_database_backend() == DbBackend::Postgres {
        db.begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await?
    } else {
        db.begin().await?
    };
    let conn = &txn;
    let mut written = 0u64;
    let mut emit = |out: &mut dyn Write, record: Record| -> Result<(), ExportError> {
        record.write_line(out).map_err(io::Error::from)?;
        written += 1;
        Ok(())
    };
    for r in storage::taxonomy::fields_of_work(conn).await? {
        emit(out, Record::FieldOfWork(r))?;
    }
    for r in storage::taxonomy::countries(conn).await? {
        emit(out, Record::Country(r))?;
    }
    for r in storage::structure::org_units(conn).await? {
        emit(out, Record::OrgUnit(r))?;
    }
    for r in storage::structure::chairpersonships(conn).await? {
        emit(out, Record::Chairpersonship(r))?;
    }
    for r in storage::people::people(conn).await? {
        emit(out, Record::Person(r))?;
    }
    for r in storage::people::roles(conn).await? {
        emit(out, Record::Role(r))?;
    }
    let mut after: Option<String> = None;
    loop {
        let page = storage::meetings::meetings_page(conn, after.as_deref(), PAGE).await?;
        let done = (page.len() as u64) < PAGE;
        after = page.last().map(|m| m.slug.to_string());
        for r in page {
            emit(out, Record::Meeting(r))?;
        }
        if done {
            break;
        }
    }
    written += export_press_releases(conn, out).await?;
    out.flush()?;
    txn.commit().await?;
    Ok(written)
}

/// Press releases per batch, and batches in flight: while the query
/// streams the next rows, each batch's rows become lines in a task of its
/// own (on the other core).
const RELEASE_BATCH: usize = 1_000;
const RELEASE_BATCHES_AHEAD: usize = 3;

type Lines = tokio::task::JoinHandle<Result<(u64, Vec<u8>), ExportError>>;

/// Press releases in slug order, from one streamed query; memory is a few
/// batches whatever the number of releases.
async fn export_press_releases(
    txn: &DatabaseTransaction,
    out: &mut impl Write,
) -> Result<u64, ExportError> {
    let targets = Arc::new(storage::releases::link_targets(txn).await?);
    storage::releases::prepare_export(txn).await?;
    let rows = storage::releases::press_releases_in_slug_order(txn).await?;
    let mut rows = std::pin::pin!(rows);
    let mut pending: VecDeque<Lines> = VecDeque::new();
    let mut batch = Vec::with_capacity(RELEASE_BATCH);
    let mut written = 0u64;
    loop {
        let row = rows.try_next().await?;
        let end = row.is_none();
        batch.extend(row);
        if batch.len() == RELEASE_BATCH || (end && !batch.is_empty()) {
            let rows = std::mem::replace(&mut batch, Vec::with_capacity(RELEASE_BATCH));
            let targets = Arc::clone(&targets);
            pending.push_back(tokio::task::spawn_blocking(move || {
                let mut lines = Vec::with_capacity(rows.len() * 2_560);
                for row in &rows {
                    let record = storage::releases::press_release_from_export_row(row, &targets)?;
                    Record::PressRelease(record)
                        .write_line(&mut lines)
                        .map_err(io::Error::from)?;
                }
                Ok((rows.len() as u64, lines))
            }));
        }
        while pending.len() > RELEASE_BATCHES_AHEAD || (end && !pending.is_empty()) {
            if let Some(next) = pending.pop_front() {
                let (count, lines) = next.await.map_err(io::Error::other)??;
                out.write_all(&lines)?;
                written += count;
            }
        }
        if end {
            return Ok(written);
        }
    }
}
