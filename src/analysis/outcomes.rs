//! Every origin's nearest facility in one placed scenario, packed in 12 bytes an origin, with the
//! scenario's typical circuity and its own summary (computed once, reused by every comparison).

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::analysis::circuity::{Circuity, CircuityRule};
use crate::analysis::quantile::chunked;
use crate::analysis::summary::Side;
use crate::engine::{
    Access, InvalidOrigin, Outcome, PlacedScenario, Router, SnapError, Snaps, Unreachable,
    search::ExactReach,
};
use crate::error::{Error, Result};
use crate::geom::Xy;
use crate::load::{FacilityIdx, Origin};
use crate::prefetch::AHEAD;

/// One origin's outcome: a facility label and exact millimetres and milliseconds, or a reason
/// code in `label`. Values too large for 32 bits are `WIDE` here and kept in `Outcomes::wide`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Packed {
    pub(crate) label: u32,
    pub(crate) mm: u32,
    pub(crate) ms: u32,
}

const NOT_SNAPPED: u32 = u32::MAX;
const BAD_COORDINATES: u32 = u32::MAX - 1;
const BAD_WEIGHT: u32 = u32::MAX - 2;
const NONE_PLACED: u32 = u32::MAX - 3;
const NONE_REACHABLE: u32 = u32::MAX - 4;
/// Labels at or above this are reasons, not facilities.
const FIRST_REASON: u32 = u32::MAX - 4;
const WIDE: u32 = u32::MAX;

/// Why an origin is rejected before routing, if it is.
pub(crate) fn invalid(o: &Origin) -> Option<InvalidOrigin> {
    if !o.point.x_m.is_finite() || !o.point.y_m.is_finite() {
        Some(InvalidOrigin::Coordinates)
    } else if !(o.weight.is_finite() && o.weight >= 0.0) {
        Some(InvalidOrigin::Weight)
    } else {
        None
    }
}

/// Every origin's nearest facility in one placed scenario ([`Router::outcomes`]), in input
/// order. Cheap to clone (shared). Made once per scenario, it serves any number of comparisons
/// ([`Router::compare`]) of the same origins: moved or reweighted ones need outcomes made again.
#[derive(Debug, Clone)]
pub struct Outcomes {
    pub(crate) placed: Arc<PlacedScenario>,
    /// Shared `Vec`s, not `Arc<[_]>`: converting would copy 12 MB per million origins.
    pub(crate) packed: Arc<Vec<Packed>>,
    /// (origin, millimetres, milliseconds) of reached origins whose values need 64 bits.
    wide: Arc<[(u32, u64, u64)]>,
    snap_errors: Arc<[(u32, SnapError)]>,
    /// Per facility rank, the input points of its placed sites.
    sites: Arc<[Vec<Xy>]>,
    typical_circuity: f64,
    rule: CircuityRule,
    /// One bit per origin: its route is flagged as a possible network gap.
    flags: Arc<Vec<u64>>,
    /// The summary of this side over every origin, made on first use.
    pub(crate) side: Arc<OnceLock<Side>>,
    /// The [`fingerprint`](crate::load::origin::fingerprint) of the origins these were made for.
    pub(crate) origins_print: u64,
    /// Every one of those origins weighs exactly 1.
    pub(crate) unit_weights: bool,
    /// The points' fingerprint of the snaps these were made from (see [`Snaps`]).
    pub(crate) snaps_print: u64,
}

/// The origins' fingerprint and whether all weigh 1, from (term, weighs 1) per origin: summed
/// beside the rows' collection, in the same pass (a sum of terms in any grouping is the same).
struct Print {
    sum: u64,
    unit: bool,
}

impl Default for Print {
    fn default() -> Self {
        Self { sum: 0, unit: true }
    }
}

impl ParallelExtend<(u64, bool)> for Print {
    fn par_extend<I: IntoParallelIterator<Item = (u64, bool)>>(&mut self, terms: I) {
        let (sum, unit) = terms
            .into_par_iter()
            .reduce(|| (0, true), |a, b| (a.0.wrapping_add(b.0), a.1 & b.1));
        self.sum = self.sum.wrapping_add(sum);
        self.unit &= unit;
    }
}

