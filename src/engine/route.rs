//! One-to-many and one-to-one routing from a point or a junction, with the path.
//!
//! A forward Dijkstra over outgoing arcs from one start. Costs follow exactly the rules of the
//! multi-source search (same exact integers, same access legs, same junction delays, same
//! same-spot rule), so a route to a point costs what that point would cost as a facility.

use std::collections::BinaryHeap;

use crate::engine::search::{Cost, HeapItem, Objective, access};
use crate::engine::snap::{JUNCTION_TOLERANCE_M, Position};
use crate::geom::{LonLat, Xy};
use crate::network::cost::{Along, mm, walk_ms};
use crate::network::prepared::ProfileGraph;
use crate::network::{Network, NodeId, RoadId};

const NO_PARENT: u32 = u32::MAX;

/// A trip's totals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trip {
    /// Metres, access legs included.
    pub distance_m: f64,
    /// Seconds, access legs and any door-to-door overheads included.
    pub time_s: f64,
}

/// A route between two points: totals, the access legs and the path.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Metres, both access legs included.
    pub distance_m: f64,
    /// Seconds, both access legs and any door-to-door overheads included.
    pub time_s: f64,
    /// Straight leg from the start point to the road, metres.
    pub access_in_m: f64,
    /// Seconds on that leg at the profile's access speed.
    pub access_in_s: f64,
    /// Straight leg from the road to the end point, metres.
    pub access_out_m: f64,
    /// Seconds on that leg.
    pub access_out_s: f64,
    /// Door-to-door overheads included in `time_s` (the car time model's start and end), seconds.
    pub overhead_s: f64,
    /// Roads used, in order (a road appears once however much of it is used).
    pub roads: Vec<RoadId>,
    /// The way travelled as a line in the network's CRS, access legs included: start point, the
    /// snapped point, the roads' shapes, the end's snapped point, the end point.
    pub path: Vec<Xy>,
}

impl Route {
    /// [`Route::path`] as longitude/latitude (GeoJSON order), through the network's CRS.
    pub fn path_lon_lat(&self, network: &Network) -> Vec<LonLat> {
        self.path.iter().map(|&p| network.unproject(p)).collect()
    }
    /// Metres on the road network (the total without the access legs).
    pub fn network_m(&self) -> f64 {
        self.distance_m - self.access_in_m - self.access_out_m
    }
}

/// Where the best way to a target came from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Via {
    /// Straight line between two points snapped to the same spot.
    SameSpot,
    /// Along the start's own road.
    Direct,
    /// Through a junction, then along the target's road.
    Node(NodeId),
}

/// Costs from one start to every junction, and so to any point: one search, many lookups.
#[derive(Debug, Clone)]
pub struct CostMap<'e> {
    network: &'e Network,
    graph: &'e ProfileGraph,
    objective: Objective,
    /// The start, when it is a point (None: a junction).
    from: Option<Position>,
    from_node: Option<NodeId>,
    best: Vec<Option<Cost>>,
    /// Per junction: the incoming (tail, road) of its best route, or NO_PARENT at a start.
    parent: Vec<(u32, u32)>,
}

impl<'e> CostMap<'e> {
    pub(crate) fn from_position(
        network: &'e Network,
        graph: &'e ProfileGraph,
        objective: Objective,
        from: Position,
    ) -> Self {
        let road = network.road(from.road);
        let (len, time) = graph.road_cost(from.road);
        let s = from.fraction;
        let here = Along::at(s, len, time);
        let start = access(&from, graph.access_mps);
        let mut seeds = Vec::new();
        if s == 1.0 {
            seeds.push((road.to, start));
        } else if graph.allows(from.road, true) {
            let leave = if s == 0.0 {
                graph.delay_ms(road.from)
            } else {
                0
            };
            seeds.push((road.to, start.add(len - here.mm, time - here.ms + leave)));
        }
        if s == 0.0 {
            seeds.push((road.from, start));
        } else if graph.allows(from.road, false) {
            let leave = if s == 1.0 { graph.delay_ms(road.to) } else { 0 };
            seeds.push((road.from, start.add(here.mm, here.ms + leave)));
        }
        Self::search(network, graph, objective, Some(from), None, &seeds)
    }

