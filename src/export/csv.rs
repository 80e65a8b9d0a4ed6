//! Results as CSV and GeoJSON: per origin (one row per input row), per facility, reassignment
//! and summaries.

use std::path::Path;

use crate::analysis::{Impact, Outcomes, Summary};
use crate::engine::Snaps;
use crate::error::{Error, Result};
use crate::export::record::{
    Cell, Records, impact_records, nearest_records, write_records_csv, write_records_geojson,
};
use crate::geom::Crs;
use crate::load::{LoadedOrigins, Origin};

fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>> {
    let file = std::fs::File::create(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(std::io::BufWriter::new(file))
}

/// Writes one CSV row per origin to `path`: see [`write_csv_to`].
pub fn write_csv(impact: &Impact<'_>, path: &Path) -> Result<()> {
    write_csv_to(impact, None, create(path)?, path)
}

/// Writes one CSV row per origin, or with `loaded` (the file the origins came from) one row per
/// input row, rejected rows included at their place. Columns: `origin_id, name, line, easting,
/// northing, lon, lat, weight`, one column per group key of the origins (e.g. `district`,
/// `imd_decile`), then `before_facility, before_name, before_m, before_s, after_facility,
/// after_name, after_m, after_s, change_m, change_s, access_m, closed, circuity_before,
/// circuity_after, gap_flag, status, reason`. Metres and seconds to 0.1, easting/northing in the
/// network's CRS, lon/lat WGS84 to 6 decimals; empty where there is no value. `status` is
/// `reached`, `unreachable`, `not_snapped` or `rejected`, and `reason` says why (prefixed
/// `before:` or `after:`). `name` names the output in errors.
///
/// ```
/// use travel_impact::{Engine, EngineOptions, Facilities, NetworkBuilder, Objective, Origin,
///     RoadSpec, Scenario, geom::Xy};
/// let mut b = NetworkBuilder::new();
/// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(2000.0, 0.0)).road(RoadSpec::new(1, 1, 2));
/// let engine = Engine::new(b.build()?, EngineOptions::default());
/// let sites = Facilities::from_points([("w", Xy::new(0.0, 0.0))])?;
/// let s = Scenario::new("w", &sites, ["w"])?;
/// let homes = [Origin::new("a", Xy::new(500.0, 0.0))];
/// let impact = engine.impact(&homes, &s, &s, "walk", Objective::Distance)?;
/// let mut out = Vec::new();
/// travel_impact::write_csv_to(&impact, None, &mut out, "out.csv".as_ref())?;
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.lines().nth(1).unwrap().starts_with("a,a,,500.0,0.0,"));
/// # Ok::<(), travel_impact::Error>(())
/// ```
pub fn write_csv_to(
    impact: &Impact<'_>,
    loaded: Option<&LoadedOrigins>,
    out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    write_records_csv(impact_records(impact, impact.crs, loaded)?, out, name)
}

/// The rows of [`write_csv_to`] as a GeoJSON FeatureCollection: each origin a Point (longitude,
/// latitude) with the same properties (numbers as numbers, empty as `null`); rows rejected at
/// load have `"geometry": null`.
pub fn write_geojson_to(
    impact: &Impact<'_>,
    loaded: Option<&LoadedOrigins>,
    out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    write_records_geojson(impact_records(impact, impact.crs, loaded)?, out, name)
}

/// Every origin's nearest facility in one scenario, one row per origin (or per input row with
/// `loaded`): `origin_id, name, line, lon, lat, weight, facility_id, facility_name, distance_m,
/// time_s, access_m, status, reason`. `outcomes` and `snaps` come from
/// [`Router::outcomes`](crate::Router::outcomes) and
/// [`Router::snap_origins`](crate::Router::snap_origins) for `origins`; `crs` is the network's.
#[allow(clippy::too_many_arguments)]
pub fn write_nearest_to(
    outcomes: &Outcomes,
    snaps: &Snaps,
    origins: &[Origin],
    crs: Crs,
    loaded: Option<&LoadedOrigins>,
    geojson: bool,
    out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    let records = nearest_records(outcomes, snaps, origins, crs, loaded)?;
    if geojson {
        write_records_geojson(records, out, name)
    } else {
        write_records_csv(records, out, name)
    }
}

/// Per facility of either scenario: `facility_id, name, open_before, open_after,
/// origins_before, weight_before, origins_after, weight_after, change_weight` (see
/// [`Impact::catchments`]).
pub fn write_catchments_to(
    impact: &Impact<'_>,
    out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    let columns = [
        "facility_id",
        "name",
        "open_before",
        "open_after",
        "origins_before",
        "weight_before",
        "origins_after",
        "weight_after",
        "change_weight",
    ];
    let rows = impact
        .catchments()
        .into_iter()
        .map(|c| {
            vec![
                Cell::Text(c.facility),
                Cell::Text(c.name),
                Cell::Bool(c.open_before),
                Cell::Bool(c.open_after),
                Cell::Num(c.origins_before as f64, 0),
                Cell::Num(c.weight_before, 3),
                Cell::Num(c.origins_after as f64, 0),
                Cell::Num(c.weight_after, 3),
                Cell::Num(c.weight_after - c.weight_before, 3),
            ]
        })
        .collect();
    write_records_csv(table(&columns, rows), out, name)
}

