//! OpenStreetMap tags on tiny hand-written extracts (PBF built in the test by `common::pbf`): one-way
//! rules, roundabouts, access, speeds, cutting ways at junctions, and bad files.
//!
//! Nodes sit on a grid near Helsinki: column c, row r is at lon 24.900 + 0.002 c, lat 60.200 +
//! 0.001 r, so neighbours are about 111 m apart. Expected lengths are Vincenty's geodesics on WGS84
//! (tests/reference/osm_reference.py, `vincenty`), a different algorithm from the crate's Karney.

mod common;

use std::path::Path;

use common::pbf::Osm;
use travel_impact::{
    Engine, EngineOptions, Error, Network, Objective, Oneway, OsmOptions, OsmReport, RoadClass,
    RoadId, Router,
};

fn at(c: f64, r: f64) -> (f64, f64) {
    (24.900 + 0.002 * c, 60.200 + 0.001 * r)
}

/// Adds nodes `(id, column, row)`.
fn grid(osm: &mut Osm, nodes: &[(i64, f64, f64)]) {
    for &(id, c, r) in nodes {
        let (lon, lat) = at(c, r);
        osm.node(id, lon, lat);
    }
}

/// Every island allowed, so small fixtures route.
fn load(osm: &Osm) -> (Engine, OsmReport) {
    let options = OsmOptions {
        engine: EngineOptions {
            min_component_nodes: 0,
            ..EngineOptions::default()
        },
        ..OsmOptions::default()
    };
    Engine::from_osm_pbf_bytes(Path::new("fixture.osm.pbf"), &osm.to_pbf(), &options).unwrap()
}

/// The k-th road cut from way `way`.
fn road(net: &Network, way: u64, k: u64) -> RoadId {
    let id = way * 10_000 + k;
    RoadId::new(
        net.roads()
            .iter()
            .position(|r| r.id == id)
            .unwrap_or_else(|| panic!("no road {id}")),
    )
}

/// (forward, backward) allowed for `router` on the road.
fn dirs(router: &Router<'_>, road: RoadId) -> (bool, bool) {
    (router.allows(road, true), router.allows(road, false))
}

fn node(net: &Network, id: u64) -> travel_impact::NodeId {
    net.find_node(id)
        .unwrap_or_else(|| panic!("node {id} is not a junction"))
}

fn close(a: f64, b: f64, tol: f64) {
    assert!((a - b).abs() <= tol, "{a} vs {b}");
}

#[test]
fn a_way_is_cut_where_it_shares_a_node_and_only_there() {
    // Way 100: 1-2-3-4 along row 0. Way 101: 5-3-6 across it, sharing node 3.
    // Way 102: 7-8, a footway crossing way 100 between nodes 1 and 2 with no shared node (a
    // bridge): no junction there.
    let mut osm = Osm::new();
    grid(
        &mut osm,
        &[
            (1, 0.0, 0.0),
            (2, 1.0, 0.0),
            (3, 2.0, 0.0),
            (4, 3.0, 0.0),
            (5, 2.0, 1.0),
            (6, 2.0, -1.0),
            (7, 0.5, 1.0),
            (8, 0.5, -1.0),
        ],
    );
    osm.way(100, &[1, 2, 3, 4], &[("highway", "residential")])
        .way(101, &[5, 3, 6], &[("highway", "residential")])
        .way(102, &[7, 8], &[("highway", "footway")]);
    let (engine, report) = load(&osm);
    let net = engine.network();
    assert_eq!((report.junctions, report.roads), (7, 5));
    // Node 2 is a bend, not a junction; node 3 is.
    assert!(net.find_node(2).is_none());
    let first = net.road(road(net, 100, 0));
    assert_eq!(
        (net.node_id(first.from), net.node_id(first.to)),
        (1, 3),
        "1-2-3 is one road"
    );
    assert_eq!(first.geometry.len(), 3);
    // Vincenty: 1-2 and 2-3 are 110.925717 m each.
    close(first.length_m, 221.851434, 1e-6);
    let second = net.road(road(net, 100, 1));
    assert_eq!((net.node_id(second.from), net.node_id(second.to)), (3, 4));
    close(second.length_m, 110.925717, 1e-6);
    let across = net.road(road(net, 101, 0));
    close(across.length_m, 111.415688, 1e-6); // one grid row north-south
    // The footway meets nothing: no route from its end to the street it crosses.
    let walk = engine.profile("walk").unwrap();
    assert!(
        walk.route_nodes(node(net, 7), node(net, 1), Objective::Distance)
            .is_none()
    );
    // Through the shared node: 1 -> 3 -> 5, 221.851 + 111.416 m.
    let r = walk
        .route_nodes(node(net, 1), node(net, 5), Objective::Distance)
        .unwrap();
    close(r.distance_m, 333.267, 0.001);
}

