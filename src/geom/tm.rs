//! Ellipsoids and the Krüger-series transverse Mercator (Karney 2011).
//!
//! C. F. F. Karney, "Transverse Mercator with an accuracy of a few
//! nanometers", J. Geodesy 85 (2011) 475-485, eqs. (7)-(36), series to n^6:
//! about 5 nm error within 3900 km of the central meridian.

use std::f64::consts::PI;

/// A reference ellipsoid: semi-major axis and flattening.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ellipsoid {
    pub(crate) a_m: f64,
    pub(crate) f: f64,
}

impl Ellipsoid {
    /// First eccentricity squared.
    pub(crate) const fn e2(&self) -> f64 {
        self.f * (2.0 - self.f)
    }
}

/// WGS84: a = 6378137 m, 1/f = 298.257223563.
pub(crate) const WGS84: Ellipsoid = Ellipsoid {
    a_m: 6_378_137.0,
    f: 1.0 / 298.257_223_563,
};

/// Airy 1830 (OSGB36): a = 6377563.396 m, b = 6356256.909 m.
pub(crate) const AIRY1830: Ellipsoid = Ellipsoid {
    a_m: 6_377_563.396,
    f: (6_377_563.396 - 6_356_256.909) / 6_377_563.396,
};

/// Coefficients of the n^6 Krüger series for one ellipsoid.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Series {
    /// Rectifying radius A (2πA = meridian circumference), metres.
    a_rect_m: f64,
    /// Forward coefficients α1..α6 (Karney eq. 35).
    alpha: [f64; 6],
    /// Inverse coefficients β1..β6 (Karney eq. 36).
    beta: [f64; 6],
}

impl Series {
    const fn new(ell: Ellipsoid) -> Self {
        let n = ell.f / (2.0 - ell.f);
        let n2 = n * n;
        let n3 = n2 * n;
        let n4 = n3 * n;
        let n5 = n4 * n;
        let n6 = n5 * n;
        Self {
            a_rect_m: ell.a_m / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0),
            alpha: [
                n / 2.0 - 2.0 / 3.0 * n2 + 5.0 / 16.0 * n3 + 41.0 / 180.0 * n4 - 127.0 / 288.0 * n5
                    + 7_891.0 / 37_800.0 * n6,
                13.0 / 48.0 * n2 - 3.0 / 5.0 * n3 + 557.0 / 1_440.0 * n4 + 281.0 / 630.0 * n5
                    - 1_983_433.0 / 1_935_360.0 * n6,
                61.0 / 240.0 * n3 - 103.0 / 140.0 * n4
                    + 15_061.0 / 26_880.0 * n5
                    + 167_603.0 / 181_440.0 * n6,
                49_561.0 / 161_280.0 * n4 - 179.0 / 168.0 * n5 + 6_601_661.0 / 7_257_600.0 * n6,
                34_729.0 / 80_640.0 * n5 - 3_418_889.0 / 1_995_840.0 * n6,
                212_378_941.0 / 319_334_400.0 * n6,
            ],
            beta: [
                n / 2.0 - 2.0 / 3.0 * n2 + 37.0 / 96.0 * n3 - 1.0 / 360.0 * n4 - 81.0 / 512.0 * n5
                    + 96_199.0 / 604_800.0 * n6,
                n2 / 48.0 + n3 / 15.0 - 437.0 / 1_440.0 * n4 + 46.0 / 105.0 * n5
                    - 1_118_711.0 / 3_870_720.0 * n6,
                17.0 / 480.0 * n3 - 37.0 / 840.0 * n4 - 209.0 / 4_480.0 * n5
                    + 5_569.0 / 90_720.0 * n6,
                4_397.0 / 161_280.0 * n4 - 11.0 / 504.0 * n5 - 830_251.0 / 7_257_600.0 * n6,
                4_583.0 / 161_280.0 * n5 - 108_847.0 / 3_991_680.0 * n6,
                20_648_693.0 / 638_668_800.0 * n6,
            ],
        }
    }
}

