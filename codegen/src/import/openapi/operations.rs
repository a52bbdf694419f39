//! Paths and operations: parameters, request bodies, responses and errors, names and groups.

use std::collections::BTreeSet;

use serde_yaml::Value;

use super::bodies;
use super::document::{get, get_bool, get_str, members, Place};
use super::schemas::{deprecation, description, rust_name};
use super::{Importer, Version};
use crate::import::Inferred;
use crate::names;
use crate::spec::{BodySpec, ErrorSpec, ErrorStatus, GroupSpec, OperationSpec, ParamLocation, ParamSpec, ResponseSpec};

mod default_success;
mod form_body;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Headers the generated client sets itself (`lower` refuses them as parameters).
const RESERVED_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "content-type",
    "accept",
    "user-agent",
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "upgrade",
];

/// Why an operation cannot be imported.
struct Unmappable(String);

impl Importer<'_> {
    pub fn operations(&mut self) {
        let root = Place { file: 0, pointer: String::new() };
        self.tag_groups();
        let paths = self.docs.at(&root.child("paths")).cloned().unwrap_or(Value::Null);
        for (path, _) in members(&paths) {
            let item_place = root.child("paths").child(&path);
            let item_place = match self.docs.follow(&item_place) {
                Ok(place) => place,
                Err(reason) => {
                    self.skip(&item_place, "path item", format!("{reason}; its operations are not imported"));
                    continue;
                }
            };
            let item = self.docs.at(&item_place).cloned().unwrap_or(Value::Null);
            for (key, _) in members(&item) {
                let place = item_place.child(&key);
                if !METHODS.contains(&key.as_str()) {
                    if !["parameters", "summary", "description", "servers", "$ref"].contains(&key.as_str())
                        && !key.starts_with("x-")
                    {
                        self.skip(&place, "path item member", format!("`{key}` is not an operation; ignored"));
                    }
                    if key == "servers" {
                        self.skip(&place, "server", "per-path servers are not mapped; the service's base URL is used");
                    }
                    continue;
                }
                self.operation(&path, &key, &item_place, &place);
            }
        }
        if let Some(webhooks) = self.docs.at(&root.child("webhooks")).cloned() {
            for (name, _) in members(&webhooks) {
                self.skip(
                    &root.child("webhooks").child(&name),
                    "webhook",
                    "webhooks are requests to the caller; not mapped",
                );
            }
        }
    }

    /// Groups of the document's `tags`, in their order, with their descriptions.
    fn tag_groups(&mut self) {
        let root = Place { file: 0, pointer: String::new() };
        let tags = self.docs.at(&root.child("tags")).cloned().unwrap_or(Value::Null);
        for tag in tags.as_sequence().into_iter().flatten() {
            if let Some(name) = get_str(tag, "name") {
                let id = self.group_id(name);
                if let Some(group) = self.groups.iter_mut().find(|group| group.id == id) {
                    if group.description.is_none() {
                        group.description = description(tag);
                    }
                }
            }
        }
    }

    /// The group id of a tag (created on first use).
    fn group_id(&mut self, tag: &str) -> String {
        if let Some((_, id)) = self.tag_ids.iter().find(|(known, _)| known == tag) {
            return id.clone();
        }
        let mut base = names::to_snake(tag);
        if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_lowercase()) {
            base = format!("api_{base}").trim_end_matches('_').to_owned();
        }
        // Group ids the generator takes for itself (`names::ReservedIn::Service`).
        if names::reserved_text(names::ReservedIn::Service, &base).is_some() || names::snake(&base).as_str() != base {
            base = format!("{base}_api");
        }
        let mut id = base.clone();
        let mut counter = 2;
        while self.groups.iter().any(|group| group.id == id) {
            id = format!("{base}_{counter}");
            counter += 1;
        }
        self.groups.push(GroupSpec { id: id.clone(), description: None });
        self.tag_ids.push((tag.to_owned(), id.clone()));
        id
    }

    fn operation(&mut self, path: &str, method: &str, item_place: &Place, place: &Place) {
        let Some(operation) = self.docs.at(place).cloned() else { return };
        let shown_id = get_str(&operation, "operationId").map(str::to_owned);
        if method == "trace" {
            self.skip(place, "operation", "TRACE is not a method the spec supports; not imported");
            return;
        }
        let tag = get(&operation, "tags")
            .and_then(Value::as_sequence)
            .and_then(|tags| tags.first())
            .and_then(Value::as_str)
            .unwrap_or("api")
            .to_owned();
        let group = self.group_id(&tag);
        let source_name = shown_id.clone().unwrap_or_else(|| format!("{method} {path}"));
        let mut name = names::to_snake(&source_name);
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
            name = format!("op_{name}").trim_end_matches('_').to_owned();
        }
        if name == "new" || names::snake(&name).as_str() != name {
            name = format!("{name}_operation");
        }
        let base = name.clone();
        let mut counter = 2;
        while self.op_names.contains(&(group.clone(), name.clone())) || self.op_ids.contains(&format!("{group}_{name}"))
        {
            name = format!("{base}_{counter}");
            counter += 1;
        }
        let id = format!("{group}_{name}");
        let camel = names::camel(&name);
        match self.operation_spec(path, method, item_place, place, &operation, camel.as_str()) {
            Ok(mut spec) => {
                if spec.inferred.iter().any(|key| key == "responses") {
                    let (value, read) = default_success::guessed_texts(&spec, &operation);
                    self.inferred.push(Inferred {
                        item: format!("operations[{id}]"),
                        key: "responses".to_owned(),
                        value,
                        read: Some(read),
                        origin: self.docs.show(&place.child("responses")),
                    });
                }
                spec.id = id.clone();
                spec.group = group.clone();
                spec.source_id = shown_id;
                self.op_names.insert((group, name));
                self.op_ids.insert(id);
                self.operations_out.push(spec);
            }
            Err(Unmappable(reason)) => {
                self.skip(place, "operation", format!("{} {path} is not imported: {reason}", method.to_uppercase()));
            }
        }
    }

    fn operation_spec(
        &mut self,
        path: &str,
        method: &str,
        item_place: &Place,
        place: &Place,
        operation: &Value,
        camel: &str,
    ) -> Result<OperationSpec, Unmappable> {
        if get(operation, "callbacks").is_some() {
            self.skip(&place.child("callbacks"), "callback", "callbacks are requests to the caller; not mapped");
        }
        if get(operation, "servers").is_some() {
            self.skip(&place.child("servers"), "server", "per-operation servers are not mapped; the base URL is used");
        }
        let mut params = Vec::new();
        let mut swagger_body = None;
        let mut form_fields = Vec::new();
        let mut taken = BTreeSet::new();
        // Operation parameters override path-item ones of the same name and location.
        let mut entries: Vec<(Place, Value)> = Vec::new();
        for list in [item_place.child("parameters"), place.child("parameters")] {
            let count = self.docs.at(&list).and_then(Value::as_sequence).map_or(0, Vec::len);
            for index in 0..count {
                let at = list.index(index);
                let resolved = match self.docs.follow(&at) {
                    Ok(resolved) => resolved,
                    Err(reason) => {
                        self.skip(&at, "parameter", format!("{reason}; left out"));
                        continue;
                    }
                };
                let Some(value) = self.docs.at(&resolved).cloned() else { continue };
                let key =
                    (get_str(&value, "name").unwrap_or("").to_owned(), get_str(&value, "in").unwrap_or("").to_owned());
                entries.retain(|(_, known)| {
                    (get_str(known, "name").unwrap_or(""), get_str(known, "in").unwrap_or(""))
                        != (key.0.as_str(), key.1.as_str())
                });
                entries.push((resolved, value));
            }
        }
        for (at, param) in &entries {
            let name = get_str(param, "name").unwrap_or("").to_owned();
            let required = get_bool(param, "required");
            let location = match get_str(param, "in").unwrap_or("") {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                "header" => ParamLocation::Header,
                "cookie" => ParamLocation::Cookie,
                "body" => {
                    swagger_body = Some(self.swagger_body(at, param, camel));
                    continue;
                }
                "formData" => {
                    form_fields.push(at.clone());
                    continue;
                }
                other => {
                    let reason = format!("{other} parameters are not a spec construct yet");
                    self.drop_param(at, &format!("{other} parameter"), &name, required, &reason)?;
                    continue;
                }
            };
            if location == ParamLocation::Header && RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                self.skip(at, "reserved header", format!("`{name}` is set by the generated client itself; left out"));
                continue;
            }
            let key_scheme = self.api_keys.iter().find(|auth| auth.sends_key_as(location, &name));
            if let Some(scheme) = key_scheme.map(|auth| auth.id.clone()) {
                let reason = format!(
                    "`{name}` is the API key of the `{scheme}` scheme, which the client sends itself (`ClientConfig::api_key`); left out"
                );
                self.skip(at, "API key parameter", reason);
                continue;
            }
            if matches!(location, ParamLocation::Header | ParamLocation::Cookie)
                && (name.is_empty()
                    || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)))
            {
                let what = if location == ParamLocation::Cookie { "cookie" } else { "header" };
                let reason = format!("`{name}` is not a valid {what} name");
                self.drop_param(at, "parameter", &name, required, &reason)?;
                continue;
            }
            if location == ParamLocation::Path && !path.contains(&format!("{{{name}}}")) {
                self.skip(at, "parameter", format!("path parameter `{name}` is not in the path; left out"));
                continue;
            }
            let schema_place = match self.version {
                Version::Swagger2 => at.clone(),
                _ => at.child("schema"),
            };
            if self.version != Version::Swagger2 && get(param, "schema").is_none() {
                let what = if get(param, "content").is_some() { "parameter content" } else { "parameter" };
                self.drop_param(
                    at,
                    what,
                    &name,
                    required,
                    "a parameter without `schema` (content-encoded) is not mapped",
                )?;
                continue;
            }
            let mut ty = self.schema_type(&schema_place, &format!("{camel} {name}"), 1);
            if self.is_json_or_union(&ty.expr) && self.is_scalar_union(&schema_place) {
                // In a URL or header every scalar is text: a union of scalars is sent as written.
                self.skip(at, "parameter type", format!("`{name}`: a union of scalars is sent as `string`"));
                ty.expr = "string".to_owned();
            }
            // The shape of a named type is known once it is defined.
            self.define_queued();
            let mut style = None;
            let shape = self.param_shape(&ty.expr);
            // A query map or object with a `style` is judged by its style (`deepObject` maps).
            let styled =
                location == ParamLocation::Query && (get(param, "style").is_some() || get(param, "explode").is_some());
            let Some((expr, scalar)) = shape.or_else(|| styled.then(|| (ty.expr.clone(), false))) else {
                let reason = format!("its type `{}` has no text form the spec can send", ty.expr);
                self.drop_param(at, "parameter type", &name, required, &reason)?;
                continue;
            };
            if !scalar {
                if matches!(location, ParamLocation::Path | ParamLocation::Cookie) {
                    let reason = format!("a list in {} is not supported", super::params::place(location));
                    self.drop_param(at, "parameter type", &name, required, &reason)?;
                    continue;
                }
                // A map or an object: `lower` checks that its members are scalars (`settle` leaves
                // the parameter out otherwise).
                let list = expr.starts_with("list<");
                match super::params::list_style(self.version == Version::Swagger2, param, location, list) {
                    Ok(mapped) => style = mapped,
                    Err(reason) => {
                        self.drop_param(at, "parameter style", &name, required, &reason)?;
                        continue;
                    }
                }
            } else if get_str(param, "style") == Some("deepObject") {
                self.skip(at, "parameter style", "`deepObject` on a scalar is sent as `name=value`");
            }
            params.push(ParamSpec {
                name: name.clone(),
                location,
                ty: expr,
                required: required || location == ParamLocation::Path,
                description: description(param),
                deprecated: deprecation(param),
                rust_name: rust_name(&name, &mut taken),
                style,
                renamed_from: None,
                origin: None,
                inferred: Vec::new(),
            });
        }
        for variable in path_variables(path) {
            if !params.iter().any(|param| param.location == ParamLocation::Path && param.name == variable) {
                return Err(Unmappable(format!("the path variable `{variable}` has no usable path parameter")));
            }
        }
        if !form_fields.is_empty() {
            swagger_body = Some(self.form_body(place, &form_fields, camel));
        }
        let mut body = match swagger_body {
            Some(swagger) => swagger?,
            None if get(operation, "requestBody").is_some() => self.request_body(&place.child("requestBody"), camel)?,
            None => None,
        };
        if body.is_some() && matches!(method, "get" | "head") {
            self.skip(
                &place.child("requestBody"),
                "request body",
                "a GET or HEAD request cannot carry a body; left out",
            );
            body = None;
        }
        let (responses, errors, guessed) = self.responses(&place.child("responses"), operation, camel)?;
        Ok(OperationSpec {
            id: String::new(),
            group: String::new(),
            name: None,
            source_id: None,
            renamed_from: None,
            method: Some(method.to_uppercase()),
            path: Some(path.to_owned()),
            summary: get_str(operation, "summary").map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned),
            description: get_str(operation, "description").map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned),
            deprecated: deprecation(operation),
            params,
            body,
            responses,
            errors,
            soap: None,
            pagination: None,
            idempotent: false,
            origin: None,
            // On the operation, whose docs show it (a lone response's own docs are not rendered).
            inferred: if guessed { vec!["responses".to_owned()] } else { Vec::new() },
        })
    }

    /// Whether the schema at `place` is a `oneOf`/`anyOf` whose alternatives are all scalars.
    fn is_scalar_union(&mut self, place: &Place) -> bool {
        let Ok(end) = self.docs.follow(place) else { return false };
        let Some(schema) = self.docs.at(&end).cloned() else { return false };
        let Some((key, parts)) = ["oneOf", "anyOf"]
            .iter()
            .find_map(|key| get(&schema, key).and_then(Value::as_sequence).map(|parts| (*key, parts.len())))
        else {
            return false;
        };
        parts > 0
            && (0..parts).all(|index| {
                let part = end.child(key).index(index);
                let value = self.docs.follow(&part).ok().and_then(|part| self.docs.at(&part).cloned());
                value.is_some_and(|value| {
                    matches!(get_str(&value, "type"), Some("string" | "integer" | "number" | "boolean"))
                        && get(&value, "properties").is_none()
                })
            })
    }

    /// Reports a parameter left out; a required one makes the operation unmappable.
    fn drop_param(
        &mut self,
        at: &Place,
        what: &str,
        name: &str,
        required: bool,
        reason: &str,
    ) -> Result<(), Unmappable> {
        if required {
            self.skip(at, what, format!("`{name}`: {reason}"));
            return Err(Unmappable(format!("its required parameter `{name}` cannot be mapped ({reason})")));
        }
        self.skip(at, what, format!("`{name}`: {reason}; the optional parameter is left out"));
        Ok(())
    }

    fn drop_body(&mut self, at: &Place, what: &str, required: bool, reason: &str) -> Result<(), Unmappable> {
        self.skip(at, what, reason.to_owned());
        if required {
            return Err(Unmappable(format!("its required request body cannot be mapped ({reason})")));
        }
        Ok(())
    }

    fn swagger_body(&mut self, at: &Place, param: &Value, camel: &str) -> Result<Option<BodySpec>, Unmappable> {
        let required = get_bool(param, "required");
        let consumes = self.consumes(at);
        if !consumes.is_empty() && !consumes.iter().any(|media| is_json(media)) {
            let reason = format!("a body of {} is not a spec construct yet", consumes.join(", "));
            self.drop_body(at, "request media type", required, &reason)?;
            return Ok(None);
        }
        let ty = self.schema_type(&at.child("schema"), &format!("{camel} Body"), 1);
        Ok(Some(BodySpec {
            ty: ty.expr,
            content_type: "application/json".to_owned(),
            required,
            description: description(param),
            origin: None,
            inferred: Vec::new(),
        }))
    }

    /// Swagger 2.0 `consumes` of the operation holding the parameter at `at`, else the document's.
    fn consumes(&self, at: &Place) -> Vec<String> {
        let operation = at.pointer.rsplit_once("/parameters").map(|(operation, _)| operation.to_owned());
        let list = |place: Place| -> Option<Vec<String>> {
            let items = self.docs.at(&place)?.as_sequence()?;
            Some(items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect())
        };
        operation
            .and_then(|pointer| list(Place { file: at.file, pointer: format!("{pointer}/consumes") }))
            .or_else(|| list(Place { file: 0, pointer: "/consumes".to_owned() }))
            .unwrap_or_default()
    }

    fn request_body(&mut self, at: &Place, camel: &str) -> Result<Option<BodySpec>, Unmappable> {
        let resolved =
            self.docs.follow(at).map_err(|reason| Unmappable(format!("its request body cannot be read ({reason})")))?;
        let body = self.docs.at(&resolved).cloned().unwrap_or(Value::Null);
        let required = get_bool(&body, "required");
        let content = get(&body, "content").map(members).unwrap_or_default();
        let Some(media) = bodies::preferred(content.iter().map(|(media, _)| media.as_str())).map(str::to_owned) else {
            let kinds: Vec<String> = content.iter().map(|(media, _)| media.clone()).collect();
            let reason = format!("a body of {} is not a spec construct yet", kinds.join(", "));
            self.drop_body(&resolved.child("content"), "request media type", required, &reason)?;
            return Ok(None);
        };
        for (other, _) in &content {
            if *other != media {
                self.skip(
                    &resolved.child("content").child(other),
                    "request media type",
                    format!("`{other}` is not mapped; the body is sent as `{media}`"),
                );
            }
        }
        let media_place = resolved.child("content").child(&media);
        let kind = bodies::media(&media);
        let ty = match bodies::raw_type(kind) {
            Some(raw) => raw.to_owned(),
            None if self.docs.at(&media_place.child("schema")).is_some() => {
                // A multipart body's `format: binary` strings are its files.
                self.files = kind == bodies::Media::Multipart;
                let ty = self.schema_type(&media_place.child("schema"), &format!("{camel} Body"), 1).expr;
                self.files = false;
                ty
            }
            None => "json".to_owned(),
        };
        // JSON keeps the spec's default content type, whatever `+json` type the document names.
        // A range (`*/*`, `image/*`) is not a media type to send: bytes go as
        // `application/octet-stream`, and the caller sets the real one on the `BinaryBody`.
        let content_type = match kind {
            bodies::Media::Json => "application/json".to_owned(),
            _ if media.contains('*') => "application/octet-stream".to_owned(),
            _ => media,
        };
        Ok(Some(BodySpec {
            ty,
            content_type,
            required,
            description: description(&body),
            origin: None,
            inferred: Vec::new(),
        }))
    }

    fn responses(
        &mut self,
        at: &Place,
        operation: &Value,
        camel: &str,
    ) -> Result<(Vec<ResponseSpec>, Vec<ErrorSpec>, bool), Unmappable> {
        let mut responses = Vec::new();
        let mut errors = Vec::new();
        let mut error_type: Option<String> = None;
        let mut unmapped_success = Vec::new();
        let mut ranges = Vec::new();
        let produces = self.produces(operation);
        for (status, _) in get(operation, "responses").map(members).unwrap_or_default() {
            let place = at.child(&status);
            let resolved = match self.docs.follow(&place) {
                Ok(resolved) => resolved,
                Err(reason) => {
                    self.skip(&place, "response", format!("{reason}; left out"));
                    continue;
                }
            };
            let response = self.docs.at(&resolved).cloned().unwrap_or(Value::Null);
            let code: Option<u16> = status.parse().ok();
            let is_error = status == "default" || code.is_some_and(|code| (400..600).contains(&code));
            let is_success = code.is_some_and(|code| (200..400).contains(&code));
            let range_error = matches!(status.as_str(), "4XX" | "5XX" | "4xx" | "5xx");
            if range_error {
                let declares_default = get(operation, "responses").and_then(|r| get(r, "default")).is_some();
                if declares_default
                    || errors.iter().any(|error: &ErrorSpec| error.status == ErrorStatus::Named("default".to_owned()))
                {
                    self.skip(
                        &place,
                        "response status",
                        format!("`{status}` is left out: the `default` error covers it"),
                    );
                    continue;
                }
                self.skip(
                    &place,
                    "response status",
                    format!("`{status}` is mapped to `default` (the spec has no status ranges)"),
                );
            }
            let is_error = is_error || range_error;
            if code == Some(101) {
                match super::upgrade::protocol(operation, &response) {
                    Some(protocol) => responses.push(switching_protocols(protocol, description(&response))),
                    None => {
                        let reason = "101: the protocol it switches to is not documented (no `x-dropshot-websocket`, \
                                      no WebSocket in the description); left out";
                        self.skip(&place, "response status", reason.to_owned());
                        unmapped_success.push(status.clone());
                    }
                }
                continue;
            }
            if default_success::is_success_range(&status) {
                // Mapped after the loop when no status is declared (`default_success`).
                ranges.push(status.clone());
                continue;
            }
            if !is_error && !is_success && !range_error {
                let reason = match code {
                    Some(code) if (100..200).contains(&code) => {
                        format!("{code} is not a final status the spec can declare")
                    }
                    _ => format!("`{status}` is not a status code (ranges such as `2XX` are not mapped)"),
                };
                self.skip(&place, "response status", format!("{reason}; left out"));
                if status.starts_with(['1', '2', '3']) {
                    unmapped_success.push(status.clone());
                }
                continue;
            }
            let hint = if is_error { format!("{camel} Error {status}") } else { format!("{camel} Response {status}") };
            let body = self.response_body(&resolved, &response, &produces, &hint);
            let description = description(&response);
            if is_success {
                let (ty, content_type) = match body {
                    Ok(Some((ty, content_type))) => (Some(ty), content_type),
                    Ok(None) => (None, None),
                    Err(reason) => {
                        self.skip(&resolved, "response media type", format!("{reason}; the response is left out"));
                        unmapped_success.push(status.clone());
                        continue;
                    }
                };
                let headers = get(&response, "headers").map(members).unwrap_or_default();
                responses.push(ResponseSpec {
                    status: code.unwrap_or(200),
                    ty,
                    content_type,
                    description,
                    headers: headers.into_iter().map(|(name, _)| name).collect(),
                    upgrade: None,
                    origin: None,
                    inferred: Vec::new(),
                });
            } else {
                // A non-JSON error body is kept as text by the client: no type, nothing lost.
                // Error bodies are JSON: text and bytes are kept as text.
                let mut ty = body.ok().flatten().and_then(|(ty, content_type)| content_type.is_none().then_some(ty));
                if let Some(expr) = &ty {
                    match &error_type {
                        Some(shared) if shared != expr => {
                            self.skip(
                                &resolved,
                                "error body type",
                                format!("the body `{expr}` differs from the operation's first error body `{shared}`, and an operation's errors share one type; kept as text"),
                            );
                            ty = None;
                        }
                        _ => error_type = Some(expr.clone()),
                    }
                }
                let status = match code {
                    Some(code) => ErrorStatus::Code(code),
                    None => ErrorStatus::Named("default".to_owned()),
                };
                if status == ErrorStatus::Named("default".to_owned())
                    && errors.iter().any(|known| known.status == status)
                {
                    continue;
                }
                errors.push(ErrorSpec { status, ty, description });
            }
        }
        if responses.is_empty() && unmapped_success.is_empty() && super::upgrade::websocket(operation) {
            // dropshot's older WebSocket endpoints declare only `default`.
            let reason =
                "a WebSocket endpoint without a 101 response: mapped to `status: 101` with `upgrade: websocket`";
            self.skip(at, "websocket", reason.to_owned());
            responses.push(switching_protocols("websocket", None));
        }
        let mut from_default = false;
        if responses.is_empty() && unmapped_success.is_empty() {
            if let Some(success) = self.default_success(at, operation, &produces, camel, &errors) {
                responses.push(success);
                from_default = true;
            }
        }
        for range in ranges.iter().filter(|_| !from_default) {
            let reason = format!(
                "`{range}` is left out: the spec has no status ranges and the operation declares its successes"
            );
            self.skip(&at.child(range), "response status", reason);
        }
        // Nothing says what a success looks like (`responses: {}`, or none in 3.1): the plainest one
        // is guessed, and the operation marked so that the report and the docs say it was.
        let empty = responses.is_empty() && get(operation, "responses").map(members).unwrap_or_default().is_empty();
        if empty {
            responses.push(ResponseSpec {
                status: 200,
                ty: None,
                content_type: None,
                description: None,
                headers: Vec::new(),
                upgrade: None,
                origin: None,
                inferred: Vec::new(),
            });
        }
        if responses.is_empty() {
            let reason = if unmapped_success.is_empty() {
                "it declares no success (2xx/3xx) response".to_owned()
            } else {
                format!("none of its success responses ({}) can be mapped", unmapped_success.join(", "))
            };
            return Err(Unmappable(reason));
        }
        Ok((responses, errors, empty || from_default))
    }

    /// A response's body type and, when it is not JSON, its content type (`None`: empty), or
    /// why it cannot be mapped.
    fn response_body(
        &mut self,
        at: &Place,
        response: &Value,
        produces: &[String],
        hint: &str,
    ) -> Result<Option<(String, Option<String>)>, String> {
        if self.version == Version::Swagger2 {
            let Some(schema) = get(response, "schema") else { return Ok(None) };
            let offered = bodies::preferred(produces.iter().map(String::as_str));
            if get_str(schema, "type") == Some("file") {
                let media = offered.filter(|media| bodies::media(media) != bodies::Media::Json);
                return Ok(Some(("binary".to_owned(), Some(media.unwrap_or("application/octet-stream").to_owned()))));
            }
            if let Some(media) = offered.filter(|media| bodies::media(media) != bodies::Media::Json) {
                let raw = bodies::raw_type(bodies::media(media)).unwrap_or("binary");
                return Ok(Some((raw.to_owned(), Some(media.to_owned()))));
            }
            return Ok(Some((self.schema_type(&at.child("schema"), hint, 1).expr, None)));
        }
        let content = get(response, "content").map(members).unwrap_or_default();
        if content.is_empty() {
            return Ok(None);
        }
        let Some(media) = bodies::preferred(content.iter().map(|(media, _)| media.as_str())).map(str::to_owned) else {
            let kinds: Vec<String> = content.iter().map(|(media, _)| media.clone()).collect();
            return Err(format!("a body of {} is not a spec construct yet", kinds.join(", ")));
        };
        for (other, _) in &content {
            if *other != media {
                self.skip(
                    &at.child("content").child(other),
                    "response media type",
                    format!("`{other}` is not mapped; `{media}` is read"),
                );
            }
        }
        let kind = bodies::media(&media);
        if kind != bodies::Media::Json {
            // Text is read as a string; anything else (forms too) as bytes.
            let raw = bodies::raw_type(kind).unwrap_or("binary");
            return Ok(Some((raw.to_owned(), Some(media))));
        }
        let schema = at.child("content").child(&media).child("schema");
        if self.docs.at(&schema).is_none() {
            return Ok(Some(("json".to_owned(), None)));
        }
        Ok(Some((self.schema_type(&schema, hint, 1).expr, None)))
    }

    fn produces(&self, operation: &Value) -> Vec<String> {
        let list = |value: &Value| -> Vec<String> {
            value
                .as_sequence()
                .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        match get(operation, "produces") {
            Some(value) => list(value),
            None => self.docs.at(&Place { file: 0, pointer: "/produces".to_owned() }).map(list).unwrap_or_default(),
        }
    }
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`, with parameters).
fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
}

/// The `{name}` variables of a path template.
fn path_variables(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        out.push(rest[start + 1..start + end].to_owned());
        rest = &rest[start + end + 1..];
    }
    out
}

/// A `101` that hands the caller the connection switched to `protocol`.
fn switching_protocols(protocol: &str, description: Option<String>) -> ResponseSpec {
    ResponseSpec {
        status: 101,
        ty: None,
        content_type: None,
        description,
        headers: Vec::new(),
        upgrade: Some(protocol.to_owned()),
        origin: None,
        inferred: Vec::new(),
    }
}
