//! Bodies beyond JSON: forms, multipart with files, bytes (in memory or streamed) and text, and
//! binary, text and streamed answers.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

pub use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::error::{DecodeError, Error};
use super::http::{RawResponse, RequestBuilder};
use super::response::Response;

/// A file in a `multipart/form-data` body: its bytes, and the file name and content type its
/// part announces: `FilePart::new(bytes).with_file_name("report.csv").with_content_type("text/csv")`,
/// or the bytes alone (`Vec<u8>` and `Bytes` convert into one).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file of these bytes, sent without a file name as `application/octet-stream` until
    /// [`with_file_name`](Self::with_file_name) and [`with_content_type`](Self::with_content_type)
    /// say otherwise.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart { bytes: bytes.into(), file_name: None, content_type: None }
    }

    /// The file name the part announces (`filename="…"`).
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's `Content-Type` (`image/png`, say); without one it is `application/octet-stream`.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file name, if set.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type, if set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::new(bytes)
    }
}

// The bytes of a file can be large: `Debug` shows their number.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

// The types of a multipart body derive serde's traits like every generated type; a file is
// written as its bytes (the generator never puts one into JSON).
impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.bytes)
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(deserializer).map(FilePart::new)
    }
}

/// The body of a `binary` request: bytes in memory, or a stream read while the request is sent
/// (a large upload, with `BinaryBody::stream`, the `streaming-runtime` feature).
///
/// Bytes in memory are sent again when the request is retried. A stream is read once: a
/// retryable answer (a 503, say) to a streamed request is returned as the error, never retried,
/// and a copy of the request builder shares the one stream, so only one of them can be sent.
#[derive(Clone)]
pub struct BinaryBody(Binary, Option<String>);

#[derive(Clone)]
enum Binary {
    Bytes(Bytes),
    // Made by `BinaryBody::stream` only.
    #[cfg_attr(not(feature = "streaming-runtime"), allow(dead_code))]
    Stream(OneShot),
}

impl BinaryBody {
    /// A body read from `stream` as it is sent, without holding it in memory (no
    /// `Content-Length`: it is sent chunked). An error from the stream aborts the request
    /// (`Error::Transport`).
    #[cfg(feature = "streaming-runtime")]
    pub fn stream<S, E>(stream: S) -> Self
    where
        S: futures_core::Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<super::BoxError>,
    {
        let body = reqwest::Body::wrap(streaming::StreamBody(Mutex::new(Box::pin(stream))));
        BinaryBody(Binary::Stream(OneShot(Arc::new(Mutex::new(Some(body))))), None)
    }

    /// Sends the body with this `Content-Type` instead of the one the operation declares (an
    /// upload whose media type is the file's own, say).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.1 = Some(content_type.into());
        self
    }
}

impl From<Bytes> for BinaryBody {
    fn from(bytes: Bytes) -> Self {
        BinaryBody(Binary::Bytes(bytes), None)
    }
}

impl From<Vec<u8>> for BinaryBody {
    fn from(bytes: Vec<u8>) -> Self {
        BinaryBody(Binary::Bytes(bytes.into()), None)
    }
}

impl From<&'static [u8]> for BinaryBody {
    fn from(bytes: &'static [u8]) -> Self {
        BinaryBody(Binary::Bytes(Bytes::from_static(bytes)), None)
    }
}

impl From<String> for BinaryBody {
    fn from(text: String) -> Self {
        BinaryBody(Binary::Bytes(text.into()), None)
    }
}

impl fmt::Debug for BinaryBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut f = match &self.0 {
            Binary::Bytes(_) => f.debug_struct("BinaryBody::Bytes"),
            Binary::Stream(_) => f.debug_struct("BinaryBody::Stream"),
        };
        if let Binary::Bytes(bytes) = &self.0 {
            f.field("len", &bytes.len());
        }
        f.field("content_type", &self.1).finish()
    }
}

/// A streamed request body, shared by the copies of a request builder and taken by the first
/// send.
#[derive(Clone)]
pub(super) struct OneShot(Arc<Mutex<Option<reqwest::Body>>>);

