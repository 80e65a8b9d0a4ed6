//! Longitude/latitude bounding boxes that may cross the antimeridian.

use super::error::GeomError;
use super::point::LonLat;

/// A WGS84 bounding box in degrees. `west_deg > east_deg` means the box
/// crosses the antimeridian (180°), e.g. west 179, east -179 is 2° wide.
///
/// ```
/// use travel_impact::geom::{LonLat, LonLatBox};
///
/// // Fiji: points either side of 180° give a 1° box, not a 359° one.
/// let b = LonLatBox::from_points(&[LonLat::new(179.5, -17.0), LonLat::new(-179.5, -16.0)])?;
/// assert!(b.crosses_antimeridian());
/// assert_eq!(b.width_deg(), 1.0);
/// assert_eq!(b.centre().lon_deg.abs(), 180.0);
/// # Ok::<(), travel_impact::geom::GeomError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLatBox {
    west_deg: f64,
    south_deg: f64,
    east_deg: f64,
    north_deg: f64,
}

impl LonLatBox {
    /// A box from its edges, degrees. The corners are validated as
    /// [`LonLat::checked`] does; `west_deg > east_deg` crosses the antimeridian.
    pub fn new(
        west_deg: f64,
        south_deg: f64,
        east_deg: f64,
        north_deg: f64,
    ) -> Result<Self, GeomError> {
        LonLat::checked(west_deg, south_deg)?;
        LonLat::checked(east_deg, north_deg)?;
        if south_deg > north_deg {
            return Err(GeomError::InvertedBox {
                south_deg,
                north_deg,
            });
        }
        Ok(Self {
            west_deg,
            south_deg,
            east_deg,
            north_deg,
        })
    }

    /// The smallest box holding all `points`: its longitude range is the
    /// complement of the widest gap between the points' longitudes, so data
    /// straddling 180° gets a narrow box that crosses the antimeridian.
    ///
    /// Every point is validated; the first invalid one is the error.
    pub fn from_points(points: &[LonLat]) -> Result<Self, GeomError> {
        let mut lons = Vec::with_capacity(points.len());
        let (mut south_deg, mut north_deg) = (f64::INFINITY, f64::NEG_INFINITY);
        for p in points {
            let p = LonLat::checked(p.lon_deg, p.lat_deg)?;
            lons.push(p.lon_deg);
            south_deg = south_deg.min(p.lat_deg);
            north_deg = north_deg.max(p.lat_deg);
        }
        lons.sort_by(f64::total_cmp);
        let (Some(&min), Some(&max)) = (lons.first(), lons.last()) else {
            return Err(GeomError::NoPoints);
        };
        // The gap across 180° wins ties, so ordinary data never "crosses".
        let (mut west_deg, mut east_deg) = (min, max);
        let mut widest_gap_deg = min + 360.0 - max;
        for w in lons.windows(2) {
            if w[1] - w[0] > widest_gap_deg {
                widest_gap_deg = w[1] - w[0];
                (west_deg, east_deg) = (w[1], w[0]);
            }
        }
        Ok(Self {
            west_deg,
            south_deg,
            east_deg,
            north_deg,
        })
    }

    /// A box from trusted edges, for constants.
    pub(crate) const fn from_edges_unchecked(
        west_deg: f64,
        south_deg: f64,
        east_deg: f64,
        north_deg: f64,
    ) -> Self {
        Self {
            west_deg,
            south_deg,
            east_deg,
            north_deg,
        }
    }

    /// West edge, degrees.
    pub fn west_deg(&self) -> f64 {
        self.west_deg
    }

    /// South edge, degrees.
    pub fn south_deg(&self) -> f64 {
        self.south_deg
    }

    /// East edge, degrees.
    pub fn east_deg(&self) -> f64 {
        self.east_deg
    }

    /// North edge, degrees.
    pub fn north_deg(&self) -> f64 {
        self.north_deg
    }

