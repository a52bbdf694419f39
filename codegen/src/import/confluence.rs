//! Format 3: Confluence operation pages of the Projector PSA kind (seed 004), as text or HTML.
//!
//! A page describes one SOAP operation: an Overview, a "Request Elements" and a "Response
//! Elements" table, usage examples (code blocks) and a "Common Errors and Warnings" table. The
//! request and response become the objects `<Operation>Rq`/`<Operation>Rs`, the error table an open
//! integer enum. What such a page never states — the SOAP namespaces, the SOAPAction, the endpoint,
//! that the table order is the serialized element order, a type a link lost — is filled in and
//! marked inferred (`endpoint_path_confirmed: false`, `action_confirmed: false`, `inferred:` keys),
//! unless a request sample in a code block shows the namespaces.

use std::collections::BTreeMap;

use heck::ToSnakeCase;

use super::draft::{clip, error_at, first_sentence, merge, service_shell, Draft, Sample};
use super::{Document, Facts, Format, Imported, Report};
use crate::diagnostics::Diagnostics;
use crate::spec::{
    Deprecation, EnumRepr, EnumSpec, FieldSpec, MemberSpec, ObjectSpec, OperationSpec, Protocol, SoapOperationSpec,
    SoapSpec, TypeSpec,
};

/// The prefix and URI used when a page states no namespace: WCF's default service namespace.
const DEFAULT_PREFIX: &str = "tns";
const DEFAULT_NAMESPACE: &str = "http://tempuri.org/";
/// The name of the enum the error tables fill (Projector's `PwsMessage.ErrorNumber`).
pub const ERROR_ENUM: &str = "PwsErrorNumber";

const HEADINGS: &[&str] = &[
    "Overview",
    "Request Format",
    "Request Elements",
    "Request Usage Example(s)",
    "Response Format",
    "Response Elements",
    "Response Usage Example(s)",
    "Common Errors and Warnings",
];

/// Projector's common request and response elements, with the types their shared page gives;
/// used when an operation page's table lost the type (it is a link to that page).
const COMMON_ELEMENTS: &[(&str, &str)] = &[
    ("RequestId", "int32"),
    ("SessionTicket", "secret"),
    ("Messages", "list<PwsMessage>"),
    ("ResponseId", "int32"),
    ("Status", "RequestStatus"),
    ("ServerTimestampUtc", "datetime"),
];

/// The format's registry entry.
pub struct ConfluenceProjector;

impl Format for ConfluenceProjector {
    fn name(&self) -> &'static str {
        "confluence-projector"
    }

    fn summary(&self) -> &'static str {
        "Confluence SOAP operation pages of the Projector PSA kind: element tables, error codes, samples"
    }

    fn import(&self, docs: &[Document], _facts: &Facts, service: &str) -> Imported {
        let mut spec = service_shell(service, Protocol::Soap);
        let mut report = Report::default();
        let mut problems = Diagnostics::default();
        let mut errors: Option<EnumSpec> = None;
        let mut soap: Option<SoapSpec> = None;
        for doc in docs {
            match parse_document(doc, service) {
                Ok(mut draft) => {
                    report.documents.push(doc.path.clone());
                    draft.annotate(doc, &mut report);
                    // Every page's error table adds to the one error-number enum.
                    if let Some(index) = draft.types.iter().position(|t| t.name() == ERROR_ENUM) {
                        let TypeSpec::Enum(page_errors) = draft.types.remove(index) else { unreachable!() };
                        match &mut errors {
                            None => errors = Some(page_errors),
                            Some(all) => {
                                for member in page_errors.members {
                                    if !all.members.iter().any(|known| known.value == member.value) {
                                        all.members.push(member);
                                    }
                                }
                            }
                        }
                    }
                    if soap.is_none() || draft.soap.as_ref().is_some_and(|s| s.operation_namespace != DEFAULT_PREFIX) {
                        soap = draft.soap.take().or(soap);
                    }
                    merge(&mut spec, draft, doc, &mut report);
                }
                Err(diagnostics) => problems.0.extend(diagnostics.0),
            }
        }
        if let Some(errors) = errors {
            spec.types.push(TypeSpec::Enum(errors));
        }
        spec.soap = soap;
        Imported { spec, report, problems }
    }
}

