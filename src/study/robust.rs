//! The study's headline figures, and how they move when the approximate sites are redrawn within
//! their precision or the homes are spread within each LSOA instead of sitting at its centroid.

use rayon::prelude::*;

use crate::analysis::uncertainty::{Interval, redraw_sites};
use crate::engine::{Engine, Objective, Snaps};
use crate::error::Result;
use crate::load::{Facilities, Origin, Scenario};
use crate::study::Study;
use crate::uk::{Imd, LsoaPolygons, Population, Spread, synthetic_homes};

/// The two changes of the study: the scenario after (from `centres-2017`), and the LSOA weights
/// and deprivation edition that go with its year.
pub const CHANGES: [(&str, Population, Imd); 2] = [
    ("hubs-2017", Population::Under5Mid2017, Imd::Imd2015),
    (
        "family-centres-2019",
        Population::Under5Mid2019,
        Imd::Imd2019,
    ),
];

/// Named figures, in a fixed order.
pub type Figures = Vec<(String, f64)>;

impl Study {
    /// Scenario `name` of this study drawn from `facilities` (the bundled ones, or redrawn).
    pub fn scenario_from(&self, name: &str, facilities: &Facilities) -> Result<Scenario> {
        let spec = self.spec(name)?;
        match &spec.column {
            Some(column) => {
                let values: Vec<&str> = spec.values.iter().map(String::as_str).collect();
                Scenario::from_column(name, facilities, column, &values)
            }
            None => Scenario::new(name, facilities, spec.ids.iter().map(String::as_str)),
        }
    }

    /// The headline figures for `centres-2017` → each of [`CHANGES`], by drive and by walk,
    /// shortest routes: mean distance (m) and time (s) before and after, the change in mean
    /// distance, and the share within 2 km before, after and its change. `homes`: `None` for the
    /// LSOA centroids weighted as [`CHANGES`] says, or the same homes for both changes.
    pub fn headline(
        &self,
        engine: &Engine,
        facilities: &Facilities,
        homes: Option<&[Origin]>,
    ) -> Result<Figures> {
        let before = self.scenario_from("centres-2017", facilities)?;
        let lsoa: Vec<Vec<Origin>> = CHANGES
            .iter()
            .map(|&(_, p, i)| self.lsoa_origins(p, i))
            .collect();
        let mut out = Vec::new();
        for mode in ["drive", "walk"] {
            let r = engine.profile(mode)?;
            // Snaps depend only on the points, which the two LSOA weightings share.
            let snaps: Snaps = r.snap_origins(homes.unwrap_or(&lsoa[0]));
            let placed_before = r.place(&before, Objective::Distance);
            for (c, (after, _, _)) in CHANGES.iter().enumerate() {
                let origins = homes.unwrap_or(&lsoa[c]);
                let placed_after =
                    r.place(&self.scenario_from(after, facilities)?, Objective::Distance);
                let s = r
                    .impact_placed(origins, &snaps, placed_before.clone(), placed_after)?
                    .summary();
                let name = |what: &str| format!("{after} {mode}: {what}");
                out.extend([
                    (name("mean distance before (m)"), s.before.distance_m.mean),
                    (name("mean distance after (m)"), s.after.distance_m.mean),
                    (name("mean distance change (m)"), s.change_m.mean),
                    (name("mean time before (s)"), s.before.time_s.mean),
                    (name("mean time after (s)"), s.after.time_s.mean),
                    (name("share within 2 km before"), s.before.within_m[1]),
                    (name("share within 2 km after"), s.after.within_m[1]),
                    (
                        name("share within 2 km change"),
                        s.after.within_m[1] - s.before.within_m[1],
                    ),
                ]);
            }
        }
        Ok(out)
    }

    /// Every headline figure with its 90% interval over `draws` redraws of the sites whose
    /// precision exceeds `min_precision_m` (see [`redraw_sites`]; snapped on the drive network),
    /// reproducible for `seed`. Draws run in parallel; the result does not depend on the thread
    /// count.
    pub fn site_uncertainty(
        &self,
        engine: &Engine,
        draws: usize,
        seed: u64,
        min_precision_m: f64,
    ) -> Result<Vec<(String, Interval)>> {
        let point = self.headline(engine, &self.facilities, None)?;
        let drive = engine.profile("drive")?;
        let runs: Vec<Figures> = (0..draws as u64)
            .into_par_iter()
            .map(|d| {
                let f = redraw_sites(&self.facilities, &drive, min_precision_m, seed, d);
                self.headline(engine, &f, None)
            })
            .collect::<Result<_>>()?;
        Ok(intervals(point, &runs))
    }

    /// Every headline figure with the LSOA centroids (the point estimate) against its 90%
    /// interval over `draws` sets of `homes` synthetic homes spread within the LSOAs like their
    /// children aged 0-4 (mid-2019; [`synthetic_homes`], seeds `seed`, `seed + 1`, …), sites as
    /// bundled.
    pub fn origin_uncertainty(
        &self,
        engine: &Engine,
        polygons: &LsoaPolygons,
        homes: usize,
        draws: usize,
        seed: u64,
    ) -> Result<Vec<(String, Interval)>> {
        let point = self.headline(engine, &self.facilities, None)?;
        let runs: Vec<Figures> = (0..draws as u64)
            .map(|d| {
                let h = synthetic_homes(
                    homes,
                    seed.wrapping_add(d),
                    &self.lsoas,
                    polygons,
                    Spread::Under5,
                )?;
                self.headline(engine, &self.facilities, Some(&h))
            })
            .collect::<Result<_>>()?;
        Ok(intervals(point, &runs))
    }
}

fn intervals(point: Figures, runs: &[Figures]) -> Vec<(String, Interval)> {
    point
        .into_iter()
        .enumerate()
        .map(|(i, (name, value))| {
            let draws: Vec<f64> = runs.iter().map(|r| r[i].1).collect();
            (name, Interval::new(value, &draws))
        })
        .collect()
}
