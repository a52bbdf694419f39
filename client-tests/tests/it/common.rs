//! Helpers shared by the test modules: clients pointed at a wiremock server on loopback,
//! accessors that read what the server really received (raw path, raw query, headers, body),
//! raw socket servers, and copies of the workspace's crates in temporary folders.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use api_clients::{account_tasks, visma_net, ClientConfig};
use wiremock::{MockServer, Request};

/// The bearer token the Visma clients of these tests send.
pub const TOKEN: &str = "test-token-5f1d";

/// A Visma.net client sending to `server` with [`TOKEN`].
pub fn visma(server: &MockServer) -> visma_net::Client {
    visma_net::Client::new(ClientConfig::new().base_url(server.uri()).bearer_token(TOKEN))
        .expect("a loopback base URL is a valid configuration")
}

/// An account-tasks client sending to `server` (the API declares no auth).
pub fn account_tasks(server: &MockServer) -> account_tasks::Client {
    account_tasks::Client::new(ClientConfig::new().base_url(server.uri()))
        .expect("a loopback base URL is a valid configuration")
}

/// Every request the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on by default")
}

/// The one request the server received; fails when it got none or several.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:#?}");
    requests.remove(0)
}

/// The raw (still percent-encoded) query string, `None` when the URL has no `?` at all.
pub fn raw_query(request: &Request) -> Option<&str> {
    request.url.query()
}

/// A request header as text; fails when it occurs more than once.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    let mut values = request.headers.get_all(name).iter();
    let first = values.next()?;
    assert!(values.next().is_none(), "header `{name}` was sent more than once");
    Some(first.to_str().expect("header values in these tests are visible ASCII"))
}

/// The request body parsed as JSON; fails when it is not JSON.
pub fn json_body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body)
        .unwrap_or_else(|error| panic!("the body is not JSON ({error}): {:?}", String::from_utf8_lossy(&request.body)))
}

/// Asserts the headers every client request carries: `Accept: application/json` and, for
/// the Visma clients built by [`visma`], the bearer token.
pub fn assert_visma_auth(request: &Request) {
    assert_eq!(header(request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(header(request, "accept"), Some("application/json"));
}

/// A one-connection-per-answer HTTP server on loopback that writes canned bytes and records
/// each request exactly as it came off the socket (wiremock normalises what it parses, and
/// can only answer well-formed HTTP; this one can cut a body short or stream it chunked).
pub struct RawServer {
    pub base_url: String,
    handle: std::thread::JoinHandle<Vec<String>>,
}

impl RawServer {
    /// Serves `answers` in order, one connection each, then stops accepting.
    pub fn start(answers: Vec<Vec<u8>>) -> RawServer {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut heads = Vec::new();
            for answer in answers {
                let (mut stream, _) = listener.accept().expect("accept a client connection");
                stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    let read = stream.read(&mut buffer).expect("read the request head");
                    if read == 0 {
                        break;
                    }
                    request.extend_from_slice(&buffer[..read]);
                }
                let text = String::from_utf8_lossy(&request);
                heads.push(text.split("\r\n\r\n").next().unwrap_or_default().to_owned());
                // The client may close early (e.g. body too large): ignore write errors.
                let _ = stream.write_all(&answer);
                let _ = stream.flush();
            }
            heads
        });
        RawServer { base_url, handle }
    }

    /// The request heads (request line and headers) received, in order.
    pub fn request_heads(self) -> Vec<String> {
        self.handle.join().expect("the raw server thread does not panic")
    }
}

/// Accepts one connection on a loopback port and hands it to `handler` on a thread (for
/// answers a canned byte string cannot express: a stall, a reset). Returns the base URL.
pub fn serve_one_connection(
    handler: impl FnOnce(std::net::TcpStream) + Send + 'static,
) -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept a client connection");
        handler(stream);
    });
    (base_url, handle)
}

/// The workspace root, the folder that holds `generated/` and `client-tests/`.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The cargo that runs the tests, for the tests that build a copied crate.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Copies a directory tree (files and folders only), leaving out any `target/` folder.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let destination = to.join(entry.file_name());
        if kind.is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&entry.path(), &destination)?;
            }
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &destination)?;
        }
    }
    Ok(())
}

/// A fresh, empty folder below the system's temporary folder, removed when dropped (passed or
/// failed). Its name holds the process id and a counter: the tests run at once in one process.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let number = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("{name}-{}-{number}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
        TempDir(dir)
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
