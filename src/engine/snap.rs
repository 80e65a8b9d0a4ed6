//! Snapping points to the nearest point on the nearest usable road segment, with an rstar R-tree.

use std::sync::OnceLock;

use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Line};
use rstar::{PointDistance, RTree};

use crate::geom::Xy;
use crate::network::{Network, RoadId};

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

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Segment {
    road: u32,
    /// Planar distance from the road's start to this segment's start.
    start_m: f64,
    /// The segment starts at the road's `from` junction.
    first: bool,
    /// The segment ends at the road's `to` junction.
    last: bool,
}

/// A segment in the R-tree: its line and its index in `SnapIndex::segments`.
type Entry = GeomWithData<Line<[f64; 2]>, u32>;

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

/// An R-tree over every straight piece of the roads a profile may snap to, with a grid in front
/// that gives exactly its answers for points inside the grid.
#[derive(Debug, Clone)]
pub(crate) struct SnapIndex {
    /// Built on first use: for points more than [`TREE_AFTER_M`] outside the grid, or with no
    /// road within the radius plus that. Snapping the homes of a county never needs it, and
    /// building it took 30-85 ms of the engine's preparation (README, Performance).
    tree: OnceLock<RTree<Entry, Params>>,
    /// What each segment belongs to, by index.
    segments: Vec<Segment>,
    /// Planar polyline length of each road.
    planar_m: Vec<f64>,
    grid: Grid,
}

/// How far past the snap radius (metres) the grid's rings go on for the exact nearest distance
/// of a point that is not snapped, while the R-tree is not built; further out, the R-tree answers
/// in one query. Once it is built, it answers from the radius on.
const TREE_AFTER_M: f64 = 1_000.0;

/// Segments within this distance (metres) of the nearest are tied; the tie rule picks among them.
const TIE_M: f64 = 1e-6;

/// Side length of a grid cell (metres).
const CELL_M: f64 = 200.0;

/// A uniform grid over the indexed segments' extent, each cell listing (in a flat array) every
/// segment whose bounding box overlaps it. A query scans rings of cells outwards from its own and
/// stops once the next ring is further away than the best segment found (plus the tie tolerance),
/// so it sees every segment the R-tree walk would and gives exactly the same answer; it exists
/// because it is an order of magnitude faster for bulk snapping (see README, Performance).
#[derive(Debug, Clone, Default)]
struct Grid {
    x0: f64,
    y0: f64,
    nx: usize,
    ny: usize,
    /// The segments of cell `c` are `items[start[c]..start[c + 1]]`.
    start: Vec<u32>,
    items: Vec<Item>,
}

/// A segment as listed in a grid cell: its end points copied beside its index, so that scanning a
/// cell reads one contiguous run of memory.
#[derive(Debug, Clone, Copy, Default)]
struct Item {
    from: [f64; 2],
    to: [f64; 2],
    idx: u32,
}

impl Item {
    /// Squared distance to `q`, computed exactly as the R-tree computes it.
    fn distance_2(&self, q: &[f64; 2]) -> f64 {
        Line::new(self.from, self.to).distance_2(q)
    }
}

impl Grid {
    /// A grid over the segments `ends` (from and to, by index), built in parallel: the extent,
    /// each segment's span of cells, then the counts and the lists by bands of rows, each band
    /// reading every span and writing its own cells (so each cell lists its segments in index
    /// order, whatever the number of threads).
    fn new(ends: &[[[f64; 2]; 2]]) -> Self {
        if ends.is_empty() {
            return Self::default();
        }
        let (x0, y0, x1, y1) = ends
            .par_iter()
            .fold(
                || (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
                |(x0, y0, x1, y1), [a, b]| {
                    (
                        x0.min(a[0]).min(b[0]),
                        y0.min(a[1]).min(b[1]),
                        x1.max(a[0]).max(b[0]),
                        y1.max(a[1]).max(b[1]),
                    )
                },
            )
            .reduce(
                || (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
                |a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)),
            );
        let nx = ((x1 - x0) / CELL_M).floor() as usize + 1;
        let ny = ((y1 - y0) / CELL_M).floor() as usize + 1;
        let mut g = Self {
            x0,
            y0,
            nx,
            ny,
            start: Vec::new(),
            items: Vec::new(),
        };
        let spans: Vec<[u32; 4]> = ends
            .par_iter()
            .map(|&[a, b]| {
                let (ax, ay, bx, by) = g.span(a, b);
                [ax as u32, ay as u32, bx as u32, by as u32]
            })
            .collect();
        let band_rows = ny.div_ceil(rayon::current_num_threads().max(1)).max(1);
        let bands: Vec<(usize, usize)> = (0..ny)
            .step_by(band_rows)
            .map(|lo| (lo, (lo + band_rows).min(ny)))
            .collect();
        let counts: Vec<Vec<u32>> = bands
            .par_iter()
            .map(|&band| {
                let mut count = vec![0u32; (band.1 - band.0) * nx];
                Self::each_in(&spans, nx, band, |c, _| count[c] += 1);
                count
            })
            .collect();
        let mut start = Vec::with_capacity(nx * ny + 1);
        start.push(0u32);
        for c in counts.iter().flatten() {
            start.push(start[start.len() - 1] + c);
        }
        let mut items: Vec<Item> = (0..start[nx * ny] as usize)
            .into_par_iter()
            .map(|_| Item::default())
            .collect();
        // Each band's cells are one run of `items`.
        let mut slices = Vec::with_capacity(bands.len());
        let mut rest = &mut items[..];
        for &(lo, hi) in &bands {
            let (head, tail) = rest.split_at_mut((start[hi * nx] - start[lo * nx]) as usize);
            slices.push(((lo, hi), head));
            rest = tail;
        }
        slices.into_par_iter().for_each(|(band, out)| {
            let base = start[band.0 * nx];
            let mut fill: Vec<u32> = start[band.0 * nx..band.1 * nx]
                .iter()
                .map(|&s| s - base)
                .collect();
            Self::each_in(&spans, nx, band, |c, idx| {
                let [from, to] = ends[idx];
                out[fill[c] as usize] = Item {
                    from,
                    to,
                    idx: idx as u32,
                };
                fill[c] += 1;
            });
        });
        g.start = start;
        g.items = items;
        g
    }

