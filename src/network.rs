//! The road network: junctions in British National Grid metres, roads with geometry, and one
//! petgraph graph per travel mode.
//!
//! The network knows nothing about children's centres: it is roads, modes and costs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use geo::Coord;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::cost::{mm, ms};
use crate::error::{Error, Result};
use crate::projection::{BngCoord, wgs84_to_bng};
use crate::table::Table;

/// How people travel. Each mode has its own graph and its own costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// By car: obeys one-way flags, uses each road's car speed, needs car access.
    Drive,
    /// On foot: both directions on every road except motorways, at the walking speed.
    Walk,
}

impl Mode {
    /// Both modes, in a fixed order.
    pub const ALL: [Mode; 2] = [Mode::Drive, Mode::Walk];

    /// Lower-case name ("drive", "walk").
    pub fn name(self) -> &'static str {
        match self {
            Mode::Drive => "drive",
            Mode::Walk => "walk",
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Mode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "drive" | "car" => Ok(Mode::Drive),
            "walk" | "foot" => Ok(Mode::Walk),
            _ => Err(Error::InvalidOption {
                option: "mode",
                message: format!("`{s}` is not drive or walk"),
            }),
        }
    }
}

/// Road class, from the road reference (M…, A…, B…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoadClass {
    /// A motorway: never walked.
    Motorway,
    /// An A road.
    ARoad,
    /// A B road.
    BRoad,
    /// Anything else (unclassified, residential, service, unreferenced).
    Other,
}

impl RoadClass {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "motorway" => Some(Self::Motorway),
            "A_road" => Some(Self::ARoad),
            "B_road" => Some(Self::BRoad),
            "other" | "" => Some(Self::Other),
            _ => None,
        }
    }
}

/// Options fixed when a network is built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkOptions {
    /// Walking speed for the walk mode and for every access leg (km/h). Default 4.8.
    pub walk_speed_kmh: f64,
}

impl Default for NetworkOptions {
    fn default() -> Self {
        Self {
            walk_speed_kmh: 4.8,
        }
    }
}

impl NetworkOptions {
    /// Walking speed in metres per second.
    pub fn walk_speed_mps(&self) -> f64 {
        self.walk_speed_kmh / 3.6
    }
}

/// One road segment between two junctions, as stored in the network.
#[derive(Debug, Clone)]
pub struct Road {
    /// The id in the source data.
    pub id: u64,
    /// Start junction (index into [`Network::node`]).
    pub from: usize,
    /// End junction.
    pub to: usize,
    /// Length along the road in metres.
    pub length_m: f64,
    /// Cars may travel from → to.
    pub car_forward: bool,
    /// Cars may travel to → from.
    pub car_backward: bool,
    /// Car speed (km/h); 0 means not drivable.
    pub car_speed_kmh: f64,
    /// Road class.
    pub class: RoadClass,
    /// Pedestrians may use it (both ways).
    pub walkable: bool,
    /// Street name and reference, as in the source ("Wendover Road, A413").
    pub name: String,
    /// Shape from `from` to `to`, at least two points, BNG metres.
    pub geometry: Vec<BngCoord>,
}

/// Arc weight in a mode graph: the road it runs along and its two costs.
///
/// The search adds the exact integer costs (`length_mm`, `time_ms`: see the crate's rule on
/// exact costs); the `f64` figures are the same road before rounding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arc {
    /// Index of the road in [`Network::roads`].
    pub road: u32,
    /// Metres.
    pub length_m: f64,
    /// Seconds in this mode.
    pub time_s: f64,
    /// Whole millimetres, as the search adds them.
    pub length_mm: u64,
    /// Whole milliseconds in this mode, as the search adds them.
    pub time_ms: u64,
}

