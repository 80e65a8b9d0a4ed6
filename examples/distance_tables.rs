//! Prints before/after travel distance tables: Buckinghamshire's children's centres (bundled), or
//! any OpenStreetMap extract with your own facilities and origins by latitude/longitude.
//!
//! `cargo run --release --example distance_tables`
//!
//! ```sh
//! cargo run --release --example distance_tables -- --osm tests/fixtures/Helsinki.osm.pbf \
//!     --facilities tests/fixtures/helsinki_pharmacies.csv --origins tests/fixtures/helsinki_grid.csv \
//!     --close 1369465553,6049453002
//! ```
//! `--osm FILE.pbf`: the road network; `--facilities F.csv`: `id,name,lat,lon` (every row is open
//! before); `--origins O.csv`: `lat,lon` with optional `id`, `weight` and group columns (each is
//! broken down); `--close ID,…`: the facilities closed after; `--modes drive,walk,cycle` (default);
//! `--objective distance|time` (default distance).
//!
//! For the bundled study, after the tables: equity measures of both changes (always), then
//! `--best` compares each plan with the best choice of the same size from the located 2017 centres
//! and hubs (p-median, p-center, maximal coverage; drive and walk), and `--uncertainty N` redraws
//! the approximate sites N times within their precision (and spreads homes within the LSOAs) and
//! prints 90% intervals of the headline figures and which conclusions hold in every draw.

use std::path::{Path, PathBuf};
use std::time::Instant;

use travel_impact::report::{TextTable, km, min, pct};
use travel_impact::study::{CHANGES, Study, data_dir};
use travel_impact::uk::{Imd, LsoaPolygons, Population};
use travel_impact::uncertainty::Interval;
use travel_impact::{
    Engine, EngineOptions, Error, Facilities, Goal, Impact, Locator, Measure, Objective,
    OsmOptions, Scenario, origins_from_csv, report,
};

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--osm") {
        return osm(&args);
    }
    let draws = match arg(&args, "--uncertainty") {
        None => None,
        Some(n) => Some(
            n.parse::<usize>()
                .map_err(|_| usage(&format!("--uncertainty {n}: a number of draws")))?,
        ),
    };
    for a in &args {
        if a.starts_with("--") && !["--best", "--uncertainty"].contains(&a.as_str()) {
            return Err(usage(&format!("unknown option {a}")));
        }
    }
    let (bucks, engine) = bucks()?;
    equity(&bucks, &engine)?;
    if args.iter().any(|a| a == "--best") {
        best(&bucks, &engine)?;
    }
    if let Some(n) = draws {
        uncertainty(&bucks, &engine, n)?;
    }
    Ok(())
}

/// The value after `--name`, if given.
fn arg<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn usage(message: &str) -> Error {
    Error::InvalidOption {
        option: "arguments",
        message: format!(
            "{message}\nusage: distance_tables --osm FILE.pbf --facilities F.csv --origins O.csv \
             --close ID[,ID...] [--modes drive,walk,cycle] [--objective distance|time]\n\
             or, for the bundled study: distance_tables [--best] [--uncertainty N]"
        ),
    }
}

