//! Which language a request is served in: the supported languages and
//! their fallback chains (configuration), `Accept-Language` negotiation
//! (RFC 4647 lookup with `q` values), and, for one record, which of its
//! languages a request gets.

use std::collections::{BTreeMap, HashSet};

use super::LanguageTag;

/// The languages served unless configured otherwise: the OSCE's six
/// official languages and those of the places it works.
pub const DEFAULT_LOCALES: &[&str] = &[
    "en", "ru", "fr", "de", "it", "es", "sq", "sr", "sr-Latn", "bs", "mk", "uk", "ro", "hy", "az",
    "ka", "kk", "ky", "tg", "tk", "uz", "mn",
];

/// Fallbacks unless configured otherwise: Serbian in Latin script falls
/// back to Serbian, the Central Asian languages to Russian (the
/// programme offices' other language); every chain then ends in English.
pub const DEFAULT_FALLBACKS: &[(&str, &str)] = &[
    ("sr-Latn", "sr"),
    ("kk", "ru"),
    ("ky", "ru"),
    ("tg", "ru"),
    ("tk", "ru"),
    ("uz", "ru"),
];

/// The languages content is served in, the default one, and where each
/// falls back to. Built once at start-up; an unknown language or a cycle
/// in the chains is an error then, not at the first request.
#[derive(Clone, Debug)]
pub struct Locales {
    default: LanguageTag,
    supported: Vec<LanguageTag>,
    /// Each supported language's chain: itself, its fallbacks, the default last.
    chains: BTreeMap<String, Vec<LanguageTag>>,
}

/// Why a request's language cannot be served.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LocaleError {
    #[error("{field}: {value:?} is not a supported language; supported: {supported}")]
    Unsupported {
        field: &'static str,
        value: String,
        supported: String,
    },
}

