//! The postcode parser never panics, and what it accepts is a fixed point in standard form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use travel_impact::uk::normalise;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(pc) = normalise(raw) {
        assert_eq!(
            normalise(&pc).as_deref(),
            Ok(pc.as_str()),
            "not a fixed point"
        );
        assert_eq!(pc.matches(' ').count(), 1, "{pc:?}");
        assert!((6..=8).contains(&pc.len()), "{pc:?}");
        assert!(
            pc.bytes()
                .all(|b| b == b' ' || b.is_ascii_uppercase() || b.is_ascii_digit())
        );
    }
});
