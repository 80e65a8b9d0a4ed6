//! A user's own files, end to end on tiny hand-made inputs: every defect of issue 7 ("Green every
//! time, and nothing lost on a user's own files") has a test here or is named where it lives.

use std::path::Path;

use travel_impact::geom::Xy;
use travel_impact::uk::PostcodeDirectory;
use travel_impact::{
    Engine, EngineOptions, Error, Facilities, Locator, NetworkBuilder, Objective, Origin, RoadSpec,
    Scenario, origins_from_reader, report,
};

/// One 1 km two-way street along y = 0 from x = 0 to x = 1000.
fn street() -> Engine {
    let mut b = NetworkBuilder::new();
    b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(1000.0, 0.0));
    b.road(RoadSpec::new(1, 1, 2).speed_kmh(36.0));
    Engine::new(b.build().unwrap(), EngineOptions::default())
}

/// Three postcodes on the street (real shapes, made-up places: this directory is a test fixture).
fn directory() -> PostcodeDirectory {
    let csv = "postcode,easting,northing,district,district_name,status\n\
               MK18 1AA,1000,10,E06000060,Buckinghamshire,live\n\
               MK18 1AB,0,10,E06000060,Buckinghamshire,live\n\
               MK18 1AD,500,20,E06000060,Buckinghamshire,live\n";
    PostcodeDirectory::from_reader(Path::new("pc.csv"), csv.as_bytes()).unwrap()
}

/// Table text with runs of spaces folded to one, so tests do not depend on column widths.
fn squash(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn homes() -> Vec<Origin> {
    vec![
        Origin::new("h1", Xy::new(100.0, 30.0)),
        Origin::new("h2", Xy::new(900.0, 30.0)),
    ]
}

// ------------------------------------------------------------------ defect 2

/// Facilities by postcode are located by the loader itself: no second step to forget.
#[test]
fn facilities_by_postcode_are_located_in_one_call_and_reached() {
    let dir = directory();
    let f = Facilities::from_reader(
        Path::new("sites.csv"),
        "id,name,postcode\na,East,MK18 1AA\nb,West,mk181ab\n".as_bytes(),
        &Locator::default().with_geocoder(&dir),
    )
    .unwrap();
    assert!(f.not_located().is_empty());
    let e = street();
    let both = Scenario::new("both", &f, ["a", "b"]).unwrap();
    let east = Scenario::new("east", &f, ["a"]).unwrap();
    let homes = homes();
    let impact = e
        .impact(&homes, &both, &east, "walk", Objective::Distance)
        .unwrap();
    let s = impact.summary();
    assert_eq!((s.before.reached, s.after.reached), (2, 2));
    // h1: 30 m leg + 100 m to the west end + 10 m leg to b.
    assert_eq!(impact.row(0).before.unwrap().distance_m, 140.0);
    let text = squash(&report::summary(&impact, "homes").to_string());
    assert!(
        text.ends_with("\nfacilities on the network 2 of 2 1 of 1"),
        "{text}"
    );
}

/// Without a directory, a postcode row is an error naming the file and line, not an empty answer.
#[test]
fn facilities_by_postcode_without_a_directory_are_an_error() {
    let e = Facilities::from_reader(
        Path::new("sites.csv"),
        "id,name,easting,northing,postcode\na,East,1000,10,\nb,West,,,MK18 1AB\n".as_bytes(),
        &Locator::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::NoPostcodeDirectory { path, line: 3 } if path == Path::new("sites.csv")),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "sites.csv:3: located by postcode, but no postcode directory was given (pass one to the loader)"
    );
    // The same for origins.
    let e = origins_from_reader(
        Path::new("homes.csv"),
        "postcode\nMK18 1AB\n".as_bytes(),
        &Locator::default(),
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::NoPostcodeDirectory { line: 2, .. }),
        "{e:?}"
    );
}

