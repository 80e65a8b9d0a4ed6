//! Weighted mean, median, 90th percentile and maximum of integer keys (millimetres, milliseconds)
//! without sorting them all: two streaming passes and small histograms.
//!
//! Pass 1 sums the weights and the weighted keys, finds the largest key and fills a log-linear
//! histogram (64 bins per power of two, one bin per key below 128; negative keys mirrored), about
//! 60 KB a quantity, so it stays in cache. The bin where the cumulative weight reaches a quantile
//! holds the answer. Pass 2 gathers only the items in that bin (a bin is under 1/64 of its keys
//! wide), found by a one-byte tag of their bin that pass 1 noted; they are sorted and scanned.
//! The answer is the smallest key whose cumulative weight reaches `q` × total (within 1e-12
//! relative), exactly what a sort and a cumulative scan give.

use super::summary::Distribution;
use crate::prefetch::AHEAD;

/// Sub-bins per power of two.
const MANT_BITS: u32 = 6;
/// Bins for the magnitudes 0..=u64::MAX.
const MAG_BINS: usize = ((64 - MANT_BITS as usize) << MANT_BITS) + (1 << MANT_BITS);
/// Bins for all of i64: negative magnitudes mirrored below the non-negative ones.
const BINS: usize = 2 * MAG_BINS;

/// The log-linear bin of a magnitude: the magnitude itself below 128, then 64 bins per power of
/// two. Below 2^53 a magnitude converts to `f64` exactly, and the float's exponent and top
/// mantissa bits are the bin: one conversion, where finding the leading bit and shifting by it
/// took twice as long (pass 1 works out a bin per item and quantity).
///
/// Small and large magnitudes come mixed (changes of nothing among changes of kilometres): a
/// coin toss for the branch predictor, so both bins are worked out and one is chosen through a
/// mask.
#[inline]
fn mag_bin(v: u64) -> usize {
    if v < 1 << 53 {
        let bits = (v as i64 as f64).to_bits();
        // Wraps for the small magnitudes, whose bin is the magnitude itself.
        let large = (bits >> (52 - MANT_BITS))
            .wrapping_sub((1023 + MANT_BITS as u64 - 1) << MANT_BITS) as usize;
        choose(v < 1 << MANT_BITS, v as usize, large)
    } else {
        mag_bin_exact(v)
    }
}

/// `a` if `take`, else `b`, through a mask (no branch).
#[inline(always)]
fn choose(take: bool, a: usize, b: usize) -> usize {
    let m = (take as usize).wrapping_neg();
    (a & m) | (b & !m)
}

/// [`mag_bin`] from the leading bit, for any magnitude.
#[inline]
fn mag_bin_exact(v: u64) -> usize {
    if v < 1 << MANT_BITS {
        v as usize
    } else {
        let e = 63 - v.leading_zeros(); // >= MANT_BITS
        (((e - MANT_BITS + 1) as usize) << MANT_BITS)
            | ((v >> (e - MANT_BITS)) as usize & ((1 << MANT_BITS) - 1))
    }
}

/// The bin of a key: non-decreasing in the key, so bins in order hold keys in order.
/// (Gains and losses come mixed too: the side is chosen through a mask.)
#[inline]
fn bin(key: i64) -> usize {
    let m = mag_bin(key.unsigned_abs());
    choose(key < 0, MAG_BINS - 1 - m, MAG_BINS + m)
}

/// The smallest and largest magnitude of magnitude bin `m`.
#[cfg(test)]
fn mag_range(m: usize) -> (u64, u64) {
    if m < 1 << MANT_BITS {
        (m as u64, m as u64)
    } else {
        let shift = (m >> MANT_BITS) as u32 - 1; // e - MANT_BITS
        let lo = (((1 << MANT_BITS) | (m & ((1 << MANT_BITS) - 1))) as u64) << shift;
        (lo, lo + ((1u64 << shift) - 1))
    }
}

/// The smallest and largest key of bin `b` (clamped to i64): what the tests check bins against.
#[cfg(test)]
fn key_range(b: usize) -> (i64, i64) {
    let clamp = |v: i128| v.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    if b < MAG_BINS {
        let (lo, hi) = mag_range(MAG_BINS - 1 - b);
        (clamp(-(hi as i128)), clamp(-(lo as i128)))
    } else {
        let (lo, hi) = mag_range(b - MAG_BINS);
        (clamp(lo as i128), clamp(hi as i128))
    }
}

