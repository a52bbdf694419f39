//! `cargo xtask diff`: its arguments, the two specs it compares (two paths, or `spec/` at a git
//! ref against the working tree), and the rendered report. The comparison itself is
//! `codegen::diff`.

use std::path::{Path, PathBuf};

use codegen::diff::report;

/// Options of `cargo xtask diff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOptions {
    pub sides: Sides,
    pub format: DiffFormat,
    /// `--fail-on`: which changes fail the run (`None`: none do).
    pub fail_on: Option<FailOn>,
}

/// What `--fail-on` fails on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// A breaking change on either axis (wire `breaking` or rust `major`).
    Breaking,
    /// Only changes that break existing HTTP clients.
    Wire,
    /// Only changes that need a major bump of the generated crate.
    Rust,
}

/// What to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sides {
    /// `spec/` at this git ref against `spec/` in the working tree.
    Base(String),
    /// Two spec folders, or two service files (each with the `crate.yaml` beside it, if any).
    Paths(PathBuf, PathBuf),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Markdown,
    Json,
    Text,
}

/// The outcome of a run: the report to print, and whether `--fail-on` fails it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOutcome {
    pub rendered: String,
    pub fail: bool,
}

/// Parses the arguments after `diff`.
pub fn parse_diff_args(args: &[&str]) -> Result<DiffOptions, String> {
    let mut base = None;
    let mut format = DiffFormat::Markdown;
    let mut fail_on = None;
    let mut paths = Vec::new();
    let mut rest = args.iter().copied();
    while let Some(arg) = rest.next() {
        // `--name value` and `--name=value` alike.
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (arg, None),
        };
        let mut value = || inline.or_else(|| rest.next()).ok_or(format!("`{name}` needs a value"));
        match name {
            "--base" => base = Some(value()?.to_owned()),
            "--format" => {
                format = match value()? {
                    "markdown" | "md" => DiffFormat::Markdown,
                    "json" => DiffFormat::Json,
                    "text" => DiffFormat::Text,
                    other => return Err(format!("`--format` takes markdown, json or text, not `{other}`")),
                }
            }
            "--fail-on" => {
                fail_on = Some(match value()? {
                    "breaking" => FailOn::Breaking,
                    "wire" => FailOn::Wire,
                    "rust" => FailOn::Rust,
                    other => return Err(format!("`--fail-on` takes breaking, wire or rust, not `{other}`")),
                })
            }
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            path => paths.push(PathBuf::from(path)),
        }
    }
    let sides = match (base, <[PathBuf; 2]>::try_from(paths)) {
        (Some(base), Err(paths)) if paths.is_empty() => Sides::Base(base),
        (None, Ok([old, new])) => Sides::Paths(old, new),
        _ => return Err("give either `--base <git-ref>` or two spec paths".to_owned()),
    };
    Ok(DiffOptions { sides, format, fail_on })
}

/// Runs a diff: `--base` reads the git repository and `spec/` at `root`; relative paths are
/// taken from `root`.
pub fn diff(root: &Path, options: &DiffOptions) -> Result<DiffOutcome, String> {
    let report = match &options.sides {
        Sides::Base(base) => {
            let old_label = format!("{base}:spec");
            let old = with_spec_at_ref(root, base, |dir| load_model(dir, &old_label, "old"))?;
            let new = load_model(&root.join("spec"), "spec", "new")?;
            codegen::diff::diff(&old, &new).with_labels(old_label, "spec")
        }
        Sides::Paths(old, new) => {
            let (old_label, new_label) = (old.display().to_string(), new.display().to_string());
            let old = load_model(&root.join(old), &old_label, "old")?;
            let new = load_model(&root.join(new), &new_label, "new")?;
            codegen::diff::diff(&old, &new).with_labels(old_label, new_label)
        }
    };
    let rendered = match options.format {
        DiffFormat::Markdown => report::markdown(&report),
        DiffFormat::Json => report::json(&report),
        DiffFormat::Text => report::text(&report),
    };
    let fail = report.changes.iter().any(|change| match options.fail_on {
        None => false,
        Some(FailOn::Breaking) => change.category() == codegen::diff::Category::Breaking,
        Some(FailOn::Wire) => change.wire == codegen::diff::rules::Wire::Breaking,
        Some(FailOn::Rust) => change.rust == codegen::diff::rules::Bump::Major,
    });
    Ok(DiffOutcome { rendered, fail })
}

