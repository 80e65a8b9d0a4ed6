//! Before/after impact of a change of scenario, per origin: nearest facility, distance, time and
//! circuity.

use crate::analysis::circuity::Circuity;
use crate::analysis::outcomes::Outcomes;
use crate::engine::{Objective, Outcome, PlacedScenario, Router, Snaps};
use crate::error::{Error, Result};
use crate::load::origin::fingerprint;
use crate::load::{Origin, Scenario};
use crate::network::Profile;

/// One origin's before and after (made on demand from the packed results).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OriginImpact {
    /// Index into the origins.
    pub origin: usize,
    /// The straight access leg from the origin to the road it snapped to (metres), if snapped.
    pub access_m: Option<f64>,
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
    /// Either route is flagged as a possible network gap (see [`CircuityRule`](crate::CircuityRule)).
    pub fn gap_flagged(&self) -> bool {
        self.before_circuity.is_some_and(|c| c.flagged)
            || self.after_circuity.is_some_and(|c| c.flagged)
    }
}

/// The before/after result for a set of origins with one profile and objective. Results are
/// kept packed (about 40 bytes an origin in all); [`Impact::row`] and [`Impact::rows`] give
/// them as [`OriginImpact`]s.
///
/// Its parts are read through methods, never replaced: its outcomes were checked against its
/// origins when they were compared.
///
/// ```compile_fail,E0616
/// fn swap(mut a: travel_impact::Impact<'_>, b: travel_impact::Impact<'_>) {
///     a.before = b.before;
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Impact<'o> {
    // Read-only (through the methods of the same names): the outcomes were checked against
    // these origins when compared, and `closes` is derived from both sides.
    pub(crate) origins: &'o [Origin],
    pub(crate) profile: Profile,
    pub(crate) objective: Objective,
    pub(crate) crs: crate::geom::Crs,
    pub(crate) before: Outcomes,
    pub(crate) after: Outcomes,
    snaps: Snaps,
    /// Per "before" facility label: not open after.
    closes: Vec<bool>,
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
    /// assert_eq!(impact.row(0).change_m(), Some(1000.0)); // 500 m -> 1500 m
    /// assert!(impact.row(0).closed);
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn impact<'o>(
        &self,
        origins: &'o [Origin],
        before: &Scenario,
        after: &Scenario,
        objective: Objective,
    ) -> Impact<'o> {
        // The two searches are one thread's work each: they run beside the snapping. The snap
        // index is built first, once, not by both sides at the same time.
        self.prepare();
        let (at, placed) = rayon::join(
            || self.snap_origins(origins),
            || self.place_each(&[before, after], objective),
        );
        let [before, after]: [PlacedScenario; 2] = placed.try_into().expect("two scenarios placed");
        self.impact_placed(origins, &at, before, after)
            .expect("snaps and scenarios were made for these origins and this router")
    }

    /// Snaps every origin in parallel, packed; results in input order. Origins with non-finite
    /// coordinates get [`SnapError::NotFinite`](crate::SnapError::NotFinite).
    pub fn snap_origins(&self, origins: &[Origin]) -> Snaps {
        self.snap_packed(origins)
    }

    /// [`Router::impact`] from parts made earlier, so that snaps and placed scenarios can be
    /// reused across many comparisons. `snaps` must come from [`Router::snap_origins`] for the
    /// same origins, and both scenarios must be placed by this router with the same objective.
    pub fn impact_placed<'o>(
        &self,
        origins: &'o [Origin],
        snaps: &Snaps,
        before: PlacedScenario,
        after: PlacedScenario,
    ) -> Result<Impact<'o>> {
        let b = self.outcomes(origins, snaps, &before)?;
        let a = self.outcomes(origins, snaps, &after)?;
        // Both were made for these very origins just now: no need to read them again.
        self.compare_made(origins, snaps, &b, &a)
    }

    /// Compares two scenarios' [`Outcomes`] for the same origins and snaps. Each side's own
    /// summary is computed once and shared, so comparing one more scenario with a baseline costs
    /// its [`Router::place`], its [`Router::outcomes`] and the change figures; pair it with
    /// [`Impact::with_after`] of the baseline's impact, which need not read the origins again
    /// (this reads every origin to check them: 3-4 ms per million).
    ///
    /// Outcomes belong to the origins they were made for: origins moved or reweighted since
    /// (or other origins of the same number) are an error, not a summary mixing old and new
    /// weights. Make the outcomes again for them (the snaps still serve if no point moved).
    pub fn compare<'o>(
        &self,
        origins: &'o [Origin],
        snaps: &Snaps,
        before: &Outcomes,
        after: &Outcomes,
    ) -> Result<Impact<'o>> {
        if before.len() == origins.len() && after.len() == origins.len() {
            let print = fingerprint(origins);
            before.check_origins(print, "the before outcomes")?;
            after.check_origins(print, "the after outcomes")?;
        }
        self.compare_made(origins, snaps, before, after)
    }

    /// [`Router::compare`] for outcomes known to be made for `origins`.
    fn compare_made<'o>(
        &self,
        origins: &'o [Origin],
        snaps: &Snaps,
        before: &Outcomes,
        after: &Outcomes,
    ) -> Result<Impact<'o>> {
        let closes = paired(self.name(), origins.len(), snaps, before, after)?;
        Ok(Impact {
            origins,
            profile: self.profile().clone(),
            objective: before.placed().objective(),
            crs: self.network().crs(),
            before: before.clone(),
            after: after.clone(),
            snaps: snaps.clone(),
            closes,
        })
    }
}

