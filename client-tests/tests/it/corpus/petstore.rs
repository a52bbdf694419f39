//! The Swagger 2.0 petstore: its `formData` operations (a form, and a multipart upload with a
//! `type: file` part) and its `api_key` header scheme, on a loopback server.

use crate::common;

use common::{header, only_request};
use fixture_clients::corpus_petstore::types::{UpdatePetWithFormBody, UploadFileBody};
use fixture_clients::corpus_petstore::Client;
use fixture_clients::{ClientConfig, FilePart};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    let config = ClientConfig::new().base_url(format!("{}/v2", server.uri())).api_key(Client::API_KEY, "special-key");
    Client::new(config).unwrap()
}

#[tokio::test]
async fn form_data_parameters_are_sent_as_a_url_encoded_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v2/pet/7")).respond_with(ResponseTemplate::new(200)).mount(&server).await;

    let body = UpdatePetWithFormBody::new("Rex & co").with_status("sold");
    client(&server).pet().update_pet_with_form(7, body).send().await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(String::from_utf8_lossy(&request.body), "name=Rex+%26+co&status=sold");
    assert_eq!(header(&request, "api_key"), Some("special-key"));
}

#[tokio::test]
async fn a_file_form_data_parameter_is_a_multipart_file_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/pet/7/uploadImage"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"code": 200, "type": "ok", "message": "3 bytes"})),
        )
        .mount(&server)
        .await;

    let file = FilePart::new(b"\xff\xd8\xff".to_vec()).with_file_name("rex.jpg").with_content_type("image/jpeg");
    let body = UploadFileBody::new(file).with_additional_metadata("front");
    let answer = client(&server).pet().upload_file(7, body).send().await.unwrap();

    assert_eq!(answer.body.code, Some(200));
    assert_eq!(answer.body.message.as_deref(), Some("3 bytes"));
    let request = only_request(&server).await;
    let content_type = header(&request, "content-type").unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart with a boundary");
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"additionalMetadata\"\r\n\r\nfront\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rex.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(b"\xff\xd8\xff\r\n");
    expected.extend(format!("--{boundary}--\r\n").into_bytes());
    assert_eq!(String::from_utf8_lossy(&request.body), String::from_utf8_lossy(&expected));
    assert_eq!(request.body, expected);
}

#[tokio::test]
async fn the_inventory_map_is_read_with_the_key_in_its_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/store/inventory"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"available": 3, "sold": 1})))
        .mount(&server)
        .await;

    let answer = client(&server).store().get_inventory().send().await.unwrap();

    assert_eq!(answer.body.get("available"), Some(&3));
    assert_eq!(answer.body.len(), 2);
    let request = only_request(&server).await;
    assert_eq!(header(&request, "api_key"), Some("special-key"));
    assert_eq!(header(&request, "authorization"), None);
}
