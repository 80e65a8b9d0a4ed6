//! Plain-text tables of facilities, summaries and breakdowns, aligned for a terminal.

use std::fmt;

use crate::analysis::{Distribution, Impact, Side, Summary, WITHIN_M, WITHIN_S};
use crate::engine::{NotPlaced, PlacedScenario, Unreachable};
use crate::load::Scenario;

/// A titled table; numbers are right-aligned, text left-aligned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextTable {
    /// Title line.
    pub title: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Cells, row by row.
    pub rows: Vec<Vec<String>>,
    /// Lines printed under the table (what the figures leave out, and why).
    pub notes: Vec<String>,
}

impl TextTable {
    /// An empty table with headers.
    pub fn new(title: impl Into<String>, headers: &[&str]) -> Self {
        Self {
            title: title.into(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }
    /// Appends a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
}

fn numeric(s: &str) -> bool {
    let t = s.trim_start_matches(['+', '-']).trim_end_matches('%');
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

impl fmt::Display for TextTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.headers.len();
        let mut width: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                width[i] = width[i].max(c.chars().count());
            }
        }
        // First column is the label; others right-align when every cell starts like a number.
        let right: Vec<bool> = (0..n)
            .map(|i| {
                i > 0
                    && self.rows.iter().filter_map(|r| r.get(i)).all(|c| {
                        c.is_empty()
                            || c == "-"
                            || numeric(c.split_whitespace().next().unwrap_or(""))
                    })
            })
            .collect();
        let line = |f: &mut fmt::Formatter<'_>, cells: &[String]| -> fmt::Result {
            let mut out = String::new();
            for i in 0..n {
                let c = cells.get(i).map_or("", |s| s.as_str());
                let pad = width[i] - c.chars().count();
                if i > 0 {
                    out.push_str("  ");
                }
                if right[i] {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(c);
                } else {
                    out.push_str(c);
                    out.push_str(&" ".repeat(pad));
                }
            }
            writeln!(f, "{}", out.trim_end())
        };
        writeln!(f, "{}", self.title)?;
        line(f, &self.headers)?;
        let rule: Vec<String> = width.iter().map(|w| "-".repeat(*w)).collect();
        line(f, &rule)?;
        for r in &self.rows {
            line(f, r)?;
        }
        for n in &self.notes {
            writeln!(f, "{n}")?;
        }
        Ok(())
    }
}

/// Metres as kilometres with two decimals, "-" for NaN.
pub fn km(m: f64) -> String {
    fixed(m / 1000.0, 2, false)
}
/// Seconds as minutes with one decimal, "-" for NaN.
pub fn min(s: f64) -> String {
    fixed(s / 60.0, 1, false)
}
/// A share as a percentage with one decimal, "-" for NaN.
pub fn pct(x: f64) -> String {
    match fixed(x * 100.0, 1, false).as_str() {
        "-" => "-".into(),
        p => format!("{p}%"),
    }
}
/// `x` rounded to `decimals` places, signed if asked, "-" for NaN, and never "-0" or "-0.00":
/// a value that rounds to zero is printed as zero.
fn fixed(x: f64, decimals: usize, signed: bool) -> String {
    if x.is_nan() {
        return "-".into();
    }
    let scale = 10f64.powi(decimals as i32);
    let r = (x * scale).round() / scale + 0.0;
    if signed {
        format!("{r:+.decimals$}")
    } else {
        format!("{r:.decimals$}")
    }
}
fn signed_km(m: f64) -> String {
    fixed(m / 1000.0, 2, true)
}
fn signed_min(s: f64) -> String {
    fixed(s / 60.0, 1, true)
}
/// A count or weight as a whole number ("-0" never appears).
pub fn whole(x: f64) -> String {
    fixed(x, 0, false)
}
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// The facilities of a scenario with how each site was located.
pub fn facilities(scenario: &Scenario) -> TextTable {
    let mut t = TextTable::new(
        format!(
            "Scenario {}: {} facilities ({} located, {} not located)",
            scenario.name(),
            scenario.facilities().len(),
            scenario.located_count(),
            scenario.not_located().len()
        ),
        &[
            "facility",
            "site",
            "name",
            "method",
            "precision_m",
            "confidence",
        ],
    );
    for f in scenario.facilities() {
        for s in &f.sites {
            t.row(vec![
                f.id.clone(),
                if s.id == f.id {
                    String::new()
                } else {
                    s.id.clone()
                },
                cut(&s.name, 48),
                if s.point().is_some() {
                    s.locate_method.clone()
                } else {
                    "NOT LOCATED".into()
                },
                s.precision_m.map_or("-".into(), whole),
                s.confidence.clone().unwrap_or_default(),
            ]);
        }
    }
    t
}