/// Before/after tables on an OpenStreetMap extract.
fn osm(args: &[String]) -> Result<(), Error> {
    let need = |name: &str| {
        arg(args, name)
            .map(PathBuf::from)
            .ok_or_else(|| usage(&format!("missing {name}")))
    };
    let (pbf, fac, ori) = (need("--osm")?, need("--facilities")?, need("--origins")?);
    let close: Vec<&str> = arg(args, "--close")
        .ok_or_else(|| usage("missing --close"))?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let modes: Vec<&str> = arg(args, "--modes")
        .unwrap_or("drive,walk,cycle")
        .split(',')
        .collect();
    let objective = match arg(args, "--objective").unwrap_or("distance") {
        "distance" => Objective::Distance,
        "time" => Objective::Time,
        other => return Err(usage(&format!("--objective {other}: distance or time"))),
    };

    let t0 = Instant::now();
    let (engine, ingest) = Engine::from_osm_pbf(&pbf, &OsmOptions::default())?;
    let locator = Locator::new(engine.network().crs());
    let facilities = Facilities::from_csv(&fac, &locator)?;
    let origins = origins_from_csv(&ori, &locator)?;
    let ids = facilities.facility_ids();
    let before = Scenario::new("before", &facilities, ids.iter().copied())?;
    for id in &close {
        if !before.contains(id) {
            return Err(usage(&format!(
                "--close {id}: no such facility in {}",
                fac.display()
            )));
        }
    }
    let after = Scenario::new(
        &format!("after closing {}", close.join(", ")),
        &facilities,
        ids.iter().copied().filter(|id| !close.contains(id)),
    )?;
    let load = t0.elapsed();

    println!("travel-impact: {} -> {}", name(&fac), after.name());
    println!("{}\n", "=".repeat(60));
    println!("{ingest}\n");
    println!("DATA CAVEATS");
    println!(
        "- Roads: OpenStreetMap extract {} (© OpenStreetMap contributors, ODbL).",
        pbf.display()
    );
    println!(
        "  Speeds: maxspeed tags, else defaults per road class (see the ingest report above)."
    );
    println!(
        "- Facilities and origins as given in {} and {}; weights as given",
        fac.display(),
        ori.display()
    );
    println!(
        "  (1 per row without a weight column). {} of {} origin rows rejected.",
        origins.rejected.len(),
        origins.rows()
    );
    println!("- Access legs (point to road) are straight lines at walking speed (4.8 km/h).\n");
    println!("{}\n", report::facilities(&before));
    let groups: Vec<String> = {
        let mut keys: Vec<String> = origins
            .origins
            .iter()
            .flat_map(|o| o.groups.iter().map(|(k, _)| k.to_string()))
            .filter(|k| k != "name")
            .collect();
        keys.sort();
        keys.dedup();
        keys
    };
    let t1 = Instant::now();
    for mode in modes {
        let impact = engine.impact(&origins.origins, &before, &after, mode, objective)?;
        println!(
            "#### {} -> {} by {mode} ####\n",
            before.name(),
            after.name()
        );
        if let Some(model) = &engine.profile(mode)?.profile().car_time {
            println!("{model}\n");
        }
        println!("{}", report::summary(&impact, "origins"));
        print!("{}", report::accounting(&impact));
        for placed in [impact.before().placed(), impact.after().placed()] {
            let t = report::unplaced_sites(placed);
            if !t.rows.is_empty() {
                println!("{t}");
            }
        }
        for key in &groups {
            println!(
                "{}",
                report::breakdown(
                    &format!("By {key} ({mode})"),
                    key,
                    &impact.summary_by(key),
                    |v| v.clone()
                )
            );
        }
        println!("{}", report::largest_increases(&impact, 15));
    }
    println!(
        "timings: load {:.0} ms, before/after runs {:.0} ms",
        load.as_secs_f64() * 1e3,
        t1.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}

fn name(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// The bundled Buckinghamshire study: the before/after tables. Returns the study and engine for
/// the sections after.
fn bucks() -> Result<(Study, Engine), Error> {
    let t0 = Instant::now();
    let bucks = Study::bundled()?;
    let engine = Engine::new(bucks.network.clone(), EngineOptions::default());
    let centres_2017 = bucks.spec("centres-2017")?.real_count.unwrap_or(0);
    let load = t0.elapsed();

    println!("travel-impact: Buckinghamshire children's centres, 2017 -> 2019");
    println!("=================================================================\n");
    println!("DATA CAVEATS");
    println!(
        "- Roads: OpenStreetMap car network of Nov 2016 (no footpaths; walking uses the roads, both ways,"
    );
    println!(
        "  motorways excluded). Estates built since 2016 are missing. Drive times follow the car time model"
    );
    println!(
        "  below (free-flow speeds x factor, junction delays, start/end overheads), not observed traffic."
    );
    println!(
        "- Facilities: only {} of the {} 2017 centres are named in public sources; the other {} are absent,",
        bucks.scenario("centres-2017")?.facilities().len(),
        centres_2017,
        centres_2017 - bucks.scenario("centres-2017")?.facilities().len()
    );
    println!(
        "  so 'before' distances are too long where an unnamed centre stood. One named centre (millbrook)"
    );
    println!(
        "  has no known location. Most sites are approximate (named place or street, precision 50 m - 2.5 km,"
    );
    println!(
        "  listed below); 5 hubs are area placeholders. Homes are LSOA population-weighted centroids."
    );
    println!(
        "- Weights: children aged 0-4 (ONS mid-2017 for the 2017 proposal, mid-2019 for the 2019 decision)."
    );
    println!(
        "  Deprivation: IMD 2015 decile for 2017, IMD 2019 decile for 2019 (1 = most deprived)."
    );
    println!(
        "- Access legs (home to road, road to site) are straight lines at walking speed (4.8 km/h)."
    );
    println!(
        "- 'Nearest facility closed' for hubs-2017 counts a centre as closed unless it is itself a hub row"
    );
    println!(
        "  (burnham, castlefield, sands, hamilton_road): the area-placeholder hubs may be existing centres."
    );
    println!(
        "© OpenStreetMap contributors (ODbL). Contains OS data © Crown copyright and database right 2025;"
    );
    println!(
        "Royal Mail data © Royal Mail copyright and database right 2025; ONS data under the OGL v3.\n"
    );

    println!(
        "- Possible network gaps: routes far longer than the area's typical circuity are flagged"
    );
    println!("  below each summary (a road may be missing from the 2016 network).");
    if let Some(model) = &engine.profile("drive")?.profile().car_time {
        println!("- Drive: {model}.");
    }
    println!();
    for name in bucks.scenario_names() {
        let s = bucks.scenario(name)?;
        println!("{}", report::facilities(&s));
        println!("{}\n", bucks.coverage(&s));
    }

    let before = bucks.scenario("centres-2017")?;
    let t1 = Instant::now();
    for (after_name, population, imd, weight_label) in [
        (
            "hubs-2017",
            Population::Under5Mid2017,
            Imd::Imd2015,
            "children 0-4, mid-2017",
        ),
        (
            "family-centres-2019",
            Population::Under5Mid2019,
            Imd::Imd2019,
            "children 0-4, mid-2019",
        ),
    ] {
        let after = bucks.scenario(after_name)?;
        let origins = bucks.lsoa_origins(population, imd);
        for mode in ["drive", "walk"] {
            let impact = engine.impact(&origins, &before, &after, mode, Objective::Distance)?;
            println!(
                "#### {} -> {} by {} ####\n",
                before.name(),
                after.name(),
                mode
            );
            println!("{}", report::summary(&impact, weight_label));
            print!("{}", report::accounting(&impact));
            println!("{}\n{}\n", bucks.coverage(&before), bucks.coverage(&after));
            for placed in [impact.before().placed(), impact.after().placed()] {
                let t = report::unplaced_sites(placed);
                if !t.rows.is_empty() {
                    println!("{t}");
                }
            }
            println!(
                "{}",
                report::breakdown(
                    &format!("By district ({mode})"),
                    "district",
                    &impact.summary_by("district"),
                    |d| d.to_string()
                )
            );
            println!(
                "{}",
                report::breakdown(
                    &format!("By IMD decile ({mode}; 1 = most deprived)"),
                    "decile",
                    &impact.summary_by("imd_decile"),
                    |d| d.to_string()
                )
            );
            println!("{}", report::largest_increases(&impact, 15));
        }
    }
    println!(
        "timings: load {:.0} ms, four before/after runs {:.0} ms\n",
        load.as_secs_f64() * 1e3,
        t1.elapsed().as_secs_f64() * 1e3
    );
    Ok((bucks, engine))
}

/// LSOA origins, weights and IMD edition of one change (see `CHANGES`).
fn change(after: &str) -> (Population, Imd, &'static str) {
    let (_, p, i) = CHANGES
        .iter()
        .find(|c| c.0 == after)
        .copied()
        .expect("a study change");
    let label = if p == Population::Under5Mid2017 {
        "children 0-4 mid-2017, IMD 2015"
    } else {
        "children 0-4 mid-2019, IMD 2019"
    };
    (p, i, label)
}

/// Equity of both changes, by drive and walk, on distance and time.
fn equity(bucks: &Study, engine: &Engine) -> Result<(), Error> {
    println!("#### EQUITY: who bears the change ####\n");
    println!("Access cost is distance or time, so higher is worse. Gini and Palma (top 10% of");
    println!(
        "children's distance over bottom 40%) of access before and after; concentration index"
    );
    println!("(CI) by IMD rank, most deprived first (fractional ranks, ties within a decile share");
    println!(
        "their average): negative = concentrated on the more deprived. Formulas and references:"
    );
    println!("`travel_impact::equity` (O'Donnell et al. 2008 ch. 8; Cobham and Sumner 2013).");
    println!("No Buckinghamshire LSOA is in IMD decile 1, so 'dec 1-3' is deciles 2-3.\n");
    let before = bucks.scenario("centres-2017")?;
    for (after, _, _) in CHANGES {
        let (population, imd, label) = change(after);
        let after = bucks.scenario(after)?;
        let origins = bucks.lsoa_origins(population, imd);
        let mut table = TextTable::new(
            format!(
                "centres-2017 -> {} ({label}; shortest routes)",
                after.name()
            ),
            &[
                "mode / measure",
                "Gini before",
                "Gini after",
                "Palma before",
                "Palma after",
                "CI before",
                "CI after",
                "CI of change",
                "dec 1-3 / 8-10",
            ],
        );
        let mut deciles = TextTable::new(
            format!(
                "Mean change by IMD decile, centres-2017 -> {}",
                after.name()
            ),
            &["decile", "drive km", "drive min", "walk km", "walk min"],
        );
        let mut per: Vec<Vec<String>> = Vec::new();
        for mode in ["drive", "walk"] {
            let impact = engine.impact(&origins, &before, &after, mode, Objective::Distance)?;
            for measure in [Measure::Distance, Measure::Time] {
                let e = impact.equity("imd_decile", measure);
                table.row(vec![
                    format!("{mode} {measure}"),
                    format!("{:.3}", e.gini_before),
                    format!("{:.3}", e.gini_after),
                    format!("{:.2}", e.palma_before),
                    format!("{:.2}", e.palma_after),
                    format!("{:+.3}", e.concentration_before),
                    format!("{:+.3}", e.concentration_after),
                    format!("{:+.3}", e.concentration_change),
                    e.decile_ratio.map_or("-".into(), |r| format!("{r:.2}")),
                ]);
                for (k, g) in e.by_group.iter().enumerate() {
                    if per.len() <= k {
                        per.push(vec![g.group.clone()]);
                    }
                    per[k].push(match measure {
                        Measure::Distance => km(g.change),
                        Measure::Time => min(g.change),
                    });
                }
                if e.left_out > 0 {
                    table
                        .notes
                        .push(format!("{mode} {measure}: {} LSOAs left out", e.left_out));
                }
            }
        }
        for r in per {
            deciles.row(r);
        }
        println!("{table}\n{deciles}");
    }
    Ok(())
}

/// Each plan against the best choice of the same size, per goal and mode.
fn best(bucks: &Study, engine: &Engine) -> Result<(), Error> {
    println!("#### THE BEST PLAN OF THE SAME SIZE ####\n");
    let (candidates, unlocated) = bucks.candidates()?;
    println!(
        "Candidates: the {} located 2017 centres and proposed hubs ({} left out, not located: {}).",
        candidates.facilities().len(),
        unlocated.len(),
        unlocated.join(", ")
    );
    println!("The 5 placeholder hubs are located at their town or area (precision 1.5-2.5 km) and");
    println!("share points with centres: hub_aylesbury_2 = hub_aylesbury_3 (Aylesbury town),");
    println!("hub_quarrendon_area = quarrendon, hub_buckingham_area = buckingham, hub_chesham =");
    println!(
        "newtown_chesham. So hubs-2017 is 9 facilities at 8 distinct points. Exact solutions by"
    );
    println!(
        "branch and bound unless a gap is shown; the plan is a start of the local search, so the"
    );
    println!(
        "best is never worse. Coverage thresholds: 10 min drive, 20 min walk. Sites listed as"
    );
    println!("plan only / best only exclude those at the same point as one in the other set.\n");
    for (plan_name, k) in [("hubs-2017", 9), ("family-centres-2019", 16)] {
        let (population, imd, label) = change(plan_name);
        let origins = bucks.lsoa_origins(population, imd);
        let plan = bucks.scenario(plan_name)?;
        let before = bucks.scenario("centres-2017")?;
        let mut table = TextTable::new(
            format!("{plan_name} (k = {k}) against the best {k} ({label})"),
            &[
                "mode / goal",
                "plan",
                "best",
                "gap",
                "ms",
                "plan only",
                "best only",
            ],
        );
        let mut effects = Vec::new();
        for mode in ["drive", "walk"] {
            let r = engine.profile(mode)?;
            let snaps = r.snap_origins(&origins);
            let within = if mode == "drive" { 600.0 } else { 1200.0 };
            for (objective, measure) in [
                (Objective::Time, Measure::Time),
                (Objective::Distance, Measure::Distance),
            ] {
                let matrix = r.cost_matrix(&candidates, &origins, &snaps, objective)?;
                let start = matrix.indices(&plan)?;
                let goals: &[Goal] = match measure {
                    Measure::Time => &[Goal::Median, Goal::Center, Goal::Coverage { within }],
                    Measure::Distance => &[Goal::Median],
                };
                for &goal in goals {
                    let t = Instant::now();
                    let s = matrix.select(goal, measure, k, std::slice::from_ref(&start))?;
                    let ms = t.elapsed().as_secs_f64() * 1e3;
                    let show = |v: f64| match (goal, measure) {
                        (Goal::Coverage { .. }, _) => pct(v),
                        (_, Measure::Time) => format!("{} min", min(v)),
                        (_, Measure::Distance) => format!("{} km", km(v)),
                    };
                    let name = match goal {
                        Goal::Median => format!("{mode} mean {measure}"),
                        Goal::Center => format!("{mode} worst {measure}"),
                        Goal::Coverage { within } => format!("{mode} within {} min", within / 60.0),
                    };
                    let ids = |set: &[usize]| -> Vec<&str> {
                        set.iter().map(|&j| matrix.candidates[j].as_str()).collect()
                    };
                    let plan_ids = ids(&start);
                    let best_ids = ids(&s.chosen);
                    // A site at the same point as one of the other set's (a placeholder hub
                    // and its centre) is not a difference.
                    let points = |id: &str| -> Vec<_> {
                        bucks
                            .facilities
                            .sites_of(id)
                            .filter_map(|s| s.point())
                            .collect()
                    };
                    let only = |a: &[&str], b: &[&str]| {
                        a.iter()
                            .filter(|x| !b.iter().any(|y| points(x) == points(y)))
                            .copied()
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    table.row(vec![
                        name,
                        show(matrix.value(goal, measure, &start)),
                        show(s.value),
                        if s.exact {
                            "exact".into()
                        } else {
                            format!("{:.2}%", s.gap() * 100.0)
                        },
                        format!("{ms:.0}"),
                        only(&plan_ids, &best_ids),
                        only(&best_ids, &plan_ids),
                    ]);
                    if goal == Goal::Median {
                        let best_plan = Scenario::new(
                            &format!("best-{k}-{mode}-{measure}"),
                            &bucks.facilities,
                            best_ids.iter().copied(),
                        )?;
                        let a = engine.impact(&origins, &before, &plan, mode, objective)?;
                        let b = engine.impact(&origins, &before, &best_plan, mode, objective)?;
                        effects.push((format!("{mode} {measure}"), measure, a, b));
                    }
                }
            }
        }
        println!("{table}");
        for (key, title) in [("district", "district"), ("imd_decile", "IMD decile")] {
            let mut t = TextTable::new(
                format!(
                    "Mean change from centres-2017 by {title}: {plan_name} vs the best {k} (p-median)"
                ),
                &[
                    "group",
                    "drive time plan",
                    "best",
                    "drive km plan",
                    "best",
                    "walk km plan",
                    "best",
                ],
            );
            let cols: Vec<Vec<(Option<String>, f64)>> = effects
                .iter()
                .filter(|e| e.0 != "walk time")
                .flat_map(|(_, measure, a, b)| [a, b].map(|i| by_group(i, key, *measure)))
                .collect();
            for (g, group) in cols[0].iter().enumerate() {
                let mut row = vec![group.0.clone().unwrap_or_else(|| "-".into())];
                for (c, col) in cols.iter().enumerate() {
                    row.push(if c < 2 { min(col[g].1) } else { km(col[g].1) });
                }
                t.row(row);
            }
            println!("{t}");
        }
    }
    Ok(())
}

/// Mean change per value of group `key`.
fn by_group(impact: &Impact<'_>, key: &str, measure: Measure) -> Vec<(Option<String>, f64)> {
    impact
        .summary_by(key)
        .into_iter()
        .map(|(g, s)| {
            (
                g,
                match measure {
                    Measure::Distance => s.change_m.mean,
                    Measure::Time => s.change_s.mean,
                },
            )
        })
        .collect()
}

/// 90% intervals of the headline figures over redrawn sites and over spread homes.
fn uncertainty(bucks: &Study, engine: &Engine, draws: usize) -> Result<(), Error> {
    println!("#### HOW SURE WE ARE ####\n");
    let t = Instant::now();
    let sites = bucks.site_uncertainty(engine, draws, 2017, 100.0)?;
    let site_s = t.elapsed().as_secs_f64();
    let moved = bucks
        .facilities
        .sites()
        .iter()
        .filter(|s| s.point().is_some() && s.precision_m.is_some_and(|p| p > 100.0))
        .count();
    show_intervals(
        &format!(
            "Sites: {moved} of {} located sites (precision > 100 m) redrawn {draws} times within their \
             precision, snapped to the drive network (seed 2017; {site_s:.1} s)",
            bucks
                .facilities
                .sites()
                .iter()
                .filter(|s| s.point().is_some())
                .count()
        ),
        &sites,
    );
    let polygons = LsoaPolygons::from_csv(&data_dir()?.join("lsoa11_bucks_bsc.csv"))?;
    let (homes, sets) = (10_000, 20);
    let t = Instant::now();
    let origins = bucks.origin_uncertainty(engine, &polygons, homes, sets, 1)?;
    show_intervals(
        &format!(
            "Homes: LSOA centroids (point) against {sets} sets of {homes} synthetic homes spread \
             within the LSOAs like their children 0-4 (mid-2019; seeds 1-{sets}; {:.1} s)",
            t.elapsed().as_secs_f64()
        ),
        &origins,
    );
    Ok(())
}

fn show_intervals(title: &str, figures: &[(String, Interval)]) {
    let mut t = TextTable::new(
        title,
        &[
            "figure",
            "point",
            "5%",
            "95%",
            "min",
            "max",
            "in every draw",
        ],
    );
    let fmt = |name: &str, v: f64| {
        if name.contains("share") {
            pct(v)
        } else if name.contains("(s)") {
            min(v)
        } else {
            km(v)
        }
    };
    for (name, i) in figures {
        let robust = if !name.contains("change") {
            String::new()
        } else if i.always_above(0.0) {
            "rises".into()
        } else if i.always_below(0.0) {
            "falls".into()
        } else {
            "NOT robust".into()
        };
        let unit = if name.contains("share") {
            name.clone()
        } else {
            name.replace("(m)", "(km)").replace("(s)", "(min)")
        };
        t.row(vec![
            unit,
            fmt(name, i.point),
            fmt(name, i.low),
            fmt(name, i.high),
            fmt(name, i.min),
            fmt(name, i.max),
            robust,
        ]);
    }
    println!("{t}");
}
