//! Who bears a change: inequality of access before and after, and how the change is spread across
//! a deprivation ranking.
//!
//! Every measure is weighted (weights are the origins' populations) and works on access *cost*,
//! distance or time, where **higher is worse**. So a higher Gini or Palma ratio means access is
//! less equally shared, and a negative concentration index means the cost (or its increase) falls
//! more on the deprived, when ranks run from most deprived (low) to least deprived (high), as IMD
//! deciles do (1 = most deprived).
//!
//! Definitions, for values `x_i` with weights `w_i`, `W = Σ w_i`, mean `μ = Σ w_i x_i / W`:
//!
//! - **Fractional rank** of unit `i` in an ordering (Lerman and Yitzhaki 1989; O'Donnell et al.
//!   2008, ch. 8): `R_i = (C_i + w_i / 2) / W`, where `C_i` is the weight of the units ranked before
//!   it. Units tied in the ordering (e.g. the same IMD decile) all get the group's average,
//!   `(C_g + W_g / 2) / W`, so the result does not depend on the order within a tie.
//! - **Concentration index** of `y` by a ranking (Kakwani, Wagstaff and van Doorslaer 1997; the
//!   "convenient covariance" formula, O'Donnell, van Doorslaer, Wagstaff and Lindelow 2008,
//!   *Analyzing Health Equity Using Household Survey Data*, World Bank, ch. 8, eq. 8.7):
//!   `CI = 2 cov_w(y, R) / μ_y`, in [-1, 1] for non-negative `y`. The *generalized* index
//!   `GCI = 2 cov_w(y, R) = μ_y CI` (Wagstaff, Paci and van Doorslaer 1991) is in the units of
//!   `y` and stays meaningful when `y` (a change) has mixed signs or a mean near zero.
//! - **Gini** (Gini 1912): `G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ)`, the population form
//!   (no small-sample correction), computed as `2 cov_w(x, R) / μ` with `R` the fractional rank of
//!   `x` itself, which is the same number exactly. 0: everyone equal; towards 1: one unit bears it
//!   all.
//! - **Palma ratio** (Palma 2011; Cobham and Sumner 2013, "Is it all about the tails? The Palma
//!   measure of income inequality", CGD Working Paper 343): the share of the total held by the 10%
//!   (of weight) with the highest values over the share held by the 40% with the lowest. For access
//!   cost: the distance borne by the tenth who travel furthest over that borne by the four tenths
//!   who travel least. A unit straddling a cut is split by weight (the Lorenz curve is linear
//!   within a unit).

use crate::analysis::impact::Impact;

/// Which figure of a trip a measure is computed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Measure {
    /// Road distance (metres).
    #[default]
    Distance,
    /// Travel time (seconds).
    Time,
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Measure::Distance => "distance",
            Measure::Time => "time",
        })
    }
}

/// Fractional ranks (see the module docs) of units ordered by `key`, ties averaged; units of
/// weight <= 0 or NaN key get NaN.
fn fractional_ranks(
    n: usize,
    key: impl Fn(usize) -> f64,
    weight: impl Fn(usize) -> f64,
) -> Vec<f64> {
    let mut order: Vec<usize> = (0..n)
        .filter(|&i| weight(i) > 0.0 && !key(i).is_nan())
        .collect();
    order.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
    let total: f64 = order.iter().map(|&i| weight(i)).sum();
    let mut ranks = vec![f64::NAN; n];
    let mut before = 0.0;
    let mut g = 0;
    while g < order.len() {
        let k = key(order[g]);
        let end = g + order[g..].iter().take_while(|&&i| key(i) == k).count();
        let wg: f64 = order[g..end].iter().map(|&i| weight(i)).sum();
        let r = (before + wg / 2.0) / total;
        for &i in &order[g..end] {
            ranks[i] = r;
        }
        before += wg;
        g = end;
    }
    ranks
}

/// `2 cov_w(y, R)` and the weighted mean of `y`, over units with weight > 0 and finite values.
fn twice_covariance(y: &[f64], w: &[f64], r: &[f64]) -> (f64, f64) {
    let keep = |i: usize| w[i] > 0.0 && y[i].is_finite() && r[i].is_finite();
    let (mut total, mut sy, mut sr) = (0.0, 0.0, 0.0);
    for i in (0..y.len()).filter(|&i| keep(i)) {
        total += w[i];
        sy += w[i] * y[i];
        sr += w[i] * r[i];
    }
    if total <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let (my, mr) = (sy / total, sr / total);
    let cov: f64 = (0..y.len())
        .filter(|&i| keep(i))
        .map(|i| w[i] * (y[i] - my) * (r[i] - mr))
        .sum::<f64>()
        / total;
    (2.0 * cov, my)
}

