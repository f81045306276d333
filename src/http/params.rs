//! Query-string parameters of the REST API, feeds and embeds, with one
//! vocabulary for release filters. A list parameter may be repeated or
//! comma-separated (`country=AM&country=AZ` = `country=AM,AZ`); a parameter
//! the endpoint does not know is a 400, so a typo never silently widens a
//! result.

use chrono::NaiveDate;

use super::error::ApiError;
use crate::domain::{
    CountryCode, DateRange, FilterError, FilterField, LanguageTag, MeetingKind, ReleaseFilterKeys,
    Slug, parse_countries, parse_languages, parse_slugs,
};

/// The release filter parameters, as documented for every endpoint (`q` is
/// a full-text search).
pub const RELEASE_FILTER_PARAMETERS: &[&str] = &[
    "field_of_work",
    "country",
    "source",
    "include_descendants",
    "person",
    "meeting",
    "meeting_kind",
    "language",
    "date_from",
    "date_to",
    "q",
];

fn bad_key(name: &str, error: FilterError) -> ApiError {
    ApiError::bad_parameter(name, error.message(name))
}

/// The parameters of one request, consumed as the handler reads them.
#[derive(Debug, Default)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    pub fn parse(raw: Option<&str>) -> Self {
        Self {
            pairs: form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        }
    }

    fn take_all(&mut self, name: &str) -> Vec<String> {
        let (taken, kept) = std::mem::take(&mut self.pairs)
            .into_iter()
            .partition(|(k, _)| k == name);
        self.pairs = kept;
        taken.into_iter().map(|(_, v)| v).collect()
    }

    /// Every value of a list parameter, split on commas, blanks dropped.
    pub fn list(&mut self, name: &str) -> Vec<String> {
        self.take_all(name)
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Like `list`, but a parameter given with no value at all (`kind=`) is
    /// an error rather than no filter, for lists of a closed vocabulary.
    pub fn non_empty_list(&mut self, name: &str) -> Result<Vec<String>, ApiError> {
        let given = self.pairs.iter().any(|(k, _)| k == name);
        let values = self.list(name);
        if given && values.is_empty() {
            return Err(ApiError::bad_parameter(
                name,
                format!("`{name}` is given without a value"),
            ));
        }
        Ok(values)
    }

    /// A single-valued parameter; given twice is an error.
    pub fn one(&mut self, name: &str) -> Result<Option<String>, ApiError> {
        let mut values = self.take_all(name);
        match values.len() {
            0 => Ok(None),
            1 => Ok(values.pop()),
            _ => Err(ApiError::bad_parameter(
                name,
                format!("`{name}` may be given only once"),
            )),
        }
    }

    pub fn date(&mut self, name: &str) -> Result<Option<NaiveDate>, ApiError> {
        self.one(name)?
            .map(|v| {
                NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| {
                    ApiError::bad_parameter(
                        name,
                        format!("`{name}` must be a date as YYYY-MM-DD, got {v:?}"),
                    )
                })
            })
            .transpose()
    }

    pub fn boolean(&mut self, name: &str) -> Result<bool, ApiError> {
        match self.one(name)?.as_deref() {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") | Some("") => Ok(true),
            Some(other) => Err(ApiError::bad_parameter(
                name,
                format!("`{name}` must be true or false, got {other:?}"),
            )),
        }
    }

    /// An integer in `min..=max`, or `default` when absent.
    pub fn integer(
        &mut self,
        name: &str,
        min: u32,
        max: u32,
        default: u32,
    ) -> Result<u32, ApiError> {
        let Some(value) = self.one(name)? else {
            return Ok(default);
        };
        match value.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_parameter(
                name,
                format!("`{name}` must be an integer from {min} to {max}, got {value:?}"),
            )),
        }
    }

    /// Every value of a list parameter, each one of a closed vocabulary.
    pub fn enumerated<T: Copy + std::fmt::Display>(
        &mut self,
        name: &str,
        what: &str,
        parse: impl Fn(&str) -> Option<T>,
        known: &[T],
    ) -> Result<Vec<T>, ApiError> {
        self.non_empty_list(name)?
            .iter()
            .map(|v| {
                parse(v).ok_or_else(|| {
                    let known: Vec<String> = known.iter().map(|k| k.to_string()).collect();
                    ApiError::bad_parameter(
                        name,
                        format!("unknown {what} {v:?}; known: {}", known.join(", ")),
                    )
                })
            })
            .collect()
    }

    /// A list of slugs of `field`'s kind.
    pub fn slugs(&mut self, name: &str, field: FilterField) -> Result<Vec<Slug>, ApiError> {
        parse_slugs(field, self.list(name)).map_err(|e| bad_key(name, e))
    }

    /// A list of country codes, in either case.
    pub fn countries(&mut self, name: &str) -> Result<Vec<CountryCode>, ApiError> {
        parse_countries(self.list(name)).map_err(|e| bad_key(name, e))
    }

    /// A list of language tags.
    pub fn languages(&mut self, name: &str) -> Result<Vec<LanguageTag>, ApiError> {
        parse_languages(self.list(name)).map_err(|e| bad_key(name, e))
    }

    /// The release filter parameters (see `RELEASE_FILTER_PARAMETERS`),
    /// parsed into the domain's types.
    pub fn release_filter(&mut self) -> Result<ReleaseFilterKeys, ApiError> {
        let meeting_kinds = self.enumerated(
            "meeting_kind",
            "meeting kind",
            MeetingKind::parse,
            MeetingKind::ALL,
        )?;
        let keys = ReleaseFilterKeys {
            fields_of_work: self.slugs("field_of_work", FilterField::FieldsOfWork)?,
            countries: self.countries("country")?,
            sources: self.slugs("source", FilterField::Sources)?,
            include_descendants: self.boolean("include_descendants")?,
            people: self.slugs("person", FilterField::People)?,
            meetings: self.slugs("meeting", FilterField::Meetings)?,
            meeting_kinds,
            languages: self.languages("language")?,
            dates: DateRange::new(self.date("date_from")?, self.date("date_to")?),
            search: self.one("q")?,
            locale: None,
        };
        Ok(keys)
    }

    /// The `locale` and `fallback` parameters with the `Accept-Language`
    /// header, as the preference to serve by (see `http::locale`).
    pub fn locale(
        &mut self,
        headers: &axum::http::HeaderMap,
        locales: &crate::domain::Locales,
        default_fallback: Option<crate::domain::FallbackOverride>,
    ) -> Result<crate::domain::LocalePreference, ApiError> {
        let locale = self.one("locale")?;
        let fallback = self.one("fallback")?;
        let request = super::locale::LocaleRequest {
            locale: locale.as_deref(),
            fallback: fallback.as_deref(),
            headers,
        };
        request
            .preference(locales, default_fallback)
            .map_err(|e| match &e {
                crate::domain::LocaleError::Unsupported { field, .. } => {
                    ApiError::bad_parameter(field, e.to_string())
                }
            })
    }

    /// Fails on any parameter not read so far.
    pub fn finish(self) -> Result<(), ApiError> {
        let mut unknown: Vec<String> = self.pairs.into_iter().map(|(k, _)| k).collect();
        if unknown.is_empty() {
            return Ok(());
        }
        unknown.sort();
        unknown.dedup();
        Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "unknown_parameter",
            format!("unknown query parameter: {}", unknown.join(", ")),
        )
        .with_details(serde_json::json!({ "parameters": unknown })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_may_repeat_or_use_commas() {
        let mut params = QueryParams::parse(Some("country=am&country=AZ,%20ge&x=1"));
        let keys = params.release_filter().unwrap();
        assert_eq!(keys.countries, ["AM", "AZ", "GE"]);
        assert!(params.finish().is_err());
    }

    #[test]
    fn bad_values_name_the_parameter() {
        let mut params = QueryParams::parse(Some("date_from=2020-13-01"));
        let error = params.release_filter().unwrap_err();
        assert_eq!(error.details["parameter"], "date_from");
        let mut params = QueryParams::parse(Some("limit=101"));
        assert!(params.integer("limit", 1, 100, 20).is_err());
        let mut params = QueryParams::parse(Some("limit=5&limit=6"));
        assert!(params.integer("limit", 1, 100, 20).is_err());
    }
}