    pub(crate) fn from_node(
        network: &'e Network,
        graph: &'e ProfileGraph,
        objective: Objective,
        from: NodeId,
    ) -> Self {
        Self::search(
            network,
            graph,
            objective,
            None,
            Some(from),
            &[(from, Cost::ZERO)],
        )
    }

    fn search(
        network: &'e Network,
        graph: &'e ProfileGraph,
        objective: Objective,
        from: Option<Position>,
        from_node: Option<NodeId>,
        seeds: &[(NodeId, Cost)],
    ) -> Self {
        let n = graph.node_count();
        let mut best: Vec<Option<Cost>> = vec![None; n];
        let mut parent = vec![(NO_PARENT, NO_PARENT); n];
        let mut heap = BinaryHeap::new();
        for &(v, c) in seeds {
            let v = v.index();
            if best[v].is_none_or(|b| c.key(objective) < b.key(objective)) {
                best[v] = Some(c);
                parent[v] = (NO_PARENT, NO_PARENT);
                heap.push(HeapItem(c.key(objective), v as u32));
            }
        }
        while let Some(HeapItem(key, node)) = heap.pop() {
            let u = node as usize;
            let cost = match best[u] {
                Some(b) if b.key(objective) == key => b,
                _ => continue,
            };
            for link in graph.outgoing(u) {
                let c = cost.add(link.mm, link.ms);
                let v = link.node as usize;
                if best[v].is_none_or(|b| c.key(objective) < b.key(objective)) {
                    best[v] = Some(c);
                    parent[v] = (u as u32, link.road);
                    heap.push(HeapItem(c.key(objective), v as u32));
                }
            }
        }
        Self {
            network,
            graph,
            objective,
            from,
            from_node,
            best,
            parent,
        }
    }

    /// The objective searched.
    pub fn objective(&self) -> Objective {
        self.objective
    }

    fn trip(&self, c: Cost, overhead: bool) -> Trip {
        let extra = if overhead { self.graph.overhead_ms } else { 0 };
        Trip {
            distance_m: c.distance_mm as f64 / 1000.0,
            time_s: (c.time_ms + extra) as f64 / 1000.0,
        }
    }

    /// Cost to a junction (no access leg at the end, no overheads), or `None` if unreachable.
    pub fn to_node(&self, node: NodeId) -> Option<Trip> {
        self.best
            .get(node.index())
            .copied()
            .flatten()
            .map(|c| self.trip(c, false))
    }

    /// Cost to a point snapped to the network (its access leg and any overheads included).
    pub fn to(&self, target: &Position) -> Option<Trip> {
        self.best_to(target).map(|(c, _)| self.trip(c, true))
    }

    fn best_to(&self, t: &Position) -> Option<(Cost, Via)> {
        let objective = self.objective;
        let g = self.graph;
        let road = self.network.road(t.road);
        let (len, time) = g.road_cost(t.road);
        let f = t.fraction;
        let there = Along::at(f, len, time);
        let leg = access(t, g.access_mps);
        let mut best: Option<(Cost, Via)> = None;
        let mut consider = |c: Cost, via: Via| {
            if best.is_none_or(|(b, _)| c.key(objective) < b.key(objective)) {
                best = Some((c, via));
            }
        };
        if let Some(c) = self.best[road.from.index()] {
            if f == 0.0 {
                consider(c.add(leg.distance_mm, leg.time_ms), Via::Node(road.from));
            } else if g.allows(t.road, true) {
                let c = c
                    .add(there.mm, there.ms + g.delay_ms(road.from))
                    .add(leg.distance_mm, leg.time_ms);
                consider(c, Via::Node(road.from));
            }
        }
        if let Some(c) = self.best[road.to.index()] {
            if f == 1.0 {
                consider(c.add(leg.distance_mm, leg.time_ms), Via::Node(road.to));
            } else if g.allows(t.road, false) {
                let c = c
                    .add(len - there.mm, time - there.ms + g.delay_ms(road.to))
                    .add(leg.distance_mm, leg.time_ms);
                consider(c, Via::Node(road.to));
            }
        }
        if let Some(o) = self.from.filter(|o| o.road == t.road) {
            if o.point.distance_m(t.point) <= JUNCTION_TOLERANCE_M {
                let d = mm(o.input.distance_m(t.input));
                let c = Cost {
                    distance_mm: d,
                    time_ms: walk_ms(d, g.access_mps),
                    label: 0,
                };
                consider(c, Via::SameSpot);
            } else {
                let s = o.fraction;
                let here = Along::at(s, len, time);
                let start = access(&o, g.access_mps);
                let along = if f > s && g.allows(t.road, true) {
                    let leave = if s == 0.0 { g.delay_ms(road.from) } else { 0 };
                    Some((there.mm - here.mm, there.ms - here.ms + leave))
                } else if f < s && g.allows(t.road, false) {
                    let leave = if s == 1.0 { g.delay_ms(road.to) } else { 0 };
                    Some((here.mm - there.mm, here.ms - there.ms + leave))
                } else if f == s {
                    Some((0, 0))
                } else {
                    None
                };
                if let Some((d, tm)) = along {
                    let c = start.add(d, tm).add(leg.distance_mm, leg.time_ms);
                    consider(c, Via::Direct);
                }
            }
        }
        best
    }

