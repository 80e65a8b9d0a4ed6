//! Reading an `.osm.pbf` with osmpbf, decoding blobs in parallel: first the ways the loader takes
//! (and the nodes' coordinates, up to a memory budget), then, for node blobs that did not fit the
//! budget, a second pass for the coordinates of just the nodes the ways use.
//!
//! A PBF is a sequence of independently compressed blobs, so each pass decompresses and parses
//! blobs on every core while one thread reads the file. Results are put back in file order, so the
//! network does not depend on thread timing. Every failure is an [`Error::Pbf`] naming the blob;
//! a decoder panic on corrupt data (osmpbf does unchecked integer arithmetic, which panics in
//! debug builds) is caught and reported the same way.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use osmpbf::{BlobDecode, BlobReader, PrimitiveBlock};
use rayon::prelude::*;

use super::way::RawWay;
use crate::error::{Error, Result};

/// Where the bytes come from: a file (opened once per pass) or memory.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source<'a> {
    File(&'a Path),
    Bytes(&'a [u8]),
}

impl<'a> Source<'a> {
    fn blobs(&self, path: &Path) -> Result<BlobReader<Box<dyn Read + Send + 'a>>> {
        let reader: Box<dyn Read + Send + 'a> = match *self {
            Source::File(p) => Box::new(std::io::BufReader::new(std::fs::File::open(p).map_err(
                |source| Error::Io {
                    path: path.to_path_buf(),
                    source,
                },
            )?)),
            Source::Bytes(b) => Box::new(b),
        };
        Ok(BlobReader::new(reader))
    }
}

/// Features of a PBF this reader understands; any other required feature is refused.
const SUPPORTED_FEATURES: &[&str] = &["OsmSchema-V0.6", "DenseNodes"];

pub(crate) fn pbf_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Pbf {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Elements in the file, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) nodes: u64,
    pub(crate) ways: u64,
    pub(crate) relations: u64,
}

/// A node as decoded: id and coordinates in nanodegrees (latitude, longitude).
type RawNode = (i64, i64, i64);

/// Bytes a cached node takes.
const NODE_BYTES: usize = std::mem::size_of::<RawNode>();

/// What the first pass found.
#[derive(Debug, Default)]
pub(crate) struct WayPass {
    /// The ways taken, in file order.
    pub(crate) ways: Vec<RawWay>,
    /// Per blob: whether it holds nodes that were not cached (the second pass decodes only those).
    pub(crate) node_blobs: Vec<bool>,
    /// Nodes of the blobs that fit the cache, with their blob number.
    pub(crate) cached: Vec<(usize, Vec<RawNode>)>,
    pub(crate) counts: Counts,
    /// Ways with a `highway` tag that were not taken, by reason (`highway=construction`,
    /// `area=yes`).
    pub(crate) skipped: BTreeMap<String, usize>,
}

/// One data blob's share of the first pass.
#[derive(Debug, Default)]
struct BlobWays {
    has_nodes: bool,
    nodes: Option<Vec<RawNode>>,
    counts: Counts,
    ways: Vec<RawWay>,
    skipped: BTreeMap<String, usize>,
}

/// What decides whether a way is taken, which of its tags are kept, and how many bytes of node
/// coordinates the first pass may keep.
pub(crate) struct WayFilter<'a> {
    pub(crate) highways: &'a HashSet<String>,
    pub(crate) keys: &'a HashSet<String>,
    pub(crate) node_cache_bytes: usize,
}

/// Runs `f` on every blob in parallel and returns the results in file order, or the first error.
fn each_blob<T: Send>(
    source: Source<'_>,
    path: &Path,
    f: impl Fn(usize, &osmpbf::Blob) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let reader = source.blobs(path)?;
    let mut results: Vec<(usize, Result<T>)> = reader
        .enumerate()
        .par_bridge()
        .map(|(i, blob)| {
            let out = match blob {
                Ok(blob) => match catch_unwind(AssertUnwindSafe(|| f(i, &blob))) {
                    Ok(r) => r,
                    Err(_) => Err(pbf_error(
                        path,
                        format!("blob {i}: corrupt data (the decoder failed on it)"),
                    )),
                },
                Err(e) => Err(pbf_error(path, format!("blob {i}: {e}"))),
            };
            (i, out)
        })
        .collect();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// A string of the block's string table, checked.
fn string<'b>(block: &'b PrimitiveBlock, index: u32, path: &Path, blob: usize) -> Result<&'b str> {
    let bytes = block.raw_stringtable().get(index as usize).ok_or_else(|| {
        pbf_error(
            path,
            format!("blob {blob}: string index {index} outside the string table"),
        )
    })?;
    std::str::from_utf8(bytes)
        .map_err(|_| pbf_error(path, format!("blob {blob}: string {index} is not UTF-8")))
}

