//! One multi-source Dijkstra per scenario and mode: every junction learns its nearest facility.
//!
//! The search runs from the facilities over *incoming* arcs, i.e. on the reversed graph, so that
//! the cost at a junction is the cost of travelling **from** that junction **to** the facility
//! (one-way streets are obeyed in the direction families travel). Each junction keeps both
//! figures of its best route: distance and time; the route is chosen by the [`Objective`].

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use crate::cost::{Along, mm, walk_ms};
use crate::network::{Mode, Network};
use crate::snap::{JUNCTION_TOLERANCE_M, Snap};

/// What "nearest" means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Objective {
    /// Shortest road distance; the time reported is the time along that route. The default, since
    /// the question is how much *further* families travel.
    #[default]
    Distance,
    /// Quickest route; the distance reported is the length of that route.
    Time,
}

/// A facility site placed on the network, as a start of the search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seed {
    /// Where the site snapped.
    pub snap: Snap,
    /// Label carried to every junction this seed wins (the facility's rank in its scenario).
    pub label: u32,
}

/// The best way found from some point to the nearest facility.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reach {
    /// Label of the facility reached.
    pub label: u32,
    /// Metres, including both access legs.
    pub distance_m: f64,
    /// Seconds, including both access legs at walking speed.
    pub time_s: f64,
}

/// A route's exact cost: whole millimetres and milliseconds (see `cost.rs`), and the label of the
/// facility it ends at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cost {
    distance_mm: u64,
    time_ms: u64,
    label: u32,
}

impl Cost {
    /// The tie rule as a key: lower cost by the objective, then the lower label (the facility whose
    /// id sorts first), then the lower other figure. Integer sums make "equal" exact, and adding
    /// the same arc to two routes keeps their order, so Dijkstra finds this minimum everywhere.
    fn key(&self, objective: Objective) -> (u64, u32, u64) {
        match objective {
            Objective::Distance => (self.distance_mm, self.label, self.time_ms),
            Objective::Time => (self.time_ms, self.label, self.distance_mm),
        }
    }
    fn add(self, distance_mm: u64, time_ms: u64) -> Self {
        Cost {
            distance_mm: self.distance_mm + distance_mm,
            time_ms: self.time_ms + time_ms,
            label: self.label,
        }
    }
    fn with_label(self, label: u32) -> Self {
        Cost { label, ..self }
    }
    fn reach(self) -> Reach {
        Reach {
            label: self.label,
            distance_m: self.distance_mm as f64 / 1000.0,
            time_s: self.time_ms as f64 / 1000.0,
        }
    }
}

/// A heap entry: the tie-rule key of a cost and the junction it was offered to.
struct HeapItem((u64, u32, u64), u32);

impl PartialEq for HeapItem {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for HeapItem {}
impl PartialOrd for HeapItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapItem {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap.
        (other.0, other.1).cmp(&(self.0, self.1))
    }
}

/// The result of one multi-source search: per junction, the nearest facility and the cost to it.
///
/// Tie rule: equal cost goes to the facility with the lower label (its rank in the scenario,
/// which orders facilities by id), at every junction and for every origin; between two routes to
/// the same facility at equal cost, the one with the lower other figure is kept. Costs are exact
/// integers (millimetres, milliseconds), so "equal" means equal.
#[derive(Debug, Clone)]
pub struct Search {
    mode: Mode,
    objective: Objective,
    walk_mps: f64,
    distance_mm: Vec<u64>,
    time_ms: Vec<u64>,
    label: Vec<u32>,
    seeds: Vec<Seed>,
    seeds_by_road: HashMap<usize, Vec<usize>>,
}

const UNREACHED: u32 = u32::MAX;

/// A point's access leg: walked in a straight line between the point and its snap.
fn access(snap: &Snap, walk_mps: f64) -> Cost {
    let d = mm(snap.distance_m);
    Cost {
        distance_mm: d,
        time_ms: walk_ms(d, walk_mps),
        label: 0,
    }
}

