//! The codegen crate's integration tests, one module per concern, in one test binary (one link
//! instead of one per file). `common` holds what the modules share. A module keeps its snapshots
//! in `codegen/tests/snapshots/` under `<module>__<name>` (see `common::in_snapshots`); run one
//! module with a filter: `cargo test -p codegen --test it fuzz::`.

mod common;

mod diagnostics;
mod diff_compile;
mod diff_reports;
mod diff_rules;
mod freshness;
mod fuzz;
mod group_features;
mod hostile_docs;
mod hostile_input;
mod import_corpus_excerpts;
mod import_formats;
mod import_openapi;
mod import_openapi_unions;
mod import_properties;
mod import_render;
mod import_roundtrip;
mod import_visma;
mod snapshots;
mod tristate;
