//! Travel profiles: which roads a mode may use, in which directions, and at what cost. A profile is
//! data (presets or your own, e.g. from a study file), prepared once per network by the engine.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::road::{Oneway, Road, RoadClass};

/// Where a profile's speed on a road comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speed {
    /// The road's own motor-traffic speed ([`Road::speed_kmh`]); roads without one are not used.
    Road,
    /// One speed on every road, e.g. walking.
    Fixed {
        /// km/h.
        speed_kmh: f64,
    },
}

/// A test on a road's facts. Every condition given must hold; an empty match matches every road.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoadMatch {
    /// The road is one of these classes (empty: any class).
    pub classes: Vec<RoadClass>,
    /// The road has this tag with this value.
    pub tag: Option<(String, String)>,
    /// The road has no name.
    pub unnamed: bool,
    /// The road's speed is at least this (km/h).
    pub min_speed_kmh: Option<f64>,
}

impl RoadMatch {
    /// Roads of these classes.
    pub fn classes(classes: &[RoadClass]) -> Self {
        Self {
            classes: classes.to_vec(),
            ..Self::default()
        }
    }
    /// Roads tagged `key=value`.
    pub fn tag(key: &str, value: &str) -> Self {
        Self {
            tag: Some((key.to_string(), value.to_string())),
            ..Self::default()
        }
    }
    /// Whether `road` matches.
    pub fn matches(&self, road: &Road) -> bool {
        (self.classes.is_empty() || self.classes.contains(&road.class))
            && self
                .tag
                .as_ref()
                .is_none_or(|(k, v)| road.tag(k) == Some(v.as_str()))
            && (!self.unnamed || road.name.is_empty())
            && self.min_speed_kmh.is_none_or(|s| road.speed_kmh >= s)
    }
}

/// A speed factor for urban and for rural roads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpeedFactor {
    /// On urban roads.
    pub urban: f64,
    /// On rural roads.
    pub rural: f64,
}

/// Turns free-flow link speeds into door-to-door car times: speed factors by road class and
/// urban/rural, a delay per junction passed, and fixed start and end overheads.
///
/// ```text
/// time = Σ roads length / (speed × factor[class][urban|rural])
///      + junction_delay_s × junctions passed + start_s + end_s
/// ```
/// Defaults ([`CarTimeModel::default`]) and their sources are in `data/sources/car_time_model.md`:
/// factor 0.82 on motorways and trunk roads (DfT CGN0404a: Strategic Road Network 57-59 mph
/// against a 70 mph limit), 0.80 elsewhere (OSRM's `speed_reduction`; no UK urban/rural split was
/// found, so both are 0.80), 10 s per junction (Jaakkola 2013, Helsinki crossing penalties 9.4-11.3 s),
/// 120 s to get going and 120 s to park and walk to the door (IPEA / Allen & Farber 2018; m4ra).
/// A junction is a node where three or more usable road ends meet (bends and way splits are not);
/// the delay is charged on leaving it, so a trip that starts exactly at a junction pays it and one
/// that ends exactly at one does not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CarTimeModel {
    /// Factors on motorways and trunk roads.
    pub fast_roads: SpeedFactor,
    /// Factors on every other road.
    pub other_roads: SpeedFactor,
    /// A road is urban when tagged `area=urban`, rural when tagged `area=rural`, and otherwise
    /// urban when its speed is at most this (km/h), the usual built-up limit (30 mph ≈ 48 km/h).
    pub urban_max_speed_kmh: f64,
    /// Seconds per junction passed.
    pub junction_delay_s: f64,
    /// Seconds from the door to a moving car, added once per trip.
    pub start_s: f64,
    /// Seconds to park and walk to the door, added once per trip.
    pub end_s: f64,
}

impl Default for CarTimeModel {
    fn default() -> Self {
        Self {
            fast_roads: SpeedFactor {
                urban: 0.82,
                rural: 0.82,
            },
            other_roads: SpeedFactor {
                urban: 0.80,
                rural: 0.80,
            },
            urban_max_speed_kmh: 50.0,
            junction_delay_s: 10.0,
            start_s: 120.0,
            end_s: 120.0,
        }
    }
}

impl CarTimeModel {
    /// The factor applied to `road`'s speed.
    pub fn factor(&self, road: &Road) -> f64 {
        let f = if matches!(road.class, RoadClass::Motorway | RoadClass::Trunk) {
            self.fast_roads
        } else {
            self.other_roads
        };
        let urban = match road.tag("area") {
            Some("urban") => true,
            Some("rural") => false,
            _ => road.speed_kmh <= self.urban_max_speed_kmh,
        };
        if urban { f.urban } else { f.rural }
    }
}

