//! `cargo xtask codegen` on a temporary workspace: it never overwrites or deletes a file that
//! lacks the `@generated` header, an invalid spec or a failed write leaves the output as it
//! was, and stale generated files are removed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{TempDir, CRATE};

const OUTPUTS: &[(&str, &str)] = &[("spec", "out")];

const SERVICE: &str = "service: tiny
title: Tiny
protocol: rest
base_url: https://tiny.example.com
groups: [ { id: things } ]
operations:
  - { id: things_list, group: things, method: GET, path: /things, responses: [ { status: 200, type: Thing } ] }
types:
  - { kind: object, name: Thing, fields: [ { name: id, type: int64 } ] }
";

/// A fresh workspace with the tiny spec, removed when dropped.
struct Workspace(TempDir);

impl Workspace {
    fn new(name: &str) -> Workspace {
        let root = TempDir::new(&format!("xtask-{name}"));
        std::fs::create_dir_all(root.join("spec")).unwrap();
        std::fs::write(root.join("spec/crate.yaml"), CRATE).unwrap();
        std::fs::write(root.join("spec/tiny.yaml"), SERVICE).unwrap();
        Workspace(root)
    }

    fn out(&self) -> PathBuf {
        self.0.join("out")
    }

    fn run(&self, check: bool) -> Result<xtask::CodegenReport, String> {
        xtask::codegen(&self.0, OUTPUTS, check).map_err(|error| error.to_string())
    }

    /// Runs and returns the files written and removed in `out/`.
    fn changes(&self) -> (Vec<String>, Vec<String>) {
        let report = self.run(false).expect("generates");
        let [folder] = &report.folders[..] else { panic!("one output folder: {report:?}") };
        (folder.written.clone(), folder.removed.clone())
    }
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, &mut out);
    }
    out
}

#[test]
fn generates_then_reports_fresh_and_writes_nothing_more() {
    let workspace = Workspace::new("fresh");
    let (written, removed) = workspace.changes();
    assert!(written.iter().any(|path| path == "src/tiny/types.rs"), "{written:?}");
    assert!(removed.is_empty(), "{removed:?}");
    let check = workspace.run(true).expect("fresh right after generating");
    assert!(check.check && check.folders[0].written.is_empty() && check.folders[0].unchanged == written.len());
    assert_eq!(workspace.changes(), (Vec::new(), Vec::new()), "nothing to rewrite");
}

#[test]
fn check_lists_stale_files_and_writes_nothing() {
    let workspace = Workspace::new("check");
    workspace.run(false).unwrap();
    std::fs::write(workspace.0.join("spec/tiny.yaml"), SERVICE.replace("int64", "string")).unwrap();
    let before = snapshot(&workspace.out());
    let error = workspace.run(true).expect_err("stale");
    assert!(error.contains("  out/src/tiny/types.rs (changed or missing)\n"), "{error}");
    assert!(error.contains("cargo xtask codegen"), "{error}");
    assert_eq!(snapshot(&workspace.out()), before);
}

#[test]
fn check_names_only_the_stale_output_folders() {
    let workspace = Workspace::new("check-folders");
    std::fs::create_dir_all(workspace.0.join("spec2")).unwrap();
    std::fs::write(workspace.0.join("spec2/crate.yaml"), CRATE).unwrap();
    std::fs::write(workspace.0.join("spec2/tiny.yaml"), SERVICE).unwrap();
    let outputs = [("spec", "out"), ("spec2", "out2")];
    xtask::codegen(&workspace.0, &outputs, false).unwrap();
    let check = |outputs: &[(&str, &str)]| xtask::codegen(&workspace.0, outputs, true).map_err(|e| e.to_string());
    std::fs::write(workspace.0.join("spec2/tiny.yaml"), SERVICE.replace("int64", "string")).unwrap();
    let error = check(&outputs).expect_err("out2/ is stale");
    assert!(error.contains("\n  --> out2/\n"), "{error}");
    assert!(!error.contains("out/"), "out/ is up to date: {error}");
    // Both stale: both named, in the order of the outputs.
    std::fs::write(workspace.0.join("spec/tiny.yaml"), SERVICE.replace("int64", "string")).unwrap();
    let error = check(&outputs).expect_err("both are stale");
    assert!(error.contains("\n  --> out/, out2/\n"), "{error}");
}

