//! Lowers the SOAP binding of a `protocol: soap` service: element namespaces, operations and
//! the session rules.

use super::ServiceLowering;
use crate::diagnostics::did_you_mean;
use crate::model::{FieldXml, RustName, SoapOperation, SoapService, SoapSession, TypeDef, TypeRef};
use crate::names;
use crate::spec::{FieldSpec, ObjectSpec, TypeSpec};

/// The XML element of one field: its namespace prefix and, for lists, the item element.
pub(super) fn field_xml(
    lowering: &mut ServiceLowering<'_>,
    object: &ObjectSpec,
    field: &FieldSpec,
    ty: &TypeRef,
    path: &str,
) -> Option<FieldXml> {
    let declared = |prefix: &str| lowering.spec.soap.as_ref().is_some_and(|soap| soap.namespaces.contains_key(prefix));
    let Some(namespace) = field.xml_namespace.clone().or_else(|| object.xml_namespace.clone()) else {
        lowering
            .error(format!("{path}.xml_namespace"), "a SOAP field needs an XML namespace")
            .hint(format!("set `xml_namespace` on type `{}` or on this field", object.name));
        return None;
    };
    if !declared(&namespace) {
        let known: Vec<String> =
            lowering.spec.soap.as_ref().map(|soap| soap.namespaces.keys().cloned().collect()).unwrap_or_default();
        let hint = did_you_mean(&namespace, known.iter().map(String::as_str))
            .or_else(|| Some(format!("declare `{namespace}` under `soap.namespaces`")));
        lowering
            .error(format!("{path}.xml_namespace"), format!("unknown namespace prefix `{namespace}`"))
            .maybe_hint(hint);
        return None;
    }
    if holds(ty, &|ty| matches!(ty, TypeRef::Map(_) | TypeRef::Json)) {
        lowering
            .error(format!("{path}.type"), "maps and arbitrary JSON cannot be carried in a SOAP envelope")
            .hint("describe the element as an object type");
        return None;
    }
    if holds(ty, &|ty| *ty == TypeRef::Binary) {
        lowering
            .error(format!("{path}.type"), "binary data cannot be carried in a SOAP envelope")
            .hint("declare the element as a base64 `string`");
        return None;
    }
    let item = match ty {
        TypeRef::List(inner) => {
            let item_type = match inner.as_ref() {
                TypeRef::Named { ident, .. } => spec_type_of(lowering, ident.as_str()),
                _ => None,
            };
            let element = field.xml_item.clone().or_else(|| item_type.map(|ty| ty.name().to_owned()));
            let Some(element) = element else {
                lowering
                    .error(format!("{path}.xml_item"), "a SOAP list of builtin values needs the item element name")
                    .hint("set `xml_item`, e.g. `xml_item: string`");
                return None;
            };
            let item_namespace = match item_type {
                Some(TypeSpec::Object(object)) => object.xml_namespace.clone(),
                _ => None,
            }
            .unwrap_or_else(|| namespace.clone());
            Some((item_namespace, element))
        }
        _ => None,
    };
    Some(FieldXml { namespace, item, nillable: field.nillable })
}

fn holds(ty: &TypeRef, test: &dyn Fn(&TypeRef) -> bool) -> bool {
    test(ty)
        || match ty {
            TypeRef::List(inner) | TypeRef::Map(inner) => holds(inner, test),
            _ => false,
        }
}

/// The spec definition behind a Rust type ident.
fn spec_type_of<'a>(lowering: &ServiceLowering<'a>, ident: &str) -> Option<&'a TypeSpec> {
    lowering.spec_types_by_ident.get(ident).copied()
}

