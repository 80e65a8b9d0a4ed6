//! The batch path (parallel snapping in grid order, packed lookups) gives exactly the one-by-one answers,
//! whatever the thread count.

use std::sync::OnceLock;

use travel_impact::study::{Study as Bucks, data_dir};
use travel_impact::uk::{Imd, LsoaPolygons, Population, Spread, synthetic_homes};
use travel_impact::{Engine, EngineOptions, Objective, Origin};

struct World {
    bucks: Bucks,
    engine: Engine,
    polygons: LsoaPolygons,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let bucks = Bucks::bundled().unwrap();
        let engine = Engine::new(bucks.network.clone(), EngineOptions::default());
        let polygons =
            LsoaPolygons::from_csv(&data_dir().unwrap().join("lsoa11_bucks_bsc.csv")).unwrap();
        World {
            bucks,
            engine,
            polygons,
        }
    })
}

/// LSOAs, synthetic homes (both spreads) and every 20th Buckinghamshire postcode.
fn mixed_origins() -> Vec<Origin> {
    let w = world();
    let mut o = w
        .bucks
        .lsoa_origins(Population::Under5Mid2019, Imd::Imd2019);
    o.extend(synthetic_homes(1500, 11, &w.bucks.lsoas, &w.polygons, Spread::Uniform).unwrap());
    let mut weighted =
        synthetic_homes(1500, 12, &w.bucks.lsoas, &w.polygons, Spread::Under5).unwrap();
    for h in &mut weighted {
        h.id = format!("w{}", h.id).into();
    }
    o.extend(weighted);
    let pcs = w.bucks.postcodes.origins(Some("E06000060"));
    o.extend(pcs.origins.into_iter().step_by(20));
    o
}

#[test]
fn batch_equals_one_by_one() {
    let w = world();
    let origins = mixed_origins();
    let before = w.bucks.scenario("centres-2017").unwrap();
    let after = w.bucks.scenario("hubs-2017").unwrap();
    for mode in ["drive", "walk"] {
        let impact = w
            .engine
            .impact(&origins, &before, &after, mode, Objective::Distance)
            .unwrap();
        let pb = w
            .engine
            .profile(mode)
            .unwrap()
            .place(&before, Objective::Distance);
        let pa = w
            .engine
            .profile(mode)
            .unwrap()
            .place(&after, Objective::Distance);
        for (i, o) in origins.iter().enumerate() {
            let snap = w.engine.profile(mode).unwrap().snap(o.point);
            let row = &impact.row(i);
            assert_eq!(
                row.access_m,
                snap.ok().map(|s| (s.access_m * 1000.0).round() / 1000.0),
                "{}",
                o.id
            );
            assert_eq!(row.before, w.engine.nearest(&pb, &snap), "{}", o.id);
            assert_eq!(row.after, w.engine.nearest(&pa, &snap), "{}", o.id);
        }
    }
}

/// Runs `f` in a fresh pool of `threads` threads.
fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn same_output_with_one_and_two_threads() {
    let w = world();
    let origins = mixed_origins();
    let before = w.bucks.scenario("centres-2017").unwrap();
    let after = w.bucks.scenario("family-centres-2019").unwrap();
    let run = |threads: usize| {
        in_pool(threads, || {
            // A fresh engine each time, so the lazily built cells are filled by this pool.
            let engine = Engine::new(w.bucks.network.clone(), EngineOptions::default());
            let impact = engine
                .impact(&origins, &before, &after, "drive", Objective::Distance)
                .unwrap();
            (impact.rows().collect::<Vec<_>>(), impact.summary())
        })
    };
    let (rows1, sum1) = run(1);
    let (rows2, sum2) = run(2);
    assert_eq!(rows1, rows2);
    assert_eq!(format!("{sum1:?}"), format!("{sum2:?}"));
    let polys = &w.polygons;
    let homes = |threads: usize| {
        in_pool(threads, || {
            synthetic_homes(140_000, 3, &w.bucks.lsoas, polys, Spread::Uniform).unwrap()
        })
    };
    let many = homes(1);
    assert_eq!(many, homes(2));
    // Summaries over more origins than one chunk of the parallel passes (65,536): the same sums
    // with 1, 2 and 3 threads, and the medians of a plain sort.
    let summary = |threads: usize| {
        in_pool(threads, || {
            let impact = w
                .engine
                .impact(&many, &before, &after, "drive", Objective::Distance)
                .unwrap();
            let mut after_m: Vec<f64> = impact
                .rows()
                .filter_map(|r| r.after.ok().map(|a| a.distance_m))
                .collect();
            after_m.sort_by(f64::total_cmp);
            (impact.summary(), after_m)
        })
    };
    let (s1, after_m) = summary(1);
    for threads in [2, 3] {
        assert_eq!(format!("{s1:?}"), format!("{:?}", summary(threads).0));
    }
    // Unit weights: the median is the value at rank ceil(n/2).
    assert_eq!(
        s1.after.distance_m.median,
        after_m[after_m.len().div_ceil(2) - 1]
    );
    let mean = after_m.iter().sum::<f64>() / after_m.len() as f64;
    assert!((s1.after.distance_m.mean - mean).abs() < 1e-6 * mean);
}

#[test]
fn synthetic_homes_are_reproducible_and_inside_the_county() {
    let w = world();
    let a = synthetic_homes(2000, 7, &w.bucks.lsoas, &w.polygons, Spread::Under5).unwrap();
    let b = synthetic_homes(2000, 7, &w.bucks.lsoas, &w.polygons, Spread::Under5).unwrap();
    let c = synthetic_homes(2000, 8, &w.bucks.lsoas, &w.polygons, Spread::Under5).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a[0].id, "syn0000000");
    assert_eq!(a[1999].id, "syn0001999");
    assert!(a.iter().all(|h| w.polygons.contains(h.point)));
    assert!(
        a.iter()
            .all(|h| h.group("district").is_some() && h.group("imd_decile").is_some())
    );
    // Spread like the under-5s: Aylesbury Vale holds 38.9% of them (12,537 of 32,239 in 2019).
    let av = a
        .iter()
        .filter(|h| h.group("district") == Some("Aylesbury Vale (E07000004)"))
        .count() as f64
        / 2000.0;
    assert!((av - 0.389).abs() < 0.04, "{av}");
}

#[test]
fn postcode_origins_account_for_every_record() {
    let w = world();
    let dir = &w.bucks.postcodes;
    let all = dir.origins(None);
    assert_eq!(all.origins.len() + all.rejected.len(), dir.len());
    assert_eq!(all.rejected.len(), 238);
    assert!(all.rejected.iter().all(|r| {
        r.reason
            .ends_with("has no coordinates (non-geographic postcode)")
    }));
    let bucks = dir.origins(Some("E06000060"));
    assert_eq!(bucks.origins.len() + bucks.rejected.len(), 24_615);
}
