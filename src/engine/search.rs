//! One multi-source Dijkstra per scenario, profile and objective: every junction learns its nearest
//! facility.
//!
//! The search runs from the facilities over *incoming* arcs, i.e. on the reversed graph, so that
//! the cost at a junction is the cost of travelling **from** that junction **to** the facility
//! (one-way streets are obeyed in the direction people travel). Each junction keeps both figures
//! of its best route, distance and time; the route is chosen by the [`Objective`].

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use rayon::prelude::*;

use crate::engine::snap::{JUNCTION_TOLERANCE_M, Position};
use crate::geom::Xy;
use crate::network::cost::{Along, mm, walk_ms};
use crate::network::prepared::ProfileGraph;
use crate::network::{End, Network, RoadId};
use crate::prefetch::prefetch;

/// What "nearest" means, chosen per query.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Shortest road distance; the time reported is the time along that route. The default, since
    /// the question is how much *further* people travel.
    #[default]
    Distance,
    /// Quickest route; the distance reported is the length of that route.
    Time,
}

impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Objective::Distance => "shortest",
            Objective::Time => "quickest",
        })
    }
}

/// A facility site placed on the network, as a start of the search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Seed {
    /// Where the site snapped.
    pub(crate) at: Position,
    /// Label carried to every junction this seed wins (the facility's rank in its scenario).
    pub(crate) label: u32,
}

/// The best way found from some point to the nearest facility.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reach {
    /// Label of the facility reached.
    pub(crate) label: u32,
    /// Metres, including both access legs.
    pub(crate) distance_m: f64,
    /// Seconds, including both access legs and any door-to-door overheads.
    pub(crate) time_s: f64,
}

/// A route's exact cost: whole millimetres and milliseconds, and the label of the facility it
/// ends at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cost {
    pub(crate) distance_mm: u64,
    pub(crate) time_ms: u64,
    pub(crate) label: u32,
}

impl Cost {
    pub(crate) const ZERO: Cost = Cost {
        distance_mm: 0,
        time_ms: 0,
        label: 0,
    };
    /// The tie rule as a key: lower cost by the objective, then the lower label (the facility whose
    /// id sorts first), then the lower other figure. Integer sums make "equal" exact, and adding
    /// the same arc to two routes keeps their order, so Dijkstra finds this minimum everywhere.
    pub(crate) fn key(&self, objective: Objective) -> (u64, u32, u64) {
        match objective {
            Objective::Distance => (self.distance_mm, self.label, self.time_ms),
            Objective::Time => (self.time_ms, self.label, self.distance_mm),
        }
    }
    pub(crate) fn add(self, distance_mm: u64, time_ms: u64) -> Self {
        Cost {
            distance_mm: self.distance_mm + distance_mm,
            time_ms: self.time_ms + time_ms,
            label: self.label,
        }
    }
    pub(crate) fn with_label(self, label: u32) -> Self {
        Cost { label, ..self }
    }
}

/// Whether tie-rule key `a` is below `b`: their tuple order, without a branch.
#[inline(always)]
fn key_less(a: (u64, u32, u64), b: (u64, u32, u64)) -> bool {
    (a.0 < b.0) | ((a.0 == b.0) & ((a.1 < b.1) | ((a.1 == b.1) & (a.2 < b.2))))
}

/// `a` if `take`, else `b`, field by field through masks (no branch).
#[inline(always)]
fn select(take: bool, a: Cost, b: Cost) -> Cost {
    let m = (take as u64).wrapping_neg();
    let pick = |x: u64, y: u64| (x & m) | (y & !m);
    Cost {
        distance_mm: pick(a.distance_mm, b.distance_mm),
        time_ms: pick(a.time_ms, b.time_ms),
        label: pick(a.label as u64, b.label as u64) as u32,
    }
}

/// A heap entry: the tie-rule key of a cost and the junction it was offered to.
pub(crate) struct HeapItem(pub(crate) (u64, u32, u64), pub(crate) u32);

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

