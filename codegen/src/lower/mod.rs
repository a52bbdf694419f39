//! Validates a loaded spec set and lowers it into the model: names, references, order.
//!
//! Every problem found is collected; the caller gets either a complete model or all the
//! problems at once.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::docs::{code_span, doc_lines};
use crate::load::{SpecFile, SpecSet};
use crate::model::*;
use crate::names;
use crate::spec::{self, ErrorStatus, ServiceSpec, TypeSpec};

mod auth;
mod background;
mod checks;
mod features;
mod graph;
mod pagination;
mod provenance;
mod soap;

use provenance::{BODY_KEYS, FIELD_KEYS, MEMBER_KEYS, OPERATION_KEYS, PARAM_KEYS, RESPONSE_KEYS, TYPE_KEYS};

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
        license: spec.license.clone(),
    }
}

/// A parsed type expression before its names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TypeExpr {
    Builtin(TypeRef),
    List(Box<TypeExpr>),
    Map(Box<TypeExpr>),
    Named(String),
}

const BUILTIN_TYPES: &[&str] = &[
    "string", "int32", "int64", "float", "double", "decimal", "bool", "date", "datetime", "uuid", "json", "etag",
    "secret",
];

/// Type names are words: letters (any script), digits and `_`.
fn is_type_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// How deeply `list<…>` and `map<…>` may nest. Every phase after parsing walks type
/// expressions recursively, so the limit keeps them off the end of the stack.
pub const MAX_TYPE_DEPTH: usize = 16;

fn parse_type_expr(text: &str) -> Result<TypeExpr, String> {
    parse_type_expr_at(text, 0)
}

fn parse_type_expr_at(text: &str, depth: usize) -> Result<TypeExpr, String> {
    let text = text.trim();
    for (prefix, wrap) in [("list<", TypeExpr::List as fn(Box<TypeExpr>) -> TypeExpr), ("map<", TypeExpr::Map)] {
        if let Some(inner) = text.strip_prefix(prefix) {
            if depth == MAX_TYPE_DEPTH {
                return Err(format!("the type nests `list<…>` and `map<…>` more than {MAX_TYPE_DEPTH} deep"));
            }
            let inner = inner.strip_suffix('>').ok_or_else(|| format!("`{text}` is missing its closing `>`"))?;
            return Ok(wrap(Box::new(parse_type_expr_at(inner, depth + 1)?)));
        }
    }
    let builtin = match text {
        "string" => TypeRef::String,
        "int32" => TypeRef::I32,
        "int64" => TypeRef::I64,
        "float" => TypeRef::F32,
        // `decimal` travels as a JSON number; f64 keeps 15-17 significant digits.
        "double" | "decimal" => TypeRef::F64,
        "bool" => TypeRef::Bool,
        "date" => TypeRef::Date,
        "datetime" => TypeRef::DateTime,
        "uuid" => TypeRef::Uuid,
        "json" => TypeRef::Json,
        "secret" => TypeRef::Secret,
        "etag" => TypeRef::ETag,
        "" => return Err("the type is empty".to_owned()),
        name if is_type_name(name) => return Ok(TypeExpr::Named(name.to_owned())),
        other => return Err(format!("`{other}` is not a type expression")),
    };
    Ok(TypeExpr::Builtin(builtin))
}