impl OneShot {
    pub(super) fn take<E>(&self) -> Result<reqwest::Body, Error<E>> {
        let body = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        body.ok_or_else(|| {
            Error::InvalidRequest(
                "a streamed body is read once: this request, or a copy of it, was sent already".to_owned(),
            )
        })
    }
}

impl fmt::Debug for OneShot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneShot")
    }
}

/// A request body and its `Content-Type`.
#[derive(Debug)]
pub(super) struct RequestBody {
    pub(super) content_type: String,
    pub(super) data: BodyData,
}

#[derive(Debug)]
pub(super) enum BodyData {
    Bytes(Bytes),
    Stream(OneShot),
}

impl RequestBody {
    pub(super) fn bytes(content_type: &str, bytes: impl Into<Bytes>) -> Self {
        RequestBody { content_type: content_type.to_owned(), data: BodyData::Bytes(bytes.into()) }
    }
}

/// The fields of a form body, in the order they are sent, before they are encoded.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Form {
    fields: Vec<(&'static str, FormValue)>,
}

#[derive(Debug)]
enum FormValue {
    Text(String),
    File(FilePart),
}

/// `application/x-www-form-urlencoded` keeps the unreserved `*-._` and letters and digits;
/// a space becomes `+`.
const FORM_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

impl Form {
    pub fn new() -> Self {
        Form::default()
    }

    /// A text field (one value; a list adds one per item).
    pub fn text(&mut self, name: &'static str, value: &dyn fmt::Display) {
        self.fields.push((name, FormValue::Text(value.to_string())));
    }

    /// A file field (multipart only). The bytes are shared, not copied.
    pub fn file(&mut self, name: &'static str, file: &FilePart) {
        self.fields.push((name, FormValue::File(file.clone())));
    }

    /// `name=value&…`, form-encoded (the WHATWG URL standard's serializer).
    fn urlencoded(&self) -> Result<Vec<u8>, String> {
        let mut out = String::new();
        for (name, value) in &self.fields {
            let FormValue::Text(value) = value else {
                return Err(format!("field `{name}` is a file, which a form-urlencoded body cannot carry"));
            };
            if !out.is_empty() {
                out.push('&');
            }
            // A space is `%20` here, and `%` itself `%25`, so every `%20` was a space.
            out.push_str(&utf8_percent_encode(name, FORM_VALUE).to_string().replace("%20", "+"));
            out.push('=');
            out.push_str(&utf8_percent_encode(value, FORM_VALUE).to_string().replace("%20", "+"));
        }
        Ok(out.into_bytes())
    }

    /// The `multipart/form-data` body (RFC 7578) with `boundary`, which no part contains.
    fn multipart(&self, boundary: &str) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        for (name, value) in &self.fields {
            out.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"").as_bytes());
            out.extend_from_slice(quoted(name).as_bytes());
            out.push(b'"');
            let data: &[u8] = match value {
                FormValue::Text(text) => {
                    out.extend_from_slice(b"\r\n\r\n");
                    text.as_bytes()
                }
                FormValue::File(file) => {
                    if let Some(file_name) = &file.file_name {
                        out.extend_from_slice(format!("; filename=\"{}\"", quoted(file_name)).as_bytes());
                    }
                    let content_type = file.content_type.as_deref().unwrap_or("application/octet-stream");
                    if content_type.chars().any(|c| c.is_control()) {
                        return Err(format!(
                            "the content type of file `{name}` contains a line break or control character"
                        ));
                    }
                    out.extend_from_slice(format!("\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
                    &file.bytes
                }
            };
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Ok(out)
    }

    /// Whether `boundary` occurs in some value, so it cannot delimit the parts.
    fn contains(&self, boundary: &str) -> bool {
        let needle = boundary.as_bytes();
        let found = |data: &[u8]| data.windows(needle.len()).any(|window| window == needle);
        self.fields.iter().any(|(name, value)| {
            found(name.as_bytes())
                || match value {
                    FormValue::Text(text) => found(text.as_bytes()),
                    FormValue::File(file) => {
                        found(&file.bytes) || file.file_name.as_deref().is_some_and(|name| found(name.as_bytes()))
                    }
                }
        })
    }
}