/// A point's access leg: walked in a straight line between the point and its snap.
pub(crate) fn access(at: &Position, walk_mps: f64) -> Cost {
    let d = mm(at.access_m);
    Cost {
        distance_mm: d,
        time_ms: walk_ms(d, walk_mps),
        label: 0,
    }
}

/// The result of one multi-source search: per junction, the nearest facility and the cost to it.
///
/// Tie rule: equal cost goes to the facility with the lower label (its rank in the scenario,
/// which orders facilities by id), at every junction and for every origin; between two routes to
/// the same facility at equal cost, the one with the lower other figure is kept. Costs are exact
/// integers (millimetres, milliseconds), so "equal" means equal.
#[derive(Debug, Clone)]
pub(crate) struct Nearest {
    objective: Objective,
    /// Per road of the network, the best costs at its `to` and at its `from` junction, 12 bytes
    /// each: millimetres, milliseconds and label (label `UNREACHED` if none; millimetres `WIDE`
    /// where a value needs 64 bits, then in `wide`). Every lookup reads its road's two ends: one
    /// random read here, where a table of road ends and then one of junctions took a chain of
    /// three.
    roads: Vec<[[u32; 3]; 2]>,
    /// (junction, cost) of the junctions whose values need 64 bits, by junction.
    wide: Vec<(u32, Cost)>,
    seeds: Vec<Seed>,
    /// The few roads that hold a facility, and their seeds.
    seeds_by_road: SeedRoads,
}

/// (road, seed index) for every seed, by road, with one bit per road of the network saying
/// whether it holds any: nearly every origin's road holds none, and one bit test (predictable,
/// 14 KB for 114k roads) answers that where a binary search would branch at random.
#[derive(Debug, Clone, Default)]
pub(crate) struct SeedRoads {
    pairs: Vec<(u32, u32)>,
    bits: Vec<u64>,
}

impl SeedRoads {
    /// From the seeds, on a network of `roads` roads.
    pub(crate) fn new(seeds: &[Seed], roads: usize) -> Self {
        let mut pairs: Vec<(u32, u32)> = seeds
            .iter()
            .enumerate()
            .map(|(i, s)| (s.at.road.index() as u32, i as u32))
            .collect();
        pairs.sort_unstable();
        let mut bits = vec![0u64; roads.div_ceil(64)];
        for &(r, _) in &pairs {
            bits[r as usize / 64] |= 1 << (r % 64);
        }
        Self { pairs, bits }
    }

    /// Whether any seed is on `road`.
    #[inline(always)]
    pub(crate) fn holds(&self, road: u32) -> bool {
        let word = self.bits.get(road as usize / 64).copied().unwrap_or(0);
        word >> (road % 64) & 1 == 1
    }

    /// The (road, seed index) pairs of the seeds on `road`, in seed order.
    #[inline]
    pub(crate) fn on(&self, road: u32) -> &[(u32, u32)] {
        if !self.holds(road) {
            return &[];
        }
        let first = self.pairs.partition_point(|&(x, _)| x < road);
        let on_road = &self.pairs[first..];
        &on_road[..on_road.partition_point(|&(x, _)| x == road)]
    }
}

/// A point on a road, as exact costs need it: the road, how far along, and the access leg.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Spot {
    pub(crate) road: RoadId,
    pub(crate) fraction: f64,
    /// The straight leg between the point and its snap, whole millimetres.
    pub(crate) access_mm: u64,
}

impl From<&Position> for Spot {
    fn from(p: &Position) -> Self {
        Spot {
            road: p.road,
            fraction: p.fraction,
            access_mm: mm(p.access_m),
        }
    }
}

/// The two ways off a snapped point's road, as exact costs from the point (access leg, travel
/// along the road, the junction's delay when the point stands on it and leaves along the road):
/// to the road's `to` junction and to its `from` junction, `None` where the profile forbids that
/// direction. They depend on the point and the profile only, not on any facility, so they are
/// worked out once when points are snapped (see [`Snaps`](crate::Snaps)) and every scenario's
/// lookup adds a junction's cost to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Legs {
    pub(crate) to: Option<(u64, u64)>,
    pub(crate) from: Option<(u64, u64)>,
}

