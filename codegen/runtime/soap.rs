//! SOAP 1.1 envelopes: writing requests with prefixed namespaces, and reading responses into a
//! small element tree that generated types decode from.
//!
//! quick-xml reads the response (well kept, fast, namespace-aware, no unsafe in our use, and it
//! only comes in with the `soap` feature). Responses are matched on local element names: the
//! documents confirm only some of the namespaces, and a server's prefixes are its own choice.
//! The reader refuses answers beyond its [`limits`], so a hostile server cannot make it work
//! longer than linearly in the size of the answer.
//!
//! An answer is parsed on the task that awaited it, as JSON answers are: with the limits, a
//! full 32 MiB answer takes well under a second, and typical answers microseconds; moving it
//! to a blocking thread would cost a thread hop per call and a tokio dependency.

use std::fmt;

use std::collections::HashSet;
use std::sync::Arc;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::name::{NamespaceError, NamespaceResolver, ResolveResult};
use quick_xml::Reader;

use super::config::Secret;
use super::datetime::{Date, DateTime};
use super::error::{ApiError, DecodeError, Error, ErrorBody, RedirectRule, SessionError, SoapFault};
use super::hooks::OperationInfo;
use super::http::HttpClient;
use super::options::RequestOptions;
use super::response::Response;

/// The SOAP 1.1 envelope namespace.
pub const ENVELOPE_NAMESPACE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The XML Schema instance namespace (`i:nil`).
pub const INSTANCE_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Writes one request envelope. Text is always escaped.
#[derive(Debug)]
pub struct XmlWriter {
    out: String,
    problem: Option<String>,
}

