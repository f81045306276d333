//! Deleting content: one record or many, all or nothing, each leaving a
//! tombstone in the change log. A record something else still refers to
//! is not deleted: the error names what refers to it.

use chrono::Utc;
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};

use crate::model::RecordKind;
use crate::model::change::Change;
use crate::storage::delete::{Deletion, Referrers};
use crate::storage::{changes, delete, search_index};

#[derive(Debug, thiserror::Error)]
pub enum DeleteError {
    #[error("there is no {} `{key}`", kind.noun())]
    NotFound { kind: RecordKind, key: String },
    #[error("{} `{key}` cannot be deleted: {}", kind.noun(), describe(referrers))]
    Referenced {
        kind: RecordKind,
        key: String,
        referrers: Vec<Referrers>,
    },
    #[error("roles are deleted with their person, or replaced by importing the person's roles")]
    NotDeletable,
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

fn describe(referrers: &[Referrers]) -> String {
    let parts: Vec<String> = referrers
        .iter()
        .map(|r| {
            let noun = if r.kind == RecordKind::Role {
                "role(s) of people".to_string()
            } else {
                format!("{}(s)", r.kind.noun())
            };
            let more = if r.count > r.first_keys.len() as u64 {
                ", …"
            } else {
                ""
            };
            format!(
                "{} {noun} refer to it ({}{more})",
                r.count,
                r.first_keys.join(", ")
            )
        })
        .collect();
    format!("{}; delete or change those first", parts.join("; "))
}

/// What a deletion did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteSummary {
    /// Records deleted, the roles that went with their person included.
    pub deleted: u64,
    /// The change log's number after the deletion.
    pub seq: i64,
}

/// Deletes these records in one transaction: every one, or none. Records
/// that depend on others go first (releases before the meetings they name,
/// units before their parents as given), so one call can remove a record
/// and everything that referred to it.
pub async fn delete_records(
    db: &DatabaseConnection,
    records: &[(RecordKind, String)],
) -> Result<DeleteSummary, DeleteError> {
    let txn = db.begin().await?;
    changes::lock_writers(&txn).await?;
    let log = delete_in(&txn, records).await?;
    let seq = changes::append(&txn, &log, Utc::now()).await?;
    txn.commit().await?;
    Ok(DeleteSummary {
        deleted: log.len() as u64,
        seq,
    })
}

/// Deletes in the caller's transaction (import applies a file's deletions
/// so); returns the tombstones to log, in order.
pub async fn delete_in(
    txn: &DatabaseTransaction,
    records: &[(RecordKind, String)],
) -> Result<Vec<Change>, DeleteError> {
    let mut ordered: Vec<&(RecordKind, String)> = records.iter().collect();
    // Reverse format order: releases, meetings, roles, people, …, fields.
    ordered.sort_by_key(|(kind, _)| std::cmp::Reverse(*kind));
    let mut log = Vec::new();
    let mut small_tables_changed = false;
    for (kind, key) in ordered {
        if *kind == RecordKind::Role {
            return Err(DeleteError::NotDeletable);
        }
        match delete::delete(txn, *kind, key).await? {
            Deletion::NotFound => {
                return Err(DeleteError::NotFound {
                    kind: *kind,
                    key: key.clone(),
                });
            }
            Deletion::Referenced(referrers) => {
                return Err(DeleteError::Referenced {
                    kind: *kind,
                    key: key.clone(),
                    referrers,
                });
            }
            Deletion::Deleted { id, roles } => {
                log.extend(
                    roles
                        .into_iter()
                        .map(|r| Change::delete(RecordKind::Role, r)),
                );
                log.push(Change::delete(*kind, key.clone()).with_id(id));
                small_tables_changed |= *kind != RecordKind::PressRelease;
            }
        }
    }
    // Search documents of meetings, people and units draw on each other.
    if small_tables_changed {
        search_index::index_small_tables(txn).await?;
    }
    Ok(log)
}
