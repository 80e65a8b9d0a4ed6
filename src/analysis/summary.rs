//! Weighted summaries of an [`Impact`]: overall and broken down by any key of the origins.
//!
//! Definitions. Weights are the origins' weights (children aged 0-4 for LSOAs). Mean, median and
//! 90th percentile are over reached origins, weighted; a weighted quantile q is the smallest value
//! whose cumulative weight reaches q × total weight. Max is over reached origins with weight > 0.
//! Shares ("within 2 km") are of the weight of *all* origins, so unreachable ones count as not
//! within. Changes are over origins reached both before and after. Rejected origins (invalid
//! coordinates or weight) are counted apart and add no weight.

use crate::analysis::impact::{Impact, OriginImpact};
use crate::engine::{Outcome, Unreachable};
use crate::load::Origin;
use crate::network::Speed;
use rayon::prelude::*;

/// Distance thresholds for "share within" (metres).
pub const WITHIN_M: [f64; 4] = [1_000.0, 2_000.0, 5_000.0, 10_000.0];
/// Time thresholds for "share within" (seconds).
pub const WITHIN_S: [f64; 3] = [600.0, 1_200.0, 1_800.0];

/// Weighted distribution of one quantity. All NaN when nothing was reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distribution {
    /// Weighted mean.
    pub mean: f64,
    /// Weighted median.
    pub median: f64,
    /// Weighted 90th percentile.
    pub p90: f64,
    /// Largest value.
    pub max: f64,
}

impl Distribution {
    /// Summarises (value, weight) pairs.
    pub fn of(values: &[(f64, f64)]) -> Self {
        Self::of_vec(values.to_vec())
    }

    /// [`Distribution::of`] on an owned list, sorted in place (no copy for large sets).
    fn of_vec(mut v: Vec<(f64, f64)>) -> Self {
        v.retain(|(_, w)| *w > 0.0);
        let total: f64 = v.iter().map(|(_, w)| w).sum();
        if v.is_empty() || total <= 0.0 {
            return Self {
                mean: f64::NAN,
                median: f64::NAN,
                p90: f64::NAN,
                max: f64::NAN,
            };
        }
        // A total order on (value, weight): equal pairs are identical, so the parallel unstable
        // sort still gives one sequence whatever the threads, and so the same quantiles and mean.
        v.par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let quantile = |q: f64| {
            let target = q * total;
            let mut cum = 0.0;
            for &(x, w) in &v {
                cum += w;
                if cum >= target * (1.0 - 1e-12) {
                    return x;
                }
            }
            v[v.len() - 1].0
        };
        Self {
            mean: v.iter().map(|(x, w)| x * w).sum::<f64>() / total,
            median: quantile(0.5),
            p90: quantile(0.9),
            max: v[v.len() - 1].0,
        }
    }
}

/// One scenario's side of a summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// Origins with a nearest facility.
    pub reached: usize,
    /// Valid origins without one (see [`crate::Unreachable`]).
    pub unreachable: usize,
    /// Origins rejected as invalid (not routed, no weight counted).
    pub rejected: usize,
    /// Weight of the unreachable origins.
    pub unreachable_weight: f64,
    /// Distance to the nearest facility (metres).
    pub distance_m: Distribution,
    /// Time to the nearest facility (seconds).
    pub time_s: Distribution,
    /// Share of all weight within each of [`WITHIN_M`].
    pub within_m: [f64; 4],
    /// Share of all weight within each of [`WITHIN_S`].
    pub within_s: [f64; 3],
}

impl Side {
    fn of(all: &[(&Origin, &Outcome)]) -> Self {
        let rows: Vec<&(&Origin, &Outcome)> = all
            .iter()
            .filter(|(_, r)| !matches!(r, Err(Unreachable::Rejected(_))))
            .collect();
        let total: f64 = rows.iter().map(|(o, _)| o.weight).sum();
        let reached: Vec<(f64, f64, f64)> = rows
            .iter()
            .filter_map(|(o, r)| r.as_ref().ok().map(|a| (a.distance_m, a.time_s, o.weight)))
            .collect();
        let share = |f: &dyn Fn(&(f64, f64, f64)) -> bool| {
            if total > 0.0 {
                reached.iter().filter(|r| f(r)).map(|r| r.2).sum::<f64>() / total
            } else {
                f64::NAN
            }
        };
        Self {
            reached: reached.len(),
            unreachable: rows.len() - reached.len(),
            rejected: all.len() - rows.len(),
            unreachable_weight: rows
                .iter()
                .filter(|(_, r)| r.is_err())
                .map(|(o, _)| o.weight)
                .sum(),
            distance_m: Distribution::of_vec(reached.iter().map(|r| (r.0, r.2)).collect()),
            time_s: Distribution::of_vec(reached.iter().map(|r| (r.1, r.2)).collect()),
            within_m: WITHIN_M.map(|t| share(&|r| r.0 <= t)),
            within_s: WITHIN_S.map(|t| share(&|r| r.1 <= t)),
        }
    }
}

