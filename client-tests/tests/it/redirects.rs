//! Redirects never carry credentials to another origin: two loopback servers on different
//! ports are two origins; the first answers each redirect status pointing at the second, and
//! the second must receive nothing. Same-origin redirects are followed (at most five), without
//! `Referer` or cookies.

use crate::common;

use api_clients::projector::types::PwsAuthenticateRq;
use api_clients::projector::{self, Session};
use api_clients::visma_net::types::{DtoValueOfString, ProjectTaskUpdateDto};
use api_clients::{visma_net, AccessToken, ClientConfig, Error, RedirectPolicy, Secret, TokenFuture, TokenProvider};
use common::{header, received};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Planted credentials: none may appear in anything the other origin receives.
const TOKEN: &str = "planted-bearer-7c1e";
const API_KEY: &str = "planted-api-key-55d0";
const SECRET_KEY: &str = "planted-secret-header-0b9a";
const BODY_SECRET: &str = "planted-body-3f7d";
const PASSWORD: &str = "planted-password-e2c4";

const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// A Visma client for `server` with a bearer token, a plain and a secret API key header.
fn visma(server: &MockServer, policy: RedirectPolicy) -> visma_net::Client {
    visma_net::Client::new(
        ClientConfig::new()
            .base_url(server.uri())
            .bearer_token(TOKEN)
            .header("X-Api-Key", API_KEY)
            .secret_header("X-Secret-Key", SECRET_KEY)
            .redirects(policy),
    )
    .unwrap()
}

fn body_with_secret() -> ProjectTaskUpdateDto {
    ProjectTaskUpdateDto::new().with_description(DtoValueOfString::new().with_value(BODY_SECRET))
}

/// Fails when `request` carries any planted credential (headers or body) or a `Referer`.
fn assert_carries_no_credential(request: &Request) {
    let mut text = format!("{} {}\n", request.method, request.url);
    for (name, value) in &request.headers {
        text.push_str(&format!("{name}: {}\n", String::from_utf8_lossy(value.as_bytes())));
    }
    text.push_str(&String::from_utf8_lossy(&request.body));
    for planted in [TOKEN, API_KEY, SECRET_KEY, BODY_SECRET, PASSWORD] {
        assert!(!text.contains(planted), "`{planted}` reached the other origin:\n{text}");
    }
    assert!(header(request, "referer").is_none(), "a Referer was sent:\n{text}");
}

/// The origin's answer: `status` with `Location` pointing at `target`.
async fn mount_redirect(origin: &MockServer, status: u16, target: &str) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).insert_header("location", target))
        .mount(origin)
        .await;
}

/// A server that accepts anything (so a request that reaches it by mistake succeeds).
async fn other_origin() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string("[]")).mount(&server).await;
    server
}

#[tokio::test]
async fn redirects_to_another_origin_are_not_followed_and_send_it_nothing() {
    for status in REDIRECTS {
        let origin = MockServer::start().await;
        let other = other_origin().await;
        let target = format!("{}/elsewhere?from=redirect", other.uri());
        mount_redirect(&origin, status, &target).await;
        // `header` is how the 2sms API's key travels; it must stay at its origin too.
        let config = ClientConfig::new().base_url(origin.uri()).header("X-Api-Key", API_KEY);
        for config in [config.clone().bearer_token(TOKEN), config.token_provider(PlantedProvider)] {
            let client = visma_net::Client::new(config).unwrap();

            let error = client.project_task().create_task(1, body_with_secret()).send().await.unwrap_err();

            let leaked = received(&other).await;
            for request in &leaked {
                assert_carries_no_credential(request);
            }
            assert!(leaked.is_empty(), "{status}: the other origin received {} request(s)", leaked.len());
            let api =
                error.api().unwrap_or_else(|| panic!("{status}: expected the redirect as an API error, got {error}"));
            assert_eq!(api.status.as_u16(), status);
            assert_eq!(api.headers.get("location").and_then(|value| value.to_str().ok()), Some(target.as_str()));
        }
        assert_eq!(received(&origin).await.len(), 2, "{status}: one request per client, no retry");
    }
}

/// Hands out the planted token, as a refreshing OAuth client would.
struct PlantedProvider;

impl TokenProvider for PlantedProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async { Ok(AccessToken::new(TOKEN)) })
    }
}

#[tokio::test]
async fn a_secret_header_never_reaches_another_origin() {
    for status in REDIRECTS {
        let origin = MockServer::start().await;
        let other = other_origin().await;
        mount_redirect(&origin, status, &format!("{}/v1/projecttask", other.uri())).await;

        let result = visma(&origin, RedirectPolicy::default()).project_task().get_all_tasks().send().await;

        assert!(result.is_err(), "{status}: the redirect is returned as an error");
        for request in &received(&other).await {
            assert_carries_no_credential(request);
        }
        assert!(received(&other).await.is_empty(), "{status}");
        let sent = received(&origin).await;
        assert_eq!(header(&sent[0], "x-secret-key"), Some(SECRET_KEY), "the origin itself gets the header");
    }
}

