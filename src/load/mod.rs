//! What goes in: facilities, scenarios and origins, their CSV readers, one location resolver with a
//! [`Geocoder`] hook, and the road-network readers (CSV, OpenStreetMap PBF).

mod boundaries;
pub(crate) mod facilities_csv;
pub(crate) mod facility;
pub(crate) mod locate;
mod network_csv;
pub(crate) mod origin;
pub(crate) mod origins_csv;
mod osm;
pub(crate) mod scenario;
mod sharing;
pub(crate) mod table;

pub use boundaries::{Boundaries, Boundary};
pub use facility::{Facilities, Location, Site};
pub use locate::{Geocoded, Geocoder, Locator};
pub use origin::{Groups, Origin};
pub use origins_csv::{LoadedOrigins, Rejected, origins_from_csv, origins_from_reader};
pub use osm::{Area, HighwaySpeed, OsmOptions, OsmReport, OsmSpeeds, ProfileReport, SpeedSources};
pub use scenario::{Facility, FacilityIdx, Scenario};
