//! What the data says about one road: class, speed, one-way, name, tags and shape. No travel mode
//! is decided here; a [`Profile`](crate::Profile) reads these facts.

use std::fmt;
use std::sync::Arc;

use super::tags::Tags;
use crate::geom::Xy;

/// Index of a junction in its [`Network`](crate::Network).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

/// One end of a road: the junction a traveller leaves it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// Its `to` junction.
    To = 0,
    /// Its `from` junction.
    From = 1,
}

/// Index of a road in its [`Network`](crate::Network) (input order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoadId(u32);

macro_rules! index_type {
    ($t:ident) => {
        impl $t {
            /// From a position in the network's list.
            pub const fn new(index: usize) -> Self {
                Self(index as u32)
            }
            /// Position in the network's list.
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
index_type!(NodeId);
index_type!(RoadId);

/// Road class, in OpenStreetMap's `highway` vocabulary (the common language of routing data).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum RoadClass {
    /// Motorway (and its links).
    Motorway,
    /// Trunk road.
    Trunk,
    /// Primary road.
    Primary,
    /// Secondary road.
    Secondary,
    /// Tertiary road.
    Tertiary,
    /// Unclassified minor road.
    Unclassified,
    /// Residential street.
    Residential,
    /// Service road.
    Service,
    /// Living street.
    LivingStreet,
    /// Pedestrian street.
    Pedestrian,
    /// Track.
    Track,
    /// Footway.
    Footway,
    /// Cycleway.
    Cycleway,
    /// Path.
    Path,
    /// Steps.
    Steps,
    /// Anything else, or not stated.
    Other,
}

impl RoadClass {
    /// Every class, in order.
    pub const ALL: [RoadClass; 16] = [
        Self::Motorway,
        Self::Trunk,
        Self::Primary,
        Self::Secondary,
        Self::Tertiary,
        Self::Unclassified,
        Self::Residential,
        Self::Service,
        Self::LivingStreet,
        Self::Pedestrian,
        Self::Track,
        Self::Footway,
        Self::Cycleway,
        Self::Path,
        Self::Steps,
        Self::Other,
    ];

    /// The OSM `highway` value ("motorway", "living_street", …; "other" for [`RoadClass::Other`]).
    pub fn name(self) -> &'static str {
        match self {
            Self::Motorway => "motorway",
            Self::Trunk => "trunk",
            Self::Primary => "primary",
            Self::Secondary => "secondary",
            Self::Tertiary => "tertiary",
            Self::Unclassified => "unclassified",
            Self::Residential => "residential",
            Self::Service => "service",
            Self::LivingStreet => "living_street",
            Self::Pedestrian => "pedestrian",
            Self::Track => "track",
            Self::Footway => "footway",
            Self::Cycleway => "cycleway",
            Self::Path => "path",
            Self::Steps => "steps",
            Self::Other => "other",
        }
    }

    /// Parses an OSM `highway` value (`*_link` counts as its road).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.strip_suffix("_link").unwrap_or(s);
        Self::ALL.into_iter().find(|c| c.name() == s)
    }
}

impl fmt::Display for RoadClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which way traffic bound by one-way rules may go along a road (walkers may ignore it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Oneway {
    /// Both ways.
    #[default]
    No,
    /// Only from its `from` junction to its `to` junction.
    Forward,
    /// Only from `to` to `from`.
    Backward,
}

impl Oneway {
    /// An OpenStreetMap one-way value (`oneway`, `oneway:bicycle`, …): `yes`, `true` or `1` is
    /// [`Oneway::Forward`] (the way's drawing direction), `-1` or `reverse` is
    /// [`Oneway::Backward`], `no`, `false` or `0` is [`Oneway::No`]. Anything else (`reversible`,
    /// `alternating`: the direction changes with the time of day) is `None`.
    ///
    /// ```
    /// use travel_impact::Oneway;
    /// assert_eq!(Oneway::from_osm("-1"), Some(Oneway::Backward));
    /// assert_eq!(Oneway::from_osm("reversible"), None);
    /// ```
    pub fn from_osm(value: &str) -> Option<Self> {
        match value {
            "yes" | "true" | "1" => Some(Self::Forward),
            "-1" | "reverse" => Some(Self::Backward),
            "no" | "false" | "0" => Some(Self::No),
            _ => None,
        }
    }
}

/// One road between two junctions, as the data describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Road {
    /// The id in the source data.
    pub id: u64,
    /// Start junction.
    pub from: NodeId,
    /// End junction.
    pub to: NodeId,
    /// Length along the road, metres.
    pub length_m: f64,
    /// Class.
    pub class: RoadClass,
    /// Speed the data gives for motor traffic (km/h); 0 when it gives none.
    pub speed_kmh: f64,
    /// One-way rule for traffic that obeys it.
    pub oneway: Oneway,
    /// Street name and reference, as in the source ("Wendover Road, A413"); shared between
    /// roads of the same name.
    pub name: Arc<str>,
    /// Any other facts, as `key=value` (OSM style: `motor_vehicle=no`, `foot=yes`, …).
    pub tags: Tags,
    /// Shape from `from` to `to`: at least two points, in the network's CRS.
    pub geometry: Vec<Xy>,
}

impl Road {
    /// The value of tag `key`, if present.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags.get(key)
    }
}

/// Planar length of a polyline, metres.
pub(crate) fn polyline_length(points: &[Xy]) -> f64 {
    points.windows(2).map(|w| w[0].distance_m(w[1])).sum()
}
