//! Weighted summaries of an [`Impact`]: overall and broken down by any key of the origins.
//!
//! Definitions. Weights are the origins' weights (children aged 0-4 for LSOAs). Mean, median and
//! 90th percentile are over reached origins, weighted; a weighted quantile q is the smallest value
//! whose cumulative weight reaches q × total weight. Max is over reached origins with weight > 0.
//! Shares ("within 2 km") are of the weight of *all* origins, so unreachable ones count as not
//! within. Changes are over origins reached both before and after. Rejected origins (invalid
//! coordinates or weight) are counted apart and add no weight.

use crate::analysis::impact::Impact;
use crate::analysis::outcomes::Outcomes;
use crate::analysis::quantile::{Items, distributions, distributions_tallied};
use crate::load::Origin;
use crate::network::Speed;
use crate::once::made_once;

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
    /// Summarises (value, weight) pairs (values to the thousandth: millimetres, milliseconds).
    pub fn of(values: &[(f64, f64)]) -> Self {
        let [d] = distributions(values.len(), |i| {
            let (x, w) = values[i];
            [x.is_finite().then(|| ((x * 1000.0).round() as i64, w))]
        });
        d
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

/// Which origins a summary covers: all of them, or a subset by index.
#[derive(Clone, Copy)]
pub(crate) enum Rows<'a> {
    All(usize),
    Subset(&'a [u32]),
}

impl Rows<'_> {
    fn len(&self) -> usize {
        match self {
            Rows::All(n) => *n,
            Rows::Subset(r) => r.len(),
        }
    }
    fn get(&self, k: usize) -> usize {
        match self {
            Rows::All(_) => k,
            Rows::Subset(r) => r[k] as usize,
        }
    }
    /// [`Rows::get`]; with `ALL` (known to be every origin) `k` itself, so that the passes
    /// compiled for all origins make no match per row (2-3 ms a side's first pass over 1M).
    #[inline(always)]
    fn at<const ALL: bool>(&self, k: usize) -> usize {
        if ALL { k } else { self.get(k) }
    }
}

/// The origins' weights for `rows`: all 1 (no copy), or copied once so that each pass reads 8
/// bytes an origin.
enum Weights {
    Unit,
    Each(Vec<f64>),
}

impl Weights {
    fn of(origins: &[Origin], rows: Rows<'_>, unit: bool) -> Self {
        if unit {
            Weights::Unit
        } else {
            Weights::Each(
                (0..rows.len())
                    .map(|k| origins[rows.get(k)].weight)
                    .collect(),
            )
        }
    }
    /// Asks for item `k`'s weight ahead of reading it, unless all weigh 1.
    #[inline(always)]
    fn prefetch<const UNIT: bool>(&self, k: usize) {
        if let (false, Weights::Each(w)) = (UNIT, self) {
            crate::prefetch::prefetch(&w[k]);
        }
    }
    /// Item `k`'s weight; with `UNIT` (known to be all 1) the constant, so that the passes
    /// compiled for unit weights fold it away and count in integers.
    #[inline(always)]
    fn get<const UNIT: bool>(&self, k: usize) -> f64 {
        match self {
            _ if UNIT => 1.0,
            Weights::Unit => 1.0,
            Weights::Each(w) => w[k],
        }
    }
}

/// A sum of weights: with unit weights (`UNIT`) a count, which is the same sum exactly (whole
/// numbers below 2^53 add without rounding, in any order), and an integer add is off the float
/// units that the distributions' pass keeps busy.
#[derive(Default, Clone, Copy)]
struct WeightSum {
    sum: f64,
    count: u64,
}

impl WeightSum {
    /// Adds `w` if `yes` (without a branch: adding +0.0 leaves a sum of weights unchanged).
    #[inline(always)]
    fn add_if<const UNIT: bool>(&mut self, yes: bool, w: f64) {
        if UNIT {
            self.count += yes as u64;
        } else {
            self.sum += if yes { w } else { 0.0 };
        }
    }
    #[inline(always)]
    fn get<const UNIT: bool>(self) -> f64 {
        if UNIT { self.count as f64 } else { self.sum }
    }
}

/// A side's counts and weights per fixed chunk, added in chunk order (see `quantile::CHUNK`).
#[derive(Default)]
struct SideTally {
    reached: usize,
    unreachable: usize,
    rejected: usize,
    total: WeightSum,
    unreachable_weight: WeightSum,
    within_m: [WeightSum; 4],
    within_s: [WeightSum; 3],
}

/// A side's items: each origin's millimetres and milliseconds, its counts riding on the
/// distributions' first pass.
struct SideItems<'a, const UNIT: bool, const ALL: bool> {
    out: &'a Outcomes,
    w: &'a Weights,
    rows: Rows<'a>,
    limit_m: [u64; 4],
    limit_s: [u64; 3],
}

