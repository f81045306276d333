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
    /// The record's version after the write, where the writer knows it
    /// (the changes feed reads it from the database otherwise).
    pub version: Option<i64>,
    /// For a write of one translation of a press release: which, and what
    /// became of it (the change itself names the release, which replicas
    /// re-read whole).
    pub translation: Option<TranslationChange>,
}

/// The translation a change touched: its language, saved or removed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TranslationChange {
    pub language: String,
    pub op: ChangeOp,
}

impl Change {
    pub fn upsert(kind: RecordKind, key: impl Into<String>) -> Self {
        Self {
            kind,
            key: key.into(),
            op: ChangeOp::Upsert,
            id: None,
            version: None,
            translation: None,
        }
    }

    pub fn delete(kind: RecordKind, key: impl Into<String>) -> Self {
        Self {
            kind,
            key: key.into(),
            op: ChangeOp::Delete,
            id: None,
            version: None,
            translation: None,
        }
    }

    /// The same change, naming the record's row id.
    pub fn with_id(mut self, id: i64) -> Self {
        self.id = Some(id);
        self
    }

    /// The same change, made by a write of the translation into `language`.
    pub fn of_translation(mut self, language: impl Into<String>, op: ChangeOp) -> Self {
        self.translation = Some(TranslationChange {
            language: language.into(),
            op,
        });
        self
    }

    /// The same change, naming the record's version after it.
    pub fn with_version(mut self, version: i64) -> Self {
        self.version = Some(version);
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

/// Why a record left the public feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Deleted,
    /// Withdrawn: the release still exists, but is no longer public.
    Unpublished,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Deleted => "deleted",
            Reason::Unpublished => "unpublished",
        }
    }

    pub fn parse(text: &str) -> Option<Reason> {
        match text {
            "deleted" => Some(Reason::Deleted),
            "unpublished" => Some(Reason::Unpublished),
            _ => None,
        }
    }
}

/// An item of the public changes feed: the last change of a public record,
/// or a tombstone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedEntry {
    pub seq: i64,
    pub kind: super::RecordKind,
    pub key: String,
    pub op: ChangeOp,
    pub reason: Option<Reason>,
    pub version: Option<i64>,
    pub at: DateTime<Utc>,
    /// The translation whose write this entry records, if it was one.
    pub translation: Option<TranslationChange>,
}

/// A feed entry as it was written, with what it means to a subscriber.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedEvent {
    pub entry: FeedEntry,
    /// `press_release.published`, `meeting.updated`, …
    pub event_type: String,
}

impl FeedEvent {
    /// Names the event: the record became public (`published` for releases,
    /// `created` for the rest), changed while public (`updated`), or left
    /// (`unpublished`, `deleted`).
    pub fn new(entry: FeedEntry, was_public: bool) -> Self {
        let kind = entry.kind;
        let translated = entry.translation.as_ref().map(|t| t.op);
        let verb = match (entry.op, entry.reason) {
            (ChangeOp::Delete, Some(Reason::Unpublished)) => "unpublished",
            (ChangeOp::Delete, _) => "deleted",
            // A translation of a public release: the release stays.
            (ChangeOp::Upsert, _) if was_public && translated == Some(ChangeOp::Upsert) => {
                "translation_saved"
            }
            (ChangeOp::Upsert, _) if was_public && translated == Some(ChangeOp::Delete) => {
                "translation_deleted"
            }
            (ChangeOp::Upsert, _) if was_public => "updated",
            (ChangeOp::Upsert, _) if kind == super::RecordKind::PressRelease => "published",
            (ChangeOp::Upsert, _) => "created",
        };
        Self {
            event_type: format!("{}.{verb}", kind.type_name()),
            entry,
        }
    }

    /// Every event type a webhook may subscribe to.
    pub fn all_types() -> Vec<String> {
        super::RecordKind::ALL
            .into_iter()
            .flat_map(|kind| {
                let verbs: &[&str] = if kind == super::RecordKind::PressRelease {
                    &[
                        "published",
                        "updated",
                        "unpublished",
                        "deleted",
                        "translation_saved",
                        "translation_deleted",
                    ]
                } else {
                    &["created", "updated", "deleted"]
                };
                verbs
                    .iter()
                    .map(move |verb| format!("{}.{verb}", kind.type_name()))
            })
            .collect()
    }
}

impl FeedEntry {
    /// The item as the feed, its stream and webhook payloads show it.
    pub fn to_json(&self) -> serde_json::Value {
        let mut item = serde_json::json!({
            "seq": self.seq,
            "op": self.op.as_str(),
            "type": self.kind.type_name(),
            "key": self.key,
            "version": self.version,
            "at": super::rfc3339::format(&self.at),
        });
        if let (Some(reason), Some(map)) = (self.reason, item.as_object_mut()) {
            map.insert("reason".into(), reason.as_str().into());
        }
        if let (Some(translation), Some(map)) = (&self.translation, item.as_object_mut()) {
            map.insert("language".into(), translation.language.clone().into());
            map.insert("language_op".into(), translation.op.as_str().into());
        }
        item
    }
}

impl FeedEvent {
    /// The body of a webhook delivery (Standard Webhooks' recommended
    /// envelope): small, so a receiver fetches the record if it needs it.
    pub fn payload(&self, now: DateTime<Utc>) -> String {
        serde_json::json!({
            "type": self.event_type,
            "timestamp": super::rfc3339::format(&now),
            "data": self.entry.to_json(),
        })
        .to_string()
    }
}
