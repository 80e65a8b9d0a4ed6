//! Inputs the fuzzer (fuzz/, `cargo fuzz run loaders`) found to crash a loader, kept so they stay
//! fixed. The first byte of a `loaders` input picks the loader; the rest is the file.

use std::path::Path;

use travel_impact::{Error, Facilities, origins_from_reader};

/// A facilities header with `northing` but no `easting` column (the fuzzer turned "easting" into
/// "ea(ting"): a row with a northing used to panic on the missing column's index.
#[test]
fn facilities_with_half_a_coordinate_pair() {
    let raw = include_bytes!("fuzz_crashes/loaders-facilities-half-coordinate-pair.bin");
    assert_eq!(raw[0] % 6, 0, "selector byte picks the facilities loader");
    match Facilities::from_reader(Path::new("f.csv"), &raw[1..]) {
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
        match Facilities::from_reader(Path::new("f.csv"), csv.as_bytes()) {
            Err(Error::MissingColumn { column, .. }) => assert_eq!(column, missing, "{csv}"),
            other => panic!("{csv}: {other:?}"),
        }
        match origins_from_reader(Path::new("o.csv"), csv.as_bytes(), None) {
            Err(Error::MissingColumn { column, .. }) => assert_eq!(column, missing, "{csv}"),
            other => panic!("{csv}: {other:?}"),
        }
    }
}
