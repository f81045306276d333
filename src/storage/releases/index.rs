//! The rows the release index is built from, streamed from one consistent
//! snapshot so that memory holds only the index being built.

use chrono::NaiveDate;
use futures::{Stream, StreamExt};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, StreamTrait,
};

use super::super::changes::{self, LogHead};
use super::super::sql::{placeholders, query_all, statement};
use super::super::state;
use super::super::write::KEYS_PER_STATEMENT;
use super::RELEASE_JUNCTIONS;
use crate::domain::ReleaseRelation;
use crate::model::change::LoggedChange;
use std::collections::HashMap;

/// A release as the index places it.
pub struct IndexedRelease {
    pub id: i64,
    pub date: NaiveDate,
    pub source_id: i64,
    pub language: String,
    pub title: String,
}

/// One release with everything the index keeps of it: what an update of
/// the index applies for a release that changed.
pub struct ReleaseEntry {
    pub release: IndexedRelease,
    /// Per relation (in `ReleaseRelation` order), the targets in stored order.
    pub links: [Vec<i64>; 4],
    /// The languages of its translations, by tag.
    pub translations: Vec<String>,
}

/// One link of a release: its target and its place in the release's list.
pub struct LinkRow {
    pub release_id: i64,
    pub release_date: NaiveDate,
    pub target: i64,
    pub position: i16,
}

/// A read-only snapshot to read the index's rows from.
pub struct IndexRows {
    txn: DatabaseTransaction,
}

/// Opens the snapshot the index is read from.
pub async fn index_rows(db: &DatabaseConnection) -> Result<IndexRows, DbErr> {
    let txn = super::super::begin_snapshot(db).await?;
    if ConnectionTrait::get_database_backend(&txn) == DbBackend::Postgres {
        // Reading a million rows is one long statement: the per-request
        // statement timeout must not cut it off.
        txn.execute_unprepared("SET LOCAL statement_timeout = 0")
            .await?;
    }
    Ok(IndexRows { txn })
}

impl IndexRows {
    fn backend(&self) -> DbBackend {
        ConnectionTrait::get_database_backend(&self.txn)
    }

    /// The content generation this snapshot sees.
    pub async fn content_generation(&self) -> Result<String, DbErr> {
        state::content_generation(&self.txn).await
    }

