//! Snapping points to the nearest point on the nearest usable road segment, with an rstar R-tree.

use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use crate::network::{Mode, Network, polyline_length};
use crate::projection::BngCoord;

/// Default snapping radius (metres): a point further than this from every usable road is not snapped.
pub const DEFAULT_MAX_SNAP_M: f64 = 1_500.0;

/// Where a point landed on the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// Index of the road in [`Network::roads`].
    pub road: usize,
    /// Position along the road from its `from` junction, as a share of its length (0..=1).
    pub fraction: f64,
    /// The snapped point (BNG metres).
    pub point: BngCoord,
    /// Straight-line distance from the input point to the snapped point (metres): the access leg.
    pub distance_m: f64,
}

/// Why a point was not snapped.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum SnapError {
    /// The point's coordinates are NaN or infinite.
    #[error("coordinates are not finite")]
    NotFinite,
    /// The only usable roads within the radius are on a small island (a component of fewer
    /// junctions than the engine's `min_component_nodes`, and not the mode's largest).
    #[error(
        "the nearest road ({distance_m:.0} m) is on an island of {nodes} junctions; not snapped (lower min_component_nodes to allow)"
    )]
    Island {
        /// Junctions in the island.
        nodes: usize,
        /// Distance to the island road.
        distance_m: f64,
    },
    /// No road within the radius, but there would be with easting and northing swapped.
    #[error(
        "no road within the radius; easting and northing look swapped (swapped, the point is {distance_m:.0} m from a road)"
    )]
    LooksSwapped {
        /// Distance to a road after swapping.
        distance_m: f64,
    },
    /// No usable road within the radius; `nearest_m` is the distance to the nearest one, if any.
    #[error("no road usable by this mode within {radius_m} m{}", nearest_text(.nearest_m))]
    TooFar {
        /// The radius that was applied.
        radius_m: f64,
        /// Distance to the nearest usable road, if the mode can use any road at all.
        nearest_m: Option<f64>,
    },
}

fn nearest_text(nearest_m: &Option<f64>) -> String {
    match nearest_m {
        Some(d) => format!(" (nearest {d:.0} m)"),
        None => " (this mode can use no road)".to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Segment {
    road: u32,
    /// Planar distance from the road's start to this segment's start.
    start_m: f64,
}

type Entry = GeomWithData<Line<[f64; 2]>, Segment>;

/// An R-tree over every straight piece of every road.
///
/// Build it once per network and reuse it for every scenario and mode.
///
/// ```
/// use travel_impact::{NetworkBuilder, RoadSpec, NetworkOptions, SnapIndex, Mode};
/// use geo::coord;
/// let mut b = NetworkBuilder::new();
/// b.node(1, coord! { x: 0.0, y: 0.0 }).node(2, coord! { x: 100.0, y: 0.0 });
/// b.road(RoadSpec::new(7, 1, 2));
/// let net = b.build(NetworkOptions::default()).unwrap();
/// let index = SnapIndex::new(&net);
/// let s = index.snap(&net, coord! { x: 25.0, y: 10.0 }, Mode::Walk, 50.0).unwrap();
/// assert_eq!((s.road, s.fraction, s.distance_m), (0, 0.25, 10.0));
/// ```
#[derive(Debug, Clone)]
pub struct SnapIndex {
    tree: RTree<Entry>,
    /// Planar polyline length of each road.
    planar_m: Vec<f64>,
}

impl SnapIndex {
    /// Indexes every segment of every road of `network`.
    pub fn new(network: &Network) -> Self {
        let mut entries = Vec::new();
        let mut planar_m = Vec::with_capacity(network.roads().len());
        for (i, road) in network.roads().iter().enumerate() {
            let mut start_m = 0.0;
            for w in road.geometry.windows(2) {
                entries.push(Entry::new(
                    Line::new([w[0].x, w[0].y], [w[1].x, w[1].y]),
                    Segment {
                        road: i as u32,
                        start_m,
                    },
                ));
                start_m += (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
            }
            planar_m.push(polyline_length(&road.geometry));
        }
        Self {
            tree: RTree::bulk_load(entries),
            planar_m,
        }
    }

    /// Number of indexed segments.
    pub fn segment_count(&self) -> usize {
        self.tree.size()
    }

    /// Snaps `point` to the nearest point of the nearest road usable by `mode`, if within `max_m`.
    ///
    /// Tie rule: among segments at the same distance (within a micrometre), the road with the lowest
    /// index wins, then the segment nearest the road's start.
    pub fn snap(
        &self,
        network: &Network,
        point: BngCoord,
        mode: Mode,
        max_m: f64,
    ) -> Result<Snap, SnapError> {
        self.snap_where(point, max_m, |road| network.usable(mode, road))
    }

    /// Like [`SnapIndex::snap`], onto the nearest road for which `accept(road index)` holds.
    pub fn snap_where(
        &self,
        point: BngCoord,
        max_m: f64,
        accept: impl Fn(usize) -> bool,
    ) -> Result<Snap, SnapError> {
        if !point.x.is_finite() || !point.y.is_finite() {
            return Err(SnapError::NotFinite);
        }
        let q = [point.x, point.y];
        let mut best: Option<(f64, &Entry)> = None;
        for (entry, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&q) {
            let d = d2.sqrt();
            if let Some((bd, be)) = best {
                if d > bd + 1e-6 {
                    break;
                }
                let key = (entry.data.road, entry.data.start_m);
                if accept(entry.data.road as usize)
                    && (key.0, key.1) < (be.data.road, be.data.start_m)
                {
                    best = Some((bd, entry));
                }
                continue;
            }
            if accept(entry.data.road as usize) {
                if d > max_m {
                    return Err(SnapError::TooFar {
                        radius_m: max_m,
                        nearest_m: Some(d),
                    });
                }
                best = Some((d, entry));
            }
        }
        let Some((_, entry)) = best else {
            return Err(SnapError::TooFar {
                radius_m: max_m,
                nearest_m: None,
            });
        };
        let [a, b] = [entry.geom().from, entry.geom().to];
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let snapped = BngCoord {
            x: a[0] + t * dx,
            y: a[1] + t * dy,
        };
        let road = entry.data.road as usize;
        let total = self.planar_m[road];
        let fraction = if total > 0.0 {
            ((entry.data.start_m + t * len2.sqrt()) / total).clamp(0.0, 1.0)
        } else {
            0.0
        };
        Ok(Snap {
            road,
            fraction,
            point: snapped,
            distance_m: (q[0] - snapped.x).hypot(q[1] - snapped.y),
        })
    }
}
