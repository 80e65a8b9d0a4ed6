//! Snapping points to the nearest point on the nearest usable road segment, with an rstar R-tree.

use std::sync::OnceLock;

use rstar::primitives::{GeomWithData, Line};
use rstar::{PointDistance, RTree};

use crate::geom::Xy;
use crate::network::{Network, RoadId, polyline_length};

/// Default snapping radius (metres): a point further than this from every usable road is not snapped.
pub(crate) const DEFAULT_MAX_SNAP_M: f64 = 1_500.0;

/// A snapped point this close to a road's end (metres) is at that junction: its fraction is
/// exactly 0 or 1, so it may leave by every road meeting there, whatever float noise the
/// projection or the polyline arithmetic left. One millimetre is the resolution of every cost.
pub(crate) const JUNCTION_TOLERANCE_M: f64 = 1e-3;

/// Where a point landed on the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    /// The road.
    pub road: RoadId,
    /// Position along the road from its `from` junction, as a share of its length (0..=1);
    /// exactly 0 or 1 when the point is at a junction (within 1 mm of it).
    pub fraction: f64,
    /// The snapped point on the road.
    pub point: Xy,
    /// Straight-line distance from the input point to the snapped point (metres): the access leg.
    pub access_m: f64,
    /// The input point that was snapped.
    pub input: Xy,
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
    #[error("no road usable by this profile within {radius_m} m{}", nearest_text(.nearest_m))]
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
        None => " (this profile can use no road)".to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Segment {
    road: u32,
    /// Position in `SnapIndex::segments`.
    idx: u32,
    /// Planar distance from the road's start to this segment's start.
    start_m: f64,
    /// The segment starts at the road's `from` junction.
    first: bool,
    /// The segment ends at the road's `to` junction.
    last: bool,
}

type Entry = GeomWithData<Line<[f64; 2]>, Segment>;

/// R-tree node size. The tree is bulk-loaded once and only queried, so wider nodes (fewer levels,
/// fewer heap operations per nearest-neighbour query) beat rstar's default of 6.
#[derive(Debug, Clone, Copy)]
struct Params;

impl rstar::RTreeParams for Params {
    const MIN_SIZE: usize = NODE / 2;
    const MAX_SIZE: usize = NODE;
    const REINSERTION_COUNT: usize = 2;
    type DefaultInsertionStrategy = rstar::RStarInsertionStrategy;
}

const NODE: usize = 24;

/// An R-tree over every straight piece of the roads a profile may snap to.
#[derive(Debug, Clone)]
pub(crate) struct SnapIndex {
    tree: RTree<Entry, Params>,
    /// The same segments, by `Segment::idx`.
    segments: Vec<Entry>,
    /// Planar polyline length of each road.
    planar_m: Vec<f64>,
    cells: CellCache,
}

/// A cell's candidate segments: (distance from the cell centre, segment index), nearest first.
type Candidates = Box<[(f64, u32)]>;

/// Side length of a cache cell (metres).
const CELL_M: f64 = 100.0;

/// A grid over the network's extent. Each cell lazily keeps, sorted by distance from the cell's
/// centre, every segment that can be the nearest (or tied nearest) to any point in the cell:
/// those within d0 + the cell's diagonal of the centre, where d0 is the centre's nearest-segment
/// distance (if s is nearest to q, d(c, s) <= d(q, s) + h <= d(c, s0) + 2h). A query then scans
/// its cell's list and stops once d(c, s) - h exceeds the best so far, instead of walking the
/// R-tree with a heap; the answers are the R-tree's exactly.
#[derive(Debug, Clone, Default)]
struct CellCache {
    x0: f64,
    y0: f64,
    nx: usize,
    ny: usize,
    cells: Vec<OnceLock<Candidates>>,
}

