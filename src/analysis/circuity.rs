//! Route circuity (network distance over the straight line) and flags for possible network gaps.
//!
//! Short trips are naturally circuitous, so a ratio alone flags mostly short trips. A missing link
//! instead adds kilometres. The rule therefore asks for both: an origin is flagged when its route
//! is at least `extra_m` longer than the area's typical circuity would make it, *and* its
//! circuity is at least `ratio` times the typical value. The typical value is the median
//! circuity of the side's trips of `long_trip_m` or more (short trips would inflate it), or
//! `fallback` when there are fewer than `min_long_trips` of them. Road networks typically have
//! circuity 1.2-1.3 over such distances (Ballou, Rahardja & Sakai 2002, "Selected country
//! circuity factors for road travel distance estimation", Transportation Research A 36).
//!
//! A flag is a prompt to look at the map, not proof: it is how a road missing from the data (on
//! the bundled 2016 network, 1.7 km of the B489 near Pitstone) shows up in the results.

/// The flagging rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CircuityRule {
    /// Trips at least this long (straight line, metres) set the typical circuity. Default 5000.
    pub long_trip_m: f64,
    /// Fewer long trips than this: use `fallback`. Default 10.
    pub min_long_trips: usize,
    /// Typical circuity when there are too few long trips. Default 1.25.
    pub fallback: f64,
    /// Metres beyond the typical route length that flag a route. Default 2500.
    pub extra_m: f64,
    /// And the circuity must be at least this times the typical value. Default 1.15.
    pub ratio: f64,
}

impl Default for CircuityRule {
    fn default() -> Self {
        Self {
            long_trip_m: 5_000.0,
            min_long_trips: 10,
            fallback: 1.25,
            extra_m: 2_500.0,
            ratio: 1.15,
        }
    }
}

/// One route's circuity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circuity {
    /// Straight line from the origin to the facility's nearest placed site, metres.
    pub straight_m: f64,
    /// Network distance (access legs included) over the straight line; infinite when the
    /// straight line is 0 and the route is not.
    pub ratio: f64,
    /// A possible network gap or barrier (see the module documentation).
    pub flagged: bool,
}

impl CircuityRule {
    /// The typical circuity of a set of (straight m, network m) trips.
    pub fn typical(&self, trips: &[(f64, f64)]) -> f64 {
        let mut long: Vec<f64> = trips
            .iter()
            .filter(|(s, _)| *s >= self.long_trip_m)
            .map(|(s, n)| n / s)
            .collect();
        self.typical_of(&mut long)
    }

    /// The typical circuity given the ratios of the long trips (reordered in place): their
    /// median (the mean of the two middle ones for an even count), or the fallback.
    pub(crate) fn typical_of(&self, long: &mut [f64]) -> f64 {
        if long.len() < self.min_long_trips.max(1) {
            return self.fallback;
        }
        let (n, mid) = (long.len(), long.len() / 2);
        let (left, &mut upper, _) = long.select_nth_unstable_by(mid, f64::total_cmp);
        if n % 2 == 1 {
            upper
        } else {
            let lower = left
                .iter()
                .copied()
                .max_by(f64::total_cmp)
                .expect("mid >= 1");
            (lower + upper) / 2.0
        }
    }

    /// The circuity of one trip against a typical value.
    pub fn judge(&self, straight_m: f64, network_m: f64, typical: f64) -> Circuity {
        let ratio = if straight_m > 0.0 {
            network_m / straight_m
        } else if network_m > 0.0 {
            f64::INFINITY
        } else {
            1.0
        };
        Circuity {
            straight_m,
            ratio,
            flagged: network_m >= typical * straight_m + self.extra_m
                && ratio >= self.ratio * typical,
        }
    }
}