impl Locales {
    /// `fallbacks` maps a language to the one it falls back to next
    /// (`sr-Latn = "sr"`); a language without an entry falls back to the
    /// default. Every tag named must be in `supported` (the default is
    /// added to it).
    pub fn new(
        default: &str,
        supported: &[String],
        fallbacks: &BTreeMap<String, String>,
    ) -> Result<Self, String> {
        let default = LanguageTag::parse(default).map_err(|e| format!("default_locale: {e}"))?;
        let mut tags: Vec<LanguageTag> = vec![default.clone()];
        for tag in supported {
            let tag = LanguageTag::parse(tag.as_str()).map_err(|e| format!("locales: {e}"))?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let known = |tag: &str, role: &str| -> Result<LanguageTag, String> {
            tags.iter().find(|t| t.as_str() == tag).cloned().ok_or_else(|| {
                format!(
                    "locale_fallbacks: {role} {tag:?} is not a supported language (locales: {})",
                    list(&tags)
                )
            })
        };
        let mut parent: BTreeMap<String, LanguageTag> = BTreeMap::new();
        for (from, to) in fallbacks {
            let from = known(from, "language")?;
            let to = known(to, "fallback")?;
            if from == default {
                return Err(format!(
                    "locale_fallbacks: the default language {default} cannot fall back to {to}"
                ));
            }
            parent.insert(from.as_str().to_owned(), to);
        }
        let mut chains = BTreeMap::new();
        for tag in &tags {
            let mut chain = vec![tag.clone()];
            let mut at = tag.clone();
            while let Some(next) = parent.get(at.as_str()) {
                if chain.contains(next) {
                    let path: Vec<&str> = chain.iter().map(LanguageTag::as_str).collect();
                    return Err(format!(
                        "locale_fallbacks: the chain of {tag} loops: {} → {next}",
                        path.join(" → ")
                    ));
                }
                chain.push(next.clone());
                at = next.clone();
            }
            if !chain.contains(&default) {
                chain.push(default.clone());
            }
            chains.insert(tag.as_str().to_owned(), chain);
        }
        Ok(Self {
            default,
            supported: tags,
            chains,
        })
    }

    /// `DEFAULT_LOCALES` with `DEFAULT_FALLBACKS`, English the default.
    pub fn standard() -> Self {
        let supported: Vec<String> = DEFAULT_LOCALES.iter().map(|t| (*t).to_owned()).collect();
        let fallbacks = DEFAULT_FALLBACKS
            .iter()
            .map(|(from, to)| ((*from).to_owned(), (*to).to_owned()))
            .collect();
        #[allow(
            clippy::expect_used,
            reason = "the constants are valid tags without cycles (a unit test builds them)"
        )]
        Self::new("en", &supported, &fallbacks).expect("the standard locales are valid")
    }

    pub fn default_locale(&self) -> &LanguageTag {
        &self.default
    }

    pub fn supported(&self) -> &[LanguageTag] {
        &self.supported
    }

    /// The configured chain of a supported language.
    pub fn chain(&self, locale: &LanguageTag) -> Vec<LanguageTag> {
        self.chains
            .get(locale.as_str())
            .cloned()
            .unwrap_or_else(|| vec![locale.clone(), self.default.clone()])
    }

    /// RFC 4647 lookup of one range: the supported tag equal to it
    /// (case-insensitively), else to it with its last subtag removed, and so on.
    fn lookup(&self, range: &str) -> Option<&LanguageTag> {
        let mut range = range.trim();
        loop {
            if let Some(tag) = self
                .supported
                .iter()
                .find(|t| t.as_str().eq_ignore_ascii_case(range))
            {
                return Some(tag);
            }
            let cut = range.rfind('-')?;
            range = &range[..cut];
            // A single-letter subtag (an extension's singleton) goes with the one after it.
            if range.len() >= 2 && range.as_bytes()[range.len() - 2] == b'-' {
                range = &range[..range.len() - 2];
            }
        }
    }

    /// The supported language an `Accept-Language` header asks for, if any
    /// range in it matches one (`*` is the default language); ranges with
    /// `q=0` exclude the languages they name.
    pub fn negotiate(&self, header: &str) -> Option<LanguageTag> {
        let mut ranges: Vec<(&str, u16)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let range = pieces.next()?.trim();
                if range.is_empty() {
                    return None;
                }
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
                    .map_or(Some(1000), parse_q)?;
                Some((range, q))
            })
            .collect();
        // A `q=0` range excludes the supported languages it matches by
        // basic filtering (RFC 4647 3.3.1: the tag itself or one it
        // prefixes), not by lookup: `fr-CH;q=0` leaves `fr` acceptable.
        let excluded: HashSet<&str> = ranges
            .iter()
            .filter(|(range, q)| *q == 0 && *range != "*")
            .flat_map(|(range, _)| {
                self.supported
                    .iter()
                    .map(LanguageTag::as_str)
                    .filter(|tag| basic_match(range, tag))
            })
            .collect();
        // Highest q first; equal q keep the header's order.
        ranges.sort_by_key(|&(_, q)| std::cmp::Reverse(q));
        ranges
            .iter()
            .filter(|(_, q)| *q > 0)
            .find_map(|(range, _)| {
                let tag = if *range == "*" {
                    self.supported
                        .iter()
                        .find(|t| !excluded.contains(t.as_str()))?
                } else {
                    self.lookup(range)?
                };
                (!excluded.contains(tag.as_str())).then(|| tag.clone())
            })
    }

    /// The supported language an explicit `locale` names (looked up as a
    /// range, so `fr-CH` is served `fr`).
    pub fn resolve(&self, field: &'static str, value: &str) -> Result<LanguageTag, LocaleError> {
        self.lookup(value)
            .cloned()
            .ok_or_else(|| LocaleError::Unsupported {
                field,
                value: value.to_owned(),
                supported: list(&self.supported),
            })
    }

    /// What a request asked for, as a preference to serve records by:
    /// `locale` explicit, else negotiated from `Accept-Language`, else the
    /// default; `fallback` overrides the configured chain.
    pub fn preference(
        &self,
        requested: LocaleSource,
        fallback: Option<FallbackOverride>,
    ) -> LocalePreference {
        let (locale, source) = match requested {
            LocaleSource::Explicit(tag) => (tag, Decided::Explicitly),
            LocaleSource::Header(Some(tag)) => (tag, Decided::ByHeader),
            LocaleSource::Header(None) => (self.default.clone(), Decided::ByHeader),
            LocaleSource::Default => (self.default.clone(), Decided::ByDefault),
        };
        let (chain, strict) = match fallback {
            None => (self.chain(&locale), false),
            Some(FallbackOverride::None) => (vec![locale.clone()], true),
            Some(FallbackOverride::Chain(languages)) => {
                let mut chain = vec![locale.clone()];
                for tag in languages {
                    if !chain.contains(&tag) {
                        chain.push(tag);
                    }
                }
                (chain, true)
            }
        };
        LocalePreference {
            locale,
            chain,
            strict,
            decided: source,
        }
    }
}

