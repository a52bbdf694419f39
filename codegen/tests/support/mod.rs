//! What the property tests share: how many cases they run, and from which seed.

use proptest::test_runner::{Config, RngSeed};

/// The seed of the default run. It is fixed so that a red CI means a change broke something,
/// not that this run happened to draw a new case; exploring is a separate, documented run.
const DEFAULT_SEED: u64 = 0x5eed_2026_1202;

/// `PROPTEST_CASES`, or the test's own default.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(default)
}

/// The fixed seed, unless `PROPTEST_RNG_SEED=<n>` names another one (proptest reads it into
/// its default config) or `FUZZ_RANDOM=1` asks for a fresh random one.
pub fn rng_seed() -> RngSeed {
    if std::env::var_os("FUZZ_RANDOM").is_some_and(|value| value == "1") {
        RngSeed::Random
    } else if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
        Config::default().rng_seed
    } else {
        RngSeed::Fixed(DEFAULT_SEED)
    }
}

/// A config of `default_cases` cases (or `PROPTEST_CASES`) from [`rng_seed`], without a
/// regressions file: the tests that keep one set it themselves.
pub fn config(default_cases: u32) -> Config {
    Config { cases: cases(default_cases), rng_seed: rng_seed(), failure_persistence: None, ..Config::default() }
}
