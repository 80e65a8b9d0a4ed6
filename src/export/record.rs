//! One output record per input row, shared by the CSV and GeoJSON writers so both say the same.

use std::path::Path;

use crate::analysis::Impact;
use crate::engine::{Outcome, Unreachable};
use crate::error::{Error, Result};
use crate::export::fixed::write_fixed;
use crate::geom::{Crs, LonLat};
use crate::load::origin::fingerprint;
use crate::load::{LoadedOrigins, Rejected};

/// A cell of a record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    /// A number written with the given decimals.
    Num(f64, usize),
    Bool(bool),
    Empty,
}

impl Cell {
    /// The cell's CSV text (tests; the writer appends it with [`Cell::csv_into`]).
    #[cfg(test)]
    pub(crate) fn csv(&self) -> String {
        let mut out = Vec::new();
        self.csv_into(&mut out);
        String::from_utf8(out).expect("cells are text")
    }
    /// The cell's CSV text appended to `out`: metres and seconds with their decimals, empty
    /// where there is no value.
    fn csv_into(&self, out: &mut Vec<u8>) {
        match self {
            Cell::Text(s) => out.extend_from_slice(s.as_bytes()),
            Cell::Num(x, d) if x.is_finite() => write_fixed(out, *x, *d),
            Cell::Num(..) | Cell::Empty => {}
            Cell::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        }
    }
    /// The cell as a JSON value: what [`FeatureOut`] writes it as (tests compare the two).
    #[cfg(test)]
    pub(crate) fn json(&self) -> serde_json::Value {
        match self {
            Cell::Text(s) => s.clone().into(),
            Cell::Num(x, d) if x.is_finite() => {
                let p = 10f64.powi(*d as i32);
                ((x * p).round() / p).into()
            }
            Cell::Num(..) | Cell::Empty => serde_json::Value::Null,
            Cell::Bool(b) => (*b).into(),
        }
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}
fn opt(x: Option<f64>, d: usize) -> Cell {
    x.map_or(Cell::Empty, |x| Cell::Num(x, d))
}

/// A row's status word and reason sentence.
pub(crate) fn status(o: &Outcome) -> (&'static str, String) {
    match o {
        Ok(_) => ("reached", String::new()),
        Err(e @ Unreachable::Rejected(_)) => ("rejected", e.to_string()),
        Err(e @ Unreachable::NotSnapped(_)) => ("not_snapped", e.to_string()),
        Err(e) => ("unreachable", e.to_string()),
    }
}

/// A record: its point (lon/lat) if it has one, and its cells in column order.
pub(crate) struct Record {
    pub(crate) at: Option<LonLat>,
    pub(crate) cells: Vec<Cell>,
}

/// Row `k` of an output, made on any thread.
type RowFn<'a> = Box<dyn Fn(usize) -> Record + Sync + 'a>;

/// Rows of one output, with the input's rejected rows interleaved by line: row `k` of `len` is
/// `row(k)`, made on whichever thread writes it. A million-row output is made and formatted in
/// parallel pieces, written in order, and never holds a million records.
pub(crate) struct Records<'a> {
    pub(crate) columns: Vec<String>,
    pub(crate) len: usize,
    pub(crate) row: RowFn<'a>,
}

impl<'a> Records<'a> {
    /// Records of rows made beforehand (the small tables).
    pub(crate) fn of_rows(columns: Vec<String>, rows: Vec<Vec<Cell>>) -> Self {
        Self {
            columns,
            len: rows.len(),
            row: Box::new(move |k| Record {
                at: None,
                cells: rows[k].clone(),
            }),
        }
    }
}

/// The group keys of the origins, in order of first appearance.
fn group_keys(impact: &Impact<'_>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for o in impact.origins {
        for (k, _) in o.groups.iter() {
            if !keys.iter().any(|x| x == k) {
                keys.push(k.to_string());
            }
        }
    }
    keys
}

