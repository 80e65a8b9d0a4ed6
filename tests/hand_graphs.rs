//! Tiny hand-made networks whose answers are worked out by hand in the comments.

use geo::coord;
use travel_impact::{
    BngCoord, Engine, EngineOptions, Facilities, Mode, NetworkBuilder, NetworkOptions, Objective,
    Origin, RoadSpec, Scenario, SnapError, Unreachable,
};

const WALK_MPS: f64 = 4.8 / 3.6;

/// Costs are summed in whole millimetres and milliseconds, each road, part road and access leg
/// rounded once: a hand-computed figure of up to four pieces agrees to 2 mm (or 2 ms).
fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 0.002, "{a} != {b}");
}

fn engine(b: NetworkBuilder) -> Engine {
    Engine::new(
        b.build(NetworkOptions::default()).unwrap(),
        EngineOptions::default(),
    )
}

fn scenario(points: &[(&str, BngCoord)]) -> Scenario {
    let f = Facilities::from_points(points.iter().copied()).unwrap();
    Scenario::new("s", &f, points.iter().map(|p| p.0)).unwrap()
}

/// F-stub --- A ==one-way A->B== B --- G-stub, with a two-way detour A - C - B.
///
/// ```text
///              C (50, 200)
///            /    \
/// F(-100,0)--A(0,0)==>B(100,0)--G(200,0)
/// ```
/// The facility sits 5 m off the middle of A-F, the origin 5 m off the middle of B-G.
fn one_way_network() -> Engine {
    let mut b = NetworkBuilder::new();
    b.node(1, coord! { x: 0.0, y: 0.0 })
        .node(2, coord! { x: 100.0, y: 0.0 })
        .node(3, coord! { x: 50.0, y: 200.0 })
        .node(4, coord! { x: -100.0, y: 0.0 })
        .node(5, coord! { x: 200.0, y: 0.0 });
    b.road(RoadSpec::new(1, 1, 2).one_way().speed_kmh(36.0))
        .road(RoadSpec::new(2, 1, 3).speed_kmh(36.0))
        .road(RoadSpec::new(3, 3, 2).speed_kmh(36.0))
        .road(RoadSpec::new(4, 1, 4).speed_kmh(36.0))
        .road(RoadSpec::new(5, 2, 5).speed_kmh(36.0));
    engine(b)
}

#[test]
fn one_way_street_forces_the_detour_when_driving_against_it() {
    let e = one_way_network();
    let facility = coord! { x: -50.0, y: 5.0 };
    let home = coord! { x: 150.0, y: 5.0 };
    let detour = 2.0 * (50.0f64.powi(2) + 200.0f64.powi(2)).sqrt(); // B-C-A = 412.31 m
    // Drive home -> facility: 5 (leg) + 50 (to B) + detour (B->C->A) + 50 (A to site) + 5 (leg).
    let placed = e.place(&scenario(&[("f", facility)]), Mode::Drive);
    let a = e.nearest(&placed, &e.snap(home, Mode::Drive)).unwrap();
    close(a.distance_m, 110.0 + detour);
    // Road part at 36 km/h = 10 m/s, the two 5 m legs at walking speed.
    close(a.time_s, (100.0 + detour) / 10.0 + 10.0 / WALK_MPS);
    // Walking ignores one-way flags: 5 + 50 + 100 + 50 + 5.
    let placed = e.place(&scenario(&[("f", facility)]), Mode::Walk);
    let a = e.nearest(&placed, &e.snap(home, Mode::Walk)).unwrap();
    close(a.distance_m, 210.0);
    close(a.time_s, 210.0 / WALK_MPS);
    // The other way round (with the one-way) the car goes straight: 210 m.
    let a = e.route(facility, home, Mode::Drive).unwrap();
    close(a.distance_m, 210.0);
    // And `route` agrees with place + nearest for the detour direction.
    close(
        e.route(home, facility, Mode::Drive).unwrap().distance_m,
        110.0 + detour,
    );
}