/// Whether every key in `b`'s bin is the same key (the bins of magnitudes below 128, where
/// bin and magnitude are equal).
fn single_key(b: usize) -> bool {
    let m = if b < MAG_BINS {
        MAG_BINS - 1 - b
    } else {
        b - MAG_BINS
    };
    m < 2 << MANT_BITS
}

/// Items per chunk of the parallel passes. The chunks are fixed by `n` alone and their partial
/// sums are added in chunk order, so every sum is the same whatever the thread count.
pub(crate) const CHUNK: usize = 1 << 16;

/// `f` over consecutive ranges of `0..n` of [`CHUNK`] items, in parallel; results in order.
pub(crate) fn chunked<T: Send>(n: usize, f: impl Fn(std::ops::Range<usize>) -> T + Sync) -> Vec<T> {
    use rayon::prelude::*;
    (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| f(c * CHUNK..((c + 1) * CHUNK).min(n)))
        .collect()
}

/// The items of [`distributions_tallied`]: each one's keys and weights, and what pass 1 counts
/// beside them. A trait rather than two closures, so that its methods are inlined into the
/// passes: a closure of a few dozen lines was left out of line, and pass 1 read each item's
/// values back from the stack.
pub(crate) trait Items<const K: usize>: Sync {
    /// What pass 1 counts, per chunk.
    type Tally: Default + Send;
    /// Per quantity, item `i`'s key (thousandths of the unit) and weight, or `None` when it has
    /// no value for it; items of weight <= 0 are ignored.
    fn item(&self, i: usize) -> [Option<(i64, f64)>; K];
    /// Called once for each item in pass 1, with what [`Items::item`] gave (so it is not worked
    /// out twice).
    fn tally(&self, t: &mut Self::Tally, i: usize, values: &[Option<(i64, f64)>; K]);
    /// Asks for what [`Items::item`] reads for item `i`, which pass 2 is about to read (see
    /// [`crate::prefetch`]). Nothing by default.
    #[inline(always)]
    fn prefetch(&self, _i: usize) {}
}

/// Items given by a closure, counting nothing.
struct ByFn<F>(F);

impl<const K: usize, F: Fn(usize) -> [Option<(i64, f64)>; K] + Sync> Items<K> for ByFn<F> {
    type Tally = ();
    #[inline(always)]
    fn item(&self, i: usize) -> [Option<(i64, f64)>; K] {
        (self.0)(i)
    }
    #[inline(always)]
    fn tally(&self, _: &mut (), _: usize, _: &[Option<(i64, f64)>; K]) {}
}

/// Weighted distributions of `K` quantities over items `0..n`. `item(i)` gives, per quantity,
/// the key (thousandths of the unit) and the weight, or `None` when the item has no value for
/// it; items of weight <= 0 are ignored. In parallel over fixed chunks (see [`CHUNK`]): the same
/// answer whatever the thread count.
pub(crate) fn distributions<const K: usize>(
    n: usize,
    item: impl Fn(usize) -> [Option<(i64, f64)>; K] + Sync,
) -> [Distribution; K] {
    distributions_tallied(n, &ByFn(item)).0
}