/// A misnamed location column is an error that lists the columns the file has.
#[test]
fn a_file_without_a_location_column_is_an_error_naming_its_columns() {
    let dir = directory();
    let e = Facilities::from_reader(
        Path::new("sites.csv"),
        "id,name,post_code\na,East,MK18 1AA\nb,West,MK18 1AB\n".as_bytes(),
        &Locator::default().with_geocoder(&dir),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "sites.csv: missing column `a location: easting,northing or lat,lon or postcode` \
         (header has: id,name,post_code)"
    );
    let e = origins_from_reader(
        Path::new("homes.csv"),
        "id,post_code\n1,MK18 1AA\n".as_bytes(),
        &Locator::default().with_geocoder(&dir),
    )
    .unwrap_err();
    assert!(matches!(e, Error::MissingColumn { .. }), "{e:?}");
}

/// A facility whose postcode is malformed stays in the scenario, and the summary and the
/// accounting line say which one and why.
#[test]
fn an_unlocated_facility_is_reported_in_the_summary_and_the_accounting() {
    let dir = directory();
    let f = Facilities::from_reader(
        Path::new("sites.csv"),
        "id,name,postcode\na,East,MK18 1AA\nb,West,MK18 1J\n".as_bytes(),
        &Locator::default().with_geocoder(&dir),
    )
    .unwrap();
    assert_eq!(f.not_located().len(), 1);
    let both = Scenario::new("both", &f, ["a", "b"]).unwrap();
    let west = Scenario::new("west", &f, ["b"]).unwrap();
    assert_eq!(both.facilities().len(), 2);
    let e = street();
    let homes = homes();
    let impact = e
        .impact(&homes, &both, &west, "drive", Objective::Distance)
        .unwrap();
    let summary = squash(&report::summary(&impact, "homes").to_string());
    assert!(
        summary.ends_with(
            "\nfacilities on the network 1 of 2 0 of 1\n\
             Times: car time model: free-flow speed x 0.82 on motorways and trunk roads, x 0.80 elsewhere; +10 s per junction passed; +120 s start and +120 s end per trip (sources: data/sources/car_time_model.md).\n\
             NOT PLACED (before, both): b: not located: postcode: `MK18 1J` is not a valid postcode\n\
             NOT PLACED (after, west): b: not located: postcode: `MK18 1J` is not a valid postcode"
        ),
        "{summary}"
    );
    let accounting = report::accounting(&impact);
    assert!(
        accounting.starts_with(
            "before: both: 1 of 2 facilities on the network (drive); not placed: b (not located: \
             postcode: `MK18 1J` is not a valid postcode)\n\
             after: west: 0 of 1 facilities on the network (drive); not placed: b (not located: \
             postcode: `MK18 1J` is not a valid postcode) -- NO FACILITY IS PLACED, so no origin can reach one\n"
        ),
        "{accounting}"
    );
    assert!(accounting.contains("after: origins in 2 = reached 0 + unreachable 2 + rejected 0; 2 x no facility placed for this profile"));
}

// ------------------------------------------------------------------ defect 3

/// 200 lines of postcodes with one blank: every line is accounted for, the blank one rejected
/// with its line; a repeated postcode (two families) is two origins.
#[test]
fn blank_and_repeated_rows_are_all_accounted_for() {
    let dir = directory();
    let mut csv = String::from("postcode\n");
    for i in 0..199 {
        csv.push_str(if i == 57 { "\n" } else { "MK18 1AA\n" });
    }
    let o = origins_from_reader(
        Path::new("users.csv"),
        csv.as_bytes(),
        &Locator::default().with_geocoder(&dir),
    )
    .unwrap();
    assert_eq!(o.rows(), 199);
    assert_eq!(o.origins.len(), 198);
    assert_eq!(o.rejected.len(), 1);
    assert_eq!(
        (o.rejected[0].line, o.rejected[0].reason.as_str()),
        (59, "blank line")
    );
    assert_eq!(o.origins[0].id, "line 2");
    assert_eq!(o.origins[197].id, "line 200");
    assert!(o.origins.iter().all(|h| h.name() == "MK18 1AA"));
}

// ------------------------------------------------------------------ defect 4

