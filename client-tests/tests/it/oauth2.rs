//! OAuth2 client credentials against two loopback servers (the token endpoint and the API, two
//! origins): the exact token request, caching until shortly before expiry on tokio's paused
//! clock, one token request for many parallel calls, a 401 answered by one refresh and one
//! retry, token endpoints that are down, refuse or redirect, and no secret in any output.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use api_clients::runtime::{ClientAuth, ClientCredentials as RawCredentials};
use api_clients::visma_net::{self, ClientCredentials};
use api_clients::{AuthError, ClientConfig, Error, OAuthErrorCode};
use common::{header, received};
use serde_json::json;
use wiremock::matchers::{any, header as header_is, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CLIENT_ID: &str = "isv_app-1";
const CLIENT_SECRET: &str = "planted-client-secret-z9";
const TENANT: &str = "db100d69-1081-465e-8fbd-ab3d6b94ba0a";
const TOKEN_PATH: &str = "/connect/token";

/// Answers the token endpoint with `planted-access-token-1`, `-2`, ... in turn, each valid
/// for `expires_in` seconds, and counts the requests.
struct Tokens {
    issued: Arc<AtomicUsize>,
    expires_in: u64,
}

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": token(n),
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "scope": "vismanet_erp_service_api:read",
        }))
    }
}

fn token(n: usize) -> String {
    format!("planted-access-token-{n}")
}

/// A token endpoint issuing numbered tokens; the counter says how many it issued.
async fn token_server(expires_in: u64) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(Tokens { issued: issued.clone(), expires_in })
        .mount(&server)
        .await;
    (server, issued)
}

/// An API answering `200 []` to the project task list.
async fn api_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    server
}

fn credentials(token_server: &MockServer) -> ClientCredentials {
    ClientCredentials::new(CLIENT_ID, CLIENT_SECRET, TENANT).token_url(format!("{}{TOKEN_PATH}", token_server.uri()))
}

/// A Visma client for `api`, getting its tokens from `tokens`. No timeout: on the paused
/// clock a timeout would fire while the loopback server answers.
fn visma(api: &MockServer, tokens: &MockServer) -> visma_net::Client {
    let config = ClientConfig::new().base_url(api.uri()).timeout(None);
    visma_net::Client::with_client_credentials(config, credentials(tokens)).expect("a valid configuration")
}

/// The bearer tokens the API received, in order.
async fn bearers(api: &MockServer) -> Vec<String> {
    received(api).await.iter().map(|request| header(request, "authorization").unwrap_or("").to_owned()).collect()
}

fn bearer(n: usize) -> String {
    format!("Bearer {}", token(n))
}

#[tokio::test]
async fn the_token_is_fetched_on_first_use_with_the_documented_form_and_sent_only_to_the_api() {
    let (tokens, issued) = token_server(3600).await;
    let api = api_server().await;
    let client = visma(&api, &tokens);
    assert_eq!(issued.load(Ordering::SeqCst), 0, "nothing is fetched before the first call");

    client.project_task().get_all_tasks().send().await.unwrap();
    client.project_task().get_all_tasks().send().await.unwrap();

    let token_requests = received(&tokens).await;
    assert_eq!(token_requests.len(), 1, "one token for both calls");
    let request = &token_requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), TOKEN_PATH);
    assert_eq!(request.url.query(), None);
    assert_eq!(header(request, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(header(request, "accept"), Some("application/json"));
    // Visma Connect reads the client credentials from the body; no Authorization header.
    assert_eq!(header(request, "authorization"), None);
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        format!(
            "grant_type=client_credentials\
             &scope=vismanet_erp_service_api%3Aread%20vismanet_erp_service_api%3Acreate\
             %20vismanet_erp_service_api%3Aupdate%20vismanet_erp_service_api%3Adelete\
             &tenant_id={TENANT}&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
        )
    );

    assert_eq!(bearers(&api).await, [bearer(1), bearer(1)]);
    for request in received(&api).await {
        let seen = format!("{:?} {}", request.headers, String::from_utf8_lossy(&request.body));
        assert!(!seen.contains(CLIENT_SECRET) && !seen.contains(CLIENT_ID), "the API saw the credentials: {seen}");
    }
}

#[tokio::test]
async fn basic_client_auth_sends_the_form_encoded_id_and_secret_in_the_header() {
    let (tokens, _) = token_server(3600).await;
    let api = api_server().await;
    // Basic is the default; set here to show the choice.
    let credentials = RawCredentials::new(format!("{}{TOKEN_PATH}", tokens.uri()), "app 1", "s3cr:t ü")
        .client_auth(ClientAuth::Basic)
        .scopes(["a:read"])
        .param("audience", "erp");
    let client =
        visma_net::Client::new(ClientConfig::new().base_url(api.uri()).client_credentials(credentials)).unwrap();

    client.project_task().get_all_tasks().send().await.unwrap();

    let request = &received(&tokens).await[0];
    // RFC 6749 §2.3.1: both form-encoded, then Base64 of `app%201:s3cr%3At%20%C3%BC`.
    assert_eq!(header(request, "authorization"), Some("Basic YXBwJTIwMTpzM2NyJTNBdCUyMCVDMyVCQw=="));
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        "grant_type=client_credentials&scope=a%3Aread&audience=erp"
    );
    assert_eq!(bearers(&api).await, [bearer(1)]);
}

