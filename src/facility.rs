//! Facilities and their sites, loaded from a CSV that says how (and how well) each was located.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::locate::{LocateError, LocationColumns};
use crate::postcode::PostcodeDirectory;
use crate::projection::BngCoord;
use crate::table::Table;

/// Where a site is, as far as the sources say.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// A point on the British National Grid.
    At(BngCoord),
    /// No usable location; the reason says why (e.g. no coordinates or postcode in the sources,
    /// or a postcode that is malformed or not in the directory).
    NotLocated(String),
}

/// One site (one row of the facilities file). A facility may have several sites.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Unique site id.
    pub id: String,
    /// Id of the facility this site belongs to (equal to `id` for single-site facilities).
    pub facility: String,
    /// Name as given by the sources.
    pub name: String,
    /// Postcode, if a source gives one.
    pub postcode: Option<String>,
    /// Location.
    pub location: Location,
    /// How the location was found (e.g. `sourced_postcode`, `named_place`, `postcode_directory`).
    pub locate_method: String,
    /// Radius (metres) that should contain the real building; `None` if not stated.
    pub precision_m: Option<f64>,
    /// Confidence as given (`high`, `medium`, `low`).
    pub confidence: Option<String>,
    /// Every other column of the row (role flags, notes, sources), by header name.
    pub attributes: BTreeMap<String, String>,
    /// Line in the source file.
    pub line: u64,
}

impl Site {
    /// The site's point, if it has one.
    pub fn point(&self) -> Option<BngCoord> {
        match self.location {
            Location::At(p) => Some(p),
            _ => None,
        }
    }
    /// Value of an extra column (trimmed), `""` if absent.
    pub fn attribute(&self, column: &str) -> &str {
        self.attributes.get(column).map_or("", |s| s.as_str())
    }
}

/// Every site of a facilities file.
///
/// Required columns: `id`, `name`, and at least one location: `easting,northing` (BNG metres),
/// `lat,lon` (WGS84) or `postcode`. Each row is located by the first of these it fills; a
/// postcode is looked up in the directory given to the loader, in the same call (a postcode row
/// without a directory is an error). A row that cannot be located (no location in the sources, a
/// malformed or unknown postcode) is kept as *not located* with the reason, and every report
/// lists it. Optional: `facility` (groups sites), `locate_method`, `precision_m`, `confidence`.
///
/// ```
/// use travel_impact::{Facilities, PostcodeDirectory};
/// let postcodes = PostcodeDirectory::from_csv("data/postcodes.csv.gz".as_ref()).unwrap();
/// let f = Facilities::from_csv("data/facilities.csv".as_ref(), Some(&postcodes)).unwrap();
/// assert_eq!(f.sites().len(), 34);
/// let marlow: Vec<_> = f.sites_of("marlow").map(|s| s.id.as_str()).collect();
/// assert_eq!(marlow, ["marlow_foxes_piece", "marlow_sandygate"]);
/// ```
#[derive(Debug, Clone)]
pub struct Facilities {
    path: PathBuf,
    sites: Vec<Site>,
}

impl Facilities {
    /// Loads and checks a facilities CSV (gzip if it ends in `.gz`), looking postcodes up in
    /// `postcodes`.
    pub fn from_csv(path: &Path, postcodes: Option<&PostcodeDirectory>) -> Result<Self> {
        Self::from_reader(path, crate::table::open(path)?, postcodes)
    }