pub(super) fn lower_soap(lowering: &mut ServiceLowering<'_>, types: &[TypeDef]) -> Option<SoapService> {
    let spec = lowering.spec;
    let Some(soap) = &spec.soap else {
        lowering
            .error("soap", "a `protocol: soap` service needs a `soap` section")
            .hint("add `soap:` with endpoint_path, action, operation_namespace and namespaces");
        return None;
    };
    if !soap.namespaces.contains_key(&soap.operation_namespace) {
        lowering.error(
            "soap.operation_namespace",
            format!("`{}` is not declared under `soap.namespaces`", soap.operation_namespace),
        );
    }
    for (prefix, uri) in &soap.namespaces {
        let valid_prefix = prefix.starts_with(|c: char| c.is_ascii_alphabetic())
            && prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !prefix.to_ascii_lowercase().starts_with("xml")
            && prefix != "soapenv"
            && prefix != "i";
        if !valid_prefix {
            lowering
                .error(format!("soap.namespaces[{prefix}]"), format!("`{prefix}` cannot be used as a namespace prefix"))
                .hint("use letters and digits; `xml*`, `soapenv` and `i` are reserved");
        }
        if uri.trim().is_empty() {
            lowering.error(format!("soap.namespaces[{prefix}]"), "the namespace URI is empty");
        }
    }
    if !soap.endpoint_path.starts_with('/') {
        lowering.error("soap.endpoint_path", "the endpoint path must start with `/`");
    }

    // Looked up per operation, so indexed once (the first object of a wire name, as a scan finds).
    let mut objects: std::collections::BTreeMap<&str, &RustName> = std::collections::BTreeMap::new();
    for def in types {
        if let TypeDef::Object(object) = def {
            objects.entry(object.wire_name.as_str()).or_insert(&object.ident);
        }
    }
    let object_ident = |name: &str| -> Option<RustName> { objects.get(name).map(|ident| (*ident).clone()) };
    let group_ids: std::collections::BTreeSet<&str> = spec.groups.iter().map(|group| group.id.as_str()).collect();
    let mut operations = Vec::new();
    let mut fn_names = std::collections::BTreeSet::new();
    for operation in &spec.operations {
        let path = format!("operations[{}]", operation.id);
        if !group_ids.contains(operation.group.as_str()) {
            let hint = did_you_mean(&operation.group, spec.groups.iter().map(|g| g.id.as_str()));
            lowering.error(format!("{path}.group"), format!("unknown group `{}`", operation.group)).maybe_hint(hint);
        }
        let rest_only = [
            ("method", operation.method.is_some()),
            ("path", operation.path.is_some()),
            ("params", !operation.params.is_empty()),
            ("body", operation.body.is_some()),
            ("responses", !operation.responses.is_empty()),
            ("errors", !operation.errors.is_empty()),
        ];
        for (key, present) in rest_only {
            if present {
                lowering
                    .error(format!("{path}.{key}"), format!("`{key}` is not used by SOAP operations"))
                    .hint("describe the call under `soap:` (operation, request, response)");
            }
        }
        let Some(binding) = &operation.soap else {
            lowering
                .error(format!("{path}.soap"), "a SOAP operation needs a `soap` binding")
                .hint("add `soap: { operation: <ElementName>, request: <Type>, response: <Type> }`");
            continue;
        };
        let mut resolve = |name: &str, key: &str| {
            let ident = object_ident(name);
            if ident.is_none() {
                let candidates: Vec<&str> = spec.types.iter().map(TypeSpec::name).collect();
                let hint =
                    did_you_mean(name, candidates).or_else(|| Some(format!("define object `{name}` under `types`")));
                lowering
                    .error(format!("{path}.soap.{key}"), format!("`{name}` is not an object type"))
                    .maybe_hint(hint);
            }
            ident
        };
        let (Some(request), Some(response)) =
            (resolve(&binding.request, "request"), resolve(&binding.response, "response"))
        else {
            continue;
        };
        let fn_source = operation.name.clone().unwrap_or_else(|| {
            let prefix = format!("{}_", operation.group);
            operation.id.strip_prefix(&prefix).unwrap_or(&operation.id).to_owned()
        });
        let fn_name = names::snake(&fn_source);
        if !fn_names.insert(fn_name.clone()) {
            lowering
                .error(format!("{path}.name"), format!("another operation is already named `{fn_name}`"))
                .hint("SOAP operations are methods of one client; give each a distinct `name`");
            continue;
        }
        let mut doc = Vec::new();
        if let Some(summary) = &operation.summary {
            doc.extend(crate::docs::doc_lines(summary));
        }
        if let Some(description) = &operation.description {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.extend(crate::docs::doc_lines(description));
        }
        lowering.provenance(&path, &operation.origin, &operation.inferred, super::provenance::OPERATION_KEYS, &mut doc);
        operations.push(SoapOperation {
            id: operation.id.clone(),
            blocking_fn: names::blocking_call(&fn_name),
            fn_name,
            doc,
            element: binding.operation.clone(),
            request_element: binding.request_element.clone(),
            request,
            response,
            uses_session: false,
            idempotent: operation.idempotent,
        });
    }
    let session = soap.session.as_ref().and_then(|session| lower_session(lowering, session, types, &mut operations));
    let mut namespaces: Vec<(String, String)> = soap.namespaces.clone().into_iter().collect();
    namespaces.sort();
    // Sorted and distinct, so the generated list is stable.
    let mut secret_elements = std::collections::BTreeSet::new();
    for def in types {
        let TypeDef::Object(object) = def else { continue };
        for field in &object.fields {
            let Some(xml) = field.xml.as_ref().filter(|_| holds(&field.ty, &|ty| *ty == TypeRef::Secret)) else {
                continue;
            };
            secret_elements.insert(field.wire_name.clone());
            if let Some((_, item)) = &xml.item {
                secret_elements.insert(item.clone());
            }
        }
    }
    Some(SoapService {
        endpoint_path: soap.endpoint_path.clone(),
        endpoint_path_confirmed: soap.endpoint_path_confirmed,
        action_template: soap.action.clone(),
        action_confirmed: soap.action_confirmed,
        operation_namespace: soap.operation_namespace.clone(),
        namespaces,
        operations,
        session,
        secret_elements: secret_elements.into_iter().collect(),
    })
}

