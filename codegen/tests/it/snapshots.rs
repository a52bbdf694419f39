//! Snapshots of the rendered Rust of each single-feature fixture (`tests/fixtures/*.yaml`).
//!
//! The real specs are not snapshotted: their output is committed in `generated/` and guarded by
//! `cargo xtask codegen --check` and `freshness.rs`, so a spec change is reviewed once, in
//! `generated/`. The runtime is left out: it is copied verbatim from `codegen/runtime/`.

use crate::common;

#[test]
fn fixtures() {
    let files = common::generate("codegen/tests/fixtures");
    common::in_snapshots("", || {
        for file in files.iter().filter(|file| !file.path.starts_with("src/runtime/")) {
            let name = format!("fixtures__{}", file.path.replace('/', "__"));
            insta::assert_snapshot!(name, file.contents);
        }
    });
}
