//! The engine: a network with any number of prepared profiles, and a [`Router`] per profile that
//! snaps, places scenarios and routes.

use std::sync::OnceLock;

use rayon::prelude::*;

use crate::engine::placed::{
    Access, NotPlaced, Outcome, PlacedScenario, SitePlacement, Unreachable,
};
use crate::engine::route::{CostMap, Route};
use crate::engine::search::{Legs, Nearest, Objective, Seed, Spot};
use crate::engine::snap::{CellList, DEFAULT_MAX_SNAP_M, Position, SnapError, SnapIndex};
use crate::engine::snaps::{Packed, Snaps};
use crate::error::{Error, Result};
use crate::geom::Xy;
use crate::load::origin::Prints;
use crate::load::{FacilityIdx, Location, Origin, Scenario};
use crate::network::prepared::ProfileGraph;
use crate::network::{ComponentInfo, Network, NodeId, Profile, RoadId};
use crate::once::made_once;
use crate::prefetch::{AHEAD, prefetch};

/// Points per parallel task of a bulk snap: enough that a cell's run is rarely split.
const SNAP_CHUNK: usize = 4096;
/// Points of one cell, in a row, from which a bulk snap lists the cell's candidates once
/// rather than searching rings of cells for each (see `CellList`).
const MIN_RUN: usize = 4;

/// The largest snapping radius accepted (metres).
pub const MAX_SNAP_LIMIT_M: f64 = 4_000_000.0;

/// Settings of an [`Engine`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EngineOptions {
    /// Points further than this from every usable road are not snapped (metres). Default 1500;
    /// at most [`MAX_SNAP_LIMIT_M`].
    pub max_snap_m: f64,
    /// Roads in a component of fewer junctions than this (other than the profile's largest) are not
    /// snapped to, so nobody lands on an island by accident. Default 50; 0 allows every island.
    pub min_component_nodes: usize,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            max_snap_m: DEFAULT_MAX_SNAP_M,
            min_component_nodes: 50,
        }
    }
}

/// One profile prepared on the engine's network, with its snap indexes (built on first use).
#[derive(Debug)]
struct Prepared {
    graph: ProfileGraph,
    /// Roads a point may snap to: usable and not on a small island.
    snappable: OnceLock<SnapIndex>,
    /// Usable roads on small islands; only for explaining failed snaps.
    islands: OnceLock<SnapIndex>,
}

/// A network and its prepared profiles, built once and reused for every query.
///
/// ```
/// use travel_impact::{Engine, EngineOptions, NetworkBuilder, RoadSpec, Objective, geom::Xy};
/// // A 1 km street.
/// let mut b = NetworkBuilder::new();
/// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(1000.0, 0.0));
/// b.road(RoadSpec::new(1, 1, 2));
/// let engine = Engine::new(b.build()?, EngineOptions::default());
/// let walk = engine.profile("walk")?;
/// let route = walk.route(Xy::new(0.0, 30.0), Xy::new(1000.0, 0.0), Objective::Distance)?;
/// assert_eq!(route.distance_m, 1030.0); // 30 m access leg + 1000 m of road
/// assert_eq!(route.access_in_m, 30.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Engine {
    network: Network,
    profiles: Vec<Prepared>,
    options: EngineOptions,
}

impl Engine {
    /// Prepares `network` for the built-in `drive` and `walk` profiles ([`Profile::drive`],
    /// [`Profile::walk`]).
    pub fn new(network: Network, options: EngineOptions) -> Self {
        Self::with_profiles(network, options, [Profile::drive(), Profile::walk()])
            .expect("the presets and default-like options are valid")
    }

    /// Prepares `network` for the given profiles, after checking them and the options.
    pub fn with_profiles(
        network: Network,
        options: EngineOptions,
        profiles: impl IntoIterator<Item = Profile>,
    ) -> Result<Self> {
        if !(options.max_snap_m.is_finite() && options.max_snap_m >= 0.0) {
            return Err(Error::InvalidOption {
                option: "max_snap_m",
                message: format!("{} is not a distance", options.max_snap_m),
            });
        }
        // Access legs are kept in whole millimetres in 32 bits.
        if options.max_snap_m > MAX_SNAP_LIMIT_M {
            return Err(Error::InvalidOption {
                option: "max_snap_m",
                message: format!(
                    "{} m is more than the {MAX_SNAP_LIMIT_M} m this engine allows",
                    options.max_snap_m
                ),
            });
        }
        let mut engine = Self {
            network,
            profiles: Vec::new(),
            options,
        };
        for p in profiles {
            engine.add_profile(p)?;
        }
        Ok(engine)
    }

