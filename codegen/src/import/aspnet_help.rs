//! Format 2: ASP.NET Web API Help Page of one operation, as text (seed 003) or as the HTML the page serves.
//!
//! Reads the `METHOD path` title, the resource description, the URI and body parameter tables (and
//! any further `<Type>Name | Description | Type | Additional information |` tables of nested types),
//! the request and response formats and their samples. Types come from the tables; a type the tables
//! only name is read from the JSON sample (objects) or from the JSON and XML samples together
//! (enums: a number in JSON, a name in XML), and every such fact is recorded as inferred.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::draft::{clip, error_at, first_sentence, merge, service_shell, Draft, Sample};
use super::sample_json::Json;
use super::{Document, Facts, Format, Imported, Report};
use crate::diagnostics::Diagnostics;
use crate::spec::{
    BodySpec, Deprecation, EnumRepr, EnumSpec, FieldSpec, MemberSpec, ObjectSpec, OperationSpec, ParamLocation,
    ParamSpec, ResponseSpec, TypeSpec,
};

const TABLE_HEADER: &str = "Name | Description | Type | Additional information |";
const SECTIONS: &[&str] = &[
    "Request Information",
    "URI Parameters",
    "Body Parameters",
    "Request Formats",
    "Response Information",
    "Resource Description",
    "Response Formats",
];
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The format's registry entry.
pub struct AspNetHelpPage;

impl Format for AspNetHelpPage {
    fn name(&self) -> &'static str {
        "aspnet-help-page"
    }

    fn summary(&self) -> &'static str {
        "ASP.NET Web API Help Page of an operation, as text or HTML: parameter tables, formats, samples"
    }

    fn import(&self, docs: &[Document], _facts: &Facts, service: &str) -> Imported {
        let mut spec = service_shell(service, crate::spec::Protocol::Rest);
        let mut report = Report::default();
        let mut problems = Diagnostics::default();
        for doc in docs {
            let parsed =
                if looks_like_html(&doc.text) { parse_html(&doc.path, &doc.text) } else { parse(&doc.path, &doc.text) };
            match parsed {
                Ok(mut draft) => {
                    report.documents.push(doc.path.clone());
                    draft.annotate(doc, &mut report);
                    merge(&mut spec, draft, doc, &mut report);
                }
                Err(diagnostics) => problems.0.extend(diagnostics.0),
            }
        }
        spec.types.sort_by(|a, b| a.name().cmp(b.name()));
        Imported { spec, report, problems }
    }
}

/// A served page starts with markup; the text form starts with `METHOD path`.
pub(crate) fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start();
    start.starts_with('<') && !start.starts_with("<?xml")
}

/// One non-empty line of the document, trimmed, with its 1-based line number.
#[derive(Debug, Clone)]
struct Line {
    number: usize,
    text: String,
}

/// A parameter table row.
#[derive(Debug, Clone)]
struct Row {
    name: String,
    description: Option<String>,
    ty: String,
    annotations: Vec<String>,
    line: usize,
}

/// A `<Type>Name | ...` table, or a bare type line (a simple body such as `string`).
#[derive(Debug, Clone, Default)]
struct Resource {
    description: Option<String>,
    type_name: Option<String>,
    type_line: usize,
    rows: Vec<Row>,
}

#[derive(Debug, Clone)]
struct FormatSample {
    media_types: Vec<String>,
    text: Option<String>,
    line: usize,
}

/// Parses the text form of a help page.
pub fn parse(file: &str, text: &str) -> Result<Draft, Diagnostics> {
    let lines = text
        .lines()
        .enumerate()
        .map(|(index, text)| Line { number: index + 1, text: text.trim().to_owned() })
        .filter(|line| !line.text.is_empty())
        .collect();
    parse_lines(file, lines)
}

/// Parses the HTML a help page serves: its headings, paragraphs, tables and `<pre>` samples are
/// turned into the text form (keeping their source lines), then read like it.
pub fn parse_html(file: &str, html: &str) -> Result<Draft, Diagnostics> {
    parse_lines(
        file,
        super::html_text::to_lines(html).into_iter().map(|(number, text)| Line { number, text }).collect(),
    )
}

