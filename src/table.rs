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
pub(crate) struct Table<'r> {
    path: PathBuf,
    header: csv::StringRecord,
    reader: csv::Reader<Box<dyn Read + 'r>>,
    record: csv::StringRecord,
}

impl<'r> Table<'r> {
    /// Reads headed CSV from any reader; `path` is only used in messages.
    pub(crate) fn from_reader(path: &Path, input: Box<dyn Read + 'r>) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(input);
        let header = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
        if header.is_empty() || (header.len() == 1 && header[0].trim().is_empty()) {
            return Err(Error::Empty {
                path: path.to_path_buf(),
                what: "no header row",
            });
        }
        Ok(Self {
            path: path.to_path_buf(),
            header,
            reader,
            record: csv::StringRecord::new(),
        })
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

    /// Column names, in order.
    pub(crate) fn header(&self) -> &csv::StringRecord {
        &self.header
    }

    /// Next data row, or `None` at the end. Rows whose fields are all empty (blank lines) are skipped
    /// by the CSV reader itself, so they never reach a loader.
    pub(crate) fn next_row(&mut self) -> Result<Option<Row<'_>>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                Ok(Some(Row {
                    path: &self.path,
                    header: &self.header,
                    line,
                    record: &self.record,
                }))
            }
            Err(e) => Err(csv_error(&self.path, &e)),
        }
    }
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {}", err.field() + 1),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("row has {len} fields, header has {expected_len}"),
        csv::ErrorKind::Io(err) => format!("read error: {err}"),
        _ => e.to_string(),
    };
    Error::Csv {
        path: path.to_path_buf(),
        line,
        message,
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