/// [`distributions`] of `items`, with their tallies made on a fresh [`Items::Tally`] per
/// chunk: the chunks' tallies come back in chunk order (so that sums added in that order are
/// the same whatever the thread count), and counts need no pass of their own.
pub(crate) fn distributions_tallied<const K: usize, I: Items<K>>(
    n: usize,
    items: &I,
) -> ([Distribution; K], Vec<I::Tally>) {
    const QS: [f64; 2] = [0.5, 0.9];
    // Pass 1, per chunk: weight, weighted sum, largest key and the histogram (one flat buffer,
    // quantity after quantity), and the low byte of each item's bins: a tag, so that pass 2
    // works out again only the keys of items whose tag matches (1 byte an item and quantity,
    // where whole bins would take 2; the peak memory counts).
    let mut parts = chunked(n, |range| {
        let mut total = [0.0f64; K];
        let mut sum = [0.0f64; K];
        let mut hi = [i64::MIN; K];
        let mut hist = vec![0.0f64; K * BINS];
        // One run of tags per quantity, so that pass 2 scans each run many bytes at a time;
        // written in place (a push a value and quantity kept its length in memory).
        let mut tags: [Vec<u8>; K] = std::array::from_fn(|_| vec![u8::MAX; range.len()]);
        let start = range.start;
        let mut t = I::Tally::default();
        for i in range {
            let values = items.item(i);
            items.tally(&mut t, i, &values);
            for (k, v) in values.into_iter().enumerate() {
                let mut tag = u8::MAX;
                if let Some((key, w)) = v
                    && w > 0.0
                {
                    total[k] += w;
                    sum[k] += key as f64 / 1000.0 * w;
                    hi[k] = hi[k].max(key);
                    let at = bin(key);
                    hist[k * BINS + at] += w;
                    tag = at as u8;
                }
                tags[k][i - start] = tag;
            }
        }
        (total, sum, hi, hist, tags, t)
    });
    let mut total = [0.0f64; K];
    let mut sum = [0.0f64; K];
    let mut hi = [i64::MIN; K];
    let mut hist = vec![0.0f64; K * BINS];
    for (t, s, h, part, _, _) in &mut parts {
        for k in 0..K {
            total[k] += t[k];
            sum[k] += s[k];
            hi[k] = hi[k].max(h[k]);
        }
        for (a, b) in hist.iter_mut().zip(part.iter()) {
            *a += b;
        }
        // The histograms are merged: free them before pass 2.
        *part = Vec::new();
    }
    let (tags, tallies): (Vec<[Vec<u8>; K]>, Vec<I::Tally>) =
        parts.into_iter().map(|p| (p.4, p.5)).unzip();
    // Per quantity and quantile: the bin holding the answer, the weight below it, the target.
    let mut at = [[(0usize, 0.0f64, 0.0f64); 2]; K];
    for k in 0..K {
        let h = &hist[k * BINS..(k + 1) * BINS];
        for (j, q) in QS.into_iter().enumerate() {
            let target = q * total[k] * (1.0 - 1e-12);
            let (mut cum, mut last, mut found) = (0.0, (0, 0.0), None);
            for (b, &w) in h.iter().enumerate() {
                if w > 0.0 {
                    if cum + w >= target {
                        found = Some((b, cum));
                        break;
                    }
                    last = (b, cum);
                }
                cum += w;
            }
            // If rounding leaves the target just out of reach: the last bin holding weight.
            let (b, below) = found.unwrap_or(last);
            at[k][j] = (b, below, target);
        }
    }
    // Pass 2, only for bins wider than one key: gather their items, in input order. Per chunk
    // and quantity, one scan of the tags finds the places whose tag is either quantile's bin's
    // (a vector compare a block of tags); bins with the same tag are 4 powers of two apart, so
    // nearly every place found is in one of the bins. Their items are then read again, asked
    // for ahead: tens of thousands in a million, far apart, and read in turn each waited on
    // memory (pass 2 took about 3 ms of the 1M homes' summary, nearly all of it so).
    let wanted: [[Option<usize>; 2]; K] = std::array::from_fn(|k| {
        std::array::from_fn(|j| (total[k] > 0.0 && !single_key(at[k][j].0)).then_some(at[k][j].0))
    });
    let mut gathered: [[Vec<(i64, f64)>; 2]; K] = std::array::from_fn(|_| Default::default());
    if wanted.iter().flatten().any(Option::is_some) {
        let parts = chunked(n, |range| {
            let mut g: Vec<(usize, usize, i64, f64)> = Vec::new();
            let mut found: Vec<usize> = Vec::new();
            let chunk = &tags[range.start / CHUNK];
            for (k, &[b0, b1]) in wanted.iter().enumerate() {
                let Some(b) = b0.or(b1) else { continue };
                let want = (b as u8, b1.unwrap_or(b) as u8);
                found.clear();
                let (blocks, rest) = chunk[k].as_chunks::<BLOCK>();
                for (c, block) in blocks.iter().enumerate() {
                    let mut hits = matching(block, want);
                    while hits != 0 {
                        found.push(range.start + c * BLOCK + hits.trailing_zeros() as usize);
                        hits &= hits - 1;
                    }
                }
                let done = range.start + blocks.len() * BLOCK;
                found.extend(
                    (rest.iter().enumerate())
                        .filter(|&(_, &t)| t == want.0 || t == want.1)
                        .map(|(o, _)| done + o),
                );
                for (h, &i) in found.iter().enumerate() {
                    if let Some(&ahead) = found.get(h + AHEAD) {
                        items.prefetch(ahead);
                    }
                    if let Some((key, w)) = items.item(i)[k]
                        && w > 0.0
                    {
                        let at = bin(key);
                        for (j, want) in [b0, b1].into_iter().enumerate() {
                            if want == Some(at) {
                                g.push((k, j, key, w));
                            }
                        }
                    }
                }
            }
            g
        });
        for (k, j, key, w) in parts.into_iter().flatten() {
            gathered[k][j].push((key, w));
        }
    }
    // A stable sort: equal keys keep input order, as a sort of every item would.
    for g in gathered.iter_mut().flatten() {
        sort_in_bin(g);
    }
    let quantile = |k: usize, j: usize| -> f64 {
        let (b, below, target) = at[k][j];
        let g = &gathered[k][j];
        if g.is_empty() {
            // A one-key bin: its key, rebuilt from the bin.
            return key_of_single(b) as f64 / 1000.0;
        }
        let mut cum = below;
        for &(key, w) in g.iter() {
            cum += w;
            if cum >= target {
                return key as f64 / 1000.0;
            }
        }
        g[g.len() - 1].0 as f64 / 1000.0
    };
    let dists = std::array::from_fn(|k| {
        if total[k] <= 0.0 {
            return Distribution {
                mean: f64::NAN,
                median: f64::NAN,
                p90: f64::NAN,
                max: f64::NAN,
            };
        }
        Distribution {
            mean: sum[k] / total[k],
            median: quantile(k, 0),
            p90: quantile(k, 1),
            max: hi[k] as f64 / 1000.0,
        }
    });
    (dists, tallies)
}

