//! The built-in reference data (`data/reference.jsonl`): the OSCE's fields of
//! work, participating States and Partners, structure, chairpersonships, and
//! the press release the project was founded on. Loaded through the same code
//! path as `import`, once per version of the file.

use anyhow::Context;
use sea_orm::DatabaseConnection;

use crate::model::reference::REFERENCE_DATA;
use crate::service::import::{ImportOptions, Source, import};
use crate::storage::state;

const STATE_KEY: &str = "reference_data_version";

fn version() -> String {
    format!(
        "{:032x}",
        xxhash_rust::xxh3::xxh3_128(REFERENCE_DATA.as_bytes())
    )
}

/// Loads the reference data unless this exact version is already loaded.
pub async fn ensure_loaded(db: &DatabaseConnection) -> anyhow::Result<()> {
    let version = version();
    if state::get(db, STATE_KEY).await?.as_deref() == Some(version.as_str()) {
        return Ok(());
    }
    let summary = import(
        db,
        Source::Bytes(REFERENCE_DATA.as_bytes()),
        ImportOptions {
            progress: false,
            state: Some((STATE_KEY.to_string(), version)),
        },
    )
    .await
    .context("loading the built-in reference data")?;
    tracing::info!(changed = summary.changed, "reference data loaded");
    Ok(())
}
