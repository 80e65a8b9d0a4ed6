//! Candidate × origin costs: one search per candidate (candidates are few), never origin × origin.

use rayon::prelude::*;

use crate::analysis::equity::Measure;
use crate::analysis::outcomes::invalid;
use crate::engine::search::{Legs, Nearest, Seed};
use crate::engine::{Objective, Router, Snaps};
use crate::error::{Error, Result};
use crate::load::{Origin, Scenario};
use crate::network::RoadId;

/// Exact costs from every origin to every candidate site, for one profile and objective (routes
/// chosen by the objective; both figures kept), and the origins' weights.
///
/// Built by [`Router::cost_matrix`]; solved by [`CostMatrix::select`].
#[derive(Debug, Clone)]
pub struct CostMatrix {
    /// Candidate facility ids, in the candidates scenario's order (by id): a candidate's index.
    pub candidates: Vec<String>,
    /// Candidates with no site on the network for this profile, with why (they reach nobody).
    pub unplaced: Vec<(String, String)>,
    /// Origin weights (0 for an origin rejected as invalid).
    pub weights: Vec<f64>,
    /// The profile.
    pub profile: String,
    /// The objective the routes were chosen by.
    pub objective: Objective,
    /// `[candidate * origins + origin]`: (millimetres, milliseconds), `NONE` if unreachable.
    costs: Vec<(u64, u64)>,
}

const NONE: (u64, u64) = (u64::MAX, u64::MAX);

impl<'e> Router<'e> {
    /// Costs from each origin to each facility of `candidates` (all its placed sites): one search
    /// per candidate, run in parallel, each answer depending only on its inputs (so the same
    /// whatever the thread count). `snaps` must come from [`Router::snap_origins`] for `origins`.
    ///
    /// ```
    /// use travel_impact::{Engine, EngineOptions, Facilities, NetworkBuilder, Objective, Origin,
    ///     RoadSpec, Scenario, geom::Xy, Measure};
    /// let mut b = NetworkBuilder::new();
    /// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(2000.0, 0.0));
    /// b.road(RoadSpec::new(1, 1, 2));
    /// let engine = Engine::new(b.build()?, EngineOptions::default());
    /// let sites = Facilities::from_points([("a", Xy::new(0.0, 0.0)), ("b", Xy::new(2000.0, 0.0))])?;
    /// let walk = engine.profile("walk")?;
    /// let homes = [Origin::new("h", Xy::new(500.0, 0.0))];
    /// let m = walk.cost_matrix(&Scenario::new("all", &sites, ["a", "b"])?, &homes,
    ///     &walk.snap_origins(&homes), Objective::Distance)?;
    /// assert_eq!(m.cost(0, 0, Measure::Distance), Some(500.0));
    /// assert_eq!(m.cost(1, 0, Measure::Distance), Some(1500.0));
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn cost_matrix(
        &self,
        candidates: &Scenario,
        origins: &[Origin],
        snaps: &Snaps,
        objective: Objective,
    ) -> Result<CostMatrix> {
        if snaps.len() != origins.len() || snaps.profile() != self.name() {
            return Err(Error::InvalidOption {
                option: "snaps",
                message: format!(
                    "{} snaps for profile `{}`, for {} origins and profile `{}`",
                    snaps.len(),
                    snaps.profile(),
                    origins.len(),
                    self.name()
                ),
            });
        }
        snaps.check_origins(origins, None)?;
        let placed = self.place(candidates, objective);
        let m = candidates.facilities().len();
        let n = origins.len();
        let spots: Vec<Option<(RoadId, Legs)>> = (0..n)
            .map(|i| {
                invalid(&origins[i])
                    .is_none()
                    .then(|| snaps.legs(i).ok())
                    .flatten()
            })
            .collect();
        let columns: Vec<Vec<(u64, u64)>> = (0..m)
            .into_par_iter()
            .map(|c| {
                let seeds: Vec<Seed> = placed
                    .sites
                    .iter()
                    .filter(|s| s.facility.index() == c)
                    .filter_map(|s| s.at.as_ref().ok())
                    .map(|&at| Seed { at, label: 0 })
                    .collect();
                if seeds.is_empty() {
                    return vec![NONE; n];
                }
                // One column a thread: no search split in two beside the others.
                let search = Nearest::run(self.network(), self.graph(), objective, &seeds, false);
                spots
                    .iter()
                    .enumerate()
                    .map(|(i, spot)| {
                        let Some((road, legs)) = spot else {
                            return NONE;
                        };
                        search
                            .reach_exact(self.graph(), *road, legs, || {
                                self.snap_again(origins[i].point)
                            })
                            .map_or(NONE, |r| (r.distance_mm, r.time_ms))
                    })
                    .collect()
            })
            .collect();
        Ok(CostMatrix {
            candidates: candidates
                .facilities()
                .iter()
                .map(|f| f.id.clone())
                .collect(),
            unplaced: placed
                .unplaced_facilities()
                .into_iter()
                .map(|(id, why)| (id.to_string(), why))
                .collect(),
            weights: origins
                .iter()
                .map(|o| if invalid(o).is_none() { o.weight } else { 0.0 })
                .collect(),
            profile: self.name().to_string(),
            objective,
            costs: columns.concat(),
        })
    }
}

