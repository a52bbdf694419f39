//! Type changes: types matched by spec name (renames by `renamed_from` or by an unambiguous
//! shape), then objects field by field, enums member by member, aliases by target, unions in `unions`.

use std::collections::BTreeMap;

use super::rules::{self, Bump, Wire};
use super::{deprecation, draft, Ctx, Draft, Out, Side};
use crate::model::{EnumDef, Field, Member, ObjectDef, Service, TypeDef, TypeRef, WireValue};

/// How the types of two versions of a service correspond.
pub(super) struct Matching<'a> {
    /// Same type on both sides (renamed ones included).
    pub pairs: Vec<(&'a TypeDef, &'a TypeDef)>,
    /// The subset of `pairs` whose name changed.
    pub renamed: Vec<(&'a TypeDef, &'a TypeDef)>,
    pub removed: Vec<&'a TypeDef>,
    pub added: Vec<&'a TypeDef>,
}

pub(super) fn ident(def: &TypeDef) -> &str {
    match def {
        TypeDef::Object(object) => object.ident.as_str(),
        TypeDef::Enum(enumeration) => enumeration.ident.as_str(),
        TypeDef::Alias(alias) => alias.ident.as_str(),
        TypeDef::Union(union) => union.ident.as_str(),
    }
}

fn renamed_from(def: &TypeDef) -> Option<&str> {
    match def {
        TypeDef::Object(object) => object.renamed_from.as_deref(),
        TypeDef::Enum(enumeration) => enumeration.renamed_from.as_deref(),
        TypeDef::Alias(alias) => alias.renamed_from.as_deref(),
        TypeDef::Union(union) => union.renamed_from.as_deref(),
    }
}

fn kind(def: &TypeDef) -> &'static str {
    match def {
        TypeDef::Object(_) => "object",
        TypeDef::Enum(_) => "enum",
        TypeDef::Alias(_) => "alias",
        TypeDef::Union(_) => "union",
    }
}

/// Pairs types by spec name, then by the `renamed_from` marks, then by shape where exactly one
/// removed and one added type have it.
pub(super) fn match_types<'a>(old: &'a Service, new: &'a Service) -> Matching<'a> {
    let new_names: BTreeMap<&str, &TypeDef> = new.types.iter().map(|def| (def.wire_name(), def)).collect();
    let old_names: BTreeMap<&str, &TypeDef> = old.types.iter().map(|def| (def.wire_name(), def)).collect();
    let mut pairs = Vec::new();
    let mut removed = Vec::new();
    for def in &old.types {
        match new_names.get(def.wire_name()) {
            Some(new_def) => pairs.push((def, *new_def)),
            None => removed.push(def),
        }
    }
    let mut added: Vec<&TypeDef> = new.types.iter().filter(|def| !old_names.contains_key(def.wire_name())).collect();
    let mut renamed = Vec::new();
    added.retain(|new_def| {
        let Some(from) = renamed_from(new_def) else { return true };
        match removed.iter().position(|old_def| old_def.wire_name() == from) {
            Some(position) => {
                renamed.push((removed.remove(position), *new_def));
                false
            }
            None => true,
        }
    });
    let shape_matches = |old_def: &TypeDef, pool: &[&TypeDef]| pool.iter().filter(|d| same_shape(old_def, d)).count();
    let mut index = 0;
    while index < removed.len() {
        let old_def = removed[index];
        let candidates: Vec<usize> = (0..added.len()).filter(|&i| same_shape(old_def, added[i])).collect();
        if let [only] = candidates[..] {
            if shape_matches(added[only], &removed) == 1 {
                renamed.push((removed.remove(index), added.remove(only)));
                continue;
            }
        }
        index += 1;
    }
    pairs.extend(renamed.iter().copied());
    Matching { pairs, renamed, removed, added }
}

