//! The xtask crate's integration tests, one module per command, in one test binary (one link
//! instead of one per file). `common` holds what the modules share; run one module with a
//! filter: `cargo test -p xtask --test it regenerate::`.

mod common;

mod cli;
mod diff_base;
mod import;
mod regenerate;
