//! Road networks from OpenStreetMap extracts (`.osm.pbf`), with the tags the profiles read.
//!
//! Stages: read the ways (blobs decoded in parallel), read the coordinates of the nodes they use,
//! cut ways into roads at shared nodes and measure them, build the [`Network`]; optionally prepare
//! profiles and report what each leaves out.

mod maxspeed;
mod pbf;
mod report;
mod speeds;
mod split;
mod way;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::time::Instant;

use geo::{Distance, Geodesic, Point};
use rayon::prelude::*;

pub use report::{OsmReport, ProfileReport, SpeedSources};
pub use speeds::{Area, HighwaySpeed, OsmSpeeds};

use crate::engine::{Engine, EngineOptions, Position};
use crate::error::{Error, Result};
use crate::geom::{Crs, LonLat, LonLatBox, Xy};
use crate::network::{Network, NetworkBuilder, Profile, RoadId, RoadSpec};
use pbf::{Source, WayFilter, pbf_error};
use way::{SpeedSource, WayFacts};

/// How an OpenStreetMap extract becomes a network. Every field is data; the defaults are
/// documented on each.
///
/// ```
/// use travel_impact::{Engine, OsmOptions, Objective};
/// // A real extract of central Helsinki (© OpenStreetMap contributors, ODbL).
/// let (engine, report) =
///     Engine::from_osm_pbf("tests/fixtures/Helsinki.osm.pbf".as_ref(), &OsmOptions::default())?;
/// println!("{report}"); // counts, km per highway value, islands per profile, seconds per stage
/// assert_eq!((report.junctions, report.roads), (3260, 4337));
/// // On foot between two junctions (OSM node ids): 1332.513 m by an independent computation
/// // (tests/reference/osm_reference.py: its own PBF decoder, Vincenty, Dijkstra).
/// let net = engine.network();
/// let (a, b) = (net.find_node(719965841).unwrap(), net.find_node(1376293715).unwrap());
/// let walk = engine.profile("walk")?.route_nodes(a, b, Objective::Distance).unwrap();
/// assert!((walk.distance_m - 1332.513).abs() < 0.01);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OsmOptions {
    /// `highway` values taken as roads. Default: `motorway`, `trunk`, `primary`, `secondary`,
    /// `tertiary` (and their `_link`s), `unclassified`, `residential`, `service`, `living_street`,
    /// `pedestrian`, `track`, `footway`, `cycleway`, `path`, `steps`, `bridleway` and `road`. Not
    /// taken: `construction`, `proposed`, `platform`, `corridor`, `elevator`, `bus_guideway`,
    /// `raceway` and anything else; nor ways tagged `area=yes` (outlines of squares and car parks).
    pub highways: Vec<String>,
    /// Tags kept on each road, besides every tag the `profiles` read. Default: `highway`,
    /// `junction`, `maxspeed`, `oneway`, `service`.
    pub keep_tags: Vec<String>,
    /// Motor-traffic speeds where `maxspeed` is missing or not understood.
    pub speeds: OsmSpeeds,
    /// Projection of the network; `None` (default) takes [`Crs::choose_for`] the extent of the
    /// roads: British National Grid in Great Britain, else a transverse Mercator centred on them.
    pub crs: Option<Crs>,
    /// Profiles [`Engine::from_osm_pbf`] prepares and reports on. Default: [`Profile::drive`],
    /// [`Profile::walk`], [`Profile::cycle`].
    pub profiles: Vec<Profile>,
    /// Options of the engine [`Engine::from_osm_pbf`] builds (its island threshold is the
    /// report's).
    pub engine: EngineOptions,
    /// Memory for node coordinates kept from the first pass over the file, in MiB (24 bytes a
    /// node). Node blobs that fit are decoded once; the rest are decoded again in a second pass
    /// that keeps only the nodes the roads use, so memory stays bounded on large extracts.
    /// Default 1024 (about 45 million nodes: a country the size of Great Britain needs a second
    /// pass; a county or city does not). 0 always reads twice.
    pub node_cache_mb: usize,
}

