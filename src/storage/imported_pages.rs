//! Which release each imported page became (`imported_page`).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use super::sql::{execute, placeholders, query_all};

/// The release (and language) a page with one of `identities` was
/// imported into.
pub async fn find(
    conn: &impl ConnectionTrait,
    identities: &[String],
) -> Result<Option<(String, String)>, DbErr> {
    if identities.is_empty() {
        return Ok(None);
    }
    let sql = format!(
        "SELECT slug, language FROM imported_page WHERE identity IN ({}) ORDER BY identity",
        placeholders(identities.len())
    );
    let rows = query_all(
        conn,
        &sql,
        identities.iter().map(|i| i.as_str().into()).collect(),
    )
    .await?;
    rows.first()
        .map(|row| Ok((row.try_get("", "slug")?, row.try_get("", "language")?)))
        .transpose()
}

/// Whether a page other than one with `identities` became `slug`.
pub async fn slug_taken_by_another(
    conn: &impl ConnectionTrait,
    slug: &str,
    identities: &[String],
) -> Result<bool, DbErr> {
    let rows = query_all(
        conn,
        "SELECT identity FROM imported_page WHERE slug = ? AND language = ''",
        vec![slug.into()],
    )
    .await?;
    Ok(rows.iter().any(|row| {
        row.try_get::<String>("", "identity")
            .is_ok_and(|id| !identities.contains(&id))
    }))
}

/// Records that the page with `identities` became `slug` in `language`
/// (`""` for the release itself).
pub async fn remember(
    conn: &impl ConnectionTrait,
    identities: &[String],
    slug: &str,
    language: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for identity in identities {
        execute(
            conn,
            "DELETE FROM imported_page WHERE identity = ?",
            vec![identity.as_str().into()],
        )
        .await?;
        execute(
            conn,
            "INSERT INTO imported_page (identity, slug, language, imported_at) VALUES (?, ?, ?, ?)",
            vec![
                identity.as_str().into(),
                slug.into(),
                language.into(),
                now.into(),
            ],
        )
        .await?;
    }
    Ok(())
}
