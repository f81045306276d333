//! The changes feed as a GraphQL connection (the same items, cursors and
//! rules as `GET /api/v1/changes`).

use async_graphql::{Context, Enum, SimpleObject};

use super::connection::PageInfo;
use super::context::db;
use super::error::{BAD_USER_INPUT, coded, internal, unavailable};
use super::scalars::DateTime;
use crate::model::change::{ChangeOp, FeedEntry, Reason};
use crate::service::changes::{self, ChangesError, Cursor};
use crate::storage;

/// What a change did.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOperation {
    /// The record is public and reads as the API serves it now.
    Upsert,
    /// A tombstone: the record left the public content.
    Delete,
}

/// Why a record left the public content.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum RemovalReason {
    /// It was deleted.
    Deleted,
    /// It was withdrawn (the release exists, not public).
    Unpublished,
}

/// One item of the changes feed.
#[derive(SimpleObject)]
pub struct Change {
    /// The change's number: increasing, in commit order.
    pub seq: i64,
    /// What happened.
    pub op: ChangeOperation,
    /// The record's type (`press_release`, `meeting`, `person`, `role`, `org_unit`, `field_of_work`, `country`, `chairpersonship`).
    #[graphql(name = "type")]
    pub kind: String,
    /// The record's key: a slug, a country code, a year; a role's `person/org_unit/title/from`.
    pub key: String,
    /// The record's version after the change (null on tombstones and roles).
    pub version: Option<i64>,
    /// On tombstones: why.
    pub reason: Option<RemovalReason>,
    /// When the change was committed.
    pub at: DateTime,
    /// When the change was a write of one translation of a public release:
    /// its language (the release itself is `key`).
    pub language: Option<String>,
    /// What became of that translation: `UPSERT` (added or edited) or
    /// `DELETE` (removed; the release stays).
    pub language_op: Option<ChangeOperation>,
}

/// A change and its cursor.
#[derive(SimpleObject)]
pub struct ChangeEdge {
    /// Pass as `after` to go on from this item.
    pub cursor: String,
    /// The change.
    pub node: Change,
}

/// A page of the changes feed.
#[derive(SimpleObject)]
pub struct ChangeConnection {
    /// The changes, oldest first.
    pub edges: Vec<ChangeEdge>,
    /// Where the page sits; at the head `hasNextPage` is false.
    pub page_info: PageInfo,
    /// Where to go on from even when the page is empty (the head): pass as
    /// `after` to wait for what comes next.
    pub next_cursor: String,
}

fn change(entry: &FeedEntry) -> Change {
    Change {
        seq: entry.seq,
        op: operation(entry.op),
        kind: entry.kind.type_name().into(),
        key: entry.key.clone(),
        version: entry.version,
        reason: entry.reason.map(|r| match r {
            Reason::Deleted => RemovalReason::Deleted,
            Reason::Unpublished => RemovalReason::Unpublished,
        }),
        at: entry.at.into(),
        language: entry.translation.as_ref().map(|t| t.language.clone()),
        language_op: entry.translation.as_ref().map(|t| operation(t.op)),
    }
}

fn operation(op: ChangeOp) -> ChangeOperation {
    match op {
        ChangeOp::Upsert => ChangeOperation::Upsert,
        ChangeOp::Delete => ChangeOperation::Delete,
    }
}

pub async fn changes(
    ctx: &Context<'_>,
    after: Option<String>,
    first: Option<i32>,
    types: Option<Vec<String>>,
) -> async_graphql::Result<ChangeConnection> {
    let limit = match first {
        None => changes::DEFAULT_LIMIT,
        Some(n) if (1..=changes::MAX_LIMIT as i32).contains(&n) => n as u64,
        Some(_) => return Err(coded(BAD_USER_INPUT, "`first` is 1 to 1000")),
    };
    let kinds = changes::parse_kinds(&types.unwrap_or_default().join(","))
        .map_err(|message| coded(BAD_USER_INPUT, message))?;
    let cursor = after.as_deref().map(Cursor::decode).transpose();
    let page = match cursor {
        Ok(cursor) => changes::page(db(ctx), cursor, limit, &kinds).await,
        Err(error) => Err(error),
    };
    let page = page.map_err(|error| {
        let message = error.to_string();
        match error {
            ChangesError::BadCursor(_) => coded(BAD_USER_INPUT, message),
            ChangesError::Expired => coded("CURSOR_EXPIRED", message),
            ChangesError::Database(cause) if storage::is_unavailable(&cause) => unavailable(&cause),
            ChangesError::Database(cause) => internal(&cause),
        }
    })?;
    let start = after
        .as_deref()
        .and_then(|a| Cursor::decode(a).ok())
        .unwrap_or(page.next);
    let mut at = start;
    let edges: Vec<ChangeEdge> = page
        .entries
        .iter()
        .map(|entry| {
            at = at.past(entry);
            ChangeEdge {
                cursor: at.encode(),
                node: change(entry),
            }
        })
        .collect();
    let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
    Ok(ChangeConnection {
        page_info: PageInfo::new(&cursors, page.has_more, after.is_some()),
        edges,
        next_cursor: page.next.encode(),
    })
}
