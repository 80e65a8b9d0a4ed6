//! OpenStreetMap ingest throughput on the test fixtures: `cargo bench --bench osm`.
//! Reads the file, cuts and measures the roads, builds the network (no profiles).

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use travel_impact::{Engine, Network, OsmOptions};

fn benches(c: &mut Criterion) {
    let options = OsmOptions::default();
    let mut g = c.benchmark_group("osm_ingest");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    for name in ["Helsinki.osm.pbf", "test.osm.pbf"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let bytes = std::fs::metadata(&path).unwrap().len();
        g.throughput(Throughput::Bytes(bytes));
        g.bench_function(format!("network_{name}"), |b| {
            b.iter(|| Network::from_osm_pbf(&path, &options).unwrap())
        });
        g.bench_function(format!("engine_drive_walk_cycle_{name}"), |b| {
            b.iter(|| Engine::from_osm_pbf(&path, &options).unwrap())
        });
    }
    g.finish();
}

criterion_group!(osm, benches);
criterion_main!(osm);
