//! The k nearest facilities from every origin, from one labelled search: the fallbacks a family
//! has when its nearest site is full or closed, with no origin × facility matrix.
//!
//! The multi-source search of [`Nearest`](crate::engine::search) keeps one label per junction;
//! this one keeps up to k, of distinct facilities. A junction settles a (facility, cost) the
//! first time that facility is popped for it, and stops taking labels once it holds k. That is
//! exact: if facility F is among a point's k nearest, it is among the k nearest of every junction
//! on F's best route to it, since k facilities nearer to such a junction would each reach the
//! point through it more cheaply than F does (adding the same arcs keeps the order of the tie
//! key). Costs are the same exact integers, with the same tie rule ([`Cost::key`]): lower cost by
//! the objective, then the facility whose id sorts first, then the lower other figure.

use std::collections::BinaryHeap;

use rayon::prelude::*;

use crate::engine::Router;
use crate::engine::placed::{Access, PlacedScenario, Unreachable};
use crate::engine::search::{Cost, HeapItem, Objective, Seed, origin_offers, seed_offers};
use crate::engine::snaps::Snaps;
use crate::error::{Error, Result};
use crate::load::{FacilityIdx, Origin};
use crate::network::prepared::ProfileGraph;
use crate::network::{Network, NodeId};

/// One search keeping up to `k` labels per junction.
struct KSearch {
    k: usize,
    /// Junction `v`'s labels are `costs[v * k..v * k + count[v]]`, in key order.
    costs: Vec<Cost>,
    count: Vec<u32>,
}

impl KSearch {
    fn run(
        network: &Network,
        graph: &ProfileGraph,
        objective: Objective,
        seeds: &[Seed],
        k: usize,
    ) -> Self {
        let n = graph.node_count();
        let mut s = KSearch {
            k,
            costs: vec![Cost::ZERO; n * k],
            count: vec![0; n],
        };
        let mut heap = BinaryHeap::new();
        // Lazy: an offer is pushed unless the junction is full or already holds the facility; the
        // pop in key order decides.
        let offer = |s: &KSearch, heap: &mut BinaryHeap<HeapItem>, node: usize, c: Cost| {
            if !s.full_or_holds(node, c.label) {
                heap.push(HeapItem(c.key(objective), node as u32));
            }
        };
        seed_offers(network, graph, seeds, |node, c| {
            offer(&s, &mut heap, node, c)
        });
        while let Some(HeapItem(key, node)) = heap.pop() {
            let v = node as usize;
            let cost = from_key(key, objective);
            if s.full_or_holds(v, cost.label) {
                continue;
            }
            s.costs[v * k + s.count[v] as usize] = cost;
            s.count[v] += 1;
            for link in graph.incoming(v) {
                offer(
                    &s,
                    &mut heap,
                    link.node as usize,
                    cost.add(link.mm, link.ms),
                );
            }
        }
        s
    }

    fn at(&self, node: NodeId) -> &[Cost] {
        let v = node.index();
        &self.costs[v * self.k..v * self.k + self.count[v] as usize]
    }

    fn full_or_holds(&self, v: usize, label: u32) -> bool {
        let held = &self.costs[v * self.k..v * self.k + self.count[v] as usize];
        held.len() == self.k || held.iter().any(|c| c.label == label)
    }
}

/// The cost a tie key was made from.
fn from_key((first, label, second): (u64, u32, u64), objective: Objective) -> Cost {
    let (distance_mm, time_ms) = match objective {
        Objective::Distance => (first, second),
        Objective::Time => (second, first),
    };
    Cost {
        distance_mm,
        time_ms,
        label,
    }
}

/// Per origin, its k nearest facilities nearest first, or why it has none
/// ([`Router::k_nearest`]).
pub type Fallbacks = std::result::Result<Vec<Access>, Unreachable>;

impl<'e> Router<'e> {
    /// Each origin's `k` nearest facilities of `placed` (distinct facilities, nearest first, by
    /// `placed`'s objective), from one search keeping `k` labels per junction. Fewer than `k`
    /// when fewer are reachable; the first is exactly [`Router::nearest`]'s answer. `snaps`
    /// must come from [`Router::snap_origins`] for the same origins.
    ///
    /// ```
    /// use travel_impact::{Engine, EngineOptions, Facilities, NetworkBuilder, Objective, Origin,
    ///     RoadSpec, Scenario, geom::Xy};
    /// // A 3 km street with sites at 0, 1 and 3 km.
    /// let mut b = NetworkBuilder::new();
    /// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(3000.0, 0.0));
    /// b.road(RoadSpec::new(1, 1, 2));
    /// let engine = Engine::new(b.build()?, EngineOptions::default());
    /// let sites = Facilities::from_points([
    ///     ("a", Xy::new(0.0, 0.0)), ("b", Xy::new(1000.0, 0.0)), ("c", Xy::new(3000.0, 0.0)),
    /// ])?;
    /// let walk = engine.profile("walk")?;
    /// let placed = walk.place(&Scenario::new("all", &sites, ["a", "b", "c"])?, Objective::Distance);
    /// let homes = [Origin::new("home", Xy::new(2500.0, 0.0))];
    /// let lists = walk.k_nearest(&placed, &homes, &walk.snap_origins(&homes), 2)?;
    /// let got: Vec<(usize, f64)> = lists[0].as_ref().unwrap().iter()
    ///     .map(|a| (a.facility.index(), a.distance_m)).collect();
    /// assert_eq!(got, [(2, 500.0), (1, 1500.0)]); // c, then b
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn k_nearest(
        &self,
        placed: &PlacedScenario,
        origins: &[Origin],
        snaps: &Snaps,
        k: usize,
    ) -> Result<Vec<Fallbacks>> {
        if k == 0 {
            return Err(Error::InvalidOption {
                option: "k",
                message: "k must be at least 1".into(),
            });
        }
        self.check_inputs(origins.len(), snaps, placed)?;
        snaps.check_origins(origins, None)?;
        let objective = placed.objective();
        // No more labels per junction than there are facilities.
        let k = k.min(placed.scenario.facilities().len());
        let (seeds, by_road) = placed.search.seeds();
        let search = KSearch::run(self.network(), self.graph(), objective, seeds, k);
        let graph = self.graph();
        let any_placed = placed.any_placed();
        Ok((0..origins.len())
            .into_par_iter()
            .map(|i| {
                let (road, legs) = snaps.legs(i).map_err(Unreachable::NotSnapped)?;
                if !any_placed {
                    return Err(Unreachable::NoFacilityPlaced);
                }
                let mut found: Vec<Cost> = Vec::with_capacity(2 * k + 2);
                origin_offers(
                    graph,
                    seeds,
                    by_road,
                    road,
                    &legs,
                    || self.snap_again(origins[i].point),
                    |end| search.at(graph.end(road, end)).iter().copied(),
                    |c| found.push(c),
                );
                // Each facility's best, then the k best of those.
                found.sort_unstable_by_key(|c| c.key(objective));
                let mut list: Vec<Access> = Vec::with_capacity(k);
                for c in found {
                    if list.len() == k {
                        break;
                    }
                    if list.iter().any(|a| a.facility.index() == c.label as usize) {
                        continue;
                    }
                    list.push(Access {
                        facility: FacilityIdx::new(c.label as usize),
                        distance_m: c.distance_mm as f64 / 1000.0,
                        time_s: (c.time_ms + graph.overhead_ms) as f64 / 1000.0,
                    });
                }
                if list.is_empty() {
                    Err(Unreachable::NoFacilityReachable)
                } else {
                    Ok(list)
                }
            })
            .collect())
    }
}