#[test]
fn a_file_without_the_header_is_never_overwritten_nor_deleted() {
    let workspace = Workspace::new("handwritten");
    workspace.run(false).unwrap();
    let hand_written = workspace.out().join("src/tiny/types.rs");
    std::fs::write(&hand_written, "// my own types, not generated\n").unwrap();
    let notes = workspace.out().join("NOTES.md");
    std::fs::write(&notes, "kept\n").unwrap();
    let before = snapshot(&workspace.out());

    let error = workspace.run(false).expect_err("refuses to overwrite");

    assert!(error.contains("out/src/tiny/types.rs") && error.contains("@generated"), "{error}");
    assert_eq!(snapshot(&workspace.out()), before, "nothing was written");
    // Once the person moves their file away, generation goes on; a file it does not produce
    // and that lacks the header (NOTES.md) is never deleted.
    std::fs::remove_file(&hand_written).unwrap();
    workspace.run(false).expect("regenerates once the hand-written file is gone");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "kept\n");
}

#[test]
fn an_invalid_spec_leaves_the_output_byte_identical() {
    let workspace = Workspace::new("invalid");
    workspace.run(false).unwrap();
    let before = snapshot(&workspace.out());
    std::fs::write(workspace.0.join("spec/tiny.yaml"), SERVICE.replace("type: Thing", "type: Thingg")).unwrap();

    let error = workspace.run(false).expect_err("invalid");

    // Placed at the type's value in the file, as well as by its spec path.
    assert!(error.contains("unknown type `Thingg`\n  --> spec/tiny.yaml:7:101\n"), "{error}");
    assert!(error.contains("= spec path: operations[things_list].responses[200].type"), "{error}");
    assert_eq!(snapshot(&workspace.out()), before);
}

#[test]
fn stale_generated_files_are_removed_with_their_empty_folders() {
    let workspace = Workspace::new("stale");
    workspace.run(false).unwrap();
    let old = workspace.out().join("src/gone/mod.rs");
    std::fs::create_dir_all(old.parent().unwrap()).unwrap();
    std::fs::write(&old, "// @generated by `cargo xtask codegen`. Do not edit; change spec/ and regenerate.\n")
        .unwrap();

    let changes = workspace.changes();

    assert_eq!(changes, (Vec::new(), vec!["src/gone/mod.rs".to_owned()]));
    assert!(!old.parent().unwrap().exists(), "the emptied folder is removed");
}