    /// True when the box spans the 180° meridian (`west_deg > east_deg`).
    pub fn crosses_antimeridian(&self) -> bool {
        self.west_deg > self.east_deg
    }

    /// East-west extent, degrees of longitude, 0..=360.
    pub fn width_deg(&self) -> f64 {
        if self.crosses_antimeridian() {
            self.east_deg + 360.0 - self.west_deg
        } else {
            self.east_deg - self.west_deg
        }
    }

    /// Centre in longitude (wrapped to -180..=180) and latitude, degrees.
    pub fn centre(&self) -> LonLat {
        let mut lon_deg = self.west_deg + self.width_deg() / 2.0;
        if lon_deg > 180.0 {
            lon_deg -= 360.0;
        }
        LonLat::new(lon_deg, (self.south_deg + self.north_deg) / 2.0)
    }

    /// True when `other` lies inside this box (edges included).
    pub fn contains_box(&self, other: &LonLatBox) -> bool {
        if other.south_deg < self.south_deg || other.north_deg > self.north_deg {
            return false;
        }
        if self.width_deg() >= 360.0 {
            return true;
        }
        // Measure longitudes eastwards from this box's west edge.
        let start_deg = (other.west_deg - self.west_deg).rem_euclid(360.0);
        start_deg + other.width_deg() <= self.width_deg()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(v: &[(f64, f64)]) -> Vec<LonLat> {
        v.iter().map(|&(lon, lat)| LonLat::new(lon, lat)).collect()
    }

    #[test]
    fn ordinary_box() {
        let b = LonLatBox::from_points(&pts(&[(-1.0, 51.5), (-0.5, 52.0), (-0.8, 51.7)])).unwrap();
        assert_eq!(b, LonLatBox::new(-1.0, 51.5, -0.5, 52.0).unwrap());
        assert!(!b.crosses_antimeridian());
        assert_eq!(b.centre(), LonLat::new(-0.75, 51.75));
    }

    #[test]
    fn antimeridian_box() {
        let b = LonLatBox::from_points(&pts(&[(179.0, 0.0), (-178.0, 1.0), (178.5, 2.0)])).unwrap();
        assert_eq!((b.west_deg(), b.east_deg()), (178.5, -178.0));
        assert_eq!(b.width_deg(), 3.5);
        assert_eq!(b.centre().lon_deg, -179.75);
    }

    #[test]
    fn single_point_and_errors() {
        let b = LonLatBox::from_points(&pts(&[(10.0, 20.0)])).unwrap();
        assert_eq!(b.width_deg(), 0.0);
        assert_eq!(LonLatBox::from_points(&[]), Err(GeomError::NoPoints));
        assert!(matches!(
            LonLatBox::from_points(&pts(&[(10.0, 20.0), (f64::NAN, 1.0)])),
            Err(GeomError::NonFinite { .. })
        ));
        assert!(matches!(
            LonLatBox::new(0.0, 10.0, 1.0, 5.0),
            Err(GeomError::InvertedBox { .. })
        ));
    }

    #[test]
    fn contains_box_handles_wrapping() {
        let gb = LonLatBox::new(-8.75, 49.8, 2.0, 61.0).unwrap();
        assert!(gb.contains_box(&LonLatBox::new(-1.0, 51.5, -0.5, 52.0).unwrap()));
        assert!(!gb.contains_box(&LonLatBox::new(-1.0, 51.5, 2.5, 52.0).unwrap()));
        assert!(!gb.contains_box(&LonLatBox::new(1.0, 51.5, -1.0, 52.0).unwrap()));
        let pacific = LonLatBox::new(170.0, -20.0, -170.0, 0.0).unwrap();
        assert!(pacific.contains_box(&LonLatBox::new(179.0, -17.0, -179.0, -16.0).unwrap()));
        assert!(!pacific.contains_box(&LonLatBox::new(160.0, -17.0, -179.0, -16.0).unwrap()));
    }
}
