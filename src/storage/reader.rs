//! Reading content back in the interchange format's shape: used by export,
//! and by import to tell which records actually change.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use futures::TryStreamExt;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, QueryResult, StreamTrait, Value,
};

use super::sql::{in_id_list, placeholders, query_all, statement};
use crate::domain::{CountryCode, CountryStatus, LanguageTag, MeetingKind, OrgUnitKind, Slug};
use crate::io::format::{
    Chairpersonship, Country, FieldOfWork, Meeting, OrgUnit, Person, PressRelease, Role,
    Translation,
};

fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("stored {what} {value:?} is not valid"))
}

/// A slug read back, checked without a copy (exports read millions).
fn stored_slug(value: String) -> Result<Slug, DbErr> {
    Slug::parse(value).map_err(|message| DbErr::Custom(format!("stored data: {message}")))
}

fn slug(row: &QueryResult, col: &str) -> Result<Slug, DbErr> {
    stored_slug(row.try_get("", col)?)
}

fn opt_slug(row: &QueryResult, col: &str) -> Result<Option<Slug>, DbErr> {
    let v: Option<String> = row.try_get("", col)?;
    v.map(stored_slug).transpose()
}

fn code(row: &QueryResult, col: &str) -> Result<CountryCode, DbErr> {
    let v: String = row.try_get("", col)?;
    CountryCode::parse(v.clone()).map_err(|_| corrupt("country code", &v))
}

fn opt_code(row: &QueryResult, col: &str) -> Result<Option<CountryCode>, DbErr> {
    let v: Option<String> = row.try_get("", col)?;
    v.map(|v| CountryCode::parse(v.clone()).map_err(|_| corrupt("country code", &v)))
        .transpose()
}

pub async fn fields_of_work(conn: &impl ConnectionTrait) -> Result<Vec<FieldOfWork>, DbErr> {
    query_all(
        conn,
        "SELECT slug, name FROM field_of_work ORDER BY slug",
        vec![],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(FieldOfWork {
            slug: slug(r, "slug")?,
            name: r.try_get("", "name")?,
        })
    })
    .collect()
}

pub async fn countries(conn: &impl ConnectionTrait) -> Result<Vec<Country>, DbErr> {
    query_all(
        conn,
        "SELECT code, slug, name, status FROM country ORDER BY code",
        vec![],
    )
    .await?
    .iter()
    .map(|r| {
        let status: String = r.try_get("", "status")?;
        Ok(Country {
            code: code(r, "code")?,
            slug: slug(r, "slug")?,
            name: r.try_get("", "name")?,
            status: CountryStatus::parse(&status)
                .ok_or_else(|| corrupt("country status", &status))?,
        })
    })
    .collect()
}

pub async fn org_units(conn: &impl ConnectionTrait) -> Result<Vec<OrgUnit>, DbErr> {
    let sql = "SELECT u.slug, u.name, u.kind, p.slug AS parent, c.code AS country, u.closed_on, u.description \
               FROM org_unit u \
               LEFT JOIN org_unit p ON p.id = u.parent_id \
               LEFT JOIN country c ON c.id = u.country_id \
               ORDER BY u.slug";
    query_all(conn, sql, vec![])
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get("", "kind")?;
            Ok(OrgUnit {
                slug: slug(r, "slug")?,
                name: r.try_get("", "name")?,
                kind: OrgUnitKind::parse(&kind).ok_or_else(|| corrupt("unit kind", &kind))?,
                parent: opt_slug(r, "parent")?,
                country: opt_code(r, "country")?,
                closed_on: r.try_get("", "closed_on")?,
                description: r.try_get("", "description")?,
            })
        })
        .collect()
}

pub async fn chairpersonships(conn: &impl ConnectionTrait) -> Result<Vec<Chairpersonship>, DbErr> {
    let sql = "SELECT ch.year, c.code FROM chairpersonship ch JOIN country c ON c.id = ch.country_id ORDER BY ch.year";
    query_all(conn, sql, vec![])
        .await?
        .iter()
        .map(|r| {
            Ok(Chairpersonship {
                year: r.try_get("", "year")?,
                country: code(r, "code")?,
            })
        })
        .collect()
}