fn parse_lines(file: &str, lines: Vec<Line>) -> Result<Draft, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut draft = Draft::default();
    let Some(title) = lines.first() else {
        diagnostics.push(error_at(file, 1, "the help page is empty", "expected `METHOD path` on the first line"));
        return Err(diagnostics);
    };
    let Some((method, route)) = title.text.split_once(' ').filter(|(method, _)| METHODS.contains(method)) else {
        diagnostics.push(error_at(
            file,
            title.number,
            format!("expected `METHOD path` as the help page title, found `{}`", clip(&title.text)),
            "a help page starts with e.g. `POST api/v2/admin/tasks/account`",
        ));
        return Err(diagnostics);
    };
    let route = route.trim();
    let title_line = title.number;

    // Split the page into its sections; text before "Request Information" is the description.
    let mut sections: BTreeMap<&str, (usize, Vec<Line>)> = BTreeMap::new();
    let mut current = "";
    let mut description = Vec::new();
    for line in lines.iter().skip(1) {
        if let Some(section) = SECTIONS.iter().find(|s| **s == line.text) {
            if sections.contains_key(section) {
                diagnostics.push(error_at(file, line.number, format!("section `{section}` appears twice"), ""));
            }
            current = section;
            sections.insert(section, (line.number, Vec::new()));
            continue;
        }
        match sections.get_mut(current) {
            Some((_, body)) => body.push(line.clone()),
            None => description.push(line.text.clone()),
        }
    }
    for required in ["Request Information", "Response Information"] {
        if !sections.contains_key(required) {
            diagnostics.push(error_at(
                file,
                lines.last().map_or(1, |line| line.number),
                format!("the help page has no `{required}` section"),
                "is this an ASP.NET Web API help page of one operation?",
            ));
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let section = |name: &str| sections.get(name).map(|(_, body)| body.as_slice()).unwrap_or(&[]);

    // The route: `api/x/{id}` has path variables, `api/x?id={id}` query parameters.
    let (path_part, query_part) = route.split_once('?').unwrap_or((route, ""));
    let path = format!("/{}", path_part.trim_start_matches('/'));
    let query_names: BTreeSet<String> =
        query_part.split('&').filter_map(|pair| pair.split_once('=').map(|(name, _)| name.to_owned())).collect();

    let (group, name) = operation_names(method, path_part);
    let id = format!("{group}_{name}");
    let op_path = format!("operations[{id}]");
    draft.source(&op_path, title_line);
    for key in ["id", "group", "name"] {
        draft.infer(&op_path, key, "derived from the route: the page names no controller action", title_line);
    }

    let description = (!description.is_empty()).then(|| description.join("\n"));
    // The summary comes from the description's first line only.
    let summary = description.as_deref().map(|text| first_sentence(text.lines().next().unwrap_or_default()));

    let mut tables = Vec::new();
    let uri = read_resource(file, section("URI Parameters"), &mut tables, &mut diagnostics);
    let body = read_resource(file, section("Body Parameters"), &mut tables, &mut diagnostics);
    let response = read_resource(file, section("Resource Description"), &mut tables, &mut diagnostics);
    let request_formats = read_formats(section("Request Formats"));
    let response_formats = read_formats(section("Response Formats"));

    let mut params = Vec::new();
    for row in &uri.rows {
        let location = if query_names.contains(&row.name) || !path.contains(&format!("{{{}}}", row.name)) {
            ParamLocation::Query
        } else {
            ParamLocation::Path
        };
        let param_path = format!("{op_path}.params[{}]", row.name);
        draft.source(&param_path, row.line);
        let ty = map_type(&row.ty, &param_path, row.line, &mut draft);
        params.push(ParamSpec {
            name: row.name.clone(),
            location,
            ty,
            required: location == ParamLocation::Path || row.annotations.iter().any(|a| a == "Required"),
            description: row.description.clone(),
            deprecated: Deprecation::No,
            rust_name: None,
            style: None,
            renamed_from: None,
            origin: None,
            inferred: Vec::new(),
        });
    }

    // Object types from the tables, in table order.
    let mut objects: Vec<(ObjectSpec, usize)> = Vec::new();
    for table in &tables {
        let Some(type_name) = &table.type_name else { continue };
        if objects.iter().any(|(object, _)| &object.name == type_name) {
            diagnostics.push(error_at(file, table.type_line, format!("type `{type_name}` has two tables"), ""));
            continue;
        }
        let type_path = format!("types[{type_name}]");
        draft.source(&type_path, table.type_line);
        let mut fields = Vec::new();
        for row in &table.rows {
            let field_path = format!("{type_path}.fields[{}]", row.name);
            draft.source(&field_path, row.line);
            let ty = map_type(&row.ty, &field_path, row.line, &mut draft);
            let mut field = plain_field(&row.name, ty);
            field.required = row.annotations.iter().any(|a| a == "Required");
            field.description = row.description.clone();
            for annotation in &row.annotations {
                apply_annotation(&mut field, annotation, &field_path, row.line, &mut draft);
            }
            fields.push(field);
        }
        // The section's description is the body's or the response's, not the type's.
        objects.push((object(type_name, None, fields), table.type_line));
    }

    // The request body and the response.
    let json_of = |formats: &[FormatSample]| {
        formats
            .iter()
            .find(|f| f.media_types.iter().any(|m| m.contains("json")))
            .map(|f| (f.media_types.clone(), f.text.clone(), f.line))
    };
    let xml_of = |formats: &[FormatSample]| {
        formats.iter().find(|f| f.media_types.iter().any(|m| m.contains("xml"))).and_then(|f| f.text.clone())
    };
    for (direction, formats) in [("request", &request_formats), ("response", &response_formats)] {
        for format in formats.iter() {
            if let Some(text) = &format.text {
                draft.samples.push(Sample {
                    operation: id.clone(),
                    direction,
                    media_type: format.media_types.join(", "),
                    text: text.clone(),
                    line: format.line,
                });
            }
        }
    }
    for format in request_formats.iter().chain(&response_formats) {
        if !format.media_types.iter().any(|m| m.contains("json")) {
            draft.skip(
                format!("format {}", format.media_types.join(", ")),
                "only the JSON formats are captured",
                format.line,
            );
        }
    }

    let mut inferred_types = SampleTypes::default();
    let body_spec = match &body.type_name {
        None => None,
        Some(type_name) => {
            let (content_type, sample, sample_line) = json_of(&request_formats).unwrap_or_default();
            let content_type = content_type.first().cloned().unwrap_or_else(|| {
                draft.infer(format!("{op_path}.body"), "content_type", "no JSON request format listed", body.type_line);
                "application/json".to_owned()
            });
            let ty = map_type(type_name, &format!("{op_path}.body"), body.type_line, &mut draft);
            inferred_types.walk(
                &ty,
                sample.as_deref(),
                xml_of(&request_formats).as_deref(),
                &objects,
                sample_line.max(1),
            );
            draft.source(format!("{op_path}.body"), body.type_line);
            Some(BodySpec {
                ty,
                content_type,
                required: true,
                description: body.description.clone(),
                origin: None,
                inferred: Vec::new(),
            })
        }
    };
    let response_spec = match &response.type_name {
        None => {
            draft.infer(
                format!("{op_path}.responses[204]"),
                "status",
                "the page shows no response body",
                response.type_line,
            );
            ResponseSpec {
                status: 204,
                ty: None,
                content_type: None,
                description: response.description.clone(),
                headers: Vec::new(),
                upgrade: None,
                origin: None,
                inferred: Vec::new(),
            }
        }
        Some(type_name) => {
            let (_, sample, sample_line) = json_of(&response_formats).unwrap_or_default();
            let ty = map_type(type_name, &format!("{op_path}.responses[200]"), response.type_line, &mut draft);
            inferred_types.walk(
                &ty,
                sample.as_deref(),
                xml_of(&response_formats).as_deref(),
                &objects,
                sample_line.max(1),
            );
            draft.infer(
                format!("{op_path}.responses[200]"),
                "status",
                "help pages do not state status codes; a response with a body is 200",
                response.type_line,
            );
            ResponseSpec {
                status: 200,
                ty: Some(ty),
                content_type: None,
                description: response.description.clone(),
                headers: Vec::new(),
                upgrade: None,
                origin: None,
                inferred: Vec::new(),
            }
        }
    };
    draft.source(format!("{op_path}.responses[{}]", response_spec.status), response.type_line);

    let mut types: Vec<TypeSpec> = objects.into_iter().map(|(object, _)| TypeSpec::Object(object)).collect();
    for (type_spec, line, reason) in inferred_types.types {
        let type_path = format!("types[{}]", type_spec.name());
        draft.source(&type_path, line);
        match &type_spec {
            TypeSpec::Enum(_) => {
                draft.infer(&type_path, "members", reason, line);
                draft.infer(&type_path, "open", "one sample value cannot promise the member list", line);
            }
            _ => draft.infer(&type_path, "fields", reason, line),
        }
        types.push(type_spec);
    }
    // Referenced names that neither a table nor a sample defines stay as they are: the overlay must
    // define them (validation names them otherwise).
    let defined: BTreeSet<String> = types.iter().map(|t| t.name().to_owned()).collect();
    let mut referenced = BTreeSet::new();
    for type_spec in &types {
        if let TypeSpec::Object(object) = type_spec {
            for field in &object.fields {
                referenced.insert(base_name(&field.ty).to_owned());
            }
        }
    }
    for name in referenced {
        if !is_builtin(&name) && !defined.contains(&name) {
            draft.skip(
                format!("type `{name}`"),
                "named by the page but neither described nor shown in a sample",
                title_line,
            );
        }
    }
    types.sort_by(|a, b| a.name().cmp(b.name()));

    draft.operations.push(OperationSpec {
        id,
        group,
        name: Some(name),
        source_id: Some(format!("{method} {route}")),
        renamed_from: None,
        method: Some(method.to_owned()),
        path: Some(path),
        summary,
        description,
        deprecated: Deprecation::No,
        params,
        body: body_spec,
        responses: vec![response_spec],
        errors: Vec::new(),
        soap: None,
        pagination: None,
        idempotent: false,
        origin: None,
        inferred: Vec::new(),
    });
    draft.types = types;
    diagnostics.finish(draft)
}

/// `POST api/v2/admin/tasks/account` → group `admin_tasks`, name `create_account_task`: the
/// static segments after `api` and the version, the last one qualified by its (singular) parent.
fn operation_names(method: &str, path: &str) -> (String, String) {
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.contains('{') && *s != "api")
        .filter(|s| !(s.len() > 1 && s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit())))
        .collect();
    let verb = match method {
        "GET" if path.contains('{') => "get",
        "GET" => "list",
        "POST" => "create",
        "PUT" => "update",
        "DELETE" => "delete",
        other => {
            return (
                fallback_group(&segments),
                format!("{}_{}", other.to_lowercase(), segments.last().unwrap_or(&"root")),
            )
        }
    };
    let name = match segments.as_slice() {
        [] => verb.to_owned(),
        [only] => format!("{verb}_{only}"),
        [.., parent, last] => format!("{verb}_{last}_{}", parent.strip_suffix('s').unwrap_or(parent)),
    };
    (fallback_group(&segments), sanitize(&name))
}

