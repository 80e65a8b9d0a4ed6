//! Tiny hand-made networks whose answers are worked out by hand in the comments.

use travel_impact::geom::Xy;
use travel_impact::{
    CarTimeModel, Engine, EngineOptions, Facilities, Measure, NetworkBuilder, Objective, Origin,
    Outcomes, PlacedScenario, Profile, RoadClass, RoadId, RoadMatch, RoadSpec, Router, Scenario,
    SnapError, Snaps, Speed, Unreachable,
};

const WALK_MPS: f64 = 4.8 / 3.6;

/// Costs are summed in whole millimetres and milliseconds, each road, part road and access leg
/// rounded once: a hand-computed figure of up to four pieces agrees to 2 mm (or 2 ms).
fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 0.002, "{a} != {b}");
}

/// Hand-computed drive times here are free-flow times: "drive" is the free-flow profile (the car
/// time model has its own test below).
fn free_flow(net: travel_impact::Network, options: EngineOptions) -> Engine {
    Engine::with_profiles(
        net,
        options,
        [Profile::drive_free_flow().named("drive"), Profile::walk()],
    )
    .unwrap()
}

fn engine(b: NetworkBuilder) -> Engine {
    free_flow(b.build().unwrap(), EngineOptions::default())
}

fn scenario(points: &[(&str, Xy)]) -> Scenario {
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
    b.node(1, Xy::new(0.0, 0.0))
        .node(2, Xy::new(100.0, 0.0))
        .node(3, Xy::new(50.0, 200.0))
        .node(4, Xy::new(-100.0, 0.0))
        .node(5, Xy::new(200.0, 0.0));
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
    let facility = Xy::new(-50.0, 5.0);
    let home = Xy::new(150.0, 5.0);
    let detour = 2.0 * (50.0f64.powi(2) + 200.0f64.powi(2)).sqrt(); // B-C-A = 412.31 m
    // Drive home -> facility: 5 (leg) + 50 (to B) + detour (B->C->A) + 50 (A to site) + 5 (leg).
    let placed = e
        .profile("drive")
        .unwrap()
        .place(&scenario(&[("f", facility)]), Objective::Distance);
    let a = e
        .profile("drive")
        .unwrap()
        .nearest(&placed, &e.profile("drive").unwrap().snap(home))
        .unwrap();
    close(a.distance_m, 110.0 + detour);
    // Road part at 36 km/h = 10 m/s, the two 5 m legs at walking speed.
    close(a.time_s, (100.0 + detour) / 10.0 + 10.0 / WALK_MPS);
    // Walking ignores one-way flags: 5 + 50 + 100 + 50 + 5.
    let placed = e
        .profile("walk")
        .unwrap()
        .place(&scenario(&[("f", facility)]), Objective::Distance);
    let a = e
        .profile("walk")
        .unwrap()
        .nearest(&placed, &e.profile("walk").unwrap().snap(home))
        .unwrap();
    close(a.distance_m, 210.0);
    close(a.time_s, 210.0 / WALK_MPS);
    // The other way round (with the one-way) the car goes straight: 210 m.
    let a = e
        .profile("drive")
        .unwrap()
        .route(facility, home, Objective::Distance)
        .unwrap();
    close(a.distance_m, 210.0);
    // And `route` agrees with place + nearest for the detour direction.
    close(
        e.profile("drive")
            .unwrap()
            .route(home, facility, Objective::Distance)
            .unwrap()
            .distance_m,
        110.0 + detour,
    );
}

#[test]
fn snapping_mid_segment_and_same_road_facilities() {
    // One 1000 m one-way road 0 -> 1000 along the x axis, nothing else.
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(1000.0, 0.0));
    b.road(RoadSpec::new(1, 1, 2).one_way());
    let e = engine(b);
    let s = e
        .profile("drive")
        .unwrap()
        .snap(Xy::new(200.0, -7.0))
        .unwrap();
    assert_eq!(s.road, RoadId::new(0));
    close(s.fraction, 0.2);
    close(s.access_m, 7.0);
    assert_eq!(s.point, Xy::new(200.0, 0.0));
    // Facility at x=700 (3 m off): from x=200 a car drives 500 m along the road.
    let placed = e.profile("drive").unwrap().place(
        &scenario(&[("f", Xy::new(700.0, 3.0))]),
        Objective::Distance,
    );
    let a = e.nearest(&placed, &Ok(s)).unwrap();
    close(a.distance_m, 7.0 + 500.0 + 3.0);
    // From x=900 the facility is behind, against the one-way, with no way round: unreachable.
    let behind = e.profile("drive").unwrap().snap(Xy::new(900.0, 0.0));
    assert_eq!(
        e.nearest(&placed, &behind),
        Err(Unreachable::NoFacilityReachable)
    );
    // On foot it is 200 m back.
    let placed = e.profile("walk").unwrap().place(
        &scenario(&[("f", Xy::new(700.0, 3.0))]),
        Objective::Distance,
    );
    let a = e
        .nearest(
            &placed,
            &e.profile("walk").unwrap().snap(Xy::new(900.0, 0.0)),
        )
        .unwrap();
    close(a.distance_m, 203.0);
}

