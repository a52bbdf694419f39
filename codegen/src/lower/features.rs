//! Per-group cargo features: each group's feature name, and which groups use each type, so
//! that a type is compiled only when a group that needs it is.

use std::collections::BTreeMap;

use super::ServiceLowering;
use crate::model::{Operation, RustName, Service, TypeDef, TypeRef};

/// The feature of group `module` of service `service` (both module names), after reporting a
/// clash with one of the crate's own features.
pub(super) fn check_group_feature(
    lowering: &mut ServiceLowering<'_>,
    service: &RustName,
    module: &RustName,
    group_id: &str,
) -> String {
    let feature = group_feature(service, module);
    // The crate's own hyphenated features (`names::ReservedIn::CrateFeature`).
    if crate::names::reserved_text(crate::names::ReservedIn::CrateFeature, &feature).is_some() {
        lowering
            .error(
                format!("groups[{group_id}].id"),
                format!("group `{group_id}` would be compiled by the feature `{feature}`, which the crate uses itself"),
            )
            .hint(format!("rename the group, e.g. `{group_id}_api`"));
    }
    feature
}

/// `<service>-<group>`: hyphenated, so it never equals a (snake_case) service feature, and
/// unambiguous, since neither module name holds a hyphen.
fn group_feature(service: &RustName, module: &RustName) -> String {
    format!("{}-{}", service.unraw(), module.unraw())
}

/// For each of the service's types: the groups whose operations reach it through parameters,
/// bodies, answers, error bodies, page items and job results, then through the fields,
/// aliases and union variants of the types reached (see `Service::type_groups`). A group with an operation that
/// can run as a background job also reaches the job state type. Linear in the size of the
/// type graph per group.
pub(super) fn type_groups(service: &Service) -> Vec<Vec<usize>> {
    let index: BTreeMap<&str, usize> = service.types.iter().enumerate().map(|(at, def)| (ident(def), at)).collect();
    let named = |ty: &TypeRef| named_ident(ty).and_then(|name| index.get(name).copied());
    // The types each type names directly, through lists and maps too.
    let edges: Vec<Vec<usize>> = service
        .types
        .iter()
        .map(|def| match def {
            TypeDef::Object(object) => object.fields.iter().filter_map(|field| named(&field.ty)).collect(),
            TypeDef::Alias(alias) => named(&alias.ty).into_iter().collect(),
            TypeDef::Union(union) => union.variants.iter().filter_map(|variant| named(&variant.ty)).collect(),
            TypeDef::Enum(_) => Vec::new(),
        })
        .collect();
    let mut reach = vec![Vec::new(); service.types.len()];
    let mut seen = vec![usize::MAX; service.types.len()];
    for (group_index, group) in service.groups.iter().enumerate() {
        let mut queue: Vec<usize> = group.operations.iter().flat_map(operation_types).filter_map(named).collect();
        if group.operations.iter().any(|op| op.background.is_some()) {
            let state = service.background_jobs.as_ref().and_then(|jobs| index.get(jobs.state_type.as_str()));
            queue.extend(state.copied());
        }
        // `seen[type] == group_index` once the type is reached by this group.
        while let Some(at) = queue.pop() {
            if seen[at] == group_index {
                continue;
            }
            seen[at] = group_index;
            reach[at].push(group_index);
            queue.extend(edges[at].iter().copied().filter(|&next| seen[next] != group_index));
        }
    }
    reach
}

/// Every type an operation spells (its answer enum's cases included).
fn operation_types(op: &Operation) -> impl Iterator<Item = &TypeRef> {
    let params = op.params.iter().map(|param| &param.ty);
    let body = op.body.iter().map(|body| &body.ty);
    let success = op.success.responses().iter().filter_map(|response| response.ty.as_ref());
    let errors = op.errors.iter().filter_map(|error| error.ty.as_ref());
    let page = op.pagination.iter().map(|pagination| &pagination.item);
    let job = op.background.iter().filter_map(|call| call.result.as_ref());
    params.chain(body).chain(success).chain(errors).chain(op.error_body.iter()).chain(page).chain(job)
}

/// The type a reference names, under any lists and maps.
fn named_ident(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named { ident, .. } => Some(ident.as_str()),
        TypeRef::List(inner) | TypeRef::Map(inner) => named_ident(inner),
        _ => None,
    }
}

fn ident(def: &TypeDef) -> &str {
    match def {
        TypeDef::Object(object) => object.ident.as_str(),
        TypeDef::Enum(enumeration) => enumeration.ident.as_str(),
        TypeDef::Alias(alias) => alias.ident.as_str(),
        TypeDef::Union(union) => union.ident.as_str(),
    }
}
