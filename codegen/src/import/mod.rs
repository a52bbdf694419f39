//! Importers: vendor documents in, a service spec (`spec::ServiceSpec`) out, rendered as YAML.
//!
//! Every input format is one module behind [`Format`]. An importer only reads documents and
//! fills in the serde spec model; the result is rendered ([`render_yaml`]), corrected by the
//! service's overlay ([`overlay`]) and then loaded and lowered like a hand-written file, so an
//! import never bypasses `lower`'s validation. [`run`] is that pipeline without the disk.
//!
//! Facts an importer has to infer (a wire name guessed from a PHP name, a SOAP namespace a
//! page leaves out) are recorded in the spec (`inferred:` on the item, see `spec/README.md`)
//! and listed in the [`Report`]; [`Facts`] sources confirm or correct them.

pub mod aspnet_help;
pub mod confluence;
pub mod draft;
pub mod facts;
mod html_text;
pub mod openapi;
pub mod openapi_generator_md;
pub mod overlay;
mod pagination;
pub mod render_yaml;
mod sample_json;
pub mod wsdl;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::{ServiceSpec, TypeSpec};

pub use facts::Facts;
pub use overlay::Overlay;

/// One input document: the path it is reported under and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// As given on the command line (e.g. `../shared/seeds/000_2c41d01fd9befeb9.txt`); used in messages.
    pub path: String,
    pub text: String,
}

impl Document {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Document { path: path.into(), text: text.into() }
    }

    /// The file name without folders: what `origin:` keys name, so the spec does not depend on
    /// where the documents were checked out.
    pub fn name(&self) -> &str {
        self.path.rsplit(['/', '\\']).next().unwrap_or(&self.path)
    }

    /// The `origin:` value for a 1-based line of this document.
    pub fn origin(&self, line: usize) -> String {
        format!("{}:{line}", self.name())
    }

    /// A diagnostic pointing at a line of this document.
    pub fn error(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        draft::error_at(&self.path, line, message, "")
    }
}

/// One input format. Implementations are stateless; [`format()`] finds them by name.
pub trait Format: Sync {
    /// The name on the command line (`openapi-generator-md`).
    fn name(&self) -> &'static str;
    /// One line for the usage text: what documents the format reads.
    fn summary(&self) -> &'static str;
    /// Reads `docs` into the spec of service `service`. A document the format cannot read is
    /// reported in `problems` (with its file and line) and skipped; the others are still imported.
    fn import(&self, docs: &[Document], facts: &Facts, service: &str) -> Imported;
}

/// What an importer produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub spec: ServiceSpec,
    pub report: Report,
    /// Documents (or parts of them) that could not be read; each was skipped.
    pub problems: Diagnostics,
}

/// What an import read, inferred and left out, for a person to review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Display paths of the documents read, in input order.
    pub documents: Vec<String>,
    /// Every fact the importer inferred rather than read, in document order.
    pub inferred: Vec<Inferred>,
    /// How many facts a `--facts` source confirmed or corrected (so nothing was inferred).
    pub confirmed: usize,
    /// Of those, how many differed from what the importer would have inferred.
    pub corrected: Vec<Inferred>,
    /// Constructs of the documents the importer does not turn into spec, with the reason.
    pub skipped: Vec<Skipped>,
}

/// One inferred (or corrected) fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred {
    /// The logical spec path of the item (`types[EmployeeDto].fields[calendarId]`).
    pub item: String,
    /// The key of the item that was inferred (`name`, `in`, `type`, ...): an entry of its `inferred:` list.
    pub key: String,
    /// The value written (for a correction: the value from the facts source).
    pub value: String,
    /// What the document said, when it says something (`calendar_id`); for a correction, the
    /// value inferring would have given (`calendarId`).
    pub read: Option<String>,
    /// `<document>:<line>`.
    pub origin: String,
}

/// A construct of a document that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `<document>:<line>`.
    pub origin: String,
    /// What was skipped (`code sample`, `section "Example"`).
    pub construct: String,
    pub reason: String,
}

/// Counts of what a spec holds, for the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub operations: usize,
    pub params: usize,
    pub types: usize,
    pub fields: usize,
    pub members: usize,
}