impl Outcomes {
    /// Number of origins.
    pub fn len(&self) -> usize {
        self.packed.len()
    }
    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }
    /// The placed scenario.
    pub fn placed(&self) -> &PlacedScenario {
        &self.placed
    }
    /// Median circuity of this scenario's long trips, which the gap flags are judged against
    /// (see [`CircuityRule`]).
    pub fn typical_circuity(&self) -> f64 {
        self.typical_circuity
    }

    /// Origin `i`'s nearest facility, or why it has none.
    pub fn get(&self, i: usize) -> Outcome {
        let p = self.packed[i];
        match p.label {
            NOT_SNAPPED => Err(Unreachable::NotSnapped(
                self.snap_errors[self
                    .snap_errors
                    .binary_search_by_key(&(i as u32), |&(j, _)| j)
                    .expect("every unsnapped origin has its reason")]
                .1,
            )),
            BAD_COORDINATES => Err(Unreachable::Rejected(InvalidOrigin::Coordinates)),
            BAD_WEIGHT => Err(Unreachable::Rejected(InvalidOrigin::Weight)),
            NONE_PLACED => Err(Unreachable::NoFacilityPlaced),
            NONE_REACHABLE => Err(Unreachable::NoFacilityReachable),
            label => {
                let (mm, ms) = self.exact(i);
                Ok(Access {
                    facility: FacilityIdx::new(label as usize),
                    distance_m: mm as f64 / 1000.0,
                    time_s: ms as f64 / 1000.0,
                })
            }
        }
    }

    /// The facility label of origin `i`, if it reached one.
    #[inline]
    pub(crate) fn label(&self, i: usize) -> Option<u32> {
        let l = self.packed[i].label;
        (l < FIRST_REASON).then_some(l)
    }
    /// Whether origin `i` was rejected (invalid coordinates or weight).
    #[inline]
    pub(crate) fn rejected(&self, i: usize) -> bool {
        matches!(self.packed[i].label, BAD_COORDINATES | BAD_WEIGHT)
    }
    /// Asks for origin `i`'s row ahead of reading it (see [`crate::prefetch`]).
    #[inline(always)]
    pub(crate) fn prefetch_row(&self, i: usize) {
        crate::prefetch::prefetch(&self.packed[i]);
    }
    /// Exact millimetres and milliseconds of a reached origin.
    #[inline]
    pub(crate) fn exact(&self, i: usize) -> (u64, u64) {
        exact_in(&self.packed, &self.wide, i)
    }

    /// An error unless these were made for origins whose
    /// [`fingerprint`](crate::load::origin::fingerprint) is `print`; `what` names them.
    pub(crate) fn check_origins(&self, print: u64, what: &str) -> Result<()> {
        if self.origins_print == print {
            return Ok(());
        }
        Err(Error::InvalidOption {
            option: "outcomes",
            message: format!(
                "{what} were made for other origins (a point or a weight differs); make them \
                 again with Router::outcomes for these"
            ),
        })
    }

    /// An error unless these were made from snaps of the same points as `snaps`; `what` names
    /// them.
    pub(crate) fn check_snaps(&self, snaps: &Snaps, what: &str) -> Result<()> {
        if self.snaps_print == snaps.prints.points {
            return Ok(());
        }
        Err(Error::InvalidOption {
            option: "snaps",
            message: format!(
                "{what} were made from snaps of other points; pass the snaps they were made from"
            ),
        })
    }

    /// Whether origin `i`'s route is flagged as a possible network gap.
    #[inline]
    pub fn gap_flagged(&self, i: usize) -> bool {
        self.flags[i / 64] >> (i % 64) & 1 == 1
    }

    /// The circuity of origin `i`'s route (when reached): `from` is the origin's point.
    pub fn circuity(&self, i: usize, from: Xy) -> Option<Circuity> {
        let label = self.label(i)?;
        let straight = straight_m(&self.sites[label as usize], from);
        let (mm, _) = self.exact(i);
        Some(
            self.rule
                .judge(straight, mm as f64 / 1000.0, self.typical_circuity),
        )
    }
}

