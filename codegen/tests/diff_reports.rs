//! Snapshots of the Markdown and JSON reports for a realistic change set to the Visma spec
//! (`tests/diff_fixtures/visma_change/` against `spec/`).

use std::path::Path;

fn visma_report() -> codegen::diff::Report {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // Only the Visma service: the change set is about it.
    let scratch = std::env::temp_dir().join(format!("diff-reports-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    for file in ["crate.yaml", "visma_net.yaml"] {
        std::fs::copy(root.join("spec").join(file), scratch.join(file)).unwrap();
    }
    let old = codegen::load::load_dir(&scratch, "spec").unwrap();
    let new = codegen::load::load_dir(&root.join("codegen/tests/diff_fixtures/visma_change"), "new").unwrap();
    let _ = std::fs::remove_dir_all(&scratch);
    let old = codegen::lower::lower(&old).unwrap();
    let new = codegen::lower::lower(&new).unwrap();
    codegen::diff::diff(&old, &new)
}

#[test]
fn markdown_report_of_a_visma_change_set() {
    insta::assert_snapshot!(codegen::diff::report::markdown(&visma_report()));
}

#[test]
fn json_report_of_a_visma_change_set() {
    let json = codegen::diff::report::json(&visma_report());
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("the JSON report parses");
    assert_eq!(parsed["schema_version"], 1);
    assert_eq!(parsed["semver"]["required_version"], "0.2.0");
    assert_eq!(parsed["semver"]["sufficient"], false);
    insta::assert_snapshot!(json);
}

#[test]
fn text_report_of_a_visma_change_set() {
    insta::assert_snapshot!(codegen::diff::report::text(&visma_report()));
}
