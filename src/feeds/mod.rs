//! Feeds and embeds for partner sites: a filtered list of press releases
//! (read through the service layer) rendered as RSS 2.0, Atom 1.0,
//! JSON Feed 1.1 or an embeddable HTML page. One function per format; the
//! HTTP layer (`http::feeds`, `http::embed`) only parses and caches.

pub mod atom;
pub mod cache;
mod content;
pub mod html;
pub mod json;
pub mod rss;

use std::time::Duration;

pub use content::{FeedContent, FeedItem, Term, load, load_release};

use crate::domain::{CountryCode, LocalePreference, ReleaseFilterKeys, Slug};

/// Every id and category scheme starts with this `tag:` URI prefix (RFC
/// 4151). It names no host of this service, so ids survive a move to
/// another domain, and it is built from slugs, so they survive edits.
pub const TAG_PREFIX: &str = "tag:osce.org,2026:";

/// The tag URI of a press release: its permanent GUID in every format.
pub fn release_id(slug: &str) -> String {
    format!("{TAG_PREFIX}press-release:{slug}")
}

/// The absolute base of every link, without a trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn parse(value: &str) -> Result<Self, String> {
        let trimmed = value.trim().trim_end_matches('/');
        let rest = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"))
            .ok_or_else(|| format!("must start with http:// or https://, got {value:?}"))?;
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() || rest.contains(['?', '#', ' ', '"', '<', '>']) || !rest.is_ascii() {
            return Err(format!(
                "must be an absolute URL with a host and no query, got {value:?}"
            ));
        }
        Ok(Self(trimmed.to_string()))
    }

    /// `path` starts with `/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Settings of feeds and embeds (see `config::Settings::feeds`).
#[derive(Clone, Debug)]
pub struct FeedOptions {
    pub public_url: PublicUrl,
    pub max_age: Duration,
    pub cache_entries: usize,
}

impl Default for FeedOptions {
    fn default() -> Self {
        Self {
            public_url: PublicUrl("http://127.0.0.1:8080".into()),
            max_age: Duration::from_secs(300),
            cache_entries: 1024,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Theme {
    Light,
    Dark,
    /// Follows the reader's system preference.
    Auto,
}

impl Theme {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "light" => Some(Self::Light),
            "dark" => Some(Self::Dark),
            "auto" => Some(Self::Auto),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
            Self::Auto => "auto",
        }
    }
}

/// What a list of releases is rendered as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Rss,
    Atom,
    Json,
    /// The embeddable HTML page.
    Embed(Theme),
}

impl Format {
    pub const FEEDS: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    /// The feed format of a file extension (`rss`, `atom`, `json`).
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension {
            "rss" => Some(Self::Rss),
            "atom" => Some(Self::Atom),
            "json" => Some(Self::Json),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Rss => "rss",
            Self::Atom => "atom",
            Self::Json => "json",
            Self::Embed(_) => "html",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Rss => "application/rss+xml; charset=utf-8",
            Self::Atom => "application/atom+xml; charset=utf-8",
            Self::Json => "application/feed+json; charset=utf-8",
            Self::Embed(_) => "text/html; charset=utf-8",
        }
    }

    /// The media type alone, as autodiscovery links name it.
    pub fn media_type(self) -> &'static str {
        self.content_type()
            .split(';')
            .next()
            .unwrap_or("application/octet-stream")
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Rss => "RSS",
            Self::Atom => "Atom",
            Self::Json => "JSON Feed",
            Self::Embed(_) => "HTML",
        }
    }
}

/// A feed narrowed to one field of work, country or unit by its URL
/// (`/feeds/countries/AM.atom`), on top of any query filters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    All,
    FieldOfWork(String),
    Country(String),
    OrgUnit(String),
}

/// One feed as asked for, normalised so that equivalent URLs share one
/// cache entry and one set of links. `keys.locale` is the language it is
/// served in (`None`: every release in its own language).
#[derive(Clone, Debug)]
pub struct FeedRequest {
    pub scope: Scope,
    pub keys: ReleaseFilterKeys,
    pub limit: u32,
}

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

fn sorted<T: Ord>(mut values: Vec<T>) -> Vec<T> {
    values.sort();
    values.dedup();
    values
}

impl FeedRequest {
    pub fn new(scope: Scope, mut keys: ReleaseFilterKeys, limit: u32) -> Self {
        keys.fields_of_work = sorted(keys.fields_of_work);
        keys.countries = sorted(keys.countries);
        keys.sources = sorted(keys.sources);
        keys.people = sorted(keys.people);
        keys.meetings = sorted(keys.meetings);
        keys.languages = sorted(keys.languages);
        keys.meeting_kinds.sort_by_key(|k| k.as_str());
        keys.meeting_kinds.dedup();
        keys.search = keys.search.filter(|q| !q.trim().is_empty());
        let scope = match scope {
            Scope::Country(code) => Scope::Country(code.to_ascii_uppercase()),
            other => other,
        };
        Self { scope, keys, limit }
    }

