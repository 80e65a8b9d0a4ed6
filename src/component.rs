//! Connected parts of a mode's graph, so that points are not silently snapped onto islands.
//!
//! For drive the parts are strongly connected components (one-way streets matter); for walk every
//! road is two-way, so they are plain connected components. A component's id is its lowest junction
//! index, so ids do not depend on the order the algorithm visits them.

use petgraph::algo::kosaraju_scc;

use crate::network::{Mode, Network};

/// Which component something is in, and how big that component is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentInfo {
    /// Component id: the lowest junction index in it.
    pub id: u32,
    /// Number of junctions in it.
    pub nodes: usize,
    /// True for the mode's largest component (ties: lowest id).
    pub largest: bool,
}

/// The components of one mode's graph.
///
/// ```
/// use travel_impact::{NetworkBuilder, RoadSpec, NetworkOptions, Mode, component::Components};
/// use geo::coord;
/// let mut b = NetworkBuilder::new();
/// for (id, x) in [(1, 0.0), (2, 100.0), (3, 200.0), (4, 5000.0), (5, 5100.0)] {
///     b.node(id, coord! { x: x, y: 0.0 });
/// }
/// b.road(RoadSpec::new(1, 1, 2)).road(RoadSpec::new(2, 2, 3)).road(RoadSpec::new(3, 4, 5));
/// let net = b.build(NetworkOptions::default()).unwrap();
/// let c = Components::new(&net, Mode::Walk);
/// assert_eq!(c.count(), 2);
/// assert_eq!(c.of_road(&net, 2).nodes, 2); // the island 4-5
/// assert!(c.of_road(&net, 0).largest);
/// ```
#[derive(Debug, Clone)]
pub struct Components {
    id: Vec<u32>,
    size: Vec<u32>,
    largest: u32,
    count: usize,
}

impl Components {
    /// Computes the components of `mode`'s graph.
    pub fn new(network: &Network, mode: Mode) -> Self {
        let n = network.node_count();
        let mut id = vec![0u32; n];
        let mut size = vec![0u32; n];
        // Kosaraju is iterative; petgraph's Tarjan recurses and overflows small thread stacks on 49k nodes.
        let sccs = kosaraju_scc(network.graph(mode));
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

    /// Number of components (junctions with no road for this mode count as one each).
    pub fn count(&self) -> usize {
        self.count
    }

    /// The component of junction `node`.
    pub fn of_node(&self, node: usize) -> ComponentInfo {
        ComponentInfo {
            id: self.id[node],
            nodes: self.size[node] as usize,
            largest: self.id[node] == self.largest,
        }
    }

    /// The component a point on road `road` belongs to: the larger of its two ends' components
    /// (ties: lower id). A one-way road joining two components is usable from the larger one.
    pub fn of_road(&self, network: &Network, road: usize) -> ComponentInfo {
        let r = &network.roads()[road];
        let (a, b) = (self.of_node(r.from), self.of_node(r.to));
        if (b.nodes, std::cmp::Reverse(b.id)) > (a.nodes, std::cmp::Reverse(a.id)) {
            b
        } else {
            a
        }
    }
}
