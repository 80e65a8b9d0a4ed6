//! A profile prepared on a network: flat arrays of arcs with exact costs, per-road costs and
//! directions, junction delays and components. Built once; a query never looks at the profile again.

use petgraph::graph::{DiGraph, NodeIndex};
use rayon::prelude::*;

use super::component::Components;
use super::cost::{mm, ms};
use super::model::Network;
use super::profile::Profile;
use super::road::{End, NodeId, RoadId};

/// One arc of a prepared graph, seen from one end: the junction at the other end, the road, and
/// the exact cost of travelling it (time includes the delay of the junction it leaves).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Link {
    /// The other junction: the head for outgoing arcs, the tail for incoming ones.
    pub(crate) node: u32,
    /// The road it runs along.
    pub(crate) road: u32,
    /// Whole millimetres.
    pub(crate) mm: u64,
    /// Whole milliseconds.
    pub(crate) ms: u64,
}

/// Compressed adjacency: the links of junction `v` are `links[start[v]..start[v + 1]]`.
#[derive(Debug, Clone, Default)]
struct Adjacency {
    start: Vec<u32>,
    links: Vec<Link>,
}

impl Adjacency {
    /// `arcs` as (tail, head, road, mm, ms), grouped by `key` (tail for outgoing, head for
    /// incoming); within a junction, arcs keep their input order, so the layout is deterministic.
    fn of(n: usize, arcs: &[(u32, u32, u32, u64, u64)], outgoing: bool) -> Self {
        let mut start = vec![0u32; n + 1];
        for a in arcs {
            let k = if outgoing { a.0 } else { a.1 };
            start[k as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut links = vec![
            Link {
                node: 0,
                road: 0,
                mm: 0,
                ms: 0
            };
            arcs.len()
        ];
        for &(tail, head, road, mm, ms) in arcs {
            let (k, other) = if outgoing { (tail, head) } else { (head, tail) };
            links[fill[k as usize] as usize] = Link {
                node: other,
                road,
                mm,
                ms,
            };
            fill[k as usize] += 1;
        }
        Self { start, links }
    }
    fn of_node(&self, v: usize) -> &[Link] {
        &self.links[self.start[v] as usize..self.start[v + 1] as usize]
    }
}

const FORWARD: u8 = 1;
const BACKWARD: u8 = 2;

/// A [`Profile`] prepared on a [`Network`].
#[derive(Debug, Clone)]
pub(crate) struct ProfileGraph {
    pub(crate) profile: Profile,
    /// Per road, what the search and a point's legs read, in one record (one cache line, not three).
    roads: Vec<RoadRec>,
    /// Per road, its (from, to) junctions again, compact: each search reads it for every road
    /// (to write its per-road table of both ends' costs), and k-nearest lookups for a random
    /// road; 8 bytes a road stay in cache where 32 do not.
    ends: Vec<[u32; 2]>,
    /// Per junction: ms charged on leaving it (empty: no delays).
    delay_ms: Vec<u64>,
    out: Adjacency,
    inc: Adjacency,
    pub(crate) components: Components,
    /// Door-to-door overheads added to every trip's time.
    pub(crate) overhead_ms: u64,
    /// Access-leg walking speed, m/s.
    pub(crate) access_mps: f64,
}

/// One road as the search sees it.
#[derive(Debug, Clone, Copy)]
struct RoadRec {
    /// Whole road, without junction delays.
    mm: u64,
    ms: u64,
    /// Its junctions.
    from: u32,
    to: u32,
    /// FORWARD | BACKWARD bits.
    dirs: u8,
}

impl ProfileGraph {
    pub(crate) fn new(network: &Network, profile: Profile) -> Self {
        let n = network.node_count();
        let roads = network.roads();
        // Each road's costs and directions are independent (tag lookups): in parallel.
        let recs: Vec<RoadRec> = roads
            .par_iter()
            .map(|r| {
                let speed = profile.speed_on(r);
                RoadRec {
                    mm: mm(r.length_m),
                    ms: speed.map_or(0, |kmh| ms(r.length_m / (kmh / 3.6))),
                    from: r.from.index() as u32,
                    to: r.to.index() as u32,
                    dirs: u8::from(profile.allows(r, true)) * FORWARD
                        + u8::from(profile.allows(r, false)) * BACKWARD,
                }
            })
            .collect();
        let mut degree = vec![0u32; n];
        for r in recs.iter().filter(|r| r.dirs != 0) {
            degree[r.from as usize] += 1;
            degree[r.to as usize] += 1;
        }
        let delay = profile
            .car_time
            .as_ref()
            .map_or(0, |m| ms(m.junction_delay_s));
        let delay_ms: Vec<u64> = if delay > 0 {
            degree
                .iter()
                .map(|&d| if d >= 3 { delay } else { 0 })
                .collect()
        } else {
            Vec::new()
        };
        let at = |v: usize| delay_ms.get(v).copied().unwrap_or(0);
        let mut arcs: Vec<(u32, u32, u32, u64, u64)> = Vec::with_capacity(roads.len() * 2);
        for (i, r) in recs.iter().enumerate() {
            let (a, b) = (r.from, r.to);
            if r.dirs & FORWARD != 0 {
                arcs.push((a, b, i as u32, r.mm, r.ms + at(a as usize)));
            }
            if r.dirs & BACKWARD != 0 {
                arcs.push((b, a, i as u32, r.mm, r.ms + at(b as usize)));
            }
        }
        // The components and the two adjacency lists are independent: side by side.
        let (components, (out, inc)) = rayon::join(
            || {
                // Kosaraju is iterative; petgraph's Tarjan recurses and overflows small thread
                // stacks.
                let mut g: DiGraph<(), (), u32> = DiGraph::with_capacity(n, arcs.len());
                for _ in 0..n {
                    g.add_node(());
                }
                for &(a, b, ..) in &arcs {
                    g.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), ());
                }
                Components::new(n, petgraph::algo::kosaraju_scc(&g))
            },
            || {
                rayon::join(
                    || Adjacency::of(n, &arcs, true),
                    || Adjacency::of(n, &arcs, false),
                )
            },
        );
        let overhead_ms = profile
            .car_time
            .as_ref()
            .map_or(0, |m| ms(m.start_s) + ms(m.end_s));
        let ends = recs.iter().map(|r| [r.from, r.to]).collect();
        Self {
            ends,
            access_mps: profile.access_speed_kmh / 3.6,
            out,
            inc,
            profile,
            roads: recs,
            delay_ms,
            components,
            overhead_ms,
        }
    }

