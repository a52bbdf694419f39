//! API keys (header, query, cookie) and HTTP Basic against a real HTTP server on loopback: each
//! arrives exactly where its scheme says, beside the operation's own parameters in the same
//! place; no hook, `Debug` output, answer URL or transport error ever shows it; and it never
//! reaches another origin.

use crate::common;

use std::sync::{Arc, Mutex};

use common::{header, only_request, raw_query, received};
use fixture_clients::api_keys::Client;
use fixture_clients::runtime::ApiKeyLocation;
use fixture_clients::{ApiKeyScheme, ClientConfig, Error, Hook, HookRequest};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A key with characters each place must escape (`+`, `/`, `;`, a space).
const KEY: &str = "k+ey/1; x";

/// Everything the hooks were shown: the URL and every header of each attempt.
#[derive(Default)]
struct Seen(Mutex<Vec<String>>);

impl Hook for Seen {
    fn before_send(&self, request: &mut HookRequest<'_>) {
        let mut shown = vec![request.url().to_string()];
        for (name, value) in request.headers() {
            shown.push(format!("{name}: {}", String::from_utf8_lossy(value.as_bytes())));
        }
        self.0.lock().unwrap().push(shown.join("\n"));
    }
}

async fn things(server: &MockServer, status: u16) {
    Mock::given(method("GET"))
        .and(path("/v2/things"))
        .respond_with(ResponseTemplate::new(status).set_body_json(["a", "b"]))
        .mount(server)
        .await;
}

/// A client of `server` with `config`'s auth, and the hook that records what it saw.
fn client(server: &MockServer, config: ClientConfig) -> (Client, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let config = config.base_url(format!("{}/v2", server.uri())).hook(seen.clone());
    (Client::new(config).unwrap(), seen)
}

fn assert_never_shown(seen: &Seen, client: &Client) {
    let planted = ["k+ey", "k%2Bey", "ey/1", "1; x"];
    for text in seen.0.lock().unwrap().iter().chain([&format!("{client:?}")]) {
        for fragment in planted {
            assert!(!text.contains(fragment), "`{fragment}` shown in:\n{text}");
        }
    }
}

#[test]
fn the_constants_say_where_each_documented_key_travels() {
    assert_eq!(Client::HEADER_KEY, ApiKeyScheme::header("X-API-Key"));
    assert_eq!(Client::QUERY_KEY.location(), ApiKeyLocation::Query);
    assert_eq!(Client::QUERY_KEY.name(), "api_key");
    assert_eq!(Client::COOKIE_KEY, ApiKeyScheme::cookie("session_key"));
}

#[tokio::test]
async fn a_header_key_is_its_own_sensitive_header_and_no_hook_sees_it() {
    let server = MockServer::start().await;
    things(&server, 200).await;
    let (client, seen) = client(&server, ClientConfig::new().api_key(Client::HEADER_KEY, "hdr-key"));

    let answer = client.things().list().limit(5).x_trace("t-1").send().await.unwrap();

    assert_eq!(answer.body, ["a", "b"]);
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-api-key"), Some("hdr-key"));
    assert_eq!(header(&request, "x-trace"), Some("t-1"));
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(raw_query(&request), Some("limit=5"));
    let shown = seen.0.lock().unwrap().join("\n");
    assert!(shown.contains("x-trace: t-1") && !shown.contains("hdr-key"), "{shown}");
    assert!(!format!("{client:?}").contains("hdr-key"));
}

#[tokio::test]
async fn a_query_key_follows_the_parameters_escaped_and_is_in_no_url_shown() {
    let server = MockServer::start().await;
    things(&server, 404).await;
    let (client, seen) = client(&server, ClientConfig::new().api_key(Client::QUERY_KEY, KEY));

    let error = client.things().list().limit(5).send().await.unwrap_err();

    let request = only_request(&server).await;
    assert_eq!(raw_query(&request), Some("limit=5&api_key=k%2Bey%2F1%3B+x"));
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(pairs, [("limit".into(), "5".into()), ("api_key".into(), KEY.into())]);
    assert_eq!(seen.0.lock().unwrap()[0].lines().next(), Some(format!("{}/v2/things?limit=5", server.uri()).as_str()));
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.status.as_u16(), 404);
    for shown in [format!("{error}"), format!("{error:?}")] {
        assert!(!shown.contains("ey/1") && !shown.contains("k%2Bey"), "{shown}");
    }
    assert_never_shown(&seen, &client);
}

