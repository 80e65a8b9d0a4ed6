//! CSV reading shared by every loader: gzip, BOM, header lookup and errors with file, line and field.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::{Error, Result};

/// Opens `path` for reading, transparently decompressing `*.gz`.
pub(crate) fn open(path: &Path) -> Result<Box<dyn Read>> {
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let reader = BufReader::with_capacity(1 << 16, file);
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::GzDecoder::new(reader),
        )))
    } else {
        Ok(Box::new(reader))
    }
}

/// A CSV file with a header row, read record by record.
///
/// Parsing is csv-core's (RFC 4180: quotes, embedded commas and newlines, CRLF, a UTF-8 BOM,
/// blank lines skipped). Line numbers are counted here from the bytes themselves, because the
/// `csv` crate's own positions drift after blank lines and CRLF endings; every error must point at
/// the right line.
pub(crate) struct Table {
    path: PathBuf,
    header: csv::StringRecord,
    data: Vec<u8>,
    pos: usize,
    scanned: usize,
    newlines: u64,
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    record: csv::StringRecord,
}

impl Table {
    /// Reads headed CSV from any reader (all of it, into memory); `path` is only used in messages.
    pub(crate) fn from_reader(path: &Path, mut input: impl Read) -> Result<Self> {
        let mut data = Vec::new();
        input.read_to_end(&mut data).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut t = Self {
            path: path.to_path_buf(),
            header: csv::StringRecord::new(),
            data,
            pos: 0,
            scanned: 0,
            newlines: 0,
            core: csv_core::Reader::new(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            record: csv::StringRecord::new(),
        };
        match t.read_record()? {
            Some(_) if !(t.record.len() == 1 && t.record[0].trim().is_empty()) => {
                t.header = t.record.clone();
                Ok(t)
            }
            _ => Err(Error::Empty {
                path: path.to_path_buf(),
                what: "no header row",
            }),
        }
    }

    /// Parses the next record into `self.record`; returns the line it starts on.
    fn read_record(&mut self) -> Result<Option<u64>> {
        use csv_core::ReadRecordResult::*;
        let start = self.pos;
        let (mut outlen, mut endlen) = (0, 0);
        loop {
            let (res, nin, nout, nend) = self.core.read_record(
                &self.data[self.pos..],
                &mut self.out[outlen..],
                &mut self.ends[endlen..],
            );
            self.pos += nin;
            outlen += nout;
            endlen += nend;
            match res {
                InputEmpty => continue,
                OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                End => return Ok(None),
                Record => break,
            }
        }
        // The record starts at the first byte after `start` that is not a BOM or a line ending.
        let mut first = start;
        if first == 0 && self.data.starts_with(b"\xEF\xBB\xBF") {
            first = 3;
        }
        while first < self.pos && matches!(self.data[first], b'\r' | b'\n') {
            first += 1;
        }
        // Line breaks as the CSV parser sees them: \n, \r\n (one break) or a lone \r.
        for i in self.scanned..first {
            let b = self.data[i];
            if b == b'\n' || (b == b'\r' && self.data.get(i + 1) != Some(&b'\n')) {
                self.newlines += 1;
            }
        }
        self.scanned = first;
        let line = self.newlines + 1;
        self.record.clear();
        let mut from = 0;
        for (i, &end) in self.ends[..endlen].iter().enumerate() {
            let field = std::str::from_utf8(&self.out[from..end]).map_err(|_| Error::Csv {
                path: self.path.clone(),
                line,
                message: format!("invalid UTF-8 in field {}", i + 1),
            })?;
            self.record.push_field(field);
            from = end;
        }
        Ok(Some(line))
    }

    /// Index of a required column (names are matched after trimming spaces).
    pub(crate) fn column(&self, name: &str) -> Result<usize> {
        self.optional_column(name)
            .ok_or_else(|| Error::MissingColumn {
                path: self.path.clone(),
                column: name.to_string(),
                header: self.header.iter().collect::<Vec<_>>().join(","),
            })
    }

    /// Index of a column that may be absent.
    pub(crate) fn optional_column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h.trim() == name)
    }

    /// Errors if a file has one column of a pair but not the other (e.g. `northing` without
    /// `easting`): such a file cannot be read as its author meant.
    pub(crate) fn require_pairs(&self, pairs: &[(&str, &str)]) -> Result<()> {
        for &(a, b) in pairs {
            match (self.optional_column(a), self.optional_column(b)) {
                (Some(_), None) => return self.column(b).map(|_| ()),
                (None, Some(_)) => return self.column(a).map(|_| ()),
                _ => {}
            }
        }
        Ok(())
    }

    /// Column names, in order.
    pub(crate) fn header(&self) -> &csv::StringRecord {
        &self.header
    }

    /// Next data row, or `None` at the end. Blank lines are skipped; a row with a different number
    /// of fields than the header is an error.
    pub(crate) fn next_row(&mut self) -> Result<Option<Row<'_>>> {
        let Some(line) = self.read_record()? else {
            return Ok(None);
        };
        if self.record.len() != self.header.len() {
            return Err(Error::Csv {
                path: self.path.clone(),
                line,
                message: format!(
                    "row has {} fields, header has {}",
                    self.record.len(),
                    self.header.len()
                ),
            });
        }
        Ok(Some(Row {
            path: &self.path,
            header: &self.header,
            line,
            record: &self.record,
        }))
    }
}

/// One data row, with typed accessors that report the file, line and field on failure.
pub(crate) struct Row<'a> {
    path: &'a Path,
    header: &'a csv::StringRecord,
    line: u64,
    record: &'a csv::StringRecord,
}

impl<'a> Row<'a> {
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// Trimmed text of column `i`.
    pub(crate) fn str(&self, i: usize) -> &'a str {
        self.record.get(i).unwrap_or("").trim()
    }

    /// Text of an optional column; `None` when the column is absent or the cell is empty.
    pub(crate) fn opt_str(&self, i: Option<usize>) -> Option<&'a str> {
        i.map(|i| self.str(i)).filter(|s| !s.is_empty())
    }

    /// An error about column `i` of this row.
    pub(crate) fn error(&self, i: usize, message: impl Into<String>) -> Error {
        Error::Field {
            path: self.path.to_path_buf(),
            line: self.line,
            field: self.header.get(i).unwrap_or("?").trim().to_string(),
            message: message.into(),
        }
    }

    /// Parses a required, non-empty cell.
    pub(crate) fn parse<T: FromStr>(&self, i: usize, what: &str) -> Result<T> {
        let s = self.str(i);
        if s.is_empty() {
            return Err(self.error(i, format!("empty, expected {what}")));
        }
        s.parse()
            .map_err(|_| self.error(i, format!("`{s}` is not {what}")))
    }

    /// A finite number.
    pub(crate) fn finite(&self, i: usize) -> Result<f64> {
        let v: f64 = self.parse(i, "a number")?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(self.error(i, format!("`{}` is not a finite number", self.str(i))))
        }
    }

    /// An optional finite number.
    pub(crate) fn opt_finite(&self, i: Option<usize>) -> Result<Option<f64>> {
        match i {
            Some(i) if !self.str(i).is_empty() => self.finite(i).map(Some),
            _ => Ok(None),
        }
    }

    /// A 0/1 (or true/false, yes/no) flag.
    pub(crate) fn flag(&self, i: usize) -> Result<bool> {
        match self.str(i).to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "y" => Ok(true),
            "0" | "false" | "no" | "n" => Ok(false),
            other => Err(self.error(i, format!("`{other}` is not a 0/1 flag"))),
        }
    }
}
