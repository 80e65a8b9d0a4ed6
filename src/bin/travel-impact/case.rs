//! Everything a command runs on, assembled from the study file and the command-line overrides.

use std::path::{Path, PathBuf};

use travel_impact::study::Study;
use travel_impact::uk::{Imd, Population, PostcodeDirectory};
use travel_impact::{
    Boundaries, Engine, EngineOptions, Error, Facilities, LoadedOrigins, Locator, Network,
    Objective, Origin, OsmOptions, Scenario, origins_from_csv,
};

use crate::Input;
use crate::progress::Progress;

/// A loaded case: network prepared, facilities, origins and map layers.
pub struct Case {
    pub title: String,
    pub engine: Engine,
    pub facilities: Facilities,
    pub origins: Vec<Origin>,
    /// The origins file as read, if origins came from a file: its lines and rejected rows (its
    /// origins are moved into `origins`).
    pub loaded: Option<LoadedOrigins>,
    /// What the weights count.
    pub weight_label: String,
    pub areas: Option<Boundaries>,
    pub outlines: Option<Boundaries>,
    pub modes: Vec<String>,
    pub objective: Objective,
    pub study: Option<Study>,
    /// Sentences every output repeats.
    pub caveats: Vec<String>,
    pub attribution: String,
}

fn bad(option: &'static str, message: String) -> Error {
    Error::InvalidOption { option, message }
}

/// The bundled data folder: `--data`, else `TRAVEL_IMPACT_DATA`, else found beside the program.
pub fn data_dir(input: &Input) -> Result<PathBuf, Error> {
    match &input.data {
        Some(d) => Ok(d.clone()),
        None => travel_impact::study::data_dir().map_err(|e| match e {
            Error::InvalidOption { option, message } => Error::InvalidOption {
                option,
                message: format!("{message}, or give --data DIR"),
            },
            e => e,
        }),
    }
}