#[test]
fn oneway_minus_one_runs_against_the_drawing() {
    let mut osm = Osm::new();
    grid(&mut osm, &[(1, 0.0, 0.0), (2, 1.0, 0.0), (3, 2.0, 0.0)]);
    osm.way(
        200,
        &[1, 2],
        &[("highway", "residential"), ("oneway", "-1")],
    )
    .way(
        201,
        &[2, 3],
        &[("highway", "residential"), ("oneway", "yes")],
    )
    .way(
        202,
        &[3, 1],
        &[("highway", "residential"), ("oneway", "no")],
    );
    let (engine, _) = load(&osm);
    let net = engine.network();
    let (a, b, c) = (road(net, 200, 0), road(net, 201, 0), road(net, 202, 0));
    assert_eq!(net.road(a).oneway, Oneway::Backward);
    let drive = engine.profile("drive").unwrap();
    assert_eq!(dirs(&drive, a), (false, true));
    assert_eq!(dirs(&drive, b), (true, false));
    assert_eq!(dirs(&drive, c), (true, true));
    // Walkers ignore one-way streets; cyclists obey them.
    assert_eq!(dirs(&engine.profile("walk").unwrap(), a), (true, true));
    assert_eq!(dirs(&engine.profile("cycle").unwrap(), a), (false, true));
    // By car, 1 cannot reach 2 (1-2 runs only 2 -> 1, and 2-3 only 2 -> 3); 2 reaches 1 directly.
    assert!(
        drive
            .route_nodes(node(net, 1), node(net, 2), Objective::Distance)
            .is_none()
    );
    let back = drive
        .route_nodes(node(net, 2), node(net, 1), Objective::Distance)
        .unwrap();
    close(back.distance_m, 110.926, 0.001);
}

#[test]
fn roundabouts_and_motorways_are_one_way_unless_tagged_otherwise() {
    let mut osm = Osm::new();
    grid(
        &mut osm,
        &[
            (1, 0.0, 0.0),
            (10, 1.0, 0.0),
            (11, 1.5, 0.5),
            (12, 2.0, 0.0),
            (13, 1.5, -0.5),
            (14, 3.0, 0.0),
            (20, 0.0, 3.0),
            (21, 3.0, 3.0),
            (22, 3.0, 4.0),
        ],
    );
    osm.way(300, &[1, 10], &[("highway", "residential")])
        .way(
            301,
            &[10, 11, 12, 13, 10],
            &[("highway", "primary"), ("junction", "roundabout")],
        )
        .way(302, &[12, 14], &[("highway", "residential")])
        .way(303, &[20, 21], &[("highway", "motorway")])
        .way(304, &[21, 22], &[("highway", "motorway"), ("oneway", "no")]);
    let (engine, _) = load(&osm);
    let net = engine.network();
    let drive = engine.profile("drive").unwrap();
    let cycle = engine.profile("cycle").unwrap();
    let walk = engine.profile("walk").unwrap();
    // The ring is cut at its two junctions (10, 12) into two roads, both one-way as drawn.
    for k in 0..2 {
        let r = road(net, 301, k);
        assert_eq!(net.road(r).oneway, Oneway::Forward);
        assert_eq!(dirs(&drive, r), (true, false));
        assert_eq!(dirs(&cycle, r), (true, false));
        assert_eq!(dirs(&walk, r), (true, true));
    }
    // Around the ring from 12 back to 10 goes on through 13 (the way's order), never back via 11.
    let r = drive
        .route_nodes(node(net, 12), node(net, 10), Objective::Distance)
        .unwrap();
    assert_eq!(r.roads, [road(net, 301, 1)]);
    let half = net.road(road(net, 301, 1)); // 12 -> 13 -> 10
    assert_eq!((net.node_id(half.from), net.node_id(half.to)), (12, 10));
    // And from 10 to 12 through 11, the other half.
    let r = drive
        .route_nodes(node(net, 10), node(net, 12), Objective::Distance)
        .unwrap();
    assert_eq!(r.roads, [road(net, 301, 0)]);
    // A motorway is one-way without a tag; `oneway=no` makes it two-way.
    assert_eq!(dirs(&drive, road(net, 303, 0)), (true, false));
    assert_eq!(dirs(&drive, road(net, 304, 0)), (true, true));
    // Walkers and cyclists may not use motorways at all.
    assert!(!walk.usable(road(net, 303, 0)) && !cycle.usable(road(net, 303, 0)));
}

