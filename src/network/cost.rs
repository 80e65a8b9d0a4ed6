//! Exact travel costs: whole millimetres and milliseconds.
//!
//! Floating-point sums depend on the order of their terms, so two routes that are equally long on
//! paper can differ in the last bit and break the tie rule. The search therefore adds integers:
//! every road's length and time is rounded once to the millimetre and millisecond, a position part
//! way along a road is rounded once, and every sum after that is exact. Reported metres and seconds
//! are these integers divided by 1000.

/// `x.round() as u64` (half away from zero, saturating; negative and NaN give 0) without the
/// libm call that `round` is on x86-64's baseline (snapping rounds several values a point).
/// Exact: the cast truncates, the integer part is exact as a float, so is `x` minus it.
#[inline]
pub(crate) fn round_u64(x: f64) -> u64 {
    // Below 2^53 (every cost here) through `i64`: one instruction each way, where x86-64's
    // baseline has none for `u64` (the snap rounds a few values per point).
    if (0.0..9_007_199_254_740_992.0).contains(&x) {
        let whole = x as i64;
        // Added, not branched on: the fraction is a coin toss for the branch predictor.
        return (whole + (x - whole as f64 >= 0.5) as i64) as u64;
    }
    let whole = x as u64;
    whole.saturating_add((x - whole as f64 >= 0.5) as u64)
}

/// Metres to whole millimetres (round half away from zero; negative and NaN give 0).
pub(crate) fn mm(m: f64) -> u64 {
    if m > 0.0 { round_u64(m * 1000.0) } else { 0 }
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
        round_u64(distance_mm as f64 / speed_mps)
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
            round_u64(fraction * road_mm as f64).min(road_mm)
        } else {
            0
        };
        // In 64 bits when the product fits (always, for roads under 10,000 km), else 128; a
        // road of no length takes no time.
        let half = road_mm / 2;
        let time = match pos.checked_mul(road_ms).and_then(|p| p.checked_add(half)) {
            Some(p) => p.checked_div(road_mm).unwrap_or(0),
            None => ((pos as u128 * road_ms as u128 + half as u128) / road_mm as u128) as u64,
        };
        Self { mm: pos, ms: time }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_u64_is_round_then_cast() {
        let mut edge = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            4503599627370495.5,
            4503599627370496.0,
            9007199254740993.0,
            1.844_674_407_370_955e19,
            1.8446744073709552e19,
            1e300,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            5e-324,
            -0.4,
            -0.5,
            -0.7,
            -3.5,
        ];
        let mut rng = crate::random::SplitMix64::new(3);
        for _ in 0..200_000 {
            let scale = 10f64.powi((rng.next_f64() * 14.0) as i32);
            let x = rng.next_f64() * scale;
            // Values at and next to halves, where rounding decides.
            let half = (x * 2.0).floor() / 2.0;
            edge.extend([x, half, half.next_up(), half.next_down()]);
        }
        for x in edge {
            assert_eq!(round_u64(x), x.round() as u64, "{x:e}");
        }
    }

    #[test]
    fn along_time_is_the_128_bit_quotient() {
        let mut rng = crate::random::SplitMix64::new(5);
        for _ in 0..100_000 {
            let road_mm = 1 + (rng.next_f64() * 5e7) as u64;
            let road_ms = (rng.next_f64() * 5e6) as u64;
            let a = Along::at(rng.next_f64(), road_mm, road_ms);
            let wide = (a.mm as u128 * road_ms as u128 + road_mm as u128 / 2) / road_mm as u128;
            assert_eq!(a.ms as u128, wide);
        }
        // A product past 64 bits takes the 128-bit path.
        let a = Along::at(0.5, u64::MAX / 2, u64::MAX / 4);
        let wide = (a.mm as u128 * (u64::MAX / 4) as u128 + (u64::MAX / 4) as u128)
            / (u64::MAX / 2) as u128;
        assert_eq!(a.ms as u128, wide);
    }

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
