//! One location resolver for every input table (facilities, origins): planar coordinates, else
//! longitude/latitude, else a query (such as a postcode) for a [`Geocoder`], with the same checks
//! everywhere, into one CRS.

use std::path::Path;

use crate::error::{Error, Result};
use crate::geom::{Crs, LonLat, Xy};
use crate::load::table::{Row, Table};

/// Places free-text queries (postcodes, addresses) on the map. The UK postcode directory is one.
pub trait Geocoder: Sync {
    /// The column of an input table holding the queries (e.g. `postcode`).
    fn column(&self) -> &str;
    /// Places one query, or says why not (a sentence, with a suggestion where there is one).
    fn geocode(&self, query: &str) -> std::result::Result<Geocoded, String>;
    /// How to show value `value` of an origin's group `key` (e.g. a district code as
    /// "Name (code)"); `None` keeps it as given.
    fn group_value(&self, key: &str, value: &str) -> Option<String> {
        let _ = (key, value);
        None
    }
}

/// A query placed by a [`Geocoder`].
#[derive(Debug, Clone, PartialEq)]
pub struct Geocoded {
    /// The point, in `crs`.
    pub point: Xy,
    /// The CRS of `point`.
    pub crs: Crs,
    /// A caveat to report with the row (e.g. a terminated postcode), if any.
    pub note: Option<String>,
    /// Groups the query tells us (e.g. `district`), for origins.
    pub groups: Vec<(String, String)>,
    /// The query as the geocoder writes it (e.g. a normalised postcode).
    pub label: String,
}

/// How input rows are placed: the CRS every point is given in, and an optional geocoder.
///
/// ```
/// use travel_impact::{Locator, geom::Crs};
/// let bng = Locator::default();
/// assert_eq!(bng.crs(), Crs::BritishNationalGrid);
/// ```
#[derive(Clone, Copy)]
pub struct Locator<'g> {
    crs: Crs,
    geocoder: Option<&'g dyn Geocoder>,
}

impl Default for Locator<'_> {
    /// British National Grid, no geocoder.
    fn default() -> Self {
        Self::new(Crs::BritishNationalGrid)
    }
}

impl std::fmt::Debug for Locator<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locator")
            .field("crs", &self.crs)
            .field("geocoder", &self.geocoder.map(|g| g.column().to_string()))
            .finish()
    }
}

impl<'g> Locator<'g> {
    /// Points in `crs` (use the network's: [`Network::crs`](crate::Network::crs)).
    pub fn new(crs: Crs) -> Self {
        Self {
            crs,
            geocoder: None,
        }
    }
    /// Also places rows by `geocoder`'s column.
    pub fn with_geocoder(self, geocoder: &'g dyn Geocoder) -> Self {
        Self {
            geocoder: Some(geocoder),
            ..self
        }
    }
    /// The CRS points come out in.
    pub fn crs(&self) -> Crs {
        self.crs
    }
    /// The geocoder, if any.
    pub(crate) fn geocoder(&self) -> Option<&'g dyn Geocoder> {
        self.geocoder
    }
}

/// Where a table keeps its locations: which of the column sets it has.
#[derive(Debug, Clone)]
pub(crate) struct LocationColumns {
    easting_northing: Option<(usize, usize)>,
    lat_lon: Option<(usize, usize)>,
    query: Option<(usize, String)>,
}

/// Why a row could not be given a point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LocateError {
    /// A cell that is not a finite number (the column, and what is wrong).
    BadNumber(usize, String),
    /// Values that cannot be a location (the column to blame, and the whole reason).
    Field(usize, String),
    /// The geocoder could not place the query (its column name, and why).
    Geocode(String, String),
    /// The row leaves every location column empty.
    Empty(String),
}

impl LocateError {
    /// The reason in words, for a per-row reject.
    pub(crate) fn reason(&self, table_header: &csv::StringRecord) -> String {
        match self {
            LocateError::BadNumber(c, m) => {
                format!("{}: {m}", table_header.get(*c).unwrap_or("?").trim())
            }
            LocateError::Field(_, m) => m.clone(),
            LocateError::Geocode(column, e) => format!("{column}: {e}"),
            LocateError::Empty(query) => {
                format!("no location: give easting,northing or lat,lon or a {query}")
            }
        }
    }
}

/// A located row: its point and, for a query placed with a caveat, the caveat.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located {
    pub(crate) point: Xy,
    /// How it was located: `easting_northing`, `lat_lon` or `geocoder:<column>`.
    pub(crate) method: std::borrow::Cow<'static, str>,
    pub(crate) note: Option<String>,
    /// Groups from the geocoder.
    pub(crate) groups: Vec<(String, String)>,
    /// The geocoder's label for the query.
    pub(crate) label: Option<String>,
}

/// The British National Grid's extent (metres): coordinates outside it are not eastings/northings.
const BNG_MAX_E: f64 = 700_000.0;
const BNG_MAX_N: f64 = 1_300_000.0;

/// Great Britain, generously: where the British National Grid applies.
fn in_gb(p: LonLat) -> bool {
    (49.0..=61.0).contains(&p.lat_deg) && (-9.0..=2.5).contains(&p.lon_deg)
}

