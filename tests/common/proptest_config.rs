//! The property-test configuration every suite uses (included with `#[path]`).

use proptest::test_runner::Config as ProptestConfig;

/// `PROPTEST_CASES` cases if set, else 96; failures are not persisted to a regressions file.
pub fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
