//! Building a [`Network`] from junctions and roads given in code or read by a loader, with one set
//! of checks for every source.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};
use std::path::PathBuf;
use std::sync::Arc;

use super::model::Network;
use super::road::{NodeId, Oneway, Road, RoadClass, polyline_length};
use super::tags::{Interner, Tags};
use crate::error::{Error, Result};
use crate::geom::{Crs, Xy};

/// A road to add with [`NetworkBuilder`]; the builder validates it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadSpec {
    /// Source id (unique).
    pub id: u64,
    /// Start node id.
    pub from: u64,
    /// End node id.
    pub to: u64,
    /// Length in metres; `None` takes the planar length of the geometry.
    pub length_m: Option<f64>,
    /// Class.
    pub class: RoadClass,
    /// Motor-traffic speed in km/h (0 = none given: not drivable).
    pub speed_kmh: f64,
    /// One-way rule.
    pub oneway: Oneway,
    /// Name.
    pub name: String,
    /// Other facts (`key=value`).
    pub tags: BTreeMap<String, String>,
    /// Intermediate and end points (may be empty: a straight line between the nodes).
    pub geometry: Vec<Xy>,
    /// Source line, for error messages (0 when built by hand).
    pub line: u64,
}

impl RoadSpec {
    /// A two-way, 30 km/h road of class [`RoadClass::Other`] between two node ids, straight,
    /// length from the geometry.
    pub fn new(id: u64, from: u64, to: u64) -> Self {
        Self {
            id,
            from,
            to,
            length_m: None,
            class: RoadClass::Other,
            speed_kmh: 30.0,
            oneway: Oneway::No,
            name: String::new(),
            tags: BTreeMap::new(),
            geometry: Vec::new(),
            line: 0,
        }
    }
    /// One-way from → to.
    pub fn one_way(mut self) -> Self {
        self.oneway = Oneway::Forward;
        self
    }
    /// Sets the motor-traffic speed.
    pub fn speed_kmh(mut self, v: f64) -> Self {
        self.speed_kmh = v;
        self
    }
    /// Sets the length instead of taking it from the geometry.
    pub fn length_m(mut self, v: f64) -> Self {
        self.length_m = Some(v);
        self
    }
    /// Sets the class.
    pub fn class(mut self, class: RoadClass) -> Self {
        self.class = class;
        self
    }
    /// Marks it a motorway.
    pub fn motorway(self) -> Self {
        self.class(RoadClass::Motorway)
    }
    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }
    /// Sets the shape (end points included).
    pub fn geometry(mut self, points: Vec<Xy>) -> Self {
        self.geometry = points;
        self
    }
}

/// Builds a [`Network`] from nodes and roads given in code, with the same checks as the loaders.
///
/// ```
/// use travel_impact::{NetworkBuilder, RoadSpec, geom::Xy};
/// let mut b = NetworkBuilder::new();
/// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(100.0, 0.0));
/// b.road(RoadSpec::new(10, 1, 2).one_way());
/// let net = b.build().unwrap();
/// assert_eq!(net.roads().len(), 1);
/// assert_eq!(net.roads()[0].length_m, 100.0);
/// ```
#[derive(Debug)]
pub struct NetworkBuilder {
    source: Option<PathBuf>,
    crs: Crs,
    nodes: Vec<(u64, Xy, u64)>,
    /// Roads as given, with their name and tags already shared (taken out of the spec), so a
    /// large network never holds one map of tags per road.
    roads: Vec<(RoadSpec, Arc<str>, Tags)>,
    strings: Interner,
}

impl Default for NetworkBuilder {
    fn default() -> Self {
        Self {
            source: None,
            crs: Crs::BritishNationalGrid,
            nodes: Vec::new(),
            strings: Interner::default(),
            roads: Vec::new(),
        }
    }
}

impl NetworkBuilder {
    /// An empty builder; coordinates are taken as British National Grid unless [`NetworkBuilder::crs`]
    /// says otherwise.
    pub fn new() -> Self {
        Self::default()
    }
    /// The CRS the coordinates are in.
    pub fn crs(&mut self, crs: Crs) -> &mut Self {
        self.crs = crs;
        self
    }
    /// The file the roads come from, named in errors.
    pub(crate) fn source(&mut self, path: PathBuf) -> &mut Self {
        self.source = Some(path);
        self
    }
    /// Adds a junction.
    pub fn node(&mut self, id: u64, at: Xy) -> &mut Self {
        self.nodes.push((id, at, 0));
        self
    }
    /// Adds a junction read from line `line` of a file.
    pub(crate) fn node_at_line(&mut self, id: u64, at: Xy, line: u64) -> &mut Self {
        self.nodes.push((id, at, line));
        self
    }
    /// Adds a road.
    pub fn road(&mut self, mut spec: RoadSpec) -> &mut Self {
        let name = self.strings.get(std::mem::take(&mut spec.name));
        let tags = self.strings.tags(std::mem::take(&mut spec.tags));
        self.roads.push((spec, name, tags));
        self
    }
    /// Applies `f` to every road added so far, in parallel (e.g. projecting geometry read as
    /// lon/lat once the CRS is known).
    pub(crate) fn map_roads(&mut self, f: impl Fn(&mut RoadSpec) + Sync) {
        use rayon::prelude::*;
        self.roads.par_iter_mut().for_each(|(spec, ..)| f(spec));
    }

    /// Number of junctions and roads added so far.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (self.nodes.len(), self.roads.len())
    }

    /// Validates and builds.
    pub fn build(self) -> Result<Network> {
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
        for (spec, name, tags) in self.roads {
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
                .any(|c| !c.x_m.is_finite() || !c.y_m.is_finite())
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
            if !spec.speed_kmh.is_finite() || spec.speed_kmh < 0.0 {
                return Err(field(
                    "car_speed_kmh",
                    format!("{} is not a speed (finite, >= 0)", spec.speed_kmh),
                ));
            }
            roads.push(Road {
                id: spec.id,
                from: NodeId::new(from),
                to: NodeId::new(to),
                length_m,
                class: spec.class,
                speed_kmh: spec.speed_kmh,
                oneway: spec.oneway,
                name,
                tags,
                geometry,
            });
        }
        if roads.is_empty() {
            return Err(Error::EmptyNetwork);
        }
        Ok(Network::assemble(self.crs, node_ids, nodes, roads))
    }
}
