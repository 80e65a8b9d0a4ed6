//! Geometry for anywhere: WGS84 [`LonLat`] points, planar [`Xy`] points in
//! metres, and a [`Crs`] chosen at load time to go between them.
//!
//! [`Crs::choose_for`] picks the British National Grid for data inside Great
//! Britain and a transverse Mercator centred on the data elsewhere, so that
//! planar distances are within a small, known factor
//! ([`Crs::scale_factor_at`]) of distances on the ground.
//!
//! ```
//! use travel_impact::geom::{Crs, LonLat, LonLatBox};
//!
//! let stops = [LonLat::checked(-0.81, 51.82)?, LonLat::checked(-0.75, 51.63)?];
//! let crs = Crs::choose_for(&LonLatBox::from_points(&stops)?);
//! assert_eq!(crs, Crs::BritishNationalGrid);
//! let (a, b) = (crs.forward(stops[0]), crs.forward(stops[1]));
//! // Grid length over the scale factor at the midpoint = ground length.
//! let ground_m = a.distance_m(b) / crs.scale_factor_at(LonLat::new(-0.78, 51.725));
//! // The WGS84 geodesic is 21542.505 m (pyproj Geod(ellps="WGS84").inv).
//! assert!((ground_m - 21_542.505).abs() < 0.005);
//! # Ok::<(), travel_impact::geom::GeomError>(())
//! ```

mod bbox;
mod crs;
mod error;
mod osgb;
mod point;
mod tm;

pub use bbox::LonLatBox;
pub use crs::Crs;
pub use error::GeomError;
pub use point::{LonLat, Xy};
