//! Weighted mean, median, 90th percentile and maximum of integer keys (millimetres, milliseconds)
//! without sorting: a few streaming passes of radix refinement, with small reused histograms and
//! no per-item buffer.
//!
//! Pass 1 sums the weights and finds the range of keys. Each later pass splits the range still
//! holding a quantile into 4096 bins by the key's next 12 bits and keeps the bin where the
//! cumulative weight reaches the target, until a bin is one key wide. The answer is the smallest
//! key whose cumulative weight reaches `q` × total (within 1e-12 relative), exactly what a sort
//! and a cumulative scan would give.

use super::summary::Distribution;

const BITS: u32 = 16;
const BINS: usize = 1 << BITS;

/// Weighted distributions of `K` quantities over items `0..n`. `item(i)` gives, per quantity,
/// the key (thousandths of the unit) and the weight, or `None` when the item has no value for
/// it; items of weight <= 0 are ignored. Sequential, so sums are in input order: the same
/// answer whatever the thread count.
pub(crate) fn distributions<const K: usize>(
    n: usize,
    item: impl Fn(usize) -> [Option<(i64, f64)>; K],
) -> [Distribution; K] {
    const QS: [f64; 2] = [0.5, 0.9];
    let mut total = [0.0f64; K];
    let mut sum = [0.0f64; K];
    let mut lo = [i64::MAX; K];
    let mut hi = [i64::MIN; K];
    for i in 0..n {
        for (k, v) in item(i).into_iter().enumerate() {
            if let Some((key, w)) = v
                && w > 0.0
            {
                total[k] += w;
                sum[k] += key as f64 / 1000.0 * w;
                lo[k] = lo[k].min(key);
                hi[k] = hi[k].max(key);
            }
        }
    }
    // Per quantity and quantile: the key range still holding the answer, and the target.
    let mut range = [[(0i64, 0i64); 2]; K];
    let mut target = [[0.0f64; 2]; K];
    for k in 0..K {
        for (j, q) in QS.into_iter().enumerate() {
            range[k][j] = (lo[k], hi[k]);
            target[k][j] = q * total[k] * (1.0 - 1e-12);
        }
    }
    // One flat heap buffer (a nested array literal would be built on the stack first).
    let mut hist = vec![0.0f64; K * 2 * BINS];
    let slot = |k: usize, j: usize| (k * 2 + j) * BINS;
    loop {
        let shift = |r: (i64, i64)| {
            let span = (r.1 - r.0) as u64;
            (64 - span.leading_zeros()).saturating_sub(BITS)
        };
        let pending: Vec<(usize, usize)> = (0..K)
            .filter(|&k| total[k] > 0.0)
            .flat_map(|k| (0..2).map(move |j| (k, j)))
            .filter(|&(k, j)| range[k][j].0 < range[k][j].1)
            .collect();
        if pending.is_empty() {
            break;
        }
        let mut below = [[0.0f64; 2]; K];
        for &(k, j) in &pending {
            hist[slot(k, j)..slot(k, j) + BINS].fill(0.0);
        }
        for i in 0..n {
            let v = item(i);
            for &(k, j) in &pending {
                if let Some((key, w)) = v[k]
                    && w > 0.0
                {
                    let (a, b) = range[k][j];
                    if key < a {
                        below[k][j] += w;
                    } else if key <= b {
                        hist[slot(k, j) + ((key - a) >> shift(range[k][j])) as usize] += w;
                    }
                }
            }
        }
        for &(k, j) in &pending {
            let (a, b) = range[k][j];
            let s = shift((a, b));
            let mut cum = below[k][j];
            // If rounding leaves the target just out of reach, the last bin holding weight.
            let mut bin = None;
            let mut last = 0;
            for (x, &w) in hist[slot(k, j)..slot(k, j) + BINS].iter().enumerate() {
                if w > 0.0 {
                    last = x;
                }
                cum += w;
                if cum >= target[k][j] {
                    bin = Some(x);
                    break;
                }
            }
            let start = a + ((bin.unwrap_or(last) as i64) << s);
            range[k][j] = (start, (start + (1i64 << s) - 1).min(b));
        }
    }
    std::array::from_fn(|k| {
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
            median: range[k][0].0 as f64 / 1000.0,
            p90: range[k][1].0 as f64 / 1000.0,
            max: hi[k] as f64 / 1000.0,
        }
    })
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
