//! Facilities and their sites, loaded from a CSV that says how (and how well) each was located.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::geom::Xy;

/// Where a site is, as far as the sources say.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// A point in the CRS it was loaded in (the network's).
    At(Xy),
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
    pub fn point(&self) -> Option<Xy> {
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
/// Loaded by [`Facilities::from_csv`]; or built from points with [`Facilities::from_points`].
///
/// ```
/// use travel_impact::{Facilities, geom::Xy};
/// let f = Facilities::from_points([("library", Xy::new(480_000.0, 210_000.0))])?;
/// assert_eq!(f.sites()[0].point(), Some(Xy::new(480_000.0, 210_000.0)));
/// # Ok::<(), travel_impact::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Facilities {
    pub(crate) path: PathBuf,
    pub(crate) sites: Vec<Site>,
}

impl Facilities {
    /// Single-site facilities at given points (id = name), e.g. for synthetic scenarios and tests.
    /// Duplicate ids are an error.
    pub fn from_points<'a>(points: impl IntoIterator<Item = (&'a str, Xy)>) -> Result<Self> {
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

    /// The sites of both, for scenarios drawn from two files (e.g. the sites open before and
    /// those open after). A site id in both must be the same site (same facility and location),
    /// else it is an error naming it; it is then kept once.
    ///
    /// ```
    /// use travel_impact::{Facilities, geom::Xy};
    /// let a = Facilities::from_points([("x", Xy::new(0.0, 0.0)), ("y", Xy::new(9.0, 0.0))])?;
    /// let b = Facilities::from_points([("y", Xy::new(9.0, 0.0)), ("z", Xy::new(5.0, 5.0))])?;
    /// assert_eq!(a.merged(&b)?.facility_ids(), ["x", "y", "z"]);
    /// let moved = Facilities::from_points([("y", Xy::new(900.0, 0.0))])?;
    /// assert!(a.merged(&moved).is_err());
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn merged(&self, other: &Facilities) -> Result<Self> {
        let mut sites = self.sites.clone();
        for s in &other.sites {
            match sites.iter().find(|t| t.id == s.id) {
                Some(t) if t.facility == s.facility && t.location == s.location => {}
                Some(t) => {
                    return Err(Error::InvalidOption {
                        option: "facilities",
                        message: format!(
                            "site `{}` is in {} (line {}) and in {} (line {}) with a different \
                             facility or location",
                            s.id,
                            self.path.display(),
                            t.line,
                            other.path.display(),
                            s.line
                        ),
                    });
                }
                None => sites.push(s.clone()),
            }
        }
        Ok(Self {
            path: PathBuf::from(format!(
                "{} + {}",
                self.path.display(),
                other.path.display()
            )),
            sites,
        })
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

    /// Sets the stated precision (metres) of site `site`, e.g. for facilities built from points.
    pub fn set_precision(&mut self, site: &str, precision_m: Option<f64>) -> Result<()> {
        if precision_m.is_some_and(|p| !(p.is_finite() && p >= 0.0)) {
            return Err(Error::InvalidOption {
                option: "precision_m",
                message: format!("{precision_m:?} is not a radius"),
            });
        }
        let s = self
            .sites
            .iter_mut()
            .find(|s| s.id == site)
            .ok_or_else(|| Error::InvalidOption {
                option: "site",
                message: format!("no site `{site}`"),
            })?;
        s.precision_m = precision_m;
        Ok(())
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