/// Before, after and change for a set of origins.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The profile summarised.
    pub profile: String,
    /// The profile takes the roads' own speeds (driving): breakdowns then count "within 10 min"
    /// rather than "within 2 km".
    pub road_speeds: bool,
    /// Origins counted (including rejected ones).
    pub origins: usize,
    /// Total weight of the origins that were not rejected.
    pub weight: f64,
    /// Before.
    pub before: Side,
    /// After.
    pub after: Side,
    /// Change in distance (metres), over origins reached both times.
    pub change_m: Distribution,
    /// Change in time (seconds), over origins reached both times.
    pub change_s: Distribution,
    /// Origins whose nearest facility before is not open after.
    pub closed: usize,
    /// Their weight.
    pub closed_weight: f64,
    /// Origins with a route flagged as a possible network gap (see `CircuityRule`).
    pub gap_flags: usize,
}

impl Summary {
    /// Share of the weight whose nearest facility closed.
    pub fn closed_share(&self) -> f64 {
        if self.weight > 0.0 {
            self.closed_weight / self.weight
        } else {
            f64::NAN
        }
    }

    fn of(impact: &Impact<'_>, rows: &[usize]) -> Self {
        let pick = |f: fn(&OriginImpact) -> &Outcome| {
            rows.iter()
                .map(|&i| {
                    let r = &impact.rows[i];
                    (&impact.origins[r.origin], f(r))
                })
                .collect::<Vec<_>>()
        };
        let changes = |f: fn(&OriginImpact) -> Option<f64>| {
            rows.iter()
                .filter_map(|&i| {
                    let r = &impact.rows[i];
                    f(r).map(|c| (c, impact.origins[r.origin].weight))
                })
                .collect::<Vec<_>>()
        };
        // One quantity at a time (each sort is parallel): fewer large buffers alive at once.
        let before = Side::of(&pick(|r| &r.before));
        let after = Side::of(&pick(|r| &r.after));
        let change_m = Distribution::of_vec(changes(|r| r.change_m()));
        let change_s = Distribution::of_vec(changes(|r| r.change_s()));
        Self {
            profile: impact.profile.name.clone(),
            road_speeds: impact.profile.speed == Speed::Road,
            origins: rows.len(),
            weight: rows
                .iter()
                .filter(|&&i| !matches!(impact.rows[i].before, Err(Unreachable::Rejected(_))))
                .map(|&i| impact.origins[impact.rows[i].origin].weight)
                .sum(),
            before,
            after,
            change_m,
            change_s,
            closed: rows.iter().filter(|&&i| impact.rows[i].closed).count(),
            closed_weight: rows
                .iter()
                .filter(|&&i| impact.rows[i].closed)
                .map(|&i| impact.origins[impact.rows[i].origin].weight)
                .sum(),
            gap_flags: rows
                .iter()
                .filter(|&&i| impact.rows[i].gap_flagged())
                .count(),
        }
    }
}

impl Impact<'_> {
    /// Summary over all origins.
    pub fn summary(&self) -> Summary {
        let all: Vec<usize> = (0..self.rows.len()).collect();
        Summary::of(self, &all)
    }

    /// Summaries per value of group `key` (e.g. `"district"`, `"imd_decile"`), ordered by value
    /// (numerically when every value is a number); origins without the group form the `None`
    /// group, last.
    pub fn summary_by(&self, key: &str) -> Vec<(Option<String>, Summary)> {
        let mut out = self.summary_by_fn(|o| o.group(key).map(str::to_string));
        let numeric = out
            .iter()
            .filter_map(|(k, _)| k.as_ref())
            .all(|k| k.parse::<f64>().is_ok());
        out.sort_by(|(a, _), (b, _)| match (a, b) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Greater,
            (_, None) => std::cmp::Ordering::Less,
            (Some(a), Some(b)) if numeric => a
                .parse::<f64>()
                .unwrap()
                .total_cmp(&b.parse::<f64>().unwrap()),
            (Some(a), Some(b)) => a.cmp(b),
        });
        out
    }

    /// Summaries per key computed from each origin, sorted by key; origins whose key is `None`
    /// form the `None` group.
    pub fn summary_by_fn<K: Ord + Clone>(
        &self,
        key: impl Fn(&Origin) -> Option<K>,
    ) -> Vec<(Option<K>, Summary)> {
        let mut groups: std::collections::BTreeMap<Option<K>, Vec<usize>> = Default::default();
        for (i, r) in self.rows.iter().enumerate() {
            groups
                .entry(key(&self.origins[r.origin]))
                .or_default()
                .push(i);
        }
        groups
            .into_iter()
            .map(|(k, rows)| (k, Summary::of(self, &rows)))
            .collect()
    }
}
