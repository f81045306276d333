//! Editorial writes: every change an editor makes goes through here, in one
//! transaction that also appends to the change log, keeps a revision and
//! writes the audit log. Nothing is half
//! written: a refused write leaves the database as it was.
//!
//! Writers are serialised (`storage::changes::lock_writers`, the first
//! statement of each write), so a version read in the transaction is the
//! version the write replaces: of two writers sending the same expected
//! version, exactly one wins.

mod fields;
pub mod idempotency;
pub mod records;
pub mod releases;
pub mod schedule;
pub mod translations;

pub use fields::{WRITABLE, slug_from};

use crate::service::auth::{Principal, Scope};
use sea_orm::DbErr;

/// Where a write came from, for the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Api,
    Cli,
    Import,
    /// The service itself: a scheduled release becoming public.
    Schedule,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Api => "api",
            Origin::Cli => "cli",
            Origin::Import => "import",
            Origin::Schedule => "schedule",
        }
    }
}

/// Who writes: a key (or the service), where from, and in which request.
#[derive(Clone, Debug)]
pub struct Actor {
    pub principal: Option<Principal>,
    pub origin: Origin,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn api(principal: Option<Principal>, request_id: Option<String>) -> Self {
        Self {
            principal,
            origin: Origin::Api,
            request_id,
        }
    }

    /// The name revisions and the audit log record.
    pub fn name(&self) -> &str {
        self.principal.as_ref().map_or(
            match self.origin {
                Origin::Schedule => "scheduler",
                _ => "anonymous",
            },
            |p| p.name.as_str(),
        )
    }

    /// Refuses unless the actor holds `scope`.
    pub fn require(&self, scope: Scope) -> Result<&Principal, EditError> {
        let principal = self.principal.as_ref().ok_or(EditError::Unauthenticated)?;
        if principal.can(scope) {
            Ok(principal)
        } else {
            Err(EditError::Forbidden(scope))
        }
    }
}

/// One field an editor must correct, named as the interchange format does
/// (`translations[0].title`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Why a write was refused, in terms each API maps to its codes.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("this needs an API key (Authorization: Bearer KEY)")]
    Unauthenticated,
    #[error("this API key lacks the `{0}` scope")]
    Forbidden(Scope),
    #[error("{0}")]
    NotFound(String),
    #[error("{} field(s) are not valid: {}", .0.len(), describe(.0))]
    Invalid(Vec<FieldError>),
    #[error(
        "the release is at version {current}, not {expected}: reload it and apply your change again"
    )]
    VersionConflict { expected: i64, current: i64 },
    #[error("`{0}` is taken")]
    SlugTaken(String),
    #[error("{0}")]
    WrongState(String),
    #[error("this Idempotency-Key was used for another request; use a new key for a new request")]
    IdempotencyKeyReused,
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{} {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The publication status of a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not public; editable.
    Draft,
    /// Public from `publish_at`.
    Scheduled,
    Published,
    /// Withdrawn after publication: no longer public.
    Unpublished,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Draft,
        Status::Scheduled,
        Status::Published,
        Status::Unpublished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn is_public(self) -> bool {
        self == Status::Published
    }
}
