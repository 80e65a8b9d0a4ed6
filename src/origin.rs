//! Origins: where people start from (LSOA population centroids, postcodes, any point), with a weight.

use std::path::Path;
use std::sync::Arc;

use geo::Coord;

use crate::district::District;
use crate::error::Result;
use crate::locate::LocationColumns;
use crate::postcode::PostcodeDirectory;
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
    /// District (code and name), for breakdowns. Shared, so a million origins in a few districts
    /// hold a few districts.
    pub district: Option<Arc<District>>,
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

    /// The LSOA's district.
    pub fn district(&self) -> District {
        District::new(&self.district_code, &self.district_name)
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
            district: Some(Arc::new(self.district())),
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
    postcodes: Option<&PostcodeDirectory>,
) -> Result<LoadedOrigins> {
    origins_from_reader(path, crate::table::open(path)?, postcodes)
}

/// Reads origins from CSV: a location per row from `easting,northing` (BNG metres), else `lat,lon`
/// (WGS84), else `postcode` (looked up in `postcodes`); optional `id`, `name`, `weight`
/// (default 1), `district` (a GSS code or a name; default: the postcode's district), `imd_decile`.
///
/// **Ids.** With an `id` column, ids must be unique (a repeat is rejected). Without one (or
/// where the cell is empty), a row's id is `line N`, its line in the file, so lists that repeat
/// a postcode (one row per family) keep every row; the name is then the postcode as given.
///
/// **Nothing dropped.** A file without any location column, or that is not CSV, is an error;
/// so is a postcode row when no directory is given. A row whose location or weight is unusable,
/// and a blank line, is *rejected* with its line and reason: `rows()` equals the lines after
/// the header.
///
/// ```
/// use travel_impact::origin::origins_from_reader;
/// let csv = "id,easting,northing,weight\na,480000,210000,3\nb,NaN,1,1\n\n";
/// let o = origins_from_reader("homes.csv".as_ref(), csv.as_bytes(), None).unwrap();
/// assert_eq!((o.origins.len(), o.rejected.len()), (1, 2));
/// assert_eq!((o.rejected[0].line, o.rejected[1].line), (3, 4));
/// ```
pub fn origins_from_reader(
    source: &Path,
    reader: impl std::io::Read,
    postcodes: Option<&PostcodeDirectory>,
) -> Result<LoadedOrigins> {
    let mut t = Table::from_reader(source, reader)?;
    let col = |n: &str| t.optional_column(n);
    let (c_id, c_name, c_weight, c_district, c_imd) = (
        col("id"),
        col("name"),
        col("weight"),
        col("district"),
        col("imd_decile"),
    );
    let location = LocationColumns::of(&t)?;
    let header = t.header().clone();
    let mut out = LoadedOrigins::default();
    let mut seen: std::collections::HashMap<String, u64> = Default::default();
    let mut districts: std::collections::HashMap<District, Arc<District>> = Default::default();
    let mut blanks_seen = 0;
    while let Some(row) = t.next_row()? {
        let line = row.line();
        let given_id = row.opt_str(c_id).map(str::to_string);
        let pc = row.opt_str(location.postcode());
        let label = given_id
            .clone()
            .or(pc.map(str::to_string))
            .unwrap_or_default();
        let reject = |reason: String| Rejected {
            line,
            id: label.clone(),
            reason,
        };
        let located = location
            .locate(&row, source, postcodes)?
            .map_err(|e| e.reason(&header));
        let weight = match row.opt_str(c_weight).map(str::parse::<f64>) {
            None => Ok(1.0),
            Some(Ok(w)) if w.is_finite() && w >= 0.0 => Ok(w),
            Some(Ok(w)) => Err(format!("weight {w} is not a finite number >= 0")),
            Some(Err(_)) => Err(format!(
                "weight: `{}` is not a number",
                row.opt_str(c_weight).unwrap_or("")
            )),
        };
        let imd = match row.opt_str(c_imd) {
            None => Ok(None),
            Some(s) => match s.parse::<u8>() {
                Ok(d) if (1..=10).contains(&d) => Ok(Some(d)),
                _ => Err(format!("imd_decile `{s}` is not a decile 1-10")),
            },
        };
        let district_cell = row.opt_str(c_district).map(|d| {
            let mut d = District::parse(d);
            if let Some(dir) = postcodes
                && d.name.is_empty()
            {
                d.name = dir.district_name(&d.code).unwrap_or_default().to_string();
            }
            d
        });
        let name = row.opt_str(c_name).map(str::to_string);
        // Blank lines between the last row and this one, in line order.
        let blanks = &row.blank_lines()[blanks_seen..];
        blanks_seen += blanks.len();
        for &b in blanks {
            out.rejected.push(Rejected {
                line: b,
                id: String::new(),
                reason: "blank line".into(),
            });
        }
        let (located, weight, imd) = match (located, weight, imd) {
            (Ok(p), Ok(w), Ok(d)) => (p, w, d),
            (Err(m), _, _) | (_, Err(m), _) | (_, _, Err(m)) => {
                out.rejected.push(reject(m));
                continue;
            }
        };
        let id = given_id.unwrap_or_else(|| format!("line {line}"));
        if let Some(first) = seen.get(&id) {
            out.rejected.push(reject(format!(
                "duplicate id `{id}` (first on line {first})"
            )));
            continue;
        }
        seen.insert(id.clone(), line);
        if let Some(n) = located.note {
            out.warnings.push((line, id.clone(), n));
        }
        let district = match district_cell {
            Some(d) => Some(
                districts
                    .entry(d.clone())
                    .or_insert_with(|| Arc::new(d))
                    .clone(),
            ),
            None => located.district,
        };
        out.origins.push(Origin {
            name: name
                .or(pc.map(|p| crate::postcode::normalise(p).unwrap_or_else(|_| p.to_string())))
                .unwrap_or_else(|| id.clone()),
            id,
            point: located.point,
            weight,
            district,
            imd_decile: imd,
        });
        out.lines.push(line);
    }
    for &b in &t.blank_lines()[blanks_seen..] {
        out.rejected.push(Rejected {
            line: b,
            id: String::new(),
            reason: "blank line".into(),
        });
    }
    if out.origins.is_empty() && out.rejected.iter().all(|r| r.reason == "blank line") {
        return Err(crate::error::Error::Empty {
            path: source.to_path_buf(),
            what: "no data rows",
        });
    }
    Ok(out)
}
