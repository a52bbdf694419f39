//! REST operation changes: operations matched by id (renames by `renamed_from` or by the same
//! method and path), then their HTTP binding, parameters, request body and responses.

use std::collections::{BTreeMap, BTreeSet};

use super::rules::{self, Bump, Wire};
use super::{deprecation, draft, Area, Ctx, Draft, Out};
use crate::model::{Group, Operation, Param, ParamLocation, SuccessResponse, SuccessShape};

type Located<'a> = (&'a Group, &'a Operation);

pub(super) fn diff(ctx: &Ctx, out: &mut Out) {
    let (old, new) = (located(&ctx.old.groups), located(&ctx.new.groups));
    // Lookups by id, method and path instead of scans, so the pairing stays linear in the
    // number of operations.
    let new_ids: BTreeSet<&str> = new.iter().map(|(_, op)| op.id.as_str()).collect();
    let old_by_id: BTreeMap<&str, Located> =
        old.iter().rev().map(|located| (located.1.id.as_str(), *located)).collect();
    let unmatched: Vec<Located> = old.iter().filter(|(_, o)| !new_ids.contains(o.id.as_str())).copied().collect();
    let mut taken = vec![false; unmatched.len()];
    let mut pairs: Vec<(Located, Located)> = Vec::new();
    let mut added: Vec<Located> = Vec::new();
    for located @ (_, op) in &new {
        if let Some(old_located) = old_by_id.get(op.id.as_str()) {
            pairs.push((*old_located, *located));
        } else {
            added.push(*located);
        }
    }
    // Renames: marked, then the same method and path (placeholder names aside) under a new id;
    // each removed operation pairs with the first added one that claims it, in spec order.
    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_http: BTreeMap<(&str, String), Vec<usize>> = BTreeMap::new();
    for (index, (_, o)) in unmatched.iter().enumerate().rev() {
        by_id.entry(o.id.as_str()).or_default().push(index);
        by_http.entry((o.method.as_str(), normalized(&o.path_template))).or_default().push(index);
    }
    let claim = |candidates: Option<&mut Vec<usize>>, taken: &mut [bool]| -> Option<usize> {
        let candidates = candidates?;
        // Candidates are stacked with the first in spec order on top.
        while let Some(index) = candidates.pop() {
            if !taken[index] {
                taken[index] = true;
                return Some(index);
            }
        }
        None
    };
    for by_mark in [true, false] {
        added.retain(|located @ (_, op)| {
            let claimed = if by_mark {
                op.renamed_from.as_deref().and_then(|from| claim(by_id.get_mut(from), &mut taken))
            } else {
                claim(by_http.get_mut(&(op.method.as_str(), normalized(&op.path_template))), &mut taken)
            };
            match claimed {
                Some(index) => {
                    pairs.push((unmatched[index], *located));
                    false
                }
                None => true,
            }
        });
    }
    let unmatched = unmatched.into_iter().zip(taken).filter(|(_, taken)| !taken).map(|(located, _)| located);
    let http = |op: &Operation| format!("{} {}", op.method.as_str(), op.path_template);
    for (group, op) in unmatched {
        out.push(at(rules::OPERATION_REMOVED, group, op.fn_name.as_str()).from(http(op)));
    }
    for (group, op) in added {
        out.push(at(rules::OPERATION_ADDED, group, op.fn_name.as_str()).to(http(op)));
    }
    for ((old_group, old_op), (group, op)) in pairs {
        let (before, after) = (rust_path(old_group, old_op), rust_path(group, op));
        if before != after {
            out.push(at(rules::OPERATION_RENAMED, group, op.fn_name.as_str()).from(before).to(after));
        }
        operation_pair(ctx, out, group, old_op, op);
    }
}

fn located(groups: &[Group]) -> Vec<Located<'_>> {
    groups.iter().flat_map(|g| g.operations.iter().map(move |op| (g, op))).collect()
}

/// A change in a group, about `subject`.
fn at(rule: &'static rules::Rule, group: &Group, subject: &str) -> Draft {
    draft(rule, subject).area(Area::Operation).group(group.module.as_str())
}

fn rust_path(group: &Group, op: &Operation) -> String {
    format!("{}().{}()", group.module, op.fn_name)
}

/// The path with every placeholder emptied: `/a/{id}` and `/a/{taskId}` are the same URL.
fn normalized(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for ch in path.chars() {
        match ch {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(ch),
        }
    }
    out
}

