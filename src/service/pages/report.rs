//! The import's report: one line per page, as JSON Lines or CSV.

use std::io::Write;

use chrono::NaiveDate;
use osce_pages::Dropped;
use serde::Serialize;

use super::mentions::MeetingMention;

/// What happened (or, in a dry run, would happen) to a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// Not a press release (a listing, an event, navigation only).
    Skipped,
    /// A press release that cannot be imported, and why.
    Rejected,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Created,
        Outcome::Updated,
        Outcome::Unchanged,
        Outcome::Skipped,
        Outcome::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Skipped => "skipped",
            Outcome::Rejected => "rejected",
        }
    }
}

/// A person a release names, with the roles held on its date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PersonLink {
    pub slug: String,
    pub name: String,
    pub roles: Vec<RoleOnDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleOnDate {
    pub title: String,
    pub org_unit: String,
    pub country: Option<String>,
}

/// One page's line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportLine {
    /// The file (or `-`).
    pub page: String,
    pub outcome: Outcome,
    /// Why it was skipped or rejected.
    pub reason: Option<String>,
    /// The page's identity: its node id or canonical address, if it has one.
    pub identity: Option<String>,
    pub slug: Option<String>,
    /// The page's language (`en`, or a translation's).
    pub language: Option<String>,
    /// For a translation's page: the release it translates.
    pub translation_of: Option<String>,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    /// For an update: the fields that changed.
    pub changed: Vec<String>,
    pub people: Vec<PersonLink>,
    pub meetings: Vec<String>,
    /// Meetings the text mentions (a place and a date) that the database
    /// lacks: for an editor to create, never created by the import.
    pub proposed_meetings: Vec<MeetingMention>,
    /// What was left out of the body, and why.
    pub dropped: Vec<Dropped>,
    pub notes: Vec<String>,
}

impl ReportLine {
    pub fn new(page: &str, outcome: Outcome) -> ReportLine {
        ReportLine {
            page: page.to_string(),
            outcome,
            reason: None,
            identity: None,
            slug: None,
            language: None,
            translation_of: None,
            title: None,
            date: None,
            changed: Vec::new(),
            people: Vec::new(),
            meetings: Vec::new(),
            proposed_meetings: Vec::new(),
            dropped: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn with_reason(page: &str, outcome: Outcome, reason: String) -> ReportLine {
        ReportLine {
            reason: Some(reason),
            ..ReportLine::new(page, outcome)
        }
    }
}

/// How the report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Jsonl,
    Csv,
}

/// Writes report lines as they come.
pub enum ReportWriter {
    Jsonl(Box<dyn Write + Send>),
    Csv(Box<csv::Writer<Box<dyn Write + Send>>>),
}

const CSV_HEADER: [&str; 13] = [
    "page",
    "outcome",
    "reason",
    "identity",
    "slug",
    "language",
    "translation_of",
    "title",
    "date",
    "changed",
    "people",
    "meetings",
    "proposed_meetings",
];

impl ReportWriter {
    pub fn new(format: ReportFormat, out: Box<dyn Write + Send>) -> anyhow::Result<ReportWriter> {
        Ok(match format {
            ReportFormat::Jsonl => ReportWriter::Jsonl(out),
            ReportFormat::Csv => {
                let mut csv = csv::Writer::from_writer(out);
                csv.write_record(CSV_HEADER)?;
                ReportWriter::Csv(Box::new(csv))
            }
        })
    }

    pub fn write(&mut self, line: &ReportLine) -> anyhow::Result<()> {
        match self {
            ReportWriter::Jsonl(out) => {
                serde_json::to_writer(&mut *out, line)?;
                out.write_all(b"\n")?;
            }
            ReportWriter::Csv(csv) => {
                let join = |items: Vec<String>| items.join(";");
                csv.write_record([
                    line.page.clone(),
                    line.outcome.as_str().to_string(),
                    line.reason.clone().unwrap_or_default(),
                    line.identity.clone().unwrap_or_default(),
                    line.slug.clone().unwrap_or_default(),
                    line.language.clone().unwrap_or_default(),
                    line.translation_of.clone().unwrap_or_default(),
                    line.title.clone().unwrap_or_default(),
                    line.date.map(|d| d.to_string()).unwrap_or_default(),
                    join(line.changed.clone()),
                    join(line.people.iter().map(|p| p.slug.clone()).collect()),
                    join(line.meetings.clone()),
                    join(
                        line.proposed_meetings
                            .iter()
                            .map(|m| format!("{} {}", m.date, m.place))
                            .collect(),
                    ),
                ])?;
            }
        }
        Ok(())
    }

    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            ReportWriter::Jsonl(mut out) => out.flush()?,
            ReportWriter::Csv(mut csv) => csv.flush()?,
        }
        Ok(())
    }
}
