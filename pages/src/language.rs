//! A page's language: what `<html lang>` says, else the language prefix of
//! its address (`/ru/…`), else what its text is written in, else English.

use crate::{LanguageEvidence, PageHead};

/// Language prefixes the site's addresses use.
const PATH_PREFIXES: [&str; 14] = [
    "ru", "fr", "de", "uk", "ro", "sr", "mk", "sq", "it", "es", "tr", "bs", "me", "ky",
];

/// ISO 639-3 codes the text detector answers, as the tags the service uses.
const DETECTED: [(&str, &str); 34] = [
    ("eng", "en"),
    ("rus", "ru"),
    ("ukr", "uk"),
    ("fra", "fr"),
    ("deu", "de"),
    ("ron", "ro"),
    ("srp", "sr"),
    ("hrv", "hr"),
    ("bos", "bs"),
    ("mkd", "mk"),
    ("ita", "it"),
    ("spa", "es"),
    ("pol", "pl"),
    ("tur", "tr"),
    ("kaz", "kk"),
    ("uzb", "uz"),
    ("hye", "hy"),
    ("kat", "ka"),
    ("aze", "az"),
    ("bel", "be"),
    ("bul", "bg"),
    ("ces", "cs"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("hun", "hu"),
    ("lit", "lt"),
    ("lav", "lv"),
    ("est", "et"),
    ("fin", "fi"),
    ("swe", "sv"),
    ("dan", "da"),
    ("nld", "nl"),
    ("por", "pt"),
    ("ell", "el"),
];

pub fn detect(head: &PageHead, name: Option<&str>, text: &str) -> (String, LanguageEvidence) {
    if let Some(tag) = head.lang.as_deref().and_then(normalise) {
        return (tag, LanguageEvidence::HtmlLang);
    }
    let addresses = [head.canonical.as_deref(), name];
    for address in addresses.into_iter().flatten() {
        if let Some(tag) = path_prefix(address) {
            return (tag, LanguageEvidence::UrlPath);
        }
    }
    let sample: String = text.chars().take(4000).collect();
    if let Some(info) = whatlang::detect(&sample)
        && info.is_reliable()
    {
        let code = info.lang().code();
        let tag = DETECTED
            .iter()
            .find(|(three, _)| *three == code)
            .map_or(code, |(_, two)| two);
        let tag = match (tag, info.script()) {
            ("sr", whatlang::Script::Latin) => "sr-Latn".to_string(),
            (tag, _) => tag.to_string(),
        };
        return (tag, LanguageEvidence::Text);
    }
    ("en".to_string(), LanguageEvidence::Default)
}

/// `en-GB` → `en`, `sr-latn-RS` → `sr-Latn`: the language and its script.
pub fn normalise(tag: &str) -> Option<String> {
    let mut parts = tag.trim().split(['-', '_']);
    let language = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let script = parts.find(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()));
    Some(match script {
        Some(s) => format!(
            "{language}-{}{}",
            s[..1].to_ascii_uppercase(),
            s[1..].to_ascii_lowercase()
        ),
        None => language,
    })
}

fn path_prefix(address: &str) -> Option<String> {
    let path = match address.find("://") {
        Some(at) => {
            let rest = &address[at + 3..];
            &rest[rest.find('/')?..]
        }
        None => address,
    };
    let first = path
        .trim_start_matches('/')
        .split(['/', '\\'])
        .next()?
        .to_ascii_lowercase();
    PATH_PREFIXES.contains(&first.as_str()).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised() {
        assert_eq!(normalise("en-GB").as_deref(), Some("en"));
        assert_eq!(normalise("sr-latn-RS").as_deref(), Some("sr-Latn"));
        assert_eq!(normalise("x").as_deref(), None);
    }

    #[test]
    fn the_path_prefix_tells() {
        assert_eq!(
            path_prefix("https://www.osce.org/ru/minsk-group/467415").as_deref(),
            Some("ru")
        );
        assert_eq!(path_prefix("https://www.osce.org/minsk-group/467415"), None);
        assert_eq!(path_prefix("/fr/odihr/1"), Some("fr".to_string()));
    }
}
