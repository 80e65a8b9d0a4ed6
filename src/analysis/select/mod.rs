//! Site selection: which k of the candidate sites serve the origins best, so that a plan can be
//! compared with the best plan of the same size.
//!
//! Three classic location problems (ReVelle and Eiselt 2005, "Location analysis: a synthesis and
//! survey", EJOR 165), on exact network costs from a [`CostMatrix`]:
//!
//! - **p-median** (Hakimi 1964): minimise the weighted mean cost to the nearest chosen site.
//! - **p-center**: minimise the worst cost of any origin (of weight > 0).
//! - **maximal coverage** (Church and ReVelle 1974): maximise the weight within a threshold.
//!
//! Each is solved exactly by branch and bound when it finishes within a node budget; otherwise
//! the best set found is returned with a proven bound and the gap ([`Selection::exact`],
//! [`Selection::bound`]). The incumbent comes from greedy addition followed by vertex
//! substitution (Teitz and Bart 1968), started from greedy and from every given start (e.g. the
//! plan being compared), so the result is never worse than a start. The p-median bound is the
//! Lagrangian relaxation of the assignment constraints, optimised by subgradient (Beasley 1993,
//! "Lagrangean heuristics for location problems", EJOR 65); the maximal-coverage bound adds the
//! r largest marginal gains (valid since coverage is submodular); the p-center is a search over
//! the sorted costs with an exact set-cover test at each.
//!
//! Deterministic: everything after the matrix is sequential; ties go to the set of candidate
//! indices that comes first in lexicographic order (p-median, maximal coverage); for the
//! p-center, to the first cover found (branching on the origin with fewest candidates, candidates
//! in index order), completed to k sites by greedy addition then substitution on the weighted
//! mean among sets keeping the optimal worst cost.
//!
//! Origins of weight 0 (or rejected) and origins no candidate reaches are left out of the
//! p-median and p-center and counted in [`Selection::left_out`]; maximal coverage counts them as
//! not covered. A set that leaves some origin unreached has an infinite p-median and p-center
//! value.

mod center;
mod coverage;
mod local;
mod matrix;
mod median;

pub use matrix::CostMatrix;

use crate::analysis::equity::Measure;
use crate::error::{Error, Result};

/// Branch-and-bound nodes allowed before a solver stops and reports a gap.
pub const NODE_BUDGET: u64 = 20_000_000;

/// What a selection optimises.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// Minimise the weighted mean cost (p-median).
    Median,
    /// Minimise the worst cost (p-center).
    Center,
    /// Maximise the share of weight whose cost is within `within` (metres or seconds, by the
    /// measure).
    Coverage {
        /// The threshold.
        within: f64,
    },
}

impl std::fmt::Display for Goal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Goal::Median => f.write_str("p-median"),
            Goal::Center => f.write_str("p-center"),
            Goal::Coverage { within } => write!(f, "coverage within {within}"),
        }
    }
}

/// The best set of k candidates found for a goal, with a proof of how good it is.
///
/// ```
/// use travel_impact::{CostMatrix, Goal, Measure};
/// // Three candidates, three origins (weights 1, 1, 2): costs[candidate][origin] in metres.
/// let m = CostMatrix::from_costs(vec!["a".into(), "b".into(), "c".into()], vec![1.0, 1.0, 2.0], &[
///     vec![Some(0.0), Some(5.0), Some(9.0)],
///     vec![Some(5.0), Some(0.0), Some(4.0)],
///     vec![Some(9.0), Some(4.0), Some(0.0)],
/// ])?;
/// let best = m.select(Goal::Median, Measure::Distance, 2, &[])?;
/// assert_eq!(best.ids, ["a", "c"]); // mean (0 + 4 + 0) / 4 = 1
/// assert_eq!(best.value, 1.0);
/// assert!(best.exact);
/// let worst = m.select(Goal::Center, Measure::Distance, 1, &[])?;
/// assert_eq!((worst.ids.as_slice(), worst.value), (&["b".to_string()][..], 5.0));
/// # Ok::<(), travel_impact::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// The goal.
    pub goal: Goal,
    /// The measure.
    pub measure: Measure,
    /// Sites chosen.
    pub k: usize,
    /// Candidate indices chosen, ascending.
    pub chosen: Vec<usize>,
    /// Their ids.
    pub ids: Vec<String>,
    /// The goal's value: weighted mean or worst cost (metres or seconds), or share covered (0-1).
    pub value: f64,
    /// A proven bound on the optimum: lower for p-median and p-center, upper for coverage.
    /// Equal to `value` when `exact`.
    pub bound: f64,
    /// The search finished: `value` is the optimum (to 1e-9 relative).
    pub exact: bool,
    /// Branch-and-bound nodes (or set-cover nodes) explored.
    pub nodes: u64,
    /// Origins left out (see the module docs).
    pub left_out: usize,
}

impl Selection {
    /// Relative optimality gap: |value − bound| / |value| (0 when exact).
    pub fn gap(&self) -> f64 {
        if self.exact || self.value == self.bound {
            0.0
        } else {
            (self.value - self.bound).abs() / self.value.abs()
        }
    }
}

