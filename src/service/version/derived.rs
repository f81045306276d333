//! A value derived from the content (the release index, the catalog), kept
//! per process for one content generation and rebuilt when it moves: one
//! rebuild at a time, concurrent callers waiting for it and sharing it.

use std::future::Future;
use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbErr};
use tokio::sync::{Mutex, RwLock};

use crate::storage::state;

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
            let now = state::content_generation(db).await?;
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