    /// The cells that each segment (by its span of cells) overlaps in rows `lo..hi`, visited in
    /// segment order as (cell index within the band, segment index).
    fn each_in(
        spans: &[[u32; 4]],
        nx: usize,
        (lo, hi): (usize, usize),
        mut visit: impl FnMut(usize, usize),
    ) {
        for (idx, span) in spans.iter().enumerate() {
            let [ax, ay, bx, by] = span.map(|v| v as usize);
            for iy in ay.max(lo)..=by.min(hi - 1) {
                for ix in ax..=bx {
                    visit((iy - lo) * nx + ix, idx);
                }
            }
        }
    }

    /// The cell holding (x, y), clamped to the grid.
    fn cell_of(&self, x: f64, y: f64) -> (usize, usize) {
        // The saturating cast is floor clamped at zero (truncation and floor agree from zero
        // up; anything below lands on 0 either way), without a libm call.
        let fx = ((x - self.x0) / CELL_M) as usize;
        let fy = ((y - self.y0) / CELL_M) as usize;
        (fx.min(self.nx - 1), fy.min(self.ny - 1))
    }

    /// The cells a segment from `a` to `b` is listed in (those its box overlaps): from
    /// (ax, ay) to (bx, by).
    fn span(&self, a: [f64; 2], b: [f64; 2]) -> (usize, usize, usize, usize) {
        let (ax, ay) = self.cell_of(min(a[0], b[0]), min(a[1], b[1]));
        let (bx, by) = self.cell_of(max(a[0], b[0]), max(a[1], b[1]));
        (ax, ay, bx, by)
    }

    /// The cell holding `q`, if `q` lies inside the grid (what `cell_of` gives there).
    fn cell_if_inside(&self, q: [f64; 2]) -> Option<(usize, usize)> {
        let (fx, fy) = ((q[0] - self.x0) / CELL_M, (q[1] - self.y0) / CELL_M);
        (fx >= 0.0 && fy >= 0.0 && (fx as usize) < self.nx && (fy as usize) < self.ny)
            .then_some((fx as usize, fy as usize))
    }

    fn cell(&self, ix: usize, iy: usize) -> &[Item] {
        let c = iy * self.nx + ix;
        &self.items[self.start[c] as usize..self.start[c + 1] as usize]
    }

    /// Distance (metres) from `q` to the grid's extent (0 inside), which holds every segment.
    fn outside_m(&self, q: [f64; 2]) -> f64 {
        let (x1, y1) = (
            self.x0 + self.nx as f64 * CELL_M,
            self.y0 + self.ny as f64 * CELL_M,
        );
        let dx = max(max(self.x0 - q[0], q[0] - x1), 0.0);
        let dy = max(max(self.y0 - q[1], q[1] - y1), 0.0);
        (dx * dx + dy * dy).sqrt()
    }

    /// The cell holding `q`, inside the grid or not (then an index may be negative or past the
    /// end), if `q` is within `reach_m` of the grid's extent.
    fn cell_near(&self, q: [f64; 2], reach_m: f64) -> Option<(isize, isize)> {
        if let Some((x, y)) = self.cell_if_inside(q) {
            return Some((x as isize, y as isize));
        }
        (self.nx > 0 && self.outside_m(q) <= reach_m).then(|| {
            (
                ((q[0] - self.x0) / CELL_M).floor() as isize,
                ((q[1] - self.y0) / CELL_M).floor() as isize,
            )
        })
    }

    /// Visits the cells at Chebyshev distance `r` from (cx, cy) that lie in the grid: the top
    /// and bottom rows, then the left and right columns between them. False once the ring lies
    /// wholly outside the grid (so do all further rings).
    #[inline(always)]
    fn ring(&self, cx: isize, cy: isize, r: isize, mut visit: impl FnMut(usize, usize)) -> bool {
        let (nx, ny) = (self.nx as isize, self.ny as isize);
        if r == 0 {
            // A point just outside the grid has its own cell outside it too.
            if (0..nx).contains(&cx) && (0..ny).contains(&cy) {
                visit(cx as usize, cy as usize);
            }
            return true;
        }
        if cx - r < 0 && cy - r < 0 && cx + r >= nx && cy + r >= ny {
            return false;
        }
        let (x_lo, x_hi) = ((cx - r).max(0), (cx + r).min(nx - 1));
        for y in [cy - r, cy + r] {
            if (0..ny).contains(&y) {
                for x in x_lo..=x_hi {
                    visit(x as usize, y as usize);
                }
            }
        }
        let (y_lo, y_hi) = ((cy - r + 1).max(0), (cy + r - 1).min(ny - 1));
        for x in [cx - r, cx + r] {
            if (0..nx).contains(&x) {
                for y in y_lo..=y_hi {
                    visit(x as usize, y as usize);
                }
            }
        }
        true
    }

    /// The square of cell (ix, iy): its low and high corners.
    fn cell_box(&self, ix: usize, iy: usize) -> Square {
        let lo = [self.x0 + ix as f64 * CELL_M, self.y0 + iy as f64 * CELL_M];
        Square {
            lo,
            hi: [lo[0] + CELL_M, lo[1] + CELL_M],
        }
    }
}

/// An axis-aligned box (a grid cell).
#[derive(Debug, Clone, Copy)]
struct Square {
    lo: [f64; 2],
    hi: [f64; 2],
}

impl Square {
    /// Distance from the box to the box of the segment: a lower bound on the distance from any
    /// point of the box to the segment.
    fn box_gap_m(&self, item: &Item) -> f64 {
        let [a, b] = [item.from, item.to];
        let dx = max(
            max(min(a[0], b[0]) - self.hi[0], self.lo[0] - max(a[0], b[0])),
            0.0,
        );
        let dy = max(
            max(min(a[1], b[1]) - self.hi[1], self.lo[1] - max(a[1], b[1])),
            0.0,
        );
        (dx * dx + dy * dy).sqrt()
    }
}

