//! The property the feed exists for: a mirror that applies it page by
//! page, at random moments, while random creates, edits, publications,
//! withdrawals and deletions happen, ends equal to the public API.

use std::collections::BTreeMap;

use axum::http::Method;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use super::{Mirror, catch_up, get_json, mirror_page};
use crate::editorial::{Newsroom, act, call, create};
use crate::support::Backend;

/// Every public press release and field of work, with versions.
async fn public_state(room: &Newsroom, key: &str) -> Mirror {
    let mut state = Mirror::new();
    let mut next = Some("/api/v1/editorial/press-releases?status=published&limit=500".to_string());
    while let Some(uri) = next {
        let page = call(&room.app, Method::GET, &uri, Some(key), None, Value::Null)
            .await
            .json();
        for item in page["items"].as_array().unwrap() {
            state.insert(
                (
                    "press_release".into(),
                    item["slug"].as_str().unwrap().into(),
                ),
                item["version"].as_i64(),
            );
        }
        next = page["next"].as_str().map(String::from);
    }
    let mut items = Vec::new();
    let mut next = Some("/api/v1/fields-of-work?limit=100".to_string());
    while let Some(uri) = next {
        let page = get_json(&room.app, &uri).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        next = page["next"].as_str().map(String::from);
    }
    for item in &items {
        let slug = item["slug"].as_str().unwrap();
        let reply = call(
            &room.app,
            Method::GET,
            &format!("/api/v1/fields-of-work/{slug}"),
            Some(key),
            None,
            Value::Null,
        )
        .await;
        let version = reply.header("etag").trim_matches('"').parse::<i64>().ok();
        state.insert(("field_of_work".into(), slug.into()), version);
    }
    state
}

/// Random editors' writes: drafts, publications, corrections,
/// withdrawals, deletions of releases; fields of work made and deleted.
#[derive(Default)]
struct Newsdesk {
    /// slug → (version, public)
    releases: BTreeMap<String, (i64, bool)>,
    fields: BTreeMap<String, i64>,
}

impl Newsdesk {
    async fn write(&mut self, room: &Newsroom, key: &str, rng: &mut impl Rng, step: usize) {
        let (releases, fields) = (&mut self.releases, &mut self.fields);
        match rng.random_range(0..9) {
            0 | 1 => {
                let slug = format!("mirror-release-{step}");
                let v = create(&room.app, key, &slug, &format!("Release {step}")).await;
                releases.insert(slug, (v, false));
            }
            2 | 3 => {
                if let Some((slug, (v, _))) = pick(rng, releases, |(_, public)| !public) {
                    let v = act(&room.app, key, &slug, "publish", v).await;
                    releases.insert(slug, (v, true));
                }
            }
            4 => {
                if let Some((slug, (v, public))) = pick(rng, releases, |_| true) {
                    let reply = call(
                        &room.app,
                        Method::PATCH,
                        &format!("/api/v1/press-releases/{slug}"),
                        Some(key),
                        Some(v),
                        json!({ "title": format!("Edited at {step}") }),
                    )
                    .await;
                    assert_eq!(reply.status, 200, "{}", reply.text());
                    releases.insert(slug, (reply.json()["version"].as_i64().unwrap(), public));
                }
            }
            5 => {
                if let Some((slug, (v, _))) = pick(rng, releases, |(_, public)| *public) {
                    let v = act(&room.app, key, &slug, "unpublish", v).await;
                    releases.insert(slug, (v, false));
                }
            }
            6 => {
                if let Some((slug, (v, _))) = pick(rng, releases, |_| true) {
                    let reply = call(
                        &room.app,
                        Method::DELETE,
                        &format!("/api/v1/press-releases/{slug}"),
                        Some(key),
                        Some(v),
                        Value::Null,
                    )
                    .await;
                    assert_eq!(reply.status, 204, "{}", reply.text());
                    releases.remove(&slug);
                }
            }
            7 => {
                let slug = format!("mirror-field-{step}");
                let reply = call(
                    &room.app,
                    Method::POST,
                    "/api/v1/fields-of-work",
                    Some(key),
                    None,
                    json!({ "slug": slug, "name": format!("Field {step}") }),
                )
                .await;
                assert_eq!(reply.status, 201, "{}", reply.text());
                fields.insert(slug, reply.json()["version"].as_i64().unwrap_or(1));
            }
            8 => {
                if let Some((slug, v)) = pick(rng, fields, |_| true) {
                    let reply = call(
                        &room.app,
                        Method::DELETE,
                        &format!("/api/v1/fields-of-work/{slug}"),
                        Some(key),
                        Some(v),
                        Value::Null,
                    )
                    .await;
                    assert_eq!(reply.status, 204, "{}", reply.text());
                    fields.remove(&slug);
                }
            }
            _ => {}
        }
    }
}

