//! Site selection against brute force on small instances: every k-subset enumerated in
//! lexicographic order, each scored by code written here from the definitions. The solver must
//! find the optimum (and, for p-median and maximal coverage, the lexicographically first optimal
//! set), never be worse than a given start, and give the same answer whatever the thread count.
//!
//! Cases: `PROPTEST_CASES` if set, else 96. Failures are not persisted to a regressions file.

#[path = "common/proptest_config.rs"]
mod proptest_config;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use proptest_config::config;
use travel_impact::geom::Xy;
use travel_impact::{
    CostMatrix, Engine, EngineOptions, Facilities, Goal, Measure, NetworkBuilder, Objective,
    Origin, RoadSpec, Scenario, Selection,
};

#[derive(Debug, Clone)]
struct Case {
    /// costs[candidate][origin], whole metres (ties are common), None: unreachable.
    costs: Vec<Vec<Option<u32>>>,
    weights: Vec<u32>,
    k: usize,
    start: Vec<usize>,
    within: u32,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..11, 1usize..13).prop_flat_map(|(m, n)| {
        (
            prop::collection::vec(
                prop::collection::vec(prop::option::weighted(0.9, 0u32..20), n),
                m,
            ),
            prop::collection::vec(0u32..5, n),
            1..=m,
            Just(m),
            0u32..20,
            any::<u64>(),
        )
            .prop_map(|(costs, weights, k, m, within, shuffle)| {
                // A start: k distinct candidates picked by the shuffle bits.
                let mut pool: Vec<usize> = (0..m).collect();
                let mut s = shuffle;
                let mut start = Vec::new();
                for _ in 0..k {
                    let at = (s % pool.len() as u64) as usize;
                    s /= pool.len() as u64;
                    start.push(pool.remove(at));
                }
                Case {
                    costs,
                    weights,
                    k,
                    start,
                    within,
                }
            })
    })
}

fn matrix(c: &Case) -> CostMatrix {
    CostMatrix::from_costs(
        (0..c.costs.len()).map(|j| format!("c{j}")).collect(),
        c.weights.iter().map(|&w| w as f64).collect(),
        &c.costs
            .iter()
            .map(|row| row.iter().map(|x| x.map(f64::from)).collect())
            .collect::<Vec<_>>(),
    )
    .unwrap()
}

/// Every k-subset of 0..m in lexicographic order.
fn subsets(m: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut s: Vec<usize> = (0..k).collect();
    loop {
        out.push(s.clone());
        let Some(i) = (0..k).rev().find(|&i| s[i] < m - k + i) else {
            return out;
        };
        s[i] += 1;
        for j in i + 1..k {
            s[j] = s[j - 1] + 1;
        }
    }
}