/// Reads one page (text or HTML).
pub fn parse_document(doc: &Document, service: &str) -> Result<Draft, Diagnostics> {
    let lines: Vec<(usize, String)> = if super::aspnet_help::looks_like_html(&doc.text) {
        super::html_text::to_rows(&doc.text)
    } else {
        doc.text
            .lines()
            .enumerate()
            .map(|(index, line)| (index + 1, line.trim().to_owned()))
            .filter(|(_, line)| !line.is_empty())
            .collect()
    };
    parse_lines(doc, service, &lines)
}

/// Numbered lines of a section.
type Lines = Vec<(usize, String)>;

/// A row of an element table, cells classified by what they hold (the text form loses the
/// positions of empty cells, so position alone cannot say which column a cell is).
#[derive(Debug, Default, Clone)]
struct Element {
    name: String,
    ty: Option<String>,
    required: Option<String>,
    default: Option<String>,
    description: Option<String>,
    sample: Option<String>,
    line: usize,
}

fn parse_lines(doc: &Document, service: &str, lines: &[(usize, String)]) -> Result<Draft, Diagnostics> {
    let file = doc.path.as_str();
    let mut diagnostics = Diagnostics::default();
    let mut draft = Draft::default();
    let Some((first_line, first)) = lines.first() else {
        diagnostics.push(error_at(file, 1, "the page is empty", "expected a Confluence operation page"));
        return Err(diagnostics);
    };

    // Sections by heading; a first line that is no heading is the page title (the operation).
    let mut sections: BTreeMap<&str, (usize, Lines)> = BTreeMap::new();
    let mut title = None;
    let mut current = None;
    for (index, (number, text)) in lines.iter().enumerate() {
        if let Some(heading) = HEADINGS.iter().find(|h| **h == text) {
            current = Some(*heading);
            sections.entry(heading).or_insert((*number, Vec::new()));
            continue;
        }
        match current {
            Some(heading) => sections.get_mut(heading).expect("entered above").1.push((*number, text.clone())),
            None if index == 0 => title = Some((*number, text.clone())),
            None => {}
        }
    }
    if !sections.contains_key("Request Elements") && !sections.contains_key("Response Elements") {
        diagnostics.push(error_at(
            file,
            *first_line,
            format!("no `Request Elements` or `Response Elements` section (the page starts `{}`)", clip(first)),
            "is this a Confluence operation page of the Projector kind?",
        ));
        return Err(diagnostics);
    }
    let section = |name: &str| sections.get(name).map(|(_, body)| body.as_slice()).unwrap_or(&[]);

    // The operation's name: the title, else the file name when it is one.
    let stem = doc.name().split('.').next().unwrap_or_default();
    let (operation, named_by) = match &title {
        Some((line, title)) if is_identifier(title) => (title.clone(), Some(*line)),
        _ if is_identifier(stem) && stem.starts_with(|c: char| c.is_ascii_uppercase()) => (stem.to_owned(), None),
        _ => ("UnnamedOperation".to_owned(), None),
    };
    let title_line = named_by.unwrap_or(*first_line);
    let short = operation.strip_prefix("Pws").filter(|rest| !rest.is_empty()).unwrap_or(&operation);
    let group = service.to_snake_case();
    let name = short.to_snake_case();
    let id = format!("{group}_{name}");
    let op_path = format!("operations[{id}]");
    draft.source(&op_path, title_line);
    for key in ["id", "group"] {
        draft.infer(&op_path, key, "the page names no API group", title_line);
    }
    if named_by.is_none() {
        draft.infer(
            &op_path,
            "soap",
            if operation == "UnnamedOperation" {
                "the page text has no title and its file name is no operation name".to_owned()
            } else {
                format!("the operation name is the file name `{stem}`")
            },
            title_line,
        );
    }

    let overview: Vec<&str> = section("Overview").iter().map(|(_, text)| text.as_str()).collect();
    let description = (!overview.is_empty()).then(|| clean(&overview.join("\n")));
    let summary = description.as_deref().map(first_sentence);

    let request_name = format!("{operation}Rq");
    let response_name = format!("{operation}Rs");
    let mut soap_facts = SoapFacts::default();
    read_samples(&operation, &id, section("Request Usage Example(s)"), "request", &mut draft, &mut soap_facts);
    read_samples(&operation, &id, section("Response Usage Example(s)"), "response", &mut draft, &mut soap_facts);

    for (heading, type_name) in [("Request Elements", &request_name), ("Response Elements", &response_name)] {
        let Some((heading_line, body)) = sections.get(heading) else {
            draft.skip(format!("section `{heading}`"), "the page has none; the type has no fields", *first_line);
            continue;
        };
        let elements = read_table(file, body, &mut diagnostics);
        let type_path = format!("types[{type_name}]");
        draft.source(&type_path, *heading_line);
        draft.infer(
            &type_path,
            "name",
            "the page names no request or response type; Projector's `<Operation>Rq`/`Rs`",
            *heading_line,
        );
        draft.infer(
            &type_path,
            "fields",
            "element order: the table's order (the page does not state the serialized order)",
            *heading_line,
        );
        let mut fields = Vec::new();
        for element in elements {
            let field_path = format!("{type_path}.fields[{}]", element.name);
            draft.source(&field_path, element.line);
            fields.push(field(&element, &field_path, &soap_facts, &mut draft));
        }
        let (prefix, namespace_read) = soap_facts.namespace_of_children(heading == "Request Elements");
        if !namespace_read {
            draft.infer(&type_path, "xml_namespace", "the page states no namespace", *heading_line);
        }
        draft.types.push(TypeSpec::Object(ObjectSpec {
            name: type_name.clone(),
            xml_namespace: Some(prefix),
            fields,
            ..ObjectSpec::default()
        }));
    }

    if let Some((heading_line, body)) = sections.get("Common Errors and Warnings") {
        let members = read_errors(file, body, &mut draft, &mut diagnostics);
        if !members.is_empty() {
            let type_path = format!("types[{ERROR_ENUM}]");
            draft.source(&type_path, *heading_line);
            draft.infer(&type_path, "name", "the page names no type for its error numbers", *heading_line);
            draft.infer(&type_path, "open", "the page lists common errors only", *heading_line);
            for member in &members {
                draft.source(format!("{type_path}.members[{}]", member.member.name), member.origin_line);
            }
            draft.types.push(TypeSpec::Enum(EnumSpec {
                name: ERROR_ENUM.to_owned(),
                renamed_from: None,
                description: None,
                repr: EnumRepr::Integer,
                open: true,
                members: members.into_iter().map(|m| m.member).collect(),
                origin: None,
                inferred: Vec::new(),
            }));
        }
    }

    draft.operations.push(OperationSpec {
        id,
        group,
        name: Some(name),
        source_id: Some(operation.clone()),
        renamed_from: None,
        method: None,
        path: None,
        summary,
        description,
        deprecated: Deprecation::No,
        params: Vec::new(),
        body: None,
        responses: Vec::new(),
        errors: Vec::new(),
        soap: Some(SoapOperationSpec {
            operation,
            request_element: "serviceRequest".to_owned(),
            request: request_name,
            response: response_name,
        }),
        pagination: None,
        idempotent: false,
        origin: None,
        inferred: Vec::new(),
    });
    draft.soap = Some(soap_facts.binding(&mut draft, title_line));
    diagnostics.finish(draft)
}