#[tokio::test(start_paused = true)]
async fn the_token_is_cached_until_shortly_before_it_expires() {
    let (tokens, issued) = token_server(3600).await;
    let api = api_server().await;
    let client = visma(&api, &tokens);

    client.project_task().get_all_tasks().send().await.unwrap();
    tokio::time::advance(Duration::from_secs(1800)).await;
    client.project_task().get_all_tasks().send().await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1, "half way through its lifetime the token is kept");

    // 30 s before `expires_in` runs out, the token is replaced.
    tokio::time::advance(Duration::from_secs(1775)).await;
    client.project_task().get_all_tasks().send().await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    client.project_task().get_all_tasks().send().await.unwrap();

    assert_eq!(bearers(&api).await, [bearer(1), bearer(1), bearer(2), bearer(2)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_calls_share_one_token_request() {
    let tokens = MockServer::start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    // A slow token endpoint, so that every call is waiting while the first one fetches.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(SlowTokens(Tokens { issued: issued.clone(), expires_in: 3600 }))
        .mount(&tokens)
        .await;
    let api = api_server().await;
    let client = visma(&api, &tokens);

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        calls.spawn(async move { client.project_task().get_all_tasks().send().await.map(|_| ()) });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }

    assert_eq!(issued.load(Ordering::SeqCst), 1);
    assert_eq!(received(&tokens).await.len(), 1);
    assert_eq!(bearers(&api).await, vec![bearer(1); 20]);
}

struct SlowTokens(Tokens);

impl Respond for SlowTokens {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond(request).set_delay(Duration::from_millis(200))
    }
}

/// An API that refuses `planted-access-token-1` with 401 and accepts any later token.
async fn api_refusing_the_first_token() -> MockServer {
    let api = MockServer::start().await;
    Mock::given(header_is("authorization", bearer(1).as_str()))
        .respond_with(ResponseTemplate::new(401).set_body_string("token revoked"))
        .mount(&api)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&api).await;
    api
}

#[tokio::test]
async fn a_401_fetches_a_new_token_and_sends_the_request_once_more() {
    let (tokens, issued) = token_server(3600).await;
    let api = api_refusing_the_first_token().await;
    let client = visma(&api, &tokens);

    let answer = client.project_task().get_all_tasks().page_size(5).send().await.unwrap();

    assert_eq!(answer.status.as_u16(), 200);
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    let requests = received(&api).await;
    assert_eq!(bearers(&api).await, [bearer(1), bearer(2)]);
    assert_eq!(requests[0].url, requests[1].url, "the same request again");
    assert_eq!(requests[1].url.query(), Some("pageSize=5"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_calls_refused_at_once_cause_one_refresh() {
    let (tokens, issued) = token_server(3600).await;
    let api = api_refusing_the_first_token().await;
    let client = visma(&api, &tokens);
    client.project_task().get_all_tasks().send().await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);

    // Now token 2 is cached; the API starts refusing it too, slowly, so that the calls are
    // refused together rather than one after the other.
    api.reset().await;
    Mock::given(header_is("authorization", bearer(2).as_str()))
        .respond_with(ResponseTemplate::new(401).set_delay(Duration::from_millis(300)))
        .mount(&api)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&api).await;
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let client = client.clone();
        calls.spawn(async move { client.project_task().get_all_tasks().send().await.map(|_| ()) });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    let sent = bearers(&api).await;
    // A call that starts after the refresh sends token 3 at once; each call ends with it.
    let refused = sent.iter().filter(|sent| **sent == bearer(2)).count();
    assert!(refused >= 2, "the test needs calls refused together; {refused} were: {sent:?}");
    assert_eq!(issued.load(Ordering::SeqCst), 3, "one refresh for {refused} refusals");
    assert_eq!(sent.iter().filter(|sent| **sent == bearer(3)).count(), 10);
    assert_eq!(sent.len(), 10 + refused);
}

#[tokio::test]
async fn a_second_401_is_returned_without_another_retry() {
    let (tokens, issued) = token_server(3600).await;
    let api = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(401).set_body_string("no access")).mount(&api).await;
    let client = visma(&api, &tokens);

    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(401), "{error:?}");
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(bearers(&api).await, [bearer(1), bearer(2)]);
}