#[test]
fn snapping_mid_segment_and_same_road_facilities() {
    // One 1000 m one-way road 0 -> 1000 along the x axis, nothing else.
    let mut b = NetworkBuilder::new();
    b.node(1, coord! { x: 0.0, y: 0.0 })
        .node(2, coord! { x: 1000.0, y: 0.0 });
    b.road(RoadSpec::new(1, 1, 2).one_way());
    let e = engine(b);
    let s = e.snap(coord! { x: 200.0, y: -7.0 }, Mode::Drive).unwrap();
    assert_eq!(s.road, 0);
    close(s.fraction, 0.2);
    close(s.distance_m, 7.0);
    assert_eq!(s.point, coord! { x: 200.0, y: 0.0 });
    // Facility at x=700 (3 m off): from x=200 a car drives 500 m along the road.
    let placed = e.place(
        &scenario(&[("f", coord! { x: 700.0, y: 3.0 })]),
        Mode::Drive,
    );
    let a = e.nearest(&placed, &Ok(s)).unwrap();
    close(a.distance_m, 7.0 + 500.0 + 3.0);
    // From x=900 the facility is behind, against the one-way, with no way round: unreachable.
    let behind = e.snap(coord! { x: 900.0, y: 0.0 }, Mode::Drive);
    assert_eq!(
        e.nearest(&placed, &behind),
        Err(Unreachable::NoFacilityReachable)
    );
    // On foot it is 200 m back.
    let placed = e.place(&scenario(&[("f", coord! { x: 700.0, y: 3.0 })]), Mode::Walk);
    let a = e
        .nearest(&placed, &e.snap(coord! { x: 900.0, y: 0.0 }, Mode::Walk))
        .unwrap();
    close(a.distance_m, 203.0);
}

#[test]
fn equal_distance_goes_to_the_facility_whose_id_sorts_first() {
    // Straight road from -100 to 100; origin at 0; facilities at -50 and +50.
    let mut b = NetworkBuilder::new();
    b.node(1, coord! { x: -100.0, y: 0.0 })
        .node(2, coord! { x: 100.0, y: 0.0 });
    b.road(RoadSpec::new(1, 1, 2));
    let e = engine(b);
    let home = e.snap(coord! { x: 0.0, y: 0.0 }, Mode::Walk);
    for (west, east) in [("zulu", "alpha"), ("alpha", "zulu")] {
        let s = scenario(&[
            (west, coord! { x: -50.0, y: 0.0 }),
            (east, coord! { x: 50.0, y: 0.0 }),
        ]);
        let placed = e.place(&s, Mode::Walk);
        let a = e.nearest(&placed, &home).unwrap();
        close(a.distance_m, 50.0);
        assert_eq!(s.facilities()[a.facility].id, "alpha");
    }
    // Two facilities at one point (like hub_aylesbury_2 and _3): the same rule.
    let s = scenario(&[
        ("hub_3", coord! { x: 60.0, y: 0.0 }),
        ("hub_2", coord! { x: 60.0, y: 0.0 }),
    ]);
    let a = e.nearest(&e.place(&s, Mode::Walk), &home).unwrap();
    assert_eq!(s.facilities()[a.facility].id, "hub_2");
}