/// Sites that are not on the network for this profile, with the reason (empty table if none).
pub fn unplaced_sites(placed: &PlacedScenario) -> TextTable {
    let mut t = TextTable::new(
        format!("{}: sites not on the network", placed.scenario.name()),
        &["site", "reason"],
    );
    for s in &placed.sites {
        if let Err(e) = &s.at {
            t.row(vec![
                s.site.clone(),
                match e {
                    NotPlaced::NotLocated(why) => format!("not located: {why}"),
                    NotPlaced::Snap(e) => e.to_string(),
                },
            ]);
        }
    }
    t
}

/// Headline before/after figures for all origins.
pub fn summary(impact: &Impact<'_>, weight_label: &str) -> TextTable {
    let s = impact.summary();
    let mut t = TextTable::new(
        format!(
            "{} -> {}, {} (nearest by {}; weighted by {}, total {})",
            impact.before.placed().scenario.name(),
            impact.after.placed().scenario.name(),
            impact.profile.name,
            match impact.objective {
                crate::Objective::Distance => "distance",
                crate::Objective::Time => "time",
            },
            weight_label,
            whole(s.weight)
        ),
        &["measure", "before", "after", "change"],
    );
    type Fmt = fn(f64) -> String;
    let quantities: [(&str, Distribution, Distribution, Fmt, Fmt); 2] = [
        (
            "distance (km)",
            s.before.distance_m,
            s.after.distance_m,
            km,
            signed_km,
        ),
        (
            "time (min)",
            s.before.time_s,
            s.after.time_s,
            min,
            signed_min,
        ),
    ];
    for (unit, b, a, f, g) in quantities {
        for (stat, pick) in [
            (
                "mean",
                (|d: &Distribution| d.mean) as fn(&Distribution) -> f64,
            ),
            ("median", |d| d.median),
            ("90th pct", |d| d.p90),
            ("max", |d| d.max),
        ] {
            let (b, a) = (pick(&b), pick(&a));
            t.row(vec![format!("{stat} {unit}"), f(b), f(a), g(a - b)]);
        }
    }
    let pp = |x: f64| match fixed(x * 100.0, 1, true).as_str() {
        "-" => "-".to_string(),
        p => format!("{p} pt"),
    };
    for (i, m) in WITHIN_M.iter().enumerate() {
        t.row(vec![
            format!("share within {} km", m / 1000.0),
            pct(s.before.within_m[i]),
            pct(s.after.within_m[i]),
            pp(s.after.within_m[i] - s.before.within_m[i]),
        ]);
    }
    for (i, sec) in WITHIN_S.iter().enumerate() {
        t.row(vec![
            format!("share within {} min", sec / 60.0),
            pct(s.before.within_s[i]),
            pct(s.after.within_s[i]),
            pp(s.after.within_s[i] - s.before.within_s[i]),
        ]);
    }
    t.row(vec![
        "nearest facility closed".into(),
        String::new(),
        format!("{} ({})", whole(s.closed_weight), pct(s.closed_share())),
        String::new(),
    ]);
    t.row(vec![
        "origins reached / unreachable".into(),
        format!("{} / {}", s.before.reached, s.before.unreachable),
        format!("{} / {}", s.after.reached, s.after.unreachable),
        String::new(),
    ]);
    let placed = |p: &PlacedScenario| {
        let n = p.scenario.facilities().len();
        format!("{} of {n}", n - p.unplaced_facilities().len())
    };
    t.row(vec![
        "facilities on the network".into(),
        placed(impact.before.placed()),
        placed(impact.after.placed()),
        String::new(),
    ]);
    if let Some(model) = &impact.profile.car_time {
        t.notes.push(format!("Times: {model}."));
    }
    let flagged = impact.gap_flags();
    if !flagged.is_empty() {
        let ids: Vec<&str> = flagged
            .iter()
            .take(12)
            .map(|r| impact.origins[r.origin].name())
            .collect();
        t.notes.push(format!(
            "POSSIBLE NETWORK GAPS: {} origin(s) whose route is far longer than the area's typical \
             circuity ({:.2} before, {:.2} after) would make it: {}{}. Check the map; the network \
             may miss a road.",
            flagged.len(),
            impact.typical_circuity().0,
            impact.typical_circuity().1,
            ids.join(", "),
            if flagged.len() > ids.len() {
                ", ..."
            } else {
                ""
            }
        ));
    }
    for (label, p) in [
        ("before", impact.before.placed()),
        ("after", impact.after.placed()),
    ] {
        for (id, why) in p.unplaced_facilities() {
            t.notes.push(format!(
                "NOT PLACED ({label}, {}): {id}: {why}",
                p.scenario.name()
            ));
        }
    }
    t
}