impl Legs {
    /// The legs of a point on a road.
    pub(crate) fn of(graph: &ProfileGraph, origin: &Spot) -> Self {
        let ((from, to), (len, time), (fwd, bwd)) = graph.road_view(origin.road);
        let s = origin.fraction;
        let here = Along::at(s, len, time);
        let start = (
            origin.access_mm,
            walk_ms(origin.access_mm, graph.access_mps),
        );
        // Leaving a junction the point stands exactly on, towards the other end of the road.
        let leave_fwd = if s == 0.0 { graph.delay_ms(from) } else { 0 };
        let leave_bwd = if s == 1.0 { graph.delay_ms(to) } else { 0 };
        let to = if s == 1.0 {
            Some(start)
        } else if fwd {
            Some((
                start.0 + (len - here.mm),
                start.1 + (time - here.ms + leave_fwd),
            ))
        } else {
            None
        };
        let from = if s == 0.0 {
            Some(start)
        } else if bwd {
            Some((start.0 + here.mm, start.1 + (here.ms + leave_bwd)))
        } else {
            None
        };
        Self { to, from }
    }
}

/// A leg to one end of a road in 32 bits, (millimetres, milliseconds); `None` where the profile
/// forbids going that way.
pub(crate) type Leg32 = Option<[u32; 2]>;

/// The nearest facility from a point, exactly: its label, and whole millimetres and
/// milliseconds (access legs and door-to-door overheads included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ExactReach {
    pub(crate) label: u32,
    pub(crate) distance_mm: u64,
    pub(crate) time_ms: u64,
}

const UNREACHED: u32 = u32::MAX;
/// In `Nearest::roads`: the junction's values need 64 bits (then kept in `Nearest::wide`).
const WIDE: u32 = u32::MAX;

/// The seeds split in two by their snapped points' x, west and east (in seed order where equal).
fn halves(seeds: &[Seed]) -> (Vec<Seed>, Vec<Seed>) {
    let mut order = seeds.to_vec();
    order.sort_by(|a, b| a.at.point.x_m.total_cmp(&b.at.point.x_m));
    let east = order.split_off(seeds.len() / 2);
    (order, east)
}

/// A bound per junction for searches side by side: none offered yet.
fn new_bound(nodes: usize) -> Vec<AtomicU64> {
    (0..nodes).map(|_| AtomicU64::new(u64::MAX)).collect()
}

/// Per junction, the lesser key of two searches' (unreached in both: unreached).
fn lesser(mut a: Vec<Cost>, b: &[Cost], objective: Objective) -> Vec<Cost> {
    for (x, y) in a.iter_mut().zip(b) {
        if y.label != UNREACHED && (x.label == UNREACHED || y.key(objective) < x.key(objective)) {
            *x = *y;
        }
    }
    a
}

