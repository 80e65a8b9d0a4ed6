//! Before/after impact of a change of scenario, per origin: nearest facility, distance, time and
//! circuity.

use rayon::prelude::*;

use crate::analysis::circuity::{Circuity, CircuityRule};
use crate::engine::{
    Access, InvalidOrigin, Objective, Outcome, PlacedScenario, Position, Router, SnapError,
    Unreachable,
};
use crate::error::{Error, Result};
use crate::geom::Xy;
use crate::load::{Origin, Scenario};
use crate::network::Profile;

/// One origin's before and after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OriginImpact {
    /// Index into the origins.
    pub origin: usize,
    /// Where the origin snapped.
    pub at: std::result::Result<Position, SnapError>,
    /// Nearest facility before.
    pub before: Outcome,
    /// Nearest facility after.
    pub after: Outcome,
    /// The nearest facility before is not open after.
    pub closed: bool,
    /// Circuity of the route before (when reached).
    pub before_circuity: Option<Circuity>,
    /// Circuity of the route after (when reached).
    pub after_circuity: Option<Circuity>,
}

impl OriginImpact {
    /// Extra metres after the change (both reached).
    pub fn change_m(&self) -> Option<f64> {
        match (self.before, self.after) {
            (Ok(b), Ok(a)) => Some(a.distance_m - b.distance_m),
            _ => None,
        }
    }
    /// Extra seconds after the change (both reached).
    pub fn change_s(&self) -> Option<f64> {
        match (self.before, self.after) {
            (Ok(b), Ok(a)) => Some(a.time_s - b.time_s),
            _ => None,
        }
    }
    /// Either route is flagged as a possible network gap (see [`CircuityRule`]).
    pub fn gap_flagged(&self) -> bool {
        self.before_circuity.is_some_and(|c| c.flagged)
            || self.after_circuity.is_some_and(|c| c.flagged)
    }
}

/// The before/after result for a set of origins with one profile and objective.
#[derive(Debug, Clone)]
pub struct Impact<'o> {
    /// The origins, as given.
    pub origins: &'o [Origin],
    /// The profile used.
    pub profile: Profile,
    /// The objective used.
    pub objective: Objective,
    /// The "before" scenario, placed.
    pub before: PlacedScenario,
    /// The "after" scenario, placed.
    pub after: PlacedScenario,
    /// One row per origin, in input order.
    pub rows: Vec<OriginImpact>,
    /// Typical circuity (before, after) the flags were judged against.
    pub typical_circuity: (f64, f64),
}

fn invalid(o: &Origin) -> Option<InvalidOrigin> {
    if !o.point.x_m.is_finite() || !o.point.y_m.is_finite() {
        Some(InvalidOrigin::Coordinates)
    } else if !(o.weight.is_finite() && o.weight >= 0.0) {
        Some(InvalidOrigin::Weight)
    } else {
        None
    }
}

/// Per facility rank: the input points of its placed sites.
fn placed_sites(placed: &PlacedScenario) -> Vec<Vec<Xy>> {
    let mut out = vec![Vec::new(); placed.scenario.facilities().len()];
    for s in &placed.sites {
        if let Ok(at) = &s.at {
            out[s.facility.index()].push(at.input);
        }
    }
    out
}

/// Straight line from `from` to the nearest of `sites`.
fn straight_m(from: Xy, sites: &[Xy]) -> f64 {
    sites
        .iter()
        .map(|&s| from.distance_m(s))
        .fold(f64::INFINITY, f64::min)
}

