//! Format 4: WSDL 1.1 with XML Schema, for SOAP 1.1 services of the document/literal wrapped kind.
//!
//! Reads the port type's operations and their messages, the SOAP 1.1 binding (`soapAction`), the
//! service address, and the schemas: inline, and `xsd:import`/`xsd:include` resolved relative to
//! the file that names them (among the input documents, else from disk inside the input folders,
//! at most [`MAX_SCHEMAS`] files). Complex types become objects (sequence order, base type first),
//! enumerations closed string enums, `ArrayOfX` wrappers lists, `minOccurs`/`nillable`/`maxLength`
//! and documentation are kept. XML is read with roxmltree: read-only, linear, and it rejects DTDs,
//! so no entity expansion can blow up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};
use roxmltree::{Document as Xml, Node};

use super::draft::{error_at, first_sentence, service_shell, Draft};
use super::{Document, Facts, Format, Imported, Report, Skipped};
use crate::diagnostics::Diagnostics;
use crate::spec::{
    Deprecation, EnumRepr, EnumSpec, FieldSpec, GroupSpec, MemberSpec, ObjectSpec, OperationSpec, Protocol,
    SoapOperationSpec, SoapSpec, TypeSpec,
};

const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
const SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const XSD: &str = "http://www.w3.org/2001/XMLSchema";
const SERIALIZATION: &str = "http://schemas.microsoft.com/2003/10/Serialization/";
/// How many schema files one import may read (a guard against import cycles and runaway includes).
pub const MAX_SCHEMAS: usize = 64;
/// The largest schema file read from disk.
const MAX_FILE_BYTES: u64 = 8 << 20;

/// The format's registry entry.
pub struct Wsdl11;

impl Format for Wsdl11 {
    fn name(&self) -> &'static str {
        "wsdl"
    }

    fn summary(&self) -> &'static str {
        "WSDL 1.1 with XML Schema (SOAP 1.1, document/literal wrapped), imported schemas resolved"
    }

    fn import(&self, docs: &[Document], _facts: &Facts, service: &str) -> Imported {
        import(docs, service, &DiskReader)
    }
}

/// Reads a schema that no input document holds.
pub trait SchemaReader {
    /// The text of `path`, or why it cannot be read.
    fn read(&self, path: &Path) -> Result<String, String>;
}

/// Reads from disk, only inside the folders of the input documents.
struct DiskReader;

impl SchemaReader for DiskReader {
    fn read(&self, path: &Path) -> Result<String, String> {
        // Bounded like a spec file: a FIFO or a link to a device is refused before it is opened.
        let shown = path.display().to_string();
        crate::load::read_text(path, &shown, MAX_FILE_BYTES, "a schema is a plain XML file").map_err(|diagnostic| {
            match diagnostic.location {
                crate::diagnostics::Location::Position { line, column, .. } => {
                    format!("{} (line {line}, column {column})", diagnostic.message)
                }
                _ => diagnostic.message,
            }
        })
    }
}

/// One XML file of the import: an input document or a schema it reached.
struct Source {
    /// As reported (the input path, or the resolved path of an imported schema).
    path: String,
    /// For `origin:` keys: the file name.
    name: String,
    text: String,
}

