//! What an OpenStreetMap ingest read, built and left out, and how long each stage took.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::geom::{Crs, LonLatBox};

/// One profile on the loaded network: what it may use, and what it leaves out as islands.
///
/// A road is *left out* when the profile may use it but it lies on a component (strongly connected:
/// one-way streets count) that is neither the profile's largest nor at least
/// [`EngineOptions::min_component_nodes`](crate::EngineOptions::min_component_nodes) junctions:
/// nothing snaps onto it, so nobody is routed from an island by accident. A junction is left out
/// when every road it touches that the profile may use is left out.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileReport {
    /// Profile name.
    pub name: String,
    /// Roads the profile may use (in at least one direction).
    pub roads: usize,
    /// Directed arcs of its graph.
    pub arcs: usize,
    /// Length of those roads, km.
    pub km: f64,
    /// Junctions of its largest component.
    pub largest_component_nodes: usize,
    /// Usable roads left out (on islands).
    pub left_out_roads: usize,
    /// Junctions left out.
    pub left_out_nodes: usize,
    /// Length of the roads left out, km.
    pub left_out_km: f64,
}

/// How motor-traffic speeds were set, over the roads that have one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpeedSources {
    /// From `maxspeed` (or `maxspeed:forward/backward`).
    pub tagged: usize,
    /// From a national value in `maxspeed:type`, `source:maxspeed` or `zone:maxspeed`.
    pub implicit: usize,
    /// The default of the road's `highway` value and area ([`OsmSpeeds`](crate::OsmSpeeds)).
    pub default: usize,
    /// `maxspeed` values that were not understood (so the default applied), with counts.
    pub not_understood: BTreeMap<String, usize>,
}

/// The report of [`Network::from_osm_pbf`](crate::Network::from_osm_pbf): what was read, what
/// became roads, what each profile may use and leaves out, and the time per stage. Counts of roads
/// are of roads after cutting ways at junctions. Print it with `{}`.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmReport {
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Nodes in the file.
    pub nodes_in_file: u64,
    /// Ways in the file.
    pub ways_in_file: u64,
    /// Relations in the file.
    pub relations_in_file: u64,
    /// Ways taken as roads.
    pub ways_taken: usize,
    /// Ways with a `highway` tag not taken, by reason (`highway=construction`, `area=yes`, …).
    pub ways_skipped: BTreeMap<String, usize>,
    /// Taken ways with no two distinct nodes in the file.
    pub ways_degenerate: usize,
    /// Node references to nodes the file does not hold (ways cut at the extract's edge).
    pub missing_node_refs: usize,
    /// Junctions of the network (nodes where roads end or meet).
    pub junctions: usize,
    /// Roads of the network.
    pub roads: usize,
    /// Roads by `highway` value.
    pub roads_by_highway: BTreeMap<String, usize>,
    /// Length by `highway` value, km.
    pub km_by_highway: BTreeMap<String, f64>,
    /// How motor-traffic speeds were set.
    pub speeds: SpeedSources,
    /// Roads whose tags say urban or rural, and roads given the default area.
    pub area_from_tags: usize,
    /// Roads given [`OsmSpeeds::unknown_area`](crate::OsmSpeeds::unknown_area).
    pub area_default: usize,
    /// The projection of the network's coordinates.
    pub crs: Crs,
    /// The extent of the network's junctions and shape points.
    pub extent: LonLatBox,
    /// Largest |scale factor − 1| of the projection at the extent's corners and centre, in parts
    /// per million: planar distances (snapping, access legs) are within this of ground distances.
    /// Road lengths do not depend on it: they are geodesic.
    pub scale_error_ppm: f64,
    /// Per profile, when the network was prepared for profiles ([`Engine::from_osm_pbf`](crate::Engine::from_osm_pbf)).
    pub profiles: Vec<ProfileReport>,
    /// Seconds per stage, in order.
    pub stages: Vec<(String, f64)>,
}

impl OsmReport {
    /// Total seconds of the stages that read the file and build the network (not profiles).
    pub fn ingest_s(&self) -> f64 {
        self.stages
            .iter()
            .filter(|(name, _)| name != PROFILE_STAGE)
            .map(|(_, s)| s)
            .sum()
    }

    /// Ingest throughput: file megabytes (10^6 bytes) per second of [`OsmReport::ingest_s`].
    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.ingest_s()
    }

    /// Total length of the network, km.
    pub fn km(&self) -> f64 {
        self.km_by_highway.values().sum()
    }
}

/// Name of the stage that prepares profiles (not part of the ingest throughput).
pub(crate) const PROFILE_STAGE: &str = "prepare profiles";

impl fmt::Display for OsmReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "OpenStreetMap ingest: {} ({:.2} MB)",
            self.path.display(),
            self.bytes as f64 / 1e6
        )?;
        writeln!(
            f,
            "  file: {} nodes, {} ways, {} relations",
            self.nodes_in_file, self.ways_in_file, self.relations_in_file
        )?;
        let skipped: Vec<String> = self
            .ways_skipped
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        writeln!(
            f,
            "  ways taken as roads: {} (not taken: {})",
            self.ways_taken,
            if skipped.is_empty() {
                "none".to_string()
            } else {
                skipped.join(", ")
            }
        )?;
        writeln!(
            f,
            "  network: {} junctions, {} roads, {:.1} km; {} references to nodes outside the extract; {} ways without two nodes in it",
            self.junctions,
            self.roads,
            self.km(),
            self.missing_node_refs,
            self.ways_degenerate
        )?;
        writeln!(f, "  by highway:")?;
        for (h, km) in &self.km_by_highway {
            writeln!(
                f,
                "    {h:<16} {:>6} roads {km:>9.2} km",
                self.roads_by_highway.get(h).copied().unwrap_or(0)
            )?;
        }
        let s = &self.speeds;
        writeln!(
            f,
            "  motor speeds: {} from maxspeed, {} from national values, {} class defaults{}",
            s.tagged,
            s.implicit,
            s.default,
            if s.not_understood.is_empty() {
                String::new()
            } else {
                format!(
                    " (maxspeed not understood: {})",
                    s.not_understood
                        .iter()
                        .map(|(k, v)| format!("`{k}` {v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        )?;
        writeln!(
            f,
            "  urban/rural: {} roads from tags, {} by default",
            self.area_from_tags, self.area_default
        )?;
        writeln!(
            f,
            "  projection: {}; planar distances within {:.2} ppm of ground; road lengths are WGS84 geodesics (Karney 2013, < 1 µm per segment)",
            self.crs.name(),
            self.scale_error_ppm
        )?;
        for p in &self.profiles {
            writeln!(
                f,
                "  {}: {} roads, {} arcs, {:.1} km; largest component {} junctions; left out (islands): {} roads, {} junctions, {:.2} km",
                p.name,
                p.roads,
                p.arcs,
                p.km,
                p.largest_component_nodes,
                p.left_out_roads,
                p.left_out_nodes,
                p.left_out_km
            )?;
        }
        let stages: Vec<String> = self
            .stages
            .iter()
            .map(|(n, s)| format!("{n} {:.3} s", s))
            .collect();
        write!(
            f,
            "  time: {}; ingest {:.3} s = {:.1} MB/s",
            stages.join(", "),
            self.ingest_s(),
            self.mb_per_s()
        )
    }
}
