//! Property tests of formats 2-4: a random document in the format's grammar, rendered from a spec,
//! imports back as that spec; mutated seed documents never panic the importer.

use codegen::import::{self, Document, Facts};
use codegen::spec::{FieldSpec, ObjectSpec, OperationSpec, ServiceSpec, TypeSpec};
use proptest::prelude::*;
use proptest::sample::select;

use crate::common;

fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// A spec item from YAML, so defaults are filled in as a hand-written file would get them.
fn from_yaml<T: serde::de::DeserializeOwned>(yaml: &str) -> T {
    serde_yaml::from_str(yaml).unwrap_or_else(|error| panic!("{error}\n{yaml}"))
}

/// The spec without `origin`/`inferred`, which the expected spec does not state.
fn stripped(mut spec: ServiceSpec) -> ServiceSpec {
    spec.strip_provenance();
    spec
}

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec("[a-z]{2,8}", 2..6).prop_map(|words| {
        let mut text = words.join(" ");
        text[..1].make_ascii_uppercase();
        text.push('.');
        text
    })
}

fn distinct_names(pattern: &'static str, range: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::btree_set(pattern, range).prop_map(|set| set.into_iter().collect::<Vec<_>>()).prop_shuffle()
}

fn import_one(format: &str, name: &str, text: &str, service: &str) -> import::Imported {
    import::format(format).unwrap().import(&[Document::new(name, text)], &Facts::none(), service)
}

// ---------------------------------------------------------------- ASP.NET Web API help pages

/// Spec types the help page grammar can state, with their help page spelling.
const HELP_TYPES: &[(&str, &str)] = &[
    ("uuid", "globally unique identifier"),
    ("string", "string"),
    ("bool", "boolean"),
    ("datetime", "date"),
    ("int64", "integer"),
    ("decimal", "decimal number"),
    ("list<string>", "Collection of string"),
    ("map<string>", "Dictionary of string [key] and string [value]"),
];

#[derive(Debug, Clone)]
struct Row {
    name: String,
    ty: (String, String),
    required: bool,
    description: Option<String>,
}