impl Default for OsmOptions {
    fn default() -> Self {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Self {
            highways: strings(&[
                "motorway",
                "motorway_link",
                "trunk",
                "trunk_link",
                "primary",
                "primary_link",
                "secondary",
                "secondary_link",
                "tertiary",
                "tertiary_link",
                "unclassified",
                "residential",
                "service",
                "living_street",
                "pedestrian",
                "track",
                "footway",
                "cycleway",
                "path",
                "steps",
                "bridleway",
                "road",
            ]),
            keep_tags: strings(&["highway", "junction", "maxspeed", "oneway", "service"]),
            speeds: OsmSpeeds::default(),
            crs: None,
            profiles: vec![Profile::drive(), Profile::walk(), Profile::cycle()],
            engine: EngineOptions::default(),
            node_cache_mb: 1024,
        }
    }
}

impl OsmOptions {
    /// Every tag key kept on roads: `keep_tags` and whatever the profiles read.
    fn kept_keys(&self) -> BTreeSet<String> {
        let mut keys: BTreeSet<String> = self.keep_tags.iter().cloned().collect();
        for p in &self.profiles {
            keys.extend(p.access_keys.iter().cloned());
            keys.extend(p.oneway_key.iter().cloned());
            let rules = p
                .exclude
                .iter()
                .chain(&p.include)
                .chain(p.speed_rules.iter().map(|r| &r.when));
            keys.extend(rules.filter_map(|m| m.tag.as_ref().map(|(k, _)| k.clone())));
        }
        keys
    }
}

/// Seconds since `t`, and restarts it.
fn lap(t: &mut Instant) -> f64 {
    let s = t.elapsed().as_secs_f64();
    *t = Instant::now();
    s
}

impl Network {
    /// Loads the roads of an OpenStreetMap extract (`.osm.pbf`), with the tags profiles read, in
    /// the projection [`OsmOptions::crs`] gives. Returns the network and the ingest report (no
    /// profile section: see [`Engine::from_osm_pbf`]).
    ///
    /// Ways are cut into roads at every node they share with another taken way, so two ways that
    /// cross without a shared node (a bridge) do not meet. Road ids are `way id × 10,000 + k` for
    /// the k-th road along the way (from 0); junction ids are OSM node ids. A road's length is the
    /// sum of WGS84 geodesic distances between its consecutive nodes (Karney's algorithm, accurate
    /// to nanometres), whatever the projection; its shape is in the projection. Ways cut by the
    /// extract's edge keep the part inside.
    ///
    /// Errors: the file cannot be read; it is not a PBF or is corrupt ([`Error::Pbf`], naming the
    /// blob, way or node); it needs a feature this reader lacks (history files); an id is not
    /// positive; a node lies off the globe; no way is taken ([`Error::Empty`]).
    pub fn from_osm_pbf(path: &Path, options: &OsmOptions) -> Result<(Network, OsmReport)> {
        let bytes = std::fs::metadata(path)
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?
            .len();
        load(Source::File(path), path, bytes, options)
    }

    /// [`Network::from_osm_pbf`] on bytes in memory; `name` is used in errors and the report.
    pub fn from_osm_pbf_bytes(
        name: &Path,
        bytes: &[u8],
        options: &OsmOptions,
    ) -> Result<(Network, OsmReport)> {
        load(Source::Bytes(bytes), name, bytes.len() as u64, options)
    }
}

impl Engine {
    /// Loads an OpenStreetMap extract ([`Network::from_osm_pbf`]) and prepares
    /// [`OsmOptions::profiles`] on it, with [`OsmOptions::engine`]. The report then also says, per
    /// profile, what it may use and what it leaves out as islands ([`ProfileReport`]).
    pub fn from_osm_pbf(path: &Path, options: &OsmOptions) -> Result<(Engine, OsmReport)> {
        let (network, report) = Network::from_osm_pbf(path, options)?;
        Engine::with_osm_network(network, report, options)
    }

    /// [`Engine::from_osm_pbf`] on bytes in memory.
    pub fn from_osm_pbf_bytes(
        name: &Path,
        bytes: &[u8],
        options: &OsmOptions,
    ) -> Result<(Engine, OsmReport)> {
        let (network, report) = Network::from_osm_pbf_bytes(name, bytes, options)?;
        Engine::with_osm_network(network, report, options)
    }

