//! Origins: where people start from (LSOA population centroids, postcodes, any point), with a weight.

use std::path::Path;

use geo::Coord;

use crate::error::Result;
use crate::projection::BngCoord;
use crate::table::Table;

/// A place people travel from.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// Unique id (e.g. an LSOA code or a postcode).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Position, BNG metres.
    pub point: BngCoord,
    /// Weight in summaries (e.g. children aged 0-4). Must be finite and >= 0.
    pub weight: f64,
    /// District name, for breakdowns.
    pub district: Option<String>,
    /// Deprivation decile (1 = most deprived 10% of England), for breakdowns.
    pub imd_decile: Option<u8>,
}

impl Origin {
    /// An origin with weight 1 and no district or decile.
    pub fn new(id: impl Into<String>, point: BngCoord) -> Self {
        let id = id.into();
        Self {
            name: id.clone(),
            id,
            point,
            weight: 1.0,
            district: None,
            imd_decile: None,
        }
    }
}

/// Which population weights an LSOA origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Population {
    /// Children aged 0-4, ONS mid-2017 estimate.
    Under5Mid2017,
    /// Children aged 0-4, ONS mid-2019 estimate.
    Under5Mid2019,
    /// All residents, mid-2017.
    TotalMid2017,
    /// All residents, mid-2019.
    TotalMid2019,
}

/// Which edition of the Index of Multiple Deprivation gives an LSOA's decile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Imd {
    /// IMD 2015 (before the 2017 proposal).
    Imd2015,
    /// IMD 2019 (the year of the closures).
    Imd2019,
}

/// One 2011 Lower Layer Super Output Area with its population-weighted centroid.
#[derive(Debug, Clone, PartialEq)]
pub struct Lsoa {
    /// GSS code, e.g. E01017627.
    pub code: String,
    /// Name, e.g. "Aylesbury Vale 021A".
    pub name: String,
    /// District (pre-2020) code.
    pub district_code: String,
    /// District name.
    pub district_name: String,
    /// Population-weighted centroid, BNG metres.
    pub centroid: BngCoord,
    /// IMD 2015 decile.
    pub imd2015_decile: u8,
    /// IMD 2019 decile.
    pub imd2019_decile: u8,
    /// Aged 0-4, mid-2017.
    pub under5_mid2017: f64,
    /// Aged 0-4, mid-2019.
    pub under5_mid2019: f64,
    /// All residents, mid-2017.
    pub total_mid2017: f64,
    /// All residents, mid-2019.
    pub total_mid2019: f64,
}

impl Lsoa {
    /// Loads the LSOA table (`lsoa11_code, lsoa11_name, lad19_code, lad19_name, imd2015_decile,
    /// imd2019_decile, pop_0_4_mid2017, pop_0_4_mid2019, pop_total_mid2017, pop_total_mid2019,
    /// pwc_easting, pwc_northing`).
    ///
    /// ```
    /// use travel_impact::{Lsoa, origin::{Population, Imd}};
    /// let lsoas = Lsoa::from_csv("data/lsoa11_bucks.csv".as_ref()).unwrap();
    /// assert_eq!(lsoas.len(), 319);
    /// let under5: f64 = lsoas.iter().map(|l| l.under5_mid2017).sum();
    /// assert_eq!(under5, 32_610.0);
    /// let o = lsoas[0].origin(Population::Under5Mid2017, Imd::Imd2019);
    /// assert_eq!(o.id, "E01017627");
    /// ```
    pub fn from_csv(path: &Path) -> Result<Vec<Lsoa>> {
        Self::from_reader(path, crate::table::open(path)?)
    }

    /// Reads the LSOA table from any reader; `source` names it in errors.
    pub fn from_reader(source: &Path, reader: impl std::io::Read) -> Result<Vec<Lsoa>> {
        let mut t = Table::from_reader(source, reader)?;
        let c = |t: &Table, n: &str| t.column(n);
        let cols = [
            c(&t, "lsoa11_code")?,
            c(&t, "lsoa11_name")?,
            c(&t, "lad19_code")?,
            c(&t, "lad19_name")?,
            c(&t, "pwc_easting")?,
            c(&t, "pwc_northing")?,
            c(&t, "imd2015_decile")?,
            c(&t, "imd2019_decile")?,
            c(&t, "pop_0_4_mid2017")?,
            c(&t, "pop_0_4_mid2019")?,
            c(&t, "pop_total_mid2017")?,
            c(&t, "pop_total_mid2019")?,
        ];
        let mut out = Vec::new();
        while let Some(row) = t.next_row()? {
            let decile = |i: usize| -> Result<u8> {
                let d: u8 = row.parse(i, "a decile (1-10)")?;
                if (1..=10).contains(&d) {
                    Ok(d)
                } else {
                    Err(row.error(i, format!("{d} is not a decile (1-10)")))
                }
            };
            let count = |i: usize| -> Result<f64> {
                let v = row.finite(i)?;
                if v >= 0.0 {
                    Ok(v)
                } else {
                    Err(row.error(i, format!("{v} is negative")))
                }
            };
            out.push(Lsoa {
                code: row.str(cols[0]).to_string(),
                name: row.str(cols[1]).to_string(),
                district_code: row.str(cols[2]).to_string(),
                district_name: row.str(cols[3]).to_string(),
                centroid: Coord {
                    x: row.finite(cols[4])?,
                    y: row.finite(cols[5])?,
                },
                imd2015_decile: decile(cols[6])?,
                imd2019_decile: decile(cols[7])?,
                under5_mid2017: count(cols[8])?,
                under5_mid2019: count(cols[9])?,
                total_mid2017: count(cols[10])?,
                total_mid2019: count(cols[11])?,
            });
        }
        if out.is_empty() {
            return Err(crate::error::Error::Empty {
                path: source.to_path_buf(),
                what: "no data rows",
            });
        }
        Ok(out)
    }