fn operation_pair(ctx: &Ctx, out: &mut Out, group: &Group, old: &Operation, new: &Operation) {
    let op = new.fn_name.as_str();
    if old.method != new.method {
        out.push(at(rules::OPERATION_METHOD_CHANGED, group, op).from(old.method.as_str()).to(new.method.as_str()));
    }
    if normalized(&old.path_template) != normalized(&new.path_template) {
        out.push(at(rules::OPERATION_PATH_CHANGED, group, op).from(&old.path_template).to(&new.path_template));
    }
    if old.deprecated != new.deprecated {
        out.push(
            at(rules::OPERATION_DEPRECATED, group, op)
                .from(deprecation(&old.deprecated))
                .to(deprecation(&new.deprecated)),
        );
    }
    if old.idempotent != new.idempotent {
        out.push(
            at(rules::OPERATION_IDEMPOTENT_CHANGED, group, op)
                .from(idempotence(old.idempotent))
                .to(idempotence(new.idempotent))
                .wire(if new.idempotent { Wire::PotentiallyBreaking } else { Wire::None }),
        );
    }
    if old.doc != new.doc {
        out.push(at(rules::DOCS_CHANGED, group, op).from("summary or description").to("changed"));
    }
    params(ctx, out, group, old, new);
    body(ctx, out, group, old, new);
    responses(ctx, out, group, old, new);
    ways_to_call(out, group, old, new);
}

/// How an `idempotent` mark is shown in a report.
pub(super) fn idempotence(marked: bool) -> &'static str {
    if marked {
        "idempotent (retried)"
    } else {
        "not marked"
    }
}

/// Pagination and background jobs: more ways to call the same endpoint.
fn ways_to_call(out: &mut Out, group: &Group, old: &Operation, new: &Operation) {
    let op = new.fn_name.as_str();
    let pages = |op: &Operation| op.pagination.as_ref().map(|pagination| pagination.item.clone());
    let bump = |declared: bool, removed: bool, typed_alike: bool| match (declared, removed) {
        (true, _) => Bump::Minor,
        (_, true) => Bump::Major,
        _ if typed_alike => Bump::Patch,
        _ => Bump::Major,
    };
    let shown = |on: bool| if on { "declared" } else { "none" };
    if old.pagination != new.pagination {
        let rust = bump(old.pagination.is_none(), new.pagination.is_none(), pages(old) == pages(new));
        out.push(
            at(rules::PAGINATION_CHANGED, group, op)
                .from(shown(old.pagination.is_some()))
                .to(shown(new.pagination.is_some()))
                .rust(rust),
        );
    }
    if old.background != new.background {
        let result = |op: &Operation| op.background.as_ref().map(|call| call.result.clone());
        let rust = bump(old.background.is_none(), new.background.is_none(), result(old) == result(new));
        out.push(
            at(rules::BACKGROUND_JOB_CHANGED, group, op)
                .from(shown(old.background.is_some()))
                .to(shown(new.background.is_some()))
                .rust(rust),
        );
    }
}