impl<const UNIT: bool, const ALL: bool> Items<2> for SideItems<'_, UNIT, ALL> {
    type Tally = SideTally;

    #[inline(always)]
    fn item(&self, k: usize) -> [Option<(i64, f64)>; 2] {
        let i = self.rows.at::<ALL>(k);
        if self.out.label(i).is_none() {
            return [None, None];
        }
        let (mm, ms) = self.out.exact(i);
        let wk = self.w.get::<UNIT>(k);
        [Some((mm as i64, wk)), Some((ms as i64, wk))]
    }

    #[inline(always)]
    fn tally(&self, t: &mut SideTally, k: usize, values: &[Option<(i64, f64)>; 2]) {
        let (i, wk) = (self.rows.at::<ALL>(k), self.w.get::<UNIT>(k));
        if self.out.rejected(i) {
            t.rejected += 1;
            return;
        }
        t.total.add_if::<UNIT>(true, wk);
        // The keys are the exact millimetres and milliseconds (cast back, bit for bit).
        if let [Some((mm, _)), Some((ms, _))] = *values {
            t.reached += 1;
            // Without a branch: a threshold near the typical value is a coin toss for the
            // branch predictor.
            for (acc, &l) in t.within_m.iter_mut().zip(&self.limit_m) {
                acc.add_if::<UNIT>(mm as u64 <= l, wk);
            }
            for (acc, &l) in t.within_s.iter_mut().zip(&self.limit_s) {
                acc.add_if::<UNIT>(ms as u64 <= l, wk);
            }
        } else {
            t.unreachable += 1;
            t.unreachable_weight.add_if::<UNIT>(true, wk);
        }
    }

    #[inline(always)]
    fn prefetch(&self, k: usize) {
        self.out.prefetch_row(self.rows.at::<ALL>(k));
        self.w.prefetch::<UNIT>(k);
    }
}

impl<'a, const UNIT: bool, const ALL: bool> SideItems<'a, UNIT, ALL> {
    fn new(out: &'a Outcomes, w: &'a Weights, rows: Rows<'a>) -> Self {
        Self {
            out,
            w,
            rows,
            limit_m: WITHIN_M.map(|t| (t * 1000.0).round() as u64),
            limit_s: WITHIN_S.map(|t| (t * 1000.0).round() as u64),
        }
    }
}

impl Side {
    fn weighted<const UNIT: bool, const ALL: bool>(
        out: &Outcomes,
        w: &Weights,
        rows: Rows<'_>,
    ) -> Self {
        let ([distance_m, time_s], parts) =
            distributions_tallied(rows.len(), &SideItems::<UNIT, ALL>::new(out, w, rows));
        let (mut reached, mut unreachable, mut rejected) = (0, 0, 0);
        let (mut total, mut unreachable_weight) = (0.0, 0.0);
        let mut within_m = [0.0; 4];
        let mut within_s = [0.0; 3];
        for t in parts {
            reached += t.reached;
            unreachable += t.unreachable;
            rejected += t.rejected;
            total += t.total.get::<UNIT>();
            unreachable_weight += t.unreachable_weight.get::<UNIT>();
            for (a, b) in within_m.iter_mut().zip(t.within_m) {
                *a += b.get::<UNIT>();
            }
            for (a, b) in within_s.iter_mut().zip(t.within_s) {
                *a += b.get::<UNIT>();
            }
        }
        let share = |x: f64| if total > 0.0 { x / total } else { f64::NAN };
        Self {
            reached,
            unreachable,
            rejected,
            unreachable_weight,
            distance_m,
            time_s,
            within_m: within_m.map(share),
            within_s: within_s.map(share),
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

    fn of(impact: &Impact<'_>, rows: Rows<'_>) -> Self {
        Self::of_weights(impact, rows, impact.unit_weights())
    }

    /// [`Summary::of`], with the weights taken as all 1 (`unit`) or read from the origins.
    fn of_weights(impact: &Impact<'_>, rows: Rows<'_>, unit: bool) -> Self {
        let w = Weights::of(impact.origins, rows, unit);
        // Each kind of weights and rows has its own compiled passes (see `WeightSum`, `Rows::at`).
        match (&w, rows) {
            (Weights::Unit, Rows::All(_)) => Self::of_kind::<true, true>(impact, &w, rows),
            (Weights::Unit, Rows::Subset(_)) => Self::of_kind::<true, false>(impact, &w, rows),
            (Weights::Each(_), Rows::All(_)) => Self::of_kind::<false, true>(impact, &w, rows),
            (Weights::Each(_), Rows::Subset(_)) => Self::of_kind::<false, false>(impact, &w, rows),
        }
    }

    fn of_kind<const UNIT: bool, const ALL: bool>(
        impact: &Impact<'_>,
        w: &Weights,
        rows: Rows<'_>,
    ) -> Self {
        let (b, a) = (&impact.before, &impact.after);
        let side = |out: &Outcomes| {
            if ALL {
                // Over all origins, each side is computed once and shared by every comparison.
                made_once(&out.side, || Side::weighted::<UNIT, ALL>(out, w, rows)).clone()
            } else {
                Side::weighted::<UNIT, ALL>(out, w, rows)
            }
        };
        let n = rows.len();
        let changes = || Self::changes::<UNIT, ALL>(impact, w, rows);
        // Three independent computations, each in parallel over fixed chunks (so the same sums
        // in the same order whatever the thread count).
        let (before, (after, ([change_m, change_s], [weight, closed_weight], closed, gap_flags))) =
            rayon::join(|| side(b), || rayon::join(|| side(a), changes));
        Self {
            profile: impact.profile.name.clone(),
            road_speeds: impact.profile.speed == Speed::Road,
            origins: n,
            weight,
            before,
            after,
            change_m,
            change_s,
            closed,
            closed_weight,
            gap_flags,
        }
    }
}

/// The changes' distributions, with the weight, closed and gap-flag counts over both sides
/// riding on their first pass: ([change in mm, in ms], [weight, closed weight], closed, flagged).
type Changes = ([Distribution; 2], [f64; 2], usize, usize);

/// The changes' counts per fixed chunk.
#[derive(Default)]
struct ChangeTally {
    weight: WeightSum,
    closed: usize,
    closed_weight: WeightSum,
    flagged: usize,
}

/// The changes' items: each origin's change in millimetres and milliseconds, the weight,
/// closed and gap-flag counts riding on the distributions' first pass.
struct ChangeItems<'a, const UNIT: bool, const ALL: bool> {
    impact: &'a Impact<'a>,
    w: &'a Weights,
    rows: Rows<'a>,
}

impl<const UNIT: bool, const ALL: bool> Items<2> for ChangeItems<'_, UNIT, ALL> {
    type Tally = ChangeTally;