    /// This LSOA as an origin weighted by `population`, with the decile of `imd`.
    pub fn origin(&self, population: Population, imd: Imd) -> Origin {
        Origin {
            id: self.code.clone(),
            name: self.name.clone(),
            point: self.centroid,
            weight: match population {
                Population::Under5Mid2017 => self.under5_mid2017,
                Population::Under5Mid2019 => self.under5_mid2019,
                Population::TotalMid2017 => self.total_mid2017,
                Population::TotalMid2019 => self.total_mid2019,
            },
            district: Some(self.district_name.clone()),
            imd_decile: Some(match imd {
                Imd::Imd2015 => self.imd2015_decile,
                Imd::Imd2019 => self.imd2019_decile,
            }),
        }
    }
}

/// One input row that did not become an origin, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Line in the file.
    pub line: u64,
    /// The row's id (or postcode) as given; empty if none.
    pub id: String,
    /// What was wrong, e.g. "postcode: HP19 9ZZ is not in the postcode directory".
    pub reason: String,
}

/// The result of reading an origins file: every data row is either an origin or a rejection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadedOrigins {
    /// Accepted origins, in file order.
    pub origins: Vec<Origin>,
    /// Source line of each accepted origin (parallel to `origins`).
    pub lines: Vec<u64>,
    /// Rows that were not accepted, with the reason.
    pub rejected: Vec<Rejected>,
    /// Accepted rows with a caveat (e.g. a terminated postcode), as (line, id, note).
    pub warnings: Vec<(u64, String, String)>,
}

impl LoadedOrigins {
    /// Data rows read: accepted + rejected.
    pub fn rows(&self) -> usize {
        self.origins.len() + self.rejected.len()
    }
}

/// Reads origins from a CSV file (gzip if `.gz`). See [`origins_from_reader`].
pub fn origins_from_csv(
    path: &Path,
    postcodes: Option<&crate::postcode::PostcodeDirectory>,
) -> Result<LoadedOrigins> {
    origins_from_reader(path, crate::table::open(path)?, postcodes)
}

