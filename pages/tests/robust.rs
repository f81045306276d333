//! Pages cut anywhere, or pasted into one another, are still answered:
//! a release, a skip or a rejection, never a panic. (`fuzz/` searches
//! further; this runs with every `cargo test`.)

#![allow(clippy::unwrap_used, reason = "a failed read is a failed test")]

use std::path::Path;

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/pages");
    let mut pages: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "html"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    pages.sort();
    assert!(pages.len() >= 18);
    pages
}

#[test]
fn every_prefix_of_every_fixture_is_answered() {
    for (name, bytes) in fixtures() {
        for end in (0..bytes.len()).step_by(13) {
            let _ = osce_pages::parse(&bytes[..end], Some(&name));
            let _ = osce_pages::parse(&bytes[end..], None);
        }
    }
}

#[test]
fn pages_pasted_together_are_answered() {
    let pages = fixtures();
    for pair in pages.windows(2) {
        let mut both = pair[0].1.clone();
        both.extend_from_slice(&pair[1].1);
        let _ = osce_pages::parse(&both, Some(&pair[0].0));
        let _ = osce_pages::parse(&both, Some("page.html"));
    }
}

#[test]
fn deep_nesting_is_refused_before_it_costs() {
    let deep = "<div>".repeat(100_000) + "Press release" + &"</div>".repeat(100_000);
    let started = std::time::Instant::now();
    let parsed = osce_pages::parse(deep.as_bytes(), Some("deep.html"));
    assert!(
        matches!(&parsed, osce_pages::Parsed::Rejected { reason } if reason.contains("100000 deep")),
        "{parsed:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // As deep as the limit allows still parses (the walk keeps its own stack).
    let ok = "<div>".repeat(900) + "Press release" + &"</div>".repeat(900);
    assert!(matches!(
        osce_pages::parse(ok.as_bytes(), Some("ok.html")),
        osce_pages::Parsed::Skipped { .. }
    ));
}
