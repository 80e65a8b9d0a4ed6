//! A study described by data: a TOML file naming its inputs and its scenarios. The bundled
//! Buckinghamshire case is `data/study.toml`; any other case is another file like it.

mod robust;

pub use robust::{CHANGES, Figures};

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::engine::Objective;
use crate::error::{Error, Result};
use crate::load::{Boundaries, Facilities, LoadedOrigins, Locator, Origin, Scenario};
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
    #[serde(default)]
    modes: Vec<String>,
    #[serde(default)]
    objective: Objective,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataFiles {
    facilities: PathBuf,
    postcodes: Option<PathBuf>,
    lsoas: Option<PathBuf>,
    nodes: Option<PathBuf>,
    edges: Option<PathBuf>,
    osm: Option<PathBuf>,
    origins: Option<PathBuf>,
    areas: Option<PathBuf>,
    #[serde(default = "default_id")]
    area_id: String,
    outlines: Option<PathBuf>,
    #[serde(default = "default_id")]
    outline_id: String,
}

fn default_id() -> String {
    "id".into()
}

/// One scenario of a study: the facilities listed in `ids`, or those whose `column` holds one of
/// `values`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Name, e.g. `hubs-2017`.
    pub name: String,
    /// Facility ids that are open (instead of a column filter).
    #[serde(default)]
    pub ids: Vec<String>,
    /// Facilities column to select on.
    pub column: Option<String>,
    /// Values of `column` that mean "open" (case-insensitive).
    #[serde(default)]
    pub values: Vec<String>,
    /// How many facilities the real plan had, if known.
    pub real_count: Option<usize>,
    /// How much of the real plan the data holds, with `{n}`, `{real}` and `{missing}`.
    pub coverage: Option<String>,
}

/// A loaded study: its facilities, network, origins, areas and scenarios.
///
/// A study file (TOML) names a case's inputs, paths relative to the file:
///
/// ```toml
/// name = "Libraries in Anytown"
/// modes = ["walk", "drive"]          # optional; default walk and drive
/// objective = "distance"             # or "time"
///
/// [data]
/// facilities = "libraries.csv"       # id, name, and postcode or lat,lon or easting,northing
/// osm = "anytown.osm.pbf"            # or nodes = "…csv", edges = "…csv"
/// origins = "homes.csv"              # optional: location, id, weight, group columns
/// postcodes = "postcodes.csv.gz"     # optional (Great Britain): places rows by postcode
/// areas = "wards.geojson"            # optional: polygons for maps, matched to origin ids
/// area_id = "code"                   #   (the property holding the id; vertex CSVs: the column)
/// outlines = "districts.geojson"     # optional: outlines drawn on maps
///
/// [[scenarios]]
/// name = "now"
/// column = "open_2024"               # the facilities whose column says yes …
/// values = ["yes"]
///
/// [[scenarios]]
/// name = "plan"
/// ids = ["central", "north"]         # … or a list of ids
/// ```
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
    /// The study file.
    pub path: PathBuf,
    /// Facilities with how each was located.
    pub facilities: Facilities,
    /// The study area's LSOAs (empty unless the file names `lsoas`).
    pub lsoas: Vec<Lsoa>,
    /// Postcodes of the area and around it (empty unless the file names `postcodes`).
    pub postcodes: PostcodeDirectory,
    /// The road network.
    pub network: Network,
    /// Origins from the file's `origins` CSV, with every rejected row.
    pub origins: Option<LoadedOrigins>,
    /// Polygons for maps, matched to origins by id (the bundled study: LSOAs).
    pub areas: Option<Boundaries>,
    /// Outlines for maps (the bundled study: districts).
    pub outlines: Option<Boundaries>,
    /// Modes to compare, in order (default walk and drive).
    pub modes: Vec<String>,
    /// Shortest or quickest.
    pub objective: Objective,
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
        let postcodes = match &d.postcodes {
            Some(p) => PostcodeDirectory::from_csv(&dir.join(p))?,
            None => PostcodeDirectory::default(),
        };
        let network = match (&d.osm, &d.nodes, &d.edges) {
            (Some(pbf), None, None) => {
                Network::from_osm_pbf(&dir.join(pbf), &crate::OsmOptions::default())?.0
            }
            (None, Some(n), Some(e)) => Network::from_csv(&dir.join(n), &dir.join(e))?,
            _ => {
                return Err(Error::InvalidOption {
                    option: "study",
                    message: format!(
                        "{}: [data] needs either `osm` (an .osm.pbf file) or both `nodes` and                          `edges` (CSV), not both",
                        path.display()
                    ),
                });
            }
        };
        let mut locator = Locator::new(network.crs());
        if !postcodes.is_empty() {
            locator = locator.with_geocoder(&postcodes);
        }
        let facilities = Facilities::from_csv(&dir.join(&d.facilities), &locator)?;
        let lsoas = match &d.lsoas {
            Some(p) => Lsoa::from_csv(&dir.join(p))?,
            None => Vec::new(),
        };
        let origins = match &d.origins {
            Some(p) => Some(crate::origins_from_csv(&dir.join(p), &locator)?),
            None => None,
        };
        let boundaries = |file: &Option<PathBuf>, id: &str| -> Result<Option<Boundaries>> {
            let Some(f) = file else { return Ok(None) };
            let f = dir.join(f);
            let geojson = matches!(
                f.extension().and_then(|e| e.to_str()),
                Some("geojson" | "json")
            );
            Ok(Some(if geojson {
                Boundaries::from_geojson(&f, id, Some("name"), network.crs())?
            } else {
                Boundaries::from_vertex_csv(&f, id, network.crs())?
            }))
        };
        let areas = boundaries(&d.areas, &d.area_id)?;
        let outlines = boundaries(&d.outlines, &d.outline_id)?;
        for s in &file.scenarios {
            if s.ids.is_empty() == s.column.is_none() {
                return Err(Error::InvalidOption {
                    option: "study",
                    message: format!(
                        "{}: scenario `{}` needs either `ids = [...]` or `column` and `values`",
                        path.display(),
                        s.name
                    ),
                });
            }
        }
        let modes = if file.modes.is_empty() {
            vec!["walk".into(), "drive".into()]
        } else {
            file.modes
        };
        Ok(Self {
            name: file.name,
            path: path.to_path_buf(),
            facilities,
            lsoas,
            postcodes,
            network,
            origins,
            areas,
            outlines,
            modes,
            objective: file.objective,
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
        self.scenario_from(name, &self.facilities)
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
            Ok(ScenarioSpec {
                coverage: Some(text),
                real_count,
                ..
            }) => {
                let real = real_count.unwrap_or(n);
                text.replace("{n}", &n.to_string())
                    .replace("{real}", &real.to_string())
                    .replace("{missing}", &real.saturating_sub(n).to_string())
            }
            _ => format!("{n} facilities"),
        };
        let tail = if missing.is_empty() {
            String::new()
        } else {
            format!("; not located: {}", missing.join(", "))
        };
        format!("{}: {head}; {located} located{tail}", scenario.name())
    }
}
