//! The bundled Buckinghamshire data and its three scenarios.
//!
//! * `centres-2017`: every site that public sources name as a 2017 children's centre
//!   (`centre_2017` yes or likely): 28 of the 35 centres, 27 of them located.
//! * `hubs-2017`: the 9 proposed hubs (`hub_2017` yes), several only as area placeholders.
//! * `family-centres-2019`: the 16 family centres kept in 2019 (`family_centre_2019` yes).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::facility::Facilities;
use crate::network::{Network, NetworkOptions};
use crate::origin::{Imd, Lsoa, Origin, Population};
use crate::postcode::PostcodeDirectory;
use crate::scenario::Scenario;

/// Number of children's centres in Buckinghamshire in 2017.
pub const CENTRES_2017: usize = 35;

/// Names of the bundled scenarios.
pub const SCENARIOS: [&str; 3] = ["centres-2017", "hubs-2017", "family-centres-2019"];

/// The bundled `data/` folder of this crate (override with `TRAVEL_IMPACT_DATA`).
pub fn data_dir() -> PathBuf {
    std::env::var_os("TRAVEL_IMPACT_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("data"))
}

/// Everything bundled for Buckinghamshire.
///
/// ```
/// use travel_impact::{bucks::Bucks, Mode};
/// let bucks = Bucks::load().unwrap();
/// assert_eq!(bucks.lsoas.len(), 319);
/// let centres = bucks.scenario("centres-2017").unwrap();
/// assert_eq!(centres.facilities().len(), 28);
/// assert_eq!(centres.located_count(), 27);
/// ```
#[derive(Debug, Clone)]
pub struct Bucks {
    /// Children's centres, hubs and family centres, with how each was located.
    pub facilities: Facilities,
    /// The 319 Buckinghamshire 2011 LSOAs.
    pub lsoas: Vec<Lsoa>,
    /// Postcodes of Buckinghamshire and its surroundings (live and terminated).
    pub postcodes: PostcodeDirectory,
    /// The OpenStreetMap road network (Nov 2016).
    pub network: Network,
}

impl Bucks {
    /// Loads the bundled data with default network options.
    pub fn load() -> Result<Self> {
        Self::load_from(&data_dir(), NetworkOptions::default())
    }

    /// Loads from a folder laid out like `data/`.
    pub fn load_from(dir: &Path, options: NetworkOptions) -> Result<Self> {
        let postcodes = PostcodeDirectory::from_csv(&dir.join("postcodes.csv.gz"))?;
        let facilities = Facilities::from_csv(&dir.join("facilities.csv"), Some(&postcodes))?;
        Ok(Self {
            facilities,
            lsoas: Lsoa::from_csv(&dir.join("lsoa11_bucks.csv"))?,
            postcodes,
            network: Network::from_csv(
                &dir.join("roads/nodes.csv.gz"),
                &dir.join("roads/edges.csv.gz"),
                options,
            )?,
        })
    }

    /// One of the [`SCENARIOS`].
    pub fn scenario(&self, name: &str) -> Result<Scenario> {
        scenario(&self.facilities, name)
    }

    /// The LSOAs as origins.
    pub fn lsoa_origins(&self, population: Population, imd: Imd) -> Vec<Origin> {
        self.lsoas
            .iter()
            .map(|l| l.origin(population, imd))
            .collect()
    }
}

/// One of the [`SCENARIOS`], from a facilities table laid out like `data/facilities.csv`.
pub fn scenario(facilities: &Facilities, name: &str) -> Result<Scenario> {
    let f = facilities;
    match name {
        "centres-2017" => Scenario::from_column(name, f, "centre_2017", &["yes", "likely"]),
        "hubs-2017" => Scenario::from_column(name, f, "hub_2017", &["yes"]),
        "family-centres-2019" => Scenario::from_column(name, f, "family_centre_2019", &["yes"]),
        _ => Err(Error::UnknownScenario(name.to_string())),
    }
}

/// One line saying how much of the real-world scenario the data covers.
pub fn coverage(scenario: &Scenario) -> String {
    let n = scenario.facilities().len();
    let located = scenario.located_count();
    let missing: Vec<&str> = scenario
        .not_located()
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    let head = match scenario.name() {
        "centres-2017" => format!(
            "{n} of the {CENTRES_2017} centres are named in public sources ({} not named, so absent)",
            CENTRES_2017.saturating_sub(n)
        ),
        "hubs-2017" => {
            format!("{n} of the 9 proposed hubs (5 are area placeholders, buildings unknown)")
        }
        "family-centres-2019" => format!("{n} of the 16 family centres kept in 2019"),
        other => format!("{other}: {n} facilities"),
    };
    let tail = if missing.is_empty() {
        String::new()
    } else {
        format!("; not located: {}", missing.join(", "))
    };
    format!("{}: {head}; {located} located{tail}", scenario.name())
}
