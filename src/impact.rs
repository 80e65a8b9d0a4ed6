//! Before/after impact of a change of scenario, per origin: nearest facility, distance and time.

use std::sync::OnceLock;

use rayon::prelude::*;

use crate::component::{ComponentInfo, Components};
use crate::error::{Error, Result};
use crate::network::{Mode, Network};
use crate::origin::Origin;
use crate::route::{Objective, Reach, Search, Seed};
use crate::scenario::Scenario;
use crate::snap::{DEFAULT_MAX_SNAP_M, Snap, SnapError, SnapIndex};

/// Settings of an [`Engine`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EngineOptions {
    /// What "nearest" minimises. Default: distance.
    pub objective: Objective,
    /// Points further than this from every usable road are not snapped (metres). Default 1500.
    pub max_snap_m: f64,
    /// Roads in a component of fewer junctions than this (other than the mode's largest) are not
    /// snapped to, so nobody lands on an island by accident. Default 50; 0 allows every island.
    pub min_component_nodes: usize,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            objective: Objective::Distance,
            max_snap_m: DEFAULT_MAX_SNAP_M,
            min_component_nodes: 50,
        }
    }
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

/// Why an origin has no nearest facility.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum Unreachable {
    /// The origin itself is unusable: it is counted as rejected, not routed.
    #[error("origin rejected: {0}")]
    Rejected(InvalidOrigin),
    /// The origin could not be placed on the network.
    #[error("origin not snapped: {0}")]
    NotSnapped(SnapError),
    /// The scenario has no facility placed on the network for this mode.
    #[error("no facility of the scenario is on the network for this mode")]
    NoFacilityPlaced,
    /// Facilities are placed, but none can be reached from the origin in this mode.
    #[error("no facility reachable from the origin in this mode")]
    NoFacilityReachable,
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
            Unreachable::NoFacilityPlaced => "no facility placed for this mode",
            Unreachable::NoFacilityReachable => "no facility reachable",
        }
    }
}

/// An origin's nearest facility in one scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Access {
    /// Rank of the facility in its scenario (index into [`Scenario::facilities`]).
    pub facility: usize,
    /// Road distance including both access legs (metres).
    pub distance_m: f64,
    /// Travel time including both access legs at walking speed (seconds).
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

/// What became of one facility site in one mode.
#[derive(Debug, Clone, PartialEq)]
pub struct SitePlacement {
    /// Site id.
    pub site: String,
    /// Rank of its facility in the scenario.
    pub facility: usize,
    /// Where it landed, or why it did not.
    pub snap: std::result::Result<Snap, NotPlaced>,
}

/// A scenario whose sites are snapped and searched for one mode: ready to answer "nearest facility"
/// for any number of origins, each in constant time.
#[derive(Debug, Clone)]
pub struct PlacedScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// The mode it was placed for.
    pub mode: Mode,
    /// Every site, placed or not.
    pub sites: Vec<SitePlacement>,
    search: Search,
}

impl PlacedScenario {
    /// The underlying search.
    pub fn search(&self) -> &Search {
        &self.search
    }
    /// True if at least one site is on the network.
    pub fn any_placed(&self) -> bool {
        self.sites.iter().any(|s| s.snap.is_ok())
    }