/// The rows of an output: the `n` accepted ones (`accepted(i)`, in `Impact::origins` order)
/// with `loaded`'s rejected rows (`reject(r)`) interleaved by line, as (count, row `k`).
fn interleave<'a>(
    n: usize,
    accepted: impl Fn(usize) -> Record + Sync + 'a,
    loaded: Option<&'a LoadedOrigins>,
    reject: impl Fn(&Rejected) -> Record + Sync + 'a,
) -> Result<(usize, RowFn<'a>)> {
    let Some(l) = loaded else {
        return Ok((n, Box::new(accepted)));
    };
    if l.lines.len() != n {
        return Err(Error::InvalidOption {
            option: "origins",
            message: format!(
                "the loaded origins ({}) are not the origins of this result ({n})",
                l.lines.len(),
            ),
        });
    }
    // Row k's source: accepted row i as i, rejected row j as n + j. A rejected row comes first
    // while its line is before the next accepted one.
    let (rejected, total) = (&l.rejected, n + l.rejected.len());
    let mut slots = Vec::with_capacity(total);
    let (mut i, mut j) = (0, 0);
    while i < n || j < rejected.len() {
        if j < rejected.len() && (i == n || rejected[j].line < l.lines[i]) {
            slots.push(n + j);
            j += 1;
        } else {
            slots.push(i);
            i += 1;
        }
    }
    Ok((
        total,
        Box::new(move |k| match slots[k] {
            i if i < n => accepted(i),
            j => reject(&rejected[j - n]),
        }),
    ))
}

/// Every origin's before and after (see [`crate::export::write_impact_csv`] for the columns).
pub(crate) fn impact_records<'a>(
    impact: &'a Impact<'_>,
    crs: Crs,
    loaded: Option<&'a LoadedOrigins>,
) -> Result<Records<'a>> {
    let groups = group_keys(impact);
    let mut columns: Vec<String> = [
        "origin_id",
        "name",
        "line",
        "easting",
        "northing",
        "lon",
        "lat",
        "weight",
    ]
    .map(String::from)
    .to_vec();
    columns.extend(groups.iter().cloned());
    columns.extend(
        [
            "before_facility",
            "before_name",
            "before_m",
            "before_s",
            "after_facility",
            "after_name",
            "after_m",
            "after_s",
            "change_m",
            "change_s",
            "access_m",
            "closed",
            "circuity_before",
            "circuity_after",
            "gap_flag",
            "status",
            "reason",
        ]
        .map(String::from),
    );
    let name_of = |side: &crate::Outcomes, o: &Outcome| -> String {
        o.ok().map_or(String::new(), |a| {
            side.placed().scenario.facility(a.facility).name.clone()
        })
    };
    let accepted = move |i: usize| {
        let r = impact.row(i);
        let o = &impact.origins[i];
        let finite = o.point.x_m.is_finite() && o.point.y_m.is_finite();
        let ll = finite.then(|| crs.inverse(o.point));
        let mut cells = vec![
            text(o.id.as_str()),
            text(o.name()),
            loaded.map_or(Cell::Empty, |l| Cell::Num(l.lines[i] as f64, 0)),
            Cell::Num(o.point.x_m, 1),
            Cell::Num(o.point.y_m, 1),
            opt(ll.map(|p| p.lon_deg), 6),
            opt(ll.map(|p| p.lat_deg), 6),
            Cell::Num(o.weight, 3),
        ];
        cells.extend(groups.iter().map(|k| o.group(k).map_or(Cell::Empty, text)));
        let (bs, br) = status(&r.before);
        let (as_, ar) = status(&r.after);
        let (st, reason) = match (bs, as_) {
            ("reached", "reached") => ("reached", String::new()),
            ("reached", _) => (as_, format!("after: {ar}")),
            _ => (bs, format!("before: {br}")),
        };
        cells.extend([
            impact.before_facility(&r).map_or(Cell::Empty, text),
            text(name_of(&impact.before, &r.before)),
            opt(r.before.ok().map(|a| a.distance_m), 1),
            opt(r.before.ok().map(|a| a.time_s), 1),
            impact.after_facility(&r).map_or(Cell::Empty, text),
            text(name_of(&impact.after, &r.after)),
            opt(r.after.ok().map(|a| a.distance_m), 1),
            opt(r.after.ok().map(|a| a.time_s), 1),
            opt(r.change_m(), 1),
            opt(r.change_s(), 1),
            opt(r.access_m, 1),
            Cell::Bool(r.closed),
            opt(r.before_circuity.map(|c| c.ratio), 2),
            opt(r.after_circuity.map(|c| c.ratio), 2),
            Cell::Bool(r.gap_flagged()),
            text(st),
            text(reason),
        ]);
        Record { at: ll, cells }
    };
    let n = columns.len();
    let (len, row) = interleave(impact.len(), accepted, loaded, move |r| {
        rejected_record(r, n, 2)
    })?;
    Ok(Records { columns, len, row })
}