#[test]
fn equal_distance_goes_to_the_facility_whose_id_sorts_first() {
    // Straight road from -100 to 100; origin at 0; facilities at -50 and +50.
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(-100.0, 0.0)).node(2, Xy::new(100.0, 0.0));
    b.road(RoadSpec::new(1, 1, 2));
    let e = engine(b);
    let home = e.profile("walk").unwrap().snap(Xy::new(0.0, 0.0));
    for (west, east) in [("zulu", "alpha"), ("alpha", "zulu")] {
        let s = scenario(&[(west, Xy::new(-50.0, 0.0)), (east, Xy::new(50.0, 0.0))]);
        let placed = e.profile("walk").unwrap().place(&s, Objective::Distance);
        let a = e.nearest(&placed, &home).unwrap();
        close(a.distance_m, 50.0);
        assert_eq!(s.facility(a.facility).id, "alpha");
    }
    // Two facilities at one point (like hub_aylesbury_2 and _3): the same rule.
    let s = scenario(&[("hub_3", Xy::new(60.0, 0.0)), ("hub_2", Xy::new(60.0, 0.0))]);
    let a = e
        .profile("walk")
        .unwrap()
        .nearest(
            &e.profile("walk").unwrap().place(&s, Objective::Distance),
            &home,
        )
        .unwrap();
    assert_eq!(s.facility(a.facility).id, "hub_2");
}

