//! Bulk import of the interchange format: streamed, validated, all or nothing.
//!
//! Two passes over the input. The first parses and checks every line (syntax,
//! keys, identifiers, duplicates) and remembers only what later checks need:
//! the small record types, a 128-bit hash per press release key, and every
//! referenced key with the first line that used it. References are then
//! resolved against the file and the database. Only then does the second pass
//! write, in one transaction: small types first (only those that changed, so
//! a re-import leaves `updated_at` alone), then press releases streamed in
//! batches from the input, sanitised on a parser thread while the database
//! writes the previous batch. Standard input is spooled to a temporary file
//! during the first pass so the second can read it again.

use std::{
    collections::{HashMap, HashSet},
    io,
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, TransactionTrait};

mod duplicates;
mod source;
mod staged;
mod validate;

pub use source::Source;
pub use validate::parse_line;

use crate::model::change::Change;
use crate::model::{self, Record, RecordKind};
use crate::service::delete::DeleteError;
use crate::storage::keys::IdMaps;
use crate::storage::releases::ReleaseRow;
use crate::storage::{
    self, changes, keys, meetings, people, releases, search_index, state, structure, taxonomy,
};
use duplicates::{DuplicateCheck, slug_hash};
use source::{for_each_line, open, progress_bar};
use staged::{resolve, validate};
use validate::sanitize_release;

/// Press releases per write batch, at most.
const RELEASE_BATCH: usize = 1_000;
/// A batch also ends at this much text (bodies, plain texts, indexed
/// documents): three batches are alive at once, and the statement writing
/// one copies it again, so long releases (an archive's run 6 kB of HTML,
/// 25 kB with their text and index) must not make batches of 25 MB.
const RELEASE_BATCH_BYTES: usize = 4 << 20;
/// Batches parsed ahead of the writer; bounds memory whatever the file size.
const BATCHES_IN_FLIGHT: usize = 1;

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Show a progress bar (only when standard error is a terminal).
    pub progress: bool,
    /// A service state entry written in the same transaction as the content.
    pub state: Option<(String, String)>,
}

/// What an import did, per record type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub lines: u64,
    /// Records read, by type name, in format order.
    pub read: Vec<(&'static str, u64)>,
    /// Small records whose content was new or different (written).
    pub changed: u64,
    /// Small records already stored exactly so (left untouched).
    pub unchanged: u64,
    pub press_releases: u64,
    /// Entries appended to the change log: records new or different, of
    /// every type (a re-import of the same file appends none).
    pub changes: u64,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}: {message}")]
    Invalid { line: u64, message: String },
    #[error("cannot read the input: {0}")]
    Io(#[from] io::Error),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("the import was interrupted: {0}")]
    Interrupted(String),
}

fn invalid(line: u64, message: impl Into<String>) -> ImportError {
    ImportError::Invalid {
        line,
        message: message.into(),
    }
}

/// Keeps the records that differ from what is stored under the same key;
/// notes in `existed` the keys (as text) of those that replace a stored one.
fn changed<T: PartialEq + Clone, K: Eq + std::hash::Hash + std::fmt::Display>(
    incoming: &[T],
    stored: Vec<T>,
    key: impl Fn(&T) -> K,
    existed: &mut HashSet<String>,
) -> Vec<T> {
    let stored: HashMap<K, T> = stored.into_iter().map(|r| (key(&r), r)).collect();
    incoming
        .iter()
        .filter(|r| {
            let stored = stored.get(&key(r));
            if stored.is_some() && stored != Some(*r) {
                existed.insert(key(r).to_string());
            }
            stored != Some(*r)
        })
        .cloned()
        .collect()
}

/// Each record as (kind, key, its interchange JSON).
fn records_of<T: serde::Serialize>(
    kind: RecordKind,
    records: &[T],
    key: impl Fn(&T) -> String,
) -> Vec<(RecordKind, String, serde_json::Value)> {
    records
        .iter()
        .map(|r| (kind, key(r), serde_json::to_value(r).unwrap_or_default()))
        .collect()
}

/// Imports at least this large refresh the database's statistics and logs.
const ANALYZE_AFTER_RELEASES: u64 = 10_000;