/// Weighted Gini coefficient of `(value, weight)` pairs (see the module docs). Units with weight
/// <= 0 or a non-finite value are left out; NaN if the mean is not positive.
///
/// ```
/// use travel_impact::equity::gini;
/// // Mean absolute difference 20/16 over twice the mean 2.5: 0.25.
/// assert!((gini(&[(1.0, 1.0), (2.0, 1.0), (3.0, 1.0), (4.0, 1.0)]) - 0.25).abs() < 1e-12);
/// assert_eq!(gini(&[(5.0, 1.0), (5.0, 3.0)]), 0.0);
/// ```
pub fn gini(values: &[(f64, f64)]) -> f64 {
    let (y, w) = split(values);
    let r = fractional_ranks(
        y.len(),
        |i| y[i],
        |i| if y[i].is_finite() { w[i] } else { 0.0 },
    );
    let (c2, mean) = twice_covariance(&y, &w, &r);
    if mean > 0.0 { c2 / mean } else { f64::NAN }
}

fn split(values: &[(f64, f64)]) -> (Vec<f64>, Vec<f64>) {
    values.iter().copied().unzip()
}

/// Palma ratio of `(value, weight)` pairs: share of the total held by the top 10% of weight over
/// the share held by the bottom 40% (see the module docs). Infinite when the bottom 40% hold
/// nothing; NaN when the total is not positive. Units with weight <= 0 or a non-finite value
/// are left out.
///
/// ```
/// use travel_impact::equity::palma;
/// // 1..=10 km, one each: the top tenth holds 10, the bottom four tenths 1+2+3+4 = 10.
/// let v: Vec<(f64, f64)> = (1..=10).map(|x| (x as f64, 1.0)).collect();
/// assert_eq!(palma(&v), 1.0);
/// ```
pub fn palma(values: &[(f64, f64)]) -> f64 {
    let mut v: Vec<(f64, f64)> = values
        .iter()
        .copied()
        .filter(|&(x, w)| w > 0.0 && x.is_finite())
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let weight: f64 = v.iter().map(|p| p.1).sum();
    let total: f64 = v.iter().map(|p| p.0 * p.1).sum();
    if total <= 0.0 {
        return f64::NAN;
    }
    // The value held by the lowest `share` of the weight.
    let lorenz = |share: f64| {
        let cut = share * weight;
        let (mut seen, mut held) = (0.0, 0.0);
        for &(x, w) in &v {
            if seen + w >= cut {
                return held + x * (cut - seen);
            }
            seen += w;
            held += x * w;
        }
        held
    };
    let bottom = lorenz(0.4);
    let top = total - lorenz(0.9);
    if bottom > 0.0 {
        top / bottom
    } else {
        f64::INFINITY
    }
}

/// Concentration index of `(value, weight, rank)` triples: `2 cov_w(value, R) / mean`, where `R`
/// is the fractional rank by `rank` (low rank = most deprived; ties share their group's average
/// rank). Negative: the value is concentrated among the low ranks. NaN if the mean is zero.
/// Units with weight <= 0 or a non-finite value or rank are left out.
///
/// ```
/// use travel_impact::equity::concentration_index;
/// // Extra km 4, 2, 1 for deciles 1, 2, 3: R = 1/6, 1/2, 5/6; CI = -2/7.
/// let ci = concentration_index(&[(4.0, 1.0, 1.0), (2.0, 1.0, 2.0), (1.0, 1.0, 3.0)]);
/// assert!((ci + 2.0 / 7.0).abs() < 1e-12);
/// ```
pub fn concentration_index(values: &[(f64, f64, f64)]) -> f64 {
    let (c2, mean) = concentration_parts(values);
    if mean != 0.0 { c2 / mean } else { f64::NAN }
}

/// Generalized concentration index `2 cov_w(value, R)` (in the value's units): the
/// [`concentration_index`] times the mean, meaningful whatever the sign of the mean.
///
/// ```
/// use travel_impact::equity::generalized_concentration_index;
/// let gci = generalized_concentration_index(&[(4.0, 1.0, 1.0), (2.0, 1.0, 2.0), (1.0, 1.0, 3.0)]);
/// assert!((gci + 2.0 / 3.0).abs() < 1e-12); // -2/7 x mean 7/3
/// ```
pub fn generalized_concentration_index(values: &[(f64, f64, f64)]) -> f64 {
    concentration_parts(values).0
}