fn fallback_group(segments: &[&str]) -> String {
    let group = match segments {
        [] => "api".to_owned(),
        [only] => (*only).to_owned(),
        [init @ .., _] => init.join("_"),
    };
    sanitize(&group)
}

fn sanitize(name: &str) -> String {
    let snake = name.to_snake_case();
    if snake.starts_with(|c: char| c.is_ascii_alphabetic()) {
        snake
    } else {
        format!("op_{snake}")
    }
}

/// Reads one section: description lines, then a table (`<Type>Name | ...`), a bare type name, or `None.`.
fn read_resource(file: &str, lines: &[Line], tables: &mut Vec<Resource>, diagnostics: &mut Diagnostics) -> Resource {
    let mut resource = Resource::default();
    let mut description = Vec::new();
    let mut index = 0;
    let mut first_table = true;
    while index < lines.len() {
        let line = &lines[index];
        if let Some(type_name) = line.text.strip_suffix(TABLE_HEADER) {
            let type_name = type_name.trim().to_owned();
            // The text form has a `---|---|` line under the header; the HTML has none.
            let separator = lines.get(index + 1).is_some_and(|l| l.text.starts_with("---"));
            index += if separator { 2 } else { 1 };
            let start = index;
            while index < lines.len() && !lines[index].text.ends_with(TABLE_HEADER) {
                index += 1;
            }
            let rows = read_rows(file, &lines[start..index], diagnostics);
            let table = Resource {
                description: if first_table { (!description.is_empty()).then(|| description.join("\n")) } else { None },
                type_name: (!type_name.is_empty()).then_some(type_name),
                type_line: line.number,
                rows,
            };
            if first_table {
                resource.description = table.description.clone();
                resource.type_name = table.type_name.clone();
                resource.type_line = line.number;
                resource.rows = table.rows.clone();
            }
            if table.type_name.is_some() {
                tables.push(table);
            }
            first_table = false;
            continue;
        }
        if first_table {
            description.push(line.text.clone());
        }
        index += 1;
    }
    if first_table {
        resource.type_line = lines.last().map_or(0, |line| line.number);
        // No table: the last line names the type (or says `None.`), the rest describe it.
        if let Some(last) = description.pop() {
            if last != "None." {
                resource.type_name = Some(last);
            }
        }
        resource.description = (!description.is_empty()).then(|| description.join("\n"));
    }
    resource
}

