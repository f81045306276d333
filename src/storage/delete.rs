//! Deleting one record, after checking that nothing still refers to it.
//! What belongs to the record goes with it (a release's links and
//! translations, a meeting's fields of work, a person's roles); anything
//! else that names it blocks the deletion, named in the error.

use sea_orm::{ConnectionTrait, DbErr};

use super::keys::{id_of, table_of};
use super::search_index::{self, SearchKind};
use super::sql::{execute, query_all};
use crate::model::RecordKind;

/// Records that refer to one being deleted: their kind, how many, and the
/// keys of the first few.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referrers {
    pub kind: RecordKind,
    pub count: u64,
    pub first_keys: Vec<String>,
}

/// What deleting a record did, or why it could not.
#[derive(Debug)]
pub enum Deletion {
    /// Deleted (its row id was `id`), with the keys of the roles that went
    /// with it (a person's).
    Deleted {
        id: i64,
        roles: Vec<String>,
    },
    NotFound,
    Referenced(Vec<Referrers>),
}

/// Who may refer to a record of a kind: the referring kind, the rows to
/// look in (a table or a join), the referring column and the referrer's key.
struct Reference {
    kind: RecordKind,
    from: &'static str,
    column: &'static str,
    key: &'static str,
}

const fn reference(
    kind: RecordKind,
    from: &'static str,
    column: &'static str,
    key: &'static str,
) -> Reference {
    Reference {
        kind,
        from,
        column,
        key,
    }
}

fn references(kind: RecordKind) -> Vec<Reference> {
    use RecordKind as K;
    // Releases refer through a junction `j` joined to `press_release r`.
    let release = |from: &'static str, column: &'static str| Reference {
        kind: K::PressRelease,
        from,
        column,
        key: "r.slug",
    };
    match kind {
        K::Country => vec![
            reference(K::OrgUnit, "org_unit u", "u.country_id", "u.slug"),
            reference(
                K::Chairpersonship,
                "chairpersonship c",
                "c.country_id",
                "CAST(c.year AS TEXT)",
            ),
            reference(
                K::Role,
                "role x JOIN person p ON p.id = x.person_id",
                "x.country_id",
                "p.slug",
            ),
            reference(K::Meeting, "meeting m", "m.country_id", "m.slug"),
            release(
                "press_release_country j JOIN press_release r ON r.id = j.press_release_id",
                "j.country_id",
            ),
        ],
        K::OrgUnit => vec![
            reference(K::OrgUnit, "org_unit u", "u.parent_id", "u.slug"),
            reference(
                K::Role,
                "role x JOIN person p ON p.id = x.person_id",
                "x.org_unit_id",
                "p.slug",
            ),
            reference(K::Meeting, "meeting m", "m.org_unit_id", "m.slug"),
            reference(K::PressRelease, "press_release r", "r.source_id", "r.slug"),
        ],
        K::FieldOfWork => vec![
            reference(
                K::Meeting,
                "meeting_field_of_work j JOIN meeting m ON m.id = j.meeting_id",
                "j.field_of_work_id",
                "m.slug",
            ),
            release(
                "press_release_field_of_work j JOIN press_release r ON r.id = j.press_release_id",
                "j.field_of_work_id",
            ),
        ],
        K::Person => vec![release(
            "press_release_person j JOIN press_release r ON r.id = j.press_release_id",
            "j.person_id",
        )],
        K::Meeting => vec![release(
            "press_release_meeting j JOIN press_release r ON r.id = j.press_release_id",
            "j.meeting_id",
        )],
        K::Chairpersonship | K::Role | K::PressRelease => vec![],
    }
}

/// How many referrers to name in an error.
const NAMED_REFERRERS: u64 = 5;

async fn referrers(
    conn: &impl ConnectionTrait,
    kind: RecordKind,
    id: i64,
) -> Result<Vec<Referrers>, DbErr> {
    let mut found = Vec::new();
    for r in references(kind) {
        let from = r.from;
        let count: i64 = query_all(
            conn,
            &format!("SELECT COUNT(*) AS n FROM {from} WHERE {} = ?", r.column),
            vec![id.into()],
        )
        .await?
        .first()
        .map(|row| row.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
        if count == 0 {
            continue;
        }
        let keys = query_all(
            conn,
            &format!(
                "SELECT {} AS k FROM {from} WHERE {} = ? ORDER BY 1 LIMIT {NAMED_REFERRERS}",
                r.key, r.column
            ),
            vec![id.into()],
        )
        .await?
        .iter()
        .map(|row| row.try_get("", "k"))
        .collect::<Result<Vec<String>, DbErr>>()?;
        found.push(Referrers {
            kind: r.kind,
            count: count as u64,
            first_keys: keys,
        });
    }
    Ok(found)
}

/// The search documents a kind's records have.
fn search_kind(kind: RecordKind) -> Option<SearchKind> {
    match kind {
        RecordKind::PressRelease => Some(SearchKind::PressRelease),
        RecordKind::Meeting => Some(SearchKind::Meeting),
        RecordKind::Person => Some(SearchKind::Person),
        RecordKind::OrgUnit => Some(SearchKind::OrgUnit),
        _ => None,
    }
}

/// Deletes the record of `kind` keyed `key` in the caller's transaction,
/// unless something still refers to it. Roles cannot be deleted alone here
/// (they have no single key): they go with their person.
pub async fn delete(
    conn: &impl ConnectionTrait,
    kind: RecordKind,
    key: &str,
) -> Result<Deletion, DbErr> {
    let Some(id) = id_of(conn, kind, key).await? else {
        return Ok(Deletion::NotFound);
    };
    let blocking = referrers(conn, kind, id).await?;
    if !blocking.is_empty() {
        return Ok(Deletion::Referenced(blocking));
    }
    let mut roles = Vec::new();
    if kind == RecordKind::Person {
        for row in query_all(
            conn,
            "SELECT p.slug AS person, u.slug AS unit, x.title, x.from_date FROM role x \
             JOIN person p ON p.id = x.person_id JOIN org_unit u ON u.id = x.org_unit_id \
             WHERE x.person_id = ? ORDER BY x.from_date, x.id",
            vec![id.into()],
        )
        .await?
        {
            let person: String = row.try_get("", "person")?;
            let unit: String = row.try_get("", "unit")?;
            let title: String = row.try_get("", "title")?;
            let from: chrono::NaiveDate = row.try_get("", "from_date")?;
            roles.push(format!("{person}/{unit}/{title}/{from}"));
        }
        execute(
            conn,
            "DELETE FROM role WHERE person_id = ?",
            vec![id.into()],
        )
        .await?;
    }
    if let Some(search) = search_kind(kind) {
        search_index::delete(conn, search, &[id]).await?;
    }
    // Links, translations and a meeting's fields of work cascade.
    execute(
        conn,
        &format!("DELETE FROM {} WHERE id = ?", table_of(kind)),
        vec![id.into()],
    )
    .await?;
    Ok(Deletion::Deleted { id, roles })
}