/// Where each closed facility's origins go: `from_id, from_name, to_id, to_name, origins,
/// weight, mean_change_m, mean_change_s` (`to_id` empty: nothing reachable after; see
/// [`Impact::reassignments`]).
pub fn write_reassignment_to(
    impact: &Impact<'_>,
    out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    let columns = [
        "from_id",
        "from_name",
        "to_id",
        "to_name",
        "origins",
        "weight",
        "mean_change_m",
        "mean_change_s",
    ];
    let rows = impact
        .reassignments()
        .into_iter()
        .map(|r| {
            vec![
                Cell::Text(r.from),
                Cell::Text(r.from_name),
                r.to.map_or(Cell::Empty, Cell::Text),
                Cell::Text(r.to_name),
                Cell::Num(r.origins as f64, 0),
                Cell::Num(r.weight, 3),
                Cell::Num(r.mean_change_m, 1),
                Cell::Num(r.mean_change_s, 1),
            ]
        })
        .collect();
    write_records_csv(table(&columns, rows), out, name)
}

/// The summary over all origins (group `all`) and per value of each of `keys`, one row each:
/// `profile, objective, group_key, group, origins, weight, reached_before, reached_after,
/// unreachable_before, unreachable_after, rejected, mean_m_before, mean_m_after, median_m_before,
/// median_m_after, p90_m_before, p90_m_after, mean_s_before, mean_s_after, mean_change_m,
/// mean_change_s, max_change_m`, the shares within each of [`crate::WITHIN_M`] and
/// [`crate::WITHIN_S`] before and after (`within_2000m_before`, `within_600s_after`, …), then
/// `closed, closed_weight, closed_share, gap_flags`. Shares are fractions of the weight.
pub fn write_summaries_to(
    impact: &Impact<'_>,
    keys: &[&str],
    out: impl std::io::Write,
    name: &Path,
) -> Result<()> {
    let mut columns: Vec<String> = [
        "profile",
        "objective",
        "group_key",
        "group",
        "origins",
        "weight",
        "reached_before",
        "reached_after",
        "unreachable_before",
        "unreachable_after",
        "rejected",
        "mean_m_before",
        "mean_m_after",
        "median_m_before",
        "median_m_after",
        "p90_m_before",
        "p90_m_after",
        "mean_s_before",
        "mean_s_after",
        "mean_change_m",
        "mean_change_s",
        "max_change_m",
    ]
    .map(String::from)
    .to_vec();
    for m in crate::WITHIN_M {
        columns.push(format!("within_{m}m_before"));
        columns.push(format!("within_{m}m_after"));
    }
    for s in crate::WITHIN_S {
        columns.push(format!("within_{s}s_before"));
        columns.push(format!("within_{s}s_after"));
    }
    columns.extend(["closed", "closed_weight", "closed_share", "gap_flags"].map(String::from));
    let mut groups: Vec<(String, String, Summary)> =
        vec![("all".into(), "all".into(), impact.summary())];
    for k in keys {
        for (v, s) in impact.summary_by(k) {
            groups.push((k.to_string(), v.unwrap_or_else(|| "(none)".into()), s));
        }
    }
    let rows = groups
        .into_iter()
        .map(|(k, v, s)| {
            let mut c = vec![
                Cell::Text(s.profile.clone()),
                Cell::Text(impact.objective.to_string()),
                Cell::Text(k),
                Cell::Text(v),
                Cell::Num(s.origins as f64, 0),
                Cell::Num(s.weight, 3),
                Cell::Num(s.before.reached as f64, 0),
                Cell::Num(s.after.reached as f64, 0),
                Cell::Num(s.before.unreachable as f64, 0),
                Cell::Num(s.after.unreachable as f64, 0),
                Cell::Num(s.before.rejected as f64, 0),
                Cell::Num(s.before.distance_m.mean, 1),
                Cell::Num(s.after.distance_m.mean, 1),
                Cell::Num(s.before.distance_m.median, 1),
                Cell::Num(s.after.distance_m.median, 1),
                Cell::Num(s.before.distance_m.p90, 1),
                Cell::Num(s.after.distance_m.p90, 1),
                Cell::Num(s.before.time_s.mean, 1),
                Cell::Num(s.after.time_s.mean, 1),
                Cell::Num(s.change_m.mean, 1),
                Cell::Num(s.change_s.mean, 1),
                Cell::Num(s.change_m.max, 1),
            ];
            for i in 0..crate::WITHIN_M.len() {
                c.push(Cell::Num(s.before.within_m[i], 4));
                c.push(Cell::Num(s.after.within_m[i], 4));
            }
            for i in 0..crate::WITHIN_S.len() {
                c.push(Cell::Num(s.before.within_s[i], 4));
                c.push(Cell::Num(s.after.within_s[i], 4));
            }
            c.extend([
                Cell::Num(s.closed as f64, 0),
                Cell::Num(s.closed_weight, 3),
                Cell::Num(s.closed_share(), 4),
                Cell::Num(s.gap_flags as f64, 0),
            ]);
            c
        })
        .collect();
    write_records_csv(Records::of_rows(columns, rows), out, name)
}

fn table(columns: &[&str], rows: Vec<Vec<Cell>>) -> Records<'static> {
    Records::of_rows(columns.iter().map(|c| c.to_string()).collect(), rows)
}