/// Table cells are separated by `|`; the scraped text loses empty cells, so rows are cut at the
/// "Additional information" cell (`Required`, `None.`, `Max length: 18`, ...), which every row has.
fn read_rows(file: &str, lines: &[Line], diagnostics: &mut Diagnostics) -> Vec<Row> {
    // Cells may span lines; each keeps the line it starts on.
    let mut cells: Vec<(String, usize)> = Vec::new();
    let mut current = (String::new(), 0);
    for line in lines {
        let mut parts = line.text.split('|').peekable();
        while let Some(part) = parts.next() {
            let part = part.trim();
            if !part.is_empty() {
                if current.0.is_empty() {
                    current.1 = line.number;
                } else {
                    current.0.push('\n');
                }
                current.0.push_str(part);
            }
            if parts.peek().is_some() {
                cells.push(std::mem::take(&mut current));
            }
        }
    }
    cells.push(current);
    let cells: Vec<(String, usize)> = cells.into_iter().filter(|(text, _)| !text.is_empty()).collect();

    let mut rows = Vec::new();
    let mut pending: Vec<(String, usize)> = Vec::new();
    for (text, line) in cells {
        if is_annotation(&text) && pending.len() >= 2 {
            let name = pending[0].clone();
            let ty = pending.last().cloned().unwrap_or_default();
            let description = (pending.len() > 2)
                .then(|| pending[1..pending.len() - 1].iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(" "));
            rows.push(Row {
                name: name.0,
                description,
                ty: ty.0,
                annotations: text.lines().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect(),
                line: name.1,
            });
            pending.clear();
        } else {
            pending.push((text, line));
        }
    }
    if let Some((text, line)) = pending.first() {
        diagnostics.push(error_at(
            file,
            *line,
            format!("a table row without its Additional information cell, starting at `{}`", clip(text)),
            "each row is `Name | Description | Type | Additional information |`, the last cell `Required` or `None.`",
        ));
    }
    rows
}

