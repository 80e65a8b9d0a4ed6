//! Random small networks for property tests (included with `#[path]` by the suites that need them).

use travel_impact::geom::Xy;
use travel_impact::{Engine, EngineOptions, NetworkBuilder, Profile, RoadSpec};

/// Profiles every property is checked on.
pub const PROFILES: [&str; 3] = ["drive", "drive-free-flow", "walk"];
/// Road speeds (km/h) a road's speed index picks from; 0 means "no speed given".
pub const SPEEDS: [f64; 4] = [0.0, 5.0, 30.0, 100.0];

/// A road: (from, to, one-way, speed index, motorway, length factor over the straight line).
pub type RandomRoad = (usize, usize, bool, usize, bool, Option<f64>);

/// The engine of nodes (indices are ids) and roads, every profile prepared, snapping anywhere and
/// keeping islands; `None` if the builder refuses the network.
pub fn engine(nodes: &[(f64, f64)], roads: &[RandomRoad]) -> Option<Engine> {
    let mut b = NetworkBuilder::new();
    for (i, &(x, y)) in nodes.iter().enumerate() {
        b.node(i as u64, Xy::new(x, y));
    }
    for (i, &(from, to, one_way, speed, motorway, factor)) in roads.iter().enumerate() {
        let mut r = RoadSpec::new(i as u64, from as u64, to as u64).speed_kmh(SPEEDS[speed]);
        if one_way {
            r = r.one_way();
        }
        if motorway {
            r = r.motorway();
        }
        if let Some(f) = factor {
            let ((x0, y0), (x1, y1)) = (nodes[from], nodes[to]);
            r = r.length_m(f * (x1 - x0).hypot(y1 - y0));
        }
        b.road(r);
    }
    let net = b.build().ok()?;
    let options = EngineOptions {
        max_snap_m: 1e6,
        min_component_nodes: 0,
    };
    let profiles = PROFILES.map(|p| Profile::preset(p).unwrap());
    Some(Engine::with_profiles(net, options, profiles).unwrap())
}
