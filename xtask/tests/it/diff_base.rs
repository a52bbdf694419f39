//! `cargo xtask diff --base <ref>` in a temporary git repository: `spec/` at the ref against
//! the working tree, every output format, and `--fail-on breaking`.

use std::path::Path;
use std::process::Command;

use crate::common::{TempDir, CRATE};

const SERVICE: &str = "service: tiny
title: Tiny
protocol: rest
base_url: https://tiny.example.com
groups: [ { id: things } ]
operations:
  - id: things_list
    group: things
    method: GET
    path: /things
    params:
      - { name: limit, in: query, type: int32 }
    responses: [ { status: 200, type: Thing } ]
types:
  - { kind: object, name: Thing, fields: [ { name: id, type: int64 } ] }
";

fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
}

/// A repository with the tiny spec committed on `main`, removed when dropped.
fn repository(name: &str) -> TempDir {
    let root = TempDir::new(&format!("xtask-diff-base-{name}"));
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::write(root.join("spec/crate.yaml"), CRATE).unwrap();
    std::fs::write(root.join("spec/tiny.yaml"), SERVICE).unwrap();
    git(&root, &["init", "--quiet", "--initial-branch=main"]);
    git(&root, &["add", "spec"]);
    git(&root, &["commit", "--quiet", "-m", "spec"]);
    root
}

fn options(args: &[&str]) -> xtask::DiffOptions {
    xtask::parse_diff_args(args).expect("valid arguments")
}

#[test]
fn compares_the_spec_at_a_ref_with_the_working_tree() {
    let root = repository("compare");

    let unchanged = xtask::diff(&root, &options(&["--base", "HEAD"])).unwrap();
    assert!(unchanged.rendered.starts_with("✅ **no API changes**") && !unchanged.fail, "{unchanged:?}");

    std::fs::write(
        root.join("spec/tiny.yaml"),
        SERVICE.replace(
            "{ name: limit, in: query, type: int32 }",
            "{ name: limit, in: query, type: int32, required: true }",
        ),
    )
    .unwrap();
    let outcome = xtask::diff(&root, &options(&["--base", "main", "--fail-on", "breaking"])).unwrap();
    assert!(outcome.fail, "a breaking change fails with --fail-on breaking");
    let markdown = outcome.rendered;
    assert!(
        markdown.starts_with("❌ **breaking API changes: 1 breaking, 0 non-breaking, 0 informational**"),
        "{markdown}"
    );
    assert!(markdown.contains("Compared `main:spec` with `spec`."), "{markdown}");
    assert!(markdown.contains("`list ?limit` `param-became-required`"), "{markdown}");
    assert!(!xtask::diff(&root, &options(&["--base", "main"])).unwrap().fail, "only --fail-on fails");
    // Wire-breaking and rust-major at once.
    assert!(xtask::diff(&root, &options(&["--base", "main", "--fail-on", "wire"])).unwrap().fail);
    assert!(xtask::diff(&root, &options(&["--base", "main", "--fail-on", "rust"])).unwrap().fail);

    let json = xtask::diff(&root, &options(&["--base", "HEAD", "--format", "json"])).unwrap().rendered;
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["changes"][0]["rule"], "param-became-required");
    assert_eq!(parsed["old"]["label"], "HEAD:spec");
    let text = xtask::diff(&root, &options(&["--base=HEAD", "--format=text"])).unwrap().rendered;
    assert!(text.contains("[BREAKING] param-became-required list ?limit"), "{text}");

    // The committed spec is the old side, whatever the working tree holds.
    git(&root, &["commit", "--quiet", "-am", "limit is required"]);
    let against_parent = xtask::diff(&root, &options(&["--base", "HEAD~1", "--format", "text"])).unwrap();
    assert!(against_parent.rendered.contains("param-became-required"), "{against_parent:?}");
    let against_head = xtask::diff(&root, &options(&["--base", "HEAD"])).unwrap();
    assert!(against_head.rendered.contains("no API changes"), "{against_head:?}");

    let error = xtask::diff(&root, &options(&["--base", "no-such-ref"])).unwrap_err();
    assert!(error.contains("no-such-ref"), "{error}");
}

#[test]
fn an_invalid_side_is_reported_as_such() {
    let root = repository("invalid");
    std::fs::write(root.join("spec/tiny.yaml"), SERVICE.replace("type: Thing }", "type: Thingy }")).unwrap();
    let error = xtask::diff(&root, &options(&["--base", "HEAD"])).unwrap_err();
    assert!(error.starts_with("error: the new side (`spec`) is not a valid spec"), "{error}");
    assert!(error.contains("unknown type `Thingy`") && error.contains("did you mean `Thing`?"), "{error}");
    // Placed in the working tree's file: line 13, at the type's value.
    assert!(
        error.contains("  --> spec/tiny.yaml:13:39\n  = spec path: operations[things_list].responses[200].type"),
        "{error}"
    );
}

