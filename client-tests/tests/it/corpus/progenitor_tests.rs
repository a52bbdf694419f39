//! progenitor's own test documents: parameters named like the code a generator writes
//! (`param-collision.json`) and an operation's parameter overriding its path item's
//! (`param-overrides.json`), each sent exactly as declared.

use crate::common;

use common::{only_request, raw_query};
use fixture_clients::{corpus_param_collision, corpus_param_overrides, ClientConfig};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_answering(route: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(route)).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    server
}

#[tokio::test]
async fn parameters_named_like_generated_code_each_reach_the_wire() {
    let server = server_answering("/key/true").await;
    let client = corpus_param_collision::Client::new(ClientConfig::new().base_url(server.uri())).unwrap();

    // `client` yields to the builder's own field: `client_param`, still sent as `client`.
    let answer = client.api().key_get(true, false, true, false, true, false).send().await.unwrap();

    assert_eq!(answer.status.as_u16(), 200);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/key/true");
    assert_eq!(raw_query(&request), Some("url=false&request=true&response=false&result=true&client=false"));
}

#[tokio::test]
async fn an_operations_parameter_overrides_its_path_items_and_the_others_stay() {
    let server = server_answering("/key").await;
    let client = corpus_param_overrides::Client::new(ClientConfig::new().base_url(server.uri())).unwrap();

    // The operation's `key` is a boolean; the path item's string `key` is gone.
    client.api().key_get().key(true).unique_key("a b").send().await.unwrap();
    client.api().key_get().send().await.unwrap();

    let requests = common::received(&server).await;
    let queries: Vec<Option<&str>> = requests.iter().map(raw_query).collect();
    assert_eq!(queries, [Some("uniqueKey=a+b&key=true"), None]);
}
