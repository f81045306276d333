//! Finding press releases defined twice in one import file in bounded
//! memory, whatever the file's size. Pass 1 puts each slug's 128-bit hash
//! into a Bloom filter of fixed size: a slug already (probably) there is a
//! candidate. The filter has no false negatives, so every true duplicate's
//! second occurrence is among the candidates, which are few (false
//! positives: well under 1% of releases while the filter has 8 bits or
//! more per release).
//! Pass 2, which reads the file again anyway, remembers where each
//! candidate first appears and stops the import at a second appearance,
//! before anything is committed.

use std::collections::{HashMap, HashSet};

/// Hash functions per key (`h1 + i·h2`, from the two halves of one hash).
const HASHES: u64 = 4;

/// The filter's size bounds: a filter grows with the file up to the upper
/// bound (8 bits per line of 256 bytes; releases take about 2 kB), then
/// stays there.
const MIN_BYTES: u64 = 64 << 10;
const MAX_BYTES: u64 = 16 << 20;

pub fn slug_hash(slug: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(slug.as_bytes())
}

/// Pass 1: which slugs may be defined twice.
pub struct DuplicateCandidates {
    bits: Vec<u64>,
    candidates: HashSet<u128>,
}

impl Default for DuplicateCandidates {
    fn default() -> Self {
        Self::for_file(Some(0))
    }
}

impl DuplicateCandidates {
    /// For a file of `file_size` bytes (`None` when unknown, e.g. standard
    /// input: the largest filter).
    pub fn for_file(file_size: Option<u64>) -> Self {
        let bytes = file_size.map_or(MAX_BYTES, |size| (size / 256).clamp(MIN_BYTES, MAX_BYTES));
        Self {
            bits: vec![0; (bytes / 8) as usize],
            candidates: HashSet::new(),
        }
    }

    pub fn add(&mut self, hash: u128) {
        let bit_count = self.bits.len() as u64 * 64;
        let (h1, h2) = (hash as u64, (hash >> 64) as u64 | 1);
        let mut already = true;
        for i in 0..HASHES {
            let bit = h1.wrapping_add(i.wrapping_mul(h2)) % bit_count;
            let (word, mask) = ((bit / 64) as usize, 1u64 << (bit % 64));
            already &= self.bits[word] & mask != 0;
            self.bits[word] |= mask;
        }
        if already {
            self.candidates.insert(hash);
        }
    }

    /// Frees the filter; what pass 2 needs is the candidates.
    pub fn finish(self) -> DuplicateCheck {
        DuplicateCheck {
            candidates: self.candidates,
            first_seen: HashMap::new(),
        }
    }
}

/// Pass 2: the line of each candidate's first appearance.
#[derive(Default)]
pub struct DuplicateCheck {
    candidates: HashSet<u128>,
    first_seen: HashMap<u128, u64>,
}

impl DuplicateCheck {
    /// `Err(first line)` if this slug appeared before, on that line.
    pub fn check(&mut self, hash: u128, line: u64) -> Result<(), u64> {
        if !self.candidates.contains(&hash) {
            return Ok(());
        }
        match self.first_seen.insert(hash, line) {
            Some(first) => Err(first),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_duplicate_is_found_and_reported_with_its_first_line() {
        let slugs: Vec<String> = (0..200_000).map(|n| format!("release-{n}")).collect();
        let mut pass1 = DuplicateCandidates::for_file(Some(10_000));
        for slug in &slugs {
            pass1.add(slug_hash(slug));
        }
        pass1.add(slug_hash("release-17"));
        // A deliberately small filter: many false candidates, none harmful.
        assert!(pass1.candidates.len() > 1);
        let mut pass2 = pass1.finish();
        for (line, slug) in slugs.iter().enumerate() {
            assert_eq!(pass2.check(slug_hash(slug), line as u64 + 1), Ok(()));
        }
        assert_eq!(pass2.check(slug_hash("release-17"), 200_001), Err(18));
    }

    #[test]
    fn a_filter_of_the_right_size_makes_few_candidates() {
        let mut pass1 = DuplicateCandidates::for_file(Some(2_200 * 100_000));
        for n in 0..100_000 {
            pass1.add(slug_hash(&format!("release-{n}")));
        }
        assert!(pass1.candidates.len() < 100, "{}", pass1.candidates.len());
    }
}