/// A `q` value (`0` to `1`, up to three decimals) in thousandths; `None`
/// for anything else, which drops the range.
fn parse_q(text: &str) -> Option<u16> {
    let value: f64 = text.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

fn list(tags: &[LanguageTag]) -> String {
    tags.iter()
        .map(LanguageTag::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a request's language came from.
#[derive(Clone, Debug)]
pub enum LocaleSource {
    /// A `locale` argument or parameter.
    Explicit(LanguageTag),
    /// `Accept-Language`: what it negotiated, if it matched anything.
    Header(Option<LanguageTag>),
    /// Nothing asked: the default language.
    Default,
}

/// A per-request replacement of the configured chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FallbackOverride {
    /// Only the requested language.
    None,
    /// The requested language, then these.
    Chain(Vec<LanguageTag>),
}

/// Whether the `Accept-Language` header chose the language (then answers
/// vary by it), or the request said so, or nothing did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    Explicitly,
    ByHeader,
    ByDefault,
}

/// The languages a request accepts, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalePreference {
    pub locale: LanguageTag,
    pub chain: Vec<LanguageTag>,
    /// Only the chain's languages: a record in none of them is not served
    /// (a per-request `fallback`). Otherwise a record in none of them is
    /// served in its own language.
    pub strict: bool,
    pub decided: Decided,
}

/// RFC 4647 basic filtering: `range` matches `tag` if it is the tag or a
/// prefix of it ending at a subtag boundary, ignoring case.
fn basic_match(range: &str, tag: &str) -> bool {
    tag.len() >= range.len()
        && tag[..range.len()].eq_ignore_ascii_case(range)
        && (tag.len() == range.len() || tag.as_bytes()[range.len()] == b'-')
}

