//! Generates typed Rust client crates from the normalized YAML API spec.
//!
//! The pipeline: [`load`] (YAML → [`spec`]), [`lower`] (validate → [`model`]), [`emit`]
//! (model → tokens → files, formatted by [`render`]). Everything here is pure except
//! `load` reading the spec folder and [`output`] reading the existing output folder; only
//! the xtask writes.

pub mod diagnostics;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod import;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
pub mod output;
pub mod render;
pub mod spec;

use std::path::Path;

pub use diagnostics::Diagnostics;
pub use render::GeneratedFile;

/// Each spec folder of this workspace and the crate generated from it, relative to the
/// workspace root: the real clients, and the fixture crate that proves every fixture compiles.
pub const WORKSPACE_OUTPUTS: &[(&str, &str)] = &[("spec", "generated"), ("codegen/tests/fixtures", "fixture-clients")];

/// Loads, validates and generates a spec folder; `display_dir` names it in messages. The
/// problems of `lower` are given their line and column.
pub fn generate_dir(spec_dir: &Path, display_dir: &str) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let (set, sources) = load::load_dir_with_sources(spec_dir, display_dir)?;
    let model = lower::lower(&set).map_err(|diagnostics| sources.locate(diagnostics))?;
    Ok(emit::generate(&model))
}
