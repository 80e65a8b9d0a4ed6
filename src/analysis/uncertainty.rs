//! How sure we are: approximate sites redrawn within their stated precision, and intervals of
//! any figure over the draws.
//!
//! A site located only to a street or a named place carries `precision_m`, a radius that should
//! contain the real building. A draw moves every such site (precision above a threshold) to a
//! uniform random point in the disc of that radius around its point, then onto the nearest road
//! a profile may use (the snapped point becomes the site's point): a plausible building on the
//! network. Sites with a smaller or no stated precision stay. Draws are reproducible: site `s`
//! of draw `d` uses its own [`SplitMix64`] stream from (seed, d, s), so the result does not
//! depend on the order or the thread count in which draws are made.
//!
//! Nearer roads get more of the disc's mass than a walk along the roads would give them; the
//! snap, not the disc, decides where on the network a site lands.

use crate::engine::Router;
use crate::geom::Xy;
use crate::load::{Facilities, Location};
use crate::random::SplitMix64;

/// Attempts at a point that snaps before a site keeps its stated point.
const TRIES: usize = 16;

/// Facilities with every site whose `precision_m` exceeds `min_precision_m` moved to a random
/// point within its precision, snapped onto `router`'s roads (see the [module docs](self)).
/// Draw `draw` of `seed` is always the same.
///
/// ```
/// use travel_impact::{Engine, EngineOptions, Facilities, NetworkBuilder, RoadSpec, geom::Xy,
///     uncertainty::redraw_sites};
/// let mut b = NetworkBuilder::new();
/// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(5000.0, 0.0));
/// b.road(RoadSpec::new(1, 1, 2));
/// let engine = Engine::new(b.build()?, EngineOptions::default());
/// let mut sites = Facilities::from_points([("x", Xy::new(2500.0, 0.0))])?;
/// sites.set_precision("x", Some(800.0))?;
/// let a = redraw_sites(&sites, &engine.profile("walk")?, 100.0, 7, 0);
/// let p = a.sites()[0].point().unwrap();
/// assert_eq!(p.y_m, 0.0); // on the road
/// assert!((p.x_m - 2500.0).abs() <= 800.0);
/// assert_eq!(redraw_sites(&sites, &engine.profile("walk")?, 100.0, 7, 0).sites(), a.sites());
/// # Ok::<(), travel_impact::Error>(())
/// ```
pub fn redraw_sites(
    facilities: &Facilities,
    router: &Router<'_>,
    min_precision_m: f64,
    seed: u64,
    draw: u64,
) -> Facilities {
    let mut out = facilities.clone();
    for (s, site) in out.sites.iter_mut().enumerate() {
        let (Location::At(at), Some(radius)) = (&site.location, site.precision_m) else {
            continue;
        };
        if !(radius > min_precision_m && radius.is_finite()) {
            continue;
        }
        let mut rng = SplitMix64::new(
            seed ^ (draw.wrapping_add(1)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (s as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03),
        );
        for _ in 0..TRIES {
            let r = radius * rng.next_f64().sqrt();
            let a = std::f64::consts::TAU * rng.next_f64();
            let p = Xy::new(at.x_m + r * a.cos(), at.y_m + r * a.sin());
            if let Ok(snapped) = router.snap(p) {
                site.location = Location::At(snapped.point);
                break;
            }
        }
    }
    out
}

/// A figure's value with the data as given, and its spread over draws.
///
/// ```
/// use travel_impact::uncertainty::Interval;
/// let draws: Vec<f64> = (0..=100).map(f64::from).collect();
/// let i = Interval::new(50.0, &draws);
/// assert_eq!((i.low, i.high), (5.0, 95.0));
/// assert!(i.contains_point());
/// assert!(i.always_above(-1.0) && !i.always_above(0.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// With the data as given.
    pub point: f64,
    /// 5th percentile of the draws (linear interpolation between order statistics, Hyndman and
    /// Fan 1996 type 7).
    pub low: f64,
    /// 95th percentile of the draws.
    pub high: f64,
    /// Smallest draw.
    pub min: f64,
    /// Largest draw.
    pub max: f64,
    /// Number of draws.
    pub draws: usize,
}

impl Interval {
    /// The 90% interval of `draws` (NaN draws are ignored) around `point`.
    pub fn new(point: f64, draws: &[f64]) -> Self {
        let mut v: Vec<f64> = draws.iter().copied().filter(|x| !x.is_nan()).collect();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| {
            if v.is_empty() {
                return f64::NAN;
            }
            let h = p * (v.len() - 1) as f64;
            let (i, f) = (h.floor() as usize, h - h.floor());
            if i + 1 < v.len() {
                v[i] + f * (v[i + 1] - v[i])
            } else {
                v[i]
            }
        };
        Self {
            point,
            low: q(0.05),
            high: q(0.95),
            min: v.first().copied().unwrap_or(f64::NAN),
            max: v.last().copied().unwrap_or(f64::NAN),
            draws: v.len(),
        }
    }
    /// The point estimate lies within the 90% interval.
    pub fn contains_point(&self) -> bool {
        self.low <= self.point && self.point <= self.high
    }
    /// Every draw is above `x` (and so is the point estimate).
    pub fn always_above(&self, x: f64) -> bool {
        self.min > x && self.point > x
    }
    /// Every draw is below `x` (and so is the point estimate).
    pub fn always_below(&self, x: f64) -> bool {
        self.max < x && self.point < x
    }
}
