//! Property tests on random small networks: the multi-source search against single-source
//! searches and against an independent Floyd-Warshall, monotonicity when facilities close, and
//! network distance against the straight line.

use geo::coord;
use proptest::prelude::*;
use travel_impact::{
    Engine, EngineOptions, Facilities, Mode, NetworkBuilder, NetworkOptions, Objective, Outcome,
    RoadSpec, Scenario,
};

#[derive(Debug, Clone)]
struct Case {
    nodes: Vec<(f64, f64)>,
    /// (from, to, one-way, speed index, motorway, length factor over the straight line)
    roads: Vec<(usize, usize, bool, usize, bool, Option<f64>)>,
    facilities: Vec<(f64, f64)>,
    origins: Vec<(f64, f64)>,
}

const SPEEDS: [f64; 4] = [0.0, 5.0, 30.0, 100.0];

/// Grid coordinates (multiples of 50 m) so that exact ties happen often.
fn point() -> impl Strategy<Value = (f64, f64)> {
    (0u32..20, 0u32..20).prop_map(|(x, y)| (x as f64 * 50.0, y as f64 * 50.0))
}

fn case(zero_lengths: bool) -> impl Strategy<Value = Case> {
    (2usize..9).prop_flat_map(move |n| {
        let factor = if zero_lengths {
            prop::option::of(prop_oneof![Just(0.0), 1.0..2.0f64]).boxed()
        } else {
            prop::option::of(1.0..2.0f64).boxed()
        };
        (
            prop::collection::vec(point(), n),
            prop::collection::vec(
                (
                    0..n,
                    0..n,
                    any::<bool>(),
                    0..4usize,
                    prop::bool::weighted(0.1),
                    factor,
                ),
                1..16,
            ),
            prop::collection::vec(point(), 1..5),
            prop::collection::vec(point(), 1..6),
        )
            .prop_map(|(nodes, roads, facilities, origins)| Case {
                nodes,
                roads,
                facilities,
                origins,
            })
    })
}

fn engine(c: &Case, objective: Objective) -> Option<Engine> {
    let mut b = NetworkBuilder::new();
    for (i, &(x, y)) in c.nodes.iter().enumerate() {
        b.node(i as u64, coord! { x: x, y: y });
    }
    for (i, &(from, to, one_way, speed, motorway, factor)) in c.roads.iter().enumerate() {
        let mut r = RoadSpec::new(i as u64, from as u64, to as u64).speed_kmh(SPEEDS[speed]);
        if one_way {
            r = r.one_way();
        }
        if motorway {
            r = r.motorway();
        }
        if let Some(f) = factor {
            let ((x0, y0), (x1, y1)) = (c.nodes[from], c.nodes[to]);
            r = r.length_m(f * (x1 - x0).hypot(y1 - y0));
        }
        b.road(r);
    }
    let net = b.build(NetworkOptions::default()).ok()?;
    let options = EngineOptions {
        objective,
        max_snap_m: 1e6,
        min_component_nodes: 0,
    };
    Some(Engine::new(net, options))
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("f{i}")).collect()
}

fn scenario(c: &Case, keep: &[usize]) -> Scenario {
    let names = ids(c.facilities.len());
    let f = Facilities::from_points(
        names
            .iter()
            .zip(&c.facilities)
            .map(|(n, &(x, y))| (n.as_str(), coord! { x: x, y: y })),
    )
    .unwrap();
    Scenario::new("s", &f, keep.iter().map(|&i| names[i].as_str())).unwrap()
}

fn cost(o: &Outcome, objective: Objective) -> Option<f64> {
    o.as_ref().ok().map(|a| match objective {
        Objective::Distance => a.distance_m,
        Objective::Time => a.time_s,
    })
}

