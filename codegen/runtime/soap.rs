//! SOAP 1.1 envelopes: writing requests with prefixed namespaces, and reading responses into a
//! small element tree that generated types decode from.
//!
//! quick-xml reads the response (well kept, fast, namespace-aware, no unsafe in our use, and it
//! only comes in with the `soap` feature). Responses are matched on local element names: the
//! documents confirm only some of the namespaces, and a server's prefixes are its own choice.

use std::fmt;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::config::Secret;
use super::datetime::{Date, DateTime};
use super::error::{ApiError, DecodeError, Error, ErrorBody, SoapFault};
use super::http::HttpClient;
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
            escape_into(&mut out, uri, &mut None);
            out.push('"');
        }
        out.push_str("><soapenv:Header/><soapenv:Body>");
        XmlWriter { out, problem: None }
    }

    pub fn start(&mut self, prefix: &str, name: &str) {
        self.out.push('<');
        self.out.push_str(prefix);
        self.out.push(':');
        self.out.push_str(name);
        self.out.push('>');
    }

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
        escape_into(&mut self.out, text, &mut self.problem);
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
fn escape_into(out: &mut String, text: &str, problem: &mut Option<String>) {
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
                problem.get_or_insert(format!("the character U+{:04X} cannot be sent in XML", c as u32));
            }
            c => out.push(c),
        }
    }
}

/// A value that can be written as one element.
pub trait ToXml {
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
    pub namespace: Option<String>,
    pub name: String,
    pub nil: bool,
    pub text: String,
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
    pub path: String,
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

/// How deep an element tree may nest before it is refused (a guard against hostile input).
const MAX_DEPTH: usize = 256;

/// Parses a whole document into its root element.
pub fn parse_document(body: &[u8]) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_reader(body);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    let mut buffer = Vec::new();
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|error| XmlError::at("/", format!("malformed XML at byte {position}: {error}")))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let (namespace, local) = reader.resolve_element(start.name());
                let mut element = Element {
                    namespace: resolved(&namespace),
                    name: String::from_utf8_lossy(local.as_ref()).into_owned(),
                    ..Element::default()
                };
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(|error| XmlError::at(&element.name, error.to_string()))?;
                    let (attribute_namespace, local) = reader.resolve_attribute(attribute.key);
                    let is_instance = matches!(&attribute_namespace, ResolveResult::Bound(ns) if ns.as_ref() == INSTANCE_NAMESPACE.as_bytes());
                    if is_instance && local.as_ref() == b"nil" {
                        element.nil = attribute.value.as_ref() == b"true" || attribute.value.as_ref() == b"1";
                    }
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::at(&element.name, "the document nests too deeply"));
                }
                stack.push(element);
                if matches!(event, Event::Empty(_)) {
                    close(&mut stack, &mut root);
                }
            }
            Event::End(_) => close(&mut stack, &mut root),
            Event::Text(text) => {
                let text = text.unescape().map_err(|error| XmlError::at(&path_of(&stack), error.to_string()))?;
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&text);
                }
            }
            Event::CData(data) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&String::from_utf8_lossy(&data));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if !stack.is_empty() {
        return Err(XmlError::at(&path_of(&stack), "the document ends inside an element"));
    }
    root.ok_or_else(|| XmlError::at("/", "the document has no element"))
}

fn resolved(namespace: &ResolveResult<'_>) -> Option<String> {
    match namespace {
        ResolveResult::Bound(ns) => Some(String::from_utf8_lossy(ns.as_ref()).into_owned()),
        _ => None,
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
    pub endpoint_path: &'a str,
    pub action: &'a str,
    /// `(prefix, uri)` declared on the envelope.
    pub namespaces: &'a [(&'a str, &'a str)],
    /// Prefix of the wrapper elements.
    pub operation_prefix: &'a str,
    /// The operation element (`PwsSaveProjectTask`); the answer is in `<it>Response/<it>Result`.
    pub operation: &'a str,
    /// The wrapper's child holding the request (`serviceRequest`).
    pub request_element: &'a str,
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
        .soap(call.action, envelope);
    let (status, headers, body) = http.execute(builder).await?.into_parts();
    let decode_error = |error: XmlError| {
        Error::Decode(DecodeError {
            status,
            path: error.path,
            message: error.message,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    };
    let raw_api_error = |status, headers| {
        Error::Api(Box::new(ApiError {
            status,
            headers,
            body: ErrorBody::Raw(String::from_utf8_lossy(&body).into_owned()),
        }))
    };
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
    Ok(Response { status, headers, body: decoded })
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

    #[test]
    fn refuses_malformed_documents_without_panicking() {
        for body in [&b""[..], b"<a>", b"<a></b>", b"\xff\xfe", b"<a>&bogus;</a>"] {
            assert!(parse_document(body).is_err());
        }
    }
}
