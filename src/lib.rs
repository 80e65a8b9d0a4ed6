//! # travel-impact
//!
//! When a service closes sites, how much further do the people it serves have to travel, and who
//! bears it? This crate loads facilities, homes and a road network, snaps every point to the
//! nearest road segment, finds each origin's nearest facility with one multi-source Dijkstra per
//! scenario and travel profile, and summarises the before/after change weighted by population.
//!
//! The pipeline, one folder each: `load` (facilities, origins, scenarios, networks from files) →
//! `network` (roads as the data describes them; travel [`Profile`]s) → `engine` (profiles prepared
//! into flat graphs; snapping, searching, routing) → `analysis` ([`Impact`], [`Summary`], circuity
//! flags, [`equity`] measures) → `export` ([`report`] tables, CSV). Geometry lives in [`geom`]; Great Britain's data in
//! [`uk`]; the bundled Buckinghamshire case in [`study`].
//!
//! ```
//! use travel_impact::{Engine, EngineOptions, Facilities, NetworkBuilder, Objective, Origin,
//!     RoadSpec, Scenario, geom::Xy};
//!
//! let mut roads = NetworkBuilder::new();
//! roads.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(3000.0, 0.0));
//! roads.road(RoadSpec::new(1, 1, 2).speed_kmh(48.0));
//! let engine = Engine::new(roads.build()?, EngineOptions::default());
//! let sites = Facilities::from_points([("a", Xy::new(0.0, 0.0)), ("b", Xy::new(3000.0, 0.0))])?;
//! let (before, after) = (Scenario::new("both", &sites, ["a", "b"])?, Scenario::new("a", &sites, ["a"])?);
//! let homes = [Origin::new("h", Xy::new(2500.0, 0.0))];
//! let impact = engine.impact(&homes, &before, &after, "walk", Objective::Distance)?;
//! assert_eq!(impact.summary().change_m.mean, 2000.0); // 500 m -> 2500 m
//! # Ok::<(), travel_impact::Error>(())
//! ```

mod analysis;
mod engine;
mod error;
mod export;
pub mod geom;
mod load;
mod network;
mod once;
mod prefetch;
mod random;
#[cfg(feature = "uk")]
pub mod study;
#[cfg(feature = "uk")]
pub mod uk;

/// The README's code, compiled and run as a doctest so it cannot go stale.
#[doc = include_str!("../README.md")]
#[cfg(all(doctest, feature = "uk"))]
pub struct ReadmeDoctests;

pub use analysis::{
    Catchment, Circuity, CircuityRule, CostMatrix, Distribution, Equity, Goal, Impact, Measure,
    NODE_BUDGET, OriginImpact, Outcomes, Reassignment, Selection, Side, Summary, WITHIN_M,
    WITHIN_S,
};
pub use analysis::{equity, select, uncertainty};
pub use engine::{
    Access, CostMap, Engine, EngineOptions, Fallbacks, InvalidOrigin, MAX_SNAP_LIMIT_M, NotPlaced,
    Objective, Outcome, PlacedScenario, Position, Route, RouteError, Router, SitePlacement,
    SnapError, Snaps, Trip, Unreachable,
};
pub use error::{Error, Result};
pub use export::{
    ImpactReport, Map, MapMeasure, MapOptions, REPORT_SECTIONS, ReportInputs, UK_ATTRIBUTION,
    report, write_catchments_to, write_csv, write_csv_to, write_geojson_to, write_nearest_to,
    write_reassignment_to, write_summaries_to,
};
pub use load::{
    Area, Boundaries, Boundary, Facilities, Facility, FacilityIdx, Geocoded, Geocoder, Groups,
    HighwaySpeed, LoadedOrigins, Location, Locator, Origin, OsmOptions, OsmReport, OsmSpeeds,
    ProfileReport, Rejected, Scenario, Site, SpeedSources, origins_from_csv, origins_from_reader,
};
pub use network::{
    CarTimeModel, ComponentInfo, Network, NetworkBuilder, NodeId, Oneway, Profile, Road, RoadClass,
    RoadId, RoadMatch, RoadSpec, Speed, SpeedFactor, SpeedRule, Tags,
};
pub use random::SplitMix64;
