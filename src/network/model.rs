//! The road network: junctions and roads in one planar CRS, as the data describes them. How each
//! travel mode may use it is a [`Profile`](crate::Profile)'s business, prepared per profile by the
//! engine.

use super::road::{NodeId, Road, RoadId};
use crate::geom::{Crs, LonLat, Xy};

/// A road network: junctions, and roads with geometry, in one [`Crs`].
///
/// Parallel roads between the same two junctions and loops are all kept: each is its own arc,
/// so the search simply takes the cheapest.
///
/// ```
/// use travel_impact::{Network, geom::Crs};
/// let net = Network::from_csv(
///     "data/roads/nodes.csv.gz".as_ref(),
///     "data/roads/edges.csv.gz".as_ref(),
/// ).unwrap();
/// assert_eq!(net.node_count(), 49_215);
/// assert_eq!(net.crs(), Crs::BritishNationalGrid);
/// ```
#[derive(Debug, Clone)]
pub struct Network {
    crs: Crs,
    node_ids: Vec<u64>,
    nodes: Vec<Xy>,
    roads: Vec<Road>,
}

impl Network {
    pub(crate) fn assemble(crs: Crs, node_ids: Vec<u64>, nodes: Vec<Xy>, roads: Vec<Road>) -> Self {
        Self {
            crs,
            node_ids,
            nodes,
            roads,
        }
    }

    /// The planar CRS of every coordinate in the network.
    pub fn crs(&self) -> Crs {
        self.crs
    }
    /// A longitude/latitude in the network's CRS.
    pub fn project(&self, p: LonLat) -> Xy {
        self.crs.forward(p)
    }
    /// A network point as longitude/latitude.
    pub fn unproject(&self, p: Xy) -> LonLat {
        self.crs.inverse(p)
    }
    /// Number of junctions.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
    /// Position of a junction.
    pub fn node(&self, node: NodeId) -> Xy {
        self.nodes[node.index()]
    }
    /// Source id of a junction.
    pub fn node_id(&self, node: NodeId) -> u64 {
        self.node_ids[node.index()]
    }
    /// The junction with source id `id`.
    pub fn find_node(&self, id: u64) -> Option<NodeId> {
        self.node_ids.iter().position(|&n| n == id).map(NodeId::new)
    }
    /// All roads, in input order (a [`RoadId`] indexes this list).
    pub fn roads(&self) -> &[Road] {
        &self.roads
    }
    /// One road.
    pub fn road(&self, road: RoadId) -> &Road {
        &self.roads[road.index()]
    }
}
