//! The services the integration talks to, stood up on loopback: Visma Connect, Visma.net,
//! Projector (SOAP) and 2sms. Each answers as its documents say, from a small state.

use api_clients::Secret;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::integration::Settings;

pub const PROJECT: &str = "P001395";
pub const ACCESS_TOKEN: &str = "connect-token-91c2";
pub const TICKET: &str = "projector-ticket-77d0";
pub const SMS_KEY: &str = "sms-key-3e1f";
pub const REPORT_TASK: &str = "0b5a4c2e-6d1f-4e8a-9c3b-2a7d5e6f8091";
const PWS_ACTIONS: &str = "http://projectorpsa.com/PwsProjectorServices/IPwsProjectorServices/";

/// The project's tasks: more than one page of 50. Every seventh is completed, every fifth has no
/// description.
pub fn tasks() -> Vec<Value> {
    (1..=60)
        .map(|n| {
            let status = if n % 7 == 0 { "Completed" } else { "Active" };
            let description = if n % 5 == 0 { Value::Null } else { json!(format!("Work package {n}")) };
            json!({ "internalId": n, "taskId": format!("T-{n:03}"), "status": status, "description": description })
        })
        .collect()
}

pub struct World {
    pub connect: MockServer,
    pub visma: MockServer,
    pub projector: MockServer,
    pub sms: MockServer,
}

impl World {
    pub async fn start() -> World {
        let world = World {
            connect: MockServer::start().await,
            visma: MockServer::start().await,
            projector: MockServer::start().await,
            sms: MockServer::start().await,
        };
        world.mount_connect().await;
        world.mount_visma().await;
        world.mount_projector().await;
        world.mount_sms().await;
        world
    }

    pub fn settings(&self) -> Settings {
        Settings {
            visma_url: self.visma.uri(),
            token_url: Some(format!("{}/connect/token", self.connect.uri())),
            client_id: "integration-app".to_owned(),
            client_secret: Secret::new("app-secret-0d4b"),
            tenant_id: "tenant-42".to_owned(),
            projector_url: self.projector.uri(),
            projector_account: "acme".to_owned(),
            projector_user: "sync@acme.test".to_owned(),
            projector_password: Secret::new("projector-password-5a"),
            sms_url: self.sms.uri(),
            sms_key: Secret::new(SMS_KEY),
            project: PROJECT.to_owned(),
            kit_assembly: "000123".to_owned(),
            report_task: REPORT_TASK.parse().expect("a UUID"),
        }
    }

