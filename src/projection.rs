//! WGS84 latitude/longitude to British National Grid (EPSG:27700) metres.
//!
//! Method: the Ordnance Survey 7-parameter Helmert transform (WGS84 → OSGB36) followed by the
//! Transverse Mercator projection on the Airy 1830 ellipsoid, both from the OS guide *A Guide to
//! Coordinate Systems in Great Britain*. Against the definitive OSTN15 transformation this agrees
//! to about 2–5 m across Great Britain (OS quote "better than 5 m"); it is the same transform PROJ uses
//! for EPSG:4326 → EPSG:27700 when the OSTN15 grid is not installed. That is well inside the
//! snapping and facility-location uncertainties this crate works with, and it needs no grid file.
//! All distances in this crate are then planar distances on the grid, in metres.

use geo::Coord;

/// A point on the British National Grid: `x` is the easting and `y` the northing, in metres.
pub type BngCoord = Coord<f64>;

const WGS84_A: f64 = 6_378_137.0;
const WGS84_B: f64 = 6_356_752.314_245;
const AIRY_A: f64 = 6_377_563.396;
const AIRY_B: f64 = 6_356_256.909;
const F0: f64 = 0.999_601_271_7;
const LAT0_DEG: f64 = 49.0;
const LON0_DEG: f64 = -2.0;
const E0: f64 = 400_000.0;
const N0: f64 = -100_000.0;

/// Converts a WGS84 latitude and longitude (degrees) to British National Grid metres.
///
/// Accurate to a few metres (see the module documentation). No range check is made: see
/// [`checked_wgs84_to_bng`] for input typed by people.
///
/// ```
/// use travel_impact::projection::wgs84_to_bng;
/// // Aylesbury town centre, roughly.
/// let p = wgs84_to_bng(51.8168, -0.8124);
/// assert!((p.x - 481_950.0).abs() < 100.0 && (p.y - 213_800.0).abs() < 100.0);
/// ```
pub fn wgs84_to_bng(lat_deg: f64, lon_deg: f64) -> BngCoord {
    let (lat, lon) = helmert_wgs84_to_osgb36(lat_deg.to_radians(), lon_deg.to_radians());
    transverse_mercator(lat, lon)
}

/// Why a latitude/longitude pair was refused.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum LatLonError {
    /// NaN or infinite.
    #[error("latitude/longitude is not a finite number")]
    NotFinite,
    /// The pair looks like (longitude, latitude): the values fit Great Britain only when swapped.
    #[error("latitude {lat} / longitude {lon} look swapped (lon, lat given as lat, lon?)")]
    Swapped {
        /// Latitude as given.
        lat: f64,
        /// Longitude as given.
        lon: f64,
    },
    /// Outside Great Britain's extent (lat 49..61, lon -9..2.5), where the grid does not apply.
    #[error("latitude {lat} / longitude {lon} is outside Great Britain")]
    OutsideGreatBritain {
        /// Latitude as given.
        lat: f64,
        /// Longitude as given.
        lon: f64,
    },
}

fn in_gb(lat: f64, lon: f64) -> bool {
    (49.0..=61.0).contains(&lat) && (-9.0..=2.5).contains(&lon)
}

/// [`wgs84_to_bng`] for untrusted input: refuses non-finite values, swapped pairs and points
/// outside Great Britain, each with its own reason.
pub fn checked_wgs84_to_bng(lat_deg: f64, lon_deg: f64) -> Result<BngCoord, LatLonError> {
    if !lat_deg.is_finite() || !lon_deg.is_finite() {
        return Err(LatLonError::NotFinite);
    }
    if in_gb(lat_deg, lon_deg) {
        return Ok(wgs84_to_bng(lat_deg, lon_deg));
    }
    if in_gb(lon_deg, lat_deg) {
        return Err(LatLonError::Swapped {
            lat: lat_deg,
            lon: lon_deg,
        });
    }
    Err(LatLonError::OutsideGreatBritain {
        lat: lat_deg,
        lon: lon_deg,
    })
}

