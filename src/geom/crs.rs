//! Coordinate reference systems chosen at load time: WGS84 lon/lat <-> metres.

use std::fmt;

use super::bbox::LonLatBox;
use super::error::GeomError;
use super::osgb;
use super::point::{LonLat, Xy};
use super::tm::{TransverseMercator, WGS84};

/// A planar coordinate reference system in metres, fed with WGS84 lon/lat.
///
/// Every variant is conformal (BNG to ~1e-8), so a short grid length divided
/// by [`Crs::scale_factor_at`] is the length on the WGS84 ellipsoid.
///
/// `forward` does not validate: run input through [`LonLat::checked`] first.
/// NaN in gives NaN out; points 90° of longitude from the central meridian
/// have no transverse Mercator image (infinite easting).
///
/// ```
/// use travel_impact::geom::{Crs, LonLat, LonLatBox};
///
/// let area = LonLatBox::from_points(&[LonLat::new(24.8, 60.1), LonLat::new(25.1, 60.3)])?;
/// let crs = Crs::choose_for(&area);
/// assert!(crs.name().starts_with("local transverse Mercator on WGS84 centred 24.95E 60.2N"));
///
/// let p = LonLat::new(24.94, 60.17);
/// let xy = crs.forward(p);
/// let back = crs.inverse(xy);
/// assert!((back.lon_deg - p.lon_deg).abs() < 1e-9 && (back.lat_deg - p.lat_deg).abs() < 1e-9);
/// # Ok::<(), travel_impact::geom::GeomError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Crs {
    /// EPSG:27700 OSGB36 / British National Grid, reached from WGS84 by the
    /// OS 7-parameter Helmert transform, not the OSTN15 grid: eastings and
    /// northings can differ from official OSTN15 ones by a few metres, but
    /// lengths corrected by [`Crs::scale_factor_at`] are still WGS84 lengths.
    BritishNationalGrid,
    /// Transverse Mercator on the WGS84 ellipsoid (Krüger n^6 series: about
    /// 5 nm accuracy within 3900 km of the central meridian, Karney 2011).
    TransverseMercator {
        /// Central meridian, degrees east.
        lon0_deg: f64,
        /// Latitude of the true origin, degrees north.
        lat0_deg: f64,
        /// Scale factor on the central meridian.
        k0: f64,
        /// Easting of the true origin, metres.
        false_easting_m: f64,
        /// Northing of the true origin, metres.
        false_northing_m: f64,
    },
    /// Universal Transverse Mercator on WGS84 (EPSG:326zz north, 327zz south):
    /// k0 = 0.9996, central meridian zone × 6 - 183°, false easting 500000 m,
    /// false northing 0 (north) or 10000000 m (south).
    Utm {
        /// Zone number, 1..=60.
        zone: u8,
        /// Northern-hemisphere variant (false northing 0).
        north: bool,
    },
}

impl Crs {
    /// Where [`Crs::choose_for`] picks BNG: lon -8.75..=2.0, lat 49.8..=61.0.
    ///
    /// Close to the EPSG:27700 area of use (lon -9.01..2.01, lat 49.75..61.01).
    /// Being a rectangle it also holds part of Ireland and the Calais coast;
    /// BNG still projects those correctly, with scale up to 1.0025 at the
    /// south-west corner (St Kilda, the far west of GB: 1.0015).
    pub const GB_AREA: LonLatBox = LonLatBox::from_edges_unchecked(-8.75, 49.8, 2.0, 61.0);

    /// Transverse Mercator on WGS84 centred on `centre`, with k0 = 1 and no
    /// false origin: the centre maps to (0, 0) and scale is 1 there.
    ///
    /// ```
    /// use travel_impact::geom::{Crs, LonLat, Xy};
    ///
    /// let crs = Crs::local_tm(LonLat::new(24.94, 60.17));
    /// assert_eq!(crs.forward(LonLat::new(24.94, 60.17)), Xy::new(0.0, 0.0));
    /// ```
    pub fn local_tm(centre: LonLat) -> Crs {
        Crs::TransverseMercator {
            lon0_deg: centre.lon_deg,
            lat0_deg: centre.lat_deg,
            k0: 1.0,
            false_easting_m: 0.0,
            false_northing_m: 0.0,
        }
    }

