//! Bodies beyond JSON (the `bodies` fixture) against a loopback server: the exact bytes and
//! `Content-Type` of forms, multipart uploads, binary (in memory and streamed) and text bodies,
//! and binary, image, text and streamed answers read back.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use fixture_clients::bodies::files::ThumbnailResponse;
use fixture_clients::bodies::types::{SearchForm, Upload, Visibility};
use fixture_clients::bodies::Client;
use fixture_clients::{BinaryBody, Bytes, ClientConfig, Error, FilePart, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    client_with(server, ClientConfig::new())
}

fn client_with(server: &MockServer, config: ClientConfig) -> Client {
    // Retries wait a millisecond, so the retry tests run on the real clock.
    let retry = RetryPolicy::new().backoff(Duration::from_millis(1), Duration::from_millis(1));
    Client::new(config.base_url(server.uri()).retry(retry)).expect("a loopback base URL is valid")
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|value| value.to_str().expect("visible ASCII"))
}

/// A stream of chunks for an upload, as a user's file reader would give them.
struct Chunks(VecDeque<Result<Bytes, std::io::Error>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.pop_front())
    }
}

fn chunks(parts: &[&'static [u8]]) -> Chunks {
    Chunks(parts.iter().map(|part| Ok(Bytes::from_static(part))).collect())
}

#[tokio::test]
async fn a_multipart_upload_sends_every_field_as_a_part_and_files_with_their_name_and_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "f-1", "size": 4})))
        .mount(&server)
        .await;
    // Bytes a text encoding would mangle, and a file name with a quote and a line break.
    let file = FilePart::new(b"\x89PNG\r\n\x00\xff".to_vec())
        .with_file_name("chart \"q3\"\r\n.png")
        .with_content_type("image/png");
    let upload = Upload::new(file, vec!["a".to_owned(), "b c".to_owned()])
        .with_thumbnails(vec![FilePart::new(b"t1".to_vec()), FilePart::new(b"t2".to_vec()).with_file_name("t2.jpg")])
        .with_title("Q3 – chart")
        .with_visibility(Visibility::Public);

    let answer = client(&server).files().upload(upload).send().await.expect("201 decodes");
    assert_eq!(answer.body.id, "f-1");
    assert_eq!(answer.body.size, Some(4));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let content_type = header(&requests[0], "content-type").expect("a content type");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart with a boundary");
    assert!(!boundary.is_empty() && boundary.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "{boundary}");
    let part = |headers: &str, data: &[u8]| {
        let mut bytes = format!("--{boundary}\r\nContent-Disposition: form-data; {headers}\r\n\r\n").into_bytes();
        bytes.extend_from_slice(data);
        bytes.extend_from_slice(b"\r\n");
        bytes
    };
    let mut expected = Vec::new();
    expected.extend(part(
        "name=\"file\"; filename=\"chart %22q3%22%0D%0A.png\"\r\nContent-Type: image/png",
        b"\x89PNG\r\n\x00\xff",
    ));
    expected.extend(part("name=\"thumbnails\"\r\nContent-Type: application/octet-stream", b"t1"));
    expected.extend(part("name=\"thumbnails\"; filename=\"t2.jpg\"\r\nContent-Type: application/octet-stream", b"t2"));
    expected.extend(part("name=\"title\"", "Q3 – chart".as_bytes()));
    expected.extend(part("name=\"tags\"", b"a"));
    expected.extend(part("name=\"tags\"", b"b c"));
    expected.extend(part("name=\"visibility\"", b"public"));
    expected.extend(format!("--{boundary}--\r\n").into_bytes());
    assert_eq!(String::from_utf8_lossy(&requests[0].body), String::from_utf8_lossy(&expected));
    assert_eq!(requests[0].body, expected);
    assert_eq!(header(&requests[0], "accept"), Some("application/json"));
}

#[tokio::test]
async fn a_form_body_is_url_encoded_in_field_order_with_lists_repeated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{"id": "n1", "text": "hi"}])))
        .mount(&server)
        .await;
    let since = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
    let form = SearchForm::new("rust & co/é")
        .with_tag(vec!["x".to_owned(), "y z".to_owned()])
        .with_limit(5)
        .with_since(since)
        .with_visibility(Visibility::Private);

    let answer = client(&server).notes().search(form).send().await.expect("200 decodes");
    assert_eq!(answer.body.len(), 1);
    assert_eq!(answer.body[0].text.as_deref(), Some("hi"));

    let request = &received(&server).await[0];
    assert_eq!(header(request, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        "q=rust+%26+co%2F%C3%A9&tag=x&tag=y+z&limit=5&since=2024-01-31&visibility=private"
    );
}

