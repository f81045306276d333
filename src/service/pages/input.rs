//! The pages of a run: a file, every page file under a folder (in name
//! order), or standard input; gzip-compressed or not.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// File names the importer reads in a folder.
const PAGE_EXTENSIONS: [&str; 6] = [".txt", ".html", ".htm", ".txt.gz", ".html.gz", ".htm.gz"];

/// The page files `path` names: itself, or those under it.
pub fn list(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        anyhow::ensure!(path.exists(), "{} does not exist", path.display());
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)
            .with_context(|| format!("cannot read the folder {}", folder.display()))?
        {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().to_lowercase();
            if name.starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                folders.push(entry.path());
            } else if PAGE_EXTENSIONS.iter().any(|ext| name.ends_with(ext)) {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A page's bytes, uncompressed, at most `osce_pages::MAX_PAGE_BYTES`
/// (and one more, so that the parser can say it is too long).
pub fn read(mut source: impl Read) -> anyhow::Result<Vec<u8>> {
    let limit = osce_pages::MAX_PAGE_BYTES as u64 + 1;
    let mut raw = Vec::new();
    (&mut source).take(limit).read_to_end(&mut raw)?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut bytes = Vec::new();
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .take(limit)
            .read_to_end(&mut bytes)
            .context("the page is gzip-compressed but does not decompress")?;
        return Ok(bytes);
    }
    Ok(raw)
}

pub fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    read(file)
}