fn is_annotation(cell: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "Max length:",
        "Min length:",
        "String length:",
        "Range:",
        "Matching regular expression pattern:",
        "Data type:",
        "Default value is",
    ];
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .all(|line| line == "Required" || line == "None." || PREFIXES.iter().any(|prefix| line.starts_with(prefix)))
}

fn apply_annotation(field: &mut FieldSpec, annotation: &str, path: &str, line: usize, draft: &mut Draft) {
    if annotation == "Required" || annotation == "None." {
        return;
    }
    if let Some(length) = annotation.strip_prefix("Max length:") {
        field.max_length = length.trim().parse().ok();
    } else if let Some(range) = annotation.strip_prefix("String length: inclusive between") {
        field.max_length = range.rsplit(' ').next().and_then(|n| n.trim().parse().ok());
    } else if let Some(value) = annotation.strip_prefix("Default value is") {
        field.default = Some(serde_yaml::Value::String(value.trim().to_owned()));
    } else {
        draft.skip(format!("{path}: `{annotation}`"), "the spec has no key for this constraint", line);
    }
}

/// The "Request Formats"/"Response Formats" section: media type lines, each followed by `Sample:`
/// and the sample text (or "Sample not available.").
fn read_formats(lines: &[Line]) -> Vec<FormatSample> {
    let mut formats: Vec<FormatSample> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = &lines[index];
        let is_media = line.text.split(',').all(|m| {
            let m = m.trim();
            m.contains('/') && !m.contains(' ') && !m.starts_with('<') && !m.starts_with('{')
        });
        if is_media && lines.get(index + 1).is_some_and(|l| l.text == "Sample:") {
            formats.push(FormatSample {
                media_types: line.text.split(',').map(|m| m.trim().to_owned()).collect(),
                text: None,
                line: line.number,
            });
            index += 2;
            continue;
        }
        if let Some(format) = formats.last_mut() {
            if !line.text.starts_with("Sample not available") && !line.text.starts_with("Failed to generate") {
                let text = format.text.get_or_insert_with(String::new);
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&line.text);
            }
        }
        index += 1;
    }
    formats
}

