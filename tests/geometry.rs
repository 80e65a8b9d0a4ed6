//! The two WGS84 -> British National Grid routes agree: `projection` (OS Helmert + the OS guide's
//! Transverse Mercator series, used by the loaders) and `geom::Crs::BritishNationalGrid` (OS Helmert
//! + Krüger series, written independently for regions anywhere).

use travel_impact::geom::{Crs, LonLat};
use travel_impact::projection::wgs84_to_bng;

#[test]
fn both_bng_routes_agree_over_the_study_area() {
    let mut worst_m: f64 = 0.0;
    // A 0.01-degree grid over Buckinghamshire and its surroundings.
    for i in 0..=120 {
        for j in 0..=100 {
            let (lon, lat) = (-1.3 + i as f64 * 0.01, 51.4 + j as f64 * 0.01);
            let a = wgs84_to_bng(lat, lon);
            let b = Crs::BritishNationalGrid.forward(LonLat::new(lon, lat));
            worst_m = worst_m.max((a.x - b.x_m).hypot(a.y - b.y_m));
        }
    }
    // The OS series is within a millimetre of the exact projection this close to 2 W.
    assert!(worst_m < 0.001, "worst {worst_m} m");
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