const OBJECTIVES: [Objective; 2] = [Objective::Distance, Objective::Time];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn multi_source_equals_the_best_single_source(c in case(true)) {
        for objective in OBJECTIVES {
            let Some(e) = engine(&c, objective) else { continue };
            let all: Vec<usize> = (0..c.facilities.len()).collect();
            let s_all = scenario(&c, &all);
            for mode in Mode::ALL {
                let placed = e.place(&s_all, mode);
                let singles: Vec<_> = all.iter().map(|&i| e.place(&scenario(&c, &[i]), mode)).collect();
                for &(x, y) in &c.origins {
                    let snap = e.snap(coord! { x: x, y: y }, mode);
                    let multi = e.nearest(&placed, &snap);
                    let each: Vec<Option<f64>> = singles.iter().map(|p| cost(&e.nearest(p, &snap), objective)).collect();
                    let best = each.iter().flatten().copied().fold(f64::INFINITY, f64::min);
                    match cost(&multi, objective) {
                        None => prop_assert!(each.iter().all(Option::is_none), "{mode} {objective:?}: multi unreachable, singles {each:?}"),
                        Some(m) => {
                            prop_assert!((m - best).abs() <= 1e-9 * (1.0 + best), "{mode} {objective:?}: {m} vs {best}");
                            // Tie rule: no facility whose id sorts first is exactly as near.
                            let chosen = multi.unwrap().facility;
                            prop_assert!((each[chosen].unwrap() - m).abs() <= 1e-9 * (1.0 + m));
                            for (g, cg) in each.iter().enumerate().take(chosen) {
                                if let Some(cg) = *cg {
                                    prop_assert!(cg > m, "{mode} {objective:?}: f{g} at {cg} ties f{chosen} at {m}");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn closing_facilities_never_shortens_a_trip(c in case(true), keep in 1usize..4) {
        let n = c.facilities.len();
        let kept: Vec<usize> = (0..keep.min(n)).collect();
        for objective in OBJECTIVES {
            let Some(e) = engine(&c, objective) else { continue };
            let all: Vec<usize> = (0..n).collect();
            let origins: Vec<_> = c.origins.iter().enumerate()
                .map(|(i, &(x, y))| travel_impact::Origin::new(format!("o{i}"), coord! { x: x, y: y }))
                .collect();
            for mode in Mode::ALL {
                let impact = e.impact(&origins, &scenario(&c, &all), &scenario(&c, &kept), mode);
                for r in &impact.rows {
                    match (cost(&r.before, objective), cost(&r.after, objective)) {
                        (Some(b), Some(a)) => prop_assert!(a >= b - 1e-9 * (1.0 + b), "{mode}: {b} -> {a}"),
                        (None, a) => prop_assert!(a.is_none(), "unreachable became reachable"),
                        (Some(_), None) => {}
                    }
                }
            }
        }
    }

    #[test]
    fn network_distance_is_at_least_the_straight_line(c in case(false)) {
        let Some(e) = engine(&c, Objective::Distance) else { return Ok(()) };
        let all: Vec<usize> = (0..c.facilities.len()).collect();
        let s = scenario(&c, &all);
        for mode in Mode::ALL {
            let placed = e.place(&s, mode);
            for &(x, y) in &c.origins {
                if let Ok(a) = e.nearest(&placed, &e.snap(coord! { x: x, y: y }, mode)) {
                    let (fx, fy) = c.facilities[a.facility];
                    prop_assert!(a.distance_m >= (fx - x).hypot(fy - y) - 1e-6);
                }
            }
        }
    }

    #[test]
    fn node_to_node_matches_floyd_warshall(c in case(true)) {
        for objective in OBJECTIVES {
            let Some(e) = engine(&c, objective) else { continue };
            let net = e.network();
            for mode in Mode::ALL {
                // Independent reference over the mode's arcs (parallel arcs: the cheapest counts).
                let n = net.node_count();
                let mut d = vec![vec![f64::INFINITY; n]; n];
                for (i, row) in d.iter_mut().enumerate() {
                    row[i] = 0.0;
                }
                let g = net.graph(mode);
                for arc in g.edge_indices() {
                    let (a, b) = g.edge_endpoints(arc).unwrap();
                    let w = g[arc];
                    let c = match objective { Objective::Distance => w.length_m, Objective::Time => w.time_s };
                    if c < d[a.index()][b.index()] {
                        d[a.index()][b.index()] = c;
                    }
                }
                for k in 0..n {
                    for i in 0..n {
                        for j in 0..n {
                            let via = d[i][k] + d[k][j];
                            if via < d[i][j] {
                                d[i][j] = via;
                            }
                        }
                    }
                }
                // Only junctions that snap onto themselves: on a road of this mode, not shared with
                // another junction, and not lying on some other road's line.
                let seg_dist = |p: (f64, f64), a: (f64, f64), b: (f64, f64)| {
                    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                    let l2 = dx * dx + dy * dy;
                    let t = if l2 > 0.0 { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0) } else { 0.0 };
                    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
                };
                let at = |v: usize| (net.node(v).x, net.node(v).y);
                let clean = |v: usize| {
                    let mut incident = false;
                    for (r, road) in net.roads().iter().enumerate() {
                        if !net.usable(mode, r) {
                            continue;
                        }
                        if road.from == v || road.to == v {
                            incident = true;
                        } else if seg_dist(at(v), at(road.from), at(road.to)) < 1e-6 {
                            return false;
                        }
                    }
                    incident && (0..n).all(|w| w == v || at(w) != at(v))
                };
                for (u, du) in d.iter().enumerate() {
                    for (v, &duv) in du.iter().enumerate() {
                        if !clean(u) || !clean(v) {
                            continue;
                        }
                        let got = cost(&e.route(net.node(u), net.node(v), mode), objective);
                        match got {
                            Some(x) => prop_assert!((x - duv).abs() <= 1e-6 * (1.0 + x), "{mode} {objective:?} {u}->{v}: {x} vs {duv}"),
                            None => prop_assert!(duv.is_infinite(), "{mode} {u}->{v}: unreachable vs {duv}"),
                        }
                    }
                }
            }
        }
    }
}
