//! Format `openapi-generator-md`: the markdown documentation openapi-generator writes for a
//! client (`docs/Api/*Api.md` and `docs/Model/*.md`), here as the PHP client's.
//!
//! An API document gives the base URL, the operation table (method, path, summary), and per
//! operation the signature, the description, the parameter table (`[optional]`), the return
//! type, the authorization and the `Content-Type`/`Accept` lines. A model document gives the
//! property table (type, `[optional]`, `[readonly]`). What the pages leave open is inferred and
//! marked: the JSON wire names (the tables list snake_case PHP names), where a parameter is sent,
//! integer and number widths, nullability, and the status of the one documented response.
//! `--facts` sources ([`Facts`]) state those facts instead.

use std::collections::BTreeMap;

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

use super::facts::{FactLocation, FieldFact};
use super::{Document, Facts, Format, Imported, Inferred, Report, Skipped};
use crate::diagnostics::Diagnostics;
use crate::spec::{
    AuthKind, AuthSpec, BodySpec, Deprecation, EnumRepr, EnumSpec, FieldSpec, GroupSpec, MemberSpec, ObjectSpec,
    OperationSpec, ParamLocation, ParamSpec, Protocol, ResponseSpec, ServiceSpec, TypeSpec,
};

/// The format's registry entry.
pub struct OpenApiGeneratorMd;

impl Format for OpenApiGeneratorMd {
    fn name(&self) -> &'static str {
        "openapi-generator-md"
    }

    fn summary(&self) -> &'static str {
        "openapi-generator client documentation in markdown (API and model documents)"
    }

    fn import(&self, docs: &[Document], facts: &Facts, service: &str) -> Imported {
        let mut importer = Importer {
            facts,
            spec: Spec::default(),
            report: Report::default(),
            problems: Diagnostics::default(),
            enums: BTreeMap::new(),
            enum_types: Vec::new(),
            accept_lines: 0,
            other_content_types: std::collections::BTreeSet::new(),
        };
        importer.spec.service = service.to_owned();
        importer.spec.title = service.to_owned();
        for doc in docs {
            importer.document(doc);
        }
        importer.finish()
    }
}

struct Importer<'f> {
    facts: &'f Facts,
    spec: Spec,
    report: Report,
    problems: Diagnostics,
    /// Enum types made from facts' value lists: values → type name (first field that has them).
    enums: BTreeMap<Vec<String>, String>,
    enum_types: Vec<EnumSpec>,
    /// In the current API document: operations with an `Accept` line, and the content types
    /// listed after the first one (neither is captured; reported once per document).
    accept_lines: usize,
    other_content_types: std::collections::BTreeSet<String>,
}

/// The parts of the service spec being filled in.
#[derive(Default)]
struct Spec {
    service: String,
    title: String,
    base_url: Option<String>,
    sources: Vec<String>,
    auth: Vec<AuthSpec>,
    groups: Vec<GroupSpec>,
    operations: Vec<OperationSpec>,
    types: Vec<TypeSpec>,
}

/// One line of a document with its 1-based number.
#[derive(Clone, Copy)]
struct Line<'a> {
    number: usize,
    text: &'a str,
}