/// The checks that pair two sides' outcomes for `origins` origins of profile `profile`, made
/// from `snaps` (lengths, snaps, profile, objective), and the table of closed sites: per
/// "before" facility label, not open after.
fn paired(
    profile: &str,
    origins: usize,
    snaps: &Snaps,
    before: &Outcomes,
    after: &Outcomes,
) -> Result<Vec<bool>> {
    if snaps.len() != origins || before.len() != origins || after.len() != origins {
        return Err(Error::InvalidOption {
            option: "outcomes",
            message: format!(
                "{} origins, {} snaps, {} before and {} after outcomes",
                origins,
                snaps.len(),
                before.len(),
                after.len()
            ),
        });
    }
    before.check_snaps(snaps, "the before outcomes")?;
    after.check_snaps(snaps, "the after outcomes")?;
    for (side, placed) in [("before", before.placed()), ("after", after.placed())] {
        if placed.profile != profile {
            return Err(Error::InvalidOption {
                option: "placed scenario",
                message: format!(
                    "{side} was placed for profile `{}`, not `{profile}`",
                    placed.profile
                ),
            });
        }
    }
    if before.placed().objective() != after.placed().objective() {
        return Err(Error::InvalidOption {
            option: "placed scenario",
            message: format!(
                "before is {}, after is {}",
                before.placed().objective(),
                after.placed().objective()
            ),
        });
    }
    debug_assert_eq!(before.origins_print, after.origins_print);
    Ok(before
        .placed()
        .scenario
        .facilities()
        .iter()
        .map(|f| !after.placed().scenario.contains(&f.id))
        .collect())
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

impl<'o> Impact<'o> {
    /// The origins, as given.
    pub fn origins(&self) -> &'o [Origin] {
        self.origins
    }
    /// The profile used.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }
    /// The objective used.
    pub fn objective(&self) -> Objective {
        self.objective
    }
    /// The CRS of the origins' points (the network's).
    pub fn crs(&self) -> crate::geom::Crs {
        self.crs
    }
    /// Every origin's outcome in the "before" scenario.
    pub fn before(&self) -> &Outcomes {
        &self.before
    }
    /// Every origin's outcome in the "after" scenario.
    pub fn after(&self) -> &Outcomes {
        &self.after
    }

    /// The same origins and "before" side compared with another "after" side: `after` made by
    /// [`Router::outcomes`] for these origins and snaps (see [`Impact::snaps`]), with the same
    /// profile and objective. The way to compare many scenarios with one baseline: unlike
    /// [`Router::compare`], it need not read the origins again to check them, as they are
    /// borrowed, so unchanged, for as long as this impact lives; the before side's summary is
    /// shared too.
    ///
    /// ```
    /// use travel_impact::{Engine, EngineOptions, Facilities, NetworkBuilder, Objective, Origin,
    ///     RoadSpec, Scenario, geom::Xy};
    /// // A 3 km street with libraries at 0, 1 and 3 km, and one home at 1.2 km.
    /// let mut b = NetworkBuilder::new();
    /// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(3000.0, 0.0));
    /// b.road(RoadSpec::new(1, 1, 2));
    /// let engine = Engine::new(b.build()?, EngineOptions::default());
    /// let walk = engine.profile("walk")?;
    /// let sites = Facilities::from_points([
    ///     ("west", Xy::new(0.0, 0.0)),
    ///     ("middle", Xy::new(1000.0, 0.0)),
    ///     ("east", Xy::new(3000.0, 0.0)),
    /// ])?;
    /// let all = Scenario::new("all", &sites, ["west", "middle", "east"])?;
    /// let homes = [Origin::new("home", Xy::new(1200.0, 0.0))];
    /// let snaps = walk.snap_origins(&homes);
    /// let before = walk.outcomes(&homes, &snaps, &walk.place(&all, Objective::Distance))?;
    /// let impact = walk.compare(&homes, &snaps, &before, &before)?;
    /// // Each option against the same baseline: one search and the lookups each.
    /// for (keep, change_m) in [(["west", "east"], 1000.0), (["middle", "east"], 0.0)] {
    ///     let option = Scenario::new("option", &sites, keep)?;
    ///     let placed = walk.place(&option, Objective::Distance);
    ///     let after = walk.outcomes(&homes, impact.snaps(), &placed)?;
    ///     assert_eq!(impact.with_after(&after)?.row(0).change_m(), Some(change_m));
    /// }
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn with_after(&self, after: &Outcomes) -> Result<Impact<'o>> {
        // Both sides' prints describe the origins when their outcomes were made; the before
        // side's was checked against `self.origins`, which cannot have changed since.
        after.check_origins(self.before.origins_print, "the after outcomes")?;
        let closes = paired(
            &self.profile.name,
            self.len(),
            &self.snaps,
            &self.before,
            after,
        )?;
        Ok(Impact {
            after: after.clone(),
            closes,
            ..self.clone()
        })
    }

    /// The snaps the outcomes were made from.
    pub fn snaps(&self) -> &Snaps {
        &self.snaps
    }

    /// Number of origins.
    pub fn len(&self) -> usize {
        self.origins.len()
    }
    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    /// Every origin weighs exactly 1 (summaries then need no copy of the weights), as recorded
    /// by the outcomes, which were made for these very origins.
    pub(crate) fn unit_weights(&self) -> bool {
        self.before.unit_weights
    }

    /// Whether origin `i`'s nearest facility before is not open after.
    pub fn closed(&self, i: usize) -> bool {
        self.before
            .label(i)
            .is_some_and(|l| self.closes[l as usize])
    }

    /// Origin `i`'s before and after.
    pub fn row(&self, i: usize) -> OriginImpact {
        let from = self.origins[i].point;
        OriginImpact {
            origin: i,
            access_m: self.snaps.access_m(i),
            before: self.before.get(i),
            after: self.after.get(i),
            closed: self.closed(i),
            before_circuity: self.before.circuity(i, from),
            after_circuity: self.after.circuity(i, from),
        }
    }

    /// Every origin's before and after, in input order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = OriginImpact> + '_ {
        (0..self.len()).map(|i| self.row(i))
    }

    /// Typical circuity (before, after) the gap flags were judged against.
    pub fn typical_circuity(&self) -> (f64, f64) {
        (
            self.before.typical_circuity(),
            self.after.typical_circuity(),
        )
    }

    /// Id of the facility an origin reached in the "before" scenario.
    pub fn before_facility(&self, row: &OriginImpact) -> Option<&str> {
        row.before.ok().map(|a| {
            self.before
                .placed()
                .scenario
                .facility(a.facility)
                .id
                .as_str()
        })
    }
    /// Id of the facility an origin reached in the "after" scenario.
    pub fn after_facility(&self, row: &OriginImpact) -> Option<&str> {
        row.after.ok().map(|a| {
            self.after
                .placed()
                .scenario
                .facility(a.facility)
                .id
                .as_str()
        })
    }

    /// The `n` rows with the largest distance increase, largest first (ties: input order).
    pub fn largest_increases(&self, n: usize) -> Vec<OriginImpact> {
        let mut rows: Vec<(i64, usize)> = (0..self.len())
            .filter(|&i| self.before.label(i).is_some() && self.after.label(i).is_some())
            .map(|i| {
                (
                    self.after.exact(i).0 as i64 - self.before.exact(i).0 as i64,
                    i,
                )
            })
            .collect();
        let by = |a: &(i64, usize), b: &(i64, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if rows.len() > n && n > 0 {
            rows.select_nth_unstable_by(n - 1, by);
            rows.truncate(n);
        }
        rows.sort_by(by);
        rows.truncate(n);
        rows.into_iter().map(|(_, i)| self.row(i)).collect()
    }

    /// Rows whose route before or after is flagged as a possible network gap, in input order.
    pub fn gap_flags(&self) -> Vec<OriginImpact> {
        (0..self.len())
            .filter(|&i| self.before.gap_flagged(i) || self.after.gap_flagged(i))
            .map(|i| self.row(i))
            .collect()
    }
}
