//! One multi-source Dijkstra per scenario and mode: every junction learns its nearest facility.
//!
//! The search runs from the facilities over *incoming* arcs, i.e. on the reversed graph, so that
//! the cost at a junction is the cost of travelling **from** that junction **to** the facility
//! (one-way streets are obeyed in the direction families travel). Each junction keeps both
//! figures of its best route: distance and time; the route is chosen by the [`Objective`].

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use crate::network::{Mode, Network};
use crate::snap::Snap;

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

#[derive(Clone, Copy)]
struct Cost {
    primary: f64,
    label: u32,
    distance_m: f64,
    time_s: f64,
}

impl Cost {
    /// Ordering used everywhere: lower primary cost, then lower label (the tie rule).
    fn key_cmp(&self, other: &Self) -> Ordering {
        self.primary
            .total_cmp(&other.primary)
            .then(self.label.cmp(&other.label))
    }
    fn add(&self, distance_m: f64, time_s: f64, objective: Objective) -> Self {
        let (d, t) = (self.distance_m + distance_m, self.time_s + time_s);
        Cost {
            primary: match objective {
                Objective::Distance => d,
                Objective::Time => t,
            },
            label: self.label,
            distance_m: d,
            time_s: t,
        }
    }
}

struct HeapItem(Cost, u32);

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
        other.0.key_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// The result of one multi-source search: per junction, the nearest facility and the cost to it.
///
/// Tie rule: equal cost goes to the facility with the lower label (its rank in the scenario,
/// which orders facilities by id), at every junction and for every origin.
#[derive(Debug, Clone)]
pub struct Search {
    mode: Mode,
    objective: Objective,
    walk_mps: f64,
    primary: Vec<f64>,
    distance_m: Vec<f64>,
    time_s: Vec<f64>,
    label: Vec<u32>,
    seeds: Vec<Seed>,
    seeds_by_road: HashMap<usize, Vec<usize>>,
}

const UNREACHED: u32 = u32::MAX;

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
            if best[node].is_none_or(|b| c.key_cmp(&b) == Ordering::Less) {
                best[node] = Some(c);
                heap.push(HeapItem(c, node as u32));
            }
        };
        for (i, seed) in seeds.iter().enumerate() {
            seeds_by_road.entry(seed.snap.road).or_default().push(i);
            let access = Cost {
                primary: 0.0,
                label: seed.label,
                distance_m: 0.0,
                time_s: 0.0,
            }
            .add(
                seed.snap.distance_m,
                seed.snap.distance_m / walk_mps,
                objective,
            );
            let road = &network.roads()[seed.snap.road];
            let (len, time) = (road.length_m, network.road_time_s(mode, seed.snap.road));
            let f = seed.snap.fraction;
            // A traveller reaches the site along its road, from either end the mode allows; a site
            // exactly at an end is reached there whatever the road's direction (no travel along it).
            if f == 0.0 || network.allows(mode, seed.snap.road, true) {
                offer(
                    road.from,
                    access.add(f * len, f * time, objective),
                    &mut best,
                    &mut heap,
                );
            }
            if f == 1.0 || network.allows(mode, seed.snap.road, false) {
                offer(
                    road.to,
                    access.add((1.0 - f) * len, (1.0 - f) * time, objective),
                    &mut best,
                    &mut heap,
                );
            }
        }
        while let Some(HeapItem(cost, node)) = heap.pop() {
            let node = node as usize;
            match best[node] {
                Some(b) if b.key_cmp(&cost) == Ordering::Equal => {}
                _ => continue, // stale entry
            }
            for &(source, length_m, time_s) in network.incoming(mode, node) {
                let next = cost.add(length_m, time_s, objective);
                offer(source as usize, next, &mut best, &mut heap);
            }
        }
        let mut out = Self {
            mode,
            objective,
            walk_mps,
            primary: vec![f64::INFINITY; n],
            distance_m: vec![f64::INFINITY; n],
            time_s: vec![f64::INFINITY; n],
            label: vec![UNREACHED; n],
            seeds: seeds.to_vec(),
            seeds_by_road,
        };
        for (i, b) in best.into_iter().enumerate() {
            if let Some(c) = b {
                out.primary[i] = c.primary;
                out.distance_m[i] = c.distance_m;
                out.time_s[i] = c.time_s;
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

    /// Nearest facility from junction `node`, or `None` if no facility can be reached from it.
    pub fn at_node(&self, node: usize) -> Option<Reach> {
        (self.label[node] != UNREACHED).then(|| Reach {
            label: self.label[node],
            distance_m: self.distance_m[node],
            time_s: self.time_s[node],
        })
    }

    /// Nearest facility from a point snapped to the network (the origin's access leg included).
    ///
    /// Considers leaving along the snapped road in each direction the mode allows, and facilities
    /// on the same road reached directly along it.
    pub fn reach(&self, network: &Network, origin: &Snap) -> Option<Reach> {
        let road = &network.roads()[origin.road];
        let (len, time) = (road.length_m, network.road_time_s(self.mode, origin.road));
        let s = origin.fraction;
        let start = Cost {
            primary: 0.0,
            label: 0,
            distance_m: 0.0,
            time_s: 0.0,
        }
        .add(
            origin.distance_m,
            origin.distance_m / self.walk_mps,
            self.objective,
        );
        let mut best: Option<Cost> = None;
        let mut consider = |c: Cost| {
            if best.is_none_or(|b| c.key_cmp(&b) == Ordering::Less) {
                best = Some(c);
            }
        };
        let via = |node: usize, share: f64| -> Option<Cost> {
            (self.label[node] != UNREACHED).then(|| {
                let mut c = start.add(
                    share * len + self.distance_m[node],
                    share * time + self.time_s[node],
                    self.objective,
                );
                c.label = self.label[node];
                c
            })
        };
        // Leaving along the road as the mode allows; from exactly an end, that junction is reached
        // without travelling the road, whatever its direction.
        if (s == 1.0 || network.allows(self.mode, origin.road, true))
            && let Some(c) = via(road.to, 1.0 - s)
        {
            consider(c);
        }
        if (s == 0.0 || network.allows(self.mode, origin.road, false))
            && let Some(c) = via(road.from, s)
        {
            consider(c);
        }
        if let Some(on_road) = self.seeds_by_road.get(&origin.road) {
            for &i in on_road {
                let seed = &self.seeds[i];
                let f = seed.snap.fraction;
                let forward = f >= s && network.allows(self.mode, origin.road, true);
                let backward = f <= s && network.allows(self.mode, origin.road, false);
                if forward || backward {
                    let share = (f - s).abs();
                    let leg = seed.snap.distance_m;
                    let mut c = start.add(
                        share * len + leg,
                        share * time + leg / self.walk_mps,
                        self.objective,
                    );
                    c.label = seed.label;
                    consider(c);
                }
            }
        }
        best.map(|c| Reach {
            label: c.label,
            distance_m: c.distance_m,
            time_s: c.time_s,
        })
    }
}