/// Namespaces a sample shows: the wrapper's, and each element's inside request and response.
#[derive(Default)]
struct SoapFacts {
    /// prefix → URI, from the samples (prefixes as the samples spell them).
    namespaces: BTreeMap<String, String>,
    operation_prefix: Option<String>,
    request_children: BTreeMap<String, String>,
    response_children: BTreeMap<String, String>,
}

impl SoapFacts {
    fn prefix_of(&mut self, uri: &str, suggested: Option<&str>) -> String {
        if let Some((prefix, _)) = self.namespaces.iter().find(|(_, known)| *known == uri) {
            return prefix.clone();
        }
        let base = suggested.filter(|p| !p.is_empty()).unwrap_or("ns").to_owned();
        let mut prefix = base.clone();
        let mut counter = 1;
        while self.namespaces.contains_key(&prefix) {
            prefix = format!("{base}{counter}");
            counter += 1;
        }
        self.namespaces.insert(prefix.clone(), uri.to_owned());
        prefix
    }

    /// The prefix most children of the request (or response) use, and whether a sample showed it.
    fn namespace_of_children(&self, request: bool) -> (String, bool) {
        let children = if request { &self.request_children } else { &self.response_children };
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for prefix in children.values() {
            *counts.entry(prefix).or_default() += 1;
        }
        match counts.into_iter().max_by_key(|(_, count)| *count) {
            Some((prefix, _)) => (prefix.to_owned(), true),
            None => (self.operation_prefix.clone().unwrap_or_else(|| DEFAULT_PREFIX.to_owned()), false),
        }
    }