/// One row per group: weight, mean and 90th percentile distance before and after, change, mean
/// time before and after, the share within the mode's headline threshold before and after
/// (drive: within 10 min; walk: within 2 km) and the share whose nearest facility closed.
pub fn breakdown<K>(
    title: &str,
    key_label: &str,
    groups: &[(Option<K>, Summary)],
    key: impl Fn(&K) -> String,
) -> TextTable {
    let mut t = TextTable::new(
        title,
        &[
            key_label,
            "origins",
            "weight",
            "mean km before",
            "mean km after",
            "change km",
            "p90 km after",
            "mean min before",
            "mean min after",
            "within 2 km before",
            "within 2 km after",
            "nearest closed",
        ],
    );
    // Drive: within 10 minutes (WITHIN_S[0]) says more than a distance.
    let drive = groups.first().is_some_and(|(_, s)| s.road_speeds);
    if drive {
        t.headers[9] = "within 10 min before".into();
        t.headers[10] = "within 10 min after".into();
    }
    let share = |side: &Side| {
        if drive {
            side.within_s[0]
        } else {
            side.within_m[1]
        }
    };
    for (k, s) in groups {
        t.row(vec![
            k.as_ref().map_or("(none)".into(), &key),
            s.origins.to_string(),
            whole(s.weight),
            km(s.before.distance_m.mean),
            km(s.after.distance_m.mean),
            signed_km(s.change_m.mean),
            km(s.after.distance_m.p90),
            min(s.before.time_s.mean),
            min(s.after.time_s.mean),
            pct(share(&s.before)),
            pct(share(&s.after)),
            pct(s.closed_share()),
        ]);
    }
    t
}

/// The `n` origins with the largest distance increase.
pub fn largest_increases(impact: &Impact<'_>, n: usize) -> TextTable {
    let mut t = TextTable::new(
        format!(
            "{} origins with the largest increase ({})",
            n, impact.profile.name
        ),
        &[
            "origin", "name", "district", "imd", "weight", "before", "km", "after", "km", "+km",
            "+min",
        ],
    );
    for r in impact.largest_increases(n) {
        let o = &impact.origins[r.origin];
        let (b, a) = (r.before.unwrap(), r.after.unwrap());
        t.row(vec![
            o.id.to_string(),
            cut(o.name(), 24),
            o.group("district").unwrap_or("").to_string(),
            o.group("imd_decile").unwrap_or("-").to_string(),
            whole(o.weight),
            impact.before_facility(&r).unwrap_or("").to_string(),
            km(b.distance_m),
            impact.after_facility(&r).unwrap_or("").to_string(),
            km(a.distance_m),
            signed_km(a.distance_m - b.distance_m),
            signed_min(a.time_s - b.time_s),
        ]);
    }
    t
}

/// "Nothing lost": for each side, the facilities on the network (and every one that is not, with
/// why), then origins in = reached + unreachable + rejected with the reasons.
pub fn accounting(impact: &Impact<'_>) -> String {
    let n = impact.len();
    let mut out = String::new();
    for (label, p) in [
        ("before", impact.before.placed()),
        ("after", impact.after.placed()),
    ] {
        out.push_str(&format!("{label}: {}\n", p.placement_line()));
    }
    for (label, after) in [("before", false), ("after", true)] {
        let (mut reached, mut unreachable, mut rejected) = (0, 0, 0);
        let mut reasons: std::collections::BTreeMap<&str, usize> = Default::default();
        for i in 0..n {
            match if after {
                impact.after.get(i)
            } else {
                impact.before.get(i)
            } {
                Ok(_) => reached += 1,
                Err(e) => {
                    if matches!(e, Unreachable::Rejected(_)) {
                        rejected += 1;
                    } else {
                        unreachable += 1;
                    }
                    *reasons.entry(e.kind()).or_default() += 1;
                }
            }
        }
        out.push_str(&format!(
            "{label}: origins in {n} = reached {reached} + unreachable {unreachable} + rejected {rejected}{}\n",
            reasons
                .iter()
                .map(|(k, v)| format!("; {v} x {k}"))
                .collect::<String>()
        ));
    }
    out
}