/// A cost matrix reduced to one measure: the origins kept (weight > 0, reached by some
/// candidate), costs in thousandths, `u64::MAX` for unreachable.
pub(crate) struct Problem {
    pub(crate) m: usize,
    pub(crate) n: usize,
    pub(crate) w: Vec<f64>,
    /// `[candidate * n + origin]`.
    pub(crate) c: Vec<u64>,
    pub(crate) left_out: usize,
    /// Weight of every valid origin (weight > 0), kept or not.
    pub(crate) total_weight: f64,
}

pub(crate) const UNREACHED: u64 = u64::MAX;

impl Problem {
    fn new(matrix: &CostMatrix, measure: Measure) -> Self {
        let m = matrix.candidates.len();
        let keep: Vec<usize> = (0..matrix.origins())
            .filter(|&i| {
                matrix.weights[i] > 0.0 && (0..m).any(|j| matrix.exact(j, i, measure).is_some())
            })
            .collect();
        let mut c = Vec::with_capacity(m * keep.len());
        for j in 0..m {
            c.extend(
                keep.iter()
                    .map(|&i| matrix.exact(j, i, measure).unwrap_or(UNREACHED)),
            );
        }
        Self {
            m,
            n: keep.len(),
            w: keep.iter().map(|&i| matrix.weights[i]).collect(),
            c,
            left_out: matrix.origins() - keep.len(),
            total_weight: matrix.weights.iter().filter(|&&w| w > 0.0).sum(),
        }
    }

    pub(crate) fn row(&self, j: usize) -> &[u64] {
        &self.c[j * self.n..(j + 1) * self.n]
    }

    /// Per origin, the cost to the nearest of `set`.
    pub(crate) fn nearest(&self, set: &[usize]) -> Vec<u64> {
        let mut d = vec![UNREACHED; self.n];
        for &j in set {
            for (di, &cji) in d.iter_mut().zip(self.row(j)) {
                *di = (*di).min(cji);
            }
        }
        d
    }
}

/// The relative tolerance of bound comparisons (bounds are sums of floats).
pub(crate) const TOLERANCE: f64 = 1e-9;

impl CostMatrix {
    /// The value of a given set of candidates for a goal (see [`Selection::value`]): to compare
    /// a plan with the best of its size on the same footing.
    pub fn value(&self, goal: Goal, measure: Measure, set: &[usize]) -> f64 {
        let p = Problem::new(self, measure);
        value(&p, goal, set)
    }

    /// The best `k` candidates for `goal` on `measure` (see the [module docs](crate::select)). `starts`
    /// are sets of candidate indices (e.g. from [`CostMatrix::indices`]) that the local search
    /// also starts from, so the result is never worse than any of them.
    pub fn select(
        &self,
        goal: Goal,
        measure: Measure,
        k: usize,
        starts: &[Vec<usize>],
    ) -> Result<Selection> {
        let m = self.candidates.len();
        if k == 0 || k > m {
            return Err(Error::InvalidOption {
                option: "k",
                message: format!("{k} sites from {m} candidates"),
            });
        }
        let mut clean = Vec::with_capacity(starts.len());
        for s in starts {
            let mut s = s.clone();
            s.sort_unstable();
            s.dedup();
            if s.len() != k || s.iter().any(|&j| j >= m) {
                return Err(Error::InvalidOption {
                    option: "starts",
                    message: format!("a start must be {k} distinct candidate indices: {s:?}"),
                });
            }
            clean.push(s);
        }
        let p = Problem::new(self, measure);
        let found = match goal {
            // Nobody to serve: every set is as good; the first.
            _ if p.n == 0 => Found {
                chosen: (0..k).collect(),
                bound: value(&p, goal, &(0..k).collect::<Vec<_>>()),
                exact: true,
                nodes: 0,
            },
            Goal::Median => median::solve(&p, k, &clean, NODE_BUDGET),
            Goal::Center => center::solve(&p, k, &clean, NODE_BUDGET),
            Goal::Coverage { within } => {
                if !(within.is_finite() && within >= 0.0) {
                    return Err(Error::InvalidOption {
                        option: "within",
                        message: format!("{within} is not a threshold"),
                    });
                }
                coverage::solve(&p, k, (within * 1000.0).round() as u64, &clean, NODE_BUDGET)
            }
        };
        Ok(Selection {
            goal,
            measure,
            k,
            ids: found
                .chosen
                .iter()
                .map(|&j| self.candidates[j].clone())
                .collect(),
            value: value(&p, goal, &found.chosen),
            bound: found.bound,
            exact: found.exact,
            nodes: found.nodes,
            chosen: found.chosen,
            left_out: p.left_out,
        })
    }
}

/// What a solver found: the set, a bound in the goal's units, whether it is proven optimal.
pub(crate) struct Found {
    pub(crate) chosen: Vec<usize>,
    pub(crate) bound: f64,
    pub(crate) exact: bool,
    pub(crate) nodes: u64,
}

fn value(p: &Problem, goal: Goal, set: &[usize]) -> f64 {
    match goal {
        Goal::Median => median::total(p, set) / p.w.iter().sum::<f64>(),
        Goal::Center => center::worst(p, set),
        Goal::Coverage { within } => {
            coverage::covered(p, set, (within * 1000.0).round() as u64) / p.total_weight
        }
    }
}
