//! Motor-traffic speeds for OpenStreetMap roads: the `maxspeed` tag where it is understood, else a
//! default per `highway` value and built-up area.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Whether a road lies in a built-up area; the default speed and the car time model depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Built-up.
    Urban,
    /// Outside built-up areas.
    Rural,
}

impl Area {
    /// `urban` or `rural`, the value the loader writes in a road's `area` tag.
    pub fn name(self) -> &'static str {
        match self {
            Area::Urban => "urban",
            Area::Rural => "rural",
        }
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Default speed of one `highway` value (links, `*_link`, take their road's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HighwaySpeed {
    /// The OSM `highway` value (`primary`, `service`, …).
    pub highway: String,
    /// km/h in built-up areas.
    pub urban_kmh: f64,
    /// km/h outside them.
    pub rural_kmh: f64,
}

/// Motor-traffic speeds for roads whose `maxspeed` is missing or not understood.
///
/// Only `highway` values listed here get a motor-traffic speed, so only they can be driven:
/// footways, cycleways, paths, steps, tracks, bridleways and pedestrian streets get none.
///
/// The defaults are Valhalla's (typical speeds on roads without a limit tag; urban:
/// `urban_rc_speed` in `src/mjolnir/speed_assigner.h`, rural: `default_speed` in `lua/graph.lua`),
/// by its road classes: motorway 89/105 km/h (urban/rural), trunk 73/90, primary 57/75, secondary
/// 49/60, tertiary 40/50, unclassified 35/40, residential 30/35, and service, living street and
/// unknown road (`highway=road`) 20/25.
///
/// Whether a road is urban or rural comes from its tags (`maxspeed`, `maxspeed:type`,
/// `source:maxspeed`, `zone:maxspeed` or `zone:traffic` values such as `DE:urban`, `FI:rural`,
/// `GB:nsl_single`); where none says, `unknown_area` applies. The loader writes the answer in the
/// road's `area` tag, which the [`CarTimeModel`](crate::CarTimeModel) reads.
///
/// ```
/// use travel_impact::{Area, OsmSpeeds};
/// let mut speeds = OsmSpeeds::default();
/// speeds.unknown_area = Area::Rural;                  // a rural extract with few limit tags
/// speeds.set("residential", 20.0, 30.0);              // 20 km/h urban residential streets
/// assert_eq!(speeds.default_kmh("residential", Area::Urban), Some(20.0));
/// assert_eq!(speeds.default_kmh("primary_link", Area::Rural), Some(75.0));
/// assert_eq!(speeds.default_kmh("footway", Area::Urban), None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OsmSpeeds {
    /// Speeds by `highway` value.
    pub by_highway: Vec<HighwaySpeed>,
    /// Taken where no tag says whether the road is built-up. Default: urban.
    pub unknown_area: Area,
}

impl Default for OsmSpeeds {
    fn default() -> Self {
        let row = |highway: &str, urban_kmh: f64, rural_kmh: f64| HighwaySpeed {
            highway: highway.into(),
            urban_kmh,
            rural_kmh,
        };
        Self {
            by_highway: vec![
                row("motorway", 89.0, 105.0),
                row("trunk", 73.0, 90.0),
                row("primary", 57.0, 75.0),
                row("secondary", 49.0, 60.0),
                row("tertiary", 40.0, 50.0),
                row("unclassified", 35.0, 40.0),
                row("residential", 30.0, 35.0),
                row("service", 20.0, 25.0),
                row("living_street", 20.0, 25.0),
                row("road", 20.0, 25.0),
            ],
            unknown_area: Area::Urban,
        }
    }
}

impl OsmSpeeds {
    /// Sets (or adds) the speeds of one `highway` value.
    pub fn set(&mut self, highway: &str, urban_kmh: f64, rural_kmh: f64) -> &mut Self {
        let row = HighwaySpeed {
            highway: highway.into(),
            urban_kmh,
            rural_kmh,
        };
        match self.by_highway.iter_mut().find(|r| r.highway == highway) {
            Some(r) => *r = row,
            None => self.by_highway.push(row),
        }
        self
    }

    /// The default speed of `highway` (a `*_link` takes its road's) in `area`, or `None` if it is
    /// not for motor traffic.
    pub fn default_kmh(&self, highway: &str, area: Area) -> Option<f64> {
        let road = highway.strip_suffix("_link").unwrap_or(highway);
        self.by_highway
            .iter()
            .find(|r| r.highway == highway)
            .or_else(|| self.by_highway.iter().find(|r| r.highway == road))
            .map(|r| match area {
                Area::Urban => r.urban_kmh,
                Area::Rural => r.rural_kmh,
            })
    }

    /// Checks every speed is finite and positive.
    pub(crate) fn validate(&self) -> Result<(), String> {
        for r in &self.by_highway {
            for v in [r.urban_kmh, r.rural_kmh] {
                if !(v.is_finite() && v > 0.0) {
                    return Err(format!("speed of highway={}: {v} is not > 0", r.highway));
                }
            }
        }
        Ok(())
    }
}
