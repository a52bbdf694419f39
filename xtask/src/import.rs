//! `cargo xtask import`: reads the documents and facts sources, runs the importer, validates
//! the result like any spec file and writes `spec/<service>.yaml` when it changed.

use std::path::{Path, PathBuf};

use codegen::import::{self, Counts, Document, Facts, Overlay};
use codegen::load::{self, SpecFile};

/// The parsed command line of `cargo xtask import`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    pub format: String,
    /// Files or folders (a folder's files are read in name order, recursively).
    pub inputs: Vec<PathBuf>,
    pub service: String,
    pub facts: Vec<PathBuf>,
    /// Default: `spec/overlays/<service>.yaml` when it exists.
    pub overlay: Option<PathBuf>,
    pub check: bool,
}

/// What an import run ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The report and what was written, to print.
    pub lines: Vec<String>,
    /// Problems to print on stderr (skipped documents, a stale `--check`).
    pub errors: Vec<String>,
    /// Exit non-zero: a document was skipped, or `--check` found the file stale.
    pub fail: bool,
}

pub fn parse_import_args(args: &[&str]) -> Result<ImportOptions, String> {
    let mut positional = Vec::new();
    let mut service = None;
    let mut facts = Vec::new();
    let mut overlay = None;
    let mut check = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--service" => service = Some(args.next().ok_or("`--service` needs a service id")?.to_string()),
            "--facts" => facts.push(PathBuf::from(args.next().ok_or("`--facts` needs a file or folder")?)),
            "--overlay" => overlay = Some(PathBuf::from(args.next().ok_or("`--overlay` needs a file")?)),
            "--check" => check = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            value => positional.push(value.to_owned()),
        }
    }
    let mut positional = positional.into_iter();
    let format = positional.next().ok_or("name the format: `cargo xtask import <format> <inputs...>`")?;
    let inputs: Vec<PathBuf> = positional.map(PathBuf::from).collect();
    if inputs.is_empty() {
        return Err("name the documents (files or folders) to import".to_owned());
    }
    let service = service.ok_or("`--service <id>` is required: it names spec/<id>.yaml")?;
    Ok(ImportOptions { format, inputs, service, facts, overlay, check })
}

/// Runs an import below workspace `root`; `cwd` resolves the paths on the command line.
pub fn run_import(root: &Path, cwd: &Path, options: &ImportOptions) -> Result<ImportOutcome, String> {
    let format = import::format(&options.format).ok_or_else(|| {
        let names: Vec<&str> = import::FORMATS.iter().map(|format| format.name()).collect();
        format!("error: unknown import format `{}`\n  = help: the formats are {}", options.format, names.join(", "))
    })?;
    let docs = read_inputs(cwd, &options.inputs)?;
    let facts_sources = read_inputs(cwd, &options.facts)?;
    let facts = Facts::read(&facts_sources).map_err(|diagnostics| list(&diagnostics))?;
    let overlay_path = match &options.overlay {
        Some(path) => Some(cwd.join(path)),
        None => {
            Some(root.join("spec/overlays").join(format!("{}.yaml", options.service))).filter(|path| path.is_file())
        }
    };
    let overlay = match &overlay_path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("error: cannot read {}: {error}", path.display()))?;
            let document = Document::new(display(root, path), text);
            Some(Overlay::parse(&document).map_err(|diagnostics| list(&diagnostics))?)
        }
        None => None,
    };
    let command = format!("cargo xtask import {}", options.format);
    let outcome = import::run(format, &docs, &facts, &options.service, overlay.as_ref(), &command)
        .map_err(|diagnostics| list(&diagnostics))?;

    // The result is a spec file like any other: load it back and lower it with the rest of spec/.
    let target = root.join("spec").join(format!("{}.yaml", options.service));
    let target_display = format!("spec/{}.yaml", options.service);
    validate(root, &target_display, &outcome.yaml)?;

    let mut lines = vec![outcome.report.render(Counts::of(&outcome.spec))];
    let mut errors: Vec<String> = outcome.problems.0.iter().map(ToString::to_string).collect();
    let mut fail = !outcome.problems.is_empty();
    let current = std::fs::read_to_string(&target).ok();
    let changed = current.as_deref() != Some(outcome.yaml.as_str());
    if options.check {
        if changed {
            errors.push(format!(
                "error: {target_display} does not match its documents\n  = help: run `cargo xtask import` without `--check` and commit the result"
            ));
            fail = true;
        }
    } else if changed {
        write_atomically(&target, &outcome.yaml)
            .map_err(|error| format!("error: writing {target_display}: {error}"))?;
        lines.push(format!("updated {target_display}"));
    } else {
        lines.push(format!("{target_display} is up to date"));
    }
    Ok(ImportOutcome { lines, errors, fail })
}

/// Loads `yaml` as `display` and lowers it with `spec/crate.yaml` and the other service files.
fn validate(root: &Path, display: &str, yaml: &str) -> Result<(), String> {
    let spec = load::parse(display, yaml)
        .map_err(|diagnostic| format!("{diagnostic}error: the imported spec does not load; nothing was written"))?;
    let mut set = match load::load_dir(&root.join("spec"), "spec") {
        Ok(set) => set,
        Err(diagnostics) => return Err(format!("{}\nerror: spec/ does not load; fix it first", list(&diagnostics))),
    };
    set.services.retain(|file| file.file != display);
    set.services.push(SpecFile { file: display.to_owned(), spec });
    set.services.sort_by(|a, b| a.file.cmp(&b.file));
    codegen::lower::lower(&set).map(drop).map_err(|diagnostics| {
        format!("{}\nerror: the imported spec does not validate; nothing was written", list(&diagnostics))
    })
}

/// Files of `inputs`, each a file or a folder read recursively in name order.
fn read_inputs(cwd: &Path, inputs: &[PathBuf]) -> Result<Vec<Document>, String> {
    let mut documents = Vec::new();
    for input in inputs {
        let mut files = Vec::new();
        collect(&cwd.join(input), &mut files)
            .map_err(|error| format!("error: cannot read {}: {error}", input.display()))?;
        for file in files {
            let shown = input.join(file.strip_prefix(cwd.join(input)).unwrap_or(&file));
            let shown = if shown.as_os_str().is_empty() || file == cwd.join(input) { input.clone() } else { shown };
            let bytes =
                std::fs::read(&file).map_err(|error| format!("error: cannot read {}: {error}", shown.display()))?;
            // Documents are text; a stray invalid byte is shown as U+FFFD rather than stopping the run.
            documents.push(Document::new(shown.display().to_string(), String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok(documents)
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(path)?.map(|entry| entry.map(|entry| entry.path())).collect::<Result<_, _>>()?;
        entries.sort();
        for entry in entries {
            collect(&entry, files)?;
        }
    } else {
        std::fs::metadata(path)?;
        files.push(path.to_path_buf());
    }
    Ok(())
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

fn list(diagnostics: &codegen::Diagnostics) -> String {
    diagnostics.0.iter().map(ToString::to_string).collect::<Vec<_>>().join("")
}

/// Writes the whole text to a temporary file beside `target`, then renames it over `target`.
fn write_atomically(target: &Path, text: &str) -> std::io::Result<()> {
    let temporary = target.with_extension(format!("yaml.{}", crate::TEMPORARY_SUFFIX));
    if let Err(error) = std::fs::write(&temporary, text) {
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    std::fs::rename(&temporary, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}
