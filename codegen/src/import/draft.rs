//! What a format module reads from one document, before it is merged into a service spec.

use super::{Document, Inferred as InferredFact, Report, Skipped as SkippedConstruct};
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

impl Draft {
    /// Writes the recorded origins and inferred keys onto the spec items they name, and adds the
    /// inferred facts and skipped constructs to `report`, with origins in `doc`.
    pub fn annotate(&mut self, doc: &Document, report: &mut Report) {
        for (path, line) in std::mem::take(&mut self.provenance) {
            if let Some(item) = self.item(&path) {
                if item.origin.is_none() {
                    *item.origin = Some(doc.origin(line));
                }
            }
        }
        for fact in std::mem::take(&mut self.inferred) {
            let Some(item) = self.item(&fact.path) else { continue };
            if !item.inferred.contains(&fact.key) {
                item.inferred.push(fact.key.clone());
            }
            let value = match item.value.get(fact.key.as_str()) {
                Some(serde_yaml::Value::String(text)) => text.clone(),
                Some(serde_yaml::Value::Sequence(items)) => format!("{} items", items.len()),
                Some(other) => serde_yaml::to_string(other).unwrap_or_default().trim().to_owned(),
                None => String::new(),
            };
            report.inferred.push(InferredFact {
                item: fact.path,
                key: fact.key,
                value,
                read: Some(fact.reason),
                origin: doc.origin(fact.line),
            });
        }
        for skipped in std::mem::take(&mut self.skipped) {
            report.skipped.push(SkippedConstruct {
                origin: doc.origin(skipped.line),
                construct: skipped.what,
                reason: skipped.reason,
            });
        }
    }

    /// The item at a spec path (`operations[id].params[name]`, `types[T].fields[f]`, ...).
    fn item(&mut self, path: &str) -> Option<ItemRef<'_>> {
        let segments: Vec<(&str, &str)> = path
            .split("].")
            .map(|segment| {
                let segment = segment.trim_end_matches(']');
                segment.split_once('[').unwrap_or((segment, ""))
            })
            .collect();
        macro_rules! item {
            ($item:expr) => {{
                let value = serde_yaml::to_value(&*$item).unwrap_or_default();
                Some(ItemRef { origin: &mut $item.origin, inferred: &mut $item.inferred, value })
            }};
        }
        match segments.as_slice() {
            [("operations", id), rest @ ..] => {
                let op = self.operations.iter_mut().find(|op| op.id == *id)?;
                match rest {
                    [] => item!(op),
                    [("params", name)] => {
                        let param = op.params.iter_mut().find(|p| p.name == *name)?;
                        item!(param)
                    }
                    [("body", "")] => {
                        let body = op.body.as_mut()?;
                        item!(body)
                    }
                    [("responses", status)] => {
                        let response = op.responses.iter_mut().find(|r| r.status.to_string() == *status)?;
                        item!(response)
                    }
                    _ => None,
                }
            }
            [("types", name), rest @ ..] => {
                let ty = self.types.iter_mut().find(|t| t.name() == *name)?;
                match (ty, rest) {
                    (TypeSpec::Object(object), []) => item!(object),
                    (TypeSpec::Enum(enumeration), []) => item!(enumeration),
                    (TypeSpec::Alias(alias), []) => item!(alias),
                    (TypeSpec::Object(object), [("fields", field)]) => {
                        let field = object.fields.iter_mut().find(|f| f.name == *field)?;
                        item!(field)
                    }
                    (TypeSpec::Enum(enumeration), [("members", member)]) => {
                        let member = enumeration.members.iter_mut().find(|m| m.name == *member)?;
                        item!(member)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// An item's provenance keys, and its YAML form (to report an inferred key's value).
struct ItemRef<'a> {
    origin: &'a mut Option<String>,
    inferred: &'a mut Vec<String>,
    value: serde_yaml::Value,
}

/// A compiler-style error at a document line (column 1 when the column is not known).
pub fn error_at(file: &str, line: usize, message: impl Into<String>, hint: &str) -> Diagnostic {
    Diagnostic {
        message: message.into(),
        location: Location::Position { file: file.to_owned(), line, column: 1 },
        hint: (!hint.is_empty()).then(|| hint.to_owned()),
    }
}

/// An empty service of `protocol`, to be filled by a format (title and base URL come from the overlay).
pub fn service_shell(service: &str, protocol: crate::spec::Protocol) -> crate::spec::ServiceSpec {
    crate::spec::ServiceSpec {
        service: service.to_owned(),
        title: service.to_owned(),
        description: None,
        source: None,
        protocol,
        base_url: String::new(),
        auth: Vec::new(),
        groups: Vec::new(),
        operations: Vec::new(),
        types: Vec::new(),
        soap: None,
        background_jobs: None,
    }
}

/// Adds a document's operations and types to `spec`: groups in first-use order, a type defined
/// by two documents kept once (the first; a different second definition is reported).
pub fn merge(spec: &mut crate::spec::ServiceSpec, draft: Draft, doc: &Document, report: &mut Report) {
    for operation in draft.operations {
        if !spec.groups.iter().any(|group| group.id == operation.group) {
            spec.groups.push(crate::spec::GroupSpec { id: operation.group.clone(), description: None });
        }
        if spec.operations.iter().any(|known| known.id == operation.id) {
            report.skipped.push(SkippedConstruct {
                origin: operation.origin.clone().unwrap_or_else(|| doc.origin(1)),
                construct: format!("operation `{}`", operation.id),
                reason: "an earlier document has an operation of this id".to_owned(),
            });
            continue;
        }
        spec.operations.push(operation);
    }
    for ty in draft.types {
        match spec.types.iter().find(|known| known.name() == ty.name()) {
            None => spec.types.push(ty),
            Some(known) if same_shape(known, &ty) => {}
            Some(_) => report.skipped.push(SkippedConstruct {
                origin: doc.origin(1),
                construct: format!("type `{}`", ty.name()),
                reason: "an earlier document defines it differently; the first definition is kept".to_owned(),
            }),
        }
    }
}

/// Two definitions of a type agree when they differ at most in provenance.
fn same_shape(a: &TypeSpec, b: &TypeSpec) -> bool {
    let strip = |ty: &TypeSpec| {
        let mut value = serde_yaml::to_value(ty).unwrap_or_default();
        strip_provenance(&mut value);
        value
    };
    strip(a) == strip(b)
}

fn strip_provenance(value: &mut serde_yaml::Value) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            map.remove("origin");
            map.remove("inferred");
            for (_, child) in map.iter_mut() {
                strip_provenance(child);
            }
        }
        serde_yaml::Value::Sequence(items) => items.iter_mut().for_each(strip_provenance),
        _ => {}
    }
}

/// The first sentence of a description, for an operation's summary.
pub fn first_sentence(text: &str) -> String {
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text.to_owned(),
    }
}

/// The start of a document's text, for an error message that quotes it.
pub fn clip(text: &str) -> String {
    let clipped: String = text.chars().take(60).collect();
    if clipped.len() < text.len() {
        format!("{clipped}…")
    } else {
        clipped
    }
}