#[test]
fn an_island_is_refused_or_unreachable_and_far_points_are_not_snapped() {
    // Two separate roads 10 km apart; the facility is on the first. Both parts have 2 junctions;
    // the "largest" (ties: lowest junction index) is the first.
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0))
        .node(2, Xy::new(100.0, 0.0))
        .node(3, Xy::new(10_000.0, 0.0))
        .node(4, Xy::new(10_100.0, 0.0));
    b.road(RoadSpec::new(1, 1, 2)).road(RoadSpec::new(2, 3, 4));
    let net = b.build().unwrap();
    let s = scenario(&[("f", Xy::new(50.0, 0.0))]);
    let origins = [
        Origin::new("mainland", Xy::new(10.0, 0.0)),
        Origin::new("island", Xy::new(10_050.0, 10.0)),
        Origin::new("sea", Xy::new(5_000.0, 4_000.0)),
    ];
    // By default the 2-junction island is below the 50-junction minimum: refused, with the reason.
    let e = free_flow(net.clone(), EngineOptions::default());
    let impact = e
        .impact(&origins, &s, &s, "drive", Objective::Distance)
        .unwrap();
    close(impact.row(0).before.unwrap().distance_m, 40.0);
    assert_eq!(
        impact.row(1).before,
        Err(Unreachable::NotSnapped(SnapError::Island {
            nodes: 2,
            distance_m: 10.0
        }))
    );
    // Asked to allow islands, the origin snaps there and no facility can be reached.
    let e = free_flow(
        net,
        EngineOptions {
            min_component_nodes: 0,
            ..Default::default()
        },
    );
    let impact = e
        .impact(&origins, &s, &s, "drive", Objective::Distance)
        .unwrap();
    assert_eq!(impact.row(1).before, Err(Unreachable::NoFacilityReachable));
    let island = e.profile("drive").unwrap().snap(origins[1].point).unwrap();
    let c = e.profile("drive").unwrap().component(&island);
    assert_eq!((c.id, c.nodes, c.largest), (2, 2, false));
    match impact.row(2).before {
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
    b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(100.0, 0.0));
    b.road(RoadSpec::new(1, 1, 2).geometry(vec![
        Xy::new(0.0, 0.0),
        Xy::new(0.0, 100.0),
        Xy::new(100.0, 100.0),
        Xy::new(100.0, 0.0),
    ]))
    .road(RoadSpec::new(2, 1, 2))
    .road(RoadSpec::new(3, 1, 2).length_m(200.0).geometry(vec![
        Xy::new(0.0, 0.0),
        Xy::new(50.0, -30.0),
        Xy::new(100.0, 0.0),
    ]))
    .road(RoadSpec::new(4, 1, 1).length_m(50.0).geometry(vec![
        Xy::new(0.0, 0.0),
        Xy::new(-10.0, -10.0),
        Xy::new(0.0, 0.0),
    ]));
    let net = b.build().unwrap();
    assert_eq!(net.roads().len(), 4);
    close(net.roads()[0].length_m, 300.0);
    let e = free_flow(net, EngineOptions::default());
    for p in ["drive", "walk"] {
        assert_eq!(e.profile(p).unwrap().arc_count(), 8);
    }
    // Facility just beyond B on nothing else: put it at B itself (distance 0 leg).
    let s = scenario(&[("f", Xy::new(100.0, 0.0))]);
    for mode in ["drive", "walk"] {
        let a = e
            .nearest(
                &e.profile(mode).unwrap().place(&s, Objective::Distance),
                &e.profile(mode).unwrap().snap(Xy::new(-10.0, -10.0)),
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
    b.node(1, Xy::new(0.0, 0.0))
        .node(2, Xy::new(1000.0, 0.0))
        .node(3, Xy::new(500.0, 500.0));
    b.road(RoadSpec::new(1, 1, 2).speed_kmh(30.0))
        .road(RoadSpec::new(2, 1, 3).speed_kmh(100.0))
        .road(RoadSpec::new(3, 3, 2).speed_kmh(100.0));
    let net = b.build().unwrap();
    let s = scenario(&[("f", Xy::new(1000.0, 0.0))]);
    let home = Xy::new(0.0, 0.0);
    // One engine; the objective is chosen per query.
    let e = free_flow(net, EngineOptions::default());
    let drive = e.profile("drive").unwrap();
    let by = |objective| {
        drive
            .nearest(&drive.place(&s, objective), &drive.snap(home))
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
    b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(1000.0, 0.0));
    b.road(RoadSpec::new(1, 1, 2).motorway().speed_kmh(100.0));
    let e = engine(b);
    assert!(e.profile("drive").unwrap().snap(Xy::new(10.0, 0.0)).is_ok());
    assert_eq!(
        e.profile("walk").unwrap().snap(Xy::new(10.0, 0.0)),
        Err(SnapError::TooFar {
            radius_m: 1500.0,
            nearest_m: None
        })
    );
}

#[test]
fn per_origin_csv_has_one_row_per_origin_and_blanks_where_unreachable() {
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(100.0, 0.0));
    b.road(RoadSpec::new(1, 1, 2).one_way());
    let e = engine(b);
    let s = scenario(&[("f", Xy::new(20.0, 0.0))]);
    let homes = [
        Origin::new("up", Xy::new(10.0, 3.0)),
        Origin::new("down", Xy::new(80.0, 0.0)),
        Origin::new("far", Xy::new(9000.0, 0.0)),
    ];
    let impact = e
        .impact(&homes, &s, &s, "drive", Objective::Distance)
        .unwrap();
    let mut out = Vec::new();
    travel_impact::write_csv_to(&impact, None, &mut out, "out.csv".as_ref()).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        h.join(","),
        "origin_id,name,line,easting,northing,lon,lat,weight,before_facility,before_name,before_m,\
         before_s,after_facility,after_name,after_m,after_s,change_m,change_s,access_m,closed,\
         circuity_before,circuity_after,gap_flag,status,reason"
    );
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    let pick = |row: &[String], cols: &[&str]| -> Vec<String> {
        cols.iter()
            .map(|c| row[h.iter().position(|x| x == c).unwrap()].clone())
            .collect()
    };
    let cols = [
        "origin_id",
        "easting",
        "before_facility",
        "before_m",
        "before_s",
        "after_m",
        "change_m",
        "access_m",
        "closed",
        "circuity_after",
        "gap_flag",
        "status",
        "reason",
    ];
    let expected_drive_s = 10.0 / (30.0 / 3.6) + 3.0 / WALK_MPS;
    let t = format!("{expected_drive_s:.1}");
    assert_eq!(
        pick(&rows[0], &cols),
        [
            "up", "10.0", "f", "13.0", &t, "13.0", "0.0", "3.0", "false", "1.25", "false",
            "reached", ""
        ]
    );
    assert_eq!(
        pick(&rows[1], &cols),
        [
            "down",
            "80.0",
            "",
            "",
            "",
            "",
            "",
            "0.0",
            "false",
            "",
            "false",
            "unreachable",
            "before: no facility reachable from the origin with this profile"
        ]
    );
    assert_eq!(
        pick(&rows[2], &cols),
        [
            "far",
            "9000.0",
            "",
            "",
            "",
            "",
            "",
            "",
            "false",
            "",
            "false",
            "not_snapped",
            "before: origin not snapped: no road usable by this profile within 1500 m (nearest 8900 m)"
        ]
    );
}

