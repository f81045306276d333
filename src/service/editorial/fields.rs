//! A press release from an editor's fields: the interchange format's field
//! names, merged over the stored record (JSON Merge Patch: `null` clears),
//! each field checked on its own so that every bad one is named at once.
//! The rules are the import's: well-formed slugs, dates, codes and language
//! tags, no duplicates, references to records that exist, sanitised HTML.

use crate::model::MAX_TRANSLATIONS;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::{Map, Value};
use unicode_normalization::UnicodeNormalization;

use super::FieldError;
use crate::domain::{CountryCode, LanguageTag, MAX_SLUG_LEN, Slug};
use crate::model::sanitize::sanitize_html;
use crate::model::{PressRelease, RecordKind, Translation, non_empty};
use crate::storage::keys::{self, IdMaps};

/// The fields an editor writes; `published_at` and `updated_at` are the
/// service's, set when a release is published and saved.
pub const WRITABLE: [&str; 13] = [
    "slug",
    "title",
    "date",
    "place",
    "source",
    "fields_of_work",
    "countries",
    "people",
    "meetings",
    "language",
    "summary",
    "body_html",
    "translations",
];

const MAX_TITLE: usize = 1_000;
const MAX_TEXT: usize = 1 << 20;

/// A slug from a title and a date: `osce-chair-visits-kyiv-2020-10-25`.
pub fn slug_from(title: &str, date: NaiveDate) -> Option<Slug> {
    let folded: String = title
        .nfkd()
        .filter(|c| c.is_ascii())
        .collect::<String>()
        .to_ascii_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let suffix = format!("-{date}");
    let mut slug = String::new();
    for word in words {
        if slug.len() + word.len() + 1 + suffix.len() > MAX_SLUG_LEN.min(120) {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    if slug.is_empty() {
        slug.push_str("release");
    }
    Slug::parse(format!("{slug}{suffix}")).ok()
}

struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    fn text(
        &mut self,
        field: &str,
        value: Option<&Value>,
        required: bool,
        max: usize,
    ) -> Option<String> {
        match value {
            None | Some(Value::Null) => {
                if required {
                    self.fail(field, "is required");
                }
                None
            }
            Some(Value::String(s)) if required && s.trim().is_empty() => {
                self.fail(field, "must not be empty");
                None
            }
            Some(Value::String(s)) if s.len() > max => {
                self.fail(field, format!("is longer than {max} bytes"));
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.fail(field, "must be a string");
                None
            }
        }
    }

    fn list(&mut self, field: &str, value: Option<&Value>, max: usize) -> Vec<String> {
        match value {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                if items.len() > max {
                    self.fail(field, format!("lists more than {max} items"));
                    return Vec::new();
                }
                let mut seen = HashSet::new();
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(s) if !seen.insert(s.to_string()) => {
                            self.fail(format!("{field}[{i}]"), format!("`{s}` is listed twice"));
                        }
                        Some(s) => out.push(s.to_string()),
                        None => self.fail(format!("{field}[{i}]"), "must be a string"),
                    }
                }
                out
            }
            Some(_) => {
                self.fail(field, "must be a list of strings");
                Vec::new()
            }
        }
    }

    fn slugs(&mut self, field: &str, items: Vec<String>) -> Vec<Slug> {
        items
            .into_iter()
            .enumerate()
            .filter_map(|(i, s)| match Slug::parse(s) {
                Ok(slug) => Some(slug),
                Err(message) => {
                    self.fail(format!("{field}[{i}]"), message);
                    None
                }
            })
            .collect()
    }
}

/// The checked release: the merged fields as a record, and the ids of
/// everything it refers to (for the write).
pub struct Checked {
    pub record: PressRelease,
    pub ids: IdMaps,
}