/// Same kind and the same wire shape: field names, types and requiredness; member values; alias
/// target.
fn same_shape(old: &TypeDef, new: &TypeDef) -> bool {
    let spell = |ty: &TypeRef| super::spell(ty, &str::to_owned);
    match (old, new) {
        (TypeDef::Object(a), TypeDef::Object(b)) => {
            let fields = |o: &ObjectDef| {
                o.fields
                    .iter()
                    .map(|f| (f.wire_name.clone(), spell(&f.ty), f.optional, f.skip_if_none, f.tristate))
                    .collect::<Vec<_>>()
            };
            fields(a) == fields(b)
        }
        (TypeDef::Enum(a), TypeDef::Enum(b)) => {
            a.repr == b.repr && a.members.iter().map(|m| &m.value).eq(b.members.iter().map(|m| &m.value))
        }
        (TypeDef::Alias(a), TypeDef::Alias(b)) => spell(&a.ty) == spell(&b.ty),
        (TypeDef::Union(a), TypeDef::Union(b)) => super::unions::same_shape(a, b, &spell),
        _ => false,
    }
}

pub(super) fn diff(ctx: &Ctx, matching: &Matching, out: &mut Out) {
    for def in &matching.removed {
        let side = ctx.side(ident(def), "");
        out.push(draft(rules::TYPE_REMOVED, def.wire_name()).side(side).from(kind(def)));
    }
    for def in &matching.added {
        let side = ctx.side("", ident(def));
        out.push(draft(rules::TYPE_ADDED, def.wire_name()).side(side).to(kind(def)));
    }
    for (old, new) in &matching.renamed {
        let side = ctx.side(ident(old), ident(new));
        out.push(draft(rules::TYPE_RENAMED, new.wire_name()).side(side).from(old.wire_name()).to(new.wire_name()));
    }
    for (old, new) in &matching.pairs {
        let side = ctx.side(ident(old), ident(new));
        let subject = new.wire_name();
        match (old, new) {
            (TypeDef::Object(old), TypeDef::Object(new)) => object_pair(ctx, out, subject, side, old, new),
            (TypeDef::Enum(old), TypeDef::Enum(new)) => enum_pair(out, subject, side, old, new),
            (TypeDef::Alias(old), TypeDef::Alias(new)) => {
                let (before, after) = (ctx.spell_old(&old.ty), ctx.spell_new(&new.ty));
                if before != after {
                    out.push(draft(rules::ALIAS_TARGET_CHANGED, subject).side(side).from(before).to(after));
                }
                if old.doc != new.doc {
                    out.push(draft(rules::DOCS_CHANGED, subject).side(side).from("description").to("changed"));
                }
            }
            (TypeDef::Union(old), TypeDef::Union(new)) => super::unions::union_pair(ctx, out, subject, side, old, new),
            _ => out.push(draft(rules::TYPE_KIND_CHANGED, subject).side(side).from(kind(old)).to(kind(new))),
        }
    }
}

fn object_pair(ctx: &Ctx, out: &mut Out, subject: &str, side: Side, old: &ObjectDef, new: &ObjectDef) {
    if old.deprecated != new.deprecated {
        out.push(
            draft(rules::TYPE_DEPRECATED, subject)
                .side(side)
                .from(deprecation(&old.deprecated))
                .to(deprecation(&new.deprecated)),
        );
    }
    if old.doc != new.doc {
        out.push(draft(rules::DOCS_CHANGED, subject).side(side).from("description").to("changed"));
    }
    let derives = |object: &ObjectDef| {
        let mut derives = Vec::new();
        if !object.has_float {
            derives.push("Eq");
        }
        if object.all_optional {
            derives.push("Default");
        }
        derives
    };
    let (before, after) = (derives(old), derives(new));
    let show = |list: &[&str]| if list.is_empty() { "neither".to_owned() } else { list.join(", ") };
    if before.iter().any(|derive| !after.contains(derive)) {
        out.push(draft(rules::DERIVE_REMOVED, subject).side(side).from(show(&before)).to(show(&after)));
    } else if after.iter().any(|derive| !before.contains(derive)) {
        out.push(draft(rules::DERIVE_ADDED, subject).side(side).from(show(&before)).to(show(&after)));
    }
    fields(ctx, out, subject, side, old, new);
}

