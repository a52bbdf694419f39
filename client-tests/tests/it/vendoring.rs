//! The generated crate is meant to be copied into other repositories: it must build on its own,
//! outside this workspace, with nothing but registry dependencies.

use std::process::Command;

use crate::common::{cargo, copy_tree, workspace, TempDir};

/// The dependency lines of a manifest that use `path`: every line of a `[...dependencies...]`
/// table (or a `[dependencies.name]` table) that sets a `path` key.
fn path_dependencies(manifest: &str) -> Vec<String> {
    let mut in_dependencies = false;
    let mut found = Vec::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_dependencies = trimmed.contains("dependencies");
            continue;
        }
        let sets_path = trimmed.starts_with("path") && trimmed[4..].trim_start().starts_with('=');
        let inline_path = trimmed.replace(' ', "").contains("path=");
        if in_dependencies && (sets_path || inline_path) {
            found.push(line.to_owned());
        }
    }
    found
}

#[test]
fn generated_crate_builds_outside_the_workspace() {
    let workspace = workspace();
    let scratch = TempDir::new("api-clients-vendored");
    let copy = scratch.join("api-clients");
    copy_tree(&workspace.join("generated"), &copy).expect("copy generated/");
    std::fs::copy(workspace.join("Cargo.lock"), copy.join("Cargo.lock")).expect("copy the workspace Cargo.lock");

    let manifest = std::fs::read_to_string(copy.join("Cargo.toml")).expect("the copy has a Cargo.toml");
    assert!(manifest.contains("name = \"api-clients\""), "{manifest}");
    let local = path_dependencies(&manifest);
    assert!(local.is_empty(), "the generated crate depends on local paths: {local:?}");

    let cargo = cargo();
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet"])
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", workspace.join("target").join("vendoring"))
        .output()
        .expect("run cargo check");

    assert!(
        output.status.success(),
        "`cargo check` of the copied crate in {} failed ({}):\n{}",
        copy.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn path_dependency_scan_finds_local_dependencies() {
    let manifest = "[package]\nname = \"x\"\n\n[lib]\npath = \"src/lib.rs\"\n\n[dependencies]\nserde = \"1\"\nlocal = { path = \"../local\" }\n\n[dependencies.other]\npath = \"../other\"\n";
    assert_eq!(path_dependencies(manifest), ["local = { path = \"../local\" }", "path = \"../other\""]);
    assert!(path_dependencies("[lib]\npath = \"src/lib.rs\"\n[dependencies]\nserde = \"1\"\n").is_empty());
}