fn concentration_parts(values: &[(f64, f64, f64)]) -> (f64, f64) {
    let ok = |&(y, w, r): &(f64, f64, f64)| w > 0.0 && y.is_finite() && r.is_finite();
    let v: Vec<(f64, f64, f64)> = values.iter().copied().filter(ok).collect();
    let ranks = fractional_ranks(v.len(), |i| v[i].2, |i| v[i].1);
    let y: Vec<f64> = v.iter().map(|t| t.0).collect();
    let w: Vec<f64> = v.iter().map(|t| t.1).collect();
    twice_covariance(&y, &w, &ranks)
}

/// One group's weighted mean cost before and after, and the mean change.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupChange {
    /// The group's value (e.g. an IMD decile, `"1"`).
    pub group: String,
    /// Its weight (origins counted, see [`Equity`]).
    pub weight: f64,
    /// Mean before (metres or seconds).
    pub before: f64,
    /// Mean after.
    pub after: f64,
    /// Mean change, after − before.
    pub change: f64,
}

/// Equity of a change on one measure, by a numeric ranking group (e.g. `"imd_decile"`, 1 = most
/// deprived). See the [module docs](self) for every formula and reference.
///
/// Counts the origins reached both before and after, with weight > 0 and a numeric value of the
/// group key; the others are counted in `left_out`, not silently dropped.
///
/// ```
/// use travel_impact::{Engine, EngineOptions, Facilities, NetworkBuilder, Objective, Origin,
///     RoadSpec, Scenario, equity::Measure, geom::Xy};
/// let mut b = NetworkBuilder::new();
/// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(4000.0, 0.0));
/// b.road(RoadSpec::new(1, 1, 2));
/// let engine = Engine::new(b.build()?, EngineOptions::default());
/// let sites = Facilities::from_points([("w", Xy::new(0.0, 0.0)), ("e", Xy::new(4000.0, 0.0))])?;
/// let (before, after) = (Scenario::new("both", &sites, ["w", "e"])?, Scenario::new("w", &sites, ["w"])?);
/// // The deprived home is near the closing site: it bears the whole increase.
/// let homes = [
///     Origin::new("poor", Xy::new(3000.0, 0.0)).with_group("imd_decile", "1"),
///     Origin::new("rich", Xy::new(1000.0, 0.0)).with_group("imd_decile", "10"),
/// ];
/// let impact = engine.impact(&homes, &before, &after, "walk", Objective::Distance)?;
/// let e = impact.equity("imd_decile", Measure::Distance);
/// assert_eq!(e.by_group[0].change, 2000.0);
/// assert!(e.concentration_change < 0.0); // concentrated on the deprived
/// assert_eq!(e.gini_before, 0.0); // 1 km each before
/// # Ok::<(), travel_impact::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Equity {
    /// The group key the ranking comes from.
    pub key: String,
    /// The measure.
    pub measure: Measure,
    /// Origins counted.
    pub origins: usize,
    /// Origins left out: not reached before or after, weight <= 0, or no numeric group value.
    pub left_out: usize,
    /// Gini of the cost before.
    pub gini_before: f64,
    /// Gini of the cost after.
    pub gini_after: f64,
    /// Palma ratio of the cost before (higher: the furthest tenth bear more).
    pub palma_before: f64,
    /// Palma ratio of the cost after.
    pub palma_after: f64,
    /// Concentration index of the cost before, by the group ranking.
    pub concentration_before: f64,
    /// Concentration index of the cost after.
    pub concentration_after: f64,
    /// Concentration index of the change (negative: the increase falls more on low ranks).
    pub concentration_change: f64,
    /// Generalized concentration index of the change, in metres or seconds.
    pub generalized_change: f64,
    /// Per group, in ascending numeric order.
    pub by_group: Vec<GroupChange>,
    /// Mean change in groups 1-3 over the mean change in groups 8-10, when the groups are deciles
    /// (numbers within 1..=10) and both sides have weight: above 1, the most deprived three tenths
    /// bear more than the least deprived three.
    pub decile_ratio: Option<f64>,
}