impl Case {
    /// `site_files`: scenarios given as facilities files (`--before F --after G`); without
    /// `--facilities`, their sites are the facilities.
    pub fn load(input: &Input, site_files: &[&Path], progress: &Progress) -> Result<Self, Error> {
        let own_network = input.osm.is_some() || input.network.is_some();
        // The study: the file given, or the bundled one unless the user brings their own network.
        let study = match (&input.study, own_network) {
            (Some(path), _) => Some(progress.stage("loading the study", || Study::load(path))?),
            (None, false) => {
                let path = data_dir(input)?.join("study.toml");
                Some(progress.stage("loading the bundled study", || Study::load(&path))?)
            }
            (None, true) => None,
        };
        let network = if let Some(pbf) = &input.osm {
            progress.stage("reading the OpenStreetMap extract", || {
                Network::from_osm_pbf(pbf, &OsmOptions::default()).map(|(n, _)| n)
            })?
        } else if let Some(dir) = &input.network {
            let pick = |stem: &str| {
                let gz = dir.join(format!("{stem}.csv.gz"));
                if gz.is_file() {
                    gz
                } else {
                    dir.join(format!("{stem}.csv"))
                }
            };
            progress.stage("reading the road network", || {
                Network::from_csv(&pick("nodes"), &pick("edges"))
            })?
        } else {
            study
                .as_ref()
                .expect("a study when no network is given")
                .network
                .clone()
        };
        let crs = network.crs();
        // Postcodes place rows anywhere in Great Britain: the study's, else the bundled directory
        // when the network is on the British National Grid.
        let bundled_postcodes;
        let postcodes: Option<&PostcodeDirectory> = match &study {
            Some(s) if !s.postcodes.is_empty() => Some(&s.postcodes),
            _ if crs == travel_impact::geom::Crs::BritishNationalGrid => {
                bundled_postcodes = data_dir(input)
                    .ok()
                    .map(|d| d.join("postcodes.csv.gz"))
                    .filter(|p| p.is_file())
                    .map(|p| PostcodeDirectory::from_csv(&p))
                    .transpose()?;
                bundled_postcodes.as_ref()
            }
            _ => None,
        };
        let mut locator = Locator::new(crs);
        if let Some(p) = postcodes {
            locator = locator.with_geocoder(p);
        }
        let facilities = match (&input.facilities, &study) {
            (Some(f), _) => Facilities::from_csv(f, &locator)?,
            (None, _) if !site_files.is_empty() => {
                let mut all = Facilities::from_csv(site_files[0], &locator)?;
                for f in &site_files[1..] {
                    all = all.merged(&Facilities::from_csv(f, &locator)?)?;
                }
                all
            }
            (None, Some(s)) => s.facilities.clone(),
            (None, None) => {
                return Err(bad(
                    "--facilities",
                    "with your own network (--osm or --network), give --facilities FILE.csv \
                     (columns id, optional name, and postcode or lat,lon or easting,northing)"
                        .into(),
                ));
            }
        };
        let mut caveats = Vec::new();
        for (site, why) in facilities.not_located() {
            caveats.push(format!(
                "Facility `{}` ({}) has no location and is left out of every distance: {why}.",
                site.facility, site.name
            ));
        }
        let population = input.population;
        let (origins, loaded, weight_label) = match (&input.origins, &study) {
            (Some(f), _) => {
                let mut l = origins_from_csv(f, &locator)?;
                for r in &l.rejected {
                    caveats.push(format!(
                        "{} line {}: row rejected ({}); {}",
                        f.display(),
                        r.line,
                        if r.id.is_empty() { "no id" } else { &r.id },
                        r.reason
                    ));
                }
                let label = if csv_header(f).iter().any(|c| c == "weight") {
                    "the origins file's weight column"
                } else {
                    "one per row"
                };
                // Moved, not copied (56 MB a million): the outputs read only the lines and
                // rejects of the loaded file.
                (std::mem::take(&mut l.origins), Some(l), label.to_string())
            }
            (None, Some(s)) if s.origins.is_some() => {
                let mut l = s.origins.clone().expect("checked");
                (
                    std::mem::take(&mut l.origins),
                    Some(l),
                    "the study's origin weights".into(),
                )
            }
            (None, Some(s)) if !s.lsoas.is_empty() => {
                let (pop, imd, label) = match population {
                    crate::PopulationArg::Under5_2017 => (
                        Population::Under5Mid2017,
                        Imd::Imd2015,
                        "children aged 0-4 (ONS mid-2017) at LSOA population-weighted centroids; IMD 2015",
                    ),
                    crate::PopulationArg::Under5_2019 => (
                        Population::Under5Mid2019,
                        Imd::Imd2019,
                        "children aged 0-4 (ONS mid-2019) at LSOA population-weighted centroids; IMD 2019",
                    ),
                    crate::PopulationArg::All2017 => (
                        Population::TotalMid2017,
                        Imd::Imd2015,
                        "residents (ONS mid-2017) at LSOA population-weighted centroids; IMD 2015",
                    ),
                    crate::PopulationArg::All2019 => (
                        Population::TotalMid2019,
                        Imd::Imd2019,
                        "residents (ONS mid-2019) at LSOA population-weighted centroids; IMD 2019",
                    ),
                };
                (s.lsoa_origins(pop, imd), None, label.to_string())
            }
            _ => {
                return Err(bad(
                    "--origins",
                    "give --origins FILE.csv (a location per row: postcode, lat,lon or \
                     easting,northing; optional id, weight and group columns)"
                        .into(),
                ));
            }
        };
        let options = EngineOptions::default();
        let mut engine = progress.stage("preparing the travel modes", || {
            Ok::<_, Error>(Engine::new(network, options))
        })?;
        let modes: Vec<String> = if input.mode.is_empty() {
            study
                .as_ref()
                .map_or(vec!["walk".into(), "drive".into()], |s| s.modes.clone())
        } else {
            input.mode.clone()
        };
        for m in &modes {
            if engine.profile(m).is_err() {
                let profile = match m.as_str() {
                    "cycle" => travel_impact::Profile::cycle(),
                    "drive-free-flow" => travel_impact::Profile::drive_free_flow(),
                    other => {
                        return Err(bad(
                            "--mode",
                            format!(
                                "unknown mode `{other}`: use walk, drive, cycle or drive-free-flow"
                            ),
                        ));
                    }
                };
                engine.add_profile(profile)?;
            }
        }
        let objective = input
            .objective()
            .or(study.as_ref().map(|s| s.objective))
            .unwrap_or_default();
        let uk = crs == travel_impact::geom::Crs::BritishNationalGrid;
        let attribution = if uk {
            travel_impact::UK_ATTRIBUTION.to_string()
        } else {
            "© OpenStreetMap contributors".to_string()
        };
        let areas = match &input.areas {
            Some(f) => Some(read_boundaries(f, &input.area_id, crs)?),
            None if input.origins.is_none() => study.as_ref().and_then(|s| s.areas.clone()),
            None => None,
        };
        let outlines = match &input.outlines {
            Some(f) => Some(read_boundaries(f, &input.outline_id, crs)?),
            None if !own_network => study.as_ref().and_then(|s| s.outlines.clone()),
            None => None,
        };
        let title = match &study {
            Some(s) if input.facilities.is_none() && site_files.is_empty() => s.name.clone(),
            _ => input
                .facilities
                .as_deref()
                .map_or("Travel impact".into(), |f| {
                    format!("Travel impact: {}", file_stem(f))
                }),
        };
        Ok(Self {
            title,
            engine,
            facilities,
            origins,
            loaded,
            weight_label,
            areas,
            outlines,
            modes,
            objective,
            study,
            caveats,
            attribution,
        })
    }