// Computed at compile time: WGS84 is the common case.
const WGS84_SERIES: Series = Series::new(WGS84);

/// A transverse Mercator projection, ready to use (origin northing computed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TransverseMercator {
    ell: Ellipsoid,
    series: Series,
    lon0_rad: f64,
    k0: f64,
    false_easting_m: f64,
    /// False northing minus the grid northing of the true origin.
    northing_offset_m: f64,
}

impl TransverseMercator {
    pub(crate) fn new(
        ell: Ellipsoid,
        lon0_deg: f64,
        lat0_deg: f64,
        k0: f64,
        false_easting_m: f64,
        false_northing_m: f64,
    ) -> Self {
        let series = if ell == WGS84 {
            WGS84_SERIES
        } else {
            Series::new(ell)
        };
        let mut tm = Self {
            ell,
            series,
            lon0_rad: lon0_deg.to_radians(),
            k0,
            false_easting_m,
            northing_offset_m: false_northing_m,
        };
        if lat0_deg != 0.0 {
            // On the central meridian y is k0 * A * (rectifying latitude).
            let (xi, _) = tm.xi_eta(lat0_deg.to_radians(), 0.0);
            tm.northing_offset_m -= k0 * series.a_rect_m * xi;
        }
        tm
    }

    /// Conformal-sphere angles (ξ', η') of a point, λ relative to lon0.
    fn xi_eta_prime(&self, lat_rad: f64, dlon_rad: f64) -> (f64, f64) {
        let (sin_l, cos_l) = dlon_rad.sin_cos();
        let taup = tau_prime(lat_rad.tan(), self.ell.e2().sqrt());
        (taup.atan2(cos_l), (sin_l / taup.hypot(cos_l)).asinh())
    }

    /// Scaled TM coordinates (ξ, η) = (y, x) / (k0 A).
    fn xi_eta(&self, lat_rad: f64, dlon_rad: f64) -> (f64, f64) {
        let (xip, etap) = self.xi_eta_prime(lat_rad, dlon_rad);
        let (mut xi, mut eta) = (xip, etap);
        for (j, a) in self.series.alpha.iter().enumerate() {
            let m = 2.0 * (j + 1) as f64;
            xi += a * (m * xip).sin() * (m * etap).cosh();
            eta += a * (m * xip).cos() * (m * etap).sinh();
        }
        (xi, eta)
    }

    /// (lon, lat) in radians -> (x, y) in metres.
    pub(crate) fn forward(&self, lon_rad: f64, lat_rad: f64) -> (f64, f64) {
        let (xi, eta) = self.xi_eta(lat_rad, lon_rad - self.lon0_rad);
        let ka = self.k0 * self.series.a_rect_m;
        (
            self.false_easting_m + ka * eta,
            self.northing_offset_m + ka * xi,
        )
    }

    /// (x, y) in metres -> (lon, lat) in radians, lon wrapped to [-π, π].
    pub(crate) fn inverse(&self, x_m: f64, y_m: f64) -> (f64, f64) {
        let ka = self.k0 * self.series.a_rect_m;
        let xi = (y_m - self.northing_offset_m) / ka;
        let eta = (x_m - self.false_easting_m) / ka;
        let (mut xip, mut etap) = (xi, eta);
        for (j, b) in self.series.beta.iter().enumerate() {
            let m = 2.0 * (j + 1) as f64;
            xip -= b * (m * xi).sin() * (m * eta).cosh();
            etap -= b * (m * xi).cos() * (m * eta).sinh();
        }
        let sinh_etap = etap.sinh();
        let (sin_xip, cos_xip) = xip.sin_cos();
        let taup = sin_xip / sinh_etap.hypot(cos_xip);
        let dlon_rad = sinh_etap.atan2(cos_xip);
        let tau = tau_from_tau_prime(taup, self.ell.e2());
        (wrap_pi(self.lon0_rad + dlon_rad), tau.atan())
    }