/// A road to add with [`NetworkBuilder`]; the builder validates it.
#[derive(Debug, Clone)]
pub struct RoadSpec {
    /// Source id (unique).
    pub id: u64,
    /// Start node id.
    pub from: u64,
    /// End node id.
    pub to: u64,
    /// Length in metres; `None` takes the planar length of the geometry.
    pub length_m: Option<f64>,
    /// Cars may travel from → to.
    pub car_forward: bool,
    /// Cars may travel to → from.
    pub car_backward: bool,
    /// Car speed in km/h (0 = not drivable).
    pub car_speed_kmh: f64,
    /// Road class.
    pub class: RoadClass,
    /// Walkable; `None` applies the default rule (everything but motorways and unnamed 100 km/h roads).
    pub walkable: Option<bool>,
    /// Name.
    pub name: String,
    /// Intermediate and end points (may be empty: a straight line between the nodes).
    pub geometry: Vec<BngCoord>,
    /// Source line, for error messages (0 when built by hand).
    pub line: u64,
}

impl RoadSpec {
    /// A two-way, 30 km/h, unclassified road between two node ids, straight, length from geometry.
    pub fn new(id: u64, from: u64, to: u64) -> Self {
        Self {
            id,
            from,
            to,
            length_m: None,
            car_forward: true,
            car_backward: true,
            car_speed_kmh: 30.0,
            class: RoadClass::Other,
            walkable: None,
            name: String::new(),
            geometry: Vec::new(),
            line: 0,
        }
    }
    /// Cars may only go from → to.
    pub fn one_way(mut self) -> Self {
        self.car_backward = false;
        self
    }
    /// Sets the car speed.
    pub fn speed_kmh(mut self, v: f64) -> Self {
        self.car_speed_kmh = v;
        self
    }
    /// Sets the length instead of taking it from the geometry.
    pub fn length_m(mut self, v: f64) -> Self {
        self.length_m = Some(v);
        self
    }
    /// Makes it a motorway (not walkable).
    pub fn motorway(mut self) -> Self {
        self.class = RoadClass::Motorway;
        self
    }
    /// Sets the shape (the full polyline, including both end points).
    pub fn geometry(mut self, points: Vec<BngCoord>) -> Self {
        self.geometry = points;
        self
    }
}

/// Builds a [`Network`] from nodes and roads given in code, with the same checks as the CSV loader.
///
/// ```
/// use travel_impact::{NetworkBuilder, RoadSpec, NetworkOptions};
/// use geo::coord;
/// let mut b = NetworkBuilder::new();
/// b.node(1, coord! { x: 0.0, y: 0.0 }).node(2, coord! { x: 100.0, y: 0.0 });
/// b.road(RoadSpec::new(10, 1, 2).one_way());
/// let net = b.build(NetworkOptions::default()).unwrap();
/// assert_eq!(net.roads().len(), 1);
/// assert_eq!(net.roads()[0].length_m, 100.0);
/// ```
#[derive(Debug, Default)]
pub struct NetworkBuilder {
    source: Option<PathBuf>,
    nodes: Vec<(u64, BngCoord, u64)>,
    roads: Vec<RoadSpec>,
}

