//! UK postcodes: normalisation and a directory of BNG coordinates, live and terminated.

use std::collections::HashMap;
use std::path::Path;

use geo::Coord;

use crate::error::{Error, Result};
use crate::projection::BngCoord;
use crate::table::Table;

/// Why a postcode could not be placed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostcodeError {
    /// Not shaped like a UK postcode (e.g. "HP19 8F", "123").
    #[error("`{0}` is not a valid postcode")]
    Malformed(String),
    /// Well formed but not in the directory.
    #[error("{0} is not in the postcode directory")]
    Unknown(String),
    /// In the directory but without a grid reference (non-geographic postcodes).
    #[error("{0} has no coordinates (non-geographic postcode)")]
    NoCoordinates(String),
}

/// Normalises a postcode to its standard form: upper case, one space before the inward code
/// ("hp198ff", " HP19  8FF " → "HP19 8FF"). Shapes accepted: A9, A99, AA9, AA99, A9A, AA9A
/// outward codes followed by a 9AA inward code.
///
/// ```
/// use travel_impact::postcode::normalise;
/// assert_eq!(normalise("hp198ff").unwrap(), "HP19 8FF");
/// assert_eq!(normalise(" sl7  1jw ").unwrap(), "SL7 1JW");
/// assert!(normalise("HP19 8F").is_err());
/// ```
pub fn normalise(raw: &str) -> Result<String, PostcodeError> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let b = compact.as_bytes();
    let malformed = || PostcodeError::Malformed(raw.trim().to_string());
    if !(5..=7).contains(&b.len()) || !compact.is_ascii() {
        return Err(malformed());
    }
    let (out, inw) = b.split_at(b.len() - 3);
    let alpha = |c: &u8| c.is_ascii_uppercase();
    let digit = |c: &u8| c.is_ascii_digit();
    if !(digit(&inw[0]) && alpha(&inw[1]) && alpha(&inw[2])) {
        return Err(malformed());
    }
    let ok = match out {
        [a, d] => alpha(a) && digit(d),
        [a, d, x] => alpha(a) && ((digit(d) && (digit(x) || alpha(x))) || (alpha(d) && digit(x))),
        [a, b2, d, x] => alpha(a) && alpha(b2) && digit(d) && (digit(x) || alpha(x)),
        _ => false,
    };
    if !ok {
        return Err(malformed());
    }
    Ok(format!(
        "{} {}",
        &compact[..compact.len() - 3],
        &compact[compact.len() - 3..]
    ))
}

/// Whether a postcode is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostcodeStatus {
    /// In OS Code-Point Open (April 2025).
    Live,
    /// Terminated: the ONS lookup gives a termination date, or it was live in May 2022 and is gone
    /// from Code-Point Open 2025. Still geocoded (ONS NSPD Nov 2025).
    Terminated,
    /// Only in the ONS NSPD (Nov 2025): either terminated, or introduced after April 2025.
    Unconfirmed,
}

impl PostcodeStatus {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "live" => Some(Self::Live),
            "terminated" => Some(Self::Terminated),
            "unconfirmed" => Some(Self::Unconfirmed),
            _ => None,
        }
    }
}

/// One postcode of the directory.
#[derive(Debug, Clone, PartialEq)]
pub struct PostcodeRecord {
    /// Standard form, e.g. "HP19 8FF".
    pub postcode: String,
    /// BNG metres; `None` for postcodes without a grid reference.
    pub point: Option<BngCoord>,
    /// Local authority district code (GSS), e.g. E06000060 for Buckinghamshire.
    pub district: String,
    /// Live, terminated or unconfirmed.
    pub status: PostcodeStatus,
}

/// A postcode that was found with coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Located<'a> {
    /// Its record.
    pub record: &'a PostcodeRecord,
    /// Its point.
    pub point: BngCoord,
}

/// A postcode directory: postcode → coordinates, district and status.
///
/// ```
/// use travel_impact::{PostcodeDirectory, postcode::{PostcodeError, PostcodeStatus}};
/// let dir = PostcodeDirectory::from_csv("data/postcodes.csv.gz".as_ref()).unwrap();
/// let p = dir.locate("hp198ff").unwrap();
/// assert_eq!((p.point.x, p.point.y), (480984.0, 214400.0));
/// assert_eq!(p.record.status, PostcodeStatus::Live);
/// assert!(matches!(dir.locate("HP19 8F"), Err(PostcodeError::Malformed(_))));
/// ```
#[derive(Debug, Clone, Default)]
pub struct PostcodeDirectory {
    records: Vec<PostcodeRecord>,
    index: HashMap<String, usize>,
}