#[tokio::test]
async fn a_token_endpoint_that_is_down_is_an_auth_error_and_nothing_reaches_the_api() {
    // A port that was free a moment ago: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let api = api_server().await;
    let config = ClientConfig::new().base_url(api.uri());
    let credentials = ClientCredentials::new(CLIENT_ID, CLIENT_SECRET, TENANT).token_url(format!("http://{closed}/t"));
    let client = visma_net::Client::with_client_credentials(config, credentials).unwrap();

    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    let Error::Auth(AuthError::Transport(cause)) = &error else { panic!("expected a transport auth error: {error:?}") };
    assert!(cause.is_connect(), "{cause:?}");
    let message = error.to_string();
    assert!(
        message.starts_with("could not get an access token: the token endpoint could not be reached: "),
        "{message}"
    );
    assert_eq!(error.status(), None);
    assert!(received(&api).await.is_empty());
}

#[tokio::test]
async fn a_token_endpoint_answering_without_an_oauth_error_is_an_invalid_response() {
    let tokens = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>maintenance</html>"))
        .mount(&tokens)
        .await;
    let api = api_server().await;

    let error = visma(&api, &tokens).project_task().get_all_tasks().send().await.unwrap_err();

    let Error::Auth(AuthError::InvalidResponse { status, .. }) = &error else { panic!("{error:?}") };
    assert_eq!(status.as_u16(), 503);
    assert_eq!(
        error.to_string(),
        "could not get an access token: the token endpoint answered 503 Service Unavailable: the answer is not an \
         OAuth2 error response"
    );
    assert!(received(&api).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn calls_waiting_for_a_failing_token_request_share_its_error_and_the_next_call_asks_again() {
    let tokens = MockServer::start().await;
    // Slow, so that every call is waiting while the first request is under way.
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_string("down").set_delay(Duration::from_millis(200)))
        .mount(&tokens)
        .await;
    let api = api_server().await;
    let client = visma(&api, &tokens);

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        calls.spawn(async move { client.project_task().get_all_tasks().send().await.map(|_| ()) });
    }
    while let Some(result) = calls.join_next().await {
        let error = result.unwrap().unwrap_err();
        let Error::Auth(AuthError::InvalidResponse { status, .. }) = &error else { panic!("{error:?}") };
        assert_eq!(status.as_u16(), 503);
    }
    assert_eq!(received(&tokens).await.len(), 1, "one token request for the whole wave of calls");

    // A later call does not inherit the old failure: it asks again.
    client.project_task().get_all_tasks().send().await.unwrap_err();
    assert_eq!(received(&tokens).await.len(), 2);
    assert!(received(&api).await.is_empty());
}

#[tokio::test]
async fn token_endpoint_errors_keep_their_oauth_code_and_description() {
    let cases = [
        (401, "invalid_client", OAuthErrorCode::InvalidClient),
        (400, "invalid_scope", OAuthErrorCode::InvalidScope),
        (400, "unauthorized_client", OAuthErrorCode::UnauthorizedClient),
        (400, "invalid_request", OAuthErrorCode::InvalidRequest),
        (400, "tenant_not_approved", OAuthErrorCode::Other("tenant_not_approved".to_owned())),
    ];
    for (status, code, expected) in cases {
        let tokens = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                "error": code,
                "error_description": format!("{code} for {CLIENT_SECRET}"),
                "error_uri": "https://id.example.test/errors",
            })))
            .mount(&tokens)
            .await;
        let api = api_server().await;

        let error = visma(&api, &tokens).project_task().get_all_tasks().send().await.unwrap_err();

        let Error::Auth(auth) = &error else { panic!("{code}: {error:?}") };
        assert_eq!(auth.oauth_code(), Some(&expected), "{code}");
        let AuthError::Refused(refused) = auth else { panic!("{code}: {auth:?}") };
        assert_eq!(refused.status.as_u16(), status);
        // The server echoed the secret; it is redacted.
        assert_eq!(refused.description.as_deref(), Some(format!("{code} for <redacted>").as_str()));
        assert_eq!(refused.uri.as_deref(), Some("https://id.example.test/errors"));
        assert_eq!(
            error.to_string(),
            format!(
                "could not get an access token: the token endpoint refused the request ({status} {}): {code}: {code} \
                 for <redacted>",
                reqwest_reason(status)
            )
        );
        assert!(received(&api).await.is_empty(), "{code}: the API was called");
    }
}