/// Merges `patch` over `base` (or over nothing, for a new release; with
/// `replace`, over nothing but the slug) and checks the result.
pub async fn check(
    conn: &impl ConnectionTrait,
    base: Option<&PressRelease>,
    patch: &Map<String, Value>,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<Result<Checked, Vec<FieldError>>, DbErr> {
    let mut c = Checker { errors: Vec::new() };
    let mut merged: Map<String, Value> = match base {
        Some(base) if !replace => match serde_json::to_value(base) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        },
        _ => Map::new(),
    };
    for (key, value) in patch {
        if !WRITABLE.contains(&key.as_str()) {
            let why = match key.as_str() {
                "published_at" | "updated_at" => {
                    "is set by the service (publish to set published_at)"
                }
                "status" | "version" | "publish_at" => {
                    "is changed by publishing, scheduling or withdrawing, not by an edit"
                }
                _ => "is not a field of a press release",
            };
            c.fail(key.clone(), why);
            continue;
        }
        if key == "slug"
            && let Some(base) = base
            && value.as_str() != Some(base.slug.as_str())
        {
            c.fail("slug", "cannot change: a slug is a release's stable identifier (create a new release instead)");
            continue;
        }
        if value.is_null() {
            merged.remove(key);
        } else {
            merged.insert(key.clone(), value.clone());
        }
    }
    let get = |k: &str| merged.get(k);

    let title = c.text("title", get("title"), true, MAX_TITLE);
    let date = match get("date") {
        None | Some(Value::Null) => {
            c.fail("date", "is required");
            None
        }
        Some(Value::String(s)) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) if (1975..=2100).contains(&chrono::Datelike::year(&d)) => Some(d),
            Ok(_) => {
                c.fail("date", "must be between 1975 and 2100");
                None
            }
            Err(_) => {
                c.fail("date", format!("`{s}` is not a date (YYYY-MM-DD)"));
                None
            }
        },
        Some(_) => {
            c.fail("date", "must be a date string (YYYY-MM-DD)");
            None
        }
    };
    let slug = match base {
        Some(base) => Some(base.slug.clone()),
        None => match get("slug") {
            None | Some(Value::Null) => match (&title, date) {
                (Some(title), Some(date)) => slug_from(title, date),
                _ => None,
            },
            Some(Value::String(s)) => match Slug::parse(s.clone()) {
                Ok(slug) => Some(slug),
                Err(message) => {
                    c.fail("slug", message);
                    None
                }
            },
            Some(_) => {
                c.fail("slug", "must be a string");
                None
            }
        },
    };
    let place = c.text("place", get("place"), false, MAX_TITLE);
    let source = c
        .text("source", get("source"), true, MAX_SLUG_LEN)
        .and_then(|s| Slug::parse(s).map_err(|m| c.fail("source", m)).ok());
    let fields = c.list("fields_of_work", get("fields_of_work"), 64);
    let fields = c.slugs("fields_of_work", fields);
    let countries: Vec<CountryCode> = c
        .list("countries", get("countries"), 256)
        .into_iter()
        .enumerate()
        .filter_map(|(i, code)| {
            CountryCode::parse(code.to_ascii_uppercase())
                .map_err(|m| c.fail(format!("countries[{i}]"), m))
                .ok()
        })
        .collect();
    let people = c.list("people", get("people"), 256);
    let people = c.slugs("people", people);
    let meetings = c.list("meetings", get("meetings"), 256);
    let meetings = c.slugs("meetings", meetings);
    let language = match c.text("language", get("language"), false, 35) {
        None => LanguageTag::parse("en").ok(),
        Some(tag) => LanguageTag::parse(tag)
            .map_err(|m| c.fail("language", m))
            .ok(),
    };
    let summary = c.text("summary", get("summary"), false, MAX_TEXT);
    let body = c.text("body_html", get("body_html"), true, MAX_TEXT);
    let translations = translations(&mut c, get("translations"), language.as_ref());

    // References: every key must name a stored record.
    let mut ids = IdMaps::default();
    if let Some(source) = &source {
        ids.org_units = keys::ids_by_key(conn, RecordKind::OrgUnit, &[source.as_str()]).await?;
        if ids.org_units.is_empty() {
            c.fail("source", format!("there is no org unit `{source}`"));
        }
    }
    let codes: Vec<&str> = countries.iter().map(CountryCode::as_str).collect();
    ids.fields_of_work = references(
        conn,
        &mut c,
        "fields_of_work",
        RecordKind::FieldOfWork,
        &keys_of(&fields),
    )
    .await?;
    ids.countries = references(conn, &mut c, "countries", RecordKind::Country, &codes).await?;
    ids.people = references(
        conn,
        &mut c,
        "people",
        RecordKind::Person,
        &keys_of(&people),
    )
    .await?;
    ids.meetings = references(
        conn,
        &mut c,
        "meetings",
        RecordKind::Meeting,
        &keys_of(&meetings),
    )
    .await?;

    let (Some(slug), Some(title), Some(date), Some(source), Some(language), Some(body)) =
        (slug, title, date, source, language, body)
    else {
        return Ok(Err(c.errors));
    };
    if !c.errors.is_empty() {
        return Ok(Err(c.errors));
    }
    let record = PressRelease {
        slug,
        title: title.trim().to_string(),
        date,
        place: non_empty(place),
        source,
        fields_of_work: fields,
        countries,
        people,
        meetings,
        language,
        summary: non_empty(summary),
        body_html: sanitize_html(&body),
        translations,
        published_at: base.map_or(now, |b| b.published_at),
        updated_at: now,
    };
    Ok(Ok(Checked { record, ids }))
}