impl PostcodeDirectory {
    /// Loads a directory CSV (`postcode,easting,northing,district,status`; may be gzipped).
    pub fn from_csv(path: &Path) -> Result<Self> {
        Self::from_reader(path, crate::table::open(path)?)
    }

    /// Reads a directory CSV from any reader; `source` names it in errors.
    pub fn from_reader(source: &Path, reader: impl std::io::Read) -> Result<Self> {
        let path = source;
        let mut t = Table::from_reader(source, reader)?;
        let c_pc = t.column("postcode")?;
        let c_e = t.column("easting")?;
        let c_n = t.column("northing")?;
        let c_d = t.column("district")?;
        let c_s = t.column("status")?;
        let mut dir = Self::default();
        let mut lines: Vec<u64> = Vec::new();
        while let Some(row) = t.next_row()? {
            let postcode = normalise(row.str(c_pc)).map_err(|e| row.error(c_pc, e.to_string()))?;
            let point = match (row.opt_finite(Some(c_e))?, row.opt_finite(Some(c_n))?) {
                (Some(x), Some(y)) => Some(Coord { x, y }),
                (None, None) => None,
                _ => {
                    return Err(
                        row.error(c_n, "easting and northing must both be given or both empty")
                    );
                }
            };
            let status = PostcodeStatus::parse(row.str(c_s)).ok_or_else(|| {
                row.error(
                    c_s,
                    format!("`{}` is not live, terminated or unconfirmed", row.str(c_s)),
                )
            })?;
            if let Some(&first) = dir.index.get(&postcode) {
                return Err(Error::DuplicateId {
                    path: path.to_path_buf(),
                    line: row.line(),
                    first_line: lines[first],
                    what: "postcode",
                    id: postcode,
                });
            }
            dir.index.insert(postcode.clone(), dir.records.len());
            lines.push(row.line());
            dir.records.push(PostcodeRecord {
                postcode,
                point,
                district: row.str(c_d).to_string(),
                status,
            });
        }
        if dir.is_empty() {
            return Err(Error::Empty {
                path: path.to_path_buf(),
                what: "no data rows",
            });
        }
        Ok(dir)
    }

    /// Number of postcodes.
    pub fn len(&self) -> usize {
        self.records.len()
    }
    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
    /// Every record, in file order (sorted by postcode in the bundled file).
    pub fn records(&self) -> &[PostcodeRecord] {
        &self.records
    }

    /// Every postcode as an origin: id = postcode, weight 1, district = its district code, no name
    /// (kept empty to save memory on large sets). With `district`, only that district's postcodes.
    /// Postcodes without coordinates are *rejected* with the reason; `lines` holds each origin's
    /// record number (1-based) in the directory.
    pub fn origins(&self, district: Option<&str>) -> crate::origin::LoadedOrigins {
        let mut out = crate::origin::LoadedOrigins::default();
        for (i, r) in self.records.iter().enumerate() {
            if district.is_some_and(|d| d != r.district) {
                continue;
            }
            match r.point {
                Some(point) => {
                    out.origins.push(crate::origin::Origin {
                        id: r.postcode.clone(),
                        name: String::new(),
                        point,
                        weight: 1.0,
                        district: Some(r.district.clone()),
                        imd_decile: None,
                    });
                    out.lines.push(i as u64 + 1);
                }
                None => out.rejected.push(crate::origin::Rejected {
                    line: i as u64 + 1,
                    id: r.postcode.clone(),
                    reason: PostcodeError::NoCoordinates(r.postcode.clone()).to_string(),
                }),
            }
        }
        out
    }

    /// Looks up a postcode in any spacing and case.
    pub fn lookup(&self, raw: &str) -> Result<&PostcodeRecord, PostcodeError> {
        let pc = normalise(raw)?;
        match self.index.get(&pc) {
            Some(&i) => Ok(&self.records[i]),
            None => Err(PostcodeError::Unknown(pc)),
        }
    }

    /// Looks up a postcode and returns its point; terminated postcodes are still located
    /// (check `record.status`).
    pub fn locate(&self, raw: &str) -> Result<Located<'_>, PostcodeError> {
        let record = self.lookup(raw)?;
        match record.point {
            Some(point) => Ok(Located { record, point }),
            None => Err(PostcodeError::NoCoordinates(record.postcode.clone())),
        }
    }
}