impl Impact<'_> {
    /// Equity of this change on `measure`, ranked by group `key` (see [`Equity`]).
    pub fn equity(&self, key: &str, measure: Measure) -> Equity {
        let mut rows: Vec<(f64, f64, f64, f64)> = Vec::new(); // before, after, weight, rank
        let mut left_out = 0;
        for (i, o) in self.origins.iter().enumerate() {
            let rank = o.group(key).and_then(|g| g.trim().parse::<f64>().ok());
            match (self.before.label(i), self.after.label(i), rank) {
                (Some(_), Some(_), Some(r)) if o.weight > 0.0 && r.is_finite() => {
                    let pick = |(mm, ms): (u64, u64)| match measure {
                        Measure::Distance => mm as f64 / 1000.0,
                        Measure::Time => ms as f64 / 1000.0,
                    };
                    rows.push((
                        pick(self.before.exact(i)),
                        pick(self.after.exact(i)),
                        o.weight,
                        r,
                    ));
                }
                _ => left_out += 1,
            }
        }
        Equity::of_rows(key, measure, &rows, left_out)
    }
}

impl Equity {
    /// From plain `(before, after, weight, rank)` rows (lower rank = more deprived).
    ///
    /// ```
    /// use travel_impact::equity::{Equity, Measure};
    /// let e = Equity::from_rows("decile", Measure::Distance, &[(1.0, 5.0, 1.0, 1.0), (1.0, 2.0, 1.0, 10.0)]);
    /// assert_eq!(e.decile_ratio, Some(4.0)); // +4 km in decile 1, +1 km in decile 10
    /// ```
    pub fn from_rows(key: &str, measure: Measure, rows: &[(f64, f64, f64, f64)]) -> Self {
        let ok = |&&(b, a, w, r): &&(f64, f64, f64, f64)| {
            w > 0.0 && b.is_finite() && a.is_finite() && r.is_finite()
        };
        let good: Vec<_> = rows.iter().filter(ok).copied().collect();
        Self::of_rows(key, measure, &good, rows.len() - good.len())
    }