/// The car time model on a hand graph with known junctions and classes.
///
/// ```text
///            D(1000,100)
///            |
/// A(0,0) --- B(1000,0) --- C(2000,0)      A-B: trunk 90 km/h; B-C: residential 30 km/h;
///            |                             B-D and B-E: side streets, so B is a junction.
///            E(1000,-100)
/// ```
/// Home at A, facility at C. Free flow: 1000/25 + 1000/(30/3.6) = 40 + 120 = 160 s.
/// Modelled: 1000/(25 x 0.82) + 1000/(8.333 x 0.80) + 10 s at B + 120 s + 120 s
///         = 48.780 + 150.000 + 10 + 240 = 448.780 s. A, C and the street ends are not junctions
/// (fewer than three road ends meet there).
#[test]
fn car_time_model_factors_junctions_and_overheads() {
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0))
        .node(2, Xy::new(1000.0, 0.0))
        .node(3, Xy::new(2000.0, 0.0))
        .node(4, Xy::new(1000.0, 100.0))
        .node(5, Xy::new(1000.0, -100.0));
    b.road(
        RoadSpec::new(1, 1, 2)
            .class(RoadClass::Trunk)
            .speed_kmh(90.0),
    )
    .road(
        RoadSpec::new(2, 2, 3)
            .class(RoadClass::Residential)
            .speed_kmh(30.0),
    )
    .road(RoadSpec::new(3, 2, 4))
    .road(RoadSpec::new(4, 2, 5));
    let net = b.build().unwrap();
    let model = CarTimeModel::default();
    let e = Engine::with_profiles(
        net,
        EngineOptions::default(),
        [Profile::drive(), Profile::drive_free_flow()],
    )
    .unwrap();
    let (home, site) = (Xy::new(0.0, 0.0), Xy::new(2000.0, 0.0));
    let free = e
        .profile("drive-free-flow")
        .unwrap()
        .route(home, site, Objective::Time)
        .unwrap();
    close(free.time_s, 160.0);
    let drive = e.profile("drive").unwrap();
    let r = drive.route(home, site, Objective::Time).unwrap();
    close(r.distance_m, 2000.0);
    close(
        r.time_s,
        1000.0 / (25.0 * 0.82) + 1000.0 / (30.0 / 3.6 * 0.80) + 10.0 + 240.0,
    );
    assert_eq!(r.overhead_s, model.start_s + model.end_s);
    // The same figure through a placed scenario (the search every impact uses).
    let placed = drive.place(&scenario(&[("c", site)]), Objective::Time);
    let a = drive.nearest(&placed, &drive.snap(home)).unwrap();
    close(a.time_s, r.time_s);
    // Changing the model changes the figure: no junction delay, no overheads, factor 1.
    let plain = CarTimeModel {
        junction_delay_s: 0.0,
        start_s: 0.0,
        end_s: 0.0,
        fast_roads: travel_impact::SpeedFactor {
            urban: 1.0,
            rural: 1.0,
        },
        other_roads: travel_impact::SpeedFactor {
            urban: 1.0,
            rural: 1.0,
        },
        ..model.clone()
    };
    let mut e2 = Engine::with_profiles(e.network().clone(), EngineOptions::default(), []).unwrap();
    e2.add_profile(Profile {
        car_time: Some(plain),
        ..Profile::drive().named("plain")
    })
    .unwrap();
    let p = e2
        .profile("plain")
        .unwrap()
        .route(home, site, Objective::Time)
        .unwrap();
    close(p.time_s, 160.0);
    // The model prints itself with its sources.
    assert!(model.to_string().contains("+10 s per junction passed"));
    assert!(model.to_string().contains("data/sources/car_time_model.md"));
}

