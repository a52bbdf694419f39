//! The rust classification of a sample of diff rules, checked by the compiler: a small program
//! written against the crate generated from the old spec must build against the new one exactly
//! when the diff says the change is not `major`.
//!
//! Builds go to `target/diff-compile` (shared, so repeated runs are incremental) and run offline
//! with the workspace's `Cargo.lock`.

mod diff_cases;

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::diff::rules::{self, Bump};
use diff_cases::{edit, model, BASE};

struct Probe {
    rule: &'static rules::Rule,
    edits: &'static [(&'static str, &'static str)],
    /// Uses the old crate's API the way a caller would.
    program: &'static str,
}

const PROBES: &[Probe] = &[
    Probe {
        rule: rules::PARAM_ADDED_REQUIRED,
        edits: &[("    responses:\n      - { status: 200", "      - { name: X-Tenant, in: header, type: string, required: true }\n    responses:\n      - { status: 200")],
        program: "let _ = client.orders().list(\"open\").page_size(10);",
    },
    Probe {
        rule: rules::PARAM_ADDED_OPTIONAL,
        edits: &[("    responses:\n      - { status: 200", "      - { name: sort, in: query, type: string }\n    responses:\n      - { status: 200")],
        program: "let _ = client.orders().list(\"open\").page_size(10);",
    },
    Probe {
        rule: rules::PARAM_BECAME_OPTIONAL,
        edits: &[("{ name: status, in: query, type: string, required: true }", "{ name: status, in: query, type: string }")],
        program: "let _ = client.orders().list(\"open\");",
    },
    Probe {
        rule: rules::PARAM_WIRE_NAME_CHANGED,
        edits: &[("{ name: pageSize, in: query, type: int32 }", "{ name: page_size, in: query, type: int32 }")],
        program: "let _ = client.orders().list(\"open\").page_size(10);",
    },
    Probe {
        rule: rules::FIELD_ADDED_OPTIONAL,
        edits: &[("      - { name: id, type: string }\n", "      - { name: id, type: string }\n      - { name: progress, type: int32 }\n")],
        program: "let _ = types::Job { id: None };",
    },
    Probe {
        rule: rules::ENUM_MEMBER_ADDED,
        edits: &[("      - { name: Done, value: done }\n", "      - { name: Done, value: done }\n      - { name: Lost, value: lost }\n")],
        program: "let state = types::State::Open; let _ = match state { types::State::Open => 1, types::State::Done => 2, _ => 3 };",
    },
    Probe {
        rule: rules::TYPE_RENAMED,
        edits: &[("name: Job\n", "name: BackgroundJob\n    renamed_from: Job\n"), ("type: Job }", "type: BackgroundJob }")],
        program: "let _: Option<types::Job> = None;",
    },
    Probe {
        rule: rules::OPERATION_PATH_CHANGED,
        edits: &[("path: /orders\n    summary", "path: /v2/orders\n    summary")],
        program: "let _ = client.orders().list(\"open\");",
    },
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Generates the crate of `spec` into `dir` (replacing what was there).
fn generate(spec: &str, dir: &Path) {
    let files = codegen::emit::generate(&model(&[("shop.yaml", spec.to_owned())])).expect("the spec renders");
    let _ = std::fs::remove_dir_all(dir);
    for file in files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.contents).unwrap();
    }
}

/// Builds `program` against the crate in `crate_dir`; returns whether it compiled, and stderr.
fn compiles(probe_dir: &Path, crate_dir: &Path, program: &str) -> (bool, String) {
    let _ = std::fs::remove_dir_all(probe_dir);
    std::fs::create_dir_all(probe_dir.join("src")).unwrap();
    std::fs::write(
        probe_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\nshop = {{ path = {:?} }}\n\n[workspace]\n",
            crate_dir.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), probe_dir.join("Cargo.lock")).unwrap();
    std::fs::write(
        probe_dir.join("src/main.rs"),
        format!(
            "#![allow(deprecated, unused)]\nuse shop::shop::types;\nfn main() {{\n    let client = shop::shop::Client::new(shop::ClientConfig::new()).unwrap();\n    {program}\n}}\n"
        ),
    )
    .unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet"])
        .current_dir(probe_dir)
        .env("CARGO_TARGET_DIR", workspace().join("target/diff-compile"))
        .output()
        .expect("cargo runs");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn breaking_rust_changes_fail_to_compile_and_others_still_compile() {
    let scratch = workspace().join("target/diff-compile/work");
    let old_crate = scratch.join("old");
    generate(BASE, &old_crate);
    for probe in PROBES {
        let new_spec = edit(probe.edits);
        let report =
            codegen::diff::diff(&model(&[("shop.yaml", BASE.to_owned())]), &model(&[("shop.yaml", new_spec.clone())]));
        let change = report
            .changes
            .iter()
            .find(|change| change.rule == probe.rule)
            .unwrap_or_else(|| panic!("`{}` not reported", probe.rule.id));
        let major = report.bump() == Some(Bump::Major);
        assert_eq!(change.rust == Bump::Major, major, "{}: the probe must change only this", probe.rule.id);

        let (old_ok, old_errors) = compiles(&scratch.join("probe"), &old_crate, probe.program);
        assert!(old_ok, "{}: the program must build against the old crate:\n{old_errors}", probe.rule.id);
        let new_crate = scratch.join(format!("new-{}", probe.rule.id));
        generate(&new_spec, &new_crate);
        let (new_ok, new_errors) = compiles(&scratch.join("probe"), &new_crate, probe.program);
        assert_eq!(
            new_ok,
            !major,
            "{}: classified {:?}, but against the new crate the program {}:\n{new_errors}",
            probe.rule.id,
            change.rust,
            if new_ok { "still builds" } else { "fails to build" }
        );
        eprintln!("{}: rust {:?}, confirmed by the compiler", probe.rule.id, change.rust);
    }
}
