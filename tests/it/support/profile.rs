//! The settings a test's service runs with: the strict profile of
//! `AppState::new`, or the production one of `osce-api serve`.

use std::time::Duration;

use osce_api::AppState;

use super::TestDb;

/// Declares, beside [`backend_tests!`], variants that run the same tests
/// with the settings `serve` runs with by default (response caches on,
/// the content version re-read every 250 ms, the release index following
/// the change log on its own task): `production_sqlite` and
/// `production_postgres`. Such a test builds its state with
/// [`TestDb::state`] and, after a write, waits with [`TestDb::settle`]
/// as a client of a production server would.
#[macro_export]
macro_rules! production_tests {
    ($($name:ident),* $(,)?) => {
        mod production_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::support::PROFILE
                        .scope(
                            $crate::support::Profile::Production,
                            super::$name($crate::support::Backend::Sqlite),
                        )
                        .await;
                }
            )*
        }
        mod production_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::support::PROFILE
                        .scope(
                            $crate::support::Profile::Production,
                            super::$name($crate::support::Backend::Postgres),
                        )
                        .await;
                }
            )*
        }
    };
}

/// [`backend_tests!`] and [`production_tests!`] of the same tests: each runs
/// on both backends in both profiles.
#[macro_export]
macro_rules! backend_and_production_tests {
    ($($name:ident),* $(,)?) => {
        $crate::backend_tests!($($name),*);
        $crate::production_tests!($($name),*);
    };
}

/// Which settings a test's service runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// What a library user gets from `AppState::new`: no response caches,
    /// the content version read on every request.
    Strict,
    /// What `osce-api serve` runs with by default.
    Production,
}

tokio::task_local! {
    pub static PROFILE: Profile;
}

/// The profile of the running test ([`Profile::Strict`] unless it runs
/// under [`production_tests!`]).
pub fn profile() -> Profile {
    PROFILE.try_with(|p| *p).unwrap_or(Profile::Strict)
}

impl TestDb {
    /// The service's state over this database, with the test's profile.
    pub fn state(&self) -> AppState {
        self.state_at(osce_api::service::clock::Clock::system())
    }

    /// The same, acting at the times `clock` tells: set before the change
    /// log's follower starts, so that it publishes scheduled releases at
    /// the test's time, not the machine's.
    pub fn state_at(&self, clock: osce_api::service::clock::Clock) -> AppState {
        match profile() {
            Profile::Strict => AppState::new(self.conn.clone()).with_clock(clock),
            Profile::Production => {
                let settings = osce_api::config::Settings::default();
                let state = settings
                    .app_state(self.conn.clone())
                    .expect("the default settings are valid")
                    .with_clock(clock);
                // As `serve` does: the index follows the change log.
                tokio::spawn(osce_api::service::index::follow_changes(
                    self.conn.clone(),
                    state.release_index.clone(),
                    state.catalog.clone(),
                    Duration::from_millis(settings.content_check_interval_ms),
                    state.scheduler.clone(),
                ));
                state
            }
        }
    }

    /// After a write: waits as long as a production server may answer from
    /// before it (one content check interval, and a margin); at once in
    /// the strict profile, where every answer follows every write.
    pub async fn settle(&self) {
        if profile() == Profile::Production {
            let interval = osce_api::config::Settings::default().content_check_interval_ms;
            tokio::time::sleep(Duration::from_millis(interval + 100)).await;
        }
    }
}