fn lower_session(
    lowering: &mut ServiceLowering<'_>,
    session: &crate::spec::SoapSessionSpec,
    types: &[TypeDef],
    operations: &mut [SoapOperation],
) -> Option<SoapSession> {
    let find_op = |id: &str| operations.iter().position(|operation| operation.id == id);
    let Some(authenticate) = find_op(&session.authenticate) else {
        let hint = did_you_mean(&session.authenticate, operations.iter().map(|op| op.id.as_str()));
        lowering
            .error("soap.session.authenticate", format!("unknown operation `{}`", session.authenticate))
            .maybe_hint(hint);
        return None;
    };
    let end = match &session.end {
        Some(id) => match find_op(id) {
            Some(index) => Some(index),
            None => {
                lowering.error("soap.session.end", format!("unknown operation `{id}`"));
                None
            }
        },
        None => None,
    };
    let object = |ident: &str| {
        types.iter().find_map(|def| match def {
            TypeDef::Object(object) if object.ident == ident => Some(object),
            _ => None,
        })
    };
    let auth_response = object(operations[authenticate].response.as_str())?;
    let field_of =
        |object: &crate::model::ObjectDef, wire: &str| object.fields.iter().find(|f| f.wire_name == wire).cloned();

    let mut ok = true;
    let Some(ticket) = field_of(auth_response, &session.ticket_field) else {
        lowering.error(
            "soap.session.ticket_field",
            format!("the authenticate response `{}` has no field `{}`", auth_response.wire_name, session.ticket_field),
        );
        return None;
    };
    for (key, field) in [("ticket_field", Some(&ticket))] {
        if let Some(field) = field.filter(|field| !field.optional) {
            lowering
                .error(
                    format!("soap.session.{key}"),
                    format!("`{}` must be optional in the authenticate response", field.wire_name),
                )
                .hint("responses may leave it out; remove `required: true`");
            ok = false;
        }
    }
    if ticket.ty != TypeRef::Secret {
        lowering
            .error(
                "soap.session.ticket_field",
                format!("the ticket field `{}` must have type `secret`", session.ticket_field),
            )
            .hint("a secret's Debug output is redacted, so tickets never reach logs");
        ok = false;
    }
    let redirect_field = match &session.redirect_field {
        Some(wire) => match field_of(auth_response, wire) {
            Some(field) if field.ty == TypeRef::String && field.optional => Some(field.ident),
            _ => {
                lowering.error(
                    "soap.session.redirect_field",
                    format!("the authenticate response needs an optional string field `{wire}`"),
                );
                ok = false;
                None
            }
        },
        None => None,
    };
    let redirect_hosts = lower_redirect_hosts(lowering, session);
    ok &= redirect_hosts.is_some();
    let redirect =
        redirect_field.zip(redirect_hosts.flatten()).map(|(field, hosts)| crate::model::SoapRedirect { field, hosts });
    // The status and message fields must be on every response, of one type each, so failures
    // are read the same way (the generated code reads them as the first response's types).
    let mut status: Option<crate::model::Field> = None;
    let mut messages: Option<crate::model::Field> = None;
    let mut first_response = None;
    for operation in operations.iter() {
        let Some(response) = object(operation.response.as_str()) else { continue };
        match (field_of(response, &session.status_field), field_of(response, &session.messages_field)) {
            (Some(status_field), Some(messages_field)) if status_field.optional && messages_field.optional => {
                let first = first_response.get_or_insert_with(|| response.wire_name.clone());
                let same_status = status.get_or_insert_with(|| status_field.clone()).ty == status_field.ty;
                let same_messages = messages.get_or_insert_with(|| messages_field.clone()).ty == messages_field.ty;
                if !(same_status && same_messages) {
                    lowering.error(format!("operations[{}].soap.response", operation.id), format!(
                            "response `{}` gives the session's status field `{}` or messages field `{}` another type than response `{first}` does",
                            response.wire_name, session.status_field, session.messages_field
                        )).hint("every response reports failures the same way: give these fields the same types in every response");
                    ok = false;
                }
            }
            _ => {
                lowering.error(
                    format!("operations[{}].soap.response", operation.id),
                    format!(
                        "response `{}` lacks the session's optional status field `{}` or optional messages field `{}`",
                        response.wire_name, session.status_field, session.messages_field
                    ),
                );
                ok = false;
            }
        }
    }
    let (Some(status), Some(messages)) = (status, messages) else { return None };
    let status_enum = match &status.ty {
        TypeRef::Named { ident, .. } => types.iter().find_map(|def| match def {
            TypeDef::Enum(enumeration) if &enumeration.ident == ident => Some(enumeration),
            _ => None,
        }),
        _ => None,
    };
    let Some(status_enum) = status_enum else {
        lowering.error("soap.session.status_field", "the status field must be an enum");
        return None;
    };
    let message_type = match &messages.ty {
        TypeRef::List(inner) => match inner.as_ref() {
            TypeRef::Named { ident, .. } => Some(ident.clone()),
            _ => None,
        },
        _ => None,
    };
    let Some(message_type) = message_type else {
        lowering.error("soap.session.messages_field", "the messages field must be a list of an object type");
        return None;
    };
    let mut variants = |values: &[String], key: &str| -> Vec<RustName> {
        values
            .iter()
            .filter_map(|value| {
                let member = status_enum
                    .members
                    .iter()
                    .find(|member| matches!(&member.value, crate::model::WireValue::String(text) if text == value));
                if member.is_none() {
                    lowering.error(
                        format!("soap.session.{key}"),
                        format!("`{value}` is not a member of `{}`", status_enum.wire_name),
                    );
                }
                member.map(|member| member.ident.clone())
            })
            .collect()
    };
    let failure_statuses = variants(&session.failure_statuses, "failure_statuses");
    let invalid_session_statuses = variants(&session.invalid_session_statuses, "invalid_session_statuses");

    for (index, operation) in operations.iter_mut().enumerate() {
        let Some(request) = object(operation.request.as_str()) else { continue };
        if index == authenticate {
            continue;
        }
        if let Some(field) = field_of(request, &session.ticket_field) {
            if field.ty != TypeRef::Secret {
                lowering.error(
                    format!("types[{}].fields[{}].type", request.wire_name, field.wire_name),
                    "the session ticket field must have type `secret`",
                );
                ok = false;
            }
            operation.uses_session = true;
        }
    }
    ok.then(|| SoapSession {
        authenticate,
        end,
        ticket_field: ticket.ident,
        redirect,
        status_field: status.ident,
        messages_field: messages.ident,
        status_type: status_enum.ident.clone(),
        message_type,
        failure_statuses,
        invalid_session_statuses,
    })
}