#[test]
fn access_private_and_foot_no() {
    let mut osm = Osm::new();
    grid(
        &mut osm,
        &[
            (1, 0.0, 0.0),
            (2, 1.0, 0.0),
            (3, 2.0, 0.0),
            (4, 3.0, 0.0),
            (5, 4.0, 0.0),
        ],
    );
    osm.way(
        400,
        &[1, 2],
        &[("highway", "service"), ("access", "private")],
    )
    .way(
        401,
        &[2, 3],
        &[
            ("highway", "service"),
            ("access", "private"),
            ("foot", "yes"),
        ],
    )
    .way(402, &[3, 4], &[("highway", "residential"), ("foot", "no")])
    .way(
        403,
        &[4, 5],
        &[
            ("highway", "residential"),
            ("access", "no"),
            ("motor_vehicle", "yes"),
        ],
    );
    let (engine, _) = load(&osm);
    let net = engine.network();
    let usable =
        |profile: &str, way: u64| engine.profile(profile).unwrap().usable(road(net, way, 0));
    // access=private: nobody.
    assert!(!usable("drive", 400) && !usable("walk", 400) && !usable("cycle", 400));
    // access=private + foot=yes: walkers only.
    assert!(!usable("drive", 401) && usable("walk", 401) && !usable("cycle", 401));
    // foot=no: everyone but walkers.
    assert!(usable("drive", 402) && !usable("walk", 402) && usable("cycle", 402));
    // access=no + motor_vehicle=yes: cars (the more specific tag wins), not walkers or cyclists.
    assert!(usable("drive", 403) && !usable("walk", 403) && !usable("cycle", 403));
}

#[test]
fn maxspeed_in_mph_sets_the_drive_time() {
    let mut osm = Osm::new();
    grid(&mut osm, &[(1, 0.0, 0.0), (2, 2.0, 0.0), (3, 4.0, 0.0)]);
    osm.way(
        500,
        &[1, 2],
        &[("highway", "tertiary"), ("maxspeed", "30 mph")],
    )
    .way(501, &[2, 3], &[("highway", "tertiary")]);
    let options = OsmOptions {
        profiles: vec![travel_impact::Profile::drive_free_flow()],
        ..OsmOptions::default()
    };
    let (engine, report) =
        Engine::from_osm_pbf_bytes(Path::new("mph.osm.pbf"), &osm.to_pbf(), &options).unwrap();
    let net = engine.network();
    // 30 mph = 30 x 1.609344 km/h.
    assert_eq!(net.road(road(net, 500, 0)).speed_kmh, 48.28032);
    // No tag: Valhalla's urban default for tertiary roads (urban: no tag says rural).
    assert_eq!(net.road(road(net, 501, 0)).speed_kmh, 40.0);
    assert_eq!(net.road(road(net, 501, 0)).tag("area"), Some("urban"));
    assert_eq!((report.speeds.tagged, report.speeds.default), (1, 1));
    // Free flow over the first road: 221.851434 m at 48.28032 km/h = 16.5422 s.
    let r = engine
        .profile("drive-free-flow")
        .unwrap()
        .route_nodes(node(net, 1), node(net, 2), Objective::Time)
        .unwrap();
    close(r.time_s, 221.851434 / (48.28032 / 3.6), 0.002);
}

