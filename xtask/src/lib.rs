//! What `cargo xtask` does, as functions of a workspace root so tests can run them on a
//! temporary folder. Generation and the API diff live in the `codegen` library; this crate
//! decides what to write and writes it, and gathers the two specs a diff compares.

pub mod bench;
pub mod cli;
pub mod corpus;
pub mod curve;
pub mod diff;
pub mod groups;
pub mod import;
pub mod scale;

use std::path::Path;
use std::time::{Duration, Instant};

use codegen::diagnostics::{Diagnostic, Location};
use codegen::output::{plan, Plan};
use codegen::Diagnostics;

pub use diff::{diff, parse_diff_args, DiffFormat, DiffOptions, DiffOutcome, FailOn, Sides};
pub use import::{parse_import_args, run_import, ImportOptions, ImportOutcome};

/// What `codegen` did (or, with `check`, found) in each output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenReport {
    /// Only compared, nothing written (`--check`); every folder was up to date.
    pub check: bool,
    pub folders: Vec<FolderReport>,
}

/// Why `codegen` stopped: the problems of a spec folder, or one output folder's problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodegenError {
    Spec(Diagnostics),
    Output(Diagnostic),
}

impl std::fmt::Display for CodegenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodegenError::Spec(diagnostics) => write!(f, "{diagnostics}"),
            // A diagnostic ends its last line; the caller's `eprintln!` ends this one.
            CodegenError::Output(diagnostic) => write!(f, "{}", diagnostic.to_string().trim_end()),
        }
    }
}

impl std::error::Error for CodegenError {}

/// An output folder's problem: what, the files it concerns (listed under the message), the
/// folder, and what to do.
fn output_error(out_dir: &str, message: String, files: &[String], hint: &str) -> CodegenError {
    let listed: String = files.iter().map(|file| format!("\n  {file}")).collect();
    CodegenError::Output(Diagnostic {
        message: format!("{message}{listed}"),
        location: Location::File { file: format!("{out_dir}/") },
        hint: Some(hint.to_owned()),
    })
}

/// One output folder's part of a [`CodegenReport`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderReport {
    /// As given, e.g. `generated`.
    pub folder: String,
    /// Files written (new or changed), relative to the folder.
    pub written: Vec<String>,
    /// Generated files removed because the spec no longer produces them.
    pub removed: Vec<String>,
    /// Generated files whose bytes were already right.
    pub unchanged: usize,
    /// Generating, comparing and writing this folder.
    pub elapsed: Duration,
}

impl CodegenReport {
    /// The lines to print: per folder `generated/: 3 written, 1 removed, 16 unchanged (0.4 s)`
    /// and the files written and removed, or with `check` `generated/: up to date, 20 files`.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for folder in &self.folders {
            let name = &folder.folder;
            let seconds = folder.elapsed.as_secs_f64();
            if self.check {
                lines.push(format!("{name}/: up to date, {} files ({seconds:.1} s)", folder.unchanged));
                continue;
            }
            lines.push(format!(
                "{name}/: {} written, {} removed, {} unchanged ({seconds:.1} s)",
                folder.written.len(),
                folder.removed.len(),
                folder.unchanged
            ));
            lines.extend(folder.written.iter().map(|path| format!("  wrote {name}/{path}")));
            lines.extend(folder.removed.iter().map(|path| format!("  removed {name}/{path}")));
        }
        lines
    }
}

/// Regenerates every `(spec folder, output folder)` pair below `root`, or with `check` only
/// compares. Returns what was done; fails with the message to print (with `check`, the list
/// of stale files).
///
/// Everything is generated and planned before anything is written, so an invalid spec or a
/// file that lacks the `@generated` header leaves every output folder as it was.
pub fn codegen(root: &Path, outputs: &[(&str, &str)], check: bool) -> Result<CodegenReport, CodegenError> {
    let mut plans = Vec::new();
    for (spec_dir, out_dir) in outputs {
        let started = Instant::now();
        let files = codegen::generate_dir(&root.join(spec_dir), spec_dir).map_err(CodegenError::Spec)?;
        let out = root.join(out_dir);
        let (plan, report) = plan_folder(&out, out_dir, &files, started)?;
        plans.push((out, plan, report));
    }
    if check {
        let stale: Vec<String> = plans.iter().flat_map(|(_, plan, report)| stale(&report.folder, plan)).collect();
        if !stale.is_empty() {
            // Only the folders with stale files: the `-->` line says where to look.
            let folders: Vec<&str> = plans
                .iter()
                .filter(|(_, plan, _)| !plan.writes.is_empty() || !plan.deletes.is_empty())
                .map(|(_, _, report)| report.folder.as_str())
                .collect();
            return Err(output_error(
                &folders.join("/, "),
                "generated code is stale:".to_owned(),
                &stale,
                "run `cargo xtask codegen` and commit the result",
            ));
        }
    } else {
        for (out, plan, report) in &mut plans {
            let started = Instant::now();
            apply(out, plan).map_err(|error| {
                output_error(
                    &report.folder,
                    format!("writing {}/: {error}", report.folder),
                    &[],
                    "check the free space and the folder's permissions, then run again",
                )
            })?;
            report.elapsed += started.elapsed();
        }
    }
    Ok(CodegenReport { check, folders: plans.into_iter().map(|(_, _, report)| report).collect() })
}

