//! The impact report: one document, written as Markdown and as a self-contained HTML page (map
//! inline, no external files, prints on A4), from the same blocks so the two always agree.

use std::fmt::Write as _;

use crate::analysis::equity::Measure;
use crate::analysis::{Impact, Summary, WITHIN_S};
use crate::export::report::{km, min, pct, whole};

/// A piece of a document.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading(u8, String),
    Para(String),
    List(Vec<String>),
    Table(Vec<String>, Vec<Vec<String>>),
    /// A map: caption, SVG, and the file name Markdown links to.
    Map(String, String, String),
}

/// What a report is made of besides the impacts.
#[derive(Debug, Clone, Default)]
pub struct ReportInputs {
    /// Title, e.g. the study's name.
    pub title: String,
    /// What the weights count, e.g. "children aged 0-4 (mid-2017)".
    pub weight_label: String,
    /// Data caveats, one sentence each (coverage of the real plan, unlocated sites, known
    /// network gaps, rejected input rows).
    pub caveats: Vec<String>,
    /// Maps as (caption, SVG, file name for the Markdown link).
    pub maps: Vec<(String, String, String)>,
    /// How many areas to list as most affected.
    pub top: usize,
    /// Date or version line for the foot.
    pub generated: String,
}

/// An impact report for one change (the same before and after) across modes.
///
/// ```
/// use travel_impact::{Engine, EngineOptions, Facilities, ImpactReport, NetworkBuilder, Objective,
///     Origin, ReportInputs, RoadSpec, Scenario, geom::Xy};
/// let mut b = NetworkBuilder::new();
/// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(2000.0, 0.0)).road(RoadSpec::new(1, 1, 2));
/// let engine = Engine::new(b.build()?, EngineOptions::default());
/// let sites = Facilities::from_points([("w", Xy::new(0.0, 0.0)), ("e", Xy::new(2000.0, 0.0))])?;
/// let (before, after) = (Scenario::new("both", &sites, ["w", "e"])?, Scenario::new("w", &sites, ["w"])?);
/// let homes = [Origin::new("h", Xy::new(1900.0, 0.0))];
/// let walk = engine.impact(&homes, &before, &after, "walk", Objective::Distance)?;
/// let report = ImpactReport::new(&[&walk], &ReportInputs { title: "Test".into(), ..Default::default() });
/// assert!(report.markdown().contains("## Headline"));
/// assert!(report.html().starts_with("<!DOCTYPE html>"));
/// # Ok::<(), travel_impact::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ImpactReport {
    blocks: Vec<Block>,
    title: String,
}

/// Section titles, in order: tests and readers can rely on them.
pub const REPORT_SECTIONS: [&str; 10] = [
    "Headline",
    "By district",
    "By deprivation (IMD decile)",
    "Within 10, 20 and 30 minutes",
    "Most affected areas",
    "Where the families of closed sites go",
    "Equity",
    "Map",
    "Data caveats",
    "Method",
];

fn signed(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        "-".into()
    } else {
        let p = 10f64.powi(decimals as i32);
        format!("{:+.decimals$}", (x * p).round() / p + 0.0)
    }
}

fn arrow(a: String, b: String) -> String {
    format!("{a} → {b}")
}