impl LocalePreference {
    /// The language of a record whose own language is `original` and which
    /// also exists in `translated`: the first of the chain it has, else (not
    /// strict) its own; `None` when a strict chain has none of them.
    pub fn choose<'a>(
        &self,
        original: &'a str,
        translated: impl Iterator<Item = &'a str> + Clone,
    ) -> Option<&'a str> {
        for wanted in &self.chain {
            if original == wanted.as_str() {
                return Some(original);
            }
            if let Some(found) = translated.clone().find(|t| *t == wanted.as_str()) {
                return Some(found);
            }
        }
        (!self.strict).then_some(original)
    }

    /// Where a field missing in the served language is looked for next:
    /// the chain after `served`, then the record's own language.
    pub fn field_order<'a>(&'a self, served: &'a str, original: &'a str) -> Vec<&'a str> {
        let mut order: Vec<&str> = vec![served];
        let after = self
            .chain
            .iter()
            .position(|t| t.as_str() == served)
            .map_or(0, |i| i + 1);
        for tag in &self.chain[after..] {
            if !order.contains(&tag.as_str()) {
                order.push(tag.as_str());
            }
        }
        if !order.contains(&original) {
            order.push(original);
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locales() -> Locales {
        let supported: Vec<String> = ["en", "fr", "de", "ru", "sr", "sr-Latn", "bs"]
            .map(String::from)
            .to_vec();
        let fallbacks = BTreeMap::from([
            ("sr-Latn".to_owned(), "sr".to_owned()),
            ("bs".to_owned(), "sr-Latn".to_owned()),
        ]);
        Locales::new("en", &supported, &fallbacks).unwrap()
    }

    #[test]
    fn the_standard_locales_are_valid() {
        let standard = Locales::standard();
        let kk = LanguageTag::parse("kk").unwrap();
        let chain: Vec<String> = standard.chain(&kk).into_iter().map(String::from).collect();
        assert_eq!(chain, ["kk", "ru", "en"]);
    }

    fn negotiated(header: &str) -> Option<String> {
        locales().negotiate(header).map(String::from)
    }

    #[test]
    fn negotiation_follows_rfc_4647_lookup_with_q_values() {
        assert_eq!(
            negotiated("fr-CH, fr;q=0.9, en;q=0.8").as_deref(),
            Some("fr")
        );
        assert_eq!(negotiated("*").as_deref(), Some("en"));
        assert_eq!(negotiated("xx"), None);
        assert_eq!(negotiated("fr;q=0, en;q=0.5").as_deref(), Some("en"));
        assert_eq!(negotiated("fr-CH, fr;q=0").as_deref(), None);
        // A region excluded leaves the language itself acceptable.
        assert_eq!(negotiated("fr-CH;q=0, fr").as_deref(), Some("fr"));
        // A language excluded takes its scripts and regions with it.
        assert_eq!(
            negotiated("sr;q=0, sr-Latn, en;q=0.1").as_deref(),
            Some("en")
        );
        assert_eq!(negotiated("de;q=0.5, ru").as_deref(), Some("ru"));
        assert_eq!(negotiated("SR-latn-RS").as_deref(), Some("sr-Latn"));
        assert_eq!(negotiated("en;q=0, *").as_deref(), Some("fr"));
        assert_eq!(negotiated("de;q=2, ru;q=abc").as_deref(), None);
        assert_eq!(negotiated("").as_deref(), None);
    }

    #[test]
    fn chains_end_in_the_default_and_cycles_are_refused() {
        let locales = locales();
        let chain = |tag: &str| -> Vec<String> {
            locales
                .chain(&LanguageTag::parse(tag).unwrap())
                .into_iter()
                .map(String::from)
                .collect()
        };
        assert_eq!(chain("bs"), ["bs", "sr-Latn", "sr", "en"]);
        assert_eq!(chain("fr"), ["fr", "en"]);
        assert_eq!(chain("en"), ["en"]);
        let supported = ["en", "sr", "sr-Latn"].map(String::from).to_vec();
        let cyclic = BTreeMap::from([
            ("sr-Latn".to_owned(), "sr".to_owned()),
            ("sr".to_owned(), "sr-Latn".to_owned()),
        ]);
        let error = Locales::new("en", &supported, &cyclic).unwrap_err();
        assert!(error.contains("loops"), "{error}");
        let unknown = BTreeMap::from([("sr".to_owned(), "xx".to_owned())]);
        let error = Locales::new("en", &supported, &unknown).unwrap_err();
        assert!(error.contains("\"xx\""), "{error}");
    }

    #[test]
    fn a_record_is_served_in_the_first_language_of_the_chain_it_has() {
        let locales = locales();
        let bs = LocaleSource::Explicit(LanguageTag::parse("bs").unwrap());
        let preference = locales.preference(bs.clone(), None);
        assert_eq!(
            preference.choose("en", ["sr", "ru"].into_iter()),
            Some("sr")
        );
        assert_eq!(preference.choose("ru", std::iter::empty()), Some("ru"));
        let strict = locales.preference(bs, Some(FallbackOverride::None));
        assert_eq!(strict.choose("en", ["sr"].into_iter()), None);
        assert_eq!(strict.choose("en", ["bs"].into_iter()), Some("bs"));
        assert_eq!(preference.field_order("sr", "de"), ["sr", "en", "de"]);
    }
}