/// The goal's value of `set`, from the definitions (thousandths summed in origin order, as
/// integers are exact in f64 at these sizes).
fn score(c: &Case, goal: Goal, set: &[usize]) -> f64 {
    let n = c.weights.len();
    // Kept: weight > 0 and reached by some candidate.
    let kept: Vec<usize> = (0..n)
        .filter(|&i| c.weights[i] > 0 && c.costs.iter().any(|row| row[i].is_some()))
        .collect();
    let nearest = |i: usize| set.iter().filter_map(|&j| c.costs[j][i]).min();
    match goal {
        Goal::Median => {
            let mut total = 0.0;
            for &i in &kept {
                match nearest(i) {
                    Some(d) => total += c.weights[i] as f64 * (d as f64 * 1000.0),
                    None => return f64::INFINITY,
                }
            }
            let w: f64 = kept.iter().map(|&i| c.weights[i] as f64).sum();
            total / 1000.0 / w
        }
        Goal::Center => {
            let mut worst = None;
            for &i in &kept {
                match nearest(i) {
                    Some(d) => worst = worst.max(Some(d)),
                    None => return f64::INFINITY,
                }
            }
            worst.map_or(f64::NAN, |d| d as f64)
        }
        Goal::Coverage { within } => {
            let all: f64 = c.weights.iter().map(|&w| w as f64).sum();
            let covered: f64 = (0..n)
                .filter(|&i| nearest(i).is_some_and(|d| d as f64 <= within))
                .map(|i| c.weights[i] as f64)
                .sum();
            covered / all
        }
    }
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

fn check(c: &Case) -> Result<(), TestCaseError> {
    let m = matrix(c);
    let goals = [
        Goal::Median,
        Goal::Center,
        Goal::Coverage {
            within: c.within as f64,
        },
    ];
    for goal in goals {
        let maximise = matches!(goal, Goal::Coverage { .. });
        // Brute force: the first best in lexicographic order.
        let mut best: Option<(f64, Vec<usize>)> = None;
        for s in subsets(c.costs.len(), c.k) {
            let v = score(c, goal, &s);
            let better = match &best {
                None => true,
                Some((b, _)) if maximise => v > *b,
                Some((b, _)) => v < *b,
            };
            if better {
                best = Some((v, s));
            }
        }
        let (want, want_set) = best.unwrap();
        let got = m
            .select(goal, Measure::Distance, c.k, std::slice::from_ref(&c.start))
            .unwrap();
        prop_assert!(got.exact, "{goal}: not exact");
        prop_assert!(
            same(got.value, want),
            "{goal}: {} vs brute force {want}",
            got.value
        );
        prop_assert!(same(score(c, goal, &got.chosen), got.value));
        prop_assert!(same(got.bound, got.value) || !want.is_finite());
        if goal != Goal::Center && want.is_finite() {
            prop_assert_eq!(&got.chosen, &want_set, "{}", goal);
        }
        // Never worse than the start.
        let plan = score(c, goal, &c.start);
        prop_assert!(same(m.value(goal, Measure::Distance, &c.start), plan));
        if plan.is_nan() {
            prop_assert!(got.value.is_nan()); // nobody to serve
        } else if maximise {
            prop_assert!(got.value >= plan);
        } else {
            prop_assert!(
                got.value <= plan,
                "{goal}: {} worse than start {plan}",
                got.value
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]
    #[test]
    fn selection_matches_brute_force(c in case()) {
        check(&c)?;
    }
}

/// A grid town: the matrix (one search per candidate, in parallel) and every solver give the
/// same answer on one thread and on two, and match brute force over the network costs.
#[test]
fn same_answer_on_one_and_two_threads() {
    let mut b = NetworkBuilder::new();
    let id = |x: u64, y: u64| y * 10 + x;
    for y in 0..8u64 {
        for x in 0..8u64 {
            b.node(id(x, y), Xy::new(x as f64 * 400.0, y as f64 * 300.0));
        }
    }
    let mut road = 0;
    for y in 0..8u64 {
        for x in 0..8u64 {
            if x < 7 {
                road += 1;
                b.road(
                    RoadSpec::new(road, id(x, y), id(x + 1, y)).speed_kmh(30.0 + 5.0 * y as f64),
                );
            }
            if y < 7 {
                road += 1;
                let r = RoadSpec::new(road, id(x, y), id(x, y + 1)).speed_kmh(50.0);
                b.road(if (x + y) % 3 == 0 { r.one_way() } else { r });
            }
        }
    }
    let engine = Engine::new(b.build().unwrap(), EngineOptions::default());
    let names: Vec<String> = (0..10).map(|i| format!("s{i}")).collect();
    let sites = Facilities::from_points(names.iter().enumerate().map(|(i, n)| {
        (
            n.as_str(),
            Xy::new((i * 311 % 2800) as f64, (i * 173 % 2100) as f64),
        )
    }))
    .unwrap();
    let candidates = Scenario::new("all", &sites, names.iter().map(String::as_str)).unwrap();
    let homes: Vec<Origin> = (0..40)
        .map(|i| {
            Origin::new(
                format!("h{i}"),
                Xy::new((i * 97 % 2800) as f64, (i * 61 % 2100) as f64 + 20.0),
            )
            .with_weight((i % 4 + 1) as f64)
        })
        .collect();
    let run = || -> Vec<Selection> {
        let mut out = Vec::new();
        for mode in ["drive", "walk"] {
            let r = engine.profile(mode).unwrap();
            let snaps = r.snap_origins(&homes);
            let m = r
                .cost_matrix(&candidates, &homes, &snaps, Objective::Time)
                .unwrap();
            for goal in [Goal::Median, Goal::Center, Goal::Coverage { within: 300.0 }] {
                for k in [2, 4] {
                    out.push(m.select(goal, Measure::Time, k, &[]).unwrap());
                }
            }
        }
        out
    };
    let pool = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    };
    let one = pool(1).install(run);
    let two = pool(2).install(run);
    assert_eq!(one, two);
    assert!(one.iter().all(|s| s.exact));
    // Brute force over the network costs for the p-median, k = 2.
    let r = engine.profile("walk").unwrap();
    let m = r
        .cost_matrix(
            &candidates,
            &homes,
            &r.snap_origins(&homes),
            Objective::Time,
        )
        .unwrap();
    let best = subsets(10, 2)
        .into_iter()
        .map(|s| m.value(Goal::Median, Measure::Time, &s))
        .fold(f64::INFINITY, f64::min);
    let got = m.select(Goal::Median, Measure::Time, 2, &[]).unwrap();
    assert_eq!(got.value, best);
    assert_eq!(one[6], got); // walk, p-median, k = 2
}