/// Reads origins from CSV: a location per row from `easting,northing` (BNG metres), else `lat,lon`
/// (WGS84), else `postcode` (looked up in `postcodes`); optional `id` (default: the postcode, else
/// `line N`), `name`, `weight` (default 1), `district`, `imd_decile`.
///
/// A file without any location column, or that is not CSV, is an error. A row whose location or
/// weight is unusable is *rejected* with its reason, never dropped: `rows()` equals the data rows.
///
/// ```
/// use travel_impact::origin::origins_from_reader;
/// let csv = "id,easting,northing,weight\na,480000,210000,3\nb,NaN,1,1\n";
/// let o = origins_from_reader("homes.csv".as_ref(), csv.as_bytes(), None).unwrap();
/// assert_eq!((o.origins.len(), o.rejected.len()), (1, 1));
/// assert_eq!(o.rejected[0].line, 3);
/// ```
pub fn origins_from_reader(
    source: &Path,
    reader: impl std::io::Read,
    postcodes: Option<&crate::postcode::PostcodeDirectory>,
) -> Result<LoadedOrigins> {
    use crate::projection::checked_wgs84_to_bng;
    let mut t = Table::from_reader(source, reader)?;
    let col = |n: &str| t.optional_column(n);
    let (c_id, c_name, c_weight, c_district, c_imd) = (
        col("id"),
        col("name"),
        col("weight"),
        col("district"),
        col("imd_decile"),
    );
    let (c_e, c_n, c_lat, c_lon, c_pc) = (
        col("easting"),
        col("northing"),
        col("lat"),
        col("lon"),
        col("postcode"),
    );
    t.require_pairs(&[("easting", "northing"), ("lat", "lon")])?;
    let has_en = c_e.is_some() && c_n.is_some();
    let has_ll = c_lat.is_some() && c_lon.is_some();
    if !has_en && !has_ll && c_pc.is_none() {
        return Err(crate::error::Error::MissingColumn {
            path: source.to_path_buf(),
            column: "easting,northing | lat,lon | postcode".into(),
            header: t.header().iter().collect::<Vec<_>>().join(","),
        });
    }
    if c_pc.is_some() && !has_en && !has_ll && postcodes.is_none() {
        return Err(crate::error::Error::InvalidOption {
            option: "postcodes",
            message: format!(
                "{} locates origins by postcode but no postcode directory was given",
                source.display()
            ),
        });
    }
    let mut out = LoadedOrigins::default();
    let mut seen: std::collections::HashMap<String, u64> = Default::default();
    while let Some(row) = t.next_row()? {
        let line = row.line();
        let given_id = row.opt_str(c_id).map(str::to_string);
        let pc = row.opt_str(c_pc);
        let label = given_id
            .clone()
            .or(pc.map(str::to_string))
            .unwrap_or_default();
        let reject = |reason: String| Rejected {
            line,
            id: label.clone(),
            reason,
        };
        let num = |c: Option<usize>| -> std::result::Result<Option<f64>, String> {
            match row.opt_str(c) {
                None => Ok(None),
                Some(s) => s
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| format!("`{s}` is not a number")),
            }
        };
        let mut note = None;
        let located: std::result::Result<BngCoord, String> = (|| {
            if has_en && (row.opt_str(c_e).is_some() || row.opt_str(c_n).is_some()) {
                let (e, n) = (
                    num(c_e).map_err(|m| format!("easting: {m}"))?,
                    num(c_n).map_err(|m| format!("northing: {m}"))?,
                );
                let (Some(x), Some(y)) = (e, n) else {
                    return Err("easting and northing must both be given".to_string());
                };
                if !x.is_finite() || !y.is_finite() {
                    return Err(format!("easting/northing {x}/{y} is not finite"));
                }
                if !(0.0..=700_000.0).contains(&x) || !(0.0..=1_300_000.0).contains(&y) {
                    let hint = if x.abs() <= 180.0 && y.abs() <= 180.0 {
                        " (looks like degrees: give them as lat,lon)"
                    } else {
                        ""
                    };
                    return Err(format!(
                        "easting/northing {x}/{y} is outside the British National Grid{hint}"
                    ));
                }
                return Ok(Coord { x, y });
            }
            if has_ll && (row.opt_str(c_lat).is_some() || row.opt_str(c_lon).is_some()) {
                let (la, lo) = (
                    num(c_lat).map_err(|m| format!("lat: {m}"))?,
                    num(c_lon).map_err(|m| format!("lon: {m}"))?,
                );
                let (Some(la), Some(lo)) = (la, lo) else {
                    return Err("lat and lon must both be given".to_string());
                };
                return checked_wgs84_to_bng(la, lo).map_err(|e| e.to_string());
            }
            if let (Some(pc), Some(dir)) = (pc, postcodes) {
                let found = dir.locate(pc).map_err(|e| format!("postcode: {e}"))?;
                if found.record.status != crate::postcode::PostcodeStatus::Live {
                    note = Some(
                        format!(
                            "postcode {} is {:?}; located from the NSPD",
                            found.record.postcode, found.record.status
                        )
                        .to_lowercase(),
                    );
                }
                return Ok(found.point);
            }
            Err("no location: give easting,northing or lat,lon or a postcode".to_string())
        })();
        let weight = match num(c_weight) {
            Ok(None) => Ok(1.0),
            Ok(Some(w)) if w.is_finite() && w >= 0.0 => Ok(w),
            Ok(Some(w)) => Err(format!("weight {w} is not a finite number >= 0")),
            Err(m) => Err(format!("weight: {m}")),
        };
        let imd = match row.opt_str(c_imd) {
            None => Ok(None),
            Some(s) => match s.parse::<u8>() {
                Ok(d) if (1..=10).contains(&d) => Ok(Some(d)),
                _ => Err(format!("imd_decile `{s}` is not a decile 1-10")),
            },
        };
        let (point, weight, imd) = match (located, weight, imd) {
            (Ok(p), Ok(w), Ok(d)) => (p, w, d),
            (Err(m), _, _) | (_, Err(m), _) | (_, _, Err(m)) => {
                out.rejected.push(reject(m));
                continue;
            }
        };
        let id = given_id
            .or_else(|| pc.map(|p| crate::postcode::normalise(p).unwrap_or_else(|_| p.to_string())))
            .unwrap_or_else(|| format!("line {line}"));
        if let Some(first) = seen.get(&id) {
            out.rejected.push(reject(format!(
                "duplicate id `{id}` (first on line {first})"
            )));
            continue;
        }
        seen.insert(id.clone(), line);
        if let Some(n) = note {
            out.warnings.push((line, id.clone(), n));
        }
        out.origins.push(Origin {
            name: row
                .opt_str(c_name)
                .map_or_else(|| id.clone(), str::to_string),
            id,
            point,
            weight,
            district: row.opt_str(c_district).map(str::to_string),
            imd_decile: imd,
        });
        out.lines.push(line);
    }
    if out.rows() == 0 {
        return Err(crate::error::Error::Empty {
            path: source.to_path_buf(),
            what: "no data rows",
        });
    }
    Ok(out)
}
