//! Runs a full before/after for many origins and prints stage timings and peak memory.
//!
//! ```sh
//! cargo run --release --example scale -- --origins 1000000 --seed 7
//! cargo run --release --example scale -- --origins postcodes [--bucks-only]
//! cargo run --release --example scale -- --origins homes.csv --mode walk --write out.csv
//! cargo run --release --example scale -- --osm tests/fixtures/Helsinki.osm.pbf \
//!     --facilities tests/fixtures/helsinki_pharmacies.csv --close 1369465553,6049453002 \
//!     --origins 1000000 --mode cycle
//! ```
//! Options: `--origins N|postcodes|FILE.csv` (default 1000000), `--seed S` (7), `--weighted`
//! (synthetic homes spread like children aged 0-4 instead of uniformly), `--bucks-only`,
//! `--mode drive|walk|drive-free-flow` (drive), `--before NAME` (centres-2017), `--after NAME`
//! (family-centres-2019), `--extra NAME` (one more scenario compared with the same before,
//! reusing snaps and the before side: timed as `extra_ms`), `--threads N` (all cores),
//! `--write FILE.csv` (per-origin results, plus `FILE.sites.csv` with the placed sites, which
//! `benches/peers.py` reads). Any OpenStreetMap extract: `--osm FILE.pbf --facilities F.csv`
//! (`id,name,lat,lon`, all open before) `--close ID,…` (shut after), origins from `--origins
//! FILE.csv` (`lat,lon`) or `--origins N` random points over the network's extent (points, not
//! homes); `--mode cycle` too. The last line is machine-readable: stage times in ms,
//! `after_load_ms` (everything after loading: preparing, snapping, searching, lookups, summary),
//! RSS after loading and peak RSS in MB.

use std::path::{Path, PathBuf};
use std::time::Instant;

use travel_impact::geom::Xy;
use travel_impact::study::{Study, data_dir};
use travel_impact::uk::{LsoaPolygons, SplitMix64, Spread, synthetic_homes};
use travel_impact::{
    Engine, EngineOptions, Error, Facilities, LoadedOrigins, Locator, Network, Objective, Origin,
    OsmOptions, Profile, Scenario, origins_from_csv, report, write_csv,
};