/// Imports `docs` (WSDL and XSD files); schemas they import are found among `docs` or read with `reader`.
pub fn import(docs: &[Document], service: &str, reader: &dyn SchemaReader) -> Imported {
    let mut spec = service_shell(service, Protocol::Soap);
    let mut report = Report::default();
    let mut problems = Diagnostics::default();
    let folders: Vec<PathBuf> =
        docs.iter().map(|doc| normalize(Path::new(&doc.path).parent().unwrap_or(Path::new("")))).collect();

    // Gather every file: the inputs, then what their imports and includes reach (breadth first).
    let mut sources: Vec<Source> = docs
        .iter()
        .map(|doc| Source {
            path: normalize(Path::new(&doc.path)).display().to_string(),
            name: doc.name().to_owned(),
            text: doc.text.clone(),
        })
        .collect();
    let mut parsed_ok = vec![true; sources.len()];
    let mut index = 0;
    while index < sources.len() {
        let locations = match Xml::parse(&sources[index].text) {
            Ok(xml) => schema_locations(&xml),
            Err(error) => {
                let pos = error.pos();
                problems.push(crate::diagnostics::Diagnostic {
                    message: format!("not well-formed XML: {error}"),
                    location: crate::diagnostics::Location::Position {
                        file: sources[index].path.clone(),
                        line: pos.row as usize,
                        column: pos.col as usize,
                    },
                    hint: Some("the document was skipped".to_owned()),
                });
                parsed_ok[index] = false;
                Vec::new()
            }
        };
        let base = Path::new(&sources[index].path).parent().map(Path::to_path_buf).unwrap_or_default();
        for (location, line) in locations {
            let origin = format!("{}:{line}", sources[index].name);
            if location.contains("://") {
                report.skipped.push(Skipped {
                    origin,
                    construct: format!("schema `{location}`"),
                    reason: "a remote schema is never fetched; pass it as a file".to_owned(),
                });
                continue;
            }
            let target = normalize(&base.join(&location));
            let display = target.display().to_string();
            if sources.iter().any(|source| source.path == display) {
                continue;
            }
            // Inside an input folder by its path, and by its real path (no symbolic link out of it).
            let real_inside = match std::fs::canonicalize(&target) {
                Ok(real) => folders
                    .iter()
                    .any(|folder| std::fs::canonicalize(folder).is_ok_and(|folder| real.starts_with(folder))),
                Err(_) => true, // not on disk: the reader reports it
            };
            if !real_inside || !folders.iter().any(|folder| target.starts_with(folder)) {
                problems.push(error_at(
                    &sources[index].path,
                    line,
                    format!("the schema `{location}` is outside the input folders"),
                    "copy it next to the WSDL, or pass its folder as an input",
                ));
                continue;
            }
            if sources.len() >= MAX_SCHEMAS {
                problems.push(error_at(
                    &sources[index].path,
                    line,
                    format!("more than {MAX_SCHEMAS} schema files; `{location}` was not read"),
                    "",
                ));
                continue;
            }
            match reader.read(&target) {
                Ok(text) => {
                    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    sources.push(Source { path: display, name, text });
                    parsed_ok.push(true);
                }
                Err(error) => problems.push(error_at(
                    &sources[index].path,
                    line,
                    format!("cannot read the schema `{location}`: {error}"),
                    "",
                )),
            }
        }
        index += 1;
    }
    let xmls: Vec<Option<Xml>> = sources
        .iter()
        .zip(&parsed_ok)
        .map(|(source, ok)| if *ok { Xml::parse(&source.text).ok() } else { None })
        .collect();
    for (source, xml) in sources.iter().zip(&xmls).take(docs.len()) {
        if xml.is_some() {
            report.documents.push(source.path.clone());
        }
    }

    let mut reading = Reading::new(&sources, &xmls);
    reading.index_schemas();
    let mut draft = Draft::default();
    for (position, xml) in xmls.iter().enumerate() {
        let Some(xml) = xml else { continue };
        let root = xml.root_element();
        if root.tag_name().namespace() == Some(WSDL) && root.tag_name().name() == "definitions" {
            reading.read_definitions(position, root, &mut spec, &mut draft);
        } else if !(root.tag_name().namespace() == Some(XSD) && root.tag_name().name() == "schema") {
            problems.push(error_at(
                &sources[position].path,
                reading.line(position, root),
                format!("expected `wsdl:definitions` or `xsd:schema`, found `{}`", root.tag_name().name()),
                "the document was skipped",
            ));
        }
    }
    reading.emit_types(&mut draft);

    // Origins are per file here: annotate one file's items at a time.
    let mut by_file: BTreeMap<usize, Draft> = BTreeMap::new();
    for (path, (file, line)) in std::mem::take(&mut reading.origins) {
        by_file.entry(file).or_default().provenance.push((path, line));
    }
    for (file, fact) in std::mem::take(&mut reading.inferred) {
        by_file.entry(file).or_default().inferred.push(fact);
    }
    for (file, skipped) in std::mem::take(&mut reading.skipped) {
        by_file.entry(file).or_default().skipped.push(skipped);
    }
    let mut operations = std::mem::take(&mut draft.operations);
    let mut types = std::mem::take(&mut draft.types);
    for (file, mut part) in by_file {
        part.operations = operations;
        part.types = types;
        let doc = Document::new(sources[file].path.clone(), String::new());
        let doc = Document { path: sources[file].name.clone(), ..doc };
        part.annotate(&doc, &mut report);
        operations = part.operations;
        types = part.types;
    }
    types.sort_by(|a, b| a.name().cmp(b.name()));
    spec.operations = operations;
    spec.types = types;
    spec.soap = reading.binding(&mut report);
    if let Some(base_url) = reading.base_url.take() {
        spec.base_url = base_url;
    }
    problems.0.extend(reading.problems.0);
    Imported { spec, report, problems }
}

/// `schemaLocation`s of `xsd:import`/`xsd:include` and `location`s of `wsdl:import`, with lines.
fn schema_locations(xml: &Xml) -> Vec<(String, usize)> {
    xml.descendants()
        .filter(|node| {
            let tag = node.tag_name();
            (tag.namespace() == Some(XSD) && matches!(tag.name(), "import" | "include" | "redefine"))
                || (tag.namespace() == Some(WSDL) && tag.name() == "import")
        })
        .filter_map(|node| {
            node.attribute("schemaLocation")
                .or_else(|| node.attribute("location"))
                .map(|l| (l.to_owned(), xml.text_pos_at(node.range().start).row as usize))
        })
        .collect()
}

/// `a/./b/../c` → `a/c`, without touching the file system (so nothing outside is followed).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A qualified name.
type QName = (String, String);

/// What is known of a named schema type.
struct TypeEntry<'a, 'input> {
    file: usize,
    node: Node<'a, 'input>,
    complex: bool,
}