/// The host patterns a redirect may lead to: `Some(None)` without a redirect field, `None`
/// after reporting a problem.
fn lower_redirect_hosts(
    lowering: &mut ServiceLowering<'_>,
    session: &crate::spec::SoapSessionSpec,
) -> Option<Option<Vec<String>>> {
    let path = "soap.session.redirect_hosts";
    let hosts = match (&session.redirect_field, &session.redirect_hosts) {
        (None, None) => return Some(None),
        (None, Some(_)) => {
            lowering.error(path, "`redirect_hosts` is set but there is no `redirect_field`").hint(
                "name the authenticate response's redirect element in `redirect_field`, or remove `redirect_hosts`"
                    .to_owned(),
            );
            return None;
        }
        (Some(field), None) => {
            lowering.error("soap.session", format!("`redirect_field: {field}` needs `redirect_hosts`: the hosts the service may send the credentials to")).hint("list the hosts the documents name, e.g. `redirect_hosts: ['*.example.com']`");
            return None;
        }
        (Some(_), Some(hosts)) => hosts,
    };
    if hosts.is_empty() {
        lowering
            .error(path, "`redirect_hosts` is empty, so every redirect would be refused")
            .hint("list at least one host, or remove `redirect_field` and `redirect_hosts`");
        return None;
    }
    let mut valid = true;
    for (index, pattern) in hosts.iter().enumerate() {
        if let Err((message, hint)) = check_host_pattern(pattern) {
            lowering.error(format!("{path}[{index}]"), message).hint(hint);
            valid = false;
        }
    }
    valid.then(|| Some(hosts.clone()))
}