impl fmt::Display for CarTimeModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let factor = |s: SpeedFactor| {
            if s.urban == s.rural {
                format!("{:.2}", s.urban)
            } else {
                format!("{:.2} urban / {:.2} rural", s.urban, s.rural)
            }
        };
        write!(
            f,
            "car time model: free-flow speed x {} on motorways and trunk roads, x {} elsewhere; \
             +{} s per junction passed; +{} s start and +{} s end per trip \
             (sources: data/sources/car_time_model.md)",
            factor(self.fast_roads),
            factor(self.other_roads),
            self.junction_delay_s,
            self.start_s,
            self.end_s
        )
    }
}

/// A speed for particular roads, instead of the profile's [`Speed`] (e.g. walking up steps).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedRule {
    /// The roads it applies to.
    pub when: RoadMatch,
    /// km/h on them.
    pub speed_kmh: f64,
}

impl SpeedRule {
    /// `speed_kmh` on roads matching `when`.
    pub fn new(when: RoadMatch, speed_kmh: f64) -> Self {
        Self { when, speed_kmh }
    }
}

/// Walking speed of the walk preset and of pushing a bicycle (km/h).
const WALK_KMH: f64 = 4.8;

/// How much longer a flight of steps takes than walking the same horizontal length:
/// OpenTripPlanner's `stairsTimeFactor` default, after Fujiyama & Tyler (2010), "Predicting the
/// walking speed of pedestrians on stairs", Transportation Planning and Technology 33(2).
const STEPS_TIME_FACTOR: f64 = 3.0;

fn tags(key: &str, values: &[&str]) -> Vec<RoadMatch> {
    values.iter().map(|v| RoadMatch::tag(key, v)).collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// How one mode of travel uses roads.
///
/// Whether and how fast the mode may use a road is decided in this order:
/// 1. **Access** (OpenStreetMap's access tags): the first of `access_keys` the road carries
///    decides; if its value is one of `access_denied` the road is not used. So `foot=yes` on a
///    road with `access=no` lets walkers through, and `motor_vehicle=no` stops cars.
/// 2. **Speed**: the first of `speed_rules` that matches, otherwise the profile's [`Speed`].
/// 3. **Rules**: the road is used if it matches an `include` rule, or if it has a speed and
///    matches no `exclude` rule.
/// 4. **Directions**: the mode's own one-way tag (`oneway_key`, e.g. `oneway:bicycle`) when the
///    road carries it, else the road's [`Oneway`] when `obeys_oneway`, else both ways.
///
/// Every rule is data: start from a preset and change what you disagree with.
///
/// ```
/// use travel_impact::{Profile, RoadClass, RoadMatch, Speed};
/// // Faster cyclists who also keep off trunk roads.
/// let mut fast = Profile::cycle().named("fast-cycle");
/// fast.speed = Speed::Fixed { speed_kmh: 20.0 };
/// fast.exclude.push(RoadMatch::classes(&[RoadClass::Trunk]));
/// assert!(fast.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The name queries use ("drive", "walk", …).
    pub name: String,
    /// Speed on the roads it uses.
    pub speed: Speed,
    /// Whether one-way rules bind it.
    pub obeys_oneway: bool,
    /// Roads it never uses (unless included).
    #[serde(default)]
    pub exclude: Vec<RoadMatch>,
    /// Roads it uses even if excluded (still subject to access and to having a speed), in both
    /// directions unless one-way binds it.
    #[serde(default)]
    pub include: Vec<RoadMatch>,
    /// Walking speed on the straight legs between a point and the road it snapped to (km/h).
    pub access_speed_kmh: f64,
    /// Turns link speeds into door-to-door car times; `None` is free flow.
    #[serde(default)]
    pub car_time: Option<CarTimeModel>,
    /// Access tags this mode obeys, most specific first (`["foot", "access"]`); empty: none.
    #[serde(default)]
    pub access_keys: Vec<String>,
    /// Values of the deciding access tag that forbid the road (`no`, `private`, …).
    #[serde(default)]
    pub access_denied: Vec<String>,
    /// The mode's own one-way tag (`oneway:foot`, `oneway:bicycle`): where a road carries it, its
    /// value ([`Oneway::from_osm`]) sets the directions, whether or not `obeys_oneway`.
    #[serde(default)]
    pub oneway_key: Option<String>,
    /// Speeds on particular roads; the first match wins over `speed`.
    #[serde(default)]
    pub speed_rules: Vec<SpeedRule>,
}

