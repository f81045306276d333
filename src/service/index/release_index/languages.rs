//! The languages of each release (its own and its translations'), and for
//! a request's preference which one it is served in: what lists in one
//! language and searches of the served text are built on.

use super::*;
use crate::domain::LocalePreference;
use crate::search::text::Stemming;

impl ReleaseIndex {
    /// The own language of the release at `position`.
    fn original_at(&self, position: u32) -> Option<&str> {
        if let Some(entry) = self.entry(position) {
            return Some(&entry.language);
        }
        self.by_language
            .iter()
            .find(|(_, bitmap)| bitmap.contains(position))
            .map(|(language, _)| language.as_str())
    }

    /// The languages of the translations of the release at `position`, by tag.
    fn translations_at(&self, position: u32) -> Vec<&str> {
        let mut languages: Vec<&str> = match self.entry(position) {
            Some(entry) => entry.translations.iter().map(String::as_str).collect(),
            None => self
                .translation_languages
                .of(position)
                .iter()
                .filter_map(|&n| self.translation_tags.get(n as usize).map(|t| &**t))
                .collect(),
        };
        languages.sort_unstable();
        languages
    }

    /// The stemmings a search must look for its words in: those of every
    /// language a release may be served in under `preference` (any
    /// language the index holds when there is none).
    pub fn search_stemmings(&self, preference: Option<&LocalePreference>) -> Vec<Stemming> {
        let mut languages: Vec<&str> = Vec::new();
        match preference {
            Some(preference) => {
                languages.extend(preference.chain.iter().map(|t| t.as_str()));
                if !preference.strict {
                    languages.extend(self.own_languages());
                }
            }
            None => {
                languages.extend(self.own_languages());
                languages.extend(self.by_translation.keys().map(String::as_str));
                languages.extend(
                    self.overlay
                        .entries
                        .iter()
                        .flat_map(|e| e.translations.iter().map(String::as_str)),
                );
            }
        }
        let mut stemmings: Vec<Stemming> =
            languages.into_iter().map(Stemming::of_language).collect();
        stemmings.sort_unstable();
        stemmings.dedup();
        stemmings
    }

    /// The own languages of the releases the index holds.
    fn own_languages(&self) -> impl Iterator<Item = &str> {
        self.by_language
            .keys()
            .map(String::as_str)
            .chain(self.overlay.entries.iter().map(|e| e.language.as_str()))
    }

    /// Whether a match of the document in `slot` of release `position` is
    /// of the text `preference` serves (slot 0 is the release's own
    /// language, then its translations by tag).
    fn serves_slot(&self, position: u32, slot: u8, preference: &LocalePreference) -> bool {
        let translations = self.translations_at(position);
        let Some(original) = self.original_at(position) else {
            return false;
        };
        let matched = match slot {
            0 => original,
            n => match translations.get(usize::from(n) - 1) {
                Some(language) => language,
                None => return false,
            },
        };
        preference.choose(original, translations.iter().copied()) == Some(matched)
    }

    /// Whether release `id`'s document in `slot` is what `preference`
    /// serves of it (with none, any of its documents is).
    pub fn serves(&self, id: i64, slot: u8, preference: Option<&LocalePreference>) -> bool {
        match (self.position_of_id(id), preference) {
            (Some(position), Some(preference)) => self.serves_slot(position, slot, preference),
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// The positions and scores of search hits (release id, document slot,
    /// score, as the database found them): with a preference, only matches
    /// of the text it serves; without, each release's best match. Hits not
    /// in the index are left out.
    pub fn search_matches(
        &self,
        hits: impl IntoIterator<Item = (i64, u8, f64)>,
        preference: Option<&LocalePreference>,
    ) -> SearchMatches {
        let mut scores: Vec<(u32, f64)> = hits
            .into_iter()
            .filter_map(|(id, slot, score)| {
                let position = self.position_of_id(id)?;
                match preference {
                    Some(preference) if !self.serves_slot(position, slot, preference) => None,
                    _ => Some((position, score)),
                }
            })
            .collect();
        // Best score first within a position, then one per position.
        scores.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        scores.dedup_by_key(|(p, _)| *p);
        let positions =
            RoaringBitmap::from_sorted_iter(scores.iter().map(|(p, _)| *p)).unwrap_or_default();
        SearchMatches { positions, scores }
    }
}