#[test]
fn a_failed_write_leaves_every_file_whole_and_no_temporary_files() {
    let workspace = Workspace::new("failed-write");
    workspace.run(false).unwrap();
    std::fs::write(workspace.0.join("spec/tiny.yaml"), SERVICE.replace("int64", "string").replace("Tiny", "Tiny v2"))
        .unwrap();
    // A folder where a temporary file must go makes that write fail part-way through the run.
    let blocker = workspace.out().join("src/tiny/types.rs.codegen-tmp");
    std::fs::create_dir_all(&blocker).unwrap();
    let before = snapshot(&workspace.out());

    let error = workspace.run(false).expect_err("the write fails");

    assert!(error.contains("writing out/"), "{error}");
    assert_eq!(snapshot(&workspace.out()), before, "no target changed and no temporary file is left");
    std::fs::remove_dir(&blocker).unwrap();
    workspace.run(false).expect("succeeds once the obstacle is gone");
    let leftovers: Vec<_> = snapshot(&workspace.out())
        .into_keys()
        .filter(|path| path.to_string_lossy().ends_with(xtask::TEMPORARY_SUFFIX))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_temporary_file_left_by_an_interrupted_run_is_cleaned_up() {
    let workspace = Workspace::new("interrupted");
    workspace.run(false).unwrap();
    // A run killed between writing a temporary file and renaming it leaves the complete new
    // text (with its header) beside an intact target.
    let target = workspace.out().join("src/tiny/types.rs");
    let leftover = workspace.out().join(format!("src/tiny/types.rs.{}", xtask::TEMPORARY_SUFFIX));
    std::fs::copy(&target, &leftover).unwrap();
    let target_before = std::fs::read(&target).unwrap();

    let changes = workspace.changes();

    assert_eq!(changes, (Vec::new(), vec![format!("src/tiny/types.rs.{}", xtask::TEMPORARY_SUFFIX)]));
    assert!(!leftover.exists());
    assert_eq!(std::fs::read(&target).unwrap(), target_before, "the target was whole all along");
}

#[test]
fn every_written_file_is_complete_and_starts_with_the_header() {
    let workspace = Workspace::new("complete");
    workspace.run(false).unwrap();
    let expected = codegen::generate_dir(&workspace.0.join("spec"), "spec").unwrap();
    for file in &expected {
        let written = std::fs::read_to_string(workspace.out().join(&file.path)).unwrap();
        assert_eq!(written, file.contents, "{}", file.path);
        assert!(codegen::render::is_generated(&written), "{} lacks the header", file.path);
    }
    assert_eq!(snapshot(&workspace.out()).len(), expected.len(), "no other file was written");
}

/// A folder outside the workspace with one file in it, removed when dropped.
#[cfg(unix)]
struct Outside(TempDir);

#[cfg(unix)]
impl Outside {
    fn new(name: &str, file: &str, text: &str) -> Outside {
        let dir = TempDir::new(&format!("xtask-outside-{name}"));
        std::fs::write(dir.join(file), text).unwrap();
        Outside(dir)
    }
}

#[cfg(unix)]
const HEADER: &str = "// @generated by `cargo xtask codegen`. Do not edit; change spec/ and regenerate.\n";

/// The case: `out/src/tiny` is a link to a folder outside the workspace that holds a
/// hand-written `types.rs`; codegen overwrote it and exited 0.
#[cfg(unix)]
#[test]
fn a_linked_folder_cannot_lead_writes_out_of_the_output_folder() {
    for text in ["my own file, no header\n".to_owned(), format!("{HEADER}looks generated\n")] {
        let workspace = Workspace::new("linked-folder");
        let outside = Outside::new("linked-folder", "types.rs", &text);
        std::fs::create_dir_all(workspace.out().join("src")).unwrap();
        std::os::unix::fs::symlink(&outside.0, workspace.out().join("src/tiny")).unwrap();
        let before = snapshot(&workspace.out());

        let error = workspace.run(false).expect_err("refused");

        assert!(error.contains("out/src/tiny/types.rs") && error.contains("symbolic link"), "{error}");
        assert_eq!(std::fs::read_to_string(outside.0.join("types.rs")).unwrap(), text, "the outside file is untouched");
        assert_eq!(std::fs::read_dir(&outside.0).unwrap().count(), 1, "nothing was added outside");
        assert_eq!(snapshot(&workspace.out()), before, "nothing was written inside either");
        assert!(workspace.run(true).is_err(), "--check does not call it fresh");
    }
}

#[cfg(unix)]
#[test]
fn a_linked_file_is_never_replaced_nor_written_through() {
    let workspace = Workspace::new("linked-file");
    workspace.run(false).unwrap();
    let outside = Outside::new("linked-file", "types.rs", &format!("{HEADER}an old copy\n"));
    let target = workspace.out().join("src/tiny/types.rs");
    std::fs::remove_file(&target).unwrap();
    std::os::unix::fs::symlink(outside.0.join("types.rs"), &target).unwrap();

    let error = workspace.run(false).expect_err("refused");

    assert!(error.contains("out/src/tiny/types.rs") && error.contains("symbolic link"), "{error}");
    assert!(std::fs::symlink_metadata(&target).unwrap().file_type().is_symlink(), "the link is kept");
    assert_eq!(std::fs::read_to_string(outside.0.join("types.rs")).unwrap(), format!("{HEADER}an old copy\n"));
}

/// A link that stays inside the output folder still cannot reach a file without the header.
#[cfg(unix)]
#[test]
fn a_link_inside_the_output_folder_cannot_reach_a_hand_written_file() {
    let workspace = Workspace::new("inner-link");
    let mine = workspace.out().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("types.rs"), "hand-written\n").unwrap();
    std::fs::create_dir_all(workspace.out().join("src")).unwrap();
    std::os::unix::fs::symlink(&mine, workspace.out().join("src/tiny")).unwrap();

    let error = workspace.run(false).expect_err("refused");

    assert!(error.contains("out/src/tiny/types.rs"), "{error}");
    assert_eq!(std::fs::read_to_string(mine.join("types.rs")).unwrap(), "hand-written\n");
}