    /// A scenario: a study scenario's name, `all`, a facilities CSV (its ids), or ids separated by
    /// commas.
    pub fn scenario(&self, spec: &str) -> Result<Scenario, Error> {
        if let Some(s) = &self.study
            && s.spec(spec).is_ok()
        {
            // The study's scenario, applied to the facilities in use (its own or the user's file).
            return s.scenario_from(spec, &self.facilities);
        }
        if spec == "all" {
            return Scenario::new("all", &self.facilities, self.facilities.facility_ids());
        }
        let path = Path::new(spec);
        if path.is_file() {
            let ids = ids_of(path)?;
            return Scenario::new(
                &file_stem(path),
                &self.facilities,
                ids.iter().map(String::as_str),
            );
        }
        let ids: Vec<&str> = spec
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let known: Vec<&str> = self
            .study
            .as_ref()
            .map(|s| s.scenario_names())
            .unwrap_or_default();
        Scenario::new(spec, &self.facilities, ids.iter().copied()).map_err(|e| {
            bad(
                "scenario",
                format!(
                    "{e}. A scenario is one of: {}`all`, a CSV file with an `id` column, or facility ids \
                     separated by commas",
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!("the study's {}, ", known.join(", "))
                    }
                ),
            )
        })
    }

    /// The before and after scenarios of `impact`, `map`, `report`, …: given, or the study's
    /// first two.
    pub fn pair(
        &self,
        before: Option<&str>,
        after: Option<&str>,
        close: &[String],
    ) -> Result<(Scenario, Scenario), Error> {
        let names = self
            .study
            .as_ref()
            .map(|s| s.scenario_names())
            .unwrap_or_default();
        let before = match before {
            Some(b) => self.scenario(b)?,
            None => self.default_scenario()?,
        };
        let after = match (after, close.is_empty()) {
            (Some(a), true) => self.scenario(a)?,
            (None, false) => {
                for id in close {
                    if !before.contains(id) {
                        return Err(bad(
                            "--close",
                            format!("`{id}` is not open in `{}`", before.name()),
                        ));
                    }
                }
                let open: Vec<&str> = before
                    .facilities()
                    .iter()
                    .map(|f| f.id.as_str())
                    .filter(|id| !close.iter().any(|c| c == id))
                    .collect();
                Scenario::new(
                    &format!("{} without {}", before.name(), close.join(", ")),
                    &self.facilities,
                    open,
                )?
            }
            (None, true) if names.len() >= 2 && self.study_facilities() => {
                self.scenario(names[1])?
            }
            (Some(_), false) => {
                return Err(bad(
                    "--after",
                    "give either --after or --close, not both".into(),
                ));
            }
            (None, true) => {
                return Err(bad(
                    "--after",
                    "say what changes: --after SCENARIO|FILE|IDS or --close ID,ID".into(),
                ));
            }
        };
        Ok((before, after))
    }

    /// Before and after for every origin by `mode`, with a progress line.
    pub fn impact(
        &self,
        mode: &str,
        before: &Scenario,
        after: &Scenario,
        objective: Objective,
        progress: &Progress,
    ) -> Result<travel_impact::Impact<'_>, Error> {
        progress.stage(&format!("computing {mode}"), || {
            self.engine
                .impact(&self.origins, before, after, mode, objective)
        })
    }

    /// The study's first scenario when its facilities are in use, else every facility.
    pub fn default_scenario(&self) -> Result<Scenario, Error> {
        match &self.study {
            Some(s) if self.study_facilities() && !s.scenarios.is_empty() => {
                s.scenario(&s.scenarios[0].name)
            }
            _ => self.scenario("all"),
        }
    }

    /// The facilities are the study's own (so its scenarios apply).
    fn study_facilities(&self) -> bool {
        self.study
            .as_ref()
            .is_some_and(|s| s.facilities.path() == self.facilities.path())
    }

    /// One line per scenario on how much of the real plan the data holds.
    pub fn coverage(&self, s: &Scenario) -> String {
        match &self.study {
            Some(st) if self.study_facilities() => st.coverage(s),
            _ => format!(
                "{}: {} facilities, {} located",
                s.name(),
                s.facilities().len(),
                s.located_count()
            ),
        }
    }
}