/// Imports `source` into the database: everything or nothing.
pub async fn import(
    db: &DatabaseConnection,
    source: Source,
    options: ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let started = Instant::now();
    let (mut staged, spool) = {
        let source = source.clone();
        let options = options.clone();
        tokio::task::spawn_blocking(move || validate(&source, &options))
            .await
            .map_err(|e| ImportError::Interrupted(e.to_string()))??
    };
    resolve(db, &staged).await?;

    let now = Utc::now();
    let txn = db.begin().await?;
    // One writer at a time, from the first statement (as editors' writes
    // do): rows are never locked in one order here and another there.
    changes::lock_writers(&txn).await?;
    let mut summary = ImportSummary {
        lines: staged.lines,
        read: staged.read_counts(),
        press_releases: staged.press_releases,
        ..Default::default()
    };
    let mut count = |incoming: usize, changed: usize| {
        summary.changed += changed as u64;
        summary.unchanged += (incoming - changed) as u64;
    };

    // Keys of stored records an import replaces: their versions move.
    let mut existed = HashSet::new();
    let fields = changed(
        &staged.fields_of_work,
        taxonomy::fields_of_work(&txn).await?,
        |r| r.slug.clone(),
        &mut existed,
    );
    count(staged.fields_of_work.len(), fields.len());
    taxonomy::upsert_fields_of_work(&txn, &fields, now).await?;

    let countries = changed(
        &staged.countries,
        taxonomy::countries(&txn).await?,
        |r| r.code.clone(),
        &mut existed,
    );
    count(staged.countries.len(), countries.len());
    taxonomy::upsert_countries(&txn, &countries, now).await?;

    let units: Vec<model::OrgUnit> = staged.org_units.iter().map(|(_, u)| u.clone()).collect();
    let units = changed(
        &units,
        structure::org_units(&txn).await?,
        |r| r.slug.clone(),
        &mut existed,
    );
    count(staged.org_units.len(), units.len());
    structure::upsert_org_units(&txn, &units, now).await?;

    let chairs = changed(
        &staged.chairpersonships,
        structure::chairpersonships(&txn).await?,
        |r| r.year,
        &mut existed,
    );
    count(staged.chairpersonships.len(), chairs.len());
    structure::upsert_chairpersonships(&txn, &chairs, now).await?;

    let people = changed(
        &staged.people,
        people::people(&txn).await?,
        |r| r.slug.clone(),
        &mut existed,
    );
    count(staged.people.len(), people.len());
    people::upsert_people(&txn, &people, now).await?;

    let mut ids = IdMaps::load(&txn).await?;
    let roles = changed(
        &staged.roles,
        people::roles(&txn).await?,
        model::change::role_key,
        &mut HashSet::new(),
    );
    count(staged.roles.len(), roles.len());
    people::upsert_roles(&txn, &roles, &ids, now).await?;

    let meetings = changed(
        &staged.meetings,
        meetings::all_meetings(&txn).await?,
        |r| r.slug.clone(),
        &mut existed,
    );
    count(staged.meetings.len(), meetings.len());
    meetings::upsert_meetings(&txn, &meetings, &ids, now).await?;
    if !meetings.is_empty() {
        ids.meetings = keys::id_map(&txn, RecordKind::Meeting).await?;
    }

    // The search documents of meetings, people and units draw on countries,
    // roles and units too: any change there re-indexes these small tables.
    if !(countries.is_empty()
        && units.is_empty()
        && people.is_empty()
        && roles.is_empty()
        && meetings.is_empty())
    {
        search_index::index_small_tables(&txn).await?;
    }

    let mut log: Vec<Change> = Vec::new();
    let mut upserted = |kind: RecordKind, keys: &mut dyn Iterator<Item = String>| {
        log.extend(keys.map(|key| Change::upsert(kind, key)));
    };
    upserted(
        RecordKind::FieldOfWork,
        &mut fields.iter().map(|r| r.slug.to_string()),
    );
    upserted(
        RecordKind::Country,
        &mut countries.iter().map(|r| r.code.to_string()),
    );
    upserted(
        RecordKind::OrgUnit,
        &mut units.iter().map(|r| r.slug.to_string()),
    );
    upserted(
        RecordKind::Chairpersonship,
        &mut chairs.iter().map(|r| r.year.to_string()),
    );
    upserted(
        RecordKind::Person,
        &mut people.iter().map(|r| r.slug.to_string()),
    );
    upserted(
        RecordKind::Role,
        &mut roles.iter().map(model::change::role_key),
    );
    upserted(
        RecordKind::Meeting,
        &mut meetings.iter().map(|r| r.slug.to_string()),
    );
    crate::service::editorial::records::note_imported(
        &txn,
        &[
            records_of(RecordKind::FieldOfWork, &fields, |r| r.slug.to_string()),
            records_of(RecordKind::Country, &countries, |r| r.code.to_string()),
            records_of(RecordKind::OrgUnit, &units, |r| r.slug.to_string()),
            records_of(RecordKind::Chairpersonship, &chairs, |r| r.year.to_string()),
            records_of(RecordKind::Person, &people, |r| r.slug.to_string()),
            records_of(RecordKind::Meeting, &meetings, |r| r.slug.to_string()),
        ]
        .into_iter()
        .flatten()
        .map(|(kind, key, record)| {
            let replaced = existed.contains(&key);
            (kind, key, record, replaced)
        })
        // A person whose roles changed changed too (a new person was
        // noted just above, and is noted once).
        .chain(roles.iter().map(|r| {
            let record = serde_json::json!({ "slug": r.person });
            (RecordKind::Person, r.person.to_string(), record, true)
        }))
        .collect::<Vec<_>>(),
        now,
    )
    .await?;
    // The small records' changes go first; each batch of releases then
    // appends its own, so the log of a million releases is never held.
    changes::append(&txn, &log, now).await?;
    summary.changes = log.len() as u64;
    log.clear();
    if staged.press_releases > 0 {
        let duplicates = std::mem::take(&mut staged.duplicate_releases);
        summary.changes += write_press_releases(
            &txn,
            &source,
            spool.as_ref(),
            &options,
            &ids,
            duplicates,
            now,
        )
        .await?;
    }
    if !staged.deletions.is_empty() {
        let records: Vec<(RecordKind, String)> = staged
            .deletions
            .iter()
            .map(|(_, kind, key)| (*kind, key.clone()))
            .collect();
        let tombstones = crate::service::delete::delete_in(&txn, &records)
            .await
            .map_err(|error| {
                let line = match &error {
                    DeleteError::NotFound { kind, key }
                    | DeleteError::Referenced { kind, key, .. } => staged
                        .deletions
                        .iter()
                        .find(|(_, k, x)| k == kind && x == key)
                        .map_or(0, |(line, _, _)| *line),
                    _ => 0,
                };
                match error {
                    DeleteError::Database(e) => ImportError::Database(e),
                    other => invalid(line, other.to_string()),
                }
            })?;
        log.extend(tombstones);
    }
    summary.changes += log.len() as u64;
    changes::append(&txn, &log, now).await?;
    if let Some((key, value)) = &options.state {
        state::set(&txn, key, value, now).await?;
    }
    txn.commit().await?;
    // The import is committed by now: a failure here is only a warning.
    if staged.press_releases >= ANALYZE_AFTER_RELEASES
        && let Err(error) = storage::after_bulk_load(db).await
    {
        tracing::warn!(%error, "refreshing the database's statistics after the import");
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Pass 2 for press releases: a parser thread reads, sanitises and batches;
/// this task writes each batch, and its entries in the change log, while
/// the next is being prepared. Returns the number of entries appended.
async fn write_press_releases(
    txn: &sea_orm::DatabaseTransaction,
    source: &Source,
    spool: Option<&tempfile::NamedTempFile>,
    options: &ImportOptions,
    ids: &IdMaps,
    mut duplicates: DuplicateCheck,
    now: chrono::DateTime<Utc>,
) -> Result<u64, ImportError> {
    let opened = open(source, spool)?;
    let progress = Arc::new(progress_bar(options.progress, opened.size, "writing"));
    let (sender, mut receiver) =
        tokio::sync::mpsc::channel::<Result<Vec<ReleaseRow>, ImportError>>(BATCHES_IN_FLIGHT);
    let parser_progress = Arc::clone(&progress);
    let backend = txn.get_database_backend();
    let parser = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(RELEASE_BATCH);
        let mut batch_bytes = 0;
        let result = for_each_line(opened.reader, None, &parser_progress, |line, bytes| {
            if let Some(Record::PressRelease(r)) = parse_line(line, bytes)? {
                // A duplicate stops the import here, before the commit.
                if let Err(first) = duplicates.check(slug_hash(r.slug.as_str()), line) {
                    return Err(invalid(
                        line,
                        format!(
                            "duplicate press_release `{}` (first defined on line {first})",
                            r.slug
                        ),
                    ));
                }
                let row = ReleaseRow::new(sanitize_release(r), backend);
                batch_bytes += row.text_bytes();
                batch.push(row);
                if batch.len() == RELEASE_BATCH || batch_bytes >= RELEASE_BATCH_BYTES {
                    batch_bytes = 0;
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(RELEASE_BATCH));
                    sender
                        .blocking_send(Ok(full))
                        .map_err(|_| ImportError::Interrupted("the writer stopped".into()))?;
                }
            }
            Ok(())
        });
        let last = result.map(|_| batch);
        // The receiver may be gone if the writer failed; its error wins.
        let _ = sender.blocking_send(last);
    });
    let mut outcome = Ok(0);
    while let Some(message) = receiver.recv().await {
        let logged = match message {
            Ok(batch) => write_release_batch(txn, batch, ids, now).await,
            Err(e) => Err(e),
        };
        match (logged, &mut outcome) {
            (Ok(n), Ok(total)) => *total += n,
            (Err(e), _) => {
                outcome = Err(e);
                break;
            }
            (Ok(_), Err(_)) => {}
        }
    }
    drop(receiver);
    parser
        .join()
        .map_err(|_| ImportError::Interrupted("the parser thread panicked".into()))?;
    progress.finish_and_clear();
    outcome
}

/// Writes one batch of releases and logs those that changed.
async fn write_release_batch(
    txn: &sea_orm::DatabaseTransaction,
    batch: Vec<ReleaseRow>,
    ids: &IdMaps,
    now: chrono::DateTime<Utc>,
) -> Result<u64, ImportError> {
    let written = releases::upsert_press_releases(txn, batch, ids).await?;
    let log: Vec<Change> = written
        .into_iter()
        .map(|(slug, id)| Change::upsert(RecordKind::PressRelease, slug).with_id(id))
        .collect();
    changes::append(txn, &log, now).await?;
    Ok(log.len() as u64)
}
