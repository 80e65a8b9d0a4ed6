//! Stage benchmarks on the bundled county graph: load, index, snap, search, full impact.
//! `cargo bench` (about 5 minutes on 2 cores); medians are in README.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use travel_impact::study::{Study, data_dir};
use travel_impact::uk::{Imd, LsoaPolygons, Population, Spread, synthetic_homes};
use travel_impact::{Engine, EngineOptions, Network, Objective, Origin};

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
    // Fill the cell cache once, so "warm" measures steady-state snapping.
    let _ = drive.snap_origins(&homes_1m);

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
    g.bench_function("snap_10k_warm", |b| {
        b.iter(|| drive.snap_origins(black_box(&points_10k)))
    });
    g.bench_function("snap_1m_warm", |b| {
        b.iter(|| drive.snap_origins(black_box(&homes_1m)))
    });
    g.bench_function("snap_1m_cold", |b| {
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
}

criterion_group!(engine_benches, benches);
criterion_main!(engine_benches);
