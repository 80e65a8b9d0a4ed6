//! A minimal OpenStreetMap PBF writer for tests: nodes (dense) and ways with tags, one data block,
//! written from the format's protobuf definitions (fileformat.proto, osmformat.proto) by hand so
//! tests can build tiny extracts with exactly the tags they exercise.

use std::io::Write;

/// A way: id, node references, tags.
type Way = (i64, Vec<i64>, Vec<(String, String)>);

/// A tiny OSM extract.
#[derive(Debug, Default, Clone)]
pub struct Osm {
    nodes: Vec<(i64, f64, f64)>,
    ways: Vec<Way>,
    /// Extra required features written in the header (e.g. "HistoricalInformation").
    pub required_features: Vec<String>,
    /// Compress the data block with zlib (as real files do) rather than store it raw.
    pub zlib: bool,
}

impl Osm {
    pub fn new() -> Self {
        Self {
            zlib: true,
            ..Self::default()
        }
    }

    /// Adds a node at longitude/latitude (degrees, stored to 1e-7 as OSM does).
    pub fn node(&mut self, id: i64, lon: f64, lat: f64) -> &mut Self {
        self.nodes.push((id, lon, lat));
        self
    }

    /// Adds a way through `refs` with `tags`.
    pub fn way(&mut self, id: i64, refs: &[i64], tags: &[(&str, &str)]) -> &mut Self {
        self.ways.push((
            id,
            refs.to_vec(),
            tags.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ));
        self
    }

    /// The extract as PBF bytes.
    pub fn to_pbf(&self) -> Vec<u8> {
        let mut features = vec!["OsmSchema-V0.6".to_string(), "DenseNodes".to_string()];
        features.extend(self.required_features.iter().cloned());
        let mut header = Vec::new();
        for f in &features {
            bytes_field(&mut header, 4, f.as_bytes());
        }
        let mut out = Vec::new();
        blob(&mut out, "OSMHeader", &header, self.zlib);
        blob(&mut out, "OSMData", &self.block(), self.zlib);
        out
    }

    /// The PrimitiveBlock: string table, one group of dense nodes, one group of ways.
    fn block(&self) -> Vec<u8> {
        let mut strings: Vec<String> = vec![String::new()];
        let mut index = |s: &str| -> u64 {
            match strings.iter().position(|t| t == s) {
                Some(i) => i as u64,
                None => {
                    strings.push(s.to_string());
                    (strings.len() - 1) as u64
                }
            }
        };
        // Dense nodes: delta-coded ids and coordinates in units of 100 nanodegrees.
        let mut dense = Vec::new();
        let (mut ids, mut lats, mut lons) = (Vec::new(), Vec::new(), Vec::new());
        let (mut pid, mut plat, mut plon) = (0i64, 0i64, 0i64);
        for &(id, lon, lat) in &self.nodes {
            let (la, lo) = ((lat * 1e7).round() as i64, (lon * 1e7).round() as i64);
            ids.push(zigzag(id - pid));
            lats.push(zigzag(la - plat));
            lons.push(zigzag(lo - plon));
            (pid, plat, plon) = (id, la, lo);
        }
        packed(&mut dense, 1, &ids);
        packed(&mut dense, 8, &lats);
        packed(&mut dense, 9, &lons);
        let mut node_group = Vec::new();
        bytes_field(&mut node_group, 2, &dense);

        let mut way_group = Vec::new();
        for (id, refs, tags) in &self.ways {
            let mut w = Vec::new();
            varint_field(&mut w, 1, *id as u64);
            let keys: Vec<u64> = tags.iter().map(|(k, _)| index(k)).collect();
            let vals: Vec<u64> = tags.iter().map(|(_, v)| index(v)).collect();
            packed(&mut w, 2, &keys);
            packed(&mut w, 3, &vals);
            let mut prev = 0i64;
            let deltas: Vec<u64> = refs
                .iter()
                .map(|&r| {
                    let d = zigzag(r - prev);
                    prev = r;
                    d
                })
                .collect();
            packed(&mut w, 8, &deltas);
            bytes_field(&mut way_group, 3, &w);
        }

        let mut table = Vec::new();
        for s in &strings {
            bytes_field(&mut table, 1, s.as_bytes());
        }
        let mut block = Vec::new();
        bytes_field(&mut block, 1, &table);
        bytes_field(&mut block, 2, &node_group);
        bytes_field(&mut block, 2, &way_group);
        block
    }
}

fn blob(out: &mut Vec<u8>, kind: &str, data: &[u8], zlib: bool) {
    let mut b = Vec::new();
    if zlib {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(data).unwrap();
        varint_field(&mut b, 2, data.len() as u64); // raw_size
        bytes_field(&mut b, 3, &z.finish().unwrap()); // zlib_data
    } else {
        bytes_field(&mut b, 1, data); // raw
    }
    let mut h = Vec::new();
    bytes_field(&mut h, 1, kind.as_bytes());
    varint_field(&mut h, 3, b.len() as u64);
    out.extend_from_slice(&(h.len() as u32).to_be_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(&b);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint_field(out: &mut Vec<u8>, field: u64, v: u64) {
    varint(out, field << 3);
    varint(out, v);
}

fn bytes_field(out: &mut Vec<u8>, field: u64, b: &[u8]) {
    varint(out, (field << 3) | 2);
    varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn packed(out: &mut Vec<u8>, field: u64, values: &[u64]) {
    let mut body = Vec::new();
    for &v in values {
        varint(&mut body, v);
    }
    bytes_field(out, field, &body);
}
