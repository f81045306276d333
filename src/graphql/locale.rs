//! The language a field is answered in. A `locale` (and `fallback`)
//! argument holds for the field and everything nested in it, unless a
//! nested field gives its own; without any, the request's `Accept-Language`
//! decides (else the default language). A field finds its language by
//! walking up its path to the nearest field that set one: the request
//! keeps those in a small map, filled by resolvers before their children
//! run.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_graphql::{Context, ErrorExtensions, QueryPathNode, QueryPathSegment};

use crate::domain::{FallbackOverride, LanguageTag, LocalePreference, LocaleSource, Locales};

/// One request's languages: its default (from `Accept-Language`) and the
/// preferences set by `locale` arguments, by the path of their field.
pub struct RequestLocales {
    locales: Arc<Locales>,
    default: Arc<LocalePreference>,
    /// Whether a field was answered in the request's language rather than
    /// a `locale` argument's: then `Accept-Language` (or its absence)
    /// decided it, and the answer varies by that header.
    default_used: AtomicBool,
    scopes: Mutex<HashMap<String, Arc<LocalePreference>>>,
}

impl RequestLocales {
    /// `accept_language`: the request's header, if it sent one.
    pub fn new(locales: Arc<Locales>, accept_language: Option<&str>) -> Self {
        let source = match accept_language {
            Some(header) => LocaleSource::Header(locales.negotiate(header)),
            None => LocaleSource::Default,
        };
        let default = Arc::new(locales.preference(source, None));
        Self {
            locales,
            default,
            default_used: AtomicBool::new(false),
            scopes: Mutex::new(HashMap::new()),
        }
    }

    /// The language `Accept-Language` negotiated (the default if none
    /// matched), for keying cached answers: one of the supported set, so
    /// that the cache does not fragment by the header's spelling.
    pub fn negotiated(&self) -> &LanguageTag {
        &self.default.locale
    }

    /// Whether any field was answered in the request's language.
    pub fn default_used(&self) -> bool {
        self.default_used.load(Ordering::Relaxed)
    }
}

fn path_key(node: &QueryPathNode<'_>) -> String {
    let mut segments: Vec<String> = Vec::new();
    let mut at = Some(node);
    while let Some(n) = at {
        segments.push(match n.segment {
            QueryPathSegment::Index(i) => i.to_string(),
            QueryPathSegment::Name(name) => name.to_owned(),
        });
        at = n.parent;
    }
    segments.reverse();
    segments.join("/")
}

fn request_locales<'a>(ctx: &Context<'a>) -> Option<&'a RequestLocales> {
    ctx.data_opt::<Arc<RequestLocales>>().map(|r| &**r)
}

/// The preference the current field is answered in: the nearest enclosing
/// field's `locale`, else the request's.
pub fn preference(ctx: &Context<'_>) -> Arc<LocalePreference> {
    let Some(request) = request_locales(ctx) else {
        return Arc::new(Locales::standard().preference(LocaleSource::Default, None));
    };
    if let Some(node) = ctx.path_node.as_ref() {
        #[allow(
            clippy::unwrap_used,
            reason = "the lock is held only for map reads and inserts, which cannot panic"
        )]
        let scopes = request.scopes.lock().unwrap();
        if !scopes.is_empty() {
            let mut at = Some(node);
            while let Some(n) = at {
                if let Some(found) = scopes.get(&path_key(n)) {
                    return Arc::clone(found);
                }
                at = n.parent;
            }
        }
    }
    request.default_used.store(true, Ordering::Relaxed);
    Arc::clone(&request.default)
}

/// The preference a field's `locale` and `fallback` arguments set, for
/// it and everything nested in it; `None` when it gives neither (then the
/// enclosing one holds: `preference`, asked only where the language
/// matters, so that an answer without translated text does not vary by
/// `Accept-Language`). An unsupported language is a `BAD_USER_INPUT`.
pub fn scoped(
    ctx: &Context<'_>,
    locale: Option<&str>,
    fallback: Option<&[String]>,
) -> async_graphql::Result<Option<Arc<LocalePreference>>> {
    if locale.is_none() && fallback.is_none() {
        return Ok(None);
    }
    let standard;
    let locales: &Locales = match request_locales(ctx) {
        Some(request) => &request.locales,
        None => {
            standard = Locales::standard();
            &standard
        }
    };
    let bad_input = |e: crate::domain::LocaleError| {
        async_graphql::Error::new(e.to_string())
            .extend_with(|_, ext| ext.set("code", "BAD_USER_INPUT"))
    };
    let source = match locale {
        Some(locale) => {
            LocaleSource::Explicit(locales.resolve("locale", locale).map_err(bad_input)?)
        }
        None => LocaleSource::Explicit(preference(ctx).locale.clone()),
    };
    let fallback = match fallback {
        None => None,
        Some([]) => Some(FallbackOverride::None),
        Some(languages) => Some(FallbackOverride::Chain(
            languages
                .iter()
                .map(|l| locales.resolve("fallback", l))
                .collect::<Result<_, _>>()
                .map_err(bad_input)?,
        )),
    };
    let preference = Arc::new(locales.preference(source, fallback));
    if let (Some(request), Some(node)) = (request_locales(ctx), ctx.path_node.as_ref()) {
        #[allow(
            clippy::unwrap_used,
            reason = "the lock is held only for map reads and inserts, which cannot panic"
        )]
        request
            .scopes
            .lock()
            .unwrap()
            .insert(path_key(node), Arc::clone(&preference));
    }
    Ok(Some(preference))
}
