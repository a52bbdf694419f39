//! No secret is ever printed: every public config, client, session, response and error value
//! is built from planted secrets (unique marker strings), formatted with `{:?}`, `{:#?}` and,
//! where it has one, `{}`, and none of the markers may appear.

use std::time::Duration;

use api_clients::projector::types::PwsAuthenticateRq;
use api_clients::projector::{self, Session};
use api_clients::runtime::HttpClient;
use api_clients::{
    account_tasks, visma_net, AccessToken, Auth, ClientConfig, Error, Secret, TokenFuture, TokenProvider,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const BEARER: &str = "planted-bearer-a1";
const PROVIDED_TOKEN: &str = "planted-provided-token-b2";
const SECRET_HEADER: &str = "planted-secret-header-c3";
const AUTHORIZATION_HEADER: &str = "planted-authorization-header-d4";
const URL_USER: &str = "planted-url-user-e5";
const URL_PASSWORD: &str = "planted-url-password-f6";
const URL_QUERY: &str = "planted-url-query-g7";
const QUERY_PARAMETER: &str = "planted-query-parameter-h8";
const PASSWORD: &str = "planted-password-i9";
const TICKET: &str = "planted-session-ticket-j10";
const COOKIE: &str = "planted-cookie-k11";

const PLANTED: [&str; 11] = [
    BEARER,
    PROVIDED_TOKEN,
    SECRET_HEADER,
    AUTHORIZATION_HEADER,
    URL_USER,
    URL_PASSWORD,
    URL_QUERY,
    QUERY_PARAMETER,
    PASSWORD,
    TICKET,
    COOKIE,
];

/// Fails when any planted secret is in `shown`.
fn assert_shows_no_secret(what: &str, shown: &str) {
    for planted in PLANTED {
        assert!(!shown.contains(planted), "{what} shows `{planted}`:\n{shown}");
    }
}

fn assert_debug_shows_no_secret(what: &str, value: &impl std::fmt::Debug) {
    assert_shows_no_secret(what, &format!("{value:?}"));
    assert_shows_no_secret(what, &format!("{value:#?}"));
}

fn assert_error_shows_no_secret<E: std::fmt::Debug>(what: &str, error: &Error<E>) {
    assert_debug_shows_no_secret(what, error);
    assert_shows_no_secret(what, &error.to_string());
}

/// `http://user:password@<authority>` of `base_url`, the planted userinfo added.
fn with_userinfo(base_url: &str) -> String {
    base_url.replacen("http://", &format!("http://{URL_USER}:{URL_PASSWORD}@"), 1)
}

/// A config carrying every kind of secret it can hold.
fn config(base_url: &str) -> ClientConfig {
    ClientConfig::new()
        .base_url(with_userinfo(base_url))
        .bearer_token(BEARER)
        .secret_header("X-Api-Key", SECRET_HEADER)
        .header("Authorization", AUTHORIZATION_HEADER)
        .header("X-Tenant", "north")
}

struct Provider;

impl TokenProvider for Provider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async { Ok(AccessToken::new(PROVIDED_TOKEN)) })
    }
}

fn credentials() -> PwsAuthenticateRq {
    PwsAuthenticateRq::new("acme", Secret::new(PASSWORD), "jdoe@acme.com").with_request_id(1)
}

/// A PwsAuthenticate answer with the planted ticket; `response_id` is put in as it is.
fn authenticate_answer(response_id: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<PwsAuthenticateResponse xmlns="http://projectorpsa.com/PwsProjectorServices/">
<PwsAuthenticateResult xmlns:a="http://projectorpsa.com/DataContracts/Responses/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
<ResponseId xmlns="http://projectorpsa.com/CommonServices/">{response_id}</ResponseId>
<Status xmlns="http://projectorpsa.com/CommonServices/">Ok</Status>
<a:RedirectUrl i:nil="true"/><a:SessionTicket>{TICKET}</a:SessionTicket>
</PwsAuthenticateResult></PwsAuthenticateResponse></s:Body></s:Envelope>"#
    )
}

/// A loopback port nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

#[test]
fn configs_and_clients_show_no_secret() {
    let base_url = "http://127.0.0.1:9";
    let configs = [
        ("config with a bearer token", config(base_url)),
        ("config with a token provider", config(base_url).token_provider(Provider)),
        ("config with Auth::Bearer", config(base_url).auth(Auth::Bearer(AccessToken::new(BEARER)))),
    ];
    for (what, config) in configs {
        assert_debug_shows_no_secret(what, &config);
        assert_debug_shows_no_secret("visma_net::Client", &visma_net::Client::new(config.clone()).unwrap());
        assert_debug_shows_no_secret("account_tasks::Client", &account_tasks::Client::new(config.clone()).unwrap());
        assert_debug_shows_no_secret("projector::Client", &projector::Client::new(config.clone()).unwrap());
        assert_debug_shows_no_secret("HttpClient", &HttpClient::new(config, "https://example.invalid").unwrap());
    }
    assert_debug_shows_no_secret("Secret", &Secret::new(PASSWORD));
    assert_debug_shows_no_secret("Auth::Bearer", &Auth::Bearer(AccessToken::new(BEARER)));
    // The redacted forms still say what is configured.
    let shown = format!("{:?}", config(base_url));
    assert!(shown.contains("127.0.0.1:9") && shown.contains("X-Api-Key") && shown.contains("north"), "{shown}");
}

