//! The generated crate is meant to be copied into other repositories: it must build on its own,
//! outside this workspace, with nothing but registry dependencies.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// Copies a directory tree (files and folders only), leaving out any `target/` folder.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let destination = to.join(entry.file_name());
        if kind.is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&entry.path(), &destination)?;
            }
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &destination)?;
        }
    }
    Ok(())
}

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

/// Removes the scratch copy when the test ends, passed or failed.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn generated_crate_builds_outside_the_workspace() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let scratch = Scratch(std::env::temp_dir().join(format!("api-clients-vendored-{}-{nanos}", std::process::id())));
    let copy = scratch.0.join("api-clients");
    copy_tree(&workspace.join("generated"), &copy).expect("copy generated/");
    std::fs::copy(workspace.join("Cargo.lock"), copy.join("Cargo.lock")).expect("copy the workspace Cargo.lock");

    let manifest = std::fs::read_to_string(copy.join("Cargo.toml")).expect("the copy has a Cargo.toml");
    assert!(manifest.contains("name = \"api-clients\""), "{manifest}");
    let local = path_dependencies(&manifest);
    assert!(local.is_empty(), "the generated crate depends on local paths: {local:?}");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
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