    /// The facilities with no site on the network for this mode, each with its sites' reasons
    /// ("site: reason; ..."), in rank order. Every other facility has at least one site placed.
    pub fn unplaced_facilities(&self) -> Vec<(&str, String)> {
        self.scenario
            .facilities()
            .iter()
            .enumerate()
            .filter(|(rank, _)| {
                !self
                    .sites
                    .iter()
                    .any(|s| s.facility == *rank && s.snap.is_ok())
            })
            .map(|(rank, f)| {
                let why: Vec<String> = self
                    .sites
                    .iter()
                    .filter(|s| s.facility == rank)
                    .filter_map(|s| s.snap.as_ref().err().map(|e| (s, e)))
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
            self.mode
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

/// Network plus snap index, built once and reused for every scenario, mode and origin set.
///
/// ```
/// use travel_impact::{Engine, EngineOptions, NetworkBuilder, RoadSpec, NetworkOptions, Facilities,
///     Scenario, Origin, Mode};
/// use geo::coord;
/// // A 1 km street with a centre at its east end.
/// let mut b = NetworkBuilder::new();
/// b.node(1, coord! { x: 0.0, y: 0.0 }).node(2, coord! { x: 1000.0, y: 0.0 });
/// b.road(RoadSpec::new(1, 1, 2));
/// let engine = Engine::new(b.build(NetworkOptions::default()).unwrap(), EngineOptions::default());
/// # let dir = std::env::temp_dir().join(format!("ti-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// # let path = dir.join("f.csv");
/// std::fs::write(&path, "id,name,easting,northing\nc1,Centre,1000,0\n").unwrap();
/// let facilities = Facilities::from_csv(&path, None).unwrap();
/// let open = Scenario::new("open", &facilities, ["c1"]).unwrap();
/// let placed = engine.place(&open, Mode::Walk);
/// let home = Origin::new("home", coord! { x: 0.0, y: 30.0 });
/// let snap = engine.snap(home.point, Mode::Walk);
/// let access = engine.nearest(&placed, &snap).unwrap();
/// assert_eq!(access.distance_m, 1030.0); // 30 m access leg + 1000 m of road
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    network: Network,
    components: [Components; 2],
    /// Per mode: the roads a point may snap to (usable, not on a small island). Built on first use.
    snappable: [OnceLock<SnapIndex>; 2],
    /// Per mode: the usable roads on small islands; only for explaining failed snaps.
    islands: [OnceLock<SnapIndex>; 2],
    options: EngineOptions,
}

impl Engine {
    /// Prepares `network` for snapping and routing. Components are found now; the per-mode
    /// R-trees are built on first use (or by [`Engine::prepare`]).
    pub fn new(network: Network, options: EngineOptions) -> Self {
        let components = Mode::ALL.map(|m| Components::new(&network, m));
        Self {
            network,
            components,
            snappable: Default::default(),
            islands: Default::default(),
            options,
        }
    }

    /// Checks the options, then builds the engine.
    pub fn try_new(network: Network, options: EngineOptions) -> Result<Self> {
        if !(options.max_snap_m.is_finite() && options.max_snap_m >= 0.0) {
            return Err(Error::InvalidOption {
                option: "max_snap_m",
                message: format!("{} is not a distance", options.max_snap_m),
            });
        }
        Ok(Self::new(network, options))
    }

    /// Builds `mode`'s snap index now rather than on the first snap (for timing, or before
    /// sharing the engine between threads).
    pub fn prepare(&self, mode: Mode) -> &SnapIndex {
        self.snap_index(mode)
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }
    /// The snap index of `mode`: segments of every road the mode may snap to.
    pub fn snap_index(&self, mode: Mode) -> &SnapIndex {
        self.snappable[mode as usize].get_or_init(|| {
            SnapIndex::with_roads(&self.network, |road| self.snappable_road(mode, road))
        })
    }
    /// The options.
    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    /// The components of `mode`'s graph.
    pub fn components(&self, mode: Mode) -> &Components {
        &self.components[mode as usize]
    }

    /// The component a snapped point landed in.
    pub fn component(&self, snap: &Snap, mode: Mode) -> ComponentInfo {
        self.components(mode).of_road(&self.network, snap.road)
    }

    fn snappable_road(&self, mode: Mode, road: usize) -> bool {
        self.network.usable(mode, road) && {
            let c = self.components(mode).of_road(&self.network, road);
            c.largest || c.nodes >= self.options.min_component_nodes
        }
    }

    /// Snaps one point for `mode` within the engine's radius, onto a road usable by the mode and
    /// not on a small island (see [`EngineOptions::min_component_nodes`]). When that fails, the error
    /// says whether only an island was near, or whether the coordinates look swapped.
    pub fn snap(&self, point: crate::BngCoord, mode: Mode) -> std::result::Result<Snap, SnapError> {
        let radius = self.options.max_snap_m;
        let err = match self.snap_index(mode).nearest(point, radius) {
            Ok(s) => return Ok(s),
            Err(e @ SnapError::NotFinite) => return Err(e),
            Err(e) => e,
        };
        let islands = self.islands[mode as usize].get_or_init(|| {
            SnapIndex::with_roads(&self.network, |r| {
                self.network.usable(mode, r) && !self.snappable_road(mode, r)
            })
        });
        if let Ok(s) = islands.nearest(point, radius) {
            return Err(SnapError::Island {
                nodes: self.component(&s, mode).nodes,
                distance_m: s.distance_m,
            });
        }
        let swapped = crate::BngCoord {
            x: point.y,
            y: point.x,
        };
        if let Ok(s) = self.snap_index(mode).nearest(swapped, radius) {
            return Err(SnapError::LooksSwapped {
                distance_m: s.distance_m,
            });
        }
        Err(err)
    }

    /// Road distance and time from one point to another (both snapped for `mode`).
    ///
    /// Runs a full search for one pair: for many origins, [`Engine::place`] once and
    /// [`Engine::nearest`] per origin instead.
    pub fn route(&self, from: crate::BngCoord, to: crate::BngCoord, mode: Mode) -> Outcome {
        let origin = self.snap(from, mode).map_err(Unreachable::NotSnapped)?;
        let target = self
            .snap(to, mode)
            .map_err(|_| Unreachable::NoFacilityPlaced)?;
        let search = Search::run(
            &self.network,
            mode,
            self.options.objective,
            &[Seed {
                snap: target,
                label: 0,
            }],
        );
        search
            .reach(&self.network, &origin)
            .map(|r| Access {
                facility: 0,
                distance_m: r.distance_m,
                time_s: r.time_s,
            })
            .ok_or(Unreachable::NoFacilityReachable)
    }

    /// Snaps every site of `scenario` for `mode` and runs one multi-source search from them.
    pub fn place(&self, scenario: &Scenario, mode: Mode) -> PlacedScenario {
        let mut sites = Vec::new();
        let mut seeds = Vec::new();
        for (rank, facility) in scenario.facilities().iter().enumerate() {
            for site in &facility.sites {
                let snap = match &site.location {
                    crate::Location::At(p) => self.snap(*p, mode).map_err(NotPlaced::Snap),
                    crate::Location::NotLocated(why) => Err(NotPlaced::NotLocated(why.clone())),
                };
                if let Ok(s) = snap {
                    seeds.push(Seed {
                        snap: s,
                        label: rank as u32,
                    });
                }
                sites.push(SitePlacement {
                    site: site.id.clone(),
                    facility: rank,
                    snap,
                });
            }
        }
        let search = Search::run(&self.network, mode, self.options.objective, &seeds);
        PlacedScenario {
            scenario: scenario.clone(),
            mode,
            sites,
            search,
        }
    }

    /// Nearest facility of a placed scenario from an origin's snap (or the reason there is none).
    pub fn nearest(
        &self,
        placed: &PlacedScenario,
        snap: &std::result::Result<Snap, SnapError>,
    ) -> Outcome {
        let snap = snap.map_err(Unreachable::NotSnapped)?;
        if !placed.any_placed() {
            return Err(Unreachable::NoFacilityPlaced);
        }
        placed
            .search
            .reach(&self.network, &snap)
            .map(|r: Reach| Access {
                facility: r.label as usize,
                distance_m: r.distance_m,
                time_s: r.time_s,
            })
            .ok_or(Unreachable::NoFacilityReachable)
    }

    /// Before and after for every origin in one mode: snaps the origins, runs one search per
    /// scenario, then looks every origin up (in parallel, results in input order).
    pub fn impact<'o>(
        &self,
        origins: &'o [Origin],
        before: &Scenario,
        after: &Scenario,
        mode: Mode,
    ) -> Impact<'o> {
        let snaps = self.snap_origins(origins, mode);
        let before = self.place(before, mode);
        let after = self.place(after, mode);
        self.impact_placed(origins, &snaps, before, after)
            .expect("snaps and scenarios were made for these origins and this mode")
    }

    /// Snaps every origin for `mode` in parallel (input order kept). Origins with non-finite
    /// coordinates get [`SnapError::NotFinite`].
    pub fn snap_origins(
        &self,
        origins: &[Origin],
        mode: Mode,
    ) -> Vec<std::result::Result<Snap, SnapError>> {
        origins
            .par_iter()
            .map(|o| self.snap(o.point, mode))
            .collect()
    }

    /// [`Engine::impact`] from parts made earlier, so that snaps and placed scenarios can be reused
    /// across many comparisons: each extra scenario then costs one search plus lookups.
    /// `snaps` must come from [`Engine::snap_origins`] for the same origins and the scenarios'
    /// mode.
    pub fn impact_placed<'o>(
        &self,
        origins: &'o [Origin],
        snaps: &[std::result::Result<Snap, SnapError>],
        before: PlacedScenario,
        after: PlacedScenario,
    ) -> Result<Impact<'o>> {
        if snaps.len() != origins.len() {
            return Err(Error::InvalidOption {
                option: "snaps",
                message: format!("{} snaps for {} origins", snaps.len(), origins.len()),
            });
        }
        if before.mode != after.mode {
            return Err(Error::InvalidOption {
                option: "after",
                message: format!("placed for {}, before for {}", after.mode, before.mode),
            });
        }
        // Per "before" facility: is it missing from "after"?
        let closes: Vec<bool> = before
            .scenario
            .facilities()
            .iter()
            .map(|f| !after.scenario.contains(&f.id))
            .collect();
        // Each row depends only on its origin, so the parallel map gives the same rows, in input
        // order, whatever the thread count.
        let rows = origins
            .par_iter()
            .zip(snaps.par_iter())
            .enumerate()
            .map(|(i, (o, snap))| {
                if let Some(bad) = invalid(o) {
                    let e = Err(Unreachable::Rejected(bad));
                    return OriginImpact {
                        origin: i,
                        snap: *snap,
                        before: e,
                        after: e,
                        closed: false,
                    };
                }
                let b = self.nearest(&before, snap);
                let a = self.nearest(&after, snap);
                OriginImpact {
                    origin: i,
                    snap: *snap,
                    before: b,
                    after: a,
                    closed: b.is_ok_and(|b| closes[b.facility]),
                }
            })
            .collect();
        Ok(Impact {
            origins,
            mode: before.mode,
            objective: self.options.objective,
            before,
            after,
            rows,
        })
    }
}