pub async fn people(conn: &impl ConnectionTrait) -> Result<Vec<Person>, DbErr> {
    query_all(conn, "SELECT slug, name FROM person ORDER BY slug", vec![])
        .await?
        .iter()
        .map(|r| {
            Ok(Person {
                slug: slug(r, "slug")?,
                name: r.try_get("", "name")?,
            })
        })
        .collect()
}

/// Roles in key order: person, start, unit, title.
pub async fn roles(conn: &impl ConnectionTrait) -> Result<Vec<Role>, DbErr> {
    let sql = "SELECT p.slug AS person, u.slug AS org_unit, r.title, c.code AS country, r.from_date, r.to_date \
               FROM role r \
               JOIN person p ON p.id = r.person_id \
               JOIN org_unit u ON u.id = r.org_unit_id \
               LEFT JOIN country c ON c.id = r.country_id \
               ORDER BY p.slug, r.from_date, u.slug, r.title";
    query_all(conn, sql, vec![])
        .await?
        .iter()
        .map(|r| {
            Ok(Role {
                person: slug(r, "person")?,
                org_unit: slug(r, "org_unit")?,
                title: r.try_get("", "title")?,
                country: opt_code(r, "country")?,
                from: r.try_get("", "from_date")?,
                to: r.try_get("", "to_date")?,
            })
        })
        .collect()
}

const MEETING_COLUMNS: &str = "SELECT m.id, m.slug, m.title, m.kind, m.start_date, m.end_date, m.place, c.code AS country, u.slug AS org_unit \
     FROM meeting m \
     LEFT JOIN country c ON c.id = m.country_id \
     LEFT JOIN org_unit u ON u.id = m.org_unit_id";

/// One page of meetings in slug order, after `after` (exclusive).
pub async fn meetings_page(
    conn: &impl ConnectionTrait,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<Meeting>, DbErr> {
    let sql = format!("{MEETING_COLUMNS} WHERE m.slug > ? ORDER BY m.slug LIMIT {limit}");
    let rows = query_all(conn, &sql, vec![after.unwrap_or("").into()]).await?;
    Ok(meetings_of_rows(conn, rows)
        .await?
        .into_iter()
        .map(|(_, m)| m)
        .collect())
}

/// Meetings by id, in the order given (two queries; unknown ids skipped).
pub async fn meetings_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<Meeting>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{MEETING_COLUMNS} WHERE m.id IN ({})",
        placeholders(ids.len())
    );
    let rows = query_all(conn, &sql, ids.iter().map(|&id| id.into()).collect()).await?;
    let mut by_id: HashMap<i64, Meeting> =
        meetings_of_rows(conn, rows).await?.into_iter().collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Rows of `MEETING_COLUMNS` → records with their fields of work, keyed by id.
async fn meetings_of_rows(
    conn: &impl ConnectionTrait,
    rows: Vec<QueryResult>,
) -> Result<Vec<(i64, Meeting)>, DbErr> {
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get("", "id"))
        .collect::<Result<_, _>>()?;
    let mut fields = related_slugs(
        conn,
        "SELECT j.meeting_id AS owner, f.slug AS slug FROM meeting_field_of_work j \
         JOIN field_of_work f ON f.id = j.field_of_work_id WHERE {ids} \
         ORDER BY j.meeting_id, j.position",
        "j.meeting_id",
        &ids,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("", "id")?;
            let kind: String = r.try_get("", "kind")?;
            Ok((
                id,
                Meeting {
                    slug: slug(r, "slug")?,
                    title: r.try_get("", "title")?,
                    kind: MeetingKind::parse(&kind)
                        .ok_or_else(|| corrupt("meeting kind", &kind))?,
                    start: r.try_get("", "start_date")?,
                    end: r.try_get("", "end_date")?,
                    place: r.try_get("", "place")?,
                    country: opt_code(r, "country")?,
                    org_unit: opt_slug(r, "org_unit")?,
                    fields_of_work: parse_slugs(fields.remove(&id).unwrap_or_default())?,
                },
            ))
        })
        .collect()
}

