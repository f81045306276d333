//! A page's identity: its node id (`node:467415`) and its canonical
//! address, with mirror hosts, archive wrappers, tracking parameters,
//! fragments and trailing slashes normalised away, so that the same page
//! saved twice, from two hosts or from a shared link, is one page.

use url::Url;

/// The host every mirror of the site is read as.
pub const CANONICAL_HOST: &str = "www.osce.org";

/// Query parameters that only track who followed a link.
const TRACKING: [&str; 11] = [
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl", "igshid", "ref",
    "share",
];

/// The canonical form of an address (relative ones against `base`);
/// `None` if it is not an http(s) address.
pub fn canonical_url(href: &str, base: Option<&str>, mirrors: &[String]) -> Option<String> {
    let href = href.trim();
    let mut url = match Url::parse(href) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let base = base
                .and_then(|b| Url::parse(b).ok())
                .or_else(|| Url::parse(&format!("https://{CANONICAL_HOST}/")).ok())?;
            base.join(href).ok()?
        }
        Err(_) => return None,
    };
    // An archived copy (`web.archive.org/web/2020…/https://www.osce.org/…`).
    if url.host_str() == Some("web.archive.org")
        && let Some(inner) = url
            .path()
            .strip_prefix("/web/")
            .and_then(|rest| rest.find('/').map(|at| &rest[at + 1..]))
            .filter(|inner| inner.starts_with("http"))
    {
        let inner = inner.to_string();
        return canonical_url(&inner, None, mirrors);
    }
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    if host == CANONICAL_HOST || mirrors.iter().any(|m| m.eq_ignore_ascii_case(&host)) {
        url.set_host(Some(CANONICAL_HOST)).ok()?;
        url.set_scheme("https").ok()?;
        url.set_port(None).ok()?;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_") || TRACKING.contains(&k.as_str()))
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    url.set_fragment(None);
    let path = url.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        url.set_path(path.trim_end_matches('/'));
    }
    Some(url.to_string())
}

/// `node:N` for an address of the form `…/node/N`.
pub fn node_id(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let id = segments.next()?;
    (segments.next() == Some("node")
        && !id.is_empty()
        && id.len() <= 12
        && id.bytes().all(|b| b.is_ascii_digit()))
    .then(|| format!("node:{id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mirrors() -> Vec<String> {
        vec!["osce.org".into(), "m.osce.org".into()]
    }

    #[test]
    fn mirrors_and_tracking_are_normalised_away() {
        let want = Some("https://www.osce.org/minsk-group/467415".to_string());
        for href in [
            "https://www.osce.org/minsk-group/467415",
            "http://osce.org/minsk-group/467415/",
            "https://m.osce.org/minsk-group/467415?fbclid=IwAR0abc&utm_source=x#top",
            "https://web.archive.org/web/20201026093000/https://www.osce.org/minsk-group/467415",
            "/minsk-group/467415",
        ] {
            assert_eq!(canonical_url(href, None, &mirrors()), want, "{href}");
        }
        assert_eq!(
            canonical_url(
                "https://www.osce.org/search?q=minsk&utm_medium=x",
                None,
                &mirrors()
            ),
            Some("https://www.osce.org/search?q=minsk".to_string())
        );
        assert_eq!(
            canonical_url("mailto:press@osce.org", None, &mirrors()),
            None
        );
    }

    #[test]
    fn node_ids() {
        assert_eq!(
            node_id("https://www.osce.org/node/467415").as_deref(),
            Some("node:467415")
        );
        assert_eq!(node_id("/node/12/"), Some("node:12".to_string()));
        assert_eq!(node_id("/minsk-group/467415"), None);
    }
}
