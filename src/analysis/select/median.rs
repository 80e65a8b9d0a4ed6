//! p-median: minimise the weighted total cost to the nearest chosen site.
//!
//! Lower bound: the Lagrangian relaxation of "each origin is assigned once" (Beasley 1993). For
//! multipliers λ, with `f_ji = w_i c_ji` and `ρ_j = Σ_i min(0, f_ji − λ_i)`, `L(λ) = Σ_i λ_i +
//! (sum of the k smallest ρ_j)` is below the optimum; subgradient steps raise it. Branch and bound
//! (include candidate j, then exclude it, in index order) reuses the best λ: at a node with the
//! chosen set S and r sites still to choose from the free candidates F, `Σ λ + Σ_{j∈S} ρ_j + (sum
//! of the r smallest ρ over F)` bounds every completion, in O(1) from a table.

use crate::analysis::select::local::incumbent;
use crate::analysis::select::{Found, Problem, TOLERANCE, UNREACHED};

/// Cost of an origin no chosen site reaches, in the Lagrangian and the local search: larger than
/// any real route (10,000 km or 116 days), so every set that reaches everyone is preferred.
const PENALTY: f64 = 1e13;

/// Σ w_i × (cost to the nearest of `set`), in metres or seconds; infinite if some origin is not
/// reached.
pub(crate) fn total(p: &Problem, set: &[usize]) -> f64 {
    let d = p.nearest(set);
    if d.contains(&UNREACHED) {
        return f64::INFINITY;
    }
    d.iter().zip(&p.w).map(|(&d, &w)| w * d as f64).sum::<f64>() / 1000.0
}

/// The same with unreached origins at [`PENALTY`], in thousandths: the local search's cost.
fn penalised(p: &Problem, set: &[usize]) -> f64 {
    p.nearest(set)
        .iter()
        .zip(&p.w)
        .map(|(&d, &w)| w * if d == UNREACHED { PENALTY } else { d as f64 })
        .sum()
}

pub(crate) fn solve(p: &Problem, k: usize, starts: &[Vec<usize>], budget: u64) -> Found {
    let cost = |s: &[usize]| penalised(p, s);
    let (mut best, mut best_v) = incumbent(p.m, k, starts, &cost);
    let (lower, lambda_sum, rho) = lagrangian(p, k, best_v);
    // Always searched, even when the bound already meets the incumbent: an equally good set
    // earlier in index order wins the tie.
    // suffix[j][r]: the sum of the r smallest ρ among candidates j.. (∞ if fewer than r).
    let mut suffix = vec![vec![f64::INFINITY; k + 1]; p.m + 1];
    for (j, row) in suffix.iter_mut().enumerate() {
        let mut tail: Vec<f64> = rho[j..].to_vec();
        tail.sort_by(f64::total_cmp);
        row[0] = 0.0;
        for r in 1..=k.min(tail.len()) {
            row[r] = row[r - 1] + tail[r - 1];
        }
    }
    let mut bb = Bb {
        p,
        k,
        rho: &rho,
        lambda_sum,
        suffix: &suffix,
        best: &mut best,
        best_v: &mut best_v,
        nodes: 0,
        budget,
        chosen: Vec::with_capacity(k),
    };
    let complete = bb.dfs(0, 0.0);
    let nodes = bb.nodes;
    // Thousandths of a total to a mean.
    let scale = 1000.0 * p.w.iter().sum::<f64>();
    Found {
        exact: complete,
        bound: if complete { best_v } else { lower } / scale,
        chosen: best,
        nodes,
    }
}

struct Bb<'a> {
    p: &'a Problem,
    k: usize,
    rho: &'a [f64],
    lambda_sum: f64,
    suffix: &'a [Vec<f64>],
    best: &'a mut Vec<usize>,
    best_v: &'a mut f64,
    nodes: u64,
    budget: u64,
    chosen: Vec<usize>,
}

impl Bb<'_> {
    /// Explores every completion of `chosen` from candidate `j` on; false if the budget ran out.
    fn dfs(&mut self, j: usize, rho_in: f64) -> bool {
        self.nodes += 1;
        if self.nodes > self.budget {
            return false;
        }
        let r = self.k - self.chosen.len();
        if r == 0 {
            let v = penalised(self.p, &self.chosen);
            if v < *self.best_v || (v == *self.best_v && self.chosen < *self.best) {
                *self.best_v = v;
                self.best.clone_from(&self.chosen);
            }
            return true;
        }
        if self.p.m - j < r {
            return true;
        }
        let lower = self.lambda_sum + rho_in + self.suffix[j][r];
        if lower > *self.best_v + TOLERANCE * self.best_v.abs() {
            return true;
        }
        self.chosen.push(j);
        let ok = self.dfs(j + 1, rho_in + self.rho[j]);
        self.chosen.pop();
        ok && self.dfs(j + 1, rho_in)
    }
}

/// Subgradient optimisation of the Lagrangian bound (in thousandths), given an upper bound `ub`.
/// Returns the best bound, its Σ λ and its ρ.
fn lagrangian(p: &Problem, k: usize, ub: f64) -> (f64, f64, Vec<f64>) {
    let (m, n) = (p.m, p.n);
    let f = |j: usize, i: usize| {
        let c = p.c[j * n + i];
        p.w[i] * if c == UNREACHED { PENALTY } else { c as f64 }
    };
    // Start: every origin priced at its cheapest candidate.
    let mut lambda: Vec<f64> = (0..n)
        .map(|i| (0..m).map(|j| f(j, i)).fold(f64::INFINITY, f64::min))
        .collect();
    let mut best = (f64::NEG_INFINITY, 0.0, vec![0.0; m]);
    let mut theta = 2.0;
    let mut stale = 0;
    let mut order: Vec<usize> = (0..m).collect();
    for _ in 0..5000 {
        let rho: Vec<f64> = (0..m)
            .map(|j| (0..n).map(|i| (f(j, i) - lambda[i]).min(0.0)).sum())
            .collect();
        order.sort_by(|&a, &b| rho[a].total_cmp(&rho[b]).then(a.cmp(&b)));
        let open = &order[..k];
        let lambda_sum: f64 = lambda.iter().sum();
        let l = lambda_sum + open.iter().map(|&j| rho[j]).sum::<f64>();
        if l > best.0 {
            if l > best.0 + TOLERANCE * l.abs() {
                stale = 0;
            }
            best = (l, lambda_sum, rho.clone());
        } else {
            stale += 1;
        }
        if stale >= 30 {
            theta /= 2.0;
            stale = 0;
        }
        if theta < 1e-5 || best.0 >= ub * (1.0 - TOLERANCE) {
            break;
        }
        let g: Vec<f64> = (0..n)
            .map(|i| 1.0 - open.iter().filter(|&&j| f(j, i) < lambda[i]).count() as f64)
            .collect();
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm == 0.0 {
            break; // every origin assigned exactly once: L(λ) is a feasible cost, so optimal
        }
        let step = theta * (ub - l).max(0.0) / norm;
        for (li, gi) in lambda.iter_mut().zip(&g) {
            *li += step * gi;
        }
    }
    best
}