/// Dijkstra's search from `seeds` over incoming arcs: every junction's least key, or the label
/// `UNREACHED` (24 bytes a junction, not an `Option`'s 32: the search reads and writes them at
/// random).
///
/// With `bound`, several searches run side by side from parts of the seeds, sharing for each
/// junction the least cost (by the objective) any of them has offered there. A search drops a
/// route to a junction that another already reaches strictly cheaper: extended, it could win
/// nowhere. The search holding a junction's best route never meets such a junction along it
/// (that would be a strictly better route), so it finds that route, and the lesser key of the
/// searches' answers is exactly one search's answer, whichever search runs ahead.
fn settle(
    network: &Network,
    graph: &ProfileGraph,
    objective: Objective,
    seeds: &[Seed],
    bound: Option<&[AtomicU64]>,
) -> Vec<Cost> {
    let mut best: Vec<Cost> = vec![Cost::ZERO.with_label(UNREACHED); graph.node_count()];
    // Queued by the objective's cost alone (16 bytes an entry, not 32): a node whose best
    // improves only in the tie-breaking parts of the key is queued again at the same cost and
    // settled again. Every improvement is queued and adding an arc keeps the key's order, so
    // the result is each node's least key whatever the order of equal costs.
    let mut heap: BinaryHeap<Reverse<(u64, u32)>> = BinaryHeap::new();
    // Whether another search reaches `node` strictly cheaper than `cost`; else `cost` is noted.
    let beaten = |node: usize, cost: u64| -> bool {
        let Some(bound) = bound else {
            return false;
        };
        let least = bound[node].load(Relaxed);
        if cost > least {
            return true;
        }
        // A plain store, not `fetch_min`'s locked loop: should the other search store a lower
        // cost in between, this overwrites it with a cost that is still reached (this one),
        // and only drops fewer routes.
        if cost < least {
            bound[node].store(cost, Relaxed);
        }
        false
    };
    let offer =
        |node: usize, c: Cost, best: &mut Vec<Cost>, heap: &mut BinaryHeap<Reverse<(u64, u32)>>| {
            let b = best[node];
            if (b.label == UNREACHED || c.key(objective) < b.key(objective))
                && !beaten(node, c.key(objective).0)
            {
                best[node] = c;
                heap.push(Reverse((c.key(objective).0, node as u32)));
            }
        };
    seed_offers(network, graph, seeds, |node, c| {
        offer(node, c, &mut best, &mut heap)
    });
    while let Some(Reverse((queued, node))) = heap.pop() {
        let node = node as usize;
        let cost = best[node];
        if cost.key(objective).0 != queued {
            continue; // stale entry
        }
        if bound.is_some_and(|b| queued > b[node].load(Relaxed)) {
            continue; // beaten since it was queued
        }
        for link in graph.incoming(node) {
            offer(
                link.node as usize,
                cost.add(link.mm, link.ms),
                &mut best,
                &mut heap,
            );
        }
    }
    best
}

impl Nearest {
    /// Runs the search from `seeds` (facility sites snapped for `graph`'s profile); with
    /// `split` (when nothing else runs beside it) as two searches side by side.
    pub(crate) fn run(
        network: &Network,
        graph: &ProfileGraph,
        objective: Objective,
        seeds: &[Seed],
        split: bool,
    ) -> Self {
        let best = if split && seeds.len() >= 2 && rayon::current_num_threads() > 1 {
            // Two searches side by side, from the western and the eastern half of the seeds
            // (each then mostly stays in its own half of the map), sharing for each junction
            // the least cost either has offered: see `settle`.
            let (west, east) = halves(seeds);
            let bound = new_bound(graph.node_count());
            let (a, b) = rayon::join(
                || settle(network, graph, objective, &west, Some(&bound)),
                || settle(network, graph, objective, &east, Some(&bound)),
            );
            lesser(a, &b, objective)
        } else {
            settle(network, graph, objective, seeds, None)
        };
        // A junction's values in 32 bits, or `WIDE` (then kept in `wide`).
        let pack = |c: &Cost| match (u32::try_from(c.distance_mm), u32::try_from(c.time_ms)) {
            (Ok(mm), Ok(ms)) if mm != WIDE => [mm, ms, c.label],
            _ => [WIDE, WIDE, c.label],
        };
        let wide: Vec<(u32, Cost)> = best
            .iter()
            .enumerate()
            .filter(|(_, c)| pack(c)[0] == WIDE)
            .map(|(v, c)| (v as u32, *c))
            .collect();
        // Each road's two ends, read at random from the junctions: in parallel.
        let roads = (0..network.roads().len())
            .into_par_iter()
            .map(|r| {
                let (from, to) = graph.ends(RoadId::new(r));
                [pack(&best[to.index()]), pack(&best[from.index()])]
            })
            .collect();
        Self {
            objective,
            roads,
            wide,
            seeds: seeds.to_vec(),
            seeds_by_road: SeedRoads::new(seeds, network.roads().len()),
        }
    }