    fn binding(&self, draft: &mut Draft, line: usize) -> SoapSpec {
        let (operation_namespace, mut namespaces) = match &self.operation_prefix {
            Some(prefix) => (prefix.clone(), self.namespaces.clone()),
            None => {
                draft.skip(
                    "SOAP namespace of the operation",
                    format!("not stated by the page: `{DEFAULT_PREFIX}` = {DEFAULT_NAMESPACE} (WCF's default) is assumed; correct it in the overlay"),
                    line,
                );
                (DEFAULT_PREFIX.to_owned(), BTreeMap::new())
            }
        };
        namespaces.entry(DEFAULT_PREFIX.to_owned()).or_insert_with(|| DEFAULT_NAMESPACE.to_owned());
        draft.skip(
            "SOAP endpoint and SOAPAction",
            "not stated by the page: marked unconfirmed (`endpoint_path_confirmed: false`, `action_confirmed: false`)",
            line,
        );
        SoapSpec {
            endpoint_path: "/".to_owned(),
            endpoint_path_confirmed: false,
            action: format!("{}{{operation}}", namespaces[&operation_namespace]),
            action_confirmed: false,
            operation_namespace,
            namespaces,
            session: None,
        }
    }
}

/// Code blocks: an XML envelope is kept as a sample and its namespaces are read; anything else
/// (the text export keeps only the block's frame) is reported.
fn read_samples(
    operation: &str,
    id: &str,
    lines: &[(usize, String)],
    direction: &'static str,
    draft: &mut Draft,
    facts: &mut SoapFacts,
) {
    let Some(start) = lines.iter().position(|(_, text)| text.starts_with('<') && text.len() > 2) else {
        if let Some((line, _)) = lines.first() {
            draft.skip(format!("{direction} usage example"), "the code block holds no sample text", *line);
        }
        return;
    };
    let text: String = lines[start..].iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n");
    let line = lines[start].0;
    let Ok(xml) = roxmltree::Document::parse(&text) else {
        draft.skip(format!("{direction} usage example"), "the sample is not well-formed XML", line);
        return;
    };
    draft.samples.push(Sample {
        operation: id.to_owned(),
        direction,
        media_type: "text/xml".to_owned(),
        text: text.clone(),
        line,
    });
    let wrapper_name = if direction == "request" { operation.to_owned() } else { format!("{operation}Result") };
    let Some(wrapper) = xml.descendants().find(|n| n.is_element() && n.tag_name().name() == wrapper_name) else {
        return;
    };
    let suggested = |node: roxmltree::Node, uri: &str| node.lookup_prefix(uri).map(str::to_owned);
    if direction == "request" {
        if let Some(uri) = wrapper.tag_name().namespace() {
            let prefix = facts.prefix_of(uri, suggested(wrapper, uri).as_deref());
            facts.operation_prefix = Some(prefix);
        }
    }
    let holder =
        if direction == "request" { wrapper.children().find(|n| n.is_element()).unwrap_or(wrapper) } else { wrapper };
    for child in holder.children().filter(|n| n.is_element()) {
        if let Some(uri) = child.tag_name().namespace() {
            let prefix = facts.prefix_of(uri, suggested(child, uri).as_deref());
            let map = if direction == "request" { &mut facts.request_children } else { &mut facts.response_children };
            map.insert(child.tag_name().name().to_owned(), prefix);
        }
    }
}