#[test]
fn mode_specific_tags() {
    let mut osm = Osm::new();
    grid(
        &mut osm,
        &[
            (1, 0.0, 0.0),
            (2, 1.0, 0.0),
            (3, 2.0, 0.0),
            (4, 3.0, 0.0),
            (5, 4.0, 0.0),
            (6, 5.0, 0.0),
            (7, 6.0, 0.0),
            (8, 7.0, 0.0),
            (9, 8.0, 0.0),
            (10, 9.0, 0.0),
        ],
    );
    let t = |tags: &[(&'static str, &'static str)]| tags.to_vec();
    let ways: Vec<(i64, Vec<(&str, &str)>)> = vec![
        // One-way for traffic, two-way for cyclists (new and old tagging).
        (
            600,
            t(&[
                ("highway", "residential"),
                ("oneway", "yes"),
                ("oneway:bicycle", "no"),
            ]),
        ),
        (
            601,
            t(&[
                ("highway", "residential"),
                ("oneway", "yes"),
                ("cycleway", "opposite"),
            ]),
        ),
        // A footway walkers may use only one way.
        (602, t(&[("highway", "footway"), ("oneway:foot", "yes")])),
        // Cyclists must use the cycle track beside it.
        (
            603,
            t(&[("highway", "secondary"), ("bicycle", "use_sidepath")]),
        ),
        // Motor traffic only, and a trunk road without a pavement.
        (604, t(&[("highway", "primary"), ("motorroad", "yes")])),
        (605, t(&[("highway", "trunk"), ("sidewalk", "no")])),
        // A footway cyclists may push along, and steps.
        (606, t(&[("highway", "footway"), ("bicycle", "dismount")])),
        (607, t(&[("highway", "steps")])),
        // A lane whose direction changes with the time of day.
        (608, t(&[("highway", "primary"), ("oneway", "reversible")])),
    ];
    for (i, (id, tags)) in ways.iter().enumerate() {
        osm.way(*id, &[i as i64 + 1, i as i64 + 2], tags);
    }
    // Not roads: under construction, and a pedestrian square drawn as an area.
    osm.way(609, &[9, 10], &[("highway", "construction")]).way(
        610,
        &[9, 10, 1, 9],
        &[("highway", "pedestrian"), ("area", "yes")],
    );
    let (engine, report) = load(&osm);
    let net = engine.network();
    let [drive, walk, cycle] = ["drive", "walk", "cycle"].map(|p| engine.profile(p).unwrap());
    let r = |way| road(net, way, 0);
    assert_eq!(dirs(&drive, r(600)), (true, false));
    assert_eq!(dirs(&cycle, r(600)), (true, true));
    assert_eq!(dirs(&cycle, r(601)), (true, true));
    assert_eq!(net.road(r(601)).tag("oneway:bicycle"), Some("no"));
    assert_eq!(dirs(&walk, r(602)), (true, false));
    assert!(!drive.usable(r(602)) && !cycle.usable(r(602)));
    assert!(drive.usable(r(603)) && walk.usable(r(603)) && !cycle.usable(r(603)));
    assert!(drive.usable(r(604)) && !walk.usable(r(604)) && !cycle.usable(r(604)));
    assert!(drive.usable(r(605)) && !walk.usable(r(605)) && cycle.usable(r(605)));
    assert!(!drive.usable(r(608)) && walk.usable(r(608)) && !cycle.usable(r(608)));
    // Pushing the bicycle over 110.925717 m at 4.8 km/h; steps at a third of walking speed.
    let time = |router: &Router<'_>, a: u64, b: u64| {
        router
            .route_nodes(node(net, a), node(net, b), Objective::Time)
            .unwrap()
            .time_s
    };
    close(time(&cycle, 7, 8), 110.925717 / (4.8 / 3.6), 0.002);
    close(time(&walk, 7, 8), 110.925717 / (4.8 / 3.6), 0.002);
    close(time(&walk, 8, 9), 110.925717 / (1.6 / 3.6), 0.002);
    assert_eq!(net.road(r(607)).class, RoadClass::Steps);
    assert_eq!(report.ways_skipped.get("highway=construction"), Some(&1));
    assert_eq!(report.ways_skipped.get("area=yes"), Some(&1));
    assert_eq!(report.roads, 9);
}

#[test]
fn ways_cut_by_the_extract_edge_keep_the_part_inside() {
    // Node 3 is referenced but not in the file (clipped extract).
    let mut osm = Osm::new();
    grid(
        &mut osm,
        &[(1, 0.0, 0.0), (2, 1.0, 0.0), (4, 3.0, 0.0), (5, 4.0, 0.0)],
    );
    osm.way(700, &[1, 2, 3, 4, 5], &[("highway", "residential")]);
    let (engine, report) = load(&osm);
    let net = engine.network();
    assert_eq!(report.missing_node_refs, 1);
    assert_eq!(net.roads().len(), 2);
    assert_eq!(net.road(road(net, 700, 1)).geometry.len(), 2);
    assert!(
        engine
            .profile("walk")
            .unwrap()
            .route_nodes(node(net, 2), node(net, 4), Objective::Distance)
            .is_none()
    );
}

