//! Query lists in every `style`, deep objects and cookies, checked byte for byte as they come off
//! the socket (the raw server: wiremock would decode the query and merge the headers), and the
//! cookies' fate on redirects.

use crate::common;

use std::collections::BTreeMap;

use common::{header, received, RawServer};
use fixture_clients::param_styles::types::{Color, Filter};
use fixture_clients::param_styles::Client;
use fixture_clients::ClientConfig;
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base_url: &str) -> Client {
    Client::new(ClientConfig::new().base_url(base_url)).unwrap()
}

const OK_LIST: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]";
const NO_CONTENT: &[u8] = b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n";

/// The request line's target of each request head.
fn targets(heads: &[String]) -> Vec<&str> {
    heads.iter().map(|head| head.split(' ').nth(1).expect("a request line has a target")).collect()
}

/// The values of header `name` in a raw request head (names compared case-insensitively).
fn raw_headers<'a>(head: &'a str, name: &str) -> Vec<&'a str> {
    head.lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .filter(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
        .collect()
}

#[tokio::test]
async fn each_style_writes_its_delimiter_and_encodes_it_inside_values() {
    let server = RawServer::start(vec![OK_LIST.to_vec(); 3]);
    let api = client(&server.base_url);

    api.search()
        .items(vec![1, 2, 3])
        .tags(vec!["a b".to_owned(), "c,d".to_owned()])
        .colors(vec![Color::Red, Color::Dark])
        .names(vec!["x|y".to_owned(), "z".to_owned()])
        .send()
        .await
        .unwrap();
    // A delimiter inside a value is escaped, the delimiter between values is not.
    api.search().items(vec![]).tags(vec!["one".to_owned()]).colors(vec![Color::Dark]).send().await.unwrap();
    let labels = BTreeMap::from([("b k".to_owned(), "v&w".to_owned()), ("a]".to_owned(), "1".to_owned())]);
    let filter = Filter::new("big box").with_size(2).with_color(Color::Dark);
    api.search().items(vec![7]).labels(labels).filter(filter).send().await.unwrap();

    let heads = server.request_heads();
    assert_eq!(
        targets(&heads),
        [
            "/items?ids=1,2,3&tags=a+b%20c%2Cd&colors=red|dark%7Cblue&names=x%7Cy&names=z",
            // An empty list sends nothing, in every style.
            "/items?tags=one&colors=dark%7Cblue",
            // Map keys in their order, object fields in the spec's, `None` fields left out.
            "/items?ids=7&labels[a%5D]=1&labels[b+k]=v%26w&filter[name]=big+box&filter[size]=2&filter[color]=dark%7Cblue",
        ]
    );
}

#[tokio::test]
async fn a_deep_object_leaves_out_the_fields_that_are_not_set() {
    let server = RawServer::start(vec![OK_LIST.to_vec()]);
    client(&server.base_url).search().items(vec![1]).filter(Filter::new("n")).send().await.unwrap();
    assert_eq!(targets(&server.request_heads()), ["/items?ids=1&filter[name]=n"]);
}

#[tokio::test]
async fn cookies_travel_in_one_cookie_header_with_separators_escaped() {
    let server = RawServer::start(vec![NO_CONTENT.to_vec(); 2]);
    let api = client(&server.base_url);

    api.search().session("s=1; admin=true").theme(Color::Dark).x_trace("t-1").send().await.unwrap();
    api.search().session("plain-é").send().await.unwrap();

    let heads = server.request_heads();
    assert_eq!(raw_headers(&heads[0], "cookie"), ["session_id=s=1%3B%20admin=true; theme=dark|blue"]);
    assert_eq!(raw_headers(&heads[0], "x-trace"), ["t-1"]);
    assert_eq!(raw_headers(&heads[1], "cookie"), ["session_id=plain-%C3%A9"]);
}

#[tokio::test]
async fn a_cookie_never_reaches_another_origin_and_stays_on_a_same_origin_redirect() {
    const PLANTED: &str = "planted-cookie-4e2b";
    for status in [301u16, 302, 303, 307, 308] {
        let origin = MockServer::start().await;
        let other = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&other).await;
        Mock::given(path("/session"))
            .respond_with(ResponseTemplate::new(status).insert_header("location", format!("{}/session", other.uri())))
            .mount(&origin)
            .await;

        let error = client(&origin.uri()).search().session(PLANTED).send().await.unwrap_err();

        assert_eq!(error.status().map(|status| status.as_u16()), Some(status), "the redirect is the answer");
        assert!(received(&other).await.is_empty(), "{status}: the other origin received a request");
        let sent = received(&origin).await;
        assert_eq!(header(&sent[0], "cookie"), Some(format!("session_id={PLANTED}").as_str()));

        // Within the origin the request is repeated as it was, cookie included.
        let same = MockServer::start().await;
        Mock::given(path("/session"))
            .respond_with(ResponseTemplate::new(status).insert_header("location", "/moved"))
            .mount(&same)
            .await;
        Mock::given(path("/moved")).respond_with(ResponseTemplate::new(204)).mount(&same).await;
        client(&same.uri()).search().session(PLANTED).send().await.unwrap();
        let sent = received(&same).await;
        assert_eq!(sent.len(), 2, "{status}");
        assert_eq!(header(&sent[1], "cookie"), Some(format!("session_id={PLANTED}").as_str()), "{status}");
    }
}