#[test]
fn a_workspace_in_a_subfolder_of_the_repository() {
    let repo = repository("subfolder");
    let root = repo.join("workspace");
    std::fs::create_dir_all(&root).unwrap();
    git(&repo, &["mv", "spec", "workspace/spec"]);
    git(&repo, &["commit", "--quiet", "-m", "move"]);
    std::fs::write(root.join("spec/tiny.yaml"), SERVICE.replace("type: int32 }", "type: int64 }")).unwrap();
    let outcome = xtask::diff(&root, &options(&["--base", "HEAD", "--format", "text"])).unwrap();
    assert!(outcome.rendered.contains("param-type-changed list ?limit: int32 -> int64"), "{outcome:?}");
}

#[test]
fn two_spec_paths_are_compared() {
    let root = repository("paths");
    std::fs::create_dir_all(root.join("new")).unwrap();
    std::fs::write(root.join("new/crate.yaml"), CRATE.replace("0.1.0", "0.2.0")).unwrap();
    std::fs::write(root.join("new/tiny.yaml"), SERVICE.replace("path: /things", "path: /v2/things")).unwrap();
    let outcome = xtask::diff(&root, &options(&["spec", "new", "--format", "json"])).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&outcome.rendered).unwrap();
    assert_eq!(parsed["changes"][0]["rule"], "operation-path-changed");
    assert_eq!((parsed["old"]["label"].as_str(), parsed["new"]["label"].as_str()), (Some("spec"), Some("new")));
    assert_eq!(parsed["semver"]["sufficient"], true);
    // Wire-breaking, but rust patch.
    assert!(xtask::diff(&root, &options(&["spec", "new", "--fail-on", "wire"])).unwrap().fail);
    assert!(!xtask::diff(&root, &options(&["spec", "new", "--fail-on", "rust"])).unwrap().fail);
    // A single service file, with the crate.yaml beside it.
    let outcome = xtask::diff(&root, &options(&["spec/tiny.yaml", "new/tiny.yaml", "--format", "text"])).unwrap();
    assert!(outcome.rendered.contains("operation-path-changed list"), "{outcome:?}");
}

#[test]
fn arguments_are_checked() {
    assert!(xtask::parse_diff_args(&[]).is_err());
    assert!(xtask::parse_diff_args(&["a"]).is_err());
    assert!(xtask::parse_diff_args(&["--base", "main", "a", "b"]).is_err());
    assert!(xtask::parse_diff_args(&["--base"]).is_err());
    assert!(xtask::parse_diff_args(&["--format", "yaml", "a", "b"]).is_err());
    assert!(xtask::parse_diff_args(&["--fail-on", "warnings", "a", "b"]).is_err());
    assert!(xtask::parse_diff_args(&["--verbose", "a", "b"]).is_err());
    let parsed = options(&["a", "b", "--fail-on=breaking", "--format", "json"]);
    assert_eq!(parsed.sides, xtask::Sides::Paths("a".into(), "b".into()));
    assert_eq!((parsed.fail_on, parsed.format), (Some(xtask::FailOn::Breaking), xtask::DiffFormat::Json));
    assert_eq!(options(&["--base", "origin/main"]).sides, xtask::Sides::Base("origin/main".to_owned()));
    let root = std::env::temp_dir();
    assert!(xtask::diff(&root, &options(&["--base", "--upload-pack=x"])).unwrap_err().contains("is not a git ref"));
}

#[test]
fn a_blob_larger_than_a_spec_file_at_the_ref_is_refused_while_read() {
    let root = repository("large");
    // One byte more than git's output may be: YAML comment lines, so only the size is wrong.
    let cap = xtask::diff::MAX_GIT_OUTPUT as usize;
    let mut large = Vec::with_capacity(cap + 1);
    while large.len() <= cap {
        large.extend_from_slice(b"# padding padding padding padding padding padding padding padding\n");
    }
    large.truncate(cap + 1);
    std::fs::write(root.join("spec/large.yaml"), &large).unwrap();
    git(&root, &["add", "spec"]);
    git(&root, &["commit", "--quiet", "-m", "large"]);
    std::fs::remove_file(root.join("spec/large.yaml")).unwrap();
    let error = xtask::diff(&root, &options(&["--base", "HEAD"])).unwrap_err();
    assert!(error.contains("`git show HEAD:spec/large.yaml` printed more than 64 MiB"), "{error}");
}
