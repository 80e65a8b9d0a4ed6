//! One location resolver for every input table (facilities, origins): easting/northing, else
//! lat/lon, else a postcode looked up in a directory, with the same checks everywhere.

use std::path::Path;

use geo::Coord;

use crate::error::{Error, Result};
use crate::postcode::{PostcodeDirectory, PostcodeError, PostcodeStatus};
use crate::projection::{BngCoord, checked_wgs84_to_bng};
use crate::table::{Row, Table};

/// Where a table keeps its locations: which of the three column sets it has.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LocationColumns {
    easting_northing: Option<(usize, usize)>,
    lat_lon: Option<(usize, usize)>,
    postcode: Option<usize>,
}

/// Why a row could not be given a point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LocateError {
    /// A cell that is not a finite number (the column, and what is wrong).
    BadNumber(usize, String),
    /// Values that cannot be a location (the column to blame, and the whole reason).
    Field(usize, String),
    /// The postcode could not be placed.
    Postcode(PostcodeError),
    /// The row leaves every location column empty.
    Empty,
}

impl LocateError {
    /// The reason in words, for a per-row reject.
    pub(crate) fn reason(&self, table_header: &csv::StringRecord) -> String {
        match self {
            LocateError::BadNumber(c, m) => {
                format!("{}: {m}", table_header.get(*c).unwrap_or("?").trim())
            }
            LocateError::Field(_, m) => m.clone(),
            LocateError::Postcode(e) => format!("postcode: {e}"),
            LocateError::Empty => {
                "no location: give easting,northing or lat,lon or a postcode".into()
            }
        }
    }
}

/// A located row: its point and, for a postcode that is no longer live, a caveat.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located {
    pub(crate) point: BngCoord,
    /// How it was located: `easting_northing`, `lat_lon` or `postcode_directory`.
    pub(crate) method: &'static str,
    pub(crate) note: Option<String>,
    /// The district of the postcode, when located by one.
    pub(crate) district: Option<std::sync::Arc<crate::District>>,
}

/// The British National Grid's extent (metres): coordinates outside it are not eastings/northings.
const BNG_MAX_E: f64 = 700_000.0;
const BNG_MAX_N: f64 = 1_300_000.0;

impl LocationColumns {
    /// Finds the location columns; a table with none of them is an error naming the columns it has.
    pub(crate) fn of(t: &Table) -> Result<Self> {
        t.require_pairs(&[("easting", "northing"), ("lat", "lon")])?;
        let pair = |a: &str, b: &str| t.optional_column(a).zip(t.optional_column(b));
        let cols = Self {
            easting_northing: pair("easting", "northing"),
            lat_lon: pair("lat", "lon"),
            postcode: t.optional_column("postcode"),
        };
        if cols.easting_northing.is_none() && cols.lat_lon.is_none() && cols.postcode.is_none() {
            return Err(Error::MissingColumn {
                path: t.path().to_path_buf(),
                column: "a location: easting,northing or lat,lon or postcode".into(),
                header: t.header().iter().collect::<Vec<_>>().join(","),
            });
        }
        Ok(cols)
    }

    /// The postcode column, if any.
    pub(crate) fn postcode(&self) -> Option<usize> {
        self.postcode
    }

    /// Places one row. Easting/northing win over lat/lon, which win over a postcode. A row that
    /// needs the postcode directory when none was given is an error (`Error::NoPostcodeDirectory`),
    /// not a row without a location: nothing is lost because a step was forgotten.
    pub(crate) fn locate(
        &self,
        row: &Row<'_>,
        path: &Path,
        postcodes: Option<&PostcodeDirectory>,
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
        if let Some(cols) = self.easting_northing {
            match pair(cols, ("easting", "northing")) {
                Err(e) => return Ok(Err(e)),
                Ok(Some((x, y))) => return Ok(bng(x, y, cols.1)),
                Ok(None) => {}
            }
        }
        if let Some(cols) = self.lat_lon {
            match pair(cols, ("lat", "lon")) {
                Err(e) => return Ok(Err(e)),
                Ok(Some((la, lo))) => {
                    return Ok(checked_wgs84_to_bng(la, lo)
                        .map(|point| Located {
                            point,
                            method: "lat_lon",
                            note: None,
                            district: None,
                        })
                        .map_err(|e| LocateError::Field(cols.0, e.to_string())));
                }
                Ok(None) => {}
            }
        }
        let Some(pc) = row.opt_str(self.postcode) else {
            return Ok(Err(LocateError::Empty));
        };
        let Some(dir) = postcodes else {
            return Err(Error::NoPostcodeDirectory {
                path: path.to_path_buf(),
                line: row.line(),
            });
        };
        Ok(match dir.locate(pc) {
            Ok(found) => Ok(Located {
                point: found.point,
                method: "postcode_directory",
                note: (found.record.status != PostcodeStatus::Live).then(|| {
                    format!(
                        "postcode {} is {}; located from the ONS NSPD",
                        found.record.postcode, found.record.status
                    )
                }),
                district: found.record.district.clone(),
            }),
            Err(e) => Err(LocateError::Postcode(e)),
        })
    }
}

/// Checks an easting/northing pair against the grid, with a hint for degrees given as metres.
fn bng(x: f64, y: f64, column: usize) -> std::result::Result<Located, LocateError> {
    if !(0.0..=BNG_MAX_E).contains(&x) || !(0.0..=BNG_MAX_N).contains(&y) {
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
        point: Coord { x, y },
        method: "easting_northing",
        note: None,
        district: None,
    })
}
