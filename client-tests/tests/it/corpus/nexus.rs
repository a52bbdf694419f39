//! Oxide's nexus: a disk whose `state` is a tagged union (inline variants, the tag inferred),
//! a `Nullable` field, a paged list with its query, and a 204 delete.

use crate::common;

use common::{only_request, raw_query};
use fixture_clients::corpus_nexus::types::DiskState;
use fixture_clients::corpus_nexus::Client;
use fixture_clients::{ClientConfig, Nullable};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::new(ClientConfig::new().base_url(server.uri()).bearer_token("nexus-token")).unwrap()
}

fn disk(id: &str, state: serde_json::Value) -> serde_json::Value {
    json!({
        "block_size": 512, "description": "boot disk", "device_path": "/mnt/boot",
        "id": id, "image_id": null, "name": "boot", "project_id": "5b5e1cfc-7ba6-4e59-a6d6-a4d9c0a0d0a2",
        "size": 1073741824, "snapshot_id": "ae5e3f0e-1d71-4a7c-9b52-5c2f7e2bd8f1", "state": state,
        "time_created": "2023-01-02T03:04:05Z", "time_modified": "2023-01-02T03:04:05Z"
    })
}

#[tokio::test]
async fn a_disk_decodes_its_state_variant_and_its_nullable_image() {
    let server = MockServer::start().await;
    let attached = json!({"state": "attached", "instance": "0f0c5d7a-2c69-4c68-8d5c-7c5e3a1b2c3d"});
    Mock::given(method("GET"))
        .and(path("/v1/disks/boot"))
        .respond_with(ResponseTemplate::new(200).set_body_json(disk("d1c4a0c3-7a53-4c4e-8d6a-3b2f1e0d9c8b", attached)))
        .mount(&server)
        .await;

    let answer = client(&server).disks().disk_view_v1("boot".into()).project("db".into()).send().await.unwrap();

    let disk = answer.body;
    let DiskState::Attached(attached) = &disk.state else { panic!("expected attached, got {:?}", disk.state) };
    assert_eq!(attached.instance.to_string(), "0f0c5d7a-2c69-4c68-8d5c-7c5e3a1b2c3d");
    assert_eq!(disk.image_id, Nullable::Null, "sent as null, not left out");
    assert_eq!(disk.size, 1073741824);
    let request = only_request(&server).await;
    assert_eq!(raw_query(&request), Some("project=db"));
    assert_eq!(common::header(&request, "authorization"), Some("Bearer nexus-token"));
}

#[tokio::test]
async fn a_state_this_client_does_not_know_is_kept_and_a_page_lists_its_disks() {
    let server = MockServer::start().await;
    let page = json!({
        "items": [
            disk("d1c4a0c3-7a53-4c4e-8d6a-3b2f1e0d9c8b", json!({"state": "detached"})),
            disk("e2d5b1d4-8b64-4d5f-9e7b-4c3a2f1e0d9c", json!({"state": "importing", "progress": 0.5})),
        ],
        "next_page": "page-2"
    });
    Mock::given(method("GET"))
        .and(path("/v1/disks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;

    let answer = client(&server).disks().disk_list_v1().limit(2).page_token("page-1").send().await.unwrap();

    let items = &answer.body.items;
    assert!(matches!(items[0].state, DiskState::Detached(_)), "{:?}", items[0].state);
    assert_eq!(items[1].state, DiskState::Other(json!({"state": "importing", "progress": 0.5})));
    assert_eq!(answer.body.next_page, Nullable::Value("page-2".to_owned()));
    assert_eq!(raw_query(&only_request(&server).await), Some("limit=2&page_token=page-1"));
}

#[tokio::test]
async fn a_delete_answers_204_without_a_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/disks/5b5e1cfc-7ba6-4e59-a6d6-a4d9c0a0d0a2"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    let answer =
        client(&server).disks().disk_delete_v1("5b5e1cfc-7ba6-4e59-a6d6-a4d9c0a0d0a2".into()).send().await.unwrap();

    assert_eq!(answer.status.as_u16(), 204);
    assert_eq!(only_request(&server).await.method.as_str(), "DELETE");
}