/// `route`: distance, time, both access legs and the path as a line, on an L-shaped street.
///
/// ```text
/// A(0,0) ---- B(300,0)
///             |
///             C(300,400)
/// ```
/// From (100, 20) to (290, 300): in 20 m to (100,0), 200 m to B, 300 m up to (300,300), out 10 m.
#[test]
fn route_returns_path_and_access_legs() {
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0))
        .node(2, Xy::new(300.0, 0.0))
        .node(3, Xy::new(300.0, 400.0));
    b.road(RoadSpec::new(10, 1, 2))
        .road(RoadSpec::new(11, 2, 3));
    let e = engine(b);
    let walk = e.profile("walk").unwrap();
    let r = walk
        .route(
            Xy::new(100.0, 20.0),
            Xy::new(290.0, 300.0),
            Objective::Distance,
        )
        .unwrap();
    close(r.access_in_m, 20.0);
    close(r.access_out_m, 10.0);
    close(r.access_in_s, 20.0 / WALK_MPS);
    close(r.access_out_s, 10.0 / WALK_MPS);
    close(r.distance_m, 20.0 + 200.0 + 300.0 + 10.0);
    close(r.network_m(), 500.0);
    close(r.time_s, 530.0 / WALK_MPS);
    assert_eq!(r.roads, vec![RoadId::new(0), RoadId::new(1)]);
    assert_eq!(
        r.path,
        vec![
            Xy::new(100.0, 20.0),
            Xy::new(100.0, 0.0),
            Xy::new(300.0, 0.0),
            Xy::new(300.0, 300.0),
            Xy::new(290.0, 300.0),
        ]
    );
    // Lon/lat out, GeoJSON order, through the network's CRS (British National Grid here).
    let ll = r.path_lon_lat(e.network());
    assert_eq!(ll.len(), 5);
    assert!(ll[0].lon_deg < -7.0 && ll[0].lat_deg > 49.0);
    // Node to node, and one search to many points.
    let n = e
        .profile("walk")
        .unwrap()
        .route_nodes(
            e.network().find_node(1).unwrap(),
            e.network().find_node(3).unwrap(),
            Objective::Distance,
        )
        .unwrap();
    close(n.distance_m, 700.0);
    assert_eq!(
        n.path,
        vec![
            Xy::new(0.0, 0.0),
            Xy::new(300.0, 0.0),
            Xy::new(300.0, 400.0)
        ]
    );
    let from = walk
        .costs_from(Xy::new(0.0, 0.0), Objective::Distance)
        .unwrap();
    for (x, y, want) in [
        (300.0, 100.0, 400.0),
        (150.0, 5.0, 155.0),
        (310.0, 400.0, 710.0),
    ] {
        let at = walk.snap(Xy::new(x, y)).unwrap();
        close(from.to(&at).unwrap().distance_m, want);
    }
}

/// A profile defined by a user: cycling at 15 km/h that obeys one-way streets and keeps off
/// trunk roads.
#[test]
fn user_defined_profile() {
    // A -> B one-way (500 m, residential) and A - C - B two-way (trunk, 2 x 400 m).
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0))
        .node(2, Xy::new(500.0, 0.0))
        .node(3, Xy::new(250.0, 312.25));
    b.road(
        RoadSpec::new(1, 1, 2)
            .one_way()
            .class(RoadClass::Residential),
    )
    .road(
        RoadSpec::new(2, 1, 3)
            .class(RoadClass::Trunk)
            .length_m(400.0),
    )
    .road(
        RoadSpec::new(3, 3, 2)
            .class(RoadClass::Trunk)
            .length_m(400.0),
    );
    let cycle = Profile {
        name: "cycle".into(),
        speed: Speed::Fixed { speed_kmh: 15.0 },
        obeys_oneway: true,
        exclude: vec![RoadMatch::classes(&[RoadClass::Trunk])],
        ..Profile::walk()
    };
    let e = Engine::with_profiles(b.build().unwrap(), EngineOptions::default(), [cycle]).unwrap();
    let c = e.profile("cycle").unwrap();
    let (a, bb) = (Xy::new(0.0, 0.0), Xy::new(500.0, 0.0));
    let r = c.route(a, bb, Objective::Time).unwrap();
    close(r.distance_m, 500.0);
    close(r.time_s, 500.0 / (15.0 / 3.6));
    // Against the one-way, with the trunk road excluded, there is no way.
    assert_eq!(
        c.route(bb, a, Objective::Time),
        Err(travel_impact::RouteError::NoRoute)
    );
    assert!(!c.usable(RoadId::new(1)));
    // Unknown names say which profiles exist.
    let err = e.profile("bus").unwrap_err().to_string();
    assert_eq!(err, "unknown profile `bus` (prepared: cycle)");
}

