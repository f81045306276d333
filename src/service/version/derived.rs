//! A value derived from the content (the release index, the catalog), kept
//! per process and rebuilt when the content version moves. A rebuild runs on
//! a task of its own: no request runs it, so none can cancel it (a request
//! that times out only stops waiting), and one at a time. A caller waits for
//! a rebuild at most its patience when a value is held, then answers from the
//! value held (older, complete); only before the first value exists does a
//! caller wait for the build itself.

use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use sea_orm::{DatabaseConnection, DbErr};

use crate::storage::state;

/// What a derived value records: the generation it was built from.
pub trait Generational {
    fn generation(&self) -> &str;
}

/// A build's outcome, shared by everyone waiting for it.
type Outcome<T> = Result<Arc<T>, Arc<String>>;
type Build<T> = Shared<BoxFuture<'static, Outcome<T>>>;

struct Inner<T> {
    current: RwLock<Option<Arc<T>>>,
    /// The running build and when it started.
    building: Mutex<Option<(Instant, Build<T>)>>,
}

pub struct PerGeneration<T> {
    inner: Arc<Inner<T>>,
}

impl<T> Clone for PerGeneration<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> Default for PerGeneration<T> {
    fn default() -> Self {
        Self {
            inner: Arc::new(Inner {
                current: RwLock::new(None),
                building: Mutex::new(None),
            }),
        }
    }
}

/// What a caller got: the value, and whether it is older than asked for.
pub struct Derived<T> {
    pub value: Arc<T>,
    pub stale: bool,
}

impl<T: Generational + Send + Sync + 'static> PerGeneration<T> {
    /// The value held now, if any.
    pub fn held(&self) -> Option<Arc<T>> {
        self.inner
            .current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Whether a first value exists (a replica is ready once it does).
    pub fn is_ready(&self) -> bool {
        self.held().is_some()
    }

    /// The value at `generation` if it is held; otherwise a rebuild is
    /// started (unless one runs) and, while an older value is held, waited
    /// for until `patience` after the rebuild started (so a quick rebuild is
    /// seen at once, and a long one holds no request past that), after which
    /// the older value is returned marked stale. A caller
    /// whose generation is already behind the database's (read a moment
    /// before a write) gets the value held if that one is current.
    pub async fn get_at<F, Fut>(
        &self,
        db: &DatabaseConnection,
        generation: &str,
        patience: Duration,
        build: F,
    ) -> Result<Derived<T>, DbErr>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, DbErr>> + Send + 'static,
    {
        let held = self.held();
        if let Some(value) = held.as_ref().filter(|v| v.generation() == generation) {
            return Ok(Derived {
                value: Arc::clone(value),
                stale: false,
            });
        }
        if let Some(value) = &held
            && value.generation() == state::content_generation(db).await?
        {
            return Ok(Derived {
                value: Arc::clone(value),
                stale: false,
            });
        }
        let (started, build) = self.start(build);
        let Some(older) = held else {
            // Nothing to answer from yet (start-up): wait for the first build.
            return match build.await {
                Ok(value) => Ok(Derived {
                    value,
                    stale: false,
                }),
                Err(message) => {
                    // Said as the database says it when it is the cause.
                    state::content_generation(db).await?;
                    Err(DbErr::Custom(message.to_string()))
                }
            };
        };
        let wait = patience.saturating_sub(started.elapsed());
        match tokio::time::timeout(wait, build).await {
            Ok(Ok(value)) => {
                let stale = value.generation() != generation
                    && value.generation() != state::content_generation(db).await?;
                Ok(Derived { value, stale })
            }
            // Still building, or the build failed (the next caller tries
            // again): the older value is complete, and better than an error.
            Ok(Err(_)) | Err(_) => Ok(Derived {
                value: older,
                stale: true,
            }),
        }
    }

    /// The running rebuild, or a new one on a task of its own.
    fn start<F, Fut>(&self, build: F) -> (Instant, Build<T>)
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, DbErr>> + Send + 'static,
    {
        let mut building = self
            .inner
            .building
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((started, running)) = building.as_ref() {
            return (*started, running.clone());
        }
        let inner = Arc::clone(&self.inner);
        let task = tokio::spawn(build());
        let shared: Build<T> = async move {
            let outcome = match task.await {
                Ok(Ok(value)) => {
                    let value = Arc::new(value);
                    *inner
                        .current
                        .write()
                        .unwrap_or_else(|poisoned| poisoned.into_inner()) =
                        Some(Arc::clone(&value));
                    Ok(value)
                }
                Ok(Err(error)) => Err(Arc::new(error.to_string())),
                Err(error) => Err(Arc::new(format!("the build stopped: {error}"))),
            };
            *inner
                .building
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
            outcome
        }
        .boxed()
        .shared();
        let started = Instant::now();
        *building = Some((started, shared.clone()));
        // Driven to its end whoever waits: storing the value is part of it.
        tokio::spawn(shared.clone());
        (started, shared)
    }
}
