//! `cargo xtask diff --base <ref>` in a temporary git repository: `spec/` at the ref against
//! the working tree, every output format, and `--fail-on breaking`.

use std::path::{Path, PathBuf};
use std::process::Command;

const CRATE: &str = "name: tiny\nversion: 0.1.0\ndescription: Tiny.\n";
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

/// A repository with the tiny spec committed on `main`; `name` keeps parallel tests apart.
fn repository(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("xtask-diff-base-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
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

    let (unchanged, fail) = xtask::diff(&root, &options(&["--base", "HEAD"])).unwrap();
    assert!(unchanged.contains("no API changes") && !fail, "{unchanged}");

    std::fs::write(
        root.join("spec/tiny.yaml"),
        SERVICE.replace(
            "{ name: limit, in: query, type: int32 }",
            "{ name: limit, in: query, type: int32, required: true }",
        ),
    )
    .unwrap();
    let (markdown, fail) = xtask::diff(&root, &options(&["--base", "main", "--fail-on", "breaking"])).unwrap();
    assert!(fail, "a breaking change fails with --fail-on breaking");
    assert!(markdown.contains("`param-became-required`"), "{markdown}");
    assert!(markdown.starts_with("❌ **breaking changes: 1 breaking, 0 non-breaking, 0 informational**"), "{markdown}");

    let (json, _) = xtask::diff(&root, &options(&["--base", "HEAD", "--format", "json"])).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["changes"][0]["rule"], "param-became-required");
    let (text, _) = xtask::diff(&root, &options(&["--base", "HEAD", "--format", "text"])).unwrap();
    assert!(text.contains("[BREAKING] param-became-required list limit"), "{text}");

    let error = xtask::diff(&root, &options(&["--base", "no-such-ref"])).unwrap_err();
    assert!(error.contains("no-such-ref"), "{error}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn an_invalid_side_is_reported_as_such() {
    let root = repository("invalid");
    std::fs::write(root.join("spec/tiny.yaml"), SERVICE.replace("type: Thing }", "type: Thingy }")).unwrap();
    let error = xtask::diff(&root, &options(&["--base", "HEAD"])).unwrap_err();
    assert!(error.contains("unknown type `Thingy`") && error.contains("did you mean `Thing`?"), "{error}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn arguments_are_checked() {
    assert!(xtask::parse_diff_args(&[]).is_err());
    assert!(xtask::parse_diff_args(&["--format", "yaml", "a", "b"]).is_err());
    assert!(xtask::parse_diff_args(&["--fail-on", "warnings", "a", "b"]).is_err());
    assert_eq!(options(&["a", "b"]).paths, Some(("a".to_owned(), "b".to_owned())));
}
