//! The export of every release in slug order as one streamed query.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, StreamTrait};

use super::super::rows::corrupt;
use super::super::sql::{query_all, statement};
use super::{PUBLIC, RELEASE_COLUMNS, RELEASE_JUNCTIONS, ReleaseLinks, column, release_record};
use crate::domain::LanguageTag;
use crate::model::{PressRelease, Translation};

/// The targets of release links by id (`field_of_work`, `country`,
/// `person`, `meeting`, in `RELEASE_JUNCTIONS` order): an export reads links
/// as ids and names them from here. Small tables, read once per export.
pub struct LinkTargets {
    keys_by_id: [HashMap<i64, String>; 4],
}

pub async fn link_targets(conn: &impl ConnectionTrait) -> Result<LinkTargets, DbErr> {
    let mut keys_by_id: [HashMap<i64, String>; 4] = Default::default();
    for (keys, (_, _, table, key)) in keys_by_id.iter_mut().zip(RELEASE_JUNCTIONS) {
        let sql = format!("SELECT id, {key} AS k FROM {table}");
        for row in query_all(conn, &sql, vec![]).await? {
            keys.insert(row.try_get("", "id")?, row.try_get("", "k")?);
        }
    }
    Ok(LinkTargets { keys_by_id })
}

/// The position of the columns `press_releases_in_slug_order` adds after
/// `RELEASE_COLUMNS`: one per junction (`position:target_id` pairs,
/// space-separated, in any order; NULL for none), then the translations
/// as a JSON array (NULL or `[]` for none).
mod export_column {
    pub const LINKS: usize = super::column::UPDATED_AT + 1;
    pub const TRANSLATIONS: usize = LINKS + 4;
}

/// Every press release with its links and translations, in slug order, as
/// one streamed query (rows for `press_release_from_export_row`): a single
/// snapshot, and no query per batch. On PostgreSQL each junction is grouped
/// by release in key order and merge-joined on the release id, then the
/// whole sorted once by slug; on SQLite (in-process, where an index probe
/// is cheap) each release's links are correlated subqueries. Run it in a
/// transaction that has called `prepare_export`.
pub async fn press_releases_in_slug_order<'a, C: StreamTrait + ConnectionTrait>(
    conn: &'a C,
) -> Result<C::Stream<'a>, DbErr> {
    let (select, from) = RELEASE_COLUMNS
        .split_once(" FROM ")
        .ok_or_else(|| DbErr::Custom("RELEASE_COLUMNS has no FROM".to_string()))?;
    let backend = ConnectionTrait::get_database_backend(conn);
    let translation = "json_build_object('language', language, 'title', title, \
                       'summary', summary, 'body_html', body_html)";
    let sql = match backend {
        DbBackend::Postgres => {
            let mut columns = String::new();
            let mut joins = String::new();
            for (n, (table, target, _, _)) in RELEASE_JUNCTIONS.iter().enumerate() {
                columns.push_str(&format!(", l{n}.links"));
                joins.push_str(&format!(
                    " LEFT JOIN (SELECT press_release_id, \
                     string_agg(position::text || ':' || {target}::text, ' ') AS links \
                     FROM {table} GROUP BY press_release_id) l{n} ON l{n}.press_release_id = pr.id"
                ));
            }
            format!(
                "{select}{columns}, t.translations FROM {from}{joins} \
                 LEFT JOIN (SELECT press_release_id, json_agg({translation})::text AS translations \
                 FROM press_release_translation GROUP BY press_release_id) t \
                 ON t.press_release_id = pr.id WHERE {PUBLIC} ORDER BY pr.slug"
            )
        }
        _ => {
            let mut columns = String::new();
            for (table, target, _, _) in RELEASE_JUNCTIONS {
                columns.push_str(&format!(
                    ", (SELECT group_concat(position || ':' || {target}, ' ') FROM {table} \
                     WHERE press_release_id = pr.id)"
                ));
            }
            let translation = translation.replace("json_build_object", "json_object");
            format!(
                "{select}{columns}, (SELECT json_group_array({translation}) \
                 FROM press_release_translation WHERE press_release_id = pr.id) \
                 FROM {from} WHERE {PUBLIC} ORDER BY pr.slug"
            )
        }
    };
    conn.stream_raw(statement(backend, &sql, vec![])).await
}

/// Settings for `press_releases_in_slug_order`, local to the transaction
/// `conn` is (PostgreSQL; nothing on SQLite). The planner would otherwise
/// hash each grouped junction (a million releases' links in memory, built
/// again by each parallel worker) and JIT-compile a query whose time is in
/// reading and sorting; merge joins in id order stream instead, and the
/// larger `work_mem` sorts in fewer passes.
pub async fn prepare_export(conn: &impl ConnectionTrait) -> Result<(), DbErr> {
    if conn.get_database_backend() == DbBackend::Postgres {
        for setting in [
            "SET LOCAL jit = off",
            "SET LOCAL max_parallel_workers_per_gather = 0",
            "SET LOCAL enable_hashjoin = off",
            "SET LOCAL work_mem = '64MB'",
        ] {
            conn.execute_unprepared(setting).await?;
        }
    }
    Ok(())
}

/// One translation as the export query's JSON holds it.
#[derive(serde::Deserialize)]
struct StoredTranslation {
    language: String,
    title: String,
    summary: Option<String>,
    body_html: String,
}

/// A row of `press_releases_in_slug_order` → its record.
pub fn press_release_from_export_row(
    row: &QueryResult,
    targets: &LinkTargets,
) -> Result<PressRelease, DbErr> {
    let mut links: [Vec<String>; 4] = Default::default();
    for (n, (keys, by_id)) in links.iter_mut().zip(&targets.keys_by_id).enumerate() {
        let Some(pairs) = row.try_get_by_index::<Option<String>>(export_column::LINKS + n)? else {
            continue;
        };
        let mut positioned = pairs
            .split(' ')
            .map(|pair| {
                let parsed = pair.split_once(':').and_then(|(position, id)| {
                    Some((position.parse::<i64>().ok()?, id.parse::<i64>().ok()?))
                });
                parsed.ok_or_else(|| corrupt("release link", pair))
            })
            .collect::<Result<Vec<_>, _>>()?;
        positioned.sort_unstable();
        for (_, id) in positioned {
            let key = by_id
                .get(&id)
                .ok_or_else(|| corrupt("release link target", &id.to_string()))?;
            keys.push(key.clone());
        }
    }
    let [fields_of_work, countries, people, meetings] = links;
    let links = ReleaseLinks {
        fields_of_work,
        countries,
        people,
        meetings,
    };
    let translations = match row.try_get_by_index::<Option<String>>(export_column::TRANSLATIONS)? {
        None => Vec::new(),
        Some(json) => {
            let mut stored: Vec<StoredTranslation> =
                serde_json::from_str(&json).map_err(|_| corrupt("translations", &json))?;
            stored.sort_unstable_by(|a, b| a.language.cmp(&b.language));
            stored
                .into_iter()
                .map(|t| {
                    Ok(Translation {
                        language: LanguageTag::parse(t.language.clone())
                            .map_err(|_| corrupt("language", &t.language))?,
                        title: t.title,
                        summary: t.summary,
                        body_html: t.body_html,
                    })
                })
                .collect::<Result<_, DbErr>>()?
        }
    };
    release_record(row, links, translations)
}