/// Half a cell's diagonal (metres), rounded up.
const HALF_DIAGONAL_M: f64 = CELL_M * std::f64::consts::FRAC_1_SQRT_2 * (1.0 + 1e-12);

/// Slack (metres) on the cell lists' bounds against rounding: far above the float error of any
/// distance here (about 1e-11 m at these coordinates), far below anything that could matter.
const BOUND_SLACK_M: f64 = 1e-4;

/// A segment that may be nearest (or tied) for some point of a cell, with a lower bound on its
/// distance from every point of the cell (less the slack).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// Lower bound for every point of the cell (the fill's filter).
    lb_m: f64,
    /// Distance from the cell's centre: the list's order, and a point's own bound.
    centre_m: f64,
    item: Item,
}

/// The segments that can be nearest (or within the tie tolerance of nearest) to any point of
/// one grid cell, sorted by their distance from the cell's centre (rounded down to an `f32`: a
/// lower bound, in sort keys half the size of exact ones), in a buffer reused from cell to
/// cell. Every point of the cell is within half a diagonal of its centre, so a segment's
/// distance from the centre, plus or less half the diagonal, bounds its distance from any of
/// them. A cell's `reach` is the smallest upper bound over the segments: every point has a
/// segment that near, so a segment whose lower bound (or box gap) exceeds `reach` plus the tie
/// tolerance is never a candidate. A point `off` metres from the centre then measures the list
/// in order and stops at the first segment whose distance from the centre, less `off`, is
/// beyond its best: a tighter bound than half the diagonal for most points. A segment listed in
/// several of the cells searched is measured once (marks per thread: [`Met`]).
///
/// It exists because most homes are in runs of many per cell (in snapping order) and many are
/// rural, where the ring search crosses dozens of empty cells per point: the list is made once
/// per run (README, Performance).
#[derive(Debug, Default)]
pub(crate) struct CellList {
    /// The candidates as found, each segment once, in no order.
    found: Vec<Candidate>,
    /// Sort keys of the kept ones: (a lower bound of the distance as `f32` bits, place in
    /// `found`) in one `u64`, 8 bytes to move where a candidate is 56.
    keys: Vec<u64>,
    /// The list: by that bound, then as found.
    items: Vec<Listed>,
    centre: [f64; 2],
}

/// A listed segment: a lower bound of its distance from the cell's centre, and the segment.
#[derive(Debug, Clone, Copy)]
struct Listed {
    centre_m: f64,
    item: Item,
}

/// Per thread, the fill that last met each segment: a segment listed in several cells is met
/// once per fill (see [`CellList::fill`]). Kept per thread rather than per list, since a bulk
/// snap makes a list for each of its jobs and each would zero a slot per segment. It holds 4
/// bytes a segment of the largest index filled on that thread, for the thread's life (0.6 MB for
/// the county's 161,012 segments).
#[derive(Default)]
struct Met {
    fill: u32,
    by_segment: Vec<u32>,
}

impl Met {
    /// A mark for a new fill over `segments` segments, unlike any left by earlier fills.
    fn next(&mut self, segments: usize) -> u32 {
        if self.by_segment.len() < segments {
            self.by_segment.resize(segments, 0);
        }
        self.fill = self.fill.wrapping_add(1);
        if self.fill == 0 {
            self.by_segment.fill(0);
            self.fill = 1;
        }
        self.fill
    }
}

thread_local! {
    static MET: std::cell::RefCell<Met> = std::cell::RefCell::default();
}

/// The largest `f32` at or below `x` (a distance): a bound that sorts as its bits do.
fn f32_at_or_below(x: f64) -> f32 {
    let f = x as f32;
    if f as f64 > x { f.next_down() } else { f }
}

impl CellList {
    /// Lists the candidates of `cell` of a grid of `segments` segments. False when no road is
    /// within `max_m` of any point of the cell: no segment was found within `max_m` and two
    /// cells of it, so every segment is further than `max_m` plus two cells less a diagonal
    /// from each of its points.
    fn fill(&mut self, g: &Grid, segments: usize, cell: (usize, usize), max_m: f64) -> bool {
        MET.with_borrow_mut(|met| self.fill_met(g, segments, cell, max_m, met))
    }