fn fields(ctx: &Ctx, out: &mut Out, type_name: &str, side: Side, old: &ObjectDef, new: &ObjectDef) {
    let mut removed: Vec<&Field> = Vec::new();
    let mut pairs: Vec<(&Field, &Field)> = Vec::new();
    for field in &old.fields {
        match new.fields.iter().find(|f| f.wire_name == field.wire_name) {
            Some(new_field) => pairs.push((field, new_field)),
            None => removed.push(field),
        }
    }
    let mut added: Vec<&Field> =
        new.fields.iter().filter(|f| !old.fields.iter().any(|o| o.wire_name == f.wire_name)).collect();
    // A wire rename: marked with `renamed_from`, or the same Rust name under a new JSON name.
    for by_mark in [true, false] {
        added.retain(|new_field| {
            let position = removed.iter().position(|old_field| {
                if by_mark {
                    new_field.renamed_from.as_deref() == Some(old_field.wire_name.as_str())
                } else {
                    old_field.ident == new_field.ident
                }
            });
            match position {
                Some(position) => {
                    pairs.push((removed.remove(position), *new_field));
                    false
                }
                None => true,
            }
        });
    }
    let subject = |field: &Field| format!("{type_name}.{}", field.wire_name);
    for field in removed {
        // Old clients decode a missing `Option` as `None`; anything else fails.
        let wire = if side.response() && !field.optional { Wire::Breaking } else { Wire::PotentiallyBreaking };
        out.push(draft(rules::FIELD_REMOVED, subject(field)).side(side).from(ctx.spell_old(&field.ty)).wire(wire));
    }
    for field in added {
        let change = draft(rules::FIELD_ADDED_OPTIONAL, subject(field)).side(side).to(ctx.spell_new(&field.ty));
        if field.skip_if_none {
            out.push(change);
        } else {
            let wire = if side.request() { Wire::Breaking } else { Wire::None };
            // A nullable field is an `Option`: `new` leaves it `None`, its setter is new.
            let rust = if field.optional { Bump::Minor } else { Bump::Major };
            out.push(Draft { rule: rules::FIELD_ADDED_REQUIRED, ..change }.wire(wire).rust(rust));
        }
    }
    field_order(ctx, out, type_name, side, old, new, &pairs);
    for (old_field, new_field) in pairs {
        field_pair(ctx, out, &subject(new_field), side, old_field, new_field);
    }
}

/// Fields kept on both sides that changed places: those that are not an `Option` on either side
/// are `new`'s positional arguments, and a SOAP type's fields are an element sequence.
fn field_order(
    ctx: &Ctx,
    out: &mut Out,
    type_name: &str,
    side: Side,
    old: &ObjectDef,
    new: &ObjectDef,
    pairs: &[(&Field, &Field)],
) {
    let position = |fields: &[Field], field: &Field| fields.iter().position(|f| std::ptr::eq(f, field));
    let mut by_old = pairs.to_vec();
    by_old.sort_by_key(|(field, _)| position(&old.fields, field));
    let mut by_new = pairs.to_vec();
    by_new.sort_by_key(|(_, field)| position(&new.fields, field));
    fn names<'a>(list: &[(&Field, &'a Field)], arguments_only: bool) -> Vec<&'a str> {
        list.iter()
            .filter(|(before, after)| !arguments_only || (!before.optional && !after.optional))
            .map(|(_, after)| after.wire_name.as_str())
            .collect()
    }
    let arguments_moved = names(&by_old, true) != names(&by_new, true);
    let elements_moved = ctx.new.soap.is_some() && names(&by_old, false) != names(&by_new, false);
    if !arguments_moved && !elements_moved {
        return;
    }
    let wire = if elements_moved { Wire::Breaking } else { Wire::None };
    let rust = if arguments_moved { Bump::Major } else { Bump::Patch };
    let (before, after) = (names(&by_old, arguments_moved), names(&by_new, arguments_moved));
    out.push(
        draft(rules::FIELD_ORDER_CHANGED, type_name)
            .side(side)
            .from(before.join(", "))
            .to(after.join(", "))
            .wire(wire)
            .rust(rust),
    );
}

