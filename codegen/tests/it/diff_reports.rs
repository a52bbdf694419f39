//! Snapshots of the Markdown, JSON and text reports for a realistic change set to the Visma spec:
//! `tests/diff_fixtures/visma_change/old/` is a copy of `spec/` (crate.yaml and visma_net.yaml),
//! `new/` the same with a pull request's worth of changes. Both are frozen, so edits to `spec/`
//! do not move the snapshots.

use std::collections::BTreeSet;

use crate::common;

fn visma_report() -> codegen::diff::Report {
    let root = common::test_data("diff_fixtures/visma_change");
    let load = |side: &str| common::lower_dir(&root.join(side), "spec");
    codegen::diff::diff(&load("old"), &load("new")).with_labels("main:spec", "spec")
}

#[test]
fn markdown_report_of_a_visma_change_set() {
    let markdown = codegen::diff::report::markdown(&visma_report());
    assert!(markdown.starts_with("❌ **breaking API changes: "), "one-line verdict first");
    assert!(markdown.trim_end().ends_with(codegen::diff::report::MARKDOWN_MARKER));
    common::in_snapshots("", || {
        insta::assert_snapshot!("diff_reports__markdown_report_of_a_visma_change_set", markdown)
    });
}

#[test]
fn json_report_of_a_visma_change_set() {
    let json = codegen::diff::report::json(&visma_report());
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("the JSON report parses");
    assert_eq!(parsed["schema_version"], 1);
    assert_eq!(parsed["verdict"], "breaking");
    assert_eq!(parsed["semver"]["bump"], "major");
    assert_eq!(parsed["semver"]["required_version"], "0.2.0");
    assert_eq!(parsed["semver"]["sufficient"], false);
    common::in_snapshots("", || insta::assert_snapshot!("diff_reports__json_report_of_a_visma_change_set", json));
}

#[test]
fn text_report_of_a_visma_change_set() {
    let text = codegen::diff::report::text(&visma_report());
    common::in_snapshots("", || insta::assert_snapshot!("diff_reports__text_report_of_a_visma_change_set", text));
}

/// Every key of the JSON report is documented in `docs/diff-rules.md` ("JSON report"), and the
/// documentation lists no key the report lacks.
#[test]
fn the_json_schema_is_documented() {
    fn keys(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    let path = format!("{prefix}{key}");
                    keys(value, &format!("{path}."), out);
                    out.insert(path);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    keys(item, &format!("{}[].", prefix.trim_end_matches('.')), out);
                }
            }
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    let json: serde_json::Value = serde_json::from_str(&codegen::diff::report::json(&visma_report())).unwrap();
    keys(&json, "", &mut found);
    let doc = std::fs::read_to_string(common::workspace().join("docs/diff-rules.md")).unwrap();
    let section = doc.split("## JSON report").nth(1).expect("docs/diff-rules.md has a `## JSON report` section");
    let documented: BTreeSet<String> = section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(found, documented, "document every key of the JSON report in docs/diff-rules.md, and only those");
}