/// A row rejected at load: id, line, then empty cells, then `rejected` and the reason.
fn rejected_record(r: &Rejected, columns: usize, line_column: usize) -> Record {
    let mut cells = vec![Cell::Empty; columns];
    cells[0] = text(r.id.as_str());
    cells[line_column] = Cell::Num(r.line as f64, 0);
    cells[columns - 2] = text("rejected");
    cells[columns - 1] = text(format!("line {}: {}", r.line, r.reason));
    Record { at: None, cells }
}

/// Every origin's nearest facility in one scenario (see [`crate::export::write_nearest_csv`]).
pub(crate) fn nearest_records<'a>(
    outcomes: &'a crate::Outcomes,
    snaps: &'a crate::Snaps,
    origins: &'a [crate::Origin],
    crs: Crs,
    loaded: Option<&'a LoadedOrigins>,
) -> Result<Records<'a>> {
    // Rows pair each origin with its outcome and snap: all three must be of the same origins.
    if outcomes.len() != origins.len() {
        return Err(Error::InvalidOption {
            option: "outcomes",
            message: format!("{} outcomes for {} origins", outcomes.len(), origins.len()),
        });
    }
    outcomes.check_origins(fingerprint(origins), "the outcomes")?;
    outcomes.check_snaps(snaps, "the outcomes")?;
    let columns: Vec<String> = [
        "origin_id",
        "name",
        "line",
        "lon",
        "lat",
        "weight",
        "facility_id",
        "facility_name",
        "distance_m",
        "time_s",
        "access_m",
        "status",
        "reason",
    ]
    .map(String::from)
    .to_vec();
    let accepted = move |i: usize| {
        let o = &origins[i];
        let finite = o.point.x_m.is_finite() && o.point.y_m.is_finite();
        let ll = finite.then(|| crs.inverse(o.point));
        let out = outcomes.get(i);
        let f = out
            .ok()
            .map(|a| outcomes.placed().scenario.facility(a.facility));
        let (st, reason) = status(&out);
        Record {
            at: ll,
            cells: vec![
                text(o.id.as_str()),
                text(o.name()),
                loaded.map_or(Cell::Empty, |l| Cell::Num(l.lines[i] as f64, 0)),
                opt(ll.map(|p| p.lon_deg), 6),
                opt(ll.map(|p| p.lat_deg), 6),
                Cell::Num(o.weight, 3),
                f.map_or(Cell::Empty, |f| text(f.id.as_str())),
                f.map_or(Cell::Empty, |f| text(f.name.as_str())),
                opt(out.ok().map(|a| a.distance_m), 1),
                opt(out.ok().map(|a| a.time_s), 1),
                opt(snaps.access_m(i), 1),
                text(st),
                text(reason),
            ],
        }
    };
    let n = columns.len();
    let (len, row) = interleave(outcomes.len(), accepted, loaded, move |r| {
        rejected_record(r, n, 2)
    })?;
    Ok(Records { columns, len, row })
}

/// Rows a piece: made and formatted on one thread, a few MB of text at most.
const PIECE: usize = 1 << 12;