#[tokio::test]
async fn the_projector_password_is_not_posted_again_to_another_origin() {
    for status in [307, 308] {
        let origin = MockServer::start().await;
        let other = other_origin().await;
        let endpoint = projector::Client::DEFAULT_ENDPOINT_PATH;
        mount_redirect(&origin, status, &format!("{}{endpoint}", other.uri())).await;
        let client = projector::Client::new(ClientConfig::new().base_url(origin.uri())).unwrap();
        let credentials = PwsAuthenticateRq::new("acme", Secret::new(PASSWORD), "jdoe@acme.com").with_request_id(1);

        let result = Session::authenticate(&client, credentials).await;

        assert!(result.is_err(), "{status}: no session from a redirect");
        for request in &received(&other).await {
            assert_carries_no_credential(request);
        }
        assert!(received(&other).await.is_empty(), "{status}");
        let sent = received(&origin).await;
        assert_eq!(sent.len(), 1);
        assert!(String::from_utf8_lossy(&sent[0].body).contains(PASSWORD), "the origin itself gets the password");
    }
}

#[tokio::test]
async fn the_same_host_and_port_with_another_scheme_is_another_origin() {
    let origin = MockServer::start().await;
    // https on the same host and port: not followed (the same rule refuses https → http).
    let target = origin.uri().replacen("http://", "https://", 1) + "/v1/projecttask";
    mount_redirect(&origin, 301, &target).await;

    let error = visma(&origin, RedirectPolicy::default()).project_task().get_all_tasks().send().await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(301), "{error}");
    assert_eq!(received(&origin).await.len(), 1);
}

#[tokio::test]
async fn same_origin_redirects_are_followed_with_credentials_without_referer_or_cookies() {
    for status in REDIRECTS {
        let server = MockServer::start().await;
        Mock::given(path("/v1/projecttask/1"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("location", "/moved/1?step=2")
                    .insert_header("set-cookie", "sid=planted-cookie-91aa; Path=/"),
            )
            .mount(&server)
            .await;
        Mock::given(path("/moved/1"))
            .respond_with(ResponseTemplate::new(201).set_body_string(r#"{"internalId":1}"#))
            .mount(&server)
            .await;

        let answer =
            visma(&server, RedirectPolicy::default()).project_task().create_task(1, body_with_secret()).send().await;

        assert!(answer.is_ok(), "{status}: {answer:?}");
        let requests = received(&server).await;
        assert_eq!(requests.len(), 2, "{status}");
        let followed = &requests[1];
        assert_eq!(followed.url.path(), "/moved/1");
        assert_eq!(header(followed, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
        assert_eq!(header(followed, "x-api-key"), Some(API_KEY));
        assert_eq!(header(followed, "x-secret-key"), Some(SECRET_KEY));
        assert_eq!(header(followed, "referer"), None, "{status}: no Referer");
        assert_eq!(header(followed, "cookie"), None, "{status}: no cookie is stored");
        // 301/302/303 turn the POST into a body-less GET; 307/308 repeat it.
        let body = String::from_utf8_lossy(&followed.body);
        if status >= 307 {
            assert_eq!(followed.method.as_str(), "POST");
            assert!(body.contains(BODY_SECRET), "{status}: {body}");
        } else {
            assert_eq!(followed.method.as_str(), "GET");
            assert!(body.is_empty(), "{status}: {body}");
        }
    }
}

#[tokio::test]
async fn same_origin_redirect_loops_stop_after_five_redirects() {
    let server = MockServer::start().await;
    mount_redirect(&server, 302, "/v1/projecttask").await;

    let error = visma(&server, RedirectPolicy::default()).project_task().get_all_tasks().send().await.unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.to_string().contains("too many redirects"), "{error}");
    assert_eq!(received(&server).await.len(), 6, "the request and five redirects");
}

#[tokio::test]
async fn redirect_policy_none_returns_every_redirect_as_it_is() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/moved"))
        .mount(&server)
        .await;

    let error = visma(&server, RedirectPolicy::None).project_task().get_all_tasks().send().await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(302));
    assert_eq!(received(&server).await.len(), 1, "/moved is not requested");

    // A higher bound is honoured too.
    let looping = MockServer::start().await;
    mount_redirect(&looping, 307, "/v1/projecttask").await;
    let error = visma(&looping, RedirectPolicy::SameOrigin { max: 8 }).project_task().get_all_tasks().send().await;
    assert!(error.is_err());
    assert_eq!(received(&looping).await.len(), 9);
}