/// The column names of a CSV file's header, trimmed and lower-cased (empty if unreadable); reads
/// the first line only.
pub fn csv_header(path: &Path) -> Vec<String> {
    use std::io::BufRead;
    let mut line = String::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = std::io::BufReader::new(f).read_line(&mut line);
    }
    line.split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty())
        .collect()
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().trim_end_matches(".csv").to_string())
        .unwrap_or_else(|| path.display().to_string())
}

/// The `id` column of a CSV file.
fn ids_of(path: &Path) -> Result<Vec<String>, Error> {
    let mut r = csv::Reader::from_path(path)
        .map_err(|e| bad("scenario", format!("{}: {e}", path.display())))?;
    let headers = r
        .headers()
        .map_err(|e| bad("scenario", format!("{}: {e}", path.display())))?
        .clone();
    let col = headers
        .iter()
        .position(|h| h.trim() == "id")
        .ok_or_else(|| Error::MissingColumn {
            path: path.to_path_buf(),
            column: "id".into(),
            header: headers.iter().collect::<Vec<_>>().join(","),
        })?;
    let mut ids = Vec::new();
    for row in r.records() {
        let row = row.map_err(|e| bad("scenario", format!("{}: {e}", path.display())))?;
        match row.get(col).map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => ids.push(id.to_string()),
            None => {
                return Err(Error::Field {
                    path: path.to_path_buf(),
                    line: row.position().map_or(0, |p| p.line()),
                    field: "id".into(),
                    message: "empty: every row of a scenario file names a facility".into(),
                });
            }
        }
    }
    Ok(ids)
}

fn read_boundaries(
    path: &Path,
    id: &str,
    crs: travel_impact::geom::Crs,
) -> Result<Boundaries, Error> {
    let geojson = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("geojson" | "json")
    );
    if geojson {
        Boundaries::from_geojson(path, id, Some("name"), crs)
    } else {
        Boundaries::from_vertex_csv(path, id, crs)
    }
}
