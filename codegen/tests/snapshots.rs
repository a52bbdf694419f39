//! Snapshots of the rendered Rust for the real specs and for each single-feature fixture.
//!
//! The runtime is left out: it is copied verbatim from `codegen/runtime/`.

use std::path::Path;

fn snapshot_folder(spec_dir: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = codegen::generate_dir(&root.join(spec_dir), spec_dir).unwrap_or_else(|error| panic!("{error}"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for file in files.iter().filter(|file| !file.path.starts_with("src/runtime/")) {
            let folder = Path::new(spec_dir).file_name().and_then(|name| name.to_str()).unwrap_or(spec_dir);
            let name = format!("{folder}__{}", file.path.replace('/', "__"));
            insta::assert_snapshot!(name, file.contents);
        }
    });
}

#[test]
fn seed_specs() {
    snapshot_folder("spec");
}

#[test]
fn fixtures() {
    snapshot_folder("codegen/tests/fixtures");
}