impl CostMatrix {
    /// A matrix from given costs, `costs[candidate][origin]` in metres (or seconds, by
    /// `measure`; the other figure is set equal), `None` for unreachable: for tests and for costs
    /// computed elsewhere. Costs are kept to the thousandth.
    ///
    /// ```
    /// use travel_impact::{CostMatrix, Measure};
    /// let m = CostMatrix::from_costs(vec!["a".into(), "b".into()], vec![1.0, 2.0],
    ///     &[vec![Some(1.0), None], vec![Some(3.0), Some(1.5)]])?;
    /// assert_eq!(m.cost(1, 1, Measure::Time), Some(1.5));
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn from_costs(
        candidates: Vec<String>,
        weights: Vec<f64>,
        costs: &[Vec<Option<f64>>],
    ) -> Result<Self> {
        let n = weights.len();
        if costs.len() != candidates.len() || costs.iter().any(|c| c.len() != n) {
            return Err(Error::InvalidOption {
                option: "costs",
                message: format!(
                    "need {} rows of {n} costs (one per candidate, one per origin)",
                    candidates.len()
                ),
            });
        }
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        if weights.iter().any(|&w| !ok(w)) || costs.iter().flatten().flatten().any(|&x| !ok(x)) {
            return Err(Error::InvalidOption {
                option: "costs",
                message: "weights and costs must be finite and >= 0".into(),
            });
        }
        let k = |x: f64| (x * 1000.0).round() as u64;
        Ok(Self {
            candidates,
            unplaced: Vec::new(),
            weights,
            profile: String::new(),
            objective: Objective::Distance,
            costs: costs
                .iter()
                .flatten()
                .map(|c| c.map_or(NONE, |x| (k(x), k(x))))
                .collect(),
        })
    }

    /// Number of origins.
    pub fn origins(&self) -> usize {
        self.weights.len()
    }

    /// Cost from origin `origin` to candidate `candidate` in metres or seconds, if reachable.
    pub fn cost(&self, candidate: usize, origin: usize, measure: Measure) -> Option<f64> {
        self.exact(candidate, origin, measure)
            .map(|v| v as f64 / 1000.0)
    }

    /// Cost in millimetres or milliseconds, if reachable.
    pub(crate) fn exact(&self, candidate: usize, origin: usize, measure: Measure) -> Option<u64> {
        let c = self.costs[candidate * self.origins() + origin];
        (c != NONE).then_some(match measure {
            Measure::Distance => c.0,
            Measure::Time => c.1,
        })
    }

    /// The candidate indices of `plan`'s facilities, in order; an error names any facility that
    /// is not a candidate.
    pub fn indices(&self, plan: &Scenario) -> Result<Vec<usize>> {
        plan.facilities()
            .iter()
            .map(|f| {
                self.candidates
                    .iter()
                    .position(|c| *c == f.id)
                    .ok_or_else(|| Error::InvalidOption {
                        option: "plan",
                        message: format!(
                            "facility `{}` of `{}` is not a candidate",
                            f.id,
                            plan.name()
                        ),
                    })
            })
            .collect()
    }
}
