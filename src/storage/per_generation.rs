//! A value derived from the content (the release index, the catalog), kept
//! per process for one content generation and rebuilt when it moves: one
//! rebuild at a time, concurrent callers waiting for it and sharing it.

use std::future::Future;
use std::sync::Arc;

use sea_orm::{
    AccessMode, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, IsolationLevel,
    TransactionTrait,
};
use tokio::sync::{Mutex, RwLock};

use super::release_index::GENERATION_KEY;
use super::writer;

/// A read-only transaction that sees one consistent snapshot of the
/// content, to build a derived value from (REPEATABLE READ on PostgreSQL;
/// a SQLite transaction is a snapshot already).
pub async fn begin_snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await
        }
        _ => db.begin().await,
    }
}

/// What a derived value records: the generation it was built from.
pub trait Generational {
    fn generation(&self) -> &str;
}

pub struct PerGeneration<T> {
    current: Arc<RwLock<Option<Arc<T>>>>,
    rebuilding: Arc<Mutex<()>>,
}

impl<T> Clone for PerGeneration<T> {
    fn clone(&self) -> Self {
        Self {
            current: Arc::clone(&self.current),
            rebuilding: Arc::clone(&self.rebuilding),
        }
    }
}

impl<T> Default for PerGeneration<T> {
    fn default() -> Self {
        Self {
            current: Default::default(),
            rebuilding: Default::default(),
        }
    }
}

impl<T: Generational> PerGeneration<T> {
    /// The value at `generation`, built with `build` unless already there.
    /// A caller whose generation is already behind the database's (read a
    /// moment before a write) gets the value held, if that one is current,
    /// rather than rebuilding it once per such caller.
    pub async fn get_at<F, Fut>(
        &self,
        db: &DatabaseConnection,
        generation: &str,
        build: F,
    ) -> Result<Arc<T>, DbErr>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, DbErr>>,
    {
        if let Some(value) = self.current_at(generation).await {
            return Ok(value);
        }
        let _guard = self.rebuilding.lock().await;
        if let Some(value) = self.current_at(generation).await {
            return Ok(value);
        }
        let held = self.current.read().await.clone();
        if let Some(held) = held {
            let now = writer::get_state(db, GENERATION_KEY)
                .await?
                .unwrap_or_default();
            if held.generation() == now {
                return Ok(held);
            }
        }
        let value = Arc::new(build().await?);
        *self.current.write().await = Some(Arc::clone(&value));
        Ok(value)
    }

    async fn current_at(&self, generation: &str) -> Option<Arc<T>> {
        self.current
            .read()
            .await
            .as_ref()
            .filter(|v| v.generation() == generation)
            .cloned()
    }
}
