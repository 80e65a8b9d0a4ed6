//! p-center: minimise the worst cost of any origin.
//!
//! The optimum is one of the matrix's costs. A binary search over the sorted distinct costs asks,
//! at each threshold T, whether k candidates cover every origin within T: an exact set-cover
//! search that branches on the uncovered origin with the fewest candidates within T (ties: the
//! lower origin), trying those candidates in index order and forbidding each once tried. The
//! cover found at the smallest feasible T is completed to k sites by greedy addition, then
//! substitution, on the weighted total among sets whose worst stays within T.

use crate::analysis::select::local::{greedy, substitute};
use crate::analysis::select::{Found, Problem, UNREACHED};

/// The worst cost to the nearest of `set` (metres or seconds); infinite if some origin is not
/// reached.
pub(crate) fn worst(p: &Problem, set: &[usize]) -> f64 {
    match p.nearest(set).into_iter().max() {
        None => f64::NAN,
        Some(UNREACHED) => f64::INFINITY,
        Some(d) => d as f64 / 1000.0,
    }
}

/// The answer of a set-cover search.
enum Cover {
    Found(Vec<usize>),
    None,
    /// The node budget ran out.
    Unknown,
}

pub(crate) fn solve(p: &Problem, k: usize, starts: &[Vec<usize>], budget: u64) -> Found {
    let mut t: Vec<u64> = p.c.iter().copied().filter(|&c| c != UNREACHED).collect();
    t.sort_unstable();
    t.dedup();
    // No set does better than every origin at its own nearest candidate.
    let floor = (0..p.n)
        .map(|i| {
            (0..p.m)
                .map(|j| p.c[j * p.n + i])
                .min()
                .unwrap_or(UNREACHED)
        })
        .max()
        .unwrap_or(0);
    let mut lo = t.partition_point(|&x| x < floor);
    let mut hi = t.len().saturating_sub(1);
    let mut nodes = 0;
    let mut exact = true;
    let mut cover: Option<Vec<usize>> = None;
    for s in starts {
        let w = p.nearest(s).into_iter().max().unwrap_or(0);
        if w != UNREACHED {
            let at = t.partition_point(|&x| x < w);
            if at <= hi {
                hi = at;
                cover = Some(s.clone());
            }
        }
    }
    if cover.is_none() && !t.is_empty() {
        match set_cover(p, k, t[hi], budget, &mut nodes) {
            Cover::Found(s) => cover = Some(s),
            Cover::None => {}
            Cover::Unknown => exact = false,
        }
    }
    let Some(mut cover) = cover else {
        // No k sites reach every origin (or none proven to): the best total instead.
        let cost = |s: &[usize]| super::median::total(p, s);
        let set = substitute(p.m, greedy(p.m, k, Vec::new(), &cost), &cost);
        return Found {
            bound: if exact { f64::INFINITY } else { 0.0 },
            chosen: set,
            exact,
            nodes,
        };
    };
    // Invariant: a cover exists at t[hi]; below t[lo] none does.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match set_cover(p, k, t[mid], budget.saturating_sub(nodes), &mut nodes) {
            Cover::Found(s) => {
                hi = mid;
                cover = s;
            }
            Cover::None => lo = mid + 1,
            Cover::Unknown => {
                exact = false;
                break;
            }
        }
    }
    let limit = t[hi];
    let cost = |s: &[usize]| {
        let d = p.nearest(s);
        if d.iter().any(|&x| x > limit) {
            f64::INFINITY
        } else {
            d.iter().zip(&p.w).map(|(&d, &w)| w * d as f64).sum()
        }
    };
    cover = substitute(p.m, greedy(p.m, k, cover, &cost), &cost);
    Found {
        bound: if exact { limit } else { t[lo] } as f64 / 1000.0,
        chosen: cover,
        exact,
        nodes,
    }
}

/// Is there a set of at most `k` candidates within `limit` of every origin? `nodes` counts the
/// search nodes; at most `budget` more are explored.
fn set_cover(p: &Problem, k: usize, limit: u64, budget: u64, nodes: &mut u64) -> Cover {
    let words = p.n.div_ceil(64);
    let covers: Vec<Vec<u64>> = (0..p.m)
        .map(|j| {
            let mut bits = vec![0u64; words];
            for (i, &c) in p.row(j).iter().enumerate() {
                if c <= limit {
                    bits[i / 64] |= 1 << (i % 64);
                }
            }
            bits
        })
        .collect();
    let mut all = vec![u64::MAX; words];
    if !p.n.is_multiple_of(64) {
        all[words - 1] = (1u64 << (p.n % 64)) - 1;
    }
    let mut s = Search {
        covers: &covers,
        k,
        forbidden: vec![false; p.m],
        chosen: Vec::with_capacity(k),
        nodes: 0,
        budget,
    };
    let out = s.run(&all);
    *nodes += s.nodes;
    out
}

struct Search<'a> {
    covers: &'a [Vec<u64>],
    k: usize,
    forbidden: Vec<bool>,
    chosen: Vec<usize>,
    nodes: u64,
    budget: u64,
}

impl Search<'_> {
    fn run(&mut self, uncovered: &[u64]) -> Cover {
        if uncovered.iter().all(|&w| w == 0) {
            return Cover::Found(self.chosen.clone());
        }
        if self.chosen.len() == self.k {
            return Cover::None;
        }
        self.nodes += 1;
        if self.nodes > self.budget {
            return Cover::Unknown;
        }
        let has = |j: usize, i: usize| self.covers[j][i / 64] >> (i % 64) & 1 == 1;
        let mut pick: Option<(usize, usize)> = None; // (count, origin)
        for (wi, &word) in uncovered.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let i = wi * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let count = (0..self.covers.len())
                    .filter(|&j| !self.forbidden[j] && has(j, i))
                    .count();
                if count == 0 {
                    return Cover::None;
                }
                if pick.is_none_or(|(c, _)| count < c) {
                    pick = Some((count, i));
                }
            }
        }
        let (_, i) = pick.expect("some origin is uncovered");
        let options: Vec<usize> = (0..self.covers.len())
            .filter(|&j| !self.forbidden[j] && has(j, i))
            .collect();
        let mut answer = Cover::None;
        for &j in &options {
            self.chosen.push(j);
            let rest: Vec<u64> = uncovered
                .iter()
                .zip(&self.covers[j])
                .map(|(u, c)| u & !c)
                .collect();
            let r = self.run(&rest);
            self.chosen.pop();
            match r {
                Cover::None => self.forbidden[j] = true,
                found => {
                    answer = found;
                    break;
                }
            }
        }
        for &j in &options {
            self.forbidden[j] = false;
        }
        answer
    }
}