    /// The objective searched.
    pub(crate) fn objective(&self) -> Objective {
        self.objective
    }

    /// The seeds searched from, and (road, seed index) of each by road.
    pub(crate) fn seeds(&self) -> (&[Seed], &SeedRoads) {
        (&self.seeds, &self.seeds_by_road)
    }

    /// Asks the processor to fetch `road`'s costs into cache (see [`prefetch`]).
    #[inline(always)]
    pub(crate) fn prefetch(&self, road: u32) {
        if let Some(r) = self.roads.get(road as usize) {
            prefetch(r);
        }
    }

    /// [`Nearest::reach_exact`] for the usual point, with no [`Spot`] or [`Legs`] to unpack:
    /// `to` and `from` are its legs in 32 bits (`None` where the profile forbids the
    /// direction). `None` where the general way is needed: a facility on the road, or a reached
    /// end whose values need 64 bits. The same answer: the `to` end is offered first and the
    /// `from` end taken only if its key is strictly less (as [`origin_offers`] does).
    #[inline(always)]
    pub(crate) fn reach_plain(
        &self,
        road: u32,
        to: Leg32,
        from: Leg32,
        overhead_ms: u64,
    ) -> Option<Option<ExactReach>> {
        let [t, f] = *self.roads.get(road as usize)?;
        let end = |c: [u32; 3], leg: Leg32| {
            let [mm, ms] = leg.unwrap_or([0; 2]);
            let cost = Cost {
                distance_mm: c[0] as u64 + mm as u64,
                time_ms: c[1] as u64 + ms as u64,
                label: c[2],
            };
            (leg.is_some() & (c[2] != UNREACHED), cost, c[0] == WIDE)
        };
        let ((to_ok, to, to_wide), (from_ok, from, from_wide)) = (end(t, to), end(f, from));
        if (to_ok & to_wide) | (from_ok & from_wide) | self.seeds_by_road.holds(road) {
            return None;
        }
        let objective = self.objective;
        let take_from = from_ok & (!to_ok | key_less(from.key(objective), to.key(objective)));
        let c = select(take_from, from, to);
        Some((to_ok | from_ok).then_some(ExactReach {
            label: c.label,
            distance_mm: c.distance_mm,
            time_ms: c.time_ms + overhead_ms,
        }))
    }

    /// The best cost at one end of `road`, if reached.
    #[inline]
    fn end_cost(&self, graph: &ProfileGraph, road: RoadId, end: End) -> Option<Cost> {
        let [mm, ms, label] = self.roads[road.index()][end as usize];
        if label == UNREACHED {
            None
        } else if mm == WIDE {
            let node = graph.end(road, end);
            let k = self
                .wide
                .binary_search_by_key(&(node.index() as u32), |w| w.0)
                .expect("every wide junction is kept");
            Some(self.wide[k].1)
        } else {
            Some(Cost {
                distance_mm: mm as u64,
                time_ms: ms as u64,
                label,
            })
        }
    }

    /// Nearest facility from a point snapped to the network (the origin's access leg included).
    ///
    /// Considers leaving along the snapped road in each direction the profile allows, and
    /// facilities on the same road reached directly along it. A facility that snapped to the very
    /// same spot of the same road (within [`JUNCTION_TOLERANCE_M`]) is reached by walking the
    /// straight line between the two points, never by going to the road and back. A point exactly
    /// at a junction that travels along its road leaves that junction and pays its delay.
    pub(crate) fn reach(&self, graph: &ProfileGraph, origin: &Position) -> Option<Reach> {
        let spot = Spot::from(origin);
        let legs = Legs::of(graph, &spot);
        self.reach_exact(graph, spot.road, &legs, || {
            (spot, origin.point, origin.input)
        })
        .map(|r| Reach {
            label: r.label,
            distance_m: r.distance_mm as f64 / 1000.0,
            time_s: r.time_ms as f64 / 1000.0,
        })
    }

