//! The time the service acts at: the system's, or one a test sets. Scheduled
//! publishing, key expiry, revisions and the audit log read it, so a test
//! can move past a scheduled time without waiting for it.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

#[derive(Clone, Default)]
pub struct Clock {
    /// `None`: the system clock.
    fixed: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock that stands at `at` until `set` moves it (for tests and drills).
    pub fn manual(at: DateTime<Utc>) -> Self {
        Self {
            fixed: Some(Arc::new(Mutex::new(at))),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.fixed {
            Some(at) => *super::version::lock(at),
            None => Utc::now(),
        }
    }

    /// Moves a manual clock (every copy of it); the system clock ignores it.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(fixed) = &self.fixed {
            *super::version::lock(fixed) = at;
        }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.fixed {
            Some(_) => write!(f, "Clock::manual({})", self.now()),
            None => f.write_str("Clock::system"),
        }
    }
}