/// Writes the text of `records`' rows to `out` in order: `piece(rows)` makes the text of each
/// piece of consecutive rows, pieces made in parallel a few at a time (so the text in memory
/// stays a few pieces' worth), the next few made while this thread writes the last (copying a
/// million GeoJSON features into the page cache was a fifth of the work). Formatting a row (its
/// lon/lat projected back, numbers written) takes longer than writing its bytes.
fn write_pieces(
    records: &Records<'_>,
    out: &mut impl std::io::Write,
    name: &Path,
    piece: impl Fn(std::ops::Range<usize>) -> Result<Vec<u8>> + Sync,
) -> Result<()> {
    use rayon::prelude::*;
    let pieces: Vec<_> = (0..records.len)
        .step_by(PIECE)
        .map(|lo| lo..(lo + PIECE).min(records.len))
        .collect();
    let mut batches = pieces.chunks(2 * rayon::current_num_threads().max(1));
    let mut ready: Vec<Result<Vec<u8>>> = Vec::new();
    loop {
        let batch = batches.next();
        let mut next = Vec::new();
        // On this thread (`out` need not be sendable), while the pool makes the next batch.
        let written = rayon::in_place_scope(|s| {
            if let Some(batch) = batch {
                s.spawn(|_| next = batch.par_iter().cloned().map(&piece).collect());
            }
            ready.drain(..).try_for_each(|text| {
                out.write_all(&text?).map_err(|e| Error::Write {
                    path: name.to_path_buf(),
                    message: e.to_string(),
                })
            })
        });
        written?;
        if batch.is_none() {
            return Ok(());
        }
        ready = next;
    }
}

/// Writes records as CSV.
pub(crate) fn write_records_csv(
    records: Records<'_>,
    mut out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    let err = |e: csv::Error| Error::Write {
        path: name.to_path_buf(),
        message: e.to_string(),
    };
    let mut head = csv::Writer::from_writer(&mut out);
    head.write_record(&records.columns).map_err(err)?;
    head.flush().map_err(|e| err(e.into()))?;
    drop(head);
    let columns = records.columns.len();
    // Each piece through a writer of its own, configured as the header's: the same bytes as
    // one writer for the whole file.
    write_pieces(&records, &mut out, name, |rows| {
        let mut w = csv::Writer::from_writer(Vec::new());
        // A row's fields side by side in one buffer, reused from row to row.
        let (mut text, mut ends) = (Vec::new(), Vec::new());
        for k in rows {
            let r = (records.row)(k);
            if r.cells.len() != columns {
                return Err(Error::Write {
                    path: name.to_path_buf(),
                    message: format!("row {k} has {} fields, the header {columns}", r.cells.len()),
                });
            }
            text.clear();
            ends.clear();
            for c in &r.cells {
                c.csv_into(&mut text);
                ends.push(text.len());
            }
            let fields = ends.iter().scan(0, |start, &end| {
                let field = &text[*start..end];
                *start = end;
                Some(field)
            });
            w.write_record(fields).map_err(err)?;
        }
        w.into_inner().map_err(|e| err(e.into_error().into()))
    })?;
    out.flush().map_err(|e| err(e.into()))
}

/// Writes records as a GeoJSON FeatureCollection of points (longitude, latitude); a row without
/// a point has `"geometry": null`.
pub(crate) fn write_records_geojson(
    records: Records<'_>,
    mut out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    let err = |e: std::io::Error| Error::Write {
        path: name.to_path_buf(),
        message: e.to_string(),
    };
    // A FeatureCollection written feature by feature: the empty collection's own text, with the
    // features streamed between its brackets.
    let empty = serde_json::to_string(&geojson::FeatureCollection {
        bbox: None,
        features: Vec::new(),
        foreign_members: None,
    })
    .map_err(|e| err(e.into()))?;
    let (head, tail) = empty
        .split_once("[]")
        .expect("an empty feature list is written as []");
    out.write_all(head.as_bytes()).map_err(err)?;
    out.write_all(b"[").map_err(err)?;
    let keys = property_keys(&records.columns);
    write_pieces(&records, &mut out, name, |rows| {
        let mut text = Vec::new();
        for k in rows {
            let r = (records.row)(k);
            if k > 0 {
                text.push(b',');
            }
            let feature = FeatureOut {
                at: r.at,
                keys: &keys,
                cells: &r.cells,
            };
            serde_json::to_writer(&mut text, &feature).map_err(|e| err(e.into()))?;
        }
        Ok(text)
    })?;
    out.write_all(b"]").map_err(err)?;
    out.write_all(tail.as_bytes()).map_err(err)?;
    out.write_all(b"\n").map_err(err)?;
    out.flush().map_err(err)
}