#[test]
fn an_island_is_refused_or_unreachable_and_far_points_are_not_snapped() {
    // Two separate roads 10 km apart; the facility is on the first. Both parts have 2 junctions;
    // the "largest" (ties: lowest junction index) is the first.
    let mut b = NetworkBuilder::new();
    b.node(1, coord! { x: 0.0, y: 0.0 })
        .node(2, coord! { x: 100.0, y: 0.0 })
        .node(3, coord! { x: 10_000.0, y: 0.0 })
        .node(4, coord! { x: 10_100.0, y: 0.0 });
    b.road(RoadSpec::new(1, 1, 2)).road(RoadSpec::new(2, 3, 4));
    let net = b.build(NetworkOptions::default()).unwrap();
    let s = scenario(&[("f", coord! { x: 50.0, y: 0.0 })]);
    let origins = [
        Origin::new("mainland", coord! { x: 10.0, y: 0.0 }),
        Origin::new("island", coord! { x: 10_050.0, y: 10.0 }),
        Origin::new("sea", coord! { x: 5_000.0, y: 4_000.0 }),
    ];
    // By default the 2-junction island is below the 50-junction minimum: refused, with the reason.
    let e = Engine::new(net.clone(), EngineOptions::default());
    let impact = e.impact(&origins, &s, &s, Mode::Drive);
    close(impact.rows[0].before.unwrap().distance_m, 40.0);
    assert_eq!(
        impact.rows[1].before,
        Err(Unreachable::NotSnapped(SnapError::Island {
            nodes: 2,
            distance_m: 10.0
        }))
    );
    // Asked to allow islands, the origin snaps there and no facility can be reached.
    let e = Engine::new(
        net,
        EngineOptions {
            min_component_nodes: 0,
            ..Default::default()
        },
    );
    let impact = e.impact(&origins, &s, &s, Mode::Drive);
    assert_eq!(impact.rows[1].before, Err(Unreachable::NoFacilityReachable));
    let island = e.snap(origins[1].point, Mode::Drive).unwrap();
    let c = e.component(&island, Mode::Drive);
    assert_eq!((c.id, c.nodes, c.largest), (2, 2, false));
    match impact.rows[2].before {
        Err(Unreachable::NotSnapped(SnapError::TooFar {
            radius_m,
            nearest_m,
        })) => {
            assert_eq!(radius_m, 1500.0);
            close(
                nearest_m.unwrap(),
                (4900.0f64.powi(2) + 4000.0f64.powi(2)).sqrt(),
            );
        }
        other => panic!("{other:?}"),
    }
    let s = impact.summary();
    assert_eq!(
        (s.before.reached, s.before.unreachable, s.before.rejected),
        (1, 2, 0)
    );
    assert_eq!(s.origins, 3);
    assert!(
        travel_impact::report::accounting(&impact)
            .contains("\nbefore: origins in 3 = reached 1 + unreachable 2 + rejected 0")
    );
}

#[test]
fn parallel_roads_all_kept_and_the_shortest_wins() {
    // Three roads between A(0,0) and B(100,0): 300 m (bent), 100 m (straight), 200 m (given),
    // in that order, plus a 50 m loop at A. Nothing may overwrite anything.
    let mut b = NetworkBuilder::new();
    b.node(1, coord! { x: 0.0, y: 0.0 })
        .node(2, coord! { x: 100.0, y: 0.0 });
    b.road(RoadSpec::new(1, 1, 2).geometry(vec![
        coord! { x: 0.0, y: 0.0 },
        coord! { x: 0.0, y: 100.0 },
        coord! { x: 100.0, y: 100.0 },
        coord! { x: 100.0, y: 0.0 },
    ]))
    .road(RoadSpec::new(2, 1, 2))
    .road(RoadSpec::new(3, 1, 2).length_m(200.0).geometry(vec![
        coord! { x: 0.0, y: 0.0 },
        coord! { x: 50.0, y: -30.0 },
        coord! { x: 100.0, y: 0.0 },
    ]))
    .road(RoadSpec::new(4, 1, 1).length_m(50.0).geometry(vec![
        coord! { x: 0.0, y: 0.0 },
        coord! { x: -10.0, y: -10.0 },
        coord! { x: 0.0, y: 0.0 },
    ]));
    let net = b.build(NetworkOptions::default()).unwrap();
    assert_eq!(net.roads().len(), 4);
    assert_eq!(net.graph(Mode::Drive).edge_count(), 8);
    assert_eq!(net.graph(Mode::Walk).edge_count(), 8);
    close(net.roads()[0].length_m, 300.0);
    let e = Engine::new(net, EngineOptions::default());
    // Facility just beyond B on nothing else: put it at B itself (distance 0 leg).
    let s = scenario(&[("f", coord! { x: 100.0, y: 0.0 })]);
    for mode in Mode::ALL {
        let a = e
            .nearest(
                &e.place(&s, mode),
                &e.snap(coord! { x: -10.0, y: -10.0 }, mode),
            )
            .unwrap();
        // From the loop's far point: 25 m back along the loop to A, then the 100 m road.
        close(a.distance_m, 125.0);
    }
}