/// Help page type names (ASP.NET's `ModelNameHelper` and sample docs) → spec type expressions.
fn map_type(name: &str, path: &str, line: usize, draft: &mut Draft) -> String {
    let name = name.trim();
    if let Some(item) = name.strip_prefix("Collection of ") {
        return format!("list<{}>", map_type(item, path, line, draft));
    }
    if let Some(rest) = name.strip_prefix("Dictionary of ") {
        if let Some((key, value)) = rest.split_once(" [key] and ") {
            if key.trim() != "string" {
                draft.infer(path, "type", format!("dictionary key `{key}` carried as a JSON object key (text)"), line);
            }
            return format!("map<{}>", map_type(value.trim_end_matches("[value]").trim(), path, line, draft));
        }
    }
    let (ty, inferred) = match name {
        "globally unique identifier" => ("uuid", None),
        "string" | "URI" | "character" => ("string", None),
        "boolean" => ("bool", None),
        // ASP.NET prints both DateTime and DateTimeOffset as "date".
        "date" => ("datetime", None),
        "integer" => ("int64", Some("the page says \"integer\" (Int16, Int32 or Int64); int64 holds all")),
        "unsigned integer" => ("int64", Some("the page says \"unsigned integer\"; int64 assumed")),
        "byte" | "signed byte" => ("int32", None),
        "decimal number" => ("decimal", Some("the page says \"decimal number\" (Single, Double or Decimal)")),
        "time interval" => ("string", Some("a TimeSpan, carried as its text form")),
        "Object" | "object" => ("json", None),
        other => {
            if other.chars().all(|c| c.is_alphanumeric() || c == '_') && !other.is_empty() {
                return other.to_owned();
            }
            draft.infer(path, "type", format!("unknown help page type `{other}`; carried as text"), line);
            return "string".to_owned();
        }
    };
    if let Some(reason) = inferred {
        draft.infer(path, "type", reason, line);
    }
    ty.to_owned()
}

fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "string"
            | "int32"
            | "int64"
            | "float"
            | "double"
            | "decimal"
            | "bool"
            | "date"
            | "datetime"
            | "uuid"
            | "json"
            | "etag"
            | "secret"
    )
}

fn base_name(ty: &str) -> &str {
    let mut ty = ty;
    while let Some(inner) = ty.strip_prefix("list<").or_else(|| ty.strip_prefix("map<")) {
        ty = inner.strip_suffix('>').unwrap_or(inner);
    }
    ty
}

/// Types the tables name but do not describe, read from the samples.
#[derive(Default)]
struct SampleTypes {
    types: Vec<(TypeSpec, usize, String)>,
}

impl SampleTypes {
    fn known(&self, name: &str, tables: &[(ObjectSpec, usize)]) -> bool {
        tables.iter().any(|(o, _)| o.name == name) || self.types.iter().any(|(t, _, _)| t.name() == name)
    }

    /// Walks type `ty` with its JSON sample (and XML sample, for enum names), defining every
    /// referenced type that neither a table nor an earlier sample defined.
    fn walk(&mut self, ty: &str, json: Option<&str>, xml: Option<&str>, tables: &[(ObjectSpec, usize)], line: usize) {
        let Some(json) = json.and_then(|text| Json::parse(text).ok()) else { return };
        let xml_text = xml.unwrap_or_default();
        let xml_doc = roxmltree::Document::parse(xml_text).ok();
        let xml_root = xml_doc.as_ref().map(|doc| doc.root_element());
        self.walk_value(ty, &json, xml_root, tables, line);
    }

    fn walk_value(
        &mut self,
        ty: &str,
        json: &Json,
        xml: Option<roxmltree::Node>,
        tables: &[(ObjectSpec, usize)],
        line: usize,
    ) {
        let name = base_name(ty).to_owned();
        let json = match (ty.starts_with("list<"), json) {
            (true, Json::Array(items)) => match items.first() {
                Some(first) => first,
                None => return,
            },
            _ => json,
        };
        if is_builtin(&name) {
            return;
        }
        let fields: Vec<FieldSpec> = match tables.iter().find(|(o, _)| o.name == name) {
            Some((object, _)) => object.fields.clone(),
            None => match self.types.iter().find(|(t, _, _)| t.name() == name) {
                Some((TypeSpec::Object(object), _, _)) => object.fields.clone(),
                Some(_) => return,
                None => {
                    let Some(defined) = self.define(&name, json, xml, tables, line) else { return };
                    defined
                }
            },
        };
        let Json::Object(members) = json else { return };
        for field in fields {
            if let Some(value) = members.iter().find(|(key, _)| *key == field.name).map(|(_, v)| v) {
                let child = xml.and_then(|node| node.children().find(|c| c.tag_name().name() == field.name));
                self.walk_value(&field.ty, value, child, tables, line);
            }
        }
    }