    /// Every release in (date, id) order.
    pub async fn releases_by_date(
        &self,
    ) -> Result<impl Stream<Item = Result<IndexedRelease, DbErr>> + '_, DbErr> {
        let sql = "SELECT id, date, source_id, language, title FROM press_release \
             WHERE status = 'published' ORDER BY date, id";
        let rows = self
            .txn
            .stream_raw(statement(self.backend(), sql, vec![]))
            .await?;
        Ok(rows.map(|row| {
            let row = row?;
            Ok(IndexedRelease {
                id: row.try_get("", "id")?,
                date: row.try_get("", "date")?,
                source_id: row.try_get("", "source_id")?,
                language: row.try_get("", "language")?,
                title: row.try_get("", "title")?,
            })
        }))
    }

    /// Every translation's release id and language, by release.
    pub async fn translations(
        &self,
    ) -> Result<impl Stream<Item = Result<(i64, String), DbErr>> + '_, DbErr> {
        let sql = "SELECT press_release_id, language FROM press_release_translation \
                   ORDER BY press_release_id, language";
        let rows = self
            .txn
            .stream_raw(statement(self.backend(), sql, vec![]))
            .await?;
        Ok(rows.map(|row| {
            let row = row?;
            Ok((
                row.try_get("", "press_release_id")?,
                row.try_get("", "language")?,
            ))
        }))
    }

    /// Every link of `relation`, in no particular order.
    pub async fn links(
        &self,
        relation: ReleaseRelation,
    ) -> Result<impl Stream<Item = Result<LinkRow, DbErr>> + '_, DbErr> {
        let (table, target, _, _) = RELEASE_JUNCTIONS[relation as usize];
        let sql = format!(
            "SELECT press_release_id, {target} AS target, release_date, position FROM {table}"
        );
        let rows = self
            .txn
            .stream_raw(statement(self.backend(), &sql, vec![]))
            .await?;
        Ok(rows.map(|row| {
            let row = row?;
            Ok(LinkRow {
                release_id: row.try_get("", "press_release_id")?,
                release_date: row.try_get("", "release_date")?,
                target: row.try_get("", "target")?,
                position: row.try_get("", "position")?,
            })
        }))
    }

    /// The titles of those of `ids` this snapshot holds, by id.
    pub async fn titles(&self, ids: &[i64]) -> Result<HashMap<i64, String>, DbErr> {
        let mut titles = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(KEYS_PER_STATEMENT) {
            let rows = query_all(
                &self.txn,
                &format!(
                    "SELECT id, title FROM press_release WHERE id IN ({})",
                    placeholders(chunk.len())
                ),
                chunk.iter().map(|&id| id.into()).collect(),
            )
            .await?;
            for row in rows {
                titles.insert(row.try_get("", "id")?, row.try_get("", "title")?);
            }
        }
        Ok(titles)
    }

    /// How many releases this snapshot holds.
    pub async fn release_count(&self) -> Result<i64, DbErr> {
        let rows = query_all(
            &self.txn,
            "SELECT COUNT(*) AS n FROM press_release WHERE status = 'published'",
            vec![],
        )
        .await?;
        Ok(rows
            .first()
            .map(|r| r.try_get("", "n"))
            .transpose()?
            .unwrap_or(0))
    }

    /// The change log's head this snapshot sees.
    pub async fn head(&self) -> Result<LogHead, DbErr> {
        changes::head(&self.txn).await
    }

    /// The changes after `seq`, up to `limit`, as this snapshot sees them.
    pub async fn changes_after(&self, seq: i64, limit: u64) -> Result<Vec<LoggedChange>, DbErr> {
        changes::after(&self.txn, seq, limit).await
    }

    /// Those of `ids` still stored, with their links and whether they have
    /// a translation, by id.
    pub async fn entries(&self, ids: &[i64]) -> Result<Vec<ReleaseEntry>, DbErr> {
        let mut entries: Vec<ReleaseEntry> = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(KEYS_PER_STATEMENT) {
            let list = placeholders(chunk.len());
            let values = || chunk.iter().map(|&id| id.into()).collect::<Vec<_>>();
            let rows = query_all(
                &self.txn,
                &format!(
                    "SELECT id, date, source_id, language, title FROM press_release \
                     WHERE id IN ({list}) AND status = 'published' ORDER BY id"
                ),
                values(),
            )
            .await?;
            let first = entries.len();
            for row in rows {
                entries.push(ReleaseEntry {
                    release: IndexedRelease {
                        id: row.try_get("", "id")?,
                        date: row.try_get("", "date")?,
                        source_id: row.try_get("", "source_id")?,
                        language: row.try_get("", "language")?,
                        title: row.try_get("", "title")?,
                    },
                    links: Default::default(),
                    translations: Vec::new(),
                });
            }
            let by_id: HashMap<i64, usize> = entries[first..]
                .iter()
                .enumerate()
                .map(|(i, e)| (e.release.id, first + i))
                .collect();
            for relation in ReleaseRelation::ALL {
                let (table, target, _, _) = RELEASE_JUNCTIONS[relation as usize];
                let rows = query_all(
                    &self.txn,
                    &format!(
                        "SELECT press_release_id, {target} AS target FROM {table} \
                         WHERE press_release_id IN ({list}) ORDER BY press_release_id, position"
                    ),
                    values(),
                )
                .await?;
                for row in rows {
                    let id: i64 = row.try_get("", "press_release_id")?;
                    if let Some(&i) = by_id.get(&id) {
                        entries[i].links[relation as usize].push(row.try_get("", "target")?);
                    }
                }
            }
            let rows = query_all(
                &self.txn,
                &format!(
                    "SELECT press_release_id, language FROM press_release_translation \
                     WHERE press_release_id IN ({list}) ORDER BY press_release_id, language"
                ),
                values(),
            )
            .await?;
            for row in rows {
                let id: i64 = row.try_get("", "press_release_id")?;
                if let Some(&i) = by_id.get(&id) {
                    entries[i].translations.push(row.try_get("", "language")?);
                }
            }
        }
        Ok(entries)
    }

    /// Ends the snapshot.
    pub async fn finish(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }
}
