//! The OpenStreetMap PBF loader on arbitrary bytes: Ok or a typed error, never a panic to the
//! caller (a panic inside the blob decoder is caught and reported as `Error::Pbf`); when it loads,
//! the report agrees with the network.
#![no_main]

use std::path::Path;
use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use travel_impact::{Engine, EngineOptions, Error, OsmOptions};

static QUIET: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    // libFuzzer's hook aborts on any panic, even one the loader catches on purpose; an escaped
    // panic still aborts (libfuzzer-sys catches it at the boundary), so crashes stay crashes.
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let options = OsmOptions {
        engine: EngineOptions {
            min_component_nodes: 0,
            ..EngineOptions::default()
        },
        ..OsmOptions::default()
    };
    match Engine::from_osm_pbf_bytes(Path::new("fuzz.osm.pbf"), data, &options) {
        Ok((engine, report)) => {
            let net = engine.network();
            assert_eq!(report.roads, net.roads().len());
            assert_eq!(report.junctions, net.node_count());
            assert_eq!(report.roads_by_highway.values().sum::<usize>(), report.roads);
            for road in net.roads() {
                assert!(road.length_m.is_finite() && road.length_m >= 0.0);
                assert!(road.geometry.len() >= 2);
                assert!(road.speed_kmh.is_finite() && road.speed_kmh >= 0.0);
            }
            assert!(report.km().is_finite());
            assert_eq!(report.profiles.len(), 3);
            for p in &report.profiles {
                assert!(p.left_out_roads <= p.roads);
            }
            let _ = report.to_string();
        }
        Err(e) => {
            assert!(
                matches!(e, Error::Pbf { .. } | Error::Empty { .. } | Error::Field { .. }),
                "{e}"
            );
            assert!(e.to_string().starts_with("fuzz.osm.pbf"), "{e}");
        }
    }
});
