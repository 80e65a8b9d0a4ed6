//! Prints before/after travel distance tables for Buckinghamshire's children's centres.
//!
//! `cargo run --release --example distance_tables`

use std::time::Instant;

use travel_impact::study::Study;
use travel_impact::uk::{Imd, Population};
use travel_impact::{Engine, EngineOptions, Objective, report};

fn main() -> Result<(), travel_impact::Error> {
    let t0 = Instant::now();
    let bucks = Study::bundled()?;
    let engine = Engine::new(bucks.network.clone(), EngineOptions::default());
    let centres_2017 = bucks.spec("centres-2017")?.real_count;
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