/// Loads and lowers a spec folder, or a single service file with the `crate.yaml` beside it
/// (a placeholder crate when there is none). `side` names it when it does not validate.
pub fn load_model(path: &Path, display: &str, side: &str) -> Result<codegen::model::Model, String> {
    let invalid = |message: String| format!("error: the {side} side (`{display}`) is not a valid spec\n\n{message}");
    let (mut set, sources) =
        codegen::load::load_path(path, display).map_err(|diagnostics| invalid(diagnostics.to_string()))?;
    // Where an item was read, and whether an importer guessed a fact, is not part of the API:
    // re-importing a hand-written spec must not show up as a change.
    for file in &mut set.services {
        file.spec.strip_provenance();
    }
    codegen::lower::lower(&set).map_err(|diagnostics| invalid(sources.locate(diagnostics).to_string()))
}

/// Writes `spec/` as it is at `git_ref` into a temporary folder, runs `f` on it, and removes it.
fn with_spec_at_ref<T>(root: &Path, git_ref: &str, f: impl FnOnce(&Path) -> Result<T, String>) -> Result<T, String> {
    // Unique per call: several diffs may run at once (tests do).
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let scratch = std::env::temp_dir().join(format!("xtask-diff-{}-{call}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let result = spec_at_ref(root, git_ref, &scratch).and_then(|()| f(&scratch));
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// Writes the YAML files of `spec/` at `git_ref` into `scratch/`.
fn spec_at_ref(root: &Path, git_ref: &str, scratch: &Path) -> Result<(), String> {
    let git = |args: &[&str]| run_git(root, args);
    if git_ref.starts_with('-') {
        return Err(format!("error: `{git_ref}` is not a git ref"));
    }
    git(&["rev-parse", "--verify", "--quiet", &format!("{git_ref}^{{commit}}")])
        .map_err(|_| format!("error: `{git_ref}` is not a commit in this repository (fetch it first?)"))?;
    // `load_dir` reads the files directly in the folder. Paths come from the repository's top
    // level, as `git show <ref>:<path>` wants them, even when the workspace is a subfolder.
    let listing = git(&["ls-tree", "--full-name", git_ref, "--", "spec/"])?;
    let listing = String::from_utf8_lossy(&listing).into_owned();
    let files: Vec<&str> = listing
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .filter(|(info, path)| {
            info.split(' ').nth(1) == Some("blob") && (path.ends_with(".yaml") || path.ends_with(".yml"))
        })
        .map(|(_, path)| path)
        .collect();
    if files.is_empty() {
        return Err(format!("error: `{git_ref}` has no spec files in spec/"));
    }
    std::fs::create_dir_all(scratch).map_err(|error| format!("error: {}: {error}", scratch.display()))?;
    for path in files {
        let contents = git(&["show", &format!("{git_ref}:{path}")])?;
        let name = path.rsplit('/').next().unwrap_or(path);
        let target = scratch.join(name);
        std::fs::write(&target, contents).map_err(|error| format!("error: {}: {error}", target.display()))?;
    }
    Ok(())
}

/// The most bytes read from one git command: a spec file is never larger
/// (`codegen::load::MAX_FILE_BYTES`), and a listing of `spec/` far smaller.
pub const MAX_GIT_OUTPUT: u64 = codegen::load::MAX_FILE_BYTES;

/// Runs `git -C root args` and returns what it printed, at most [`MAX_GIT_OUTPUT`] bytes: a
/// larger blob at the ref stops the run with an error instead of filling the memory.
fn run_git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let shown = format!("git {}", args.join(" "));
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("error: cannot run git: {error}"))?;
    // stderr on its own thread, so git never waits on a full stderr pipe while stdout is read;
    // only its start is kept.
    let stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut kept = Vec::new();
        if let Some(mut stderr) = stderr {
            let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut kept);
            let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        }
        kept
    });
    let mut output = Vec::new();
    let read = match child.stdout.take() {
        Some(stdout) => stdout.take(MAX_GIT_OUTPUT + 1).read_to_end(&mut output).map(drop),
        None => Ok(()),
    };
    if output.len() as u64 > MAX_GIT_OUTPUT {
        let _ = child.kill();
        let _ = child.wait();
        let _ = errors.join();
        return Err(format!(
            "error: `{shown}` printed more than {} MiB, more than a spec file may hold\n  = help: a spec file at the base ref is too large to be a spec; compare two folders instead, or fix the file at that ref",
            MAX_GIT_OUTPUT / (1024 * 1024)
        ));
    }
    let status = child.wait().map_err(|error| format!("error: cannot run git: {error}"))?;
    let stderr = errors.join().unwrap_or_default();
    read.map_err(|error| format!("error: reading the output of `{shown}`: {error}"))?;
    if !status.success() {
        return Err(format!("error: {shown}: {}", String::from_utf8_lossy(&stderr).trim()));
    }
    Ok(output)
}