fn reqwest_reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn a_redirect_from_the_token_endpoint_is_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(any()).respond_with(Tokens { issued: Arc::default(), expires_in: 3600 }).mount(&elsewhere).await;
    for status in [301, 302, 303, 307, 308] {
        let tokens = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status).insert_header("location", format!("{}{TOKEN_PATH}", elsewhere.uri())),
            )
            .mount(&tokens)
            .await;
        let api = api_server().await;

        let error = visma(&api, &tokens).project_task().get_all_tasks().send().await.unwrap_err();

        let Error::Auth(AuthError::InvalidResponse { status: seen, message }) = &error else { panic!("{error:?}") };
        assert_eq!(seen.as_u16(), status);
        assert!(message.contains("redirects are not followed"), "{message}");
        assert!(received(&api).await.is_empty());
    }
    assert!(received(&elsewhere).await.is_empty(), "the credentials went to the redirect target");
}

#[tokio::test]
async fn a_token_url_over_plain_http_to_another_host_is_refused_before_anything_is_sent() {
    let api = api_server().await;
    for url in
        ["http://id.example.test/token", "https://user:pw@id.example.test/token", "https://id.example.test/t?k=v"]
    {
        let credentials = ClientCredentials::new(CLIENT_ID, CLIENT_SECRET, TENANT).token_url(url);
        let error = visma_net::Client::with_client_credentials(ClientConfig::new().base_url(api.uri()), credentials)
            .unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{url}: {error:?}");
        assert!(!error.to_string().contains("pw") && !error.to_string().contains("k=v"), "{error}");
    }
    assert!(received(&api).await.is_empty());
}

#[tokio::test]
async fn neither_the_secret_nor_the_token_is_ever_shown() {
    let (tokens, _) = token_server(3600).await;
    let api = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(401).set_body_string("no")).mount(&api).await;
    let credentials = credentials(&tokens);
    let config = ClientConfig::new().base_url(api.uri()).client_credentials(
        RawCredentials::new(format!("{}{TOKEN_PATH}", tokens.uri()), CLIENT_ID, CLIENT_SECRET)
            .param("tenant_id", TENANT),
    );
    let client = visma(&api, &tokens);
    let error = client.project_task().get_all_tasks().send().await.unwrap_err();
    assert_eq!(received(&tokens).await.len(), 2, "tokens 1 and 2 were fetched, so the client holds one");

    let shown = [
        format!("{credentials:?} {credentials:#?}"),
        format!("{config:?} {config:#?}"),
        format!("{client:?} {client:#?}"),
        format!("{error:?} {error:#?} {error}"),
    ];
    for text in shown {
        for planted in [CLIENT_SECRET, &token(1), &token(2)] {
            assert!(!text.contains(planted), "shows `{planted}`: {text}");
        }
    }
    assert!(format!("{credentials:?}").contains(CLIENT_ID), "the client id is not a secret");
}

#[tokio::test]
async fn the_token_request_follows_no_redirect_even_when_the_api_client_does() {
    let elsewhere = MockServer::start().await;
    Mock::given(any()).respond_with(Tokens { issued: Arc::default(), expires_in: 3600 }).mount(&elsewhere).await;
    let tokens = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(307).insert_header("location", format!("{}{TOKEN_PATH}", elsewhere.uri())))
        .mount(&tokens)
        .await;
    let api = api_server().await;
    // reqwest's default policy follows redirects to any origin, with the body of a 307.
    let follows_everything = reqwest::Client::builder().build().unwrap();
    let config = ClientConfig::new().base_url(api.uri()).http_client(follows_everything);
    let client = visma_net::Client::with_client_credentials(config, credentials(&tokens)).unwrap();

    let error = client.project_task().get_all_tasks().send().await.unwrap_err();

    assert!(matches!(error, Error::Auth(AuthError::InvalidResponse { .. })), "{error:?}");
    assert!(received(&elsewhere).await.is_empty(), "the secret followed the redirect");
    assert!(received(&api).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_token_without_expires_in_is_kept_until_the_api_refuses_it() {
    let tokens = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": token(1), "token_type": "bearer"})),
        )
        .up_to_n_times(1)
        .mount(&tokens)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": token(2), "token_type": "bearer"})),
        )
        .mount(&tokens)
        .await;
    let api = api_server().await;
    let client = visma(&api, &tokens);

    client.project_task().get_all_tasks().send().await.unwrap();
    tokio::time::advance(Duration::from_secs(30 * 24 * 3600)).await;
    client.project_task().get_all_tasks().send().await.unwrap();
    assert_eq!(received(&tokens).await.len(), 1, "a month later the token is still used");
    assert_eq!(bearers(&api).await, [bearer(1), bearer(1)]);

    // Now the API refuses it: one refresh, and the call succeeds with the new token.
    api.reset().await;
    Mock::given(header_is("authorization", bearer(1).as_str()))
        .respond_with(ResponseTemplate::new(401))
        .mount(&api)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&api).await;
    client.project_task().get_all_tasks().send().await.unwrap();
    assert_eq!(received(&tokens).await.len(), 2);
    assert_eq!(bearers(&api).await, [bearer(1), bearer(2)]);
}