    /// Defines `name` from its sample; returns the fields of an object to walk further.
    fn define(
        &mut self,
        name: &str,
        json: &Json,
        xml: Option<roxmltree::Node>,
        tables: &[(ObjectSpec, usize)],
        line: usize,
    ) -> Option<Vec<FieldSpec>> {
        match json {
            Json::Object(members) => {
                let mut fields = Vec::new();
                for (key, value) in members {
                    let ty = match value {
                        Json::Object(_) => self.nested_name(key, tables),
                        Json::Array(items) => match items.first() {
                            Some(Json::Object(_)) => format!("list<{}>", self.nested_name(key, tables)),
                            Some(item) => format!("list<{}>", scalar_type(item)),
                            None => "list<json>".to_owned(),
                        },
                        scalar => scalar_type(scalar).to_owned(),
                    };
                    fields.push(plain_field(key, ty));
                }
                let spec = object(name, None, fields.clone());
                self.types.push((
                    TypeSpec::Object(spec),
                    line,
                    format!("`{name}` is not described; its fields are read from the JSON sample"),
                ));
                Some(fields)
            }
            Json::Integer(number) => {
                let member = xml.and_then(|node| node.text()).map(str::trim).filter(|text| !text.is_empty());
                let member_name = member.map_or_else(|| format!("Value{number}"), str::to_owned);
                self.types.push((
                    TypeSpec::Enum(EnumSpec {
                        name: name.to_owned(),
                        renamed_from: None,
                        description: None,
                        repr: EnumRepr::Integer,
                        open: true,
                        origin: None,
                        inferred: Vec::new(),
                        members: vec![MemberSpec {
                            name: member_name.to_upper_camel_case(),
                            value: serde_yaml::Value::Number((*number).into()),
                            description: member.map(str::to_owned),
                            deprecated: Deprecation::No,
                            origin: None,
                            inferred: Vec::new(),
                        }],
                    }),
                    line,
                    format!("`{name}` is not described: an open integer enum with the one member its JSON and XML samples show"),
                ));
                None
            }
            Json::String(value) if !value.starts_with("sample string") => {
                self.types.push((
                    TypeSpec::Enum(EnumSpec {
                        name: name.to_owned(),
                        renamed_from: None,
                        description: None,
                        repr: EnumRepr::String,
                        open: true,
                        origin: None,
                        inferred: Vec::new(),
                        members: vec![MemberSpec {
                            name: value.to_upper_camel_case(),
                            value: serde_yaml::Value::String(value.clone()),
                            description: None,
                            deprecated: Deprecation::No,
                            origin: None,
                            inferred: Vec::new(),
                        }],
                    }),
                    line,
                    format!("`{name}` is not described: an open string enum with the one member its sample shows"),
                ));
                None
            }
            _ => None,
        }
    }

    /// A nested sample object is named after its member; the name is recorded as inferred.
    fn nested_name(&self, key: &str, tables: &[(ObjectSpec, usize)]) -> String {
        let base = key.to_upper_camel_case();
        let mut candidate = base.clone();
        let mut counter = 2;
        while self.known(&candidate, tables) {
            candidate = format!("{base}{counter}");
            counter += 1;
        }
        candidate
    }
}

/// The spec type a sample value shows: GUIDs and ISO date-times by their shape.
fn scalar_type(value: &Json) -> &'static str {
    match value {
        Json::Bool(_) => "bool",
        Json::Integer(_) => "int64",
        Json::Float(_) => "double",
        Json::String(text) if is_guid(text) => "uuid",
        Json::String(text) if is_datetime(text) => "datetime",
        _ => "string",
    }
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_datetime(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 19
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[13] == b':'
}

fn plain_field(name: &str, ty: String) -> FieldSpec {
    FieldSpec { name: name.to_owned(), ty, ..FieldSpec::default() }
}