impl Profile {
    /// By car, door to door: road speeds with the default [`CarTimeModel`], one-way streets obeyed.
    /// Access as OSRM's car profile reads it: `motorcar`, then `motor_vehicle`, then `vehicle`,
    /// then `access`; `no`, `private`, `agricultural`, `forestry`, `emergency` and `psv` forbid the
    /// road (`destination`, `delivery` and `customers` do not: trips end there). Roads whose one-way
    /// direction changes with the time of day (`oneway=reversible` or `alternating`) are not used.
    /// Roads without a motor-traffic speed (footways, cycleways, paths, steps, tracks: see
    /// [`OsmSpeeds`](crate::OsmSpeeds)) are not used.
    pub fn drive() -> Self {
        Self {
            name: "drive".into(),
            car_time: Some(CarTimeModel::default()),
            ..Self::drive_free_flow()
        }
    }

    /// By car at the free-flow speeds of the data, with no junction delay or overheads (the figures
    /// routing engines give), with the access rules of [`Profile::drive`]. Named `drive-free-flow`.
    pub fn drive_free_flow() -> Self {
        Self {
            name: "drive-free-flow".into(),
            speed: Speed::Road,
            obeys_oneway: true,
            exclude: tags("oneway", &["reversible", "alternating"]),
            include: Vec::new(),
            access_speed_kmh: WALK_KMH,
            car_time: None,
            access_keys: strings(&["motorcar", "motor_vehicle", "vehicle", "access"]),
            access_denied: strings(&[
                "no",
                "private",
                "agricultural",
                "forestry",
                "emergency",
                "psv",
            ]),
            oneway_key: None,
            speed_rules: Vec::new(),
        }
    }

    /// On foot at 4.8 km/h, both ways (one-way streets are for traffic), except where `oneway:foot`
    /// says otherwise. Steps take three times as long as their horizontal length at that speed
    /// (1.6 km/h; OpenTripPlanner's `stairsTimeFactor`, after Fujiyama & Tyler 2010).
    ///
    /// Not used: motorways; roads tagged `motorroad=yes` (motor traffic only); trunk roads tagged
    /// `sidewalk=no`, `none` or `separate` (no footway, or one mapped as its own way); cycleways
    /// unless `foot=yes`, `designated` or `permissive`; unnamed roads of 100 km/h or more
    /// (dual-carriageway links with no footway, in data without sidewalk tags). Access: `foot`,
    /// then `access`; `no`, `private`, `agricultural`, `forestry` and `use_sidepath` forbid the
    /// road, so `access=no` stops walkers unless `foot=yes` (or any other allowed `foot` value).
    pub fn walk() -> Self {
        Self {
            name: "walk".into(),
            speed: Speed::Fixed {
                speed_kmh: WALK_KMH,
            },
            obeys_oneway: false,
            exclude: [
                vec![
                    RoadMatch::classes(&[RoadClass::Motorway, RoadClass::Cycleway]),
                    RoadMatch {
                        unnamed: true,
                        min_speed_kmh: Some(100.0),
                        ..RoadMatch::default()
                    },
                    RoadMatch::tag("motorroad", "yes"),
                ],
                ["no", "none", "separate"]
                    .iter()
                    .map(|v| RoadMatch {
                        classes: vec![RoadClass::Trunk],
                        ..RoadMatch::tag("sidewalk", v)
                    })
                    .collect(),
            ]
            .concat(),
            include: tags("foot", &["yes", "designated", "permissive"]),
            access_speed_kmh: WALK_KMH,
            car_time: None,
            access_keys: strings(&["foot", "access"]),
            access_denied: strings(&["no", "private", "agricultural", "forestry", "use_sidepath"]),
            oneway_key: Some("oneway:foot".into()),
            speed_rules: vec![SpeedRule::new(
                RoadMatch::classes(&[RoadClass::Steps]),
                WALK_KMH / STEPS_TIME_FACTOR,
            )],
        }
    }