impl XmlWriter {
    /// Opens `<soapenv:Envelope>` declaring every `(prefix, uri)`, and `<soapenv:Body>`.
    pub fn envelope(namespaces: &[(&str, &str)]) -> Self {
        let mut out = String::with_capacity(1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        out.push_str("<soapenv:Envelope xmlns:soapenv=\"");
        out.push_str(ENVELOPE_NAMESPACE);
        out.push_str("\" xmlns:i=\"");
        out.push_str(INSTANCE_NAMESPACE);
        out.push('"');
        for (prefix, uri) in namespaces {
            out.push_str(" xmlns:");
            out.push_str(prefix);
            out.push_str("=\"");
            // The namespaces are the generated service's own constants, valid XML.
            let _ = escape_into(&mut out, uri);
            out.push('"');
        }
        out.push_str("><soapenv:Header/><soapenv:Body>");
        XmlWriter { out, problem: None }
    }

    /// Opens `<prefix:name>`.
    pub fn start(&mut self, prefix: &str, name: &str) {
        self.out.push('<');
        self.out.push_str(prefix);
        self.out.push(':');
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Closes `</prefix:name>`.
    pub fn end(&mut self, prefix: &str, name: &str) {
        self.out.push_str("</");
        self.out.push_str(prefix);
        self.out.push(':');
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<prefix:name>text</prefix:name>`.
    pub fn leaf(&mut self, prefix: &str, name: &str, text: &str) {
        self.start(prefix, name);
        if let Err(character) = escape_into(&mut self.out, text) {
            // The element is named, its text never: it may be a password.
            self.problem.get_or_insert(format!(
                "the character U+{:04X} in element `{name}` cannot be sent in XML",
                character as u32
            ));
        }
        self.end(prefix, name);
    }

    /// `<prefix:name i:nil="true"/>`.
    pub fn nil(&mut self, prefix: &str, name: &str) {
        self.out.push('<');
        self.out.push_str(prefix);
        self.out.push(':');
        self.out.push_str(name);
        self.out.push_str(" i:nil=\"true\"/>");
    }

    /// A wrapped collection: `<prefix:name><item_prefix:item>…</item_prefix:item>…</prefix:name>`.
    pub fn list<T: ToXml>(&mut self, prefix: &str, name: &str, item_prefix: &str, item: &str, values: &[T]) {
        self.start(prefix, name);
        for value in values {
            value.write_xml(self, item_prefix, item);
        }
        self.end(prefix, name);
    }

    /// Closes the envelope; fails if some text cannot be represented in XML 1.0.
    pub fn finish(mut self) -> Result<String, String> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        self.out.push_str("</soapenv:Body></soapenv:Envelope>");
        Ok(self.out)
    }
}

/// Escapes markup characters; keeps tabs and line breaks exact as character references.
/// Fails with the first character XML 1.0 cannot carry (left out of `out`).
fn escape_into(out: &mut String, text: &str) -> Result<(), char> {
    let mut problem = None;
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                problem.get_or_insert(c);
            }
            c => out.push(c),
        }
    }
    problem.map_or(Ok(()), Err)
}

/// A value that can be written as one element.
pub trait ToXml {
    /// Writes `self` as the element `<prefix:name>`.
    fn write_xml(&self, writer: &mut XmlWriter, prefix: &str, name: &str);
}

macro_rules! to_xml_by_display {
    ($($ty:ty),*) => {$(
        impl ToXml for $ty {
            fn write_xml(&self, writer: &mut XmlWriter, prefix: &str, name: &str) {
                writer.leaf(prefix, name, &self.to_string());
            }
        }
    )*};
}

to_xml_by_display!(String, i32, i64, f32, f64, bool, DateTime, Date, uuid::Uuid);

impl ToXml for Secret {
    fn write_xml(&self, writer: &mut XmlWriter, prefix: &str, name: &str) {
        writer.leaf(prefix, name, self.expose());
    }
}

impl<T: ToXml> ToXml for Box<T> {
    fn write_xml(&self, writer: &mut XmlWriter, prefix: &str, name: &str) {
        T::write_xml(self, writer, prefix, name);
    }
}

/// One element of a response: its namespace, local name, `i:nil`, text and child elements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// Shared by every element in the same namespace, so a long namespace declared once
    /// cannot be copied into each of a million small elements.
    pub namespace: Option<Arc<str>>,
    /// The local name (without prefix).
    pub name: String,
    /// Whether the element carries `i:nil="true"`.
    pub nil: bool,
    /// The element's own text (entities and character data decoded).
    pub text: String,
    /// The child elements, in document order.
    pub children: Vec<Element>,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }
}

/// Why a response could not be read: where (an element path) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// The element path (`PwsSaveProjectTaskResponse/PwsSaveProjectTaskResult/Status`).
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

impl XmlError {
    fn at(path: &str, message: impl Into<String>) -> Self {
        XmlError { path: path.to_owned(), message: message.into() }
    }
}

/// Limits of the response reader. A server answer beyond one is refused with an error naming
/// the limit, so every answer up to the body limit is read in time linear in its size. Real
/// answers stay far below each (a Projector answer declares a handful of namespaces and three
/// attributes per element at most).
pub mod limits {
    /// Elements open at once.
    pub const DEPTH: usize = 256;
    /// Elements in one document. A 32 MiB answer of Projector messages has about 800,000; the
    /// tree costs about 130 bytes per element however short its tag, so this also caps memory
    /// (about 130 MB for a million `<a/>`).
    pub const ELEMENTS: usize = 1_000_000;
    /// Attributes on one element, namespace declarations included.
    pub const ATTRIBUTES_PER_ELEMENT: usize = 256;
    /// Namespace declarations (`xmlns`, `xmlns:*`) on one element.
    pub const DECLARATIONS_PER_ELEMENT: usize = 32;
    /// Namespace bindings in scope at once (declared on an element and its ancestors); this
    /// also bounds the cost of resolving each prefix.
    pub const BINDINGS_IN_SCOPE: usize = 64;
    /// Bytes of one namespace URI.
    pub const NAMESPACE_LENGTH: usize = 512;
}

fn over_limit(what: &str, limit: usize) -> String {
    format!("the answer has more than {limit} {what} (a limit of the SOAP reader); it was not read")
}

/// Parses a whole document into its root element, within [`limits`].
pub fn parse_document(body: &[u8]) -> Result<Element, XmlError> {
    let mut reader = Reader::from_reader(body);
    let mut resolver = NamespaceResolver::default();
    resolver.set_max_namespace_bindings(limits::BINDINGS_IN_SCOPE);
    let mut namespaces = Namespaces::default();
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    let mut elements = 0usize;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|error| XmlError::at(&path_of(&stack), format!("malformed XML at byte {position}: {error}")))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let local = start.name().local_name().into_inner().to_owned();
                let at = |stack: &[Element]| match stack.is_empty() {
                    true => local.clone(),
                    false => format!("{}/{local}", path_of(stack)),
                };
                if stack.len() >= limits::DEPTH {
                    return Err(XmlError::at(&at(&stack), over_limit("nested elements", limits::DEPTH)));
                }
                elements += 1;
                if elements > limits::ELEMENTS {
                    return Err(XmlError::at(&at(&stack), over_limit("elements", limits::ELEMENTS)));
                }
                // Counted before the resolver sees the tag, so a hostile tag costs no more
                // than its bytes.
                let mut nil = None;
                let mut declarations = 0usize;
                for (index, attribute) in start.attributes().enumerate() {
                    if index == limits::ATTRIBUTES_PER_ELEMENT {
                        let what = "attributes on one element";
                        return Err(XmlError::at(&at(&stack), over_limit(what, limits::ATTRIBUTES_PER_ELEMENT)));
                    }
                    let attribute = attribute.map_err(|error| XmlError::at(&at(&stack), error.to_string()))?;
                    if attribute.key.as_namespace_binding().is_some() {
                        declarations += 1;
                        if declarations > limits::DECLARATIONS_PER_ELEMENT {
                            let what = "namespace declarations on one element";
                            return Err(XmlError::at(&at(&stack), over_limit(what, limits::DECLARATIONS_PER_ELEMENT)));
                        }
                        if attribute.value.len() > limits::NAMESPACE_LENGTH {
                            let what = "bytes in a namespace URI";
                            return Err(XmlError::at(&at(&stack), over_limit(what, limits::NAMESPACE_LENGTH)));
                        }
                    } else if attribute.key.local_name().into_inner() == "nil" {
                        nil = Some(attribute);
                    }
                }
                resolver.push(start).map_err(|error| {
                    let message = match error {
                        NamespaceError::TooManyBindings(limit) => over_limit("namespace bindings in scope", limit),
                        other => other.to_string(),
                    };
                    XmlError::at(&at(&stack), message)
                })?;
                let (namespace, _) = resolver.resolve_element(start.name());
                let namespace = match namespace {
                    ResolveResult::Bound(namespace) => Some(namespaces.intern(namespace.into_inner())),
                    _ => None,
                };
                let nil = nil.is_some_and(|attribute| {
                    let (namespace, _) = resolver.resolve_attribute(attribute.key);
                    matches!(namespace, ResolveResult::Bound(ns) if ns.into_inner() == INSTANCE_NAMESPACE)
                        && matches!(attribute.value.as_ref(), "true" | "1")
                });
                stack.push(Element { namespace, name: local, nil, ..Element::default() });
                if matches!(event, Event::Empty(_)) {
                    resolver.pop();
                    close(&mut stack, &mut root);
                }
            }
            Event::End(_) => {
                resolver.pop();
                close(&mut stack, &mut root);
            }
            Event::Text(text) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&text.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                let character =
                    reference.resolve_char_ref().map_err(|error| XmlError::at(&path_of(&stack), error.to_string()))?;
                let mut buffer = [0; 4];
                let text = match character {
                    Some(character) => &*character.encode_utf8(&mut buffer),
                    // Only the five predefined entities: a document type's own are never expanded.
                    None => resolve_predefined_entity(&reference)
                        .ok_or_else(|| XmlError::at(&path_of(&stack), format!("unknown entity `&{};`", &*reference)))?,
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(text);
                }
            }
            Event::CData(data) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&data.xml10_content());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::at(&path_of(&stack), "the document ends inside an element"));
    }
    root.ok_or_else(|| XmlError::at("/", "the document has no element"))
}

/// One shared copy of each namespace URI of a document.
#[derive(Default)]
struct Namespaces {
    seen: HashSet<Arc<str>>,
    last: Option<Arc<str>>,
}

impl Namespaces {
    fn intern(&mut self, namespace: &str) -> Arc<str> {
        // Neighbouring elements mostly share a namespace; comparing with the last one skips hashing.
        if let Some(last) = self.last.as_ref().filter(|last| &***last == namespace) {
            return last.clone();
        }
        let shared = match self.seen.get(namespace) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Arc<str> = Arc::from(namespace);
                self.seen.insert(shared.clone());
                shared
            }
        };
        self.last = Some(shared.clone());
        shared
    }
}

fn close(stack: &mut Vec<Element>, root: &mut Option<Element>) {
    if let Some(element) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(element),
            None => *root = Some(element),
        }
    }
}

fn path_of(stack: &[Element]) -> String {
    if stack.is_empty() {
        return "/".to_owned();
    }
    stack.iter().map(|element| element.name.as_str()).collect::<Vec<_>>().join("/")
}

/// The `Body` of a SOAP envelope.
pub fn parse_envelope(body: &[u8]) -> Result<Element, XmlError> {
    let root = parse_document(body)?;
    if root.name != "Envelope" || root.namespace.as_deref() != Some(ENVELOPE_NAMESPACE) {
        return Err(XmlError::at(&root.name, "the response is not a SOAP 1.1 envelope"));
    }
    root.children
        .into_iter()
        .find(|child| child.name == "Body")
        .ok_or_else(|| XmlError::at("Envelope", "the envelope has no Body"))
}

/// The fault in a response body, if it is one.
pub fn fault(body: &Element) -> Option<SoapFault> {
    let fault = body.children.iter().find(|child| child.name == "Fault")?;
    let text = |name: &str| fault.child(name).map(|child| child.text.trim().to_owned());
    Some(SoapFault {
        code: text("faultcode").unwrap_or_default(),
        message: text("faultstring").unwrap_or_default(),
        detail: fault.child("detail").map(flatten_text).filter(|text| !text.is_empty()),
    })
}

fn flatten_text(element: &Element) -> String {
    let mut parts = vec![element.text.trim().to_owned()];
    parts.extend(element.children.iter().map(flatten_text));
    parts.retain(|part| !part.is_empty());
    parts.join(" ")
}

/// A value that can be read from one element.
pub trait FromXml: Sized {
    /// Reads a value from `element`; `path` names it in errors.
    fn from_xml(element: &Element, path: &str) -> Result<Self, XmlError>;
}

fn parse_text<T: std::str::FromStr>(element: &Element, path: &str, what: &str) -> Result<T, XmlError>
where
    T::Err: fmt::Display,
{
    let text = element.text.trim();
    text.parse().map_err(|error| XmlError::at(path, format!("`{text}` is not {what}: {error}")))
}

impl FromXml for String {
    fn from_xml(element: &Element, _: &str) -> Result<Self, XmlError> {
        Ok(element.text.clone())
    }
}

impl FromXml for Secret {
    fn from_xml(element: &Element, _: &str) -> Result<Self, XmlError> {
        Ok(Secret::new(element.text.trim()))
    }
}

impl FromXml for bool {
    fn from_xml(element: &Element, path: &str) -> Result<Self, XmlError> {
        match element.text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(XmlError::at(path, format!("`{other}` is not a boolean"))),
        }
    }
}

macro_rules! from_xml_by_parse {
    ($($ty:ty => $what:expr),*) => {$(
        impl FromXml for $ty {
            fn from_xml(element: &Element, path: &str) -> Result<Self, XmlError> {
                parse_text(element, path, $what)
            }
        }
    )*};
}

from_xml_by_parse!(
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    f32 => "a number",
    f64 => "a number",
    DateTime => "a date-time",
    Date => "a date",
    uuid::Uuid => "a UUID"
);

impl<T: FromXml> FromXml for Box<T> {
    fn from_xml(element: &Element, path: &str) -> Result<Self, XmlError> {
        T::from_xml(element, path).map(Box::new)
    }
}

/// Reads a generated enum from its wire text (a name, or a number for integer-coded enums).
pub fn enum_from_xml<T: serde::de::DeserializeOwned>(
    element: &Element,
    path: &str,
    integer: bool,
) -> Result<T, XmlError> {
    let text = element.text.trim();
    let result = if integer {
        let number: i64 = text.parse().map_err(|_| XmlError::at(path, format!("`{text}` is not an integer")))?;
        T::deserialize(serde::de::value::I64Deserializer::<serde::de::value::Error>::new(number))
    } else {
        T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(text))
    };
    result.map_err(|error| XmlError::at(path, error.to_string()))
}

/// An optional child: absent or `i:nil="true"` is `None`.
pub fn optional<T: FromXml>(parent: &Element, name: &str, path: &str) -> Result<Option<T>, XmlError> {
    match parent.child(name) {
        None => Ok(None),
        Some(child) if child.nil => Ok(None),
        Some(child) => T::from_xml(child, &format!("{path}/{name}")).map(Some),
    }
}

/// A required child: absent or nil is an error naming it.
pub fn required<T: FromXml>(parent: &Element, name: &str, path: &str) -> Result<T, XmlError> {
    optional(parent, name, path)?
        .ok_or_else(|| XmlError::at(&format!("{path}/{name}"), "the element is missing or nil"))
}

/// A wrapped collection: absent or nil is `None`, an empty element an empty list.
pub fn list<T: FromXml>(parent: &Element, name: &str, item: &str, path: &str) -> Result<Option<Vec<T>>, XmlError> {
    match parent.child(name) {
        None => Ok(None),
        Some(child) if child.nil => Ok(None),
        Some(child) => child
            .children
            .iter()
            .filter(|entry| entry.name == item)
            .enumerate()
            .map(|(index, entry)| T::from_xml(entry, &format!("{path}/{name}/{item}[{index}]")))
            .collect::<Result<Vec<T>, _>>()
            .map(Some),
    }
}

/// Where and how one SOAP call is sent.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// Base URL of the server (the client's, or a session's after a redirect).
    pub base_url: &'a str,
    /// The service's path below the base URL (`/OpsProjectorWcfSvc/PwsProjectorServices.svc`).
    pub endpoint_path: &'a str,
    /// The `SOAPAction` header.
    pub action: &'a str,
    /// `(prefix, uri)` declared on the envelope.
    pub namespaces: &'a [(&'a str, &'a str)],
    /// Prefix of the wrapper elements.
    pub operation_prefix: &'a str,
    /// The operation element (`PwsSaveProjectTask`); the answer is in `<it>Response/<it>Result`.
    pub operation: &'a str,
    /// The wrapper's child holding the request (`serviceRequest`).
    pub request_element: &'a str,
    /// Local names of the elements whose text is a secret (`secret` fields): their text is
    /// redacted from the answer kept in an error.
    pub secret_elements: &'a [&'a str],
    /// The operation, for hooks, tracing and whether the call may be retried.
    pub info: Option<&'static OperationInfo>,
    /// The caller's settings (`Client::with_request_options`).
    pub options: &'a RequestOptions,
}

/// Sends one call and decodes its result. `check` turns a decoded result whose status says
/// "failed" into the operation's error body `E`.
pub async fn call<Rq: ToXml, Rs: FromXml, E>(
    http: &HttpClient,
    call: Call<'_>,
    request: &Rq,
    check: impl Fn(&Rs) -> Option<E>,
) -> Result<Response<Rs>, Error<E>> {
    let mut writer = XmlWriter::envelope(call.namespaces);
    writer.start(call.operation_prefix, call.operation);
    request.write_xml(&mut writer, call.operation_prefix, call.request_element);
    writer.end(call.operation_prefix, call.operation);
    let envelope = writer.finish().map_err(Error::InvalidRequest)?;
    let builder = http
        .request(reqwest::Method::POST, call.endpoint_path.to_owned())
        .base_url(call.base_url)
        .options(call.options.clone())
        .soap(call.action, envelope);
    let builder = match call.info {
        Some(info) => builder.operation(info),
        None => builder,
    };
    let raw = http.execute(builder).await?;
    let url = raw.url().clone();
    let (status, headers, body) = raw.into_parts();
    let kept = || redact_elements(&String::from_utf8_lossy(&body), call.secret_elements);
    let decode_error =
        |error: XmlError| Error::Decode(DecodeError { status, path: error.path, message: error.message, body: kept() });
    let raw_api_error =
        |status, headers| Error::Api(Box::new(ApiError { status, headers, body: ErrorBody::Raw(kept()) }));
    let envelope = match parse_envelope(&body) {
        Ok(envelope) => envelope,
        // A non-success status without an envelope (a proxy's HTML page, say) is an API error.
        Err(_) if !status.is_success() => return Err(raw_api_error(status, headers)),
        Err(error) => return Err(decode_error(error)),
    };
    if let Some(fault) = fault(&envelope) {
        return Err(Error::Fault(Box::new(fault)));
    }
    if !status.is_success() {
        return Err(raw_api_error(status, headers));
    }
    let response_name = format!("{}Response", call.operation);
    let result_name = format!("{}Result", call.operation);
    let result = envelope.child(&response_name).and_then(|response| response.child(&result_name)).ok_or_else(|| {
        decode_error(XmlError::at(&format!("Body/{response_name}/{result_name}"), "the element is missing"))
    })?;
    let decoded = Rs::from_xml(result, &format!("{response_name}/{result_name}")).map_err(decode_error)?;
    if let Some(failure) = check(&decoded) {
        return Err(Error::Api(Box::new(ApiError { status, headers, body: ErrorBody::Typed(failure) })));
    }
    Ok(Response { status, headers, body: decoded, url })
}

/// What errors keep of an answer in place of a secret element's content.
pub const REDACTED: &str = "(redacted)";

/// `text` with the content of every element whose local name is in `names` (any prefix)
/// replaced by [`REDACTED`]. Works on raw text, since it also serves answers that are not
/// well-formed: an element left open hides the rest of the text. One pass, linear in `text`.
pub fn redact_elements(text: &str, names: &[&str]) -> String {
    if names.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let Some(length) = rest[open..].find('>') else { break };
        let tag_end = open + length + 1;
        let tag = &rest[open + 1..tag_end - 1];
        out.push_str(&rest[..tag_end]);
        rest = &rest[tag_end..];
        if tag.starts_with(['/', '?', '!']) || tag.ends_with('/') {
            continue;
        }
        let qualified = tag.split(|c: char| c.is_ascii_whitespace()).next().unwrap_or_default();
        let local = qualified.rsplit(':').next().unwrap_or_default();
        if !names.contains(&local) {
            continue;
        }
        out.push_str(REDACTED);
        match rest.find(&format!("</{qualified}")) {
            Some(end) => rest = &rest[end..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The base URL a session moves to when the authenticate answer redirects it, after checking
/// the redirect: never from https to http, no user information, query or fragment, and a host
/// that matches one of `allowed` (`host`, `*.domain` for any host below it, `*` for any host).
/// The credentials are sent to the URL this returns.
pub fn redirect_base_url(current: &str, redirect: &str, allowed: &[String]) -> Result<String, SessionError> {
    let refused = |host: Option<&str>, rule| SessionError::RedirectRefused { host: host.map(str::to_owned), rule };
    let url = reqwest::Url::parse(redirect.trim()).map_err(|_| refused(None, RedirectRule::NotHttpUrl))?;
    let host = url.host_str();
    let from_https = !current.get(..5).is_some_and(|scheme| scheme.eq_ignore_ascii_case("http:"));
    match url.scheme() {
        "https" => {}
        "http" if !from_https => {}
        "http" => return Err(refused(host, RedirectRule::Downgrade)),
        _ => return Err(refused(host, RedirectRule::NotHttpUrl)),
    }
    let Some(host) = host.filter(|host| !host.is_empty()) else {
        return Err(refused(None, RedirectRule::NotHttpUrl));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refused(Some(host), RedirectRule::UserInfo));
    }
    if url.query().is_some() {
        return Err(refused(Some(host), RedirectRule::Query));
    }
    if url.fragment().is_some() {
        return Err(refused(Some(host), RedirectRule::Fragment));
    }
    if !allowed.iter().any(|pattern| host_matches(pattern, host)) {
        return Err(refused(Some(host), RedirectRule::HostNotAllowed { allowed: allowed.to_vec() }));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Whether `host` (as a parsed URL carries it: lowercase, IPv6 in brackets) matches `pattern`.
fn host_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    if pattern == "*" {
        return true;
    }
    match pattern.strip_prefix("*.") {
        Some(domain) => host.strip_suffix(domain).is_some_and(|below| below.len() > 1 && below.ends_with('.')),
        None => host == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_refuses_control_characters() {
        let mut writer = XmlWriter::envelope(&[("a", "urn:a")]);
        writer.leaf("a", "Text", "x < y & ]]> \"ü\"\n");
        let text = writer.finish().unwrap();
        assert!(text.contains("<a:Text>x &lt; y &amp; ]]&gt; &quot;ü&quot;&#10;</a:Text>"), "{text}");
        let mut writer = XmlWriter::envelope(&[]);
        writer.leaf("a", "Text", "\u{1}");
        assert!(writer.finish().is_err());
    }

    #[test]
    fn reads_nil_lists_and_namespaces() {
        let body = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <R xmlns="urn:r" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
              <A i:nil="true"/><B>7</B><L><I>1</I><I>2</I></L><E/>
            </R></s:Body></s:Envelope>"#;
        let body = parse_envelope(body).unwrap();
        let r = body.child("R").unwrap();
        assert_eq!(r.namespace.as_deref(), Some("urn:r"));
        assert_eq!(optional::<i32>(r, "A", "R").unwrap(), None);
        assert_eq!(required::<i64>(r, "B", "R").unwrap(), 7);
        assert_eq!(list::<i32>(r, "L", "I", "R").unwrap(), Some(vec![1, 2]));
        assert_eq!(list::<i32>(r, "E", "I", "R").unwrap(), Some(vec![]));
        assert!(required::<i32>(r, "Missing", "R").is_err());
    }

    /// The refusal of `body`, which must name `limit`.
    fn refusal(body: &str, limit: &str) -> XmlError {
        let error = parse_document(body.as_bytes()).expect_err("over a limit");
        assert!(error.message.contains(limit), "expected `{limit}` in: {error}");
        error
    }

    #[test]
    fn refuses_one_element_with_100000_attributes() {
        let attributes: String = (0..100_000).map(|i| format!(" a{i}=\"v\"")).collect();
        let error = refusal(&format!("<r><e{attributes}/></r>"), "more than 256 attributes");
        assert_eq!(error.path, "r/e");
        let mut at_limit: String = (0..limits::ATTRIBUTES_PER_ELEMENT).map(|i| format!(" a{i}=\"v\"")).collect();
        assert!(parse_document(format!("<e{at_limit}/>").as_bytes()).is_ok(), "the limit itself is allowed");
        at_limit.push_str(" one=\"more\"");
        refusal(&format!("<e{at_limit}/>"), "attributes");
    }

    #[test]
    fn refuses_40000_namespace_declarations_on_one_element() {
        let declarations: String = (0..40_000).map(|i| format!(" xmlns:p{i}=\"urn:{i}\"")).collect();
        refusal(&format!("<p0:r{declarations}/>"), "more than 32 namespace declarations on one element");
        let at_limit: String =
            (0..limits::DECLARATIONS_PER_ELEMENT).map(|i| format!(" xmlns:p{i}=\"urn:{i}\"")).collect();
        let element = parse_document(format!("<p0:r{at_limit}/>").as_bytes()).expect("the limit itself is allowed");
        assert_eq!(element.namespace.as_deref(), Some("urn:0"));
    }

    #[test]
    fn refuses_more_namespace_bindings_in_scope_than_the_limit() {
        // 20 levels of 10 declarations each: every element is under its own limit, the scope is not.
        let open: String = (0..20)
            .map(|level| {
                let declarations: String = (0..10).map(|i| format!(" xmlns:p{level}x{i}=\"urn:{i}\"")).collect();
                format!("<e{declarations}>")
            })
            .collect();
        let error = refusal(&format!("{open}{}", "</e>".repeat(20)), "more than 64 namespace bindings in scope");
        assert_eq!(error.path.matches('e').count(), 7, "refused at the 7th level: {}", error.path);
    }

    #[test]
    fn refuses_a_long_namespace_uri() {
        let uri = "u".repeat(limits::NAMESPACE_LENGTH + 1);
        refusal(&format!("<r xmlns=\"{uri}\"/>"), "more than 512 bytes in a namespace URI");
    }

    #[test]
    fn refuses_nesting_100000_deep() {
        let body = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        refusal(&body, "more than 256 nested elements");
        let body = format!("{}{}", "<a>".repeat(limits::DEPTH), "</a>".repeat(limits::DEPTH));
        assert!(parse_document(body.as_bytes()).is_ok(), "the limit itself is allowed");
    }

    #[test]
    fn refuses_more_elements_than_the_limit() {
        let body = format!("<r>{}</r>", "<a/>".repeat(limits::ELEMENTS));
        let error = refusal(&body, "more than 1000000 elements");
        assert_eq!(error.path, "r/a");
    }

    #[test]
    fn elements_share_one_copy_of_their_namespace() {
        let uri = "urn:".to_owned() + &"n".repeat(500);
        let body = format!("<r xmlns=\"{uri}\">{}</r>", "<a/>".repeat(1000));
        let root = parse_document(body.as_bytes()).unwrap();
        let first = root.children[0].namespace.clone().unwrap();
        assert!(root.children.iter().all(|child| Arc::ptr_eq(child.namespace.as_ref().unwrap(), &first)));
    }

    #[test]
    fn never_expands_entities_a_document_type_declares() {
        let laughs = r#"<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>"#;
        refusal(laughs, "unknown entity `&b;`");
        let root = parse_document(b"<r>&lt;&amp;&gt;&quot;&apos;&#233;&#x1F600;</r>").unwrap();
        assert_eq!(root.text, "<&>\"'\u{e9}\u{1F600}");
    }

    #[test]
    fn redacts_secret_elements_from_kept_text() {
        let names = ["SessionTicket", "Password"];
        let text = r#"<a:SessionTicket>T1</a:SessionTicket><Password x="1"><![CDATA[P<1>]]></Password><SessionTicket i:nil="true"/><Other>kept</Other><SessionTicketX>kept too</SessionTicketX>"#;
        assert_eq!(
            redact_elements(text, &names),
            r#"<a:SessionTicket>(redacted)</a:SessionTicket><Password x="1">(redacted)</Password><SessionTicket i:nil="true"/><Other>kept</Other><SessionTicketX>kept too</SessionTicketX>"#
        );
        // An answer cut off inside a secret element hides the rest.
        assert_eq!(redact_elements("<r><SessionTicket>T2<x>", &names), "<r><SessionTicket>(redacted)");
        assert_eq!(redact_elements("<r>no secrets", &[]), "<r>no secrets");
    }

    #[test]
    fn redirects_keep_to_https_and_the_allowed_hosts() {
        let allowed = vec!["*.projectorpsa.com".to_owned()];
        let base = "https://secure.projectorpsa.com";
        let follow = |url: &str| redirect_base_url(base, url, &allowed);
        assert_eq!(follow("https://Secure2.ProjectorPSA.com/").unwrap(), "https://secure2.projectorpsa.com");
        assert_eq!(follow(" https://a.b.projectorpsa.com:8443/x/ ").unwrap(), "https://a.b.projectorpsa.com:8443/x");
        let rule = |url: &str| match follow(url) {
            Err(SessionError::RedirectRefused { rule, .. }) => rule,
            other => panic!("{url} was not refused: {other:?}"),
        };
        assert_eq!(rule("http://secure2.projectorpsa.com/"), RedirectRule::Downgrade);
        assert_eq!(rule("ftp://secure2.projectorpsa.com/"), RedirectRule::NotHttpUrl);
        assert_eq!(rule("/relative"), RedirectRule::NotHttpUrl);
        assert_eq!(rule("https://u:p@secure2.projectorpsa.com/"), RedirectRule::UserInfo);
        assert_eq!(rule("https://secure2.projectorpsa.com/?a=b"), RedirectRule::Query);
        assert_eq!(rule("https://secure2.projectorpsa.com/#f"), RedirectRule::Fragment);
        for host in ["projectorpsa.com", "evilprojectorpsa.com", "secure.projectorpsa.com.evil.example", "127.0.0.1"] {
            assert!(matches!(rule(&format!("https://{host}/")), RedirectRule::HostNotAllowed { .. }), "{host}");
        }
        // From http, http is no downgrade; `*` allows any host.
        let any = vec!["*".to_owned()];
        assert_eq!(redirect_base_url("http://127.0.0.1:1", "http://127.0.0.1:2/", &any).unwrap(), "http://127.0.0.1:2");
    }

    #[test]
    fn envelope_errors_name_the_element_not_its_text() {
        let mut writer = XmlWriter::envelope(&[]);
        writer.leaf("req", "Password", "hunter2\u{1}");
        let error = writer.finish().unwrap_err();
        assert_eq!(error, "the character U+0001 in element `Password` cannot be sent in XML");
    }

    #[test]
    fn refuses_malformed_documents_without_panicking() {
        for body in [&b""[..], b"<a>", b"<a></b>", b"\xff\xfe", b"<a>&bogus;</a>"] {
            assert!(parse_document(body).is_err());
        }
    }
}
