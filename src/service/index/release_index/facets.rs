//! Facet counts: per field of work, country, source unit and year, for
//! the releases a filter matches, the base's and the overlay's.

use super::*;

impl ReleaseIndex {
    pub fn facets(&self, filter: &ReleaseFilter) -> Facets {
        // Few releases: visit them and count their values; many: intersect
        // each value's bitmap with them (the base's; overlay ones visited).
        let visit_below = self.ids.len() as u64 / VISIT_BELOW_SHARE;
        let base_len = self.base_len();
        let facet = |dim: Dim, leave: Leave| {
            if let Some(counts) = self.facet_from_cube(filter, dim, leave) {
                return counts;
            }
            let base = self.matching(filter, leave);
            let mut counted = Vec::new();
            if base.len() < visit_below {
                base.iter()
                    .for_each(|position| self.count_values(dim, position, &mut counted));
                return by_count(counted);
            }
            base.range(base_len..)
                .for_each(|position| self.count_values(dim, position, &mut counted));
            let mut counts: HashMap<i64, u64> = by_count(counted).into_iter().collect();
            for (key, bitmap) in self.map_of(dim) {
                let n = bitmap.intersection_len(&base);
                if n > 0 {
                    *counts.entry(*key).or_default() += n;
                }
            }
            most_first(counts.into_iter().collect())
        };
        let without_dates = self.matching(filter, Leave::Dates);
        let mut years: std::collections::BTreeMap<i32, u64> = Default::default();
        if let (Some(first), Some(last)) = (self.days.first(), self.days.last()) {
            for year in date_of(*first).year()..=date_of(*last).year() {
                let from = NaiveDate::from_ymd_opt(year, 1, 1);
                let to = NaiveDate::from_ymd_opt(year, 12, 31);
                let range = self.date_range(from, to);
                let n = without_dates.range_cardinality(range);
                if n > 0 {
                    years.insert(year, n);
                }
            }
        }
        for position in without_dates.range(base_len..) {
            let (day, _) = self.key_at(position);
            *years.entry(date_of(day).year()).or_default() += 1;
        }
        Facets {
            fields_of_work: facet(Dim::Fields, Leave::Fields),
            countries: facet(Dim::Countries, Leave::Countries),
            sources: facet(Dim::Sources, Leave::Sources),
            years: years.into_iter().rev().collect(),
        }
    }

    /// A facet summed from the cube, when the filter's other constraints
    /// are a date range and at most one dimension the cube counts by.
    pub(super) fn facet_from_cube(
        &self,
        filter: &ReleaseFilter,
        dim: Dim,
        leave: Leave,
    ) -> Option<Vec<(i64, u64)>> {
        let cube = self.cube.as_ref()?;
        let beyond_cube = filter.pinned.is_some()
            || filter.search.is_some()
            || !filter.people.is_empty()
            || !filter.meetings.is_empty()
            || filter.meetings_of_kinds.is_some()
            || !filter.languages.is_empty();
        if beyond_cube {
            return None;
        }
        let mut others = [
            (Dim::Fields, &filter.fields_of_work),
            (Dim::Countries, &filter.countries),
            (Dim::Sources, &filter.sources),
        ]
        .into_iter()
        .filter(|(d, values)| *d != dim && !values.is_empty());
        let given = match (others.next(), others.next()) {
            (None, _) => None,
            (Some((given, values)), None) => {
                let mut values = values.clone();
                values.sort_unstable();
                values.dedup();
                // Per-value counts add up only where a release has one value.
                if given != Dim::Sources && values.len() > 1 {
                    return None;
                }
                Some((given, values))
            }
            (Some(_), Some(_)) => return None,
        };
        let range = self.date_range(filter.date_from, filter.date_to);
        let (blocks, edges) = cube.split(range.clone());
        let mut counted = Vec::new();
        cube.add(
            dim,
            given.as_ref().map(|(d, v)| (*d, v.as_slice())),
            blocks,
            &mut counted,
        );
        let given_positions = given
            .as_ref()
            .map(|(d, values)| union_of(self.map_of(*d), values));
        for edge in edges.into_iter().filter(|e| !e.is_empty()) {
            match &given_positions {
                None => edge.for_each(|position| self.count_values(dim, position, &mut counted)),
                Some(positions) => positions
                    .range(edge)
                    .for_each(|position| self.count_values(dim, position, &mut counted)),
            }
        }
        // The cube counts the base as built: take out what is dead since,
        // and add the overlay's releases.
        if !self.overlay.is_empty() {
            let mut dead = Vec::new();
            self.overlay
                .dead
                .range(range.clone())
                .filter(|p| given_positions.as_ref().is_none_or(|g| g.contains(*p)))
                .for_each(|position| self.count_values(dim, position, &mut dead));
            for (id, n) in dead.into_iter().enumerate() {
                if let Some(count) = counted.get_mut(id) {
                    *count = count.saturating_sub(n);
                }
            }
            for position in self.overlay_matching(filter, leave) {
                self.count_values(dim, position, &mut counted);
            }
        }
        Some(by_count(counted))
    }

    /// The ids a release (base or overlay) has in `dim`.
    pub(super) fn values_of(&self, dim: Dim, position: u32) -> &[u32] {
        if let Some(entry) = self.entry(position) {
            return match dim {
                Dim::Fields => &entry.links[Relation::FieldsOfWork as usize],
                Dim::Countries => &entry.links[Relation::Countries as usize],
                Dim::Sources if entry.source != u32::MAX => std::slice::from_ref(&entry.source),
                Dim::Sources => &[],
            };
        }
        self.base.base_values_of(dim, position)
    }
}