fn rows(range: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Row>> {
    distinct_names("[A-Z][a-z]{2,7}", range).prop_flat_map(|names| {
        let count = names.len();
        (
            Just(names),
            prop::collection::vec(select(HELP_TYPES), count),
            prop::collection::vec(any::<bool>(), count),
            prop::collection::vec(prop::option::of(sentence()), count),
        )
            .prop_map(|(names, types, required, descriptions)| {
                names
                    .into_iter()
                    .zip(types)
                    .zip(required)
                    .zip(descriptions)
                    .map(|(((name, ty), required), description)| Row {
                        name,
                        ty: (ty.0.to_owned(), ty.1.to_owned()),
                        required,
                        description,
                    })
                    .collect()
            })
    })
}

#[derive(Debug, Clone)]
struct HelpPage {
    method: &'static str,
    segments: Vec<String>,
    path_param: Option<Row>,
    query: Vec<Row>,
    description: String,
    body: Option<(String, String, Vec<Row>, Vec<Row>)>,
    response: Option<(String, String, Vec<Row>)>,
}

fn help_page() -> impl Strategy<Value = HelpPage> {
    (
        select(vec!["GET", "POST", "PUT", "DELETE"]),
        prop::collection::vec("[a-z]{3,8}", 1..4),
        prop::option::of(rows(1..2)),
        rows(0..3),
        sentence(),
        prop::option::of((sentence(), rows(1..6), rows(0..3))),
        prop::option::of((sentence(), rows(1..5))),
    )
        .prop_map(|(method, segments, path_param, query, description, body, response)| {
            let path_param = path_param.map(|mut rows| {
                let mut row = rows.remove(0);
                row.name = "id".to_owned();
                row.required = true;
                row.ty = ("uuid".to_owned(), "globally unique identifier".to_owned());
                row
            });
            let query = query
                .into_iter()
                .map(|mut row| {
                    row.name = format!("q{}", row.name);
                    row.ty = (
                        row.ty.0.replace("list<string>", "string").replace("map<string>", "string"),
                        row.ty
                            .1
                            .replace("Collection of string", "string")
                            .replace("Dictionary of string [key] and string [value]", "string"),
                    );
                    row
                })
                .collect();
            let body = body
                .filter(|_| method == "POST" || method == "PUT")
                .map(|(text, rows, nested)| (text, "BodyModel".to_owned(), rows, nested));
            let response = response.map(|(text, rows)| (text, "ResponseModel".to_owned(), rows));
            HelpPage { method, segments, path_param, query, description, body, response }
        })
}

fn render_table(out: &mut String, type_name: &str, rows: &[Row]) {
    out.push_str(&format!("{type_name}Name | Description | Type | Additional information |\n---|---|---|---|\n"));
    for row in rows {
        out.push_str(&format!("{} |\n", row.name));
        if let Some(description) = &row.description {
            out.push_str(&format!("{description} |\n"));
        }
        out.push_str(&format!("{} |\n{} |\n", row.ty.1, if row.required { "Required" } else { "None." }));
    }
}

fn render_help_page(page: &HelpPage) -> String {
    let mut route = format!("api/v1/{}", page.segments.join("/"));
    if page.path_param.is_some() {
        route.push_str("/{id}");
    }
    if !page.query.is_empty() {
        let pairs: Vec<String> = page.query.iter().map(|q| format!("{0}={{{0}}}", q.name)).collect();
        route.push_str(&format!("?{}", pairs.join("&")));
    }
    let mut out = format!("{} {route}\n{}\nRequest Information\nURI Parameters\n", page.method, page.description);
    let uri: Vec<Row> = page.path_param.iter().chain(&page.query).cloned().collect();
    if uri.is_empty() {
        out.push_str("None.\n");
    } else {
        render_table(&mut out, "", &uri);
    }
    out.push_str("Body Parameters\n");
    match &page.body {
        None => out.push_str("None.\n"),
        Some((text, name, rows, nested)) => {
            out.push_str(&format!("{text}\n"));
            let mut rows = rows.clone();
            if !nested.is_empty() {
                rows.push(Row {
                    name: "Nested".to_owned(),
                    ty: ("NestedModel".to_owned(), "NestedModel".to_owned()),
                    required: false,
                    description: None,
                });
            }
            render_table(&mut out, name, &rows);
            if !nested.is_empty() {
                render_table(&mut out, "NestedModel", nested);
            }
        }
    }
    out.push_str("Request Formats\napplication/json, text/json\nSample:\nSample not available.\nResponse Information\nResource Description\n");
    match &page.response {
        None => out.push_str("None.\n"),
        Some((text, name, rows)) => {
            out.push_str(&format!("{text}\n"));
            render_table(&mut out, name, rows);
        }
    }
    out.push_str("Response Formats\napplication/json, text/json\nSample:\nSample not available.\n");
    out
}

fn expected_field(row: &Row) -> FieldSpec {
    let mut yaml = format!("name: {}\ntype: {}\nrequired: {}\n", quote(&row.name), quote(&row.ty.0), row.required);
    if let Some(description) = &row.description {
        yaml.push_str(&format!("description: {}\n", quote(description)));
    }
    from_yaml(&yaml)
}

fn expected_object(name: &str, rows: &[Row]) -> TypeSpec {
    TypeSpec::Object(ObjectSpec {
        name: name.to_owned(),
        fields: rows.iter().map(expected_field).collect(),
        ..ObjectSpec::default()
    })
}

proptest! {
    #![proptest_config(common::proptest_config(64))]

    #[test]
    fn help_pages_round_trip(page in help_page()) {
        let text = render_help_page(&page);
        let imported = import_one("aspnet-help-page", "page.txt", &text, "svc");
        prop_assert!(imported.problems.is_empty(), "{}\n{text}", imported.problems);
        let spec = stripped(imported.spec);
        let op: &OperationSpec = &spec.operations[0];
        prop_assert_eq!(op.method.as_deref(), Some(page.method));
        let mut path = format!("/api/v1/{}", page.segments.join("/"));
        if page.path_param.is_some() {
            path.push_str("/{id}");
        }
        prop_assert_eq!(op.path.as_deref(), Some(path.as_str()));
        prop_assert_eq!(op.description.as_deref(), Some(page.description.as_str()));
        let params: Vec<(String, String, String, bool, Option<String>)> = op.params.iter().map(|p| (p.name.clone(), format!("{:?}", p.location), p.ty.clone(), p.required, p.description.clone())).collect();
        let expected: Vec<(String, String, String, bool, Option<String>)> = page.path_param.iter().map(|p| (p.name.clone(), "Path".to_owned(), p.ty.0.clone(), true, p.description.clone()))
            .chain(page.query.iter().map(|q| (q.name.clone(), "Query".to_owned(), q.ty.0.clone(), q.required, q.description.clone())))
            .collect();
        prop_assert_eq!(params, expected);

        let mut types = Vec::new();
        match &page.body {
            None => prop_assert!(op.body.is_none()),
            Some((text, name, rows, nested)) => {
                let body = op.body.as_ref().unwrap();
                prop_assert_eq!((body.ty.as_str(), body.content_type.as_str(), body.description.as_deref()), (name.as_str(), "application/json", Some(text.as_str())));
                let mut rows = rows.clone();
                if !nested.is_empty() {
                    rows.push(Row { name: "Nested".to_owned(), ty: ("NestedModel".to_owned(), String::new()), required: false, description: None });
                    types.push(expected_object("NestedModel", nested));
                }
                types.push(expected_object(name, &rows));
            }
        }
        let response = &op.responses[0];
        match &page.response {
            None => prop_assert_eq!((response.status, response.ty.as_deref()), (204, None)),
            Some((text, name, rows)) => {
                prop_assert_eq!((response.status, response.ty.as_deref(), response.description.as_deref()), (200, Some(name.as_str()), Some(text.as_str())));
                types.push(expected_object(name, rows));
            }
        }
        types.sort_by(|a, b| a.name().cmp(b.name()));
        prop_assert_eq!(spec.types, types);
    }
}

// ---------------------------------------------------------------- Confluence (Projector) pages

const CONFLUENCE_TYPES: &[(&str, &str, Option<u32>)] = &[
    ("Int32", "int32", None),
    ("Int64", "int64", None),
    ("String", "string", None),
    ("String (50)", "string", Some(50)),
    ("String (1000)", "string", Some(1000)),
    ("Boolean", "bool", None),
    ("DateTime", "datetime", None),
    ("Double", "double", None),
    ("PwsThingRef", "PwsThingRef", None),
    ("PwsThingRef[]", "list<PwsThingRef>", None),
];

#[derive(Debug, Clone)]
struct Element {
    name: String,
    ty: (&'static str, &'static str, Option<u32>),
    required: Option<&'static str>,
    default: Option<String>,
    description: Option<String>,
}

fn elements(request: bool) -> impl Strategy<Value = Vec<Element>> {
    distinct_names("[A-Z][a-z]{2,6}(Code|Flag|Name|Count)", 1..8).prop_flat_map(move |names| {
        let count = names.len();
        (
            Just(names),
            prop::collection::vec(select(CONFLUENCE_TYPES), count),
            prop::collection::vec(prop::option::of(select(vec!["Yes", "No"])), count),
            prop::collection::vec(
                prop::option::of(prop_oneof![Just("true".to_owned()), Just("false".to_owned()), "0|[1-9][0-9]{0,2}"]),
                count,
            ),
            prop::collection::vec(prop::option::of(sentence()), count),
        )
            .prop_map(move |(names, types, required, defaults, descriptions)| {
                names
                    .into_iter()
                    .enumerate()
                    .map(|(i, name)| Element {
                        name,
                        ty: types[i],
                        required: if request { required[i] } else { None },
                        default: if request { defaults[i].clone() } else { None },
                        description: descriptions[i].clone(),
                    })
                    .collect()
            })
    })
}

#[derive(Debug, Clone)]
struct Page {
    operation: String,
    overview: String,
    request: Vec<Element>,
    response: Vec<Element>,
    errors: Vec<(i64, String, String)>,
    collapsed: bool,
}

fn confluence_page() -> impl Strategy<Value = Page> {
    (
        "Pws[A-Z][a-z]{3,8}",
        sentence(),
        elements(true),
        elements(false),
        prop::collection::btree_map(1i64..99999, ("[A-Z][a-z]{3,10}", sentence()), 0..5),
        any::<bool>(),
    )
        .prop_map(|(operation, overview, request, response, errors, collapsed)| Page {
            operation,
            overview,
            request,
            response,
            errors: errors.into_iter().map(|(n, (code, text))| (n, code, text)).collect(),
            collapsed,
        })
}

/// A row as the text export prints it: either every cell in its column, or (`collapsed`, as in
/// seed 004) the non-empty cells first and the empty ones after them.
fn row(cells: Vec<String>, collapsed: bool) -> String {
    let cells = if collapsed {
        let (full, empty): (Vec<String>, Vec<String>) = cells.into_iter().partition(|c| !c.is_empty());
        full.into_iter().chain(empty).collect()
    } else {
        cells
    };
    let mut out = String::new();
    for cell in cells {
        out.push_str(&cell);
        out.push_str(" | ");
    }
    out.trim_end().to_owned()
}

fn render_confluence(page: &Page) -> String {
    let mut out = format!("{}\nOverview\n{}\nRequest Elements\nElement | Data Type | Required? | Default | Description | Sample Data |\n---|---|---|---|---|---|\n", page.operation, page.overview);
    for e in &page.request {
        out.push_str(&row(
            vec![
                e.name.clone(),
                e.ty.0.to_owned(),
                e.required.unwrap_or_default().to_owned(),
                e.default.clone().unwrap_or_default(),
                e.description.clone().unwrap_or_default(),
                String::new(),
            ],
            page.collapsed,
        ));
        out.push('\n');
    }
    out.push_str("Response Elements\nElement | Data Type | Description | Sample Data |\n---|---|---|---|\n");
    for e in &page.response {
        out.push_str(&row(
            vec![e.name.clone(), e.ty.0.to_owned(), e.description.clone().unwrap_or_default(), String::new()],
            page.collapsed,
        ));
        out.push('\n');
    }
    if !page.errors.is_empty() {
        out.push_str("Common Errors and Warnings\n- For all errors and warnings please refer to the Complete List of Errors and Warnings\nErrorNumber | ErrorCode | ErrorText |\n---|---|---|\n");
        for (number, code, text) in &page.errors {
            out.push_str(&format!("{number} | {code} | {text} |\n"));
        }
    }
    out
}

fn expected_element(e: &Element) -> FieldSpec {
    let mut yaml =
        format!("name: {}\ntype: {}\nrequired: {}\n", quote(&e.name), quote(e.ty.1), e.required == Some("Yes"));
    if let Some(length) = e.ty.2 {
        yaml.push_str(&format!("max_length: {length}\n"));
    }
    if let Some(default) = &e.default {
        yaml.push_str(&format!("default: {default}\n"));
    }
    if let Some(description) = &e.description {
        yaml.push_str(&format!("description: {}\n", quote(description)));
    }
    from_yaml(&yaml)
}

proptest! {
    #![proptest_config(common::proptest_config(64))]

    #[test]
    fn confluence_pages_round_trip(page in confluence_page()) {
        let text = render_confluence(&page);
        let imported = import_one("confluence-projector", "page.txt", &text, "svc");
        prop_assert!(imported.problems.is_empty(), "{}\n{text}", imported.problems);
        let spec = stripped(imported.spec);
        let binding = spec.operations[0].soap.clone().unwrap();
        prop_assert_eq!(&binding.operation, &page.operation);
        prop_assert_eq!(spec.operations[0].description.as_deref(), Some(page.overview.as_str()));
        let object = |name: &str| match spec.types.iter().find(|t| t.name() == name) {
            Some(TypeSpec::Object(object)) => object.fields.clone(),
            _ => panic!("no {name}"),
        };
        prop_assert_eq!(object(&binding.request), page.request.iter().map(expected_element).collect::<Vec<_>>(), "{}", text);
        prop_assert_eq!(object(&binding.response), page.response.iter().map(expected_element).collect::<Vec<_>>(), "{}", text);
        let errors: Vec<(i64, String, String)> = match spec.types.iter().find(|t| t.name() == "PwsErrorNumber") {
            Some(TypeSpec::Enum(errors)) => errors.members.iter().map(|m| (m.value.as_i64().unwrap(), m.name.clone(), m.description.clone().unwrap())).collect(),
            _ => Vec::new(),
        };
        prop_assert_eq!(errors, page.errors.clone());
    }
}

// ---------------------------------------------------------------- WSDL 1.1 + XSD

const XSD_TYPES: &[(&str, &str)] = &[
    ("xs:string", "string"),
    ("xs:int", "int32"),
    ("xs:long", "int64"),
    ("xs:boolean", "bool"),
    ("xs:dateTime", "datetime"),
    ("xs:double", "double"),
    ("xs:decimal", "decimal"),
];

#[derive(Debug, Clone)]
struct XsdField {
    name: String,
    /// (XSD type, spec type); `None` XSD type: a string restricted by `max_length`.
    ty: (String, String),
    max_length: Option<u32>,
    optional: bool,
    nillable: bool,
}

#[derive(Debug, Clone)]
struct Schema {
    /// (name, namespace prefix `a` or `b`, fields)
    objects: Vec<(String, &'static str, Vec<XsdField>)>,
    enumeration: Vec<String>,
}

fn schema() -> impl Strategy<Value = Schema> {
    (
        distinct_names("[A-Z][a-z]{3,8}", 2..5),
        prop::collection::vec(
            (
                distinct_names("[a-z][a-zA-Z]{2,7}", 1..6),
                prop::collection::vec(
                    (select(XSD_TYPES), prop::option::of(1u32..500), any::<bool>(), any::<bool>(), 0usize..3),
                    6,
                ),
            ),
            5,
        ),
        prop::collection::btree_set("[A-Z][a-z]{2,6}", 1..4),
        prop::collection::vec(select(vec!["a", "b"]), 5),
    )
        .prop_map(|(names, bodies, members, spaces)| {
            let count = names.len();
            let objects = names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let (field_names, shapes) = &bodies[i];
                    let fields = field_names
                        .iter()
                        .zip(shapes)
                        .map(|(field, ((xsd, ty), max, optional, nillable, reference))| {
                            // Some fields refer to the enum or to another object (possibly in the other namespace).
                            let (ty, max_length) = match reference {
                                1 => (("e:Kind".to_owned(), "Kind".to_owned()), None),
                                2 => {
                                    let target = &names[(i + 1) % count];
                                    ((format!("{}:{target}", spaces[(i + 1) % count]), target.clone()), None)
                                }
                                _ if *xsd == "xs:string" => (((*xsd).to_owned(), (*ty).to_owned()), *max),
                                _ => (((*xsd).to_owned(), (*ty).to_owned()), None),
                            };
                            XsdField { name: field.clone(), ty, max_length, optional: *optional, nillable: *nillable }
                        })
                        .collect();
                    (name.clone(), spaces[i], fields)
                })
                .collect();
            Schema { objects, enumeration: members.into_iter().collect() }
        })
}

