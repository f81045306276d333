//! Bulk import of the interchange format: streamed, validated, all or nothing.
//!
//! Two passes over the input. The first parses and checks every line (syntax,
//! keys, identifiers, duplicates) and remembers only what later checks need:
//! the small record types, a 128-bit hash per press release key, and every
//! referenced key with the first line that used it. References are then
//! resolved against the file and the database. Only then does the second pass
//! write, in one transaction: small types first (only those that changed, so
//! a re-import leaves `updated_at` alone), then press releases streamed in
//! batches from the input, sanitised on a parser thread while the database
//! writes the previous batch. Standard input is spooled to a temporary file
//! during the first pass so the second can read it again.

use std::{
    collections::{HashMap, HashSet},
    fs::File,
    io::{self, BufRead, BufReader, Write},
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, TransactionTrait};

mod duplicates;

use duplicates::{DuplicateCandidates, DuplicateCheck, slug_hash};
use crate::model::sanitize::sanitize_html;
use crate::model::{self, Record, non_empty};
use crate::model::RecordKind;
use crate::storage::keys::IdMaps;
use crate::storage::releases::ReleaseRow;
use crate::storage::{
    keys, meetings, people, releases, search_index, state, structure, taxonomy,
};

/// Press releases per write batch (each release with its plain text and
/// `tsvector` is about 7 kB; three batches are alive at once).
const RELEASE_BATCH: usize = 1_000;
/// Batches parsed ahead of the writer; bounds memory whatever the file size.
const BATCHES_IN_FLIGHT: usize = 1;

/// Where the lines come from.
#[derive(Clone, Debug)]
pub enum Source {
    File(PathBuf),
    Stdin,
    Bytes(&'static [u8]),
}

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Show a progress bar (only when standard error is a terminal).
    pub progress: bool,
    /// A service state entry written in the same transaction as the content.
    pub state: Option<(String, String)>,
}

/// What an import did, per record type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub lines: u64,
    /// Records read, by type name, in format order.
    pub read: Vec<(&'static str, u64)>,
    /// Small records whose content was new or different (written).
    pub changed: u64,
    /// Small records already stored exactly so (left untouched).
    pub unchanged: u64,
    pub press_releases: u64,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}: {message}")]
    Invalid { line: u64, message: String },
    #[error("cannot read the input: {0}")]
    Io(#[from] io::Error),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("the import was interrupted: {0}")]
    Interrupted(String),
}

fn invalid(line: u64, message: impl Into<String>) -> ImportError {
    ImportError::Invalid {
        line,
        message: message.into(),
    }
}

/// Everything pass 1 keeps.
#[derive(Default)]
struct Staged {
    lines: u64,
    fields_of_work: Vec<model::FieldOfWork>,
    countries: Vec<model::Country>,
    org_units: Vec<(u64, model::OrgUnit)>,
    chairpersonships: Vec<model::Chairpersonship>,
    people: Vec<model::Person>,
    roles: Vec<model::Role>,
    meetings: Vec<model::Meeting>,
    press_releases: u64,
    /// Key → line that defined it, for every small record.
    defined: HashMap<(RecordKind, String), u64>,
    /// Press release slugs that may be defined twice (pass 1), and then
    /// the check pass 2 makes of them: memory bounded whatever the file.
    release_slugs: DuplicateCandidates,
    duplicate_releases: DuplicateCheck,
    /// Referenced key → first line that refers to it.
    references: HashMap<(RecordKind, String), u64>,
}

impl Staged {
    fn define(&mut self, kind: RecordKind, key: String, line: u64) -> Result<(), ImportError> {
        if let Some(first) = self.defined.insert((kind, key.clone()), line) {
            return Err(invalid(
                line,
                format!(
                    "duplicate {} `{key}` (first defined on line {first})",
                    kind.noun()
                ),
            ));
        }
        Ok(())
    }

    fn refer(&mut self, kind: RecordKind, key: &str, line: u64) {
        self.references
            .entry((kind, key.to_string()))
            .or_insert(line);
    }

