//! Bulk export in the interchange format: every record, by type in format
//! order, then by key; press releases and meetings read in keyset pages so
//! memory stays flat whatever the corpus size.

use std::io::{self, Write};

use sea_orm::{ConnectionTrait, DbErr};

use super::format::Record;
use crate::storage::reader;

const PAGE: u64 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the output: {0}")]
    Io(#[from] io::Error),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

/// Writes everything to `out`; returns the number of records written.
pub async fn export(conn: &impl ConnectionTrait, out: &mut impl Write) -> Result<u64, ExportError> {
    let mut written = 0u64;
    let mut emit = |out: &mut dyn Write, record: Record| -> Result<(), ExportError> {
        serde_json::to_writer(&mut *out, &record).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        written += 1;
        Ok(())
    };
    for r in reader::fields_of_work(conn).await? {
        emit(out, Record::FieldOfWork(r))?;
    }
    for r in reader::countries(conn).await? {
        emit(out, Record::Country(r))?;
    }
    for r in reader::org_units(conn).await? {
        emit(out, Record::OrgUnit(r))?;
    }
    for r in reader::chairpersonships(conn).await? {
        emit(out, Record::Chairpersonship(r))?;
    }
    for r in reader::people(conn).await? {
        emit(out, Record::Person(r))?;
    }
    for r in reader::roles(conn).await? {
        emit(out, Record::Role(r))?;
    }
    let mut after: Option<String> = None;
    loop {
        let page = reader::meetings_page(conn, after.as_deref(), PAGE).await?;
        let done = (page.len() as u64) < PAGE;
        after = page.last().map(|m| m.slug.to_string());
        for r in page {
            emit(out, Record::Meeting(r))?;
        }
        if done {
            break;
        }
    }
    let mut after: Option<String> = None;
    loop {
        let page = reader::press_releases_page(conn, after.as_deref(), PAGE).await?;
        let done = (page.len() as u64) < PAGE;
        after = page.last().map(|r| r.slug.to_string());
        for r in page {
            emit(out, Record::PressRelease(r))?;
        }
        if done {
            break;
        }
    }
    out.flush()?;
    Ok(written)
}