    /// A UTM zone, checked to be in 1..=60.
    pub fn utm(zone: u8, north: bool) -> Result<Crs, GeomError> {
        if (1..=60).contains(&zone) {
            Ok(Crs::Utm { zone, north })
        } else {
            Err(GeomError::UtmZone { zone })
        }
    }

    /// The standard 6° UTM zone holding `p` (180° goes in zone 60). Ignores
    /// the Norway (32V) and Svalbard (31X-37X) exceptions.
    ///
    /// ```
    /// use travel_impact::geom::{Crs, LonLat};
    ///
    /// assert_eq!(Crs::utm_for(LonLat::new(24.94, 60.17)), Crs::Utm { zone: 35, north: true });
    /// ```
    pub fn utm_for(p: LonLat) -> Crs {
        let zone = ((p.lon_deg + 180.0) / 6.0).floor() + 1.0;
        Crs::Utm {
            zone: zone.clamp(1.0, 60.0) as u8,
            north: p.lat_deg >= 0.0,
        }
    }

    /// The CRS for data inside `area`: BNG when `area` lies within
    /// [`Crs::GB_AREA`], otherwise [`Crs::local_tm`] at the box centre.
    ///
    /// A box crossing the antimeridian (see [`LonLatBox::from_points`]) gets a
    /// TM centred near 180°. A box around a pole also gets a local TM: the
    /// projection is regular across the pole, and points on the far side lie
    /// near the central meridian's continuation. Scale grows with distance x
    /// from the central meridian, k ≈ 1 + x²/2R² (1.0005 at 200 km, 1.0025 at
    /// 450 km, 1.01 at 900 km); correct lengths with [`Crs::scale_factor_at`].
    ///
    /// ```
    /// use travel_impact::geom::{Crs, LonLatBox};
    ///
    /// let bucks = LonLatBox::new(-1.15, 51.45, -0.45, 52.2)?;
    /// assert_eq!(Crs::choose_for(&bucks), Crs::BritishNationalGrid);
    /// # Ok::<(), travel_impact::geom::GeomError>(())
    /// ```
    pub fn choose_for(area: &LonLatBox) -> Crs {
        if Self::GB_AREA.contains_box(area) {
            Crs::BritishNationalGrid
        } else {
            Crs::local_tm(area.centre())
        }
    }

    /// The Krüger-series projection behind the TM and UTM variants.
    fn tm(&self) -> Option<TransverseMercator> {
        match *self {
            Crs::BritishNationalGrid => None,
            Crs::TransverseMercator {
                lon0_deg,
                lat0_deg,
                k0,
                false_easting_m,
                false_northing_m,
            } => Some(TransverseMercator::new(
                WGS84,
                lon0_deg,
                lat0_deg,
                k0,
                false_easting_m,
                false_northing_m,
            )),
            Crs::Utm { zone, north } => Some(TransverseMercator::new(
                WGS84,
                f64::from(zone) * 6.0 - 183.0,
                0.0,
                0.9996,
                500_000.0,
                if north { 0.0 } else { 10_000_000.0 },
            )),
        }
    }

    /// WGS84 lon/lat (on the ellipsoid, height 0) -> planar metres.
    pub fn forward(&self, p: LonLat) -> Xy {
        let (lon, lat) = (p.lon_deg.to_radians(), p.lat_deg.to_radians());
        let (x_m, y_m) = match self.tm() {
            Some(tm) => tm.forward(lon, lat),
            None => osgb::bng_forward(lon, lat),
        };
        Xy::new(x_m, y_m)
    }

    /// Planar metres -> WGS84 lon/lat, longitude wrapped to -180..=180.
    pub fn inverse(&self, xy: Xy) -> LonLat {
        let (lon, lat) = match self.tm() {
            Some(tm) => tm.inverse(xy.x_m, xy.y_m),
            None => osgb::bng_inverse(xy.x_m, xy.y_m),
        };
        LonLat::new(lon.to_degrees(), lat.to_degrees())
    }