    fn stage(&mut self, line: u64, record: Record) -> Result<(), ImportError> {
        match record {
            Record::FieldOfWork(r) => {
                self.define(RecordKind::FieldOfWork, r.slug.to_string(), line)?;
                self.fields_of_work.push(r);
            }
            Record::Country(r) => {
                self.define(RecordKind::Country, r.code.to_string(), line)?;
                self.countries.push(r);
            }
            Record::OrgUnit(r) => {
                self.define(RecordKind::OrgUnit, r.slug.to_string(), line)?;
                if let Some(parent) = &r.parent {
                    self.refer(RecordKind::OrgUnit, parent.as_str(), line);
                }
                if let Some(country) = &r.country {
                    self.refer(RecordKind::Country, country.as_str(), line);
                }
                self.org_units.push((line, r));
            }
            Record::Chairpersonship(r) => {
                self.define(RecordKind::Chairpersonship, r.year.to_string(), line)?;
                self.refer(RecordKind::Country, r.country.as_str(), line);
                self.chairpersonships.push(r);
            }
            Record::Person(r) => {
                self.define(RecordKind::Person, r.slug.to_string(), line)?;
                self.people.push(r);
            }
            Record::Role(r) => {
                let key = format!(
                    "{} at {} as {:?} from {}",
                    r.person, r.org_unit, r.title, r.from
                );
                self.define(RecordKind::Role, key, line)?;
                self.refer(RecordKind::Person, r.person.as_str(), line);
                self.refer(RecordKind::OrgUnit, r.org_unit.as_str(), line);
                if let Some(country) = &r.country {
                    self.refer(RecordKind::Country, country.as_str(), line);
                }
                self.roles.push(r);
            }
            Record::Meeting(r) => {
                self.define(RecordKind::Meeting, r.slug.to_string(), line)?;
                if let Some(country) = &r.country {
                    self.refer(RecordKind::Country, country.as_str(), line);
                }
                if let Some(unit) = &r.org_unit {
                    self.refer(RecordKind::OrgUnit, unit.as_str(), line);
                }
                for f in &r.fields_of_work {
                    self.refer(RecordKind::FieldOfWork, f.as_str(), line);
                }
                self.meetings.push(r);
            }
            Record::PressRelease(r) => {
                self.release_slugs.add(slug_hash(r.slug.as_str()));
                self.refer(RecordKind::OrgUnit, r.source.as_str(), line);
                for f in &r.fields_of_work {
                    self.refer(RecordKind::FieldOfWork, f.as_str(), line);
                }
                for c in &r.countries {
                    self.refer(RecordKind::Country, c.as_str(), line);
                }
                for p in &r.people {
                    self.refer(RecordKind::Person, p.as_str(), line);
                }
                for m in &r.meetings {
                    self.refer(RecordKind::Meeting, m.as_str(), line);
                }
                self.press_releases += 1;
            }
        }
        Ok(())
    }

    fn read_counts(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("field_of_work", self.fields_of_work.len() as u64),
            ("country", self.countries.len() as u64),
            ("org_unit", self.org_units.len() as u64),
            ("chairpersonship", self.chairpersonships.len() as u64),
            ("person", self.people.len() as u64),
            ("role", self.roles.len() as u64),
            ("meeting", self.meetings.len() as u64),
            ("press_release", self.press_releases),
        ]
    }
}

/// Parses one line into a checked, normalised record; `None` for a blank line.
pub fn parse_line(line: u64, bytes: &[u8]) -> Result<Option<Record>, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        invalid(
            line,
            format!("invalid UTF-8 at byte {} of the line", e.valid_up_to() + 1),
        )
    })?;
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return Ok(None);
    }
    let record: Record = serde_json::from_str(text).map_err(|e| {
        let what = if e.is_eof() {
            "truncated JSON"
        } else {
            "invalid record"
        };
        invalid(line, format!("{what}: {e}"))
    })?;
    check(record)
        .map(Some)
        .map_err(|message| invalid(line, message))
}

fn no_duplicates<T: AsRef<str>>(what: &str, items: &[T]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for item in items {
        if !seen.insert(item.as_ref()) {
            return Err(format!("`{}` is listed twice in {what}", item.as_ref()));
        }
    }
    Ok(())
}

