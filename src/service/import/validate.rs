//! The rules a single line must follow on its own, and the sanitising of a
//! release's HTML before it is written.

use std::collections::HashSet;

use super::{ImportError, invalid};
use crate::model::sanitize::sanitize_html;
use crate::model::{self, Record, non_empty};

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
        Record::Deletion(d) => {
            match model::RecordKind::from_type_name(&d.of) {
                None => return Err(format!("a deletion of unknown type `{}`", d.of)),
                Some(model::RecordKind::Role) => {
                    return Err(
                        "roles are not deleted alone: delete their person, or import the person's roles"
                            .into(),
                    );
                }
                Some(_) => {}
            }
            required("key", &d.key)?;
            Record::Deletion(d)
        }
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
            if r.translations.len() > crate::model::MAX_TRANSLATIONS
                || r.fields_of_work.len() > 64
                || r.countries.len() > 256
            {
                return Err("too many translations, fields of work or countries".into());
            }
            r.place = non_empty(r.place);
            r.summary = non_empty(r.summary);
            Record::PressRelease(r)
        }
    })
}

/// Sanitises a release's HTML (body and translations) before it is stored.
pub(super) fn sanitize_release(mut r: model::PressRelease) -> model::PressRelease {
    r.body_html = sanitize_html(&r.body_html);
    for t in &mut r.translations {
        t.body_html = sanitize_html(&t.body_html);
    }
    r
}
