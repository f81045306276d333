//! Facet counts summed ahead of time, so that a filter UI's facets cost
//! microseconds, not a visit of every matching release.
//!
//! The release index is in date order, so a date range is a run of whole
//! *blocks* of positions plus two partial ones. For each block the cube
//! holds, for each facet dimension, how many releases carry each value:
//! overall, and per value of each other dimension. A facet whose other
//! constraints are a date range plus at most one dimension (one field of
//! work, one country, or any number of source units: a release has one
//! source, so per-source counts add up) is then a sum over whole blocks and
//! a visit of the partial ones. Everything else is counted as before.
//!
//! Built with the index, from it, and dropped with it: nothing to maintain.

/// A dimension that has a facet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dim {
    Fields = 0,
    Countries = 1,
    Sources = 2,
}

pub const DIMS: [Dim; 3] = [Dim::Fields, Dim::Countries, Dim::Sources];

/// About this many blocks, whatever the corpus size: the cube's size stays
/// constant and a partial block is under 1% of the corpus.
const BLOCKS: usize = 128;
const MIN_BLOCK: usize = 64;

/// Ids at or above this are not given slots (the cube is then not built):
/// these tables hold dozens of rows with small ids.
const MAX_ID: u32 = 1 << 16;

pub struct FacetCube {
    block: usize,
    blocks: usize,
    /// Per dimension: slot → id, and id → slot (`NO_SLOT` if none).
    ids: [Vec<u32>; 3],
    slots: [Vec<u16>; 3],
    /// `counts[x][given]`: for `given` 0 (no condition) a table of
    /// `blocks × n(x)`, for `given` 1 + d a table of `blocks × n(d) × n(x)`
    /// (empty when d is x itself).
    counts: [[Vec<u32>; 4]; 3],
}

const NO_SLOT: u16 = u16::MAX;