/// People by id, in the order given, each with their roles in key order
/// (start, unit, title): two queries whatever the number.
pub async fn people_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<(Person, Vec<Role>)>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let values: Vec<Value> = ids.iter().map(|&id| id.into()).collect();
    let sql = format!(
        "SELECT id, slug, name FROM person WHERE id IN ({})",
        placeholders(ids.len())
    );
    let mut people: HashMap<i64, Person> = HashMap::new();
    for r in query_all(conn, &sql, values.clone()).await? {
        people.insert(
            r.try_get("", "id")?,
            Person {
                slug: slug(&r, "slug")?,
                name: r.try_get("", "name")?,
            },
        );
    }
    let sql = format!(
        "SELECT r.person_id, p.slug AS person, u.slug AS org_unit, r.title, c.code AS country, r.from_date, r.to_date \
         FROM role r \
         JOIN person p ON p.id = r.person_id \
         JOIN org_unit u ON u.id = r.org_unit_id \
         LEFT JOIN country c ON c.id = r.country_id \
         WHERE r.person_id IN ({}) \
         ORDER BY r.person_id, r.from_date, u.slug, r.title",
        placeholders(ids.len())
    );
    let mut roles: HashMap<i64, Vec<Role>> = HashMap::new();
    for r in query_all(conn, &sql, values).await? {
        roles
            .entry(r.try_get("", "person_id")?)
            .or_default()
            .push(Role {
                person: slug(&r, "person")?,
                org_unit: slug(&r, "org_unit")?,
                title: r.try_get("", "title")?,
                country: opt_code(&r, "country")?,
                from: r.try_get("", "from_date")?,
                to: r.try_get("", "to_date")?,
            });
    }
    Ok(ids
        .iter()
        .filter_map(|id| Some((people.remove(id)?, roles.remove(id).unwrap_or_default())))
        .collect())
}

/// The id of the row whose `column` is `key`, if there is one.
pub async fn id_of(
    conn: &impl ConnectionTrait,
    table: &str,
    column: &str,
    key: &str,
) -> Result<Option<i64>, DbErr> {
    let sql = format!("SELECT id FROM {table} WHERE {column} = ?");
    query_all(conn, &sql, vec![key.into()])
        .await?
        .first()
        .map(|r| r.try_get("", "id"))
        .transpose()
}

pub async fn all_meetings(conn: &impl ConnectionTrait) -> Result<Vec<Meeting>, DbErr> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map(|m: &Meeting| m.slug.as_str().to_string());
        let page = meetings_page(conn, after.as_deref(), 1000).await?;
        let done = page.len() < 1000;
        all.extend(page);
        if done {
            return Ok(all);
        }
    }
}

fn parse_slugs(values: Vec<String>) -> Result<Vec<Slug>, DbErr> {
    values.into_iter().map(stored_slug).collect()
}

/// Runs a `owner, slug` query over a list of owner ids (`{ids}` in the SQL
/// stands for "`owner_column` is one of them") and groups the slugs by
/// owner, in row order.
async fn related_slugs(
    conn: &impl ConnectionTrait,
    sql_template: &str,
    owner_column: &str,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    let mut grouped: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(grouped);
    }
    let (condition, list) = in_id_list(conn.get_database_backend(), owner_column, ids);
    let sql = sql_template.replace("{ids}", &condition);
    for row in query_all(conn, &sql, vec![list]).await? {
        let owner: i64 = row.try_get("", "owner")?;
        let slug: String = row.try_get("", "slug")?;
        grouped.entry(owner).or_default().push(slug);
    }
    Ok(grouped)
}

const RELEASE_COLUMNS: &str = "SELECT pr.id, pr.slug, pr.title, pr.date, pr.place, s.slug AS source, \
     pr.language, pr.summary, pr.body_html, pr.published_at, pr.updated_at \
     FROM press_release pr JOIN org_unit s ON s.id = pr.source_id";

/// The position of each of `RELEASE_COLUMNS`: release rows are read by
/// position, as exports read millions and a lookup by name hashes the name.
mod column {
    pub const ID: usize = 0;
    pub const SLUG: usize = 1;
    pub const TITLE: usize = 2;
    pub const DATE: usize = 3;
    pub const PLACE: usize = 4;
    pub const SOURCE: usize = 5;
    pub const LANGUAGE: usize = 6;
    pub const SUMMARY: usize = 7;
    pub const BODY_HTML: usize = 8;
    pub const PUBLISHED_AT: usize = 9;
    pub const UPDATED_AT: usize = 10;
}