/// A positive OSM id.
fn id(raw: i64, what: &str, path: &Path, blob: usize) -> Result<u64> {
    u64::try_from(raw).ok().filter(|&v| v > 0).ok_or_else(|| {
        pbf_error(
            path,
            format!(
                "blob {blob}: {what} id {raw} is not positive (unsaved edits cannot be loaded)"
            ),
        )
    })
}

/// First pass: counts every element and keeps the ways `filter` takes, with their tags.
pub(crate) fn read_ways(
    source: Source<'_>,
    path: &Path,
    filter: &WayFilter<'_>,
) -> Result<WayPass> {
    let reserved = AtomicUsize::new(0);
    let blobs = each_blob(source, path, |i, blob| -> Result<Option<BlobWays>> {
        match blob
            .decode()
            .map_err(|e| pbf_error(path, format!("blob {i}: {e}")))?
        {
            BlobDecode::OsmHeader(header) => {
                if let Some(f) = header
                    .required_features()
                    .iter()
                    .find(|f| !SUPPORTED_FEATURES.contains(&f.as_str()))
                {
                    return Err(pbf_error(
                        path,
                        format!(
                            "requires the feature `{f}`, which this loader does not support \
                             (history files and other variants cannot be loaded)"
                        ),
                    ));
                }
                Ok(None)
            }
            BlobDecode::OsmData(block) => {
                ways_of_block(&block, path, i, filter, &reserved).map(Some)
            }
            BlobDecode::Unknown(_) => Ok(Some(BlobWays::default())),
        }
    })?;
    let mut pass = WayPass::default();
    let mut header = false;
    for (i, b) in blobs.into_iter().enumerate() {
        let Some(b) = b else {
            header = true;
            pass.node_blobs.push(false);
            continue;
        };
        pass.node_blobs.push(b.has_nodes && b.nodes.is_none());
        if let Some(nodes) = b.nodes {
            pass.cached.push((i, nodes));
        }
        pass.counts.nodes += b.counts.nodes;
        pass.counts.ways += b.counts.ways;
        pass.counts.relations += b.counts.relations;
        pass.ways.extend(b.ways);
        for (k, v) in b.skipped {
            *pass.skipped.entry(k).or_default() += v;
        }
    }
    if !header {
        return Err(pbf_error(
            path,
            "no OSMHeader block: this is not an OpenStreetMap PBF file",
        ));
    }
    let mut seen = HashSet::with_capacity(pass.ways.len());
    if let Some(w) = pass.ways.iter().find(|w| !seen.insert(w.id)) {
        return Err(pbf_error(path, format!("way {} appears twice", w.id)));
    }
    Ok(pass)
}

fn ways_of_block(
    block: &PrimitiveBlock,
    path: &Path,
    blob: usize,
    filter: &WayFilter<'_>,
    reserved: &AtomicUsize,
) -> Result<BlobWays> {
    let mut out = BlobWays::default();
    let nodes: usize = block
        .groups()
        .map(|g| g.dense_nodes().len() + g.nodes().len())
        .sum();
    if nodes > 0 {
        out.has_nodes = true;
        let bytes = nodes * NODE_BYTES;
        // Keep this blob's coordinates if they fit the budget; otherwise pass two reads them.
        if reserved.fetch_add(bytes, Ordering::Relaxed) + bytes <= filter.node_cache_bytes {
            let mut kept = Vec::with_capacity(nodes);
            for g in block.groups() {
                kept.extend(
                    g.dense_nodes()
                        .map(|n| (n.id(), n.nano_lat(), n.nano_lon())),
                );
                kept.extend(g.nodes().map(|n| (n.id(), n.nano_lat(), n.nano_lon())));
            }
            out.nodes = Some(kept);
        }
    }
    for group in block.groups() {
        let nodes = group.dense_nodes().len() + group.nodes().len();
        out.counts.nodes += nodes as u64;
        out.counts.relations += group.relations().len() as u64;
        for way in group.ways() {
            out.counts.ways += 1;
            let mut highway = None;
            let mut area_yes = false;
            let mut tags = Vec::new();
            for (k, v) in way.raw_tags() {
                let (k, v) = (string(block, k, path, blob)?, string(block, v, path, blob)?);
                match k {
                    "highway" => highway = Some(v),
                    "area" => area_yes = v == "yes",
                    _ => {}
                }
                if filter.keys.contains(k) {
                    tags.push((k.to_string(), v.to_string()));
                }
            }
            let Some(highway) = highway else { continue };
            if !filter.highways.contains(highway) {
                *out.skipped.entry(format!("highway={highway}")).or_default() += 1;
                continue;
            }
            if area_yes {
                // A closed way outlining a square or car park, not a line to travel along.
                *out.skipped.entry("area=yes".into()).or_default() += 1;
                continue;
            }
            let way_id = id(way.id(), "way", path, blob)?;
            let mut refs = Vec::with_capacity(way.raw_refs().len());
            let mut current: i64 = 0;
            for &delta in way.raw_refs() {
                current = current.checked_add(delta).ok_or_else(|| {
                    pbf_error(
                        path,
                        format!("blob {blob}: way {way_id}: node reference overflows"),
                    )
                })?;
                refs.push(id(current, &format!("way {way_id}: node"), path, blob)?);
            }
            out.ways.push(RawWay {
                id: way_id,
                refs,
                tags,
            });
        }
    }
    Ok(out)
}