    #[inline(always)]
    fn item(&self, k: usize) -> [Option<(i64, f64)>; 2] {
        let (b, a) = (&self.impact.before, &self.impact.after);
        let i = self.rows.at::<ALL>(k);
        if b.label(i).is_none() || a.label(i).is_none() {
            return [None, None];
        }
        let ((bm, bs), (am, as_)) = (b.exact(i), a.exact(i));
        let wk = self.w.get::<UNIT>(k);
        [
            Some((am as i64 - bm as i64, wk)),
            Some((as_ as i64 - bs as i64, wk)),
        ]
    }

    #[inline(always)]
    fn tally(&self, t: &mut ChangeTally, k: usize, _: &[Option<(i64, f64)>; 2]) {
        let (b, a) = (&self.impact.before, &self.impact.after);
        let (i, wk) = (self.rows.at::<ALL>(k), self.w.get::<UNIT>(k));
        t.weight.add_if::<UNIT>(!b.rejected(i), wk);
        // Without branches, as in a side's tallies.
        let closed = self.impact.closed(i);
        t.closed += closed as usize;
        t.closed_weight.add_if::<UNIT>(closed, wk);
        t.flagged += (b.gap_flagged(i) | a.gap_flagged(i)) as usize;
    }

    #[inline(always)]
    fn prefetch(&self, k: usize) {
        let i = self.rows.at::<ALL>(k);
        self.impact.before.prefetch_row(i);
        self.impact.after.prefetch_row(i);
        self.w.prefetch::<UNIT>(k);
    }
}

impl Summary {
    fn changes<const UNIT: bool, const ALL: bool>(
        impact: &Impact<'_>,
        w: &Weights,
        rows: Rows<'_>,
    ) -> Changes {
        let items = ChangeItems::<UNIT, ALL> { impact, w, rows };
        let (dists, parts) = distributions_tallied(rows.len(), &items);
        let (mut weight, mut closed, mut closed_weight, mut flagged) = (0.0, 0, 0.0, 0);
        for t in parts {
            weight += t.weight.get::<UNIT>();
            closed += t.closed;
            closed_weight += t.closed_weight.get::<UNIT>();
            flagged += t.flagged;
        }
        (dists, [weight, closed_weight], closed, flagged)
    }
}

