//! Building the index from the database's rows.

use super::*;
use crate::service::index::facet_cube::FacetCube;
use crate::storage::releases;
use chrono::NaiveDate;
use futures::TryStreamExt;
use roaring::RoaringBitmap;
use sea_orm::{DatabaseConnection, DbErr};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

/// Reads the whole index from the database in one consistent snapshot,
/// streaming rows so memory holds only the index itself; `progress` says
/// how far it is, in percent (releases, then each relation's links).
pub async fn build(db: &DatabaseConnection, progress: &AtomicU32) -> Result<ReleaseIndex, DbErr> {
    let rows = releases::index_rows(db).await?;
    let generation = rows.content_generation().await?;
    let total = rows.release_count().await?.max(1) as u64;
    // Releases are the first 40 %, each relation's links 15 % more.
    let report = |done: u64, of: u64, from: u32, span: u32| {
        let part = (done.min(of) * u64::from(span) / of.max(1)) as u32;
        progress.store(from + part, Ordering::Relaxed);
    };

    let mut index = Base {
        ids: Vec::new(),
        days: Vec::new(),
        position_by_id: Vec::new(),
        title_order: Vec::new(),
        title_rank: Vec::new(),
        title_samples: Vec::new(),
        by_field: HashMap::new(),
        by_country: HashMap::new(),
        by_source: HashMap::new(),
        by_person: HashMap::new(),
        by_meeting: HashMap::new(),
        by_language: HashMap::new(),
        by_translation: HashMap::new(),
        translation_languages: Links::default(),
        translation_tags: Vec::new(),
        source_of: Vec::new(),
        links: Default::default(),
        cube: None,
    };
    // Every title, concatenated (`title_ends[p]` ends position p's): only
    // while the title order is sorted.
    let (mut titles, mut title_ends) = (String::new(), Vec::<usize>::new());
    {
        let mut releases = std::pin::pin!(rows.releases_by_date().await?);
        let mut position = 0u32;
        while let Some(release) = releases.try_next().await? {
            index.ids.push(release.id);
            index.days.push(day_number(release.date));
            titles.push_str(&release.title);
            title_ends.push(titles.len());
            index
                .source_of
                .push(u32::try_from(release.source_id).unwrap_or(u32::MAX));
            index
                .by_source
                .entry(release.source_id)
                .or_default()
                .insert(position);
            index
                .by_language
                .entry(release.language)
                .or_default()
                .insert(position);
            position += 1;
            if position.is_multiple_of(65_536) {
                report(u64::from(position), total, 0, 40);
            }
        }
    }
    let max_id = index.ids.iter().copied().max().unwrap_or(0).max(0) as usize;
    index.position_by_id = vec![NO_POSITION; max_id + 1];
    for (position, &id) in index.ids.iter().enumerate() {
        if let Ok(id) = usize::try_from(id) {
            index.position_by_id[id] = position as u32;
        }
    }
    {
        let mut translations = std::pin::pin!(rows.translations().await?);
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut entries: Vec<(u32, i16, u32)> = Vec::new();
        while let Some((id, language)) = translations.try_next().await? {
            let position = usize::try_from(id)
                .ok()
                .and_then(|id| index.position_by_id.get(id).copied())
                .filter(|&p| p != NO_POSITION);
            if let Some(position) = position {
                let next = numbers.len() as u32;
                let number = *numbers.entry(language.clone()).or_insert(next);
                index
                    .by_translation
                    .entry(language)
                    .or_default()
                    .insert(position);
                entries.push((position, 0, number));
            }
        }
        index.translation_tags = vec![Box::from(""); numbers.len()];
        for (tag, number) in numbers {
            index.translation_tags[number as usize] = tag.into_boxed_str();
        }
        index.translation_languages = Links::build(index.ids.len(), entries);
    }
    let position_of = |index: &Base, date: NaiveDate, id: i64| {
        let key = (day_number(date), id);
        let p = index.partition(|k| k < key);
        (p < index.ids.len() && (index.days[p], index.ids[p]) == key).then_some(p as u32)
    };
    for (done, relation) in Relation::ALL.into_iter().enumerate() {
        report(done as u64, 4, 40, 60);
        let mut links = std::pin::pin!(rows.links(relation).await?);
        let mut bitmaps: HashMap<i64, RoaringBitmap> = HashMap::new();
        let mut entries: Vec<(u32, i16, u32)> = Vec::new();
        while let Some(link) = links.try_next().await? {
            if let Some(position) = position_of(&index, link.release_date, link.release_id) {
                bitmaps.entry(link.target).or_default().insert(position);
                if let Ok(target) = u32::try_from(link.target) {
                    entries.push((position, link.position, target));
                }
            }
        }
        index.links[relation as usize] = Links::build(index.ids.len(), entries);
        match relation {
            Relation::FieldsOfWork => index.by_field = bitmaps,
            Relation::Countries => index.by_country = bitmaps,
            Relation::People => index.by_person = bitmaps,
            Relation::Meetings => index.by_meeting = bitmaps,
        }
    }
    // Title order by code point, ties by date, then id (as the API
    // documents): the same on both backends whatever the database's
    // collation, and what overlay releases are merged into.
    let title_at = |p: u32| {
        let p = p as usize;
        let start = if p == 0 { 0 } else { title_ends[p - 1] };
        titles.get(start..title_ends[p]).unwrap_or("")
    };
    let mut title_order: Vec<u32> = (0..index.ids.len() as u32).collect();
    title_order.sort_unstable_by(|&a, &b| {
        let key = |p: u32| (title_at(p), index.days[p as usize], index.ids[p as usize]);
        key(a).cmp(&key(b))
    });
    index.title_samples = title_order
        .iter()
        .step_by(TITLE_SAMPLE as usize)
        .map(|&p| Box::from(title_at(p)))
        .collect();
    drop((titles, title_ends));
    index.title_order = title_order;
    index.title_rank = vec![0; index.ids.len()];
    for (rank, &position) in index.title_order.iter().enumerate() {
        index.title_rank[position as usize] = rank as u32;
    }
    for bitmap in index
        .by_field
        .values_mut()
        .chain(index.by_country.values_mut())
        .chain(index.by_source.values_mut())
        .chain(index.by_person.values_mut())
        .chain(index.by_meeting.values_mut())
        .chain(index.by_language.values_mut())
        .chain(index.by_translation.values_mut())
    {
        bitmap.optimize();
    }
    index.cube = FacetCube::build(
        index.ids.len(),
        |dim| index.map_of(dim).keys().copied().collect(),
        |dim, position| index.base_values_of(dim, position),
    );
    rows.finish().await?;
    progress.store(100, Ordering::Relaxed);
    Ok(ReleaseIndex {
        generation,
        layout: new_layout(),
        base: Arc::new(index),
        overlay: Default::default(),
    })
}
