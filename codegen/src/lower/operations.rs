//! A REST service's groups and operations: methods, parameters, paths, bodies and responses.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::did_you_mean;
use crate::docs::{doc_inline, doc_lines};
use crate::model::*;
use crate::names;
use crate::spec::{self, ErrorStatus};

use super::provenance::{BODY_KEYS, OPERATION_KEYS, PARAM_KEYS, RESPONSE_KEYS};
use super::{checks, deprecated_of, doc_of, NameScope, ServiceLowering};

impl ServiceLowering<'_> {
    pub(super) fn lower_groups(&mut self) -> Vec<Group> {
        let spec = self.spec;
        let mut groups: Vec<Group> = Vec::new();
        // Module name → index in `groups`.
        let mut group_index: BTreeMap<RustName, usize> = BTreeMap::new();
        for group in &spec.groups {
            let module = names::snake(&group.id);
            if names::to_snake(&group.id) != group.id {
                self.error(format!("groups[{}].id", group.id), format!("group id `{}` is not snake_case", group.id))
                    .hint(format!("use `{}`", names::to_snake(&group.id)));
            }
            if group_index.contains_key(&module) {
                self.error(format!("groups[{}]", group.id), format!("group `{}` is listed twice", group.id))
                    .hint("remove one of them");
                continue;
            }
            // The service module's own items and the client's methods besides one accessor per
            // group (`names::RESERVED`).
            if names::reserved(names::ReservedIn::Service, &module).is_some() {
                self.error(
                    format!("groups[{}].id", group.id),
                    format!("group id `{}` is taken by an item the generator emits on every service", group.id),
                )
                .hint(format!("rename the group, e.g. `{}_api`", group.id));
            }
            let feature = super::features::check_group_feature(self, &names::snake(&spec.service), &module, &group.id);
            group_index.insert(module.clone(), groups.len());
            groups.push(Group {
                // Converted as one name, so a keyword group gets `SelfApi`, not `Self_Api`.
                api_struct: names::camel(&format!("{}_api", group.id)),
                feature,
                file_stem: module.unraw().to_owned(),
                module,
                doc: doc_of(&group.description),
                operations: Vec::new(),
            });
        }
        let mut items: Vec<GroupItems> = groups.iter().map(GroupItems::new).collect();
        let mut ids = BTreeSet::new();
        for operation in &spec.operations {
            let path = format!("operations[{}]", operation.id);
            if !ids.insert(operation.id.clone()) {
                self.error(&path, format!("operation id `{}` is used twice", operation.id))
                    .hint("operation ids must be unique in a service");
                continue;
            }
            let Some(&group_index) = group_index.get(&names::snake(&operation.group)) else {
                let hint = did_you_mean(&operation.group, spec.groups.iter().map(|g| g.id.as_str()))
                    .or_else(|| Some(format!("add `{}` under `groups`", operation.group)));
                self.error(format!("{path}.group"), format!("unknown group `{}`", operation.group)).maybe_hint(hint);
                continue;
            };
            let Some(lowered) = self.lower_operation(operation, &path) else { continue };
            let (Some(group), Some(items)) = (groups.get_mut(group_index), items.get_mut(group_index)) else {
                continue;
            };
            if let Some(problem) = group_item_clash(group, items, &lowered) {
                self.error(format!("{path}.name"), problem).hint("set a distinct `name` on the operation");
                continue;
            }
            items.add(&lowered);
            group.operations.push(lowered);
        }
        groups
    }

    pub(super) fn lower_operation(&mut self, operation: &spec::OperationSpec, path: &str) -> Option<Operation> {
        let Some(method_text) = &operation.method else {
            self.error(format!("{path}.method"), "a REST operation needs `method`")
                .hint("add `method: GET` (or POST, PUT, ...)");
            return None;
        };
        let upper = method_text.to_ascii_uppercase();
        let Some(method) = HttpMethod::ALL.into_iter().find(|method| method.as_str() == upper) else {
            let (last, rest) = HttpMethod::ALL.split_last().expect("there are HTTP methods");
            let rest: Vec<&str> = rest.iter().map(|method| method.as_str()).collect();
            self.error(format!("{path}.method"), format!("`{upper}` is not an HTTP method")).hint(format!(
                "use {} or {}",
                rest.join(", "),
                last.as_str()
            ));
            return None;
        };
        let fn_source = operation.name.clone().unwrap_or_else(|| {
            let prefix = format!("{}_", operation.group);
            operation.id.strip_prefix(&prefix).unwrap_or(&operation.id).to_owned()
        });
        let fn_name = names::snake(&fn_source);
        let builder = names::camel(fn_name.unraw());

        let params = self.lower_params(operation, path);
        let path_parts = self.lower_path(operation, path, &params);

        let body = operation.body.as_ref().and_then(|body| {
            if matches!(method, HttpMethod::Get | HttpMethod::Head) {
                self.error(format!("{path}.body"), format!("a {} request cannot carry a body", method.as_str()))
                    .hint("remove `body`, or use POST/PUT/PATCH");
            }
            let ty = self.resolve(&body.ty, &format!("{path}.body.type"), None)?;
            let mut doc = doc_of(&body.description);
            self.provenance(&format!("{path}.body"), &body.origin, &body.inferred, BODY_KEYS, &mut doc);
            // The content type is checked, and the encoding set, by `bodies::lower_bodies`.
            let (content_type, encoding) = (body.content_type.clone(), BodyEncoding::Json);
            Some(Body { ty, content_type, encoding, required: body.required, doc })
        });

        let mut success = Vec::new();
        let mut statuses = BTreeSet::new();
        for response in &operation.responses {
            let rpath = format!("{path}.responses[{}]", response.status);
            if !(200..400).contains(&response.status) && response.status != 101 {
                self.error(&rpath, format!("{} is not a success status", response.status))
                    .hint("list 4xx/5xx statuses under `errors`");
                continue;
            }
            if !statuses.insert(response.status) {
                self.error(&rpath, format!("status {} is listed twice", response.status)).hint("remove one of them");
                continue;
            }
            let ty = match &response.ty {
                Some(text) => Some(self.resolve(text, &format!("{rpath}.type"), None)?),
                None => None,
            };
            let mut doc = doc_of(&response.description);
            self.provenance(&rpath, &response.origin, &response.inferred, RESPONSE_KEYS, &mut doc);
            success.push(SuccessResponse {
                status: response.status,
                variant: names::status_variant(response.status),
                accessor: names::status_accessor(&names::status_variant(response.status), ty.is_some()),
                ty,
                // Checked and set by `bodies::lower_bodies`.
                content_type: response.content_type.clone(),
                content: ResponseContent::Json,
                doc,
                headers: response.headers.clone(),
                upgrade: self.upgrade(response, &rpath),
            });
        }
        success.sort_by_key(|response| response.status);
        self.check_upgrade_alone(&success, path);
        let success = match success.len() {
            0 => {
                self.error(format!("{path}.responses"), "the operation declares no success response")
                    .hint("add at least one 2xx response");
                return None;
            }
            1 => SuccessShape::Single(success.remove(0)),
            _ => SuccessShape::Enum {
                name: names::camel(&format!("{}_response", fn_name.unraw())),
                doc: vec![format!("The successful answers of [`{builder}`], one variant per status.")],
                cases: success,
            },
        };

        let mut errors = Vec::new();
        let mut error_body: Option<TypeRef> = None;
        let mut seen_errors = BTreeSet::new();
        for error in &operation.errors {
            let (status, label) = match &error.status {
                ErrorStatus::Code(code) if (400..600).contains(code) => (Some(*code), code.to_string()),
                ErrorStatus::Named(name) if name == "default" => (None, "default".to_owned()),
                other => {
                    let shown = match other {
                        ErrorStatus::Code(code) => code.to_string(),
                        ErrorStatus::Named(name) => name.clone(),
                    };
                    self.error(format!("{path}.errors[{shown}]"), format!("`{shown}` is not an error status"))
                        .hint("use a 4xx/5xx code or `default`");
                    continue;
                }
            };
            let epath = format!("{path}.errors[{label}]");
            if !seen_errors.insert(label.clone()) {
                self.error(&epath, format!("error status {label} is listed twice")).hint("remove one of them");
                continue;
            }
            let ty = match &error.ty {
                Some(text) => self.resolve(text, &format!("{epath}.type"), None),
                None => None,
            };
            if let Some(ty) = &ty {
                match &error_body {
                    Some(existing) if existing != ty => {
                        self.error(format!("{epath}.type"), "an operation's error responses must share one body type")
                            .hint("declare the common envelope type on every error response");
                    }
                    _ => error_body = Some(ty.clone()),
                }
            }
            errors.push(ErrorResponse { status, ty, doc: doc_of(&error.description) });
        }

        let mut doc = Vec::new();
        if let Some(summary) = &operation.summary {
            doc.extend(doc_lines(summary));
        }
        let description = doc_of(&operation.description);
        if !description.is_empty() && description != doc {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.extend(description);
        }
        self.provenance(path, &operation.origin, &operation.inferred, OPERATION_KEYS, &mut doc);
        Some(Operation {
            id: operation.id.clone(),
            renamed_from: operation.renamed_from.clone(),
            source_id: operation.source_id.clone(),
            fn_name,
            builder,
            method,
            path_template: operation.path.clone().unwrap_or_default(),
            path: path_parts,
            summary_doc: operation.summary.as_deref().map(doc_inline),
            doc,
            deprecated: deprecated_of(&operation.deprecated),
            params,
            body,
            success,
            errors,
            error_body,
            pagination: None,
            background: None,
            idempotent: self.idempotent(operation, method, path),
        })
    }

    /// `idempotent`, which only a POST or PATCH needs: the other methods are retried anyway.
    fn idempotent(&mut self, operation: &spec::OperationSpec, method: HttpMethod, path: &str) -> bool {
        if operation.idempotent && !matches!(method, HttpMethod::Post | HttpMethod::Patch) {
            let problem = format!("a {} request is idempotent already", method.as_str());
            self.error(format!("{path}.idempotent"), problem).hint("remove `idempotent`: only POST and PATCH need it");
        }
        operation.idempotent
    }

    pub(super) fn lower_params(&mut self, operation: &spec::OperationSpec, path: &str) -> Vec<Param> {
        let mut required = Vec::new();
        let mut optional = Vec::new();
        let mut wire = BTreeSet::new();
        let mut idents = NameScope::new(|new, old| format!("parameters `{new}` and `{old}`"));
        for param in &operation.params {
            let ppath = format!("{path}.params[{}]", param.name);
            // Header names are case-insensitive on the wire.
            let key = match param.location {
                ParamLocation::Header => (param.location, param.name.to_ascii_lowercase()),
                location => (location, param.name.clone()),
            };
            if !wire.insert(key) {
                let location = format!("{:?}", param.location).to_lowercase();
                self.error(&ppath, format!("parameter `{}` in {location} is listed twice", param.name))
                    .hint("remove one of them; a list parameter is one entry with a `list<T>` type");
                continue;
            }
            let Some(mut ident) = self.rust_name(&param.rust_name, &param.name, &ppath) else { continue };
            // The builder's own fields and methods keep their names; the parameter yields.
            if names::reserved(names::ReservedIn::Builder, &ident).is_some() {
                ident = names::suffixed(&ident, "_param");
            }
            if let Err(problem) = idents.claim(ident.as_str(), &param.name) {
                self.error(&ppath, problem).hint("set `rust_name` on one of them");
                continue;
            }
            if param.location == ParamLocation::Path && !param.required {
                self.error(format!("{ppath}.required"), "a path parameter must be required")
                    .hint("set `required: true`");
            }
            if param.location == ParamLocation::Header && !param.name.bytes().all(checks::is_tchar) {
                self.error(&ppath, format!("`{}` is not a valid HTTP header name", param.name))
                    .hint("use ASCII letters, digits and `-` (no spaces, `:` or other separators)");
            }
            self.check_reserved_header(param, &ppath);
            self.check_cookie_name(param, &ppath);
            let key_scheme = self.spec.auth.iter().find(|auth| auth.sends_key_as(param.location, &param.name));
            if let Some(scheme) = key_scheme.map(|auth| &auth.id) {
                self.error(
                    format!("{ppath}.name"),
                    format!("parameter `{}` is the API key of the `{scheme}` scheme", param.name),
                )
                .hint(
                    "remove the parameter: the client sends the key set with `ClientConfig::api_key` on every request",
                );
            }
            let Some(ty) = self.resolve(&param.ty, &format!("{ppath}.type"), None) else { continue };
            let style = self.param_style(param, &ty, &ppath);
            let mut doc = doc_of(&param.description);
            self.provenance(&ppath, &param.origin, &param.inferred, PARAM_KEYS, &mut doc);
            let lowered = Param {
                wire_name: param.name.clone(),
                renamed_from: param.renamed_from.clone(),
                location: param.location,
                ident,
                ty,
                required: param.required,
                doc,
                deprecated: deprecated_of(&param.deprecated),
                style,
            };
            if param.required {
                required.push(lowered);
            } else {
                optional.push(lowered);
            }
        }
        required.extend(optional);
        required
    }

    /// A parameter's type must have a text form its location can carry (see `checks`).
    pub(super) fn check_param_type(&mut self, param: &spec::ParamSpec, ty: &TypeRef, ppath: &str) {
        let shape = self.shapes.of(ty);
        if let Some((message, help)) = checks::param_type_problem(param.location, &shape, param.ty.trim()) {
            self.error(format!("{ppath}.type"), message).hint(help);
        }
    }

    /// Headers the runtime or the HTTP library set cannot also be parameters.
    pub(super) fn check_reserved_header(&mut self, param: &spec::ParamSpec, ppath: &str) {
        if param.location != ParamLocation::Header {
            return;
        }
        if let Some(help) = checks::reserved_header(&param.name) {
            self.error(
                format!("{ppath}.name"),
                format!("header `{}` cannot be a parameter: the generated client sets it itself", param.name),
            )
            .hint(help);
        }
    }

    /// A literal `.` or `..` segment would be removed or climbed by URL parsing, so the
    /// runtime would refuse every call.
    pub(super) fn check_dot_segments(&mut self, template: &str, path: &str) {
        let literal = |segment: &&str| !segment.contains(['{', '}']);
        if let Some(segment) = template.split('/').filter(literal).find(|segment| checks::is_dot_segment(segment)) {
            self.error(
                format!("{path}.path"),
                format!("path `{template}` has a `{segment}` segment, which URL parsing removes"),
            )
            .hint("write the path without dot segments (`/a/../b` is `/b`)");
        }
    }

    pub(super) fn lower_path(
        &mut self,
        operation: &spec::OperationSpec,
        path: &str,
        params: &[Param],
    ) -> Vec<PathPart> {
        let template = operation.path.as_deref().unwrap_or_default();
        let mut parts = Vec::new();
        if operation.path.is_none() {
            self.error(format!("{path}.path"), "a REST operation needs `path`").hint("add `path: /...`");
            return parts;
        }
        if !template.starts_with('/') {
            self.error(format!("{path}.path"), format!("path `{template}` must start with `/`"))
                .hint(format!("write `/{template}`"));
        }
        if template.chars().any(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`|".contains(c)) {
            self.error(
                format!("{path}.path"),
                format!("path `{template}` contains white space or a character URLs do not allow unescaped"),
            )
            .hint("percent-encode it (e.g. `%20` for a space), or make that segment a path parameter");
        }
        self.check_dot_segments(template, path);
        let mut used = BTreeSet::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.error(format!("{path}.path"), format!("path `{template}` has an unclosed `{{`"))
                    .hint("close the path variable with `}`");
                return parts;
            };
            let name = &rest[open + 1..open + close];
            match params.iter().position(|p| p.location == ParamLocation::Path && p.wire_name == name) {
                Some(index) => {
                    used.insert(index);
                    parts.push(PathPart::Param(index));
                }
                None => {
                    self.error(format!("{path}.path"), format!("path variable `{{{name}}}` has no path parameter"))
                        .hint(format!("add a parameter `{name}` with `in: path`"));
                }
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for (index, param) in params.iter().enumerate() {
            if param.location == ParamLocation::Path && !used.contains(&index) {
                self.error(
                    format!("{path}.params[{}]", param.wire_name),
                    format!("path parameter `{}` does not appear in the path `{template}`", param.wire_name),
                )
                .hint(format!("add `{{{}}}` to the path, or change `in`", param.wire_name));
            }
        }
        parts
    }
}

/// The names taken in one group's module so far, each with who took it (the first taker
/// wins), so checking an operation costs a lookup, not a pass over the group.
pub(super) struct GroupItems {
    /// Rust method names, taken by operation ids.
    methods: NameScope,
    /// Type name (API struct, request builders, response enums) → what it is.
    types: BTreeMap<RustName, String>,
}

impl GroupItems {
    pub(super) fn new(group: &Group) -> Self {
        let mut types = BTreeMap::new();
        types.insert(group.api_struct.clone(), format!("the API struct of group `{}`", group.module));
        // Named in the order they came: the operation that has the name first.
        let methods = NameScope::new(|new, old| format!("operations `{old}` and `{new}`"));
        GroupItems { methods, types }
    }

    pub(super) fn add(&mut self, operation: &Operation) {
        // `group_item_clash` has checked that the name is free.
        let _ = self.methods.claim(operation.fn_name.as_str(), &operation.id);
        self.types
            .entry(operation.builder.clone())
            .or_insert_with(|| format!("the request builder of `{}`", operation.id));
        if let SuccessShape::Enum { name, .. } = &operation.success {
            self.types.entry(name.clone()).or_insert_with(|| format!("the response enum of `{}`", operation.id));
        }
    }
}

/// Why an operation cannot join its group's module: the items there are the group's API
/// struct (with a `new` constructor and one method per operation), one request builder per
/// operation and the response enums.
pub(super) fn group_item_clash(group: &Group, items: &GroupItems, operation: &Operation) -> Option<String> {
    let fn_name = operation.fn_name.unraw();
    if let Some(taker) = names::reserved(names::ReservedIn::GroupApi, &operation.fn_name) {
        return Some(format!(
            "the operation's method would be named `{fn_name}`, like {taker} of `{}`",
            group.api_struct
        ));
    }
    if let Some(problem) = items.methods.clash(operation.fn_name.as_str(), fn_name, &operation.id) {
        return Some(problem);
    }
    let mut mine = vec![(operation.builder.clone(), "request builder")];
    if let SuccessShape::Enum { name, .. } = &operation.success {
        mine.push((name.clone(), "response enum"));
    }
    mine.into_iter().find_map(|(name, what)| {
        items.types.get(&name).map(|owner| format!("the operation's {what} would be named `{name}`, like {owner}"))
    })
}
