//! API keys for editors: scoped, stored hashed, created and revoked with
//! the CLI. Reading published content needs no key; everything an editor
//! does needs one with the right scope.
//!
//! A key is `osce_` + a 10-character public prefix + `_` + a 32-character
//! secret. The database keeps the prefix (to find the key) and the SHA-256
//! of the whole key: never the key itself. A fast hash is enough for a
//! random 192-bit secret (there is no dictionary to try).

use std::collections::BTreeSet;
use std::fmt;

use base64::Engine;
use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{ConnectionTrait, DbErr};
use sha2::{Digest, Sha256};

use crate::storage::api_keys::{self, StoredKey};

/// What a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Read drafts, scheduled and withdrawn releases, and revisions.
    ReadDrafts,
    /// Create and edit content (unpublished content only, without `publish`).
    Write,
    /// Publish, schedule and withdraw; edit what is public.
    Publish,
    /// Delete content.
    Delete,
    /// Everything, and the audit log.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::ReadDrafts,
        Scope::Write,
        Scope::Publish,
        Scope::Delete,
        Scope::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ReadDrafts => "read:drafts",
            Scope::Write => "write",
            Scope::Publish => "publish",
            Scope::Delete => "delete",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses `write,publish` or `write publish`; unknown names are an error.
pub fn parse_scopes(text: &str) -> Result<BTreeSet<Scope>, String> {
    let mut scopes = BTreeSet::new();
    for name in text.split([',', ' ']).filter(|s| !s.trim().is_empty()) {
        let scope = Scope::parse(name).ok_or_else(|| {
            format!(
                "unknown scope `{name}`; scopes are {}",
                Scope::ALL.map(Scope::as_str).join(", ")
            )
        })?;
        scopes.insert(scope);
    }
    if scopes.is_empty() {
        return Err("give at least one scope".into());
    }
    Ok(scopes)
}

fn scopes_text(scopes: &BTreeSet<Scope>) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Who is asking: an authenticated key's name and scopes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub scopes: BTreeSet<Scope>,
}

impl Principal {
    /// Whether the key may do what `scope` allows (`admin` may do all).
    pub fn can(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope) || self.scopes.contains(&Scope::Admin)
    }
}

/// Why a key was not accepted; the message says which, without saying
/// more than the client already knows.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("this API key is not valid")]
    Unknown,
    #[error("this API key has been revoked")]
    Revoked,
    #[error("this API key expired at {0}")]
    Expired(DateTime<Utc>),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

/// The prefix every editor key starts with: how the HTTP layer tells it
/// from the rate-limit keys configured by hash.
pub const KEY_PREFIX: &str = "osce_";
const PUBLIC_ID_LEN: usize = 10;

fn digest(key: &str) -> String {
    let hash = Sha256::digest(key.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal strings, compared in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The public part of a key (`osce_XXXXXXXXXX_…`), if it is shaped like one.
fn public_id(key: &str) -> Option<&str> {
    let rest = key.strip_prefix(KEY_PREFIX)?;
    let (id, secret) = rest.split_at_checked(PUBLIC_ID_LEN)?;
    (secret.starts_with('_') && secret.len() > 16 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some(id)
}

/// A new key, as shown once to whoever created it.
#[derive(Clone, Debug)]
pub struct CreatedKey {
    pub name: String,
    pub key: String,
    pub scopes: BTreeSet<Scope>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A key as listed: never its secret.
#[derive(Clone, Debug, serde::Serialize)]
pub struct KeyInfo {
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyAdminError {
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

/// Creates a key named `name` (unique) with `scopes`, valid until `expires_at`.
pub async fn create_key(
    conn: &impl ConnectionTrait,
    name: &str,
    scopes: BTreeSet<Scope>,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<CreatedKey, KeyAdminError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
        return Err(KeyAdminError::Invalid(
            "a key's name is 1 to 100 printable characters".into(),
        ));
    }
    if expires_at.is_some_and(|at| at <= now) {
        return Err(KeyAdminError::Invalid(
            "the expiry must be in the future".into(),
        ));
    }
    if api_keys::by_name(conn, name).await?.is_some() {
        return Err(KeyAdminError::Invalid(format!(
            "a key named `{name}` exists already (revoked keys keep their names)"
        )));
    }
    let mut rng = rand::rng();
    let public: [u8; PUBLIC_ID_LEN / 2] = rng.random();
    let secret: [u8; 24] = rng.random();
    let prefix: String = public.iter().map(|b| format!("{b:02x}")).collect();
    let key = format!(
        "{KEY_PREFIX}{prefix}_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
    );
    api_keys::insert(
        conn,
        &StoredKey {
            name: name.to_string(),
            prefix,
            secret_hash: digest(&key),
            scopes: scopes_text(&scopes),
            created_at: now,
            expires_at,
            revoked_at: None,
        },
    )
    .await?;
    Ok(CreatedKey {
        name: name.to_string(),
        key,
        scopes,
        expires_at,
    })
}

/// Revokes the key named `name`; false if there is none (or it was revoked).
pub async fn revoke_key(
    conn: &impl ConnectionTrait,
    name: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    api_keys::revoke(conn, name.trim(), now).await
}

/// Every key, oldest first.
pub async fn list_keys(conn: &impl ConnectionTrait) -> Result<Vec<KeyInfo>, DbErr> {
    Ok(api_keys::all(conn)
        .await?
        .into_iter()
        .map(|k| KeyInfo {
            name: k.name,
            prefix: format!("{KEY_PREFIX}{}", k.prefix),
            scopes: k.scopes,
            created_at: k.created_at,
            expires_at: k.expires_at,
            revoked_at: k.revoked_at,
        })
        .collect())
}

/// The principal a presented key stands for.
pub async fn authenticate(
    conn: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Principal, AuthError> {
    let id = public_id(key).ok_or(AuthError::Unknown)?;
    let stored = api_keys::by_prefix(conn, id)
        .await?
        .ok_or(AuthError::Unknown)?;
    if !same(&stored.secret_hash, &digest(key)) {
        return Err(AuthError::Unknown);
    }
    if stored.revoked_at.is_some() {
        return Err(AuthError::Revoked);
    }
    if let Some(at) = stored.expires_at
        && at <= now
    {
        return Err(AuthError::Expired(at));
    }
    Ok(Principal {
        name: stored.name,
        // Scopes were checked when the key was made; a name this binary
        // does not know (from a newer one) grants nothing.
        scopes: stored.scopes.split(' ').filter_map(Scope::parse).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_told_apart_by_shape() {
        assert_eq!(
            public_id("osce_0123456789_abcdefghijklmnopqrstuvwxyz012345"),
            Some("0123456789")
        );
        assert_eq!(public_id("osce_0123456789abcdefghijklmnop"), None);
        assert_eq!(public_id("s3cret"), None);
        assert_eq!(
            public_id("osce_zz23456789_abcdefghijklmnopqrstuvwxyz"),
            None
        );
    }

    #[test]
    fn scopes_parse_and_admin_can_do_all() {
        let scopes = parse_scopes("write, publish").unwrap();
        assert_eq!(scopes_text(&scopes), "write publish");
        assert!(parse_scopes("write,root").is_err());
        assert!(parse_scopes(" ").is_err());
        let admin = Principal {
            name: "a".into(),
            scopes: parse_scopes("admin").unwrap(),
        };
        assert!(Scope::ALL.iter().all(|&s| admin.can(s)));
    }
}
