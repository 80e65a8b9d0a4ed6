//! Origins from a CSV: a location per row, optional id, weight and any group columns.

use std::hash::BuildHasher;
use std::path::Path;
use std::sync::Arc;

use compact_str::CompactString;

use crate::error::Result;
use crate::load::locate::{LocationColumns, Locator};
use crate::load::origin::{Origin, Pair, put};
use crate::load::sharing::Sharing;
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
    let group_columns: Vec<(usize, Arc<str>)> = t
        .other_columns(&known)
        .into_iter()
        .map(|(i, h)| (i, h.into()))
        .collect();
    let mut out = LoadedOrigins::default();
    // The ids seen, as indices of the origins holding them (4 bytes each; ids are inline up to
    // 24 bytes): no heap allocation a row, and nothing left behind in small pieces for the
    // run's later allocations to wade through.
    let hasher = foldhash::fast::FixedState::default();
    let hash = |id: &str| hasher.hash_one(id);
    let mut seen: hashbrown::HashTable<u32> = hashbrown::HashTable::new();
    let mut share = Sharing::new(group_columns.len());
    let name_key: Arc<str> = "name".into();
    let mut pairs: Vec<Pair> = Vec::new();
    let mut blanks_seen = 0;
    while let Some(row) = t.next_row()? {
        let line = row.line();
        let given_id = row.opt_str(c_id);
        let pc = row.opt_str(location.query());
        let reject = |reason: String| Rejected {
            line,
            id: given_id.or(pc).unwrap_or_default().to_string(),
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
        let id = match given_id {
            Some(id) => CompactString::from(id),
            None => compact_str::format_compact!("line {line}"),
        };
        let h = hash(&id);
        let origins = &out.origins;
        if let Some(&k) = seen.find(h, |&k| origins[k as usize].id == id) {
            let first = out.lines[k as usize];
            out.rejected.push(reject(format!(
                "duplicate id `{id}` (first on line {first})"
            )));
            continue;
        }
        let k = u32::try_from(origins.len()).map_err(|_| crate::error::Error::Csv {
            path: source.to_path_buf(),
            line,
            message: "more than 4,294,967,295 origins in one file".into(),
        })?;
        seen.insert_unique(h, k, |&k| hash(&origins[k as usize].id));
        if let Some(n) = located.note {
            out.warnings.push((line, id.to_string(), n));
        }
        // The row's groups, as successive inserts would set them: the geocoder's, then the
        // columns' (which win over the geocoder's), then the name if it differs from the id.
        pairs.clear();
        for (key, value) in &located.groups {
            put(&mut pairs, share.string(key), share.string(value));
        }
        for (k, (c, key)) in group_columns.iter().enumerate() {
            if let Some(v) = row.opt_str(Some(*c)) {
                let shown = share.value(k, v, |v| {
                    locator
                        .geocoder()
                        .and_then(|g| g.group_value(key, v))
                        .unwrap_or_else(|| v.to_string())
                });
                put(&mut pairs, key.clone(), shown);
            }
        }
        // The name: the `name` cell, else the geocoder's label, else the id.
        let name: Option<Arc<str>> = match row.opt_str(c_name) {
            Some(n) => (n != id.as_str()).then(|| n.into()),
            None => located.label.filter(|l| l != id.as_str()).map(Into::into),
        };
        if let Some(name) = name {
            put(&mut pairs, name_key.clone(), name);
        }
        out.origins.push(Origin {
            id,
            point: located.point,
            weight,
            groups: share.groups(&pairs),
        });
        out.lines.push(line);
        share.row_done();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(csv: &str) -> LoadedOrigins {
        origins_from_reader("homes.csv".as_ref(), csv.as_bytes(), &Locator::default()).unwrap()
    }

    #[test]
    fn rows_with_the_same_groups_share_one_set() {
        let o = read(
            "id,easting,northing,district,imd_decile\n\
             a,480000,210000,North,3\n\
             b,480100,210000,South,3\n\
             c,480200,210000,North,3\n\
             d,480300,210000,,\n",
        );
        let g: Vec<_> = o.origins.iter().map(|o| &o.groups).collect();
        assert!(g[0].ptr_eq(g[2]), "equal sets are one");
        assert!(!g[0].ptr_eq(g[1]));
        assert_eq!(o.origins[1].group("district"), Some("South"));
        assert_eq!(o.origins[2].group("imd_decile"), Some("3"));
        assert!(g[3].is_empty(), "empty cells add no group");
    }

    #[test]
    fn an_id_is_taken_by_the_first_accepted_row_only() {
        let o = read(
            "id,easting,northing,name\n\
             a,x,210000,\n\
             a,480000,210000,Home A\n\
             a,480100,210000,\n\
             ,480200,210000,a\n",
        );
        let ids: Vec<_> = o.origins.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["a", "line 5"]);
        assert_eq!(o.origins[0].name(), "Home A");
        assert_eq!(o.origins[1].name(), "a");
        let reasons: Vec<_> = o
            .rejected
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(reasons[1], (4, "duplicate id `a` (first on line 3)"));
        assert_eq!(reasons[0].0, 2);
    }
}
