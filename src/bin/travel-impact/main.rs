//! `travel-impact`: when sites close, how much further do people travel, and who bears it? From
//! the command line, on the bundled Buckinghamshire study or on your own CSV files.

mod case;
mod progress;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use travel_impact::geom::LonLat;
use travel_impact::{
    Error, Impact, ImpactReport, Map, MapMeasure, MapOptions, Objective, ReportInputs, Scenario,
    report,
};

use crate::case::Case;
use crate::progress::Progress;

const AFTER_HELP: &str = "\
Examples:
  travel-impact tables                                  # the bundled Buckinghamshire study
  travel-impact impact --before centres-2017 --after hubs-2017 --mode walk --out walk.csv
  travel-impact nearest --facilities my_sites.csv --origins homes.csv --mode drive --out nearest.csv
  travel-impact report --facilities my_sites.csv --close ID1,ID2 --out-dir report/
  travel-impact map --osm city.osm.pbf --facilities sites.csv --origins homes.csv --close A --out map.png
  travel-impact route --from -0.81,51.82 --to -0.75,51.63 --mode drive

Inputs (CSV, UTF-8, header row):
  facilities  id, optional name, and a location: postcode (Great Britain), or lat,lon, or
              easting,northing (metres in the network's grid). Other columns are kept and can
              select scenarios.
  origins     a location as above; optional id, weight (default 1) and any other columns as
              groups to break results down by (e.g. district, imd_decile).
  scenario    (--before, --after, --scenario) a study scenario name, `all`, a CSV file with an
              `id` column, or facility ids separated by commas. --close ID,ID = before minus those.

Without --study, --osm or --network, the bundled Buckinghamshire study is used (found beside the
program, or in TRAVEL_IMPACT_DATA, or --data DIR).

Exit codes: 0 done; 1 bad input or data (the message says what to fix); 2 bad command line;
3 an output could not be written.";

#[derive(Parser)]
#[command(
    name = "travel-impact",
    version,
    about = "When sites close, how much further do people travel, and who bears it?",
    long_about = "When sites close, how much further do people travel, and who bears it? \
                  travel-impact finds every origin's nearest facility over a real road network \
                  before and after a change, and writes tables, spreadsheets (CSV), GeoJSON, maps \
                  and a report.",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(flatten)]
    input: Input,
    #[command(subcommand)]
    command: Command,
}

/// Where the data comes from; every option can follow the subcommand.
#[derive(Args)]
pub struct Input {
    /// A study file (TOML) naming the facilities, network, origins and scenarios of a case.
    #[arg(long, global = true, value_name = "FILE.toml")]
    study: Option<PathBuf>,
    /// Facilities CSV: id, optional name, and postcode or lat,lon or easting,northing.
    #[arg(long, global = true, value_name = "FILE.csv")]
    facilities: Option<PathBuf>,
    /// Origins CSV: a location per row; optional id, weight and group columns.
    #[arg(long, global = true, value_name = "FILE.csv")]
    origins: Option<PathBuf>,
    /// Road network from an OpenStreetMap extract.
    #[arg(
        long,
        global = true,
        value_name = "FILE.osm.pbf",
        conflicts_with = "network"
    )]
    osm: Option<PathBuf>,
    /// Road network as CSV: a folder with nodes.csv and edges.csv (or .csv.gz).
    #[arg(long, global = true, value_name = "DIR")]
    network: Option<PathBuf>,
    /// Travel modes, comma-separated: walk, drive, cycle, drive-free-flow.
    #[arg(long, global = true, value_delimiter = ',', value_name = "MODE")]
    mode: Vec<String>,
    /// Nearest by road distance or by travel time.
    #[arg(long, global = true, value_enum)]
    objective: Option<ObjectiveArg>,
    /// Weights of the bundled LSOA origins.
    #[arg(long, global = true, value_enum, default_value = "under5-2017")]
    population: PopulationArg,
    /// Polygons for maps (GeoJSON or a vertex CSV), matched to origins by id.
    #[arg(long, global = true, value_name = "FILE")]
    areas: Option<PathBuf>,
    /// The property (GeoJSON) or column (CSV) of --areas holding the origin id.
    #[arg(long, global = true, default_value = "id")]
    area_id: String,
    /// Outlines drawn on maps (GeoJSON or a vertex CSV).
    #[arg(long, global = true, value_name = "FILE")]
    outlines: Option<PathBuf>,
    /// The property or column of --outlines holding its id.
    #[arg(long, global = true, default_value = "id")]
    outline_id: String,
    /// The bundled data folder (default: found beside the program, or TRAVEL_IMPACT_DATA).
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// No progress or notes on stderr.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ObjectiveArg {
    Distance,
    Time,
}