#[tokio::test]
async fn invalid_request_messages_echo_no_userinfo_query_or_credential() {
    let refused = [
        ("base URL with a query", format!("http://{URL_USER}:{URL_PASSWORD}@127.0.0.1:9/?key={URL_QUERY}")),
        ("base URL of another scheme", format!("ftp://{URL_USER}:{URL_PASSWORD}@127.0.0.1/?key={URL_QUERY}")),
        ("base URL that does not parse", format!("http://{URL_USER}:{URL_PASSWORD}@bad host/?key={URL_QUERY}")),
        ("relative base URL", format!("{URL_USER}:{URL_PASSWORD}@/x?key={URL_QUERY}")),
    ];
    for (what, base_url) in refused {
        let error = visma_net::Client::new(ClientConfig::new().base_url(base_url)).unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{what}: {error:?}");
        assert_error_shows_no_secret(what, &error);
    }
    let headers = [
        ClientConfig::new().secret_header("X-Api-Key", format!("{SECRET_HEADER}\r\nX-Injected: 1")),
        ClientConfig::new().header("Authorization", format!("{AUTHORIZATION_HEADER}\n")),
    ];
    for config in headers {
        let error = visma_net::Client::new(config).unwrap_err();
        assert_error_shows_no_secret("header with a line break", &error);
    }
    // A static token is checked when the client is built.
    let config = ClientConfig::new().base_url(closed_port_url()).bearer_token(format!("{BEARER}\r\n"));
    let error = visma_net::Client::new(config).unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_error_shows_no_secret("token with a line break", &error);
}

#[tokio::test]
async fn transport_errors_show_no_userinfo_or_query() {
    // Sent once: a refused connection is retried, with waits on the real clock (see retries.rs).
    let client = visma_net::Client::new(config(&closed_port_url()).retry(api_clients::RetryPolicy::none())).unwrap();

    let error = client.project_task().get_all_tasks().project_id(QUERY_PARAMETER).send().await.unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_error_shows_no_secret("transport error", &error);
    assert!(error.to_string().contains("/v1/projecttask"), "the path is still shown: {error}");
}

#[tokio::test]
async fn api_and_size_errors_and_responses_show_no_cookie() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("set-cookie", format!("sid={COOKIE}; HttpOnly").as_str())
                .set_body_string("denied"),
        )
        .mount(&server)
        .await;
    let client = visma_net::Client::new(config(&server.uri())).unwrap();
    let error = client.project_task().get_all_tasks().send().await.unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_error_shows_no_secret("API error", &error);

    let client = visma_net::Client::new(config(&server.uri()).max_response_bytes(2)).unwrap();
    let error = client.project_task().get_all_tasks().send().await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { .. }), "{error:?}");
    assert_error_shows_no_secret("body too large", &error);

    let ok = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("set-cookie", format!("sid={COOKIE}").as_str())
                .set_body_string("[]"),
        )
        .mount(&ok)
        .await;
    let answer = visma_net::Client::new(config(&ok.uri())).unwrap().project_task().get_all_tasks().send().await;
    assert_debug_shows_no_secret("success response", &answer.unwrap());

    let client = visma_net::Client::new(ClientConfig::new().base_url(server.uri()).token_provider(Provider)).unwrap();
    let error = client.project_task().get_all_tasks().send().await.unwrap_err();
    assert_error_shows_no_secret("API error after a provided token", &error);
    assert_debug_shows_no_secret("client with a token provider", &client);
}

#[tokio::test]
async fn a_projector_session_shows_no_password_or_ticket() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/xml; charset=utf-8")
                .set_body_string(authenticate_answer("1")),
        )
        .mount(&server)
        .await;
    let client = projector::Client::new(config(&server.uri()).timeout(Some(Duration::from_secs(10)))).unwrap();

    let session = Session::authenticate(&client, credentials()).await.unwrap();

    assert_eq!(session.ticket().expose(), TICKET, "the session was really opened");
    assert_debug_shows_no_secret("Session", &session);
    // The session itself, not the lock around its state.
    let shown = format!("{session:?}");
    assert!(shown.starts_with("Session { credentials: PwsAuthenticateRq {"), "{shown}");
    assert!(shown.ends_with(", ticket: Secret(<redacted>), host: Some(\"127.0.0.1\") }"), "{shown}");
    assert!(!shown.contains("Mutex") && !shown.contains("poisoned") && !shown.contains("SessionState"), "{shown}");
    assert_debug_shows_no_secret("projector::Client after a session", &client);
    assert_debug_shows_no_secret("PwsAuthenticateRq", &credentials());
    assert_shows_no_secret("Session::base_url", &session.base_url());
}

/// A SOAP answer that does not decode must not keep the session ticket it carries.
#[tokio::test]
async fn a_soap_decode_error_keeps_no_session_ticket() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/xml; charset=utf-8")
                .set_body_string(authenticate_answer("not-a-number")),
        )
        .mount(&server)
        .await;
    let client = projector::Client::new(config(&server.uri())).unwrap();

    let error = Session::authenticate(&client, credentials()).await.unwrap_err();

    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert_error_shows_no_secret("SOAP decode error", &error);
}

struct FailingProvider;

impl TokenProvider for FailingProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async { Err("the identity provider is down".into()) })
    }
}

#[tokio::test]
async fn auth_errors_and_soap_faults_show_no_secret() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).insert_header("content-type", "text/xml").set_body_string(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
<faultcode>s:Client</faultcode><faultstring>The request was refused.</faultstring></s:Fault></s:Body></s:Envelope>"#,
        ))
        .mount(&server)
        .await;

    let client = projector::Client::new(config(&server.uri())).unwrap();
    let error = Session::authenticate(&client, credentials()).await.unwrap_err();
    assert!(matches!(error, Error::Fault(_)), "{error:?}");
    assert_error_shows_no_secret("SOAP fault", &error);

    let client = visma_net::Client::new(config(&server.uri()).token_provider(FailingProvider)).unwrap();
    let error = client.project_task().get_all_tasks().send().await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    assert_error_shows_no_secret("auth error", &error);
}