    async fn mount_connect(&self) {
        let token = json!({ "access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3600 });
        Mock::given(method("POST"))
            .and(path("/connect/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(token))
            .mount(&self.connect)
            .await;
    }

    async fn mount_visma(&self) {
        // Visma.net rate-limits: the first page request is refused once, with when to come back.
        Mock::given(method("GET"))
            .and(path("/v1/projecttask"))
            .and(query_param("pageNumber", "1"))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "1")
                    .insert_header("x-ratelimit-limit", "100")
                    .insert_header("x-ratelimit-remaining", "0"),
            )
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&self.visma)
            .await;
        let all = tasks();
        for (number, page) in all.chunks(50).enumerate() {
            Mock::given(method("GET"))
                .and(path("/v1/projecttask"))
                .and(query_param("projectId", PROJECT))
                .and(query_param("pageNumber", (number + 1).to_string()))
                .respond_with(ResponseTemplate::new(200).set_body_json(page))
                .mount(&self.visma)
                .await;
        }
        Mock::given(method("GET"))
            .and(path("/v1/projecttask"))
            .and(query_param("pageNumber", "3"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .mount(&self.visma)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(r"^/v1/projecttask/[0-9]+$"))
            .respond_with(move |request: &Request| {
                let id: usize = request.url.path().rsplit('/').next().and_then(|id| id.parse().ok()).unwrap_or(0);
                match all.get(id.wrapping_sub(1)) {
                    Some(task) => ResponseTemplate::new(200)
                        .insert_header("etag", format!("\"rev-{id}\"").as_str())
                        .set_body_json(task),
                    None => ResponseTemplate::new(404),
                }
            })
            .mount(&self.visma)
            .await;
        Mock::given(method("PUT"))
            .and(path_regex(r"^/v1/projecttask/[0-9]+$"))
            .respond_with(|request: &Request| {
                let id = request.url.path().rsplit('/').next().unwrap_or("");
                let expected = format!("\"rev-{id}\"");
                match request.headers.get("if-match").and_then(|value| value.to_str().ok()) {
                    Some(tag) if tag == expected => ResponseTemplate::new(204),
                    _ => ResponseTemplate::new(412),
                }
            })
            .mount(&self.visma)
            .await;
        let accepted = json!({ "id": "job-release-1", "stateLocation": "https://integration.visma.net/API/v1/background/job-release-1" });
        Mock::given(method("POST"))
            .and(path("/v1/kitassembly/KIT/000123/action/release"))
            .and(header("erp-api-background", "none"))
            .respond_with(ResponseTemplate::new(202).set_body_json(accepted))
            .mount(&self.visma)
            .await;
        let finished =
            json!({ "id": "job-release-1", "status": "Finished", "statusCode": 200, "hasResponseContent": true });
        Mock::given(method("GET"))
            .and(path("/v1/background/job-release-1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(finished))
            .mount(&self.visma)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/background/job-release-1/content"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "released": true })))
            .mount(&self.visma)
            .await;
    }

    async fn mount_projector(&self) {
        let endpoint = "/OpsProjectorWcfSvc/PwsProjectorServices.svc";
        let answers = [
            ("PwsAuthenticate", authenticated()),
            ("PwsSaveProjectTask", result("PwsSaveProjectTask", "")),
            ("PwsUnauthenticate", result("PwsUnauthenticate", "")),
        ];
        for (action, answer) in answers {
            Mock::given(method("POST"))
                .and(path(endpoint))
                .and(header("soapaction", format!("\"{PWS_ACTIONS}{action}\"").as_str()))
                .respond_with(
                    ResponseTemplate::new(200)
                        .insert_header("content-type", "text/xml; charset=utf-8")
                        .set_body_string(answer),
                )
                .mount(&self.projector)
                .await;
        }
    }

    async fn mount_sms(&self) {
        Mock::given(method("POST"))
            .and(path("/api/v2/admin/tasks/account"))
            .and(header("x-api-key", SMS_KEY))
            .respond_with(|request: &Request| {
                let sent: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
                let task =
                    json!({ "ID": "5c0e9d3a-1f2b-4c5d-8e6f-7a8b9c0d1e2f", "TaskID": sent["TaskID"], "Enabled": true });
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "Error": null, "ResponseData": { "Result": "OK", "Detail": task } }))
            })
            .mount(&self.sms)
            .await;
    }
}

fn authenticated() -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<PwsAuthenticateResponse xmlns="http://projectorpsa.com/PwsProjectorServices/">
<PwsAuthenticateResult xmlns:a="http://projectorpsa.com/DataContracts/Responses/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
<Messages xmlns="http://projectorpsa.com/CommonServices/"/>
<Status xmlns="http://projectorpsa.com/CommonServices/">Ok</Status>
<a:RedirectUrl i:nil="true"/><a:SessionTicket>{TICKET}</a:SessionTicket>
</PwsAuthenticateResult></PwsAuthenticateResponse></s:Body></s:Envelope>"#
    )
}

fn result(operation: &str, body: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<{operation}Response xmlns="http://projectorpsa.com/PwsProjectorServices/"><{operation}Result>
<Messages xmlns="http://projectorpsa.com/CommonServices/"/>
<Status xmlns="http://projectorpsa.com/CommonServices/">Ok</Status>{body}
</{operation}Result></{operation}Response></s:Body></s:Envelope>"#
    )
}