    /// Point scale factor k at (lon, lat) in radians (Karney eqs. 25-28).
    pub(crate) fn scale_factor(&self, lon_rad: f64, lat_rad: f64) -> f64 {
        let dlon_rad = lon_rad - self.lon0_rad;
        let (xip, etap) = self.xi_eta_prime(lat_rad, dlon_rad);
        // d(ξ + iη)/d(ξ' + iη') = p' - i q'.
        let (mut p, mut q) = (1.0, 0.0);
        for (j, a) in self.series.alpha.iter().enumerate() {
            let m = 2.0 * (j + 1) as f64;
            p += m * a * (m * xip).cos() * (m * etap).cosh();
            q += m * a * (m * xip).sin() * (m * etap).sinh();
        }
        let e2 = self.ell.e2();
        let tau = lat_rad.tan();
        let taup = tau_prime(tau, e2.sqrt());
        let sin_lat = lat_rad.sin();
        // Conformal sphere -> ellipsoid part, written so it stays finite at the poles.
        let k_sphere =
            (1.0 - e2 * sin_lat * sin_lat).sqrt() * tau.hypot(1.0) / taup.hypot(dlon_rad.cos());
        self.k0 * self.series.a_rect_m / self.ell.a_m * k_sphere * p.hypot(q)
    }
}

/// tan of the conformal latitude from τ = tan φ (Karney eq. 7-9).
fn tau_prime(tau: f64, e: f64) -> f64 {
    let sigma = (e * (e * tau / tau.hypot(1.0)).atanh()).sinh();
    tau * sigma.hypot(1.0) - sigma * tau.hypot(1.0)
}

/// Inverts `tau_prime` by Newton's method (Karney eqs. 19-21).
fn tau_from_tau_prime(taup: f64, e2: f64) -> f64 {
    if !taup.is_finite() {
        return taup;
    }
    let e = e2.sqrt();
    let one_e2 = 1.0 - e2;
    let mut tau = taup;
    for _ in 0..10 {
        let taup_i = tau_prime(tau, e);
        let dtau = (taup - taup_i) / taup_i.hypot(1.0) * (1.0 + one_e2 * tau * tau)
            / (one_e2 * tau.hypot(1.0));
        tau += dtau;
        if dtau.abs() <= 1e-15 * tau.abs().max(1.0) {
            break;
        }
    }
    tau
}

/// Wraps an angle in radians into [-π, π].
pub(crate) fn wrap_pi(angle_rad: f64) -> f64 {
    if (-PI..=PI).contains(&angle_rad) {
        angle_rad
    } else {
        (angle_rad + PI).rem_euclid(2.0 * PI) - PI
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wgs84_series_constants() {
        // A = 6367449.145823415 m, α1 = 8.377318206244698e-4, β1 = 8.377321640579488e-4:
        // Karney 2011 eqs. 14, 35, 36 evaluated in Python with fractions.Fraction
        // (tests/reference/geom_reference_values.py, section 5); guards against typos in the constants.
        assert!((WGS84_SERIES.a_rect_m - 6367449.145823415).abs() < 1e-6);
        assert!((WGS84_SERIES.alpha[0] - 8.377_318_206_244_698e-4).abs() < 1e-18);
        assert!((WGS84_SERIES.beta[0] - 8.377_321_640_579_488e-4).abs() < 1e-18);
    }

    #[test]
    fn tau_prime_inverts() {
        let e2 = WGS84.e2();
        for lat_deg in [-89.9, -60.0, -1.0, 0.0, 1.0, 45.0, 60.17, 89.99] {
            let tau = f64::tan(f64::to_radians(lat_deg));
            let back = tau_from_tau_prime(tau_prime(tau, e2.sqrt()), e2);
            assert!(
                (back - tau).abs() <= 1e-14 * tau.abs().max(1.0),
                "{lat_deg}"
            );
        }
    }

    #[test]
    fn wrap_pi_keeps_range() {
        assert_eq!(wrap_pi(1.0), 1.0);
        assert!((wrap_pi(3.0 * PI / 2.0) + PI / 2.0).abs() < 1e-15);
        assert!((wrap_pi(-3.0 * PI / 2.0) - PI / 2.0).abs() < 1e-15);
    }
}