/// Weights of the bundled LSOA origins.
#[derive(Clone, Copy, ValueEnum)]
pub enum PopulationArg {
    /// Children aged 0-4, mid-2017 (with IMD 2015).
    #[value(name = "under5-2017")]
    Under5_2017,
    /// Children aged 0-4, mid-2019 (with IMD 2019).
    #[value(name = "under5-2019")]
    Under5_2019,
    /// All residents, mid-2017.
    #[value(name = "all-2017")]
    All2017,
    /// All residents, mid-2019.
    #[value(name = "all-2019")]
    All2019,
}

/// Which change to measure.
#[derive(Args, Clone, Default)]
struct Change {
    /// The facilities open before (default: the study's first scenario, or all).
    #[arg(long, value_name = "SCENARIO|FILE|IDS")]
    before: Option<String>,
    /// The facilities open after (default: the study's second scenario).
    #[arg(long, value_name = "SCENARIO|FILE|IDS")]
    after: Option<String>,
    /// Facilities that close: after = before without these.
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    close: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Every origin's nearest facility: one CSV (or GeoJSON) row per input row, in order.
    Nearest {
        /// Which facilities are open (default: the study's first scenario, or all).
        #[arg(long, value_name = "SCENARIO|FILE|IDS")]
        scenario: Option<String>,
        /// Output file, .csv or .geojson (default: CSV on stdout).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Before and after for every origin (CSV or GeoJSON), with summaries on stdout.
    Impact {
        #[command(flatten)]
        change: Change,
        /// Output file, .csv or .geojson (default: no per-origin file).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Break the summary down by these origin columns (default: district and imd_decile
        /// where present).
        #[arg(long, value_delimiter = ',', value_name = "COLUMN")]
        by: Vec<String>,
    },
    /// Print before/after tables for each mode: summary, breakdowns, most affected origins.
    Tables {
        #[command(flatten)]
        change: Change,
        /// How many of the most affected origins to list.
        #[arg(long, default_value_t = 15)]
        top: usize,
    },
    /// Write every spreadsheet and GeoJSON for each mode into a folder.
    Export {
        #[command(flatten)]
        change: Change,
        /// Folder to write into (created if missing).
        #[arg(long, value_name = "DIR")]
        out_dir: PathBuf,
    },
    /// Draw a map of the change: SVG, or PNG if the file ends in .png.
    Map {
        #[command(flatten)]
        change: Change,
        /// Output file (.svg or .png).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Shade by the increase in distance or in time.
        #[arg(long, value_enum, default_value = "distance")]
        measure: MeasureArg,
        /// PNG width in pixels.
        #[arg(long, default_value_t = 2000)]
        width_px: u32,
    },
    /// Write the impact report: report.md and a self-contained report.html, with maps.
    Report {
        #[command(flatten)]
        change: Change,
        /// Folder to write into (created if missing).
        #[arg(long, value_name = "DIR")]
        out_dir: PathBuf,
        /// How many of the most affected origins to list per mode.
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Compare a plan with the best choice of the same size from candidate sites (p-median,
    /// p-center or maximal coverage; exact by branch and bound, or with a stated gap).
    Best {
        /// The plan to compare (default: the study's second scenario).
        #[arg(long, value_name = "SCENARIO|FILE|IDS")]
        plan: Option<String>,
        /// Sites to choose from; those without a location are left out and listed (default:
        /// every facility).
        #[arg(long, default_value = "all", value_name = "SCENARIO|FILE|IDS")]
        candidates: String,
        /// How many sites (default: as many as the plan has).
        #[arg(long)]
        k: Option<usize>,
        /// median: lowest weighted mean; center: lowest worst case; coverage: most weight within
        /// --within-min (time) or --within-km (distance).
        #[arg(long, value_enum, default_value = "median")]
        goal: GoalArg,
        /// Coverage threshold in minutes (with --objective time).
        #[arg(long, default_value_t = 20.0)]
        within_min: f64,
        /// Coverage threshold in km (with --objective distance).
        #[arg(long, default_value_t = 2.0)]
        within_km: f64,
    },
    /// Distance, time and path between two points (longitude,latitude), path as GeoJSON.
    Route {
        /// Start, as LON,LAT.
        #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
        from: String,
        /// End, as LON,LAT.
        #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
        to: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum GoalArg {
    Median,
    Center,
    Coverage,
}

#[derive(Clone, Copy, ValueEnum)]
enum MeasureArg {
    Distance,
    Time,
}

impl Change {
    /// The before and after scenarios (see [`Case::pair`]).
    fn scenarios(&self, case: &Case) -> Result<(Scenario, Scenario), Error> {
        case.pair(self.before.as_deref(), self.after.as_deref(), &self.close)
    }
}

impl From<ObjectiveArg> for Objective {
    fn from(o: ObjectiveArg) -> Self {
        match o {
            ObjectiveArg::Distance => Objective::Distance,
            ObjectiveArg::Time => Objective::Time,
        }
    }
}

impl Input {
    pub fn objective(&self) -> Option<Objective> {
        self.objective.map(Objective::from)
    }
}

/// Why the program stopped, mapped to an exit code.
enum Failure {
    Input(Error),
    Output(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Write { .. } => Failure::Output(e),
            e => Failure::Input(e),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        // A reader that stopped early (`| head`) is not a failure.
        Err(Failure::Output(Error::Write { path, message }))
            if path == Path::new("<stdout>") && message.contains("Broken pipe") =>
        {
            ExitCode::SUCCESS
        }
        Err(Failure::Output(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(3)
        }
    }
}

fn out_err(path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure::Output(Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, Failure> {
    std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|e| out_err(path, e))
}

fn is_geojson(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("geojson" | "json")
    )
}

/// The one mode a single-mode command runs.
fn single_mode(case: &Case) -> Result<&str, Failure> {
    match case.modes.as_slice() {
        [m] => Ok(m),
        [m, ..] if case.modes.len() > 1 => Err(Failure::Input(Error::InvalidOption {
            option: "--mode",
            message: format!("this command runs one mode; give --mode {m} (or another one) alone"),
        })),
        _ => unreachable!("a case always has a mode"),
    }
}

fn run(cli: &Cli) -> Result<(), Failure> {
    let progress = Progress::new(cli.input.quiet);
    // Scenarios given as facilities files bring their own sites (unless --facilities is given).
    let change = match &cli.command {
        Command::Impact { change, .. }
        | Command::Tables { change, .. }
        | Command::Export { change, .. }
        | Command::Map { change, .. }
        | Command::Report { change, .. } => Some(change),
        _ => None,
    };
    let site_files: Vec<&Path> = change
        .into_iter()
        .flat_map(|c| [c.before.as_deref(), c.after.as_deref()])
        .flatten()
        .map(Path::new)
        .filter(|p| cli.input.facilities.is_none() && p.is_file() && has_location_columns(p))
        .collect();
    let case = Case::load(&cli.input, &site_files, &progress)?;
    let objective = case.objective;
    // Commands whose stdout holds data: the caveats go to stderr (the others print them).
    if !matches!(
        cli.command,
        Command::Impact { .. } | Command::Tables { .. } | Command::Report { .. }
    ) {
        for c in &case.caveats {
            progress.note(&format!("note: {c}"));
        }
    }
    match &cli.command {
        Command::Nearest { scenario, out } => {
            let mode = single_mode(&case)?;
            let s = match scenario {
                Some(name) => case.scenario(name)?,
                None => case.default_scenario()?,
            };
            progress.note(&case.coverage(&s));
            let router = case.engine.profile(mode)?;
            let (snaps, outcomes) =
                progress.stage("finding every origin's nearest facility", || {
                    let snaps = router.snap_origins(&case.origins);
                    let placed = router.place(&s, objective);
                    router
                        .outcomes(&case.origins, &snaps, &placed)
                        .map(|o| (snaps, o))
                })?;
            let crs = case.engine.network().crs();
            match out {
                Some(path) => travel_impact::write_nearest_to(
                    &outcomes,
                    &snaps,
                    &case.origins,
                    crs,
                    case.loaded.as_ref(),
                    is_geojson(path),
                    create(path)?,
                    path,
                )?,
                None => travel_impact::write_nearest_to(
                    &outcomes,
                    &snaps,
                    &case.origins,
                    crs,
                    case.loaded.as_ref(),
                    false,
                    std::io::stdout().lock(),
                    Path::new("<stdout>"),
                )?,
            }
            let reached = (0..outcomes.len())
                .filter(|&i| outcomes.get(i).is_ok())
                .count();
            progress.note(&format!(
                "{} rows: {} origins reached a facility, {} did not, {} rows rejected at load",
                case.origins.len() + case.loaded.as_ref().map_or(0, |l| l.rejected.len()),
                reached,
                outcomes.len() - reached,
                case.loaded.as_ref().map_or(0, |l| l.rejected.len()),
            ));
        }
        Command::Impact { change, out, by } => {
            let mode = single_mode(&case)?;
            let (before, after) = change.scenarios(&case)?;
            let impact = case.impact(mode, &before, &after, objective, &progress)?;
            if let Some(path) = out {
                if is_geojson(path) {
                    travel_impact::write_geojson_to(
                        &impact,
                        case.loaded.as_ref(),
                        create(path)?,
                        path,
                    )?;
                } else {
                    travel_impact::write_csv_to(
                        &impact,
                        case.loaded.as_ref(),
                        create(path)?,
                        path,
                    )?;
                }
                progress.note(&format!("wrote {}", path.display()));
            }
            let keys = group_keys(&case, by);
            let mut o = std::io::stdout().lock();
            let _ = writeln!(o, "{}\n{}\n", case.coverage(&before), case.coverage(&after));
            let _ = writeln!(o, "{}", report::summary(&impact, &case.weight_label));
            for k in &keys {
                let _ = writeln!(
                    o,
                    "{}",
                    report::breakdown(&format!("By {k}"), k, &impact.summary_by(k), |v| v.clone())
                );
            }
            let _ = writeln!(o, "{}", report::accounting(&impact));
            for c in &case.caveats {
                let _ = writeln!(o, "- {c}");
            }
        }
        Command::Tables { change, top } => {
            let (before, after) = change.scenarios(&case)?;
            let mut o = std::io::stdout().lock();
            let _ = writeln!(o, "{}\n", case.title);
            for s in [&before, &after] {
                let _ = writeln!(o, "{}", report::facilities(s));
                let _ = writeln!(o, "{}\n", case.coverage(s));
            }
            for c in &case.caveats {
                let _ = writeln!(o, "- {c}");
            }
            let keys = group_keys(&case, &[]);
            for mode in &case.modes {
                let impact = case.impact(mode, &before, &after, objective, &progress)?;
                let _ = writeln!(o, "{}", report::summary(&impact, &case.weight_label));
                for k in &keys {
                    let _ = writeln!(
                        o,
                        "{}",
                        report::breakdown(
                            &format!("By {k} ({mode})"),
                            k,
                            &impact.summary_by(k),
                            |v| v.clone()
                        )
                    );
                }
                let _ = writeln!(o, "{}", report::largest_increases(&impact, *top));
                let _ = writeln!(o, "{}", report::accounting(&impact));
            }
        }
        Command::Export { change, out_dir } => {
            let (before, after) = change.scenarios(&case)?;
            std::fs::create_dir_all(out_dir).map_err(|e| out_err(out_dir, e))?;
            let keys = group_keys(&case, &[]);
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            for mode in &case.modes {
                let impact = case.impact(mode, &before, &after, objective, &progress)?;
                let loaded = case.loaded.as_ref();
                let file = |name: &str| out_dir.join(format!("{name}_{mode}"));
                let p = file("origins").with_extension("csv");
                travel_impact::write_csv_to(&impact, loaded, create(&p)?, &p)?;
                let p = file("origins").with_extension("geojson");
                travel_impact::write_geojson_to(&impact, loaded, create(&p)?, &p)?;
                let p = file("catchments").with_extension("csv");
                travel_impact::write_catchments_to(&impact, create(&p)?, &p)?;
                let p = file("reassignment").with_extension("csv");
                travel_impact::write_reassignment_to(&impact, create(&p)?, &p)?;
                let p = file("summary").with_extension("csv");
                travel_impact::write_summaries_to(&impact, &keys, create(&p)?, &p)?;
            }
            progress.note(&format!(
                "wrote origins, catchments, reassignment and summary files for {} into {}",
                case.modes.join(", "),
                out_dir.display()
            ));
        }
        Command::Map {
            change,
            out,
            measure,
            width_px,
        } => {
            let mode = single_mode(&case)?;
            let (before, after) = change.scenarios(&case)?;
            let impact = case.impact(mode, &before, &after, objective, &progress)?;
            let map = draw(&case, &impact, (*measure).into());
            write_map(&map, out, *width_px, &progress)?;
        }
        Command::Report {
            change,
            out_dir,
            top,
        } => {
            let (before, after) = change.scenarios(&case)?;
            std::fs::create_dir_all(out_dir).map_err(|e| out_err(out_dir, e))?;
            let impacts: Vec<Impact<'_>> = case
                .modes
                .iter()
                .map(|mode| case.impact(mode, &before, &after, objective, &progress))
                .collect::<Result<_, _>>()?;
            let mut maps = Vec::new();
            for impact in &impacts {
                let map = draw(&case, impact, MapMeasure::DistanceChange);
                let name = format!("map_{}.svg", impact.profile().name);
                write_map(&map, &out_dir.join(&name), 0, &progress)?;
                maps.push((
                    format!(
                        "Increase in road distance to the nearest facility, {}",
                        impact.profile().name
                    ),
                    map.svg().to_string(),
                    name,
                ));
            }
            let mut caveats = vec![case.coverage(&before), case.coverage(&after)];
            caveats.extend(case.caveats.iter().cloned());
            caveats.push(format!("Map data: {}.", case.attribution));
            let inputs = ReportInputs {
                title: format!("Impact report: {}", case.title),
                weight_label: case.weight_label.clone(),
                caveats,
                maps,
                top: *top,
                generated: env!("CARGO_PKG_VERSION").to_string(),
            };
            let refs: Vec<&Impact<'_>> = impacts.iter().collect();
            let doc = ImpactReport::new(&refs, &inputs);
            for (name, text) in [("report.md", doc.markdown()), ("report.html", doc.html())] {
                let p = out_dir.join(name);
                std::fs::write(&p, text).map_err(|e| out_err(&p, e))?;
            }
            progress.note(&format!(
                "wrote report.md, report.html and maps into {}",
                out_dir.display()
            ));
        }
        Command::Best {
            plan,
            candidates,
            k,
            goal,
            within_min,
            within_km,
        } => {
            let plan = match plan {
                Some(p) => case.scenario(p)?,
                None => case.pair(None, None, &[])?.1,
            };
            let all = case.scenario(candidates)?;
            let located: Vec<&str> = all
                .facilities()
                .iter()
                .filter(|f| f.is_located())
                .map(|f| f.id.as_str())
                .collect();
            let pool = travel_impact::Scenario::new("candidates", &case.facilities, located)?;
            let k = k.unwrap_or(plan.facilities().len());
            let measure = match objective {
                Objective::Distance => travel_impact::Measure::Distance,
                Objective::Time => travel_impact::Measure::Time,
            };
            let g = match goal {
                GoalArg::Median => travel_impact::Goal::Median,
                GoalArg::Center => travel_impact::Goal::Center,
                GoalArg::Coverage => travel_impact::Goal::Coverage {
                    within: match objective {
                        Objective::Distance => within_km * 1000.0,
                        Objective::Time => within_min * 60.0,
                    },
                },
            };
            let show = |v: f64| match (g, measure) {
                (travel_impact::Goal::Coverage { .. }, _) => report::pct(v),
                (_, travel_impact::Measure::Time) => format!("{} min", report::min(v)),
                (_, travel_impact::Measure::Distance) => format!("{} km", report::km(v)),
            };
            let mut o = std::io::stdout().lock();
            let left_out: Vec<&str> = all.not_located().iter().map(|f| f.id.as_str()).collect();
            let _ = writeln!(
                o,
                "{} against the best {k} of {} candidates ({} without a location left out{}); goal: \
                 {}; weights: {}\n",
                plan.name(),
                pool.facilities().len(),
                left_out.len(),
                if left_out.is_empty() {
                    String::new()
                } else {
                    format!(": {}", left_out.join(", "))
                },
                match g {
                    travel_impact::Goal::Median => format!("lowest weighted mean {measure}"),
                    travel_impact::Goal::Center => format!("lowest worst {measure}"),
                    travel_impact::Goal::Coverage { within } => format!(
                        "most weight within {}",
                        match measure {
                            travel_impact::Measure::Time => format!("{} min", within / 60.0),
                            travel_impact::Measure::Distance => format!("{} km", within / 1000.0),
                        }
                    ),
                },
                case.weight_label
            );
            for mode in &case.modes {
                let r = case.engine.profile(mode)?;
                let snaps = r.snap_origins(&case.origins);
                let matrix = progress
                    .stage(&format!("{mode}: one search per candidate"), || {
                        r.cost_matrix(&pool, &case.origins, &snaps, objective)
                    })?;
                let start = matrix.indices(&plan).map_err(|e| {
                    Failure::Input(Error::InvalidOption {
                        option: "--plan",
                        message: format!(
                            "{e} (every site of the plan must be a located candidate)"
                        ),
                    })
                })?;
                let starts: Vec<Vec<usize>> = if start.len() == k {
                    vec![start.clone()]
                } else {
                    Vec::new()
                };
                let best = progress.stage(&format!("{mode}: choosing the best {k}"), || {
                    matrix.select(g, measure, k, &starts)
                })?;
                let plan_value = matrix.value(g, measure, &start);
                let ids = |set: &[usize]| -> Vec<String> {
                    set.iter().map(|&j| matrix.candidates[j].clone()).collect()
                };
                let (plan_ids, best_ids) = (ids(&start), ids(&best.chosen));
                // A site at the same point as one of the other set's (e.g. a placeholder hub at
                // its town's centre) is not a difference.
                let points = |id: &str| -> Vec<travel_impact::geom::Xy> {
                    case.facilities
                        .sites_of(id)
                        .filter_map(|s| s.point())
                        .collect()
                };
                let only = |a: &[String], b: &[String]| -> String {
                    a.iter()
                        .filter(|x| !b.contains(x) && !b.iter().any(|y| points(y) == points(x)))
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let _ = writeln!(
                    o,
                    "{mode}: plan {} -> best {} ({}; {} nodes)\n  plan only: {}\n  best only: {}\n  best: {}\n  \
                     (sites at the same point as one of the other set are not listed as differences)\n",
                    show(plan_value),
                    show(best.value),
                    if best.exact {
                        "exact".to_string()
                    } else {
                        format!(
                            "bound {}, gap {}",
                            show(best.bound),
                            report::pct(best.gap())
                        )
                    },
                    best.nodes,
                    only(&plan_ids, &best_ids),
                    only(&best_ids, &plan_ids),
                    best_ids.join(" ")
                );
            }
        }
        Command::Route { from, to } => {
            let mode = single_mode(&case)?;
            let net = case.engine.network();
            let (a, b) = (lon_lat("--from", from)?, lon_lat("--to", to)?);
            let route = case
                .engine
                .profile(mode)?
                .route(net.project(a), net.project(b), objective)
                .map_err(|e| {
                    Failure::Input(Error::InvalidOption {
                        option: "route",
                        message: e.to_string(),
                    })
                })?;
            let path: Vec<Vec<f64>> = route
                .path_lon_lat(net)
                .iter()
                .map(|p| {
                    vec![
                        (p.lon_deg * 1e6).round() / 1e6,
                        (p.lat_deg * 1e6).round() / 1e6,
                    ]
                })
                .collect();
            let feature = serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": path},
                "properties": {
                    "mode": mode,
                    "objective": objective.to_string(),
                    "distance_m": (route.distance_m * 10.0).round() / 10.0,
                    "time_s": (route.time_s * 10.0).round() / 10.0,
                }
            });
            let mut o = std::io::stdout().lock();
            let _ = writeln!(
                o,
                "{mode}, {objective} route: {} km, {} min",
                report::km(route.distance_m),
                report::min(route.time_s)
            );
            let _ = writeln!(o, "{feature}");
        }
    }
    Ok(())
}

impl From<MeasureArg> for MapMeasure {
    fn from(m: MeasureArg) -> Self {
        match m {
            MeasureArg::Distance => MapMeasure::DistanceChange,
            MeasureArg::Time => MapMeasure::TimeChange,
        }
    }
}

fn draw(case: &Case, impact: &Impact<'_>, measure: MapMeasure) -> Map {
    Map::of(
        impact,
        &MapOptions {
            title: case.title.clone(),
            areas: case.areas.as_ref(),
            outlines: case.outlines.as_ref(),
            measure,
            attribution: case.attribution.clone(),
        },
    )
}

/// Writes `map` as SVG, or as PNG (`width_px` wide) if the file ends in `.png`.
fn write_map(map: &Map, out: &Path, width_px: u32, progress: &Progress) -> Result<(), Failure> {
    let png = out.extension().and_then(|e| e.to_str()) == Some("png");
    if png {
        let bytes = progress.stage("rendering the PNG", || map.to_png(width_px))?;
        std::fs::write(out, bytes).map_err(|e| out_err(out, e))?;
    } else {
        std::fs::write(out, map.svg()).map_err(|e| out_err(out, e))?;
    }
    progress.note(&format!("wrote {}", out.display()));
    Ok(())
}

/// `LON,LAT` checked.
fn lon_lat(option: &'static str, text: &str) -> Result<LonLat, Failure> {
    let bad = |m: String| Failure::Input(Error::InvalidOption { option, message: m });
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [lon, lat] = parts.as_slice() else {
        return Err(bad(format!(
            "`{text}`: give longitude,latitude, e.g. -0.81,51.82"
        )));
    };
    let num = |s: &str| {
        s.parse::<f64>()
            .map_err(|_| bad(format!("`{s}` is not a number")))
    };
    LonLat::checked(num(lon)?, num(lat)?).map_err(|e| bad(format!("`{text}`: {e}")))
}

/// Columns to break summaries down by: those asked for, else `district` and `imd_decile` where
/// the origins have them.
fn group_keys(case: &Case, asked: &[String]) -> Vec<String> {
    if !asked.is_empty() {
        return asked.to_vec();
    }
    ["district", "imd_decile"]
        .into_iter()
        .filter(|k| case.origins.iter().any(|o| o.group(k).is_some()))
        .map(String::from)
        .collect()
}

/// A CSV whose header has a location (postcode, lat/lon or easting/northing): a facilities file.
fn has_location_columns(path: &Path) -> bool {
    let header = case::csv_header(path);
    let has = |c: &str| header.iter().any(|h| h == c);
    has("postcode") || (has("lat") && has("lon")) || (has("easting") && has("northing"))
}