struct Args {
    origins: String,
    seed: u64,
    weighted: bool,
    bucks_only: bool,
    mode: String,
    before: String,
    after: String,
    extra: Option<String>,
    osm: Option<PathBuf>,
    facilities: Option<PathBuf>,
    close: Vec<String>,
    threads: Option<usize>,
    write: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        origins: "1000000".into(),
        seed: 7,
        weighted: false,
        bucks_only: false,
        mode: "drive".into(),
        before: "centres-2017".into(),
        after: "family-centres-2019".into(),
        extra: None,
        osm: None,
        facilities: None,
        close: Vec::new(),
        threads: None,
        write: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--origins" => a.origins = value()?,
            "--seed" => {
                a.seed = value()?
                    .parse()
                    .map_err(|_| "--seed takes a whole number")?
            }
            "--weighted" => a.weighted = true,
            "--bucks-only" => a.bucks_only = true,
            "--mode" => a.mode = value()?,
            "--before" => a.before = value()?,
            "--after" => a.after = value()?,
            "--extra" => a.extra = Some(value()?),
            "--osm" => a.osm = Some(value()?.into()),
            "--facilities" => a.facilities = Some(value()?.into()),
            "--close" => a.close = value()?.split(',').map(str::to_string).collect(),
            "--threads" => {
                a.threads = Some(value()?.parse().map_err(|_| "--threads takes a number")?)
            }
            "--write" => a.write = Some(value()?.into()),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(a)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The placed sites of both scenarios (`scenario,site,easting,northing`), for the peer benchmark
/// (`benches/peers.py`) to start from the same facilities.
fn write_sites(impact: &travel_impact::Impact<'_>, path: &std::path::Path) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut out = String::from("scenario,site,easting,northing\n");
    for side in [impact.before(), impact.after()] {
        let placed = side.placed();
        for s in &placed.sites {
            if let Ok(at) = &s.at {
                out.push_str(&format!(
                    "{},{},{:.3},{:.3}\n",
                    placed.scenario.name(),
                    s.site,
                    at.input.x_m,
                    at.input.y_m
                ));
            }
        }
    }
    std::fs::write(path, out).map_err(io)
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "{e}\nusage: scale [--origins N|postcodes|FILE.csv] [--seed S] [--weighted] [--bucks-only] [--mode drive|walk|drive-free-flow|cycle] [--before NAME] [--after NAME] [--extra NAME] [--osm FILE.pbf --facilities F.csv --close ID,..] [--threads N] [--write FILE.csv]"
            );
            std::process::exit(2);
        }
    };
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .expect("thread pool");
    }
    if let Err(e) = run(&args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// What a run works on: a network, the scenarios and the origins, with the load times.
struct Case {
    network: Network,
    before: Scenario,
    after: Scenario,
    extra: Option<Scenario>,
    loaded: LoadedOrigins,
    network_ms: f64,
    origins_ms: f64,
}

/// The bundled Buckinghamshire study.
fn bucks_case(args: &Args) -> Result<Case, Error> {
    let dir = data_dir()?;
    let t = Instant::now();
    let study = Study::load(&dir.join("study.toml"))?;
    let network_ms = ms(t);
    let before = study.scenario(&args.before)?;
    let after = study.scenario(&args.after)?;
    let extra = args
        .extra
        .as_deref()
        .map(|n| study.scenario(n))
        .transpose()?;
    let t = Instant::now();
    let loaded: LoadedOrigins = if let Ok(n) = args.origins.parse::<usize>() {
        let lsoas = &study.lsoas;
        let polygons = LsoaPolygons::from_csv(&dir.join("lsoa11_bucks_bsc.csv"))?;
        let spread = if args.weighted {
            Spread::Under5
        } else {
            Spread::Uniform
        };
        let origins = synthetic_homes(n, args.seed, lsoas, &polygons, spread)?;
        LoadedOrigins {
            lines: (1..=origins.len() as u64).collect(),
            origins,
            ..Default::default()
        }
    } else if args.origins == "postcodes" {
        study
            .postcodes
            .origins(args.bucks_only.then_some("E06000060"))
    } else {
        let locator = Locator::new(study.network.crs()).with_geocoder(&study.postcodes);
        origins_from_csv(args.origins.as_ref(), &locator)?
    };
    Ok(Case {
        network: study.network,
        before,
        after,
        extra,
        loaded,
        network_ms,
        origins_ms: ms(t),
    })
}

/// An OpenStreetMap extract, facilities by lat/lon (all open before; `--close` ones shut after),
/// origins from a lat/lon CSV or N random points over the network's extent (points, not homes).
fn osm_case(args: &Args, pbf: &Path) -> Result<Case, Error> {
    let t = Instant::now();
    let (network, ingest) = Network::from_osm_pbf(pbf, &OsmOptions::default())?;
    let network_ms = ms(t);
    eprintln!("{ingest}");
    let locator = Locator::new(network.crs());
    let file = args.facilities.as_ref().ok_or(Error::InvalidOption {
        option: "--facilities",
        message: "--osm needs --facilities F.csv (id,name,lat,lon)".into(),
    })?;
    let facilities = Facilities::from_csv(file, &locator)?;
    let ids = facilities.facility_ids();
    for c in &args.close {
        if !ids.contains(&c.as_str()) {
            return Err(Error::InvalidOption {
                option: "--close",
                message: format!("no facility `{c}` in {}", file.display()),
            });
        }
    }
    let before = Scenario::new("before", &facilities, ids.iter().copied())?;
    let after = Scenario::new(
        "after",
        &facilities,
        ids.iter()
            .copied()
            .filter(|i| !args.close.iter().any(|c| c == i)),
    )?;
    let t = Instant::now();
    let loaded = if let Ok(n) = args.origins.parse::<usize>() {
        // Uniform random points over the roads' bounding box (the crate's SplitMix64 stream).
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for r in network.roads() {
            for p in &r.geometry {
                (x0, y0) = (x0.min(p.x_m), y0.min(p.y_m));
                (x1, y1) = (x1.max(p.x_m), y1.max(p.y_m));
            }
        }
        let mut rng = SplitMix64::new(args.seed);
        let mut next = move || rng.next_f64();
        let origins: Vec<Origin> = (0..n)
            .map(|i| {
                let p = Xy::new(x0 + next() * (x1 - x0), y0 + next() * (y1 - y0));
                Origin::new(format!("pt{i:07}"), p)
            })
            .collect();
        LoadedOrigins {
            lines: (1..=n as u64).collect(),
            origins,
            ..Default::default()
        }
    } else {
        origins_from_csv(args.origins.as_ref(), &locator)?
    };
    Ok(Case {
        network,
        before,
        after,
        extra: None,
        loaded,
        network_ms,
        origins_ms: ms(t),
    })
}

fn run(args: &Args) -> Result<(), Error> {
    let start = Instant::now();
    let case = match &args.osm {
        Some(pbf) => osm_case(args, pbf)?,
        None => bucks_case(args)?,
    };
    let Case {
        network,
        before,
        after,
        extra,
        loaded,
        network_ms,
        origins_ms,
    } = case;
    let load_ms = ms(start);
    let load_rss_mb = rss_mb();
    // Rows rejected at load are counted in the summary line; say why for the first few.
    for r in loaded.rejected.iter().take(5) {
        eprintln!("rejected: line {}: {}", r.line, r.reason);
    }
    if loaded.rejected.len() > 5 {
        eprintln!("rejected: ... and {} more", loaded.rejected.len() - 5);
    }

    let t = Instant::now();
    let profile = Profile::preset(&args.mode).ok_or_else(|| Error::InvalidOption {
        option: "--mode",
        message: format!(
            "`{}` is not drive, drive-free-flow, walk or cycle",
            args.mode
        ),
    })?;
    let engine = Engine::with_profiles(network, EngineOptions::default(), [profile])?;
    let router = engine.profile(&args.mode)?;
    router.prepare();
    let index_ms = ms(t);

    let t = Instant::now();
    let snaps = router.snap_origins(&loaded.origins);
    let snap_ms = ms(t);

    let t = Instant::now();
    // One search per scenario, side by side.
    let [placed_before, placed_after]: [_; 2] = router
        .place_each(&[&before, &after], Objective::Distance)
        .try_into()
        .expect("two scenarios placed");
    let route_ms = ms(t);

    // Both sides' lookups, paired as they are made (no second read of the origins to check
    // them, as `compare` of outcomes made elsewhere needs).
    let t = Instant::now();
    let impact = router.impact_placed(&loaded.origins, &snaps, placed_before, placed_after)?;
    let lookup_ms = ms(t);

    let t = Instant::now();
    let summary = impact.summary();
    let summary_ms = ms(t);
    let total_ms = ms(start);
    let after_load_ms = total_ms - load_ms;

    // One more scenario against the same "before", reusing the snaps and the before side.
    let extra_ms = match &extra {
        Some(scenario) => {
            let name = scenario.name();
            let t = Instant::now();
            let placed = router.place(scenario, Objective::Distance);
            let out = router.outcomes(&loaded.origins, impact.snaps(), &placed)?;
            let extra = impact.with_after(&out)?;
            let s = extra.summary();
            let ms = ms(t);
            println!(
                "extra: {} -> {name}: mean {:.0} -> {:.0} m in {ms:.0} ms",
                before.name(),
                s.before.distance_m.mean,
                s.after.distance_m.mean
            );
            ms
        }
        None => f64::NAN,
    };

    if let Some(path) = &args.write {
        write_csv(&impact, path)?;
        write_sites(&impact, &path.with_extension("sites.csv"))?;
    }

    let snapped = snaps.len() - snaps.failed();
    let unreachable = summary.after.unreachable + summary.after.rejected;
    println!(
        "{} -> {} by {}: {} origins ({} rows read, {} rejected at load); mean {:.0} -> {:.0} m, \
         median {:.0} -> {:.0} m; nearest closed for {}",
        before.name(),
        after.name(),
        args.mode,
        loaded.origins.len(),
        loaded.rows(),
        loaded.rejected.len(),
        summary.before.distance_m.mean,
        summary.after.distance_m.mean,
        summary.before.distance_m.median,
        summary.after.distance_m.median,
        summary.closed,
    );
    print!("{}", report::accounting(&impact));
    println!(
        "stages: network {network_ms:.0} ms, origins {origins_ms:.0} ms, threads {}",
        rayon::current_num_threads()
    );
    println!(
        "origins={} snapped={snapped} unreachable={unreachable} load_ms={load_ms:.0} index_ms={index_ms:.0} \
         snap_ms={snap_ms:.0} route_ms={route_ms:.0} lookup_ms={lookup_ms:.0} summary_ms={summary_ms:.0} \
         after_load_ms={after_load_ms:.0} extra_ms={extra_ms:.0} total_ms={total_ms:.0} \
         rss_after_load_mb={load_rss_mb:.0} peak_rss_mb={:.0}",
        loaded.origins.len(),
        peak_rss_mb()
    );
    Ok(())
}