/// One page of press releases in slug order, after `after` (exclusive), with
/// all their relations: six queries per page, whatever its size.
pub async fn press_releases_page(
    conn: &impl ConnectionTrait,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<PressRelease>, DbErr> {
    let sql = format!("{RELEASE_COLUMNS} WHERE pr.slug > ? ORDER BY pr.slug LIMIT {limit}");
    let rows = query_all(conn, &sql, vec![after.unwrap_or("").into()]).await?;
    Ok(with_relations(conn, rows)
        .await?
        .into_iter()
        .map(|(_, record)| record)
        .collect())
}

/// The targets of release links by id (`field_of_work`, `country`,
/// `person`, `meeting`, in `RELEASE_JUNCTIONS` order): an export reads links
/// as ids and names them from here. Small tables, read once per export.
pub struct LinkTargets {
    keys_by_id: [HashMap<i64, String>; 4],
}

/// A release's links: (junction table, target column, target table, target
/// key column), in the order of `ReleaseLinks` and of the interchange format.
pub(super) const RELEASE_JUNCTIONS: [(&str, &str, &str, &str); 4] = [
    (
        "press_release_field_of_work",
        "field_of_work_id",
        "field_of_work",
        "slug",
    ),
    ("press_release_country", "country_id", "country", "code"),
    ("press_release_person", "person_id", "person", "slug"),
    ("press_release_meeting", "meeting_id", "meeting", "slug"),
];

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
        .expect("RELEASE_COLUMNS has a FROM");
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
                 ON t.press_release_id = pr.id ORDER BY pr.slug"
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
                 FROM {from} ORDER BY pr.slug"
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

/// Press releases by id, in the order given, with all their relations (six
/// queries whatever the number); ids not in the table are skipped.
pub async fn press_releases_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<PressRelease>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (condition, list) = in_id_list(conn.get_database_backend(), "pr.id", ids);
    let sql = format!("{RELEASE_COLUMNS} WHERE {condition}");
    let rows = query_all(conn, &sql, vec![list]).await?;
    let mut by_id: HashMap<i64, PressRelease> =
        with_relations(conn, rows).await?.into_iter().collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Rows of `RELEASE_COLUMNS` → records with their relations, keyed by id.
async fn with_relations(
    conn: &impl ConnectionTrait,
    rows: Vec<QueryResult>,
) -> Result<Vec<(i64, PressRelease)>, DbErr> {
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get_by_index(column::ID))
        .collect::<Result<_, _>>()?;
    let junction_sql = RELEASE_JUNCTIONS.map(|(table, target_column, target, key)| {
        format!(
            "SELECT j.press_release_id AS owner, t.{key} AS slug FROM {table} j \
             JOIN {target} t ON t.id = j.{target_column} WHERE {{ids}} \
             ORDER BY j.press_release_id, j.position"
        )
    });
    // Concurrent: on a pool each runs on its own connection.
    let owner = "j.press_release_id";
    let links = futures::future::try_join_all(
        junction_sql
            .iter()
            .map(|sql| related_slugs(conn, sql, owner, &ids)),
    );
    let (links, mut translations) = futures::try_join!(links, translations_of(conn, &ids))?;
    let [mut fields, mut countries, mut people, mut meetings]: [_; 4] =
        links.try_into().expect("one result per junction");

    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get_by_index(column::ID)?;
            let links = ReleaseLinks {
                fields_of_work: fields.remove(&id).unwrap_or_default(),
                countries: countries.remove(&id).unwrap_or_default(),
                people: people.remove(&id).unwrap_or_default(),
                meetings: meetings.remove(&id).unwrap_or_default(),
            };
            let record = release_record(r, links, translations.remove(&id).unwrap_or_default())?;
            Ok((id, record))
        })
        .collect()
}

/// A release's links as stored keys (slugs; codes for countries), in
/// stored order.
#[derive(Default)]
pub struct ReleaseLinks {
    pub fields_of_work: Vec<String>,
    pub countries: Vec<String>,
    pub people: Vec<String>,
    pub meetings: Vec<String>,
}