    /// The filters as a canonical query string (fixed order, sorted values),
    /// with the limit under `limit_name` (`limit` for feeds, `count` for
    /// embeds), given when it is not the default or `always_limit` says so.
    pub fn query_string(&self, limit_name: &str, always_limit: bool) -> String {
        let k = &self.keys;
        let mut out = form_urlencoded::Serializer::new(String::new());
        let mut list = |name: &str, values: Vec<&str>| {
            if !values.is_empty() {
                out.append_pair(name, &values.join(","));
            }
        };
        fn texts<T: AsRef<str>>(values: &[T]) -> Vec<&str> {
            values.iter().map(AsRef::as_ref).collect()
        }
        list("field_of_work", texts(&k.fields_of_work));
        list("country", texts(&k.countries));
        list("source", texts(&k.sources));
        list("person", texts(&k.people));
        list("meeting", texts(&k.meetings));
        list(
            "meeting_kind",
            k.meeting_kinds.iter().map(|m| m.as_str()).collect(),
        );
        list("language", texts(&k.languages));
        if let Some((locale, fallback)) = locale_parameters(k.locale.as_ref()) {
            out.append_pair("locale", &locale);
            if let Some(fallback) = fallback {
                out.append_pair("fallback", &fallback);
            }
        }
        if k.include_descendants {
            out.append_pair("include_descendants", "true");
        }
        if let Some(date) = k.dates.from {
            out.append_pair("date_from", &date.to_string());
        }
        if let Some(date) = k.dates.to {
            out.append_pair("date_to", &date.to_string());
        }
        if let Some(q) = &k.search {
            out.append_pair("q", q);
        }
        if always_limit || self.limit != DEFAULT_LIMIT {
            out.append_pair(limit_name, &self.limit.to_string());
        }
        out.finish()
    }

    /// The path of this feed in `format` (shortcut paths keep their form).
    pub fn path(&self, format: Format) -> String {
        let ext = format.extension();
        let base = match (&self.scope, format) {
            (_, Format::Embed(_)) => "/embed/press-releases".to_string(),
            (Scope::All, _) => format!("/feeds/press-releases.{ext}"),
            (Scope::FieldOfWork(slug), _) => format!("/feeds/fields-of-work/{slug}.{ext}"),
            (Scope::Country(code), _) => format!("/feeds/countries/{code}.{ext}"),
            (Scope::OrgUnit(slug), _) => format!("/feeds/org-units/{slug}.{ext}"),
        };
        let mut query = match format {
            Format::Embed(_) => self.embed_query(),
            _ => self.query_string("limit", false),
        };
        if let Format::Embed(theme) = format
            && theme != Theme::Light
        {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str("theme=");
            query.push_str(theme.as_str());
        }
        if query.is_empty() {
            base
        } else {
            format!("{base}?{query}")
        }
    }

    /// The embed page shows a scope as the equivalent query filter, and
    /// always names its `count` (whose default differs from `limit`'s).
    fn embed_query(&self) -> String {
        let mut flat = self.clone();
        match &self.scope {
            Scope::All => {}
            // A scope that names nothing has no releases: its embed neither.
            Scope::FieldOfWork(slug) => {
                flat.keys.fields_of_work = Slug::parse(slug.clone()).into_iter().collect()
            }
            Scope::Country(code) => {
                flat.keys.countries = CountryCode::parse(code.clone()).into_iter().collect()
            }
            Scope::OrgUnit(slug) => {
                flat.keys.sources = Slug::parse(slug.clone()).into_iter().collect()
            }
        }
        flat.query_string("count", true)
    }

    /// The key of this request's rendering in `format` in the feed cache:
    /// its canonical path and the language it is served in (the
    /// negotiated one, never the `Accept-Language` header as spelt).
    pub fn cache_key(&self, format: Format) -> String {
        format!(
            "{format:?} {} [{}]",
            self.path(format),
            language_key(self.keys.locale.as_ref())
        )
    }
}

