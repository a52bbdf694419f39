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
            let shown = display(root, path);
            let text = load::read_text(path, &shown, MAX_INPUT_BYTES, "the overlay is a YAML file")
                .map_err(|diagnostic| diagnostic.to_string())?;
            let document = Document::new(shown, text);
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
    // The last line says what happened to the file, as `cargo xtask codegen` does per folder.
    if options.check {
        if changed {
            errors.push(format!(
                "error: {target_display} does not match its documents\n  = help: run `cargo xtask import` without `--check` and commit the result"
            ));
            fail = true;
        } else {
            lines.push(format!("{target_display}: up to date"));
        }
    } else if changed {
        write_atomically(&target, &outcome.yaml)
            .map_err(|error| format!("error: writing {target_display}: {error}"))?;
        lines.push(format!("{target_display}: written"));
    } else {
        lines.push(format!("{target_display}: up to date"));
    }
    Ok(ImportOutcome { lines, errors, fail })
}

/// Loads `yaml` as `display` and lowers it with `spec/crate.yaml` and the other service files.
fn validate(root: &Path, display: &str, yaml: &str) -> Result<(), String> {
    let spec = load::parse(display, yaml)
        .map_err(|diagnostic| format!("{diagnostic}error: the imported spec does not load; nothing was written"))?;
    let (mut set, mut sources) = match load::load_dir_with_sources(&root.join("spec"), "spec") {
        Ok(loaded) => loaded,
        Err(diagnostics) => return Err(format!("{}\nerror: spec/ does not load; fix it first", list(&diagnostics))),
    };
    set.services.retain(|file| file.file != display);
    set.services.push(SpecFile { file: display.to_owned(), spec });
    set.services.sort_by(|a, b| a.file.cmp(&b.file));
    // Problems are placed in the imported text (what would be written), not the file on disk.
    sources.insert(display, yaml);
    codegen::lower::lower(&set).map(drop).map_err(|diagnostics| {
        format!(
            "{}\nerror: the imported spec does not validate; nothing was written",
            list(&sources.locate(diagnostics))
        )
    })
}

/// The most files read from the inputs (and from the facts) of one run. The largest real
/// import reads about fifty; the cap keeps a wrong folder (a home directory, `/`) from being
/// read whole.
pub const MAX_INPUT_FILES: usize = 4096;

/// The largest document, facts or overlay file read, in bytes (the largest real one is a few
/// hundred KiB).
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

const NOT_REGULAR: &str = "pass plain text files, or folders of them";

/// Files of `inputs`, each a file or a folder read recursively in name order, each read like a
/// spec file (regular files only, bounded, UTF-8 without NUL).
pub(crate) fn read_inputs(cwd: &Path, inputs: &[PathBuf]) -> Result<Vec<Document>, String> {
    let mut files = Vec::new();
    for input in inputs {
        // Folders already read, by their real path: a link back to a folder above is a loop.
        let mut folders = Vec::new();
        collect(&cwd.join(input), input, &mut folders, &mut files)?;
    }
    let mut documents = Vec::new();
    for (file, shown) in files {
        let shown = shown.display().to_string();
        let text = load::read_text(&file, &shown, MAX_INPUT_BYTES, NOT_REGULAR)
            .map_err(|diagnostic| diagnostic.to_string())?;
        documents.push(Document::new(shown, text));
    }
    Ok(documents)
}

/// Adds the files at `path` (shown as `shown`) to `files`: the file itself, or a folder's
/// files in name order.
fn collect(
    path: &Path,
    shown: &Path,
    folders: &mut Vec<PathBuf>,
    files: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<(), String> {
    let cannot_read = |error: std::io::Error| format!("error: cannot read {}: {error}", shown.display());
    let metadata = std::fs::metadata(path).map_err(cannot_read)?;
    if !metadata.is_dir() {
        if files.len() >= MAX_INPUT_FILES {
            return Err(format!(
                "error: more than {MAX_INPUT_FILES} input files; {} was not read
  = help: pass the folders that hold the documents, not a folder above them",
                shown.display()
            ));
        }
        files.push((path.to_path_buf(), shown.to_path_buf()));
        return Ok(());
    }
    if folders.len() >= MAX_INPUT_FILES {
        return Err(format!(
            "error: more than {MAX_INPUT_FILES} folders below the inputs; {} was not read\n  = help: pass the folders that hold the documents, not a folder above them",
            shown.display()
        ));
    }
    let real = std::fs::canonicalize(path).map_err(cannot_read)?;
    if folders.contains(&real) {
        return Err(format!(
            "error: {} is a folder already read (a symbolic link loops back to it)
  = help: remove the link, or pass the folders it leads to once",
            shown.display()
        ));
    }
    folders.push(real);
    let mut entries: Vec<_> = std::fs::read_dir(path)
        .map_err(cannot_read)?
        .map(|entry| entry.map(|entry| entry.file_name()))
        .collect::<Result<_, _>>()
        .map_err(cannot_read)?;
    entries.sort();
    for name in entries {
        collect(&path.join(&name), &shown.join(&name), folders, files)?;
    }
    Ok(())
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

pub(crate) fn list(diagnostics: &codegen::Diagnostics) -> String {
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
