//! Numbers with a fixed number of decimals, exactly as `format!("{x:.d$}")` writes them, in a
//! fraction of its time: the per-origin outputs write a dozen such numbers a row, and the
//! standard formatting (exact decimal expansion, with a big-number fallback) was a sixth of
//! writing a million rows.

use std::io::Write;

/// Powers of ten up to the most decimals written here.
const POW10: [f64; 7] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6];

/// Appends `x` with `d` decimals to `out`: the same text as `format!("{x:.d$}")` (the sign of
/// any negative value, -0.0 included; the exact value rounded half to even), for any finite `x`.
///
/// The value times 10^d, rounded to the nearest integer, is the answer's digits. The product in
/// floating point is within half an ulp of the exact one, so its nearest integer is the exact
/// one's unless its fraction is that close to one half: then (ties and near-ties, rare) and for
/// products of 2^52 or more, or more than 6 decimals, the standard formatting writes it.
pub(crate) fn write_fixed(out: &mut Vec<u8>, x: f64, d: usize) {
    let slow = |out: &mut Vec<u8>| write!(out, "{x:.d$}").expect("writing to a Vec cannot fail");
    let Some(&p) = POW10.get(d) else {
        return slow(out);
    };
    let m = x.abs() * p;
    if !m.is_finite() || m >= (1u64 << 52) as f64 {
        return slow(out);
    }
    let whole = m.floor();
    let frac = m - whole; // exact below 2^52
    // The product's error bound, doubled, plus a little for m near zero.
    let margin = m * f64::EPSILON + f64::MIN_POSITIVE;
    if (frac - 0.5).abs() <= margin {
        return slow(out);
    }
    let n = whole as u64 + (frac > 0.5) as u64;
    let p = p as u64;
    if x.is_sign_negative() {
        out.push(b'-');
    }
    write!(out, "{}", n / p).expect("writing to a Vec cannot fail");
    if d > 0 {
        write!(out, ".{:0d$}", n % p).expect("writing to a Vec cannot fail");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SplitMix64;

    fn check(x: f64, d: usize) {
        let mut fast = Vec::new();
        write_fixed(&mut fast, x, d);
        assert_eq!(
            String::from_utf8(fast).unwrap(),
            format!("{x:.d$}"),
            "{x:?} with {d} decimals"
        );
    }

    #[test]
    fn writes_what_the_standard_formatting_writes() {
        let mut rng = SplitMix64::new(7);
        for _ in 0..100_000 {
            let d = (rng.next_u64() % 8) as usize;
            // Magnitudes from 1e-9 to 1e12, either sign.
            let e = (rng.next_u64() % 22) as i32 - 9;
            let mantissa = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let x = mantissa * 10f64.powi(e);
            check(x, d);
            check(-x, d);
            // Ties and their neighbours: k / 2^j, and one ulp either side.
            let k = (rng.next_u64() % 2_000_000) as f64;
            let t = k / (1u64 << (rng.next_u64() % 8)) as f64 / 10f64.powi(d as i32);
            for v in [t, t.next_up(), t.next_down()] {
                check(v, d);
                check(-v, d);
            }
        }
        for x in [
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.25,
            0.35,
            0.125,
            1e15,
            -1e17,
            4503599627370496.5,
        ] {
            for d in 0..8 {
                check(x, d);
            }
        }
    }
}
