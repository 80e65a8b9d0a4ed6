//! Synthetic homes: N points drawn reproducibly inside the county's LSOAs, for sensitivity studies
//! and for measuring speed at scale.
//!
//! Each home picks an LSOA (by area, or by its population aged 0-4) and then a uniform point
//! inside that LSOA's polygon (rejection sampling in its bounding box), so homes are uniform over
//! the county, or spread like its young children. Homes carry their LSOA's district and IMD decile.
//! The generator is the crate's [`SplitMix64`], so the stream never changes with a dependency's
//! version; home `i` uses a stream derived from (seed, i / 65536), so the output is the same
//! whatever the thread count.

use crate::load::Boundaries;
use std::collections::HashMap;
use std::path::Path;

use geo::{Area, BoundingRect, Contains, Coord, Point, Polygon};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::geom::{Crs, Xy};
use crate::load::{Groups, Origin};
use crate::uk::lsoa::Lsoa;

pub use crate::random::SplitMix64;

/// The LSOA polygons (BNG metres), keyed by LSOA code.
#[derive(Debug, Clone, Default)]
pub struct LsoaPolygons {
    polygons: HashMap<String, Vec<Polygon<f64>>>,
}

impl LsoaPolygons {
    /// Loads `lsoa11_code,part,ring,lon,lat` rows (ring 0 = outer boundary, then holes).
    pub fn from_csv(path: &Path) -> Result<Self> {
        let b = Boundaries::from_vertex_csv(path, "lsoa11_code", Crs::BritishNationalGrid)?;
        Ok(Self {
            polygons: b
                .iter()
                .map(|a| (a.id.clone(), a.polygons.clone()))
                .collect(),
        })
    }

    /// The polygons of one LSOA.
    pub fn get(&self, code: &str) -> Option<&[Polygon<f64>]> {
        self.polygons.get(code).map(|v| v.as_slice())
    }

    /// True if the point lies in any LSOA.
    pub fn contains(&self, p: Xy) -> bool {
        let p: Coord<f64> = p.into();
        self.polygons
            .values()
            .flatten()
            .any(|poly| poly.contains(&Point::from(p)))
    }
}

/// How synthetic homes are spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// Uniform over the county's area; every home has weight 1.
    Uniform,
    /// In proportion to each LSOA's children aged 0-4 (mid-2019); every home has weight 1, so the
    /// homes together stand for the county's young children.
    Under5,
}

const CHUNK: usize = 1 << 16;

/// `n` synthetic homes with ids `syn0000000`…, reproducible for a `seed` whatever the thread count.
///
/// ```
/// use travel_impact::{study::{Study, data_dir}, uk::{synthetic_homes, LsoaPolygons, Spread}};
/// let bucks = Study::bundled().unwrap();
/// let polys = LsoaPolygons::from_csv(&data_dir().unwrap().join("lsoa11_bucks_bsc.csv")).unwrap();
/// let a = synthetic_homes(1000, 7, &bucks.lsoas, &polys, Spread::Under5).unwrap();
/// let b = synthetic_homes(1000, 7, &bucks.lsoas, &polys, Spread::Under5).unwrap();
/// assert_eq!(a, b);
/// assert!(a.iter().all(|h| polys.contains(h.point)));
/// ```
pub fn synthetic_homes(
    n: usize,
    seed: u64,
    lsoas: &[Lsoa],
    polygons: &LsoaPolygons,
    spread: Spread,
) -> Result<Vec<Origin>> {
    struct Zone<'p> {
        polys: &'p [Polygon<f64>],
        rect: geo::Rect<f64>,
        groups: Groups,
    }
    // Every home of an LSOA shares its group strings.
    let mut shared: HashMap<String, std::sync::Arc<str>> = HashMap::new();
    let mut share = |v: String| shared.entry(v.clone()).or_insert_with(|| v.into()).clone();
    let mut areas = Vec::with_capacity(lsoas.len());
    let mut cumulative = Vec::with_capacity(lsoas.len());
    let mut total = 0.0;
    for l in lsoas {
        let polys = polygons.get(&l.code).ok_or_else(|| Error::InvalidOption {
            option: "polygons",
            message: format!("no polygon for LSOA {}", l.code),
        })?;
        let w = match spread {
            Spread::Uniform => polys.iter().map(|p| p.unsigned_area()).sum(),
            Spread::Under5 => l.under5_mid2019,
        };
        total += w;
        cumulative.push(total);
        if polys.iter().map(|p| p.unsigned_area()).sum::<f64>() <= 0.0 {
            return Err(Error::InvalidOption {
                option: "polygons",
                message: format!("LSOA {} has no area", l.code),
            });
        }
        let rect = geo::MultiPolygon::new(polys.to_vec())
            .bounding_rect()
            .ok_or_else(|| Error::InvalidOption {
                option: "polygons",
                message: format!("empty polygon for LSOA {}", l.code),
            })?;
        areas.push(Zone {
            polys,
            rect,
            groups: {
                let mut g = Groups::new();
                g.insert("district", share(l.district().to_string()));
                g.insert("imd_decile", share(l.imd2019_decile.to_string()));
                g
            },
        });
    }
    if total.is_nan() || total <= 0.0 {
        return Err(Error::InvalidOption {
            option: "lsoas",
            message: "no LSOA with positive weight".into(),
        });
    }
    // Written in place, chunk by chunk in parallel: no second copy of a million homes.
    let mut homes = vec![Origin::new("", Xy::new(0.0, 0.0)); n];
    homes
        .par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(chunk, out)| {
            let mut rng =
                SplitMix64::new(seed ^ (chunk as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
            for (k, home) in out.iter_mut().enumerate() {
                let i = chunk * CHUNK + k;
                let target = rng.next_f64() * total;
                let z = cumulative
                    .partition_point(|&c| c <= target)
                    .min(areas.len() - 1);
                let a = &areas[z];
                let r = a.rect;
                let point = loop {
                    let p = Coord {
                        x: r.min().x + rng.next_f64() * r.width(),
                        y: r.min().y + rng.next_f64() * r.height(),
                    };
                    if a.polys.iter().any(|poly| poly.contains(&Point::from(p))) {
                        break Xy::from(p);
                    }
                };
                *home = Origin {
                    id: compact_str::format_compact!("syn{i:07}"),
                    point,
                    weight: 1.0,
                    groups: a.groups.clone(),
                };
            }
        });
    Ok(homes)
}
