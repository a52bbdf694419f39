//! Snapshots of the rendered Rust of each single-feature fixture (`tests/fixtures/*.yaml`).
//!
//! The real specs are not snapshotted: their output is committed in `generated/` and guarded by
//! `cargo xtask codegen --check` and `tests/freshness.rs`, so a spec change is reviewed once, in
//! `generated/`. The runtime is left out: it is copied verbatim from `codegen/runtime/`.

use std::path::Path;

#[test]
fn fixtures() {
    let spec_dir = "codegen/tests/fixtures";
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = codegen::generate_dir(&root.join(spec_dir), spec_dir).unwrap_or_else(|error| panic!("{error}"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for file in files.iter().filter(|file| !file.path.starts_with("src/runtime/")) {
            let name = format!("fixtures__{}", file.path.replace('/', "__"));
            insta::assert_snapshot!(name, file.contents);
        }
    });
}
