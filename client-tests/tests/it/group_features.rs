//! Every group feature (`<service>-<group>`) builds alone, warning-free, in a copy of the
//! generated crate and of the fixtures' crate: a group's items and the types it uses are all it
//! needs, and its docs link to nothing that is off. A service without group features (SOAP) is
//! checked alone too.

use std::process::Command;

use crate::common::{cargo, copy_tree, workspace, TempDir};

/// The crate's own hyphenated features, which no group feature may take (`lower` refuses it).
const CRATE_FEATURES: &[&str] = &["background-runtime", "oauth2-runtime", "paging-runtime", "soap-runtime"];

/// The feature sets to check, from the manifest's `[features]`: each service's group features
/// (`<service>-<group> = [...]`), or the service feature for a service without any.
fn feature_sets(manifest: &str) -> Vec<String> {
    let features: Vec<&str> = manifest
        .lines()
        .skip_while(|line| line.trim() != "[features]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name.trim()))
        .filter(|name| !CRATE_FEATURES.contains(name))
        .collect();
    let default = manifest.lines().find_map(|line| line.strip_prefix("default = [")).expect("a default feature");
    let services = default.trim_end_matches(']').split(", ").map(|name| name.trim_matches('"'));
    services
        .flat_map(|service| {
            let prefix = format!("{service}-");
            let groups: Vec<String> =
                features.iter().filter(|name| name.starts_with(&prefix)).map(|name| name.to_string()).collect();
            if groups.is_empty() {
                vec![service.to_owned()]
            } else {
                groups
            }
        })
        .collect()
}

/// `cargo check` of a copy of the workspace crate `folder` once per feature set, alone and with
/// `blocking`, `mock` and `tracing`; returns the failures (feature set and compiler output).
fn check_each(folder: &str, expected: &[&str]) -> Vec<String> {
    let workspace = workspace();
    let scratch = TempDir::new(&format!("{folder}-groups"));
    let copy = scratch.join(folder);
    copy_tree(&workspace.join(folder), &copy).expect("copy the crate");
    std::fs::copy(workspace.join("Cargo.lock"), copy.join("Cargo.lock")).expect("copy the workspace Cargo.lock");
    let manifest = std::fs::read_to_string(copy.join("Cargo.toml")).expect("the copy has a Cargo.toml");
    let sets = feature_sets(&manifest);
    for feature in expected {
        assert!(sets.iter().any(|set| set == feature), "no feature `{feature}` in {folder}/Cargo.toml: {sets:?}");
    }
    let cargo = cargo();
    let mut failures = Vec::new();
    for set in &sets {
        for features in [set.clone(), format!("{set},blocking,mock,tracing")] {
            let output = Command::new(&cargo)
                .args(["check", "--offline", "--message-format", "short", "--no-default-features", "--features"])
                .arg(&features)
                .current_dir(&copy)
                // Shared with `vendoring.rs`: the dependencies are built once.
                .env("CARGO_TARGET_DIR", workspace.join("target").join("vendoring"))
                .output()
                .expect("run cargo check");
            let stderr = String::from_utf8_lossy(&output.stderr);
            // Only the copied crate is compiled here (its dependencies print nothing with `short`).
            let warned =
                stderr.lines().any(|line| ["warning:", "error:", "error["].iter().any(|word| line.contains(word)));
            if !output.status.success() || warned {
                failures.push(format!("--features {features} ({}):\n{stderr}", output.status));
            }
        }
        // The docs too: a page that links to a group that is off is a broken intra-doc link.
        let output = Command::new(&cargo)
            .args(["doc", "--offline", "--no-deps", "--message-format", "short", "--no-default-features", "--features"])
            .arg(set)
            .current_dir(&copy)
            .env("CARGO_TARGET_DIR", workspace.join("target").join("vendoring"))
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .expect("run cargo doc");
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            failures.push(format!("cargo doc --features {set} ({}):\n{stderr}", output.status));
        }
    }
    failures
}

#[test]
fn each_group_of_the_generated_crate_builds_alone() {
    let expected = [
        "visma_net-project_task",
        "visma_net-background",
        "visma_net-kit_assembly",
        "account_tasks-admin_tasks",
        "projector",
    ];
    let failures = check_each("generated", &expected);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_group_of_the_fixtures_builds_alone() {
    let failures = check_each(
        "fixture-clients",
        &["group_features-pets", "group_features-cars", "group_features-archive", "soap"],
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn feature_sets_are_the_group_features_or_the_service() {
    let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = [\"shop\", \"soap\"]\nshop = [\"shop-a\", \"shop-b\"]\nshop-a = []\nshop-b = [\"paging-runtime\"]\nsoap = [\"soap-runtime\"]\npaging-runtime = []\nsoap-runtime = []\n\n[dependencies]\nshop-x = \"1\"\n";
    assert_eq!(feature_sets(manifest), ["shop-a", "shop-b", "soap"]);
}
