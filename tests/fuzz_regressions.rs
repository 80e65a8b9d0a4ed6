//! Inputs the fuzzer (tests/fuzz/, `cargo fuzz run --fuzz-dir tests/fuzz loaders` / `osm_pbf`) found to crash a loader, kept
//! so they stay fixed. The first byte of a `loaders` input picks the loader; the rest is the file.
//! An `osm_pbf` input is the whole file.

use std::path::Path;

use travel_impact::{Error, Facilities, Locator, Network, OsmOptions, origins_from_reader};

/// A facilities header with `northing` but no `easting` column (the fuzzer turned "easting" into
/// "ea(ting"): a row with a northing used to panic on the missing column's index.
#[test]
fn facilities_with_half_a_coordinate_pair() {
    let raw = include_bytes!("fuzz_crashes/loaders-facilities-half-coordinate-pair.bin");
    assert_eq!(raw[0] % 6, 0, "selector byte picks the facilities loader");
    match Facilities::from_reader(Path::new("f.csv"), &raw[1..], &Locator::default()) {
        Err(Error::MissingColumn { column, .. }) => assert_eq!(column, "easting"),
        other => panic!("{other:?}"),
    }
    // The same, minimal, for both pairs and both loaders.
    for (csv, missing) in [
        ("id,name,northing\na,A,5\n", "easting"),
        ("id,name,easting\na,A,5\n", "northing"),
        ("id,name,lat\na,A,51.8\n", "lon"),
        ("id,name,lon\na,A,-0.8\n", "lat"),
    ] {
        match Facilities::from_reader(Path::new("f.csv"), csv.as_bytes(), &Locator::default()) {
            Err(Error::MissingColumn { column, .. }) => assert_eq!(column, missing, "{csv}"),
            other => panic!("{csv}: {other:?}"),
        }
        match origins_from_reader(Path::new("o.csv"), csv.as_bytes(), &Locator::default()) {
            Err(Error::MissingColumn { column, .. }) => assert_eq!(column, missing, "{csv}"),
            other => panic!("{csv}: {other:?}"),
        }
    }
}

/// Old Mac line endings (a lone CR) after a BOM header: the row was reported on line 1, the
/// header's line. Lines now count \n, \r\n and a lone \r as the CSV parser does.
#[test]
fn origins_after_a_lone_carriage_return_are_on_line_two() {
    let raw = include_bytes!("fuzz_crashes/loaders-origins-lone-cr-line-number.bin");
    assert_eq!(
        raw[0] % 6,
        5,
        "selector byte picks origins without a directory"
    );
    let o = origins_from_reader(Path::new("o.csv"), &raw[1..], &Locator::default()).unwrap();
    assert_eq!(o.rejected.len(), 1);
    assert_eq!(o.rejected[0].line, 2);
    assert_eq!(
        o.rejected[0].reason,
        "easting: `NaN` is not a finite number"
    );
    let o = origins_from_reader(
        Path::new("o.csv"),
        "id,easting,northing\ra,NaN,1\r\rb,x,1\r".as_bytes(),
        &Locator::default(),
    )
    .unwrap();
    // Line 3 is blank: since issue 7 a blank line in an origins file is a reject too.
    let lines: Vec<u64> = o.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4]);
}

/// Dense nodes whose `granularity × lat` (or `× lon`) overflows i64, from the `osm_pbf` fuzzer:
/// osmpbf's unchecked arithmetic panics with overflow checks on (debug builds, fuzzing). The
/// loader catches the decoder's panic and reports the blob as corrupt; without overflow checks
/// (release) the value wraps to a point off the globe, also refused. Either way a typed error.
#[test]
fn osm_pbf_coordinates_that_overflow_are_a_typed_error() {
    for (name, raw) in [
        (
            "lat",
            &include_bytes!("fuzz_crashes/osm_pbf-dense-lat-overflow.bin")[..],
        ),
        (
            "lon",
            &include_bytes!("fuzz_crashes/osm_pbf-dense-lon-overflow.bin")[..],
        ),
    ] {
        match Network::from_osm_pbf_bytes(Path::new("f.osm.pbf"), raw, &OsmOptions::default()) {
            Err(Error::Pbf { message, .. }) => {
                let expected = if cfg!(debug_assertions) {
                    "blob 1: corrupt data (the decoder failed on it)"
                } else {
                    "off the globe"
                };
                assert!(message.contains(expected), "{name}: {message}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}