/// Longitude and latitude of every node in `wanted` (sorted, no repeats), in the order of
/// `wanted`; `None` for nodes the file does not hold (ways cut by the extract's edge). Nodes come
/// from the first pass's cache, and a second pass over the node blobs that did not fit it.
pub(crate) fn read_nodes(
    source: Source<'_>,
    path: &Path,
    wanted: &[u64],
    pass: &WayPass,
) -> Result<Vec<Option<(f64, f64)>>> {
    let mut found: Vec<Vec<(usize, f64, f64)>> = pass
        .cached
        .par_iter()
        .map(|(blob, nodes)| pick(nodes.iter().copied(), wanted, path, *blob))
        .collect::<Result<_>>()?;
    if pass.node_blobs.iter().any(|&b| b) {
        found.extend(each_blob(source, path, |i, blob| {
            if !pass.node_blobs.get(i).copied().unwrap_or(false) {
                return Ok(Vec::new());
            }
            let BlobDecode::OsmData(block) = blob
                .decode()
                .map_err(|e| pbf_error(path, format!("blob {i}: {e}")))?
            else {
                return Ok(Vec::new());
            };
            // Only wanted nodes' coordinates are computed (osmpbf's arithmetic is unchecked).
            let mut out = Vec::new();
            for g in block.groups() {
                let dense = g.dense_nodes().filter(|n| is_wanted(wanted, n.id()));
                let dense = dense.map(|n| (n.id(), n.nano_lat(), n.nano_lon()));
                out.extend(pick(dense, wanted, path, i)?);
                let plain = g.nodes().filter(|n| is_wanted(wanted, n.id()));
                let plain = plain.map(|n| (n.id(), n.nano_lat(), n.nano_lon()));
                out.extend(pick(plain, wanted, path, i)?);
            }
            Ok(out)
        })?);
    }
    let mut coords: Vec<Option<(f64, f64)>> = vec![None; wanted.len()];
    for (k, lon, lat) in found.into_iter().flatten() {
        if coords[k].is_some() {
            return Err(pbf_error(path, format!("node {} appears twice", wanted[k])));
        }
        coords[k] = Some((lon, lat));
    }
    Ok(coords)
}

fn is_wanted(wanted: &[u64], raw_id: i64) -> bool {
    u64::try_from(raw_id).is_ok_and(|id| wanted.binary_search(&id).is_ok())
}

/// The wanted nodes among `nodes`, as (index in `wanted`, lon, lat), checked to be on the globe.
fn pick(
    nodes: impl Iterator<Item = RawNode>,
    wanted: &[u64],
    path: &Path,
    blob: usize,
) -> Result<Vec<(usize, f64, f64)>> {
    let mut out = Vec::new();
    for (raw_id, nano_lat, nano_lon) in nodes {
        let Some(k) = u64::try_from(raw_id)
            .ok()
            .and_then(|id| wanted.binary_search(&id).ok())
        else {
            continue;
        };
        let (lat, lon) = (nano_lat as f64 * 1e-9, nano_lon as f64 * 1e-9);
        if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
            return Err(pbf_error(
                path,
                format!(
                    "blob {blob}: node {} is at lat {lat}, lon {lon}, off the globe",
                    wanted[k]
                ),
            ));
        }
        out.push((k, lon, lat));
    }
    Ok(out)
}