async fn a_mirror_ends_equal_to_the_api(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let key = room.key("editor", "read:drafts,write,publish,delete").await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(21);
    let mut mirror = Mirror::new();
    let mut cursor: Option<String> = None;
    let mut desk = Newsdesk::default();
    for step in 0..120 {
        if rng.random_range(0..10) < 9 {
            desk.write(&room, &key, &mut rng, step).await;
        } else {
            // The mirror reads a page or two of random size.
            for _ in 0..rng.random_range(1..3) {
                let limit = rng.random_range(1..40);
                let (next, _) =
                    mirror_page(&room.app, &mut mirror, cursor.as_deref(), limit, "").await;
                cursor = Some(next);
            }
        }
    }
    catch_up(&room.app, &mut mirror, cursor, 50, "").await;
    assert_mirrors(&room, &key, mirror, &desk).await;
    room.cleanup().await;
}

/// The same while the writes run on their own task: the mirror reads
/// whatever has committed at each moment, with a two-type filter (one query
/// per type in one snapshot).
async fn a_mirror_reading_during_writes_ends_equal(backend: Backend) {
    let Some(room) = Newsroom::open(backend).await else {
        return;
    };
    let room = std::sync::Arc::new(room);
    let key = room.key("editor", "read:drafts,write,publish,delete").await;
    let writer = {
        let (room, key) = (room.clone(), key.clone());
        tokio::spawn(async move {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
            let mut desk = Newsdesk::default();
            for step in 0..150 {
                desk.write(&room, &key, &mut rng, step).await;
            }
            desk
        })
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(8);
    let mut mirror = Mirror::new();
    let mut cursor: Option<String> = None;
    let types = "press_release,field_of_work";
    while !writer.is_finished() {
        let limit = rng.random_range(1..20);
        let (next, _) = mirror_page(&room.app, &mut mirror, cursor.as_deref(), limit, types).await;
        cursor = Some(next);
    }
    let desk = writer.await.unwrap();
    catch_up(&room.app, &mut mirror, cursor, 50, types).await;
    assert_mirrors(&room, &key, mirror, &desk).await;
    if let Ok(room) = std::sync::Arc::try_unwrap(room) {
        room.cleanup().await;
    }
}

/// The mirror equals the public API (releases and fields of work, with
/// versions), and no draft of the desk's ever reached it.
async fn assert_mirrors(room: &Newsroom, key: &str, mirror: Mirror, desk: &Newsdesk) {
    let public = public_state(room, key).await;
    let mirrored: Mirror = mirror
        .into_iter()
        .filter(|((kind, _), _)| kind == "press_release" || kind == "field_of_work")
        .collect();
    assert_eq!(mirrored, public);
    assert!(
        desk.releases
            .iter()
            .filter(|(_, (_, public))| !public)
            .all(|(slug, _)| !mirrored.contains_key(&("press_release".into(), slug.clone())))
    );
}

fn pick<V: Clone>(
    rng: &mut impl Rng,
    map: &BTreeMap<String, V>,
    fits: impl Fn(&V) -> bool,
) -> Option<(String, V)> {
    let candidates: Vec<_> = map.iter().filter(|(_, v)| fits(v)).collect();
    if candidates.is_empty() {
        return None;
    }
    let (k, v) = candidates[rng.random_range(0..candidates.len())];
    Some((k.clone(), v.clone()))
}

crate::backend_tests!(
    a_mirror_ends_equal_to_the_api,
    a_mirror_reading_during_writes_ends_equal,
);
