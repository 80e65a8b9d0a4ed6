//! One OpenStreetMap way's tags as road facts: class, motor-traffic speed, one-way rule, name and
//! the tags profiles read. No travel mode is decided here.

use std::collections::{BTreeMap, BTreeSet};

use super::maxspeed::{self, Limit};
use super::speeds::{Area, OsmSpeeds};
use crate::network::{Oneway, RoadClass};

/// A way as read from the file: id, node references and the tags the loader may need.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawWay {
    pub(crate) id: u64,
    pub(crate) refs: Vec<u64>,
    pub(crate) tags: Vec<(String, String)>,
}

impl RawWay {
    pub(crate) fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Keys read here whatever the profiles need: speed limits, areas, names and one-way rules.
pub(crate) const FACT_KEYS: &[&str] = &[
    "highway",
    "name",
    "ref",
    "oneway",
    "junction",
    "maxspeed",
    "maxspeed:forward",
    "maxspeed:backward",
    "maxspeed:type",
    "source:maxspeed",
    "zone:maxspeed",
    "zone:traffic",
    "cycleway",
    "cycleway:left",
    "cycleway:right",
    "cycleway:both",
    "oneway:bicycle",
    "area",
];

/// Where a road's motor-traffic speed came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpeedSource {
    /// A `maxspeed` (or directional `maxspeed:forward/backward`) value.
    Tagged,
    /// A national implicit value in `maxspeed:type`, `source:maxspeed` or `zone:maxspeed`.
    Implicit,
    /// The default of its `highway` value and area.
    Default,
    /// Not a road for motor traffic: speed 0.
    NotMotor,
}

/// What the tags of one way say.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WayFacts {
    pub(crate) class: RoadClass,
    pub(crate) speed_kmh: f64,
    pub(crate) oneway: Oneway,
    pub(crate) name: String,
    pub(crate) tags: BTreeMap<String, String>,
    pub(crate) speed_source: SpeedSource,
    pub(crate) area: Area,
    pub(crate) area_from_tags: bool,
    /// A speed-limit value on a motor road that was not understood.
    pub(crate) unparsed_maxspeed: Option<String>,
}

