//! Values made on first use and shared, without a thread ever waiting for another to make them.

use std::sync::OnceLock;

/// The value in `cell`, made by `make` if there is none yet. Unlike [`OnceLock::get_or_init`],
/// a thread that finds the value being made does not wait: it makes its own, and the first one
/// stored is kept. Waiting would deadlock when `make` runs on rayon's pool (the snap indexes and
/// a side's summary do) and the waiting threads are that pool's workers, so every thread that
/// could run its tasks is asleep. A value made on one thread is better left to `get_or_init`.
/// `make` must give the same value wherever it runs; a race costs one extra build, once.
pub(crate) fn made_once<T>(cell: &OnceLock<T>, make: impl FnOnce() -> T) -> &T {
    if let Some(v) = cell.get() {
        return v;
    }
    let _ = cell.set(make());
    cell.get().expect("set just now, or by another thread")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    /// A thread outside the pool starts making a value that needs the pool, and meanwhile every
    /// worker asks for it. With `get_or_init` the workers would sleep until it is made and so
    /// never run the tasks that make it (how the tests on the bundled data once hung).
    #[test]
    fn workers_never_wait_for_a_maker_that_needs_them() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let cell: OnceLock<u64> = OnceLock::new();
        let sum = || (0..10_000u64).into_par_iter().sum::<u64>();
        let (started, start) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                made_once(&cell, || {
                    started.send(()).unwrap();
                    // Let the workers ask first.
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    pool.install(sum)
                })
            });
            start.recv().unwrap();
            let got: Vec<u64> = pool.install(|| {
                (0..64)
                    .into_par_iter()
                    .map(|_| *made_once(&cell, || pool.install(sum)))
                    .collect()
            });
            assert!(got.iter().all(|&s| s == 49_995_000));
        });
        assert_eq!(cell.get(), Some(&49_995_000));
    }
}
