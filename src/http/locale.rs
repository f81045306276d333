//! The language of a REST, feed or embed answer: `?locale=` and
//! `?fallback=` when given, else `Accept-Language`, else the default; and
//! the headers that say which language was served and what decided it.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::domain::{
    Decided, FallbackOverride, LanguageTag, LocaleError, LocalePreference, LocaleSource, Locales,
};

/// What a request asked for: the `locale` and `fallback` parameters, and
/// the `Accept-Language` header.
pub struct LocaleRequest<'a> {
    pub locale: Option<&'a str>,
    /// `none`, or languages separated by commas.
    pub fallback: Option<&'a str>,
    pub headers: &'a HeaderMap,
}

impl LocaleRequest<'_> {
    /// The preference to serve by. `default_fallback` is the chain used
    /// when the request names none and asked for a language (feeds list no
    /// fallback items unless asked: `Some(FallbackOverride::None)`).
    pub fn preference(
        &self,
        locales: &Locales,
        default_fallback: Option<FallbackOverride>,
    ) -> Result<LocalePreference, LocaleError> {
        let source = match self.locale.filter(|l| !l.is_empty()) {
            Some(locale) => LocaleSource::Explicit(locales.resolve("locale", locale)?),
            None => match self
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
            {
                Some(header) => LocaleSource::Header(locales.negotiate(header)),
                None => LocaleSource::Default,
            },
        };
        let asked = !matches!(source, LocaleSource::Default);
        let fallback = match self.fallback.map(str::trim).filter(|f| !f.is_empty()) {
            Some("none") => Some(FallbackOverride::None),
            Some(list) => Some(FallbackOverride::Chain(
                list.split(',')
                    .map(|l| locales.resolve("fallback", l.trim()))
                    .collect::<Result<Vec<LanguageTag>, _>>()?,
            )),
            None if asked => default_fallback,
            None => None,
        };
        Ok(locales.preference(source, fallback))
    }
}

/// `Content-Language` of the answer, and `Vary: Accept-Language` when the
/// header (or its absence) decided it rather than `?locale=`: so a cache
/// keeps one copy per language asked, and none when the URL says it.
pub fn language_headers(headers: &mut HeaderMap, served: &str, preference: &LocalePreference) {
    if let Ok(value) = HeaderValue::from_str(served) {
        headers.insert(header::CONTENT_LANGUAGE, value);
    }
    if preference.decided != Decided::Explicitly {
        headers.append(header::VARY, HeaderValue::from_static("accept-language"));
    }
}