impl NetworkBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a junction at a BNG coordinate.
    pub fn node(&mut self, id: u64, at: BngCoord) -> &mut Self {
        self.nodes.push((id, at, 0));
        self
    }
    /// Adds a road.
    pub fn road(&mut self, spec: RoadSpec) -> &mut Self {
        self.roads.push(spec);
        self
    }

    /// Validates and builds.
    pub fn build(self, options: NetworkOptions) -> Result<Network> {
        if !(options.walk_speed_kmh.is_finite() && options.walk_speed_kmh > 0.0) {
            return Err(Error::InvalidOption {
                option: "walk_speed_kmh",
                message: format!("{} is not a positive speed", options.walk_speed_kmh),
            });
        }
        let path = self
            .source
            .clone()
            .unwrap_or_else(|| PathBuf::from("<builder>"));
        let mut index: HashMap<u64, (usize, u64)> = HashMap::with_capacity(self.nodes.len());
        let mut nodes = Vec::with_capacity(self.nodes.len());
        let mut node_ids = Vec::with_capacity(self.nodes.len());
        for (id, at, line) in self.nodes {
            if let Some(&(_, first_line)) = index.get(&id) {
                return Err(Error::DuplicateId {
                    path,
                    line,
                    first_line,
                    what: "node",
                    id: id.to_string(),
                });
            }
            index.insert(id, (nodes.len(), line));
            nodes.push(at);
            node_ids.push(id);
        }
        let mut seen: HashMap<u64, u64> = HashMap::with_capacity(self.roads.len());
        let mut roads = Vec::with_capacity(self.roads.len());
        for spec in self.roads {
            if let Some(&first_line) = seen.get(&spec.id) {
                return Err(Error::DuplicateId {
                    path,
                    line: spec.line,
                    first_line,
                    what: "edge",
                    id: spec.id.to_string(),
                });
            }
            seen.insert(spec.id, spec.line);
            let lookup = |n: u64| {
                index
                    .get(&n)
                    .map(|&(i, _)| i)
                    .ok_or_else(|| Error::MissingNode {
                        path: path.clone(),
                        line: spec.line,
                        edge: spec.id.to_string(),
                        node: n.to_string(),
                    })
            };
            let from = lookup(spec.from)?;
            let to = lookup(spec.to)?;
            let field = |field: &str, message: String| Error::Field {
                path: path.clone(),
                line: spec.line,
                field: field.to_string(),
                message,
            };
            let mut geometry = spec.geometry;
            if geometry.len() < 2 {
                geometry = vec![nodes[from], nodes[to]];
            }
            if geometry
                .iter()
                .any(|c| !c.x.is_finite() || !c.y.is_finite())
            {
                return Err(field("geometry", "has a non-finite coordinate".into()));
            }
            let length_m = match spec.length_m {
                Some(l) => l,
                None => polyline_length(&geometry),
            };
            if !length_m.is_finite() || length_m < 0.0 {
                return Err(field(
                    "length_m",
                    format!("{length_m} is not a length (finite, >= 0)"),
                ));
            }
            if !spec.car_speed_kmh.is_finite() || spec.car_speed_kmh < 0.0 {
                return Err(field(
                    "car_speed_kmh",
                    format!("{} is not a speed (finite, >= 0)", spec.car_speed_kmh),
                ));
            }
            let walkable = spec.walkable.unwrap_or(
                spec.class != RoadClass::Motorway
                    && !(spec.name.is_empty() && spec.car_speed_kmh >= 100.0),
            );
            roads.push(Road {
                id: spec.id,
                from,
                to,
                length_m,
                car_forward: spec.car_forward,
                car_backward: spec.car_backward,
                car_speed_kmh: spec.car_speed_kmh,
                class: spec.class,
                walkable,
                name: spec.name,
                geometry,
            });
        }
        Network::assemble(node_ids, nodes, roads, options)
    }
}

/// Planar length of a polyline, metres.
pub(crate) fn polyline_length(points: &[BngCoord]) -> f64 {
    points
        .windows(2)
        .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
        .sum()
}

/// A road network with a routing graph per [`Mode`].
///
/// Parallel roads between the same two junctions and loops are all kept: each is its own arc,
/// so the search simply takes the cheapest.
///
/// ```
/// use travel_impact::{Network, NetworkOptions, Mode};
/// let net = Network::from_csv(
///     "data/roads/nodes.csv.gz".as_ref(),
///     "data/roads/edges.csv.gz".as_ref(),
///     NetworkOptions::default(),
/// ).unwrap();
/// assert_eq!(net.node_count(), 49_215);
/// assert!(net.graph(Mode::Drive).edge_count() > 100_000);
/// ```
#[derive(Debug, Clone)]
pub struct Network {
    node_ids: Vec<u64>,
    nodes: Vec<BngCoord>,
    roads: Vec<Road>,
    drive: DiGraph<(), Arc, u32>,
    walk: DiGraph<(), Arc, u32>,
    /// Per mode, the incoming arcs of every junction in flat arrays: the search walks the reversed
    /// graph, and contiguous memory is several times faster than petgraph's linked edge lists.
    incoming: [Incoming; 2],
    options: NetworkOptions,
}

