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

use std::path::{Path, PathBuf};
use std::time::Instant;

use travel_impact::study::Study;
use travel_impact::uk::{Imd, Population};
use travel_impact::{
    Engine, EngineOptions, Error, Facilities, Locator, Objective, OsmOptions, Scenario,
    origins_from_csv, report,
};

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() { bucks() } else { osm(&args) }
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
             --close ID[,ID...] [--modes drive,walk,cycle] [--objective distance|time]"
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
        for placed in [impact.before.placed(), impact.after.placed()] {
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

/// The bundled Buckinghamshire study.
fn bucks() -> Result<(), Error> {
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
            for placed in [impact.before.placed(), impact.after.placed()] {
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
        "timings: load {:.0} ms, four before/after runs {:.0} ms",
        load.as_secs_f64() * 1e3,
        t1.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}