    /// By bicycle at 15 km/h (OSRM's bicycle profile default), obeying one-way streets (and implied
    /// ones: roundabouts, motorways) except where `oneway:bicycle` says otherwise.
    ///
    /// Not used: motorways; `motorroad=yes`; footways, pedestrian streets and steps (cycling is not
    /// allowed there by default) unless `bicycle=yes`, `designated`, `permissive` or `dismount`;
    /// roads whose one-way direction changes with the time of day. `bicycle=dismount` is walked,
    /// pushing the bicycle, at 4.8 km/h. Access: `bicycle`, then `vehicle`, then `access`; `no`,
    /// `private`, `agricultural`, `forestry` and `use_sidepath` (cyclists must use the separate
    /// cycle track beside it) forbid the road. Trunk roads are used: most countries allow cycling on
    /// them (tag the exceptions, or add an exclude rule).
    pub fn cycle() -> Self {
        Self {
            name: "cycle".into(),
            speed: Speed::Fixed { speed_kmh: 15.0 },
            obeys_oneway: true,
            exclude: [
                vec![
                    RoadMatch::classes(&[
                        RoadClass::Motorway,
                        RoadClass::Footway,
                        RoadClass::Pedestrian,
                        RoadClass::Steps,
                    ]),
                    RoadMatch::tag("motorroad", "yes"),
                ],
                tags("oneway", &["reversible", "alternating"]),
            ]
            .concat(),
            include: tags("bicycle", &["yes", "designated", "permissive", "dismount"]),
            access_speed_kmh: WALK_KMH,
            car_time: None,
            access_keys: strings(&["bicycle", "vehicle", "access"]),
            access_denied: strings(&["no", "private", "agricultural", "forestry", "use_sidepath"]),
            oneway_key: Some("oneway:bicycle".into()),
            speed_rules: vec![SpeedRule::new(
                RoadMatch::tag("bicycle", "dismount"),
                WALK_KMH,
            )],
        }
    }

    /// The built-in profile called `name` (`drive`, `drive-free-flow`, `walk`, `cycle`).
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "drive" => Some(Self::drive()),
            "drive-free-flow" => Some(Self::drive_free_flow()),
            "walk" => Some(Self::walk()),
            "cycle" => Some(Self::cycle()),
            _ => None,
        }
    }

    /// Renamed.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Whether the road's access tags forbid this mode (see the order of rules on [`Profile`]).
    pub fn denied(&self, road: &Road) -> bool {
        self.access_keys
            .iter()
            .find_map(|k| road.tag(k))
            .is_some_and(|v| self.access_denied.iter().any(|d| d == v))
    }

    /// The speed on `road` in km/h after any car factor, or `None` if the profile does not use it.
    pub fn speed_on(&self, road: &Road) -> Option<f64> {
        if self.denied(road) {
            return None;
        }
        let base = match self.speed_rules.iter().find(|r| r.when.matches(road)) {
            Some(rule) => rule.speed_kmh,
            None => match self.speed {
                Speed::Road => road.speed_kmh,
                Speed::Fixed { speed_kmh } => speed_kmh,
            },
        };
        let included = self.include.iter().any(|m| m.matches(road));
        if !included && (base <= 0.0 || self.exclude.iter().any(|m| m.matches(road))) {
            return None;
        }
        if base <= 0.0 {
            return None;
        }
        Some(match &self.car_time {
            Some(model) => base * model.factor(road),
            None => base,
        })
    }

    /// Whether the profile may travel along `road` from its `from` end (`forward`) or the other way.
    pub fn allows(&self, road: &Road, forward: bool) -> bool {
        let own = self
            .oneway_key
            .as_deref()
            .and_then(|k| road.tag(k))
            .and_then(Oneway::from_osm);
        let rule = match own {
            Some(o) => o,
            None if self.obeys_oneway => road.oneway,
            None => Oneway::No,
        };
        self.speed_on(road).is_some()
            && match rule {
                Oneway::No => true,
                Oneway::Forward => forward,
                Oneway::Backward => !forward,
            }
    }

    /// Checks the numbers: speeds and factors positive, delays and overheads finite and >= 0.
    pub fn validate(&self) -> Result<(), String> {
        let positive = |what: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(format!("profile `{}`: {what} {v} is not > 0", self.name))
            }
        };
        let non_negative = |what: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(format!("profile `{}`: {what} {v} is not >= 0", self.name))
            }
        };
        if self.name.is_empty() {
            return Err("a profile needs a name".into());
        }
        positive("access_speed_kmh", self.access_speed_kmh)?;
        if let Speed::Fixed { speed_kmh } = self.speed {
            positive("speed_kmh", speed_kmh)?;
        }
        for rule in &self.speed_rules {
            positive("speed rule speed_kmh", rule.speed_kmh)?;
        }
        if let Some(m) = &self.car_time {
            for (what, f) in [
                ("fast_roads.urban", m.fast_roads.urban),
                ("fast_roads.rural", m.fast_roads.rural),
                ("other_roads.urban", m.other_roads.urban),
                ("other_roads.rural", m.other_roads.rural),
            ] {
                positive(what, f)?;
            }
            non_negative("junction_delay_s", m.junction_delay_s)?;
            non_negative("start_s", m.start_s)?;
            non_negative("end_s", m.end_s)?;
            non_negative("urban_max_speed_kmh", m.urban_max_speed_kmh)?;
        }
        Ok(())
    }
}
