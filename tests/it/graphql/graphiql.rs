//! GraphiQL is served from the binary: its page loads nothing from another
//! origin (no CDN), every asset it names is there with its content type and
//! a long cache, and the page carries a strict Content-Security-Policy.
//! The served builds are the vendored ones, byte for byte.

use osce_api::AppState;
use sha2::Digest;

use crate::support::{Backend, TestApp, TestDb};

/// The values of `attribute="…"` in `html`, in order.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            &rest[..rest.find('"').expect("a closed attribute")]
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn content_type_of(path: &str) -> &'static str {
    if path.ends_with(".js") {
        "text/javascript; charset=utf-8"
    } else if path.ends_with(".css") {
        "text/css; charset=utf-8"
    } else {
        panic!("{path}: an asset that is neither script nor style sheet")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_is_served_from_the_binary() {
    let db = TestDb::prepared(Backend::Sqlite).await.unwrap();
    let app = TestApp::new(AppState::new(db.conn.clone()));

    let page = app
        .get_with("/graphql", &[("accept", "text/html,application/xhtml+xml")])
        .await;
    assert_eq!(page.status_u16(), 200);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    let html = page.text();
    assert!(!html.contains("http://"), "a URL to another origin: {html}");
    assert!(
        !html.contains("https://"),
        "a URL to another origin: {html}"
    );
    assert!(!html.contains("unpkg"), "{html}");
    // No inline script or style: the CSP allows neither.
    assert!(!html.contains("<style"), "an inline style sheet: {html}");
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=\"").count(),
        "an inline script: {html}"
    );

    let csp = page.header("content-security-policy");
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            csp.split(';').any(|d| d.trim().starts_with(directive)),
            "{directive} missing from {csp}"
        );
    }
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // Style elements need the page's nonce, fresh for each page (so the
    // page is not kept); the page's script hands it on.
    let nonce = csp
        .split(['\'', ' '])
        .find_map(|source| source.strip_prefix("nonce-"))
        .unwrap_or_else(|| panic!("no nonce in {csp}"));
    assert!(nonce.len() >= 22, "{nonce}: at least 128 bits");
    assert_eq!(attribute_values(&html, "nonce"), [nonce], "{html}");
    assert_eq!(page.header("cache-control"), "no-store");
    let again = app.get_with("/graphql", &[("accept", "text/html")]).await;
    assert_ne!(again.header("content-security-policy"), csp);

    let scripts = attribute_values(&html, "src");
    let sheets: Vec<&str> = attribute_values(&html, "href")
        .into_iter()
        .filter(|href| !href.starts_with("data:"))
        .collect();
    // React, ReactDOM, GraphiQL and the script that mounts it; GraphiQL's
    // style sheet and the page's own.
    assert!(scripts.len() >= 4, "{scripts:?}");
    assert!(sheets.len() >= 2, "{sheets:?}");
    for path in scripts.iter().chain(&sheets) {
        assert!(path.starts_with("/graphql/assets/"), "{path}: not ours");
        let asset = app.get(path).await;
        assert_eq!(asset.status_u16(), 200, "{path}");
        assert_eq!(
            asset.header("content-type"),
            content_type_of(path),
            "{path}"
        );
        assert_eq!(
            asset.header("cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert_eq!(asset.header("x-content-type-options"), "nosniff", "{path}");
        assert!(!asset.body.is_empty(), "{path}");
        // Revalidation (a reload) costs no body.
        let etag = asset.header("etag").to_string();
        let again = app.get_with(path, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status_u16(), 304, "{path}");
    }
    // Production builds of React, and GraphiQL.
    for name in [
        "/react.production.min.js",
        "/react-dom.production.min.js",
        "/graphiql.min.js",
    ] {
        assert!(
            scripts.iter().any(|s| s.ends_with(name)),
            "{name}: {scripts:?}"
        );
    }
    assert!(
        sheets.iter().any(|s| s.ends_with("/graphiql.min.css")),
        "{sheets:?}"
    );

    // What is served is what came from npm (`vendor/SHA256SUMS`, written by
    // scripts/update-graphiql.sh).
    let sums = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/http/graphiql/vendor/SHA256SUMS"
    ))
    .unwrap();
    let mut checked = 0;
    for line in sums.lines() {
        let (sum, name) = line.split_once("  ").unwrap();
        let path = scripts
            .iter()
            .chain(&sheets)
            .find(|path| path.ends_with(&format!("/{name}")))
            .unwrap_or_else(|| panic!("{name} is not on the page"));
        let served = app.get(path).await;
        let digest = sha2::Sha256::digest(&served.body);
        assert_eq!(hex(&digest), sum, "{name}: not the vendored bytes");
        checked += 1;
    }
    assert_eq!(checked, 4, "{sums}");

    // The content is fixed by the path: another version's path is not it.
    let stale = scripts[0].replacen("/graphql/assets/", "/graphql/assets/0000000000000000", 1);
    let stale = app.get(&stale).await;
    assert_eq!(stale.status_u16(), 404);
    assert!(!stale.header("cache-control").contains("immutable"));
    assert_eq!(
        app.get("/graphql/assets/nothing.js").await.status_u16(),
        404
    );

    db.cleanup().await;
}
