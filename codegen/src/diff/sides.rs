//! Which side of the API reaches each type: requests (parameters, bodies), responses (success and
//! error bodies), or both. Adding a required field breaks senders, removing one breaks readers,
//! so the wire verdict of a type change depends on it.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Service, TypeDef, TypeRef};

/// Where a type is used, as reported with type changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    Request,
    Response,
    Both,
    /// No operation reaches the type; it is judged as if both sides could.
    Unused,
}

impl Side {
    pub fn request(self) -> bool {
        matches!(self, Side::Request | Side::Both | Side::Unused)
    }

    pub fn response(self) -> bool {
        matches!(self, Side::Response | Side::Both | Side::Unused)
    }

    pub fn of(request: bool, response: bool) -> Side {
        match (request, response) {
            (true, true) => Side::Both,
            (true, false) => Side::Request,
            (false, true) => Side::Response,
            (false, false) => Side::Unused,
        }
    }
}

impl std::fmt::Display for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Side::Request => "in requests",
            Side::Response => "in responses",
            Side::Both => "in requests and responses",
            Side::Unused => "unused",
        })
    }
}

/// The sides of every type of a service, by Rust ident, following fields, list and map items,
/// aliases and union variants.
#[derive(Debug, Default)]
pub struct Sides {
    reached: BTreeMap<String, (bool, bool)>,
}

impl Sides {
    pub fn of(service: &Service) -> Sides {
        let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for def in &service.types {
            let (ident, targets) = match def {
                TypeDef::Object(object) => {
                    (object.ident.as_str(), object.fields.iter().flat_map(|field| named(&field.ty)).collect())
                }
                TypeDef::Alias(alias) => (alias.ident.as_str(), named(&alias.ty)),
                TypeDef::Union(union) => {
                    (union.ident.as_str(), union.variants.iter().flat_map(|variant| named(&variant.ty)).collect())
                }
                TypeDef::Enum(enumeration) => (enumeration.ident.as_str(), Vec::new()),
            };
            edges.insert(ident, targets);
        }
        // (type, reached from a request)
        let mut roots: Vec<(&str, bool)> = Vec::new();
        for op in service.groups.iter().flat_map(|group| &group.operations) {
            for param in &op.params {
                roots.extend(named(&param.ty).into_iter().map(|ident| (ident, true)));
            }
            if let Some(body) = &op.body {
                roots.extend(named(&body.ty).into_iter().map(|ident| (ident, true)));
            }
            for response in op.success.responses() {
                roots.extend(response.ty.iter().flat_map(named).map(|ident| (ident, false)));
            }
            if let Some(error) = &op.error_body {
                roots.extend(named(error).into_iter().map(|ident| (ident, false)));
            }
        }
        for op in service.soap.iter().flat_map(|soap| &soap.operations) {
            roots.push((op.request.as_str(), true));
            roots.push((op.response.as_str(), false));
        }
        // One walk per side from all of its roots at once: each type is visited at most twice.
        let mut reached: BTreeMap<String, (bool, bool)> = BTreeMap::new();
        for side in [true, false] {
            let mut stack: Vec<&str> =
                roots.iter().filter(|(_, request)| *request == side).map(|(root, _)| *root).collect();
            let mut seen = BTreeSet::new();
            while let Some(ident) = stack.pop() {
                if !seen.insert(ident) {
                    continue;
                }
                let entry = reached.entry(ident.to_owned()).or_default();
                if side {
                    entry.0 = true;
                } else {
                    entry.1 = true;
                }
                stack.extend(edges.get(ident).into_iter().flatten().copied());
            }
        }
        Sides { reached }
    }

    /// (reached from a request, reached from a response)
    pub fn reach(&self, ident: &str) -> (bool, bool) {
        self.reached.get(ident).copied().unwrap_or_default()
    }
}

fn named(ty: &TypeRef) -> Vec<&str> {
    match ty {
        TypeRef::Named { ident, .. } => vec![ident.as_str()],
        TypeRef::List(inner) | TypeRef::Map(inner) => named(inner),
        _ => Vec::new(),
    }
}