/// Exact millimetres and milliseconds of reached origin `i`: from its packed row, or from the
/// list of values too wide for 32 bits.
#[inline]
fn exact_in(packed: &[Packed], wide: &[(u32, u64, u64)], i: usize) -> (u64, u64) {
    let p = packed[i];
    if p.mm == WIDE || p.ms == WIDE {
        let k = wide
            .binary_search_by_key(&(i as u32), |w| w.0)
            .expect("every wide value is kept");
        (wide[k].1, wide[k].2)
    } else {
        (p.mm as u64, p.ms as u64)
    }
}

/// The straight line from `from` to the nearest of `sites`, by squared distance with one square
/// root (not `hypot`, which is slower and whose extra precision a ratio judged to 15% does not
/// need).
fn straight_m(sites: &[Xy], from: Xy) -> f64 {
    sites
        .iter()
        .map(|&s| (s.x_m - from.x_m).powi(2) + (s.y_m - from.y_m).powi(2))
        .fold(f64::INFINITY, f64::min)
        .sqrt()
}

impl<'e> Router<'e> {
    /// Origin `i`'s lookup the general way (`Nearest::reach_exact`): its nearest
    /// facility, or the reason code why it has none. Out of line, so that the plain lookup's
    /// pass stays small.
    #[inline(never)]
    fn reach_general(
        &self,
        snaps: &Snaps,
        i: usize,
        placed: &PlacedScenario,
        o: &Origin,
        any_placed: bool,
    ) -> std::result::Result<Option<ExactReach>, u32> {
        let Ok((road, legs)) = snaps.legs(i) else {
            return Err(NOT_SNAPPED);
        };
        if !any_placed {
            return Err(NONE_PLACED);
        }
        Ok(placed
            .search
            .reach_exact(self.graph(), road, &legs, || self.snap_again(o.point)))
    }