impl Network {
    fn assemble(
        node_ids: Vec<u64>,
        nodes: Vec<BngCoord>,
        roads: Vec<Road>,
        options: NetworkOptions,
    ) -> Result<Self> {
        let n = nodes.len();
        let mut drive = DiGraph::with_capacity(n, roads.len() * 2);
        let mut walk = DiGraph::with_capacity(n, roads.len() * 2);
        for _ in 0..n {
            drive.add_node(());
            walk.add_node(());
        }
        let walk_mps = options.walk_speed_mps();
        for (i, r) in roads.iter().enumerate() {
            let (a, b) = (NodeIndex::new(r.from), NodeIndex::new(r.to));
            let road = i as u32;
            if r.car_speed_kmh > 0.0 {
                let time_s = r.length_m / (r.car_speed_kmh / 3.6);
                let arc = Arc {
                    road,
                    length_m: r.length_m,
                    time_s,
                    length_mm: mm(r.length_m),
                    time_ms: ms(time_s),
                };
                if r.car_forward {
                    drive.add_edge(a, b, arc);
                }
                if r.car_backward {
                    drive.add_edge(b, a, arc);
                }
            }
            if r.walkable {
                let time_s = r.length_m / walk_mps;
                let arc = Arc {
                    road,
                    length_m: r.length_m,
                    time_s,
                    length_mm: mm(r.length_m),
                    time_ms: ms(time_s),
                };
                walk.add_edge(a, b, arc);
                walk.add_edge(b, a, arc);
            }
        }
        if drive.edge_count() == 0 && walk.edge_count() == 0 {
            return Err(Error::EmptyNetwork);
        }
        let incoming = [Incoming::of(&drive), Incoming::of(&walk)];
        Ok(Self {
            node_ids,
            nodes,
            roads,
            drive,
            walk,
            incoming,
            options,
        })
    }

    /// Loads a network from a node CSV and an edge CSV (either may be gzip-compressed).
    ///
    /// Nodes: `node_id` and either `lat,lon` (WGS84 degrees, projected to BNG) or
    /// `easting,northing` (BNG metres). Edges: `edge_id,from_node,to_node,length_m,car_forward,
    /// car_backward,car_speed_kmh`, optionally `ref_class`, `name` and `geometry_wkt`
    /// (`LINESTRING(x y, …)` in the same coordinates as the nodes).
    pub fn from_csv(nodes: &Path, edges: &Path, options: NetworkOptions) -> Result<Self> {
        Self::from_readers(
            (nodes, crate::table::open(nodes)?),
            (edges, crate::table::open(edges)?),
            options,
        )
    }

