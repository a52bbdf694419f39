//! Every invalid-spec fixture under `tests/invalid/` fails with a compiler-style message that
//! names a line and column, snapshotted so a change in wording or place is reviewed.
//!
//! A fixture is a whole spec folder (`crate.yaml` and one or two service files), checked as
//! `spec/`, so a message reads as it would for the real spec folder. The service file is
//! usually named after the case, which names the case in its messages too.

use std::path::{Path, PathBuf};

#[test]
fn every_invalid_spec_is_reported_with_place_and_hint() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&fixtures).expect("tests/invalid exists").map(|entry| entry.expect("entry").path()).collect();
    cases.sort();
    assert!(cases.len() >= 30, "expected at least 30 invalid-spec fixtures, found {}", cases.len());

    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/diagnostics");
    settings.bind(|| {
        for case in &cases {
            assert!(case.is_dir(), "{} should be a spec folder", case.display());
            let name = case.file_name().and_then(|name| name.to_str()).expect("UTF-8 fixture names").to_owned();
            match codegen::generate_dir(case, "spec") {
                Ok(_) => panic!("fixture `{name}` is valid, but it should be rejected"),
                Err(message) => {
                    assert!(message.starts_with("error: "), "{name}: {message}");
                    assert!(message.contains("--> spec"), "{name} does not say where: {message}");
                    assert!(
                        message.ends_with("nothing was generated"),
                        "{name} does not close with the count: {message}"
                    );
                    if !UNPLACED.contains(&name.as_str()) {
                        for line in message.lines().filter(|line| line.trim_start().starts_with("-->")) {
                            assert!(
                                is_placed(line),
                                "{name}: `{line}` has no line and column; if the problem has no place in the file, add the case to UNPLACED"
                            );
                        }
                    }
                    insta::assert_snapshot!(name, message);
                }
            }
        }
    });
    eprintln!("{} invalid-spec fixtures rejected", cases.len());
}

/// The cases whose problem has no place in a file: a missing file or folder, an empty file, a
/// key left out at the top of a service file. Every other problem, whatever phase finds it,
/// names a line and a column (`load::positions` maps `lower`'s spec paths to them).
const UNPLACED: &[&str] = &["empty_file", "empty_service", "missing_crate_file", "soap_without_binding"];

/// `--> spec/shop.yaml:12:7`: a file, a line and a column.
fn is_placed(line: &str) -> bool {
    let mut parts = line.trim_start().trim_start_matches("-->").trim().rsplitn(3, ':');
    let column = parts.next().is_some_and(|part| part.parse::<usize>().is_ok());
    let line = parts.next().is_some_and(|part| part.parse::<usize>().is_ok());
    column && line && parts.next().is_some_and(|file| !file.is_empty())
}

/// Cargo accepts semver pre-release and build suffixes, so the generator does too (the
/// compile fuzz in `fuzz.rs` builds its crate with such a version, so cargo confirms it).
#[test]
fn a_prerelease_version_generates() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/valid/prerelease_version");
    let files = codegen::generate_dir(&spec, "spec").unwrap_or_else(|error| panic!("{error}"));
    let manifest = files.iter().find(|file| file.path == "Cargo.toml").expect("a manifest");
    assert!(manifest.contents.contains("\nversion = \"0.2.0-beta.1+build.7\"\n"), "{}", manifest.contents);
}