fn render_schema(schema: &Schema, prefix: &str) -> String {
    let mut out = format!(
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" xmlns:e=\"urn:e\" targetNamespace=\"urn:{prefix}\" elementFormDefault=\"qualified\">\n"
    );
    for (name, space, fields) in &schema.objects {
        if *space != prefix {
            continue;
        }
        out.push_str(&format!("  <xs:complexType name=\"{name}\">\n    <xs:sequence>\n"));
        for f in fields {
            let occurs = if f.optional { " minOccurs=\"0\"" } else { "" };
            let nillable = if f.nillable { " nillable=\"true\"" } else { "" };
            match f.max_length {
                Some(length) => out.push_str(&format!("      <xs:element name=\"{}\"{occurs}{nillable}><xs:simpleType><xs:restriction base=\"xs:string\"><xs:maxLength value=\"{length}\"/></xs:restriction></xs:simpleType></xs:element>\n", f.name)),
                None => out.push_str(&format!("      <xs:element name=\"{}\"{occurs}{nillable} type=\"{}\"/>\n", f.name, f.ty.0)),
            }
        }
        out.push_str("    </xs:sequence>\n  </xs:complexType>\n");
    }
    out.push_str("</xs:schema>\n");
    out
}

fn render_wsdl(schema: &Schema) -> String {
    let (request, request_space, _) = &schema.objects[0];
    let (response, response_space, _) = &schema.objects[1];
    let members: String = schema.enumeration.iter().map(|m| format!("<xs:enumeration value=\"{m}\"/>")).collect();
    format!(
        r#"<?xml version="1.0"?>
<wsdl:definitions name="Svc" targetNamespace="urn:s" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:s="urn:s" xmlns:a="urn:a" xmlns:b="urn:b" xmlns:e="urn:e">
  <wsdl:types>
    <xs:schema targetNamespace="urn:s" elementFormDefault="qualified">
      <xs:import namespace="urn:a" schemaLocation="a.xsd"/>
      <xs:import namespace="urn:b" schemaLocation="sub/../b.xsd"/>
      <xs:element name="Do"><xs:complexType><xs:sequence><xs:element name="serviceRequest" type="{request_space}:{request}"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="DoResponse"><xs:complexType><xs:sequence><xs:element name="DoResult" type="{response_space}:{response}"/></xs:sequence></xs:complexType></xs:element>
    </xs:schema>
    <xs:schema targetNamespace="urn:e"><xs:simpleType name="Kind"><xs:restriction base="xs:string">{members}</xs:restriction></xs:simpleType></xs:schema>
  </wsdl:types>
  <wsdl:message name="In"><wsdl:part name="parameters" element="s:Do"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="parameters" element="s:DoResponse"/></wsdl:message>
  <wsdl:portType name="Port"><wsdl:operation name="Do"><wsdl:input message="s:In"/><wsdl:output message="s:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="s:Port"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Do"><soap:operation soapAction="urn:s/Port/Do"/></wsdl:operation></wsdl:binding>
  <wsdl:service name="Svc"><wsdl:port name="P" binding="s:B"><soap:address location="https://example.com/svc.svc"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"#
    )
}