    /// The junctions and roads from the start to `node`, start first.
    fn chain(&self, node: NodeId) -> Vec<(NodeId, Option<RoadId>)> {
        let mut out = vec![(node, None)];
        let mut v = node.index();
        while self.parent[v].0 != NO_PARENT {
            let (u, road) = self.parent[v];
            out.last_mut().expect("non-empty").1 = Some(RoadId::new(road as usize));
            out.push((NodeId::new(u as usize), None));
            v = u as usize;
        }
        out.reverse();
        // Each entry: a junction and the road taken to reach it (None for the first).
        out
    }

    /// The full route to a point: totals, access legs and path.
    pub fn route_to(&self, target: &Position) -> Option<Route> {
        let (cost, via) = self.best_to(target)?;
        let g = self.graph;
        let net = self.network;
        let overhead = g.overhead_ms;
        let leg_in = self
            .from
            .map(|o| access(&o, g.access_mps))
            .unwrap_or(Cost::ZERO);
        let leg_out = access(target, g.access_mps);
        let mut roads = Vec::new();
        let mut path = Vec::new();
        let push = |path: &mut Vec<Xy>, p: Xy| {
            if path.last() != Some(&p) {
                path.push(p);
            }
        };
        let (leg_in, leg_out) = match via {
            Via::SameSpot => {
                let o = self.from.expect("same spot needs a start point");
                push(&mut path, o.input);
                push(&mut path, target.input);
                // The whole trip is one straight walk: report it as the start's leg.
                (cost, Cost::ZERO)
            }
            Via::Direct => {
                let o = self.from.expect("direct needs a start point");
                push(&mut path, o.input);
                for p in slice(net, o.road, o.fraction, target.fraction) {
                    push(&mut path, p);
                }
                push(&mut path, target.input);
                roads.push(o.road);
                (leg_in, leg_out)
            }
            Via::Node(end) => {
                if let Some(o) = self.from {
                    push(&mut path, o.input);
                    let first = self.chain(end)[0].0;
                    let r = net.road(o.road);
                    let f = if first == r.to { 1.0 } else { 0.0 };
                    if o.fraction != f {
                        roads.push(o.road);
                    }
                    for p in slice(net, o.road, o.fraction, f) {
                        push(&mut path, p);
                    }
                } else if let Some(n) = self.from_node {
                    push(&mut path, net.node(n));
                }
                let chain = self.chain(end);
                for w in chain.windows(2) {
                    let (u, _) = w[0];
                    let (_, road) = w[1];
                    let road = road.expect("every step after the first has a road");
                    let r = net.road(road);
                    let (a, b) = if r.from == u { (0.0, 1.0) } else { (1.0, 0.0) };
                    if roads.last() != Some(&road) {
                        roads.push(road);
                    }
                    for p in slice(net, road, a, b) {
                        push(&mut path, p);
                    }
                }
                let r = net.road(target.road);
                let f = if end == r.from { 0.0 } else { 1.0 };
                if f != target.fraction && roads.last() != Some(&target.road) {
                    roads.push(target.road);
                }
                for p in slice(net, target.road, f, target.fraction) {
                    push(&mut path, p);
                }
                push(&mut path, target.input);
                (leg_in, leg_out)
            }
        };
        Some(Route {
            distance_m: cost.distance_mm as f64 / 1000.0,
            time_s: (cost.time_ms + overhead) as f64 / 1000.0,
            access_in_m: leg_in.distance_mm as f64 / 1000.0,
            access_in_s: leg_in.time_ms as f64 / 1000.0,
            access_out_m: leg_out.distance_mm as f64 / 1000.0,
            access_out_s: leg_out.time_ms as f64 / 1000.0,
            overhead_s: overhead as f64 / 1000.0,
            roads,
            path,
        })
    }