    /// [`Network::from_csv`] from any two readers, each with the name used in errors.
    pub fn from_readers(
        nodes: (&Path, impl std::io::Read),
        edges: (&Path, impl std::io::Read),
        options: NetworkOptions,
    ) -> Result<Self> {
        let ((nodes, node_reader), (edges, edge_reader)) = (nodes, edges);
        let mut b = NetworkBuilder {
            source: Some(edges.to_path_buf()),
            ..Default::default()
        };
        let mut t = Table::from_reader(nodes, node_reader)?;
        let id = t.column("node_id")?;
        let latlon = match (t.optional_column("lat"), t.optional_column("lon")) {
            (Some(lat), Some(lon)) => Some((lat, lon)),
            _ => None,
        };
        let en = if latlon.is_none() {
            Some((t.column("easting")?, t.column("northing")?))
        } else {
            None
        };
        while let Some(row) = t.next_row()? {
            let node_id: u64 = row.parse(id, "a node id (whole number)")?;
            let at = if let Some((lat, lon)) = latlon {
                let (la, lo) = (row.finite(lat)?, row.finite(lon)?);
                if !(-90.0..=90.0).contains(&la) {
                    return Err(row.error(lat, format!("{la} is not a latitude")));
                }
                wgs84_to_bng(la, lo)
            } else {
                let (e, n) = en.expect("checked above");
                Coord {
                    x: row.finite(e)?,
                    y: row.finite(n)?,
                }
            };
            b.nodes.push((node_id, at, row.line()));
        }
        if b.nodes.is_empty() {
            return Err(Error::Empty {
                path: nodes.to_path_buf(),
                what: "no data rows",
            });
        }

        let mut t = Table::from_reader(edges, edge_reader)?;
        let c_id = t.column("edge_id")?;
        let c_from = t.column("from_node")?;
        let c_to = t.column("to_node")?;
        let c_len = t.column("length_m")?;
        let c_fwd = t.column("car_forward")?;
        let c_bwd = t.column("car_backward")?;
        let c_speed = t.column("car_speed_kmh")?;
        let c_class = t.optional_column("ref_class");
        let c_name = t.optional_column("name");
        let c_geom = t.optional_column("geometry_wkt");
        while let Some(row) = t.next_row()? {
            let mut spec = RoadSpec::new(
                row.parse(c_id, "an edge id (whole number)")?,
                row.parse(c_from, "a node id (whole number)")?,
                row.parse(c_to, "a node id (whole number)")?,
            );
            spec.line = row.line();
            spec.length_m = Some(row.finite(c_len)?);
            spec.car_forward = row.flag(c_fwd)?;
            spec.car_backward = row.flag(c_bwd)?;
            spec.car_speed_kmh = row.finite(c_speed)?;
            if let Some(c) = c_class {
                spec.class = RoadClass::parse(row.str(c)).ok_or_else(|| {
                    row.error(
                        c,
                        format!("`{}` is not motorway, A_road, B_road or other", row.str(c)),
                    )
                })?;
            }
            if let Some(c) = c_name {
                spec.name = row.str(c).to_string();
            }
            if let Some(wkt) = row.opt_str(c_geom) {
                let pts = parse_linestring(wkt)
                    .ok_or_else(|| row.error(c_geom.unwrap(), "not a WKT LINESTRING"))?;
                spec.geometry = if latlon.is_some() {
                    pts.into_iter()
                        .map(|(lon, lat)| wgs84_to_bng(lat, lon))
                        .collect()
                } else {
                    pts.into_iter().map(|(x, y)| Coord { x, y }).collect()
                };
            }
            b.roads.push(spec);
        }
        if b.roads.is_empty() {
            return Err(Error::Empty {
                path: edges.to_path_buf(),
                what: "no data rows",
            });
        }
        b.build(options)
    }

    /// Number of junctions.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
    /// Position of junction `i` (BNG metres).
    pub fn node(&self, i: usize) -> BngCoord {
        self.nodes[i]
    }
    /// Source id of junction `i`.
    pub fn node_id(&self, i: usize) -> u64 {
        self.node_ids[i]
    }
    /// Index of the junction with source id `id`.
    pub fn find_node(&self, id: u64) -> Option<usize> {
        self.node_ids.iter().position(|&n| n == id)
    }
    /// All roads, in input order.
    pub fn roads(&self) -> &[Road] {
        &self.roads
    }
    /// The options the network was built with.
    pub fn options(&self) -> &NetworkOptions {
        &self.options
    }
    /// The routing graph of a mode: node `i` is junction `i`, arcs carry [`Arc`] weights.
    pub fn graph(&self, mode: Mode) -> &DiGraph<(), Arc, u32> {
        match mode {
            Mode::Drive => &self.drive,
            Mode::Walk => &self.walk,
        }
    }