    /// Point scale factor at `p`: grid length / WGS84 ellipsoid length for a
    /// short line through `p`. Divide a grid distance by it (at the midpoint,
    /// or averaged along a long line) to get the ground distance.
    ///
    /// For BNG this includes the datum step (Helmert scale +20.5 ppm and the
    /// ~50 m drop from the WGS84 to the Airy surface, ~+7.8 ppm); BNG is not
    /// exactly conformal, so the value is exact only to ~1e-8.
    ///
    /// ```
    /// use travel_impact::geom::{Crs, LonLat};
    ///
    /// // UTM: 0.9996 on the central meridian.
    /// let k = Crs::utm(35, true)?.scale_factor_at(LonLat::new(27.0, 60.0));
    /// assert!((k - 0.9996).abs() < 1e-12);
    /// # Ok::<(), travel_impact::geom::GeomError>(())
    /// ```
    pub fn scale_factor_at(&self, p: LonLat) -> f64 {
        let (lon, lat) = (p.lon_deg.to_radians(), p.lat_deg.to_radians());
        match self.tm() {
            Some(tm) => tm.scale_factor(lon, lat),
            None => osgb::bng_scale_factor(lon, lat),
        }
    }

    /// Human-readable name, e.g. "EPSG:27700 British National Grid",
    /// "UTM zone 35N (EPSG:32635)" or "local transverse Mercator on WGS84
    /// centred 24.94E 60.17N" (non-default k0 and false origin appended).
    pub fn name(&self) -> String {
        match *self {
            Crs::BritishNationalGrid => "EPSG:27700 British National Grid".to_owned(),
            Crs::TransverseMercator {
                lon0_deg,
                lat0_deg,
                k0,
                false_easting_m,
                false_northing_m,
            } => {
                let mut s = format!(
                    "local transverse Mercator on WGS84 centred {} {}",
                    fmt_deg(lon0_deg, 'E', 'W'),
                    fmt_deg(lat0_deg, 'N', 'S')
                );
                if k0 != 1.0 {
                    s += &format!(", k0 {k0}");
                }
                if false_easting_m != 0.0 || false_northing_m != 0.0 {
                    s += &format!(", false origin E {false_easting_m} m N {false_northing_m} m");
                }
                s
            }
            Crs::Utm { zone, north } => {
                let hemi = if north { 'N' } else { 'S' };
                if (1..=60).contains(&zone) {
                    let epsg = if north { 32600 } else { 32700 } + u32::from(zone);
                    format!("UTM zone {zone}{hemi} (EPSG:{epsg})")
                } else {
                    format!("UTM zone {zone}{hemi} (not a valid zone)")
                }
            }
        }
    }
}

