//! Identifier newtypes: slugs, ISO country codes, language tags.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable, human-readable identifier: `[a-z0-9]+(-[a-z0-9]+)*`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// Longest slug accepted; long enough for any real title, short enough for an index.
pub const MAX_SLUG_LEN: usize = 200;

impl Slug {
    pub fn parse(value: impl Into<String>) -> Result<Self, String> {
        let value = value.into();
        if Self::is_well_formed(&value) {
            Ok(Self(value))
        } else {
            Err(format!(
                "invalid slug {value:?}: expected lower-case letters and digits in words joined by single hyphens (at most {MAX_SLUG_LEN} characters)"
            ))
        }
    }

    /// Lower-case letters and digits in words joined by single hyphens, at
    /// most `MAX_SLUG_LEN` bytes. Written without early exits so that the
    /// compiler can check many bytes at once: exports check every slug they
    /// read back.
    pub fn is_well_formed(value: &str) -> bool {
        let bytes = value.as_bytes();
        let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
            return false;
        };
        let allowed = bytes.iter().fold(true, |ok, &b| {
            ok & ((b.wrapping_sub(b'a') < 26) | (b.wrapping_sub(b'0') < 10) | (b == b'-'))
        });
        // A hyphen first, last or after another leaves an empty word.
        allowed
            && bytes.len() <= MAX_SLUG_LEN
            && first != b'-'
            && last != b'-'
            && !value.contains("--")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case (`"AM"`, `"VA"` for the Holy See).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(value: impl Into<String>) -> Result<Self, String> {
        let value = value.into();
        if value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(value))
        } else {
            Err(format!(
                "invalid country code {value:?}: expected an ISO 3166-1 alpha-2 code such as \"AM\""
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A BCP 47 language tag in its common short form: `en`, `ru`, `pt-BR`, `sr-Latn`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn parse(value: impl Into<String>) -> Result<Self, String> {
        let value = value.into();
        let mut parts = value.split('-');
        let primary_ok = parts.next().is_some_and(|p| {
            (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase())
        });
        let rest_ok = parts
            .all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if primary_ok && rest_ok && value.len() <= 35 {
            Ok(Self(value))
        } else {
            Err(format!(
                "invalid language tag {value:?}: expected a BCP 47 tag such as \"en\" or \"pt-BR\""
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype_impls {
    ($($ty:ident),*) => {$(
        impl TryFrom<String> for $ty {
            type Error = String;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(value)
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.0
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl PartialEq<&str> for $ty {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    )*};
}
string_newtype_impls!(Slug, CountryCode, LanguageTag);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(Slug::parse("minsk-group").is_ok());
        assert!(Slug::parse("a1-b2-3").is_ok());
        assert!(Slug::parse("7").is_ok());
        assert!(Slug::parse("a".repeat(MAX_SLUG_LEN)).is_ok());
        for bad in [
            "", "-", "-a", "a-", "a--b", "a-b-", "Minsk", "a_b", "ä", "a b",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Slug::parse("a".repeat(MAX_SLUG_LEN + 1)).is_err());
    }

    #[test]
    fn country_codes() {
        assert!(CountryCode::parse("VA").is_ok());
        for bad in ["", "va", "USA", "U1"] {
            assert!(CountryCode::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn language_tags() {
        for good in ["en", "ru", "pt-BR", "sr-Latn"] {
            assert!(LanguageTag::parse(good).is_ok(), "{good:?} refused");
        }
        for bad in ["", "E", "english", "en_GB", "en-"] {
            assert!(LanguageTag::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
