//! Release filters as clients write them (public keys, not ids), parsed
//! once at the edge of every API into domain types: GraphQL arguments, REST
//! and feed query strings all become the same `ReleaseFilterKeys`, with the
//! same rules (country codes in any case, language tags checked).

use chrono::NaiveDate;

use super::{CountryCode, LanguageTag, MeetingKind, Slug};

/// A span of days; either end may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DateRange {
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Self {
        Self { from, to }
    }

    /// Whether the range holds no day at all (`from` after `to`).
    pub fn is_empty(&self) -> bool {
        matches!((self.from, self.to), (Some(from), Some(to)) if from > to)
    }
}

/// A release filter in public keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReleaseFilterKeys {
    pub fields_of_work: Vec<Slug>,
    pub countries: Vec<CountryCode>,
    pub sources: Vec<Slug>,
    pub include_descendants: bool,
    pub people: Vec<Slug>,
    pub meetings: Vec<Slug>,
    pub meeting_kinds: Vec<MeetingKind>,
    pub languages: Vec<LanguageTag>,
    pub dates: DateRange,
    /// A full-text search in the syntax of `search::syntax`.
    pub search: Option<String>,
    /// The languages the request accepts: a search matches the text each
    /// release is served in, and a strict preference lists only releases
    /// in one of its languages. `None`: any language.
    pub locale: Option<crate::domain::LocalePreference>,
}

/// Which list of a filter a value was given for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterField {
    FieldsOfWork,
    Countries,
    Sources,
    People,
    Meetings,
    OrgUnits,
    Languages,
}

impl FilterField {
    /// How messages name one value of the list.
    pub fn noun(self) -> &'static str {
        match self {
            FilterField::FieldsOfWork => "field of work",
            FilterField::Countries => "country",
            FilterField::Sources => "source unit",
            FilterField::People => "person",
            FilterField::Meetings => "meeting",
            FilterField::OrgUnits => "org unit",
            FilterField::Languages => "language",
        }
    }
}

/// A value that cannot be what its list holds. Each API names the field
/// in its own vocabulary (`country` in a query string, `countries` in
/// GraphQL); `message` says what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    pub field: FilterField,
    pub value: String,
}

impl FilterError {
    /// The message, with the field named as the API names it.
    pub fn message(&self, field_name: &str) -> String {
        match self.field {
            FilterField::Languages => format!(
                "`{field_name}` takes language tags such as en or ru, got {:?}",
                self.value
            ),
            // A malformed key names nothing: said as for any unknown key.
            other => format!("unknown {}: {}", other.noun(), self.value),
        }
    }
}

/// Slugs of one list of a filter.
pub fn parse_slugs(field: FilterField, values: Vec<String>) -> Result<Vec<Slug>, FilterError> {
    values
        .into_iter()
        .map(|value| Slug::parse(value.clone()).map_err(|_| FilterError { field, value }))
        .collect()
}

/// Country codes, in either case (`am` is `AM`).
pub fn parse_countries(values: Vec<String>) -> Result<Vec<CountryCode>, FilterError> {
    values
        .into_iter()
        .map(|value| {
            CountryCode::parse(value.to_ascii_uppercase()).map_err(|_| FilterError {
                field: FilterField::Countries,
                value,
            })
        })
        .collect()
}

/// Language tags (`en`, `pt-BR`).
pub fn parse_languages(values: Vec<String>) -> Result<Vec<LanguageTag>, FilterError> {
    values
        .into_iter()
        .map(|value| {
            LanguageTag::parse(value.clone()).map_err(|_| FilterError {
                field: FilterField::Languages,
                value,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_in_any_case_and_checked_languages() {
        let codes = parse_countries(vec!["am".into(), "AZ".into()]).unwrap();
        assert_eq!(codes[0].as_str(), "AM");
        assert_eq!(codes[1].as_str(), "AZ");
        let error = parse_countries(vec!["Armenia".into()]).unwrap_err();
        assert_eq!(error.message("country"), "unknown country: Armenia");
        let error = parse_languages(vec!["EN_gb".into()]).unwrap_err();
        assert_eq!(
            error.message("language"),
            "`language` takes language tags such as en or ru, got \"EN_gb\""
        );
        let error = parse_slugs(FilterField::People, vec!["Jane Doe".into()]).unwrap_err();
        assert_eq!(error.message("person"), "unknown person: Jane Doe");
    }
}
