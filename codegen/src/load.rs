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
        let hint = unknown_key_hint(&message);
        let location = match error.location() {
            Some(position) => {
                Location::Position { file: file.to_owned(), line: position.line(), column: position.column() }
            }
            None => Location::File { file: file.to_owned() },
        };
        Diagnostic { message, location, hint }
    })
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", the closest expected key.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `").or_else(|| message.split("unknown field `").nth(1))?;
    let (field, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(field, candidates.iter().copied())
        .or_else(|| Some(format!("remove the key; allowed keys here: {}", candidates.join(", "))))
}