#[test]
fn bad_files_are_typed_errors_naming_the_file() {
    let name = Path::new("bad.osm.pbf");
    let options = OsmOptions::default();
    let err = |bytes: &[u8]| Network::from_osm_pbf_bytes(name, bytes, &options).unwrap_err();
    // Not a PBF at all, and an empty file.
    for bytes in [&b"id,lat,lon\n1,60,24\n"[..], &[][..]] {
        let e = err(bytes);
        assert!(matches!(e, Error::Pbf { .. }), "{e}");
        assert!(
            e.to_string()
                .starts_with("bad.osm.pbf: not a usable OSM PBF file"),
            "{e}"
        );
    }
    // A real file cut short.
    let mut osm = Osm::new();
    grid(&mut osm, &[(1, 0.0, 0.0), (2, 1.0, 0.0)]);
    osm.way(1, &[1, 2], &[("highway", "residential")]);
    let good = osm.to_pbf();
    for cut in [good.len() - 3, good.len() / 2, 5] {
        assert!(
            matches!(err(&good[..cut]), Error::Pbf { .. }),
            "cut at {cut}"
        );
    }
    // A history file.
    let mut history = osm.clone();
    history
        .required_features
        .push("HistoricalInformation".into());
    assert!(
        err(&history.to_pbf())
            .to_string()
            .contains("requires the feature `HistoricalInformation`")
    );
    // Ids must be positive (negative ones are unsaved edits).
    let mut negative = Osm::new();
    grid(&mut negative, &[(1, 0.0, 0.0), (2, 1.0, 0.0)]);
    negative.way(-5, &[1, 2], &[("highway", "residential")]);
    assert!(
        err(&negative.to_pbf())
            .to_string()
            .contains("way id -5 is not positive")
    );
    // The same way twice.
    let mut twice = osm.clone();
    twice.way(1, &[2, 1], &[("highway", "residential")]);
    assert!(
        err(&twice.to_pbf())
            .to_string()
            .contains("way 1 appears twice")
    );
    // No roads at all.
    let mut none = Osm::new();
    grid(&mut none, &[(1, 0.0, 0.0), (2, 1.0, 0.0)]);
    none.way(1, &[1, 2], &[("building", "yes")]);
    assert!(matches!(err(&none.to_pbf()), Error::Empty { .. }));
    // Uncompressed blobs are read too.
    let mut raw = osm.clone();
    raw.zlib = false;
    assert!(Network::from_osm_pbf_bytes(name, &raw.to_pbf(), &options).is_ok());
    // A missing file names itself.
    let e = Network::from_osm_pbf(Path::new("no/such.osm.pbf"), &options).unwrap_err();
    assert!(matches!(e, Error::Io { .. }) && e.to_string().starts_with("no/such.osm.pbf"));
}

#[test]
fn great_britain_gets_the_national_grid_and_speeds_are_data() {
    // Three nodes in Aylesbury (lon, lat).
    let mut osm = Osm::new();
    osm.node(1, -0.8125, 51.8167)
        .node(2, -0.8105, 51.8167)
        .node(3, -0.8085, 51.8167);
    osm.way(1, &[1, 2], &[("highway", "residential")]).way(
        2,
        &[2, 3],
        &[("highway", "primary"), ("maxspeed", "GB:nsl_single")],
    );
    let mut options = OsmOptions::default();
    options.speeds.unknown_area = travel_impact::Area::Rural;
    options.speeds.set("residential", 20.0, 32.0);
    let (net, report) =
        Network::from_osm_pbf_bytes(Path::new("gb.osm.pbf"), &osm.to_pbf(), &options).unwrap();
    assert_eq!(report.crs, travel_impact::geom::Crs::BritishNationalGrid);
    assert_eq!(net.crs(), travel_impact::geom::Crs::BritishNationalGrid);
    let residential = net.road(road(&net, 1, 0));
    assert_eq!(
        (residential.speed_kmh, residential.tag("area")),
        (32.0, Some("rural"))
    );
    // 60 mph, rural by the national value itself.
    assert_eq!(net.road(road(&net, 2, 0)).speed_kmh, 60.0 * 1.609344);
    assert_eq!((report.area_from_tags, report.area_default), (1, 1));
    // Planar (grid) length over the scale factor is the geodesic length (Karney) to < 1 mm.
    let p = net.unproject(residential.geometry[0]);
    let k = net.crs().scale_factor_at(p);
    let grid_m = residential.geometry[0].distance_m(residential.geometry[1]);
    close(grid_m / k, residential.length_m, 1e-3);
    // Vincenty gives 137.916330 m for this pair of points (osm_reference.py `vincenty`).
    close(residential.length_m, 137.916330, 1e-6);
    // A bad speed table is refused.
    options.speeds.set("primary", 0.0, 90.0);
    let e =
        Network::from_osm_pbf_bytes(Path::new("gb.osm.pbf"), &osm.to_pbf(), &options).unwrap_err();
    assert!(
        e.to_string()
            .contains("speed of highway=primary: 0 is not > 0"),
        "{e}"
    );
}