proptest! {
    #![proptest_config(common::proptest_config(64))]

    #[test]
    fn wsdls_round_trip(schema in schema()) {
        let docs = [
            Document::new("in/svc.wsdl", render_wsdl(&schema)),
            Document::new("in/a.xsd", render_schema(&schema, "a")),
            Document::new("in/b.xsd", render_schema(&schema, "b")),
        ];
        let imported = import::format("wsdl").unwrap().import(&docs, &Facts::none(), "svc");
        prop_assert!(imported.problems.is_empty(), "{}", imported.problems);
        let spec = stripped(imported.spec);
        let soap = spec.soap.clone().unwrap();
        prop_assert_eq!((soap.action.as_str(), soap.endpoint_path.as_str(), soap.operation_namespace.as_str()), ("urn:s/Port/{operation}", "/svc.svc", "s"));
        let binding = spec.operations[0].soap.clone().unwrap();
        prop_assert_eq!((binding.request.as_str(), binding.response.as_str()), (schema.objects[0].0.as_str(), schema.objects[1].0.as_str()));
        for (name, space, fields) in &schema.objects {
            let Some(TypeSpec::Object(object)) = spec.types.iter().find(|t| t.name() == name) else { panic!("no {name}") };
            prop_assert_eq!(object.xml_namespace.as_deref(), Some(*space));
            let expected: Vec<FieldSpec> = fields.iter().map(|f| {
                let mut yaml = format!("name: {}\ntype: {}\nrequired: {}\nnillable: {}\n", quote(&f.name), quote(&f.ty.1), !f.optional, f.nillable);
                if let Some(length) = f.max_length {
                    yaml.push_str(&format!("max_length: {length}\n"));
                }
                from_yaml(&yaml)
            }).collect();
            prop_assert_eq!(&object.fields, &expected);
        }
        let Some(TypeSpec::Enum(kind)) = spec.types.iter().find(|t| t.name() == "Kind") else { panic!("no Kind") };
        let values: Vec<String> = kind.members.iter().map(|m| m.value.as_str().unwrap().to_owned()).collect();
        prop_assert_eq!(values, schema.enumeration.clone());
    }
}

