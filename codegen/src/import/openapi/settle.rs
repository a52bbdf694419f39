//! Lowers the imported spec and takes out what `lower` refuses, so every import validates.
//!
//! The mapping follows the spec's rules, but a document can still hold what they refuse (two
//! operation names whose builders collide, an alias that reaches itself). Each refused item is
//! narrowed (a field or type to `json`, an optional parameter left out) or its operation left
//! out, and reported with `lower`'s message.

use crate::diagnostics::Location;
use crate::import::Skipped;
use crate::load::{SpecFile, SpecSet};
use crate::spec::{AliasSpec, CrateSpec, ServiceSpec, TypeSpec};

/// Rounds of lowering; each fixes every problem it sees, and fixes only remove or simplify.
const MAX_ROUNDS: usize = 8;

pub fn settle(spec: &mut ServiceSpec, skipped: &mut Vec<Skipped>) {
    for _ in 0..MAX_ROUNDS {
        let set = SpecSet {
            krate: SpecFile {
                file: "crate.yaml".to_owned(),
                spec: CrateSpec {
                    name: "import-check".to_owned(),
                    version: "0.1.0".to_owned(),
                    description: "import check".to_owned(),
                    license: None,
                },
            },
            services: vec![SpecFile { file: format!("{}.yaml", spec.service), spec: spec.clone() }],
        };
        let Err(diagnostics) = crate::lower::lower(&set) else { return };
        let mut changed = false;
        for diagnostic in diagnostics.0 {
            let Location::SpecPath { path, .. } = &diagnostic.location else { continue };
            let origin = format!("spec:{path}");
            let mut note = |construct: &str, what: String| {
                skipped.push(Skipped {
                    origin: origin.clone(),
                    construct: construct.to_owned(),
                    reason: format!("{what}: {}", diagnostic.message),
                });
            };
            if let Some(id) = selector(path, "operations[") {
                let Some(index) = spec.operations.iter().position(|operation| operation.id == id) else { continue };
                let param = selector(&path[path.find(']').unwrap_or(0)..], ".params[");
                let operation = &mut spec.operations[index];
                if let Some(position) =
                    param.and_then(|name| operation.params.iter().position(|p| p.name == name && !p.required))
                {
                    operation.params.remove(position);
                    note("lowering", "the optional parameter is left out".to_owned());
                } else {
                    let removed = spec.operations.remove(index);
                    note("lowering", format!("operation `{}` is left out", removed.id));
                }
                changed = true;
            } else if let Some(name) = selector(path, "types[") {
                let Some(index) = spec.types.iter().position(|ty| ty.name() == name) else { continue };
                let field = selector(&path[path.find(']').unwrap_or(0)..], ".fields[");
                if let (Some(field), TypeSpec::Object(object)) = (field, &mut spec.types[index]) {
                    if let Some(field) = object.fields.iter_mut().find(|f| f.name == field && f.ty != "json") {
                        field.ty = "json".to_owned();
                        note("lowering", format!("field `{}` of `{name}` is mapped to `json`", field.name));
                        changed = true;
                        continue;
                    }
                }
                if matches!(&spec.types[index], TypeSpec::Alias(alias) if alias.ty == "json") {
                    continue;
                }
                let description = match &spec.types[index] {
                    TypeSpec::Object(object) => object.description.clone(),
                    TypeSpec::Enum(enumeration) => enumeration.description.clone(),
                    TypeSpec::Alias(alias) => alias.description.clone(),
                    TypeSpec::Union(union) => union.description.clone(),
                };
                spec.types[index] = TypeSpec::Alias(AliasSpec {
                    name: name.to_owned(),
                    renamed_from: None,
                    description,
                    ty: "json".to_owned(),
                    origin: None,
                    inferred: Vec::new(),
                });
                note("lowering", format!("type `{name}` is mapped to `json`"));
                changed = true;
            } else if path.starts_with("base_url") && spec.base_url != "https://localhost" {
                note("server", format!("the base URL `{}` is replaced by `https://localhost`", spec.base_url));
                spec.base_url = "https://localhost".to_owned();
                changed = true;
            } else if path.starts_with("auth") && !spec.auth.is_empty() {
                note("security scheme", "the auth schemes are left out".to_owned());
                spec.auth.clear();
                changed = true;
            }
        }
        if !changed {
            return;
        }
        let used: std::collections::BTreeSet<String> =
            spec.operations.iter().map(|operation| operation.group.clone()).collect();
        spec.groups.retain(|group| used.contains(&group.id));
    }
}

/// The key of the first `prefix<key>]` in `path`, if `path` starts with `prefix` (after a `.`).
fn selector<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    let rest = path.strip_prefix(prefix).or_else(|| path.find(prefix).map(|at| &path[at + prefix.len()..]))?;
    let end = rest.find(']')?;
    Some(&rest[..end])
}

/// Removes the types neither an operation nor a component schema (`roots`) reaches: those of
/// inline schemas whose operation was left out.
pub fn prune(spec: &mut ServiceSpec, roots: &[String]) {
    let index: std::collections::HashMap<&str, &TypeSpec> = spec.types.iter().map(|ty| (ty.name(), ty)).collect();
    let mut reached = std::collections::HashSet::new();
    let mut queue: Vec<&str> = roots.iter().map(String::as_str).collect();
    for operation in &spec.operations {
        queue.extend(operation.params.iter().map(|param| param.ty.as_str()));
        queue.extend(operation.body.iter().map(|body| body.ty.as_str()));
        queue.extend(operation.responses.iter().filter_map(|response| response.ty.as_deref()));
        queue.extend(operation.errors.iter().filter_map(|error| error.ty.as_deref()));
    }
    while let Some(expr) = queue.pop() {
        for name in expr.split(['<', '>']).filter(|name| !name.is_empty()) {
            let Some(ty) = index.get(name) else { continue };
            if !reached.insert(name) {
                continue;
            }
            match ty {
                TypeSpec::Object(object) => queue.extend(object.fields.iter().map(|field| field.ty.as_str())),
                TypeSpec::Alias(alias) => queue.push(alias.ty.as_str()),
                TypeSpec::Union(union) => queue.extend(union.variants.iter().map(|variant| variant.ty.as_str())),
                TypeSpec::Enum(_) => {}
            }
        }
    }
    let reached: std::collections::HashSet<String> = reached.into_iter().map(str::to_owned).collect();
    spec.types.retain(|ty| reached.contains(ty.name()));
}
