//! Parses every page in a folder, text and HTML apart, and prints pages/s
//! (the parser alone: no database). `bench/import-pages.sh` runs it.
//!
//! `cargo run --release -p osce-api-pages --example parse_dir -- DIR [ROUNDS]`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: parse_dir DIR [ROUNDS]")?;
    let rounds: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        pages.push((path.display().to_string(), std::fs::read(&path)?));
    }
    pages.sort();
    for kind in [".txt", ".html"] {
        let set: Vec<&(String, Vec<u8>)> =
            pages.iter().filter(|(n, _)| n.ends_with(kind)).collect();
        let mut rates = Vec::new();
        let mut releases = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            releases = 0;
            for (name, bytes) in &set {
                if let osce_pages::Parsed::Release(_) = osce_pages::parse(bytes, Some(name)) {
                    releases += 1;
                }
            }
            rates.push(set.len() as f64 / started.elapsed().as_secs_f64());
        }
        rates.sort_by(f64::total_cmp);
        println!(
            "{kind:5} {} pages ({releases} releases): median {:.0} pages/s over {rounds} rounds",
            set.len(),
            rates[rates.len() / 2]
        );
    }
    Ok(())
}