fn read_table(file: &str, lines: &[(usize, String)], diagnostics: &mut Diagnostics) -> Vec<Element> {
    let mut header: Option<Vec<String>> = None;
    let mut elements = Vec::new();
    for (number, text) in lines {
        if text.starts_with("---") {
            continue;
        }
        let mut cells: Vec<String> = text.split('|').map(|c| c.trim().to_owned()).collect();
        if text.ends_with('|') {
            cells.pop();
        }
        let Some(columns) = &header else {
            if cells.first().is_some_and(|c| c == "Element") {
                header = Some(cells);
            }
            continue;
        };
        let name = cells.first().cloned().unwrap_or_default();
        if name.is_empty() {
            continue;
        }
        if !is_identifier(&name) {
            diagnostics.push(error_at(
                file,
                *number,
                format!("`{}` is not an element name", clip(&name)),
                "each row of an element table starts with the element's name",
            ));
            continue;
        }
        let has = |column: &str| columns.iter().any(|c| c.starts_with(column));
        let mut element = Element { name, line: *number, ..Element::default() };
        // A row whose empty cells come before a filled one kept its columns (the HTML always does);
        // the text export moves empty cells to the end, so its cells are classified instead.
        let last_filled = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
        let positional = cells.len() == columns.len() && cells[..last_filled].iter().any(String::is_empty);
        if positional {
            for (column, cell) in columns.iter().zip(&cells).skip(1).filter(|(_, c)| !c.is_empty()) {
                let slot = match column.as_str() {
                    c if c.contains("Type") => &mut element.ty,
                    c if c.starts_with("Required") => &mut element.required,
                    c if c.starts_with("Default") => &mut element.default,
                    c if c.starts_with("Sample") => &mut element.sample,
                    _ => &mut element.description,
                };
                *slot = Some(cell.clone());
            }
            elements.push(element);
            continue;
        }
        for (position, cell) in cells.iter().enumerate().skip(1).filter(|(_, c)| !c.is_empty()) {
            if position == 1 && element.ty.is_none() && is_type(cell) {
                element.ty = Some(cell.clone());
            } else if has("Required") && element.required.is_none() && is_required(cell) {
                element.required = Some(cell.clone());
            } else if is_literal(cell) && has("Default") && element.default.is_none() {
                element.default = Some(cell.clone());
            } else if is_literal(cell) && has("Sample") && element.sample.is_none() && element.description.is_some() {
                element.sample = Some(cell.clone());
            } else if element.description.is_none() {
                element.description = Some(cell.clone());
            } else if element.sample.is_none() && has("Sample") {
                element.sample = Some(cell.clone());
            } else {
                let description = element.description.get_or_insert_with(String::new);
                description.push(' ');
                description.push_str(cell);
            }
        }
        elements.push(element);
    }
    if header.is_none() {
        let line = lines.first().map_or(1, |(number, _)| *number);
        diagnostics.push(error_at(file, line, "an element section without its `Element | ...` table header", ""));
    }
    elements
}