impl FacetCube {
    /// Counts over `len` positions; `values(dim, position)` are the ids a
    /// release has in that dimension, and `keys(dim)` every id that occurs.
    pub fn build<'a>(
        len: usize,
        keys: impl Fn(Dim) -> Vec<i64>,
        values: impl Fn(Dim, u32) -> &'a [u32],
    ) -> Option<FacetCube> {
        let block = (len / BLOCKS).next_power_of_two().max(MIN_BLOCK);
        let blocks = len.div_ceil(block);
        let mut ids: [Vec<u32>; 3] = Default::default();
        let mut slots: [Vec<u16>; 3] = Default::default();
        for dim in DIMS {
            let mut keys: Vec<u32> = keys(dim)
                .into_iter()
                .map(|k| u32::try_from(k).ok().filter(|&k| k < MAX_ID))
                .collect::<Option<_>>()?;
            keys.sort_unstable();
            let mut by_id = vec![NO_SLOT; keys.last().map_or(0, |&k| k as usize + 1)];
            for (slot, &key) in keys.iter().enumerate() {
                by_id[key as usize] = u16::try_from(slot).ok().filter(|&s| s != NO_SLOT)?;
            }
            ids[dim as usize] = keys;
            slots[dim as usize] = by_id;
        }
        let n = |dim: Dim| ids[dim as usize].len();
        let mut counts: [[Vec<u32>; 4]; 3] = Default::default();
        for x in DIMS {
            counts[x as usize][0] = vec![0; blocks * n(x)];
            for given in DIMS.into_iter().filter(|&g| g != x) {
                counts[x as usize][1 + given as usize] = vec![0; blocks * n(given) * n(x)];
            }
        }
        let slot = |dim: Dim, id: u32| {
            slots[dim as usize]
                .get(id as usize)
                .copied()
                .filter(|&s| s != NO_SLOT)
                .map(usize::from)
        };
        let mut held: [Vec<usize>; 3] = Default::default();
        for position in 0..len as u32 {
            let b = position as usize / block;
            for dim in DIMS {
                held[dim as usize].clear();
                held[dim as usize]
                    .extend(values(dim, position).iter().filter_map(|&id| slot(dim, id)));
            }
            for x in DIMS {
                let nx = n(x);
                for &xs in &held[x as usize] {
                    counts[x as usize][0][b * nx + xs] += 1;
                }
                for given in DIMS.into_iter().filter(|&g| g != x) {
                    let ng = n(given);
                    let table = &mut counts[x as usize][1 + given as usize];
                    for &gs in &held[given as usize] {
                        for &xs in &held[x as usize] {
                            table[(b * ng + gs) * nx + xs] += 1;
                        }
                    }
                }
            }
        }
        Some(FacetCube {
            block,
            blocks,
            ids,
            slots,
            counts,
        })
    }

    /// The whole blocks inside `range`, and the positions of `range` outside them.
    pub fn split(
        &self,
        range: std::ops::Range<u32>,
    ) -> (std::ops::Range<usize>, [std::ops::Range<u32>; 2]) {
        let (start, end) = (range.start as usize, range.end as usize);
        let first = start.div_ceil(self.block);
        let last = (end / self.block).min(self.blocks);
        if first >= last {
            return (0..0, [range, 0..0]);
        }
        (
            first..last,
            [
                range.start..(first * self.block) as u32,
                (last * self.block) as u32..range.end,
            ],
        )
    }

    /// Adds to `counted` (indexed by id) the releases of `blocks` per value
    /// of `x`: all of them, or those having one of `given`'s ids (for a
    /// dimension with several values per release, pass one id only).
    pub fn add(
        &self,
        x: Dim,
        given: Option<(Dim, &[i64])>,
        blocks: std::ops::Range<usize>,
        counted: &mut Vec<u64>,
    ) {
        let ids = &self.ids[x as usize];
        let nx = ids.len();
        if let Some(&largest) = ids.last()
            && counted.len() <= largest as usize
        {
            counted.resize(largest as usize + 1, 0);
        }
        let mut add_rows = |table: &[u32], rows: &mut dyn Iterator<Item = usize>| {
            for row in rows {
                for (xs, &n) in table[row * nx..(row + 1) * nx].iter().enumerate() {
                    counted[ids[xs] as usize] += u64::from(n);
                }
            }
        };
        match given {
            None => add_rows(&self.counts[x as usize][0], &mut blocks.clone()),
            Some((dim, values)) => {
                let ng = self.ids[dim as usize].len();
                let given_slots: Vec<usize> = values
                    .iter()
                    .filter_map(|&id| {
                        let id = usize::try_from(id).ok()?;
                        let s = *self.slots[dim as usize].get(id)?;
                        (s != NO_SLOT).then_some(usize::from(s))
                    })
                    .collect();
                let table = &self.counts[x as usize][1 + dim as usize];
                for b in blocks {
                    add_rows(table, &mut given_slots.iter().map(|&gs| b * ng + gs));
                }
            }
        }
    }

    /// Bytes held (for the index's size in logs).
    pub fn bytes(&self) -> usize {
        let counts: usize = self.counts.iter().flatten().map(|t| t.len() * 4).sum();
        let slots: usize = self.slots.iter().map(|s| s.len() * 2).sum();
        counts + slots + self.ids.iter().map(|i| i.len() * 4).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fields and countries per position; one source each.
    fn cube(fields: &[Vec<u32>], countries: &[Vec<u32>], sources: &[u32]) -> Option<FacetCube> {
        let keys = |dim: Dim| -> Vec<i64> {
            let mut all: Vec<u32> = match dim {
                Dim::Fields => fields.iter().flatten().copied().collect(),
                Dim::Countries => countries.iter().flatten().copied().collect(),
                Dim::Sources => sources.to_vec(),
            };
            all.sort_unstable();
            all.dedup();
            all.into_iter().map(i64::from).collect()
        };
        FacetCube::build(fields.len(), keys, |dim, p| match dim {
            Dim::Fields => &fields[p as usize],
            Dim::Countries => &countries[p as usize],
            Dim::Sources => std::slice::from_ref(&sources[p as usize]),
        })
    }

    #[test]
    fn sums_whole_blocks_per_value_and_per_given_value() {
        let n = 1000usize;
        let fields: Vec<Vec<u32>> = (0..n).map(|p| vec![1 + (p % 3) as u32]).collect();
        let countries: Vec<Vec<u32>> = (0..n)
            .map(|p| if p % 2 == 0 { vec![7, 9] } else { vec![9] })
            .collect();
        let sources: Vec<u32> = (0..n).map(|p| 20 + (p % 5) as u32).collect();
        let cube = cube(&fields, &countries, &sources).unwrap();
        assert_eq!(cube.block, 64);
        let (blocks, edges) = cube.split(10..900);
        assert_eq!(blocks, 1..14);
        assert_eq!(edges, [10..64, 896..900]);

        let brute = |range: std::ops::Range<usize>, keep: &dyn Fn(usize) -> bool| {
            let mut counted = vec![0u64; 10];
            for p in range.filter(|&p| keep(p)) {
                for &c in &countries[p] {
                    counted[c as usize] += 1;
                }
            }
            counted
        };
        let mut counted = Vec::new();
        cube.add(Dim::Countries, None, blocks.clone(), &mut counted);
        assert_eq!(counted, brute(64..896, &|_| true));

        let mut counted = Vec::new();
        cube.add(
            Dim::Countries,
            Some((Dim::Fields, &[2])),
            blocks.clone(),
            &mut counted,
        );
        assert_eq!(counted, brute(64..896, &|p| fields[p].contains(&2)));

        let mut counted = Vec::new();
        cube.add(
            Dim::Countries,
            Some((Dim::Sources, &[21, 23, 99])),
            blocks,
            &mut counted,
        );
        assert_eq!(counted, brute(64..896, &|p| [21, 23].contains(&sources[p])));
    }

    #[test]
    fn a_range_inside_one_block_is_all_edge() {
        let cube = cube(&vec![vec![1]; 100], &vec![vec![2]; 100], &[3; 100]).unwrap();
        assert_eq!(cube.split(3..50), (0..0, [3..50, 0..0]));
        assert_eq!(cube.split(0..100), (0..1, [0..0, 64..100]));
    }
}
