//! Pass 1: what it keeps of the file, and the resolution of references
//! against the file and the database.

use std::{
    collections::{HashMap, HashSet},
    io::{self, Write},
};

use sea_orm::DatabaseConnection;

use super::duplicates::{DuplicateCandidates, DuplicateCheck, slug_hash};
use super::source::{Source, for_each_line, open, progress_bar};
use super::validate::parse_line;
use super::{ImportError, ImportOptions, invalid};
use crate::model::{self, Record, RecordKind};
use crate::storage::{keys, structure};

/// Everything pass 1 keeps.
#[derive(Default)]
pub(super) struct Staged {
    pub(super) lines: u64,
    pub(super) fields_of_work: Vec<model::FieldOfWork>,
    pub(super) countries: Vec<model::Country>,
    pub(super) org_units: Vec<(u64, model::OrgUnit)>,
    pub(super) chairpersonships: Vec<model::Chairpersonship>,
    pub(super) people: Vec<model::Person>,
    pub(super) roles: Vec<model::Role>,
    pub(super) meetings: Vec<model::Meeting>,
    pub(super) press_releases: u64,
    /// Records the file deletes: line, kind, key.
    pub(super) deletions: Vec<(u64, RecordKind, String)>,
    /// Key → line that defined it, for every small record.
    defined: HashMap<(RecordKind, String), u64>,
    /// Press release slugs that may be defined twice (pass 1), and then
    /// the check pass 2 makes of them: memory bounded whatever the file.
    release_slugs: DuplicateCandidates,
    pub(super) duplicate_releases: DuplicateCheck,
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
            Record::Deletion(d) => {
                if let Some(kind) = RecordKind::from_type_name(&d.of) {
                    self.deletions.push((line, kind, d.key));
                }
            }
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

    pub(super) fn read_counts(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("field_of_work", self.fields_of_work.len() as u64),
            ("country", self.countries.len() as u64),
            ("org_unit", self.org_units.len() as u64),
            ("chairpersonship", self.chairpersonships.len() as u64),
            ("person", self.people.len() as u64),
            ("role", self.roles.len() as u64),
            ("meeting", self.meetings.len() as u64),
            ("press_release", self.press_releases),
            ("deletion", self.deletions.len() as u64),
        ]
    }
}

/// Pass 1: parse and stage everything; spool standard input.
pub(super) fn validate(
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
pub(super) async fn resolve(db: &DatabaseConnection, staged: &Staged) -> Result<(), ImportError> {
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
    for (line, kind, key) in &staged.deletions {
        if let Some(defined) = staged.defined.get(&(*kind, key.clone())) {
            dangling.push((
                *line,
                format!(
                    "deletes {} `{key}`, which line {defined} of this file defines",
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
