//! `cargo xtask corpus`: every OpenAPI document of a corpus imported, generated, then linted
//! and documented as its own crate, with a table of what was mapped and what each step gave.
//! A check to run by hand on documents CI does not have (progenitor's `sample_openapi/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bench::{cargo, rust_lines, seconds, service_name, timed, write_openapi_crate};

/// One document's row: what the import mapped, and how each step went.
struct Row {
    document: String,
    /// `None` when the import or generation failed (the reason is in `generated`).
    mapped: Option<(usize, usize)>,
    types: usize,
    lines: usize,
    generated: Result<(), String>,
    clippy: Step,
    doc: Step,
    /// Constructs left out, by kind, with how often.
    unmapped: BTreeMap<String, usize>,
}

/// A cargo step's outcome: not run (an earlier step failed), passed (with its wall time), or
/// failed (with cargo's first error line).
enum Step {
    Skipped,
    Passed(std::time::Duration),
    Failed(String),
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::Skipped => f.write_str("-"),
            Step::Passed(wall) => write!(f, "ok ({})", seconds(*wall)),
            Step::Failed(first) => write!(f, "FAILED: {first}"),
        }
    }
}

/// Imports and generates each document into `out/<service>/` (default: `apidoc-corpus/` in the
/// system's temporary folder: outside the workspace, which cargo would otherwise take the
/// crates to belong to; kept, to read or build by hand), then
/// runs `cargo clippy --all-features --all-targets -- -D warnings` and `cargo doc --no-deps
/// --all-features` with `-D warnings` on each crate, in one shared target folder, and prints
/// the table. Each crate gets the workspace's `Cargo.lock`, so the dependency versions are the
/// ones the workspace is tested with. Returns whether every document passed every step.
pub fn corpus(root: &Path, documents: &[PathBuf], out: Option<&Path>, print: impl Fn(&str)) -> Result<bool, String> {
    if documents.is_empty() {
        return Err("error: name the OpenAPI documents to check\n  = help: progenitor's are in its repository's sample_openapi/ (github.com/oxidecomputer/progenitor), e.g. `cargo xtask corpus sample_openapi/*.json sample_openapi/*.yaml`".to_owned());
    }
    let cwd = std::env::current_dir().map_err(|error| error.to_string())?;
    let out = out.map_or_else(|| std::env::temp_dir().join("apidoc-corpus"), |out| cwd.join(out));
    let target = root.join("target/corpus-target");
    let lock = root.join("Cargo.lock");
    let mut rows = Vec::new();
    for document in documents {
        let name =
            document.file_name().map_or_else(|| document.display().to_string(), |n| n.to_string_lossy().into_owned());
        let stem = document.file_stem().and_then(|stem| stem.to_str()).unwrap_or("api");
        let service = service_name(stem);
        let crate_dir = out.join(&service);
        print(&format!("{name}: importing and generating into {} ...", crate_dir.display()));
        let mut row = Row {
            document: name.clone(),
            mapped: None,
            types: 0,
            lines: 0,
            generated: Ok(()),
            clippy: Step::Skipped,
            doc: Step::Skipped,
            unmapped: BTreeMap::new(),
        };
        match write_openapi_crate(&cwd, std::slice::from_ref(document), &service, &crate_dir) {
            Ok(written) => {
                let skipped_operations =
                    written.imported.report.skipped.iter().filter(|skipped| skipped.construct == "operation").count();
                let mapped = written.imported.spec.operations.len();
                row.mapped = Some((mapped, mapped + skipped_operations));
                row.types = written.imported.spec.types.len();
                for skipped in &written.imported.report.skipped {
                    *row.unmapped.entry(skipped.construct.clone()).or_default() += 1;
                }
                row.lines = rust_lines(&crate_dir.join("src"));
            }
            Err(message) => row.generated = Err(message.lines().next().unwrap_or("failed").to_owned()),
        }
        if row.generated.is_ok() {
            std::fs::copy(&lock, crate_dir.join("Cargo.lock"))
                .map_err(|error| format!("error: copying {} into {}: {error}", lock.display(), crate_dir.display()))?;
            print(&format!("{name}: cargo clippy ..."));
            row.clippy =
                cargo_step(&crate_dir, &target, &["clippy", "--all-features", "--all-targets", "--", "-D", "warnings"]);
            print(&format!("{name}: cargo doc ..."));
            row.doc = cargo_step(&crate_dir, &target, &["doc", "--no-deps", "--all-features"]);
        }
        rows.push(row);
    }
    print("");
    print("| document | operations mapped | types | generated lines | clippy -D warnings | doc -D warnings | unmapped constructs |");
    print("|---|---|---|---|---|---|---|");
    let mut all_passed = true;
    for row in &rows {
        let passed =
            row.generated.is_ok() && matches!(row.clippy, Step::Passed(_)) && matches!(row.doc, Step::Passed(_));
        all_passed &= passed;
        let mapped = match (&row.mapped, &row.generated) {
            (Some((mapped, total)), _) => format!("{mapped} of {total}"),
            (None, Err(message)) => format!("FAILED: {message}"),
            (None, Ok(())) => "-".to_owned(),
        };
        let unmapped = if row.unmapped.is_empty() {
            "none".to_owned()
        } else {
            row.unmapped.iter().map(|(kind, count)| format!("{count} {kind}")).collect::<Vec<_>>().join(", ")
        };
        print(&format!(
            "| {} | {mapped} | {} | {} | {} | {} | {unmapped} |",
            row.document, row.types, row.lines, row.clippy, row.doc
        ));
    }
    Ok(all_passed)
}

/// Runs one cargo command in `dir` with warnings denied (rustdoc's too).
fn cargo_step(dir: &Path, target: &Path, args: &[&str]) -> Step {
    let mut command = Command::new(cargo());
    command.current_dir(dir).env("CARGO_TARGET_DIR", target).env("RUSTDOCFLAGS", "-D warnings").args(args);
    match timed(&mut command) {
        Ok((timing, output)) if output.status.success() => Step::Passed(timing.wall),
        Ok((_, output)) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|line| line.starts_with("error")).unwrap_or("see cargo's output");
            Step::Failed(first.to_owned())
        }
        Err(message) => Step::Failed(message),
    }
}
