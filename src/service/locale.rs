//! A release in the language a request prefers: its title, summary and
//! body swapped for the translation served, and what was served.

use serde::Serialize;

use crate::domain::LocalePreference;
use crate::model::PressRelease;

/// Which language a release was answered in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServedLanguage {
    /// The language of title and body.
    pub served_locale: String,
    /// Whether any field is in another language than the one asked for.
    pub is_fallback: bool,
    /// Its own language, then its translations', by tag.
    pub available_locales: Vec<String>,
    /// The language the summary is in (the chain after the served one when
    /// the served text has none); `None` without a summary.
    #[serde(skip)]
    pub summary_locale: Option<String>,
}

/// The language `preference` serves `record` in, or `None` when a strict
/// preference has none of its languages.
pub fn served_language(record: &PressRelease, preference: &LocalePreference) -> Option<String> {
    preference
        .choose(
            record.language.as_str(),
            record.translations.iter().map(|t| t.language.as_str()),
        )
        .map(str::to_owned)
}

/// Puts the served language's title, summary (falling back field by
/// field along the chain) and body in `record`'s own fields.
pub fn serve(record: &mut PressRelease, preference: &LocalePreference) -> ServedLanguage {
    let original = record.language.to_string();
    let served = served_language(record, preference).unwrap_or_else(|| original.clone());
    let summary_language = preference
        .field_order(&served, &original)
        .into_iter()
        .find(|l| {
            if *l == original {
                record.summary.is_some()
            } else {
                record
                    .translations
                    .iter()
                    .any(|t| t.language == *l && t.summary.is_some())
            }
        })
        .map(str::to_owned);
    if let Some(l) = &summary_language
        && *l != original
    {
        record.summary = record
            .translations
            .iter()
            .find(|t| t.language == l.as_str())
            .and_then(|t| t.summary.clone());
    } else if summary_language.is_none() {
        record.summary = None;
    }
    if let Some(translation) = record
        .translations
        .iter()
        .find(|t| t.language == served.as_str())
    {
        record.title = translation.title.clone();
        record.body_html = translation.body_html.clone();
    }
    let asked = preference.locale.as_str();
    let mut available_locales = vec![original];
    let mut translated: Vec<String> = record
        .translations
        .iter()
        .map(|t| t.language.to_string())
        .collect();
    translated.sort();
    available_locales.extend(translated);
    ServedLanguage {
        is_fallback: served != asked || summary_language.as_deref().is_some_and(|l| l != asked),
        served_locale: served,
        available_locales,
        summary_locale: summary_language,
    }
}
