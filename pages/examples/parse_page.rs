//! Prints what the parser reads in a saved page, as JSON:
//! `cargo run -p osce-api-pages --example parse_page -- PAGE`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = std::env::args().nth(1) else {
        return Err("usage: parse_page PAGE".into());
    };
    let bytes = std::fs::read(&path)?;
    let parsed = osce_pages::parse(&bytes, Some(&path));
    println!("{}", serde_json::to_string_pretty(&parsed)?);
    Ok(())
}
