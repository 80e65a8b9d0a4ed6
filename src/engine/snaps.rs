//! Many points snapped at once, packed: 16 bytes a point (road, fraction, access leg), failures
//! kept apart with their reasons. Snapped once, reused for every scenario compared.

use std::sync::Arc;

use crate::engine::search::Spot;
use crate::engine::snap::{Position, SnapError};
use crate::network::RoadId;

/// One packed snap; `road == FAILED` marks a failure (its reason is in `Snaps::errors`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Packed {
    pub(crate) fraction: f64,
    pub(crate) road: u32,
    /// The access leg in whole millimetres (the engine caps the snap radius so it fits).
    pub(crate) access_mm: u32,
}

const FAILED: u32 = u32::MAX;

/// Where each of many points landed on the network for one profile, in input order
/// ([`Router::snap_origins`](crate::Router::snap_origins)). Cheap to clone (shared).
///
/// ```
/// use travel_impact::{Engine, EngineOptions, NetworkBuilder, Origin, RoadSpec, geom::Xy};
/// let mut b = NetworkBuilder::new();
/// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(1000.0, 0.0));
/// b.road(RoadSpec::new(1, 1, 2));
/// let engine = Engine::new(b.build()?, EngineOptions::default());
/// let homes = [Origin::new("near", Xy::new(500.0, 20.0)), Origin::new("far", Xy::new(500.0, 9e3))];
/// let snaps = engine.profile("walk")?.snap_origins(&homes);
/// assert_eq!(snaps.access_m(0), Some(20.0));
/// assert!(snaps.error(1).is_some()); // 9 km from the road
/// assert_eq!(snaps.failed(), 1);
/// # Ok::<(), travel_impact::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Snaps {
    pub(crate) profile: String,
    /// A shared `Vec` rather than `Arc<[_]>`, which would copy 16 MB per million points.
    pub(crate) packed: Arc<Vec<Packed>>,
    /// (index, reason) of every failed snap, by index.
    pub(crate) errors: Arc<[(u32, SnapError)]>,
}

impl Snaps {
    /// One snap, packed; a failure packs as `FAILED` (its reason is kept apart).
    pub(crate) fn pack(s: &Result<Position, SnapError>) -> Packed {
        match s {
            Ok(p) => {
                let spot = Spot::from(p);
                Packed {
                    fraction: spot.fraction,
                    road: spot.road.index() as u32,
                    access_mm: u32::try_from(spot.access_mm)
                        .expect("the snap radius is capped below 4,000 km"),
                }
            }
            Err(_) => Packed {
                fraction: 0.0,
                road: FAILED,
                access_mm: 0,
            },
        }
    }

    /// From packed snaps in input order and the reasons of the failed ones, by index.
    pub(crate) fn from_parts(
        profile: &str,
        packed: Vec<Packed>,
        errors: Vec<(u32, SnapError)>,
    ) -> Self {
        debug_assert!(errors.windows(2).all(|w| w[0].0 < w[1].0));
        Self {
            profile: profile.to_string(),
            packed: Arc::new(packed),
            errors: errors.into(),
        }
    }

    /// Whether packed snap `p` is a failure.
    pub(crate) fn is_failed(p: &Packed) -> bool {
        p.road == FAILED
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.packed.len()
    }
    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }
    /// The profile they were snapped for.
    pub fn profile(&self) -> &str {
        &self.profile
    }
    /// Number of points not snapped.
    pub fn failed(&self) -> usize {
        self.errors.len()
    }
    /// Why point `i` was not snapped, if it was not.
    pub fn error(&self, i: usize) -> Option<SnapError> {
        if self.packed[i].road != FAILED {
            return None;
        }
        self.errors
            .binary_search_by_key(&(i as u32), |&(j, _)| j)
            .ok()
            .map(|k| self.errors[k].1)
    }
    /// The straight access leg of point `i` to its road (metres, to the millimetre), if snapped.
    pub fn access_m(&self, i: usize) -> Option<f64> {
        let p = self.packed[i];
        (p.road != FAILED).then(|| p.access_mm as f64 / 1000.0)
    }
    /// The road point `i` snapped to, if it did.
    pub fn road(&self, i: usize) -> Option<RoadId> {
        let p = self.packed[i];
        (p.road != FAILED).then(|| RoadId::new(p.road as usize))
    }

    /// Point `i` as a [`Spot`], or its snap error.
    pub(crate) fn spot(&self, i: usize) -> Result<Spot, SnapError> {
        let p = self.packed[i];
        if p.road == FAILED {
            return Err(self.error(i).expect("every failed snap has its reason"));
        }
        Ok(Spot {
            road: RoadId::new(p.road as usize),
            fraction: p.fraction,
            access_mm: p.access_mm as u64,
        })
    }
}