fn helmert_wgs84_to_osgb36(lat: f64, lon: f64) -> (f64, f64) {
    // Geodetic (h = 0) to cartesian on WGS84.
    let e2 = 1.0 - (WGS84_B * WGS84_B) / (WGS84_A * WGS84_A);
    let (sl, cl) = lat.sin_cos();
    let nu = WGS84_A / (1.0 - e2 * sl * sl).sqrt();
    let x = nu * cl * lon.cos();
    let y = nu * cl * lon.sin();
    let z = nu * (1.0 - e2) * sl;

    // OS Helmert parameters, WGS84 -> OSGB36.
    let tx = -446.448;
    let ty = 125.157;
    let tz = -542.060;
    let s = 20.4894e-6;
    let sec = std::f64::consts::PI / (180.0 * 3600.0);
    let rx = -0.1502 * sec;
    let ry = -0.2470 * sec;
    let rz = -0.8421 * sec;
    let x2 = tx + (1.0 + s) * x - rz * y + ry * z;
    let y2 = ty + rz * x + (1.0 + s) * y - rx * z;
    let z2 = tz - ry * x + rx * y + (1.0 + s) * z;

    // Cartesian to geodetic on Airy 1830.
    let e2a = 1.0 - (AIRY_B * AIRY_B) / (AIRY_A * AIRY_A);
    let p = (x2 * x2 + y2 * y2).sqrt();
    let mut phi = z2.atan2(p * (1.0 - e2a));
    for _ in 0..10 {
        let nu = AIRY_A / (1.0 - e2a * phi.sin().powi(2)).sqrt();
        let next = (z2 + e2a * nu * phi.sin()).atan2(p);
        if (next - phi).abs() < 1e-13 {
            phi = next;
            break;
        }
        phi = next;
    }
    (phi, y2.atan2(x2))
}

fn transverse_mercator(phi: f64, lambda: f64) -> BngCoord {
    let (a, b) = (AIRY_A, AIRY_B);
    let phi0 = LAT0_DEG.to_radians();
    let lambda0 = LON0_DEG.to_radians();
    let e2 = 1.0 - (b * b) / (a * a);
    let n = (a - b) / (a + b);
    let (n2, n3) = (n * n, n * n * n);
    let (sp, cp) = phi.sin_cos();
    let tp = sp / cp;
    let nu = a * F0 / (1.0 - e2 * sp * sp).sqrt();
    let rho = a * F0 * (1.0 - e2) / (1.0 - e2 * sp * sp).powf(1.5);
    let eta2 = nu / rho - 1.0;

    let dp = phi - phi0;
    let sp0 = phi + phi0;
    let m = b
        * F0
        * ((1.0 + n + 1.25 * n2 + 1.25 * n3) * dp
            - (3.0 * n + 3.0 * n2 + 21.0 / 8.0 * n3) * dp.sin() * sp0.cos()
            + (15.0 / 8.0 * n2 + 15.0 / 8.0 * n3) * (2.0 * dp).sin() * (2.0 * sp0).cos()
            - 35.0 / 24.0 * n3 * (3.0 * dp).sin() * (3.0 * sp0).cos());

    let t2 = tp * tp;
    let t4 = t2 * t2;
    let c3 = cp.powi(3);
    let c5 = cp.powi(5);
    let i = m + N0;
    let ii = nu / 2.0 * sp * cp;
    let iii = nu / 24.0 * sp * c3 * (5.0 - t2 + 9.0 * eta2);
    let iiia = nu / 720.0 * sp * c5 * (61.0 - 58.0 * t2 + t4);
    let iv = nu * cp;
    let v = nu / 6.0 * c3 * (nu / rho - t2);
    let vi = nu / 120.0 * c5 * (5.0 - 18.0 * t2 + t4 + 14.0 * eta2 - 58.0 * t2 * eta2);

    let dl = lambda - lambda0;
    let northing = i + ii * dl.powi(2) + iii * dl.powi(4) + iiia * dl.powi(6);
    let easting = E0 + iv * dl + v * dl.powi(3) + vi * dl.powi(5);
    Coord {
        x: easting,
        y: northing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_guide_worked_example_projection() {
        // OS guide, Annex C worked example: OSGB36 52°39'27.2531"N 1°43'4.5177"E
        // -> E 651409.903, N 313177.270.
        let lat = (52.0 + 39.0 / 60.0 + 27.2531 / 3600.0_f64).to_radians();
        let lon = (1.0 + 43.0 / 60.0 + 4.5177 / 3600.0_f64).to_radians();
        let p = transverse_mercator(lat, lon);
        assert!((p.x - 651_409.903).abs() < 0.01, "{p:?}");
        assert!((p.y - 313_177.270).abs() < 0.01, "{p:?}");
    }

    #[test]
    fn checked_input() {
        assert_eq!(
            checked_wgs84_to_bng(f64::NAN, 0.0),
            Err(LatLonError::NotFinite)
        );
        assert!(matches!(
            checked_wgs84_to_bng(-0.8, 51.8),
            Err(LatLonError::Swapped { .. })
        ));
        assert!(matches!(
            checked_wgs84_to_bng(40.0, -74.0),
            Err(LatLonError::OutsideGreatBritain { .. })
        ));
        assert!(checked_wgs84_to_bng(51.8, -0.8).is_ok());
    }
}