#[tokio::test]
async fn a_form_leaves_unset_fields_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    client(&server).notes().search(SearchForm::new("only")).send().await.expect("200 decodes");
    assert_eq!(received(&server).await[0].body, b"q=only");
}

#[tokio::test]
async fn binary_bytes_are_sent_as_they_are_and_sent_again_on_a_retry() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/files/f%2F1/content"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/files/f%2F1/content"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let content: Vec<u8> = (0..=255).collect();

    let answer = client(&server).files().put_content("f/1", content.clone()).send().await.expect("the retry succeeds");
    assert_eq!(answer.status.as_u16(), 204);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "a PUT with bytes in memory is retried after a 503");
    for request in &requests {
        assert_eq!(header(request, "content-type"), Some("application/octet-stream"));
        assert_eq!(header(request, "content-length"), Some("256"));
        assert_eq!(request.body, content);
    }
}

#[tokio::test]
async fn a_streamed_upload_is_sent_chunked_and_once_even_when_the_answer_is_retryable() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let body = BinaryBody::stream(chunks(&[b"first ", b"second ", b"\x00third"]));

    let error = client(&server).files().put_content("big", body).send().await.expect_err("503 is an error");
    match &error {
        Error::Api(api) => assert_eq!(api.status.as_u16(), 503),
        other => panic!("expected the 503 itself, got {other:?}"),
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "a stream is read once: the 503 is returned, not retried");
    assert_eq!(requests[0].body, b"first second \x00third");
    assert_eq!(header(&requests[0], "content-type"), Some("application/octet-stream"));
    assert_eq!(header(&requests[0], "content-length"), None);
    assert_eq!(header(&requests[0], "transfer-encoding"), Some("chunked"));
}

#[tokio::test]
async fn a_streamed_upload_succeeds_and_a_copy_of_its_builder_cannot_send_it_again() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client(&server);
    let builder = client.files().put_content("big", BinaryBody::stream(chunks(&[b"abc", b"def"])));
    let copy = builder.clone();

    builder.send().await.expect("the first send streams the body");
    match copy.send().await {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("read once"), "{message}"),
        other => panic!("the stream is gone, expected InvalidRequest, got {other:?}"),
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, b"abcdef");
}

#[tokio::test]
async fn a_stream_that_fails_aborts_the_upload_with_a_transport_error() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let failing = Chunks(VecDeque::from([Ok(Bytes::from_static(b"abc")), Err(std::io::Error::other("disk gone"))]));
    let error = client(&server).files().put_content("big", BinaryBody::stream(failing)).send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn a_binary_answer_is_read_as_bytes_within_the_limit_or_streamed_past_it() {
    let server = MockServer::start().await;
    let content: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/files/f1/content"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(content.clone(), "application/octet-stream"))
        .mount(&server)
        .await;

    let answer = client(&server).files().download("f1").send().await.expect("within the default limit");
    assert_eq!(answer.body, Bytes::from(content.clone()));
    assert_eq!(header(&received(&server).await[0], "accept"), Some("application/octet-stream"));

    let small = client_with(&server, ClientConfig::new().max_response_bytes(1_000));
    match small.files().download("f1").send().await {
        Err(Error::BodyTooLarge { limit, .. }) => assert_eq!(limit, 1_000),
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    let mut stream = small.files().download("f1").send_streaming().await.expect("headers arrive").body;
    let mut read = Vec::new();
    while let Some(chunk) = stream.next_chunk().await {
        read.extend_from_slice(&chunk.expect("the chunk arrives"));
    }
    assert_eq!(read, content, "streaming is not bound by the body limit");
}

#[tokio::test]
async fn a_streamed_download_of_an_error_status_is_the_api_error_with_its_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no such file"))
        .mount(&server)
        .await;
    match client(&server).files().download("nope").send_streaming().await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status.as_u16(), 404);
            assert_eq!(format!("{:?}", api.body), "Raw(\"no such file\")");
        }
        other => panic!("expected the 404, got {other:?}"),
    }
}

