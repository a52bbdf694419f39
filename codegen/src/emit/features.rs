//! The `#[cfg]`s of per-group features: a group's items compile with its feature, a type with
//! the features of the groups that use it (`Service::type_groups`), the service module with any.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{GroupGate, Model, Service};

/// The `#[cfg]` of the service module in `lib.rs`: any of its group features (the service
/// feature turns them all on), or the service feature for a service without groups (SOAP).
pub fn service_cfg(service: &Service) -> TokenStream {
    let predicate = service_predicate(service);
    quote!(#[cfg(#predicate)])
}

/// The `#[cfg]` of an item that the groups `groups` (indexes into `service.groups`) need.
/// Nothing when they are every group of the service: the service module's own `cfg` covers
/// that. An item no group needs (a type no operation uses) compiles with the service feature,
/// which turns on every group, so the types it names compile too.
pub fn groups_cfg(service: &Service, groups: &[usize]) -> TokenStream {
    match groups_predicate(service, groups) {
        Some(predicate) => quote!(#[cfg(#predicate)]),
        None => quote!(),
    }
}

/// The predicate of `groups_cfg`; `None` when the item needs no `cfg` of its own.
fn groups_predicate(service: &Service, groups: &[usize]) -> Option<TokenStream> {
    match service.group_gate(groups) {
        GroupGate::Always => None,
        GroupGate::ServiceOnly => Some(predicate_of([service.module.as_str()])),
        GroupGate::Groups(groups) => {
            Some(predicate_of(groups.iter().map(|&group| service.groups[group].feature.as_str())))
        }
    }
}

/// The `#[cfg]` of one group's items (its module, accessor, blocking and mock items).
pub fn group_cfg(service: &Service, group: usize) -> TokenStream {
    groups_cfg(service, &[group])
}

/// Part `index` of the service's `types.rs` (see `types::part`), each item of a type behind the
/// features of the groups that use it.
pub fn types_part(service: &Service, index: usize) -> TokenStream {
    let tokens = super::types::part(service, index);
    match index.checked_sub(1).and_then(|index| service.type_groups.get(index)) {
        Some(groups) => gate(&groups_cfg(service, groups), tokens),
        None => tokens,
    }
}

/// The service's background job protocol (`background::service_items`), behind the features of
/// the groups with an operation that can run as a job: the others never read it (with no such
/// operation, behind the service feature).
pub fn background_items(service: &Service) -> TokenStream {
    let groups: Vec<usize> = background_groups(service).collect();
    gate(&groups_cfg(service, &groups), super::background::service_items(service))
}

/// The groups (indexes) with an operation that can run as a background job.
fn background_groups(service: &Service) -> impl Iterator<Item = usize> + '_ {
    let runs_jobs = |ops: &[crate::model::Operation]| ops.iter().any(|op| op.background.is_some());
    service.groups.iter().enumerate().filter(move |(_, group)| runs_jobs(&group.operations)).map(|(index, _)| index)
}

/// The `[features]` lines of a service: the service feature, every group feature and what the
/// service needed of its own (`needs`, quoted TOML strings), then one line per group feature.
pub fn manifest_lines(service: &Service, needs: &[&str]) -> String {
    let groups = service.groups.iter().map(|group| format!("\"{}\"", group.feature));
    let members: Vec<String> = groups.chain(needs.iter().map(|need| need.to_string())).collect();
    let mut text = format!("{} = [{}]\n", service.module, members.join(", "));
    for (index, group) in service.groups.iter().enumerate() {
        text.push_str(&format!("{} = [{}]\n", group.feature, group_needs(service, index).join(", ")));
    }
    text
}

/// The runtime features that group `group`'s feature turns on, as quoted TOML strings: what its
/// operations and the service items it compiles need.
fn group_needs(service: &Service, group: usize) -> Vec<&'static str> {
    let operations = &service.groups[group].operations;
    [
        (operations.iter().any(|op| op.background.is_some()), "\"background-runtime\""),
        (service.auth.iter().any(|scheme| scheme.client_credentials.is_some()), "\"oauth2-runtime\""),
        (operations.iter().any(|op| op.pagination.is_some()), "\"paging-runtime\""),
        (super::bodies::streams(operations), "\"streaming-runtime\""),
    ]
    .into_iter()
    .filter_map(|(needed, feature)| needed.then_some(feature))
    .collect()
}

