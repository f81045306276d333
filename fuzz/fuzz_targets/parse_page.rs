//! Any bytes, as a text page and as an HTML page: the parser answers
//! (a release, a skip or a rejection) without panicking, in time linear in
//! the input (libFuzzer's `-timeout` catches a hang).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["page.txt", "page.html"] {
        if let osce_pages::Parsed::Release(page) = osce_pages::parse(data, Some(name)) {
            // What the importer reads of a release must hold together too.
            let _ = page.body_html();
            let _ = page.body_text();
            for href in page.translation_of.iter().chain(page.head.canonical.iter()) {
                if let Some(url) = osce_pages::identity::canonical_url(href, None, &[]) {
                    let _ = osce_pages::identity::node_id(&url);
                }
            }
        }
    }
});