    /// [`Nearest::reach`] from a point's road and [`Legs`]; `same_road` gives its [`Spot`], the
    /// snapped and the input point, and is called only when a facility is on the same road.
    pub(crate) fn reach_exact(
        &self,
        graph: &ProfileGraph,
        road: RoadId,
        legs: &Legs,
        same_road: impl FnOnce() -> (Spot, Xy, Xy),
    ) -> Option<ExactReach> {
        let objective = self.objective;
        // The better of the two ends is a coin toss for the branch predictor: chosen without a
        // branch (the first offer is always taken).
        let mut best = Cost {
            distance_mm: 0,
            time_ms: 0,
            label: 0,
        };
        let mut any = false;
        let at = |end: End| self.end_cost(graph, road, end);
        origin_offers(
            graph,
            &self.seeds,
            &self.seeds_by_road,
            road,
            legs,
            same_road,
            at,
            |c| {
                let take = !any | key_less(c.key(objective), best.key(objective));
                best = select(take, c, best);
                any = true;
            },
        );
        any.then_some(best).map(|c| ExactReach {
            label: c.label,
            distance_mm: c.distance_mm,
            time_ms: c.time_ms + graph.overhead_ms,
        })
    }
}

/// Offers every seed to the junctions it is reached from: a traveller reaches a site along its
/// road from either end the profile allows, leaving that junction; a site exactly at an end is
/// reached there, whatever the road's direction, with no travel along it and no junction left.
pub(crate) fn seed_offers(
    network: &Network,
    graph: &ProfileGraph,
    seeds: &[Seed],
    mut offer: impl FnMut(usize, Cost),
) {
    for seed in seeds {
        let road_id = seed.at.road;
        let leg = access(&seed.at, graph.access_mps).with_label(seed.label);
        let road = network.road(road_id);
        let (len, time) = graph.road_cost(road_id);
        let f = seed.at.fraction;
        let at = Along::at(f, len, time);
        if f == 0.0 {
            offer(road.from.index(), leg);
        } else if graph.allows(road_id, true) {
            offer(
                road.from.index(),
                leg.add(at.mm, at.ms + graph.delay_ms(road.from)),
            );
        }
        if f == 1.0 {
            offer(road.to.index(), leg);
        } else if graph.allows(road_id, false) {
            offer(
                road.to.index(),
                leg.add(len - at.mm, time - at.ms + graph.delay_ms(road.to)),
            );
        }
    }
}