impl ImpactReport {
    /// Builds the report from one impact per mode (same scenarios and origins in each).
    pub fn new(impacts: &[&Impact<'_>], inputs: &ReportInputs) -> Self {
        let mut b = Vec::new();
        let first = impacts.first();
        let (before, after) = first.map_or((String::new(), String::new()), |i| {
            (
                i.before.placed().scenario.name().to_string(),
                i.after.placed().scenario.name().to_string(),
            )
        });
        let objective = first.map_or("shortest".into(), |i| i.objective.to_string());
        b.push(Block::Para(format!(
            "Change: **{before} → {after}**. Origins weighted by {}; {objective} routes on the road \
             network; modes: {}.",
            if inputs.weight_label.is_empty() {
                "their weight"
            } else {
                &inputs.weight_label
            },
            impacts
                .iter()
                .map(|i| i.profile.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
        let summaries: Vec<(&Impact<'_>, Summary)> =
            impacts.iter().map(|i| (*i, i.summary())).collect();

        b.push(Block::Heading(2, REPORT_SECTIONS[0].into()));
        let mut rows = Vec::new();
        for (i, s) in &summaries {
            rows.push(vec![
                i.profile.name.clone(),
                arrow(km(s.before.distance_m.mean), km(s.after.distance_m.mean)),
                signed(s.change_m.mean / 1000.0, 2),
                arrow(min(s.before.time_s.mean), min(s.after.time_s.mean)),
                signed(s.change_s.mean / 60.0, 1),
                arrow(pct(s.before.within_m[1]), pct(s.after.within_m[1])),
                format!(
                    "{} of {} ({})",
                    whole(s.closed_weight),
                    whole(s.weight),
                    pct(s.closed_share())
                ),
            ]);
        }
        b.push(Block::Table(
            [
                "mode",
                "mean km before → after",
                "change km",
                "mean min before → after",
                "change min",
                "within 2 km",
                "weight whose nearest closed",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        ));
        if let Some((i, s)) = summaries.first() {
            b.push(Block::Para(format!(
                "By {}, the weighted mean distance to the nearest facility goes from {} km to {} km; \
                 {} of the weight ({}) had its nearest facility closed. Unreachable: {} before, {} \
                 after; rejected inputs: {}.",
                i.profile.name,
                km(s.before.distance_m.mean),
                km(s.after.distance_m.mean),
                whole(s.closed_weight),
                pct(s.closed_share()),
                s.before.unreachable,
                s.after.unreachable,
                s.before.rejected,
            )));
        }

        for (title, key) in [
            (REPORT_SECTIONS[1], "district"),
            (REPORT_SECTIONS[2], "imd_decile"),
        ] {
            b.push(Block::Heading(2, title.into()));
            let present = first.is_some_and(|i| i.origins.iter().any(|o| o.group(key).is_some()));
            if !present {
                b.push(Block::Para(format!(
                    "The origins have no `{key}` column, so there is no breakdown."
                )));
                continue;
            }
            let mut rows = Vec::new();
            for i in impacts {
                for (g, s) in i.summary_by(key) {
                    rows.push(vec![
                        i.profile.name.clone(),
                        g.unwrap_or_else(|| "(none)".into()),
                        whole(s.weight),
                        arrow(km(s.before.distance_m.mean), km(s.after.distance_m.mean)),
                        signed(s.change_m.mean / 1000.0, 2),
                        arrow(min(s.before.time_s.mean), min(s.after.time_s.mean)),
                        pct(s.closed_share()),
                    ]);
                }
            }
            b.push(Block::Table(
                [
                    "mode",
                    key,
                    "weight",
                    "mean km",
                    "change km",
                    "mean min",
                    "nearest closed",
                ]
                .map(String::from)
                .to_vec(),
                rows,
            ));
        }

        b.push(Block::Heading(2, REPORT_SECTIONS[3].into()));
        let mut rows = Vec::new();
        for (i, s) in &summaries {
            let mut row = vec![i.profile.name.clone()];
            for k in 0..WITHIN_S.len() {
                row.push(arrow(pct(s.before.within_s[k]), pct(s.after.within_s[k])));
            }
            rows.push(row);
        }
        b.push(Block::Table(
            ["mode", "within 10 min", "within 20 min", "within 30 min"]
                .map(String::from)
                .to_vec(),
            rows,
        ));
        b.push(Block::Para(
            "Shares of all the weight (origins that cannot reach any facility count as not within)."
                .into(),
        ));

        b.push(Block::Heading(2, REPORT_SECTIONS[4].into()));
        let mut rows = Vec::new();
        for i in impacts {
            for r in i.largest_increases(inputs.top.max(1)) {
                let o = &i.origins[r.origin];
                rows.push(vec![
                    i.profile.name.clone(),
                    o.id.to_string(),
                    o.name().to_string(),
                    o.group("district").unwrap_or("").to_string(),
                    o.group("imd_decile").unwrap_or("-").to_string(),
                    whole(o.weight),
                    i.before_facility(&r).unwrap_or("").to_string(),
                    i.after_facility(&r).unwrap_or("").to_string(),
                    signed(r.change_m().unwrap_or(f64::NAN) / 1000.0, 2),
                    signed(r.change_s().unwrap_or(f64::NAN) / 60.0, 1),
                ]);
            }
        }
        b.push(Block::Table(
            [
                "mode", "origin", "name", "district", "IMD", "weight", "before", "after", "+km",
                "+min",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        ));

        b.push(Block::Heading(2, REPORT_SECTIONS[5].into()));
        if let Some(i) = first {
            let moves = i.reassignments();
            if moves.is_empty() {
                b.push(Block::Para("No origin's nearest facility closes.".into()));
            } else {
                b.push(Block::Para(format!(
                    "By {}: for each closed facility, where the origins it served go (their new \
                     nearest facility), with their weight and mean increase.",
                    i.profile.name
                )));
                b.push(Block::Table(
                    ["closed", "goes to", "origins", "weight", "+km", "+min"]
                        .map(String::from)
                        .to_vec(),
                    moves
                        .iter()
                        .map(|m| {
                            vec![
                                m.from_name.clone(),
                                m.to.as_ref()
                                    .map_or("(nothing reachable)".into(), |_| m.to_name.clone()),
                                m.origins.to_string(),
                                whole(m.weight),
                                signed(m.mean_change_m / 1000.0, 2),
                                signed(m.mean_change_s / 60.0, 1),
                            ]
                        })
                        .collect(),
                ));
            }
        }

        b.push(Block::Heading(2, REPORT_SECTIONS[6].into()));
        let has_imd =
            first.is_some_and(|i| i.origins.iter().any(|o| o.group("imd_decile").is_some()));
        if has_imd {
            let mut rows = Vec::new();
            for i in impacts {
                for m in [Measure::Distance, Measure::Time] {
                    let e = i.equity("imd_decile", m);
                    rows.push(vec![
                        i.profile.name.clone(),
                        m.to_string(),
                        e.decile_ratio.map_or("-".into(), |r| format!("{r:.2}")),
                        format!("{:.3}", e.concentration_change),
                        arrow(
                            format!("{:.3}", e.concentration_before),
                            format!("{:.3}", e.concentration_after),
                        ),
                        arrow(
                            format!("{:.3}", e.gini_before),
                            format!("{:.3}", e.gini_after),
                        ),
                        arrow(
                            format!("{:.2}", e.palma_before),
                            format!("{:.2}", e.palma_after),
                        ),
                    ]);
                }
            }
            b.push(Block::Table(
                [
                    "mode",
                    "measure",
                    "increase ratio, deciles 1-3 / 8-10",
                    "concentration index of the change",
                    "concentration index of access",
                    "Gini of access",
                    "Palma of access",
                ]
                .map(String::from)
                .to_vec(),
                rows,
            ));
            b.push(Block::List(vec![
                "Increase ratio: the mean increase in IMD deciles 1-3 (most deprived) over that in \
                 deciles 8-10; above 1, the most deprived bear more."
                    .into(),
                "Concentration index (O'Donnell et al. 2008, ch. 8), ranked by IMD decile from most \
                 deprived: negative means the quantity is concentrated among the more deprived."
                    .into(),
                "Gini and Palma (Cobham and Sumner 2013) of the distance or time to the nearest \
                 facility: higher means access is less equally shared."
                    .into(),
            ]));
        } else {
            b.push(Block::Para(
                "The origins have no `imd_decile` column, so no deprivation measures.".into(),
            ));
        }

        b.push(Block::Heading(2, REPORT_SECTIONS[7].into()));
        if inputs.maps.is_empty() {
            b.push(Block::Para("No map was drawn.".into()));
        }
        for (caption, svg, file) in &inputs.maps {
            b.push(Block::Map(caption.clone(), svg.clone(), file.clone()));
        }

        b.push(Block::Heading(2, REPORT_SECTIONS[8].into()));
        let mut caveats = inputs.caveats.clone();
        for (i, s) in &summaries {
            if s.gap_flags > 0 {
                caveats.push(format!(
                    "{}: {} origins have a route flagged as a possible gap in the road network \
                     (much longer than the straight line compared with typical routes).",
                    i.profile.name, s.gap_flags
                ));
            }
        }
        if caveats.is_empty() {
            caveats.push("None recorded.".into());
        }
        b.push(Block::List(caveats));

        b.push(Block::Heading(2, REPORT_SECTIONS[9].into()));
        b.push(Block::List(vec![
            "Every origin and facility is snapped to the nearest road segment usable by the mode; \
             the straight access legs are walked."
                .into(),
            "One multi-source Dijkstra search per scenario and mode finds every origin's nearest \
             facility over the road network (one-way streets obeyed when driving); ties go to the \
             facility whose id sorts first."
                .into(),
            "Means and shares are weighted by the origins' weights; changes are over origins \
             reached both before and after."
                .into(),
            format!("Generated by travel-impact {}.", inputs.generated),
        ]));
        Self {
            blocks: b,
            title: inputs.title.clone(),
        }
    }

    /// The report as Markdown (maps linked by their file names).
    pub fn markdown(&self) -> String {
        let mut s = format!("# {}\n\n", self.title);
        for block in &self.blocks {
            match block {
                Block::Heading(level, t) => {
                    let _ = writeln!(s, "{} {t}\n", "#".repeat(*level as usize));
                }
                Block::Para(t) => {
                    let _ = writeln!(s, "{t}\n");
                }
                Block::List(items) => {
                    for i in items {
                        let _ = writeln!(s, "- {i}");
                    }
                    s.push('\n');
                }
                Block::Table(h, rows) => {
                    let cell = |c: &str| c.replace('|', "\\|");
                    let _ = writeln!(
                        s,
                        "| {} |",
                        h.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                    );
                    let _ = writeln!(s, "|{}", "---|".repeat(h.len()));
                    for r in rows {
                        let _ = writeln!(
                            s,
                            "| {} |",
                            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                        );
                    }
                    s.push('\n');
                }
                Block::Map(caption, _, file) => {
                    let _ = writeln!(s, "![{caption}]({file})\n\n*{caption}*\n");
                }
            }
        }
        s
    }

    /// The report as one self-contained HTML page: maps inline as SVG, styles inline, nothing
    /// fetched; prints on A4.
    pub fn html(&self) -> String {
        let e = |t: &str| {
            t.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        // Markdown's **bold** and `code` in paragraphs.
        let inline = |t: &str| {
            let mut out = String::new();
            for (k, part) in e(t).split("**").enumerate() {
                if k % 2 == 1 {
                    let _ = write!(out, "<strong>{part}</strong>");
                } else {
                    for (j, p) in part.split('`').enumerate() {
                        if j % 2 == 1 {
                            let _ = write!(out, "<code>{p}</code>");
                        } else {
                            out.push_str(p);
                        }
                    }
                }
            }
            out
        };
        let mut s = format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
            e(&self.title),
            e(&self.title)
        );
        for block in &self.blocks {
            match block {
                Block::Heading(level, t) => {
                    let _ = writeln!(s, "<h{level}>{}</h{level}>", e(t));
                }
                Block::Para(t) => {
                    let _ = writeln!(s, "<p>{}</p>", inline(t));
                }
                Block::List(items) => {
                    s.push_str("<ul>\n");
                    for i in items {
                        let _ = writeln!(s, "<li>{}</li>", inline(i));
                    }
                    s.push_str("</ul>\n");
                }
                Block::Table(h, rows) => {
                    s.push_str("<table>\n<thead><tr>");
                    for c in h {
                        let _ = write!(s, "<th>{}</th>", e(c));
                    }
                    s.push_str("</tr></thead>\n<tbody>\n");
                    for r in rows {
                        s.push_str("<tr>");
                        for c in r {
                            let numeric = c
                                .trim_start_matches(['+', '-'])
                                .starts_with(|ch: char| ch.is_ascii_digit());
                            if numeric {
                                let _ = write!(s, "<td class=\"n\">{}</td>", e(c));
                            } else {
                                let _ = write!(s, "<td>{}</td>", e(c));
                            }
                        }
                        s.push_str("</tr>\n");
                    }
                    s.push_str("</tbody>\n</table>\n");
                }
                Block::Map(caption, svg, _) => {
                    let _ = writeln!(
                        s,
                        "<figure>\n{}<figcaption>{}</figcaption>\n</figure>",
                        svg.replacen("<svg ", "<svg role=\"img\" ", 1),
                        e(caption)
                    );
                }
            }
        }
        s.push_str("</main>\n</body>\n</html>\n");
        s
    }
}

const CSS: &str =
    "body { font-family: 'DejaVu Sans', Verdana, sans-serif; color: #222; margin: 0; }
main { max-width: 1040px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin-bottom: 4px; }
h2 { font-size: 20px; margin-top: 32px; border-bottom: 2px solid #1f4e9e; padding-bottom: 4px; }
p, li { font-size: 14px; line-height: 1.5; }
table { border-collapse: collapse; font-size: 12.5px; margin: 8px 0 12px; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f3f8; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 12px 0; }
figure svg { width: 100%; height: auto; border: 1px solid #ccc; }
figcaption { font-size: 13px; color: #444; }
code { background: #f4f4f4; padding: 0 3px; }
@page { size: A4; margin: 14mm; }
@media print {
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  table, figure { break-inside: avoid; }
}
";