    /// Incoming arcs of `node` in `mode` as (source junction, length mm, time ms); parallel arcs
    /// are all listed.
    pub(crate) fn incoming(&self, mode: Mode, node: usize) -> &[(u32, u64, u64)] {
        let inc = &self.incoming[mode as usize];
        &inc.arcs[inc.start[node] as usize..inc.start[node + 1] as usize]
    }

    /// Whether a traveller in `mode` may move along road `road` from its `from` end towards its
    /// `to` end (`forward`) or the other way.
    pub fn allows(&self, mode: Mode, road: usize, forward: bool) -> bool {
        let r = &self.roads[road];
        match mode {
            Mode::Drive => {
                r.car_speed_kmh > 0.0
                    && if forward {
                        r.car_forward
                    } else {
                        r.car_backward
                    }
            }
            Mode::Walk => r.walkable,
        }
    }

    /// Whether `mode` can use road `road` in at least one direction (and so may snap to it).
    pub fn usable(&self, mode: Mode, road: usize) -> bool {
        self.allows(mode, road, true) || self.allows(mode, road, false)
    }

    /// Seconds to travel the whole of road `road` in `mode`.
    pub fn road_time_s(&self, mode: Mode, road: usize) -> f64 {
        let r = &self.roads[road];
        match mode {
            Mode::Drive => r.length_m / (r.car_speed_kmh / 3.6),
            Mode::Walk => r.length_m / self.options.walk_speed_mps(),
        }
    }

    /// Road `road`'s exact costs in `mode`: whole millimetres and milliseconds, rounded once
    /// (the same figures its arcs carry).
    pub(crate) fn road_cost(&self, mode: Mode, road: usize) -> (u64, u64) {
        (
            mm(self.roads[road].length_m),
            ms(self.road_time_s(mode, road)),
        )
    }
}

/// Compressed incoming adjacency of one mode graph.
#[derive(Debug, Clone, Default)]
struct Incoming {
    start: Vec<u32>,
    arcs: Vec<(u32, u64, u64)>,
}

impl Incoming {
    fn of(graph: &DiGraph<(), Arc, u32>) -> Self {
        let n = graph.node_count();
        let mut count = vec![0u32; n + 1];
        for e in graph.raw_edges() {
            count[e.target().index() + 1] += 1;
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut fill = count.clone();
        let mut arcs = vec![(0u32, 0, 0); graph.edge_count()];
        // Edge order within a junction follows petgraph's edge order, so it is deterministic.
        for e in graph.raw_edges() {
            let t = e.target().index();
            arcs[fill[t] as usize] = (
                e.source().index() as u32,
                e.weight.length_mm,
                e.weight.time_ms,
            );
            fill[t] += 1;
        }
        Self { start: count, arcs }
    }
}

/// Parses `LINESTRING(x y, x y, …)` into coordinate pairs.
fn parse_linestring(wkt: &str) -> Option<Vec<(f64, f64)>> {
    let s = wkt.trim();
    let rest = s
        .get(..10)
        .filter(|p| p.eq_ignore_ascii_case("LINESTRING"))
        .map(|_| s[10..].trim())?;
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    let mut out = Vec::new();
    for pair in inner.split(',') {
        let mut it = pair.split_whitespace();
        let x: f64 = it.next()?.parse().ok()?;
        let y: f64 = it.next()?.parse().ok()?;
        if it.next().is_some() || !x.is_finite() || !y.is_finite() {
            return None;
        }
        out.push((x, y));
    }
    (out.len() >= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wkt() {
        assert_eq!(
            parse_linestring("LINESTRING(1 2,3.5 4)"),
            Some(vec![(1.0, 2.0), (3.5, 4.0)])
        );
        assert_eq!(parse_linestring("LINESTRING (1 2, 3 4)").unwrap().len(), 2);
        assert_eq!(parse_linestring("POINT(1 2)"), None);
        assert_eq!(parse_linestring("LINESTRING(1 2)"), None);
        assert_eq!(parse_linestring("LINESTRING(1 2,x 4)"), None);
    }
}