fn field(element: &Element, path: &str, facts: &SoapFacts, draft: &mut Draft) -> FieldSpec {
    let common = COMMON_ELEMENTS.iter().find(|(name, _)| *name == element.name).map(|(_, ty)| *ty);
    let (ty, max_length) = match (&element.ty, common) {
        (Some(ty), _) => map_type(ty),
        (None, Some(common)) => {
            draft.infer(path, "type", "the page shows no type; the common element's type", element.line);
            (common.to_owned(), None)
        }
        (None, None) => {
            draft.infer(path, "type", "the page shows no type (its link was lost); carried as text", element.line);
            ("string".to_owned(), None)
        }
    };
    let lower = element.name.to_lowercase();
    let ty = if ty == "string" && (lower.contains("password") || lower.ends_with("ticket")) {
        draft.infer(path, "type", "a credential by its name: kept out of Debug output", element.line);
        "secret".to_owned()
    } else {
        ty
    };
    let required = element.required.as_deref().is_some_and(|r| r.eq_ignore_ascii_case("yes") || r == "Required");
    let description = element.description.as_deref().map(clean).filter(|d| !d.is_empty());
    let deprecated = match description.as_deref() {
        Some(d) if d.to_lowercase().starts_with("deprecated") => Deprecation::Reason(d.to_owned()),
        _ => Deprecation::No,
    };
    let default = element.default.as_deref().map(|value| match value {
        "true" => serde_yaml::Value::Bool(true),
        "false" => serde_yaml::Value::Bool(false),
        other => other.parse::<i64>().map_or_else(|_| serde_yaml::Value::String(other.to_owned()), |n| n.into()),
    });
    if let Some(sample) = &element.sample {
        draft.samples.push(Sample {
            operation: path.to_owned(),
            direction: "element",
            media_type: "text/plain".to_owned(),
            text: sample.clone(),
            line: element.line,
        });
    }
    let xml_namespace =
        facts.request_children.get(&element.name).or_else(|| facts.response_children.get(&element.name)).cloned();
    FieldSpec {
        name: element.name.clone(),
        ty,
        required,
        deprecated,
        description,
        xml_namespace,
        max_length,
        default,
        ..FieldSpec::default()
    }
}

struct ErrorMember {
    member: MemberSpec,
    origin_line: usize,
}

fn read_errors(
    file: &str,
    lines: &[(usize, String)],
    draft: &mut Draft,
    diagnostics: &mut Diagnostics,
) -> Vec<ErrorMember> {
    let mut members: Vec<ErrorMember> = Vec::new();
    let mut in_table = false;
    for (number, text) in lines {
        if text.starts_with("ErrorNumber") {
            in_table = true;
            continue;
        }
        if !in_table || text.starts_with("---") {
            continue;
        }
        if text == "..." || !text.contains('|') {
            draft.skip(format!("`{}`", clip(text)), "not a row of the error table", *number);
            continue;
        }
        let cells: Vec<&str> = text.split('|').map(str::trim).collect();
        let (Some(number_cell), Some(code)) = (cells.first(), cells.get(1)) else { continue };
        let Ok(value) = number_cell.parse::<i64>() else {
            diagnostics.push(error_at(
                file,
                *number,
                format!("the error number `{}` is not an integer", clip(number_cell)),
                "rows of the error table are `ErrorNumber | ErrorCode | ErrorText |`",
            ));
            continue;
        };
        if members.iter().any(|m| m.member.value == value) {
            draft.skip(format!("error {value}"), "listed twice; the first row is kept", *number);
            continue;
        }
        let text = cells.get(2).map(|t| clean(t)).filter(|t| !t.is_empty());
        members.push(ErrorMember {
            member: MemberSpec {
                name: (*code).to_owned(),
                value: value.into(),
                description: text,
                deprecated: Deprecation::No,
                origin: None,
                inferred: Vec::new(),
            },
            origin_line: *number,
        });
    }
    members
}

/// Confluence type names → spec types; `String (50)` carries a maximum length, `X[]` and
/// `X[1.100]` are lists.
fn map_type(text: &str) -> (String, Option<u32>) {
    let text = strip_blocked(text);
    let (base, max_length) = match text.split_once('(') {
        Some((base, rest)) => (base.trim(), rest.trim_end_matches(')').trim().parse().ok()),
        None => (text.trim(), None),
    };
    if let Some(open) = base.find('[') {
        let (item, _) = map_type(&base[..open]);
        return (format!("list<{item}>"), max_length);
    }
    let ty = match base {
        "String" | "string" | "Char" => "string",
        "Int32" | "Int16" | "Byte" | "SByte" | "UInt16" | "int" => "int32",
        "Int64" | "UInt32" | "long" => "int64",
        "Boolean" | "bool" => "bool",
        "DateTime" | "DateTimeOffset" => "datetime",
        "Double" => "double",
        "Single" | "Float" => "float",
        "Decimal" => "decimal",
        "Guid" => "uuid",
        other => return (other.to_owned(), max_length),
    };
    (ty.to_owned(), max_length)
}

