//! Validates a loaded spec set and lowers it into the model: names, references, order.
//!
//! The driver: the crate, each service's checks, then its types (`types`, with type
//! expressions parsed and resolved in `type_expr`), its operations (`operations`) or SOAP
//! binding (`soap`), and the service-wide parts (`auth`, `pagination`, `background`).
//!
//! Every problem found is collected; the caller gets either a complete model or all the
//! problems at once.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::docs::{doc_inline, doc_lines};
use crate::load::{SpecFile, SpecSet};
use crate::model::*;
use crate::names;
use crate::spec::{self, ServiceSpec, TypeSpec};

mod auth;
mod background;
mod bodies;
mod checks;
mod features;
mod graph;
mod operations;
mod pagination;
mod params;
mod provenance;
mod soap;
mod type_expr;
mod types;
mod unions;
mod upgrade;

pub use type_expr::MAX_TYPE_DEPTH;

/// Lowers every service of the set; fails with all problems found.
pub fn lower(set: &SpecSet) -> Result<Model, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let krate = lower_crate(&set.krate, &mut diagnostics);
    let mut services = Vec::new();
    let mut seen = BTreeMap::new();
    for file in &set.services {
        let service = ServiceLowering::new(file, &mut diagnostics).lower();
        if let Some(previous) = seen.insert(service.module.clone(), file.file.clone()) {
            diagnostics.push(
                Diagnostic::at_path(
                    &file.file,
                    "service",
                    format!("service `{}` is also defined in {previous}", service.module),
                )
                .with_hint("give each service file a distinct `service` id"),
            );
        }
        services.push(service);
    }
    // Sorted by module name: the order of `lib.rs` and of the features never depends on file names.
    services.sort_by(|a, b| a.module.cmp(&b.module));
    diagnostics.finish(Model { krate, services })
}

fn lower_crate(file: &SpecFile<spec::CrateSpec>, diagnostics: &mut Diagnostics) -> CrateInfo {
    let spec = &file.spec;
    let valid_name = !spec.name.is_empty()
        && spec.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && spec.name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid_name {
        diagnostics.push(
            Diagnostic::at_path(&file.file, "name", format!("`{}` is not a valid cargo package name", spec.name))
                .with_hint("use ASCII letters, digits, `-` and `_`, starting with a letter"),
        );
    }
    if !checks::is_semver(&spec.version) {
        diagnostics.push(
            Diagnostic::at_path(&file.file, "version", format!("`{}` is not a semver version", spec.version))
                .with_hint(
                    "write MAJOR.MINOR.PATCH, optionally with a pre-release or build suffix: `0.1.0`, `0.2.0-beta.1`",
                ),
        );
    }
    CrateInfo {
        name: spec.name.clone(),
        version: spec.version.clone(),
        description: spec.description.clone(),
        doc: doc_lines(&spec.description),
        license: spec.license.clone(),
    }
}

struct ServiceLowering<'a> {
    file: &'a str,
    spec: &'a ServiceSpec,
    diagnostics: &'a mut Diagnostics,
    /// Spec type name → Rust ident, for every defined type.
    type_idents: BTreeMap<String, RustName>,
    /// Rust ident → its spec definition (the reverse of `type_idents`), so SOAP lowering looks
    /// a field's type up instead of scanning every type per field.
    spec_types_by_ident: BTreeMap<RustName, &'a TypeSpec>,
    /// Spec type name → names it references directly (not through a list or map).
    direct_refs: BTreeMap<String, BTreeSet<String>>,
    /// How each named type travels in a URL or header; filled once the types are lowered.
    shapes: checks::TypeShapes,
}

impl<'a> ServiceLowering<'a> {
    fn new(file: &'a SpecFile<ServiceSpec>, diagnostics: &'a mut Diagnostics) -> Self {
        ServiceLowering {
            file: &file.file,
            spec: &file.spec,
            diagnostics,
            type_idents: BTreeMap::new(),
            spec_types_by_ident: BTreeMap::new(),
            direct_refs: BTreeMap::new(),
            shapes: checks::TypeShapes::new(&[]),
        }
    }

