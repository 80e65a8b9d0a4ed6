//! UK postcodes: normalisation and a directory of BNG coordinates, live and terminated.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::geom::{Crs, Xy};
use crate::load::table::{Table, open};
use crate::load::{Geocoded, Geocoder, LoadedOrigins, Origin, Rejected};
use crate::uk::district::District;

/// Why a postcode could not be placed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostcodeError {
    /// Not shaped like a UK postcode (e.g. "HP19 8F", "123").
    #[error("`{raw}` is not a valid postcode{}", hint(.suggestion))]
    Malformed {
        /// The text as given (trimmed).
        raw: String,
        /// A directory postcode it may have been meant as (letter O for zero and the like).
        suggestion: Option<String>,
    },
    /// Well formed but not in the directory.
    #[error("{postcode} is not in the postcode directory{}", hint(.suggestion))]
    Unknown {
        /// The postcode, normalised.
        postcode: String,
        /// A directory postcode it may have been meant as (letter O for zero and the like).
        suggestion: Option<String>,
    },
    /// In the directory but without a grid reference (non-geographic postcodes).
    #[error("{0} has no coordinates (non-geographic postcode)")]
    NoCoordinates(String),
}

fn hint(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map_or(String::new(), |s| format!(" (did you mean {s}?)"))
}

/// Characters people type for each other: a letter where a digit belongs, or the reverse.
const LOOKALIKES: [(char, char); 6] = [
    ('O', '0'),
    ('I', '1'),
    ('L', '1'),
    ('S', '5'),
    ('Z', '2'),
    ('B', '8'),
];

/// Normalises a postcode to its standard form: upper case, one space before the inward code
/// ("hp198ff", " HP19  8FF " → "HP19 8FF"). Shapes accepted: A9, A99, AA9, AA99, A9A, AA9A
/// outward codes followed by a 9AA inward code.
///
/// ```
/// use travel_impact::uk::normalise;
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
    let malformed = || PostcodeError::Malformed {
        raw: raw.trim().to_string(),
        suggestion: None,
    };
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

impl std::fmt::Display for PostcodeStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Live => "live",
            Self::Terminated => "terminated",
            Self::Unconfirmed => "unconfirmed (in the NSPD only)",
        })
    }
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
    pub point: Option<Xy>,
    /// Local authority district (GSS code and name), e.g. E06000060 Buckinghamshire; `None` for
    /// postcodes without one (non-geographic).
    pub district: Option<Arc<District>>,
    /// Live, terminated or unconfirmed.
    pub status: PostcodeStatus,
}

/// A postcode that was found with coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PostcodeLocated<'a> {
    /// Its record.
    pub record: &'a PostcodeRecord,
    /// Its point.
    pub point: Xy,
}

/// A postcode directory: postcode → coordinates, district and status.
///
/// ```
/// use travel_impact::uk::{PostcodeDirectory, PostcodeError, PostcodeStatus};
/// let dir = PostcodeDirectory::from_csv("data/postcodes.csv.gz".as_ref()).unwrap();
/// let p = dir.locate("hp198ff").unwrap();
/// assert_eq!((p.point.x_m, p.point.y_m), (480984.0, 214400.0));
/// assert_eq!(p.record.status, PostcodeStatus::Live);
/// assert!(matches!(dir.locate("HP19 8F"), Err(PostcodeError::Malformed { .. })));
/// ```
#[derive(Debug, Clone, Default)]
pub struct PostcodeDirectory {
    records: Vec<PostcodeRecord>,
    index: HashMap<String, usize>,
    /// Each district once, by GSS code: records share these.
    districts: HashMap<String, Arc<District>>,
}

impl PostcodeDirectory {
    /// Loads a directory CSV (`postcode,easting,northing,district,status`, optional
    /// `district_name`; may be gzipped).
    pub fn from_csv(path: &Path) -> Result<Self> {
        Self::from_reader(path, open(path)?)
    }