/// A 10,000 km road A(0,0) - B(10,000 km, 0), walked, with a site 5 m off its start. Legs off the
/// road longer than 4,295 km do not fit the packed 32-bit snap and are kept apart in 64 bits; a
/// point on the site's road is snapped again for its exact spot. Each batch answer equals the
/// one-by-one answer, and the figures are worked out by hand.
#[test]
fn legs_and_outcomes_too_long_for_32_bits() {
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0))
        .node(2, Xy::new(10_000_000.0, 0.0))
        .node(3, Xy::new(10_000_000.0, 1_000.0));
    b.road(RoadSpec::new(1, 1, 2)).road(RoadSpec::new(2, 2, 3));
    let e = engine(b);
    let walk = e.profile("walk").unwrap();
    let placed = walk.place(&scenario(&[("f", Xy::new(10.0, 5.0))]), Objective::Distance);
    let homes = [
        // Near B on the long road: 9,999,980 m along it, and both 5 m legs.
        Origin::new("far", Xy::new(9_999_990.0, 5.0)),
        // On the short road B-C: 500 m to B, then the whole long road but 10 m, then the legs.
        Origin::new("beyond", Xy::new(10_000_005.0, 500.0)),
        // Near the site, on its road: 90 m along it.
        Origin::new("near", Xy::new(100.0, 5.0)),
    ];
    let snaps = walk.snap_origins(&homes);
    let out = walk.outcomes(&homes, &snaps, &placed).unwrap();
    let by_hand = [9_999_990.0, 5.0 + 500.0 + 9_999_990.0 + 5.0, 100.0];
    for (i, h) in homes.iter().enumerate() {
        let one = walk.nearest(&placed, &walk.snap(h.point));
        assert_eq!(out.get(i), one, "{}", h.id);
        let a = one.unwrap();
        close(a.distance_m, by_hand[i]);
        assert!(
            (a.time_s - by_hand[i] / WALK_MPS).abs() <= 0.003,
            "{}",
            h.id
        );
    }
    // k nearest and the cost matrix read the same legs.
    let k = walk.k_nearest(&placed, &homes, &snaps, 1).unwrap();
    let sites = scenario(&[("f", Xy::new(10.0, 5.0))]);
    let matrix = walk
        .cost_matrix(&sites, &homes, &snaps, Objective::Distance)
        .unwrap();
    for (i, h) in homes.iter().enumerate() {
        let one = walk.nearest(&placed, &walk.snap(h.point)).unwrap();
        assert_eq!(k[i].as_ref().unwrap()[0], one, "{}", h.id);
        assert_eq!(
            matrix.cost(0, i, Measure::Distance),
            Some(one.distance_m),
            "{}",
            h.id
        );
    }
}

/// Breakdowns come in the order of their values: as numbers when every value is one (values equal
/// as numbers, "1" and "1.0", in text order), origins without the group last; each group counts
/// its own origins.
#[test]
fn summary_by_orders_groups_by_value() {
    let e = one_way_network();
    let sites = scenario(&[("f", Xy::new(-50.0, 5.0))]);
    let values = [
        Some("10"),
        Some("2"),
        None,
        Some("1.0"),
        Some("1"),
        Some("2"),
    ];
    let homes: Vec<Origin> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let o = Origin::new(format!("h{i}"), Xy::new(150.0, 5.0 + i as f64));
            match v {
                Some(v) => o.with_group("band", *v),
                None => o,
            }
        })
        .collect();
    let impact = e
        .impact(&homes, &sites, &sites, "walk", Objective::Distance)
        .unwrap();
    let by = impact.summary_by("band");
    let keys: Vec<Option<&str>> = by.iter().map(|(k, _)| k.as_deref()).collect();
    assert_eq!(keys, [Some("1"), Some("1.0"), Some("2"), Some("10"), None]);
    let counts: Vec<usize> = by.iter().map(|(_, s)| s.origins).collect();
    assert_eq!(counts, [1, 1, 2, 1, 1]);
    // Text order when a value is not a number.
    let homes: Vec<Origin> = ["b", "10", "a"]
        .iter()
        .map(|v| Origin::new(*v, Xy::new(150.0, 5.0)).with_group("band", *v))
        .collect();
    let impact = e
        .impact(&homes, &sites, &sites, "walk", Objective::Distance)
        .unwrap();
    let keys: Vec<String> = impact
        .summary_by("band")
        .into_iter()
        .filter_map(|(k, _)| k)
        .collect();
    assert_eq!(keys, ["10", "a", "b"]);
}

/// A 2 km street of four 500 m roads along y = 0, with sites at both ends: "both" open, then
/// only the "west" one.
fn street_west_and_east() -> (Engine, Scenario, Scenario) {
    let mut b = NetworkBuilder::new();
    for k in 0..=4 {
        b.node(k, Xy::new(k as f64 * 500.0, 0.0));
    }
    for k in 0..4 {
        b.road(RoadSpec::new(k, k, k + 1));
    }
    let sites =
        Facilities::from_points([("w", Xy::new(0.0, 0.0)), ("e", Xy::new(2000.0, 0.0))]).unwrap();
    let before = Scenario::new("both", &sites, ["w", "e"]).unwrap();
    let after = Scenario::new("west", &sites, ["w"]).unwrap();
    (engine(b), before, after)
}

/// `homes` snapped, both scenarios placed by distance, and their outcomes.
fn both_sides(
    walk: &Router<'_>,
    homes: &[Origin],
    scenarios: [&Scenario; 2],
) -> (Snaps, [PlacedScenario; 2], [Outcomes; 2]) {
    let snaps = walk.snap_origins(homes);
    let placed = scenarios.map(|s| walk.place(s, Objective::Distance));
    let outcomes = [0, 1].map(|k| walk.outcomes(homes, &snaps, &placed[k]).unwrap());
    (snaps, placed, outcomes)
}

