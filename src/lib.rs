//! # travel-impact
//!
//! When a service closes sites, how much further do the people it serves have to travel, and who
//! bears it? This crate loads facilities, homes and a road network, snaps every point to the
//! nearest road segment, finds each origin's nearest facility with one multi-source Dijkstra per
//! scenario and mode, and summarises the before/after change weighted by population.
//!
//! All geometry is in British National Grid metres (EPSG:27700).
//!
//! ```
//! use travel_impact::{bucks::Bucks, Engine, EngineOptions, Mode, origin::{Population, Imd}};
//!
//! let bucks = Bucks::load()?;
//! let engine = Engine::new(bucks.network.clone(), EngineOptions::default());
//! let origins = bucks.lsoa_origins(Population::Under5Mid2017, Imd::Imd2015);
//! let before = bucks.scenario("centres-2017")?;
//! let after = bucks.scenario("hubs-2017")?;
//! let impact = engine.impact(&origins, &before, &after, Mode::Walk);
//! let s = impact.summary();
//! assert!(s.after.distance_m.mean > s.before.distance_m.mean);
//! println!("{}", travel_impact::report::summary(&impact, "children 0-4"));
//! # Ok::<(), travel_impact::Error>(())
//! ```

pub mod bucks;
pub mod component;
mod cost;
pub mod district;
pub mod error;
pub mod facility;
pub mod geom;
pub mod impact;
mod locate;
pub mod network;
pub mod origin;
pub mod postcode;
pub mod projection;
pub mod report;
pub mod route;
pub mod scenario;
pub mod snap;
pub mod summary;
pub mod synthetic;
mod table;

/// The README's code, compiled and run as a doctest so it cannot go stale.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use component::ComponentInfo;
pub use district::District;
pub use error::{Error, Result};
pub use facility::{Facilities, Location, Site};
pub use impact::{
    Access, Engine, EngineOptions, Impact, InvalidOrigin, OriginImpact, Outcome, PlacedScenario,
    Unreachable,
};
pub use network::{Mode, Network, NetworkBuilder, NetworkOptions, Road, RoadClass, RoadSpec};
pub use origin::{LoadedOrigins, Lsoa, Origin, Rejected, origins_from_csv, origins_from_reader};
pub use postcode::PostcodeDirectory;
pub use projection::BngCoord;
pub use route::{Objective, Reach, Search, Seed};
pub use scenario::{Facility, Scenario};
pub use snap::{Snap, SnapError, SnapIndex};
pub use summary::{Distribution, Summary};
