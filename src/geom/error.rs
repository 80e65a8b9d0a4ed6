//! Errors for invalid coordinates and projection parameters.

/// Why a coordinate, bounding box or projection parameter was rejected.
///
/// ```
/// use travel_impact::geom::{GeomError, LonLat};
///
/// // Latitude first by mistake (lat 60.17, lon 124.94): the message says so.
/// let err = LonLat::checked(60.17, 124.94).unwrap_err();
/// assert!(matches!(err, GeomError::LatitudeOutOfRange { looks_swapped: true, .. }));
/// assert!(err.to_string().contains("swapped"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GeomError {
    /// A longitude or latitude was NaN or infinite.
    #[error("coordinate is not finite: lon {lon_deg}, lat {lat_deg} (degrees)")]
    NonFinite {
        /// Longitude as given, degrees.
        lon_deg: f64,
        /// Latitude as given, degrees.
        lat_deg: f64,
    },
    /// Latitude outside -90..=90 degrees.
    #[error(
        "latitude {lat_deg} is outside -90..=90 degrees (lon {lon_deg}){}",
        swap_hint(*.looks_swapped)
    )]
    LatitudeOutOfRange {
        /// Longitude as given, degrees.
        lon_deg: f64,
        /// Latitude as given, degrees.
        lat_deg: f64,
        /// The longitude would have been a valid latitude: probably lat/lon order.
        looks_swapped: bool,
    },
    /// Longitude outside -180..=180 degrees.
    #[error("longitude {lon_deg} is outside -180..=180 degrees (lat {lat_deg})")]
    LongitudeOutOfRange {
        /// Longitude as given, degrees.
        lon_deg: f64,
        /// Latitude as given, degrees.
        lat_deg: f64,
    },
    /// A bounding box was asked for with no points.
    #[error("cannot make a bounding box from no points")]
    NoPoints,
    /// A bounding box whose south edge is north of its north edge.
    #[error("bounding box south edge {south_deg} is north of its north edge {north_deg}")]
    InvertedBox {
        /// South edge, degrees.
        south_deg: f64,
        /// North edge, degrees.
        north_deg: f64,
    },
    /// A UTM zone number outside 1..=60.
    #[error("UTM zone {zone} is outside 1..=60")]
    UtmZone {
        /// Zone as given.
        zone: u8,
    },
}

fn swap_hint(looks_swapped: bool) -> &'static str {
    if looks_swapped {
        "; the values look swapped: LonLat takes longitude first (GeoJSON order)"
    } else {
        ""
    }
}
