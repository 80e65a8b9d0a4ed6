//! The road network (junctions, roads and what the data says about them), travel profiles, and a
//! profile prepared on a network.

mod builder;
pub(crate) mod component;
pub(crate) mod cost;
mod model;
pub(crate) mod prepared;
mod profile;
mod road;
mod tags;

pub use builder::{NetworkBuilder, RoadSpec};
pub use component::ComponentInfo;
pub use model::Network;
pub use profile::{CarTimeModel, Profile, RoadMatch, Speed, SpeedFactor, SpeedRule};
pub(crate) use road::{End, polyline_length};
pub use road::{NodeId, Oneway, Road, RoadClass, RoadId};
pub use tags::Tags;