impl Importer<'_> {
    fn document(&mut self, doc: &Document) {
        let lines: Vec<Line<'_>> = doc
            .text
            .lines()
            .enumerate()
            .map(|(index, text)| Line { number: index + 1, text: text.trim_end() })
            .collect();
        let Some(title) = lines.iter().find(|line| !line.text.trim().is_empty()) else {
            self.problems.push(doc.error(1, "the document is empty").with_hint("remove it from the inputs"));
            return;
        };
        let heading = title.text.trim_start_matches('#').trim().trim_start_matches('#').trim();
        let is_api =
            lines.iter().any(|line| line.text.starts_with("## `") || line.text.starts_with("All URIs are relative to"));
        let is_model = lines.iter().any(|line| line.text.trim() == "## Properties");
        if is_api {
            self.report.documents.push(doc.path.clone());
            self.api_document(doc, &lines, heading, title.number);
        } else if is_model {
            self.report.documents.push(doc.path.clone());
            self.model_document(doc, &lines, heading, title.number);
        } else {
            self.problems.push(doc.error(title.number, "not an openapi-generator API or model document").with_hint(
                "an API document has `## `operation()`` sections; a model document a `## Properties` table. Skipped.",
            ));
        }
    }

    // ----- API documents -------------------------------------------------------------------

    fn api_document(&mut self, doc: &Document, lines: &[Line<'_>], heading: &str, heading_line: usize) {
        // `OpenAPI\Client\ProjectTaskApi` → `ProjectTaskApi` → group `project_task`.
        let api = heading.rsplit('\\').next().unwrap_or(heading).trim();
        let group_name = api.strip_suffix("Api").filter(|name| !name.is_empty()).unwrap_or(api);
        let group = group_name.to_snake_case();
        if group.is_empty() || !group.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.problems.push(
                doc.error(heading_line, format!("cannot read an API name from the heading `{heading}`"))
                    .with_hint("the first heading names the API, like `# OpenAPI\\Client\\ProjectTaskApi`. Skipped."),
            );
            return;
        }
        if !self.spec.groups.iter().any(|existing| existing.id == group) {
            self.spec.groups.push(GroupSpec { id: group.clone(), description: None });
        }
        self.spec.sources.push(format!("{} ({})", api, doc.name()));

        // The operation table: `| [**name()**](...) | **GET** /path | summary |`.
        let mut table: BTreeMap<String, (String, String, String, usize)> = BTreeMap::new();
        for line in lines {
            if let Some(rest) = line.text.split("All URIs are relative to").nth(1) {
                let url = rest
                    .trim()
                    .trim_start_matches('*')
                    .split([',', ' ', '*'])
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('/');
                if url.starts_with("http") {
                    match &self.spec.base_url {
                        Some(existing) if existing != url => self.problems.push(doc.error(
                            line.number,
                            format!(
                                "base URL `{url}` differs from `{existing}` of an earlier document; the first is kept"
                            ),
                        )),
                        Some(_) => {}
                        None => self.spec.base_url = Some(url.to_owned()),
                    }
                }
            }
            let cells = cells(line.text);
            if cells.len() >= 3 && cells[0].starts_with("[**") {
                let name = cells[0].trim_start_matches("[**").split("()").next().unwrap_or("").to_owned();
                let Some((method, path)) = cells[1].trim().strip_prefix("**").and_then(|rest| rest.split_once("**"))
                else {
                    self.problems.push(doc.error(line.number, "an operation table row without `**METHOD** /path`"));
                    continue;
                };
                table
                    .insert(name, (method.trim().to_owned(), path.trim().to_owned(), cells[2].to_owned(), line.number));
            }
        }

        // The operation sections; a `## ` inside a code fence is sample text, not a heading.
        let fenced = fenced_lines(lines);
        let mut index = 0;
        while index < lines.len() {
            let line = lines[index];
            let name = (!fenced[index])
                .then(|| line.text.strip_prefix("## `").and_then(|rest| rest.strip_suffix("()`")))
                .flatten();
            if let Some(name) = name {
                let end = (index + 1..lines.len())
                    .find(|&next| !fenced[next] && lines[next].text.starts_with("## "))
                    .unwrap_or(lines.len());
                self.operation(doc, &lines[index..end], name, &group, table.remove(name));
                index = end;
            } else {
                index += 1;
            }
        }
        if self.accept_lines > 0 {
            self.report.skipped.push(Skipped {
                origin: doc.origin(heading_line),
                construct: format!("`Accept` lines of {} operations", self.accept_lines),
                reason: "the spec has no key for them; the generated client asks for JSON".to_owned(),
            });
        }
        if !self.other_content_types.is_empty() {
            let listed: Vec<String> = self.other_content_types.iter().map(|ty| format!("`{ty}`")).collect();
            self.report.skipped.push(Skipped {
                origin: doc.origin(heading_line),
                construct: format!("request content types after the first: {}", listed.join(", ")),
                reason: "bodies are sent as the first type listed (JSON)".to_owned(),
            });
        }
        self.accept_lines = 0;
        self.other_content_types.clear();
        for (name, (_, _, _, line)) in table {
            self.problems
                .push(doc.error(line, format!("operation `{name}` is in the table but has no section; skipped")));
        }
    }

    fn operation(
        &mut self,
        doc: &Document,
        section: &[Line<'_>],
        name: &str,
        group: &str,
        row: Option<(String, String, String, usize)>,
    ) {
        let heading = section[0];
        let Some((method, path, table_summary, _)) = row else {
            self.problems.push(
                doc.error(
                    heading.number,
                    format!("operation `{name}` is not in the operation table, so its method and path are unknown"),
                )
                .with_hint("add the row `| [**name()**](...) | **GET** /path | summary |`. Skipped."),
            );
            return;
        };
        let subsections = subsections(section);
        let intro = subsections.first().map(|(_, lines)| *lines).unwrap_or(&[]);

        // The signature fence, then the summary paragraph, then the description.
        let mut signature = None;
        let mut paragraphs: Vec<Vec<&str>> = Vec::new();
        let mut in_fence = false;
        let mut blank = true;
        for line in intro.iter().skip(1) {
            let text = line.text.trim();
            if text.starts_with("```") {
                in_fence = !in_fence;
                continue;
            }
            if in_fence {
                if signature.is_none() && text.contains('(') {
                    signature = Some((*line, text));
                }
                continue;
            }
            if text.is_empty() {
                blank = true;
                continue;
            }
            if blank || paragraphs.is_empty() {
                paragraphs.push(Vec::new());
            }
            blank = false;
            if let Some(paragraph) = paragraphs.last_mut() {
                paragraph.push(line.text);
            }
        }
        let mut paragraphs = paragraphs.into_iter().map(|paragraph| paragraph.join("\n"));
        let summary = paragraphs
            .next()
            .filter(|text| !text.is_empty())
            .or_else(|| Some(table_summary.clone()).filter(|s| !s.is_empty()));
        let description: Vec<String> = paragraphs.collect();
        let description = (!description.is_empty()).then(|| description.join("\n\n"));

        let return_type = signature.and_then(|(_, text)| text.rsplit_once("):").map(|(_, ty)| ty.trim().to_owned()));
        let signature_params: Vec<String> = signature
            .and_then(|(_, text)| {
                text.split_once('(').and_then(|(_, rest)| rest.rsplit_once(')')).map(|(args, _)| args.to_owned())
            })
            .map(|args| {
                args.split(',')
                    .map(|arg| arg.trim().trim_start_matches('$').to_owned())
                    .filter(|arg| !arg.is_empty())
                    .collect()
            })
            .unwrap_or_default();

        let id = name.to_snake_case();
        let mut operation = OperationSpec {
            id: id.clone(),
            group: group.to_owned(),
            name: None,
            source_id: Some(name.to_owned()),
            renamed_from: None,
            method: Some(method.to_ascii_uppercase()),
            path: Some(decode(&path)),
            summary,
            description,
            deprecated: Deprecation::No,
            params: Vec::new(),
            body: None,
            responses: Vec::new(),
            errors: Vec::new(),
            soap: None,
            pagination: None,
            idempotent: false,
            origin: Some(doc.origin(heading.number)),
            inferred: Vec::new(),
        };

        let mut content_type = None;
        let mut table_params = Vec::new();
        let mut return_line = heading.number;
        let mut documented_return = return_type.clone();
        for (title, lines) in &subsections[1..] {
            match title.text.trim_start_matches('#').trim() {
                "Example" => self.report.skipped.push(Skipped {
                    origin: doc.origin(title.number),
                    construct: format!("`{name}` example"),
                    reason: "a PHP usage sample; its parameter comments repeat the parameter table".to_owned(),
                }),
                "Parameters" => table_params = parameter_rows(lines),
                "Return type" => {
                    if let Some(line) = lines.iter().skip(1).find(|line| !line.text.trim().is_empty()) {
                        return_line = line.number;
                        documented_return = Some(type_cell(line.text));
                    }
                }
                "Authorization" => self.authorization(doc, section, lines),
                "HTTP request headers" => {
                    for line in lines.iter() {
                        if let Some(value) = line.text.trim().strip_prefix("- **Content-Type**:") {
                            let mut listed = value
                                .split(',')
                                .map(|item| item.trim().trim_matches('`').to_owned())
                                .filter(|item| !item.is_empty() && item != "Not defined");
                            content_type = listed.next();
                            self.other_content_types.extend(listed);
                        }
                        if line.text.trim().starts_with("- **Accept**:") {
                            self.accept_lines += 1;
                        }
                    }
                }
                other => self.report.skipped.push(Skipped {
                    origin: doc.origin(title.number),
                    construct: format!("section `{other}` of `{name}`"),
                    reason: "not a part of the format this importer knows".to_owned(),
                }),
            }
        }
        if table_params.iter().map(|row| row.name.as_str()).ne(signature_params.iter().map(String::as_str))
            && signature.is_some()
        {
            self.problems.push(doc.error(
                signature.map_or(heading.number, |(line, _)| line.number),
                format!(
                    "the signature of `{name}` and its parameter table list different parameters; the table is used"
                ),
            ));
        }

        let item = format!("operations[{id}]");
        for row in &table_params {
            self.parameter(doc, &mut operation, &item, name, row, content_type.as_deref());
        }
        self.responses(doc, &mut operation, &item, name, documented_return.as_deref(), return_line);
        self.spec.operations.push(operation);
    }

    fn authorization(&mut self, doc: &Document, section: &[Line<'_>], lines: &[Line<'_>]) {
        for line in lines.iter().skip(1) {
            let text = line.text.trim();
            let Some(id) = text.strip_prefix('[').and_then(|rest| rest.split_once(']')).map(|(id, _)| id.trim()) else {
                continue;
            };
            if self.spec.auth.iter().any(|auth| auth.id == id) {
                continue;
            }
            // The example says how the scheme is configured; the Authorization list only names it.
            let configure = section.iter().find_map(|line| {
                let text = line.text.trim();
                text.strip_prefix("// Configure ").filter(|rest| rest.ends_with(&format!("authorization: {id}")))
            });
            let kind = match configure {
                Some(text) if text.starts_with("OAuth2") => AuthKind::Oauth2Bearer,
                Some(text) if text.starts_with("Bearer") => AuthKind::Bearer,
                _ => {
                    self.report.skipped.push(Skipped {
                        origin: doc.origin(line.number),
                        construct: format!("authorization `{id}`"),
                        reason: "the document does not say it is an OAuth2 or bearer token (API keys and basic auth are not supported)"
                            .to_owned(),
                    });
                    continue;
                }
            };
            self.spec.auth.push(AuthSpec {
                id: id.to_owned(),
                kind,
                description: None,
                client_credentials: None,
                api_key: None,
            });
        }
    }

    fn parameter(
        &mut self,
        doc: &Document,
        operation: &mut OperationSpec,
        item: &str,
        name: &str,
        row: &Row,
        content_type: Option<&str>,
    ) {
        let origin = doc.origin(row.line);
        let fact = self.facts.params.get(&(name.to_owned(), row.name.clone()));
        let model = model_name(&row.ty);
        let is_body = match fact {
            Some(fact) => fact.location == FactLocation::Body,
            // openapi-generator passes a model only as the request body.
            None => model.is_some() && matches!(operation.method.as_deref(), Some("POST" | "PUT" | "PATCH")),
        };
        if let Some(fact) = fact {
            self.report.confirmed += 1;
            let _ = &fact.origin;
        }
        if is_body {
            let (ty, _) = spec_type(&row.ty, None);
            operation.body = Some(BodySpec {
                ty,
                content_type: content_type.unwrap_or("application/json").to_owned(),
                required: row.required,
                description: row.description.clone(),
                origin: Some(origin),
                inferred: Vec::new(),
            });
            return;
        }
        let camel = row.name.to_lower_camel_case();
        let path = operation.path.clone().unwrap_or_default();
        let mut inferred = Vec::new();
        let (wire, location) = match fact {
            Some(fact) => {
                let location = match fact.location {
                    FactLocation::Path => ParamLocation::Path,
                    FactLocation::Query => ParamLocation::Query,
                    FactLocation::Header | FactLocation::Body => ParamLocation::Header,
                };
                if fact.wire_name != camel {
                    self.report.corrected.push(Inferred {
                        item: format!("{item}.params[{}]", fact.wire_name),
                        key: "name".to_owned(),
                        value: fact.wire_name.clone(),
                        read: Some(camel.clone()),
                        origin: origin.clone(),
                    });
                }
                (fact.wire_name.clone(), location)
            }
            // A `{name}` in the path states both the wire name and the location.
            None if path.contains(&format!("{{{camel}}}")) => (camel.clone(), ParamLocation::Path),
            None => {
                inferred.push("name".to_owned());
                inferred.push("in".to_owned());
                (camel.clone(), ParamLocation::Query)
            }
        };
        let item = format!("{item}.params[{wire}]");
        for key in &inferred {
            let (value, read) =
                if key == "name" { (wire.clone(), Some(row.name.clone())) } else { ("query".to_owned(), None) };
            self.report.inferred.push(Inferred {
                item: item.clone(),
                key: key.clone(),
                value,
                read,
                origin: origin.clone(),
            });
        }
        self.note_unsupported(doc, row);
        let (ty, width_inferred) = spec_type(&row.ty, None);
        if width_inferred {
            inferred.push("type".to_owned());
            self.report.inferred.push(Inferred {
                item: item.clone(),
                key: "type".to_owned(),
                value: ty.clone(),
                read: Some(row.ty.clone()),
                origin: origin.clone(),
            });
        }
        let required = fact.and_then(|fact| fact.required).unwrap_or(row.required);
        operation.params.push(ParamSpec {
            name: wire,
            location,
            ty,
            required: required || location == ParamLocation::Path,
            description: row.description.clone(),
            deprecated: Deprecation::No,
            rust_name: None,
            style: None,
            renamed_from: None,
            origin: Some(origin),
            inferred,
        });
    }

    fn responses(
        &mut self,
        doc: &Document,
        operation: &mut OperationSpec,
        item: &str,
        name: &str,
        documented: Option<&str>,
        line: usize,
    ) {
        let origin = doc.origin(line);
        if let Some(facts) = self.facts.responses.get(name) {
            self.report.confirmed += 1;
            for fact in facts {
                let ty = fact.ty.as_deref().map(|ty| spec_type(ty, None).0);
                operation.responses.push(ResponseSpec {
                    status: fact.status,
                    ty,
                    content_type: None,
                    description: None,
                    headers: Vec::new(),
                    upgrade: None,
                    origin: Some(origin.clone()),
                    inferred: Vec::new(),
                });
            }
            operation.responses.sort_by_key(|response| response.status);
            return;
        }
        // The page names one return type and no status: 200 with a body, 204 without.
        let ty = documented.filter(|ty| !ty.starts_with("void") && !ty.is_empty()).map(|ty| spec_type(ty, None).0);
        let status = if ty.is_some() { 200 } else { 204 };
        self.report.inferred.push(Inferred {
            item: format!("{item}.responses[{status}]"),
            key: "status".to_owned(),
            value: status.to_string(),
            read: documented.map(str::to_owned),
            origin: origin.clone(),
        });
        operation.responses.push(ResponseSpec {
            status,
            ty,
            content_type: None,
            description: None,
            headers: Vec::new(),
            upgrade: None,
            origin: Some(origin),
            inferred: vec!["status".to_owned()],
        });
    }

    // ----- Model documents -----------------------------------------------------------------

    fn model_document(&mut self, doc: &Document, lines: &[Line<'_>], heading: &str, heading_line: usize) {
        let model = heading.trim();
        if model.is_empty() || !model.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.problems.push(
                doc.error(heading_line, format!("cannot read a model name from the heading `{heading}`"))
                    .with_hint("a model document starts with `# ModelName`. Skipped."),
            );
            return;
        }
        let Some(start) = lines.iter().position(|line| line.text.trim() == "## Properties") else { return };
        let mut fields = Vec::new();
        for line in &lines[start + 1..] {
            let text = line.text.trim();
            if text.starts_with("## ") {
                break;
            }
            let cells = cells(text);
            if cells.len() < 2 || !cells[0].starts_with("**") {
                continue;
            }
            let Some(row) = row(&cells, line.number) else {
                self.problems.push(doc.error(line.number, "a property row without `**name** | type`; skipped the row"));
                continue;
            };
            fields.push(self.field(doc, model, &row));
        }
        self.spec.types.push(TypeSpec::Object(ObjectSpec {
            name: model.to_owned(),
            fields,
            origin: Some(doc.origin(heading_line)),
            ..ObjectSpec::default()
        }));
    }

    fn field(&mut self, doc: &Document, model: &str, row: &Row) -> FieldSpec {
        let origin = doc.origin(row.line);
        let camel = row.name.to_lower_camel_case();
        let mut inferred = Vec::new();
        self.note_unsupported(doc, row);
        let fact = self.facts.fields.get(&(model.to_owned(), row.name.clone()));
        let (name, nullable, ty) = match fact {
            Some(fact) => {
                self.report.confirmed += 1;
                if fact.wire_name != camel {
                    self.report.corrected.push(Inferred {
                        item: format!("types[{model}].fields[{}]", fact.wire_name),
                        key: "name".to_owned(),
                        value: fact.wire_name.clone(),
                        read: Some(camel.clone()),
                        origin: origin.clone(),
                    });
                }
                let ty = if fact.enum_values.is_empty() {
                    spec_type(fact.ty.as_deref().unwrap_or(&row.ty), fact.format.as_deref()).0
                } else {
                    self.enum_type(model, &row.name, fact)
                };
                (fact.wire_name.clone(), fact.nullable.unwrap_or(false), ty)
            }
            None => {
                inferred.push("name".to_owned());
                inferred.push("nullable".to_owned());
                let (ty, width_inferred) = spec_type(&row.ty, None);
                if width_inferred {
                    inferred.push("type".to_owned());
                }
                (camel.clone(), false, ty)
            }
        };
        let item = format!("types[{model}].fields[{name}]");
        for key in &inferred {
            let (value, read) = match key.as_str() {
                "name" => (name.clone(), Some(row.name.clone())),
                "type" => (ty.clone(), Some(row.ty.clone())),
                _ => ("false".to_owned(), None),
            };
            self.report.inferred.push(Inferred {
                item: item.clone(),
                key: key.clone(),
                value,
                read,
                origin: origin.clone(),
            });
        }
        FieldSpec {
            name,
            ty,
            required: row.required,
            nullable,
            read_only: row.read_only,
            description: row.description.clone(),
            origin: Some(origin),
            inferred,
            ..FieldSpec::default()
        }
    }

    fn note_unsupported(&mut self, doc: &Document, row: &Row) {
        if unsupported(&row.ty) {
            self.report.skipped.push(Skipped {
                origin: doc.origin(row.line),
                construct: format!("type `{}` of `{}`", row.ty, row.name),
                reason: "no spec type matches it; captured as `json` (correct it in the overlay)".to_owned(),
            });
        }
    }

    /// The enum type for a property whose facts list its values; properties with the same
    /// values share the type of the first (`<Model><Property>`). Open: the client sources are a
    /// snapshot of a live API, which may add values.
    fn enum_type(&mut self, model: &str, property: &str, fact: &FieldFact) -> String {
        if let Some(name) = self.enums.get(&fact.enum_values) {
            return name.clone();
        }
        let name = format!("{}{}", model, property.to_upper_camel_case());
        self.enums.insert(fact.enum_values.clone(), name.clone());
        let members = fact
            .enum_values
            .iter()
            .map(|value| MemberSpec {
                name: value.clone(),
                value: serde_yaml::Value::String(value.clone()),
                description: None,
                deprecated: Deprecation::No,
                origin: None,
                inferred: Vec::new(),
            })
            .collect();
        self.enum_types.push(EnumSpec {
            name: name.clone(),
            renamed_from: None,
            description: None,
            repr: EnumRepr::String,
            open: true,
            members,
            origin: Some(fact.origin.clone()),
            inferred: Vec::new(),
        });
        name
    }

    fn finish(mut self) -> Imported {
        let mut types = std::mem::take(&mut self.spec.types);
        types.extend(self.enum_types.drain(..).map(TypeSpec::Enum));
        // Model documents come one per file; the name order is the order of a model folder.
        types.sort_by(|a, b| a.name().cmp(b.name()));
        for operation in &mut self.spec.operations {
            super::pagination::infer(operation, &types, &mut self.report, super::pagination::VISMA_NAMES);
        }
        let spec = ServiceSpec {
            service: self.spec.service,
            title: self.spec.title,
            description: None,
            source: (!self.spec.sources.is_empty())
                .then(|| format!("openapi-generator client documentation: {}", self.spec.sources.join(", "))),
            protocol: Protocol::Rest,
            base_url: self.spec.base_url.unwrap_or_default(),
            auth: self.spec.auth,
            groups: self.spec.groups,
            operations: self.spec.operations,
            types,
            soap: None,
            background_jobs: None,
        };
        Imported { spec, report: self.report, problems: self.problems }
    }
}