/// Every way from a point snapped to the network to a facility: through either end of its road
/// along its [`Legs`] (to each cost `at` lists for that junction), and to sites on the same road
/// directly. Calls `consider` with each cost (origin's access leg included, door-to-door
/// overheads not). `same_road` gives the point's [`Spot`], snapped and input point; it is called
/// only when a site is on the point's road.
///
/// A site that snapped to the very same spot of the same road (within
/// [`JUNCTION_TOLERANCE_M`]) is reached by walking the straight line between the two points,
/// never by going to the road and back. A point exactly at a junction that travels along its road
/// leaves that junction and pays its delay.
#[allow(clippy::too_many_arguments)]
pub(crate) fn origin_offers<I: IntoIterator<Item = Cost>>(
    graph: &ProfileGraph,
    seeds: &[Seed],
    seeds_by_road: &SeedRoads,
    road_id: RoadId,
    legs: &Legs,
    same_road: impl FnOnce() -> (Spot, Xy, Xy),
    at: impl Fn(End) -> I,
    mut consider: impl FnMut(Cost),
) {
    if let Some((mm, ms)) = legs.to {
        for c in at(End::To) {
            consider(c.add(mm, ms));
        }
    }
    if let Some((mm, ms)) = legs.from {
        for c in at(End::From) {
            consider(c.add(mm, ms));
        }
    }
    let on_road = seeds_by_road.on(road_id.index() as u32);
    if on_road.is_empty() {
        return;
    }
    let (from, to) = graph.ends(road_id);
    // The origin snapped again: on `road_id` too, unless the snaps were made for other origins
    // (which the caller finds out from their fingerprints, and answers with an error).
    let (origin, point, input) = same_road();
    let (len, time) = graph.road_cost(road_id);
    let s = origin.fraction;
    let here = Along::at(s, len, time);
    let start = Cost {
        distance_mm: origin.access_mm,
        time_ms: walk_ms(origin.access_mm, graph.access_mps),
        label: 0,
    };
    let leave_fwd = if s == 0.0 { graph.delay_ms(from) } else { 0 };
    let leave_bwd = if s == 1.0 { graph.delay_ms(to) } else { 0 };
    for &(_, i) in on_road {
        let seed = &seeds[i as usize];
        if point.distance_m(seed.at.point) <= JUNCTION_TOLERANCE_M {
            let d = mm(input.distance_m(seed.at.input));
            consider(Cost {
                distance_mm: d,
                time_ms: walk_ms(d, graph.access_mps),
                label: seed.label,
            });
            continue;
        }
        let f = seed.at.fraction;
        let there = Along::at(f, len, time);
        let leg = access(&seed.at, graph.access_mps);
        let along = if f > s && graph.allows(road_id, true) {
            Some((there.mm - here.mm, there.ms - here.ms + leave_fwd))
        } else if f < s && graph.allows(road_id, false) {
            Some((here.mm - there.mm, here.ms - there.ms + leave_bwd))
        } else if f == s {
            Some((0, 0))
        } else {
            None
        };
        if let Some((d, t)) = along {
            consider(
                start
                    .add(d, t)
                    .add(leg.distance_mm, leg.time_ms)
                    .with_label(seed.label),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SplitMix64;
    use crate::{Engine, EngineOptions, NetworkBuilder, RoadSpec, Router};

    /// An engine on a random grid of up to 32 junctions on 100 m steps (ties everywhere, and
    /// roads of zero length where both ends share a point); with `one_way`, one road in three
    /// one way (ends that reach no facility by car). `None` if the network is refused.
    fn random_grid(below: &mut impl FnMut(u64) -> usize, one_way: bool) -> Option<Engine> {
        let nodes = 2 + below(30);
        let mut b = NetworkBuilder::new();
        for k in 0..nodes {
            let p = Xy::new(below(8) as f64 * 100.0, below(8) as f64 * 100.0);
            b.node(k as u64, p);
        }
        for r in 0..(1 + below(3 * nodes as u64)) {
            let (u, v) = (below(nodes as u64), below(nodes as u64));
            let road = RoadSpec::new(r as u64, u as u64, v as u64);
            b.road(if one_way && r % 3 == 0 {
                road.one_way()
            } else {
                road
            });
        }
        Some(Engine::new(b.build().ok()?, EngineOptions::default()))
    }

    /// `count` facilities at random points of the grid, those that snap, labelled by draw.
    fn random_seeds(
        below: &mut impl FnMut(u64) -> usize,
        router: &Router<'_>,
        count: usize,
    ) -> Vec<Seed> {
        (0..count)
            .filter_map(|label| {
                let p = Xy::new(below(8) as f64 * 100.0, below(8) as f64 * 100.0);
                let at = router.snap(p).ok()?;
                Some(Seed {
                    at,
                    label: label as u32,
                })
            })
            .collect()
    }

    /// The plain lookup gives exactly the general one wherever it answers, and leaves to it
    /// the roads that hold a facility: on random grids with ties everywhere, roads of zero
    /// length and one-way roads, walking and driving, by distance and by time, with points on
    /// junctions, on roads and off them.
    #[test]
    fn plain_lookup_is_the_general_one() {
        let mut rng = SplitMix64::new(17);
        let mut below = |n: u64| (rng.next_u64() % n) as usize;
        let (mut plain, mut general) = (0, 0);
        for case in 0..300 {
            let Some(engine) = random_grid(&mut below, true) else {
                continue;
            };
            let origins: Vec<crate::Origin> = (0..60)
                .map(|k| {
                    let step = [100.0, 50.0, 7.0][k % 3];
                    let p = Xy::new(below(16) as f64 * step, below(16) as f64 * step);
                    crate::Origin::new(format!("o{k}"), p)
                })
                .collect();
            for profile in ["walk", "drive"] {
                let router = engine.profile(profile).unwrap();
                let (network, graph) = (router.network(), router.graph());
                let count = 1 + below(5);
                let seeds = random_seeds(&mut below, &router, count);
                let snaps = router.snap_origins(&origins);
                for objective in [Objective::Distance, Objective::Time] {
                    let nearest = Nearest::run(network, graph, objective, &seeds, false);
                    for (i, o) in origins.iter().enumerate() {
                        let Some((road, to, from)) = snaps.plain(i) else {
                            continue;
                        };
                        let (r, legs) = snaps.legs(i).unwrap();
                        let exact =
                            nearest.reach_exact(graph, r, &legs, || router.snap_again(o.point));
                        match nearest.reach_plain(road, to, from, graph.overhead_ms) {
                            Some(fast) => {
                                plain += 1;
                                assert_eq!(fast, exact, "case {case} {profile} {objective:?} {i}");
                            }
                            None => {
                                general += 1;
                                assert!(nearest.seeds_by_road.holds(road), "case {case} {i}");
                            }
                        }
                    }
                }
            }
        }
        // Both ways were taken, many times (on grids this small, most roads hold a facility).
        assert!(plain > 10_000 && general > 10_000, "{plain} {general}");
    }

    /// Searches side by side from the two halves of the seeds, whichever runs first (the
    /// extremes of any interleaving), give exactly the one search's keys: on random grids with
    /// ties everywhere and roads of zero length, by distance and by time, walking and driving.
    #[test]
    fn halves_side_by_side_give_the_one_search() {
        let mut rng = SplitMix64::new(5);
        let mut below = |n: u64| (rng.next_u64() % n) as usize;
        for case in 0..300 {
            let Some(engine) = random_grid(&mut below, false) else {
                continue;
            };
            for profile in ["walk", "drive"] {
                let router = engine.profile(profile).unwrap();
                let (network, graph) = (router.network(), router.graph());
                let count = 2 + below(6);
                let seeds = random_seeds(&mut below, &router, count);
                for objective in [Objective::Distance, Objective::Time] {
                    let one = settle(network, graph, objective, &seeds, None);
                    let (west, east) = halves(&seeds);
                    for west_first in [true, false] {
                        let bound = new_bound(graph.node_count());
                        let run = |s: &[Seed]| settle(network, graph, objective, s, Some(&bound));
                        let (a, b) = if west_first {
                            let a = run(&west);
                            (a, run(&east))
                        } else {
                            let b = run(&east);
                            (run(&west), b)
                        };
                        let two = lesser(a, &b, objective);
                        assert_eq!(two, one, "case {case} {profile} {objective:?} {west_first}");
                    }
                }
            }
        }
    }

    /// The branchless order and pick are the tuple order and `if`, over every key of small
    /// values and the extremes.
    #[test]
    fn branchless_min_is_the_tuple_min() {
        let values = [0u64, 1, 2, u32::MAX as u64, u64::MAX - 1, u64::MAX];
        let labels = [0u32, 1, u32::MAX];
        let mut keys = Vec::new();
        for &a in &values {
            for &l in &labels {
                for &b in &values {
                    keys.push((a, l, b));
                }
            }
        }
        let cost = |k: (u64, u32, u64)| Cost {
            distance_mm: k.0,
            time_ms: k.2,
            label: k.1,
        };
        for &a in &keys {
            for &b in &keys {
                assert_eq!(key_less(a, b), a < b, "{a:?} {b:?}");
                let (x, y) = (cost(a), cost(b));
                for take in [true, false] {
                    let got = select(take, x, y);
                    let want = if take { x } else { y };
                    assert_eq!(got.key(Objective::Distance), want.key(Objective::Distance));
                }
            }
        }
    }
}