    /// [`CellList::fill`], with the thread's marks of the segments met.
    fn fill_met(
        &mut self,
        g: &Grid,
        segments: usize,
        (cx, cy): (usize, usize),
        max_m: f64,
        met: &mut Met,
    ) -> bool {
        self.found.clear();
        self.items.clear();
        let mark = met.next(segments);
        let met = &mut met.by_segment;
        let square = g.cell_box(cx, cy);
        let centre = [square.lo[0] + CELL_M / 2.0, square.lo[1] + CELL_M / 2.0];
        let give_up_m = max_m + 2.0 * CELL_M;
        let mut reach = f64::INFINITY;
        let (cx, cy) = (cx as isize, cy as isize);
        let mut r = 0isize;
        loop {
            // A cell of ring r is at least r - 1 whole cells from this one.
            let bound = (r - 1).max(0) as f64 * CELL_M;
            if bound > reach + TIE_M + BOUND_SLACK_M {
                break;
            }
            if bound > give_up_m {
                return false;
            }
            let items = &mut self.found;
            let inside = g.ring(cx, cy, r, |x, y| {
                // Whole cells between this one and (x, y), across and up.
                let gx = ((x as isize - cx).abs() - 1).max(0) as f64 * CELL_M;
                let gy = ((y as isize - cy).abs() - 1).max(0) as f64 * CELL_M;
                if gx * gx + gy * gy > (reach + TIE_M + BOUND_SLACK_M).powi(2) {
                    return;
                }
                for item in g.cell(x, y) {
                    // A copy met in another cell gives what its first meeting gave (the same
                    // gap and distance against a limit that has only fallen since): skipped.
                    let seen = &mut met[item.idx as usize];
                    if *seen == mark {
                        continue;
                    }
                    *seen = mark;
                    let limit = reach + TIE_M + BOUND_SLACK_M;
                    let gap = square.box_gap_m(item);
                    if gap > limit {
                        continue;
                    }
                    // Every point of the cell is within half a diagonal of its centre: the
                    // segment's distance from the centre bounds its distance from any of them,
                    // from below and from above.
                    let centre_m = item.distance_2(&centre).sqrt();
                    let lb = gap.max(centre_m - HALF_DIAGONAL_M);
                    if lb > limit {
                        continue;
                    }
                    reach = reach.min(centre_m + HALF_DIAGONAL_M);
                    items.push(Candidate {
                        lb_m: (lb - BOUND_SLACK_M).max(0.0),
                        centre_m,
                        item: *item,
                    });
                }
            });
            if !inside {
                break;
            }
            r += 1;
        }
        if !reach.is_finite() {
            return false;
        }
        let limit = reach + TIE_M + BOUND_SLACK_M;
        // By a lower bound of the distance from the centre, as found among equal bounds: what
        // a point's scan needs to stop early, as a bound from below is all it reads. (A
        // distance is the square root of a sum of squares: never negative, never -0.0, so its
        // bound's bits sort as the numbers do.) Which of several segments within the tie
        // tolerance comes first does not matter: the tie rule picks among them all.
        self.keys.clear();
        self.keys.extend(
            self.found
                .iter()
                .enumerate()
                .filter(|(_, c)| c.lb_m <= limit)
                .map(|(j, c)| (f32_at_or_below(c.centre_m).to_bits() as u64) << 32 | j as u64),
        );
        self.keys.sort_unstable();
        for &k in &self.keys {
            self.items.push(Listed {
                centre_m: f32::from_bits((k >> 32) as u32) as f64,
                item: self.found[k as u32 as usize].item,
            });
        }
        self.centre = centre;
        true
    }
}

/// Segments within the tie tolerance of the best distance so far: almost always one or two, so
/// they live on the stack, with a heap list only for a crowd of ties.
#[derive(Default)]
struct Near {
    inline: [(f64, Item); 2],
    len: usize,
    spill: Vec<(f64, Item)>,
}

impl Near {
    fn push(&mut self, d: f64, item: Item) {
        if self.len < self.inline.len() {
            self.inline[self.len] = (d, item);
            self.len += 1;
        } else {
            if self.spill.is_empty() {
                self.spill.extend_from_slice(&self.inline);
            }
            self.spill.push((d, item));
        }
    }
    fn keep_within(&mut self, limit: f64) {
        if self.spill.is_empty() {
            let mut k = 0;
            for j in 0..self.len {
                if self.inline[j].0 <= limit {
                    self.inline[k] = self.inline[j];
                    k += 1;
                }
            }
            self.len = k;
        } else {
            self.spill.retain(|&(d, _)| d <= limit);
            if self.spill.is_empty() {
                self.len = 0;
            }
        }
    }
    fn clear(&mut self) {
        self.len = 0;
        self.spill.clear();
    }
    fn as_slice(&self) -> &[(f64, Item)] {
        if self.spill.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }
}

/// One point's search through the grid: the best distance so far, the squared reach beyond which
/// nothing can be nearest (the best plus the tie tolerance, with a margin so that a squared test
/// never drops a segment the exact test would keep), and the segments within the tolerance.
struct Search {
    q: [f64; 2],
    dmin: f64,
    reach2: f64,
    near: Near,
}

impl Search {
    /// Measures the segments of cell (ix, iy), unless the whole cell is out of reach.
    #[inline(always)]
    fn scan(&mut self, g: &Grid, ix: usize, iy: usize) {
        let q = self.q;
        let (x0, y0) = (g.x0 + ix as f64 * CELL_M, g.y0 + iy as f64 * CELL_M);
        let dx = max(max(x0 - q[0], q[0] - x0 - CELL_M), 0.0);
        let dy = max(max(y0 - q[1], q[1] - y0 - CELL_M), 0.0);
        if dx * dx + dy * dy > self.reach2 {
            return;
        }
        for item in g.cell(ix, iy) {
            self.consider(item);
        }
    }

    /// Measures one segment, keeping it if within the tie tolerance of the best so far.
    #[inline(always)]
    fn consider(&mut self, item: &Item) {
        let q = self.q;
        // The segment's bounding box first: cheaper than the distance to the segment.
        let [a, b] = [item.from, item.to];
        let bx = max(max(min(a[0], b[0]) - q[0], q[0] - max(a[0], b[0])), 0.0);
        let by = max(max(min(a[1], b[1]) - q[1], q[1] - max(a[1], b[1])), 0.0);
        if bx * bx + by * by > self.reach2 {
            return;
        }
        let d2 = item.distance_2(&q);
        if d2 > self.reach2 {
            return;
        }
        let d = d2.sqrt();
        if d <= self.dmin + TIE_M {
            if d < self.dmin {
                self.dmin = d;
                self.near.keep_within(d + TIE_M);
                self.reach2 = (d + TIE_M) * (d + TIE_M) * (1.0 + 1e-9);
            }
            self.near.push(d, *item);
        }
    }

    /// A search with room for its candidates, to be started with [`Search::restart`].
    fn new() -> Self {
        Self {
            q: [0.0; 2],
            dmin: f64::INFINITY,
            reach2: f64::INFINITY,
            near: Near::default(),
        }
    }

    /// A fresh search from `q`, reusing this one's room. A new `Search` for every point zeroed
    /// and moved its 96-byte stack list, and the move's loads stalled on those stores (perf:
    /// about a tenth of the snapping loop's samples).
    fn restart(&mut self, q: [f64; 2]) {
        self.q = q;
        self.dmin = f64::INFINITY;
        self.reach2 = f64::INFINITY;
        self.near.clear();
    }
}

