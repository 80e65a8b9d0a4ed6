//! Points: WGS84 longitude/latitude in degrees, and planar x/y in metres.

use super::error::GeomError;

/// A WGS84 position in degrees, longitude first (GeoJSON order).
///
/// `new` and `from_lat_lon` do not validate; use [`LonLat::checked`] on
/// input you did not produce yourself.
///
/// ```
/// use travel_impact::geom::LonLat;
///
/// let helsinki = LonLat::new(24.94, 60.17);
/// assert_eq!(helsinki, LonLat::from_lat_lon(60.17, 24.94));
/// assert!(LonLat::checked(24.94, 60.17).is_ok());
/// assert!(LonLat::checked(24.94, 95.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LonLat {
    /// Longitude east of Greenwich, degrees, -180..=180.
    pub lon_deg: f64,
    /// Latitude north of the equator, degrees, -90..=90.
    pub lat_deg: f64,
}

impl LonLat {
    /// Longitude first, as in GeoJSON. Not validated.
    pub const fn new(lon_deg: f64, lat_deg: f64) -> Self {
        Self { lon_deg, lat_deg }
    }

    /// Latitude first, for sources in "lat, lon" order. Not validated.
    pub const fn from_lat_lon(lat_deg: f64, lon_deg: f64) -> Self {
        Self { lon_deg, lat_deg }
    }

    /// Longitude first, validated: finite, |lat| <= 90, |lon| <= 180.
    ///
    /// A latitude out of range next to a longitude that would be a valid
    /// latitude is reported with `looks_swapped: true`, the usual mistake.
    ///
    /// ```
    /// use travel_impact::geom::{GeomError, LonLat};
    ///
    /// assert_eq!(LonLat::checked(-0.81, 51.82), Ok(LonLat::new(-0.81, 51.82)));
    /// assert!(matches!(
    ///     LonLat::checked(f64::NAN, 51.82),
    ///     Err(GeomError::NonFinite { .. })
    /// ));
    /// ```
    pub fn checked(lon_deg: f64, lat_deg: f64) -> Result<Self, GeomError> {
        if !lon_deg.is_finite() || !lat_deg.is_finite() {
            return Err(GeomError::NonFinite { lon_deg, lat_deg });
        }
        if lat_deg.abs() > 90.0 {
            return Err(GeomError::LatitudeOutOfRange {
                lon_deg,
                lat_deg,
                looks_swapped: lon_deg.abs() <= 90.0,
            });
        }
        if lon_deg.abs() > 180.0 {
            return Err(GeomError::LongitudeOutOfRange { lon_deg, lat_deg });
        }
        Ok(Self { lon_deg, lat_deg })
    }
}

impl From<LonLat> for geo::Coord<f64> {
    /// `x` = longitude, `y` = latitude, degrees (geo's convention).
    fn from(p: LonLat) -> Self {
        geo::coord! { x: p.lon_deg, y: p.lat_deg }
    }
}

impl From<LonLat> for geo::Point<f64> {
    /// `x` = longitude, `y` = latitude, degrees (geo's convention).
    fn from(p: LonLat) -> Self {
        geo::Point::new(p.lon_deg, p.lat_deg)
    }
}

/// A planar position in metres, in the [`Crs`](super::Crs) it came from.
///
/// `x_m` is easting and `y_m` northing. Distances between two `Xy` are only
/// meaningful within one CRS, and are grid lengths: divide by
/// [`Crs::scale_factor_at`](super::Crs::scale_factor_at) for ground lengths.
///
/// ```
/// use travel_impact::geom::Xy;
///
/// let a = Xy::new(0.0, 0.0);
/// let b = Xy::new(3.0, 4.0);
/// assert_eq!(a.distance_m(b), 5.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Xy {
    /// Easting, metres.
    pub x_m: f64,
    /// Northing, metres.
    pub y_m: f64,
}

impl Xy {
    /// Easting then northing, metres.
    pub const fn new(x_m: f64, y_m: f64) -> Self {
        Self { x_m, y_m }
    }

    /// Straight-line (grid) distance to `other`, metres.
    pub fn distance_m(self, other: Xy) -> f64 {
        (self.x_m - other.x_m).hypot(self.y_m - other.y_m)
    }
}

impl From<Xy> for geo::Coord<f64> {
    /// `x` = easting, `y` = northing, metres.
    fn from(p: Xy) -> Self {
        geo::coord! { x: p.x_m, y: p.y_m }
    }
}

impl From<Xy> for geo::Point<f64> {
    /// `x` = easting, `y` = northing, metres.
    fn from(p: Xy) -> Self {
        geo::Point::new(p.x_m, p.y_m)
    }
}

impl From<geo::Coord<f64>> for Xy {
    /// Reads `x`/`y` as easting/northing in metres; the caller vouches for units.
    fn from(c: geo::Coord<f64>) -> Self {
        Self::new(c.x, c.y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_accepts_range_limits() {
        for (lon, lat) in [(180.0, 90.0), (-180.0, -90.0), (0.0, 0.0)] {
            assert_eq!(LonLat::checked(lon, lat), Ok(LonLat::new(lon, lat)));
        }
    }

    #[test]
    fn checked_rejects_non_finite() {
        for (lon, lat) in [
            (f64::NAN, 0.0),
            (0.0, f64::INFINITY),
            (f64::NEG_INFINITY, 1.0),
        ] {
            assert!(matches!(
                LonLat::checked(lon, lat),
                Err(GeomError::NonFinite { .. })
            ));
        }
    }

    #[test]
    fn checked_hints_at_swapped_order() {
        // Helsinki given as (lat, lon) = (60.17, 124.94) in lon/lat slots would be
        // valid; use a latitude slot > 90 with a plausible latitude in the lon slot.
        let err = LonLat::checked(60.17, 124.94).unwrap_err();
        assert_eq!(
            err,
            GeomError::LatitudeOutOfRange {
                lon_deg: 60.17,
                lat_deg: 124.94,
                looks_swapped: true
            }
        );
        assert!(err.to_string().contains("longitude first"), "{err}");
        // Both out of latitude range: no swap hint.
        let err = LonLat::checked(150.0, 124.94).unwrap_err();
        assert!(matches!(
            err,
            GeomError::LatitudeOutOfRange {
                looks_swapped: false,
                ..
            }
        ));
        assert!(!err.to_string().contains("swapped"), "{err}");
    }

    #[test]
    fn checked_rejects_longitude_out_of_range() {
        assert_eq!(
            LonLat::checked(180.5, 10.0),
            Err(GeomError::LongitudeOutOfRange {
                lon_deg: 180.5,
                lat_deg: 10.0
            })
        );
    }

    #[test]
    fn lat_lon_constructor_puts_longitude_first() {
        let p = LonLat::from_lat_lon(51.8, -0.8);
        assert_eq!((p.lon_deg, p.lat_deg), (-0.8, 51.8));
        let c: geo::Coord<f64> = p.into();
        assert_eq!((c.x, c.y), (-0.8, 51.8));
    }

    #[test]
    fn xy_distance_and_geo_round_trip() {
        let a = Xy::new(400_000.0, 100_000.0);
        let b = Xy::new(400_300.0, 100_400.0);
        assert_eq!(a.distance_m(b), 500.0);
        let c: geo::Coord<f64> = b.into();
        assert_eq!(Xy::from(c), b);
    }
}