    /// Reads a directory CSV from any reader; `source` names it in errors.
    pub fn from_reader(source: &Path, reader: impl std::io::Read) -> Result<Self> {
        let path = source;
        let mut t = Table::from_reader(source, reader)?;
        let c_pc = t.column("postcode")?;
        let c_e = t.column("easting")?;
        let c_n = t.column("northing")?;
        let c_d = t.column("district")?;
        let c_dn = t.optional_column("district_name");
        let c_s = t.column("status")?;
        let mut dir = Self::default();
        let mut lines: Vec<u64> = Vec::new();
        while let Some(row) = t.next_row()? {
            let postcode = normalise(row.str(c_pc)).map_err(|e| row.error(c_pc, e.to_string()))?;
            let point = match (row.opt_finite(Some(c_e))?, row.opt_finite(Some(c_n))?) {
                (Some(x), Some(y)) => Some(Xy::new(x, y)),
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
                district: match (row.str(c_d), row.opt_str(c_dn).unwrap_or("")) {
                    ("", "") => None,
                    // One shared value per district, not two strings per postcode.
                    (code, name) => Some(
                        dir.districts
                            .entry(code.to_string())
                            .or_insert_with(|| Arc::new(District::new(code, name)))
                            .clone(),
                    ),
                },
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
    /// The name of the district with GSS code `code`, if the directory names it.
    pub fn district_name(&self, code: &str) -> Option<&str> {
        self.districts
            .get(code)
            .map(|d| d.name.as_str())
            .filter(|n| !n.is_empty())
    }

    /// Every record, in file order (sorted by postcode in the bundled file).
    pub fn records(&self) -> &[PostcodeRecord] {
        &self.records
    }

    /// Every postcode as an origin: id = postcode, weight 1, its district, no name (kept empty
    /// to save memory on large sets). With `district` (a GSS code or a name), only that
    /// district's postcodes. Postcodes without coordinates are *rejected* with the reason; `lines`
    /// holds each origin's record number (1-based) in the directory.
    pub fn origins(&self, district: Option<&str>) -> LoadedOrigins {
        let mut out = LoadedOrigins::default();
        let shown: HashMap<&str, Arc<str>> = self
            .districts
            .iter()
            .map(|(code, d)| (code.as_str(), Arc::from(d.to_string())))
            .collect();
        for (i, r) in self.records.iter().enumerate() {
            if let Some(d) = district
                && !r
                    .district
                    .as_ref()
                    .is_some_and(|x| x.code == d || x.name == d)
            {
                continue;
            }
            match r.point {
                Some(point) => {
                    let mut o = Origin::new(r.postcode.clone(), point);
                    if let Some(d) = &r.district {
                        o.groups.insert("district", shown[d.code.as_str()].clone());
                    }
                    out.origins.push(o);
                    out.lines.push(i as u64 + 1);
                }
                None => out.rejected.push(Rejected {
                    line: i as u64 + 1,
                    id: r.postcode.clone(),
                    reason: PostcodeError::NoCoordinates(r.postcode.clone()).to_string(),
                }),
            }
        }
        out
    }

    /// Looks up a postcode in any spacing and case. A malformed or unknown postcode that is one
    /// look-alike character (O/0, I/1, L/1, S/5, Z/2, B/8) away from a directory postcode with
    /// coordinates comes back with that postcode as a suggestion.
    ///
    /// ```
    /// use travel_impact::uk::PostcodeDirectory;
    /// let dir = PostcodeDirectory::from_csv("data/postcodes.csv.gz".as_ref()).unwrap();
    /// let e = dir.lookup("HP2O 1UU").unwrap_err();
    /// assert_eq!(e.to_string(), "HP2O 1UU is not in the postcode directory (did you mean HP20 1UU?)");
    /// ```
    pub fn lookup(&self, raw: &str) -> Result<&PostcodeRecord, PostcodeError> {
        let pc = match normalise(raw) {
            Ok(pc) => pc,
            Err(PostcodeError::Malformed { raw, .. }) => {
                let suggestion = self.suggest(&raw);
                return Err(PostcodeError::Malformed { raw, suggestion });
            }
            Err(e) => return Err(e),
        };
        match self.index.get(&pc) {
            Some(&i) => Ok(&self.records[i]),
            None => Err(PostcodeError::Unknown {
                suggestion: self.suggest(&pc),
                postcode: pc,
            }),
        }
    }

    /// The first directory postcode with coordinates (in character order) that differs from `raw`
    /// in exactly one look-alike character.
    /// When `raw` has a space, the suggestion keeps the outward code's length before it (so "HP19
    /// 8F", a postcode missing a character, is not "corrected" into a different district).
    fn suggest(&self, raw: &str) -> Option<String> {
        let raw = raw.trim();
        let outward_len = raw
            .find(char::is_whitespace)
            .map(|i| raw[..i].chars().count());
        let chars: Vec<char> = raw.to_ascii_uppercase().chars().collect();
        let mut found: Vec<String> = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            for &(a, b) in &LOOKALIKES {
                let swap = if c == a {
                    b
                } else if c == b {
                    a
                } else {
                    continue;
                };
                let mut v = chars.clone();
                v[i] = swap;
                let candidate: String = v.into_iter().collect();
                if let Ok(pc) = normalise(&candidate)
                    && outward_len.is_none_or(|n| pc.find(' ') == Some(n))
                    && self
                        .index
                        .get(&pc)
                        .is_some_and(|&k| self.records[k].point.is_some())
                {
                    found.push(pc);
                }
            }
        }
        found.sort();
        found.into_iter().next()
    }

    /// Looks up a postcode and returns its point; terminated postcodes are still located
    /// (check `record.status`).
    pub fn locate(&self, raw: &str) -> Result<PostcodeLocated<'_>, PostcodeError> {
        let record = self.lookup(raw)?;
        match record.point {
            Some(point) => Ok(PostcodeLocated { record, point }),
            None => Err(PostcodeError::NoCoordinates(record.postcode.clone())),
        }
    }
}

impl Geocoder for PostcodeDirectory {
    fn column(&self) -> &str {
        "postcode"
    }

    /// A postcode's point (British National Grid) and district; a postcode that is no longer live
    /// is still placed, with a note.
    fn geocode(&self, query: &str) -> Result<Geocoded, String> {
        let found = self.locate(query).map_err(|e| e.to_string())?;
        let record = found.record;
        Ok(Geocoded {
            point: found.point,
            crs: Crs::BritishNationalGrid,
            note: (record.status != PostcodeStatus::Live).then(|| {
                format!(
                    "postcode {} is {}; located from the ONS NSPD",
                    record.postcode, record.status
                )
            }),
            groups: record
                .district
                .iter()
                .map(|d| ("district".to_string(), d.to_string()))
                .collect(),
            label: record.postcode.clone(),
        })
    }

    /// A `district` given as a GSS code or a name, shown as "Name (code)" when the directory
    /// knows the code.
    fn group_value(&self, key: &str, value: &str) -> Option<String> {
        if key != "district" {
            return None;
        }
        let mut d = District::parse(value);
        if d.name.is_empty() {
            d.name = self.district_name(&d.code).unwrap_or_default().to_string();
        }
        Some(d.to_string())
    }
}