fn required(what: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err(format!("{what} must not be empty"))
    } else {
        Ok(())
    }
}

/// Rules a single record must follow on its own; normalises empty optional text to null.
fn check(record: Record) -> Result<Record, String> {
    Ok(match record {
        Record::FieldOfWork(r) => {
            required("name", &r.name)?;
            Record::FieldOfWork(r)
        }
        Record::Country(r) => {
            required("name", &r.name)?;
            Record::Country(r)
        }
        Record::OrgUnit(mut r) => {
            required("name", &r.name)?;
            if r.parent.as_ref() == Some(&r.slug) {
                return Err(format!("org unit `{}` cannot be its own parent", r.slug));
            }
            r.description = non_empty(r.description);
            Record::OrgUnit(r)
        }
        Record::Chairpersonship(r) => {
            if !(1973..=2100).contains(&r.year) {
                return Err(format!("year {} is outside 1973–2100", r.year));
            }
            Record::Chairpersonship(r)
        }
        Record::Person(r) => {
            required("name", &r.name)?;
            Record::Person(r)
        }
        Record::Role(r) => {
            required("title", &r.title)?;
            if let Some(to) = r.to
                && to < r.from
            {
                return Err(format!("role ends ({to}) before it starts ({})", r.from));
            }
            Record::Role(r)
        }
        Record::Meeting(mut r) => {
            required("title", &r.title)?;
            if r.end < r.start {
                return Err(format!(
                    "meeting ends ({}) before it starts ({})",
                    r.end, r.start
                ));
            }
            no_duplicates("fields_of_work", &r.fields_of_work)?;
            r.place = non_empty(r.place);
            Record::Meeting(r)
        }
        Record::PressRelease(mut r) => {
            required("title", &r.title)?;
            no_duplicates("fields_of_work", &r.fields_of_work)?;
            no_duplicates("countries", &r.countries)?;
            no_duplicates("people", &r.people)?;
            no_duplicates("meetings", &r.meetings)?;
            let languages: Vec<&str> = r.translations.iter().map(|t| t.language.as_str()).collect();
            no_duplicates("translations", &languages)?;
            if languages.contains(&r.language.as_str()) {
                return Err(format!(
                    "a translation repeats the release's own language `{}`",
                    r.language
                ));
            }
            for t in &mut r.translations {
                required("translation title", &t.title)?;
                t.summary = non_empty(t.summary.take());
            }
            if r.translations.len() > 64 || r.fields_of_work.len() > 64 || r.countries.len() > 256 {
                return Err("too many translations, fields of work or countries".into());
            }
            r.place = non_empty(r.place);
            r.summary = non_empty(r.summary);
            Record::PressRelease(r)
        }
    })
}

/// Sanitises a release's HTML (body and translations) before it is stored.
fn sanitize_release(mut r: model::PressRelease) -> model::PressRelease {
    r.body_html = sanitize_html(&r.body_html);
    for t in &mut r.translations {
        t.body_html = sanitize_html(&t.body_html);
    }
    r
}

/// An input opened for one pass, with its size when known (for progress).
struct Opened {
    reader: Box<dyn BufRead + Send>,
    size: Option<u64>,
}

fn open(source: &Source, spool: Option<&tempfile::NamedTempFile>) -> io::Result<Opened> {
    const BUFFER: usize = 1 << 20;
    Ok(match (source, spool) {
        (_, Some(spool)) => {
            let file = spool.reopen()?;
            let size = file.metadata()?.len();
            Opened {
                reader: Box::new(BufReader::with_capacity(BUFFER, file)),
                size: Some(size),
            }
        }
        (Source::File(path), None) => {
            let file = File::open(path)?;
            let size = file.metadata().ok().map(|m| m.len());
            Opened {
                reader: Box::new(BufReader::with_capacity(BUFFER, file)),
                size,
            }
        }
        (Source::Stdin, None) => Opened {
            reader: Box::new(BufReader::with_capacity(BUFFER, io::stdin())),
            size: None,
        },
        (Source::Bytes(bytes), None) => Opened {
            reader: Box::new(io::Cursor::new(*bytes)),
            size: Some(bytes.len() as u64),
        },
    })
}

