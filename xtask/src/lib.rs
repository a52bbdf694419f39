//! What `cargo xtask` does, as functions of a workspace root so tests can run them on a
//! temporary folder. Generation and the API diff live in the `codegen` library; this crate
//! decides what to write and writes it, and gathers the two specs a diff compares.

pub mod diff;
pub mod import;
pub mod scale;

use std::path::Path;

use codegen::output::{plan, Plan};

pub use diff::{diff, parse_diff_args, DiffFormat, DiffOptions, DiffOutcome, FailOn, Sides};
pub use import::{parse_import_args, run_import, ImportOptions, ImportOutcome};

/// Regenerates every `(spec folder, output folder)` pair below `root`, or with `check` only
/// compares. Returns the lines to print; fails with the message to print.
///
/// Everything is generated and planned before anything is written, so an invalid spec or a
/// file that lacks the `@generated` header leaves every output folder as it was.
pub fn codegen(root: &Path, outputs: &[(&str, &str)], check: bool) -> Result<Vec<String>, String> {
    let mut plans = Vec::new();
    for (spec_dir, out_dir) in outputs {
        let files = codegen::generate_dir(&root.join(spec_dir), spec_dir)?;
        let out = root.join(out_dir);
        let plan = plan(&out, &files).map_err(|error| format!("error: cannot read {out_dir}/: {error}"))?;
        if !plan.outside.is_empty() {
            return Err(format!(
                "error: these files in {out_dir}/ are symbolic links, or lie behind a link that leads out of {out_dir}/, so nothing was written:\n{}\n  = help: replace the links with real folders and files, or remove them",
                plan.outside.iter().map(|p| format!("  {out_dir}/{p}")).collect::<Vec<_>>().join("\n")
            ));
        }
        if !plan.conflicts.is_empty() {
            return Err(format!(
                "error: these files in {out_dir}/ lack the `@generated` header, so they were not overwritten:\n{}\n  = help: move them away, or delete them if they are stale copies",
                plan.conflicts.iter().map(|p| format!("  {out_dir}/{p}")).collect::<Vec<_>>().join("\n")
            ));
        }
        plans.push((*out_dir, out, plan));
    }
    let changes: Vec<String> = plans.iter().flat_map(|(name, _, plan)| describe(name, plan)).collect();
    if check {
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        return Err(format!(
            "error: generated code is stale:\n{}\n  = help: run `cargo xtask codegen` and commit the result",
            changes.join("\n")
        ));
    }
    for (name, out, plan) in &plans {
        apply(out, plan).map_err(|error| format!("error: writing {name}/: {error}"))?;
    }
    Ok(changes)
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

fn describe(name: &str, plan: &Plan) -> Vec<String> {
    let writes = plan.writes.iter().map(|file| format!("  updated {name}/{}", file.path));
    let deletes = plan.deletes.iter().map(|path| format!("  removed {name}/{path}"));
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
