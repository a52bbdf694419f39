//! Problems found in a spec, reported like a compiler: what, where, and what to do.

use std::fmt;

/// Where a problem is: a file position when the parser knows it, else a logical spec path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// 1-based line and column in a spec file.
    Position { file: String, line: usize, column: usize },
    /// A path inside a spec file, e.g. `operations[project_task_get_all_tasks].params[pageSize].type`.
    SpecPath { file: String, path: String },
    /// A spec path with the position of the node it names (`load::positions` finds it).
    SpecNode { file: String, line: usize, column: usize, path: String },
    /// The whole file (e.g. it could not be read).
    File { file: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub location: Location,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn at_path(file: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            location: Location::SpecPath { file: file.to_owned(), path: path.into() },
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets what to do, on a problem already reported: `lowering.error(path, message).hint(..)`.
    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }

    /// [`Diagnostic::hint`] when there is one (e.g. a "did you mean").
    pub fn maybe_hint(&mut self, hint: Option<String>) -> &mut Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        match &self.location {
            Location::Position { file, line, column } => writeln!(f, "  --> {file}:{line}:{column}")?,
            Location::SpecPath { file, path } => writeln!(f, "  --> {file}: {path}")?,
            Location::SpecNode { file, line, column, path } => {
                writeln!(f, "  --> {file}:{line}:{column}")?;
                writeln!(f, "  = spec path: {path}")?;
            }
            Location::File { file } => writeln!(f, "  --> {file}")?,
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = help: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem of one phase; the pipeline stops at the phase boundary when any exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was reported, else all the problems.
    pub fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        let count = self.0.len();
        write!(f, "error: the spec has {count} problem{}; nothing was generated", if count == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let limit = (name.len() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(&name.to_lowercase(), &candidate.to_lowercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}
