//! Importing the website's press-release pages (`osce-api import-pages`).
//!
//! Each page is read by the `osce_pages` parser, its labels and names are
//! matched against the alias table and the database (`catalog.rs`,
//! `mentions.rs`), and the release is saved through the editorial write
//! path (`service::editorial::releases::imported`) with origin `import`:
//! the change log, revisions, audit and webhooks see it as any write.
//!
//! A run is one transaction. A dry run (the default) makes every write and
//! rolls it back, so its report is exactly what `--commit` would do, later
//! pages seeing earlier ones; `--commit` commits it, all pages or none.
//! While a run lasts, other writers wait for it.
//!
//! A page's identity is its node id and canonical address (mirror hosts and
//! tracking parameters normalised away), kept in `imported_page`: a page
//! imported again updates its release (or leaves it unchanged, writing
//! nothing) even if its title changed. A page without either (a saved text
//! page) is known by the slug its title and date give.

pub mod catalog;
pub mod input;
pub mod mentions;
mod release;
pub mod report;
mod translation;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use osce_pages::{Parsed, ReleasePage, identity};
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};

use crate::service::auth::{Principal, Scope};
use crate::service::editorial::releases::imported::begin_import;
use crate::service::editorial::{Actor, EditError, Origin};
pub use catalog::{Aliases, Catalog};
pub use report::{Outcome, ReportFormat, ReportLine, ReportWriter};

/// The name revisions and the audit log give the importer.
pub const IMPORTER: &str = "import";

/// What the run did, page by page.
#[derive(Debug, Default)]
pub struct RunSummary {
    pub pages: usize,
    pub outcomes: BTreeMap<Outcome, usize>,
    pub committed: bool,
}

/// One run over many pages, in one transaction.
pub struct Importer {
    txn: DatabaseTransaction,
    catalog: Catalog,
    matchers: mentions::Matchers,
    actor: Actor,
    now: DateTime<Utc>,
    /// Translations whose original comes later in the run.
    waiting: Vec<(String, Box<ReleasePage>)>,
    summary: RunSummary,
}

impl Importer {
    pub async fn start(
        db: &DatabaseConnection,
        aliases: &Aliases,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Importer> {
        // Read before the write lock is taken: the catalog does not change
        // what a page would be checked against (checks re-read in the write).
        let catalog = {
            let snapshot = db.begin().await?;
            let catalog = Catalog::load(&snapshot, aliases).await?;
            snapshot.rollback().await?;
            catalog
        };
        Ok(Importer {
            txn: begin_import(db, now).await?,
            matchers: mentions::Matchers::new(&catalog),
            catalog,
            actor: Actor {
                principal: Some(Principal {
                    name: IMPORTER.into(),
                    scopes: BTreeSet::from([Scope::Write, Scope::Publish]),
                }),
                origin: Origin::Import,
                request_id: None,
            },
            now,
            waiting: Vec::new(),
            summary: RunSummary::default(),
        })
    }

    /// Imports one page; `None` while it waits for its original.
    pub async fn page(&mut self, name: &str, bytes: &[u8]) -> anyhow::Result<Option<ReportLine>> {
        self.summary.pages += 1;
        let line = match osce_pages::parse(bytes, Some(name)) {
            Parsed::Skipped { reason } => ReportLine::with_reason(name, Outcome::Skipped, reason),
            Parsed::Rejected { reason } => ReportLine::with_reason(name, Outcome::Rejected, reason),
            Parsed::Release(page) => {
                if page.translation_of.is_some() {
                    match self.translation(name, &page).await? {
                        Some(line) => line,
                        None => {
                            self.waiting.push((name.to_string(), page));
                            return Ok(None);
                        }
                    }
                } else {
                    self.release(name, &page).await?
                }
            }
        };
        Ok(Some(self.count(line)))
    }

    /// The translations still waiting: their originals came later in the
    /// run, or never.
    pub async fn waiting(&mut self) -> anyhow::Result<Vec<ReportLine>> {
        let mut lines = Vec::new();
        for (name, page) in std::mem::take(&mut self.waiting) {
            let line = match self.translation(&name, &page).await? {
                Some(line) => line,
                None => {
                    let original = page.translation_of.clone().unwrap_or_default();
                    let mut line = ReportLine::with_reason(
                        &name,
                        Outcome::Rejected,
                        format!(
                            "a translation of {original}, which no imported page is: import the English page with it"
                        ),
                    );
                    line.language = Some(page.language.clone());
                    line.title = Some(page.title.clone());
                    line
                }
            };
            lines.push(self.count(line));
        }
        Ok(lines)
    }

    /// Commits (`commit`) or rolls back the run.
    pub async fn finish(mut self, commit: bool) -> anyhow::Result<RunSummary> {
        if commit {
            self.txn.commit().await?;
            self.summary.committed = true;
        } else {
            self.txn.rollback().await?;
        }
        Ok(self.summary)
    }

    fn count(&mut self, line: ReportLine) -> ReportLine {
        *self.summary.outcomes.entry(line.outcome).or_default() += 1;
        line
    }

    /// The page's identities: node id, then canonical address.
    fn identities(&self, page: &ReleasePage) -> Vec<String> {
        let mut out = Vec::new();
        let base = page.head.canonical.as_deref();
        for href in [
            page.head.shortlink.as_deref(),
            page.head.canonical.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(url) = identity::canonical_url(href, base, &self.catalog.mirror_hosts) {
                if let Some(node) = identity::node_id(&url) {
                    push_once(&mut out, node);
                } else {
                    push_once(&mut out, url);
                }
            }
        }
        out
    }
}

fn push_once(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// A refused save as the reason a page was rejected; a database error
/// ends the run.
fn rejection(error: EditError) -> anyhow::Result<String> {
    match error {
        EditError::Database(e) => Err(e.into()),
        other => Ok(other.to_string()),
    }
}