struct Reading<'a, 'input> {
    sources: &'a [Source],
    xmls: &'a [Option<Xml<'input>>],
    types: BTreeMap<QName, TypeEntry<'a, 'input>>,
    elements: BTreeMap<QName, (usize, Node<'a, 'input>)>,
    /// Namespace URI → prefix used in the spec.
    prefixes: BTreeMap<String, String>,
    /// Spec names of schema types, after resolving local-name clashes across namespaces.
    names: BTreeMap<QName, String>,
    /// Anonymous complex types met while reading fields: spec name → (file, node, namespace).
    anonymous: Vec<(String, usize, Node<'a, 'input>)>,
    emitted: BTreeSet<String>,
    /// The `ArrayOfX` types whose item type is being resolved: one that contains itself, directly
    /// or through other arrays, has no `list<…>` spelling and would otherwise recurse forever.
    arrays_in_progress: Vec<QName>,
    origins: Vec<(String, (usize, usize))>,
    inferred: Vec<(usize, super::draft::Inferred)>,
    skipped: Vec<(usize, super::draft::Skipped)>,
    problems: Diagnostics,
    /// soapAction per operation, and the address.
    actions: Vec<(String, Option<String>, usize, usize)>,
    address: Option<(String, usize, usize)>,
    operation_namespace: Option<String>,
    base_url: Option<String>,
}