/// What writing `files` into `out` (shown as `out_dir`) would do, refused when a file to write
/// is a link, lies behind one, or lacks the `@generated` header.
pub fn plan_folder(
    out: &Path,
    out_dir: &str,
    files: &[codegen::GeneratedFile],
    started: Instant,
) -> Result<(Plan, FolderReport), CodegenError> {
    let plan = plan(out, files).map_err(|error| {
        output_error(out_dir, format!("cannot read {out_dir}/: {error}"), &[], "check the folder's permissions")
    })?;
    let listed = |paths: &[String]| paths.iter().map(|path| format!("{out_dir}/{path}")).collect::<Vec<_>>();
    if !plan.outside.is_empty() {
        return Err(output_error(
                out_dir,
                format!("these files in {out_dir}/ are symbolic links, or lie behind a link that leads out of {out_dir}/, so nothing was written:"),
                &listed(&plan.outside),
                "replace the links with real folders and files, or remove them",
            ));
    }
    if !plan.conflicts.is_empty() {
        return Err(output_error(
            out_dir,
            format!("these files in {out_dir}/ lack the `@generated` header, so they were not overwritten:"),
            &listed(&plan.conflicts),
            "move them away, or delete them if they are stale copies",
        ));
    }
    let report = FolderReport {
        folder: out_dir.to_owned(),
        written: plan.writes.iter().map(|file| file.path.clone()).collect(),
        removed: plan.deletes.clone(),
        unchanged: files.len() - plan.writes.len(),
        elapsed: started.elapsed(),
    };
    Ok((plan, report))
}

/// Writes a temporary file that did not exist before. A left-over file or link of that name is
/// removed first (removing a link leaves what it points to alone), and `create_new` refuses to
/// follow one planted in between, so the text cannot land anywhere else.
fn write_new(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    if std::fs::symlink_metadata(path).is_ok_and(|metadata| !metadata.is_dir()) {
        std::fs::remove_file(path)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(contents.as_bytes())
}

/// The stale files of a plan, as `--check` lists them.
fn stale(name: &str, plan: &Plan) -> Vec<String> {
    let writes = plan.writes.iter().map(|file| format!("{name}/{} (changed or missing)", file.path));
    let deletes = plan.deletes.iter().map(|path| format!("{name}/{path} (no longer generated)"));
    writes.chain(deletes).collect()
}

/// The suffix of the temporary files a run writes next to their targets.
pub const TEMPORARY_SUFFIX: &str = "codegen-tmp";

/// Applies a plan in two steps: every new text is first written in full to a temporary file
/// beside its target; only when all are written are they renamed over their targets (each
/// rename is atomic). A failure while writing removes the temporary files and leaves the
/// folder as it was; no file is ever half-written.
pub fn apply(out: &Path, plan: &Plan) -> std::io::Result<()> {
    let mut staged = Vec::new();
    for file in &plan.writes {
        let target = out.join(&file.path);
        // `types.rs.codegen-tmp`: the whole file name is kept, so `a.rs` and `a.md` cannot
        // share a temporary file.
        let temporary = out.join(format!("{}.{TEMPORARY_SUFFIX}", file.path));
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| write_new(&temporary, &file.contents));
        if let Err(error) = written {
            for (temporary, _) in &staged {
                let _ = std::fs::remove_file(temporary);
            }
            let _ = std::fs::remove_file(&temporary);
            return Err(error);
        }
        staged.push((temporary, target));
    }
    for (temporary, target) in &staged {
        if let Err(error) = std::fs::rename(temporary, target) {
            for (temporary, _) in &staged {
                let _ = std::fs::remove_file(temporary);
            }
            return Err(error);
        }
    }
    for relative in &plan.deletes {
        let path = out.join(relative);
        std::fs::remove_file(&path)?;
        // Drop folders the deletion left empty (but never the output folder itself).
        let mut dir = path.parent();
        while let Some(current) = dir {
            if current == out || std::fs::read_dir(current)?.next().is_some() {
                break;
            }
            std::fs::remove_dir(current)?;
            dir = current.parent();
        }
    }
    Ok(())
}
