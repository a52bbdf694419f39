//! Union changes: the discriminator, openness, and the variants matched by name (renames by tag, or untagged by type).

use super::rules::{self, Bump, Wire};
use super::{draft, Ctx, Draft, Out, Side};
use crate::model::{TypeRef, UnionDef, Variant};

/// Same discriminator and the same variants (tags and types, in order).
pub(super) fn same_shape(a: &UnionDef, b: &UnionDef, spell: &dyn Fn(&TypeRef) -> String) -> bool {
    let variants = |union: &UnionDef| -> Vec<(Option<String>, String)> {
        union.variants.iter().map(|variant| (variant.tag.clone(), spell(&variant.ty))).collect()
    };
    a.discriminator == b.discriminator && variants(a) == variants(b)
}

pub(super) fn union_pair(ctx: &Ctx, out: &mut Out, subject: &str, side: Side, old: &UnionDef, new: &UnionDef) {
    let at = || draft(rules::DOCS_CHANGED, subject).side(side);
    if old.doc != new.doc {
        out.push(at().from("description").to("changed"));
    }
    if old.has_float != new.has_float {
        let (rule, from, to) = if new.has_float {
            (rules::DERIVE_REMOVED, "Eq", "neither")
        } else {
            (rules::DERIVE_ADDED, "neither", "Eq")
        };
        out.push(Draft { rule, ..at() }.from(from).to(to));
    }
    if old.discriminator != new.discriminator {
        let show = |union: &UnionDef| match &union.discriminator {
            Some(field) => format!("tagged by `{field}`"),
            None => "untagged".to_owned(),
        };
        out.push(Draft { rule: rules::UNION_DISCRIMINATOR_CHANGED, ..at() }.from(show(old)).to(show(new)));
    }
    if old.open != new.open || (old.open && old.other_variant != new.other_variant) {
        let word = |u: &UnionDef| if u.open { format!("open ({})", u.other_variant) } else { "closed".to_owned() };
        let (wire, rust) = match (old.open, new.open) {
            (false, true) => (Wire::None, Bump::Minor),
            // Answers old clients kept in `Other` now fail to decode.
            (true, false) => (if side.response() { Wire::PotentiallyBreaking } else { Wire::None }, Bump::Major),
            _ => (Wire::None, Bump::Major),
        };
        out.push(
            Draft { rule: rules::UNION_OPENNESS_CHANGED, ..at() }.from(word(old)).to(word(new)).wire(wire).rust(rust),
        );
    }
    variants(ctx, out, subject, side, old, new);
}

fn variants(ctx: &Ctx, out: &mut Out, subject: &str, side: Side, old: &UnionDef, new: &UnionDef) {
    let at = || draft(rules::DOCS_CHANGED, subject).side(side);
    let variant_subject = |variant: &Variant| format!("{subject}::{}", variant.ident);
    let both_tagged = old.discriminator.is_some() && new.discriminator.is_some();
    let find = |variants: &'_ [Variant], ident: &str| variants.iter().position(|v| v.ident == ident);
    let mut added: Vec<&Variant> =
        new.variants.iter().filter(|v| find(&old.variants, v.ident.as_str()).is_none()).collect();
    // (old, new) of the variants both sides have, in old order.
    let mut pairs: Vec<(&Variant, &Variant)> = Vec::new();
    for variant in &old.variants {
        if let Some(position) = find(&new.variants, variant.ident.as_str()) {
            pairs.push((variant, &new.variants[position]));
            continue;
        }
        // The same tag (untagged: the same type) under another name is a rename.
        let renamed = added.iter().position(|candidate| match (&variant.tag, &candidate.tag) {
            (Some(a), Some(b)) if both_tagged => a == b,
            _ => ctx.spell_old(&variant.ty) == ctx.spell_new(&candidate.ty),
        });
        if let Some(position) = renamed {
            let candidate = added.remove(position);
            out.push(
                Draft { rule: rules::UNION_VARIANT_RENAMED, ..at() }
                    .from(variant_subject(variant))
                    .to(variant_subject(candidate)),
            );
            pairs.push((variant, candidate));
            continue;
        }
        let wire = if side.request() { Wire::Breaking } else { Wire::None };
        out.push(
            Draft { rule: rules::UNION_VARIANT_REMOVED, subject: variant_subject(variant), ..at() }
                .from(ctx.spell_old(&variant.ty))
                .wire(wire),
        );
    }
    for (before, after) in &pairs {
        let at = || Draft { subject: variant_subject(after), ..at() };
        if both_tagged && before.tag != after.tag {
            let show = |v: &Variant| format!("\"{}\"", v.tag.as_deref().unwrap_or_default());
            out.push(Draft { rule: rules::UNION_TAG_CHANGED, ..at() }.from(show(before)).to(show(after)));
        }
        let (from, to) = (ctx.spell_old(&before.ty), ctx.spell_new(&after.ty));
        if from != to {
            out.push(Draft { rule: rules::UNION_VARIANT_TYPE_CHANGED, ..at() }.from(from).to(to));
        }
        if before.doc != after.doc {
            out.push(at().from("description").to("changed"));
        }
    }
    if old.discriminator.is_none() && new.discriminator.is_none() {
        let position = |variants: &[Variant], variant: &Variant| variants.iter().position(|v| std::ptr::eq(v, variant));
        let mut by_new = pairs.clone();
        by_new.sort_by_key(|(_, after)| position(&new.variants, after));
        let names =
            |list: &[(&Variant, &Variant)]| list.iter().map(|(_, after)| after.ident.clone()).collect::<Vec<_>>();
        if names(&pairs) != names(&by_new) {
            out.push(
                Draft { rule: rules::UNION_VARIANT_ORDER_CHANGED, ..at() }
                    .from(names(&pairs).join(", "))
                    .to(names(&by_new).join(", ")),
            );
        }
    }
    for variant in added {
        let wire = if !new.open && side.response() { Wire::Breaking } else { Wire::None };
        out.push(
            Draft { rule: rules::UNION_VARIANT_ADDED, subject: variant_subject(variant), ..at() }
                .to(ctx.spell_new(&variant.ty))
                .wire(wire),
        );
    }
}