/// Reads lines as bytes (so invalid UTF-8 is reported, not lost), calling
/// `each(line_number, bytes)`; optionally copies the input to `tee`.
fn for_each_line(
    mut reader: impl BufRead,
    mut tee: Option<&mut dyn Write>,
    progress: &ProgressBar,
    mut each: impl FnMut(u64, &[u8]) -> Result<(), ImportError>,
) -> Result<u64, ImportError> {
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Ok(line);
        }
        line += 1;
        if let Some(tee) = tee.as_deref_mut() {
            tee.write_all(&buf)?;
        }
        progress.inc(n as u64);
        each(line, &buf)?;
    }
}

fn progress_bar(enabled: bool, size: Option<u64>, message: &'static str) -> ProgressBar {
    use std::io::IsTerminal;
    if !enabled || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match size {
        Some(size) => ProgressBar::new(size).with_style(
            ProgressStyle::with_template(
                "{msg:>10} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
            )
            .expect("static template")
            .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{msg:>10} {spinner} {bytes} ({bytes_per_sec})")
                .expect("static template"),
        ),
    };
    bar.set_message(message);
    bar
}

/// Pass 1: parse and stage everything; spool standard input.
fn validate(
    source: &Source,
    options: &ImportOptions,
) -> Result<(Staged, Option<tempfile::NamedTempFile>), ImportError> {
    let opened = open(source, None)?;
    let spool = match source {
        Source::Stdin => Some(tempfile::NamedTempFile::new()?),
        _ => None,
    };
    let progress = progress_bar(options.progress, opened.size, "checking");
    let mut staged = Staged {
        release_slugs: DuplicateCandidates::for_file(opened.size),
        ..Staged::default()
    };
    let mut spool_writer = spool
        .as_ref()
        .map(|f| {
            f.reopen()
                .map(|file| io::BufWriter::with_capacity(1 << 20, file))
        })
        .transpose()?;
    let lines = for_each_line(
        opened.reader,
        spool_writer.as_mut().map(|w| w as &mut dyn Write),
        &progress,
        |line, bytes| match parse_line(line, bytes)? {
            Some(record) => staged.stage(line, record),
            None => Ok(()),
        },
    )?;
    if let Some(mut writer) = spool_writer {
        writer.flush()?;
    }
    progress.finish_and_clear();
    staged.lines = lines;
    staged.duplicate_releases = std::mem::take(&mut staged.release_slugs).finish();
    Ok((staged, spool))
}

/// References must name a record in the file or in the database; a unit's
/// parents must not loop.
async fn resolve(db: &DatabaseConnection, staged: &Staged) -> Result<(), ImportError> {
    let mut missing_by_kind: HashMap<RecordKind, Vec<String>> = HashMap::new();
    for (kind, key) in staged.references.keys() {
        if !staged.defined.contains_key(&(*kind, key.clone())) {
            missing_by_kind.entry(*kind).or_default().push(key.clone());
        }
    }
    let mut dangling: Vec<(u64, String)> = Vec::new();
    for (kind, keys) in missing_by_kind {
        let found: HashSet<String> = keys::existing_keys(db, kind, &keys)
            .await?
            .into_iter()
            .collect();
        for key in keys.into_iter().filter(|k| !found.contains(k)) {
            let line = staged.references[&(kind, key.clone())];
            dangling.push((
                line,
                format!(
                    "unknown {} `{key}`: not in this file nor in the database",
                    kind.noun()
                ),
            ));
        }
    }
    dangling.sort();
    if let Some((line, message)) = dangling.first() {
        let more = match dangling.len() {
            1 => String::new(),
            n => format!(" (and {} more unknown references)", n - 1),
        };
        return Err(invalid(*line, format!("{message}{more}")));
    }

    if !staged.org_units.is_empty() {
        let mut parents: HashMap<String, Option<String>> = structure::org_units(db)
            .await?
            .into_iter()
            .map(|u| (u.slug.to_string(), u.parent.map(|p| p.to_string())))
            .collect();
        for (_, unit) in &staged.org_units {
            parents.insert(
                unit.slug.to_string(),
                unit.parent.as_ref().map(|p| p.to_string()),
            );
        }
        for (line, unit) in &staged.org_units {
            let mut seen = HashSet::new();
            let mut current = Some(unit.slug.to_string());
            while let Some(slug) = current {
                if !seen.insert(slug.clone()) {
                    return Err(invalid(
                        *line,
                        format!(
                            "org unit `{}` is its own ancestor (parent cycle)",
                            unit.slug
                        ),
                    ));
                }
                current = parents.get(&slug).cloned().flatten();
            }
        }
    }
    Ok(())
}

