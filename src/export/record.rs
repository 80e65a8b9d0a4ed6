//! One output record per input row, shared by the CSV and GeoJSON writers so both say the same.

use std::path::Path;

use crate::analysis::Impact;
use crate::engine::{Outcome, Unreachable};
use crate::error::{Error, Result};
use crate::geom::{Crs, LonLat};
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

/// Rows of one output, with the input's rejected rows interleaved by line.
pub(crate) struct Records {
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<Record>,
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
fn interleave(
    accepted: Vec<Record>,
    loaded: Option<&LoadedOrigins>,
    reject: impl Fn(&Rejected) -> Record,
) -> Result<Vec<Record>> {
    let Some(l) = loaded else {
        return Ok(accepted);
    };
    if l.lines.len() != accepted.len() {
        return Err(Error::InvalidOption {
            option: "origins",
            message: format!(
                "the loaded origins ({}) are not the origins of this result ({})",
                l.lines.len(),
                accepted.len()
            ),
        });
    }
    let mut out = Vec::with_capacity(accepted.len() + l.rejected.len());
    let mut rejected = l.rejected.iter().peekable();
    for (line, rec) in l.lines.iter().zip(accepted) {
        while let Some(r) = rejected.next_if(|r| r.line < *line) {
            out.push(reject(r));
        }
        out.push(rec);
    }
    out.extend(rejected.map(reject));
    Ok(out)
}

/// Every origin's before and after (see [`crate::export::write_impact_csv`] for the columns).
pub(crate) fn impact_records(
    impact: &Impact<'_>,
    crs: Crs,
    loaded: Option<&LoadedOrigins>,
) -> Result<Records> {
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
    let name_of = |side: &crate::Outcomes, o: &Outcome| {
        o.ok().map_or(String::new(), |a| {
            side.placed().scenario.facility(a.facility).name.clone()
        })
    };
    let accepted = impact
        .rows()
        .enumerate()
        .map(|(i, r)| {
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
        })
        .collect();
    let n = columns.len();
    let rows = interleave(accepted, loaded, |r| rejected_record(r, n, 2))?;
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
pub(crate) fn nearest_records(
    outcomes: &crate::Outcomes,
    snaps: &crate::Snaps,
    origins: &[crate::Origin],
    crs: Crs,
    loaded: Option<&LoadedOrigins>,
) -> Result<Records> {
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
    let accepted = (0..outcomes.len())
        .map(|i| {
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
        })
        .collect();
    let n = columns.len();
    let rows = interleave(accepted, loaded, |r| rejected_record(r, n, 2))?;
    Ok(Records { columns, rows })
}

/// Writes records as CSV.
pub(crate) fn write_records_csv(
    records: &Records,
    out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    let err = |e: csv::Error| Error::Write {
        path: name.to_path_buf(),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&records.columns).map_err(err)?;
    for r in &records.rows {
        w.write_record(r.cells.iter().map(Cell::csv)).map_err(err)?;
    }
    w.flush().map_err(|e| err(e.into()))
}

/// Writes records as a GeoJSON FeatureCollection of points (longitude, latitude); a row without
/// a point has `"geometry": null`.
pub(crate) fn write_records_geojson(
    records: &Records,
    mut out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    let features = records
        .rows
        .iter()
        .map(|r| {
            let properties: serde_json::Map<String, serde_json::Value> = records
                .columns
                .iter()
                .zip(&r.cells)
                .filter(|(c, _)| !matches!(c.as_str(), "lon" | "lat"))
                .map(|(c, v)| (c.clone(), v.json()))
                .collect();
            geojson::Feature {
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
            }
        })
        .collect();
    let fc = geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    let err = |e: std::io::Error| Error::Write {
        path: name.to_path_buf(),
        message: e.to_string(),
    };
    serde_json::to_writer(&mut out, &fc).map_err(|e| err(e.into()))?;
    out.write_all(b"\n").map_err(err)
}

pub(crate) fn round(x: f64, d: i32) -> f64 {
    let p = 10f64.powi(d);
    (x * p).round() / p
}
