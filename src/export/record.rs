//! One output record per input row, shared by the CSV and GeoJSON writers so both say the same.

use std::path::Path;

use crate::analysis::Impact;
use crate::engine::{Outcome, Unreachable};
use crate::error::{Error, Result};
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
    pub(crate) fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Num(x, d) if x.is_finite() => format!("{x:.d$}"),
            Cell::Num(..) | Cell::Empty => String::new(),
            Cell::Bool(b) => b.to_string(),
        }
    }
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

/// Rows of one output, with the input's rejected rows interleaved by line. Rows are made one at
/// a time as they are written: a million-row output never holds a million records.
pub(crate) struct Records<'a> {
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Box<dyn Iterator<Item = Record> + 'a>,
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

/// Interleaves accepted rows (in `Impact::origins` order) with `loaded`'s rejected rows by line.
fn interleave<'a>(
    n: usize,
    accepted: impl Iterator<Item = Record> + 'a,
    loaded: Option<&'a LoadedOrigins>,
    reject: impl Fn(&Rejected) -> Record + 'a,
) -> Result<Box<dyn Iterator<Item = Record> + 'a>> {
    let Some(l) = loaded else {
        return Ok(Box::new(accepted));
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
    let mut rejected = l.rejected.iter().peekable();
    let mut accepted = l.lines.iter().zip(accepted).peekable();
    Ok(Box::new(std::iter::from_fn(move || {
        // A rejected row comes first while its line is before the next accepted one.
        match (rejected.peek(), accepted.peek()) {
            (Some(r), Some((line, _))) if r.line < **line => rejected.next().map(&reject),
            (_, Some(_)) => accepted.next().map(|(_, rec)| rec),
            (Some(_), None) => rejected.next().map(&reject),
            (None, None) => None,
        }
    })))
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
    let accepted = impact.rows().enumerate().map(move |(i, r)| {
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
    });
    let n = columns.len();
    let rows = interleave(impact.len(), accepted, loaded, move |r| {
        rejected_record(r, n, 2)
    })?;
    Ok(Records { columns, rows })
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
    let accepted = (0..outcomes.len()).map(move |i| {
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
    });
    let n = columns.len();
    let rows = interleave(outcomes.len(), accepted, loaded, move |r| {
        rejected_record(r, n, 2)
    })?;
    Ok(Records { columns, rows })
}

/// Writes records as CSV.
pub(crate) fn write_records_csv(
    records: Records<'_>,
    out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    let err = |e: csv::Error| Error::Write {
        path: name.to_path_buf(),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&records.columns).map_err(err)?;
    for r in records.rows {
        w.write_record(r.cells.iter().map(Cell::csv)).map_err(err)?;
    }
    w.flush().map_err(|e| err(e.into()))
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
    for (k, r) in records.rows.enumerate() {
        let properties: serde_json::Map<String, serde_json::Value> = records
            .columns
            .iter()
            .zip(&r.cells)
            .filter(|(c, _)| !matches!(c.as_str(), "lon" | "lat"))
            .map(|(c, v)| (c.clone(), v.json()))
            .collect();
        let feature = geojson::Feature {
            bbox: None,
            geometry: r.at.map(|p| {
                geojson::Geometry::new(geojson::GeometryValue::new_point(vec![
                    round(p.lon_deg, 6),
                    round(p.lat_deg, 6),
                ]))
            }),
            id: None,
            properties: Some(properties),
            foreign_members: None,
        };
        if k > 0 {
            out.write_all(b",").map_err(err)?;
        }
        serde_json::to_writer(&mut out, &feature).map_err(|e| err(e.into()))?;
    }
    out.write_all(b"]").map_err(err)?;
    out.write_all(tail.as_bytes()).map_err(err)?;
    out.write_all(b"\n").map_err(err)
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
        let accepted = [3, 4, 7].map(|l: u64| Record {
            at: None,
            cells: vec![text(format!("a{l}"))],
        });
        let rows = interleave(3, accepted.into_iter(), Some(&loaded), |r| Record {
            at: None,
            cells: vec![text(r.id.clone())],
        })
        .unwrap();
        let ids: Vec<String> = rows.map(|r| r.cells[0].csv()).collect();
        assert_eq!(ids, ["r2", "a3", "a4", "r5", "r6", "a7", "r9"]);
        // Without the loaded file, the accepted rows alone; a wrong count is an error.
        let one = Record {
            at: None,
            cells: vec![text("a")],
        };
        let none = interleave(1, std::iter::once(one), None, |_| unreachable!());
        assert_eq!(none.unwrap().count(), 1);
        assert!(interleave(2, std::iter::empty(), Some(&loaded), |_| unreachable!()).is_err());
    }
}
