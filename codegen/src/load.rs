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
    serde_yaml::from_str(text).map_err(|error| {
        let message = error.to_string();
        // serde_yaml appends the position; it is shown on the `-->` line instead.
        let message = match message.find(" at line ") {
            Some(index) => message[..index].to_owned(),
            None => message,
        };
        let hint = hint_for(&message);
        let location = match error.location() {
            Some(position) => {
                Location::Position { file: file.to_owned(), line: position.line(), column: position.column() }
            }
            None => Location::File { file: file.to_owned() },
        };
        Diagnostic { message, location, hint }
    })
}

/// A hint for serde's messages: the closest allowed key or variant, or what a value should be.
fn hint_for(message: &str) -> Option<String> {
    if let Some((name, candidates)) = named_with_expected(message, "unknown field `") {
        return did_you_mean(&name, candidates.iter().map(String::as_str))
            .or_else(|| Some(format!("remove the key; allowed keys here: {}", candidates.join(", "))));
    }
    if let Some((name, candidates)) = named_with_expected(message, "unknown variant `") {
        return did_you_mean(&name, candidates.iter().map(String::as_str))
            .or_else(|| Some(format!("use one of: {}", candidates.join(", "))));
    }
    if message.contains("expected a boolean") {
        return Some("write `true` or `false`".to_owned());
    }
    if message.contains("did not find expected")
        || message.contains("while parsing")
        || message.contains("while scanning")
    {
        return Some("check the indentation and the brackets or quotes that open on or before this line".to_owned());
    }
    if message.contains("missing field `") {
        return Some("add the key; spec/README.md lists the required keys of each entry".to_owned());
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