/// Tags in a block of pass 2's scan.
const BLOCK: usize = 32;

/// A bit per tag of `block` equal to either of `want`: a loop of fixed length, which compiles to
/// vector compares and a byte mask.
#[inline(always)]
fn matching(block: &[u8; BLOCK], want: (u8, u8)) -> u32 {
    let mut m = 0u32;
    for (o, &t) in block.iter().enumerate() {
        m |= ((t == want.0) as u32 | (t == want.1) as u32) << o;
    }
    m
}

/// Sorts items by key, stably (equal keys keep their order): least significant digit first,
/// 8 bits a pass over the keys' offsets from the least. The items of one bin differ in their low
/// bits alone (a bin is under 1/64 of its keys wide), so two or three passes sort tens of
/// thousands of them, where a comparison sort took 1.2-1.4 ms for a summary's quantiles.
fn sort_in_bin(g: &mut Vec<(i64, f64)>) {
    let Some(least) = g.iter().map(|x| x.0).min() else {
        return;
    };
    let offset = |x: &(i64, f64)| x.0.wrapping_sub(least) as u64;
    let span = g.iter().map(offset).max().unwrap_or(0);
    let bits = 64 - span.leading_zeros();
    let mut from = std::mem::take(g);
    let mut to = vec![(0, 0.0); from.len()];
    for shift in (0..bits).step_by(8) {
        let digit = |x: &(i64, f64)| (offset(x) >> shift) as usize & 0xFF;
        let mut start = [0usize; 256];
        for x in &from {
            start[digit(x)] += 1;
        }
        let mut at = 0;
        for s in &mut start {
            (*s, at) = (at, at + *s);
        }
        for x in &from {
            let d = digit(x);
            to[start[d]] = *x;
            start[d] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    *g = from;
}

/// The one key of a one-key bin.
fn key_of_single(b: usize) -> i64 {
    if b < MAG_BINS {
        -((MAG_BINS - 1 - b) as i64)
    } else {
        (b - MAG_BINS) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definition: sort, then scan cumulative weights.
    fn by_sorting(v: &[(i64, f64)], q: f64) -> f64 {
        let mut v: Vec<(i64, f64)> = v.iter().copied().filter(|x| x.1 > 0.0).collect();
        v.sort_by_key(|x| x.0);
        let total: f64 = v.iter().map(|x| x.1).sum();
        let mut cum = 0.0;
        for &(x, w) in &v {
            cum += w;
            if cum >= q * total * (1.0 - 1e-12) {
                return x as f64 / 1000.0;
            }
        }
        v[v.len() - 1].0 as f64 / 1000.0
    }

    #[test]
    fn agrees_with_sorting() {
        let mut seed = 1u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 33
        };
        for case in 0..200 {
            let n = 1 + (next() % 3000) as usize;
            let spread = [10, 1000, 1 << 20, 1 << 40][case % 4];
            let v: Vec<(i64, f64)> = (0..n)
                .map(|_| {
                    let key = (next() as i64 % spread) - spread / 3;
                    let w = [1.0, (next() % 7) as f64, 0.5 + (next() % 100) as f64 / 7.0][case % 3];
                    (key, w)
                })
                .collect();
            let [d] = distributions(n, |i| [Some(v[i])]);
            if v.iter().all(|x| x.1 <= 0.0) {
                assert!(d.median.is_nan());
                continue;
            }
            assert_eq!(d.median, by_sorting(&v, 0.5), "case {case}");
            assert_eq!(d.p90, by_sorting(&v, 0.9), "case {case}");
            let max = v.iter().filter(|x| x.1 > 0.0).map(|x| x.0).max().unwrap();
            assert_eq!(d.max, max as f64 / 1000.0);
        }
    }

    #[test]
    fn float_bins_are_the_exact_bins() {
        let mut rng = crate::SplitMix64::new(3);
        let mut keys: Vec<u64> = (0..100_000)
            .map(|_| rng.next_u64() >> (rng.next_u64() % 64))
            .collect();
        keys.extend((0..64).flat_map(|e| [(1u64 << e).wrapping_sub(1), 1 << e, (1u64 << e) + 1]));
        keys.extend([u64::MAX, u64::MAX - 1, (1 << 53) - 1, 1 << 53]);
        for v in keys {
            assert_eq!(mag_bin(v), mag_bin_exact(v), "{v}");
        }
    }

    #[test]
    fn bins_follow_keys() {
        let mut keys: Vec<i64> = vec![i64::MIN, i64::MIN + 1, -1, 0, 1, 63, 64, 65, 127, 128];
        keys.extend((0..62).flat_map(|e| [(1i64 << e) - 1, 1 << e, (1 << e) + 1]));
        keys.extend(keys.clone().iter().map(|k| k.saturating_neg()));
        keys.push(i64::MAX);
        keys.sort();
        for w in keys.windows(2) {
            assert!(bin(w[0]) <= bin(w[1]), "{} {}", w[0], w[1]);
            assert!(bin(w[1]) < BINS);
        }
        for k in -127..128 {
            assert!(single_key(bin(k)));
            assert_eq!(key_of_single(bin(k)), k);
        }
        assert!(!single_key(bin(128)) && !single_key(bin(-128)));
        // Each bin's key range holds exactly the keys of that bin.
        for &k in &keys {
            let (lo, hi) = key_range(bin(k));
            assert!(lo <= k && k <= hi, "{k}: {lo}..={hi}");
            assert_eq!((bin(lo), bin(hi)), (bin(k), bin(k)), "{k}");
            if lo > i64::MIN {
                assert!(bin(lo - 1) < bin(k), "{k}");
            }
            if hi < i64::MAX {
                assert!(bin(hi + 1) > bin(k), "{k}");
            }
        }
        assert_eq!(bin(128), bin(129));
    }

    /// Changes: most keys zero, the rest spread either side, as when few sites close.
    #[test]
    fn agrees_with_sorting_on_ties() {
        let mut rng = crate::SplitMix64::new(7);
        let mut next = || rng.next_u64() >> 33;
        for case in 0..300 {
            let n = 1 + (next() % 5000) as usize;
            let zero_share = [0, 50, 90, 100][case % 4];
            let v: Vec<(i64, f64)> = (0..n)
                .map(|_| {
                    let key = if (next() % 100) < zero_share {
                        0
                    } else {
                        let k = (next() % 40_000) as i64 * [1, 100, 1000][case % 3];
                        if next() % 4 == 0 { -k } else { k }
                    };
                    (key, [1.0, (next() % 5) as f64][case % 2])
                })
                .collect();
            let [d] = distributions(n, |i| [Some(v[i])]);
            if v.iter().all(|x| x.1 <= 0.0) {
                continue;
            }
            assert_eq!(d.median, by_sorting(&v, 0.5), "case {case}");
            assert_eq!(d.p90, by_sorting(&v, 0.9), "case {case}");
        }
    }

    /// Two quantities over several chunks (whose lengths are not whole blocks of tags), with
    /// items missing from one or both: each quantity's tags are scanned once for both of its
    /// quantiles. In the second quantity the median and the 90th percentile share a bin.
    #[test]
    fn two_quantities_over_chunks_agree_with_sorting() {
        let mut rng = crate::SplitMix64::new(11);
        for case in 0..6 {
            let n = 2 * CHUNK + 1 + (rng.next_u64() % 5000) as usize;
            let v: Vec<[Option<(i64, f64)>; 2]> = (0..n)
                .map(|_| {
                    let r = rng.next_u64();
                    let w = [1.0, (r % 5) as f64][case % 2];
                    let spread = (r >> 8) as i64 % 2_000_000 - 100_000;
                    let narrow = 1_000_000 + (r >> 32) as i64 % 7_000;
                    let present = [!r.is_multiple_of(7), !r.is_multiple_of(11)];
                    [
                        present[0].then_some((spread, w)),
                        present[1].then_some((narrow, w)),
                    ]
                })
                .collect();
            let [d0, d1] = distributions(n, |i| v[i]);
            let of = |k: usize| -> Vec<(i64, f64)> { v.iter().filter_map(|x| x[k]).collect() };
            let (v0, v1) = (of(0), of(1));
            assert_eq!(
                bin(1_000_000),
                bin(1_006_999),
                "one bin for the narrow keys"
            );
            assert_eq!(d0.median, by_sorting(&v0, 0.5), "case {case}");
            assert_eq!(d0.p90, by_sorting(&v0, 0.9), "case {case}");
            assert_eq!(d1.median, by_sorting(&v1, 0.5), "case {case}");
            assert_eq!(d1.p90, by_sorting(&v1, 0.9), "case {case}");
        }
    }

    /// Keys 4 powers of two apart share a bin's tag: pass 2 must still take only the items of
    /// the quantile's own bin.
    #[test]
    fn same_tag_bins_are_told_apart() {
        let v: Vec<(i64, f64)> = [
            1000, 1001, 1002, 1003, 1004, 16000, 16001, 16002, 16003, 16004,
        ]
        .map(|k| (k, 1.0))
        .to_vec();
        assert_eq!(bin(16000) - bin(1000), 256);
        assert_eq!(bin(16004), bin(16000));
        let [d] = distributions(v.len(), |i| [Some(v[i])]);
        // Cumulative 5 of 10 at 1.004 m; 9 of 10 at 16.003 m.
        assert_eq!((d.median, d.p90), (1.004, 16.003));
        assert_eq!(
            (d.median, d.p90),
            (by_sorting(&v, 0.5), by_sorting(&v, 0.9))
        );
    }

    /// The digit sort gives exactly the stable comparison sort: equal keys in input order
    /// (told apart by their weights here), spans of a few to 64 bits, negative keys too.
    #[test]
    fn sort_in_bin_is_the_stable_sort() {
        let mut rng = crate::SplitMix64::new(9);
        for case in 0..400 {
            let n = (rng.next_u64() % 3000) as usize;
            let span = 1u64 << [2, 9, 16, 17, 40, 63][case % 6];
            let base = [0i64, -5_000_000, 123_456_789, i64::MIN / 2][case % 4];
            let v: Vec<(i64, f64)> = (0..n)
                .map(|k| (base + (rng.next_u64() % span) as i64, k as f64))
                .collect();
            let mut radix = v.clone();
            sort_in_bin(&mut radix);
            let mut stable = v;
            stable.sort_by_key(|x| x.0);
            assert_eq!(radix, stable, "case {case}");
        }
        let mut extremes = vec![(i64::MAX, 0.0), (i64::MIN, 1.0), (0, 2.0), (i64::MIN, 3.0)];
        sort_in_bin(&mut extremes);
        assert_eq!(
            extremes,
            [(i64::MIN, 1.0), (i64::MIN, 3.0), (0, 2.0), (i64::MAX, 0.0)]
        );
    }

    #[test]
    fn by_hand() {
        // Keys 1..=10 m, weight 1 each: median 5 m (cumulative 5 of 10), p90 9 m.
        let [d] = distributions(10, |i| [Some(((i as i64 + 1) * 1000, 1.0))]);
        assert_eq!((d.mean, d.median, d.p90, d.max), (5.5, 5.0, 9.0, 10.0));
        // One heavy item dominates.
        let v = [(1000, 1.0), (2000, 10.0), (3000, 1.0)];
        let [d] = distributions(3, |i| [Some(v[i])]);
        assert_eq!((d.median, d.p90), (2.0, 2.0));
        let [d] = distributions(0, |_| [None]);
        assert!(d.mean.is_nan());
    }
}