/// Outcomes belong to the origins they were made for. A 2 km street with sites at both ends
/// (only the west one stays open) and homes 10 m off it at 0, 400, 800, 1200 and 1600 m: before,
/// they are 10, 410, 810, 810 and 410 m from a site (mean 490). Reweighting the last home to 100
/// after making the outcomes is an error at `compare` (it once gave a summary whose sides kept
/// the old weights while its changes took the new); outcomes made again give the new weighted
/// mean, (10 + 410 + 810 + 810 + 100 x 410) / 104.
#[test]
fn outcomes_belong_to_their_origins() {
    let (e, before, after) = street_west_and_east();
    let walk = e.profile("walk").unwrap();
    let mut homes: Vec<Origin> = (0..5)
        .map(|i| Origin::new(format!("h{i}"), Xy::new(i as f64 * 400.0, 10.0)))
        .collect();
    let (snaps, [pb, pa], [ob, oa]) = both_sides(&walk, &homes, [&before, &after]);
    let first = walk.compare(&homes, &snaps, &ob, &oa).unwrap().summary();
    close(first.before.distance_m.mean, 490.0);
    // The same origins in another place in memory are the same origins.
    let copy = homes.clone();
    assert_eq!(
        walk.compare(&copy, &snaps, &ob, &oa).unwrap().summary(),
        first
    );

    homes[4].weight = 100.0;
    let err = walk.compare(&homes, &snaps, &ob, &oa).unwrap_err();
    assert!(err.to_string().contains("made for other origins"), "{err}");
    // A moved point too, on either side.
    let mut moved = copy.clone();
    moved[2].point = Xy::new(801.0, 10.0);
    assert!(walk.compare(&moved, &snaps, &ob, &oa).is_err());
    let oa_moved = walk
        .outcomes(&moved, &walk.snap_origins(&moved), &pa)
        .unwrap();
    assert!(walk.compare(&copy, &snaps, &ob, &oa_moved).is_err());

    let ob = walk.outcomes(&homes, &snaps, &pb).unwrap();
    let oa = walk.outcomes(&homes, &snaps, &pa).unwrap();
    let again = walk.compare(&homes, &snaps, &ob, &oa).unwrap().summary();
    close(
        again.before.distance_m.mean,
        (10.0 + 410.0 + 810.0 + 810.0 + 100.0 * 410.0) / 104.0,
    );
    assert_eq!(
        again,
        walk.impact(&homes, &before, &after, Objective::Distance)
            .summary()
    );
}

/// Snaps belong to the points they were made for, in their order: origins reordered or moved
/// since are an error wherever snaps are read, not each origin reading another's road.
/// Reweighted origins keep their snaps.
#[test]
fn snaps_belong_to_their_origins() {
    let (e, before, after) = street_west_and_east();
    let walk = e.profile("walk").unwrap();
    // Homes at 10, 410, 810, 1210 and 1610 m along the street, 10 m off it.
    let homes: Vec<Origin> = (0..5)
        .map(|i| Origin::new(format!("h{i}"), Xy::new(10.0 + i as f64 * 400.0, 10.0)))
        .collect();
    let (snaps, [pb, pa], [ob, oa]) = both_sides(&walk, &homes, [&before, &after]);
    // Home 3 (1210 m) walks 10 m to the street, 790 m east and nothing off it: 800 m.
    assert_eq!(ob.get(3).unwrap().distance_m, 800.0);

    let other = "snaps were made for other origins";
    let reversed: Vec<Origin> = homes.iter().rev().cloned().collect();
    let err = walk.outcomes(&reversed, &snaps, &pb).unwrap_err();
    assert!(err.to_string().contains(other), "{err}");
    let mut moved = homes.clone();
    moved[1].point = Xy::new(411.0, 10.0);
    let err = walk.outcomes(&moved, &snaps, &pb).unwrap_err();
    assert!(err.to_string().contains(other), "{err}");
    let err = walk.k_nearest(&pb, &reversed, &snaps, 2).unwrap_err();
    assert!(err.to_string().contains(other), "{err}");
    let err = walk
        .cost_matrix(&before, &moved, &snaps, Objective::Distance)
        .unwrap_err();
    assert!(err.to_string().contains(other), "{err}");
    // With their own snaps, the same calls go through.
    let snaps_moved = walk.snap_origins(&moved);
    assert!(walk.outcomes(&moved, &snaps_moved, &pb).is_ok());
    assert!(walk.k_nearest(&pb, &homes, &snaps, 2).is_ok());

    // Reweighted origins keep their snaps: the same answers as with fresh ones.
    let mut heavy = homes.clone();
    heavy[2].weight = 7.0;
    let kept = walk.outcomes(&heavy, &snaps, &pa).unwrap();
    let fresh = walk
        .outcomes(&heavy, &walk.snap_origins(&heavy), &pa)
        .unwrap();
    assert_eq!(kept.get(2), fresh.get(2));
    assert_eq!(kept.get(2).unwrap().distance_m, 820.0); // 10 m on, 800 m west, 10 m off

    // Compared, or written out, with snaps of other points: an error, naming the snaps.
    let err = walk.compare(&homes, &snaps_moved, &ob, &oa).unwrap_err();
    assert!(err.to_string().contains("snaps of other points"), "{err}");
    let crs = e.network().crs();
    let write = |snaps, origins: &[Origin]| {
        travel_impact::write_nearest_to(
            &ob,
            snaps,
            origins,
            crs,
            None,
            false,
            Vec::new(),
            std::path::Path::new("out.csv"),
        )
    };
    assert!(write(&snaps, &homes).is_ok());
    let err = write(&snaps_moved, &homes).unwrap_err();
    assert!(err.to_string().contains("snaps of other points"), "{err}");
    let err = write(&snaps, &reversed).unwrap_err();
    assert!(err.to_string().contains("made for other origins"), "{err}");
    assert!(walk.compare(&homes, &snaps, &ob, &oa).is_ok());
}