/// A row of `RELEASE_COLUMNS` with its links and translations.
fn release_record(
    r: &QueryResult,
    links: ReleaseLinks,
    translations: Vec<Translation>,
) -> Result<PressRelease, DbErr> {
    let language: String = r.try_get_by_index(column::LANGUAGE)?;
    Ok(PressRelease {
        slug: stored_slug(r.try_get_by_index(column::SLUG)?)?,
        title: r.try_get_by_index(column::TITLE)?,
        date: r.try_get_by_index(column::DATE)?,
        place: r.try_get_by_index(column::PLACE)?,
        source: stored_slug(r.try_get_by_index(column::SOURCE)?)?,
        fields_of_work: parse_slugs(links.fields_of_work)?,
        countries: links
            .countries
            .into_iter()
            .map(|c| CountryCode::parse(c.clone()).map_err(|_| corrupt("country code", &c)))
            .collect::<Result<_, _>>()?,
        people: parse_slugs(links.people)?,
        meetings: parse_slugs(links.meetings)?,
        language: LanguageTag::parse(language.clone())
            .map_err(|_| corrupt("language", &language))?,
        summary: r.try_get_by_index(column::SUMMARY)?,
        body_html: r.try_get_by_index(column::BODY_HTML)?,
        translations,
        published_at: r.try_get_by_index(column::PUBLISHED_AT)?,
        updated_at: r.try_get_by_index(column::UPDATED_AT)?,
    })
}

/// Press releases by id, in the order given, with their links from
/// `links_of` (the release index, which holds them) rather than the
/// junction tables: two queries (rows, translations) whatever the number.
/// Falls back to the tables when `links_of` does not know a release (one
/// written after the index was built). Ids not in the table are skipped.
pub async fn press_releases_by_ids_with_links(
    conn: &impl ConnectionTrait,
    ids: &[i64],
    links_of: impl Fn(i64) -> Option<ReleaseLinks>,
    may_be_translated: impl Fn(i64) -> bool,
) -> Result<Vec<PressRelease>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (condition, list) = in_id_list(conn.get_database_backend(), "pr.id", ids);
    let sql = format!("{RELEASE_COLUMNS} WHERE {condition}");
    // Most releases have no translation: look up only those that may.
    let translated: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|&id| may_be_translated(id))
        .collect();
    let (rows, mut translations) = futures::try_join!(
        query_all(conn, &sql, vec![list]),
        translations_of(conn, &translated)
    )?;
    let mut by_id: HashMap<i64, PressRelease> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let id: i64 = row.try_get_by_index(column::ID)?;
        let Some(links) = links_of(id) else {
            return press_releases_by_ids(conn, ids).await;
        };
        let record = release_record(row, links, translations.remove(&id).unwrap_or_default())?;
        by_id.insert(id, record);
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Press releases by id, streamed to `each` one at a time in (date, slug)
/// order (`ascending` or newest first, slugs ascending within a day), with
/// their links from `links_of` like `press_releases_by_ids_with_links`: only
/// one release's record is ever held, whatever the number of ids. Ids not in
/// the table are skipped.
///
/// With `on_days` (the first and last day the ids fall on), the rows are
/// read by one range of the date index and those not among `ids` dropped:
/// cheaper than one index probe per id when the ids are most of those days'
/// releases.
pub async fn for_each_press_release_by_ids(
    conn: &DatabaseConnection,
    ids: &[i64],
    on_days: Option<std::ops::RangeInclusive<NaiveDate>>,
    ascending: bool,
    links_of: impl Fn(i64) -> Option<ReleaseLinks>,
    may_be_translated: impl Fn(i64) -> bool,
    mut each: impl FnMut(PressRelease) -> Result<(), DbErr>,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let backend = conn.get_database_backend();
    // Byte order for slugs, as Rust compares them, whatever the collation.
    let slug_order = match backend {
        DbBackend::Postgres => "pr.slug COLLATE \"C\"",
        _ => "pr.slug",
    };
    let direction = if ascending { "ASC" } else { "DESC" };
    let order = format!("ORDER BY pr.date {direction}, {slug_order}");
    let (sql, values, wanted) = match on_days {
        Some(days) => (
            format!("{RELEASE_COLUMNS} WHERE pr.date BETWEEN ? AND ? {order}"),
            vec![(*days.start()).into(), (*days.end()).into()],
            Some(ids.iter().copied().collect::<HashSet<i64>>()),
        ),
        None => {
            let (condition, list) = in_id_list(backend, "pr.id", ids);
            (
                format!("{RELEASE_COLUMNS} WHERE {condition} {order}"),
                vec![list],
                None,
            )
        }
    };
    let translated: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|&id| may_be_translated(id))
        .collect();
    let mut translations = translations_of(conn, &translated).await?;
    let rows = conn.stream_raw(statement(backend, &sql, values)).await?;
    let mut rows = std::pin::pin!(rows);
    while let Some(row) = rows.try_next().await? {
        let id: i64 = row.try_get_by_index(column::ID)?;
        if wanted.as_ref().is_some_and(|wanted| !wanted.contains(&id)) {
            continue;
        }
        let translations = translations.remove(&id).unwrap_or_default();
        let record = match links_of(id) {
            Some(links) => release_record(&row, links, translations)?,
            // Written after the index was built: its links from the tables.
            None => match press_releases_by_ids(conn, &[id]).await?.pop() {
                Some(record) => record,
                None => continue,
            },
        };
        each(record)?;
    }
    Ok(())
}

