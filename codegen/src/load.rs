//! Reads spec files into the serde mirror (`spec`), reporting YAML and shape errors with positions.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Location};
use crate::spec::{CrateSpec, ServiceSpec};

/// The file that names the generated crate; every other `*.yaml` in the folder is a service.
pub const CRATE_FILE: &str = "crate.yaml";

/// A parsed file with the name it is reported under (e.g. `spec/visma_net.yaml`).
#[derive(Debug, Clone, PartialEq)]
pub struct SpecFile<T> {
    pub file: String,
    pub spec: T,
}

/// Everything in one spec folder.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecSet {
    pub krate: SpecFile<CrateSpec>,
    /// Sorted by file name so the output order never depends on the file system.
    pub services: Vec<SpecFile<ServiceSpec>>,
}

/// Loads `dir`; file names in messages are `display_dir/<file>`.
pub fn load_dir(dir: &Path, display_dir: &str) -> Result<SpecSet, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            diagnostics.push(Diagnostic {
                message: format!("cannot read the spec folder: {error}"),
                location: Location::File { file: display_dir.to_owned() },
                hint: Some("run the command from the workspace root, or pass the spec folder".to_owned()),
            });
            return Err(diagnostics);
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml"))
        .collect();
    names.sort();

    let mut krate = None;
    let mut services = Vec::new();
    for name in names {
        let display = format!("{display_dir}/{name}");
        let text = match std::fs::read_to_string(dir.join(&name)) {
            Ok(text) => text,
            Err(error) => {
                diagnostics.push(Diagnostic {
                    message: format!("cannot read the file: {error}"),
                    location: Location::File { file: display },
                    hint: None,
                });
                continue;
            }
        };
        if name == CRATE_FILE {
            match parse::<CrateSpec>(&display, &text) {
                Ok(spec) => krate = Some(SpecFile { file: display, spec }),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        } else {
            match parse::<ServiceSpec>(&display, &text) {
                Ok(spec) => services.push(SpecFile { file: display, spec }),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
    }
    let Some(krate) = krate else {
        if diagnostics.is_empty() {
            diagnostics.push(Diagnostic {
                message: format!("the spec folder has no `{CRATE_FILE}`"),
                location: Location::File { file: display_dir.to_owned() },
                hint: Some(format!("add `{CRATE_FILE}` with the generated crate's name, version and description")),
            });
        }
        return Err(diagnostics);
    };
    diagnostics.finish(SpecSet { krate, services })
}

/// Parses one file's text, reporting the YAML position of the first problem.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic {
            message: "the file is empty".to_owned(),
            location: Location::File { file: file.to_owned() },
            hint: Some("write the spec (spec/README.md describes the keys), or delete the file".to_owned()),
        });
    }
    serde_yaml::from_str(text).map_err(|error| {
        let message = error.to_string();
        // serde_yaml appends the position; it is shown on the `-->` line instead.
        let message = match message.find(" at line ") {
            Some(index) => message[..index].to_owned(),
            None => message,
        };
        let line = error.location().and_then(|position| text.lines().nth(position.line().saturating_sub(1)));
        let (message, hint) = explain(message, line.unwrap_or_default());
        let position = error.location().map(|position| (position.line(), position.column()));
        // serde_yaml points a duplicate key at the start of its mapping; point at the repeat.
        let position = duplicate_key_position(&message, text).or(position);
        let location = match position {
            Some((line, column)) => Location::Position { file: file.to_owned(), line, column },
            None => Location::File { file: file.to_owned() },
        };
        Diagnostic { message, location, hint }
    })
}

/// serde's message, shortened where the hint says the rest, and a hint: the closest allowed
/// key or variant, or what a value should look like. `line` is the source line it points at.
fn explain(message: String, line: &str) -> (String, Option<String>) {
    for (marker, what) in [("unknown field `", "keys"), ("unknown variant `", "values")] {
        if let Some((name, candidates)) = named_with_expected(&message, marker) {
            // The candidates move from the message to the hint.
            let short = message.split(", expected").next().unwrap_or(&message).to_owned();
            let hint = did_you_mean(&name, candidates.iter().map(String::as_str))
                .unwrap_or_else(|| format!("allowed {what} here: {}", candidates.join(", ")));
            return (short, Some(hint));
        }
    }
    let hint = if message.contains("expected a boolean") {
        Some("write `true` or `false`".to_owned())
    } else if message.contains("expected a sequence") {
        Some("write a YAML list: one `- item` line per entry, or `[a, b]`".to_owned())
    } else if message.contains("expected struct") || message.contains("expected a map") {
        Some("write a mapping: `key: value` lines, or `{ key: value }`".to_owned())
    } else if message.contains("expected u16") || message.contains("expected u32") {
        Some("write a whole number in range (a status code is 100 to 599)".to_owned())
    } else if message.contains("expected a string") {
        Some("write text; quote it when it looks like a number, a boolean or `null`".to_owned())
    } else if message.contains("duplicate field `") || message.contains("duplicate entry") {
        Some("a key may appear once in each mapping; remove or merge the other one".to_owned())
    } else if message.contains("missing field `") {
        Some("add the key; spec/README.md lists the required keys of each entry".to_owned())
    } else if message.contains("cannot start any token") && line.contains('\t') {
        Some("YAML indents with spaces only; replace the tabs".to_owned())
    } else if message.contains("did not find expected")
        || message.contains("while parsing")
        || message.contains("while scanning")
        || message.contains("cannot start any token")
    {
        Some("check the indentation and the brackets or quotes that open on or before this line".to_owned())
    } else {
        None
    };
    (message, hint)
}

/// For "duplicate field `key`": the line and column of the key's second occurrence at the
/// indentation of its first (a best guess from the text; `None` when there is no such line).
fn duplicate_key_position(message: &str, text: &str) -> Option<(usize, usize)> {
    let key = message.split("duplicate field `").nth(1)?.split('`').next()?;
    let mut indent = None;
    for (number, line) in text.lines().enumerate() {
        let content = line.trim_start_matches([' ', '-']);
        if !(content.starts_with(key) && content[key.len()..].trim_start().starts_with(':')) {
            continue;
        }
        let column = line.len() - content.len();
        match indent {
            None => indent = Some(column),
            Some(first) if first == column => return Some((number + 1, column + 1)),
            Some(_) => {}
        }
    }
    None
}

/// For "… `name`, expected one of `a`, `b`" (or "expected `a` or `b`"): the name and the candidates.
fn named_with_expected(message: &str, marker: &str) -> Option<(String, Vec<String>)> {
    let rest = message.split(marker).nth(1)?;
    let (name, expected) = rest.split_once('`')?;
    let candidates = expected.split('`').skip(1).step_by(2).map(str::to_owned).collect();
    Some((name.to_owned(), candidates))
}
