//! OpenStreetMap `maxspeed` values in km/h, national implicit values (`GB:nsl_single`) included.

use super::speeds::Area;

/// Kilometres in a statute mile.
const MPH_KMH: f64 = 1.609344;
/// Kilometres in a nautical mile.
const KNOT_KMH: f64 = 1.852;
/// Above this a number is a tagging error, not a limit (km/h).
const MAX_PLAUSIBLE_KMH: f64 = 300.0;

/// What a speed-limit tag says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Limit {
    /// km/h, when the value gives one (`none`, `signals` and `variable` do not).
    pub(crate) kmh: Option<f64>,
    /// Built-up area or not, when the value says (`DE:urban`, `GB:nsl_single`).
    pub(crate) area: Option<Area>,
}

/// National implicit limits that differ from [`DEFAULT_BY_TYPE`], as OSRM's car profile lists them
/// (`maxspeed_table`, profiles/car.lua, after the OSM wiki's "Default speed limits"), plus Finland's
/// 80 km/h outside built-up areas (Road Traffic Act 729/2018) and Great Britain's restricted roads
/// (30 mph, Road Traffic Regulation Act 1984 s.81). Miles per hour are converted exactly.
const NATIONAL: &[(&str, f64)] = &[
    ("at:rural", 100.0),
    ("at:trunk", 100.0),
    ("be:motorway", 120.0),
    ("be-vlg:rural", 70.0),
    ("by:urban", 60.0),
    ("by:motorway", 110.0),
    ("ch:rural", 80.0),
    ("ch:trunk", 100.0),
    ("ch:motorway", 120.0),
    ("de:living_street", 7.0),
    ("de:rural", 100.0),
    ("dk:rural", 80.0),
    ("fi:rural", 80.0),
    ("fr:rural", 80.0),
    ("gb:nsl_single", 60.0 * MPH_KMH),
    ("gb:nsl_dual", 70.0 * MPH_KMH),
    ("gb:nsl_restricted", 30.0 * MPH_KMH),
    ("gb:motorway", 70.0 * MPH_KMH),
    ("nl:rural", 80.0),
    ("nl:trunk", 100.0),
    ("no:rural", 80.0),
    ("no:motorway", 110.0),
    ("pl:rural", 100.0),
    ("pl:trunk", 120.0),
    ("pl:motorway", 140.0),
    ("ro:trunk", 100.0),
    ("ru:living_street", 20.0),
    ("ru:urban", 60.0),
    ("ru:motorway", 110.0),
    ("uk:nsl_single", 60.0 * MPH_KMH),
    ("uk:nsl_dual", 70.0 * MPH_KMH),
    ("uk:nsl_restricted", 30.0 * MPH_KMH),
    ("uk:motorway", 70.0 * MPH_KMH),
    ("za:urban", 60.0),
    ("za:rural", 100.0),
];

/// Where OSRM's table gives 0: no general limit, so the value gives no speed and the class default
/// applies.
const NO_LIMIT: &[&str] = &["cz:trunk", "cz:motorway", "de:motorway"];

/// Limits by road type for countries not in [`NATIONAL`] (OSRM's `maxspeed_table_default`).
const DEFAULT_BY_TYPE: &[(&str, f64)] = &[
    ("urban", 50.0),
    ("rural", 90.0),
    ("trunk", 110.0),
    ("motorway", 130.0),
];

/// Countries whose zone values (`GB:zone20`) are in miles per hour.
const MPH_COUNTRIES: &[&str] = &["gb", "uk", "us"];

/// Parses a speed-limit value; `None` when it is not understood. A list (`50;30`) gives its lowest
/// limit.
pub(crate) fn parse(value: &str) -> Option<Limit> {
    let value = value.trim();
    if value.contains(';') {
        let parts: Vec<Limit> = value.split(';').map(parse).collect::<Option<_>>()?;
        let kmh = parts.iter().filter_map(|p| p.kmh).reduce(f64::min);
        let area = parts.iter().find_map(|p| p.area);
        return Some(Limit { kmh, area });
    }
    match value {
        "none" | "signals" | "variable" => {
            return Some(Limit {
                kmh: None,
                area: None,
            });
        }
        "" => return None,
        _ => {}
    }
    if let Some((country, kind)) = value.split_once(':') {
        return national(&country.to_ascii_lowercase(), &kind.to_ascii_lowercase());
    }
    number(value).map(|kmh| Limit {
        kmh: Some(kmh),
        area: None,
    })
}