    /// Number of junctions.
    pub(crate) fn node_count(&self) -> usize {
        self.out.start.len() - 1
    }
    /// Arcs arriving at `v`, with their tails.
    pub(crate) fn incoming(&self, v: usize) -> &[Link] {
        self.inc.of_node(v)
    }
    /// Arcs leaving `v`, with their heads.
    pub(crate) fn outgoing(&self, v: usize) -> &[Link] {
        self.out.of_node(v)
    }
    /// Number of arcs.
    pub(crate) fn arc_count(&self) -> usize {
        self.out.links.len()
    }
    /// Whether the profile may travel along `road` from `from` to `to` (`forward`) or back.
    pub(crate) fn allows(&self, road: RoadId, forward: bool) -> bool {
        self.roads[road.index()].dirs & if forward { FORWARD } else { BACKWARD } != 0
    }
    /// Whether the profile uses `road` at all (and so may snap to it).
    pub(crate) fn usable(&self, road: RoadId) -> bool {
        self.roads[road.index()].dirs != 0
    }
    /// The road's `from` and `to` junctions (a compact copy: lookups touch this, not the roads).
    pub(crate) fn ends(&self, road: RoadId) -> (NodeId, NodeId) {
        let [from, to] = self.ends[road.index()];
        (NodeId::new(from as usize), NodeId::new(to as usize))
    }
    /// The junction at one end of `road`.
    pub(crate) fn end(&self, road: RoadId, end: End) -> NodeId {
        let [from, to] = self.ends[road.index()];
        NodeId::new(match end {
            End::To => to,
            End::From => from,
        } as usize)
    }
    /// Everything [`Legs`](crate::engine::search::Legs) needs of a road, from its one record (a
    /// point's legs are worked out in snapping order, where the road is a random read: one cache
    /// line, not two): its junctions, exact (mm, ms), and whether it may be travelled forward and
    /// back.
    pub(crate) fn road_view(&self, road: RoadId) -> ((NodeId, NodeId), (u64, u64), (bool, bool)) {
        let r = &self.roads[road.index()];
        (
            (NodeId::new(r.from as usize), NodeId::new(r.to as usize)),
            (r.mm, r.ms),
            (r.dirs & FORWARD != 0, r.dirs & BACKWARD != 0),
        )
    }
    /// The whole road's exact (mm, ms), without junction delays.
    pub(crate) fn road_cost(&self, road: RoadId) -> (u64, u64) {
        let r = &self.roads[road.index()];
        (r.mm, r.ms)
    }
    /// Milliseconds charged on leaving junction `v` along a road.
    pub(crate) fn delay_ms(&self, v: NodeId) -> u64 {
        self.delay_ms.get(v.index()).copied().unwrap_or(0)
    }
}
