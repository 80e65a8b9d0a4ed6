//! Connected parts of a profile's graph, so that points are not silently snapped onto islands.
//!
//! They are strongly connected components (one-way streets matter; with every road two-way they
//! are plain connected components). A component's id is its lowest junction index, so ids do not
//! depend on the order the algorithm visits them.

use petgraph::graph::NodeIndex;

use super::road::{NodeId, Road};

/// Which component something is in, and how big that component is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentInfo {
    /// Component id: the lowest junction index in it.
    pub id: u32,
    /// Number of junctions in it.
    pub nodes: usize,
    /// True for the profile's largest component (ties: lowest id).
    pub largest: bool,
}

/// The components of one profile's graph.
#[derive(Debug, Clone)]
pub(crate) struct Components {
    id: Vec<u32>,
    size: Vec<u32>,
    largest: u32,
    count: usize,
}

impl Components {
    /// From the strongly connected components petgraph found on `n` junctions.
    pub(crate) fn new(n: usize, sccs: Vec<Vec<NodeIndex<u32>>>) -> Self {
        let mut id = vec![0u32; n];
        let mut size = vec![0u32; n];
        let count = sccs.len();
        let mut largest = (0u32, u32::MAX);
        for comp in sccs {
            let cid = comp.iter().map(|v| v.index() as u32).min().unwrap_or(0);
            let len = comp.len() as u32;
            for v in comp {
                id[v.index()] = cid;
                size[v.index()] = len;
            }
            if len > largest.0 || (len == largest.0 && cid < largest.1) {
                largest = (len, cid);
            }
        }
        Self {
            id,
            size,
            largest: largest.1,
            count,
        }
    }

    /// Number of components (junctions with no usable road count as one each).
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// The component of a junction.
    pub(crate) fn of_node(&self, node: NodeId) -> ComponentInfo {
        let v = node.index();
        ComponentInfo {
            id: self.id[v],
            nodes: self.size[v] as usize,
            largest: self.id[v] == self.largest,
        }
    }

    /// The component a point on `road` belongs to: the larger of its two ends' components
    /// (ties: lower id). A one-way road joining two components is usable from the larger one.
    pub(crate) fn of_road(&self, road: &Road) -> ComponentInfo {
        let (a, b) = (self.of_node(road.from), self.of_node(road.to));
        if (b.nodes, std::cmp::Reverse(b.id)) > (a.nodes, std::cmp::Reverse(a.id)) {
            b
        } else {
            a
        }
    }
}
