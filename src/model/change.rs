//! An entry of the change log: which record a write touched, and how.

use chrono::{DateTime, Utc};

use super::RecordKind;

/// What a write did to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChangeOp {
    /// Created or changed: the record now reads as stored.
    Upsert,
    /// Removed: a tombstone.
    Delete,
}

impl ChangeOp {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeOp::Upsert => "upsert",
            ChangeOp::Delete => "delete",
        }
    }

    pub fn parse(text: &str) -> Option<ChangeOp> {
        match text {
            "upsert" => Some(ChangeOp::Upsert),
            "delete" => Some(ChangeOp::Delete),
            _ => None,
        }
    }
}

/// A change about to be logged: the record's kind and public key (slug,
/// country code, year; a role's `person/org_unit/title/from`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Change {
    pub kind: RecordKind,
    pub key: String,
    pub op: ChangeOp,
    /// The row id the record has (had, for a deletion), where replicas need
    /// it: press releases.
    pub id: Option<i64>,
}

impl Change {
    pub fn upsert(kind: RecordKind, key: impl Into<String>) -> Self {
        Self {
            kind,
            key: key.into(),
            op: ChangeOp::Upsert,
            id: None,
        }
    }

    pub fn delete(kind: RecordKind, key: impl Into<String>) -> Self {
        Self {
            kind,
            key: key.into(),
            op: ChangeOp::Delete,
            id: None,
        }
    }

    /// The same change, naming the record's row id.
    pub fn with_id(mut self, id: i64) -> Self {
        self.id = Some(id);
        self
    }
}

/// A change as the log holds it: numbered, with its commit's time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedChange {
    pub seq: i64,
    pub change: Change,
    pub changed_at: DateTime<Utc>,
}

/// The key a role is logged under (roles have no key of their own).
pub fn role_key(role: &super::Role) -> String {
    format!(
        "{}/{}/{}/{}",
        role.person, role.org_unit, role.title, role.from
    )
}