impl<'a, 'input> Reading<'a, 'input> {
    fn new(sources: &'a [Source], xmls: &'a [Option<Xml<'input>>]) -> Self {
        Reading {
            sources,
            xmls,
            types: BTreeMap::new(),
            elements: BTreeMap::new(),
            prefixes: BTreeMap::new(),
            names: BTreeMap::new(),
            anonymous: Vec::new(),
            emitted: BTreeSet::new(),
            arrays_in_progress: Vec::new(),
            origins: Vec::new(),
            inferred: Vec::new(),
            skipped: Vec::new(),
            problems: Diagnostics::default(),
            actions: Vec::new(),
            address: None,
            operation_namespace: None,
            base_url: None,
        }
    }

    fn line(&self, file: usize, node: Node) -> usize {
        self.xmls[file].as_ref().map_or(1, |xml| xml.text_pos_at(node.range().start).row as usize)
    }

    fn skip(&mut self, file: usize, node: Node, what: impl Into<String>, reason: impl Into<String>) {
        let line = self.line(file, node);
        self.skipped.push((file, super::draft::Skipped { what: what.into(), reason: reason.into(), line }));
    }

    fn infer(&mut self, file: usize, node: Node, path: String, key: &str, reason: impl Into<String>) {
        let line = self.line(file, node);
        self.inferred.push((file, super::draft::Inferred { path, key: key.to_owned(), reason: reason.into(), line }));
    }

    /// Indexes every schema's global types and elements, and gives each namespace a prefix.
    fn index_schemas(&mut self) {
        let mut declared: BTreeMap<String, String> = BTreeMap::new();
        for (file, xml) in self.xmls.iter().enumerate() {
            let Some(xml) = xml else { continue };
            // Prefixes the documents declare, first declaration wins (document order).
            for node in xml.descendants().filter(Node::is_element) {
                for namespace in node.namespaces() {
                    if let Some(prefix) = namespace.name() {
                        declared.entry(namespace.uri().to_owned()).or_insert_with(|| prefix.to_owned());
                    }
                }
            }
            for schema in xml.descendants().filter(|n| is_xsd(n, "schema")) {
                let target = schema.attribute("targetNamespace").unwrap_or_default().to_owned();
                for child in schema.children().filter(Node::is_element) {
                    let Some(name) = child.attribute("name") else { continue };
                    let key = (target.clone(), name.to_owned());
                    match child.tag_name().name() {
                        "complexType" | "simpleType" => {
                            let complex = child.tag_name().name() == "complexType";
                            self.types.entry(key).or_insert(TypeEntry { file, node: child, complex });
                        }
                        "element" => {
                            self.elements.entry(key).or_insert((file, child));
                        }
                        _ => {}
                    }
                }
            }
        }
        // Prefixes for every target namespace: the declared one, else `ns<N>`; never a reserved one.
        let mut used: BTreeSet<String> =
            ["xsd", "xs", "wsdl", "soap", "soap12", "i", "xsi"].iter().map(|s| s.to_string()).collect();
        let namespaces: BTreeSet<String> =
            self.types.keys().chain(self.elements.keys()).map(|(ns, _)| ns.clone()).collect();
        let mut counter = 1;
        for namespace in namespaces {
            let wanted = declared.get(&namespace).cloned().filter(|p| !used.contains(p) && is_prefix(p));
            let prefix = wanted.unwrap_or_else(|| loop {
                let candidate = format!("ns{counter}");
                counter += 1;
                if !used.contains(&candidate) {
                    break candidate;
                }
            });
            used.insert(prefix.clone());
            self.prefixes.insert(namespace, prefix);
        }
        // Spec type names: the local name, qualified by the prefix when two namespaces share it.
        let mut by_local: BTreeMap<String, Vec<QName>> = BTreeMap::new();
        for key in self.types.keys() {
            by_local.entry(key.1.clone()).or_default().push(key.clone());
        }
        for (local, keys) in by_local {
            for (index, key) in keys.iter().enumerate() {
                let name = if index == 0 {
                    local.to_upper_camel_case_keep()
                } else {
                    format!("{}{}", self.prefixes[&key.0].to_upper_camel_case(), local)
                };
                self.names.insert(key.clone(), name);
            }
        }
    }

    /// Operations of a `wsdl:definitions`: its port types, the SOAP 1.1 binding and service address.
    fn read_definitions(
        &mut self,
        file: usize,
        root: Node<'a, 'input>,
        spec: &mut crate::spec::ServiceSpec,
        draft: &mut Draft,
    ) {
        if let Some(name) = root.attribute("name") {
            spec.title = name.to_owned();
        }
        if let Some(doc) = documentation(root) {
            spec.description = Some(doc);
        }
        spec.source = Some(format!("WSDL {}", self.sources[file].name));
        let messages: BTreeMap<&str, Node> = root
            .children()
            .filter(|n| is_wsdl(n, "message"))
            .filter_map(|n| n.attribute("name").map(|name| (name, n)))
            .collect();

        // soapAction per operation from SOAP 1.1 bindings.
        let mut soap_actions: BTreeMap<String, String> = BTreeMap::new();
        let mut has_soap11 = false;
        for binding in root.children().filter(|n| is_wsdl(n, "binding")) {
            let soap_binding = binding
                .children()
                .find(|n| n.tag_name().namespace() == Some(SOAP11) && n.tag_name().name() == "binding");
            let Some(soap_binding) = soap_binding else {
                self.skip(
                    file,
                    binding,
                    format!("binding `{}`", binding.attribute("name").unwrap_or_default()),
                    "not a SOAP 1.1 binding",
                );
                continue;
            };
            has_soap11 = true;
            if soap_binding.attribute("style") == Some("rpc") {
                self.skip(
                    file,
                    binding,
                    "rpc style binding",
                    "only document/literal is read; its operations are taken as document style",
                );
            }
            for operation in binding.children().filter(|n| is_wsdl(n, "operation")) {
                let action = operation
                    .children()
                    .find(|n| n.tag_name().namespace() == Some(SOAP11) && n.tag_name().name() == "operation")
                    .and_then(|n| n.attribute("soapAction"));
                if let (Some(name), Some(action)) = (operation.attribute("name"), action) {
                    soap_actions.entry(name.to_owned()).or_insert_with(|| action.to_owned());
                }
            }
        }
        for service_node in root.children().filter(|n| is_wsdl(n, "service")) {
            for port in service_node.children().filter(|n| is_wsdl(n, "port")) {
                let address = port
                    .children()
                    .find(|n| n.tag_name().namespace() == Some(SOAP11) && n.tag_name().name() == "address");
                if let Some(location) = address.and_then(|a| a.attribute("location")) {
                    if self.address.is_none() {
                        self.address = Some((location.to_owned(), file, self.line(file, port)));
                    }
                }
            }
        }

        let target = root.attribute("targetNamespace").unwrap_or_default().to_owned();
        for port_type in root.children().filter(|n| is_wsdl(n, "portType")) {
            let port_name = port_type.attribute("name").unwrap_or("Service");
            let group = port_name.to_snake_case();
            if !spec.groups.iter().any(|g| g.id == group) {
                spec.groups.push(GroupSpec { id: group.clone(), description: documentation(port_type) });
            }
            for operation in port_type.children().filter(|n| is_wsdl(n, "operation")) {
                let Some(op_name) = operation.attribute("name") else { continue };
                let input = operation.children().find(|n| is_wsdl(n, "input")).and_then(|n| n.attribute("message"));
                let output = operation.children().find(|n| is_wsdl(n, "output")).and_then(|n| n.attribute("message"));
                let element_of = |message: Option<&str>| -> Option<QName> {
                    let local = message.map(|m| m.rsplit(':').next().unwrap_or(m))?;
                    let message = messages.get(local)?;
                    let parts: Vec<Node> = message.children().filter(|n| is_wsdl(n, "part")).collect();
                    if parts.len() != 1 {
                        return None;
                    }
                    resolve_qname(parts[0], parts[0].attribute("element")?)
                };
                let (Some(input), Some(output)) = (element_of(input), element_of(output)) else {
                    self.skip(
                        file,
                        operation,
                        format!("operation `{op_name}`"),
                        "its messages are not one `element` part each (document/literal wrapped)",
                    );
                    continue;
                };
                let Some(request) = self.wrapped(&input, None) else {
                    self.skip(
                        file,
                        operation,
                        format!("operation `{op_name}`"),
                        format!(
                            "the input element `{}` does not wrap exactly one element of a named complex type",
                            input.1
                        ),
                    );
                    continue;
                };
                let result_name = format!("{}Result", input.1);
                let Some(response) = self.wrapped(&output, Some(&result_name)) else {
                    self.skip(file, operation, format!("operation `{op_name}`"), format!("the client reads `{0}Response/{0}Result`; the output element `{1}` does not wrap one `{result_name}` element of a named complex type", input.1, output.1));
                    continue;
                };
                if output.1 != format!("{}Response", input.1) {
                    self.skip(
                        file,
                        operation,
                        format!("operation `{op_name}`"),
                        format!("the output element is `{}`, the client reads `{}Response`", output.1, input.1),
                    );
                    continue;
                }
                let namespace_prefix = self.prefixes.get(&input.0).cloned();
                match (&self.operation_namespace, namespace_prefix) {
                    (None, Some(prefix)) => self.operation_namespace = Some(prefix),
                    (Some(known), Some(prefix)) if *known != prefix => {
                        self.skip(file, operation, format!("operation `{op_name}`"), "its wrapper is in another namespace than the first operation's; the service has one operation namespace");
                        continue;
                    }
                    _ => {}
                }
                let name = op_name.to_snake_case();
                let id = format!("{group}_{name}");
                let path = format!("operations[{id}]");
                self.origins.push((path.clone(), (file, self.line(file, operation))));
                self.actions.push((
                    op_name.to_owned(),
                    soap_actions.get(op_name).cloned(),
                    file,
                    self.line(file, operation),
                ));
                if !soap_actions.contains_key(op_name) {
                    let fallback =
                        format!("{}{}{port_name}/{op_name}", target, if target.ends_with('/') { "" } else { "/" });
                    self.skip(
                        file,
                        operation,
                        format!("SOAPAction of `{op_name}`"),
                        format!(
                            "{} states none; WCF's default `{fallback}` is assumed and marked unconfirmed",
                            if has_soap11 { "the binding" } else { "no SOAP 1.1 binding" }
                        ),
                    );
                    self.actions.last_mut().expect("pushed").1 = Some(fallback);
                }
                let documentation = documentation(operation);
                draft.operations.push(OperationSpec {
                    id,
                    group: group.clone(),
                    name: Some(name),
                    source_id: Some(op_name.to_owned()),
                    renamed_from: None,
                    method: None,
                    path: None,
                    summary: documentation.as_deref().map(first_sentence),
                    description: documentation,
                    deprecated: Deprecation::No,
                    params: Vec::new(),
                    body: None,
                    responses: Vec::new(),
                    errors: Vec::new(),
                    soap: Some(SoapOperationSpec {
                        operation: input.1.clone(),
                        request_element: request.0,
                        request: request.1,
                        response: response.1,
                    }),
                    pagination: None,
                    idempotent: false,
                    origin: None,
                    inferred: Vec::new(),
                });
            }
        }
    }

    /// A wrapper element holding one element (named `expected`, when given) of a named complex type:
    /// → (the child's name, the spec name of its type).
    fn wrapped(&self, element: &QName, expected: Option<&str>) -> Option<(String, String)> {
        let (_, node) = self.elements.get(element)?;
        let complex = match node.attribute("type") {
            Some(ty) => {
                let key = resolve_qname(*node, ty)?;
                self.types.get(&key).filter(|t| t.complex)?.node
            }
            None => node.children().find(|n| is_xsd(n, "complexType"))?,
        };
        let sequence = complex.children().find(|n| is_xsd(n, "sequence"))?;
        let children: Vec<Node> = sequence.children().filter(Node::is_element).collect();
        let [child] = children.as_slice() else { return None };
        let name = child.attribute("name")?;
        if expected.is_some_and(|expected| expected != name) {
            return None;
        }
        let key = resolve_qname(*child, child.attribute("type")?)?;
        let entry = self.types.get(&key).filter(|t| t.complex)?;
        let _ = entry;
        Some((name.to_owned(), self.names.get(&key)?.clone()))
    }

    /// Every named schema type (and the anonymous ones their fields reach) as spec types.
    fn emit_types(&mut self, draft: &mut Draft) {
        let keys: Vec<QName> = self.types.keys().cloned().collect();
        for key in keys {
            let entry = &self.types[&key];
            let (file, node, complex) = (entry.file, entry.node, entry.complex);
            let name = self.names[&key].clone();
            if complex {
                if self.array_item(node).is_some() {
                    continue; // carried as `list<Item>` where it is used
                }
                let object = self.object(&name, file, node, &key.0);
                draft.types.push(TypeSpec::Object(object));
            } else if let Some(enumeration) = self.enumeration(&name, file, node) {
                draft.types.push(TypeSpec::Enum(enumeration));
            }
            self.emitted.insert(name);
        }
        while let Some((name, file, node)) = self.anonymous.pop() {
            let namespace = target_namespace(node);
            let object = self.object(&name, file, node, &namespace);
            draft.types.push(TypeSpec::Object(object));
        }
    }

    /// `ArrayOfX`: a complex type whose sequence is one repeated element → (item element name, item type node's key).
    fn array_item(&self, complex: Node<'a, 'input>) -> Option<(String, String)> {
        let sequence = complex.children().find(|n| is_xsd(n, "sequence"))?;
        let children: Vec<Node> = sequence.children().filter(Node::is_element).collect();
        let [child] = children.as_slice() else { return None };
        let repeated =
            child.attribute("maxOccurs").is_some_and(|m| m == "unbounded" || m.parse::<u32>().is_ok_and(|n| n > 1));
        if !repeated || complex.children().any(|n| is_xsd(&n, "complexContent") || is_xsd(&n, "attribute")) {
            return None;
        }
        Some((
            child
                .attribute("name")
                .or_else(|| child.attribute("ref").map(|r| r.rsplit(':').next().unwrap_or(r)))?
                .to_owned(),
            child.attribute("type").unwrap_or_default().to_owned(),
        ))
    }

    fn object(&mut self, name: &str, file: usize, complex: Node<'a, 'input>, namespace: &str) -> ObjectSpec {
        let type_path = format!("types[{name}]");
        self.origins.push((type_path.clone(), (file, self.line(file, complex))));
        let mut fields = Vec::new();
        let prefix = self.prefixes.get(namespace).cloned();
        self.collect_fields(name, file, complex, &mut fields, 0, prefix.as_deref());
        ObjectSpec {
            name: name.to_owned(),
            description: documentation(complex),
            xml_namespace: prefix,
            fields,
            ..ObjectSpec::default()
        }
    }

    /// Fields of a complex type: its base type's first (`complexContent/extension`), then its sequence.
    fn collect_fields(
        &mut self,
        owner: &str,
        file: usize,
        complex: Node<'a, 'input>,
        fields: &mut Vec<FieldSpec>,
        depth: usize,
        owner_prefix: Option<&str>,
    ) {
        if depth > 16 {
            self.skip(file, complex, format!("type `{owner}`"), "its base types nest more than 16 deep (a cycle?)");
            return;
        }
        let mut body = complex;
        if let Some(content) = complex.children().find(|n| is_xsd(n, "complexContent")) {
            if let Some(extension) = content.children().find(|n| is_xsd(n, "extension")) {
                if let Some(base) = extension.attribute("base").and_then(|b| resolve_qname(extension, b)) {
                    if let Some(entry) = self.types.get(&base).filter(|t| t.complex) {
                        let (base_file, base_node) = (entry.file, entry.node);
                        self.collect_fields(owner, base_file, base_node, fields, depth + 1, owner_prefix);
                    }
                }
                body = extension;
            } else if let Some(restriction) = content.children().find(|n| is_xsd(n, "restriction")) {
                body = restriction;
            }
        }
        if body.children().any(|n| is_xsd(&n, "attribute")) {
            self.skip(file, body, format!("attributes of `{owner}`"), "XML attributes are not carried by the spec");
        }
        if body.children().any(|n| is_xsd(&n, "choice") || is_xsd(&n, "all")) {
            self.skip(file, body, format!("`xsd:choice`/`xsd:all` in `{owner}`"), "only sequences are read");
        }
        let Some(sequence) = body.children().find(|n| is_xsd(n, "sequence")) else { return };
        let qualified = schema_of(body).and_then(|s| s.attribute("elementFormDefault")) == Some("qualified");
        for element in sequence.children().filter(Node::is_element) {
            if is_xsd(&element, "any") {
                self.skip(file, element, format!("`xsd:any` in `{owner}`"), "open content is not carried by the spec");
                continue;
            }
            if !is_xsd(&element, "element") {
                self.skip(
                    file,
                    element,
                    format!("`xsd:{}` in `{owner}`", element.tag_name().name()),
                    "only element particles are read",
                );
                continue;
            }
            if let Some(field) = self.field(owner, file, element, qualified, owner_prefix) {
                if fields.iter().any(|f: &FieldSpec| f.name == field.name) {
                    self.skip(
                        file,
                        element,
                        format!("`{owner}.{}`", field.name),
                        "a base type already has an element of this name",
                    );
                    continue;
                }
                fields.push(field);
            }
        }
    }

    fn field(
        &mut self,
        owner: &str,
        file: usize,
        element: Node<'a, 'input>,
        qualified: bool,
        owner_prefix: Option<&str>,
    ) -> Option<FieldSpec> {
        // A `ref` names a global element: its name and type.
        let (name, declaration) = match element.attribute("ref") {
            Some(reference) => {
                let key = resolve_qname(element, reference)?;
                let (_, global) = self.elements.get(&key).copied()?;
                (key.1.clone(), global)
            }
            None => (element.attribute("name")?.to_owned(), element),
        };
        let path = format!("types[{owner}].fields[{name}]");
        self.origins.push((path.clone(), (file, self.line(file, element))));
        let repeated =
            element.attribute("maxOccurs").is_some_and(|m| m == "unbounded" || m.parse::<u32>().is_ok_and(|n| n > 1));
        if repeated {
            self.skip(file, element, format!("`{owner}.{name}`"), "a repeated element outside an `ArrayOf` wrapper is not carried (the spec's lists are wrapped collections)");
            return None;
        }
        let mut max_length = None;
        let mut xml_item = None;
        let ty = match declaration.attribute("type") {
            Some(ty) => self.type_expression(declaration, ty, &mut max_length, &mut xml_item),
            None => match declaration.children().find(|n| is_xsd(n, "simpleType") || is_xsd(n, "complexType")) {
                Some(inline) if inline.tag_name().name() == "simpleType" => {
                    self.simple_inline(inline, &mut max_length).unwrap_or_else(|| "string".to_owned())
                }
                Some(inline) => {
                    let anonymous = format!("{owner}{}", name.to_upper_camel_case());
                    self.infer(
                        file,
                        inline,
                        format!("types[{anonymous}]"),
                        "name",
                        "an anonymous complex type, named after its owner and element",
                    );
                    self.anonymous.push((anonymous.clone(), file, inline));
                    anonymous
                }
                None => "string".to_owned(),
            },
        };
        let ty = if ty == "string"
            && (name.to_lowercase().contains("password") || name.to_lowercase().ends_with("ticket"))
        {
            self.infer(file, element, path.clone(), "type", "a credential by its name: kept out of Debug output");
            "secret".to_owned()
        } else {
            ty
        };
        // A local element is in its schema's namespace when qualified (a `ref` in the global
        // element's); it needs its own prefix when that is not the owner type's.
        let namespace = target_namespace(declaration);
        let prefix = self.prefixes.get(&namespace).cloned();
        let qualified =
            qualified || element.attribute("ref").is_some() || element.attribute("form") == Some("qualified");
        let xml_namespace = if !qualified {
            self.infer(
                file,
                element,
                path.clone(),
                "xml_namespace",
                "the schema's elements are unqualified; the client sends them qualified by the type's namespace",
            );
            None
        } else if prefix.as_deref() != owner_prefix {
            prefix
        } else {
            None
        };
        Some(FieldSpec {
            name,
            ty,
            required: element.attribute("minOccurs") != Some("0"),
            description: documentation(element),
            xml_namespace,
            xml_item,
            nillable: declaration.attribute("nillable") == Some("true"),
            max_length,
            default: element.attribute("default").map(|value| match value {
                "true" => serde_yaml::Value::Bool(true),
                "false" => serde_yaml::Value::Bool(false),
                other => other.parse::<i64>().map_or_else(|_| serde_yaml::Value::String(other.to_owned()), Into::into),
            }),
            ..FieldSpec::default()
        })
    }

    /// `xsd:string` → `string`, `tns:ArrayOfX` → `list<X>`, a named simple type → its enum or base.
    fn type_expression(
        &mut self,
        node: Node<'a, 'input>,
        qname: &str,
        max_length: &mut Option<u32>,
        xml_item: &mut Option<String>,
    ) -> String {
        let Some(key) = resolve_qname(node, qname) else { return "string".to_owned() };
        if key.0 == XSD || key.0 == SERIALIZATION {
            return builtin(&key.1).to_owned();
        }
        let Some(entry) = self.types.get(&key) else {
            return key.1.to_upper_camel_case_keep();
        };
        let (complex, type_node, file) = (entry.complex, entry.node, entry.file);
        if complex {
            if let Some((item_element, item_type)) = self.array_item(type_node) {
                if self.arrays_in_progress.contains(&key) {
                    self.skip(
                        file,
                        type_node,
                        format!("`{}`", key.1),
                        "an array type that contains itself has no list spelling; captured as `json`",
                    );
                    return "json".to_owned();
                }
                self.arrays_in_progress.push(key.clone());
                let item = match type_node.descendants().find(|n| is_xsd(n, "element")) {
                    Some(item_node) if !item_type.is_empty() => {
                        self.type_expression(item_node, &item_type, &mut None, &mut None)
                    }
                    _ => "string".to_owned(),
                };
                self.arrays_in_progress.pop();
                // The client needs the item element's name for builtin items, and when it is not the item type's.
                if item_element != item || builtin_type(&item) {
                    *xml_item = Some(item_element);
                }
                return format!("list<{item}>");
            }
            return self.names[&key].clone();
        }
        if is_enumeration(type_node) {
            return self.names[&key].clone();
        }
        self.simple_inline(type_node, max_length).unwrap_or_else(|| "string".to_owned())
    }

    /// A simple type that is a restricted builtin (`maxLength` kept), or a list of one.
    fn simple_inline(&mut self, simple: Node<'a, 'input>, max_length: &mut Option<u32>) -> Option<String> {
        let restriction = simple.children().find(|n| is_xsd(n, "restriction"))?;
        if let Some(length) = restriction.children().find(|n| is_xsd(n, "maxLength")).and_then(|n| n.attribute("value"))
        {
            *max_length = length.parse().ok();
        }
        let base = restriction.attribute("base")?;
        Some(self.type_expression(restriction, base, max_length, &mut None))
    }

    fn enumeration(&mut self, name: &str, file: usize, simple: Node<'a, 'input>) -> Option<EnumSpec> {
        if !is_enumeration(simple) {
            return None;
        }
        let type_path = format!("types[{name}]");
        self.origins.push((type_path.clone(), (file, self.line(file, simple))));
        let restriction = simple.children().find(|n| is_xsd(n, "restriction"))?;
        let mut members = Vec::new();
        for value in restriction.children().filter(|n| is_xsd(n, "enumeration")) {
            let Some(text) = value.attribute("value") else { continue };
            let member_name = text.to_upper_camel_case();
            let member_name = if member_name.is_empty() { format!("Value{}", members.len()) } else { member_name };
            self.origins.push((format!("{type_path}.members[{member_name}]"), (file, self.line(file, value))));
            members.push(MemberSpec {
                name: member_name,
                value: serde_yaml::Value::String(text.to_owned()),
                description: documentation(value),
                deprecated: Deprecation::No,
                origin: None,
                inferred: Vec::new(),
            });
        }
        Some(EnumSpec {
            name: name.to_owned(),
            renamed_from: None,
            description: documentation(simple),
            repr: EnumRepr::String,
            open: false,
            members,
            origin: None,
            inferred: Vec::new(),
        })
    }

    /// The service's `soap` section: the address and a SOAPAction template the actions share.
    fn binding(&mut self, report: &mut Report) -> Option<SoapSpec> {
        let operation_namespace = self.operation_namespace.clone()?;
        let (endpoint_path, endpoint_confirmed) = match &self.address {
            Some((location, _, _)) => match split_url(location) {
                Some((base, path)) => {
                    self.base_url = Some(base);
                    (path, true)
                }
                None => ("/".to_owned(), false),
            },
            None => ("/".to_owned(), false),
        };
        // One template must produce every action: `<prefix>{operation}<suffix>`.
        let mut template = None;
        let mut confirmed = true;
        for (operation, action, file, line) in &self.actions {
            let Some(action) = action else { continue };
            let candidate = action
                .find(operation.as_str())
                .map(|at| format!("{}{{operation}}{}", &action[..at], &action[at + operation.len()..]));
            match (&template, candidate) {
                (None, Some(candidate)) => template = Some(candidate),
                (Some(known), Some(candidate)) if *known == candidate => {}
                _ => {
                    confirmed = false;
                    report.skipped.push(Skipped {
                        origin: format!("{}:{line}", self.sources[*file].name),
                        construct: format!("SOAPAction `{action}` of `{operation}`"),
                        reason: "it does not follow the template of the other operations; the template is used"
                            .to_owned(),
                    });
                }
            }
        }
        let stated = self.actions.iter().filter(|(_, action, _, _)| action.is_some()).count();
        let defaulted = self.skipped.iter().any(|(_, s)| s.what.starts_with("SOAPAction"));
        let namespaces = self.prefixes.iter().map(|(uri, prefix)| (prefix.clone(), uri.clone())).collect();
        Some(SoapSpec {
            endpoint_path,
            endpoint_path_confirmed: endpoint_confirmed,
            action: template.unwrap_or_else(|| "{operation}".to_owned()),
            action_confirmed: confirmed && stated > 0 && !defaulted,
            operation_namespace,
            namespaces,
            session: None,
        })
    }
}

/// `https://host:8080/a/b.svc` → (`https://host:8080`, `/a/b.svc`).
fn split_url(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let (host, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    Some((format!("{scheme}://{host}"), path.split(['?', '#']).next().unwrap_or("/").to_owned()))
}

/// XSD and WCF serialization builtins → spec types.
fn builtin(local: &str) -> &'static str {
    match local {
        "int" | "short" | "byte" | "unsignedByte" | "unsignedShort" => "int32",
        "long" | "unsignedInt" | "integer" | "nonNegativeInteger" | "positiveInteger" | "unsignedLong" => "int64",
        "boolean" => "bool",
        "dateTime" => "datetime",
        "date" => "date",
        "decimal" => "decimal",
        "double" => "double",
        "float" => "float",
        "guid" => "uuid",
        _ => "string",
    }
}

fn builtin_type(ty: &str) -> bool {
    matches!(
        ty,
        "string"
            | "int32"
            | "int64"
            | "bool"
            | "datetime"
            | "date"
            | "decimal"
            | "double"
            | "float"
            | "uuid"
            | "secret"
    )
}

fn is_enumeration(simple: Node) -> bool {
    simple
        .children()
        .find(|n| is_xsd(n, "restriction"))
        .is_some_and(|r| r.children().any(|n| is_xsd(&n, "enumeration")))
}

fn is_xsd(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(XSD) && node.tag_name().name() == name
}

fn is_wsdl(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(WSDL) && node.tag_name().name() == name
}

fn is_prefix(prefix: &str) -> bool {
    prefix.starts_with(|c: char| c.is_ascii_lowercase()) && prefix.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `tns:Name` in an attribute, resolved with the namespaces in scope at `node`.
fn resolve_qname(node: Node, qname: &str) -> Option<QName> {
    let (prefix, local) = match qname.split_once(':') {
        Some((prefix, local)) => (Some(prefix), local),
        None => (None, qname),
    };
    let uri = match prefix {
        Some(prefix) => node.lookup_namespace_uri(Some(prefix))?.to_owned(),
        // An unprefixed QName is in the default namespace, else in no namespace.
        None => node.lookup_namespace_uri(None).unwrap_or_default().to_owned(),
    };
    Some((uri, local.to_owned()))
}

fn schema_of<'a, 'input>(node: Node<'a, 'input>) -> Option<Node<'a, 'input>> {
    node.ancestors().find(|n| is_xsd(n, "schema"))
}

fn target_namespace(node: Node) -> String {
    schema_of(node).and_then(|s| s.attribute("targetNamespace")).unwrap_or_default().to_owned()
}

/// The text of `xsd:annotation/xsd:documentation` or `wsdl:documentation`, white space collapsed.
fn documentation(node: Node) -> Option<String> {
    let doc = node.children().find(|n| is_wsdl(n, "documentation")).or_else(|| {
        node.children()
            .find(|n| is_xsd(n, "annotation"))
            .and_then(|a| a.children().find(|n| is_xsd(n, "documentation")))
    })?;
    let text: String = doc.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect::<Vec<_>>().join(" ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Type names are kept as written when they are already identifiers (`PwsProjectRef`).
trait KeepCase {
    fn to_upper_camel_case_keep(&self) -> String;
}

impl KeepCase for str {
    fn to_upper_camel_case_keep(&self) -> String {
        if self.starts_with(|c: char| c.is_ascii_uppercase()) && self.chars().all(|c| c.is_alphanumeric() || c == '_') {
            self.to_owned()
        } else {
            self.to_upper_camel_case()
        }
    }
}