impl fmt::Display for Crs {
    /// Writes [`Crs::name`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Degrees to at most 6 decimals (0.1 m), trailing zeros dropped, with a hemisphere letter.
fn fmt_deg(v_deg: f64, pos: char, neg: char) -> String {
    let digits = format!("{:.6}", v_deg.abs());
    let digits = digits.trim_end_matches('0').trim_end_matches('.');
    let letter = if v_deg < 0.0 { neg } else { pos };
    format!("{digits}{letter}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Geodesic};

    fn ll(lon_deg: f64, lat_deg: f64) -> LonLat {
        LonLat::new(lon_deg, lat_deg)
    }

    /// Largest |Δlon|, |Δlat| in degrees after forward then inverse.
    fn max_round_trip_deg(crs: Crs, points: impl Iterator<Item = LonLat>) -> f64 {
        let mut worst: f64 = 0.0;
        for p in points {
            let q = crs.inverse(crs.forward(p));
            worst = worst
                .max((q.lon_deg - p.lon_deg).abs())
                .max((q.lat_deg - p.lat_deg).abs());
        }
        worst
    }

    fn grid(area: LonLatBox, steps: u32) -> impl Iterator<Item = LonLat> {
        (0..=steps).flat_map(move |i| {
            (0..=steps).map(move |j| {
                let t = f64::from(i) / f64::from(steps);
                let u = f64::from(j) / f64::from(steps);
                ll(
                    area.west_deg() + t * area.width_deg(),
                    area.south_deg() + u * (area.north_deg() - area.south_deg()),
                )
            })
        })
    }

    // WGS84 -> BNG references from pyproj 3.7.2 / PROJ 9.5.1 (no grids),
    // tests/reference/geom_reference_values.py section 2:
    //   helmert_os = ("+proj=pipeline"
    //     " +step +proj=unitconvert +xy_in=deg +xy_out=rad"
    //     " +step +proj=cart +ellps=WGS84"
    //     " +step +proj=helmert +x=-446.448 +y=125.157 +z=-542.060"
    //     " +rx=-0.1502 +ry=-0.2470 +rz=-0.8421 +s=20.4894"
    //     " +convention=position_vector"
    //     " +step +inv +proj=cart +ellps=airy"
    //     " +step +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717"
    //     " +x_0=400000 +y_0=-100000 +ellps=airy +units=m +no_defs")
    //   Transformer.from_pipeline(helmert_os).transform(lon, lat)
    // and the +towgs84 form (PROJ inverts the OSGB36->WGS84 Helmert exactly,
    // which differs from applying the OS WGS84->OSGB36 values by up to ~4 mm).
    // PROJ's helmert also scales the rotations by (1 + s), the OS matrix does
    // not: ~0.3 mm, the residual against the first set.
    //   Transformer.from_crs("EPSG:4326", "+proj=tmerc +lat_0=49 +lon_0=-2
    //     +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy
    //     +towgs84=446.448,-125.157,542.060,0.1502,0.2470,0.8421,-20.4894
    //     +units=m +no_defs", always_xy=True).transform(lon, lat)
    // Columns: lon, lat, E/N OS direction, E/N +towgs84.
    const BNG_REFERENCE: [(f64, f64, f64, f64, f64, f64); 6] = [
        (
            -0.8125,
            51.8167,
            481952.8526,
            213785.5550,
            481952.8565,
            213785.5541,
        ), // Aylesbury
        (
            -3.1883,
            55.9533,
            325897.2180,
            674001.2017,
            325897.2215,
            674001.2019,
        ), // Edinburgh
        (
            -8.5700,
            57.8100,
            10056.3520,
            899004.0931,
            10056.3549,
            899004.0938,
        ), // St Kilda
        (
            -1.1450,
            60.1550,
            447567.4176,
            1141475.5927,
            447567.4214,
            1141475.5939,
        ), // Lerwick
        (
            1.7500,
            52.4800,
            654734.6755,
            293509.5972,
            654734.6798,
            293509.5965,
        ), // Lowestoft
        (
            -5.2000,
            49.9600,
            170584.9625,
            11554.8896,
            170584.9657,
            11554.8882,
        ), // Lizard
    ];

    #[test]
    fn bng_matches_pyproj_helmert() {
        let (mut worst_os, mut worst_towgs84): (f64, f64) = (0.0, 0.0);
        for (lon, lat, e_os, n_os, e_tw, n_tw) in BNG_REFERENCE {
            let xy = Crs::BritishNationalGrid.forward(ll(lon, lat));
            worst_os = worst_os.max((xy.x_m - e_os).hypot(xy.y_m - n_os));
            worst_towgs84 = worst_towgs84.max((xy.x_m - e_tw).hypot(xy.y_m - n_tw));
        }
        eprintln!("BNG vs pyproj: OS-direction {worst_os:.2e} m, +towgs84 {worst_towgs84:.2e} m");
        assert!(worst_os < 1e-3, "{worst_os}");
        assert!(worst_towgs84 < 1e-2, "{worst_towgs84}");
    }

    #[test]
    fn bng_round_trip_over_gb() {
        let worst = max_round_trip_deg(Crs::BritishNationalGrid, grid(Crs::GB_AREA, 40));
        eprintln!("BNG round trip max error {worst:.2e} deg");
        assert!(worst < 1e-8, "{worst}");
    }

    // pyproj 3.7.2 / PROJ 9.5.1, tests/reference/geom_reference_values.py section 3:
    //   Transformer.from_crs("EPSG:4326", "EPSG:32635", always_xy=True)
    //     .transform(24.94, 60.17) -> (385700.4214, 6672126.7431)
    //   Transformer.from_crs("EPSG:32635", "EPSG:4326", always_xy=True)
    //     .transform(385000, 6672000) -> (24.9274577134, 60.1686659987)
    #[test]
    fn helsinki_utm35n_matches_pyproj() {
        let crs = Crs::utm_for(ll(24.94, 60.17));
        assert_eq!(
            crs,
            Crs::Utm {
                zone: 35,
                north: true
            }
        );
        assert_eq!(crs.name(), "UTM zone 35N (EPSG:32635)");
        let xy = crs.forward(ll(24.94, 60.17));
        let err_m = (xy.x_m - 385700.4214).hypot(xy.y_m - 6672126.7431);
        let back = crs.inverse(Xy::new(385_000.0, 6_672_000.0));
        let err_deg = (back.lon_deg - 24.927_457_713_4)
            .abs()
            .max((back.lat_deg - 60.168_665_998_7).abs());
        eprintln!("UTM 35N vs pyproj: forward {err_m:.2e} m, inverse {err_deg:.2e} deg");
        assert!(err_m < 1e-3, "{xy:?}");
        assert!(err_deg < 1e-9, "{back:?}");
    }

    #[test]
    fn utm_south_and_zone_edges() {
        assert_eq!(
            Crs::utm_for(ll(-180.0, -1.0)),
            Crs::Utm {
                zone: 1,
                north: false
            }
        );
        assert_eq!(
            Crs::utm_for(ll(180.0, 1.0)),
            Crs::Utm {
                zone: 60,
                north: true
            }
        );
        assert_eq!(Crs::utm(0, true), Err(GeomError::UtmZone { zone: 0 }));
        let south = Crs::utm(56, false).unwrap();
        assert_eq!(south.name(), "UTM zone 56S (EPSG:32756)");
        // On the central meridian at the equator: false origin exactly.
        let xy = south.forward(ll(153.0, 0.0));
        assert!((xy.x_m - 500_000.0).abs() < 1e-9 && (xy.y_m - 10_000_000.0).abs() < 1e-9);
        let area = LonLatBox::new(150.0, -35.0, 154.0, -32.0).unwrap();
        assert!(max_round_trip_deg(south, grid(area, 10)) < 1e-11);
    }

    // pyproj 3.7.2, tests/reference/geom_reference_values.py section 4:
    //   Transformer.from_pipeline("+proj=pipeline +step +proj=unitconvert +xy_in=deg
    //     +xy_out=rad +step +proj=tmerc +lat_0=60.17 +lon_0=24.94 +k=1 +x_0=0 +y_0=0
    //     +ellps=WGS84").transform(lon, lat)
    // The last two are 10° from the central meridian (550 km and 720 km east/west).
    const HELSINKI_TM_REFERENCE: [(f64, f64, f64, f64); 5] = [
        (24.94, 60.17, 0.0, 0.0),
        (25.20, 60.30, 14376.4227, 14512.4493),
        (24.50, 60.00, -24551.8801, -18858.6912),
        (34.94, 60.17, 553701.5412, 42077.3580),
        (14.94, 50.00, -716311.8418, -1084056.7265),
    ];

    #[test]
    fn helsinki_local_tm_matches_pyproj_and_round_trips() {
        let crs = Crs::local_tm(ll(24.94, 60.17));
        let mut worst_m: f64 = 0.0;
        for (lon, lat, x, y) in HELSINKI_TM_REFERENCE {
            let xy = crs.forward(ll(lon, lat));
            worst_m = worst_m.max((xy.x_m - x).hypot(xy.y_m - y));
        }
        // ±5° around the centre.
        let area = LonLatBox::new(19.94, 55.17, 29.94, 65.17).unwrap();
        let worst_deg = max_round_trip_deg(crs, grid(area, 40));
        eprintln!("local TM Helsinki: vs pyproj {worst_m:.2e} m, round trip {worst_deg:.2e} deg");
        assert!(worst_m < 1e-3, "{worst_m}");
        assert!(worst_deg < 1e-9, "{worst_deg}");
    }

    #[test]
    fn choose_for_buckinghamshire_is_bng() {
        // Buckinghamshire, roughly: Milton Keynes (52.1N) to Slough (51.5N).
        let bucks = LonLatBox::from_points(&[ll(-1.14, 52.08), ll(-0.48, 51.48), ll(-0.81, 51.82)])
            .unwrap();
        let crs = Crs::choose_for(&bucks);
        assert_eq!(crs, Crs::BritishNationalGrid);
        assert_eq!(crs.to_string(), "EPSG:27700 British National Grid");
        // Over the GB box edge (Calais at 2.3E would not be): local TM.
        let kent_calais = LonLatBox::new(0.5, 50.9, 2.3, 51.3).unwrap();
        assert!(matches!(
            Crs::choose_for(&kent_calais),
            Crs::TransverseMercator { .. }
        ));
    }

    #[test]
    fn choose_for_helsinki_is_local_tm() {
        let helsinki = LonLatBox::new(24.78, 60.10, 25.10, 60.24).unwrap();
        let crs = Crs::choose_for(&helsinki);
        let Crs::TransverseMercator {
            lon0_deg,
            lat0_deg,
            k0,
            false_easting_m,
            false_northing_m,
        } = crs
        else {
            panic!("{crs:?}");
        };
        assert!((lon0_deg - 24.94).abs() < 1e-12 && (lat0_deg - 60.17).abs() < 1e-12);
        assert_eq!((k0, false_easting_m, false_northing_m), (1.0, 0.0, 0.0));
        assert_eq!(
            crs.name(),
            "local transverse Mercator on WGS84 centred 24.94E 60.17N"
        );
    }

    /// Grid distance corrected by Simpson-averaged scale vs the WGS84 geodesic.
    fn ground_vs_geodesic_rel(crs: Crs, a: LonLat, b: LonLat) -> f64 {
        let (pa, pb) = (crs.forward(a), crs.forward(b));
        let mid = crs.inverse(Xy::new((pa.x_m + pb.x_m) / 2.0, (pa.y_m + pb.y_m) / 2.0));
        let k = (crs.scale_factor_at(a) + 4.0 * crs.scale_factor_at(mid) + crs.scale_factor_at(b))
            / 6.0;
        let ground_m = pa.distance_m(pb) / k;
        let geodesic_m = Geodesic.distance(geo::Point::from(a), geo::Point::from(b));
        (ground_m - geodesic_m).abs() / geodesic_m
    }

    #[test]
    fn choose_for_antimeridian_box() {
        // Taveuni, Fiji, straddles 180°: the box is 1° wide, centred on 180°.
        let (a, b) = (ll(179.8, -16.9), ll(-179.8, -16.7));
        let area = LonLatBox::from_points(&[a, b]).unwrap();
        let crs = Crs::choose_for(&area);
        assert!(matches!(crs, Crs::TransverseMercator { lon0_deg, .. } if lon0_deg.abs() == 180.0));
        // ~45 km apart across 180°, not ~38000 km around the world.
        let xy_a = crs.forward(a);
        let xy_b = crs.forward(b);
        assert!(xy_a.distance_m(xy_b) < 50_000.0);
        let rel = ground_vs_geodesic_rel(crs, a, b);
        let back = crs.inverse(xy_b);
        assert!((back.lon_deg - b.lon_deg).abs() < 1e-9, "{back:?}");
        eprintln!("antimeridian: ground vs geodesic {rel:.2e}");
        assert!(rel < 1e-7, "{rel}");
    }

    #[test]
    fn choose_for_polar_box() {
        // Points around the North Pole at 89°N: TM centred on the box stays regular.
        let pts: Vec<LonLat> = [0.0, 90.0, 180.0, -90.0, 45.0]
            .iter()
            .map(|&lon| ll(lon, 89.0))
            .collect();
        let area = LonLatBox::from_points(&pts).unwrap();
        let crs = Crs::choose_for(&area);
        assert!(matches!(crs, Crs::TransverseMercator { .. }));
        let worst = max_round_trip_deg(crs, pts.iter().copied());
        // Across the pole: 0°E and 180°E at 89°N are 2° of meridian apart.
        let rel = ground_vs_geodesic_rel(crs, pts[0], pts[2]);
        eprintln!("polar: round trip {worst:.2e} deg, ground vs geodesic {rel:.2e}");
        assert!(worst < 1e-9, "{worst}");
        assert!(rel < 1e-7, "{rel}");
    }

    #[test]
    fn ground_distances_match_geodesic() {
        // ~10-20 km lines; Simpson-averaged scale corrects the grid length.
        let cases = [
            (
                Crs::BritishNationalGrid,
                ll(-0.8125, 51.8167),
                ll(-0.6, 51.9),
            ),
            (Crs::BritishNationalGrid, ll(-8.5, 57.8), ll(-8.3, 57.9)),
            (
                Crs::local_tm(ll(24.94, 60.17)),
                ll(24.8, 60.1),
                ll(25.1, 60.25),
            ),
            (Crs::utm(35, true).unwrap(), ll(24.8, 60.1), ll(25.1, 60.25)),
        ];
        for (crs, a, b) in cases {
            let rel = ground_vs_geodesic_rel(crs, a, b);
            eprintln!("{crs}: ground vs geodesic {rel:.2e}");
            assert!(rel < 1e-7, "{crs}: {rel}");
        }
    }

    /// Scale factors along the meridian and the parallel at `p` by 4th-order
    /// central differences of `forward`, divided by the WGS84 arc lengths.
    fn numeric_scales(crs: Crs, p: LonLat) -> (f64, f64) {
        let h_deg: f64 = 1e-3;
        let d = |dlon: f64, dlat: f64| {
            let f = |s: f64| crs.forward(ll(p.lon_deg + s * dlon, p.lat_deg + s * dlat));
            let (p2, p1, m1, m2) = (f(2.0), f(1.0), f(-1.0), f(-2.0));
            let dx = (-p2.x_m + 8.0 * p1.x_m - 8.0 * m1.x_m + m2.x_m) / 12.0;
            let dy = (-p2.y_m + 8.0 * p1.y_m - 8.0 * m1.y_m + m2.y_m) / 12.0;
            dx.hypot(dy)
        };
        let lat = p.lat_deg.to_radians();
        let e2 = WGS84.e2();
        let w = 1.0 - e2 * lat.sin().powi(2);
        let nu = WGS84.a_m / w.sqrt();
        let rho = nu * (1.0 - e2) / w;
        let h_rad = h_deg.to_radians();
        (
            d(0.0, h_deg) / (rho * h_rad),
            d(h_deg, 0.0) / (nu * lat.cos() * h_rad),
        )
    }

    #[test]
    fn scale_factor_matches_numeric_derivative() {
        let tm_cases = [
            (Crs::utm(35, true).unwrap(), ll(24.94, 60.17)),
            (Crs::utm(35, true).unwrap(), ll(30.0, 10.0)),
            (Crs::utm(56, false).unwrap(), ll(151.2, -33.9)),
            (Crs::local_tm(ll(24.94, 60.17)), ll(29.0, 63.0)),
            (Crs::local_tm(ll(-120.0, 35.0)), ll(-112.0, 30.0)),
        ];
        let mut worst_tm: f64 = 0.0;
        for (crs, p) in tm_cases {
            let k = crs.scale_factor_at(p);
            let (k_n, k_e) = numeric_scales(crs, p);
            worst_tm = worst_tm
                .max((k_n / k - 1.0).abs())
                .max((k_e / k - 1.0).abs());
        }
        // BNG is conformal only to ~1e-8 (see bng_scale_factor): each direction
        // to 5e-8, their geometric mean (the isotropic part) to 1e-9.
        let (mut worst_bng_dir, mut worst_bng_mean): (f64, f64) = (0.0, 0.0);
        for p in [
            ll(-0.81, 51.82),
            ll(-8.5, 57.8),
            ll(1.7, 52.5),
            ll(-3.2, 59.0),
        ] {
            let k = Crs::BritishNationalGrid.scale_factor_at(p);
            let (k_n, k_e) = numeric_scales(Crs::BritishNationalGrid, p);
            worst_bng_dir = worst_bng_dir
                .max((k_n / k - 1.0).abs())
                .max((k_e / k - 1.0).abs());
            worst_bng_mean = worst_bng_mean.max(((k_n * k_e).sqrt() / k - 1.0).abs());
        }
        eprintln!(
            "scale vs numeric: TM {worst_tm:.2e}, BNG per direction {worst_bng_dir:.2e}, \
             BNG mean {worst_bng_mean:.2e}"
        );
        assert!(worst_tm < 1e-9, "{worst_tm}");
        assert!(worst_bng_dir < 5e-8, "{worst_bng_dir}");
        assert!(worst_bng_mean < 1e-9, "{worst_bng_mean}");
    }

    #[test]
    fn names() {
        let crs = Crs::TransverseMercator {
            lon0_deg: -3.5,
            lat0_deg: -0.25,
            k0: 0.9996,
            false_easting_m: 500_000.0,
            false_northing_m: 0.0,
        };
        assert_eq!(
            crs.name(),
            "local transverse Mercator on WGS84 centred 3.5W 0.25S, k0 0.9996, \
             false origin E 500000 m N 0 m"
        );
        assert_eq!(Crs::utm(61, true), Err(GeomError::UtmZone { zone: 61 }));
        assert_eq!(
            Crs::Utm {
                zone: 61,
                north: true
            }
            .name(),
            "UTM zone 61N (not a valid zone)"
        );
    }
}