/// The properties of a feature, as (column, key) in the order a `serde_json::Map` (sorted by
/// key) writes them, a repeated key's last column only (a map keeps the last value inserted);
/// `lon` and `lat` are the geometry, not properties.
fn property_keys(columns: &[String]) -> Vec<(usize, &str)> {
    let mut keys: Vec<(usize, &str)> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !matches!(c.as_str(), "lon" | "lat"))
        .map(|(i, c)| (i, c.as_str()))
        .collect();
    // Stable: among equal keys, columns stay in order, and the last is kept.
    keys.sort_by(|a, b| a.1.cmp(b.1));
    let mut kept: Vec<(usize, &str)> = Vec::with_capacity(keys.len());
    for k in keys {
        match kept.last_mut() {
            Some(last) if last.1 == k.1 => *last = k,
            _ => kept.push(k),
        }
    }
    kept
}

/// One feature, written as `geojson::Feature` with a `serde_json::Map` of [`Cell::json`]
/// values writes it, byte for byte, without building the map (a `String` key and a value a
/// cell, most of the time of a million-row GeoJSON).
struct FeatureOut<'r> {
    at: Option<LonLat>,
    keys: &'r [(usize, &'r str)],
    cells: &'r [Cell],
}

impl serde::Serialize for FeatureOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Point(f64, f64);
        impl serde::Serialize for Point {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("type", "Point")?;
                m.serialize_entry("coordinates", &[self.0, self.1])?;
                m.end()
            }
        }
        struct Properties<'r>(&'r [(usize, &'r str)], &'r [Cell]);
        impl serde::Serialize for Properties<'_> {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for &(i, key) in self.0 {
                    m.serialize_entry(key, &self.1[i])?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("type", "Feature")?;
        let point = self
            .at
            .map(|p| Point(round(p.lon_deg, 6), round(p.lat_deg, 6)));
        m.serialize_entry("geometry", &point)?;
        m.serialize_entry("properties", &Properties(self.keys, self.cells))?;
        m.end()
    }
}

/// A cell as its [`Cell::json`] value is written: a number that rounds to no finite value, and
/// an empty cell, as `null`.
impl serde::Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Cell::Text(t) => s.serialize_str(t),
            Cell::Num(x, d) if x.is_finite() => {
                let v = round(*x, *d as i32);
                if v.is_finite() {
                    s.serialize_f64(v)
                } else {
                    s.serialize_unit()
                }
            }
            Cell::Num(..) | Cell::Empty => s.serialize_unit(),
            Cell::Bool(b) => s.serialize_bool(*b),
        }
    }
}