/// The README's `fn main() -> Result<(), travel_impact::Error>` can use `?` on std I/O and on
/// every crate function, and writing names the file.
#[test]
fn errors_compose_with_question_marks() {
    fn user_main(dir: &Path) -> Result<(), travel_impact::Error> {
        let e = street();
        let f = Facilities::from_reader(
            Path::new("sites.csv"),
            "id,name,easting,northing\na,East,1000,10\n".as_bytes(),
            &Locator::default(),
        )?;
        let s = Scenario::new("s", &f, ["a"])?;
        let homes = homes();
        let impact = e
            .impact(&homes, &s, &s, "walk", Objective::Distance)
            .unwrap();
        std::fs::create_dir_all(dir)?;
        travel_impact::write_csv(&impact, &dir.join("out.csv"))?;
        travel_impact::write_csv(&impact, &dir.join("no/such/folder/out.csv"))?;
        Ok(())
    }
    let dir = std::env::temp_dir().join(format!("ti-compose-{}", std::process::id()));
    let e = user_main(&dir).unwrap_err();
    let written = std::fs::read_to_string(dir.join("out.csv")).unwrap();
    assert_eq!(written.lines().count(), 3);
    match e {
        Error::Io { path, .. } => assert!(path.ends_with("no/such/folder/out.csv")),
        other => panic!("{other:?}"),
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

// ------------------------------------------------------------------ defect 5

#[test]
fn no_minus_zero_anywhere() {
    assert_eq!(report::whole(-0.0), "0");
    assert_eq!(report::whole(-0.3), "0");
    assert_eq!(report::km(-0.0), "0.00");
    assert_eq!(report::km(-4.0), "0.00");
    assert_eq!(report::pct(-0.0), "0.0%");
    // No origin's nearest facility closes: the count is 0, not -0.
    let e = street();
    let f = Facilities::from_points([("a", Xy::new(1000.0, 0.0))]).unwrap();
    let s = Scenario::new("s", &f, ["a"]).unwrap();
    let homes = homes();
    let text = squash(
        &report::summary(
            &e.impact(&homes, &s, &s, "walk", Objective::Distance)
                .unwrap(),
            "homes",
        )
        .to_string(),
    );
    assert!(
        text.contains("\nnearest facility closed 0 (0.0%)\n"),
        "{text}"
    );
    assert!(!text.contains("-0"), "{text}");
}

/// The breakdown's docs promise the 10-minute share for drive; it prints it.
#[test]
fn breakdown_shows_within_10_min_for_drive_and_2_km_for_walk() {
    let e = street();
    let f = Facilities::from_points([("a", Xy::new(1000.0, 0.0))]).unwrap();
    let s = Scenario::new("s", &f, ["a"]).unwrap();
    let homes = homes();
    for (mode, header) in [
        ("drive", "within 10 min after"),
        ("walk", "within 2 km after"),
    ] {
        let impact = e.impact(&homes, &s, &s, mode, Objective::Distance).unwrap();
        let t = report::breakdown("t", "group", &impact.summary_by("district"), |d| {
            d.to_string()
        });
        assert!(
            t.headers.iter().any(|h| h == header),
            "{mode}: {:?}",
            t.headers
        );
    }
}

/// A trip to the very same point is 0, and two points on one road travel along it directly.
#[test]
fn route_to_the_same_point_and_along_one_road() {
    let e = street();
    for mode in ["drive", "walk"] {
        let r = e.profile(mode).unwrap();
        let p = Xy::new(300.0, 40.0);
        let a = r.route(p, p, Objective::Distance).unwrap();
        // Nothing travelled; a drive still carries its door-to-door overheads (every drive time
        // does, so that comparisons stay fair).
        assert_eq!(
            (a.distance_m, a.time_s - a.overhead_s),
            (0.0, 0.0),
            "{mode}"
        );
        // Both on the road: 500 m along it, not via a junction.
        let a = r
            .route(
                Xy::new(200.0, 0.0),
                Xy::new(700.0, 0.0),
                Objective::Distance,
            )
            .unwrap();
        assert_eq!(a.distance_m, 500.0, "{mode}");
        // Off the road on both sides: 10 m + 500 m + 20 m.
        let a = r
            .route(
                Xy::new(700.0, 10.0),
                Xy::new(200.0, -20.0),
                Objective::Distance,
            )
            .unwrap();
        assert_eq!(a.distance_m, 530.0, "{mode}");
        // Same spot on the road, opposite sides: the straight line between them.
        let a = r
            .route(
                Xy::new(450.0, 10.0),
                Xy::new(450.0, -20.0),
                Objective::Distance,
            )
            .unwrap();
        assert_eq!(a.distance_m, 30.0, "{mode}");
    }
}