fn field_pair(ctx: &Ctx, out: &mut Out, subject: &str, side: Side, old: &Field, new: &Field) {
    let at = || draft(rules::DOCS_CHANGED, subject).side(side);
    if old.wire_name != new.wire_name {
        out.push(Draft { rule: rules::FIELD_WIRE_NAME_CHANGED, ..at() }.from(&old.wire_name).to(&new.wire_name));
    }
    if old.ident != new.ident {
        out.push(Draft { rule: rules::FIELD_RUST_NAME_CHANGED, ..at() }.from(&old.ident).to(&new.ident));
    }
    let (before, after) = (ctx.spell_old(&old.ty), ctx.spell_new(&new.ty));
    if before != after {
        out.push(Draft { rule: rules::FIELD_TYPE_CHANGED, ..at() }.from(before).to(after));
    }
    // `skip_if_none` is "not required"; `optional` is "an `Option` in Rust" (not required, or
    // nullable); `tristate` is "a `Nullable` in Rust" (not required and nullable, REST).
    let rust = if old.optional != new.optional || old.tristate != new.tristate { Bump::Major } else { Bump::Patch };
    let (old_required, new_required) = (!old.skip_if_none, !new.skip_if_none);
    if !old_required && new_required {
        let wire = if side.request() { Wire::Breaking } else { Wire::None };
        out.push(
            Draft { rule: rules::FIELD_BECAME_REQUIRED, ..at() }.from("optional").to("required").wire(wire).rust(rust),
        );
    } else if old_required && !new_required {
        // Old clients that hold an `Option` (a nullable field) decode a missing field as `None`.
        let wire = if side.response() && !old.optional { Wire::Breaking } else { Wire::None };
        out.push(
            Draft { rule: rules::FIELD_BECAME_OPTIONAL, ..at() }.from("required").to("optional").wire(wire).rust(rust),
        );
    } else if old_required && old.optional != new.optional {
        // Both required: `optional` here means nullable.
        let nullable = new.optional;
        let wire =
            if (nullable && side.response()) || (!nullable && side.request()) { Wire::Breaking } else { Wire::None };
        let (from, to) = if nullable { ("not nullable", "nullable") } else { ("nullable", "not nullable") };
        out.push(Draft { rule: rules::FIELD_NULLABILITY_CHANGED, ..at() }.from(from).to(to).wire(wire));
    } else if !old_required && old.tristate != new.tristate {
        // Both optional: `Option<T>` and `Nullable<T>` change places.
        let wire = if old.tristate && side.request() { Wire::PotentiallyBreaking } else { Wire::None };
        let (from, to) = if new.tristate { ("not nullable", "nullable") } else { ("nullable", "not nullable") };
        out.push(Draft { rule: rules::FIELD_TRISTATE_CHANGED, ..at() }.from(from).to(to).wire(wire));
    }
    if old.deprecated != new.deprecated {
        out.push(
            Draft { rule: rules::FIELD_DEPRECATED, ..at() }
                .from(deprecation(&old.deprecated))
                .to(deprecation(&new.deprecated)),
        );
    }
    if old.xml != new.xml {
        let show = |field: &Field| match &field.xml {
            Some(xml) => match &xml.item {
                Some((prefix, item)) => format!("{}: items {prefix}:{item}", xml.namespace),
                None => xml.namespace.clone(),
            },
            None => "none".to_owned(),
        };
        out.push(Draft { rule: rules::SOAP_BINDING_CHANGED, ..at() }.from(show(old)).to(show(new)));
    }
    if old.doc != new.doc || old.read_only != new.read_only {
        let what = if old.read_only != new.read_only { "read-only flag" } else { "description" };
        out.push(at().from(what).to("changed"));
    }
}