    /// Prepares one more profile. Its name must be new.
    pub fn add_profile(&mut self, profile: Profile) -> Result<()> {
        profile.validate().map_err(|message| Error::InvalidOption {
            option: "profile",
            message,
        })?;
        if self
            .profiles
            .iter()
            .any(|p| p.graph.profile.name == profile.name)
        {
            return Err(Error::InvalidOption {
                option: "profile",
                message: format!("a profile named `{}` is already prepared", profile.name),
            });
        }
        self.profiles.push(Prepared {
            graph: ProfileGraph::new(&self.network, profile),
            snappable: OnceLock::new(),
            islands: OnceLock::new(),
        });
        Ok(())
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }
    /// The options.
    pub fn options(&self) -> &EngineOptions {
        &self.options
    }
    /// The prepared profiles, in the order they were added.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.iter().map(|p| &p.graph.profile)
    }

    /// Nearest facility of a placed scenario from a point snapped by the same profile: the
    /// placed scenario's router's [`Router::nearest`]. A scenario placed for a profile this engine
    /// does not have reaches nothing ([`Unreachable::NoFacilityPlaced`]).
    pub fn nearest(
        &self,
        placed: &PlacedScenario,
        at: &std::result::Result<Position, SnapError>,
    ) -> Outcome {
        match self.profile(&placed.profile) {
            Ok(router) => router.nearest(placed, at),
            Err(_) => Err(Unreachable::NoFacilityPlaced),
        }
    }

    /// The router of profile `name`.
    pub fn profile(&self, name: &str) -> Result<Router<'_>> {
        self.profiles
            .iter()
            .find(|p| p.graph.profile.name == name)
            .map(|prepared| Router {
                engine: self,
                prepared,
            })
            .ok_or_else(|| Error::UnknownProfile {
                name: name.to_string(),
                known: self
                    .profiles()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

/// Queries on one prepared profile: snapping, scenarios, routes and one-to-many costs.
///
/// Obtained from [`Engine::profile`]; cheap to copy.
#[derive(Debug, Clone, Copy)]
pub struct Router<'e> {
    engine: &'e Engine,
    prepared: &'e Prepared,
}

impl<'e> Router<'e> {
    /// Checks that `snaps` (for `origins` origins) and `placed` were made by this router.
    pub(crate) fn check_inputs(
        &self,
        origins: usize,
        snaps: &Snaps,
        placed: &PlacedScenario,
    ) -> Result<()> {
        if snaps.len() != origins {
            return Err(Error::InvalidOption {
                option: "snaps",
                message: format!("{} snaps for {} origins", snaps.len(), origins),
            });
        }
        for (what, profile) in [
            ("snaps", snaps.profile()),
            ("placed scenario", &placed.profile),
        ] {
            if profile != self.name() {
                return Err(Error::InvalidOption {
                    option: "profile",
                    message: format!(
                        "the {what} were made for profile `{profile}`, not `{}`",
                        self.name()
                    ),
                });
            }
        }
        Ok(())
    }

    /// The profile's name.
    pub fn name(&self) -> &'e str {
        &self.prepared.graph.profile.name
    }
    /// The profile.
    pub fn profile(&self) -> &'e Profile {
        &self.prepared.graph.profile
    }
    /// The network.
    pub fn network(&self) -> &'e Network {
        &self.engine.network
    }
    /// The engine.
    pub fn engine(&self) -> &'e Engine {
        self.engine
    }
    pub(crate) fn graph(&self) -> &'e ProfileGraph {
        &self.prepared.graph
    }

    /// Whether the profile uses `road` at all.
    pub fn usable(&self, road: RoadId) -> bool {
        self.prepared.graph.usable(road)
    }
    /// Whether the profile may travel `road` from its `from` end (`forward`) or the other way.
    pub fn allows(&self, road: RoadId, forward: bool) -> bool {
        self.prepared.graph.allows(road, forward)
    }
    /// Number of arcs in the prepared graph.
    pub fn arc_count(&self) -> usize {
        self.prepared.graph.arc_count()
    }
    /// Number of components of the prepared graph.
    pub fn component_count(&self) -> usize {
        self.prepared.graph.components.count()
    }
    /// The component a junction is in.
    pub fn component_of_node(&self, node: NodeId) -> ComponentInfo {
        self.prepared.graph.components.of_node(node)
    }
    /// The component a snapped point landed in.
    pub fn component(&self, at: &Position) -> ComponentInfo {
        self.prepared
            .graph
            .components
            .of_road(self.network().road(at.road))
    }

    fn snappable_road(&self, road: RoadId) -> bool {
        self.usable(road) && {
            let c = self
                .prepared
                .graph
                .components
                .of_road(self.network().road(road));
            c.largest || c.nodes >= self.engine.options.min_component_nodes
        }
    }

    fn snap_index(&self) -> &'e SnapIndex {
        let router = *self;
        made_once(&self.prepared.snappable, move || {
            SnapIndex::with_roads(router.network(), |r| router.snappable_road(r))
        })
    }

    /// Builds the snap index now rather than on the first snap (for timing, or before sharing the
    /// router between threads). Returns the number of road segments indexed.
    pub fn prepare(&self) -> usize {
        self.snap_index().segment_count()
    }

    /// Snaps one point onto a road usable by the profile and not on a small island, within the
    /// engine's radius (see [`EngineOptions`]). When that fails, the error says whether only an
    /// island was near, or whether the coordinates look swapped.
    pub fn snap(&self, point: Xy) -> std::result::Result<Position, SnapError> {
        let radius = self.engine.options.max_snap_m;
        let err = match self.snap_index().nearest(point, radius) {
            Ok(s) => return Ok(s),
            Err(e @ SnapError::NotFinite) => return Err(e),
            Err(e) => e,
        };
        let router = *self;
        let islands = made_once(&self.prepared.islands, move || {
            SnapIndex::with_roads(router.network(), |r| {
                router.usable(r) && !router.snappable_road(r)
            })
        });
        if let Some(s) = islands.snaps(point, radius) {
            return Err(SnapError::Island {
                nodes: self.component(&s).nodes,
                distance_m: s.access_m,
            });
        }
        let swapped = Xy::new(point.y_m, point.x_m);
        if let Some(s) = self.snap_index().snaps(swapped, radius) {
            return Err(SnapError::LooksSwapped {
                distance_m: s.access_m,
            });
        }
        Err(err)
    }

    /// Snaps many points in parallel; results in input order.
    pub fn snap_all(&self, points: &[Xy]) -> Vec<std::result::Result<Position, SnapError>> {
        points.par_iter().map(|&p| self.snap(p)).collect()
    }

    /// A point already snapped in bulk, snapped again for its exact [`Spot`], snapped and input
    /// point (the bulk keeps its legs, not where along the road it is: needed only when a
    /// facility shares its road).
    pub(crate) fn snap_again(&self, point: Xy) -> (Spot, Xy, Xy) {
        let p = self.snap(point).expect("a snapped point snaps again");
        (Spot::from(&p), p.point, p.input)
    }

    /// Snaps `origins`' points in parallel, packed, with their fingerprints. Neighbours are
    /// snapped together for cache locality; each answer depends only on its point, so the order
    /// changes no result.
    pub(crate) fn snap_packed(&self, origins: &[Origin]) -> Snaps {
        let index = self.snap_index();
        let radius = self.engine.options.max_snap_m;
        let n = origins.len();
        let point = |i: usize| origins[i].point;
        let (points, pos, prints) = index.locality_order(n, point, |i| Prints::of(&origins[i], i));
        let graph = self.graph();
        // Any failure packs alike, whatever its reason (worked out below): the index's answer is
        // enough here. Filled in parallel: `vec!` would write and fault in 24 MB per million on
        // one thread.
        let mut sorted: Vec<Packed> = (0..n).into_par_iter().map(|_| Snaps::NOT_SNAPPED).collect();
        let snap_all = |sorted: &mut [Packed]| {
            points
                .par_chunks(SNAP_CHUNK)
                .zip(sorted.par_chunks_mut(SNAP_CHUNK))
                .for_each_init(CellList::default, |list, (ps, out)| {
                    index.nearest_each(ps, radius, MIN_RUN, list, |k, s| {
                        out[k] = s.map_or(Snaps::NOT_SNAPPED, |s| Snaps::pack(graph, &s));
                    });
                });
        };
        // Points far outside the grid (snapped last) need the R-tree: built beside the others.
        if index.needs_tree(&points) {
            rayon::join(|| index.build_tree(), || snap_all(&mut sorted));
        } else {
            snap_all(&mut sorted);
        }
        drop(points);
        // Back to input order: a parallel gather, at random from 24 MB a million points, each
        // read asked for ahead.
        let packed: Vec<Packed> = (0..n)
            .into_par_iter()
            .map(|i| {
                if let Some(&ahead) = pos.get(i + AHEAD) {
                    prefetch(&sorted[ahead as usize]);
                }
                sorted[pos[i] as usize]
            })
            .collect();
        drop((sorted, pos));
        // Failures are few, and legs too long for 32 bits (roads of thousands of km) fewer: one
        // scan finds both, then each is snapped again, for its reason or its legs in 64 bits.
        let odd: Vec<u32> = packed
            .par_iter()
            .enumerate()
            .filter(|(_, p)| Snaps::is_failed(p) || Snaps::is_far(p))
            .map(|(i, _)| i as u32)
            .collect();
        let again: Vec<_> = odd
            .par_iter()
            .map(|&i| (i, self.snap(point(i as usize))))
            .collect();
        let (mut errors, mut far) = (Vec::new(), Vec::new());
        for (i, again) in again {
            if Snaps::is_failed(&packed[i as usize]) {
                errors.push((i, again.expect_err("a failed snap fails again")));
            } else {
                let at = again.expect("a snapped point snaps again");
                far.push((i, Legs::of(graph, &Spot::from(&at))));
            }
        }
        Snaps::from_parts(self.name(), packed, errors, far, prints)
    }

    /// Snaps every site of `scenario` and runs one multi-source search from them.
    pub fn place(&self, scenario: &Scenario, objective: Objective) -> PlacedScenario {
        self.place_split(scenario, objective, true)
    }

    /// [`Router::place`]; with `split`, its search runs as two side by side (see
    /// `Nearest::run`), which pays only when nothing else runs beside it.
    fn place_split(
        &self,
        scenario: &Scenario,
        objective: Objective,
        split: bool,
    ) -> PlacedScenario {
        let mut sites = Vec::new();
        let mut seeds = Vec::new();
        for (rank, facility) in scenario.facilities().iter().enumerate() {
            for site in &facility.sites {
                let at = match &site.location {
                    Location::At(p) => self.snap(*p).map_err(NotPlaced::Snap),
                    Location::NotLocated(why) => Err(NotPlaced::NotLocated(why.clone())),
                };
                if let Ok(s) = at {
                    seeds.push(Seed {
                        at: s,
                        label: rank as u32,
                    });
                }
                sites.push(SitePlacement {
                    site: site.id.clone(),
                    facility: FacilityIdx::new(rank),
                    at,
                });
            }
        }
        let search = Nearest::run(self.network(), self.graph(), objective, &seeds, split).into();
        PlacedScenario {
            scenario: scenario.clone(),
            profile: self.name().to_string(),
            sites,
            search,
        }
    }

    /// [`Router::place`] for several scenarios at once: their searches run side by side (each
    /// search is one thread's work), and the placed scenarios come back in the order given.
    ///
    /// ```
    /// use travel_impact::{Engine, EngineOptions, Facilities, NetworkBuilder, Objective, RoadSpec, Scenario, geom::Xy};
    /// let mut b = NetworkBuilder::new();
    /// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(2000.0, 0.0));
    /// b.road(RoadSpec::new(1, 1, 2));
    /// let engine = Engine::new(b.build()?, EngineOptions::default());
    /// let sites = Facilities::from_points([("west", Xy::new(0.0, 0.0)), ("east", Xy::new(2000.0, 0.0))])?;
    /// let both = Scenario::new("both", &sites, ["west", "east"])?;
    /// let west = Scenario::new("west only", &sites, ["west"])?;
    /// let placed = engine.profile("walk")?.place_each(&[&both, &west], Objective::Distance);
    /// assert_eq!(placed[1].scenario.name(), "west only");
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn place_each(&self, scenarios: &[&Scenario], objective: Objective) -> Vec<PlacedScenario> {
        // The snap index first, once: otherwise each search's thread would build its own.
        self.prepare();
        // Searches side by side already keep the cores busy: none is split in two as well
        // (that costs each 15% more work, and measured 2-3 ms more for two scenarios).
        let split = scenarios.len() == 1;
        scenarios
            .par_iter()
            .map(|s| self.place_split(s, objective, split))
            .collect()
    }

    /// Nearest facility of a placed scenario from a snapped point (or the reason there is none).
    pub fn nearest(
        &self,
        placed: &PlacedScenario,
        at: &std::result::Result<Position, SnapError>,
    ) -> Outcome {
        let at = at.map_err(Unreachable::NotSnapped)?;
        if !placed.any_placed() {
            return Err(Unreachable::NoFacilityPlaced);
        }
        placed
            .search
            .reach(self.graph(), &at)
            .map(|r| Access {
                facility: FacilityIdx::new(r.label as usize),
                distance_m: r.distance_m,
                time_s: r.time_s,
            })
            .ok_or(Unreachable::NoFacilityReachable)
    }

    /// The route from one point to another (both snapped): distance, time, access legs and path.
    pub fn route(
        &self,
        from: Xy,
        to: Xy,
        objective: Objective,
    ) -> std::result::Result<Route, RouteError> {
        let start = self.snap(from).map_err(RouteError::Start)?;
        let end = self.snap(to).map_err(RouteError::End)?;
        CostMap::from_position(self.network(), self.graph(), objective, start)
            .route_to(&end)
            .ok_or(RouteError::NoRoute)
    }

    /// The route from one junction to another, or `None` if there is none.
    pub fn route_nodes(&self, from: NodeId, to: NodeId, objective: Objective) -> Option<Route> {
        self.costs_from_node(from, objective).route_to_node(to)
    }

    /// Costs from one point to everywhere: one search, then any number of lookups
    /// ([`CostMap::to`], [`CostMap::to_node`], [`CostMap::route_to`]).
    pub fn costs_from(
        &self,
        from: Xy,
        objective: Objective,
    ) -> std::result::Result<CostMap<'e>, SnapError> {
        let start = self.snap(from)?;
        Ok(CostMap::from_position(
            self.network(),
            self.graph(),
            objective,
            start,
        ))
    }

    /// Costs from one junction to everywhere.
    pub fn costs_from_node(&self, from: NodeId, objective: Objective) -> CostMap<'e> {
        CostMap::from_node(self.network(), self.graph(), objective, from)
    }
}

