//! Unions (`kind: union`) against a real HTTP server on loopback: the exact body a tagged,
//! untagged and recursive union sends, the variant each answer decodes into, the raw JSON an open
//! union keeps and sends back unchanged, and the errors of a closed one.

use fixture_clients::unions::types::{
    Circle, Contact, Created, Deleted, EmailContact, Event, Expr, Negation, PhoneContact, Setting, Shape, Square, Sum,
};
use fixture_clients::unions::Client;
use fixture_clients::{ClientConfig, Error};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::new(ClientConfig::new().base_url(server.uri())).expect("a loopback base URL is a valid configuration")
}

async fn answer(server: &MockServer, verb: &str, at: &str, body: Value) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

/// The one request the server received, its body as text.
async fn sent_body(server: &MockServer) -> String {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected one request, got {requests:#?}");
    String::from_utf8(requests[0].body.clone()).expect("a JSON body is UTF-8")
}

#[tokio::test]
async fn a_tagged_variant_is_sent_with_its_tag_once_and_decoded_by_it() {
    let server = MockServer::start().await;
    answer(&server, "POST", "/shapes", json!({ "side": 3, "kind": "square", "label": "box" })).await;
    // `Circle` declares the tag property itself: what it holds is replaced by the union's tag.
    let circle = Circle::new("stale", 2);
    let answer = client(&server).shapes().draw(Shape::Circle(circle)).send().await.unwrap().into_body();
    assert_eq!(sent_body(&server).await, r#"{"kind":"circle","radius":2}"#);
    assert_eq!(answer, Shape::Square(Square::new(3).with_label("box")));
}

#[tokio::test]
async fn a_variant_without_the_tag_field_gets_it_first() {
    let server = MockServer::start().await;
    answer(&server, "POST", "/shapes", json!({ "kind": "circle", "radius": 5 })).await;
    let answer = client(&server).shapes().draw(Shape::Square(Square::new(4))).send().await.unwrap().into_body();
    assert_eq!(sent_body(&server).await, r#"{"kind":"square","side":4}"#);
    // The variant's own `kind` field receives the tag it was chosen by.
    assert_eq!(answer, Shape::Circle(Circle::new("circle", 5)));
}

#[tokio::test]
async fn a_closed_tagged_union_refuses_an_unknown_or_missing_tag() {
    for (body, expected) in [
        (
            json!({ "kind": "hexagon", "side": 1 }),
            "unknown `kind` tag `hexagon` of `Shape`, expected one of `circle`, `square`",
        ),
        (json!({ "side": 1 }), "`Shape` needs its `kind` tag (a string)"),
    ] {
        let server = MockServer::start().await;
        answer(&server, "POST", "/shapes", body).await;
        let error = client(&server).shapes().draw(Shape::Square(Square::new(1))).send().await.unwrap_err();
        let Error::Decode(decode) = error else { panic!("expected a decode error, got {error:?}") };
        assert!(decode.message.contains(expected), "{}", decode.message);
    }
}

#[tokio::test]
async fn an_open_tagged_union_keeps_an_unknown_event_as_received() {
    let server = MockServer::start().await;
    let unknown = json!({ "type": "archived", "id": "e3", "at": { "day": 3 } });
    answer(
        &server,
        "GET",
        "/events",
        json!([{ "type": "created", "id": "e1" }, { "id": "e2", "type": "deleted" }, unknown.clone()]),
    )
    .await;
    let events = client(&server).shapes().events().send().await.unwrap().into_body();
    assert_eq!(
        events,
        vec![Event::Created(Created::new("e1")), Event::Deleted(Deleted::new("e2")), Event::Other(unknown.clone())]
    );
    // Sent back, the unknown event is the JSON received.
    assert_eq!(serde_json::to_value(&events[2]).unwrap(), unknown);
}

#[tokio::test]
async fn an_untagged_union_takes_the_first_variant_that_decodes() {
    let server = MockServer::start().await;
    answer(&server, "PUT", "/settings", json!({ "a": true, "b": 7, "c": "seven", "d": ["x", "y"] })).await;
    let sent = BTreeMap::from([
        ("flag".to_owned(), Setting::Flag(false)),
        ("limit".to_owned(), Setting::Number(10)),
        ("name".to_owned(), Setting::Text("n".to_owned())),
        ("tags".to_owned(), Setting::List(vec!["t".to_owned()])),
    ]);
    let answer = client(&server).shapes().settings(sent).send().await.unwrap().into_body();
    assert_eq!(sent_body(&server).await, r#"{"flag":false,"limit":10,"name":"n","tags":["t"]}"#);
    let expected = BTreeMap::from([
        ("a".to_owned(), Setting::Flag(true)),
        ("b".to_owned(), Setting::Number(7)),
        ("c".to_owned(), Setting::Text("seven".to_owned())),
        ("d".to_owned(), Setting::List(vec!["x".to_owned(), "y".to_owned()])),
    ]);
    assert_eq!(answer, expected);
}

#[tokio::test]
async fn a_closed_untagged_union_refuses_a_value_no_variant_takes() {
    let server = MockServer::start().await;
    answer(&server, "PUT", "/settings", json!({ "a": { "nested": 1 } })).await;
    let error = client(&server).shapes().settings(BTreeMap::new()).send().await.unwrap_err();
    let Error::Decode(decode) = error else { panic!("expected a decode error, got {error:?}") };
    assert!(decode.message.contains("the value is none of the variants of `Setting`"), "{}", decode.message);
}

#[tokio::test]
async fn an_open_untagged_union_keeps_what_no_variant_takes() {
    let server = MockServer::start().await;
    let unknown = json!({ "pager": "123" });
    answer(&server, "GET", "/contacts", json!([{ "email": "a@example.com" }, { "phone": "555" }, unknown.clone()]))
        .await;
    let contacts = client(&server).shapes().contacts().send().await.unwrap().into_body();
    // A variant named `Other` pushes the catch-all to `UnknownValue`.
    assert_eq!(
        contacts,
        vec![
            Contact::Email(EmailContact::new("a@example.com")),
            Contact::Other(PhoneContact::new("555")),
            Contact::UnknownValue(unknown.clone()),
        ]
    );
    assert_eq!(serde_json::to_value(&contacts[2]).unwrap(), unknown);
}

#[tokio::test]
async fn a_recursive_union_round_trips() {
    let server = MockServer::start().await;
    let tree = json!({ "terms": [1.5, { "negate": { "terms": [2.0, 3.0] } }] });
    answer(&server, "POST", "/evaluate", tree.clone()).await;
    let sent = Expr::Negation(Box::new(Negation::new(Expr::Number(4.25))));
    let answer = client(&server).shapes().evaluate(sent).send().await.unwrap().into_body();
    assert_eq!(sent_body(&server).await, r#"{"negate":4.25}"#);
    let expected = Expr::Sum(Sum::new(vec![
        Expr::Number(1.5),
        Expr::Negation(Box::new(Negation::new(Expr::Sum(Sum::new(vec![Expr::Number(2.0), Expr::Number(3.0)]))))),
    ]));
    assert_eq!(answer, expected);
}
