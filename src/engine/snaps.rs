//! Many points snapped at once, packed: 24 bytes a point (road, access leg, and the exact costs of
//! its two ways off the road), failures kept apart with their reasons. Snapped once, reused for
//! every scenario compared: a scenario's lookup then adds two junction costs and reads no road.

use std::sync::Arc;

use crate::engine::search::{Leg32, Legs, Spot};
use crate::engine::snap::{Position, SnapError};
use crate::error::{Error, Result};
use crate::load::Origin;
use crate::load::origin::{Prints, point_fingerprint};
use crate::network::RoadId;
use crate::network::prepared::ProfileGraph;

/// One packed snap; `road == FAILED` marks a failure (its reason is in `Snaps::errors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Packed {
    pub(crate) road: u32,
    /// The access leg in whole millimetres (the engine caps the snap radius so it fits).
    pub(crate) access_mm: u32,
    /// [`Legs`] (mm, ms) to the road's `to` and `from` junctions: `NO_LEG` where the profile
    /// forbids the direction, `FAR` where a value needs 64 bits (then in `Snaps::far`).
    pub(crate) to: [u32; 2],
    pub(crate) from: [u32; 2],
}

const FAILED: u32 = u32::MAX;
const NO_LEG: u32 = u32::MAX;
const FAR: u32 = u32::MAX - 1;

/// A leg in 32 bits, if it fits below the two markers.
fn pack_leg(leg: Option<(u64, u64)>) -> Option<[u32; 2]> {
    match leg {
        None => Some([NO_LEG, NO_LEG]),
        Some((mm, ms)) => {
            let fit = |v: u64| u32::try_from(v).ok().filter(|&v| v < FAR);
            Some([fit(mm)?, fit(ms)?])
        }
    }
}

fn unpack_leg(leg: [u32; 2]) -> Option<(u64, u64)> {
    (leg[0] != NO_LEG).then_some((leg[0] as u64, leg[1] as u64))
}

/// Where each of many points landed on the network for one profile, in input order
/// ([`Router::snap_origins`](crate::Router::snap_origins)). Cheap to clone (shared). They belong
/// to those origins' points, in that order: read with origins reordered or moved since, they
/// are an error (reweighted origins keep them).
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
    /// A shared `Vec` rather than `Arc<[_]>`, which would copy 24 MB per million points.
    pub(crate) packed: Arc<Vec<Packed>>,
    /// (index, reason) of every failed snap, by index.
    pub(crate) errors: Arc<[(u32, SnapError)]>,
    /// (index, legs) of the snaps whose legs need 64 bits, by index.
    pub(crate) far: Arc<[(u32, Legs)]>,
    /// The fingerprints of the origins snapped: what is read with these snaps must be them.
    pub(crate) prints: Prints,
}

impl Snaps {
    /// One snap, packed with its legs on `graph`'s profile; a failure packs as `FAILED` (its
    /// reason is kept apart), legs that need 64 bits as `FAR` (kept apart too).
    pub(crate) fn pack(graph: &ProfileGraph, s: &Result<Position, SnapError>) -> Packed {
        match s {
            Ok(p) => {
                let spot = Spot::from(p);
                let legs = Legs::of(graph, &spot);
                let (to, from) = match (pack_leg(legs.to), pack_leg(legs.from)) {
                    (Some(to), Some(from)) => (to, from),
                    _ => ([FAR, FAR], [FAR, FAR]),
                };
                Packed {
                    road: spot.road.index() as u32,
                    access_mm: u32::try_from(spot.access_mm)
                        .expect("the snap radius is capped below 4,000 km"),
                    to,
                    from,
                }
            }
            Err(_) => Self::NOT_SNAPPED,
        }
    }

    /// From packed snaps in input order, the reasons of the failed ones and the legs too wide to
    /// pack, each by index.
    pub(crate) fn from_parts(
        profile: &str,
        packed: Vec<Packed>,
        errors: Vec<(u32, SnapError)>,
        far: Vec<(u32, Legs)>,
        prints: Prints,
    ) -> Self {
        debug_assert!(errors.windows(2).all(|w| w[0].0 < w[1].0));
        debug_assert!(far.windows(2).all(|w| w[0].0 < w[1].0));
        Self {
            profile: profile.to_string(),
            packed: Arc::new(packed),
            errors: errors.into(),
            far: far.into(),
            prints,
        }
    }

    /// A point not snapped (its reason is kept apart).
    pub(crate) const NOT_SNAPPED: Packed = Packed {
        road: FAILED,
        access_mm: 0,
        to: [NO_LEG; 2],
        from: [NO_LEG; 2],
    };

    /// Whether packed snap `p`'s legs are kept apart, in 64 bits.
    pub(crate) fn is_far(p: &Packed) -> bool {
        p.to[0] == FAR
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

    /// An error unless these snaps were made for `origins`' points, in their order (their
    /// weights may differ: a snap does not depend on them). `origins_print`, when the caller has
    /// summed it (as the lookups do in their own pass), settles the usual case without another
    /// pass over the origins.
    pub(crate) fn check_origins(
        &self,
        origins: &[Origin],
        origins_print: Option<u64>,
    ) -> Result<()> {
        // Every caller has checked the counts already.
        if origins_print == Some(self.prints.origins)
            || point_fingerprint(origins) == self.prints.points
        {
            return Ok(());
        }
        Err(Error::InvalidOption {
            option: "snaps",
            message: "the snaps were made for other origins (a point differs, or they were \
                      reordered); snap these with Router::snap_origins"
                .into(),
        })
    }

    /// Point `i`'s road and its legs to the road's `to` and `from` junctions in 32 bits
    /// (`None` where the profile forbids the direction), if it snapped and they fit.
    #[inline(always)]
    pub(crate) fn plain(&self, i: usize) -> Option<(u32, Leg32, Leg32)> {
        let p = self.packed[i];
        let leg = |l: [u32; 2]| (l[0] != NO_LEG).then_some(l);
        (!Self::is_failed(&p) & !Self::is_far(&p)).then(|| (p.road, leg(p.to), leg(p.from)))
    }

    /// Point `i`'s road and [`Legs`], or its snap error.
    #[inline]
    pub(crate) fn legs(&self, i: usize) -> Result<(RoadId, Legs), SnapError> {
        let p = self.packed[i];
        if p.road == FAILED {
            return Err(self.error(i).expect("every failed snap has its reason"));
        }
        let legs = if Self::is_far(&p) {
            let k = self
                .far
                .binary_search_by_key(&(i as u32), |&(j, _)| j)
                .expect("every far snap has its legs");
            self.far[k].1
        } else {
            Legs {
                to: unpack_leg(p.to),
                from: unpack_leg(p.from),
            }
        };
        Ok((RoadId::new(p.road as usize), legs))
    }
}
