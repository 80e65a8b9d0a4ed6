//! Origins from a CSV: a location per row, optional id, weight and any group columns.

use std::collections::HashMap;
use std::path::Path;

use crate::error::Result;
use crate::load::locate::{LocationColumns, Locator};
use crate::load::origin::{Groups, Origin};
use crate::load::table::{Table, open};

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
pub fn origins_from_csv(path: &Path, locator: &Locator<'_>) -> Result<LoadedOrigins> {
    origins_from_reader(path, open(path)?, locator)
}

/// Reads origins from CSV: a location per row from `easting,northing` (planar metres in the
/// locator's CRS), else `lat,lon` (WGS84), else the geocoder's column (`postcode`); optional `id`,
/// `name` and `weight` (default 1). Every other column is a group for breakdowns (`district`,
/// `imd_decile`, anything); a geocoder may add groups (a postcode's district) and name a group's
/// value (a district code becomes "Name (code)").
///
/// **Ids.** With an `id` column, ids must be unique (a repeat is rejected). Without one (or
/// where the cell is empty), a row's id is `line N`, its line in the file, so lists that repeat
/// a postcode (one row per family) keep every row; the name is then the query as given.
///
/// **Nothing dropped.** A file without any location column, or that is not CSV, is an error;
/// so is a postcode row when no geocoder is given. A row whose location or weight is unusable,
/// and a blank line, is *rejected* with its line and reason: `rows()` equals the lines after
/// the header.
///
/// ```
/// use travel_impact::{Locator, origins_from_reader};
/// let csv = "id,easting,northing,weight\na,480000,210000,3\nb,NaN,1,1\n\n";
/// let o = origins_from_reader("homes.csv".as_ref(), csv.as_bytes(), &Locator::default()).unwrap();
/// assert_eq!((o.origins.len(), o.rejected.len()), (1, 2));
/// assert_eq!((o.rejected[0].line, o.rejected[1].line), (3, 4));
/// ```
pub fn origins_from_reader(
    source: &Path,
    reader: impl std::io::Read,
    locator: &Locator<'_>,
) -> Result<LoadedOrigins> {
    let mut t = Table::from_reader(source, reader)?;
    t.reject_near_misses(&[
        "id", "name", "weight", "postcode", "lat", "lon", "easting", "northing",
    ])?;
    let col = |n: &str| t.optional_column(n);
    let (c_id, c_name, c_weight) = (col("id"), col("name"), col("weight"));
    let location = LocationColumns::of(&t, locator)?;
    let header = t.header().clone();
    let mut known = vec![c_id, c_name, c_weight];
    known.extend(location.indices());
    let group_columns: Vec<(usize, std::sync::Arc<str>)> = t
        .other_columns(&known)
        .into_iter()
        .map(|(i, h)| (i, h.into()))
        .collect();
    let mut out = LoadedOrigins::default();
    let mut seen: HashMap<String, u64> = HashMap::new();
    // Group values are shared: one string per distinct (key, value).
    let mut values: HashMap<(std::sync::Arc<str>, String), std::sync::Arc<str>> = HashMap::new();
    let mut blanks_seen = 0;
    while let Some(row) = t.next_row()? {
        let line = row.line();
        let given_id = row.opt_str(c_id).map(str::to_string);
        let pc = row.opt_str(location.query());
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
            .locate(&row, source, locator)?
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
        let (located, weight) = match (located, weight) {
            (Ok(p), Ok(w)) => (p, w),
            (Err(m), _) | (_, Err(m)) => {
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
        let mut groups = Groups::new();
        for (key, value) in located.groups {
            groups.insert(key, value);
        }
        for (c, key) in &group_columns {
            if let Some(v) = row.opt_str(Some(*c)) {
                let shown = locator
                    .geocoder()
                    .and_then(|g| g.group_value(key, v))
                    .unwrap_or_else(|| v.to_string());
                let shared = values
                    .entry((key.clone(), shown))
                    .or_insert_with_key(|(_, v)| v.as_str().into())
                    .clone();
                groups.insert(key.clone(), shared);
            }
        }
        let name = name.or(located.label).unwrap_or_else(|| id.clone());
        if name != id {
            groups.insert("name", name);
        }
        out.origins.push(Origin {
            id: id.into(),
            point: located.point,
            weight,
            groups,
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