    fn with_osm_network(
        network: Network,
        mut report: OsmReport,
        options: &OsmOptions,
    ) -> Result<(Engine, OsmReport)> {
        let mut t = Instant::now();
        let engine = Engine::with_profiles(network, options.engine, options.profiles.clone())?;
        report.profiles = engine
            .profiles()
            .map(|p| profile_report(&engine, &p.name))
            .collect::<Result<_>>()?;
        report
            .stages
            .push((report::PROFILE_STAGE.to_string(), lap(&mut t)));
        Ok((engine, report))
    }
}

/// What profile `name` may use on the engine's network and what it leaves out, by the engine's own
/// rule for islands.
fn profile_report(engine: &Engine, name: &str) -> Result<ProfileReport> {
    let router = engine.profile(name)?;
    let net = engine.network();
    let min = engine.options().min_component_nodes;
    let mut r = ProfileReport {
        name: name.to_string(),
        roads: 0,
        arcs: router.arc_count(),
        km: 0.0,
        largest_component_nodes: 0,
        left_out_roads: 0,
        left_out_nodes: 0,
        left_out_km: 0.0,
    };
    // Per junction: 1 = touches a usable road, 2 = touches a kept one.
    let mut touch = vec![0u8; net.node_count()];
    for (i, road) in net.roads().iter().enumerate() {
        let id = RoadId::new(i);
        if !router.usable(id) {
            continue;
        }
        let at = net.node(road.from);
        let c = router.component(&Position {
            road: id,
            fraction: 0.0,
            point: at,
            access_m: 0.0,
            input: at,
        });
        if c.largest {
            r.largest_component_nodes = c.nodes;
        }
        let kept = c.largest || c.nodes >= min;
        r.roads += 1;
        r.km += road.length_m / 1000.0;
        if !kept {
            r.left_out_roads += 1;
            r.left_out_km += road.length_m / 1000.0;
        }
        for n in [road.from, road.to] {
            let t = &mut touch[n.index()];
            *t = (*t).max(if kept { 2 } else { 1 });
        }
    }
    r.left_out_nodes = touch.iter().filter(|&&t| t == 1).count();
    Ok(r)
}