async fn translations_of(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Translation>>, DbErr> {
    let mut grouped: HashMap<i64, Vec<Translation>> = HashMap::new();
    if ids.is_empty() {
        return Ok(grouped);
    }
    let (condition, list) = in_id_list(conn.get_database_backend(), "press_release_id", ids);
    let sql = format!(
        "SELECT press_release_id, language, title, summary, body_html FROM press_release_translation \
         WHERE {condition} ORDER BY press_release_id, language"
    );
    for row in query_all(conn, &sql, vec![list]).await? {
        let language: String = row.try_get("", "language")?;
        grouped
            .entry(row.try_get("", "press_release_id")?)
            .or_default()
            .push(Translation {
                language: LanguageTag::parse(language.clone())
                    .map_err(|_| corrupt("language", &language))?,
                title: row.try_get("", "title")?,
                summary: row.try_get("", "summary")?,
                body_html: row.try_get("", "body_html")?,
            });
    }
    Ok(grouped)
}

/// Which of these keys exist in `table.column`? Used to resolve references
/// that an import file does not define itself.
pub async fn existing_keys(
    conn: &impl ConnectionTrait,
    table: &str,
    column: &str,
    keys: &[String],
) -> Result<Vec<String>, DbErr> {
    let mut found = Vec::new();
    for chunk in keys.chunks(500) {
        let sql = format!(
            "SELECT {column} AS k FROM {table} WHERE {column} IN ({})",
            placeholders(chunk.len())
        );
        let values = chunk.iter().map(|k| k.as_str().into()).collect();
        for row in query_all(conn, &sql, values).await? {
            found.push(row.try_get("", "k")?);
        }
    }
    Ok(found)
}

/// `key → id` for a whole (small) table.
pub async fn id_map(
    conn: &impl ConnectionTrait,
    table: &str,
    column: &str,
) -> Result<HashMap<String, i64>, DbErr> {
    let sql = format!("SELECT {column} AS k, id FROM {table}");
    query_all(conn, &sql, vec![])
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "k")?, r.try_get("", "id")?)))
        .collect()
}

pub async fn count(conn: &impl ConnectionTrait, table: &str) -> Result<i64, DbErr> {
    let rows = query_all(conn, &format!("SELECT COUNT(*) AS n FROM {table}"), vec![]).await?;
    Ok(rows
        .first()
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0))
}

/// `key → label` for the given keys of `table` (e.g. person slugs → names);
/// keys not in the table are left out.
pub async fn labels_by_key(
    conn: &impl ConnectionTrait,
    table: &str,
    key_column: &str,
    label_column: &str,
    keys: &[String],
) -> Result<HashMap<String, String>, DbErr> {
    let mut found = HashMap::new();
    for chunk in keys.chunks(500) {
        let sql = format!(
            "SELECT {key_column} AS k, {label_column} AS label FROM {table} WHERE {key_column} IN ({})",
            placeholders(chunk.len())
        );
        let values = chunk.iter().map(|k| k.as_str().into()).collect();
        for row in query_all(conn, &sql, values).await? {
            found.insert(row.try_get("", "k")?, row.try_get("", "label")?);
        }
    }
    Ok(found)
}