    /// Reads facilities CSV from any reader; `source` names it in errors.
    pub fn from_reader(
        source: &Path,
        reader: impl std::io::Read,
        postcodes: Option<&PostcodeDirectory>,
    ) -> Result<Self> {
        let path = source;
        let mut t = Table::from_reader(source, reader)?;
        let c_id = t.column("id")?;
        let c_name = t.column("name")?;
        let location = LocationColumns::of(&t)?;
        let c_fac = t.optional_column("facility");
        let c_pc = location.postcode();
        let c_method = t.optional_column("locate_method");
        let c_prec = t.optional_column("precision_m");
        let c_conf = t.optional_column("confidence");
        let known = [
            Some(c_id),
            Some(c_name),
            c_fac,
            c_pc,
            t.optional_column("easting"),
            t.optional_column("northing"),
            t.optional_column("lat"),
            t.optional_column("lon"),
            c_method,
            c_prec,
            c_conf,
        ];
        let extra: Vec<(usize, String)> = t
            .header()
            .iter()
            .enumerate()
            .filter(|(i, _)| !known.contains(&Some(*i)))
            .map(|(i, h)| (i, h.trim().to_string()))
            .collect();
        let mut sites = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        while let Some(row) = t.next_row()? {
            let id = row.str(c_id).to_string();
            if id.is_empty() {
                return Err(row.error(c_id, "empty, expected a site id"));
            }
            if let Some(&first_line) = seen.get(&id) {
                return Err(Error::DuplicateId {
                    path: path.to_path_buf(),
                    line: row.line(),
                    first_line,
                    what: "site",
                    id,
                });
            }
            seen.insert(id.clone(), row.line());
            let name = row.str(c_name).to_string();
            let postcode = row.opt_str(c_pc).map(str::to_string);
            let mut method = row.opt_str(c_method).unwrap_or("").to_string();
            let location = match location.locate(&row, path, postcodes)? {
                Ok(found) => {
                    if found.method == "postcode_directory"
                        && !matches!(method.as_str(), "sourced_postcode" | "postcode_directory")
                    {
                        method = found.method.to_string();
                    }
                    Location::At(found.point)
                }
                // A value of the wrong kind is a broken file, not a missing location.
                Err(LocateError::Field(c, message) | LocateError::BadNumber(c, message)) => {
                    return Err(row.error(c, message));
                }
                Err(LocateError::Postcode(e)) => Location::NotLocated(format!("postcode: {e}")),
                Err(LocateError::Empty) => {
                    Location::NotLocated("no coordinates or postcode in the sources".into())
                }
            };
            let precision_m = row.opt_finite(c_prec)?;
            if let Some(p) = precision_m.filter(|p| *p < 0.0) {
                return Err(row.error(c_prec.unwrap(), format!("{p} is negative")));
            }
            sites.push(Site {
                facility: row.opt_str(c_fac).unwrap_or(&id).to_string(),
                id,
                name,
                postcode,
                location,
                locate_method: method,
                precision_m,
                confidence: row.opt_str(c_conf).map(str::to_string),
                attributes: extra
                    .iter()
                    .map(|(i, h)| (h.clone(), row.str(*i).to_string()))
                    .collect(),
                line: row.line(),
            });
        }
        if sites.is_empty() {
            return Err(Error::Empty {
                path: path.to_path_buf(),
                what: "no data rows",
            });
        }
        Ok(Self {
            path: path.to_path_buf(),
            sites,
        })
    }

    /// Single-site facilities at given points (id = name), e.g. for synthetic scenarios and tests.
    /// Duplicate ids are an error.
    pub fn from_points<'a>(points: impl IntoIterator<Item = (&'a str, BngCoord)>) -> Result<Self> {
        let path = PathBuf::from("<points>");
        let mut sites = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for (i, (id, at)) in points.into_iter().enumerate() {
            let line = i as u64 + 1;
            if let Some(&first_line) = seen.get(id) {
                return Err(Error::DuplicateId {
                    path,
                    line,
                    first_line,
                    what: "site",
                    id: id.to_string(),
                });
            }
            seen.insert(id.to_string(), line);
            sites.push(Site {
                id: id.to_string(),
                facility: id.to_string(),
                name: id.to_string(),
                postcode: None,
                location: Location::At(at),
                locate_method: "given".into(),
                precision_m: None,
                confidence: None,
                attributes: BTreeMap::new(),
                line,
            });
        }
        Ok(Self { path, sites })
    }

    /// The file the sites came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// All sites, in file order.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// The sites of one facility, in file order.
    pub fn sites_of<'a>(&'a self, facility: &'a str) -> impl Iterator<Item = &'a Site> + 'a {
        self.sites.iter().filter(move |s| s.facility == facility)
    }

    /// Distinct facility ids, sorted.
    pub fn facility_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.sites.iter().map(|s| s.facility.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Ids of the facilities with at least one site whose `column` holds one of `values`
    /// (case-insensitive), sorted.
    pub fn select(&self, column: &str, values: &[&str]) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .sites
            .iter()
            .filter(|s| {
                let v = s.attribute(column);
                values.iter().any(|w| w.eq_ignore_ascii_case(v))
            })
            .map(|s| s.facility.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Sites without a location, with the reason.
    pub fn not_located(&self) -> Vec<(&Site, &str)> {
        self.sites
            .iter()
            .filter_map(|s| match &s.location {
                Location::NotLocated(why) => Some((s, why.as_str())),
                Location::At(_) => None,
            })
            .collect()
    }
}