/// Reads the facts of `way` (whose `highway` value the loader takes), keeping the tags in `keep`.
pub(crate) fn facts(way: &RawWay, speeds: &OsmSpeeds, keep: &BTreeSet<String>) -> WayFacts {
    let highway = way.tag("highway").unwrap_or("");
    let class = RoadClass::parse(highway).unwrap_or(RoadClass::Other);

    // Speed limits: the way's own value, else the lower directional one, else an implicit one.
    let mut unparsed_maxspeed = None;
    let direct: Option<Limit> = match way.tag("maxspeed") {
        Some(v) => {
            let parsed = maxspeed::parse(v);
            if parsed.is_none() {
                unparsed_maxspeed = Some(v.to_string());
            }
            parsed
        }
        None => {
            let dir: Vec<Limit> = ["maxspeed:forward", "maxspeed:backward"]
                .iter()
                .filter_map(|k| way.tag(k).and_then(maxspeed::parse))
                .collect();
            let kmh = dir.iter().filter_map(|l| l.kmh).reduce(f64::min);
            let area = dir.iter().find_map(|l| l.area);
            (!dir.is_empty()).then_some(Limit { kmh, area })
        }
    };
    let implicit: Option<Limit> = ["maxspeed:type", "source:maxspeed", "zone:maxspeed"]
        .iter()
        .find_map(|k| way.tag(k).and_then(maxspeed::parse));
    let zone_area = way
        .tag("zone:traffic")
        .and_then(maxspeed::parse)
        .and_then(|l| l.area);
    let tagged_area = direct
        .and_then(|l| l.area)
        .or(implicit.and_then(|l| l.area))
        .or(zone_area);
    let area = tagged_area.unwrap_or(speeds.unknown_area);

    let (speed_kmh, speed_source) = match speeds.default_kmh(highway, area) {
        None => (0.0, SpeedSource::NotMotor),
        Some(default) => {
            if let Some(kmh) = direct.and_then(|l| l.kmh) {
                (kmh, SpeedSource::Tagged)
            } else if let Some(kmh) = implicit.and_then(|l| l.kmh) {
                (kmh, SpeedSource::Implicit)
            } else {
                (default, SpeedSource::Default)
            }
        }
    };
    if speed_source == SpeedSource::NotMotor {
        unparsed_maxspeed = None;
    }

    // One-way: the tag, else implied on roundabouts and motorways.
    let implied =
        matches!(way.tag("junction"), Some("roundabout" | "circular")) || highway == "motorway";
    let oneway = way
        .tag("oneway")
        .and_then(Oneway::from_osm)
        .unwrap_or(if implied { Oneway::Forward } else { Oneway::No });

    let name = match (way.tag("name"), way.tag("ref")) {
        (Some(n), Some(r)) => format!("{n}, {r}"),
        (Some(n), None) => n.to_string(),
        (None, Some(r)) => r.to_string(),
        (None, None) => String::new(),
    };

    let mut tags: BTreeMap<String, String> = way
        .tags
        .iter()
        .filter(|(k, _)| keep.contains(k))
        .cloned()
        .collect();
    // Old contraflow tagging (`cycleway=opposite*`): cyclists may ride both ways.
    let contraflow = [
        "cycleway",
        "cycleway:left",
        "cycleway:right",
        "cycleway:both",
    ]
    .iter()
    .any(|k| way.tag(k).is_some_and(|v| v.starts_with("opposite")));
    if contraflow && way.tag("oneway:bicycle").is_none() {
        tags.insert("oneway:bicycle".into(), "no".into());
    }
    tags.insert("area".into(), area.name().into());

    WayFacts {
        class,
        speed_kmh,
        oneway,
        name,
        tags,
        speed_source,
        area,
        area_from_tags: tagged_area.is_some(),
        unparsed_maxspeed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn way(tags: &[(&str, &str)]) -> RawWay {
        RawWay {
            id: 1,
            refs: vec![1, 2],
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn of(tags: &[(&str, &str)]) -> WayFacts {
        let keep = ["highway", "oneway", "oneway:bicycle", "foot"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        facts(&way(tags), &OsmSpeeds::default(), &keep)
    }

    #[test]
    fn speeds_from_tags_national_values_and_defaults() {
        let f = of(&[("highway", "residential"), ("maxspeed", "30 mph")]);
        assert_eq!(
            (f.speed_kmh, f.speed_source),
            (48.28032, SpeedSource::Tagged)
        );
        let f = of(&[("highway", "primary"), ("maxspeed", "GB:nsl_single")]);
        assert_eq!((f.speed_kmh, f.area), (96.56064, Area::Rural));
        assert_eq!(f.tags["area"], "rural");
        // No tag: Valhalla's urban default for a primary road, urban being the default area.
        let f = of(&[("highway", "primary_link")]);
        assert_eq!(
            (f.speed_kmh, f.speed_source, f.area_from_tags),
            (57.0, SpeedSource::Default, false)
        );
        // An implicit value in maxspeed:type gives the speed and the area.
        let f = of(&[("highway", "tertiary"), ("maxspeed:type", "FI:rural")]);
        assert_eq!((f.speed_kmh, f.speed_source), (80.0, SpeedSource::Implicit));
        // Directional limits: the lower.
        let f = of(&[
            ("highway", "secondary"),
            ("maxspeed:forward", "50"),
            ("maxspeed:backward", "40"),
        ]);
        assert_eq!(f.speed_kmh, 40.0);
        // Not understood: the default, and the value is reported.
        let f = of(&[("highway", "secondary"), ("maxspeed", "fast")]);
        assert_eq!(
            (f.speed_kmh, f.unparsed_maxspeed.as_deref()),
            (49.0, Some("fast"))
        );
        // A footway has no motor speed whatever its tags say.
        let f = of(&[("highway", "footway"), ("maxspeed", "20")]);
        assert_eq!((f.speed_kmh, f.speed_source), (0.0, SpeedSource::NotMotor));
        assert_eq!(f.class, RoadClass::Footway);
    }

    #[test]
    fn one_way_rules() {
        let oneway = |tags: &[(&str, &str)]| of(tags).oneway;
        assert_eq!(oneway(&[("highway", "residential")]), Oneway::No);
        assert_eq!(
            oneway(&[("highway", "residential"), ("oneway", "yes")]),
            Oneway::Forward
        );
        assert_eq!(
            oneway(&[("highway", "residential"), ("oneway", "-1")]),
            Oneway::Backward
        );
        assert_eq!(
            oneway(&[("highway", "primary"), ("junction", "roundabout")]),
            Oneway::Forward
        );
        assert_eq!(oneway(&[("highway", "motorway")]), Oneway::Forward);
        assert_eq!(
            oneway(&[("highway", "motorway"), ("oneway", "no")]),
            Oneway::No
        );
        // Reversible: no fixed direction; kept as a tag for the profiles to refuse.
        let f = of(&[("highway", "primary"), ("oneway", "reversible")]);
        assert_eq!(
            (f.oneway, f.tags["oneway"].as_str()),
            (Oneway::No, "reversible")
        );
        // Contraflow cycling on a one-way street.
        let f = of(&[
            ("highway", "residential"),
            ("oneway", "yes"),
            ("cycleway", "opposite_lane"),
        ]);
        assert_eq!(f.tags["oneway:bicycle"], "no");
    }

    #[test]
    fn names_and_kept_tags() {
        let f = of(&[
            ("highway", "trunk"),
            ("name", "Mannerheimintie"),
            ("ref", "51"),
            ("foot", "yes"),
            ("surface", "asphalt"),
        ]);
        assert_eq!(f.name, "Mannerheimintie, 51");
        assert_eq!(f.class, RoadClass::Trunk);
        assert_eq!(f.tags.get("foot").map(String::as_str), Some("yes"));
        assert!(!f.tags.contains_key("surface"));
    }
}