fn object(name: &str, description: Option<String>, fields: Vec<FieldSpec>) -> ObjectSpec {
    ObjectSpec { name: name.to_owned(), description, fields, ..ObjectSpec::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../../../shared/seeds/003_3a9666a00f76448a.txt");

    #[test]
    fn reads_the_seed_operation() {
        let draft = parse("003.txt", SEED).unwrap();
        let op = &draft.operations[0];
        assert_eq!(op.id, "admin_tasks_create_account_task");
        assert_eq!(op.path.as_deref(), Some("/api/v2/admin/tasks/account"));
        assert_eq!(op.summary.as_deref(), Some("Creates a new task for the account."));
        let body = op.body.as_ref().unwrap();
        assert_eq!((body.ty.as_str(), body.content_type.as_str()), ("AccountTaskRequest", "application/json"));
        assert_eq!(op.responses[0].ty.as_deref(), Some("ResponseOfAccountTaskResponse"));
        let names: Vec<&str> = draft.types.iter().map(TypeSpec::name).collect();
        assert_eq!(
            names,
            [
                "AccountTaskRequest",
                "Detail",
                "Error",
                "Frequency",
                "Identification",
                "ResponseDataOfAccountTaskResponse",
                "ResponseOfAccountTaskResponse",
                "TaskNotification"
            ]
        );
    }

    #[test]
    fn table_rows_keep_types_and_annotations() {
        let draft = parse("003.txt", SEED).unwrap();
        let TypeSpec::Object(request) = &draft.types[0] else { panic!() };
        let summary: Vec<(&str, &str, bool)> =
            request.fields.iter().map(|f| (f.name.as_str(), f.ty.as_str(), f.required)).collect();
        assert_eq!(
            summary,
            [
                ("TaskID", "uuid", true),
                ("Frequency", "Frequency", true),
                ("StartDate", "datetime", false),
                ("FinishDate", "datetime", false),
                ("Parameters", "string", true),
                ("ContentType", "string", true),
                ("Notification", "TaskNotification", false)
            ]
        );
        assert_eq!(
            request.fields[5].description.as_deref(),
            Some("The format the parameters are in. Must either be application/xml or application/json.")
        );
    }

    #[test]
    fn enums_come_from_the_json_and_xml_samples() {
        let draft = parse("003.txt", SEED).unwrap();
        let Some(TypeSpec::Enum(frequency)) = draft.types.iter().find(|t| t.name() == "Frequency") else { panic!() };
        assert_eq!(frequency.repr, EnumRepr::Integer);
        assert!(frequency.open);
        assert_eq!(frequency.members[0].name, "None");
        assert_eq!(frequency.members[0].value, serde_yaml::Value::Number(0.into()));
        assert_eq!(frequency.members[0].description.as_deref(), Some("NONE"));
        assert!(draft.inferred.iter().any(|i| i.path == "types[Frequency]"));
    }

    #[test]
    fn envelope_types_come_from_the_response_sample() {
        let draft = parse("003.txt", SEED).unwrap();
        let Some(TypeSpec::Object(detail)) = draft.types.iter().find(|t| t.name() == "Detail") else { panic!() };
        let types: Vec<&str> = detail.fields.iter().map(|f| f.ty.as_str()).collect();
        assert_eq!(&types[..5], ["uuid", "uuid", "string", "bool", "string"]);
        assert_eq!(detail.fields.len(), 17);
        let Some(TypeSpec::Object(error)) = draft.types.iter().find(|t| t.name() == "Error") else { panic!() };
        assert_eq!(error.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["ErrorCode", "ErrorReason"]);
    }

    #[test]
    fn a_page_that_is_not_a_help_page_is_an_error_with_its_line() {
        let error = parse("x.txt", "\n\nHello world\n").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("x.txt:3:1"), "{text}");
        assert!(text.contains("METHOD path"), "{text}");
    }

    #[test]
    fn a_row_without_its_annotation_names_its_line() {
        let page = "GET api/x\nRequest Information\nURI Parameters\nName | Description | Type | Additional information |\n---|---|---|---|\nid |\nThe id |\nstring |\nResponse Information\nResource Description\nNone.\n";
        let text = parse("p.txt", page).unwrap_err().to_string();
        assert!(text.contains("p.txt:6:1"), "{text}");
    }

    #[test]
    fn uri_parameters_go_in_the_path_or_the_query() {
        let page = "POST api/v1/admin/tasks/account/run?id={id}\nAllows the task to be run immediately.\nRequest Information\nURI Parameters\nName | Description | Type | Additional information |\n---|---|---|---|\nid |\nThe task. |\nglobally unique identifier |\nRequired |\nBody Parameters\nNone.\nResponse Information\nResource Description\nNone.\n";
        let draft = parse("p.txt", page).unwrap();
        let op = &draft.operations[0];
        assert_eq!(op.path.as_deref(), Some("/api/v1/admin/tasks/account/run"));
        assert_eq!(op.params[0].location, ParamLocation::Query);
        assert!(op.params[0].required);
        assert!(op.body.is_none());
        assert_eq!(op.responses[0].status, 204);
    }
}