/// A row of a parameter or property table.
struct Row {
    line: usize,
    /// The PHP name (`project_id`).
    name: String,
    /// The PHP type as the cell shows it, links and emphasis removed (`\OpenAPI\Client\Model\X[]`).
    ty: String,
    description: Option<String>,
    required: bool,
    read_only: bool,
}

fn parameter_rows(lines: &[Line<'_>]) -> Vec<Row> {
    lines
        .iter()
        .filter_map(|line| {
            let cells = cells(line.text);
            (cells.len() >= 2 && cells[0].starts_with("**")).then(|| row(&cells, line.number)).flatten()
        })
        .collect()
}

fn row(cells: &[String], line: usize) -> Option<Row> {
    let name = cells[0].trim().strip_prefix("**")?.strip_suffix("**")?.trim().to_owned();
    if name.is_empty() {
        return None;
    }
    let ty = type_cell(cells.get(1)?);
    let description = cells.get(2).map(|text| text.trim().to_owned()).filter(|text| !text.is_empty());
    let notes = cells.get(3).map(String::as_str).unwrap_or("");
    Some(Row {
        line,
        name,
        ty,
        description,
        required: !notes.contains("[optional]"),
        read_only: notes.contains("[readonly]"),
    })
}

/// `[**\OpenAPI\Client\Model\X[]**](../Model/X.md)` or `**string**` → the type text.
fn type_cell(cell: &str) -> String {
    let text = cell.trim();
    let text = text.strip_prefix('[').and_then(|inner| inner.rsplit_once("](").map(|(label, _)| label)).unwrap_or(text);
    decode(text.trim().trim_start_matches("**").trim_end_matches("**").trim())
}

/// The cells of a markdown table row (`| a | b |` or `a | b`), `\|` kept as a literal bar.
fn cells(line: &str) -> Vec<String> {
    let line = line.trim();
    if !line.contains('|') || line.trim_matches(['|', '-', ' ', ':']).is_empty() {
        return Vec::new();
    }
    let mut cells = vec![String::new()];
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '|' {
            cells.push(String::new());
            continue;
        }
        let c = if c == '\\' && chars.peek() == Some(&'|') { chars.next().unwrap_or(c) } else { c };
        if let Some(cell) = cells.last_mut() {
            cell.push(c);
        }
    }
    if line.starts_with('|') {
        cells.remove(0);
    }
    if line.ends_with('|') && !line.ends_with("\\|") {
        cells.pop();
    }
    cells.into_iter().map(|cell| cell.trim().to_owned()).collect()
}