#[tokio::test]
async fn an_answer_of_several_media_types_asks_for_them_and_reads_each_its_way() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files/a/thumbnail"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"\x89PNG".to_vec(), "image/png"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/b/thumbnail"))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({"id": "b"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let png = client.files().thumbnail("a").send().await.unwrap().body;
    assert_eq!(png, ThumbnailResponse::Ok(Bytes::from_static(b"\x89PNG")));
    let pending = client.files().thumbnail("b").send().await.unwrap().body;
    assert_eq!(pending.into_accepted().map(|info| info.id), Some("b".to_owned()));
    assert_eq!(header(&received(&server).await[0], "accept"), Some("image/png, application/json"));

    Mock::given(method("GET"))
        .and(path("/files/c/raw"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"%PDF".to_vec(), "application/pdf"))
        .mount(&server)
        .await;
    assert_eq!(client.files().raw("c").send().await.unwrap().body, Bytes::from_static(b"%PDF"));
    assert_eq!(header(&received(&server).await[2], "accept"), Some("*/*"));
}

#[tokio::test]
async fn text_bodies_are_sent_and_read_as_utf8_text() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/notes/n1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("stored: ünïcode\n".as_bytes(), "text/plain"))
        .mount(&server)
        .await;
    let answer = client(&server).notes().put_text("n1", "ünïcode\nline two").send().await.expect("text decodes");
    assert_eq!(answer.body, "stored: ünïcode\n");
    let request = &received(&server).await[0];
    assert_eq!(header(request, "content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(header(request, "accept"), Some("text/plain"));
    assert_eq!(request.body, "ünïcode\nline two".as_bytes());
}

#[tokio::test]
async fn an_optional_text_body_left_out_sends_no_body_and_bad_utf8_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes/render"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"<p>\xff</p>".to_vec(), "text/html"))
        .mount(&server)
        .await;
    let client = client(&server);
    match client.notes().render().send().await {
        Err(Error::Decode(error)) => {
            assert!(error.message.contains("not UTF-8"), "{}", error.message);
            assert_eq!(error.body, "<p>\u{fffd}</p>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    client.notes().render().body("# Title").send().await.unwrap_err();
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "content-type"), None);
    assert!(requests[0].body.is_empty());
    assert_eq!(header(&requests[1], "content-type"), Some("text/markdown"));
    assert_eq!(requests[1].body, b"# Title");
}

#[tokio::test]
async fn a_binary_body_can_carry_its_own_content_type_but_not_a_line_break_in_it() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client(&server);
    let png = BinaryBody::from(b"\x89PNG".to_vec()).with_content_type("image/png");
    client.files().put_content("f1", png).send().await.expect("204");
    let request = &received(&server).await[0];
    assert_eq!(header(request, "content-type"), Some("image/png"));
    assert_eq!(request.body, b"\x89PNG");

    let bad = BinaryBody::from(b"x".to_vec()).with_content_type("image/png\r\nX-Injected: 1");
    match client.files().put_content("f1", bad).send().await {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("line break"), "{message}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1, "nothing is sent");
}

#[tokio::test]
async fn the_mock_server_answers_bytes_and_text_with_their_content_types() {
    use fixture_clients::bodies::files::ThumbnailResponse as Thumb;
    use fixture_clients::bodies::mock::{files, notes};
    let server = fixture_clients::mock::MockServer::start().await;
    server.on(files::Download).answer(Bytes::from_static(b"\x00\x01bytes")).await;
    server.on(files::Thumbnail).answer(Thumb::Ok(Bytes::from_static(b"\x89PNG"))).await;
    server.on(notes::PutText).answer("stored".to_owned()).await;
    let client = Client::new(server.config()).unwrap();

    let download = client.files().download("f1").send().await.unwrap();
    assert_eq!(download.body, Bytes::from_static(b"\x00\x01bytes"));
    assert_eq!(download.header("content-type"), Some("application/octet-stream"));
    let thumbnail = client.files().thumbnail("f1").send().await.unwrap();
    assert_eq!(thumbnail.header("content-type"), Some("image/png"));
    assert_eq!(thumbnail.body.into_ok(), Some(Bytes::from_static(b"\x89PNG")));
    let text = client.notes().put_text("n1", "x").send().await.unwrap();
    assert_eq!((text.body.as_str(), text.header("content-type")), ("stored", Some("text/plain")));
}
