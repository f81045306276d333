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

/// How long requests wait for a rebuild by default: long enough that a
/// library user (and a test) reads its own writes on a small corpus; `serve`
/// gives the release index its own, short, patience (`rebuild_patience_ms`).
pub const DEFAULT_REBUILD_PATIENCE: Duration = Duration::from_secs(30);

/// What a derived value records: the generation it was built from (the
/// change log's number, as text).
pub trait Generational {
    fn generation(&self) -> &str;

    fn seq(&self) -> i64 {
        self.generation().parse().unwrap_or(0)
    }
}

/// A build's outcome, shared by everyone waiting for it.
type Outcome<T> = Result<Arc<T>, Arc<DbErr>>;
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
        F: FnOnce(Option<Arc<T>>) -> Fut,
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
        let seen = held.as_ref().map(|v| v.generation().to_owned());
        let (started, build) = self.start(seen.as_deref(), build);
        let Some(older) = held else {
            // Nothing to answer from yet (start-up): wait for the first build.
            // A build already running may have started before the write the
            // caller read: say so, so its answer is not cached as current.
            return match build.await {
                Ok(value) => Ok(Derived {
                    stale: is_behind(db, value.as_ref(), generation).await?,
                    value,
                }),
                // As the database said it: an outage stays a 503.
                Err(error) => Err((*error).clone()),
            };
        };
        let wait = patience.saturating_sub(started.elapsed());
        match tokio::time::timeout(wait, build).await {
            Ok(Ok(value)) => Ok(Derived {
                stale: is_behind(db, value.as_ref(), generation).await?,
                value,
            }),
            // Still building, or the build failed (the next caller tries
            // again): the older value is complete, and better than an error.
            Ok(Err(_)) | Err(_) => Ok(Derived {
                value: older,
                stale: true,
            }),
        }
    }

    /// The running rebuild, the value of one that landed since the caller
    /// looked (`seen`: the generation it saw held), or a new one on a task
    /// of its own.
    fn start<F, Fut>(&self, seen: Option<&str>, build: F) -> (Instant, Build<T>)
    where
        F: FnOnce(Option<Arc<T>>) -> Fut,
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
        // Stored before `building` is cleared, so seen here if it landed.
        if let Some(current) = self.held()
            && Some(current.generation()) != seen
        {
            let landed: Build<T> = futures::future::ready(Ok(current)).boxed().shared();
            return (Instant::now(), landed);
        }
        let inner = Arc::clone(&self.inner);
        // The build is given the value held, to update it rather than
        // start over where it can.
        let task = tokio::spawn(build(self.held()));
        let shared: Build<T> = async move {
            let outcome = match task.await {
                Ok(Ok(value)) => {
                    let value = Arc::new(value);
                    store_if_newer(&inner, &value);
                    Ok(value)
                }
                Ok(Err(error)) => {
                    tracing::warn!(%error, "rebuilding a derived value failed; the next request tries again");
                    Err(Arc::new(error))
                }
                Err(error) => {
                    tracing::error!(%error, "a rebuild of a derived value stopped");
                    Err(Arc::new(DbErr::Custom(format!("the build stopped: {error}"))))
                }
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

/// Makes `value` the one held unless the one held is newer (a background
/// build that landed while updates moved on).
fn store_if_newer<T: Generational>(inner: &Inner<T>, value: &Arc<T>) -> bool {
    let mut current = inner
        .current
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if current.as_ref().is_some_and(|c| c.seq() > value.seq()) {
        return false;
    }
    *current = Some(Arc::clone(value));
    true
}

impl<T: Generational> PerGeneration<T> {
    /// Offers a value built elsewhere (a background compaction): held from
    /// now on unless the one held is newer. Says whether it was taken.
    pub fn offer(&self, value: Arc<T>) -> bool {
        store_if_newer(&self.inner, &value)
    }
}

/// Whether `value` is older than `generation`, the generation the caller
/// read (a build that started before a write): it is not when it is of that
/// generation or of the one the database holds now.
async fn is_behind<T: Generational>(
    db: &DatabaseConnection,
    value: &T,
    generation: &str,
) -> Result<bool, DbErr> {
    Ok(value.generation() != generation
        && value.generation() != state::content_generation(db).await?)
}