fn translations(
    c: &mut Checker,
    value: Option<&Value>,
    language: Option<&LanguageTag>,
) -> Vec<Translation> {
    let items = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) if items.len() <= MAX_TRANSLATIONS => items,
        Some(Value::Array(_)) => {
            c.fail(
                "translations",
                format!("lists more than {MAX_TRANSLATIONS} translations"),
            );
            return Vec::new();
        }
        Some(_) => {
            c.fail("translations", "must be a list of objects");
            return Vec::new();
        }
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = |name: &str| format!("translations[{i}].{name}");
        let Some(object) = item.as_object() else {
            c.fail(format!("translations[{i}]"), "must be an object");
            continue;
        };
        for key in object.keys() {
            if !["language", "title", "summary", "body_html"].contains(&key.as_str()) {
                c.fail(at(key), "is not a field of a translation");
            }
        }
        let tag = c.text(&at("language"), object.get("language"), true, 35);
        let tag = tag.and_then(|t| {
            LanguageTag::parse(t)
                .map_err(|m| c.fail(at("language"), m))
                .ok()
        });
        if let Some(tag) = &tag {
            if Some(tag) == language {
                c.fail(
                    at("language"),
                    format!("repeats the release's own language `{tag}`"),
                );
            } else if !seen.insert(tag.as_str().to_string()) {
                c.fail(at("language"), format!("`{tag}` is translated twice"));
            }
        }
        let title = c.text(&at("title"), object.get("title"), true, MAX_TITLE);
        let summary = c.text(&at("summary"), object.get("summary"), false, MAX_TEXT);
        let body = c.text(&at("body_html"), object.get("body_html"), true, MAX_TEXT);
        if let (Some(language), Some(title), Some(body)) = (tag, title, body) {
            out.push(Translation {
                language,
                title: title.trim().to_string(),
                summary: non_empty(summary),
                body_html: sanitize_html(&body),
            });
        }
    }
    out
}

fn keys_of(items: &[Slug]) -> Vec<&str> {
    items.iter().map(Slug::as_str).collect()
}

async fn references(
    conn: &impl ConnectionTrait,
    c: &mut Checker,
    field: &str,
    kind: RecordKind,
    wanted: &[&str],
) -> Result<HashMap<String, i64>, DbErr> {
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let found = keys::ids_by_key(conn, kind, wanted).await?;
    for (i, key) in wanted.iter().enumerate() {
        if !found.contains_key(*key) {
            c.fail(
                format!("{field}[{i}]"),
                format!("there is no {} `{key}`", kind.noun()),
            );
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_title_and_date() {
        let date = NaiveDate::from_ymd_opt(2020, 10, 25).unwrap();
        assert_eq!(
            slug_from("Co-Chairs of the Minsk Group: Türkiye & Azerbaijan", date)
                .unwrap()
                .as_str(),
            "co-chairs-of-the-minsk-group-turkiye-azerbaijan-2020-10-25"
        );
        assert_eq!(slug_from("—", date).unwrap().as_str(), "release-2020-10-25");
        let long = "word ".repeat(100);
        assert!(slug_from(&long, date).unwrap().as_str().len() <= 120);
    }
}
