//! Publishing, scheduling and withdrawing a release.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde_json::Map;

use super::save::save;
use super::{Checked, EditorialRelease, begin, check_version, checked, load, not_found};
use crate::service::auth::Scope;
use crate::service::editorial::{Actor, EditError, FieldError, Status};

/// Makes a release public now (`publish`).
pub async fn publish(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    transition(db, actor, slug, expected, now, Transition::Publish).await
}

/// Makes a release public at `at`, a time to come (`publish`).
pub async fn schedule(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    expected: i64,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    transition(db, actor, slug, expected, now, Transition::Schedule(at)).await
}

/// Withdraws a public or scheduled release (`publish`).
pub async fn unpublish(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<EditorialRelease, EditError> {
    transition(db, actor, slug, expected, now, Transition::Unpublish).await
}

enum Transition {
    Publish,
    Schedule(DateTime<Utc>),
    Unpublish,
}

async fn transition(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    expected: i64,
    now: DateTime<Utc>,
    transition: Transition,
) -> Result<EditorialRelease, EditError> {
    actor.require(Scope::Publish)?;
    if let Transition::Schedule(at) = transition
        && at <= now
    {
        return Err(EditError::Invalid(vec![FieldError {
            field: "publish_at".into(),
            message: format!(
                "must be in the future (it is {} now); publish it instead",
                crate::model::rfc3339::format(&now)
            ),
        }]));
    }
    let txn = begin(db, now).await?;
    let current = load(&txn, slug, now)
        .await?
        .ok_or_else(|| not_found(slug))?;
    check_version(expected, &current)?;
    let Checked { mut record, ids } =
        checked(&txn, Some(&current.record), &Map::new(), false, now).await?;
    let (status, publish_at, action) = match (transition, current.status) {
        (Transition::Publish, Status::Published) => {
            return Err(EditError::WrongState(format!(
                "`{slug}` is published already"
            )));
        }
        (Transition::Publish, from) => {
            // A withdrawn release published again keeps its first date.
            if from != Status::Unpublished {
                record.published_at = now;
            }
            (Status::Published, None, "publish")
        }
        (Transition::Schedule(_), Status::Published) => {
            return Err(EditError::WrongState(format!(
                "`{slug}` is published; unpublish it first to schedule it"
            )));
        }
        (Transition::Schedule(at), _) => {
            record.published_at = at;
            (Status::Scheduled, Some(at), "schedule")
        }
        (Transition::Unpublish, Status::Published | Status::Scheduled) => {
            (Status::Unpublished, None, "unpublish")
        }
        (Transition::Unpublish, from) => {
            return Err(EditError::WrongState(format!(
                "`{slug}` is not public (it is {}): there is nothing to withdraw",
                from.as_str()
            )));
        }
    };
    let saved = save(
        &txn,
        actor,
        Some(&current),
        record,
        ids,
        status,
        publish_at,
        action,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
