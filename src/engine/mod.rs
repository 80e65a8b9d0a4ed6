//! Snapping, searching and routing on prepared profiles.

#[allow(clippy::module_inception)]
mod engine;
mod k_nearest;
pub(crate) mod placed;
mod route;
pub(crate) mod search;
pub(crate) mod snap;
pub(crate) mod snaps;

pub use engine::{Engine, EngineOptions, MAX_SNAP_LIMIT_M, RouteError, Router};
pub use k_nearest::Fallbacks;
pub use placed::{
    Access, InvalidOrigin, NotPlaced, Outcome, PlacedScenario, SitePlacement, Unreachable,
};
pub use route::{CostMap, Route, Trip};
pub use search::Objective;
pub use snap::{Position, SnapError};
pub use snaps::Snaps;