// ---------------------------------------------------------------- mutated seeds never panic

fn mutate(text: &str, edits: &[(u8, usize, char)]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for (kind, at, ch) in edits {
        if lines.is_empty() {
            break;
        }
        let index = at % lines.len();
        match kind % 5 {
            0 => {
                lines.remove(index);
            }
            1 => {
                let copy = lines[index].clone();
                lines.insert(index, copy);
            }
            2 => {
                let line = &mut lines[index];
                let cut = line.char_indices().nth(at % (line.chars().count() + 1)).map_or(line.len(), |(i, _)| i);
                line.insert(cut, *ch);
            }
            3 => {
                let line = &mut lines[index];
                let cut = line.char_indices().nth(at % (line.chars().count() + 1)).map_or(line.len(), |(i, _)| i);
                line.truncate(cut);
            }
            _ => {
                let other = (at / 7) % lines.len();
                lines.swap(index, other);
            }
        }
    }
    lines.join("\n")
}

fn edits() -> impl Strategy<Value = Vec<(u8, usize, char)>> {
    prop::collection::vec(
        (any::<u8>(), any::<usize>(), select(vec!['|', '<', '>', '{', '}', '"', '&', ':', ' ', '\u{e9}', '['])),
        1..12,
    )
}

const SEED_003: &str = include_str!("../../../spec/sources/account_tasks/003_3a9666a00f76448a.txt");
const SEED_004: &str = include_str!("../../../spec/sources/projector/004_a406cfca6598ac55.txt");
const WSDL: &str = include_str!("../import_fixtures/wsdl/wcf-scheduling/SchedulingService.wsdl");
const XSD: &str = include_str!("../import_fixtures/wsdl/wcf-scheduling/contracts/Common.xsd");

proptest! {
    #![proptest_config(common::proptest_config(96))]

    #[test]
    fn mutated_seeds_never_panic(edits in edits()) {
        for (format, name, text) in [
            ("aspnet-help-page", "003.txt", SEED_003),
            ("confluence-projector", "004.txt", SEED_004),
            ("wsdl", "in/svc.wsdl", WSDL),
            ("wsdl", "in/Common.xsd", XSD),
        ] {
            let mutated = mutate(text, &edits);
            let _ = import_one(format, name, &mutated, "svc");
            // The HTML path too: the same text wrapped as a served page.
            if format != "wsdl" {
                let html = format!("<html><body><pre>{}</pre><table><tr><td>{}</td></tr></table></body></html>", mutated, mutated.replace('\n', "</td><td>"));
                let _ = import_one(format, "page.html", &html, "svc");
            }
        }
    }
}
