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
pub use emit::GeneratedFile;

/// Each spec folder of this workspace and the crate generated from it, relative to the
/// workspace root: the real clients, and the fixture crate that proves every fixture compiles.
pub const WORKSPACE_OUTPUTS: &[(&str, &str)] = &[("spec", "generated"), ("codegen/tests/fixtures", "fixture-clients")];

/// Loads, validates and generates a spec folder; `display_dir` names it in messages.
pub fn generate_dir(spec_dir: &Path, display_dir: &str) -> Result<Vec<GeneratedFile>, String> {
    let (set, sources) =
        load::load_dir_with_sources(spec_dir, display_dir).map_err(|diagnostics| diagnostics.to_string())?;
    let model = lower::lower(&set).map_err(|diagnostics| sources.locate(diagnostics).to_string())?;
    emit::generate(&model)
}