/// One baseline, several "after" sides: `Impact::with_after` gives exactly what `compare`
/// gives, and refuses outcomes made for other origins, from other snaps or for another profile
/// or objective. Homes 10 m off the 2 km street at 0, 400, 800, 1200 and 1600 m; sites at both
/// ends, the east one closing: the homes at 1200 and 1600 m walk 400 and 1200 m further (810
/// and 410 m before, 1210 and 1610 m after); the others keep the west site.
#[test]
fn with_after_pairs_like_compare() {
    let (e, before, after) = street_west_and_east();
    let walk = e.profile("walk").unwrap();
    let homes: Vec<Origin> = (0..5)
        .map(|i| Origin::new(format!("h{i}"), Xy::new(i as f64 * 400.0, 10.0)))
        .collect();
    let (snaps, [_, pa], [ob, oa]) = both_sides(&walk, &homes, [&before, &after]);
    let baseline = walk.compare(&homes, &snaps, &ob, &ob).unwrap();
    assert_eq!(baseline.summary().change_m.max, 0.0);

    let paired = baseline.with_after(&oa).unwrap();
    let compared = walk.compare(&homes, &snaps, &ob, &oa).unwrap();
    assert_eq!(paired.summary(), compared.summary());
    let rows: Vec<_> = paired.rows().collect();
    assert_eq!(rows, compared.rows().collect::<Vec<_>>());
    let changes: Vec<_> = rows.iter().map(|r| r.change_m()).collect();
    let want = [0.0, 0.0, 0.0, 400.0, 1200.0].map(Some);
    assert_eq!(changes, want);
    assert_eq!(
        rows.iter().map(|r| r.closed).collect::<Vec<_>>(),
        [false, false, false, true, true]
    );
    // And back again: the closed sites are worked out for each pairing.
    let back = paired.with_after(&ob).unwrap();
    assert!(back.rows().all(|r| !r.closed && r.change_m() == Some(0.0)));

    // Outcomes made for reweighted origins, or from snaps of moved points: errors.
    let mut heavy = homes.clone();
    heavy[1].weight = 3.0;
    let oa_heavy = walk.outcomes(&heavy, &snaps, &pa).unwrap();
    let err = baseline.with_after(&oa_heavy).unwrap_err();
    assert!(err.to_string().contains("made for other origins"), "{err}");
    let mut moved = homes.clone();
    moved[4].point = Xy::new(1601.0, 10.0);
    let oa_moved = walk
        .outcomes(&moved, &walk.snap_origins(&moved), &pa)
        .unwrap();
    assert!(baseline.with_after(&oa_moved).is_err());
    // The same origins snapped again give the same snaps: accepted.
    let resnapped = walk.snap_origins(&homes);
    let oa_again = walk.outcomes(&homes, &resnapped, &pa).unwrap();
    assert_eq!(
        baseline.with_after(&oa_again).unwrap().summary(),
        compared.summary()
    );
    // Another objective, or another profile: errors naming them.
    let pa_time = walk.place(&after, Objective::Time);
    let oa_time = walk.outcomes(&homes, &snaps, &pa_time).unwrap();
    let err = baseline.with_after(&oa_time).unwrap_err();
    assert!(err.to_string().contains("before is"), "{err}");
    let drive = e.profile("drive").unwrap();
    let drive_snaps = drive.snap_origins(&homes);
    let oa_drive = drive
        .outcomes(
            &homes,
            &drive_snaps,
            &drive.place(&after, Objective::Distance),
        )
        .unwrap();
    let err = baseline.with_after(&oa_drive).unwrap_err();
    assert!(err.to_string().contains("profile"), "{err}");
}