/// A name or file name inside `"…"` of a `Content-Disposition`: `"`, CR and LF are
/// percent-encoded, as browsers do (the WHATWG HTML standard), so a name cannot end the
/// header or add one.
fn quoted(text: &str) -> String {
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// A boundary that no part contains: random, and drawn again in the unlikely case it occurs.
fn boundary_for(form: &Form) -> String {
    loop {
        let boundary = format!("api-clients-{:016x}{:016x}", random(), random());
        if !form.contains(&boundary) {
            return boundary;
        }
    }
}

/// 64 random bits from std's per-process hash keys (see `retry.rs`'s jitter): a boundary only
/// has to be absent from the body, which is checked; it is not a secret.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new().build_hasher().finish()
}

impl RequestBuilder {
    /// Sets an `application/x-www-form-urlencoded` body (`content_type` as the spec writes it).
    pub fn form(self, content_type: &'static str, form: Form) -> Self {
        let body = form.urlencoded().map(|bytes| RequestBody::bytes(content_type, bytes));
        self.set_body(body)
    }

    /// Sets a `multipart/form-data` body with a boundary of its own.
    pub fn multipart(self, form: Form) -> Self {
        let boundary = boundary_for(&form);
        let body = form
            .multipart(&boundary)
            .map(|bytes| RequestBody::bytes(&format!("multipart/form-data; boundary={boundary}"), bytes));
        self.set_body(body)
    }

    /// Sets a binary body, in memory or streamed.
    pub fn binary(self, content_type: &'static str, body: BinaryBody) -> Self {
        let data = match body.0 {
            Binary::Bytes(bytes) => BodyData::Bytes(bytes),
            Binary::Stream(once) => BodyData::Stream(once),
        };
        let content_type = body.1.unwrap_or_else(|| content_type.to_owned());
        if content_type.chars().any(|c| c.is_control()) {
            return self.set_body(Err("the body's content type contains a line break or control character".to_owned()));
        }
        self.set_body(Ok(RequestBody { content_type, data }))
    }

    /// Sets a text body, sent as UTF-8.
    pub fn text(self, content_type: &'static str, text: &str) -> Self {
        self.set_body(Ok(RequestBody::bytes(content_type, text.to_owned())))
    }
}

impl RawResponse {
    /// The body as bytes.
    pub fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        Ok(Response { status: self.status, headers: self.headers, body: self.body.into(), url: self.url })
    }

    /// The body as text; a body that is not UTF-8 is a decode error that keeps it (lossily).
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        match String::from_utf8(self.body) {
            Ok(body) => Ok(Response { status: self.status, headers: self.headers, body, url: self.url }),
            Err(error) => Err(Error::Decode(DecodeError {
                status: self.status,
                path: ".".to_owned(),
                message: format!("the text body is not UTF-8: {}", error.utf8_error()),
                body: String::from_utf8_lossy(error.as_bytes()).into_owned(),
            })),
        }
    }
}

#[cfg(feature = "streaming-runtime")]
pub use streaming::ByteStream;

/// Streamed bodies: uploads from a `Stream`, and answers read chunk by chunk.
#[cfg(feature = "streaming-runtime")]
mod streaming {
    use std::pin::Pin;
    use std::sync::{Mutex, PoisonError};
    use std::task::{Context, Poll};

    use http_body::Body as _;

    use super::super::http::{transport_error, HttpClient, RawResponse, RequestBuilder};
    use super::super::response::Response;
    use super::super::{BoxError, Error};
    use super::Bytes;

    /// A `Stream` of chunks as an HTTP body. The lock makes it `Sync` (which reqwest asks of a
    /// body) without asking it of the stream; it is never contended (`get_mut`).
    pub(super) struct StreamBody<S>(pub(super) Mutex<Pin<Box<S>>>);