fn load(
    source: Source<'_>,
    path: &Path,
    bytes: u64,
    options: &OsmOptions,
) -> Result<(Network, OsmReport)> {
    options
        .speeds
        .validate()
        .map_err(|message| Error::InvalidOption {
            option: "speeds",
            message,
        })?;
    let mut stages = Vec::new();
    let mut t = Instant::now();

    let keep = options.kept_keys();
    let highways: HashSet<String> = options.highways.iter().cloned().collect();
    let keys: HashSet<String> = keep
        .iter()
        .cloned()
        .chain(way::FACT_KEYS.iter().map(|s| s.to_string()))
        .collect();
    let pass = pbf::read_ways(
        source,
        path,
        &WayFilter {
            highways: &highways,
            keys: &keys,
            node_cache_bytes: options.node_cache_mb.saturating_mul(1 << 20),
        },
    )?;
    if pass.ways.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
            what: "no way with a highway value the loader takes (OsmOptions::highways)",
        });
    }
    stages.push(("read ways".to_string(), lap(&mut t)));

    let ids = split::referenced_nodes(&pass.ways);
    let coords = pbf::read_nodes(source, path, &ids, &pass)?;
    stages.push(("read nodes".to_string(), lap(&mut t)));

    let located: Vec<bool> = coords.iter().map(Option::is_some).collect();
    let cut = split::split(&pass.ways, &ids, &located).map_err(|m| pbf_error(path, m))?;
    let lonlat = |i: u32| {
        let (lon, lat) = coords[i as usize].expect("pieces hold located nodes only");
        LonLat::new(lon, lat)
    };
    let mut used: Vec<u32> = cut
        .pieces
        .iter()
        .flat_map(|p| p.nodes.iter().copied())
        .collect();
    used.sort_unstable();
    used.dedup();
    if used.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
            what: "no way has two of its nodes in the file",
        });
    }
    let points: Vec<LonLat> = used.iter().map(|&i| lonlat(i)).collect();
    let extent = LonLatBox::from_points(&points).map_err(|e| pbf_error(path, e.to_string()))?;
    let crs = options.crs.unwrap_or_else(|| Crs::choose_for(&extent));
    let projected: Vec<Xy> = (0..ids.len())
        .into_par_iter()
        .map(|i| match coords[i] {
            Some((lon, lat)) => crs.forward(LonLat::new(lon, lat)),
            None => Xy::new(f64::NAN, f64::NAN),
        })
        .collect();
    let facts: Vec<WayFacts> = pass
        .ways
        .par_iter()
        .map(|w| way::facts(w, &options.speeds, &keep))
        .collect();
    let specs: Vec<RoadSpec> = cut
        .pieces
        .par_iter()
        .map(|p| {
            let (w, f) = (&pass.ways[p.way], &facts[p.way]);
            let id =
                w.id.checked_mul(split::MAX_ROADS_PER_WAY as u64)
                    .map(|v| v + p.k as u64)
                    .ok_or_else(|| pbf_error(path, format!("way id {} is too large", w.id)))?;
            let length_m: f64 = p
                .nodes
                .windows(2)
                .map(|s| {
                    let (a, b) = (lonlat(s[0]), lonlat(s[1]));
                    Geodesic.distance(Point::from(a), Point::from(b))
                })
                .sum();
            let mut spec = RoadSpec::new(
                id,
                ids[p.nodes[0] as usize],
                ids[*p.nodes.last().expect("pieces have two nodes") as usize],
            );
            spec.length_m = Some(length_m);
            spec.class = f.class;
            spec.speed_kmh = f.speed_kmh;
            spec.oneway = f.oneway;
            spec.name = f.name.clone();
            spec.tags = f.tags.clone();
            spec.geometry = p.nodes.iter().map(|&i| projected[i as usize]).collect();
            Ok(spec)
        })
        .collect::<Result<_>>()?;

    let mut b = NetworkBuilder::new();
    b.crs(crs).source(path.to_path_buf());
    let mut junctions = 0;
    for &i in &used {
        if cut.junction[i as usize] {
            b.node(ids[i as usize], projected[i as usize]);
            junctions += 1;
        }
    }
    let mut roads_by_highway: BTreeMap<String, usize> = BTreeMap::new();
    let mut km_by_highway: BTreeMap<String, f64> = BTreeMap::new();
    let mut speeds = SpeedSources::default();
    let (mut area_from_tags, mut area_default) = (0, 0);
    for (p, spec) in cut.pieces.iter().zip(&specs) {
        let f = &facts[p.way];
        let highway = pass.ways[p.way].tag("highway").unwrap_or("").to_string();
        *roads_by_highway.entry(highway.clone()).or_default() += 1;
        *km_by_highway.entry(highway).or_default() += spec.length_m.unwrap_or(0.0) / 1000.0;
        match f.speed_source {
            SpeedSource::Tagged => speeds.tagged += 1,
            SpeedSource::Implicit => speeds.implicit += 1,
            SpeedSource::Default => speeds.default += 1,
            SpeedSource::NotMotor => {}
        }
        if let Some(v) = &f.unparsed_maxspeed {
            *speeds.not_understood.entry(v.clone()).or_default() += 1;
        }
        if f.area_from_tags {
            area_from_tags += 1;
        } else {
            area_default += 1;
        }
    }
    let roads = specs.len();
    for spec in specs {
        b.road(spec);
    }
    stages.push(("cut and measure".to_string(), lap(&mut t)));

    let network = b.build()?;
    stages.push(("build network".to_string(), lap(&mut t)));

    let (w, s, e, n) = (
        extent.west_deg(),
        extent.south_deg(),
        extent.east_deg(),
        extent.north_deg(),
    );
    let scale_error_ppm = [(w, s), (w, n), (e, s), (e, n)]
        .into_iter()
        .map(|(lon, lat)| LonLat::new(lon, lat))
        .chain([extent.centre()])
        .map(|p| (crs.scale_factor_at(p) - 1.0).abs() * 1e6)
        .fold(0.0, f64::max);

    let report = OsmReport {
        path: path.to_path_buf(),
        bytes,
        nodes_in_file: pass.counts.nodes,
        ways_in_file: pass.counts.ways,
        relations_in_file: pass.counts.relations,
        ways_taken: pass.ways.len(),
        ways_skipped: pass.skipped,
        ways_degenerate: cut.degenerate_ways,
        missing_node_refs: cut.missing_refs,
        junctions,
        roads,
        roads_by_highway,
        km_by_highway,
        speeds,
        area_from_tags,
        area_default,
        crs,
        extent,
        scale_error_ppm,
        profiles: Vec::new(),
        stages,
    };
    Ok((network, report))
}