/// Keeps the records that differ from what is stored under the same key.
fn changed<T: PartialEq + Clone, K: Eq + std::hash::Hash>(
    incoming: &[T],
    stored: Vec<T>,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let stored: HashMap<K, T> = stored.into_iter().map(|r| (key(&r), r)).collect();
    incoming
        .iter()
        .filter(|r| stored.get(&key(r)) != Some(*r))
        .cloned()
        .collect()
}

/// Imports `source` into the database: everything or nothing.
/// Imports at least this large refresh PostgreSQL's planner statistics.
const ANALYZE_AFTER_RELEASES: u64 = 10_000;

pub async fn import(
    db: &DatabaseConnection,
    source: Source,
    options: ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let started = Instant::now();
    let (mut staged, spool) = {
        let source = source.clone();
        let options = options.clone();
        tokio::task::spawn_blocking(move || validate(&source, &options))
            .await
            .map_err(|e| ImportError::Interrupted(e.to_string()))??
    };
    resolve(db, &staged).await?;

    let now = Utc::now();
    let txn = db.begin().await?;
    let mut summary = ImportSummary {
        lines: staged.lines,
        read: staged.read_counts(),
        press_releases: staged.press_releases,
        ..Default::default()
    };
    let mut count = |incoming: usize, changed: usize| {
        summary.changed += changed as u64;
        summary.unchanged += (incoming - changed) as u64;
    };

    let fields = changed(
        &staged.fields_of_work,
        taxonomy::fields_of_work(&txn).await?,
        |r| r.slug.clone(),
    );
    count(staged.fields_of_work.len(), fields.len());
    taxonomy::upsert_fields_of_work(&txn, &fields, now).await?;

    let countries = changed(&staged.countries, taxonomy::countries(&txn).await?, |r| {
        r.code.clone()
    });
    count(staged.countries.len(), countries.len());
    taxonomy::upsert_countries(&txn, &countries, now).await?;

    let units: Vec<model::OrgUnit> = staged.org_units.iter().map(|(_, u)| u.clone()).collect();
    let units = changed(&units, structure::org_units(&txn).await?, |r| r.slug.clone());
    count(staged.org_units.len(), units.len());
    structure::upsert_org_units(&txn, &units, now).await?;

    let chairs = changed(
        &staged.chairpersonships,
        structure::chairpersonships(&txn).await?,
        |r| r.year,
    );
    count(staged.chairpersonships.len(), chairs.len());
    structure::upsert_chairpersonships(&txn, &chairs, now).await?;

    let people = changed(&staged.people, people::people(&txn).await?, |r| {
        r.slug.clone()
    });
    count(staged.people.len(), people.len());
    people::upsert_people(&txn, &people, now).await?;

    let mut ids = IdMaps::load(&txn).await?;
    let role_key = |r: &model::Role| {
        (
            r.person.clone(),
            r.org_unit.clone(),
            r.title.clone(),
            r.from,
        )
    };
    let roles = changed(&staged.roles, people::roles(&txn).await?, role_key);
    count(staged.roles.len(), roles.len());
    people::upsert_roles(&txn, &roles, &ids, now).await?;

    let meetings = changed(&staged.meetings, meetings::all_meetings(&txn).await?, |r| {
        r.slug.clone()
    });
    count(staged.meetings.len(), meetings.len());
    meetings::upsert_meetings(&txn, &meetings, &ids, now).await?;
    if !meetings.is_empty() {
        ids.meetings = keys::id_map(&txn, RecordKind::Meeting).await?;
    }

    // The search documents of meetings, people and units draw on countries,
    // roles and units too: any change there re-indexes these small tables.
    if !(countries.is_empty()
        && units.is_empty()
        && people.is_empty()
        && roles.is_empty()
        && meetings.is_empty())
    {
        search_index::index_small_tables(&txn).await?;
    }

    if staged.press_releases > 0 {
        let duplicates = std::mem::take(&mut staged.duplicate_releases);
        write_press_releases(&txn, &source, spool.as_ref(), &options, &ids, duplicates).await?;
    }
    if summary.changed > 0 || summary.press_releases > 0 {
        state::bump_generation(&txn, now).await?;
    }
    if let Some((key, value)) = &options.state {
        state::set(&txn, key, value, now).await?;
    }
    txn.commit().await?;
    // The import is committed by now: a failure here is only a warning.
    if staged.press_releases >= ANALYZE_AFTER_RELEASES {
        match db.get_database_backend() {
            // After a bulk load PostgreSQL's planner still has the statistics
            // of the empty tables (autovacuum gets there later) and picks poor
            // plans, e.g. for full-text matches; refresh them now.
            sea_orm::DbBackend::Postgres => {
                if let Err(error) = db.execute_unprepared("ANALYZE").await {
                    tracing::warn!(%error, "refreshing PostgreSQL's statistics after the import");
                }
            }
            // The load sits in SQLite's write-ahead log (as large as the
            // data) until a checkpoint copies it into the database, and every
            // read until then looks pages up in the log: a full export of a
            // million releases took 70 s instead of 41. Copy it now; with
            // readers still on an older snapshot it copies what it can.
            _ => {
                if let Err(error) = db
                    .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                    .await
                {
                    tracing::warn!(%error, "checkpointing SQLite's write-ahead log after the import");
                }
            }
        }
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Pass 2 for press releases: a parser thread reads, sanitises and batches;
/// this task writes each batch while the next is being prepared.
async fn write_press_releases(
    txn: &sea_orm::DatabaseTransaction,
    source: &Source,
    spool: Option<&tempfile::NamedTempFile>,
    options: &ImportOptions,
    ids: &IdMaps,
    mut duplicates: DuplicateCheck,
) -> Result<(), ImportError> {
    let opened = open(source, spool)?;
    let progress = Arc::new(progress_bar(options.progress, opened.size, "writing"));
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<
        Result<Vec<ReleaseRow>, ImportError>,
    >(BATCHES_IN_FLIGHT);
    let parser_progress = Arc::clone(&progress);
    let backend = txn.get_database_backend();
    let parser = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(RELEASE_BATCH);
        let result = for_each_line(opened.reader, None, &parser_progress, |line, bytes| {
            if let Some(Record::PressRelease(r)) = parse_line(line, bytes)? {
                // A duplicate stops the import here, before the commit.
                if let Err(first) = duplicates.check(slug_hash(r.slug.as_str()), line) {
                    return Err(invalid(
                        line,
                        format!(
                            "duplicate press_release `{}` (first defined on line {first})",
                            r.slug
                        ),
                    ));
                }
                batch.push(ReleaseRow::new(sanitize_release(r), backend));
                if batch.len() == RELEASE_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(RELEASE_BATCH));
                    sender
                        .blocking_send(Ok(full))
                        .map_err(|_| ImportError::Interrupted("the writer stopped".into()))?;
                }
            }
            Ok(())
        });
        let last = result.map(|_| batch);
        // The receiver may be gone if the writer failed; its error wins.
        let _ = sender.blocking_send(last);
    });
    let mut outcome = Ok(());
    while let Some(message) = receiver.recv().await {
        let written = match message {
            Ok(batch) => releases::upsert_press_releases(txn, batch, ids)
                .await
                .map_err(ImportError::from),
            Err(e) => Err(e),
        };
        if let Err(e) = written {
            outcome = Err(e);
            break;
        }
    }
    drop(receiver);
    parser
        .join()
        .map_err(|_| ImportError::Interrupted("the parser thread panicked".into()))?;
    progress.finish_and_clear();
    outcome
}