/// The `locale` and `fallback` parameters that ask again for what
/// `preference` serves, for the links of a feed: none for the default (the
/// configured chain, not strict: nothing was asked), else the language and,
/// unless it is alone (a feed's default when a language is asked), its
/// fallbacks. Feeds are asked with `FallbackOverride::None` as the default,
/// so a preference is strict whenever a language or a fallback was asked.
fn locale_parameters(preference: Option<&LocalePreference>) -> Option<(String, Option<String>)> {
    let preference = preference.filter(|p| p.strict)?;
    let fallbacks: Vec<&str> = preference
        .chain
        .iter()
        .filter(|tag| **tag != preference.locale)
        .map(|tag| tag.as_str())
        .collect();
    Some((
        preference.locale.to_string(),
        (!fallbacks.is_empty()).then(|| fallbacks.join(",")),
    ))
}

/// The language, chain and strictness of a preference, as a cache key.
fn language_key(preference: Option<&LocalePreference>) -> String {
    match preference {
        None => "any".into(),
        Some(p) => {
            let chain: Vec<&str> = p.chain.iter().map(|tag| tag.as_str()).collect();
            format!(
                "{} {} {}",
                p.locale,
                chain.join(">"),
                if p.strict { "strict" } else { "open" }
            )
        }
    }
}

/// Characters XML 1.0 cannot carry (C0 controls but tab, CR, LF; U+FFFE/F),
/// dropped from text before it goes into a feed, so no stored text can make
/// a feed unparseable.
pub fn xml_text(value: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
    };
    if value.contains(bad) {
        value
            .chars()
            .filter(|&c| !bad(c))
            .collect::<String>()
            .into()
    } else {
        value.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_must_be_absolute() {
        assert_eq!(
            PublicUrl::parse("https://api.example.org/osce/")
                .unwrap()
                .join("/feeds/x.rss"),
            "https://api.example.org/osce/feeds/x.rss"
        );
        assert!(PublicUrl::parse("api.example.org").is_err());
        assert!(PublicUrl::parse("http://").is_err());
        assert!(PublicUrl::parse("http://h/x?y").is_err());
    }

    #[test]
    fn equivalent_requests_share_a_key() {
        let keys = |countries: &[&str]| ReleaseFilterKeys {
            countries: countries
                .iter()
                .map(|c| CountryCode::parse(c.to_string()).unwrap())
                .collect(),
            ..Default::default()
        };
        let a = FeedRequest::new(Scope::All, keys(&["AZ", "AM", "AZ"]), 20);
        let b = FeedRequest::new(Scope::All, keys(&["AM", "AZ"]), 20);
        assert_eq!(a.cache_key(Format::Atom), b.cache_key(Format::Atom));
        assert_eq!(
            a.path(Format::Rss),
            "/feeds/press-releases.rss?country=AM%2CAZ"
        );
        let scoped = FeedRequest::new(Scope::Country("am".into()), keys(&[]), 5);
        assert_eq!(
            scoped.path(Format::Json),
            "/feeds/countries/AM.json?limit=5"
        );
        assert_eq!(
            scoped.path(Format::Embed(Theme::Dark)),
            "/embed/press-releases?country=AM&count=5&theme=dark"
        );
    }

    #[test]
    fn the_language_is_in_the_key_and_the_links_not_the_header() {
        use crate::domain::{FallbackOverride, LanguageTag, LocaleSource, Locales};
        let locales = Locales::standard();
        let tag = |t: &str| LanguageTag::parse(t).unwrap();
        let strict = Some(FallbackOverride::None);
        let request = |source: LocaleSource, fallback: Option<FallbackOverride>| {
            let keys = ReleaseFilterKeys {
                locale: Some(locales.preference(source, fallback)),
                ..Default::default()
            };
            FeedRequest::new(Scope::All, keys, 20)
        };
        let explicit = request(LocaleSource::Explicit(tag("fr")), strict.clone());
        let negotiated = request(LocaleSource::Header(Some(tag("fr"))), strict.clone());
        let russian = request(LocaleSource::Explicit(tag("ru")), strict.clone());
        let with_english = request(
            LocaleSource::Explicit(tag("ru")),
            Some(FallbackOverride::Chain(vec![tag("en")])),
        );
        let default = request(LocaleSource::Default, None);
        let format = Format::Atom;
        assert_eq!(explicit.cache_key(format), negotiated.cache_key(format));
        let keys = [&explicit, &russian, &with_english, &default].map(|r| r.cache_key(format));
        let mut distinct = keys.to_vec();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
        assert_eq!(
            negotiated.path(Format::Rss),
            "/feeds/press-releases.rss?locale=fr"
        );
        assert_eq!(
            with_english.path(Format::Json),
            "/feeds/press-releases.json?locale=ru&fallback=en"
        );
        assert_eq!(default.path(Format::Atom), "/feeds/press-releases.atom");
    }

    #[test]
    fn xml_text_drops_what_xml_cannot_carry() {
        assert_eq!(xml_text("a\u{1}b\tc"), "ab\tc");
    }
}