    /// Reports a problem at a spec path of this file; `.hint(..)` on the result says what to do.
    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::at_path(self.file, path, message));
        self.diagnostics.0.last_mut().expect("a problem was just pushed")
    }

    /// The Rust name of a field or parameter: its `rust_name` when set (and valid), else the
    /// wire name converted. `None` after reporting an invalid `rust_name`.
    fn rust_name(&mut self, chosen: &Option<String>, wire_name: &str, path: &str) -> Option<RustName> {
        let Some(chosen) = chosen else { return Some(names::snake(wire_name)) };
        let checked = names::checked_snake(chosen);
        if checked.is_none() {
            self.error(
                format!("{path}.rust_name"),
                format!("`rust_name: {chosen}` is not a snake_case Rust identifier"),
            )
            .hint(format!("use lowercase ASCII letters, digits and `_`, e.g. `{}`", names::snake(chosen).unraw()));
        }
        checked
    }

    fn lower(mut self) -> Service {
        let spec = self.spec;
        let module = names::snake(&spec.service);
        if spec.service.is_empty() || names::to_snake(&spec.service) != spec.service {
            self.error("service", format!("service id `{}` is not a snake_case identifier", spec.service))
                .hint(format!("use `{}`", names::to_snake(&spec.service)));
        }
        if let Some(taker) = names::reserved(names::ReservedIn::CrateModule, &module) {
            let name = module.unraw();
            self.error("service", format!("`{name}` is reserved for {taker}"))
                .hint(format!("choose another service id, e.g. `{name}_api`"));
        } else if module.is_raw() {
            // A raw identifier cannot name a cargo feature or a folder the same way.
            self.error("service", format!("service id `{}` is a Rust keyword", spec.service))
                .hint(format!("choose another service id, e.g. `{}_api`", spec.service));
        }
        if let Err(problem) = checks::check_base_url(&spec.base_url) {
            self.error(
                "base_url",
                format!("`{}` is not a valid base URL: {problem}", checks::redacted_url(&spec.base_url)),
            )
            .hint("write the scheme, host and optional path, e.g. `https://api.example.com/v1`");
        }
        if spec.operations.is_empty() {
            self.error("operations", "the service has no operations").hint("add at least one operation");
        }

        self.collect_type_names();
        let types = self.lower_types();
        self.shapes = checks::TypeShapes::new(&types);
        let (mut groups, soap) = match spec.protocol {
            spec::Protocol::Rest => {
                if spec.soap.is_some() {
                    self.error("soap", "a `soap` section needs `protocol: soap`")
                        .hint("remove it, or set `protocol: soap`");
                }
                let mut groups = self.lower_groups();
                bodies::lower_bodies(&mut self, &types, &mut groups);
                pagination::lower_pagination(&mut self, &types, &mut groups);
                (groups, None)
            }
            spec::Protocol::Soap => (Vec::new(), soap::lower_soap(&mut self, &types)),
        };
        let auth = auth::lower_auth(&mut self);
        let mut service = Service {
            file_stem: module.unraw().to_owned(),
            module,
            title: spec.title.clone(),
            title_doc: doc_inline(&spec.title),
            doc: doc_of(&spec.description),
            source: spec.source.clone(),
            source_doc: spec.source.iter().flat_map(|source| doc_lines(&format!("Captured from: {source}"))).collect(),
            base_url: spec.base_url.trim_end_matches('/').to_owned(),
            auth,
            background_jobs: background::lower_background_jobs(&mut self, &types, &mut groups),
            groups,
            types,
            type_groups: Vec::new(),
            soap,
        };
        service.type_groups = features::type_groups(&service);
        service
    }
}

/// The Rust names taken in one scope (a service's types, an object's fields or setters, an
/// enum's variants, an operation's parameters, a group's methods), each with the spec name that
/// took it first: the one place that finds two spec names that would clash in Rust.
struct NameScope {
    /// Names two takers in a message, the new one and the one that came first:
    /// ``fields `a` and `b` ``.
    pair: fn(&str, &str) -> String,
    /// What the two would share: `be named`, `have the setter`.
    shared: &'static str,
    /// Rust name → the spec name that took it.
    taken: BTreeMap<String, String>,
}

impl NameScope {
    fn new(pair: fn(&str, &str) -> String) -> Self {
        NameScope { pair, shared: "be named", taken: BTreeMap::new() }
    }

    /// A scope whose names are what the takers share in another way (`have the setter`).
    fn sharing(mut self, shared: &'static str) -> Self {
        self.shared = shared;
        self
    }

    /// The spec name that took `rust`, if any.
    fn taker(&self, rust: &str) -> Option<&str> {
        self.taken.get(rust).map(String::as_str)
    }

    /// Why `taker` cannot have `rust` (shown as `shown`): another spec name took it first.
    fn clash(&self, rust: &str, shown: &str, taker: &str) -> Option<String> {
        let other = self.taker(rust)?;
        Some(format!("{} would both {} `{shown}` in Rust", (self.pair)(taker, other), self.shared))
    }

    /// Gives `rust` to `taker`, unless another spec name took it first (the message then).
    fn claim(&mut self, rust: &str, taker: &str) -> Result<(), String> {
        if let Some(problem) = self.clash(rust, rust, taker) {
            return Err(problem);
        }
        self.taken.insert(rust.to_owned(), taker.to_owned());
        Ok(())
    }
}

fn doc_of(text: &Option<String>) -> Doc {
    text.as_deref().map(doc_lines).unwrap_or_default()
}

/// A spec item's deprecation, with the note made safe for `#[deprecated(note = ..)]`.
fn deprecated_of(deprecation: &spec::Deprecation) -> Option<Deprecated> {
    deprecation.note().map(|note| Deprecated { attr_note: doc_lines(&note).join(" "), note })
}