/// The larger of two finite numbers: one instruction, where `f64::max` also handles NaN. Only
/// for the pruning bounds, whose inputs are finite (a zero's sign is lost to squaring).
#[inline(always)]
fn max(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// The smaller of two finite numbers (see [`max`]).
#[inline(always)]
fn min(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

impl SnapIndex {
    /// Indexes the roads for which `keep(road)` holds (e.g. those a profile may snap to).
    pub(crate) fn with_roads(network: &Network, keep: impl Fn(RoadId) -> bool + Sync) -> Self {
        let roads = network.roads();
        // Each road's pieces depend only on the road: worked out in parallel by runs of roads,
        // each written into its own part of the outputs (counted first), in road order. A
        // road's planar length is the running sum its last piece ends at.
        const RUN: usize = 2048;
        let kept: Vec<bool> = (0..roads.len())
            .into_par_iter()
            .map(|i| keep(RoadId::new(i)))
            .collect();
        let counts: Vec<usize> = roads
            .par_chunks(RUN)
            .zip(kept.par_chunks(RUN))
            .map(|(rs, ks)| {
                rs.iter()
                    .zip(ks)
                    .filter(|&(_, &k)| k)
                    .map(|(r, _)| r.geometry.len().saturating_sub(1))
                    .sum()
            })
            .collect();
        let total: usize = counts.iter().sum();
        let mut segments: Vec<Segment> = (0..total)
            .into_par_iter()
            .map(|_| Segment::default())
            .collect();
        let mut ends: Vec<[[f64; 2]; 2]> =
            (0..total).into_par_iter().map(|_| [[0.0; 2]; 2]).collect();
        let mut planar_m = vec![0.0; roads.len()];
        let mut outs = Vec::with_capacity(counts.len());
        let (mut seg_rest, mut end_rest) = (&mut segments[..], &mut ends[..]);
        for &n in &counts {
            let (s, s_rest) = seg_rest.split_at_mut(n);
            let (e, e_rest) = end_rest.split_at_mut(n);
            outs.push((s, e));
            (seg_rest, end_rest) = (s_rest, e_rest);
        }
        roads
            .par_chunks(RUN)
            .zip(planar_m.par_chunks_mut(RUN))
            .zip(outs)
            .enumerate()
            .for_each(|(c, ((rs, planar), (segs, ends)))| {
                let mut next = 0;
                for (k, road) in rs.iter().enumerate() {
                    let i = c * RUN + k;
                    // A road left out is never found: its length is never read (nearly every
                    // road, for the index of islands that explains failed snaps).
                    if !kept[i] {
                        continue;
                    }
                    let pieces = road.geometry.len().saturating_sub(1);
                    let mut start_m = 0.0;
                    for (p, w) in road.geometry.windows(2).enumerate() {
                        segs[next] = Segment {
                            road: i as u32,
                            start_m,
                            first: p == 0,
                            last: p + 1 == pieces,
                        };
                        ends[next] = [[w[0].x_m, w[0].y_m], [w[1].x_m, w[1].y_m]];
                        next += 1;
                        start_m += w[0].distance_m(w[1]);
                    }
                    planar[k] = start_m;
                }
            });
        let grid = Grid::new(&ends);
        Self {
            tree: OnceLock::new(),
            segments,
            planar_m,
            grid,
        }
    }

    /// The R-tree, built from the grid on first use: each segment once, from the cell of its
    /// first end (which its box always covers), in segment order, as if built from the roads.
    /// Built on one thread, so others may wait for it (`get_or_init`, not `made_once`): the far
    /// points snapped beside `build_tree` then use that tree rather than build their own.
    fn tree(&self) -> &RTree<Entry, Params> {
        self.tree.get_or_init(|| {
            let g = &self.grid;
            let mut entries: Vec<Entry> = Vec::with_capacity(self.segments.len());
            for iy in 0..g.ny {
                for ix in 0..g.nx {
                    for item in g.cell(ix, iy) {
                        if g.cell_of(item.from[0], item.from[1]) == (ix, iy) {
                            entries.push(Entry::new(Line::new(item.from, item.to), item.idx));
                        }
                    }
                }
            }
            entries.sort_unstable_by_key(|e| e.data);
            debug_assert_eq!(entries.len(), self.segments.len());
            RTree::bulk_load_with_params(entries)
        })
    }

    /// `points` (given by index) reordered so that neighbours come one after another (by grid
    /// cell, row by row; points outside the grid last): snapping in this order keeps the cells
    /// and segments a query reads in cache. A stable counting sort, every pass in parallel: the
    /// cell keys; per run of the input, its count per cell; each point's position (a run's
    /// points of one cell follow those of the runs before it, so the order is the same whatever
    /// the number of runs); the points written at their positions, each task filling its own
    /// range of the output. Returns the points in that order, for each input index its
    /// position in that order, and the sum of `term(i)` over every point (taken in the first
    /// pass, which reads every point anyway: the callers' fingerprints of what they snap).
    pub(crate) fn locality_order<T>(
        &self,
        n: usize,
        point: impl Fn(usize) -> Xy + Sync,
        term: impl Fn(usize) -> T + Sync + Send,
    ) -> (Vec<Xy>, Vec<u32>, T)
    where
        T: Default + Send + ParallelExtend<T>,
    {
        let g = &self.grid;
        let cells = g.nx * g.ny;
        let (keys, sum): (Vec<u32>, T) = (0..n)
            .into_par_iter()
            .map(|i| {
                let p = point(i);
                let q = [p.x_m, p.y_m];
                let key = match g.cell_if_inside(q) {
                    Some((x, y)) => (y * g.nx + x) as u32,
                    None => cells as u32,
                };
                (key, term(i))
            })
            .unzip();
        let run = n.div_ceil(rayon::current_num_threads().max(1)).max(1);
        let mut offsets: Vec<Vec<u32>> = keys
            .par_chunks(run)
            .map(|ks| {
                let mut count = vec![0u32; cells + 1];
                for &k in ks {
                    count[k as usize] += 1;
                }
                count
            })
            .collect();
        // Counts to first positions: by cell, then by run.
        let mut next = 0u32;
        for c in 0..=cells {
            for o in offsets.iter_mut() {
                let count = o[c];
                o[c] = next;
                next += count;
            }
        }
        let mut pos = vec![0u32; n];
        pos.par_chunks_mut(run)
            .zip(keys.par_chunks(run))
            .zip(offsets.par_iter_mut())
            .for_each(|((ps, ks), o)| {
                for (p, &k) in ps.iter_mut().zip(ks) {
                    *p = o[k as usize];
                    o[k as usize] += 1;
                }
            });
        drop((keys, offsets));
        // Filled in parallel: `vec!` would write and fault in 16 MB per million on one thread.
        let mut points: Vec<Xy> = (0..n).into_par_iter().map(|_| Xy::new(0.0, 0.0)).collect();
        points.par_chunks_mut(run).enumerate().for_each(|(t, out)| {
            let lo = t * run;
            for (i, &k) in pos.iter().enumerate() {
                if let Some(slot) = (k as usize).checked_sub(lo).and_then(|j| out.get_mut(j)) {
                    *slot = point(i);
                }
            }
        });
        (points, pos, sum)
    }

    /// Number of indexed segments.
    pub(crate) fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// Snaps `point` to the nearest point of the nearest indexed road, if within `max_m`.
    ///
    /// Tie rule: among segments at the same distance (within a micrometre), the road with the
    /// lowest index wins, then the segment nearest the road's start.
    pub(crate) fn nearest(&self, point: Xy, max_m: f64) -> Result<Position, SnapError> {
        self.nearest_with(point, max_m, &mut Search::new())
    }

    /// [`SnapIndex::nearest`], reusing search `s` (see [`Search::restart`]).
    fn nearest_with(&self, point: Xy, max_m: f64, s: &mut Search) -> Result<Position, SnapError> {
        if !point.x_m.is_finite() || !point.y_m.is_finite() {
            return Err(SnapError::NotFinite);
        }
        let q = [point.x_m, point.y_m];
        // Inside the grid or just outside it, rings of cells; further out, the R-tree.
        match self.grid.cell_near(q, TREE_AFTER_M) {
            Some(cell) => self.nearest_in_grid(q, cell, max_m, s),
            None => self.nearest_by_tree(q, max_m),
        }
    }

    /// Whether some point of `sorted` (in [`SnapIndex::locality_order`], where points outside the
    /// grid come last) is too far outside the grid for its rings: the R-tree will be needed.
    pub(crate) fn needs_tree(&self, sorted: &[Xy]) -> bool {
        let g = &self.grid;
        sorted
            .iter()
            .rev()
            .take_while(|p| g.cell_if_inside([p.x_m, p.y_m]).is_none())
            .any(|p| g.cell_near([p.x_m, p.y_m], TREE_AFTER_M).is_none())
    }

    /// Builds the R-tree now, if it is not built yet.
    pub(crate) fn build_tree(&self) {
        self.tree();
    }

    /// [`SnapIndex::nearest`]'s position if it snaps. A point further than `max_m` outside the
    /// grid (which holds every segment) is answered `None` at once, without the R-tree.
    pub(crate) fn snaps(&self, point: Xy, max_m: f64) -> Option<Position> {
        if self.segments.is_empty()
            || self.grid.outside_m([point.x_m, point.y_m]) > max_m + BOUND_SLACK_M
        {
            return None;
        }
        self.nearest(point, max_m).ok()
    }

    /// [`SnapIndex::nearest`] by the R-tree alone.
    pub(crate) fn nearest_by_tree(&self, q: [f64; 2], max_m: f64) -> Result<Position, SnapError> {
        let tree = self.tree();
        let Some(first) = tree.nearest_neighbor(&q) else {
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
        let tol = d + TIE_M;
        let best = tree
            .locate_within_distance(q, tol * tol)
            .min_by(|a, b| {
                self.key(a.data)
                    .partial_cmp(&self.key(b.data))
                    .expect("finite offsets")
            })
            .unwrap_or(first);
        Ok(self.project(q, best.geom(), best.data))
    }

    /// [`SnapIndex::nearest`] for a point in cell (cx, cy) of the grid or just outside it: rings
    /// of cells outwards until the next ring is further than the best distance plus the tie
    /// tolerance. Candidates within the
    /// tolerance of the running best are kept (the running best only falls, so every segment
    /// within the tolerance of the final best is among them), then the tie rule picks one.
    fn nearest_in_grid(
        &self,
        q: [f64; 2],
        (cx, cy): (isize, isize),
        max_m: f64,
        s: &mut Search,
    ) -> Result<Position, SnapError> {
        let g = &self.grid;
        let far_m = match self.tree.get() {
            Some(_) => max_m,
            None => max_m + TREE_AFTER_M,
        };
        let (lx, ly) = (g.x0 + cx as f64 * CELL_M, g.y0 + cy as f64 * CELL_M);
        // Distance from q to the edge of its own cell: ring r >= 1 is at least (r - 1) cells
        // further than that.
        let edge = (q[0] - lx)
            .min(lx + CELL_M - q[0])
            .min(q[1] - ly)
            .min(ly + CELL_M - q[1])
            .max(0.0);
        s.restart(q);
        let mut r = 0isize;
        loop {
            let bound = if r == 0 {
                0.0
            } else {
                (r - 1) as f64 * CELL_M + edge
            };
            if bound > s.dmin + TIE_M {
                break;
            }
            if bound > far_m {
                // Nothing near: the R-tree gives the exact nearest distance for the error in
                // one query, rather than rings all the way out.
                return self.nearest_by_tree(q, max_m);
            }
            if !g.ring(cx, cy, r, |x, y| s.scan(g, x, y)) {
                break;
            }
            r += 1;
        }
        if s.dmin > max_m {
            return Err(SnapError::TooFar {
                radius_m: max_m,
                nearest_m: s.dmin.is_finite().then_some(s.dmin),
            });
        }
        Ok(self.pick(s))
    }

    /// The tie rule's pick among a finished search's candidates, projected.
    fn pick(&self, s: &Search) -> Position {
        let (q, dmin, near) = (s.q, s.dmin, &s.near);
        let best = near
            .as_slice()
            .iter()
            .filter(|&&(d, _)| d <= dmin + TIE_M)
            .map(|(_, item)| item)
            .min_by(|a, b| {
                self.key(a.idx)
                    .partial_cmp(&self.key(b.idx))
                    .expect("finite offsets")
            })
            .expect("the nearest segment is among the candidates");
        self.project(q, &Line::new(best.from, best.to), best.idx)
    }

    /// Snaps `points` in order, giving each answer to `each` with its index: exactly
    /// [`SnapIndex::nearest`]'s answers, faster when neighbours come together (as in
    /// [`SnapIndex::locality_order`]). For a run of at least `min_run` points in one grid cell,
    /// the segments that can be nearest to any point of the cell are listed once (see
    /// [`CellList`]) and each point measures only those. A point the list shows has no road
    /// within `max_m` gets `None`: not snapped, without the search for how far its nearest road
    /// is (`nearest` gives that). Returns how many points were answered from a list.
    pub(crate) fn nearest_each(
        &self,
        points: &[Xy],
        max_m: f64,
        min_run: usize,
        list: &mut CellList,
        mut each: impl FnMut(usize, Option<Result<Position, SnapError>>),
    ) -> usize {
        let mut listed_points = 0;
        let g = &self.grid;
        let cell = |p: &Xy| g.cell_if_inside([p.x_m, p.y_m]);
        let mut search = Search::new();
        let mut i = 0;
        while i < points.len() {
            let c = cell(&points[i]);
            let run = match c {
                Some(_) => points[i..].iter().take_while(|p| cell(p) == c).count(),
                None => 1,
            };
            // Some(false): no road within the radius of any point of the cell.
            let listed = match c {
                Some(c) if run >= min_run => Some(list.fill(g, self.segments.len(), c, max_m)),
                _ => None,
            };
            for (k, &p) in points[i..i + run].iter().enumerate() {
                let answer = match listed {
                    Some(true) => self.nearest_in_list(p, list, max_m, &mut search),
                    Some(false) => None,
                    None => Some(self.nearest_with(p, max_m, &mut search)),
                };
                listed_points += listed.is_some() as usize;
                each(i + k, answer);
            }
            i += run;
        }
        listed_points
    }

    /// [`SnapIndex::nearest`] for a point of the cell `list` was filled for, if its nearest
    /// road is within `max_m` (otherwise `None`). `s` is any search, restarted here.
    fn nearest_in_list(
        &self,
        point: Xy,
        list: &CellList,
        max_m: f64,
        s: &mut Search,
    ) -> Option<Result<Position, SnapError>> {
        let q = [point.x_m, point.y_m];
        s.restart(q);
        // The point is `off_m` from the cell's centre, so a segment `centre_m` from the centre
        // is at least `centre_m - off_m` from it.
        let off_m = ((q[0] - list.centre[0]).powi(2) + (q[1] - list.centre[1]).powi(2)).sqrt()
            + BOUND_SLACK_M;
        for c in &list.items {
            // Sorted by a bound from below: none further on can come within the tolerance.
            if c.centre_m - off_m > s.dmin + TIE_M {
                break;
            }
            s.consider(&c.item);
        }
        (s.dmin <= max_m).then(|| Ok(self.pick(s)))
    }

    /// The plain R-tree walk, onto the nearest road for which `accept(road index)` holds: what
    /// the grid must reproduce exactly (tests only).
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
        for (entry, d2) in self.tree().nearest_neighbor_iter_with_distance_2(&q) {
            let d = d2.sqrt();
            if let Some((bd, be)) = best {
                if d > bd + TIE_M {
                    break;
                }
                if accept(self.segments[entry.data as usize].road as usize)
                    && self.key(entry.data) < self.key(be.data)
                {
                    best = Some((bd, entry));
                }
                continue;
            }
            if accept(self.segments[entry.data as usize].road as usize) {
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
            Some((_, entry)) => Ok(self.project(q, entry.geom(), entry.data)),
            None => Err(SnapError::TooFar {
                radius_m: max_m,
                nearest_m: None,
            }),
        }
    }

    /// The tie-rule key of segment `idx`: its road, then its offset along the road.
    fn key(&self, idx: u32) -> (u32, f64) {
        let s = &self.segments[idx as usize];
        (s.road, s.start_m)
    }

    /// The nearest point of segment `idx` (`line`) to `q`, as a [`Position`] on its road. Within
    /// [`JUNCTION_TOLERANCE_M`] of the road's end, the snap is exactly at that junction.
    fn project(&self, q: [f64; 2], line: &Line<[f64; 2]>, idx: u32) -> Position {
        let [a, b] = [line.from, line.to];
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = dx * dx + dy * dy;
        let seg_m = len2.sqrt();
        let mut t = if len2 > 0.0 {
            (((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let seg = self.segments[idx as usize];
        let road = seg.road as usize;
        let total = self.planar_m[road];
        let mut fraction = if total > 0.0 {
            ((seg.start_m + t * seg_m) / total).clamp(0.0, 1.0)
        } else {
            0.0
        };
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
            // The square root of the sum of squares: the access leg is under the snap radius, so
            // hypot's guard against overflow buys nothing and costs a libm call a point.
            access_m: ((q[0] - snapped.x_m).powi(2) + (q[1] - snapped.y_m).powi(2)).sqrt(),
            input,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{NetworkBuilder, RoadSpec};
    use crate::random::SplitMix64;

    /// Roads laid to trouble the cell lists, with the grid's corner at (0, 0): a random tangle;
    /// two parallel roads with tied points between them; a long diagonal across many cells; a
    /// road far out beyond empty cells.
    fn tangle() -> Network {
        let mut rng = SplitMix64::new(5);
        let mut b = NetworkBuilder::new();
        let mut next = 0u64;
        let mut road = |b: &mut NetworkBuilder, shape: Vec<Xy>| {
            let (a, z) = (next, next + 1);
            next += 2;
            b.node(a, shape[0]).node(z, *shape.last().unwrap());
            b.road(RoadSpec::new(a, a, z).geometry(shape));
        };
        for _ in 0..400 {
            let p = Xy::new(rng.next_f64() * 3000.0, rng.next_f64() * 3000.0);
            let bend = Xy::new(
                p.x_m + rng.next_f64() * 150.0 - 75.0,
                p.y_m + rng.next_f64() * 150.0 - 75.0,
            );
            let end = Xy::new(
                bend.x_m + rng.next_f64() * 150.0 - 75.0,
                bend.y_m + rng.next_f64() * 150.0 - 75.0,
            );
            road(&mut b, vec![p, bend, end]);
        }
        road(
            &mut b,
            vec![Xy::new(4000.0, 1000.0), Xy::new(4800.0, 1000.0)],
        );
        road(
            &mut b,
            vec![Xy::new(4000.0, 1100.0), Xy::new(4800.0, 1100.0)],
        );
        road(
            &mut b,
            vec![
                Xy::new(0.0, 0.0),
                Xy::new(2600.0, 2400.0),
                Xy::new(6000.0, 6000.0),
            ],
        );
        road(
            &mut b,
            vec![Xy::new(9000.0, 9000.0), Xy::new(9100.0, 9000.0)],
        );
        b.build().unwrap()
    }

    /// Points in runs per cell: random ones, ones on cell edges and corners, ties between the
    /// parallel roads, and ones beyond the snap radius.
    fn points() -> Vec<Xy> {
        let mut rng = SplitMix64::new(9);
        let mut out = Vec::new();
        for k in 0..24_000 {
            let side = if k % 10 == 0 { 9500.0 } else { 5000.0 };
            out.push(Xy::new(rng.next_f64() * side, rng.next_f64() * side));
        }
        for i in 0..48 {
            for j in 0..48 {
                let (x, y) = (i as f64 * CELL_M, j as f64 * CELL_M);
                out.extend([
                    Xy::new(x, y),
                    Xy::new(x, y + 37.0),
                    Xy::new(x + 61.0, y),
                    Xy::new(x.next_down(), y.next_up()),
                ]);
            }
        }
        for k in 0..400 {
            out.push(Xy::new(4000.0 + 2.0 * k as f64, 1050.0));
        }
        out.extend([
            Xy::new(-900.0, 50.0),
            Xy::new(-1500.0, -1500.0),
            Xy::new(3e4, 2e4),
        ]);
        out
    }

    /// Every point through the cell lists (runs of one upwards) gives exactly the ring search's
    /// answer and the R-tree's, failures included (points inside the grid, just outside it and
    /// far outside it; 120 m and 1,500 m radii).
    #[test]
    fn cell_lists_give_the_ring_search_answers() {
        let network = tangle();
        let index = SnapIndex::with_roads(&network, |_| true);
        let points = points();
        let (sorted, _, ()) = index.locality_order(points.len(), |i| points[i], |_| ());
        for max_m in [1_500.0, 120.0] {
            let mut list = CellList::default();
            let mut snapped = 0;
            let listed = index.nearest_each(&sorted, max_m, 1, &mut list, |i, got| {
                let p = sorted[i];
                let tree = index.nearest_by_tree([p.x_m, p.y_m], max_m);
                let Some(got) = got else {
                    assert!(tree.is_err(), "{p:?}");
                    return;
                };
                assert_eq!(got, index.nearest(p, max_m), "{p:?}");
                // Errors too, to the nearest distance they report.
                assert_eq!(got, tree, "{p:?}");
                match (got, index.snap_where(p, max_m, |_| true)) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{p:?}"),
                    (Err(_), Err(_)) => {}
                    (a, b) => panic!("{p:?}: {a:?} vs {b:?}"),
                }
                snapped += got.is_ok() as usize;
            });
            assert!(snapped > 10_000, "{snapped}");
            assert!(listed > 10_000, "{listed}");
        }
        // The tied points between the parallel roads go to the lower road index.
        let tied = index.nearest(Xy::new(4400.0, 1050.0), 1_500.0).unwrap();
        assert_eq!(tied.road, RoadId::new(400));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            failure_persistence: None,
            ..Default::default()
        })]

        /// Random roads of one or two segments (some of no length) and random points, in and
        /// around the grid: every answer through the cell lists is the R-tree's.
        #[test]
        fn cell_lists_give_the_r_tree_answers(
            roads in proptest::collection::vec(
                (0.0..2000.0f64, 0.0..2000.0f64, -400.0..400.0f64, -400.0..400.0f64, proptest::bool::ANY),
                1..40,
            ),
            points in proptest::collection::vec((-600.0..2600.0f64, -600.0..2600.0f64), 1..300),
            max_m in proptest::prop_oneof![proptest::strategy::Just(60.0), proptest::strategy::Just(1_500.0)],
        ) {
            let mut b = NetworkBuilder::new();
            for (k, &(x, y, dx, dy, bend)) in roads.iter().enumerate() {
                let (a, z) = (2 * k as u64, 2 * k as u64 + 1);
                let (p, q) = (Xy::new(x, y), Xy::new(x + dx, y + dy));
                let mut shape = vec![p];
                if bend {
                    shape.push(Xy::new(x + dy / 2.0, y + dx / 2.0));
                }
                shape.push(q);
                b.node(a, p).node(z, q);
                b.road(RoadSpec::new(k as u64, a, z).geometry(shape));
            }
            let network = b.build().unwrap();
            let index = SnapIndex::with_roads(&network, |_| true);
            let points: Vec<Xy> = points.iter().map(|&(x, y)| Xy::new(x, y)).collect();
            let (sorted, _, ()) = index.locality_order(points.len(), |i| points[i], |_| ());
            let mut list = CellList::default();
            index.nearest_each(&sorted, max_m, 1, &mut list, |i, got| {
                let p = sorted[i];
                let tree = index.nearest_by_tree([p.x_m, p.y_m], max_m);
                match got {
                    Some(got) => assert_eq!(got, tree, "{p:?}"),
                    None => assert!(tree.is_err(), "{p:?}"),
                }
            });
        }
    }
}