impl Counts {
    pub fn of(spec: &ServiceSpec) -> Self {
        let mut counts = Counts { operations: spec.operations.len(), types: spec.types.len(), ..Counts::default() };
        counts.params = spec.operations.iter().map(|operation| operation.params.len()).sum();
        for ty in &spec.types {
            match ty {
                TypeSpec::Object(object) => counts.fields += object.fields.len(),
                TypeSpec::Enum(enumeration) => counts.members += enumeration.members.len(),
                TypeSpec::Alias(_) | TypeSpec::Union(_) => {}
            }
        }
        counts
    }
}

/// Every format, in the order the usage text lists them.
pub const FORMATS: &[&dyn Format] = &[
    &openapi_generator_md::OpenApiGeneratorMd,
    &aspnet_help::AspNetHelpPage,
    &confluence::ConfluenceProjector,
    &wsdl::Wsdl11,
    &openapi::OpenApi,
];

/// The format called `name` on the command line.
pub fn format(name: &str) -> Option<&'static dyn Format> {
    FORMATS.iter().copied().find(|format| format.name() == name)
}

/// The result of [`run`]: the service file's text and what to tell the user.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The rendered service file (`spec/<service>.yaml`), overlay applied.
    pub yaml: String,
    pub spec: ServiceSpec,
    pub report: Report,
    /// Skipped documents; the import still produced `yaml` from the rest.
    pub problems: Diagnostics,
}

/// Imports `docs`, applies `overlay` (the service's hand corrections) and renders the file.
/// `command` is named in the file's header comment. Fails only when the overlay does not
/// apply (an entry that matches nothing, a key the spec does not have); the caller still has
/// to load and lower the text like any spec file.
pub fn run(
    format: &dyn Format,
    docs: &[Document],
    facts: &Facts,
    service: &str,
    overlay: Option<&Overlay>,
    command: &str,
) -> Result<Outcome, Diagnostics> {
    let imported = format.import(docs, facts, service);
    let spec = match overlay {
        Some(overlay) => overlay.apply(&imported.spec)?,
        None => imported.spec,
    };
    let header = render_yaml::header(command, overlay.map(|overlay| overlay.file.as_str()));
    let yaml = render_yaml::render(&spec, &header);
    Ok(Outcome { yaml, spec, report: imported.report, problems: imported.problems })
}

impl Report {
    /// The report as text for a terminal: counts, then every inferred fact, correction and
    /// skipped construct with its origin.
    pub fn render(&self, counts: Counts) -> String {
        let mut out = format!(
            "imported {} document{}: {} operations ({} parameters), {} types ({} fields, {} enum members)\n",
            self.documents.len(),
            if self.documents.len() == 1 { "" } else { "s" },
            counts.operations,
            counts.params,
            counts.types,
            counts.fields,
            counts.members,
        );
        out.push_str(&format!(
            "facts: {} items confirmed by a facts source ({} corrected what inferring would have given); {} facts inferred\n",
            self.confirmed,
            self.corrected.len(),
            self.inferred.len()
        ));
        // Inferred facts by key, so a long list can be read at a glance.
        let mut by_key: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for fact in &self.inferred {
            *by_key.entry(fact.key.as_str()).or_default() += 1;
        }
        if !by_key.is_empty() {
            let counts: Vec<String> = by_key.iter().map(|(key, count)| format!("{count} `{key}`")).collect();
            out.push_str(&format!("  inferred keys: {}\n", counts.join(", ")));
        }
        for fact in &self.corrected {
            let guess =
                fact.read.as_deref().map(|read| format!(" (inferring would have given `{read}`)")).unwrap_or_default();
            out.push_str(&format!(
                "  corrected {}  {}.{} = `{}`{guess}\n",
                fact.origin, fact.item, fact.key, fact.value
            ));
        }
        for fact in &self.inferred {
            out.push_str(&format!("  inferred  {}  {}\n", fact.origin, describe(fact)));
        }
        if !self.skipped.is_empty() {
            out.push_str(&format!(
                "skipped {} construct{}:\n",
                self.skipped.len(),
                if self.skipped.len() == 1 { "" } else { "s" }
            ));
            for skipped in &self.skipped {
                out.push_str(&format!("  {}  {}: {}\n", skipped.origin, skipped.construct, skipped.reason));
            }
        }
        out
    }
}

fn describe(fact: &Inferred) -> String {
    match &fact.read {
        Some(read) => format!("{}.{} = `{}` (the document says `{read}`)", fact.item, fact.key, fact.value),
        None => format!("{}.{} = `{}`", fact.item, fact.key, fact.value),
    }
}