    fn of_rows(
        key: &str,
        measure: Measure,
        rows: &[(f64, f64, f64, f64)],
        left_out: usize,
    ) -> Self {
        let before: Vec<(f64, f64)> = rows.iter().map(|r| (r.0, r.2)).collect();
        let after: Vec<(f64, f64)> = rows.iter().map(|r| (r.1, r.2)).collect();
        let by = |f: fn(&(f64, f64, f64, f64)) -> f64| -> Vec<(f64, f64, f64)> {
            rows.iter().map(|r| (f(r), r.2, r.3)).collect()
        };
        let change = by(|r| r.1 - r.0);
        let mut groups: Vec<f64> = rows.iter().map(|r| r.3).collect();
        groups.sort_by(f64::total_cmp);
        groups.dedup();
        let by_group: Vec<GroupChange> = groups
            .iter()
            .map(|&g| {
                let (mut w, mut b, mut a) = (0.0, 0.0, 0.0);
                for r in rows.iter().filter(|r| r.3 == g) {
                    w += r.2;
                    b += r.0 * r.2;
                    a += r.1 * r.2;
                }
                GroupChange {
                    group: format!("{g}"),
                    weight: w,
                    before: b / w,
                    after: a / w,
                    change: (a - b) / w,
                }
            })
            .collect();
        let deciles = groups.iter().all(|&g| (1.0..=10.0).contains(&g));
        let mean_change = |lo: f64, hi: f64| {
            let (mut w, mut c) = (0.0, 0.0);
            for r in rows.iter().filter(|r| (lo..=hi).contains(&r.3)) {
                w += r.2;
                c += (r.1 - r.0) * r.2;
            }
            (w > 0.0).then(|| c / w)
        };
        let decile_ratio = match (deciles, mean_change(1.0, 3.0), mean_change(8.0, 10.0)) {
            (true, Some(low), Some(high)) => Some(low / high),
            _ => None,
        };
        Self {
            key: key.to_string(),
            measure,
            origins: rows.len(),
            left_out,
            gini_before: gini(&before),
            gini_after: gini(&after),
            palma_before: palma(&before),
            palma_after: palma(&after),
            concentration_before: concentration_index(&by(|r| r.0)),
            concentration_after: concentration_index(&by(|r| r.1)),
            concentration_change: concentration_index(&change),
            generalized_change: generalized_concentration_index(&change),
            by_group,
            decile_ratio,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// Gini against the pairwise definition, computed by hand: weights act as repeats.
    #[test]
    fn gini_by_hand() {
        // [1, 1, 3]: ordered pairs sum 8; 8 / (2 * 9 * 5/3) = 4/15.
        assert!(close(gini(&[(1.0, 2.0), (3.0, 1.0)]), 4.0 / 15.0));
        assert!(close(
            gini(&[(1.0, 1.0), (3.0, 1.0), (1.0, 1.0)]),
            4.0 / 15.0
        ));
        // One unit of four holds everything: sum 2*3*4 = 24 over 2*16*1 = 0.75.
        assert!(close(
            gini(&[(0.0, 1.0), (0.0, 1.0), (4.0, 1.0), (0.0, 1.0)]),
            0.75
        ));
        assert!(gini(&[(0.0, 1.0)]).is_nan());
        // Left out: zero weight, non-finite values.
        assert!(close(
            gini(&[(1.0, 2.0), (3.0, 1.0), (99.0, 0.0), (f64::NAN, 5.0)]),
            4.0 / 15.0
        ));
    }

    #[test]
    fn palma_by_hand() {
        // [1,1,1,1,6]: bottom 2 units hold 2; top half unit holds 3.
        let v = [(1.0, 1.0), (1.0, 1.0), (6.0, 1.0), (1.0, 1.0), (1.0, 1.0)];
        assert!(close(palma(&v), 1.5));
        // The same with weights: 4 units of 1 as one unit of weight 4.
        assert!(close(palma(&[(1.0, 4.0), (6.0, 1.0)]), 1.5));
        // Equal values: top tenth over bottom four tenths = 0.1 / 0.4.
        assert!(close(palma(&[(7.0, 3.0)]), 0.25));
        assert_eq!(palma(&[(0.0, 4.0), (6.0, 1.0)]), f64::INFINITY);
        assert!(palma(&[(0.0, 4.0)]).is_nan());
    }

    /// Ties in rank (same decile) share the group's average fractional rank.
    #[test]
    fn concentration_with_tied_ranks_by_hand() {
        // W = 4; ranks 1,1 -> R = 1/4; rank 2 (weight 2) -> R = 3/4. Mean 1.5, cov -1/8.
        let v = [(3.0, 1.0, 1.0), (1.0, 1.0, 1.0), (1.0, 2.0, 2.0)];
        assert!(close(concentration_index(&v), -1.0 / 6.0));
        assert!(close(generalized_concentration_index(&v), -0.25));
        // Order within the tie does not matter.
        let w = [(1.0, 1.0, 1.0), (1.0, 2.0, 2.0), (3.0, 1.0, 1.0)];
        assert!(close(concentration_index(&w), -1.0 / 6.0));
        // Everyone the same: zero.
        assert!(close(
            concentration_index(&[(2.0, 1.0, 1.0), (2.0, 3.0, 5.0)]),
            0.0
        ));
        // All on the highest rank: positive.
        assert!(concentration_index(&[(0.0, 1.0, 1.0), (5.0, 1.0, 2.0)]) > 0.0);
    }

    #[test]
    fn equity_rows_by_hand() {
        // Decile 1: 1 -> 5 km (weight 2); decile 2: 2 -> 3 (weight 1); decile 9: 1 -> 2 (weight 1).
        let rows = [
            (1.0, 5.0, 2.0, 1.0),
            (2.0, 3.0, 1.0, 2.0),
            (1.0, 2.0, 1.0, 9.0),
            (1.0, f64::NAN, 1.0, 9.0),
        ];
        let e = Equity::from_rows("imd_decile", Measure::Distance, &rows);
        assert_eq!((e.origins, e.left_out), (3, 1));
        let groups: Vec<(&str, f64, f64)> = e
            .by_group
            .iter()
            .map(|g| (g.group.as_str(), g.weight, g.change))
            .collect();
        assert_eq!(groups, [("1", 2.0, 4.0), ("2", 1.0, 1.0), ("9", 1.0, 1.0)]);
        // Deciles 1-3: (8 + 1) / 3 = 3; 8-10: 1.
        assert_eq!(e.decile_ratio, Some(3.0));
        // Changes 4 (weight 2, R 1/4), 1 (R 5/8), 1 (R 7/8): mean 2.5, mean R 1/2;
        // cov = [2 * 1.5 * -0.25 + -1.5 * 0.125 + -1.5 * 0.375] / 4 = -1.5 / 4; CI = -0.75 / 2.5.
        assert!(close(e.generalized_change, -0.75));
        assert!(close(e.concentration_change, -0.3));
        assert!(close(
            e.gini_before,
            gini(&[(1.0, 2.0), (2.0, 1.0), (1.0, 1.0)])
        ));
        // Not deciles: no ratio.
        let e = Equity::from_rows(
            "x",
            Measure::Time,
            &[(1.0, 2.0, 1.0, 0.0), (1.0, 2.0, 1.0, 11.0)],
        );
        assert_eq!(e.decile_ratio, None);
    }
}