fn enum_pair(out: &mut Out, subject: &str, side: Side, old: &EnumDef, new: &EnumDef) {
    let at = || draft(rules::DOCS_CHANGED, subject).side(side);
    if old.doc != new.doc {
        out.push(at().from("description").to("changed"));
    }
    if old.repr != new.repr {
        let repr = |e: &EnumDef| format!("{:?}", e.repr).to_lowercase();
        out.push(Draft { rule: rules::ENUM_REPR_CHANGED, ..at() }.from(repr(old)).to(repr(new)));
        return;
    }
    if old.open != new.open || (old.open && old.other_variant != new.other_variant) {
        let word = |e: &EnumDef| if e.open { format!("open ({})", e.other_variant) } else { "closed".to_owned() };
        let (wire, rust) = match (old.open, new.open) {
            // Old clients have no fallback for the values the new spec admits.
            (false, true) => (
                if side.response() { Wire::PotentiallyBreaking } else { Wire::None },
                // `as_str()` returned `&'static str`; an open enum's borrows from its `Other`.
                if new.repr == crate::model::EnumRepr::String { Bump::Major } else { Bump::Minor },
            ),
            // Servers may now reject values outside the list.
            (true, false) => (if side.request() { Wire::PotentiallyBreaking } else { Wire::None }, Bump::Major),
            // The fallback variant was renamed (a member took its name).
            _ => (Wire::None, Bump::Major),
        };
        out.push(
            Draft { rule: rules::ENUM_OPENNESS_CHANGED, ..at() }.from(word(old)).to(word(new)).wire(wire).rust(rust),
        );
    }
    let show = |value: &WireValue| match value {
        WireValue::String(text) => format!("\"{text}\""),
        WireValue::Integer(number) => number.to_string(),
    };
    let member_subject = |member: &Member| format!("{subject}::{}", member.ident);
    let find = |members: &[Member], ident: &str| members.iter().find(|m| m.ident == ident).cloned();
    let mut added: Vec<&Member> =
        new.members.iter().filter(|m| find(&old.members, m.ident.as_str()).is_none()).collect();
    for member in &old.members {
        let Some(new_member) = find(&new.members, member.ident.as_str()) else {
            // The same value under another name is a rename.
            if let Some(position) = added.iter().position(|m| m.value == member.value) {
                let new_member = added.remove(position);
                out.push(
                    Draft { rule: rules::ENUM_MEMBER_RENAMED, ..at() }
                        .from(member_subject(member))
                        .to(member_subject(new_member)),
                );
                member_docs(out, at(), member, new_member, &member_subject(new_member));
                continue;
            }
            let wire = if side.request() { Wire::Breaking } else { Wire::None };
            out.push(
                Draft { rule: rules::ENUM_MEMBER_REMOVED, subject: member_subject(member), ..at() }
                    .from(show(&member.value))
                    .wire(wire),
            );
            continue;
        };
        if new_member.value != member.value {
            out.push(
                Draft { rule: rules::ENUM_MEMBER_VALUE_CHANGED, subject: member_subject(member), ..at() }
                    .from(show(&member.value))
                    .to(show(&new_member.value)),
            );
        }
        member_docs(out, at(), member, &new_member, &member_subject(member));
    }
    for member in added {
        let wire = if !new.open && side.response() { Wire::Breaking } else { Wire::None };
        out.push(
            Draft { rule: rules::ENUM_MEMBER_ADDED, subject: member_subject(member), ..at() }
                .to(show(&member.value))
                .wire(wire),
        );
    }
}

/// Deprecation and description changes of a member.
fn member_docs(out: &mut Out, at: Draft, old: &Member, new: &Member, subject: &str) {
    let at = Draft { subject: subject.to_owned(), ..at };
    if old.deprecated != new.deprecated {
        out.push(
            Draft { rule: rules::ENUM_MEMBER_DEPRECATED, ..at.clone() }
                .from(deprecation(&old.deprecated))
                .to(deprecation(&new.deprecated)),
        );
    }
    if old.doc != new.doc {
        out.push(at.from("description").to("changed"));
    }
}
