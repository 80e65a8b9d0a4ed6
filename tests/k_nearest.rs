//! `Router::k_nearest` (one search keeping k labels per junction) against brute force: one
//! search per facility, each origin's costs sorted by the tie rule, the first k kept. Random small
//! networks on a 50 m grid (so exact ties are common), with one-way roads, motorways and roads
//! longer than the straight line, for every preset profile and both objectives.
//!
//! Cases: `PROPTEST_CASES` if set, else 96. Failures are not persisted to a regressions file.

#[path = "common/proptest_config.rs"]
mod proptest_config;
#[path = "common/random_network.rs"]
mod random_network;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use proptest_config::config;
use random_network::{PROFILES, RandomRoad, engine};
use travel_impact::geom::Xy;
use travel_impact::{
    Engine, EngineOptions, Facilities, NetworkBuilder, Objective, Origin, RoadSpec, Scenario,
};

#[derive(Debug, Clone)]
struct Case {
    nodes: Vec<(f64, f64)>,
    /// (from, to, one-way, speed index, motorway, length factor over the straight line)
    roads: Vec<RandomRoad>,
    facilities: Vec<(f64, f64)>,
    origins: Vec<(f64, f64)>,
    k: usize,
}

fn point() -> impl Strategy<Value = (f64, f64)> {
    (0u32..12, 0u32..12).prop_map(|(x, y)| (x as f64 * 50.0, y as f64 * 50.0))
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..9).prop_flat_map(|n| {
        (
            prop::collection::vec(point(), n),
            prop::collection::vec(
                (
                    0..n,
                    0..n,
                    any::<bool>(),
                    0..4usize,
                    prop::bool::weighted(0.1),
                    prop::option::of(1.0..2.0f64),
                ),
                1..16,
            ),
            prop::collection::vec(point(), 1..7),
            prop::collection::vec(point(), 1..6),
            1usize..5,
        )
            .prop_map(|(nodes, roads, facilities, origins, k)| Case {
                nodes,
                roads,
                facilities,
                origins,
                k,
            })
    })
}

fn check(c: &Case) -> Result<(), TestCaseError> {
    let Some(e) = engine(&c.nodes, &c.roads) else {
        return Ok(());
    };
    // Ids f0..f6 sort in index order, so a facility's rank is its index.
    let names: Vec<String> = (0..c.facilities.len()).map(|i| format!("f{i}")).collect();
    let sites = Facilities::from_points(
        names
            .iter()
            .zip(&c.facilities)
            .map(|(n, &(x, y))| (n.as_str(), Xy::new(x, y))),
    )
    .unwrap();
    let all = Scenario::new("all", &sites, names.iter().map(String::as_str)).unwrap();
    let homes: Vec<Origin> = c
        .origins
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| Origin::new(format!("o{i}"), Xy::new(x, y)))
        .collect();
    for objective in [Objective::Distance, Objective::Time] {
        for mode in PROFILES {
            let r = e.profile(mode).unwrap();
            let snaps = r.snap_origins(&homes);
            let placed = r.place(&all, objective);
            let got = r.k_nearest(&placed, &homes, &snaps, c.k).unwrap();
            let singles: Vec<_> = names
                .iter()
                .map(|n| r.place(&Scenario::new(n, &sites, [n.as_str()]).unwrap(), objective))
                .collect();
            for (i, home) in homes.iter().enumerate() {
                let at = r.snap(home.point);
                // Brute force: every facility's own best, sorted by the tie rule.
                let mut each: Vec<(u64, usize, u64, f64, f64)> = singles
                    .iter()
                    .enumerate()
                    .filter_map(|(f, p)| r.nearest(p, &at).ok().map(|a| (f, a)))
                    .map(|(f, a)| {
                        let (mm, ms) = (
                            (a.distance_m * 1000.0).round() as u64,
                            (a.time_s * 1000.0).round() as u64,
                        );
                        match objective {
                            Objective::Distance => (mm, f, ms, a.distance_m, a.time_s),
                            Objective::Time => (ms, f, mm, a.distance_m, a.time_s),
                        }
                    })
                    .collect();
                each.sort_by_key(|t| (t.0, t.1, t.2));
                let want: Vec<(usize, f64, f64)> =
                    each.iter().take(c.k).map(|t| (t.1, t.3, t.4)).collect();
                let list: Vec<(usize, f64, f64)> = match &got[i] {
                    Ok(l) => l
                        .iter()
                        .map(|a| (a.facility.index(), a.distance_m, a.time_s))
                        .collect(),
                    Err(_) => Vec::new(),
                };
                prop_assert_eq!(&list, &want, "{} {:?} origin {}", mode, objective, i);
                // The first is the plain nearest.
                let nearest = r.nearest(&placed, &at).ok();
                prop_assert_eq!(
                    list.first().copied(),
                    nearest.map(|a| (a.facility.index(), a.distance_m, a.time_s))
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]
    #[test]
    fn k_nearest_matches_brute_force(c in case()) {
        check(&c)?;
    }
}

/// Two sites at the same distance: the one whose id sorts first comes first; k larger than the
/// number of facilities gives them all; k = 0 is an error.
#[test]
fn ties_and_bounds() {
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(2000.0, 0.0));
    b.road(RoadSpec::new(1, 1, 2));
    let e = Engine::new(b.build().unwrap(), EngineOptions::default());
    let sites =
        Facilities::from_points([("b", Xy::new(0.0, 0.0)), ("a", Xy::new(2000.0, 0.0))]).unwrap();
    let walk = e.profile("walk").unwrap();
    let placed = walk.place(
        &Scenario::new("s", &sites, ["a", "b"]).unwrap(),
        Objective::Distance,
    );
    let homes = [Origin::new("mid", Xy::new(1000.0, 0.0))];
    let snaps = walk.snap_origins(&homes);
    let l = walk.k_nearest(&placed, &homes, &snaps, 5).unwrap();
    let l = l[0].as_ref().unwrap();
    assert_eq!(l.len(), 2);
    assert_eq!((l[0].facility.index(), l[0].distance_m), (0, 1000.0)); // "a"
    assert_eq!((l[1].facility.index(), l[1].distance_m), (1, 1000.0));
    assert!(walk.k_nearest(&placed, &homes, &snaps, 0).is_err());
}
