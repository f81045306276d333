//! The schema's own date scalars. async-graphql's built-in ones are named
//! after Rust types (`NaiveDate`) and described by library boilerplate;
//! these carry the conventional names, a description a client can act on,
//! and `@specifiedBy` the RFC they follow.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{NaiveDate, SecondsFormat, Utc};

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar day, as an RFC 3339 `full-date`: `YYYY-MM-DD`, four-digit
/// year, two-digit month and day (`2020-10-25`). No time and no zone: the
/// day as the content states it.
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else {
            return Err(InputValueError::expected_type(value));
        };
        parse_full_date(text).map(Date).ok_or_else(|| {
            InputValueError::custom(format!(
                "`{text}` is not a date: write it as YYYY-MM-DD, e.g. 2020-10-25"
            ))
        })
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// Exactly `YYYY-MM-DD`: chrono alone would also take `2020-1-5`, which
/// RFC 3339 does not allow.
fn parse_full_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// An instant in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime(pub chrono::DateTime<Utc>);

/// An instant, as an RFC 3339 `date-time` in UTC with seconds and a `Z`
/// (`2020-10-25T09:30:00Z`). Input may carry any offset; it is converted.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else {
            return Err(InputValueError::expected_type(value));
        };
        chrono::DateTime::parse_from_rfc3339(text)
            .map(|at| DateTime(at.with_timezone(&Utc)))
            .map_err(|_| {
                InputValueError::custom(format!(
                    "`{text}` is not a date-time: write it as RFC 3339, e.g. 2020-10-25T09:30:00Z"
                ))
            })
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl From<NaiveDate> for Date {
    fn from(day: NaiveDate) -> Self {
        Date(day)
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(at: chrono::DateTime<Utc>) -> Self {
        DateTime(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_full_dates_only() {
        assert!(Date::parse(Value::from("2020-10-25")).is_ok());
        for bad in [
            "2020-1-5",
            "2020-02-30",
            "20-10-25",
            "2020-10-25T00:00:00Z",
            "",
        ] {
            assert!(Date::parse(Value::from(bad)).is_err(), "{bad}");
        }
        assert!(Date::parse(Value::from(20201025)).is_err());
    }

    #[test]
    fn date_times_are_written_in_utc_with_z() {
        let at = DateTime::parse(Value::from("2020-10-25T11:30:00+02:00")).unwrap();
        assert_eq!(at.to_value(), Value::from("2020-10-25T09:30:00Z"));
    }
}