fn param_subject(op: &str, param: &Param) -> String {
    match param.location {
        ParamLocation::Path => format!("{op} {{{}}}", param.wire_name),
        ParamLocation::Query => format!("{op} ?{}", param.wire_name),
        ParamLocation::Header => format!("{op} header {}", param.wire_name),
        ParamLocation::Cookie => format!("{op} cookie {}", param.wire_name),
    }
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// Header names are case-insensitive on the wire.
fn same_wire_name(a: &Param, b: &Param) -> bool {
    if a.location == ParamLocation::Header && b.location == ParamLocation::Header {
        a.wire_name.eq_ignore_ascii_case(&b.wire_name)
    } else {
        a.wire_name == b.wire_name
    }
}

fn params(ctx: &Ctx, out: &mut Out, group: &Group, old: &Operation, new: &Operation) {
    let op = new.fn_name.as_str();
    let mut unmatched: Vec<&Param> = old.params.iter().collect();
    let mut added: Vec<&Param> = new.params.iter().collect();
    let mut pairs: Vec<(&Param, &Param)> = Vec::new();
    // Same place and name; same name elsewhere (a move); marked rename; same Rust name (a wire
    // rename).
    type Matches = dyn Fn(&Param, &Param) -> bool;
    let steps: [&Matches; 4] = [
        &|o, n| o.location == n.location && same_wire_name(o, n),
        &|o, n| o.wire_name == n.wire_name,
        &|o, n| n.renamed_from.as_deref() == Some(o.wire_name.as_str()),
        &|o, n| o.ident == n.ident,
    ];
    for matches in steps {
        added.retain(|new_param| match unmatched.iter().position(|old_param| matches(old_param, new_param)) {
            Some(position) => {
                pairs.push((unmatched.remove(position), *new_param));
                false
            }
            None => true,
        });
    }
    let describe = |param: &Param, spelled: String| format!("{spelled} in {}", location(param.location));
    for param in unmatched {
        out.push(
            at(rules::PARAM_REMOVED, group, &param_subject(op, param)).from(describe(param, ctx.spell_old(&param.ty))),
        );
    }
    for param in added {
        let rule = if param.required { rules::PARAM_ADDED_REQUIRED } else { rules::PARAM_ADDED_OPTIONAL };
        out.push(at(rule, group, &param_subject(op, param)).to(describe(param, ctx.spell_new(&param.ty))));
    }
    for (old_param, new_param) in &pairs {
        param_pair(ctx, out, group, op, old_param, new_param);
    }
    // Required parameters are positional arguments, in spec order.
    let position = |param: &Param, list: &[Param]| list.iter().position(|p| std::ptr::eq(p, param));
    let mut required: Vec<(&Param, &Param)> = pairs.into_iter().filter(|(o, n)| o.required && n.required).collect();
    required.sort_by_key(|(o, _)| position(o, &old.params));
    let before: Vec<(&str, &str)> = required.iter().map(|(o, n)| (o.ident.as_str(), n.ident.as_str())).collect();
    required.sort_by_key(|(_, n)| position(n, &new.params));
    let after: Vec<(&str, &str)> = required.iter().map(|(o, n)| (o.ident.as_str(), n.ident.as_str())).collect();
    if before != after {
        let names = |list: &[(&str, &str)], new: bool| {
            list.iter().map(|(o, n)| if new { *n } else { *o }).collect::<Vec<_>>().join(", ")
        };
        out.push(at(rules::PARAM_ORDER_CHANGED, group, op).from(names(&before, false)).to(names(&after, true)));
    }
}

fn param_pair(ctx: &Ctx, out: &mut Out, group: &Group, op: &str, old: &Param, new: &Param) {
    let subject = param_subject(op, new);
    let at = |rule| at(rule, group, &subject);
    if old.wire_name != new.wire_name {
        let unsent = old.location == ParamLocation::Path && new.location == ParamLocation::Path;
        let wire = if unsent || same_wire_name(old, new) { Wire::None } else { Wire::Breaking };
        out.push(at(rules::PARAM_WIRE_NAME_CHANGED).from(&old.wire_name).to(&new.wire_name).wire(wire));
    }
    if old.ident != new.ident {
        // Only an optional parameter's name is part of the API: it names the setter.
        let rust = if old.required { Bump::Patch } else { Bump::Major };
        out.push(at(rules::PARAM_RUST_NAME_CHANGED).from(&old.ident).to(&new.ident).rust(rust));
    }
    if old.location != new.location {
        out.push(at(rules::PARAM_LOCATION_CHANGED).from(location(old.location)).to(location(new.location)));
    } else if old.style != new.style {
        out.push(at(rules::PARAM_STYLE_CHANGED).from(old.style.as_str()).to(new.style.as_str()));
    }
    let (before, after) = (ctx.spell_old(&old.ty), ctx.spell_new(&new.ty));
    if before != after {
        out.push(at(rules::PARAM_TYPE_CHANGED).from(before).to(after));
    }
    match (old.required, new.required) {
        (false, true) => out.push(at(rules::PARAM_BECAME_REQUIRED).from("optional").to("required")),
        (true, false) => out.push(at(rules::PARAM_BECAME_OPTIONAL).from("required").to("optional")),
        _ => {}
    }
    if old.deprecated != new.deprecated {
        out.push(at(rules::PARAM_DEPRECATED).from(deprecation(&old.deprecated)).to(deprecation(&new.deprecated)));
    }
    if old.doc != new.doc {
        out.push(at(rules::DOCS_CHANGED).from("description").to("changed"));
    }
}

fn body(ctx: &Ctx, out: &mut Out, group: &Group, old: &Operation, new: &Operation) {
    let subject = format!("{} body", new.fn_name);
    let at = |rule| at(rule, group, &subject);
    let word = |required: bool| if required { "required" } else { "optional" };
    match (&old.body, &new.body) {
        (None, Some(body)) => {
            let (wire, rust) = if body.required { (Wire::Breaking, Bump::Major) } else { (Wire::None, Bump::Minor) };
            let spelled = format!("{} ({})", ctx.spell_new(&body.ty), word(body.required));
            out.push(at(rules::BODY_ADDED).to(spelled).wire(wire).rust(rust));
        }
        (Some(body), None) => out.push(at(rules::BODY_REMOVED).from(ctx.spell_old(&body.ty))),
        (Some(old_body), Some(new_body)) => {
            let (before, after) = (ctx.spell_old(&old_body.ty), ctx.spell_new(&new_body.ty));
            if before != after {
                out.push(at(rules::BODY_TYPE_CHANGED).from(before).to(after));
            }
            if !old_body.content_type.eq_ignore_ascii_case(&new_body.content_type) {
                out.push(at(rules::BODY_CONTENT_TYPE_CHANGED).from(&old_body.content_type).to(&new_body.content_type));
            }
            match (old_body.required, new_body.required) {
                (false, true) => out.push(at(rules::BODY_BECAME_REQUIRED).from("optional").to("required")),
                (true, false) => out.push(at(rules::BODY_BECAME_OPTIONAL).from("required").to("optional")),
                _ => {}
            }
            if old_body.doc != new_body.doc {
                out.push(at(rules::DOCS_CHANGED).from("description").to("changed"));
            }
        }
        (None, None) => {}
    }
}

fn responses(ctx: &Ctx, out: &mut Out, group: &Group, old: &Operation, new: &Operation) {
    let op = new.fn_name.as_str();
    let cases = |op: &Operation| -> BTreeMap<u16, SuccessResponse> {
        op.success.responses().iter().map(|response| (response.status, response.clone())).collect()
    };
    let (old_cases, new_cases) = (cases(old), cases(new));
    // A 101's result is the connection: another protocol is another answer (`response-type-changed`).
    let upgraded = |r: &SuccessResponse| r.upgrade.as_ref().map(|protocol| format!("upgraded connection ({protocol})"));
    let show_old = |r: &SuccessResponse| {
        upgraded(r).unwrap_or_else(|| r.ty.as_ref().map_or("empty".to_owned(), |ty| ctx.spell_old(ty)))
    };
    let show_new = |r: &SuccessResponse| {
        upgraded(r).unwrap_or_else(|| r.ty.as_ref().map_or("empty".to_owned(), |ty| ctx.spell_new(ty)))
    };
    for (status, response) in &old_cases {
        if !new_cases.contains_key(status) {
            out.push(at(rules::RESPONSE_STATUS_REMOVED, group, &format!("{op} {status}")).from(show_old(response)));
        }
    }
    let was_single = matches!(old.success, SuccessShape::Single(_));
    for (status, response) in &new_cases {
        let subject = format!("{op} {status}");
        let at = |rule| at(rule, group, &subject);
        let Some(old_response) = old_cases.get(status) else {
            // One status is the plain result type; a second turns it into a response enum.
            let rust = if was_single { Bump::Major } else { Bump::Minor };
            out.push(at(rules::RESPONSE_STATUS_ADDED).to(show_new(response)).rust(rust));
            continue;
        };
        let (before, after) = (show_old(old_response), show_new(response));
        if before != after {
            out.push(at(rules::RESPONSE_TYPE_CHANGED).from(before).to(after));
        }
        let media = |response: &SuccessResponse| response.content_type.as_deref().map(str::to_ascii_lowercase);
        if let (Some(old_type), Some(new_type)) = (media(old_response), media(response)) {
            if old_type != new_type {
                out.push(at(rules::RESPONSE_CONTENT_TYPE_CHANGED).from(old_type).to(new_type));
            }
        }
        let lower = |headers: &[String]| headers.iter().map(|h| h.to_ascii_lowercase()).collect::<BTreeSet<_>>();
        let (old_headers, new_headers) = (lower(&old_response.headers), lower(&response.headers));
        for header in response.headers.iter().filter(|h| !old_headers.contains(&h.to_ascii_lowercase())) {
            out.push(at(rules::RESPONSE_HEADER_ADDED).to(header));
        }
        for header in old_response.headers.iter().filter(|h| !new_headers.contains(&h.to_ascii_lowercase())) {
            out.push(at(rules::RESPONSE_HEADER_REMOVED).from(header));
        }
        if old_response.doc != response.doc {
            out.push(at(rules::DOCS_CHANGED).from("description").to("changed"));
        }
    }
    let errors = |op: &Operation| -> BTreeMap<String, Vec<String>> {
        op.errors.iter().map(|e| (e.status.map_or("default".to_owned(), |s| s.to_string()), e.doc.clone())).collect()
    };
    let (old_errors, new_errors) = (errors(old), errors(new));
    for (status, doc) in &new_errors {
        let at = || at(rules::ERROR_STATUS_CHANGED, group, &format!("{op} error {status}"));
        match old_errors.get(status) {
            None => out.push(at().to("declared")),
            Some(old_doc) if old_doc != doc => {
                out.push(Draft { rule: rules::DOCS_CHANGED, ..at() }.from("description").to("changed"))
            }
            Some(_) => {}
        }
    }
    for status in old_errors.keys().filter(|status| !new_errors.contains_key(*status)) {
        out.push(at(rules::ERROR_STATUS_CHANGED, group, &format!("{op} error {status}")).from("declared"));
    }
    let error_type = |ty: &Option<crate::model::TypeRef>, spell: &dyn Fn(&crate::model::TypeRef) -> String| {
        ty.as_ref().map_or("none".to_owned(), spell)
    };
    let before = error_type(&old.error_body, &|ty| ctx.spell_old(ty));
    let after = error_type(&new.error_body, &|ty| ctx.spell_new(ty));
    if before != after {
        out.push(at(rules::ERROR_TYPE_CHANGED, group, &format!("{op} error")).from(before).to(after));
    }
}