/// A host pattern is a lowercase DNS name, or `*.` and a name of two labels or more (any host
/// below it). Ports, schemes, paths, IP addresses and other wildcards are refused.
fn check_host_pattern(pattern: &str) -> Result<(), (String, &'static str)> {
    const FORM: &str = "write a host name such as `secure.example.com`, or `*.example.com` for every host below it";
    let name = pattern.strip_prefix("*.").unwrap_or(pattern);
    if pattern.is_empty() {
        return Err(("the host pattern is empty".to_owned(), FORM));
    }
    if pattern.contains(['/', ':', '@', '?', '#']) {
        return Err((format!("`{pattern}` is not a host: a pattern has no scheme, port or path"), FORM));
    }
    if name.contains('*') {
        return Err((format!("`{pattern}`: `*` may only be the first label, as in `*.example.com`"), FORM));
    }
    if !name.is_ascii() {
        return Err((
            format!("`{pattern}` is not ASCII"),
            "write an internationalized name in its ASCII (punycode) form, as URLs carry it",
        ));
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err((
            format!("`{pattern}` has uppercase letters"),
            "write host names in lowercase, as URLs carry them",
        ));
    }
    let labels: Vec<&str> = name.split('.').collect();
    let valid_label = |label: &&str| {
        (1..=63).contains(&label.len())
            && label.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if name.len() > 253 || !labels.iter().all(valid_label) {
        return Err((format!("`{pattern}` is not a valid host name"), FORM));
    }
    if labels.iter().all(|label| label.chars().all(|c| c.is_ascii_digit())) {
        return Err((format!("`{pattern}` is an IP address"), "name the service's hosts by their DNS names"));
    }
    if pattern.starts_with("*.") && labels.len() < 2 {
        return Err((
            format!("`{pattern}` allows every host of a top-level domain"),
            "name the vendor's domain, e.g. `*.example.com`",
        ));
    }
    Ok(())
}