    /// Every origin's nearest facility in `placed`, from snaps made by
    /// [`Router::snap_origins`] for the same origins (an error if a point moved or the origins
    /// were reordered since; reweighted origins keep their snaps): one lookup per origin, in
    /// parallel, in input order. An extra scenario compared with the same origins costs one
    /// [`Router::place`] and this.
    pub fn outcomes(
        &self,
        origins: &[Origin],
        snaps: &Snaps,
        placed: &PlacedScenario,
    ) -> Result<Outcomes> {
        self.check_inputs(origins.len(), snaps, placed)?;
        let any_placed = placed.any_placed();
        let reach = |i: usize| -> (Packed, Option<(u64, u64)>) {
            let code = |label| {
                (
                    Packed {
                        label,
                        mm: 0,
                        ms: 0,
                    },
                    None,
                )
            };
            let o = &origins[i];
            match invalid(o) {
                Some(InvalidOrigin::Coordinates) => return code(BAD_COORDINATES),
                Some(InvalidOrigin::Weight) => return code(BAD_WEIGHT),
                None => {}
            }
            // The usual point first, through the plain lookup.
            let plain = match snaps.plain(i) {
                Some((road, to, from)) if any_placed => {
                    placed
                        .search
                        .reach_plain(road, to, from, self.graph().overhead_ms)
                }
                _ => None,
            };
            let found = match plain {
                Some(found) => found,
                None => match self.reach_general(snaps, i, placed, o, any_placed) {
                    Ok(found) => found,
                    Err(reason) => return code(reason),
                },
            };
            match found {
                None => code(NONE_REACHABLE),
                Some(r) => {
                    let fits = |v: u64| u32::try_from(v).ok().filter(|&v| v != WIDE);
                    match (fits(r.distance_mm), fits(r.time_ms)) {
                        (Some(mm), Some(ms)) => (
                            Packed {
                                label: r.label,
                                mm,
                                ms,
                            },
                            None,
                        ),
                        _ => (
                            Packed {
                                label: r.label,
                                mm: WIDE,
                                ms: WIDE,
                            },
                            Some((r.distance_mm, r.time_ms)),
                        ),
                    }
                }
            }
        };
        let mut sites = vec![Vec::new(); placed.scenario.facilities().len()];
        for s in &placed.sites {
            if let Ok(at) = &s.at {
                sites[s.facility.index()].push(at.input);
            }
        }
        // A facility's site when it has one alone (nearly every facility): read from one flat
        // table, not through its list. (All sites in one flat list with each facility's start,
        // in place of both, made the extra scenario's outcomes about 1 ms slower.)
        let lone: Vec<Option<Xy>> = sites
            .iter()
            .map(|s| if let [at] = s[..] { Some(at) } else { None })
            .collect();
        // Each value depends only on its origin: the same in input order whatever the threads.
        // The straight line to the facility is kept for the circuity figures below; the
        // origins' fingerprint is summed on the way, as their lines are read here anyway.
        let ((packed, straight), print): ((Vec<Packed>, Vec<f64>), Print) = (0..origins.len())
            .into_par_iter()
            .map(|i| {
                // The road costs are read at random (2.7 MB on the county's drive network):
                // fetched ahead, they are in cache when their origin comes.
                if let Some(ahead) = snaps.packed.get(i + AHEAD) {
                    placed.search.prefetch(ahead.road);
                }
                let o = &origins[i];
                let p = reach(i).0;
                let straight = if p.label < FIRST_REASON {
                    match lone[p.label as usize] {
                        Some(at) => straight_m(&[at], o.point),
                        None => straight_m(&sites[p.label as usize], o.point),
                    }
                } else {
                    f64::NAN
                };
                ((p, straight), (o.fingerprint(i), o.weight == 1.0))
            })
            .unzip();
        // One pass for the values too wide for 32 bits (almost never any) and the long trips'
        // ratios (their order does not matter: only their median is used).
        let rule = CircuityRule::default();
        let parts = chunked(origins.len(), |range| {
            // Every reached origin's ratio is written, and counted only if its trip is long:
            // a branch on that was a coin toss for the predictor (half to three quarters of a
            // county's trips are long).
            let (mut wide, mut long, mut kept) = (Vec::new(), vec![0.0; range.len()], 0);
            for i in range {
                let p = packed[i];
                if p.label >= FIRST_REASON {
                    continue;
                }
                let mm = if p.mm == WIDE || p.ms == WIDE {
                    let (mm, ms) = reach(i).1.expect("a wide value is wide again");
                    wide.push((i as u32, mm, ms));
                    mm
                } else {
                    p.mm as u64
                };
                long[kept] = rule.judge(straight[i], mm as f64 / 1000.0, f64::NAN).ratio;
                kept += (straight[i] >= rule.long_trip_m) as usize;
            }
            long.truncate(kept);
            (wide, long)
        });
        let mut long = Vec::with_capacity(parts.iter().map(|p| p.1.len()).sum());
        let mut wide = Vec::new();
        for (w, l) in parts {
            wide.extend(w);
            long.extend(l);
        }
        let network_m = |i: usize| exact_in(&packed, &wide, i).0 as f64 / 1000.0;
        let reached = |i: usize| packed[i].label < FIRST_REASON;
        // The typical circuity: the median ratio of long trips.
        let typical = rule.typical_of(&mut long);
        drop(long);
        let flags: Vec<u64> = (0..origins.len().div_ceil(64))
            .into_par_iter()
            .map(|w| {
                (0..64)
                    .filter(|b| {
                        let i = w * 64 + b;
                        i < origins.len()
                            && reached(i)
                            && rule.judge(straight[i], network_m(i), typical).flagged
                    })
                    .fold(0u64, |acc, b| acc | 1 << b)
            })
            .collect();
        drop(straight);
        // Snaps made for other origins (reordered, or a point moved) gave each origin another's
        // road: an error, now that the pass has summed what settles the usual case.
        snaps.check_origins(origins, Some(print.sum))?;
        let out = Outcomes {
            placed: Arc::new(placed.clone()),
            packed: Arc::new(packed),
            wide: wide.into(),
            snap_errors: snaps.errors.clone(),
            sites: sites.into(),
            typical_circuity: typical,
            rule,
            flags: Arc::new(flags),
            side: Arc::new(OnceLock::new()),
            origins_print: print.sum,
            unit_weights: print.unit,
            snaps_print: snaps.prints.points,
        };
        Ok(out)
    }
}
