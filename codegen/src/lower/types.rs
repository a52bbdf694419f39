//! A service's types: names, objects and their fields, enums, aliases, cycles and floats.

use std::collections::{BTreeMap, BTreeSet};

use crate::docs::code_span;
use crate::model::*;
use crate::names;
use crate::spec::{self, TypeSpec};

use super::provenance::{FIELD_KEYS, MEMBER_KEYS, TYPE_KEYS};
use super::type_expr::{is_type_name, named_in};
use super::{deprecated_of, doc_of, graph, soap, NameScope, ServiceLowering};

impl ServiceLowering<'_> {
    pub(super) fn collect_type_names(&mut self) {
        let mut by_ident = NameScope::new(|new, old| format!("type `{new}` and type `{old}`"));
        let spec = self.spec;
        for ty in &spec.types {
            let name = ty.name();
            let path = format!("types[{name}]");
            if !is_type_name(name) {
                self.error(format!("types[{name}].name"), format!("type name `{name}` is not an identifier"))
                    .hint("use letters, digits and `_` only; type expressions refer to it by this name");
                continue;
            }
            let ident = names::type_name(name);
            if self.type_idents.contains_key(name) {
                self.error(path, format!("type `{name}` is defined twice")).hint("remove or rename one of them");
                continue;
            }
            if let Err(problem) = by_ident.claim(ident.as_str(), name) {
                self.error(path, problem).hint("rename one of them");
                continue;
            }
            self.spec_types_by_ident.insert(ident.clone(), ty);
            self.type_idents.insert(name.to_owned(), ident);
        }
    }

    pub(super) fn lower_types(&mut self) -> Vec<TypeDef> {
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
                        ident: self
                            .type_idents
                            .get(&alias.name)
                            .cloned()
                            .unwrap_or_else(|| names::type_name(&alias.name)),
                        wire_name: alias.name.clone(),
                        renamed_from: alias.renamed_from.clone(),
                        doc,
                        ty,
                    })
                }
                TypeSpec::Union(union) => TypeDef::Union(self.lower_union(union)),
            };
            defs.push(def);
        }
        self.check_alias_cycles();
        self.check_union_cycles();
        self.box_cycles(&mut defs);
        // The types that hold a float somewhere cannot derive `Eq`.
        let floats = graph::Holders::new(&defs, |ty| matches!(ty, TypeRef::F32 | TypeRef::F64));
        for def in &mut defs {
            match def {
                TypeDef::Object(object) => {
                    object.has_float = object.fields.iter().any(|field| floats.hold(&field.ty));
                }
                TypeDef::Union(union) => {
                    union.has_float = union.variants.iter().any(|variant| floats.hold(&variant.ty));
                }
                _ => {}
            }
        }
        defs
    }

    pub(super) fn lower_object(&mut self, object: &spec::ObjectSpec) -> ObjectDef {
        let mut fields = Vec::new();
        let mut wire_names = BTreeSet::new();
        let mut idents = NameScope::new(|new, old| format!("fields `{new}` and `{old}`"));
        let mut setters = NameScope::new(|new, old| format!("fields `{new}` and `{old}`")).sharing("have the setter");
        for field in &object.fields {
            let path = format!("types[{}].fields[{}]", object.name, field.name);
            if !wire_names.insert(field.name.clone()) {
                self.error(&path, format!("field `{}` is listed twice", field.name)).hint("remove one of them");
                continue;
            }
            let Some(ident) = self.rust_name(&field.rust_name, &field.name, &path) else { continue };
            if let Err(problem) = idents.claim(ident.as_str(), &field.name) {
                self.error(&path, problem).hint("set `rust_name` on one of them");
                continue;
            }
            // Names that differ only in leading `_` (`_x`, `x`) share a setter.
            let setter = names::setter(&ident);
            if let Err(problem) = setters.claim(setter.as_str(), &field.name) {
                self.error(&path, problem).hint("set `rust_name` on one of them");
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
                // SOAP keeps an `Option`: its XML writer leaves `None` out and reads `i:nil` as `None`.
                tristate: !field.required && field.nullable && self.spec.protocol == spec::Protocol::Rest,
                read_only: field.read_only,
                doc,
                deprecated: deprecated_of(&field.deprecated),
                xml,
            });
        }
        let mut doc = doc_of(&object.description);
        let item = format!("types[{}]", object.name);
        self.provenance(&item, &object.origin, &object.inferred, TYPE_KEYS, &mut doc);
        ObjectDef {
            ident: self.type_idents.get(&object.name).cloned().unwrap_or_else(|| names::type_name(&object.name)),
            wire_name: object.name.clone(),
            renamed_from: object.renamed_from.clone(),
            doc,
            deprecated: deprecated_of(&object.deprecated),
            all_optional: fields.iter().all(|field| field.optional),
            has_float: false,
            fields,
        }
    }

    pub(super) fn lower_enum(&mut self, enumeration: &spec::EnumSpec) -> EnumDef {
        let mut members = Vec::new();
        // Variant → the member name it came from.
        let mut idents = NameScope::new(|new, old| format!("members `{new}` and `{old}`"));
        let mut values = BTreeSet::new();
        if enumeration.members.is_empty() && !enumeration.open {
            self.error(format!("types[{}].members", enumeration.name), "a closed enum needs at least one member")
                .hint("add the members, or set `open: true` when they are unknown");
        }
        for member in &enumeration.members {
            let path = format!("types[{}].members[{}]", enumeration.name, member.name);
            let ident = names::camel(&member.name);
            let claimed = match idents.taker(ident.as_str()) {
                Some(other) if other == member.name => Err(format!("member `{other}` is listed twice")),
                _ => idents.claim(ident.as_str(), &member.name),
            };
            if let Err(problem) = claimed {
                self.error(&path, problem).hint("rename one of them; the wire value stays in `value`");
                continue;
            }
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
                    )
                    .hint(hint);
                    continue;
                }
            };
            if !values.insert(format!("{value:?}")) {
                let shown = match &value {
                    WireValue::String(text) => format!("\"{text}\""),
                    WireValue::Integer(number) => number.to_string(),
                };
                self.error(format!("{path}.value"), format!("value {shown} is used by two members"))
                    .hint("each member needs its own wire value");
                continue;
            }
            let mut doc = doc_of(&member.description);
            self.provenance(&path, &member.origin, &member.inferred, MEMBER_KEYS, &mut doc);
            members.push(Member { ident, value, doc, deprecated: deprecated_of(&member.deprecated) });
        }
        // The catch-all variant of an open enum takes the first name no member has.
        let other_variant = names::other_variant(|name| idents.taker(name).is_some());
        let mut doc = doc_of(&enumeration.description);
        let item = format!("types[{}]", enumeration.name);
        self.provenance(&item, &enumeration.origin, &enumeration.inferred, TYPE_KEYS, &mut doc);
        EnumDef {
            ident: self
                .type_idents
                .get(&enumeration.name)
                .cloned()
                .unwrap_or_else(|| names::type_name(&enumeration.name)),
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
    pub(super) fn check_alias_cycles(&mut self) {
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
            self.error(format!("types[{start}].type"), format!("alias `{start}` refers to itself"))
                .hint("make it an object, or break the cycle through an object field");
        }
    }

    /// Boxes direct references that close a cycle, so every struct has a finite size. A field
    /// of `owner` naming `target` closes one when `target` reaches `owner` again, which (the
    /// field being a reference from `owner` to `target`) means both share a component.
    pub(super) fn box_cycles(&self, defs: &mut [TypeDef]) {
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
        let ident_to_name: BTreeMap<&RustName, &String> = self.type_idents.iter().map(|(n, i)| (i, n)).collect();
        for def in defs {
            // A union's variants are references like an object's fields.
            let (owner, refs): (_, Vec<&mut TypeRef>) = match def {
                TypeDef::Object(object) => {
                    (component_of(&object.wire_name), object.fields.iter_mut().map(|field| &mut field.ty).collect())
                }
                TypeDef::Union(union) => {
                    (component_of(&union.wire_name), union.variants.iter_mut().map(|variant| &mut variant.ty).collect())
                }
                _ => continue,
            };
            for ty in refs {
                if let TypeRef::Named { ident, boxed } = ty {
                    *boxed =
                        owner.is_some() && ident_to_name.get(ident).is_some_and(|target| component_of(target) == owner);
                }
            }
        }
    }
}
