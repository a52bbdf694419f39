//! `cargo xtask`: the project's command line. It parses arguments and writes files; all
//! generation logic lives in the `codegen` library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::output::{plan, Plan};

use codegen::WORKSPACE_OUTPUTS;

const USAGE: &str = "usage: cargo xtask codegen [--check]

  codegen          regenerate generated/ from spec/ (and fixture-clients/ from the test fixtures)
  codegen --check  write nothing; fail and list stale files when the output is not up to date";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    // xtask/ sits directly below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn codegen(check: bool) -> Result<(), String> {
    let root = workspace_root();
    // Generate everything before writing anything, so an error leaves every folder as it was.
    let mut plans = Vec::new();
    for (spec_dir, out_dir) in WORKSPACE_OUTPUTS {
        let files = codegen::generate_dir(&root.join(spec_dir), spec_dir)?;
        let out = root.join(out_dir);
        let plan = plan(&out, &files).map_err(|error| format!("error: cannot read {out_dir}/: {error}"))?;
        if !plan.conflicts.is_empty() {
            return Err(format!(
                "error: these files in {out_dir}/ lack the `@generated` header, so they were not overwritten:\n{}\n  = help: move them away, or delete them if they are stale copies",
                plan.conflicts.iter().map(|p| format!("  {out_dir}/{p}")).collect::<Vec<_>>().join("\n")
            ));
        }
        plans.push((*out_dir, out, plan));
    }
    if check {
        let stale: Vec<String> = plans.iter().flat_map(|(name, _, plan)| describe(name, plan)).collect();
        if stale.is_empty() {
            return Ok(());
        }
        return Err(format!(
            "error: generated code is stale:\n{}\n  = help: run `cargo xtask codegen` and commit the result",
            stale.join("\n")
        ));
    }
    for (name, out, plan) in &plans {
        apply(out, plan).map_err(|error| format!("error: writing {name}/: {error}"))?;
        for line in describe(name, plan) {
            println!("{line}");
        }
    }
    Ok(())
}

fn describe(name: &str, plan: &Plan) -> Vec<String> {
    let writes = plan.writes.iter().map(|file| format!("  updated {name}/{}", file.path));
    let deletes = plan.deletes.iter().map(|path| format!("  removed {name}/{path}"));
    writes.chain(deletes).collect()
}

/// Writes each file through a temporary file and a rename, so no file is ever half-written.
fn apply(out: &Path, plan: &Plan) -> std::io::Result<()> {
    for file in &plan.writes {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let temporary = path.with_extension("codegen-tmp");
        std::fs::write(&temporary, &file.contents)?;
        std::fs::rename(&temporary, &path)?;
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