impl<'e> Router<'e> {
    /// Before and after for every origin: snaps the origins, runs one search per scenario, then
    /// looks every origin up (in parallel, results in input order).
    ///
    /// ```
    /// use travel_impact::{Engine, EngineOptions, Facilities, NetworkBuilder, Objective, Origin,
    ///     RoadSpec, Scenario, geom::Xy};
    /// // A 2 km street with a library at each end; the east one closes.
    /// let mut b = NetworkBuilder::new();
    /// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(2000.0, 0.0));
    /// b.road(RoadSpec::new(1, 1, 2));
    /// let engine = Engine::new(b.build()?, EngineOptions::default());
    /// let sites = Facilities::from_points([("west", Xy::new(0.0, 0.0)), ("east", Xy::new(2000.0, 0.0))])?;
    /// let before = Scenario::new("both", &sites, ["west", "east"])?;
    /// let after = Scenario::new("west only", &sites, ["west"])?;
    /// let homes = [Origin::new("home", Xy::new(1500.0, 0.0))];
    /// let impact = engine.profile("walk")?.impact(&homes, &before, &after, Objective::Distance);
    /// assert_eq!(impact.rows[0].change_m(), Some(1000.0)); // 500 m -> 1500 m
    /// assert!(impact.rows[0].closed);
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn impact<'o>(
        &self,
        origins: &'o [Origin],
        before: &Scenario,
        after: &Scenario,
        objective: Objective,
    ) -> Impact<'o> {
        let at = self.snap_origins(origins);
        let before = self.place(before, objective);
        let after = self.place(after, objective);
        self.impact_placed(origins, &at, before, after)
            .expect("snaps and scenarios were made for these origins and this router")
    }

    /// Snaps every origin in parallel (input order kept). Origins with non-finite coordinates
    /// get [`SnapError::NotFinite`].
    pub fn snap_origins(
        &self,
        origins: &[Origin],
    ) -> Vec<std::result::Result<Position, SnapError>> {
        self.snap_many(origins.len(), |i| origins[i].point)
    }

    /// [`Router::impact`] from parts made earlier, so that snaps and placed scenarios can be
    /// reused across many comparisons: each extra scenario then costs one search plus lookups.
    /// `at` must come from [`Router::snap_origins`] for the same origins, and both scenarios must
    /// be placed by this router with the same objective.
    pub fn impact_placed<'o>(
        &self,
        origins: &'o [Origin],
        at: &[std::result::Result<Position, SnapError>],
        before: PlacedScenario,
        after: PlacedScenario,
    ) -> Result<Impact<'o>> {
        if at.len() != origins.len() {
            return Err(Error::InvalidOption {
                option: "snaps",
                message: format!("{} snaps for {} origins", at.len(), origins.len()),
            });
        }
        for (side, placed) in [("before", &before), ("after", &after)] {
            if placed.profile != self.name() {
                return Err(Error::InvalidOption {
                    option: "placed scenario",
                    message: format!(
                        "{side} was placed for profile `{}`, not `{}`",
                        placed.profile,
                        self.name()
                    ),
                });
            }
        }
        if before.objective() != after.objective() {
            return Err(Error::InvalidOption {
                option: "placed scenario",
                message: format!(
                    "before is {}, after is {}",
                    before.objective(),
                    after.objective()
                ),
            });
        }
        // Per "before" facility: is it missing from "after"?
        let closes: Vec<bool> = before
            .scenario
            .facilities()
            .iter()
            .map(|f| !after.scenario.contains(&f.id))
            .collect();
        // Each row depends only on its origin, so the parallel map gives the same rows, in input
        // order, whatever the thread count.
        let mut rows: Vec<OriginImpact> = origins
            .par_iter()
            .zip(at.par_iter())
            .enumerate()
            .map(|(i, (o, at))| {
                if let Some(bad) = invalid(o) {
                    let e = Err(Unreachable::Rejected(bad));
                    return OriginImpact {
                        origin: i,
                        at: *at,
                        before: e,
                        after: e,
                        closed: false,
                        before_circuity: None,
                        after_circuity: None,
                    };
                }
                let b = self.nearest(&before, at);
                let a = self.nearest(&after, at);
                OriginImpact {
                    origin: i,
                    at: *at,
                    before: b,
                    after: a,
                    closed: b.is_ok_and(|b| closes[b.facility.index()]),
                    before_circuity: None,
                    after_circuity: None,
                }
            })
            .collect();
        let rule = CircuityRule::default();
        let judge = |placed: &PlacedScenario, side: fn(&OriginImpact) -> Outcome| {
            let sites = placed_sites(placed);
            let trips: Vec<Option<(f64, f64)>> = rows
                .iter()
                .map(|r| {
                    side(r).ok().map(|a: Access| {
                        (
                            straight_m(origins[r.origin].point, &sites[a.facility.index()]),
                            a.distance_m,
                        )
                    })
                })
                .collect();
            let all: Vec<(f64, f64)> = trips.iter().flatten().copied().collect();
            let typical = rule.typical(&all);
            let judged: Vec<Option<Circuity>> = trips
                .iter()
                .map(|t| t.map(|(s, n)| rule.judge(s, n, typical)))
                .collect();
            (typical, judged)
        };
        let (typical_before, judged_before) = judge(&before, |r| r.before);
        let (typical_after, judged_after) = judge(&after, |r| r.after);
        for ((r, b), a) in rows.iter_mut().zip(judged_before).zip(judged_after) {
            r.before_circuity = b;
            r.after_circuity = a;
        }
        Ok(Impact {
            origins,
            profile: self.profile().clone(),
            objective: before.objective(),
            before,
            after,
            rows,
            typical_circuity: (typical_before, typical_after),
        })
    }
}

impl crate::engine::Engine {
    /// [`Router::impact`] on profile `profile`.
    pub fn impact<'o>(
        &self,
        origins: &'o [Origin],
        before: &Scenario,
        after: &Scenario,
        profile: &str,
        objective: Objective,
    ) -> Result<Impact<'o>> {
        Ok(self
            .profile(profile)?
            .impact(origins, before, after, objective))
    }
}

impl Impact<'_> {
    /// Id of the facility an origin reached in the "before" scenario.
    pub fn before_facility(&self, row: &OriginImpact) -> Option<&str> {
        row.before
            .ok()
            .map(|a| self.before.scenario.facility(a.facility).id.as_str())
    }
    /// Id of the facility an origin reached in the "after" scenario.
    pub fn after_facility(&self, row: &OriginImpact) -> Option<&str> {
        row.after
            .ok()
            .map(|a| self.after.scenario.facility(a.facility).id.as_str())
    }

    /// The `n` rows with the largest distance increase, largest first (ties: input order).
    pub fn largest_increases(&self, n: usize) -> Vec<&OriginImpact> {
        let mut rows: Vec<&OriginImpact> = self
            .rows
            .iter()
            .filter(|r| r.change_m().is_some())
            .collect();
        rows.sort_by(|a, b| {
            b.change_m()
                .unwrap()
                .total_cmp(&a.change_m().unwrap())
                .then(a.origin.cmp(&b.origin))
        });
        rows.truncate(n);
        rows
    }

    /// Rows whose route before or after is flagged as a possible network gap, in input order.
    pub fn gap_flags(&self) -> Vec<&OriginImpact> {
        self.rows.iter().filter(|r| r.gap_flagged()).collect()
    }
}
