//! Every invalid-spec fixture under `tests/invalid/` fails with a compiler-style message,
//! snapshotted so a change in wording is reviewed.
//!
//! A fixture is a single service file (checked together with a valid `crate.yaml`) or a folder
//! holding a whole spec folder.

use std::path::{Path, PathBuf};

const VALID_CRATE: &str = "name: shop-clients\nversion: 0.1.0\ndescription: Test clients.\n";

/// Copies the fixture into a fresh temporary spec folder and returns that folder.
fn spec_folder(fixture: &Path, scratch: &Path) -> PathBuf {
    let folder = scratch.join(fixture.file_stem().expect("fixtures have names"));
    std::fs::create_dir_all(&folder).expect("scratch folder");
    if fixture.is_dir() {
        for entry in std::fs::read_dir(fixture).expect("fixture folder") {
            let entry = entry.expect("fixture entry");
            std::fs::copy(entry.path(), folder.join(entry.file_name())).expect("copy fixture file");
        }
    } else {
        std::fs::write(folder.join("crate.yaml"), VALID_CRATE).expect("write crate.yaml");
        let name = fixture.file_name().expect("fixtures have names");
        std::fs::copy(fixture, folder.join(name)).expect("copy fixture");
    }
    folder
}

#[test]
fn every_invalid_spec_is_reported_with_place_and_hint() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let scratch = std::env::temp_dir().join(format!("codegen-diagnostics-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&fixtures).expect("tests/invalid exists").map(|entry| entry.expect("entry").path()).collect();
    cases.sort();
    assert!(cases.len() >= 30, "expected at least 30 invalid-spec fixtures, found {}", cases.len());

    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/diagnostics");
    settings.bind(|| {
        for case in &cases {
            let name = case.file_stem().and_then(|stem| stem.to_str()).expect("UTF-8 fixture names").to_owned();
            let folder = spec_folder(case, &scratch);
            match codegen::generate_dir(&folder, "spec") {
                Ok(_) => panic!("fixture `{name}` is valid, but it should be rejected"),
                Err(message) => {
                    assert!(message.starts_with("error: "), "{name}: {message}");
                    assert!(message.contains("--> spec"), "{name} does not say where: {message}");
                    insta::assert_snapshot!(name, message);
                }
            }
        }
    });
    let _ = std::fs::remove_dir_all(&scratch);
    eprintln!("{} invalid-spec fixtures rejected", cases.len());
}
