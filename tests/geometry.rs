//! Lat/lon in and out: British National Grid over the study area, and a local transverse Mercator
//! elsewhere. (The OS worked examples - Helmert, Annex B and C - are unit tests in
//! `src/geom/osgb.rs`; pyproj reference values in `src/geom/crs.rs` and
//! `tests/reference/geom_reference_values.py`; the loaders against the published centroid lat/lon
//! in `tests/bucks_data.rs`.)

use travel_impact::geom::{Crs, LonLat};

#[test]
fn bng_round_trips_over_the_study_area() {
    let mut worst_deg: f64 = 0.0;
    // A 0.01-degree grid over Buckinghamshire and its surroundings.
    for i in 0..=120 {
        for j in 0..=100 {
            let p = LonLat::new(-1.3 + i as f64 * 0.01, 51.4 + j as f64 * 0.01);
            let crs = Crs::BritishNationalGrid;
            let back = crs.inverse(crs.forward(p));
            worst_deg = worst_deg
                .max((back.lon_deg - p.lon_deg).abs())
                .max((back.lat_deg - p.lat_deg).abs());
        }
    }
    // 1e-9 degrees is about 0.1 mm.
    assert!(worst_deg < 1e-9, "worst {worst_deg} degrees");
}

#[test]
fn bng_round_trip_and_a_non_gb_point() {
    let p = LonLat::new(-0.8125, 51.8166);
    let crs = Crs::BritishNationalGrid;
    let back = crs.inverse(crs.forward(p));
    assert!((back.lon_deg - p.lon_deg).abs() < 1e-9 && (back.lat_deg - p.lat_deg).abs() < 1e-9);
    // Central Helsinki: a local transverse Mercator, not BNG, and a sub-nanodegree round trip.
    let helsinki = LonLat::new(24.94, 60.17);
    let crs = Crs::choose_for(&travel_impact::geom::LonLatBox::from_points(&[helsinki]).unwrap());
    assert_ne!(crs, Crs::BritishNationalGrid);
    let back = crs.inverse(crs.forward(helsinki));
    assert!((back.lon_deg - 24.94).abs() < 1e-9 && (back.lat_deg - 60.17).abs() < 1e-9);
}