fn is_type(cell: &str) -> bool {
    let cell = strip_blocked(cell);
    let base = cell.split(['(', '[']).next().unwrap_or_default().trim();
    is_identifier(base) && base.starts_with(|c: char| c.is_ascii_uppercase()) && !base.contains(' ')
}

fn is_required(cell: &str) -> bool {
    let lower = cell.to_lowercase();
    lower == "yes" || lower == "no" || lower == "required" || lower == "optional" || lower.starts_with("on insert")
}

/// A short value without spaces: a default or a sample (`false`, `0`, `Ok`, a timestamp).
fn is_literal(cell: &str) -> bool {
    !cell.contains(' ') && cell.len() <= 40 && !cell.ends_with('.')
}

fn is_identifier(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic()) && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Drops Confluence's link-status marker (` (blocked by #36257)`).
fn strip_blocked(text: &str) -> String {
    let mut out = text.to_owned();
    while let Some(start) = out.find(" (blocked by #") {
        let end = out[start..].find(')').map_or(out.len(), |e| start + e + 1);
        out.replace_range(start..end, "");
    }
    out
}

/// A description without link stubs ("Click here for more information.") and link markers.
fn clean(text: &str) -> String {
    let mut out = strip_blocked(text);
    for stub in ["Click here for more information.", "Click here for more information"] {
        out = out.replace(stub, "");
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../../../shared/seeds/004_a406cfca6598ac55.txt");

    fn seed() -> Draft {
        parse_document(&Document::new("004.txt", SEED), "projector").unwrap()
    }

    fn object<'a>(draft: &'a Draft, name: &str) -> &'a ObjectSpec {
        match draft.types.iter().find(|t| t.name() == name) {
            Some(TypeSpec::Object(object)) => object,
            _ => panic!("no object {name}"),
        }
    }

    #[test]
    fn request_elements_keep_their_order_types_and_defaults() {
        let draft = seed();
        let request = object(&draft, "UnnamedOperationRq");
        let names: Vec<&str> = request.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names[..3], ["RequestId", "SessionTicket", "DescriptionClearFlag"]);
        assert_eq!(names.len(), 12);
        let steal = request.fields.iter().find(|f| f.name == "StealLockFlag").unwrap();
        assert_eq!((steal.ty.as_str(), steal.default.clone()), ("bool", Some(serde_yaml::Value::Bool(false))));
        assert!(steal.description.as_deref().unwrap().starts_with("If set to 'true'"));
        let ticket = &request.fields[1];
        assert_eq!(ticket.ty, "secret");
        assert_eq!(ticket.description, None, "the link stub is no description");
        let task = request.fields.iter().find(|f| f.name == "ProjectTask").unwrap();
        assert_eq!(task.ty, "PwsProjectTaskDetail");
        let identity = request.fields.iter().find(|f| f.name == "ProjectIdentity").unwrap();
        assert_eq!(identity.ty, "string");
        assert!(draft.inferred.iter().any(|i| i.path.ends_with("fields[ProjectIdentity]") && i.key == "type"));
    }

    #[test]
    fn response_elements_fill_common_types_and_keep_samples() {
        let draft = seed();
        let response = object(&draft, "UnnamedOperationRs");
        let summary: Vec<(&str, &str)> = response.fields.iter().map(|f| (f.name.as_str(), f.ty.as_str())).collect();
        assert_eq!(
            summary,
            [
                ("Messages", "list<PwsMessage>"),
                ("ResponseId", "int32"),
                ("Status", "RequestStatus"),
                ("ServerTimestampUtc", "datetime"),
                ("ProjectTaskIdentity", "string"),
                ("EngagementTimestamp", "string"),
                ("LockStolenFromUserIdentity", "string"),
            ]
        );
        assert_eq!(response.fields[0].description.as_deref(), Some("The web service response status and message."));
        let samples: Vec<&str> =
            draft.samples.iter().filter(|s| s.direction == "element").map(|s| s.text.as_str()).collect();
        assert_eq!(samples, ["0", "Ok", "2018-03-05T15:44:50.3461017Z"]);
    }

    #[test]
    fn error_table_is_an_open_integer_enum() {
        let draft = seed();
        let Some(TypeSpec::Enum(errors)) = draft.types.iter().find(|t| t.name() == ERROR_ENUM) else { panic!() };
        assert!(errors.open);
        let members: Vec<(&str, i64)> =
            errors.members.iter().map(|m| (m.name.as_str(), m.value.as_i64().unwrap())).collect();
        assert_eq!(
            members,
            [
                ("RequiredFieldMissing", 10111),
                ("ProjectTaskReferenceInvalid", 54205),
                ("PreviousSiblingNotChildOfParent", 54655),
                ("TaskPurchaseOrderSpecifiedWhenInheriting", 55066)
            ]
        );
    }

    #[test]
    fn unstated_soap_facts_are_unconfirmed() {
        let draft = seed();
        let soap = draft.soap.as_ref().unwrap();
        assert!(!soap.endpoint_path_confirmed && !soap.action_confirmed);
        assert_eq!(soap.operation_namespace, DEFAULT_PREFIX);
        assert!(draft.inferred.iter().any(|i| i.key == "xml_namespace"));
        assert!(draft.inferred.iter().any(|i| i.key == "soap"), "the page names no operation");
    }

    #[test]
    fn a_request_sample_states_the_namespaces() {
        let page = "PwsGetThing\nOverview\nGets a thing.\nRequest Elements\nElement | Data Type | Required? | Default | Description | Sample Data |\n---|---|---|---|---|---|\nSessionTicket | String | Yes | | | |\nThingCode | String (24) | Yes | | The code. | |\nRequest Usage Example(s)\n<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:pws=\"urn:pws\" xmlns:req=\"urn:req\" xmlns:sch=\"urn:sch\"><soapenv:Body><pws:PwsGetThing><pws:serviceRequest><req:SessionTicket>x</req:SessionTicket><sch:ThingCode>A</sch:ThingCode></pws:serviceRequest></pws:PwsGetThing></soapenv:Body></soapenv:Envelope>\n";
        let draft = parse_document(&Document::new("PwsGetThing.txt", page), "svc").unwrap();
        let soap = draft.soap.as_ref().unwrap();
        assert_eq!(soap.operation_namespace, "pws");
        assert_eq!(soap.namespaces["sch"], "urn:sch");
        let request = object(&draft, "PwsGetThingRq");
        assert_eq!(request.fields[0].xml_namespace.as_deref(), Some("req"));
        assert_eq!(request.fields[1].max_length, Some(24));
        assert!(request.fields[1].required);
        assert_eq!(draft.operations[0].id, "svc_get_thing");
        assert_eq!(draft.samples.iter().filter(|s| s.direction == "request").count(), 1);
    }

    #[test]
    fn a_page_without_element_tables_is_an_error_with_its_line() {
        let error = parse_document(&Document::new("p.txt", "\nHello\nworld\n"), "svc").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("p.txt:2:1"), "{text}");
    }

    #[test]
    fn a_bad_error_number_names_its_line() {
        let page = "Request Elements\nElement | Data Type |\n---|---|\nA | Int32 |\nCommon Errors and Warnings\nErrorNumber | ErrorCode | ErrorText |\n---|---|---|\nabc | X | y |\n";
        let text = parse_document(&Document::new("p.txt", page), "svc").unwrap_err().to_string();
        assert!(text.contains("p.txt:8:1") && text.contains("`abc`"), "{text}");
    }
}