/// The README's "Group features" section: what a group feature compiles, and each service's.
pub fn readme_section(model: &Model) -> String {
    let services: Vec<&Service> = model.services.iter().filter(|service| !service.groups.is_empty()).collect();
    if services.is_empty() {
        return String::new();
    }
    let mut text = String::from("\n### Group features\n\n");
    text.push_str(
        "Each API group of a REST service also has a feature, `<service>-<group>`. It compiles \
         the service's client with that group's accessor and module, its `blocking` and `mock` items, and only \
         the types its operations use, directly or through other types (a type shared by two groups compiles \
         with either). The service feature turns on all of its groups; a type that no operation uses compiles \
         only with the service feature. A program that calls a few groups of a large service saves most of \
         its compile time:\n\n```toml\n",
    );
    let example = &services[0];
    text.push_str(&format!(
        "{} = {{ path = \"...\", default-features = false, features = [\"{}\"] }}\n```\n\n",
        model.krate.name, example.groups[0].feature
    ));
    text.push_str("| feature | operations | types it compiles |\n|---|---|---|\n");
    for service in services {
        for (index, group) in service.groups.iter().enumerate() {
            // A service's only group compiles every type, used or not.
            let single = service.groups.len() == 1;
            let types = service.type_groups.iter().filter(|groups| single || groups.contains(&index)).count();
            text.push_str(&format!("| `{}` | {} | {types} |\n", group.feature, group.operations.len()));
        }
    }
    text
}

/// `feature = "a"`, or `any(feature = "a", ...)` for several.
fn predicate_of<'a>(features: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let features: Vec<&str> = features.into_iter().collect();
    match features.as_slice() {
        [one] => quote!(feature = #one),
        many => quote!(any(#(feature = #many),*)),
    }
}

/// Module doc lines (`#![doc]`) that name items of some features only, such as an operation
/// table's row linking to its group: each line is there only when its item is, so the page has
/// no broken intra-doc link whatever the features. `None` marks a line that is always there.
pub fn gated_module_doc(lines: &[(Option<TokenStream>, String)]) -> TokenStream {
    let lines = lines.iter().map(|(predicate, line)| {
        let text = super::common::doc_text(line);
        match predicate {
            Some(predicate) => quote!(#![cfg_attr(#predicate, doc = #text)]),
            None => quote!(#![doc = #text]),
        }
    });
    quote!(#(#lines)*)
}

/// The predicate of a group's items (see `group_cfg`), when it is narrower than the service
/// module's own `cfg`.
pub fn group_predicate(service: &Service, group: usize) -> Option<TokenStream> {
    groups_predicate(service, &[group])
}

/// The attribute of `Client::http`, which only operations call: with the feature of a group
/// without operations alone, nothing does, so the lint is quietened there (and only there).
pub fn http_accessor_attr(service: &Service) -> TokenStream {
    let used: Vec<usize> =
        (0..service.groups.len()).filter(|&index| !service.groups[index].operations.is_empty()).collect();
    if used.len() == service.groups.len() {
        return quote!();
    }
    match (used.is_empty(), groups_predicate(service, &used)) {
        (false, Some(predicate)) => quote!(#[cfg_attr(not(#predicate), allow(dead_code))]),
        (false, None) => quote!(),
        (true, _) => quote!(#[allow(dead_code)]),
    }
}

/// The predicate of the service module in `lib.rs` (see `service_cfg`).
pub fn service_predicate(service: &Service) -> TokenStream {
    if service.groups.is_empty() {
        return predicate_of([service.module.as_str()]);
    }
    predicate_of(service.groups.iter().map(|group| group.feature.as_str()))
}

/// `items` with `cfg` on each item (after its doc lines), so a part made of a struct and its
/// impls compiles or not as a whole.
pub fn gate(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    if cfg.is_empty() || items.is_empty() {
        return items;
    }
    let mut file: syn::File =
        syn::parse2(items.clone()).unwrap_or_else(|error| panic!("generator bug: {error} in items {items}"));
    // Parsed once per item: syn's `Clone` impls are not compiled in.
    let attribute = || {
        syn::parse::Parser::parse2(syn::Attribute::parse_outer, cfg.clone())
            .unwrap_or_else(|error| panic!("generator bug: {error} in attribute {cfg}"))
    };
    for item in &mut file.items {
        let attrs = item_attrs(item);
        let after_docs = attrs.iter().take_while(|attr| attr.path().is_ident("doc")).count();
        attrs.splice(after_docs..after_docs, attribute());
    }
    quote!(#file)
}

/// The outer attributes of the items the emitters write.
fn item_attrs(item: &mut syn::Item) -> &mut Vec<syn::Attribute> {
    match item {
        syn::Item::Const(item) => &mut item.attrs,
        syn::Item::Enum(item) => &mut item.attrs,
        syn::Item::Fn(item) => &mut item.attrs,
        syn::Item::Impl(item) => &mut item.attrs,
        syn::Item::Mod(item) => &mut item.attrs,
        syn::Item::Static(item) => &mut item.attrs,
        syn::Item::Struct(item) => &mut item.attrs,
        syn::Item::Trait(item) => &mut item.attrs,
        syn::Item::Type(item) => &mut item.attrs,
        syn::Item::Use(item) => &mut item.attrs,
        other => panic!("generator bug: no cfg for the item {}", quote!(#other)),
    }
}