/// For each line, whether it is inside (or is) a code fence line.
fn fenced_lines(lines: &[Line<'_>]) -> Vec<bool> {
    let mut in_fence = false;
    lines
        .iter()
        .map(|line| {
            if line.text.trim_start().starts_with("```") {
                in_fence = !in_fence;
                return true;
            }
            in_fence
        })
        .collect()
}

/// The `###` subsections of an operation section; the first entry is what precedes them.
fn subsections<'s, 'a>(section: &'s [Line<'a>]) -> Vec<(Line<'a>, &'s [Line<'a>])> {
    let mut starts: Vec<usize> = vec![0];
    let mut in_fence = false;
    for (index, line) in section.iter().enumerate().skip(1) {
        if line.text.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && line.text.starts_with("### ") {
            starts.push(index);
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(section.len());
            (section[start], &section[start..end])
        })
        .collect()
}

/// The model a PHP type names (`\OpenAPI\Client\Model\X` or `X[]` of it), if any.
fn model_name(php: &str) -> Option<&str> {
    let base = php.trim_end_matches("[]");
    base.rsplit_once("\\Model\\").map(|(_, name)| name).filter(|name| !name.is_empty())
}

/// The spec type expression for a PHP type and an OpenAPI format, and whether a width (or a
/// date-versus-date-time choice) had to be guessed because no format was known.
fn spec_type(php: &str, format: Option<&str>) -> (String, bool) {
    let php = php.trim();
    if let Some(inner) = php.strip_suffix("[]") {
        let (inner, guessed) = spec_type(inner, format);
        return (format!("list<{inner}>"), guessed);
    }
    if let Some(inner) = php.strip_prefix("array<").and_then(|rest| rest.strip_suffix('>')) {
        // `array<string,T>` is a map with string keys.
        let value = inner.split_once(',').map_or(inner, |(_, value)| value);
        let (value, guessed) = spec_type(value, format);
        return (format!("map<{value}>"), guessed);
    }
    if let Some(model) = model_name(php) {
        return (model.to_owned(), false);
    }
    if php.starts_with('\\') && php != "\\DateTime" {
        return ("json".to_owned(), false);
    }
    match (php.trim_start_matches('\\'), format) {
        ("int" | "integer", Some("int64")) => ("int64".to_owned(), false),
        ("int" | "integer", Some("int32")) => ("int32".to_owned(), false),
        ("int" | "integer", _) => ("int32".to_owned(), true),
        ("float" | "number", Some("float")) => ("float".to_owned(), false),
        ("float" | "number", Some("double")) => ("double".to_owned(), false),
        ("float" | "number", Some("decimal")) => ("decimal".to_owned(), false),
        ("float" | "number", _) => ("double".to_owned(), true),
        ("bool" | "boolean", _) => ("bool".to_owned(), false),
        ("DateTime", Some("date")) => ("date".to_owned(), false),
        ("DateTime", Some("date-time")) => ("datetime".to_owned(), false),
        ("DateTime", _) => ("datetime".to_owned(), true),
        ("string", Some("uuid")) => ("uuid".to_owned(), false),
        ("string", Some("date")) => ("date".to_owned(), false),
        ("string", Some("date-time")) => ("datetime".to_owned(), false),
        ("string", _) => ("string".to_owned(), false),
        ("object" | "mixed" | "", _) => ("json".to_owned(), false),
        (other, _) if is_identifier(other) => (other.to_owned(), false),
        // `\SplFileObject` (a file) and other PHP classes have no spec type; see `unsupported`.
        _ => ("json".to_owned(), false),
    }
}

fn is_identifier(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A PHP type with no spec type (a file, a PHP class outside the models): captured as `json`.
fn unsupported(php: &str) -> bool {
    let base = php.trim().trim_end_matches("[]");
    let base = base
        .strip_prefix("array<")
        .and_then(|rest| rest.strip_suffix('>'))
        .map_or(base, |inner| inner.rsplit(',').next().unwrap_or(inner));
    let base = base.trim().trim_end_matches("[]");
    // A leading `\` names a PHP class: a model (`\OpenAPI\Client\Model\X`) or `\DateTime`, else unknown.
    let known = match base.strip_prefix('\\') {
        Some(class) => model_name(base).is_some() || class == "DateTime",
        None => is_identifier(base) || base.is_empty(),
    };
    !known
}

/// Decodes HTML entities in names, types and paths (descriptions keep them: `docs` decodes those).
fn decode(text: &str) -> String {
    html_escape::decode_html_entities(text).into_owned()
}