struct ServiceLowering<'a> {
    file: &'a str,
    spec: &'a ServiceSpec,
    diagnostics: &'a mut Diagnostics,
    /// Spec type name → Rust ident, for every defined type.
    type_idents: BTreeMap<String, String>,
    /// Rust ident → its spec definition (the reverse of `type_idents`), so SOAP lowering looks
    /// a field's type up instead of scanning every type per field.
    spec_types_by_ident: BTreeMap<String, &'a TypeSpec>,
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

    fn error(&mut self, path: impl Into<String>, message: impl Into<String>, hint: Option<String>) {
        let mut diagnostic = Diagnostic::at_path(self.file, path, message);
        diagnostic.hint = hint;
        self.diagnostics.push(diagnostic);
    }

    /// The Rust name of a field or parameter: its `rust_name` when set (and valid), else the
    /// wire name converted. `None` after reporting an invalid `rust_name`.
    fn rust_name(&mut self, chosen: &Option<String>, wire_name: &str, path: &str) -> Option<String> {
        let Some(chosen) = chosen else { return Some(names::snake(wire_name)) };
        let checked = names::checked_snake(chosen);
        if checked.is_none() {
            self.error(
                format!("{path}.rust_name"),
                format!("`rust_name: {chosen}` is not a snake_case Rust identifier"),
                Some(format!(
                    "use lowercase ASCII letters, digits and `_`, e.g. `{}`",
                    names::unraw(&names::snake(chosen))
                )),
            );
        }
        checked
    }

    fn lower(mut self) -> Service {
        let spec = self.spec;
        let module = names::snake(&spec.service);
        if spec.service.is_empty() || names::to_snake(&spec.service) != spec.service {
            self.error(
                "service",
                format!("service id `{}` is not a snake_case identifier", spec.service),
                Some(format!("use `{}`", names::to_snake(&spec.service))),
            );
        }
        if module == "default" {
            self.error(
                "service",
                "`default` is reserved for the crate's default cargo feature",
                Some("choose another service id".to_owned()),
            );
        } else if let Some((name, taker)) = names::CRATE_ROOT_MODULES.iter().find(|(name, _)| *name == module) {
            self.error(
                "service",
                format!("`{name}` is reserved for {taker}"),
                Some(format!("choose another service id, e.g. `{name}_api`")),
            );
        } else if names::is_raw(&module) {
            // A raw identifier cannot name a cargo feature or a folder the same way.
            self.error(
                "service",
                format!("service id `{}` is a Rust keyword", spec.service),
                Some(format!("choose another service id, e.g. `{}_api`", spec.service)),
            );
        }
        if let Err(problem) = checks::check_base_url(&spec.base_url) {
            self.error(
                "base_url",
                format!("`{}` is not a valid base URL: {problem}", checks::redacted_url(&spec.base_url)),
                Some("write the scheme, host and optional path, e.g. `https://api.example.com/v1`".to_owned()),
            );
        }
        if spec.operations.is_empty() {
            self.error("operations", "the service has no operations", Some("add at least one operation".to_owned()));
        }

        self.collect_type_names();
        let types = self.lower_types();
        self.shapes = checks::TypeShapes::new(&types);
        let (mut groups, soap) = match spec.protocol {
            spec::Protocol::Rest => {
                if spec.soap.is_some() {
                    self.error(
                        "soap",
                        "a `soap` section needs `protocol: soap`",
                        Some("remove it, or set `protocol: soap`".to_owned()),
                    );
                }
                let mut groups = self.lower_groups();
                pagination::lower_pagination(&mut self, &types, &mut groups);
                (groups, None)
            }
            spec::Protocol::Soap => (Vec::new(), soap::lower_soap(&mut self, &types)),
        };
        let auth = auth::lower_auth(&mut self);
        let mut service = Service {
            module,
            title: spec.title.clone(),
            doc: doc_of(&spec.description),
            source: spec.source.clone(),
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

    fn collect_type_names(&mut self) {
        let mut by_ident: BTreeMap<String, String> = BTreeMap::new();
        let spec = self.spec;
        for ty in &spec.types {
            let name = ty.name();
            let path = format!("types[{name}]");
            if !is_type_name(name) {
                self.error(
                    format!("types[{name}].name"),
                    format!("type name `{name}` is not an identifier"),
                    Some("use letters, digits and `_` only; type expressions refer to it by this name".to_owned()),
                );
                continue;
            }
            let ident = names::type_name(name);
            if self.type_idents.contains_key(name) {
                self.error(
                    path,
                    format!("type `{name}` is defined twice"),
                    Some("remove or rename one of them".to_owned()),
                );
                continue;
            }
            if let Some(other) = by_ident.get(&ident) {
                self.error(
                    path,
                    format!("type `{name}` and type `{other}` would both be named `{ident}` in Rust"),
                    Some("rename one of them".to_owned()),
                );
                continue;
            }
            by_ident.insert(ident.clone(), name.to_owned());
            self.spec_types_by_ident.insert(ident.clone(), ty);
            self.type_idents.insert(name.to_owned(), ident);
        }
    }

    /// Resolves a type expression; `owner` records direct references for cycle detection.
    fn resolve(&mut self, text: &str, path: &str, owner: Option<&str>) -> Option<TypeRef> {
        match parse_type_expr(text) {
            Ok(expr) => self.resolve_expr(&expr, path, owner, true),
            Err(message) => {
                let hint = if message.contains(" deep") {
                    "give an inner level a name: a `kind: alias` type, referred to by that name".to_owned()
                } else {
                    format!("use a builtin ({}), list<T>, map<T> or a type name", BUILTIN_TYPES.join(", "))
                };
                self.error(path, message, Some(hint));
                None
            }
        }
    }

    fn resolve_expr(&mut self, expr: &TypeExpr, path: &str, owner: Option<&str>, direct: bool) -> Option<TypeRef> {
        match expr {
            TypeExpr::Builtin(builtin) => Some(builtin.clone()),
            TypeExpr::List(inner) => Some(TypeRef::List(Box::new(self.resolve_expr(inner, path, owner, false)?))),
            TypeExpr::Map(inner) => Some(TypeRef::Map(Box::new(self.resolve_expr(inner, path, owner, false)?))),
            TypeExpr::Named(name) => {
                let Some(ident) = self.type_idents.get(name).cloned() else {
                    let candidates: Vec<&str> =
                        self.type_idents.keys().map(String::as_str).chain(BUILTIN_TYPES.iter().copied()).collect();
                    let hint =
                        did_you_mean(name, candidates).or_else(|| Some(format!("define `{name}` under `types`")));
                    self.error(path, format!("unknown type `{name}`"), hint);
                    return None;
                };
                if let (Some(owner), true) = (owner, direct) {
                    self.direct_refs.entry(owner.to_owned()).or_default().insert(name.clone());
                }
                Some(TypeRef::Named { ident, boxed: false })
            }
        }
    }

    fn lower_types(&mut self) -> Vec<TypeDef> {
        let spec = self.spec;
        let mut defs = Vec::new();
        for ty in &spec.types {
            if !self.type_idents.contains_key(ty.name()) {
                continue;
            }
            let def = match ty {
                TypeSpec::Object(object) => TypeDef::Object(self.lower_object(object)),
                TypeSpec::Enum(enumeration) => TypeDef::Enum(self.lower_enum(enumeration)),
                TypeSpec::Alias(alias) => {
                    let path = format!("types[{}].type", alias.name);
                    let ty = self.resolve(&alias.ty, &path, Some(&alias.name)).unwrap_or(TypeRef::Json);
                    let mut doc = doc_of(&alias.description);
                    let item = format!("types[{}]", alias.name);
                    self.provenance(&item, &alias.origin, &alias.inferred, TYPE_KEYS, &mut doc);
                    TypeDef::Alias(AliasDef {
                        ident: self.type_idents.get(&alias.name).cloned().unwrap_or_default(),
                        wire_name: alias.name.clone(),
                        renamed_from: alias.renamed_from.clone(),
                        doc,
                        ty,
                    })
                }
            };
            defs.push(def);
        }
        self.check_alias_cycles();
        self.box_cycles(&mut defs);
        let floats = self.float_types(&defs);
        for def in &mut defs {
            if let TypeDef::Object(object) = def {
                object.has_float = object.fields.iter().any(|field| holds_float(&field.ty, &floats));
            }
        }
        defs
    }

    fn lower_object(&mut self, object: &spec::ObjectSpec) -> ObjectDef {
        let mut fields = Vec::new();
        let mut wire_names = BTreeSet::new();
        let mut idents: BTreeMap<String, String> = BTreeMap::new();
        let mut setters: BTreeMap<String, String> = BTreeMap::new();
        for field in &object.fields {
            let path = format!("types[{}].fields[{}]", object.name, field.name);
            if !wire_names.insert(field.name.clone()) {
                self.error(
                    &path,
                    format!("field `{}` is listed twice", field.name),
                    Some("remove one of them".to_owned()),
                );
                continue;
            }
            let Some(ident) = self.rust_name(&field.rust_name, &field.name, &path) else { continue };
            if let Some(other) = idents.get(&ident) {
                self.error(
                    &path,
                    format!("fields `{}` and `{other}` would both be named `{ident}` in Rust", field.name),
                    Some("set `rust_name` on one of them".to_owned()),
                );
                continue;
            }
            idents.insert(ident.clone(), field.name.clone());
            // Names that differ only in leading `_` (`_x`, `x`) share a setter.
            let setter = names::setter(&ident);
            if let Some(other) = setters.insert(setter.clone(), field.name.clone()) {
                self.error(
                    &path,
                    format!("fields `{}` and `{other}` would both have the setter `{setter}` in Rust", field.name),
                    Some("set `rust_name` on one of them".to_owned()),
                );
                continue;
            }
            let Some(ty) = self.resolve(&field.ty, &format!("{path}.type"), Some(&object.name)) else {
                continue;
            };
            let xml = match self.spec.protocol {
                spec::Protocol::Soap => soap::field_xml(self, object, field, &ty, &path),
                spec::Protocol::Rest => None,
            };
            let mut notes = Vec::new();
            if let Some(max) = field.max_length {
                notes.push(format!("Maximum length: {max}."));
            }
            if let Some(default) = &field.default {
                // Scalars as YAML shows them; lists and maps as one line of JSON.
                let shown = match default {
                    serde_yaml::Value::Sequence(_) | serde_yaml::Value::Mapping(_) | serde_yaml::Value::Tagged(_) => {
                        serde_json::to_string(default).unwrap_or_default()
                    }
                    scalar => serde_yaml::to_string(scalar).unwrap_or_default().trim().trim_matches('\'').to_owned(),
                };
                notes.push(format!("Default: {}.", code_span(&shown)));
            }
            let mut doc = doc_of(&field.description);
            if !notes.is_empty() {
                if !doc.is_empty() {
                    doc.push(String::new());
                }
                doc.push(notes.join(" "));
            }
            self.provenance(&path, &field.origin, &field.inferred, FIELD_KEYS, &mut doc);
            fields.push(Field {
                wire_name: field.name.clone(),
                renamed_from: field.renamed_from.clone(),
                ident,
                setter,
                ty,
                optional: !field.required || field.nullable,
                skip_if_none: !field.required,
                read_only: field.read_only,
                doc,
                deprecated: field.deprecated.note(),
                xml,
            });
        }
        let mut doc = doc_of(&object.description);
        let item = format!("types[{}]", object.name);
        self.provenance(&item, &object.origin, &object.inferred, TYPE_KEYS, &mut doc);
        ObjectDef {
            ident: self.type_idents.get(&object.name).cloned().unwrap_or_default(),
            wire_name: object.name.clone(),
            renamed_from: object.renamed_from.clone(),
            doc,
            deprecated: object.deprecated.note(),
            all_optional: fields.iter().all(|field| field.optional),
            has_float: false,
            fields,
        }
    }

    fn lower_enum(&mut self, enumeration: &spec::EnumSpec) -> EnumDef {
        let mut members = Vec::new();
        // Variant → the member name it came from.
        let mut idents: BTreeMap<String, String> = BTreeMap::new();
        let mut values = BTreeSet::new();
        if enumeration.members.is_empty() && !enumeration.open {
            self.error(
                format!("types[{}].members", enumeration.name),
                "a closed enum needs at least one member",
                Some("add the members, or set `open: true` when they are unknown".to_owned()),
            );
        }
        for member in &enumeration.members {
            let path = format!("types[{}].members[{}]", enumeration.name, member.name);
            let ident = names::camel(&member.name);
            if let Some(other) = idents.get(&ident) {
                let message = if *other == member.name {
                    format!("member `{other}` is listed twice")
                } else {
                    format!("members `{}` and `{other}` would both be named `{ident}` in Rust", member.name)
                };
                self.error(&path, message, Some("rename one of them; the wire value stays in `value`".to_owned()));
                continue;
            }
            idents.insert(ident.clone(), member.name.clone());
            let value = match (enumeration.repr, &member.value) {
                (EnumRepr::String, serde_yaml::Value::String(text)) => WireValue::String(text.clone()),
                (EnumRepr::Integer, serde_yaml::Value::Number(number)) if number.as_i64().is_some() => {
                    WireValue::Integer(number.as_i64().unwrap_or_default())
                }
                (repr, _) => {
                    let (expected, hint) = if repr == EnumRepr::String {
                        ("a string", "quote the value, or set `repr: integer`")
                    } else {
                        ("an integer", "write a whole number without quotes, or set `repr: string`")
                    };
                    self.error(
                        format!("{path}.value"),
                        format!("the value must be {expected} for `repr: {repr:?}`").to_lowercase(),
                        Some(hint.to_owned()),
                    );
                    continue;
                }
            };
            if !values.insert(format!("{value:?}")) {
                let shown = match &value {
                    WireValue::String(text) => format!("\"{text}\""),
                    WireValue::Integer(number) => number.to_string(),
                };
                self.error(
                    format!("{path}.value"),
                    format!("value {shown} is used by two members"),
                    Some("each member needs its own wire value".to_owned()),
                );
                continue;
            }
            let mut doc = doc_of(&member.description);
            self.provenance(&path, &member.origin, &member.inferred, MEMBER_KEYS, &mut doc);
            members.push(Member { ident, value, doc, deprecated: member.deprecated.note() });
        }
        // The catch-all variant of an open enum takes the first name no member has.
        let other_variant = ["Other", "UnknownValue"]
            .into_iter()
            .map(str::to_owned)
            .chain((2..).map(|n| format!("UnknownValue{n}")))
            .find(|name| !idents.contains_key(name))
            .unwrap_or_default();
        let mut doc = doc_of(&enumeration.description);
        let item = format!("types[{}]", enumeration.name);
        self.provenance(&item, &enumeration.origin, &enumeration.inferred, TYPE_KEYS, &mut doc);
        EnumDef {
            ident: self.type_idents.get(&enumeration.name).cloned().unwrap_or_default(),
            wire_name: enumeration.name.clone(),
            renamed_from: enumeration.renamed_from.clone(),
            doc,
            repr: enumeration.repr,
            open: enumeration.open,
            members,
            other_variant,
        }
    }

    /// An alias that reaches itself through aliases alone cannot be a Rust `type` alias.
    fn check_alias_cycles(&mut self) {
        let aliases: BTreeMap<String, String> = self
            .spec
            .types
            .iter()
            .filter_map(|ty| match ty {
                TypeSpec::Alias(alias) => Some((alias.name.clone(), alias.ty.clone())),
                _ => None,
            })
            .collect();
        let index: BTreeMap<&str, usize> = aliases.keys().enumerate().map(|(i, name)| (name.as_str(), i)).collect();
        let edges: Vec<Vec<usize>> = aliases
            .values()
            .map(|text| named_in(text).iter().filter_map(|name| index.get(name.as_str()).copied()).collect())
            .collect();
        let cycle = graph::on_cycle(&edges);
        for (start, _) in aliases.keys().zip(&cycle).filter(|(_, &on_cycle)| on_cycle) {
            self.error(
                format!("types[{start}].type"),
                format!("alias `{start}` refers to itself"),
                Some("make it an object, or break the cycle through an object field".to_owned()),
            );
        }
    }

    /// Boxes direct references that close a cycle, so every struct has a finite size. A field
    /// of `owner` naming `target` closes one when `target` reaches `owner` again, which (the
    /// field being a reference from `owner` to `target`) means both share a component.
    fn box_cycles(&self, defs: &mut [TypeDef]) {
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (from, targets) in &self.direct_refs {
            for name in std::iter::once(from).chain(targets) {
                let next = index.len();
                index.entry(name.as_str()).or_insert(next);
            }
        }
        let mut edges = vec![Vec::new(); index.len()];
        for (from, targets) in &self.direct_refs {
            edges[index[from.as_str()]].extend(targets.iter().map(|target| index[target.as_str()]));
        }
        let component = graph::components(&edges);
        let component_of = |name: &str| index.get(name).map(|&node| component[node]);
        let ident_to_name: BTreeMap<&String, &String> = self.type_idents.iter().map(|(n, i)| (i, n)).collect();
        for def in defs {
            let TypeDef::Object(object) = def else { continue };
            let owner = component_of(&object.wire_name);
            for field in &mut object.fields {
                if let TypeRef::Named { ident, boxed } = &mut field.ty {
                    *boxed =
                        owner.is_some() && ident_to_name.get(ident).is_some_and(|target| component_of(target) == owner);
                }
            }
        }
    }

    /// The types that hold a float somewhere (they cannot derive `Eq`): the ones with a float
    /// of their own, then everything that names one of those, spread along the references
    /// backwards (each type is visited once).
    fn float_types(&self, defs: &[TypeDef]) -> BTreeSet<String> {
        let mut floats = BTreeSet::new();
        let mut named_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut queue = Vec::new();
        for def in defs {
            let (ident, types): (&String, Vec<&TypeRef>) = match def {
                TypeDef::Object(object) => (&object.ident, object.fields.iter().map(|field| &field.ty).collect()),
                TypeDef::Alias(alias) => (&alias.ident, vec![&alias.ty]),
                TypeDef::Enum(_) => continue,
            };
            for ty in types {
                let (named, float) = innermost(ty);
                match named {
                    Some(target) => named_by.entry(target).or_default().push(ident),
                    None if float && floats.insert(ident.clone()) => queue.push(ident.as_str()),
                    None => {}
                }
            }
        }
        while let Some(ident) = queue.pop() {
            for &holder in named_by.get(ident).into_iter().flatten() {
                if floats.insert(holder.to_owned()) {
                    queue.push(holder);
                }
            }
        }
        floats
    }

    fn lower_groups(&mut self) -> Vec<Group> {
        let spec = self.spec;
        let mut groups: Vec<Group> = Vec::new();
        // Module name → index in `groups`.
        let mut group_index: BTreeMap<String, usize> = BTreeMap::new();
        for group in &spec.groups {
            let module = names::snake(&group.id);
            if names::to_snake(&group.id) != group.id {
                self.error(
                    format!("groups[{}].id", group.id),
                    format!("group id `{}` is not snake_case", group.id),
                    Some(format!("use `{}`", names::to_snake(&group.id))),
                );
            }
            if group_index.contains_key(&module) {
                self.error(
                    format!("groups[{}]", group.id),
                    format!("group `{}` is listed twice", group.id),
                    Some("remove one of them".to_owned()),
                );
                continue;
            }
            // The service module holds `types` (and `blocking`, `mock` with those features), and
            // the client has these methods besides one accessor per group.
            if ["types", "new", "base_url", "http", "clone", "fmt", "blocking", "mock"].contains(&names::unraw(&module))
            {
                self.error(
                    format!("groups[{}].id", group.id),
                    format!("group id `{}` is taken by an item the generator emits on every service", group.id),
                    Some(format!("rename the group, e.g. `{}_api`", group.id)),
                );
            }
            let feature = features::check_group_feature(self, &names::snake(&spec.service), &module, &group.id);
            group_index.insert(module.clone(), groups.len());
            groups.push(Group {
                // Converted as one name, so a keyword group gets `SelfApi`, not `Self_Api`.
                api_struct: names::camel(&format!("{}_api", group.id)),
                feature,
                module,
                doc: doc_of(&group.description),
                operations: Vec::new(),
            });
        }
        let mut items: Vec<GroupItems> = groups.iter().map(GroupItems::new).collect();
        let mut ids = BTreeSet::new();
        for operation in &spec.operations {
            let path = format!("operations[{}]", operation.id);
            if !ids.insert(operation.id.clone()) {
                self.error(
                    &path,
                    format!("operation id `{}` is used twice", operation.id),
                    Some("operation ids must be unique in a service".to_owned()),
                );
                continue;
            }
            let Some(&group_index) = group_index.get(&names::snake(&operation.group)) else {
                let hint = did_you_mean(&operation.group, spec.groups.iter().map(|g| g.id.as_str()))
                    .or_else(|| Some(format!("add `{}` under `groups`", operation.group)));
                self.error(format!("{path}.group"), format!("unknown group `{}`", operation.group), hint);
                continue;
            };
            let Some(lowered) = self.lower_operation(operation, &path) else { continue };
            let (Some(group), Some(items)) = (groups.get_mut(group_index), items.get_mut(group_index)) else {
                continue;
            };
            if let Some(problem) = group_item_clash(group, items, &lowered) {
                self.error(format!("{path}.name"), problem, Some("set a distinct `name` on the operation".to_owned()));
                continue;
            }
            items.add(&lowered);
            group.operations.push(lowered);
        }
        groups
    }

    fn lower_operation(&mut self, operation: &spec::OperationSpec, path: &str) -> Option<Operation> {
        let Some(method_text) = &operation.method else {
            self.error(
                format!("{path}.method"),
                "a REST operation needs `method`",
                Some("add `method: GET` (or POST, PUT, ...)".to_owned()),
            );
            return None;
        };
        let method = match method_text.to_ascii_uppercase().as_str() {
            "GET" => HttpMethod::Get,
            "POST" => HttpMethod::Post,
            "PUT" => HttpMethod::Put,
            "PATCH" => HttpMethod::Patch,
            "DELETE" => HttpMethod::Delete,
            "HEAD" => HttpMethod::Head,
            "OPTIONS" => HttpMethod::Options,
            other => {
                self.error(
                    format!("{path}.method"),
                    format!("`{other}` is not an HTTP method"),
                    Some("use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS".to_owned()),
                );
                return None;
            }
        };
        let fn_source = operation.name.clone().unwrap_or_else(|| {
            let prefix = format!("{}_", operation.group);
            operation.id.strip_prefix(&prefix).unwrap_or(&operation.id).to_owned()
        });
        let fn_name = names::snake(&fn_source);
        let builder = names::camel(names::unraw(&fn_name));

        let params = self.lower_params(operation, path);
        let path_parts = self.lower_path(operation, path, &params);

        let body = operation.body.as_ref().and_then(|body| {
            if matches!(method, HttpMethod::Get | HttpMethod::Head) {
                self.error(
                    format!("{path}.body"),
                    format!("a {} request cannot carry a body", method.as_str()),
                    Some("remove `body`, or use POST/PUT/PATCH".to_owned()),
                );
            }
            if body.content_type != "application/json" {
                self.error(
                    format!("{path}.body.content_type"),
                    format!("content type `{}` is not supported for REST bodies", body.content_type),
                    Some("use `application/json`".to_owned()),
                );
            }
            let ty = self.resolve(&body.ty, &format!("{path}.body.type"), None)?;
            let mut doc = doc_of(&body.description);
            self.provenance(&format!("{path}.body"), &body.origin, &body.inferred, BODY_KEYS, &mut doc);
            Some(Body { ty, content_type: body.content_type.clone(), required: body.required, doc })
        });

        let mut success = Vec::new();
        let mut statuses = BTreeSet::new();
        for response in &operation.responses {
            let rpath = format!("{path}.responses[{}]", response.status);
            if !(200..400).contains(&response.status) {
                self.error(
                    &rpath,
                    format!("{} is not a success status", response.status),
                    Some("list 4xx/5xx statuses under `errors`".to_owned()),
                );
                continue;
            }
            if !statuses.insert(response.status) {
                self.error(
                    &rpath,
                    format!("status {} is listed twice", response.status),
                    Some("remove one of them".to_owned()),
                );
                continue;
            }
            let ty = match &response.ty {
                Some(text) => Some(self.resolve(text, &format!("{rpath}.type"), None)?),
                None => None,
            };
            let mut doc = doc_of(&response.description);
            self.provenance(&rpath, &response.origin, &response.inferred, RESPONSE_KEYS, &mut doc);
            success.push(SuccessResponse {
                status: response.status,
                variant: names::status_variant(response.status),
                ty,
                doc,
                headers: response.headers.clone(),
            });
        }
        success.sort_by_key(|response| response.status);
        let success = match success.len() {
            0 => {
                self.error(
                    format!("{path}.responses"),
                    "the operation declares no success response",
                    Some("add at least one 2xx response".to_owned()),
                );
                return None;
            }
            1 => SuccessShape::Single(success.remove(0)),
            _ => SuccessShape::Enum {
                name: names::camel(&format!("{}_response", names::unraw(&fn_name))),
                doc: vec![format!("The successful answers of [`{builder}`], one variant per status.")],
                cases: success,
            },
        };

        let mut errors = Vec::new();
        let mut error_body: Option<TypeRef> = None;
        let mut seen_errors = BTreeSet::new();
        for error in &operation.errors {
            let (status, label) = match &error.status {
                ErrorStatus::Code(code) if (400..600).contains(code) => (Some(*code), code.to_string()),
                ErrorStatus::Named(name) if name == "default" => (None, "default".to_owned()),
                other => {
                    let shown = match other {
                        ErrorStatus::Code(code) => code.to_string(),
                        ErrorStatus::Named(name) => name.clone(),
                    };
                    self.error(
                        format!("{path}.errors[{shown}]"),
                        format!("`{shown}` is not an error status"),
                        Some("use a 4xx/5xx code or `default`".to_owned()),
                    );
                    continue;
                }
            };
            let epath = format!("{path}.errors[{label}]");
            if !seen_errors.insert(label.clone()) {
                self.error(
                    &epath,
                    format!("error status {label} is listed twice"),
                    Some("remove one of them".to_owned()),
                );
                continue;
            }
            let ty = match &error.ty {
                Some(text) => self.resolve(text, &format!("{epath}.type"), None),
                None => None,
            };
            if let Some(ty) = &ty {
                match &error_body {
                    Some(existing) if existing != ty => self.error(
                        format!("{epath}.type"),
                        "an operation's error responses must share one body type",
                        Some("declare the common envelope type on every error response".to_owned()),
                    ),
                    _ => error_body = Some(ty.clone()),
                }
            }
            errors.push(ErrorResponse { status, ty, doc: doc_of(&error.description) });
        }

        let mut doc = Vec::new();
        if let Some(summary) = &operation.summary {
            doc.extend(doc_lines(summary));
        }
        let description = doc_of(&operation.description);
        if !description.is_empty() && description != doc {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.extend(description);
        }
        self.provenance(path, &operation.origin, &operation.inferred, OPERATION_KEYS, &mut doc);
        Some(Operation {
            id: operation.id.clone(),
            renamed_from: operation.renamed_from.clone(),
            source_id: operation.source_id.clone(),
            fn_name,
            builder,
            method,
            path_template: operation.path.clone().unwrap_or_default(),
            path: path_parts,
            summary: operation.summary.clone(),
            doc,
            deprecated: operation.deprecated.note(),
            params,
            body,
            success,
            errors,
            error_body,
            pagination: None,
            background: None,
            idempotent: self.idempotent(operation, method, path),
        })
    }

    /// `idempotent`, which only a POST or PATCH needs: the other methods are retried anyway.
    fn idempotent(&mut self, operation: &spec::OperationSpec, method: HttpMethod, path: &str) -> bool {
        if operation.idempotent && !matches!(method, HttpMethod::Post | HttpMethod::Patch) {
            let problem = format!("a {} request is idempotent already", method.as_str());
            self.error(
                format!("{path}.idempotent"),
                problem,
                Some("remove `idempotent`: only POST and PATCH need it".to_owned()),
            );
        }
        operation.idempotent
    }

    fn lower_params(&mut self, operation: &spec::OperationSpec, path: &str) -> Vec<Param> {
        let mut required = Vec::new();
        let mut optional = Vec::new();
        let mut wire = BTreeSet::new();
        let mut idents: BTreeMap<String, String> = BTreeMap::new();
        for param in &operation.params {
            let ppath = format!("{path}.params[{}]", param.name);
            // Header names are case-insensitive on the wire.
            let key = match param.location {
                ParamLocation::Header => (param.location, param.name.to_ascii_lowercase()),
                location => (location, param.name.clone()),
            };
            if !wire.insert(key) {
                let location = format!("{:?}", param.location).to_lowercase();
                self.error(
                    &ppath,
                    format!("parameter `{}` in {location} is listed twice", param.name),
                    Some("remove one of them; a list parameter is one entry with a `list<T>` type".to_owned()),
                );
                continue;
            }
            let Some(mut ident) = self.rust_name(&param.rust_name, &param.name, &ppath) else { continue };
            // The builder keeps its client and body in fields of these names, and has these methods.
            if ["client", "body", "send", "into_stream", "collect_all", "send_in_background", "request_options"]
                .contains(&ident.as_str())
            {
                ident = format!("{ident}_param");
            }
            if let Some(other) = idents.get(&ident) {
                self.error(
                    &ppath,
                    format!("parameters `{}` and `{other}` would both be named `{ident}` in Rust", param.name),
                    Some("set `rust_name` on one of them".to_owned()),
                );
                continue;
            }
            idents.insert(ident.clone(), param.name.clone());
            if param.location == ParamLocation::Path && !param.required {
                self.error(
                    format!("{ppath}.required"),
                    "a path parameter must be required",
                    Some("set `required: true`".to_owned()),
                );
            }
            if param.location == ParamLocation::Header
                && !param.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
            {
                self.error(
                    &ppath,
                    format!("`{}` is not a valid HTTP header name", param.name),
                    Some("use ASCII letters, digits and `-` (no spaces, `:` or other separators)".to_owned()),
                );
            }
            self.check_reserved_header(param, &ppath);
            let Some(ty) = self.resolve(&param.ty, &format!("{ppath}.type"), None) else { continue };
            self.check_param_type(param, &ty, &ppath);
            let mut doc = doc_of(&param.description);
            self.provenance(&ppath, &param.origin, &param.inferred, PARAM_KEYS, &mut doc);
            let lowered = Param {
                wire_name: param.name.clone(),
                renamed_from: param.renamed_from.clone(),
                location: param.location,
                ident,
                ty,
                required: param.required,
                doc,
                deprecated: param.deprecated.note(),
            };
            if param.required {
                required.push(lowered);
            } else {
                optional.push(lowered);
            }
        }
        required.extend(optional);
        required
    }

    /// A parameter's type must have a text form its location can carry (see `checks`).
    fn check_param_type(&mut self, param: &spec::ParamSpec, ty: &TypeRef, ppath: &str) {
        let shape = self.shapes.of(ty);
        if let Some((message, help)) = checks::param_type_problem(param.location, &shape, param.ty.trim()) {
            self.error(format!("{ppath}.type"), message, Some(help));
        }
    }

    /// Headers the runtime or the HTTP library set cannot also be parameters.
    fn check_reserved_header(&mut self, param: &spec::ParamSpec, ppath: &str) {
        if param.location != ParamLocation::Header {
            return;
        }
        if let Some(help) = checks::reserved_header(&param.name) {
            self.error(
                format!("{ppath}.name"),
                format!("header `{}` cannot be a parameter: the generated client sets it itself", param.name),
                Some(help.to_owned()),
            );
        }
    }

    /// A literal `.` or `..` segment would be removed or climbed by URL parsing, so the
    /// runtime would refuse every call.
    fn check_dot_segments(&mut self, template: &str, path: &str) {
        let literal = |segment: &&str| !segment.contains(['{', '}']);
        if let Some(segment) = template.split('/').filter(literal).find(|segment| checks::is_dot_segment(segment)) {
            self.error(
                format!("{path}.path"),
                format!("path `{template}` has a `{segment}` segment, which URL parsing removes"),
                Some("write the path without dot segments (`/a/../b` is `/b`)".to_owned()),
            );
        }
    }

    fn lower_path(&mut self, operation: &spec::OperationSpec, path: &str, params: &[Param]) -> Vec<PathPart> {
        let template = operation.path.as_deref().unwrap_or_default();
        let mut parts = Vec::new();
        if operation.path.is_none() {
            self.error(format!("{path}.path"), "a REST operation needs `path`", Some("add `path: /...`".to_owned()));
            return parts;
        }
        if !template.starts_with('/') {
            self.error(
                format!("{path}.path"),
                format!("path `{template}` must start with `/`"),
                Some(format!("write `/{template}`")),
            );
        }
        if template.chars().any(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`|".contains(c)) {
            self.error(
                format!("{path}.path"),
                format!("path `{template}` contains white space or a character URLs do not allow unescaped"),
                Some("percent-encode it (e.g. `%20` for a space), or make that segment a path parameter".to_owned()),
            );
        }
        self.check_dot_segments(template, path);
        let mut used = BTreeSet::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.error(
                    format!("{path}.path"),
                    format!("path `{template}` has an unclosed `{{`"),
                    Some("close the path variable with `}`".to_owned()),
                );
                return parts;
            };
            let name = &rest[open + 1..open + close];
            match params.iter().position(|p| p.location == ParamLocation::Path && p.wire_name == name) {
                Some(index) => {
                    used.insert(index);
                    parts.push(PathPart::Param(index));
                }
                None => self.error(
                    format!("{path}.path"),
                    format!("path variable `{{{name}}}` has no path parameter"),
                    Some(format!("add a parameter `{name}` with `in: path`")),
                ),
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for (index, param) in params.iter().enumerate() {
            if param.location == ParamLocation::Path && !used.contains(&index) {
                self.error(
                    format!("{path}.params[{}]", param.wire_name),
                    format!("path parameter `{}` does not appear in the path `{template}`", param.wire_name),
                    Some(format!("add `{{{}}}` to the path, or change `in`", param.wire_name)),
                );
            }
        }
        parts
    }
}

/// The names taken in one group's module so far, each with who took it (the first taker
/// wins), so checking an operation costs a lookup, not a pass over the group.
struct GroupItems {
    /// Rust method name → operation id.
    methods: BTreeMap<String, String>,
    /// Type name (API struct, request builders, response enums) → what it is.
    types: BTreeMap<String, String>,
}

impl GroupItems {
    fn new(group: &Group) -> Self {
        let mut types = BTreeMap::new();
        types.insert(group.api_struct.clone(), format!("the API struct of group `{}`", group.module));
        GroupItems { methods: BTreeMap::new(), types }
    }

    fn add(&mut self, operation: &Operation) {
        self.methods.entry(operation.fn_name.clone()).or_insert_with(|| operation.id.clone());
        self.types
            .entry(operation.builder.clone())
            .or_insert_with(|| format!("the request builder of `{}`", operation.id));
        if let SuccessShape::Enum { name, .. } = &operation.success {
            self.types.entry(name.clone()).or_insert_with(|| format!("the response enum of `{}`", operation.id));
        }
    }
}

/// Why an operation cannot join its group's module: the items there are the group's API
/// struct (with a `new` constructor and one method per operation), one request builder per
/// operation and the response enums.
fn group_item_clash(group: &Group, items: &GroupItems, operation: &Operation) -> Option<String> {
    let fn_name = names::unraw(&operation.fn_name);
    if fn_name == "new" {
        return Some(format!(
            "the operation's method would be named `new`, like the constructor of `{}`",
            group.api_struct
        ));
    }
    if let Some(existing) = items.methods.get(&operation.fn_name) {
        return Some(format!("operations `{existing}` and `{}` would both be named `{fn_name}` in Rust", operation.id));
    }
    let mut mine = vec![(operation.builder.clone(), "request builder")];
    if let SuccessShape::Enum { name, .. } = &operation.success {
        mine.push((name.clone(), "response enum"));
    }
    mine.into_iter().find_map(|(name, what)| {
        items.types.get(&name).map(|owner| format!("the operation's {what} would be named `{name}`, like {owner}"))
    })
}

fn doc_of(text: &Option<String>) -> Doc {
    text.as_deref().map(doc_lines).unwrap_or_default()
}

/// The type a list or map holds at its core: the named type's ident, or whether it is a float.
fn innermost(ty: &TypeRef) -> (Option<&str>, bool) {
    match ty {
        TypeRef::F32 | TypeRef::F64 => (None, true),
        TypeRef::List(inner) | TypeRef::Map(inner) => innermost(inner),
        TypeRef::Named { ident, .. } => (Some(ident), false),
        _ => (None, false),
    }
}

fn holds_float(ty: &TypeRef, floats: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::F32 | TypeRef::F64 => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => holds_float(inner, floats),
        TypeRef::Named { ident, .. } => floats.contains(ident),
        _ => false,
    }
}

/// Every type name mentioned in a type expression.
fn named_in(text: &str) -> Vec<String> {
    fn walk(expr: &TypeExpr, out: &mut Vec<String>) {
        match expr {
            TypeExpr::Named(name) => out.push(name.clone()),
            TypeExpr::List(inner) | TypeExpr::Map(inner) => walk(inner, out),
            TypeExpr::Builtin(_) => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(expr) = parse_type_expr(text) {
        walk(&expr, &mut out);
    }
    out
}
