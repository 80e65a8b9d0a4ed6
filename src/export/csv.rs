//! Per-origin results as CSV.

use crate::analysis::Impact;

#[derive(serde::Serialize)]
struct CsvRow<'a> {
    origin_id: &'a str,
    easting: f64,
    northing: f64,
    before_facility: Option<&'a str>,
    before_m: Option<f64>,
    before_s: Option<f64>,
    after_facility: Option<&'a str>,
    after_m: Option<f64>,
    after_s: Option<f64>,
    snap_m: Option<f64>,
    closed: bool,
    circuity_after: Option<f64>,
    gap_flag: bool,
    status: String,
}

/// Writes one CSV row per origin to `path`: see [`write_csv_to`].
pub fn write_csv(impact: &Impact<'_>, path: &std::path::Path) -> crate::Result<()> {
    let file = std::fs::File::create(path).map_err(|source| crate::Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    write_csv_to(impact, std::io::BufWriter::new(file), path)
}

/// Writes one CSV row per origin: `origin_id,easting,northing,before_facility,before_m,before_s,
/// after_facility,after_m,after_s,snap_m,closed,circuity_after,gap_flag,status` (planar
/// coordinates in the network's CRS; metres and seconds to 0.1; empty where unreachable or not
/// snapped; `status` is `reached` or the reason). `name` names the output in errors.
pub fn write_csv_to(
    impact: &Impact<'_>,
    out: impl std::io::Write,
    name: &std::path::Path,
) -> crate::Result<()> {
    let err = |e: ::csv::Error| crate::Error::Write {
        path: name.to_path_buf(),
        message: e.to_string(),
    };
    let r1 = |x: f64| (x * 10.0).round() / 10.0;
    let mut w = ::csv::Writer::from_writer(out);
    for r in impact.rows() {
        let o = &impact.origins[r.origin];
        w.serialize(CsvRow {
            origin_id: &o.id,
            easting: r1(o.point.x_m),
            northing: r1(o.point.y_m),
            before_facility: impact.before_facility(&r),
            before_m: r.before.ok().map(|a| r1(a.distance_m)),
            before_s: r.before.ok().map(|a| r1(a.time_s)),
            after_facility: impact.after_facility(&r),
            after_m: r.after.ok().map(|a| r1(a.distance_m)),
            after_s: r.after.ok().map(|a| r1(a.time_s)),
            snap_m: r.access_m.map(r1),
            closed: r.closed,
            circuity_after: r.after_circuity.map(|c| (c.ratio * 100.0).round() / 100.0),
            gap_flag: r.gap_flagged(),
            status: match (r.before, r.after) {
                (Ok(_), Ok(_)) => "reached".into(),
                (Err(e), _) => format!("before: {e}"),
                (_, Err(e)) => format!("after: {e}"),
            },
        })
        .map_err(err)?;
    }
    w.flush().map_err(|e| err(e.into()))?;
    Ok(())
}