fn invalid(o: &Origin) -> Option<InvalidOrigin> {
    if !o.point.x.is_finite() || !o.point.y.is_finite() {
        Some(InvalidOrigin::Coordinates)
    } else if !(o.weight.is_finite() && o.weight >= 0.0) {
        Some(InvalidOrigin::Weight)
    } else {
        None
    }
}

/// One origin's before and after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OriginImpact {
    /// Index into the origins.
    pub origin: usize,
    /// Where the origin snapped.
    pub snap: std::result::Result<Snap, SnapError>,
    /// Nearest facility before.
    pub before: Outcome,
    /// Nearest facility after.
    pub after: Outcome,
    /// The nearest facility before is not open after.
    pub closed: bool,
}

impl OriginImpact {
    /// Extra metres after the change (both reached).
    pub fn change_m(&self) -> Option<f64> {
        match (self.before, self.after) {
            (Ok(b), Ok(a)) => Some(a.distance_m - b.distance_m),
            _ => None,
        }
    }
    /// Extra seconds after the change (both reached).
    pub fn change_s(&self) -> Option<f64> {
        match (self.before, self.after) {
            (Ok(b), Ok(a)) => Some(a.time_s - b.time_s),
            _ => None,
        }
    }
}

/// The before/after result for a set of origins in one mode.
#[derive(Debug, Clone)]
pub struct Impact<'o> {
    /// The origins, as given.
    pub origins: &'o [Origin],
    /// Mode.
    pub mode: Mode,
    /// Objective used.
    pub objective: Objective,
    /// The "before" scenario, placed.
    pub before: PlacedScenario,
    /// The "after" scenario, placed.
    pub after: PlacedScenario,
    /// One row per origin, in input order.
    pub rows: Vec<OriginImpact>,
}

impl Impact<'_> {
    /// Id of the facility an outcome reached in the "before" scenario.
    pub fn before_facility(&self, row: &OriginImpact) -> Option<&str> {
        row.before
            .ok()
            .map(|a| self.before.scenario.facilities()[a.facility].id.as_str())
    }
    /// Id of the facility an outcome reached in the "after" scenario.
    pub fn after_facility(&self, row: &OriginImpact) -> Option<&str> {
        row.after
            .ok()
            .map(|a| self.after.scenario.facilities()[a.facility].id.as_str())
    }

    /// The `n` rows with the largest distance increase, largest first (ties: input order).
    pub fn largest_increases(&self, n: usize) -> Vec<&OriginImpact> {
        let mut rows: Vec<&OriginImpact> = self
            .rows
            .iter()
            .filter(|r| r.change_m().is_some())
            .collect();
        rows.sort_by(|a, b| {
            b.change_m()
                .unwrap()
                .total_cmp(&a.change_m().unwrap())
                .then(a.origin.cmp(&b.origin))
        });
        rows.truncate(n);
        rows
    }
}
