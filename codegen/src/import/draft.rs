//! What a format module reads from one document, before it is merged into a service spec.

use crate::diagnostics::{Diagnostic, Location};
use crate::spec::{OperationSpec, TypeSpec};

/// One document's contents: operations and types in document order, with where each came from
/// and which facts were inferred rather than read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub operations: Vec<OperationSpec>,
    pub types: Vec<TypeSpec>,
    /// Spec path (`operations[id]`, `types[Name].fields[Field]`) → 1-based line in the document.
    pub provenance: Vec<(String, usize)>,
    /// Facts the document does not state but the importer filled in.
    pub inferred: Vec<Inferred>,
    /// Constructs read but not carried into the spec, and why.
    pub skipped: Vec<Skipped>,
    /// Request and response samples, kept as test data.
    pub samples: Vec<Sample>,
    /// SOAP facts a page or WSDL states (or that were inferred), for the service's `soap` section.
    pub soap: Option<crate::spec::SoapSpec>,
}

/// A fact the importer filled in: `path` is the spec path, `key` the fact (`type`, `name`,
/// `namespace`, ...), `reason` what it was inferred from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred {
    pub path: String,
    pub key: String,
    pub reason: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub what: String,
    pub reason: String,
    pub line: usize,
}

/// A sample as printed in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The operation it belongs to.
    pub operation: String,
    /// `request` or `response`.
    pub direction: &'static str,
    pub media_type: String,
    pub text: String,
    pub line: usize,
}

impl Draft {
    pub fn infer(&mut self, path: impl Into<String>, key: &str, reason: impl Into<String>, line: usize) {
        self.inferred.push(Inferred { path: path.into(), key: key.to_owned(), reason: reason.into(), line });
    }

    pub fn skip(&mut self, what: impl Into<String>, reason: impl Into<String>, line: usize) {
        self.skipped.push(Skipped { what: what.into(), reason: reason.into(), line });
    }

    pub fn source(&mut self, path: impl Into<String>, line: usize) {
        self.provenance.push((path.into(), line));
    }
}

/// A compiler-style error at a document line (column 1 when the column is not known).
pub fn error_at(file: &str, line: usize, message: impl Into<String>, hint: &str) -> Diagnostic {
    Diagnostic {
        message: message.into(),
        location: Location::Position { file: file.to_owned(), line, column: 1 },
        hint: (!hint.is_empty()).then(|| hint.to_owned()),
    }
}
