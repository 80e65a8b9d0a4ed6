//! Maximal coverage: maximise the weight within a threshold of a chosen site.
//!
//! Branch and bound over candidates in index order (include, then exclude). At a node with r
//! sites still to choose, the weight covered so far plus the r largest marginal gains among the
//! free candidates bounds every completion from above: coverage is submodular, so a set's gain is
//! at most the sum of its members' single gains.

use crate::analysis::select::local::incumbent;
use crate::analysis::select::{Found, Problem, TOLERANCE};

use self::covered as covered_by;

/// Weight of the origins within `limit` (thousandths) of some site of `set`.
pub(crate) fn covered(p: &Problem, set: &[usize], limit: u64) -> f64 {
    p.nearest(set)
        .iter()
        .zip(&p.w)
        .filter(|(d, _)| **d <= limit)
        .map(|(_, w)| w)
        .sum()
}

pub(crate) fn solve(
    p: &Problem,
    k: usize,
    limit: u64,
    starts: &[Vec<usize>],
    budget: u64,
) -> Found {
    let cost = |s: &[usize]| -covered(p, s, limit);
    let (best, best_cost) = incumbent(p.m, k, starts, &cost);
    // Per candidate, the origins it covers.
    let lists: Vec<Vec<usize>> = (0..p.m)
        .map(|j| (0..p.n).filter(|&i| p.row(j)[i] <= limit).collect())
        .collect();
    let mut bb = Bb {
        p,
        k,
        limit,
        lists: &lists,
        best,
        best_v: -best_cost,
        nodes: 0,
        budget,
        chosen: Vec::with_capacity(k),
        times_covered: vec![0; p.n],
        root_bound: f64::INFINITY,
    };
    let exact = bb.dfs(0, 0.0);
    let share = |w: f64| w / p.total_weight;
    Found {
        bound: share(if exact { bb.best_v } else { bb.root_bound }),
        chosen: bb.best,
        exact,
        nodes: bb.nodes,
    }
}

struct Bb<'a> {
    p: &'a Problem,
    k: usize,
    limit: u64,
    lists: &'a [Vec<usize>],
    best: Vec<usize>,
    best_v: f64,
    nodes: u64,
    budget: u64,
    chosen: Vec<usize>,
    /// Per origin, how many chosen sites cover it.
    times_covered: Vec<u32>,
    root_bound: f64,
}

impl Bb<'_> {
    fn dfs(&mut self, j: usize, covered: f64) -> bool {
        self.nodes += 1;
        if self.nodes > self.budget {
            return false;
        }
        let r = self.k - self.chosen.len();
        if r == 0 {
            // Summed afresh, in origin order, as every other evaluation is.
            let covered = covered_by(self.p, &self.chosen, self.limit);
            if covered > self.best_v || (covered == self.best_v && self.chosen < self.best) {
                self.best_v = covered;
                self.best.clone_from(&self.chosen);
            }
            return true;
        }
        if self.p.m - j < r {
            return true;
        }
        let gain = |c: usize, times: &[u32]| -> f64 {
            self.lists[c]
                .iter()
                .filter(|&&i| times[i] == 0)
                .map(|&i| self.p.w[i])
                .sum()
        };
        let mut gains: Vec<f64> = (j..self.p.m)
            .map(|c| gain(c, &self.times_covered))
            .collect();
        gains.sort_by(|a, b| b.total_cmp(a));
        let upper = covered + gains[..r].iter().sum::<f64>();
        if self.nodes == 1 {
            self.root_bound = upper;
        }
        if upper < self.best_v - TOLERANCE * self.best_v.abs() {
            return true;
        }
        let g = gain(j, &self.times_covered);
        self.chosen.push(j);
        for &i in &self.lists[j] {
            self.times_covered[i] += 1;
        }
        let ok = self.dfs(j + 1, covered + g);
        for &i in &self.lists[j] {
            self.times_covered[i] -= 1;
        }
        self.chosen.pop();
        ok && self.dfs(j + 1, covered)
    }
}