impl Impact<'_> {
    /// Summary over all origins.
    pub fn summary(&self) -> Summary {
        Summary::of(self, Rows::All(self.len()))
    }

    /// Summaries per value of group `key` (e.g. `"district"`, `"imd_decile"`), ordered by value
    /// (numerically when every value is a number); origins without the group form the `None`
    /// group, last.
    pub fn summary_by(&self, key: &str) -> Vec<(Option<String>, Summary)> {
        // Grouped by the borrowed value (no string made per origin): a hash map from value to
        // group, then the groups' keys made once each.
        let mut index: foldhash::HashMap<Option<&str>, usize> = Default::default();
        let mut groups: Vec<(Option<String>, Vec<u32>)> = Vec::new();
        for (i, o) in self.origins.iter().enumerate() {
            let value = o.group(key);
            let g = *index.entry(value).or_insert_with(|| {
                groups.push((value.map(str::to_string), Vec::new()));
                groups.len() - 1
            });
            groups[g].1.push(i as u32);
        }
        let numeric = groups
            .iter()
            .filter_map(|(k, _)| k.as_ref())
            .all(|k| k.parse::<f64>().is_ok());
        // Values equal as numbers ("1", "1.0") keep their order as text.
        groups.sort_by(|(a, _), (b, _)| {
            match (a, b) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, _) => std::cmp::Ordering::Greater,
                (_, None) => std::cmp::Ordering::Less,
                (Some(a), Some(b)) if numeric => a
                    .parse::<f64>()
                    .unwrap()
                    .total_cmp(&b.parse::<f64>().unwrap()),
                (Some(a), Some(b)) => a.cmp(b),
            }
            .then_with(|| a.cmp(b))
        });
        groups
            .into_iter()
            .map(|(k, rows)| (k, Summary::of(self, Rows::Subset(&rows))))
            .collect()
    }

    /// Summaries per key computed from each origin, sorted by key; origins whose key is `None`
    /// form the `None` group.
    pub fn summary_by_fn<K: Ord + Clone>(
        &self,
        key: impl Fn(&Origin) -> Option<K>,
    ) -> Vec<(Option<K>, Summary)> {
        let mut groups: std::collections::BTreeMap<Option<K>, Vec<u32>> = Default::default();
        for (i, o) in self.origins.iter().enumerate() {
            groups.entry(key(o)).or_default().push(i as u32);
        }
        groups
            .into_iter()
            .map(|(k, rows)| (k, Summary::of(self, Rows::Subset(&rows))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::Xy;
    use crate::random::SplitMix64;
    use crate::{Engine, EngineOptions, Facilities, NetworkBuilder, Objective, RoadSpec, Scenario};

    /// Unit weights are summed as counts: the same summary, bit for bit, as adding up 1.0s.
    #[test]
    fn unit_weights_count_to_the_same_sums() {
        // A 20 km street, a junction every 500 m, sites at both ends and in the middle; the
        // middle one closes.
        let mut b = NetworkBuilder::new();
        for k in 0..=40 {
            b.node(k, Xy::new(k as f64 * 500.0, 0.0));
        }
        for k in 0..40 {
            b.road(RoadSpec::new(k, k, k + 1));
        }
        let engine = Engine::new(b.build().unwrap(), EngineOptions::default());
        let sites = Facilities::from_points([
            ("west", Xy::new(0.0, 0.0)),
            ("middle", Xy::new(10_000.0, 0.0)),
            ("east", Xy::new(20_000.0, 0.0)),
        ])
        .unwrap();
        let before = Scenario::new("all", &sites, ["west", "middle", "east"]).unwrap();
        let after = Scenario::new("ends", &sites, ["west", "east"]).unwrap();
        // More origins than three chunks of the parallel passes; some beyond the snap radius.
        let mut rng = SplitMix64::new(11);
        let origins: Vec<Origin> = (0..150_000)
            .map(|i| {
                let x = rng.next_f64() * 21_000.0 - 500.0;
                let y = rng.next_f64() * 4_000.0 - 2_000.0;
                Origin::new(format!("o{i}"), Xy::new(x, y))
            })
            .collect();
        let impact = engine
            .impact(&origins, &before, &after, "walk", Objective::Distance)
            .unwrap();
        assert!(impact.unit_weights());
        let all: Vec<u32> = (0..origins.len() as u32).collect();
        let unit = Summary::of_weights(&impact, Rows::Subset(&all), true);
        let each = Summary::of_weights(&impact, Rows::Subset(&all), false);
        assert_eq!(format!("{unit:?}"), format!("{each:?}"));
        // Every kind of sum is exercised.
        assert!(unit.before.unreachable > 0 && unit.before.unreachable_weight > 0.0);
        assert!(unit.after.within_m.iter().any(|&s| s > 0.0 && s < 1.0));
        assert!(unit.after.within_s.iter().any(|&s| s > 0.0 && s < 1.0));
        assert!(unit.closed > 0 && unit.closed_weight > 0.0);
        assert_eq!(impact.summary(), unit);
    }
}