    /// The route to a junction (no access leg at the end, no overheads).
    pub fn route_to_node(&self, node: NodeId) -> Option<Route> {
        let cost = self.best.get(node.index()).copied().flatten()?;
        let net = self.network;
        let mut path = Vec::new();
        let mut roads = Vec::new();
        let leg_in = match self.from {
            Some(o) => {
                path.push(o.input);
                let first = self.chain(node)[0].0;
                let r = net.road(o.road);
                let f = if first == r.to { 1.0 } else { 0.0 };
                if o.fraction != f {
                    roads.push(o.road);
                }
                path.extend(slice(net, o.road, o.fraction, f));
                access(&o, self.graph.access_mps)
            }
            None => Cost::ZERO,
        };
        let chain = self.chain(node);
        if self.from.is_none() {
            path.push(net.node(chain[0].0));
        }
        for w in chain.windows(2) {
            let (u, _) = w[0];
            let road = w[1].1.expect("every step after the first has a road");
            let r = net.road(road);
            let (a, b) = if r.from == u { (0.0, 1.0) } else { (1.0, 0.0) };
            roads.push(road);
            path.extend(slice(net, road, a, b));
        }
        path.dedup();
        Some(Route {
            distance_m: cost.distance_mm as f64 / 1000.0,
            time_s: cost.time_ms as f64 / 1000.0,
            access_in_m: leg_in.distance_mm as f64 / 1000.0,
            access_in_s: leg_in.time_ms as f64 / 1000.0,
            access_out_m: 0.0,
            access_out_s: 0.0,
            overhead_s: 0.0,
            roads,
            path,
        })
    }
}

/// The part of a road's shape between two fractions of its planar length, in travel order.
fn slice(network: &Network, road: RoadId, from: f64, to: f64) -> Vec<Xy> {
    let geometry = &network.road(road).geometry;
    let (lo, hi, reversed) = if from <= to {
        (from, to, false)
    } else {
        (to, from, true)
    };
    let total: f64 = crate::network::polyline_length(geometry);
    let at = |f: f64| -> (usize, Xy) {
        // The segment holding the point at fraction f, and the point.
        let target = f * total;
        let mut walked = 0.0;
        for (i, w) in geometry.windows(2).enumerate() {
            let seg = w[0].distance_m(w[1]);
            if walked + seg >= target || i + 2 == geometry.len() {
                let t = if seg > 0.0 {
                    ((target - walked) / seg).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let p = match t {
                    0.0 => w[0],
                    1.0 => w[1],
                    _ => Xy::new(
                        w[0].x_m + t * (w[1].x_m - w[0].x_m),
                        w[0].y_m + t * (w[1].y_m - w[0].y_m),
                    ),
                };
                return (i, p);
            }
            walked += seg;
        }
        (0, geometry[0])
    };
    let (i0, p0) = if lo <= 0.0 { (0, geometry[0]) } else { at(lo) };
    let (i1, p1) = if hi >= 1.0 {
        (geometry.len() - 2, geometry[geometry.len() - 1])
    } else {
        at(hi)
    };
    let mut out = vec![p0];
    out.extend_from_slice(&geometry[i0 + 1..=i1]);
    out.push(p1);
    out.dedup();
    if reversed {
        out.reverse();
    }
    out
}
