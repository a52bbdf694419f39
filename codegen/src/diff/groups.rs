//! Types leaving or joining a group's cargo feature: what a build with only that feature compiles.

use std::collections::{BTreeMap, BTreeSet};

use super::types::{ident, Matching};
use super::{draft, rules, Area, Ctx, Out};
use crate::model::{GroupGate, Service};

/// Reports each type kept by both sides whose set of compiling group features changed, counting
/// only the features both sides have: a removed type, or a removed or renamed group (its
/// operations), is reported by its own rules.
pub(super) fn diff(ctx: &Ctx, matching: &Matching, out: &mut Out) {
    let features =
        |service: &Service| -> BTreeSet<String> { service.groups.iter().map(|group| group.feature.clone()).collect() };
    let kept: BTreeSet<String> = features(ctx.old).intersection(&features(ctx.new)).cloned().collect();
    if kept.is_empty() {
        return;
    }
    let positions = |service: &Service| -> BTreeMap<String, usize> {
        service.types.iter().enumerate().map(|(at, def)| (ident(def).to_owned(), at)).collect()
    };
    let (old_positions, new_positions) = (positions(ctx.old), positions(ctx.new));
    let compiling = |service: &Service, positions: &BTreeMap<String, usize>, def| -> BTreeSet<String> {
        let at = positions.get(ident(def)).copied();
        at.map(|at| compiled_with(service, at).intersection(&kept).cloned().collect()).unwrap_or_default()
    };
    let show = |features: &BTreeSet<String>| {
        if features.is_empty() {
            format!("{} only", ctx.new.module.unraw())
        } else {
            features.iter().cloned().collect::<Vec<_>>().join(", ")
        }
    };
    for (old_def, new_def) in &matching.pairs {
        let before = compiling(ctx.old, &old_positions, *old_def);
        let after = compiling(ctx.new, &new_positions, *new_def);
        for (rule, changed) in [
            (rules::TYPE_LEFT_GROUP, before.difference(&after).next().is_some()),
            (rules::TYPE_JOINED_GROUP, after.difference(&before).next().is_some()),
        ] {
            if changed {
                out.push(draft(rule, new_def.wire_name()).area(Area::Type).from(show(&before)).to(show(&after)));
            }
        }
    }
}

/// The group features that compile type `at` when turned on alone, by the gate the emitted
/// `#[cfg]` follows (`Service::group_gate`).
fn compiled_with(service: &Service, at: usize) -> BTreeSet<String> {
    let reached = service.type_groups.get(at).map_or(&[][..], Vec::as_slice);
    let feature = |index: &usize| service.groups[*index].feature.clone();
    match service.group_gate(reached) {
        GroupGate::Always => service.groups.iter().map(|group| group.feature.clone()).collect(),
        GroupGate::ServiceOnly => BTreeSet::new(),
        GroupGate::Groups(groups) => groups.iter().map(feature).collect(),
    }
}
