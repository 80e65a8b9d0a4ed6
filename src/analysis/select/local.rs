//! Greedy addition and vertex substitution (Teitz and Bart 1968) on any set cost to minimise.
//!
//! Both are deterministic: greedy adds the candidate that lowers the cost most (ties: the lower
//! index); substitution takes, each round, the swap (one chosen out, one other in) that lowers
//! the cost most (ties: the first in (out, in) index order), until no swap lowers it. Strict
//! improvement on a finite set cannot cycle.

/// Adds candidates to `start` one at a time, each the one lowering `cost` most, until it holds `k`.
pub(crate) fn greedy(
    m: usize,
    k: usize,
    start: Vec<usize>,
    cost: &impl Fn(&[usize]) -> f64,
) -> Vec<usize> {
    let mut set = start;
    while set.len() < k {
        let mut best: Option<(f64, usize)> = None;
        for j in (0..m).filter(|j| !set.contains(j)) {
            let mut trial = set.clone();
            trial.push(j);
            let c = cost(&trial);
            if best.is_none_or(|(b, _)| c < b) {
                best = Some((c, j));
            }
        }
        let Some((_, j)) = best else { break };
        set.push(j);
    }
    set.sort_unstable();
    set
}

/// Best-improvement swaps from `start` until none lowers `cost`.
pub(crate) fn substitute(
    m: usize,
    start: Vec<usize>,
    cost: &impl Fn(&[usize]) -> f64,
) -> Vec<usize> {
    let mut set = start;
    set.sort_unstable();
    let mut current = cost(&set);
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for out in 0..set.len() {
            for j in (0..m).filter(|j| !set.contains(j)) {
                let mut trial = set.clone();
                trial[out] = j;
                let c = cost(&trial);
                if c < current && best.is_none_or(|(b, _, _)| c < b) {
                    best = Some((c, out, j));
                }
            }
        }
        let Some((c, out, j)) = best else { break };
        set[out] = j;
        set.sort_unstable();
        current = c;
    }
    set
}

/// The best (by `cost`, ties: lexicographically smaller) of greedy + substitution and of
/// substitution from each start.
pub(crate) fn incumbent(
    m: usize,
    k: usize,
    starts: &[Vec<usize>],
    cost: &impl Fn(&[usize]) -> f64,
) -> (Vec<usize>, f64) {
    let mut tries = vec![substitute(m, greedy(m, k, Vec::new(), cost), cost)];
    tries.extend(starts.iter().map(|s| substitute(m, s.clone(), cost)));
    tries
        .into_iter()
        .map(|s| {
            let c = cost(&s);
            (s, c)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)))
        .expect("greedy always gives a set")
}