impl LocationColumns {
    /// Finds the location columns; a table with none of them is an error naming the columns it has.
    pub(crate) fn of(t: &Table, locator: &Locator<'_>) -> Result<Self> {
        t.require_pairs(&[("easting", "northing"), ("lat", "lon")])?;
        let pair = |a: &str, b: &str| t.optional_column(a).zip(t.optional_column(b));
        let query_name = locator.geocoder().map_or("postcode", |g| g.column());
        let cols = Self {
            easting_northing: pair("easting", "northing"),
            lat_lon: pair("lat", "lon"),
            query: t
                .optional_column(query_name)
                .map(|c| (c, query_name.to_string())),
        };
        if cols.easting_northing.is_none() && cols.lat_lon.is_none() && cols.query.is_none() {
            return Err(Error::MissingColumn {
                path: t.path().to_path_buf(),
                column: format!("a location: easting,northing or lat,lon or {query_name}"),
                header: t.header().iter().collect::<Vec<_>>().join(","),
            });
        }
        Ok(cols)
    }

    /// Every location column the table has (planar pair, lat/lon pair, query).
    pub(crate) fn indices(&self) -> [Option<usize>; 5] {
        let (e, n) = self.easting_northing.unzip();
        let (la, lo) = self.lat_lon.unzip();
        [e, n, la, lo, self.query()]
    }

    /// The geocoder's column (e.g. postcode), if the table has it.
    pub(crate) fn query(&self) -> Option<usize> {
        self.query.as_ref().map(|(c, _)| *c)
    }

    /// Places one row. Easting/northing win over lat/lon, which win over a geocoder query. A row
    /// that needs the geocoder when none was given is an error (`Error::NoPostcodeDirectory`), not
    /// a row without a location: nothing is lost because a step was forgotten.
    pub(crate) fn locate(
        &self,
        row: &Row<'_>,
        path: &Path,
        locator: &Locator<'_>,
    ) -> Result<std::result::Result<Located, LocateError>> {
        let number = |c: usize| -> std::result::Result<Option<f64>, LocateError> {
            match row.opt_str(Some(c)) {
                None => Ok(None),
                Some(s) => match s.parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok(Some(v)),
                    Ok(_) => Err(LocateError::BadNumber(
                        c,
                        format!("`{s}` is not a finite number"),
                    )),
                    Err(_) => Err(LocateError::BadNumber(c, format!("`{s}` is not a number"))),
                },
            }
        };
        // Both cells of a coordinate pair: `None` when both are empty, an error when one is.
        let pair = |(ca, cb): (usize, usize), (a, b): (&str, &str)| match (number(ca)?, number(cb)?)
        {
            (Some(x), Some(y)) => Ok(Some((x, y))),
            (Some(_), None) => Err(LocateError::Field(cb, format!("empty while {a} is given"))),
            (None, Some(_)) => Err(LocateError::Field(ca, format!("empty while {b} is given"))),
            (None, None) => Ok(None),
        };
        let crs = locator.crs();
        if let Some(cols) = self.easting_northing {
            match pair(cols, ("easting", "northing")) {
                Err(e) => return Ok(Err(e)),
                Ok(Some((x, y))) => return Ok(planar(crs, x, y, cols.1)),
                Ok(None) => {}
            }
        }
        if let Some(cols) = self.lat_lon {
            match pair(cols, ("lat", "lon")) {
                Err(e) => return Ok(Err(e)),
                Ok(Some((la, lo))) => return Ok(lon_lat(crs, lo, la, cols.0)),
                Ok(None) => {}
            }
        }
        let query_name = self.query.as_ref().map_or("postcode", |(_, n)| n.as_str());
        let Some(q) = row.opt_str(self.query()) else {
            return Ok(Err(LocateError::Empty(query_name.to_string())));
        };
        let Some(geocoder) = locator.geocoder() else {
            return Err(Error::NoPostcodeDirectory {
                path: path.to_path_buf(),
                line: row.line(),
            });
        };
        Ok(match geocoder.geocode(q) {
            Ok(found) => Ok(Located {
                point: if found.crs == crs {
                    found.point
                } else {
                    crs.forward(found.crs.inverse(found.point))
                },
                method: format!("{}_directory", geocoder.column()).into(),
                note: found.note,
                groups: found.groups,
                label: Some(found.label),
            }),
            Err(e) => Err(LocateError::Geocode(query_name.to_string(), e)),
        })
    }
}

/// Checks a planar pair; in British National Grid, against the grid, with a hint for degrees.
fn planar(crs: Crs, x: f64, y: f64, column: usize) -> std::result::Result<Located, LocateError> {
    if crs == Crs::BritishNationalGrid
        && (!(0.0..=BNG_MAX_E).contains(&x) || !(0.0..=BNG_MAX_N).contains(&y))
    {
        let hint = if x.abs() <= 180.0 && y.abs() <= 180.0 {
            " (looks like degrees: give them as lat,lon)"
        } else {
            ""
        };
        return Err(LocateError::Field(
            column,
            format!("easting/northing {x}/{y} is outside the British National Grid{hint}"),
        ));
    }
    Ok(Located {
        point: Xy::new(x, y),
        method: "easting_northing".into(),
        note: None,
        groups: Vec::new(),
        label: None,
    })
}

/// Checks a longitude/latitude and projects it; the British National Grid only takes points in
/// Great Britain, and says when a pair looks swapped.
fn lon_lat(
    crs: Crs,
    lon: f64,
    lat: f64,
    column: usize,
) -> std::result::Result<Located, LocateError> {
    let p = LonLat::checked(lon, lat).map_err(|e| LocateError::Field(column, e.to_string()))?;
    if crs == Crs::BritishNationalGrid && !in_gb(p) {
        let message = if in_gb(LonLat::new(lat, lon)) {
            format!("latitude {lat} / longitude {lon} look swapped (lon, lat given as lat, lon?)")
        } else {
            format!("latitude {lat} / longitude {lon} is outside Great Britain")
        };
        return Err(LocateError::Field(column, message));
    }
    Ok(Located {
        point: crs.forward(p),
        method: "lat_lon".into(),
        note: None,
        groups: Vec::new(),
        label: None,
    })
}
