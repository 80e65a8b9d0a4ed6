//! Bad input, faults and edge cases: each case asserts the exact error kind or reject reason.

use std::path::{Path, PathBuf};

use travel_impact::geom::Xy;
use travel_impact::uk::{PostcodeDirectory, PostcodeError};
use travel_impact::{
    Engine, EngineOptions, Error, Facilities, InvalidOrigin, LoadedOrigins, Locator, Network,
    NetworkBuilder, NotPlaced, Objective, Origin, RoadSpec, Scenario, SnapError, Unreachable,
    origins_from_reader,
};

fn facilities(csv: &[u8]) -> Result<Facilities, Error> {
    Facilities::from_reader(Path::new("f.csv"), csv, &Locator::default())
}

const NODES: &str = "node_id,easting,northing\n1,0,0\n2,100,0\n3,100,100\n";

fn network(edges: &str) -> Result<Network, Error> {
    Network::from_readers(
        (Path::new("nodes.csv"), NODES.as_bytes()),
        (Path::new("edges.csv"), edges.as_bytes()),
    )
}

const EDGE_HEADER: &str =
    "edge_id,from_node,to_node,length_m,car_forward,car_backward,car_speed_kmh\n";

fn field_error(e: Error) -> (PathBuf, u64, String) {
    match e {
        Error::Field {
            path, line, field, ..
        } => (path, line, field),
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn directory() -> PostcodeDirectory {
    let csv = "postcode,easting,northing,district,status,quality,source\n\
               HP19 8FF,480984,214400,E06000060,live,10,codepoint\n\
               HP1 1AA,505728,206630,E07000096,terminated,,nspd\n\
               HP12 9AB,,,,terminated,,nspd\n";
    PostcodeDirectory::from_reader(Path::new("pc.csv"), csv.as_bytes()).unwrap()
}

fn origins(csv: &str) -> LoadedOrigins {
    let dir = directory();
    origins_from_reader(
        Path::new("homes.csv"),
        csv.as_bytes(),
        &Locator::default().with_geocoder(&dir),
    )
    .unwrap()
}

fn only_reject(o: &LoadedOrigins) -> (u64, &str) {
    assert_eq!(o.rejected.len(), 1, "{o:?}");
    (o.rejected[0].line, o.rejected[0].reason.as_str())
}

// ---------------------------------------------------------------- CSV

#[test]
fn csv_missing_column() {
    match facilities(b"name,easting,northing\na,1,2\n") {
        Err(Error::MissingColumn {
            path,
            column,
            header,
        }) => {
            assert_eq!(
                (path.to_str().unwrap(), column.as_str(), header.as_str()),
                ("f.csv", "id", "name,easting,northing")
            );
        }
        other => panic!("{other:?}"),
    }
    // `name` is optional: the id stands in.
    let f = facilities(b"id,easting,northing\na,1,2\n").unwrap();
    assert_eq!(f.sites()[0].name, "a");
}

/// A known column written with other capitals is an error, not an extra column read silently.
#[test]
fn csv_column_with_other_capitals_is_an_error() {
    match facilities(b"id,name,Easting,northing\na,A,1,2\n") {
        Err(Error::Field {
            line: 1,
            field,
            message,
            ..
        }) => {
            assert_eq!(field, "Easting");
            assert!(message.contains("`easting`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let homes = "id,easting,northing,Weight\nh,480000,210000,5\n";
    match travel_impact::origins_from_reader(
        "homes.csv".as_ref(),
        homes.as_bytes(),
        &travel_impact::Locator::default(),
    ) {
        Err(Error::Field { field, .. }) => assert_eq!(field, "Weight"),
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(network("edge_id,from_node\n1,1\n"), Err(Error::MissingColumn { column, .. }) if column == "to_node")
    );
}

#[test]
fn csv_extra_columns_are_kept_or_ignored() {
    let f = facilities(b"id,name,easting,northing,opening_hours\na,A,1,2,9-5\n").unwrap();
    assert_eq!(f.sites()[0].attribute("opening_hours"), "9-5");
    let edges = format!(
        "{}1,1,2,100,1,1,30,red\n",
        EDGE_HEADER.replace('\n', ",colour\n")
    );
    let net = network(&edges);
    assert_eq!(net.unwrap().roads().len(), 1);
}

#[test]
fn csv_wrong_type_names_file_line_and_field() {
    let e = network(&format!(
        "{EDGE_HEADER}1,1,2,100,1,1,30\n2,2,3,abc,1,1,30\n"
    ))
    .unwrap_err();
    assert_eq!(
        field_error(e),
        (PathBuf::from("edges.csv"), 3, "length_m".into())
    );
    let e = network(&format!("{EDGE_HEADER}1,1,2,100,maybe,1,30\n")).unwrap_err();
    assert_eq!(field_error(e).2, "car_forward");
    let e = facilities(b"id,name,easting,northing\na,A,12x,5\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "f.csv:2: field `easting`: `12x` is not a number"
    );
}

#[test]
fn csv_empty_file_and_header_only() {
    assert!(matches!(
        facilities(b""),
        Err(Error::Empty {
            what: "no header row",
            ..
        })
    ));
    assert!(matches!(
        facilities(b"id,name,postcode\n"),
        Err(Error::Empty {
            what: "no data rows",
            ..
        })
    ));
    assert!(matches!(
        network(EDGE_HEADER),
        Err(Error::Empty {
            what: "no data rows",
            ..
        })
    ));
    let dir = directory();
    let e = origins_from_reader(
        Path::new("h.csv"),
        "postcode\n".as_bytes(),
        &Locator::default().with_geocoder(&dir),
    );
    assert!(matches!(
        e,
        Err(Error::Empty {
            what: "no data rows",
            ..
        })
    ));
    assert!(matches!(
        PostcodeDirectory::from_reader(
            Path::new("p.csv"),
            "postcode,easting,northing,district,status\n".as_bytes()
        ),
        Err(Error::Empty {
            what: "no data rows",
            ..
        })
    ));
}

#[test]
fn csv_blank_lines_are_skipped_and_lines_still_counted() {
    let e = facilities(b"id,name,easting,northing\n\na,A,1,2\n\n\nb,B,x,2\n").unwrap_err();
    assert_eq!(field_error(e).1, 6);
    let o = origins("id,easting,northing\n\na,480000,210000\n\n");
    assert_eq!((o.origins.len(), o.lines[0]), (1, 3));
}

#[test]
fn csv_utf8_bom_and_windows_line_endings() {
    let f = facilities(b"\xEF\xBB\xBFid,name,easting,northing\r\na,Alpha Centre,1,2\r\n").unwrap();
    assert_eq!(f.sites()[0].id, "a");
    assert_eq!(f.sites()[0].name, "Alpha Centre");
    assert_eq!(f.sites()[0].point(), Some(Xy::new(1.0, 2.0)));
}

#[test]
fn csv_invalid_utf8_names_the_line() {
    match facilities(b"id,name,easting,northing\na,A,1,2\nb,B\xFF\xFE,1,2\n") {
        Err(Error::Csv { line, message, .. }) => {
            assert_eq!(line, 3);
            assert!(message.contains("invalid UTF-8"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn csv_quoted_fields_with_commas_and_quotes() {
    let f =
        facilities(b"id,name,easting,northing\na,\"Centre, \"\"North\"\" site\",1,2\n").unwrap();
    assert_eq!(f.sites()[0].name, "Centre, \"North\" site");
}

#[test]
fn csv_very_long_line() {
    let name = "x".repeat(2_000_000);
    let f = facilities(format!("id,name,easting,northing\na,{name},1,2\n").as_bytes()).unwrap();
    assert_eq!(f.sites()[0].name.len(), 2_000_000);
}

#[test]
fn csv_row_with_wrong_number_of_fields() {
    match facilities(b"id,name,easting,northing\na,A,1,2\nb,B,1\n") {
        Err(Error::Csv { line, message, .. }) => {
            assert_eq!(line, 3);
            assert_eq!(message, "row has 3 fields, header has 4");
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- postcodes

#[test]
fn postcodes_any_case_and_spacing() {
    let o = origins("postcode\nhp198ff\n HP19   8FF\nHp19 8fF\n");
    // The same postcode three times (three families): three origins, ids from their lines.
    assert_eq!(o.origins.len(), 3);
    assert!(o.rejected.is_empty());
    for (i, h) in o.origins.iter().enumerate() {
        assert_eq!(h.id, format!("line {}", i + 2));
        assert_eq!(h.name(), "HP19 8FF");
        assert_eq!(h.point, Xy::new(480984.0, 214400.0));
    }
    // With an id column, ids must be unique.
    let o = origins("id,postcode\na,hp198ff\na,HP19 8FF\n");
    assert_eq!(only_reject(&o), (3, "duplicate id `a` (first on line 2)"));
}

#[test]
fn postcodes_malformed() {
    for bad in ["HP19 8F", "123"] {
        let o = origins(&format!("postcode\n{bad}\n"));
        assert_eq!(
            only_reject(&o),
            (
                2,
                format!("postcode: `{bad}` is not a valid postcode").as_str()
            )
        );
    }
}

#[test]
fn postcodes_valid_but_unknown() {
    let o = origins("postcode\nHP19 9ZZ\n");
    assert_eq!(
        only_reject(&o),
        (2, "postcode: HP19 9ZZ is not in the postcode directory")
    );
}

#[test]
fn postcodes_terminated_are_located_and_flagged() {
    let o = origins("postcode\nhp11aa\n");
    assert_eq!(o.origins[0].point, Xy::new(505728.0, 206630.0));
    assert_eq!(
        o.warnings,
        vec![(
            2,
            "line 2".to_string(),
            "postcode HP1 1AA is terminated; located from the ONS NSPD".to_string()
        )]
    );
}

#[test]
fn postcodes_without_coordinates() {
    let o = origins("postcode\nHP12 9AB\n");
    assert_eq!(
        only_reject(&o),
        (
            2,
            "postcode: HP12 9AB has no coordinates (non-geographic postcode)"
        )
    );
    assert_eq!(
        directory().locate("HP12 9AB"),
        Err(PostcodeError::NoCoordinates("HP12 9AB".into()))
    );
}

// ---------------------------------------------------------------- coordinates

#[test]
fn coordinates_nan_and_infinite() {
    let o = origins("id,easting,northing\na,NaN,210000\nb,480000,inf\n");
    assert_eq!(o.rejected.len(), 2);
    assert_eq!(
        o.rejected[0].reason,
        "easting: `NaN` is not a finite number"
    );
    assert_eq!(
        o.rejected[1].reason,
        "northing: `inf` is not a finite number"
    );
    let o = origins("id,lat,lon\na,NaN,-0.8\n");
    assert_eq!(only_reject(&o).1, "lat: `NaN` is not a finite number");
    // Given straight to the engine, they are rejected (not routed, no weight) and counted.
    let e = line_engine(EngineOptions::default());
    let s = one(&e, "f", 50.0);
    let homes = [
        Origin::new("nan", Xy::new(f64::NAN, 0.0)),
        Origin::new("ok", Xy::new(10.0, 0.0)),
    ];
    let impact = e
        .impact(&homes, &s, &s, "walk", Objective::Distance)
        .unwrap();
    assert_eq!(
        impact.row(0).before,
        Err(Unreachable::Rejected(InvalidOrigin::Coordinates))
    );
    let sum = impact.summary();
    assert_eq!(
        (
            sum.before.reached,
            sum.before.unreachable,
            sum.before.rejected
        ),
        (1, 0, 1)
    );
    assert_eq!(sum.weight, 1.0);
}

#[test]
fn coordinates_swapped_lat_lon_is_detected_with_a_hint() {
    let o = origins("id,lat,lon\na,-0.81,51.81\n");
    assert_eq!(
        only_reject(&o).1,
        "latitude -0.81 / longitude 51.81 look swapped (lon, lat given as lat, lon?)"
    );
    // Degrees typed into easting/northing columns.
    let o = origins("id,easting,northing\na,51.81,-0.81\n");
    assert_eq!(
        only_reject(&o).1,
        "easting/northing 51.81/-0.81 is outside the British National Grid (looks like degrees: give them as lat,lon)"
    );
}

#[test]
fn coordinates_swapped_easting_northing_is_detected_when_snapping() {
    // A road along y = 480000; a point given as (northing, easting) lies far away.
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(210_000.0, 480_000.0))
        .node(2, Xy::new(211_000.0, 480_000.0));
    b.road(RoadSpec::new(1, 1, 2));
    let e = Engine::new(b.build().unwrap(), EngineOptions::default());
    assert_eq!(
        e.profile("drive")
            .unwrap()
            .snap(Xy::new(480_000.0, 210_500.0)),
        Err(SnapError::LooksSwapped { distance_m: 0.0 })
    );
}

#[test]
fn coordinates_far_outside_the_network() {
    let e = line_engine(EngineOptions::default());
    match e
        .profile("walk")
        .unwrap()
        .snap(Xy::new(400_000.0, 400_000.0))
    {
        Err(SnapError::TooFar {
            radius_m,
            nearest_m: Some(d),
        }) => {
            assert_eq!(radius_m, 1500.0);
            assert!(d > 500_000.0);
        }
        other => panic!("{other:?}"),
    }
    let o = origins("id,easting,northing\na,-5,10\nb,800000,10\n");
    assert_eq!(
        o.rejected[1].reason,
        "easting/northing 800000/10 is outside the British National Grid"
    );
}

#[test]
fn invalid_weights_are_rejected() {
    let o = origins(
        "id,easting,northing,weight\na,480000,210000,-1\nb,480000,210001,NaN\nc,480000,210002,two\n",
    );
    let reasons: Vec<&str> = o.rejected.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "weight -1 is not a finite number >= 0",
            "weight NaN is not a finite number >= 0",
            "weight: `two` is not a number"
        ]
    );
    let e = line_engine(EngineOptions::default());
    let s = one(&e, "f", 50.0);
    let mut bad = Origin::new("w", Xy::new(10.0, 0.0));
    bad.weight = -3.0;
    let homes = [bad];
    let impact = e
        .impact(&homes, &s, &s, "walk", Objective::Distance)
        .unwrap();
    assert_eq!(
        impact.row(0).after,
        Err(Unreachable::Rejected(InvalidOrigin::Weight))
    );
    assert_eq!(impact.summary().weight, 0.0);
}

// ---------------------------------------------------------------- facilities

/// One straight two-way road from (0,0) to (100,0).
fn line_engine(options: EngineOptions) -> Engine {
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(100.0, 0.0));
    b.road(RoadSpec::new(1, 1, 2));
    Engine::new(b.build().unwrap(), options)
}

fn one(_e: &Engine, id: &str, x: f64) -> Scenario {
    let f = Facilities::from_points([(id, Xy::new(x, 0.0))]).unwrap();
    Scenario::new("one", &f, [id]).unwrap()
}

#[test]
fn facilities_duplicate_ids() {
    match facilities(b"id,name,easting,northing\na,A,1,2\nb,B,1,2\na,A2,3,4\n") {
        Err(Error::DuplicateId {
            line,
            first_line,
            what,
            id,
            ..
        }) => {
            assert_eq!((line, first_line, what, id.as_str()), (4, 2, "site", "a"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn scenario_with_unknown_id_or_empty() {
    let f = facilities(b"id,name,easting,northing\na,A,1,2\n").unwrap();
    assert!(
        matches!(Scenario::new("s", &f, ["a", "zz"]), Err(Error::UnknownFacility { id, .. }) if id == "zz")
    );
    assert!(
        matches!(Scenario::new("s", &f, Vec::<&str>::new()), Err(Error::EmptyScenario { scenario }) if scenario == "s")
    );
    assert!(matches!(
        Scenario::from_column("s", &f, "hub", &["yes"]),
        Err(Error::EmptyScenario { .. })
    ));
}

#[test]
fn facility_on_a_tiny_island_or_unreachable_for_a_mode() {
    // Mainland: (0,0)-(100,0)-(200,0); island: (5000,0)-(5100,0); a motorway at y = 3000 m
    // reached by a one-way motorway link from (200,0).
    let mut b = NetworkBuilder::new();
    for (id, x, y) in [
        (1, 0.0, 0.0),
        (2, 100.0, 0.0),
        (3, 200.0, 0.0),
        (4, 5000.0, 0.0),
        (5, 5100.0, 0.0),
        (6, 0.0, 3000.0),
        (7, 100.0, 3000.0),
    ] {
        b.node(id, Xy::new(x, y));
    }
    b.road(RoadSpec::new(1, 1, 2))
        .road(RoadSpec::new(2, 2, 3))
        .road(RoadSpec::new(3, 4, 5));
    b.road(RoadSpec::new(4, 6, 7).motorway().speed_kmh(100.0))
        .road(RoadSpec::new(5, 3, 7).one_way().motorway());
    let net = b.build().unwrap();
    let f = Facilities::from_points([
        ("island", Xy::new(5050.0, 5.0)),
        ("services", Xy::new(50.0, 3005.0)),
    ])
    .unwrap();
    let home = [Origin::new("home", Xy::new(10.0, 0.0))];
    let e = Engine::new(net.clone(), EngineOptions::default());
    let island = Scenario::new("island", &f, ["island"]).unwrap();
    let impact = e
        .impact(&home, &island, &island, "drive", Objective::Distance)
        .unwrap();
    assert_eq!(
        impact.before().placed().sites[0].at,
        Err(NotPlaced::Snap(SnapError::Island {
            nodes: 2,
            distance_m: 5.0
        }))
    );
    assert_eq!(impact.row(0).before, Err(Unreachable::NoFacilityPlaced));
    // Allowed onto islands, the site is placed but cannot be reached from home.
    let e0 = Engine::new(
        net,
        EngineOptions {
            min_component_nodes: 0,
            ..Default::default()
        },
    );
    let impact = e0
        .impact(&home, &island, &island, "drive", Objective::Distance)
        .unwrap();
    assert!(impact.before().placed().sites[0].at.is_ok());
    assert_eq!(impact.row(0).before, Err(Unreachable::NoFacilityReachable));
    // A site by the motorway: driveable (via the one-way link), but not walkable.
    let services = Scenario::new("services", &f, ["services"]).unwrap();
    let drive = e
        .impact(&home, &services, &services, "drive", Objective::Distance)
        .unwrap();
    assert!(drive.row(0).before.is_ok());
    let walk = e
        .impact(&home, &services, &services, "walk", Objective::Distance)
        .unwrap();
    assert!(matches!(
        walk.before().placed().sites[0].at,
        Err(NotPlaced::Snap(SnapError::TooFar { .. }))
    ));
    assert_eq!(walk.row(0).before, Err(Unreachable::NoFacilityPlaced));
}

#[test]
fn two_facilities_at_one_point_tie_to_the_lower_id() {
    let e = line_engine(EngineOptions::default());
    let f =
        Facilities::from_points([("b2", Xy::new(60.0, 0.0)), ("b1", Xy::new(60.0, 0.0))]).unwrap();
    let s = Scenario::new("s", &f, ["b2", "b1"]).unwrap();
    let a = e
        .nearest(
            &e.profile("drive").unwrap().place(&s, Objective::Distance),
            &e.profile("drive").unwrap().snap(Xy::new(0.0, 0.0)),
        )
        .unwrap();
    assert_eq!(s.facility(a.facility).id, "b1");
}

// ---------------------------------------------------------------- networks

#[test]
fn network_zero_and_negative_lengths() {
    let net = network(&format!("{EDGE_HEADER}1,1,2,0,1,1,30\n")).unwrap();
    assert_eq!(net.roads()[0].length_m, 0.0);
    let e = network(&format!("{EDGE_HEADER}1,1,2,-5,1,1,30\n")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "edges.csv:2: field `length_m`: -5 is not a length (finite, >= 0)"
    );
    let e = network(&format!("{EDGE_HEADER}1,1,2,NaN,1,1,30\n")).unwrap_err();
    assert_eq!(field_error(e).2, "length_m");
}

#[test]
fn network_zero_and_negative_speeds() {
    // Zero car speed: kept, walkable, but not drivable.
    let net = network(&format!("{EDGE_HEADER}1,1,2,100,1,1,0\n")).unwrap();
    let e = Engine::new(net, EngineOptions::default());
    assert_eq!(e.profile("drive").unwrap().arc_count(), 0);
    assert_eq!(e.profile("walk").unwrap().arc_count(), 2);
    let e = network(&format!("{EDGE_HEADER}1,1,2,100,1,1,-30\n")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "edges.csv:2: field `car_speed_kmh`: -30 is not a speed (finite, >= 0)"
    );
    // A profile with a walking speed of zero is refused when prepared, with the reason.
    let e = Engine::with_profiles(
        network(&format!("{EDGE_HEADER}1,1,2,100,1,1,30\n")).unwrap(),
        EngineOptions::default(),
        [travel_impact::Profile {
            speed: travel_impact::Speed::Fixed { speed_kmh: 0.0 },
            ..travel_impact::Profile::walk()
        }],
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid option `profile`: profile `walk`: speed_kmh 0 is not > 0"
    );
    // A network with no roads at all is refused.
    assert!(matches!(
        NetworkBuilder::new().build(),
        Err(Error::EmptyNetwork)
    ));
}

#[test]
fn network_edge_to_a_missing_node() {
    match network(&format!(
        "{EDGE_HEADER}1,1,2,100,1,1,30\n7,2,99,100,1,1,30\n"
    )) {
        Err(Error::MissingNode {
            line, edge, node, ..
        }) => assert_eq!((line, edge.as_str(), node.as_str()), (3, "7", "99")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn network_self_loops_and_duplicate_edges() {
    // A loop and two roads between the same junctions are all kept.
    let net = network(&format!(
        "{EDGE_HEADER}1,1,1,50,1,1,30\n2,1,2,100,1,1,30\n3,1,2,120,1,1,30\n"
    ))
    .unwrap();
    assert_eq!(net.roads().len(), 3);
    let e = Engine::new(net, EngineOptions::default());
    assert_eq!(e.profile("drive").unwrap().arc_count(), 6);
    // The same edge id twice is an error naming both lines.
    match network(&format!(
        "{EDGE_HEADER}1,1,2,100,1,1,30\n1,2,3,100,1,1,30\n"
    )) {
        Err(Error::DuplicateId {
            line,
            first_line,
            what,
            id,
            ..
        }) => assert_eq!((line, first_line, what, id.as_str()), (3, 2, "edge", "1")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Network::from_readers(
            (
                Path::new("n.csv"),
                "node_id,easting,northing\n1,0,0\n1,5,5\n".as_bytes()
            ),
            (
                Path::new("e.csv"),
                format!("{EDGE_HEADER}1,1,1,1,1,1,30\n").as_bytes()
            ),
        ),
        Err(Error::DuplicateId { what: "node", .. })
    ));
}

#[test]
fn network_in_several_components_reports_where_snaps_land() {
    let e = Engine::new(
        network(&format!("{EDGE_HEADER}1,1,2,100,1,1,30\n")).unwrap(),
        EngineOptions::default(),
    );
    // Node 3 has no road: its own component, never snapped to.
    let drive = e.profile("drive").unwrap();
    assert_eq!(drive.component_count(), 2);
    let s = drive.snap(Xy::new(50.0, 3.0)).unwrap();
    let c = drive.component(&s);
    assert_eq!((c.id, c.nodes, c.largest), (0, 2, true));
}

// ---------------------------------------------------------------- results

#[test]
fn unreachable_origins_are_reported_never_zero_or_dropped() {
    // One-way road 0 -> 100; facility at 20; a home at 80 cannot drive back to it.
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(100.0, 0.0));
    b.road(RoadSpec::new(1, 1, 2).one_way());
    let e = Engine::new(b.build().unwrap(), EngineOptions::default());
    let s = one(&e, "f", 20.0);
    let homes = [
        Origin::new("upstream", Xy::new(10.0, 0.0)),
        Origin::new("downstream", Xy::new(80.0, 0.0)),
    ];
    let impact = e
        .impact(&homes, &s, &s, "drive", Objective::Distance)
        .unwrap();
    assert_eq!(impact.len(), 2);
    assert_eq!(impact.row(1).before, Err(Unreachable::NoFacilityReachable));
    let sum = impact.summary();
    assert_eq!(
        (
            sum.before.reached,
            sum.before.unreachable,
            sum.before.rejected
        ),
        (1, 1, 0)
    );
    // The mean is over the reached origin only; the unreachable one is not a zero.
    assert_eq!(sum.before.distance_m.mean, 10.0);
    assert_eq!(sum.before.within_m[0], 0.5);
    assert_eq!(sum.before.unreachable_weight, 1.0);
}

#[test]
fn nothing_lost_accounting() {
    let dir = directory();
    let csv = "id,postcode,easting,northing,weight\n\
               a,,10,0,1\nb,HP19 8F,,,1\nc,,NaN,0,1\nd,,5000,5000,2\ne,,90,0,-1\n";
    let loaded = origins_from_reader(
        Path::new("homes.csv"),
        csv.as_bytes(),
        &Locator::default().with_geocoder(&dir),
    )
    .unwrap();
    assert_eq!(loaded.rows(), 5);
    assert_eq!((loaded.origins.len(), loaded.rejected.len()), (2, 3));
    let e = line_engine(EngineOptions::default());
    let s = one(&e, "f", 50.0);
    let impact = e
        .impact(&loaded.origins, &s, &s, "walk", Objective::Distance)
        .unwrap();
    let sum = impact.summary();
    assert_eq!(
        sum.before.reached + sum.before.unreachable + sum.before.rejected,
        loaded.origins.len()
    );
    assert_eq!((sum.before.reached, sum.before.unreachable), (1, 1));
    let text = travel_impact::report::accounting(&impact);
    assert!(
        text.contains("\nbefore: origins in 2 = reached 1 + unreachable 1 + rejected 0"),
        "{text}"
    );
    assert!(text.starts_with("before: one: 1 of 1 facilities on the network (walk)\n"));
}