    impl<S, E> http_body::Body for StreamBody<S>
    where
        S: futures_core::Stream<Item = Result<Bytes, E>> + Send,
        E: Into<BoxError>,
    {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
            let stream = self.get_mut().0.get_mut().unwrap_or_else(PoisonError::into_inner);
            stream
                .as_mut()
                .poll_next(cx)
                .map(|item| item.map(|chunk| chunk.map(http_body::Frame::data).map_err(Into::into)))
        }
    }

    /// An answer's body read as it arrives, chunk by chunk, with no limit on its size: a large
    /// download written to a file, say. Read it with [`ByteStream::next_chunk`], or as a
    /// `futures_core::Stream` of `Result<Bytes, Error>`.
    pub struct ByteStream {
        body: reqwest::Body,
    }

    impl std::fmt::Debug for ByteStream {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("ByteStream").finish_non_exhaustive()
        }
    }

    impl ByteStream {
        /// The next chunk, or `None` at the end of the body. A connection that breaks (or the
        /// client's timeout) is `Error::Transport`.
        pub async fn next_chunk(&mut self) -> Option<Result<Bytes, Error>> {
            std::future::poll_fn(|cx| self.poll_chunk(cx)).await
        }

        /// The whole rest of the body in memory (for a body known to be small).
        pub async fn collect(mut self) -> Result<Vec<u8>, Error> {
            let mut out = Vec::new();
            while let Some(chunk) = self.next_chunk().await {
                out.extend_from_slice(&chunk?);
            }
            Ok(out)
        }

        fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Error>>> {
            loop {
                return match std::task::ready!(Pin::new(&mut self.body).poll_frame(cx)) {
                    None => Poll::Ready(None),
                    Some(Err(error)) => Poll::Ready(Some(Err(transport_error(error)))),
                    // Trailers carry no data.
                    Some(Ok(frame)) => match frame.into_data() {
                        Ok(data) => Poll::Ready(Some(Ok(data))),
                        Err(_) => continue,
                    },
                };
            }
        }
    }

    impl futures_core::Stream for ByteStream {
        type Item = Result<Bytes, Error>;

        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            self.get_mut().poll_chunk(cx)
        }
    }

    impl HttpClient {
        /// Sends the request like [`HttpClient::execute`]; an answer of status `success` comes
        /// back with its body unread, any other read in full (for the operation's error).
        pub async fn execute_streaming<E>(
            &self,
            request: RequestBuilder,
            success: u16,
        ) -> Result<Result<Response<ByteStream>, RawResponse>, Error<E>> {
            let span = request.span();
            let mut response = span.run(self.send_in(request, &span)).await?;
            if response.status().as_u16() != success {
                return self.read(response, false).await.map(Err);
            }
            let status = response.status();
            let mut url = response.url().clone();
            super::super::http::strip_url_secrets(&mut url);
            let headers = std::mem::take(response.headers_mut());
            Ok(Ok(Response { status, headers, body: ByteStream { body: response.into() }, url }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_are_encoded_like_browsers_do() {
        let mut form = Form::new();
        form.text("q", &"a b&c=d/é");
        form.text("n", &7);
        form.text("empty", &"");
        form.text("two  spaces", &" x ");
        let text = String::from_utf8(form.urlencoded().unwrap()).unwrap();
        assert_eq!(text, "q=a+b%26c%3Dd%2F%C3%A9&n=7&empty=&two++spaces=+x+");
    }

    #[test]
    fn multipart_parts_are_delimited_and_names_cannot_break_out() {
        let mut form = Form::new();
        form.text("title", &"Q3");
        form.file("file", &FilePart::new(b"\x00\x01".to_vec()).with_file_name("a\"b\r\n.bin"));
        let body = form.multipart("B").unwrap();
        let expected =
            "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQ3\r\n--B\r\nContent-Disposition: \
                        form-data; name=\"file\"; filename=\"a%22b%0D%0A.bin\"\r\nContent-Type: \
                        application/octet-stream\r\n\r\n\x00\x01\r\n--B--\r\n";
        assert_eq!(body, expected.as_bytes());
        assert!(form.contains("\x00\x01"));
        assert!(!boundary_for(&form).is_empty());
        let bad = FilePart::new(Vec::new()).with_content_type("text/plain\r\nX-Evil: 1");
        let mut form = Form::new();
        form.file("file", &bad);
        assert!(form.multipart("B").is_err());
    }
}
