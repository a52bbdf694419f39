//! `kind: union` types: variant names and tags checked, variant types resolved, and unions that would decode forever refused.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{RustName, TypeRef, UnionDef, Variant};
use crate::names;
use crate::spec::{self, TypeSpec};

use super::type_expr::{parse_type_expr, TypeExpr};
use super::{doc_of, graph, NameScope, ServiceLowering};

/// The keys a union's and a variant's `inferred:` lists may name.
const UNION_KEYS: &[&str] = &["name", "kind", "description", "discriminator", "open", "variants"];
const VARIANT_KEYS: &[&str] = &["name", "tag", "type", "description"];

/// The catch-all variant of an open union: the first name no variant took (as for open enums).
pub(super) fn catch_all(scope: &NameScope) -> RustName {
    names::other_variant(|name| scope.taker(name).is_some())
}

impl ServiceLowering<'_> {
    pub(super) fn lower_union(&mut self, union: &spec::UnionSpec) -> UnionDef {
        let item = format!("types[{}]", union.name);
        if self.spec.protocol == spec::Protocol::Soap {
            self.error(&item, format!("union `{}` is in a SOAP service", union.name))
                .hint("unions are JSON constructs; describe the XML choice as an object with optional fields");
        }
        if union.variants.is_empty() {
            self.error(format!("{item}.variants"), "a union needs at least one variant")
                .hint("list the types it can be, or use `json` for any value");
        }
        if union.discriminator.as_deref().is_some_and(|name| name.trim().is_empty()) {
            self.error(format!("{item}.discriminator"), "the discriminator is empty").hint(
                "name the JSON property that holds each variant's tag, or leave the key out for an untagged union",
            );
        }
        let mut idents = NameScope::new(|new, old| format!("variants `{new}` and `{old}`"));
        let mut tags: BTreeMap<&str, &str> = BTreeMap::new();
        let mut variants = Vec::new();
        for variant in &union.variants {
            let path = format!("{item}.variants[{}]", variant.name);
            let ident = names::camel(&variant.name);
            let claimed = match idents.taker(ident.as_str()) {
                Some(other) if other == variant.name => Err(format!("variant `{other}` is listed twice")),
                _ => idents.claim(ident.as_str(), &variant.name),
            };
            if let Err(problem) = claimed {
                self.error(&path, problem).hint("rename one of them; variant names are not sent");
                continue;
            }
            match (&union.discriminator, &variant.tag) {
                (Some(discriminator), None) => {
                    self.error(&path, format!("variant `{}` has no `tag`", variant.name))
                        .hint(format!("set `tag` to the value of `{discriminator}` that selects this variant"));
                    continue;
                }
                (None, Some(_)) => {
                    self.error(format!("{path}.tag"), "a `tag` needs the union's `discriminator`")
                        .hint("set `discriminator` on the union to the property that holds the tag, or remove `tag`");
                    continue;
                }
                (Some(_), Some(tag)) => {
                    if let Some(first) = tags.insert(tag, &variant.name) {
                        self.error(
                            format!("{path}.tag"),
                            format!("tag \"{tag}\" is used by variants `{first}` and `{}`", variant.name),
                        )
                        .hint("each variant needs its own tag");
                        continue;
                    }
                }
                (None, None) => {}
            }
            let Some(ty) = self.resolve(&variant.ty, &format!("{path}.type"), Some(&union.name)) else { continue };
            if union.discriminator.is_some() && !self.names_object(&ty) {
                self.error(format!("{path}.type"), format!("variant `{}` of a tagged union is not an object", variant.name))
                    .hint("the tag is a property of the variant's JSON object: name an object type, or leave out `discriminator` for an untagged union");
                continue;
            }
            let mut doc = doc_of(&variant.description);
            self.provenance(&path, &variant.origin, &variant.inferred, VARIANT_KEYS, &mut doc);
            variants.push(Variant { ident, tag: variant.tag.clone(), ty, doc });
        }
        let mut doc = doc_of(&union.description);
        self.provenance(&item, &union.origin, &union.inferred, UNION_KEYS, &mut doc);
        UnionDef {
            ident: self.type_idents.get(&union.name).cloned().unwrap_or_else(|| names::type_name(&union.name)),
            wire_name: union.name.clone(),
            renamed_from: union.renamed_from.clone(),
            doc,
            discriminator: union.discriminator.clone(),
            open: union.open,
            variants,
            other_variant: catch_all(&idents),
            has_float: false,
        }
    }

    fn names_object(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named { ident, .. } = ty else { return false };
        matches!(self.spec_types_by_ident.get(ident), Some(TypeSpec::Object(_)))
    }

    /// A union that reaches itself through variants and aliases alone, with no object or list
    /// in between, would try to decode the same value forever.
    pub(super) fn check_union_cycles(&mut self) {
        // Unions and aliases, each with the types it names at its top level.
        let mut direct: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let top = |text: &str| match parse_type_expr(text) {
            Ok(TypeExpr::Named(name)) => Some(name),
            _ => None,
        };
        for ty in &self.spec.types {
            match ty {
                TypeSpec::Union(union) => {
                    direct.insert(&union.name, union.variants.iter().filter_map(|v| top(&v.ty)).collect());
                }
                TypeSpec::Alias(alias) => {
                    direct.insert(&alias.name, top(&alias.ty).into_iter().collect());
                }
                _ => {}
            }
        }
        if !self.spec.types.iter().any(|ty| matches!(ty, TypeSpec::Union(_))) {
            return;
        }
        let index: BTreeMap<&str, usize> = direct.keys().enumerate().map(|(at, name)| (*name, at)).collect();
        let edges: Vec<Vec<usize>> = direct
            .values()
            .map(|targets| targets.iter().filter_map(|name| index.get(name.as_str()).copied()).collect())
            .collect();
        let unions: BTreeSet<&str> = self
            .spec
            .types
            .iter()
            .filter_map(|ty| match ty {
                TypeSpec::Union(union) => Some(union.name.as_str()),
                _ => None,
            })
            .collect();
        let cycle = graph::on_cycle(&edges);
        let looping: Vec<String> = direct
            .keys()
            .zip(&cycle)
            .filter(|(name, &on_cycle)| on_cycle && unions.contains(**name))
            .map(|(name, _)| (*name).to_owned())
            .collect();
        for name in looping {
            self.error(format!("types[{name}].variants"), format!("union `{name}` is one of its own variants"))
                .hint("a variant that is the union again (directly or through aliases and unions) never decodes; wrap it in an object or a list");
        }
    }
}
