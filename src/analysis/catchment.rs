//! Who each facility serves before and after, and where the people of a closed one go.

use std::collections::BTreeMap;

use crate::analysis::impact::Impact;

/// One facility's catchment: the origins whose nearest it is, before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Catchment {
    /// Facility id.
    pub facility: String,
    /// Display name.
    pub name: String,
    /// Open in the "before" scenario.
    pub open_before: bool,
    /// Open in the "after" scenario.
    pub open_after: bool,
    /// Origins served before (nearest facility).
    pub origins_before: usize,
    /// Their weight.
    pub weight_before: f64,
    /// Origins served after.
    pub origins_after: usize,
    /// Their weight.
    pub weight_after: f64,
}

/// Where the origins of one closed facility go: `from` before, `to` after (`None`: no facility
/// reachable after).
#[derive(Debug, Clone, PartialEq)]
pub struct Reassignment {
    /// The closed facility's id.
    pub from: String,
    /// Its display name.
    pub from_name: String,
    /// The nearest facility after, if any.
    pub to: Option<String>,
    /// Its display name (empty for `None`).
    pub to_name: String,
    /// Origins moving from `from` to `to`.
    pub origins: usize,
    /// Their weight.
    pub weight: f64,
    /// Weighted mean increase in distance (metres), NaN if `to` is `None` or weights are zero.
    pub mean_change_m: f64,
    /// Weighted mean increase in time (seconds), likewise.
    pub mean_change_s: f64,
}

impl Impact<'_> {
    /// Every facility of either scenario with the origins (and weight) whose nearest it is before
    /// and after, ordered by id. Rejected and unreachable origins belong to no catchment.
    ///
    /// ```
    /// use travel_impact::{Engine, EngineOptions, Facilities, NetworkBuilder, Objective, Origin,
    ///     RoadSpec, Scenario, geom::Xy};
    /// let mut b = NetworkBuilder::new();
    /// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(2000.0, 0.0)).road(RoadSpec::new(1, 1, 2));
    /// let engine = Engine::new(b.build()?, EngineOptions::default());
    /// let sites = Facilities::from_points([("w", Xy::new(0.0, 0.0)), ("e", Xy::new(2000.0, 0.0))])?;
    /// let (before, after) = (Scenario::new("both", &sites, ["w", "e"])?, Scenario::new("w", &sites, ["w"])?);
    /// let homes = [Origin::new("a", Xy::new(100.0, 0.0)), Origin::new("b", Xy::new(1900.0, 0.0)).with_weight(3.0)];
    /// let impact = engine.impact(&homes, &before, &after, "walk", Objective::Distance)?;
    /// let c = impact.catchments();
    /// assert_eq!((c[0].facility.as_str(), c[0].weight_before, c[0].weight_after), ("e", 3.0, 0.0));
    /// assert_eq!((c[1].facility.as_str(), c[1].weight_before, c[1].weight_after), ("w", 1.0, 4.0));
    /// let moved = impact.reassignments();
    /// assert_eq!((moved[0].from.as_str(), moved[0].to.as_deref(), moved[0].weight), ("e", Some("w"), 3.0));
    /// assert_eq!(moved[0].mean_change_m, 1800.0);
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn catchments(&self) -> Vec<Catchment> {
        let mut out: BTreeMap<String, Catchment> = BTreeMap::new();
        for (side, outcomes) in [(0, &self.before), (1, &self.after)] {
            for f in outcomes.placed().scenario.facilities() {
                let c = out.entry(f.id.clone()).or_insert_with(|| Catchment {
                    facility: f.id.clone(),
                    name: f.name.clone(),
                    open_before: false,
                    open_after: false,
                    origins_before: 0,
                    weight_before: 0.0,
                    origins_after: 0,
                    weight_after: 0.0,
                });
                if side == 0 {
                    c.open_before = true;
                } else {
                    c.open_after = true;
                }
            }
        }
        for i in 0..self.len() {
            let w = self.origins[i].weight;
            let r = self.row(i);
            if let Some(id) = self.before_facility(&r) {
                let c = out.get_mut(id).expect("every facility has an entry");
                c.origins_before += 1;
                c.weight_before += w;
            }
            if let Some(id) = self.after_facility(&r) {
                let c = out.get_mut(id).expect("every facility has an entry");
                c.origins_after += 1;
                c.weight_after += w;
            }
        }
        out.into_values().collect()
    }

    /// For every facility open before and not after: where its origins' nearest facility is after,
    /// one row per (from, to), ordered by `from` id, then by weight (largest first), then `to` id
    /// (`None` last).
    pub fn reassignments(&self) -> Vec<Reassignment> {
        type Key = (String, Option<String>);
        // Sums of origins, weight, weight × change (m, s) and the weight those changes cover.
        let mut sums: BTreeMap<Key, (usize, f64, f64, f64, f64)> = BTreeMap::new();
        for i in 0..self.len() {
            if !self.closed(i) {
                continue;
            }
            let r = self.row(i);
            let from = self
                .before_facility(&r)
                .expect("closed implies reached before");
            let to = self.after_facility(&r).map(str::to_string);
            let w = self.origins[i].weight;
            let e = sums.entry((from.to_string(), to)).or_default();
            e.0 += 1;
            e.1 += w;
            if let (Some(dm), Some(ds)) = (r.change_m(), r.change_s()) {
                e.2 += w * dm;
                e.3 += w * ds;
                e.4 += w;
            }
        }
        let name = |id: &str| {
            [&self.before, &self.after]
                .iter()
                .flat_map(|o| o.placed().scenario.facilities())
                .find(|f| f.id == id)
                .map(|f| f.name.clone())
                .unwrap_or_default()
        };
        let mut out: Vec<Reassignment> = sums
            .into_iter()
            .map(|((from, to), (n, w, wm, ws, wc))| Reassignment {
                from_name: name(&from),
                to_name: to.as_deref().map(name).unwrap_or_default(),
                from,
                to,
                origins: n,
                weight: w,
                mean_change_m: if wc > 0.0 { wm / wc } else { f64::NAN },
                mean_change_s: if wc > 0.0 { ws / wc } else { f64::NAN },
            })
            .collect();
        out.sort_by(|a, b| {
            a.from
                .cmp(&b.from)
                .then(b.weight.total_cmp(&a.weight))
                .then(match (&a.to, &b.to) {
                    (Some(x), Some(y)) => x.cmp(y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                })
        });
        out
    }
}