/// Why [`Router::route`] found no route.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum RouteError {
    /// The start could not be snapped.
    #[error("start not snapped: {0}")]
    Start(SnapError),
    /// The end could not be snapped.
    #[error("end not snapped: {0}")]
    End(SnapError),
    /// Both snapped, but the end cannot be reached from the start with this profile.
    #[error("no route from the start to the end with this profile")]
    NoRoute,
}

#[cfg(all(test, feature = "uk"))]
mod tests {
    use super::*;
    use crate::study::{Study, data_dir};
    use crate::uk::{Imd, LsoaPolygons, Population, Spread, synthetic_homes};

    /// The grid in front of the R-tree gives exactly the R-tree's answer, on every bundled
    /// LSOA, every bundled postcode and 100,000 synthetic homes, for both profiles, whether
    /// snapped one by one, in bulk (locality order), or each through its cell's list.
    #[test]
    fn grid_snaps_exactly_like_the_plain_r_tree() {
        let bucks = Study::bundled().unwrap();
        let polygons =
            LsoaPolygons::from_csv(&data_dir().unwrap().join("lsoa11_bucks_bsc.csv")).unwrap();
        let mut origins = bucks.lsoa_origins(Population::Under5Mid2019, Imd::Imd2019);
        origins.extend(
            synthetic_homes(100_000, 11, &bucks.lsoas, &polygons, Spread::Uniform).unwrap(),
        );
        origins.extend(bucks.postcodes.origins(None).origins);
        let engine = Engine::new(bucks.network.clone(), EngineOptions::default());
        let all = SnapIndex::with_roads(engine.network(), |_| true);
        for name in ["drive", "walk"] {
            let router = engine.profile(name).unwrap();
            let bulk = router.snap_origins(&origins);
            assert_eq!(bulk.len(), origins.len());
            // Every point through its cell's list, not only those in runs of `MIN_RUN`.
            let index = router.snap_index();
            let (sorted, _, ()) = index.locality_order(origins.len(), |i| origins[i].point, |_| ());
            let mut list = CellList::default();
            let listed = index.nearest_each(&sorted, 1500.0, 1, &mut list, |i, got| {
                let p = sorted[i];
                let tree = index.nearest_by_tree([p.x_m, p.y_m], 1500.0);
                match got {
                    // Failures too, to the nearest distance they report.
                    Some(got) => {
                        assert_eq!(got, index.nearest(p, 1500.0), "{p:?}");
                        assert_eq!(got, tree, "{p:?}");
                    }
                    None => assert!(tree.is_err(), "{p:?}"),
                }
            });
            assert!(
                listed > origins.len() * 2 / 3,
                "{listed} of {}",
                origins.len()
            );
            for (i, o) in origins.iter().enumerate() {
                let plain =
                    all.snap_where(o.point, 1500.0, |r| router.snappable_road(RoadId::new(r)));
                let one = router.snap(o.point);
                assert_eq!(
                    Snaps::pack(router.graph(), &one),
                    bulk.packed[i],
                    "{}",
                    o.id
                );
                assert_eq!(one.err(), bulk.error(i), "{}", o.id);
                match (plain, one) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", o.id),
                    (Err(_), Err(_)) => {}
                    (a, b) => panic!("{}: {a:?} vs {b:?}", o.id),
                }
            }
        }
    }
}
