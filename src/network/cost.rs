//! Exact travel costs: whole millimetres and milliseconds.
//!
//! Floating-point sums depend on the order of their terms, so two routes that are equally long on
//! paper can differ in the last bit and break the tie rule. The search therefore adds integers:
//! every road's length and time is rounded once to the millimetre and millisecond, a position part
//! way along a road is rounded once, and every sum after that is exact. Reported metres and seconds
//! are these integers divided by 1000.

/// Metres to whole millimetres (round half away from zero; negative and NaN give 0).
pub(crate) fn mm(m: f64) -> u64 {
    if m > 0.0 {
        (m * 1000.0).round() as u64
    } else {
        0
    }
}

/// Seconds to whole milliseconds.
pub(crate) fn ms(s: f64) -> u64 {
    mm(s)
}

/// Milliseconds to walk `distance_mm` at `speed_mps`.
pub(crate) fn walk_ms(distance_mm: u64, speed_mps: f64) -> u64 {
    if distance_mm == 0 {
        0
    } else {
        (distance_mm as f64 / speed_mps).round() as u64
    }
}

/// A point part way along a road, as exact costs from the road's `from` end.
///
/// `fraction` 0 and 1 are exactly the two ends. The time to the point is the road's time in
/// proportion to the distance, rounded once, so positions further along never cost less.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Along {
    /// Millimetres from the `from` end.
    pub(crate) mm: u64,
    /// Milliseconds from the `from` end.
    pub(crate) ms: u64,
}

impl Along {
    pub(crate) fn at(fraction: f64, road_mm: u64, road_ms: u64) -> Self {
        let pos = if fraction >= 1.0 {
            road_mm
        } else if fraction > 0.0 {
            ((fraction * road_mm as f64).round() as u64).min(road_mm)
        } else {
            0
        };
        let time = if road_mm == 0 {
            0
        } else {
            ((pos as u128 * road_ms as u128 + road_mm as u128 / 2) / road_mm as u128) as u64
        };
        Self { mm: pos, ms: time }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding() {
        assert_eq!(mm(1.0), 1000);
        assert_eq!(mm(0.0004), 0);
        assert_eq!(mm(0.0005), 1);
        assert_eq!(mm(-3.0), 0);
        assert_eq!(mm(f64::NAN), 0);
        assert_eq!(walk_ms(1000, 4.8 / 3.6), 750);
    }

    #[test]
    fn positions_are_exact_at_the_ends_and_monotone() {
        assert_eq!(Along::at(0.0, 1234, 999), Along { mm: 0, ms: 0 });
        assert_eq!(Along::at(1.0, 1234, 999), Along { mm: 1234, ms: 999 });
        assert_eq!(Along::at(0.5, 1000, 90), Along { mm: 500, ms: 45 });
        let mut last = Along::at(0.0, 777, 12_345);
        for i in 1..=1000 {
            let p = Along::at(i as f64 / 1000.0, 777, 12_345);
            assert!(p.mm >= last.mm && p.ms >= last.ms);
            last = p;
        }
        assert_eq!(Along::at(0.3, 0, 0), Along { mm: 0, ms: 0 });
    }
}