#[test]
fn time_objective_prefers_the_fast_road() {
    // A -> B straight at 30 km/h (1000 m) or via C on a 100 km/h road (2 x 707 m).
    let mut b = NetworkBuilder::new();
    b.node(1, coord! { x: 0.0, y: 0.0 })
        .node(2, coord! { x: 1000.0, y: 0.0 })
        .node(3, coord! { x: 500.0, y: 500.0 });
    b.road(RoadSpec::new(1, 1, 2).speed_kmh(30.0))
        .road(RoadSpec::new(2, 1, 3).speed_kmh(100.0))
        .road(RoadSpec::new(3, 3, 2).speed_kmh(100.0));
    let net = b.build(NetworkOptions::default()).unwrap();
    let s = scenario(&[("f", coord! { x: 1000.0, y: 0.0 })]);
    let home = coord! { x: 0.0, y: 0.0 };
    let by = |objective| {
        let e = Engine::new(
            net.clone(),
            EngineOptions {
                objective,
                ..Default::default()
            },
        );
        e.nearest(&e.place(&s, Mode::Drive), &e.snap(home, Mode::Drive))
            .unwrap()
    };
    let d = by(Objective::Distance);
    close(d.distance_m, 1000.0);
    close(d.time_s, 120.0);
    let t = by(Objective::Time);
    let via = 2.0 * 500.0 * 2f64.sqrt();
    close(t.distance_m, via);
    close(t.time_s, via / (100.0 / 3.6));
}

#[test]
fn motorways_are_not_walked() {
    let mut b = NetworkBuilder::new();
    b.node(1, coord! { x: 0.0, y: 0.0 })
        .node(2, coord! { x: 1000.0, y: 0.0 });
    b.road(RoadSpec::new(1, 1, 2).motorway().speed_kmh(100.0));
    let e = engine(b);
    assert!(e.snap(coord! { x: 10.0, y: 0.0 }, Mode::Drive).is_ok());
    assert_eq!(
        e.snap(coord! { x: 10.0, y: 0.0 }, Mode::Walk),
        Err(SnapError::TooFar {
            radius_m: 1500.0,
            nearest_m: None
        })
    );
}

#[test]
fn per_origin_csv_has_one_row_per_origin_and_blanks_where_unreachable() {
    let mut b = NetworkBuilder::new();
    b.node(1, coord! { x: 0.0, y: 0.0 })
        .node(2, coord! { x: 100.0, y: 0.0 });
    b.road(RoadSpec::new(1, 1, 2).one_way());
    let e = engine(b);
    let s = scenario(&[("f", coord! { x: 20.0, y: 0.0 })]);
    let homes = [
        Origin::new("up", coord! { x: 10.0, y: 3.0 }),
        Origin::new("down", coord! { x: 80.0, y: 0.0 }),
        Origin::new("far", coord! { x: 9000.0, y: 0.0 }),
    ];
    let impact = e.impact(&homes, &s, &s, Mode::Drive);
    let mut out = Vec::new();
    travel_impact::report::write_csv_to(&impact, &mut out, "out.csv".as_ref()).unwrap();
    let text = String::from_utf8(out).unwrap();
    let expected_drive_s = 10.0 / (30.0 / 3.6) + 3.0 / WALK_MPS;
    assert_eq!(
        text,
        format!(
            "origin_id,easting,northing,before_facility,before_m,before_s,after_facility,after_m,after_s,snap_m\n\
             up,10.0,3.0,f,13.0,{t:.1},f,13.0,{t:.1},3.0\n\
             down,80.0,0.0,,,,,,,0.0\n\
             far,9000.0,0.0,,,,,,,\n",
            t = expected_drive_s
        )
    );
}
