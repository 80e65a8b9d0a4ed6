//! CSV reading shared by every loader: gzip, BOM, header lookup and errors with file, line and field.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::{Error, Result};

/// Opens `path` for reading, transparently decompressing `*.gz`.
pub(crate) fn open(path: &Path) -> Result<Box<dyn Read + Send>> {
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

/// The size of `path`'s contents once read: a gzip file's own record of it (the last four bytes,
/// modulo 4 GiB), else the file's length. A hint for a buffer's capacity, never trusted for more.
pub(crate) fn size_hint(path: &Path) -> usize {
    use std::io::{Seek, SeekFrom};
    let read = || -> std::io::Result<usize> {
        let mut f = File::open(path)?;
        let len = f.metadata()?.len();
        if path.extension().is_some_and(|e| e == "gz") && len >= 18 {
            let mut trailer = [0u8; 4];
            f.seek(SeekFrom::End(-4))?;
            f.read_exact(&mut trailer)?;
            // Deflate expands at most 1032-fold; a trailer claiming more is not believed.
            Ok((u32::from_le_bytes(trailer) as u64)
                .min(len * 1032)
                .min(1 << 30) as usize)
        } else {
            Ok(len.min(1 << 30) as usize)
        }
    };
    read().unwrap_or(0)
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
    /// Lines with nothing on them after the header, in order (see [`Table::blank_lines`]).
    blank: Vec<u64>,
}

impl Table {
    /// Reads headed CSV from any reader (all of it, into memory); `path` is only used in messages.
    pub(crate) fn from_reader(path: &Path, input: impl Read) -> Result<Self> {
        Self::from_reader_into(path, input, Vec::new())
    }

    /// [`Table::from_reader`] into `data` (empty; its capacity is kept, so a buffer sized in
    /// one thread and filled in another stays in the first thread's allocator arena).
    pub(crate) fn from_reader_into(
        path: &Path,
        mut input: impl Read,
        mut data: Vec<u8>,
    ) -> Result<Self> {
        debug_assert!(data.is_empty());
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
            blank: Vec::new(),
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
                End => {
                    // Blank lines at the end of the file are lines too.
                    self.count_lines(start, self.data.len());
                    return Ok(None);
                }
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
        self.count_lines(start, first);
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

    /// Counts line breaks from where the last count stopped up to `to`, as the CSV parser sees
    /// them: \n, \r\n (one break) or a lone \r. Breaks in the gap between records (from
    /// `gap`) other than the previous record's own terminator end blank lines: once the header is
    /// read, their line numbers are kept.
    fn count_lines(&mut self, gap: usize, to: usize) {
        // Was the previous record's terminator consumed with it (it ends before the gap)?
        let before = gap.checked_sub(1).map(|i| self.data[i]);
        let mut terminator_pending = !(before == Some(b'\n')
            || (before == Some(b'\r') && self.data.get(gap) != Some(&b'\n')))
            && gap > 0;
        for i in self.scanned..to {
            let b = self.data[i];
            if b == b'\n' || (b == b'\r' && self.data.get(i + 1) != Some(&b'\n')) {
                self.newlines += 1;
                if i >= gap {
                    if terminator_pending {
                        terminator_pending = false;
                    } else if !self.header.is_empty() {
                        self.blank.push(self.newlines);
                    }
                }
            }
        }
        self.scanned = self.scanned.max(to);
    }

    /// The file these rows come from.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Line numbers of the blank lines read so far after the header (the CSV parser skips them;
    /// a loader that accounts for every line reports them).
    pub(crate) fn blank_lines(&self) -> &[u64] {
        &self.blank
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

    /// Errors on a column that is one of `names` written with other capitals or spacing (e.g.
    /// `Weight` for `weight`): read as an extra column it would silently change the results.
    pub(crate) fn reject_near_misses(&self, names: &[&str]) -> Result<()> {
        for h in self.header.iter() {
            if let Some(n) = names
                .iter()
                .find(|n| h.trim() != **n && h.trim().eq_ignore_ascii_case(n))
            {
                return Err(Error::Field {
                    path: self.path.clone(),
                    line: 1,
                    field: h.to_string(),
                    message: format!(
                        "column names are exact: did you mean `{n}`? Rename the column to `{n}`"
                    ),
                });
            }
        }
        Ok(())
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

    /// Every column not in `known`, as (index, trimmed name): the extra columns a loader keeps.
    pub(crate) fn other_columns(&self, known: &[Option<usize>]) -> Vec<(usize, &str)> {
        self.header
            .iter()
            .enumerate()
            .filter(|(i, _)| !known.contains(&Some(*i)))
            .map(|(i, h)| (i, h.trim()))
            .collect()
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
            blank: &self.blank,
        }))
    }
}

/// One data row, with typed accessors that report the file, line and field on failure.
pub(crate) struct Row<'a> {
    path: &'a Path,
    header: &'a csv::StringRecord,
    line: u64,
    record: &'a csv::StringRecord,
    blank: &'a [u64],
}

impl<'a> Row<'a> {
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// The blank lines of the file up to this row (see [`Table::blank_lines`]).
    pub(crate) fn blank_lines(&self) -> &'a [u64] {
        self.blank
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_hint_is_the_unzipped_size() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let gz = dir.join("roads/edges.csv.gz");
        let mut unzipped = Vec::new();
        open(&gz).unwrap().read_to_end(&mut unzipped).unwrap();
        assert_eq!(size_hint(&gz), unzipped.len());
        let plain = dir.join("facilities.csv");
        assert_eq!(
            size_hint(&plain) as u64,
            std::fs::metadata(&plain).unwrap().len()
        );
        assert_eq!(size_hint(&dir.join("no_such_file.csv")), 0);
    }

    /// (data row lines, blank lines) of a headed CSV text.
    fn lines(text: &str) -> (Vec<u64>, Vec<u64>) {
        let mut t = Table::from_reader(Path::new("t.csv"), text.as_bytes()).unwrap();
        let mut rows = Vec::new();
        while let Some(r) = t.next_row().unwrap() {
            rows.push(r.line());
        }
        (rows, t.blank_lines().to_vec())
    }

    #[test]
    fn blank_lines_are_found_with_any_line_ending() {
        assert_eq!(lines("h\na\n\nb\n"), (vec![2, 4], vec![3]));
        assert_eq!(lines("h\r\na\r\n\r\nb\r\n"), (vec![2, 4], vec![3]));
        assert_eq!(lines("h\ra\r\rb"), (vec![2, 4], vec![3]));
        assert_eq!(lines("h\n\na\n"), (vec![3], vec![2]));
        assert_eq!(lines("h\na\n\n"), (vec![2], vec![3]));
        assert_eq!(lines("h\r\na\r\n\r\n\r\n"), (vec![2], vec![3, 4]));
        assert_eq!(lines("h\na\n"), (vec![2], vec![]));
        assert_eq!(lines("h\na"), (vec![2], vec![]));
        assert_eq!(lines("\n\nh\na\n"), (vec![4], vec![]));
        // A quoted field with an empty line inside is one record, not a blank line.
        assert_eq!(lines("h\n\"x\n\ny\"\nb\n"), (vec![2, 5], vec![]));
    }
}