#[tokio::test]
async fn a_query_key_is_not_in_a_transport_error() {
    // A port nothing listens on: the connection is refused, and reqwest's error names the URL.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let config = ClientConfig::new()
        .base_url(format!("http://{address}/v2"))
        .api_key(Client::QUERY_KEY, KEY)
        .retry(fixture_clients::RetryPolicy::none());
    let client = Client::new(config).unwrap();

    let error = client.things().list().send().await.unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    for shown in [format!("{error}"), format!("{error:?}")] {
        assert!(shown.contains(&address.to_string()), "the URL is still named: {shown}");
        assert!(!shown.contains("api_key") && !shown.contains("ey/1"), "{shown}");
    }
}

#[tokio::test]
async fn a_cookie_key_joins_the_cookie_parameters_in_one_header() {
    let server = MockServer::start().await;
    things(&server, 200).await;
    let (client, seen) = client(&server, ClientConfig::new().api_key(Client::COOKIE_KEY, KEY));

    client.things().list().theme("dark").send().await.unwrap();
    client.things().list().send().await.unwrap();

    let requests = received(&server).await;
    let cookies: Vec<Vec<&str>> = requests
        .iter()
        .map(|request| request.headers.get_all("cookie").iter().map(|value| value.to_str().unwrap()).collect())
        .collect();
    assert_eq!(cookies, [vec!["theme=dark; session_key=k+ey/1%3B%20x"], vec!["session_key=k+ey/1%3B%20x"]]);
    let shown = seen.0.lock().unwrap().join("\n");
    assert!(shown.contains("cookie: theme=dark") && !shown.contains("session_key"), "{shown}");
    assert_never_shown(&seen, &client);
}

#[tokio::test]
async fn basic_credentials_are_sent_encoded_and_replace_the_base_urls_userinfo() {
    let server = MockServer::start().await;
    things(&server, 200).await;
    let base_url = format!("{}/v2", server.uri()).replace("http://", "http://url-user:url-pw@");
    let seen = Arc::new(Seen::default());
    let config = ClientConfig::new().base_url(base_url).basic_auth("aladdin", "open sesame").hook(seen.clone());
    let client = Client::new(config).unwrap();

    client.things().list().send().await.unwrap();

    let request = only_request(&server).await;
    // RFC 7617's own example: base64 of `Aladdin:open sesame`, with our lower-case user.
    assert_eq!(header(&request, "authorization"), Some("Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    let shown = seen.0.lock().unwrap().join("\n");
    assert!(!shown.to_ascii_lowercase().contains("authorization"), "{shown}");
    let debug = format!("{client:?}");
    assert!(!debug.contains("aladdin") && !debug.contains("sesame") && !debug.contains("url-pw"), "{debug}");
}

#[test]
fn a_basic_user_name_with_a_colon_is_refused() {
    let error = Client::new(ClientConfig::new().basic_auth("a:b", "pw")).unwrap_err();
    assert!(format!("{error}").contains("cannot contain `:`"), "{error}");
}

#[test]
fn an_api_key_that_cannot_travel_is_refused_when_the_client_is_built() {
    let cases = [
        (ClientConfig::new().api_key(Client::HEADER_KEY, "line\nbreak"), "not valid in a header"),
        (ClientConfig::new().api_key(ApiKeyScheme::header("bad header"), "k"), "not valid in a header"),
        (ClientConfig::new().api_key(ApiKeyScheme::cookie("a=b"), "k"), "not a valid cookie name"),
        (ClientConfig::new().api_key(ApiKeyScheme::query(""), "k"), "has no name"),
    ];
    for (config, problem) in cases {
        let error = Client::new(config).unwrap_err();
        let shown = format!("{error}");
        assert!(shown.contains(problem) && !shown.contains("break"), "{shown}");
    }
}

#[tokio::test]
async fn no_key_follows_a_redirect_to_another_origin() {
    let (server, other) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("GET"))
        .and(path("/v2/things"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", format!("{}/v2/things", other.uri())))
        .mount(&server)
        .await;
    things(&other, 200).await;
    for config in [
        ClientConfig::new().api_key(Client::HEADER_KEY, KEY),
        ClientConfig::new().api_key(Client::QUERY_KEY, KEY),
        ClientConfig::new().api_key(Client::COOKIE_KEY, KEY),
        ClientConfig::new().basic_auth("user", KEY),
    ] {
        let (client, _) = client(&server, config);
        let error = client.things().list().send().await.unwrap_err();
        let Error::Api(api) = &error else { panic!("{error:?}") };
        assert_eq!(api.status.as_u16(), 307);
    }
    assert_eq!(received(&server).await.len(), 4);
    assert!(received(&other).await.is_empty(), "the other origin was asked");
}