pub(crate) fn round(x: f64, d: i32) -> f64 {
    let p = 10f64.powi(d);
    (x * p).round() / p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rejected rows land at their lines: before the first accepted row, between rows and after
    /// the last, each row once.
    #[test]
    fn rejected_rows_interleave_by_line() {
        let rejected = |line| Rejected {
            line,
            id: format!("r{line}"),
            reason: "bad".into(),
        };
        let loaded = LoadedOrigins {
            lines: vec![3, 4, 7],
            rejected: vec![rejected(2), rejected(5), rejected(6), rejected(9)],
            ..Default::default()
        };
        let accepted = |i: usize| Record {
            at: None,
            cells: vec![text(format!("a{}", [3, 4, 7][i]))],
        };
        let (len, row) = interleave(3, accepted, Some(&loaded), |r| Record {
            at: None,
            cells: vec![text(r.id.clone())],
        })
        .unwrap();
        let ids: Vec<String> = (0..len).map(|k| row(k).cells[0].csv()).collect();
        assert_eq!(ids, ["r2", "a3", "a4", "r5", "r6", "a7", "r9"]);
        // Without the loaded file, the accepted rows alone; a wrong count is an error.
        let one = |_| Record {
            at: None,
            cells: vec![text("a")],
        };
        let (none, _) = interleave(1, one, None, |_| unreachable!()).unwrap();
        assert_eq!(none, 1);
        assert!(interleave(2, one, Some(&loaded), |_| unreachable!()).is_err());
    }

    /// Rows made in parallel pieces come out in order, each once, as one writer would write
    /// them: CSV lines and GeoJSON features (commas between features only) across many pieces.
    #[test]
    fn pieces_are_written_in_order() {
        let n = 3 * PIECE + 5;
        let records = || Records {
            columns: vec!["id".into(), "lon".into(), "lat".into(), "note".into()],
            len: n,
            row: Box::new(|k| Record {
                at: Some(LonLat::new(k as f64 * 1e-6, 51.5)),
                cells: vec![
                    Cell::Num(k as f64, 0),
                    Cell::Num(k as f64 * 1e-6, 6),
                    Cell::Num(51.5, 6),
                    text(if k % 7 == 0 { "a, \"quoted\" note" } else { "" }),
                ],
            }),
        };
        let mut csv_text = Vec::new();
        write_records_csv(records(), &mut csv_text, "out.csv".as_ref()).unwrap();
        let mut rows = csv::Reader::from_reader(csv_text.as_slice());
        let read: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
        assert_eq!(read.len(), n);
        for (k, r) in read.iter().enumerate() {
            assert_eq!(r[0], k.to_string());
            assert_eq!(&r[3], if k % 7 == 0 { "a, \"quoted\" note" } else { "" });
        }
        let mut json = Vec::new();
        write_records_geojson(records(), &mut json, "out.geojson".as_ref()).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let features = v["features"].as_array().unwrap();
        assert_eq!(features.len(), n);
        for (k, f) in features.iter().enumerate() {
            assert_eq!(f["properties"]["id"], serde_json::json!(k as f64));
            assert!(f["properties"].get("lon").is_none());
        }
    }

    /// The features written without a map are the bytes `geojson::Feature` with a map of
    /// `Cell::json` values gives: sorted keys, the last of a repeated key, nulls, signs, escapes.
    #[test]
    fn features_are_written_as_geojson_writes_them() {
        let columns: Vec<String> = ["id", "lon", "lat", "b", "a", "b", "z", "n"]
            .map(String::from)
            .to_vec();
        let rows = [
            (
                Some(LonLat::new(-0.681431_4, 51.589328_6)),
                vec![
                    text("h\"1\\ é"),
                    Cell::Num(-0.68, 6),
                    Cell::Num(51.5, 6),
                    Cell::Num(-0.04, 1),
                    Cell::Bool(true),
                    Cell::Num(2.0, 0),
                    Cell::Empty,
                    Cell::Num(1e308, 3),
                ],
            ),
            (
                None,
                vec![
                    text(""),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Num(f64::NAN, 1),
                    Cell::Bool(false),
                    text("last"),
                    Cell::Num(-0.0, 1),
                    Cell::Num(123456.789, 2),
                ],
            ),
        ];
        let keys = property_keys(&columns);
        for (at, cells) in &rows {
            let properties: serde_json::Map<String, serde_json::Value> = columns
                .iter()
                .zip(cells)
                .filter(|(c, _)| !matches!(c.as_str(), "lon" | "lat"))
                .map(|(c, v)| (c.clone(), v.json()))
                .collect();
            let feature = geojson::Feature {
                bbox: None,
                geometry: at.map(|p| {
                    geojson::Geometry::new(geojson::GeometryValue::new_point(vec![
                        round(p.lon_deg, 6),
                        round(p.lat_deg, 6),
                    ]))
                }),
                id: None,
                properties: Some(properties),
                foreign_members: None,
            };
            let mine = FeatureOut {
                at: *at,
                keys: &keys,
                cells,
            };
            assert_eq!(
                serde_json::to_string(&mine).unwrap(),
                serde_json::to_string(&feature).unwrap()
            );
        }
    }
}
