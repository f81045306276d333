//! Where the lines come from, read once per pass, with a progress bar.

use std::{
    fs::File,
    io::{self, BufRead, BufReader, Write},
    path::PathBuf,
};

use indicatif::{ProgressBar, ProgressStyle};

use super::ImportError;

/// Where the lines come from.
#[derive(Clone, Debug)]
pub enum Source {
    File(PathBuf),
    Stdin,
    Bytes(&'static [u8]),
}

/// An input opened for one pass, with its size when known (for progress).
pub(super) struct Opened {
    pub(super) reader: Box<dyn BufRead + Send>,
    pub(super) size: Option<u64>,
}

pub(super) fn open(source: &Source, spool: Option<&tempfile::NamedTempFile>) -> io::Result<Opened> {
    const BUFFER: usize = 1 << 20;
    Ok(match (source, spool) {
        (_, Some(spool)) => {
            let file = spool.reopen()?;
            let size = file.metadata()?.len();
            Opened {
                reader: Box::new(BufReader::with_capacity(BUFFER, file)),
                size: Some(size),
            }
        }
        (Source::File(path), None) => {
            let file = File::open(path)?;
            let size = file.metadata().ok().map(|m| m.len());
            Opened {
                reader: Box::new(BufReader::with_capacity(BUFFER, file)),
                size,
            }
        }
        (Source::Stdin, None) => Opened {
            reader: Box::new(BufReader::with_capacity(BUFFER, io::stdin())),
            size: None,
        },
        (Source::Bytes(bytes), None) => Opened {
            reader: Box::new(io::Cursor::new(*bytes)),
            size: Some(bytes.len() as u64),
        },
    })
}

/// Reads lines as bytes (so invalid UTF-8 is reported, not lost), calling
/// `each(line_number, bytes)`; optionally copies the input to `tee`.
pub(super) fn for_each_line(
    mut reader: impl BufRead,
    mut tee: Option<&mut dyn Write>,
    progress: &ProgressBar,
    mut each: impl FnMut(u64, &[u8]) -> Result<(), ImportError>,
) -> Result<u64, ImportError> {
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Ok(line);
        }
        line += 1;
        if let Some(tee) = tee.as_deref_mut() {
            tee.write_all(&buf)?;
        }
        progress.inc(n as u64);
        each(line, &buf)?;
    }
}

pub(super) fn progress_bar(enabled: bool, size: Option<u64>, message: &'static str) -> ProgressBar {
    use std::io::IsTerminal;
    if !enabled || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    // The templates are constant and valid; were one not, the bar would
    // fall back to indicatif's default look rather than stop the import.
    let bar = match size {
        Some(size) => ProgressBar::new(size).with_style(
            ProgressStyle::with_template(
                "{msg:>10} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{msg:>10} {spinner} {bytes} ({bytes_per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_message(message);
    bar
}
