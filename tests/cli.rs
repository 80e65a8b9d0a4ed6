//! The `travel-impact` command line, run as a user would: on the bundled study and on small user
//! CSVs by postcode and by lat/lon, parsing everything it writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_travel-impact");

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env(
            "TRAVEL_IMPACT_DATA",
            format!("{}/data", env!("CARGO_MANIFEST_DIR")),
        )
        .output()
        .expect("the binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A test's scratch folder, removed when the test passes (kept, for a look, when it fails).
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn temp(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("travel-impact-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn data_rows(path: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .count()
}

#[test]
fn nearest_by_postcode_writes_one_row_per_input_row_in_order() {
    let dir = temp("nearest");
    let out = dir.join("nearest.csv");
    let homes = fixture("cli_homes_postcode.csv");
    ok(&[
        "nearest",
        "--facilities",
        &fixture("cli_sites_postcode.csv"),
        "--origins",
        &homes,
        "--mode",
        "drive",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let (h, rows) = read_csv(&out);
    for c in [
        "origin_id",
        "facility_id",
        "distance_m",
        "time_s",
        "access_m",
        "status",
    ] {
        col(&h, c);
    }
    assert_eq!(rows.len(), data_rows(&homes));
    let (line, status, reason, fac) = (
        col(&h, "line"),
        col(&h, "status"),
        col(&h, "reason"),
        col(&h, "facility_id"),
    );
    let lines: Vec<u64> = rows.iter().map(|r| r[line].parse().unwrap()).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7], "input order, every row");
    // ZZ99 9ZZ is not a postcode of the directory: rejected with the reason, not dropped.
    assert_eq!(rows[3][status], "rejected");
    assert!(rows[3][reason].contains("ZZ99 9ZZ"), "{}", rows[3][reason]);
    for (k, r) in rows.iter().enumerate().filter(|(k, _)| *k != 3) {
        assert_eq!(r[status], "reached", "row {k}");
        assert!(!r[fac].is_empty());
        let d: f64 = r[col(&h, "distance_m")].parse().unwrap();
        assert!(d > 0.0 && d < 60_000.0, "{d}");
    }
    // HP17 8RZ is in Haddenham parish: its nearest of the five is the Haddenham centre.
    assert_eq!(rows[1][fac], "haddenham");
}

#[test]
fn nearest_geojson_parses_and_keeps_rejected_rows_without_geometry() {
    let dir = temp("nearest-geojson");
    let out = dir.join("nearest.geojson");
    ok(&[
        "nearest",
        "--facilities",
        &fixture("cli_sites_postcode.csv"),
        "--origins",
        &fixture("cli_homes_latlon.csv"),
        "--mode",
        "walk",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    let fc: geojson::FeatureCollection = std::fs::read_to_string(&out)
        .unwrap()
        .parse::<geojson::GeoJson>()
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(
        fc.features.len(),
        data_rows(&fixture("cli_homes_latlon.csv"))
    );
    let bad = &fc.features[4];
    assert!(bad.geometry.is_none());
    assert_eq!(bad.property("status").unwrap(), "rejected");
    let first = &fc.features[0];
    match &first.geometry.as_ref().unwrap().value {
        geojson::GeometryValue::Point { coordinates } => {
            let c = coordinates.as_slice();
            assert!(
                (c[0] - -0.720659).abs() < 1e-5 && (c[1] - 51.800276).abs() < 1e-5,
                "{c:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn impact_export_and_map_on_the_bundled_study() {
    let dir = temp("bundled");
    let csv = dir.join("walk.csv");
    let text = ok(&[
        "impact",
        "--before",
        "centres-2017",
        "--after",
        "hubs-2017",
        "--mode",
        "walk",
        "--out",
        csv.to_str().unwrap(),
        "-q",
    ]);
    assert!(
        text.contains("By district") && text.contains("By imd_decile"),
        "{text}"
    );
    let (h, rows) = read_csv(&csv);
    assert_eq!(rows.len(), 319, "one row per LSOA");
    for c in [
        "before_facility",
        "before_name",
        "after_facility",
        "after_name",
        "change_m",
        "change_s",
        "weight",
        "district",
        "imd_decile",
        "access_m",
        "closed",
        "gap_flag",
        "status",
        "reason",
    ] {
        col(&h, c);
    }
    let w: f64 = rows
        .iter()
        .map(|r| r[col(&h, "weight")].parse::<f64>().unwrap())
        .sum();
    assert!(
        (w - 32_610.0).abs() < 0.5,
        "children aged 0-4, mid-2017: {w}"
    );

    let out = dir.join("export");
    ok(&["export", "--out-dir", out.to_str().unwrap(), "-q"]);
    for mode in ["walk", "drive"] {
        let (h, rows) = read_csv(&out.join(format!("origins_{mode}.csv")));
        assert_eq!(rows.len(), 319);
        assert_eq!(
            h.len(),
            8 + 3 + 17,
            "8 + 3 group columns (name, district, imd_decile) + 17"
        );
        let fc: geojson::FeatureCollection =
            std::fs::read_to_string(out.join(format!("origins_{mode}.geojson")))
                .unwrap()
                .parse::<geojson::GeoJson>()
                .unwrap()
                .try_into()
                .unwrap();
        assert_eq!(fc.features.len(), 319);
        let (h, rows) = read_csv(&out.join(format!("catchments_{mode}.csv")));
        // Every facility of either scenario: 28 centres and 5 placeholder hubs.
        assert_eq!(rows.len(), 33);
        let wb: f64 = rows
            .iter()
            .map(|r| r[col(&h, "weight_before")].parse::<f64>().unwrap())
            .sum();
        assert!((wb - 32_610.0).abs() < 0.5, "{wb}");
        let (h, rows) = read_csv(&out.join(format!("reassignment_{mode}.csv")));
        let moved: f64 = rows
            .iter()
            .map(|r| r[col(&h, "weight")].parse::<f64>().unwrap())
            .sum();
        assert!(
            moved > 20_000.0,
            "most children's nearest centre closes: {moved}"
        );
        let (h, rows) = read_csv(&out.join(format!("summary_{mode}.csv")));
        assert_eq!(rows[0][col(&h, "group_key")], "all");
        assert_eq!(
            rows.len(),
            1 + 4 + 9,
            "all, 4 districts, 9 IMD deciles present"
        );
    }

    let svg = dir.join("map.svg");
    ok(&[
        "map",
        "--mode",
        "drive",
        "--out",
        svg.to_str().unwrap(),
        "-q",
    ]);
    let svg = std::fs::read_to_string(svg).unwrap();
    assert_eq!(
        svg.matches("class=\"area\"").count(),
        319,
        "every LSOA shaded"
    );
    assert_eq!(
        svg.matches("class=\"outline\"").count(),
        4,
        "the four districts"
    );
    assert!(svg.contains("id=\"legend\"") && svg.contains("Increase (km)"));
    assert_eq!(svg.matches("class=\"legend-swatch\"").count(), 8);
    assert!(svg.contains("id=\"scale-bar\"") && svg.contains("id=\"north-arrow\""));
    assert!(svg.contains(travel_impact::UK_ATTRIBUTION));
    // 27 located centres (28 sites: Marlow has two) and 5 placeholder hubs.
    let sites = svg.matches("class=\"site ").count();
    assert_eq!(sites, 28 + 5);

    let png = dir.join("map.png");
    ok(&[
        "map",
        "--mode",
        "walk",
        "--out",
        png.to_str().unwrap(),
        "--width-px",
        "800",
        "-q",
    ]);
    let bytes = std::fs::read(png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!(width, 800);
    assert!(height > 500 && height < 1200, "{height}");
}

#[test]
fn report_has_every_section_and_matches_the_golden_markdown() {
    let dir = temp("report");
    ok(&["report", "--out-dir", dir.to_str().unwrap(), "-q"]);
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for s in travel_impact::REPORT_SECTIONS {
        assert!(md.contains(&format!("## {s}\n")), "markdown lacks {s}");
        assert!(html.contains(&format!("<h2>{s}</h2>")), "html lacks {s}");
    }
    assert!(html.contains("<svg role=\"img\""), "map inline");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "nothing fetched"
    );
    assert!(dir.join("map_walk.svg").is_file() && dir.join("map_drive.svg").is_file());
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/report.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &md).unwrap();
    }
    assert_eq!(
        md,
        std::fs::read_to_string(&golden).unwrap(),
        "the report changed: if intended, rerun with UPDATE_GOLDEN=1 and review the diff"
    );
}

#[test]
fn report_and_export_on_a_users_own_files() {
    let dir = temp("user-report");
    let args = [
        "--facilities",
        &fixture("cli_sites_postcode.csv"),
        "--origins",
        &fixture("cli_homes_latlon.csv"),
        "--close",
        "castlefield,haddenham",
        "-q",
    ];
    let mut a = vec!["report", "--out-dir", dir.to_str().unwrap()];
    a.extend(args);
    ok(&a);
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(
        md.contains("bad_row"),
        "the rejected row is named in the caveats"
    );
    assert!(md.contains("no `imd_decile` column"));
    let mut a = vec![
        "export",
        "--out-dir",
        dir.to_str().unwrap(),
        "--mode",
        "walk",
    ];
    a.extend(args);
    ok(&a);
    let (h, rows) = read_csv(&dir.join("origins_walk.csv"));
    assert_eq!(
        rows.len(),
        8,
        "7 origins and the rejected row, in file order"
    );
    assert_eq!(rows[4][col(&h, "status")], "rejected");
    let closed = col(&h, "closed");
    assert!(rows.iter().any(|r| r[closed] == "true"));
}

#[test]
fn route_prints_distance_time_and_a_geojson_line() {
    let text = ok(&[
        "route",
        "--from",
        "-0.8125,51.8156",
        "--to",
        "-0.7480,51.6290",
        "--mode",
        "drive",
        "-q",
    ]);
    let mut lines = text.lines();
    let head = lines.next().unwrap();
    assert!(head.starts_with("drive, shortest route: "), "{head}");
    let f: geojson::Feature = lines
        .next()
        .unwrap()
        .parse::<geojson::GeoJson>()
        .unwrap()
        .try_into()
        .unwrap();
    let d = f.property("distance_m").unwrap().as_f64().unwrap();
    // Aylesbury to High Wycombe: 21 km apart as the crow flies.
    assert!(d > 21_000.0 && d < 35_000.0, "{d}");
    assert!(matches!(
        f.geometry.unwrap().value,
        geojson::GeometryValue::LineString { .. }
    ));
}

#[test]
fn mistakes_get_clear_errors_and_exit_codes() {
    // A missing file: exit 1, naming it.
    let out = run(&["nearest", "--facilities", "no_such_sites.csv", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such_sites.csv"));
    // Own network without facilities: says what to give.
    let out = run(&["nearest", "--osm", &fixture("test.osm.pbf"), "-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--facilities"));
    // An unknown scenario lists what exists.
    let out = run(&[
        "impact",
        "--before",
        "centres-2017",
        "--after",
        "hubs-2071",
        "--mode",
        "walk",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("hubs-2071") && err.contains("family-centres-2019"),
        "{err}"
    );
    // A scenario file with a row without an id names the file and line.
    let dir = temp("blank-id");
    let ids = dir.join("open.csv");
    std::fs::write(&ids, "id,note\nburnham,\n,forgot the id\n").unwrap();
    let out = run(&[
        "nearest",
        "--scenario",
        ids.to_str().unwrap(),
        "--mode",
        "walk",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("open.csv:3"), "{err}");
    // Two modes for a one-mode command.
    let out = run(&["nearest", "--mode", "walk,drive", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    // A bad flag: clap's usage error, exit 2.
    assert_eq!(run(&["nearest", "--colour"]).status.code(), Some(2));
    // An output that cannot be written: exit 3.
    let out = run(&[
        "nearest",
        "--mode",
        "walk",
        "--out",
        "/no/such/dir/x.csv",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn help_explains_inputs_and_examples() {
    let text = ok(&["--help"]);
    for s in [
        "nearest",
        "impact",
        "report",
        "map",
        "Examples:",
        "postcode",
        "Exit codes",
    ] {
        assert!(text.contains(s), "--help lacks {s}");
    }
}

#[test]
fn before_and_after_as_facilities_files_bring_their_own_sites() {
    let dir = temp("files");
    let all = std::fs::read_to_string(fixture("cli_sites_postcode.csv")).unwrap();
    // After: the header and the first three centres (castlefield and marlow close).
    let after: String = all.lines().take(4).map(|l| format!("{l}\n")).collect();
    let after_path = dir.join("after.csv");
    std::fs::write(&after_path, after).unwrap();
    let out = dir.join("o.csv");
    ok(&[
        "impact",
        "--before",
        &fixture("cli_sites_postcode.csv"),
        "--after",
        after_path.to_str().unwrap(),
        "--origins",
        &fixture("cli_homes_postcode.csv"),
        "--mode",
        "drive",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    let (h, rows) = read_csv(&out);
    assert_eq!(rows.len(), 6);
    let (before, after) = (col(&h, "before_facility"), col(&h, "after_facility"));
    // HP10 0AA's nearest was the Marlow site, which closes; nobody is sent to a closed site after.
    assert_eq!(rows[0][before], "marlow_foxes_piece");
    for r in &rows {
        assert!(!["castlefield", "marlow_foxes_piece"].contains(&r[after].as_str()));
    }
    // The same id at another place in the two files is an error, not a silent pick.
    let moved = all.replace("SL2 3NL", "HP10 0AA");
    let moved_path = dir.join("moved.csv");
    std::fs::write(&moved_path, moved).unwrap();
    let out = run(&[
        "impact",
        "--before",
        &fixture("cli_sites_postcode.csv"),
        "--after",
        moved_path.to_str().unwrap(),
        "--mode",
        "drive",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("farnham_common"));
}

#[test]
fn best_plan_is_never_worse_than_the_plan_and_says_if_exact() {
    let text = ok(&["best", "--plan", "hubs-2017", "--mode", "walk", "-q"]);
    assert!(
        text.contains("millbrook"),
        "the unlocated candidate is named: {text}"
    );
    let line = text.lines().find(|l| l.starts_with("walk: plan ")).unwrap();
    let nums: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok())
        .collect();
    let (plan_km, best_km) = (nums[0], nums[1]);
    assert!(best_km <= plan_km, "{line}");
    assert!(line.contains("exact"), "{line}");
    // Asking for more sites than there are candidates is a clear error.
    let out = run(&[
        "best",
        "--plan",
        "hubs-2017",
        "--k",
        "99",
        "--mode",
        "walk",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(1));
}
