//! `generated/` and `fixture-clients/` must be exactly what the specs generate today.

use crate::common;

#[test]
fn generated_crates_match_their_specs() {
    let root = common::workspace();
    let mut stale = Vec::new();
    for (spec_dir, out_dir) in codegen::WORKSPACE_OUTPUTS {
        let files = common::generate(spec_dir);
        let plan = codegen::output::plan(&root.join(out_dir), &files).expect("output folder is readable");
        stale.extend(plan.writes.iter().map(|file| format!("{out_dir}/{} (changed or missing)", file.path)));
        stale.extend(plan.deletes.iter().map(|path| format!("{out_dir}/{path} (no longer generated)")));
        stale.extend(plan.conflicts.iter().map(|path| format!("{out_dir}/{path} (lacks the @generated header)")));
    }
    assert!(stale.is_empty(), "generated code is stale; run `cargo xtask codegen` and commit:\n{}", stale.join("\n"));
}