impl Search {
    /// Runs the search from `seeds` (facility sites already snapped for `mode`).
    pub fn run(network: &Network, mode: Mode, objective: Objective, seeds: &[Seed]) -> Self {
        let n = network.node_count();
        let walk_mps = network.options().walk_speed_mps();
        let mut best: Vec<Option<Cost>> = vec![None; n];
        let mut heap = BinaryHeap::new();
        let mut seeds_by_road: HashMap<usize, Vec<usize>> = HashMap::new();
        let offer = |node: usize,
                     c: Cost,
                     best: &mut Vec<Option<Cost>>,
                     heap: &mut BinaryHeap<HeapItem>| {
            if best[node].is_none_or(|b| c.key(objective) < b.key(objective)) {
                best[node] = Some(c);
                heap.push(HeapItem(c.key(objective), node as u32));
            }
        };
        for (i, seed) in seeds.iter().enumerate() {
            seeds_by_road.entry(seed.snap.road).or_default().push(i);
            let leg = access(&seed.snap, walk_mps).with_label(seed.label);
            let road = &network.roads()[seed.snap.road];
            let (len, time) = network.road_cost(mode, seed.snap.road);
            let f = seed.snap.fraction;
            let at = Along::at(f, len, time);
            // A traveller reaches the site along its road, from either end the mode allows; a site
            // exactly at an end is reached there whatever the road's direction (no travel along it).
            if f == 0.0 || network.allows(mode, seed.snap.road, true) {
                offer(road.from, leg.add(at.mm, at.ms), &mut best, &mut heap);
            }
            if f == 1.0 || network.allows(mode, seed.snap.road, false) {
                offer(
                    road.to,
                    leg.add(len - at.mm, time - at.ms),
                    &mut best,
                    &mut heap,
                );
            }
        }
        while let Some(HeapItem(key, node)) = heap.pop() {
            let node = node as usize;
            let cost = match best[node] {
                Some(b) if b.key(objective) == key => b,
                _ => continue, // stale entry
            };
            for &(source, length_mm, time_ms) in network.incoming(mode, node) {
                offer(
                    source as usize,
                    cost.add(length_mm, time_ms),
                    &mut best,
                    &mut heap,
                );
            }
        }
        let mut out = Self {
            mode,
            objective,
            walk_mps,
            distance_mm: vec![0; n],
            time_ms: vec![0; n],
            label: vec![UNREACHED; n],
            seeds: seeds.to_vec(),
            seeds_by_road,
        };
        for (i, b) in best.into_iter().enumerate() {
            if let Some(c) = b {
                out.distance_mm[i] = c.distance_mm;
                out.time_ms[i] = c.time_ms;
                out.label[i] = c.label;
            }
        }
        out
    }

    /// The mode searched.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The objective searched.
    pub fn objective(&self) -> Objective {
        self.objective
    }

    fn node_cost(&self, node: usize) -> Option<Cost> {
        (self.label[node] != UNREACHED).then(|| Cost {
            distance_mm: self.distance_mm[node],
            time_ms: self.time_ms[node],
            label: self.label[node],
        })
    }

    /// Nearest facility from junction `node`, or `None` if no facility can be reached from it.
    pub fn at_node(&self, node: usize) -> Option<Reach> {
        self.node_cost(node).map(Cost::reach)
    }

    /// Nearest facility from a point snapped to the network (the origin's access leg included).
    ///
    /// Considers leaving along the snapped road in each direction the mode allows, and facilities
    /// on the same road reached directly along it. A facility that snapped to the very same spot
    /// of the same road (within [`JUNCTION_TOLERANCE_M`]) is reached by walking the straight line
    /// between the two points, never by going to the road and back.
    pub fn reach(&self, network: &Network, origin: &Snap) -> Option<Reach> {
        let objective = self.objective;
        let road = &network.roads()[origin.road];
        let (len, time) = network.road_cost(self.mode, origin.road);
        let s = origin.fraction;
        let here = Along::at(s, len, time);
        let start = access(origin, self.walk_mps);
        let mut best: Option<Cost> = None;
        let mut consider = |c: Cost| {
            if best.is_none_or(|b| c.key(objective) < b.key(objective)) {
                best = Some(c);
            }
        };
        // Leaving along the road as the mode allows; from exactly an end, that junction is reached
        // without travelling the road, whatever its direction.
        if (s == 1.0 || network.allows(self.mode, origin.road, true))
            && let Some(c) = self.node_cost(road.to)
        {
            consider(
                start
                    .add(len - here.mm, time - here.ms)
                    .add(c.distance_mm, c.time_ms)
                    .with_label(c.label),
            );
        }
        if (s == 0.0 || network.allows(self.mode, origin.road, false))
            && let Some(c) = self.node_cost(road.from)
        {
            consider(
                start
                    .add(here.mm, here.ms)
                    .add(c.distance_mm, c.time_ms)
                    .with_label(c.label),
            );
        }
        if let Some(on_road) = self.seeds_by_road.get(&origin.road) {
            for &i in on_road {
                let seed = &self.seeds[i];
                let there = Along::at(seed.snap.fraction, len, time);
                let gap_m =
                    (origin.point.x - seed.snap.point.x).hypot(origin.point.y - seed.snap.point.y);
                if gap_m <= JUNCTION_TOLERANCE_M {
                    let d = mm((origin.input.x - seed.snap.input.x)
                        .hypot(origin.input.y - seed.snap.input.y));
                    consider(Cost {
                        distance_mm: d,
                        time_ms: walk_ms(d, self.walk_mps),
                        label: seed.label,
                    });
                    continue;
                }
                let f = seed.snap.fraction;
                let forward = f >= s && network.allows(self.mode, origin.road, true);
                let backward = f <= s && network.allows(self.mode, origin.road, false);
                if forward || backward {
                    let leg = access(&seed.snap, self.walk_mps);
                    consider(
                        start
                            .add(there.mm.abs_diff(here.mm), there.ms.abs_diff(here.ms))
                            .add(leg.distance_mm, leg.time_ms)
                            .with_label(seed.label),
                    );
                }
            }
        }
        best.map(Cost::reach)
    }
}
