//! Facilities from a CSV that says how (and how well) each site was located.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::load::facility::{Facilities, Location, Site};
use crate::load::locate::{LocateError, LocationColumns, Locator};
use crate::load::table::{Table, open};

impl Facilities {
    /// Loads and checks a facilities CSV (gzip if it ends in `.gz`), placing rows with `locator`.
    ///
    /// Required columns: `id` and at least one location: `easting,northing` (planar
    /// metres in the locator's CRS), `lat,lon` (WGS84) or the geocoder's column (`postcode`). Each
    /// row is located by the first of these it fills; a query is geocoded in the same call (a
    /// query row without a geocoder is an error). A row that cannot be located (no location in the
    /// sources, a malformed or unknown postcode) is kept as *not located* with the reason, and
    /// every report lists it. Optional: `name` (default: the id), `facility` (groups sites), `locate_method`,
    /// `precision_m`, `confidence`; every other column is kept as an attribute.
    ///
    /// ```
    /// use travel_impact::{Facilities, Locator, uk::PostcodeDirectory};
    /// let postcodes = PostcodeDirectory::from_csv("data/postcodes.csv.gz".as_ref())?;
    /// let locator = Locator::default().with_geocoder(&postcodes);
    /// let f = Facilities::from_csv("data/facilities.csv".as_ref(), &locator)?;
    /// assert_eq!(f.sites().len(), 34);
    /// let marlow: Vec<_> = f.sites_of("marlow").map(|s| s.id.as_str()).collect();
    /// assert_eq!(marlow, ["marlow_foxes_piece", "marlow_sandygate"]);
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn from_csv(path: &Path, locator: &Locator<'_>) -> Result<Self> {
        Self::from_reader(path, open(path)?, locator)
    }

    /// Reads facilities CSV from any reader; `source` names it in errors.
    pub fn from_reader(
        source: &Path,
        reader: impl std::io::Read,
        locator: &Locator<'_>,
    ) -> Result<Self> {
        let path = source;
        let mut t = Table::from_reader(source, reader)?;
        let c_id = t.column("id")?;
        t.reject_near_misses(&[
            "id",
            "name",
            "facility",
            "postcode",
            "lat",
            "lon",
            "easting",
            "northing",
            "locate_method",
            "precision_m",
            "confidence",
        ])?;
        let c_name = t.optional_column("name");
        let location = LocationColumns::of(&t, locator)?;
        let c_fac = t.optional_column("facility");
        let c_pc = location.query();
        let c_method = t.optional_column("locate_method");
        let c_prec = t.optional_column("precision_m");
        let c_conf = t.optional_column("confidence");
        let mut known = vec![Some(c_id), c_name, c_fac, c_method, c_prec, c_conf];
        known.extend(location.indices());
        let extra: Vec<(usize, String)> = t
            .other_columns(&known)
            .into_iter()
            .map(|(i, h)| (i, h.to_string()))
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
            let name = row.opt_str(c_name).unwrap_or(&id).to_string();
            let postcode = row.opt_str(c_pc).map(str::to_string);
            let mut method = row.opt_str(c_method).unwrap_or("").to_string();
            let location = match location.locate(&row, path, locator)? {
                Ok(found) => {
                    if found.method.ends_with("_directory")
                        && method != "sourced_postcode"
                        && !method.ends_with("_directory")
                    {
                        method = found.method.into_owned();
                    }
                    Location::At(found.point)
                }
                // A value of the wrong kind is a broken file, not a missing location.
                Err(LocateError::Field(c, message) | LocateError::BadNumber(c, message)) => {
                    return Err(row.error(c, message));
                }
                Err(LocateError::Geocode(column, e)) => {
                    Location::NotLocated(format!("{column}: {e}"))
                }
                Err(LocateError::Empty(query)) => {
                    Location::NotLocated(format!("no coordinates or {query} in the sources"))
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
}
