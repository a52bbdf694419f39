//! What `cargo xtask` does, as functions of a workspace root so tests can run them on a
//! temporary folder. Generation itself lives in the `codegen` library; this crate only
//! decides what to write and writes it.

use std::path::Path;

use codegen::output::{plan, Plan};

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
        let temporary = target.with_extension(TEMPORARY_SUFFIX);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&temporary, &file.contents));
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

/// Options of `cargo xtask diff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOptions {
    /// Compare `spec/` at this git ref with the working tree.
    pub base: Option<String>,
    /// Or compare two spec folders or service files.
    pub paths: Option<(String, String)>,
    pub format: DiffFormat,
    pub fail_on_breaking: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Markdown,
    Json,
    Text,
}

/// Parses the arguments after `diff`.
pub fn parse_diff_args(args: &[&str]) -> Result<DiffOptions, String> {
    let mut options = DiffOptions { base: None, paths: None, format: DiffFormat::Markdown, fail_on_breaking: false };
    let mut positional = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--base" => options.base = Some(rest.next().ok_or("--base needs a git ref")?.to_string()),
            "--format" => {
                options.format = match rest.next().copied() {
                    Some("markdown" | "md") => DiffFormat::Markdown,
                    Some("json") => DiffFormat::Json,
                    Some("text") => DiffFormat::Text,
                    other => return Err(format!("--format takes markdown, json or text, not {other:?}")),
                }
            }
            "--fail-on" => match rest.next().copied() {
                Some("breaking") => options.fail_on_breaking = true,
                other => return Err(format!("--fail-on takes `breaking`, not {other:?}")),
            },
            other if other.starts_with("--") => return Err(format!("unknown option `{other}`")),
            other => positional.push(other.to_owned()),
        }
    }
    match (positional.len(), &options.base) {
        (2, None) => options.paths = Some((positional[0].clone(), positional[1].clone())),
        (0, Some(_)) => {}
        _ => return Err("give either `--base <git-ref>` or two spec paths".to_owned()),
    }
    Ok(options)
}

/// Runs a diff; returns the rendered report and whether `--fail-on breaking` should fail.
pub fn diff(root: &Path, options: &DiffOptions) -> Result<(String, bool), String> {
    let (old, new) = match (&options.base, &options.paths) {
        (Some(base), _) => {
            // Unique per call: several diffs may run at once (tests do).
            static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let scratch =
                std::env::temp_dir().join(format!("xtask-diff-{}-{call}-{}", std::process::id(), sanitize(base)));
            let _ = std::fs::remove_dir_all(&scratch);
            let result = spec_at_ref(root, base, &scratch).and_then(|()| {
                let old = load_model(&scratch.join("spec"), &format!("{base}:spec"))?;
                let new = load_model(&root.join("spec"), "spec")?;
                Ok((old, new))
            });
            let _ = std::fs::remove_dir_all(&scratch);
            result?
        }
        (None, Some((old, new))) => (load_model(&root.join(old), old)?, load_model(&root.join(new), new)?),
        (None, None) => return Err("nothing to compare".to_owned()),
    };
    let report = codegen::diff::diff(&old, &new);
    let rendered = match options.format {
        DiffFormat::Markdown => codegen::diff::report::markdown(&report),
        DiffFormat::Json => codegen::diff::report::json(&report),
        DiffFormat::Text => codegen::diff::report::text(&report),
    };
    let fail = options.fail_on_breaking && report.count(codegen::diff::Category::Breaking) > 0;
    Ok((rendered, fail))
}

fn sanitize(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// Loads and lowers a spec folder, or a single service file (with the `crate.yaml` beside it
/// when there is one).
pub fn load_model(path: &Path, display: &str) -> Result<codegen::model::Model, String> {
    let set = if path.is_dir() {
        codegen::load::load_dir(path, display).map_err(|diagnostics| diagnostics.to_string())?
    } else {
        let text = std::fs::read_to_string(path).map_err(|error| format!("error: cannot read {display}: {error}"))?;
        let service = codegen::load::parse(display, &text).map_err(|diagnostic| diagnostic.to_string())?;
        let crate_file = path.with_file_name(codegen::load::CRATE_FILE);
        let krate = match std::fs::read_to_string(&crate_file) {
            Ok(text) => codegen::load::parse(&crate_file.display().to_string(), &text).map_err(|d| d.to_string())?,
            Err(_) => codegen::spec::CrateSpec {
                name: "api-clients".to_owned(),
                version: "0.0.0".to_owned(),
                description: String::new(),
                license: None,
            },
        };
        codegen::load::SpecSet {
            krate: codegen::load::SpecFile { file: codegen::load::CRATE_FILE.to_owned(), spec: krate },
            services: vec![codegen::load::SpecFile { file: display.to_owned(), spec: service }],
        }
    };
    codegen::lower::lower(&set).map_err(|diagnostics| diagnostics.to_string())
}

/// Writes `spec/` as it is at `git_ref` into `scratch/spec/`.
fn spec_at_ref(root: &Path, git_ref: &str, scratch: &Path) -> Result<(), String> {
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|error| format!("error: cannot run git: {error}"))?;
        if !output.status.success() {
            return Err(format!("error: git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim()));
        }
        Ok(output.stdout)
    };
    let listing = git(&["ls-tree", "-r", "--name-only", git_ref, "--", "spec/"])?;
    let listing = String::from_utf8_lossy(&listing).into_owned();
    if listing.trim().is_empty() {
        return Err(format!("error: `{git_ref}` has no spec/ folder"));
    }
    for path in listing.lines().filter(|path| path.ends_with(".yaml") || path.ends_with(".yml")) {
        let contents = git(&["show", &format!("{git_ref}:{path}")])?;
        let target = scratch.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|error| error.to_string())?;
        }
        std::fs::write(&target, contents).map_err(|error| error.to_string())?;
    }
    Ok(())
}