/// `30`, `30 mph`, `50 km/h`, `10 knots` in km/h.
fn number(value: &str) -> Option<f64> {
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let n: f64 = value[..end].parse().ok()?;
    let factor = match value[end..].trim().to_ascii_lowercase().as_str() {
        "" | "km/h" | "kmh" | "kph" => 1.0,
        "mph" | "mp/h" => MPH_KMH,
        "knots" => KNOT_KMH,
        _ => return None,
    };
    let kmh = n * factor;
    (kmh > 0.0 && kmh <= MAX_PLAUSIBLE_KMH).then_some(kmh)
}

/// A national implicit value (`country:type`, both lower case).
fn national(country: &str, kind: &str) -> Option<Limit> {
    let area = match kind {
        "urban" | "living_street" | "nsl_restricted" | "walk" => Some(Area::Urban),
        k if k.starts_with("zone") => Some(Area::Urban),
        "rural" | "trunk" | "nsl_single" | "nsl_dual" => Some(Area::Rural),
        "motorway" => None,
        _ => return None,
    };
    let key = format!("{country}:{kind}");
    let kmh = if NO_LIMIT.contains(&key.as_str()) {
        None
    } else if let Some(&(_, v)) = NATIONAL.iter().find(|(k, _)| *k == key) {
        Some(v)
    } else if let Some(&(_, v)) = DEFAULT_BY_TYPE.iter().find(|(k, _)| *k == kind) {
        Some(v)
    } else if let Some(zone) = kind.strip_prefix("zone") {
        // `zone30` or `zone:30`, in the country's unit.
        let n: f64 = zone.trim_start_matches(':').parse().ok()?;
        let kmh = if MPH_COUNTRIES.contains(&country) {
            n * MPH_KMH
        } else {
            n
        };
        if !(kmh > 0.0 && kmh <= MAX_PLAUSIBLE_KMH) {
            return None;
        }
        Some(kmh)
    } else {
        None
    };
    Some(Limit { kmh, area })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kmh(v: &str) -> Option<f64> {
        parse(v).and_then(|l| l.kmh)
    }

    #[test]
    fn numbers_and_units() {
        assert_eq!(kmh("50"), Some(50.0));
        assert_eq!(kmh("50 km/h"), Some(50.0));
        assert_eq!(kmh("30 mph"), Some(48.28032));
        assert_eq!(kmh("30mph"), Some(48.28032));
        assert_eq!(kmh("10 knots"), Some(18.52));
        assert_eq!(parse("fast"), None);
        assert_eq!(parse("0"), None);
        assert_eq!(parse("9999"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("-30"), None);
    }

    #[test]
    fn national_values() {
        // 60 mph single carriageway, 70 mph dual, 30 mph restricted (street-lit) roads.
        assert_eq!(
            parse("GB:nsl_single"),
            Some(Limit {
                kmh: Some(96.56064),
                area: Some(Area::Rural)
            })
        );
        assert_eq!(kmh("GB:nsl_dual"), Some(70.0 * 1.609344));
        assert_eq!(parse("GB:nsl_restricted").unwrap().area, Some(Area::Urban));
        assert_eq!(kmh("GB:zone20"), Some(32.18688));
        assert_eq!(kmh("DE:zone:30"), Some(30.0));
        assert_eq!(
            parse("FI:urban"),
            Some(Limit {
                kmh: Some(50.0),
                area: Some(Area::Urban)
            })
        );
        assert_eq!(kmh("FI:rural"), Some(80.0));
        assert_eq!(kmh("IT:rural"), Some(90.0)); // no exception listed: the rural default
        assert_eq!(kmh("FR:motorway"), Some(130.0));
        assert_eq!(kmh("DE:motorway"), None); // no general limit: the class default applies
        assert!(parse("DE:motorway").is_some());
        assert_eq!(parse("XX:moon"), None);
        assert_eq!(
            parse("none"),
            Some(Limit {
                kmh: None,
                area: None
            })
        );
    }

    #[test]
    fn lists_give_the_lowest() {
        assert_eq!(kmh("50;30"), Some(30.0));
        assert_eq!(kmh("30 mph;40"), Some(40.0_f64.min(48.28032)));
        assert_eq!(parse("50;x"), None);
    }
}
