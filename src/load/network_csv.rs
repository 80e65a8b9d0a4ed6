//! Road networks from two CSV files (junctions and roads), plain or gzip-compressed.

use std::path::Path;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::geom::{Crs, LonLat, LonLatBox, Xy};
use crate::load::table::{Table, open, size_hint};
use crate::network::{Network, NetworkBuilder, Oneway, RoadClass, RoadSpec};

impl Network {
    /// Loads a network from a node CSV and an edge CSV (either may be gzip-compressed).
    ///
    /// Nodes: `node_id` and either `lat,lon` (WGS84 degrees; the network then takes the CRS
    /// [`Crs::choose_for`] picks for their extent: British National Grid in Great Britain, a local
    /// transverse Mercator elsewhere) or `easting,northing` (British National Grid metres).
    /// Edges: `edge_id,from_node,to_node,length_m,car_forward,car_backward,car_speed_kmh`, optionally
    /// `ref_class` (`motorway`, `A_road`, `B_road`, `other`, or an OSM `highway` value),
    /// `roundabout`, `name` and `geometry_wkt` (`LINESTRING(x y, …)` in the nodes' coordinates).
    /// Both car flags 0 means no motor traffic (`motor_vehicle=no`); a speed of 0, not drivable.
    pub fn from_csv(nodes: &Path, edges: &Path) -> Result<Self> {
        let (node_reader, edge_reader) = (open(nodes)?, open(edges)?);
        // Unzipping the edges (the larger file) overlaps reading and projecting the junctions.
        // Its buffer is sized here: grown in a worker thread, it would stay in that thread's
        // malloc arena after use (10 MB more resident for the rest of the run).
        let buffer = Vec::with_capacity(size_hint(edges) + 1);
        let (junctions, edge_table) = rayon::join(
            || Junctions::read(nodes, node_reader),
            || Table::from_reader_into(edges, edge_reader, buffer),
        );
        Self::from_parts(junctions?, edges, edge_table?)
    }

    /// [`Network::from_csv`] from any two readers, each with the name used in errors.
    pub fn from_readers(
        nodes: (&Path, impl std::io::Read),
        edges: (&Path, impl std::io::Read),
    ) -> Result<Self> {
        let junctions = Junctions::read(nodes.0, nodes.1)?;
        let edge_table = Table::from_reader(edges.0, edges.1)?;
        Self::from_parts(junctions, edges.0, edge_table)
    }

    /// The network from its junctions, read, and the edge file's table.
    fn from_parts(junctions: Junctions, edges: &Path, mut t: Table) -> Result<Self> {
        let Junctions {
            read,
            crs,
            latlon,
            by_id: junctions,
        } = junctions;
        let project = |p: &mut Xy| *p = crs.forward(LonLat::new(p.x_m, p.y_m));
        let mut b = NetworkBuilder::new();
        b.source(edges.to_path_buf());
        b.crs(crs);
        for (node_id, at, line) in read {
            b.node_at_line(node_id, at, line);
        }
        let c_id = t.column("edge_id")?;
        let c_from = t.column("from_node")?;
        let c_to = t.column("to_node")?;
        let c_len = t.column("length_m")?;
        let c_fwd = t.column("car_forward")?;
        let c_bwd = t.column("car_backward")?;
        let c_speed = t.column("car_speed_kmh")?;
        let c_class = t.optional_column("ref_class");
        let c_round = t.optional_column("roundabout");
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
            let (fwd, bwd) = (row.flag(c_fwd)?, row.flag(c_bwd)?);
            spec.oneway = match (fwd, bwd) {
                (true, false) => Oneway::Forward,
                (false, true) => Oneway::Backward,
                _ => Oneway::No,
            };
            if !fwd && !bwd {
                spec.tags.insert("motor_vehicle".into(), "no".into());
            }
            spec.speed_kmh = row.finite(c_speed)?;
            if let Some(c) = c_class {
                let v = row.str(c);
                spec.class = csv_class(v).ok_or_else(|| {
                    row.error(
                        c,
                        format!(
                            "`{v}` is not motorway, A_road, B_road, other or an OSM highway class"
                        ),
                    )
                })?;
                if !v.is_empty() {
                    spec.tags.insert("ref_class".into(), v.to_string());
                }
            }
            if let Some(c) = c_round
                && row.flag(c)?
            {
                spec.tags.insert("junction".into(), "roundabout".into());
            }
            if let Some(c) = c_name {
                spec.name = row.str(c).to_string();
            }
            if let Some(wkt) = row.opt_str(c_geom) {
                let pts = parse_linestring(wkt)
                    .ok_or_else(|| row.error(c_geom.unwrap(), "not a WKT LINESTRING"))?;
                // Still lon/lat here when the nodes were; projected below.
                spec.geometry = pts.into_iter().map(|(x, y)| Xy::new(x, y)).collect();
            }
            b.road(spec);
        }
        if latlon {
            let junction = |id: u64| {
                junctions
                    .binary_search_by_key(&id, |j| j.0)
                    .ok()
                    .map(|k| (junctions[k].1, junctions[k].2))
            };
            b.map_roads(|spec| {
                let (from, to, last) = (spec.from, spec.to, spec.geometry.len().saturating_sub(1));
                for (k, p) in spec.geometry.iter_mut().enumerate() {
                    let end = match k {
                        0 => junction(from),
                        k if k == last => junction(to),
                        _ => None,
                    };
                    match end {
                        Some((raw, xy))
                            if raw.x_m.to_bits() == p.x_m.to_bits()
                                && raw.y_m.to_bits() == p.y_m.to_bits() =>
                        {
                            *p = xy
                        }
                        _ => project(p),
                    }
                }
            });
        }
        if b.counts().1 == 0 {
            return Err(Error::Empty {
                path: edges.to_path_buf(),
                what: "no data rows",
            });
        }
        b.build()
    }
}

