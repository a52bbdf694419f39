//! SOAP changes: the service's binding (endpoint, SOAPAction, namespaces) and its operations,
//! matched by id (or, for a new id, by the same operation element).

use super::rules::{self, Rule, Wire};
use super::{draft, Area, Ctx, Draft, Out};
use crate::model::{SoapOperation, SoapService};

pub(super) fn diff(ctx: &Ctx, out: &mut Out) {
    let (old, new) = (ctx.old.soap.as_ref(), ctx.new.soap.as_ref());
    if let (Some(old), Some(new)) = (old, new) {
        binding(out, ctx.new.module.as_str(), old, new);
    }
    let none = Vec::new();
    let old_ops = old.map_or(&none, |soap| &soap.operations);
    let new_ops = new.map_or(&none, |soap| &soap.operations);
    let mut unmatched: Vec<&SoapOperation> = old_ops.iter().filter(|o| !new_ops.iter().any(|n| n.id == o.id)).collect();
    let mut pairs = Vec::new();
    for op in new_ops {
        let found = old_ops.iter().find(|o| o.id == op.id).or_else(|| {
            let position = unmatched.iter().position(|o| o.element == op.element)?;
            Some(unmatched.remove(position))
        });
        match found {
            Some(old_op) => pairs.push((old_op, op)),
            None => out.push(at(rules::OPERATION_ADDED, op.fn_name.as_str()).to(&op.element)),
        }
    }
    for op in unmatched {
        out.push(at(rules::OPERATION_REMOVED, op.fn_name.as_str()).from(&op.element));
    }
    for (old_op, op) in pairs {
        operation_pair(ctx, out, old_op, op);
    }
}

fn at(rule: &'static Rule, subject: &str) -> Draft {
    draft(rule, subject).area(Area::Operation)
}

fn binding(out: &mut Out, module: &str, old: &SoapService, new: &SoapService) {
    let namespaces =
        |soap: &SoapService| soap.namespaces.iter().map(|(p, uri)| format!("{p}={uri}")).collect::<Vec<_>>().join(", ");
    let parts: [(&str, String, String); 4] = [
        ("endpoint path", old.endpoint_path.clone(), new.endpoint_path.clone()),
        ("SOAPAction", old.action_template.clone(), new.action_template.clone()),
        ("operation namespace", old.operation_namespace.clone(), new.operation_namespace.clone()),
        ("namespaces", namespaces(old), namespaces(new)),
    ];
    for (what, before, after) in parts {
        if before != after {
            out.push(draft(rules::SOAP_BINDING_CHANGED, format!("{module} {what}")).from(before).to(after));
        }
    }
    redirect(out, module, old, new);
}

/// Where the authenticate answer may send the session: the redirect field and its host list,
/// compared as a set (their order does not matter to the client).
fn redirect(out: &mut Out, module: &str, old: &SoapService, new: &SoapService) {
    let hosts = |soap: &SoapService| {
        let redirect = soap.session.as_ref().and_then(|session| session.redirect.as_ref());
        redirect.map(|redirect| {
            let mut hosts = redirect.hosts.clone();
            hosts.sort();
            hosts.dedup();
            (redirect.field.clone(), hosts)
        })
    };
    let (before, after) = (hosts(old), hosts(new));
    if before == after {
        return;
    }
    let show = |side: &Option<(crate::model::RustName, Vec<String>)>| match side {
        Some((field, hosts)) => format!("{field}: {}", hosts.join(", ")),
        None => "no redirects".to_owned(),
    };
    // Loosening: a host the old list did not allow, or redirects followed where none were.
    let widened = match (&before, &after) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some((_, old_hosts)), Some((_, new_hosts))) => new_hosts.iter().any(|host| !old_hosts.contains(host)),
    };
    let wire = if widened { Wire::PotentiallyBreaking } else { Wire::None };
    out.push(
        draft(rules::SOAP_REDIRECT_HOSTS_CHANGED, format!("{module} redirect hosts"))
            .from(show(&before))
            .to(show(&after))
            .wire(wire),
    );
}

fn operation_pair(ctx: &Ctx, out: &mut Out, old: &SoapOperation, new: &SoapOperation) {
    let op = new.fn_name.as_str();
    if old.fn_name != new.fn_name {
        out.push(at(rules::OPERATION_RENAMED, op).from(format!("{}()", old.fn_name)).to(format!("{}()", new.fn_name)));
    }
    if old.element != new.element {
        out.push(at(rules::OPERATION_PATH_CHANGED, op).from(&old.element).to(&new.element));
    }
    if old.request_element != new.request_element {
        out.push(
            at(rules::SOAP_BINDING_CHANGED, &format!("{op} request element"))
                .from(&old.request_element)
                .to(&new.request_element),
        );
    }
    let renamed = |ident: &str| ctx.renamed.get(ident).cloned().unwrap_or_else(|| ident.to_owned());
    if renamed(old.request.as_str()) != new.request.as_str() {
        out.push(at(rules::BODY_TYPE_CHANGED, &format!("{op} body")).from(&old.request).to(&new.request));
    }
    if renamed(old.response.as_str()) != new.response.as_str() {
        out.push(at(rules::RESPONSE_TYPE_CHANGED, &format!("{op} response")).from(&old.response).to(&new.response));
    }
    if old.idempotent != new.idempotent {
        let wire = if new.idempotent { Wire::PotentiallyBreaking } else { Wire::None };
        let (from, to) =
            (super::operations::idempotence(old.idempotent), super::operations::idempotence(new.idempotent));
        out.push(at(rules::OPERATION_IDEMPOTENT_CHANGED, op).from(from).to(to).wire(wire));
    }
    if old.uses_session != new.uses_session {
        let word = |uses: bool| if uses { "takes the session" } else { "no session" };
        out.push(at(rules::OPERATION_SESSION_CHANGED, op).from(word(old.uses_session)).to(word(new.uses_session)));
    }
    if old.doc != new.doc {
        out.push(at(rules::DOCS_CHANGED, op).from("summary or description").to("changed"));
    }
}
