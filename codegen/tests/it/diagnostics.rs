//! Every invalid-spec fixture under `tests/invalid/` fails with a compiler-style message that
//! names a line and column, snapshotted so a change in wording or place is reviewed.
//!
//! A fixture is a whole spec folder (`crate.yaml` and one or two service files), checked as
//! `spec/`, so a message reads as it would for the real spec folder. The service file is
//! usually named after the case, which names the case in its messages too.

use std::path::PathBuf;

use crate::common;

#[test]
fn every_invalid_spec_is_reported_with_place_and_hint() {
    let fixtures = common::test_data("invalid");
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&fixtures).expect("tests/invalid exists").map(|entry| entry.expect("entry").path()).collect();
    cases.sort();
    assert!(cases.len() >= 30, "expected at least 30 invalid-spec fixtures, found {}", cases.len());

    common::in_snapshots("diagnostics", || {
        for case in &cases {
            assert!(case.is_dir(), "{} should be a spec folder", case.display());
            let name = case.file_name().and_then(|name| name.to_str()).expect("UTF-8 fixture names").to_owned();
            match codegen::generate_dir(case, "spec") {
                Ok(_) => panic!("fixture `{name}` is valid, but it should be rejected"),
                Err(problems) => {
                    let message = problems.to_string();
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
    let spec = common::test_data("valid/prerelease_version");
    let files = codegen::generate_dir(&spec, "spec").unwrap_or_else(|error| panic!("{error}"));
    let manifest = files.iter().find(|file| file.path == "Cargo.toml").expect("a manifest");
    assert!(manifest.contents.contains("\nversion = \"0.2.0-beta.1+build.7\"\n"), "{}", manifest.contents);
}

/// Mutated invalid fixtures (each line dropped, or its value replaced): placing their problems
/// never panics, and every position `load::positions` gives lies inside its file, on a line that
/// names a part of the problem's spec path or starts a list item.
#[test]
fn placed_problems_of_mutated_specs_point_into_their_files() {
    use codegen::diagnostics::Location;
    use codegen::load::{Sources, SpecFile, SpecSet};

    let krate = SpecFile {
        file: "spec/crate.yaml".to_owned(),
        spec: codegen::load::parse("spec/crate.yaml", "name: t\nversion: 0.1.0\ndescription: T.\n").expect("a crate"),
    };
    // The invalid fixtures' service files: small, so thousands of mutants lower in seconds.
    let mut texts = Vec::new();
    for case in std::fs::read_dir(common::test_data("invalid")).expect("invalid fixtures") {
        for file in std::fs::read_dir(case.expect("a case").path()).expect("a case folder") {
            let file = file.expect("a file").path();
            if file.file_name().is_some_and(|name| name != "crate.yaml") {
                texts.extend(std::fs::read_to_string(&file).ok());
            }
        }
    }
    texts.sort();
    let (mut cases, mut placed) = (0, 0);
    for text in &texts {
        let lines: Vec<&str> = text.lines().collect();
        for index in 0..lines.len() {
            let mut replaced = lines.clone();
            let changed;
            if let Some((key, _)) = lines[index].split_once(": ") {
                changed = format!("{key}: Nope_{index}");
                replaced[index] = &changed;
            }
            let mut dropped = lines.clone();
            dropped.remove(index);
            for mutant in [dropped.join("\n"), replaced.join("\n")] {
                let Ok(spec) = codegen::load::parse("spec/mutant.yaml", &mutant) else { continue };
                let set = SpecSet {
                    krate: krate.clone(),
                    services: vec![SpecFile { file: "spec/mutant.yaml".to_owned(), spec }],
                };
                let Err(problems) = codegen::lower::lower(&set) else { continue };
                cases += 1;
                let mut sources = Sources::default();
                sources.insert("spec/mutant.yaml", mutant.as_str());
                for problem in sources.locate(problems).0 {
                    let Location::SpecNode { line, column, path, .. } = &problem.location else { continue };
                    placed += 1;
                    let source =
                        mutant.lines().nth(line - 1).unwrap_or_else(|| panic!("{path}: line {line} is past the end"));
                    assert!(*column <= source.chars().count() + 1, "{path}: column {column} is past `{source}`");
                    // The last key (`type`) or selector (`[pageSize]`) of the path, or a key
                    // before it when the path goes past what the file has.
                    let named =
                        path.split(['.', '[', ']']).filter(|part| !part.is_empty()).any(|part| source.contains(part));
                    assert!(
                        named || source.trim_start().starts_with('-'),
                        "{path} placed at {line}:{column}: `{source}`"
                    );
                }
            }
        }
    }
    assert!(cases > 100 && placed > cases, "{cases} mutants with problems, {placed} placed");
    eprintln!("{cases} mutated specs with problems, {placed} problems placed");
}
