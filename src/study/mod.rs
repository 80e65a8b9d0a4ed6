//! A study described by data: a TOML file naming its inputs and its scenarios. The bundled
//! Buckinghamshire case is `data/study.toml`; any other case is another file like it.

mod robust;

pub use robust::{CHANGES, Figures};

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::load::{Facilities, Locator, Origin, Scenario};
use crate::network::Network;
use crate::uk::{Imd, Lsoa, Population, PostcodeDirectory};

/// The folder of bundled data, found at run time: `TRAVEL_IMPACT_DATA` if set, else a `data`
/// folder holding `study.toml` in the current directory or beside the running program (or up to
/// four folders above it, which covers `target/release/examples/`).
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("TRAVEL_IMPACT_DATA") {
        return Ok(PathBuf::from(dir));
    }
    let mut tried = Vec::new();
    let mut candidates = vec![PathBuf::from("data")];
    if let Ok(exe) = std::env::current_exe() {
        candidates.extend(exe.ancestors().skip(1).take(5).map(|d| d.join("data")));
    }
    for dir in candidates {
        if dir.join("study.toml").is_file() {
            return Ok(dir);
        }
        tried.push(dir.display().to_string());
    }
    Err(Error::InvalidOption {
        option: "data directory",
        message: format!(
            "no data/study.toml found (tried {}); set TRAVEL_IMPACT_DATA to the data folder",
            tried.join(", ")
        ),
    })
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct StudyFile {
    name: String,
    data: DataFiles,
    scenarios: Vec<ScenarioSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataFiles {
    facilities: PathBuf,
    postcodes: PathBuf,
    lsoas: PathBuf,
    nodes: PathBuf,
    edges: PathBuf,
}

/// One scenario of a study: the facilities whose `column` holds one of `values`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Name, e.g. `hubs-2017`.
    pub name: String,
    /// Facilities column to select on.
    pub column: String,
    /// Values that mean "open".
    pub values: Vec<String>,
    /// How many facilities the real plan had.
    pub real_count: usize,
    /// How much of the real plan the data holds, with `{n}`, `{real}` and `{missing}`.
    pub coverage: String,
}

/// A loaded study: its facilities, areas, postcodes, network and scenarios.
///
/// ```
/// use travel_impact::study::Study;
/// let bucks = Study::bundled()?;
/// assert_eq!(bucks.lsoas.len(), 319);
/// let centres = bucks.scenario("centres-2017")?;
/// assert_eq!(centres.facilities().len(), 28);
/// assert_eq!(centres.located_count(), 27);
/// # Ok::<(), travel_impact::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Study {
    /// Title.
    pub name: String,
    /// Facilities with how each was located.
    pub facilities: Facilities,
    /// The study area's LSOAs.
    pub lsoas: Vec<Lsoa>,
    /// Postcodes of the area and around it (live and terminated).
    pub postcodes: PostcodeDirectory,
    /// The road network.
    pub network: Network,
    /// The scenarios, in file order.
    pub scenarios: Vec<ScenarioSpec>,
}

impl Study {
    /// The bundled study, `data/study.toml` in [`data_dir`].
    pub fn bundled() -> Result<Self> {
        Self::load(&data_dir()?.join("study.toml"))
    }

    /// Loads a study file and everything it names (paths relative to the file).
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let file: StudyFile = toml::from_str(&text).map_err(|e| Error::InvalidOption {
            option: "study",
            message: format!("{}: {e}", path.display()),
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let d = &file.data;
        let postcodes = PostcodeDirectory::from_csv(&dir.join(&d.postcodes))?;
        let network = Network::from_csv(&dir.join(&d.nodes), &dir.join(&d.edges))?;
        let locator = Locator::new(network.crs()).with_geocoder(&postcodes);
        let facilities = Facilities::from_csv(&dir.join(&d.facilities), &locator)?;
        let lsoas = Lsoa::from_csv(&dir.join(&d.lsoas))?;
        Ok(Self {
            name: file.name,
            facilities,
            lsoas,
            postcodes,
            network,
            scenarios: file.scenarios,
        })
    }

    /// The scenario names, in file order.
    pub fn scenario_names(&self) -> Vec<&str> {
        self.scenarios.iter().map(|s| s.name.as_str()).collect()
    }

    /// The spec of scenario `name`.
    pub fn spec(&self, name: &str) -> Result<&ScenarioSpec> {
        self.scenarios
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::UnknownScenario(name.to_string()))
    }

    /// Scenario `name`.
    pub fn scenario(&self, name: &str) -> Result<Scenario> {
        let spec = self.spec(name)?;
        let values: Vec<&str> = spec.values.iter().map(String::as_str).collect();
        Scenario::from_column(name, &self.facilities, &spec.column, &values)
    }

    /// The default candidate sites for site selection: every facility of `centres-2017` or
    /// `hubs-2017` with a located site, ordered by id; and the ids left out for having none
    /// (reported, not dropped silently). The hubs include area placeholders located at a town or
    /// area (precision 1.5-2.5 km; `hub_aylesbury_2` and `hub_aylesbury_3` share one point).
    ///
    /// ```
    /// let bucks = travel_impact::study::Study::bundled()?;
    /// let (candidates, unlocated) = bucks.candidates()?;
    /// assert_eq!(candidates.facilities().len(), 32);
    /// assert_eq!(unlocated, ["millbrook"]);
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn candidates(&self) -> Result<(Scenario, Vec<String>)> {
        let mut located = Vec::new();
        let mut unlocated = Vec::new();
        for name in ["centres-2017", "hubs-2017"] {
            for f in self.scenario(name)?.facilities() {
                if f.is_located() {
                    located.push(f.id.clone());
                } else {
                    unlocated.push(f.id.clone());
                }
            }
        }
        unlocated.sort();
        unlocated.dedup();
        let scenario = Scenario::new(
            "candidates",
            &self.facilities,
            located.iter().map(String::as_str),
        )?;
        Ok((scenario, unlocated))
    }

    /// The LSOAs as origins.
    pub fn lsoa_origins(&self, population: Population, imd: Imd) -> Vec<Origin> {
        self.lsoas
            .iter()
            .map(|l| l.origin(population, imd))
            .collect()
    }

    /// One line saying how much of the real-world scenario the data covers, and which facilities
    /// are not located.
    pub fn coverage(&self, scenario: &Scenario) -> String {
        let n = scenario.facilities().len();
        let located = scenario.located_count();
        let missing: Vec<&str> = scenario
            .not_located()
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        let head = match self.spec(scenario.name()) {
            Ok(spec) => spec
                .coverage
                .replace("{n}", &n.to_string())
                .replace("{real}", &spec.real_count.to_string())
                .replace("{missing}", &spec.real_count.saturating_sub(n).to_string()),
            Err(_) => format!("{n} facilities"),
        };
        let tail = if missing.is_empty() {
            String::new()
        } else {
            format!("; not located: {}", missing.join(", "))
        };
        format!("{}: {head}; {located} located{tail}", scenario.name())
    }
}
