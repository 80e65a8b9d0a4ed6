//! Stage benchmarks on the bundled county graph: load, index, snap, search, full impact, and a
//! user's 1M-home file read and written.
//! `cargo bench` (about 6 minutes on 2 cores); medians are in README.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use travel_impact::study::{Study, data_dir};
use travel_impact::uk::{Imd, LsoaPolygons, Population, Spread, synthetic_homes};
use travel_impact::{
    Engine, EngineOptions, Locator, Network, Objective, Origin, origins_from_csv, write_csv_to,
};

fn load_network() -> Network {
    let dir = data_dir().unwrap();
    Network::from_csv(
        &dir.join("roads/nodes.csv.gz"),
        &dir.join("roads/edges.csv.gz"),
    )
    .unwrap()
}

fn synthetic(bucks: &Study, n: usize) -> Vec<Origin> {
    let polygons =
        LsoaPolygons::from_csv(&data_dir().unwrap().join("lsoa11_bucks_bsc.csv")).unwrap();
    synthetic_homes(n, 7, &bucks.lsoas, &polygons, Spread::Uniform).unwrap()
}

fn benches(c: &mut Criterion) {
    let bucks = Study::bundled().unwrap();
    let before = bucks.scenario("centres-2017").unwrap();
    let after = bucks.scenario("family-centres-2019").unwrap();
    let engine = Engine::new(bucks.network.clone(), EngineOptions::default());
    for mode in ["drive", "walk"] {
        engine.profile(mode).unwrap().prepare();
    }
    let drive = engine.profile("drive").unwrap();
    let lsoas = bucks.lsoa_origins(Population::Under5Mid2019, Imd::Imd2019);
    let postcodes = bucks.postcodes.origins(None).origins;
    let homes_1m = synthetic(&bucks, 1_000_000);
    let points_10k: Vec<_> = homes_1m.iter().take(10_000).cloned().collect();
    let snaps_1m = drive.snap_origins(&homes_1m);
    let placed_before = drive.place(&before, Objective::Distance);
    let placed_after = drive.place(&after, Objective::Distance);
    let hubs = bucks.scenario("hubs-2017").unwrap();

    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("network_load_and_build", |b| b.iter(load_network));
    g.bench_function("engine_new_and_prepare_drive", |b| {
        b.iter(|| {
            let e = Engine::new(bucks.network.clone(), EngineOptions::default());
            e.profile("drive").unwrap().prepare();
            e
        })
    });
    g.finish();

    let mut g = c.benchmark_group("snap");
    g.sample_size(10);
    g.bench_function("snap_10k", |b| {
        b.iter(|| drive.snap_origins(black_box(&points_10k)))
    });
    g.bench_function("snap_1m", |b| {
        b.iter(|| drive.snap_origins(black_box(&homes_1m)))
    });
    g.bench_function("index_and_snap_1m", |b| {
        b.iter(|| {
            let e = Engine::new(bucks.network.clone(), EngineOptions::default());
            e.profile("drive")
                .unwrap()
                .snap_origins(black_box(&homes_1m))
        })
    });
    g.finish();

    let mut g = c.benchmark_group("search");
    for mode in ["drive", "walk"] {
        g.bench_function(format!("one_multi_source_search_{mode}"), |b| {
            b.iter(|| {
                engine
                    .profile(mode)
                    .unwrap()
                    .place(black_box(&after), Objective::Distance)
            })
        });
    }
    g.finish();

    // The stages after the searches, on 1M origins: lookups of one scenario, the comparison's
    // summary, its breakdown by district, and one extra scenario against the same before side.
    let mut g = c.benchmark_group("stages_1m");
    g.sample_size(10);
    g.bench_function("lookups_one_scenario", |b| {
        b.iter(|| drive.outcomes(&homes_1m, &snaps_1m, black_box(&placed_after)))
    });
    let out_before = drive
        .outcomes(&homes_1m, &snaps_1m, &placed_before)
        .unwrap();
    let out_after = drive.outcomes(&homes_1m, &snaps_1m, &placed_after).unwrap();
    g.bench_function("lookups_both_and_summary", |b| {
        b.iter(|| {
            // Fresh outcomes each time, so neither side's summary is cached.
            let (b0, a0) = (out_before.clone(), out_after.clone());
            let (b1, a1) = (
                drive.outcomes(&homes_1m, &snaps_1m, b0.placed()).unwrap(),
                drive.outcomes(&homes_1m, &snaps_1m, a0.placed()).unwrap(),
            );
            drive
                .compare(&homes_1m, &snaps_1m, &b1, &a1)
                .unwrap()
                .summary()
        })
    });
    let compared = drive
        .compare(&homes_1m, &snaps_1m, &out_before, &out_after)
        .unwrap();
    let _ = compared.summary();
    g.bench_function("summary_by_district", |b| {
        b.iter(|| black_box(&compared).summary_by("district"))
    });
    g.bench_function("extra_scenario", |b| {
        b.iter(|| {
            let placed = drive.place(black_box(&hubs), Objective::Distance);
            let out = drive.outcomes(&homes_1m, &snaps_1m, &placed).unwrap();
            compared.with_after(&out).unwrap().summary()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("impact");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("lsoas_319_drive", |b| {
        b.iter(|| {
            drive
                .impact(black_box(&lsoas), &before, &after, Objective::Distance)
                .summary()
        })
    });
    g.bench_function("postcodes_all_drive", |b| {
        b.iter(|| {
            drive
                .impact(black_box(&postcodes), &before, &after, Objective::Distance)
                .summary()
        })
    });
    g.bench_function("synthetic_1m_drive", |b| {
        b.iter(|| {
            drive
                .impact(black_box(&homes_1m), &before, &after, Objective::Distance)
                .summary()
        })
    });
    g.finish();

    // A user's own file of 1M homes (id, easting, northing, weight and the homes' groups, as
    // written here from the synthetic homes): reading it, and writing every origin's row.
    let mut g = c.benchmark_group("files_1m");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    let path = std::env::temp_dir().join("travel-impact-bench-homes.csv");
    write_homes(&homes_1m, &path);
    g.bench_function("read_origins_csv", |b| {
        b.iter(|| origins_from_csv(black_box(&path), &Locator::default()).unwrap())
    });
    let impact = drive.impact(&homes_1m, &before, &after, Objective::Distance);
    g.bench_function("write_impact_csv", |b| {
        b.iter(|| {
            write_csv_to(
                black_box(&impact),
                None,
                std::io::sink(),
                "out.csv".as_ref(),
            )
        })
    });
    g.finish();
    let _ = std::fs::remove_file(&path);
}

/// Writes `homes` as an origins file: id, easting, northing, weight, then their groups' columns.
fn write_homes(homes: &[Origin], path: &std::path::Path) {
    let keys: Vec<String> = homes[0].groups.iter().map(|(k, _)| k.to_string()).collect();
    let mut w = csv::Writer::from_path(path).unwrap();
    let mut head = vec!["id", "easting", "northing", "weight"];
    head.extend(keys.iter().map(String::as_str));
    w.write_record(&head).unwrap();
    for o in homes {
        let mut row = vec![
            o.id.to_string(),
            o.point.x_m.to_string(),
            o.point.y_m.to_string(),
            o.weight.to_string(),
        ];
        row.extend(keys.iter().map(|k| o.group(k).unwrap_or("").to_string()));
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
}

criterion_group!(engine_benches, benches);
criterion_main!(engine_benches);