/// The junctions of a node file, projected, with the CRS chosen for them.
struct Junctions {
    /// (id, projected point, line), in file order.
    read: Vec<(u64, Xy, u64)>,
    crs: Crs,
    /// Whether the file gave lon/lat (then road geometry is lon/lat too, projected later).
    latlon: bool,
    /// Each junction's id, lon/lat as read and projected point, by id (lon/lat files only): a
    /// road's end point written with the same lon/lat as its junction takes the junction's
    /// projected point (the same function of the same numbers) instead of being projected again.
    by_id: Vec<(u64, Xy, Xy)>,
}

impl Junctions {
    /// Reads and projects the node file: `node_id` and either `lat,lon` or `easting,northing`.
    fn read(nodes: &Path, node_reader: impl std::io::Read) -> Result<Self> {
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
        // Longitude/latitude are projected once the extent, and so the CRS, is known.
        let mut read: Vec<(u64, Xy, u64)> = Vec::new();
        while let Some(row) = t.next_row()? {
            let node_id: u64 = row.parse(id, "a node id (whole number)")?;
            let at = if let Some((lat, lon)) = latlon {
                let (la, lo) = (row.finite(lat)?, row.finite(lon)?);
                if !(-90.0..=90.0).contains(&la) {
                    return Err(row.error(lat, format!("{la} is not a latitude")));
                }
                if !(-180.0..=180.0).contains(&lo) {
                    return Err(row.error(lon, format!("{lo} is not a longitude")));
                }
                Xy::new(lo, la)
            } else {
                let (e, n) = en.expect("checked above");
                Xy::new(row.finite(e)?, row.finite(n)?)
            };
            read.push((node_id, at, row.line()));
        }
        if read.is_empty() {
            return Err(Error::Empty {
                path: nodes.to_path_buf(),
                what: "no data rows",
            });
        }
        let crs = if latlon.is_some() {
            let points: Vec<LonLat> = read
                .iter()
                .map(|(_, p, _)| LonLat::new(p.x_m, p.y_m))
                .collect();
            let area = LonLatBox::from_points(&points).map_err(|e| Error::InvalidOption {
                option: "nodes",
                message: format!(
                    "{}: the junctions have no usable extent: {e}",
                    nodes.display()
                ),
            })?;
            Crs::choose_for(&area)
        } else {
            Crs::BritishNationalGrid
        };
        // Projecting is the costly part of reading lon/lat: done in parallel, order kept.
        let mut by_id: Vec<(u64, Xy, Xy)> = Vec::new();
        if latlon.is_some() {
            let raw: Vec<Xy> = read.iter().map(|r| r.1).collect();
            read.par_iter_mut()
                .for_each(|(_, p, _)| *p = crs.forward(LonLat::new(p.x_m, p.y_m)));
            by_id = read
                .iter()
                .zip(raw)
                .map(|(&(id, xy, _), raw)| (id, raw, xy))
                .collect();
            by_id.sort_unstable_by_key(|j| j.0);
        }
        Ok(Self {
            read,
            crs,
            latlon: latlon.is_some(),
            by_id,
        })
    }
}

/// The bundled CSV's UK road classes (the 2016 extract does not say which A roads are trunk, so
/// every A road is `primary` and every B road `secondary`), or an OSM `highway` value.
fn csv_class(s: &str) -> Option<RoadClass> {
    match s {
        "A_road" => Some(RoadClass::Primary),
        "B_road" => Some(RoadClass::Secondary),
        "" => Some(RoadClass::Other),
        other => RoadClass::parse(other),
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