/// A link planted where a temporary file goes is removed, not followed.
#[cfg(unix)]
#[test]
fn a_link_at_a_temporary_file_path_is_not_followed() {
    let workspace = Workspace::new("temporary-link");
    workspace.run(false).unwrap();
    let outside = Outside::new("temporary-link", "victim.rs", "precious\n");
    let temporary = workspace.out().join(format!("src/tiny/types.rs.{}", xtask::TEMPORARY_SUFFIX));
    std::os::unix::fs::symlink(outside.0.join("victim.rs"), &temporary).unwrap();
    std::fs::write(workspace.0.join("spec/tiny.yaml"), SERVICE.replace("int64", "string")).unwrap();

    workspace.run(false).expect("regenerates");

    assert_eq!(std::fs::read_to_string(outside.0.join("victim.rs")).unwrap(), "precious\n");
    assert!(std::fs::read_to_string(workspace.out().join("src/tiny/types.rs")).unwrap().contains("String"));
    assert!(std::fs::symlink_metadata(&temporary).is_err(), "no temporary file or link is left");
}

/// A report line without its time, which varies: `out/: 1 written, … (0.0 s)` → `out/: 1 written, …`.
fn untimed(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|line| match line.rsplit_once(" (") {
            Some((head, time)) if time.ends_with(" s)") => head.to_owned(),
            _ => line,
        })
        .collect()
}

#[test]
fn the_summary_says_what_was_written_removed_and_left_unchanged() {
    let workspace = Workspace::new("summary");
    let first = workspace.run(false).unwrap();
    let total = first.folders[0].written.len();
    let lines = first.lines();
    assert!(lines[0].starts_with(&format!("out/: {total} written, 0 removed, 0 unchanged (")), "{lines:?}");
    assert!(lines[0].ends_with(" s)"), "the time is shown: {lines:?}");
    assert!(lines.contains(&"  wrote out/src/tiny/types.rs".to_owned()), "{lines:?}");

    std::fs::write(workspace.0.join("spec/tiny.yaml"), SERVICE.replace("int64", "string")).unwrap();
    let gone = workspace.out().join("src/gone.rs");
    std::fs::write(&gone, "// @generated by `cargo xtask codegen`. Do not edit; change spec/ and regenerate.\n")
        .unwrap();
    assert_eq!(
        untimed(workspace.run(false).unwrap().lines()),
        vec![
            // The README counts each service's generated lines, which the type change alters.
            format!("out/: 2 written, 1 removed, {} unchanged", total - 2),
            "  wrote out/README.md".to_owned(),
            "  wrote out/src/tiny/types.rs".to_owned(),
            "  removed out/src/gone.rs".to_owned(),
        ]
    );
    assert_eq!(untimed(workspace.run(true).unwrap().lines()), vec![format!("out/: up to date, {total} files")]);
}
