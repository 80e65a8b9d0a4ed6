//! A scenario placed for one profile and objective, and the answers it gives.

use crate::engine::Objective;
use crate::engine::search::Nearest;
use crate::engine::snap::{Position, SnapError};
use crate::load::{FacilityIdx, Scenario};

/// Why an origin has no nearest facility.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum Unreachable {
    /// The origin itself is unusable: it is counted as rejected, not routed.
    #[error("origin rejected: {0}")]
    Rejected(InvalidOrigin),
    /// The origin could not be placed on the network.
    #[error("origin not snapped: {0}")]
    NotSnapped(SnapError),
    /// The scenario has no facility placed on the network for this profile.
    #[error("no facility of the scenario is on the network for this profile")]
    NoFacilityPlaced,
    /// Facilities are placed, but none can be reached from the origin with this profile.
    #[error("no facility reachable from the origin with this profile")]
    NoFacilityReachable,
}

/// What is wrong with an origin that was rejected before routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidOrigin {
    /// NaN or infinite coordinates.
    #[error("coordinates are not finite")]
    Coordinates,
    /// NaN, infinite or negative weight.
    #[error("weight is not a finite number >= 0")]
    Weight,
}

impl Unreachable {
    /// A short label of the reason, without the numbers: for counting origins by reason.
    pub fn kind(&self) -> &'static str {
        match self {
            Unreachable::Rejected(InvalidOrigin::Coordinates) => "rejected: coordinates not finite",
            Unreachable::Rejected(InvalidOrigin::Weight) => "rejected: invalid weight",
            Unreachable::NotSnapped(SnapError::NotFinite) => "not snapped: coordinates not finite",
            Unreachable::NotSnapped(SnapError::TooFar { .. }) => {
                "not snapped: no usable road within the radius"
            }
            Unreachable::NotSnapped(SnapError::Island { .. }) => {
                "not snapped: only a small island nearby"
            }
            Unreachable::NotSnapped(SnapError::LooksSwapped { .. }) => {
                "not snapped: easting/northing look swapped"
            }
            Unreachable::NoFacilityPlaced => "no facility placed for this profile",
            Unreachable::NoFacilityReachable => "no facility reachable",
        }
    }
}

/// An origin's nearest facility in one scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Access {
    /// The facility.
    pub facility: FacilityIdx,
    /// Road distance including both access legs (metres).
    pub distance_m: f64,
    /// Travel time including both access legs at walking speed and any door-to-door overheads
    /// (seconds).
    pub time_s: f64,
}

/// Either the nearest facility or the reason there is none.
pub type Outcome = std::result::Result<Access, Unreachable>;

/// Why a facility site is not on the network.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotPlaced {
    /// The site has no location (the reason from the data).
    #[error("not located: {0}")]
    NotLocated(String),
    /// The site is too far from any usable road.
    #[error("{0}")]
    Snap(SnapError),
}

/// What became of one facility site.
#[derive(Debug, Clone, PartialEq)]
pub struct SitePlacement {
    /// Site id.
    pub site: String,
    /// Its facility.
    pub facility: FacilityIdx,
    /// Where it landed, or why it did not.
    pub at: std::result::Result<Position, NotPlaced>,
}

/// A scenario whose sites are snapped and searched for one profile and objective: ready to answer
/// "nearest facility" for any number of origins, each in constant time.
#[derive(Debug, Clone)]
pub struct PlacedScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// The profile it was placed for.
    pub profile: String,
    /// Every site, placed or not.
    pub sites: Vec<SitePlacement>,
    /// Shared: every [`Outcomes`](crate::Outcomes) keeps its placed scenario, and the search's
    /// tables are the bulk of it.
    pub(crate) search: std::sync::Arc<Nearest>,
}

impl PlacedScenario {
    /// The objective searched.
    pub fn objective(&self) -> Objective {
        self.search.objective()
    }
    /// True if at least one site is on the network.
    pub fn any_placed(&self) -> bool {
        self.sites.iter().any(|s| s.at.is_ok())
    }

    /// The facilities with no site on the network for this profile, each with its sites' reasons
    /// ("site: reason; ..."), in rank order. Every other facility has at least one site placed.
    pub fn unplaced_facilities(&self) -> Vec<(&str, String)> {
        self.scenario
            .facilities()
            .iter()
            .enumerate()
            .map(|(rank, f)| (FacilityIdx::new(rank), f))
            .filter(|(idx, _)| {
                !self
                    .sites
                    .iter()
                    .any(|s| s.facility == *idx && s.at.is_ok())
            })
            .map(|(idx, f)| {
                let why: Vec<String> = self
                    .sites
                    .iter()
                    .filter(|s| s.facility == idx)
                    .filter_map(|s| s.at.as_ref().err().map(|e| (s, e)))
                    .map(|(s, e)| {
                        if s.site == f.id {
                            e.to_string()
                        } else {
                            format!("{}: {e}", s.site)
                        }
                    })
                    .collect();
                (f.id.as_str(), why.join("; "))
            })
            .collect()
    }

    /// "N of M facilities placed" and, where some are not, which and why: one line for reports.
    pub fn placement_line(&self) -> String {
        let total = self.scenario.facilities().len();
        let missing = self.unplaced_facilities();
        let mut line = format!(
            "{}: {} of {} facilities on the network ({})",
            self.scenario.name(),
            total - missing.len(),
            total,
            self.profile
        );
        if !missing.is_empty() {
            line.push_str("; not placed: ");
            line.push_str(
                &missing
                    .iter()
                    .map(|(id, why)| format!("{id} ({why})"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        if total == missing.len() {
            line.push_str(" -- NO FACILITY IS PLACED, so no origin can reach one");
        }
        line
    }
}