impl SnapIndex {
    /// Indexes the roads for which `keep(road)` holds (e.g. those a profile may snap to).
    pub(crate) fn with_roads(network: &Network, keep: impl Fn(RoadId) -> bool) -> Self {
        let mut entries: Vec<Entry> = Vec::new();
        let mut planar_m = Vec::with_capacity(network.roads().len());
        for (i, road) in network.roads().iter().enumerate() {
            if keep(RoadId::new(i)) {
                let mut start_m = 0.0;
                let pieces = road.geometry.len() - 1;
                for (k, w) in road.geometry.windows(2).enumerate() {
                    entries.push(Entry::new(
                        Line::new([w[0].x_m, w[0].y_m], [w[1].x_m, w[1].y_m]),
                        Segment {
                            road: i as u32,
                            idx: entries.len() as u32,
                            start_m,
                            first: k == 0,
                            last: k + 1 == pieces,
                        },
                    ));
                    start_m += w[0].distance_m(w[1]);
                }
            }
            planar_m.push(polyline_length(&road.geometry));
        }
        // Grid over the indexed segments' extent; points outside it use the R-tree directly.
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for e in &entries {
            for p in [e.geom().from, e.geom().to] {
                (x0, y0, x1, y1) = (x0.min(p[0]), y0.min(p[1]), x1.max(p[0]), y1.max(p[1]));
            }
        }
        let cells = if entries.is_empty() {
            CellCache::default()
        } else {
            let nx = ((x1 - x0) / CELL_M).floor() as usize + 1;
            let ny = ((y1 - y0) / CELL_M).floor() as usize + 1;
            CellCache {
                x0,
                y0,
                nx,
                ny,
                cells: (0..nx * ny).map(|_| OnceLock::new()).collect(),
            }
        };
        Self {
            tree: RTree::bulk_load_with_params(entries.clone()),
            segments: entries,
            planar_m,
            cells,
        }
    }

    /// The candidate list of the cell holding `q`, if `q` is inside the grid.
    fn cell(&self, q: [f64; 2]) -> Option<(&[(f64, u32)], f64)> {
        let c = &self.cells;
        let (fx, fy) = ((q[0] - c.x0) / CELL_M, (q[1] - c.y0) / CELL_M);
        if !(fx >= 0.0 && fy >= 0.0 && (fx as usize) < c.nx && (fy as usize) < c.ny) {
            return None;
        }
        let (ix, iy) = (fx as usize, fy as usize);
        let list = c.cells[iy * c.nx + ix].get_or_init(|| {
            let centre = [
                c.x0 + (ix as f64 + 0.5) * CELL_M,
                c.y0 + (iy as f64 + 0.5) * CELL_M,
            ];
            let Some(first) = self.tree.nearest_neighbor(&centre) else {
                return Box::new([]);
            };
            let reach = first.distance_2(&centre).sqrt() + CELL_M * std::f64::consts::SQRT_2 + 1e-3;
            let mut list: Vec<(f64, u32)> = self
                .tree
                .locate_within_distance(centre, reach * reach)
                .map(|e| (e.distance_2(&centre).sqrt(), e.data.idx))
                .collect();
            list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            list.into_boxed_slice()
        });
        Some((list, CELL_M * std::f64::consts::FRAC_1_SQRT_2))
    }

    /// Number of indexed segments.
    pub(crate) fn segment_count(&self) -> usize {
        self.tree.size()
    }

