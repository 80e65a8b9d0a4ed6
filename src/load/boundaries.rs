//! Named polygons (areas, districts) for maps and for drawing points inside areas.

use std::collections::BTreeMap;
use std::path::Path;

use geo::{Coord, LineString, Polygon};

use crate::error::{Error, Result};
use crate::geom::{Crs, LonLat};
use crate::load::table::{Table, open};

/// One named area: its polygons in a planar CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    /// Identifier (e.g. an LSOA or district code); origins with this id are drawn as this area.
    pub id: String,
    /// Display name (the id when the source has none).
    pub name: String,
    /// Polygons, outer ring first then holes, in the CRS given at load.
    pub polygons: Vec<Polygon<f64>>,
}

/// Named polygons, ordered by id.
///
/// ```
/// use travel_impact::{Boundaries, geom::Crs};
/// let d = Boundaries::from_vertex_csv("data/districts_bucks.csv".as_ref(), "district_code", Crs::BritishNationalGrid)?;
/// assert_eq!(d.len(), 4);
/// assert_eq!(d.get("E07000005").unwrap().name, "Chiltern");
/// # Ok::<(), travel_impact::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Boundaries {
    items: Vec<Boundary>,
}

impl Boundaries {
    /// From a table of vertices `<id_column>,part,ring,lon,lat` (WGS84; optional `name`), one row
    /// per vertex in ring order; ring 0 of a part is its outer boundary, the others holes.
    /// Projected into `crs`.
    pub fn from_vertex_csv(path: &Path, id_column: &str, crs: Crs) -> Result<Self> {
        let mut t = Table::from_reader(path, open(path)?)?;
        let (c_id, c_part, c_ring, c_lon, c_lat) = (
            t.column(id_column)?,
            t.column("part")?,
            t.column("ring")?,
            t.column("lon")?,
            t.column("lat")?,
        );
        let c_name = t.optional_column("name");
        // id -> (name, part -> ring -> points)
        type Parts = Vec<Vec<Vec<Coord<f64>>>>;
        let mut rings: BTreeMap<String, (String, Parts)> = BTreeMap::new();
        while let Some(row) = t.next_row()? {
            let part: usize = row.parse(c_part, "a part index")?;
            let ring: usize = row.parse(c_ring, "a ring index")?;
            if part > 1000 || ring > 1000 {
                return Err(row.error(c_part, "part/ring index too large"));
            }
            let lon_lat = LonLat::checked(row.finite(c_lon)?, row.finite(c_lat)?)
                .map_err(|e| row.error(c_lon, e.to_string()))?;
            let p: Coord<f64> = crs.forward(lon_lat).into();
            let id = row.str(c_id).to_string();
            let name = row.opt_str(c_name).unwrap_or(&id).to_string();
            let (_, parts) = rings.entry(id).or_insert_with(|| (name, Vec::new()));
            if parts.len() <= part {
                parts.resize(part + 1, Vec::new());
            }
            if parts[part].len() <= ring {
                parts[part].resize(ring + 1, Vec::new());
            }
            parts[part][ring].push(p);
        }
        let items = rings
            .into_iter()
            .map(|(id, (name, parts))| Boundary {
                id,
                name,
                polygons: parts
                    .into_iter()
                    .filter(|r| !r.is_empty())
                    .map(|mut r| {
                        let outer = LineString::from(r.remove(0));
                        Polygon::new(outer, r.into_iter().map(LineString::from).collect())
                    })
                    .collect(),
            })
            .collect();
        Ok(Self { items })
    }

    /// From a GeoJSON FeatureCollection of Polygons and MultiPolygons (WGS84, longitude first),
    /// each feature's id taken from property `id_property` (a string or a number) and its name
    /// from `name_property` if given. Projected into `crs`. A feature without that property, or
    /// of another geometry type, is an error naming the feature.
    pub fn from_geojson(
        path: &Path,
        id_property: &str,
        name_property: Option<&str>,
        crs: Crs,
    ) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let bad = |message: String| Error::GeoJson {
            path: path.to_path_buf(),
            message,
        };
        let fc: geojson::FeatureCollection = text
            .parse::<geojson::GeoJson>()
            .map_err(|e| bad(format!("not GeoJSON: {e}")))
            .and_then(|g| {
                geojson::FeatureCollection::try_from(g)
                    .map_err(|e| bad(format!("not a FeatureCollection: {e}")))
            })?;
        let prop = |f: &geojson::Feature, key: &str| -> Option<String> {
            match f.properties.as_ref()?.get(key)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        };
        let ring = |r: &Vec<geojson::Position>| -> Result<LineString<f64>> {
            r.iter()
                .map(|p| {
                    let (lon, lat) = (p.as_slice().first().copied(), p.as_slice().get(1).copied());
                    let ll = LonLat::checked(lon.unwrap_or(f64::NAN), lat.unwrap_or(f64::NAN))
                        .map_err(|e| bad(format!("a vertex: {e}")))?;
                    Ok(Coord::from(crs.forward(ll)))
                })
                .collect::<Result<Vec<_>>>()
                .map(LineString::from)
        };
        let polygon = |rings: &Vec<Vec<geojson::Position>>| -> Result<Option<Polygon<f64>>> {
            let mut it = rings.iter();
            let Some(outer) = it.next() else {
                return Ok(None);
            };
            Ok(Some(Polygon::new(
                ring(outer)?,
                it.map(ring).collect::<Result<_>>()?,
            )))
        };
        let mut items: BTreeMap<String, Boundary> = BTreeMap::new();
        for (k, f) in fc.features.iter().enumerate() {
            let id = prop(f, id_property)
                .ok_or_else(|| bad(format!("feature {k} has no property `{id_property}`")))?;
            let name = name_property
                .and_then(|n| prop(f, n))
                .unwrap_or_else(|| id.clone());
            let mut polygons = Vec::new();
            match f.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::GeometryValue::Polygon { coordinates }) => {
                    polygons.extend(polygon(coordinates)?)
                }
                Some(geojson::GeometryValue::MultiPolygon { coordinates }) => {
                    for p in coordinates {
                        polygons.extend(polygon(p)?);
                    }
                }
                _ => {
                    return Err(bad(format!(
                        "feature {k} (`{id}`) is not a Polygon or MultiPolygon"
                    )));
                }
            }
            let b = items.entry(id.clone()).or_insert_with(|| Boundary {
                id,
                name,
                polygons: Vec::new(),
            });
            b.polygons.extend(polygons);
        }
        Ok(Self {
            items: items.into_values().collect(),
        })
    }

    /// The area with this id.
    pub fn get(&self, id: &str) -> Option<&Boundary> {
        self.items
            .binary_search_by(|b| b.id.as_str().cmp(id))
            .ok()
            .map(|k| &self.items[k])
    }
    /// Every area, ordered by id.
    pub fn iter(&self) -> impl Iterator<Item = &Boundary> {
        self.items.iter()
    }
    /// Number of areas.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