    /// Snaps `point` to the nearest point of the nearest indexed road, if within `max_m`.
    ///
    /// Tie rule: among segments at the same distance (within a micrometre), the road with the
    /// lowest index wins, then the segment nearest the road's start.
    pub(crate) fn nearest(&self, point: Xy, max_m: f64) -> Result<Position, SnapError> {
        if !point.x_m.is_finite() || !point.y_m.is_finite() {
            return Err(SnapError::NotFinite);
        }
        let q = [point.x_m, point.y_m];
        if let Some((list, half_diag)) = self.cell(q) {
            // Pass 1: the nearest distance. Pass 2: the tie rule among segments within 1 µm of it.
            let mut dmin = f64::INFINITY;
            for &(dc, idx) in list {
                if dc - half_diag > dmin {
                    break;
                }
                dmin = dmin.min(self.segments[idx as usize].distance_2(&q).sqrt());
            }
            if dmin > max_m {
                return Err(SnapError::TooFar {
                    radius_m: max_m,
                    nearest_m: dmin.is_finite().then_some(dmin),
                });
            }
            let key = |e: &Entry| (e.data.road, e.data.start_m);
            let best = list
                .iter()
                .take_while(|(dc, _)| dc - half_diag <= dmin + 1e-6)
                .map(|&(_, idx)| &self.segments[idx as usize])
                .filter(|e| e.distance_2(&q).sqrt() <= dmin + 1e-6)
                .min_by(|a, b| key(a).partial_cmp(&key(b)).expect("finite offsets"))
                .expect("the nearest segment is in the list");
            return Ok(self.project(q, best));
        }
        let Some(first) = self.tree.nearest_neighbor(&q) else {
            return Err(SnapError::TooFar {
                radius_m: max_m,
                nearest_m: None,
            });
        };
        let d = first.distance_2(&q).sqrt();
        if d > max_m {
            return Err(SnapError::TooFar {
                radius_m: max_m,
                nearest_m: Some(d),
            });
        }
        let tol = d + 1e-6;
        let best = self
            .tree
            .locate_within_distance(q, tol * tol)
            .min_by(|a, b| {
                (a.data.road, a.data.start_m)
                    .partial_cmp(&(b.data.road, b.data.start_m))
                    .expect("finite offsets")
            })
            .unwrap_or(first);
        Ok(self.project(q, best))
    }

    /// The plain R-tree walk, onto the nearest road for which `accept(road index)` holds: what
    /// the cell cache must reproduce exactly (tests only).
    #[cfg(test)]
    pub(crate) fn snap_where(
        &self,
        point: Xy,
        max_m: f64,
        accept: impl Fn(usize) -> bool,
    ) -> Result<Position, SnapError> {
        if !point.x_m.is_finite() || !point.y_m.is_finite() {
            return Err(SnapError::NotFinite);
        }
        let q = [point.x_m, point.y_m];
        let mut best: Option<(f64, &Entry)> = None;
        for (entry, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&q) {
            let d = d2.sqrt();
            if let Some((bd, be)) = best {
                if d > bd + 1e-6 {
                    break;
                }
                if accept(entry.data.road as usize)
                    && (entry.data.road, entry.data.start_m) < (be.data.road, be.data.start_m)
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
        match best {
            Some((_, entry)) => Ok(self.project(q, entry)),
            None => Err(SnapError::TooFar {
                radius_m: max_m,
                nearest_m: None,
            }),
        }
    }

    /// The nearest point of `entry`'s segment to `q`, as a [`Position`] on its road. Within
    /// [`JUNCTION_TOLERANCE_M`] of the road's end, the snap is exactly at that junction.
    fn project(&self, q: [f64; 2], entry: &Entry) -> Position {
        let [a, b] = [entry.geom().from, entry.geom().to];
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = dx * dx + dy * dy;
        let seg_m = len2.sqrt();
        let mut t = if len2 > 0.0 {
            (((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let road = entry.data.road as usize;
        let total = self.planar_m[road];
        let mut fraction = if total > 0.0 {
            ((entry.data.start_m + t * seg_m) / total).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let seg = entry.data;
        if seg.first
            && (t * seg_m <= JUNCTION_TOLERANCE_M || fraction * total <= JUNCTION_TOLERANCE_M)
        {
            (t, fraction) = (0.0, 0.0);
        } else if seg.last
            && ((1.0 - t) * seg_m <= JUNCTION_TOLERANCE_M
                || (1.0 - fraction) * total <= JUNCTION_TOLERANCE_M)
        {
            (t, fraction) = (1.0, 1.0);
        }
        // The ends exactly, not a + 1.0 * (b - a).
        let snapped = match t {
            0.0 => Xy::new(a[0], a[1]),
            1.0 => Xy::new(b[0], b[1]),
            _ => Xy::new(a[0] + t * dx, a[1] + t * dy),
        };
        let input = Xy::new(q[0], q[1]);
        Position {
            road: RoadId::new(road),
            fraction,
            point: snapped,
            access_m: input.distance_m(snapped),
            input,
        }
    }
}
