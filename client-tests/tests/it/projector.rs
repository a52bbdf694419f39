//! The generated Projector PSA SOAP client against a real HTTP server on loopback: request
//! envelopes are checked by parsing them (namespaces, names, order, values), and responses
//! built from the vendor samples in the capture notes are decoded.

use api_clients::projector::types::{
    MessageType, PredecessorLinkType, PwsAuthenticateRq, PwsErrorNumber, PwsProjectRef, PwsProjectTaskDetail,
    PwsProjectTaskPredecessor, PwsProjectTaskRef, PwsSaveProjectTaskRq, RequestStatus,
};
use api_clients::projector::{self, Session};
use api_clients::runtime::soap::{parse_document, FromXml};
use api_clients::{ClientConfig, Error, ErrorBody, RedirectRule, Secret, SessionError};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ENDPOINT: &str = "/OpsProjectorWcfSvc/PwsProjectorServices.svc";
const ACTION_BASE: &str = "http://projectorpsa.com/PwsProjectorServices/IPwsProjectorServices/";
const ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const PWS: &str = "http://projectorpsa.com/PwsProjectorServices/";
const REQ: &str = "http://projectorpsa.com/DataContracts/Requests/";
const SCH: &str = "http://projectorpsa.com/DataContracts/Shared/Scheduling/";
const COM: &str = "http://projectorpsa.com/DataContracts/Shared/Common/";

fn client(server: &MockServer) -> projector::Client {
    projector::Client::new(ClientConfig::new().base_url(server.uri())).expect("a loopback URL is valid")
}

fn credentials() -> PwsAuthenticateRq {
    PwsAuthenticateRq::new("my-account-code", Secret::new("my-password"), "jdoe@acme.com").with_request_id(1)
}

/// The authenticate answer of the capture notes (upload guide sample), with a ticket and an
/// optional redirect.
fn authenticate_answer(ticket: &str, redirect: Option<&str>) -> String {
    let redirect = match redirect {
        Some(url) => format!("<a:RedirectUrl>{url}</a:RedirectUrl>"),
        None => "<a:RedirectUrl i:nil=\"true\"/>".to_owned(),
    };
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<PwsAuthenticateResponse xmlns="http://projectorpsa.com/PwsProjectorServices/">
<PwsAuthenticateResult xmlns:a="http://projectorpsa.com/DataContracts/Responses/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
<Messages xmlns="http://projectorpsa.com/CommonServices/" xmlns:b="http://projectorpsa.com/DataContracts/Shared/Common/"/>
<ResponseId xmlns="http://projectorpsa.com/CommonServices/">1</ResponseId>
<Status xmlns="http://projectorpsa.com/CommonServices/">Ok</Status>
<ServerTimestampUtc xmlns="http://projectorpsa.com/CommonServices/">2018-03-22T15:22:21.9254018Z</ServerTimestampUtc>
{redirect}<a:SessionTicket>{ticket}</a:SessionTicket>
<a:AccountIdentity xmlns:b="http://projectorpsa.com/DataContracts/Shared/Common/"><b:AccountCode>my-account-code</b:AccountCode><b:AccountId>12</b:AccountId><b:AccountUid>1152921504606846977</b:AccountUid></a:AccountIdentity>
<a:UserIdentity xmlns:b="http://projectorpsa.com/DataContracts/Shared/Common/"><b:UserDisplayName>Jack Spratt</b:UserDisplayName><b:UserId i:nil="true"/><b:UserReferenceSystemId>E123</b:UserReferenceSystemId><b:UserUid>1152921504607112369</b:UserUid></a:UserIdentity>
<a:SuperUserFlag>false</a:SuperUserFlag><a:DocumentServerUrl>https://docs.example.invalid/</a:DocumentServerUrl>
<a:Account><a:Unknown>ignored</a:Unknown></a:Account>
</PwsAuthenticateResult></PwsAuthenticateResponse></s:Body></s:Envelope>"#
    )
}

/// The PwsSaveProjectTask answer of the capture notes (Example 01, completed after the point
/// where the vendor text ends), with a status and messages.
fn save_answer(status: &str, messages: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
   <s:Body>
      <PwsSaveProjectTaskResponse xmlns="http://projectorpsa.com/PwsProjectorServices/">
         <PwsSaveProjectTaskResult xmlns:a="http://projectorpsa.com/DataContracts/Shared/Scheduling/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
            <Messages xmlns="http://projectorpsa.com/CommonServices/" xmlns:b="http://projectorpsa.com/DataContracts/Shared/Common/">{messages}</Messages>
            <ResponseId xmlns="http://projectorpsa.com/CommonServices/">0</ResponseId>
            <Status xmlns="http://projectorpsa.com/CommonServices/">{status}</Status>
            <ServerTimestampUtc xmlns="http://projectorpsa.com/CommonServices/">2018-03-22T15:22:21.9254018Z</ServerTimestampUtc>
            <a:ProjectTaskIdentity xmlns:b="http://projectorpsa.com/DataContracts/Shared/Common/"><b:ExternalSystemIdentifier>ESI-123</b:ExternalSystemIdentifier><b:ProjectTaskId i:nil="true"/><b:ProjectTaskUid>1152921504608637358</b:ProjectTaskUid></a:ProjectTaskIdentity>
            <a:EngagementTimestamp>AAAAAAAAB9E=</a:EngagementTimestamp>
            <a:LockStolenFromUserIdentity i:nil="true"/>
            <a:SomethingAddedLater>forward compatible</a:SomethingAddedLater>
         </PwsSaveProjectTaskResult>
      </PwsSaveProjectTaskResponse>
   </s:Body>
</s:Envelope>"#
    )
}

/// The PwsMessage sample of the capture notes, with a number and type of our choosing.
fn message(number: i64, code: &str, kind: &str) -> String {
    format!(
        r#"<b:PwsMessage><b:AdditionalErrorText i:nil="true"/><b:ErrorCode>{code}</b:ErrorCode><b:ErrorNumber>{number}</b:ErrorNumber><b:ErrorText>At least one requested item was not found. The remaining items, if any, were returned.</b:ErrorText><b:Type>{kind}</b:Type><b:ReferenceId1 i:nil="true"/><b:ReferenceId2 i:nil="true"/></b:PwsMessage>"#
    )
}

fn xml(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "text/xml; charset=utf-8").set_body_string(body)
}

async fn mount_authenticate(server: &MockServer, ticket: &str, redirect: Option<&str>) {
    Mock::given(method("POST"))
        .and(path(ENDPOINT))
        .and(header("soapaction", format!("\"{ACTION_BASE}PwsAuthenticate\"").as_str()))
        .respond_with(xml(authenticate_answer(ticket, redirect)))
        .mount(server)
        .await;
}

// The request type has deprecated members (`engagement_timestamp`); the setters never name them.
fn save_request() -> PwsSaveProjectTaskRq {
    let project = PwsProjectRef::new().with_project_code("P001395-001").with_project_uid(1152921504607412209);
    let predecessor =
        PwsProjectTaskPredecessor::new(PwsProjectTaskRef::new().with_project_task_uid(1152921504608637358))
            .with_lag_minutes(30)
            .with_link_type(PredecessorLinkType::StartToStart);
    let task = PwsProjectTaskDetail::new()
        .with_external_system_identifier("ESI-123")
        .with_project_task_uid(1152921504608747355)
        .with_description("a < b & c ]]> d — Grüße")
        .with_duration_minutes(12000)
        .with_earliest_start_date("2018-01-31z".parse::<api_clients::DateTime>().expect("documented date shape"))
        .with_predecessors([predecessor])
        .with_task_name("Grandpa task");
    PwsSaveProjectTaskRq::new(project, task)
        .with_request_id(7)
        .with_description_clear_flag(false)
        .with_predecessors_clear_flag(true)
}

/// The namespace and local name of every child element.
fn children<'a>(node: roxmltree::Node<'a, 'a>) -> Vec<(Option<&'a str>, &'a str)> {
    node.children().filter(|n| n.is_element()).map(|n| (n.tag_name().namespace(), n.tag_name().name())).collect()
}

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> roxmltree::Node<'a, 'a> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
        .unwrap_or_else(|| panic!("no <{name}> under <{}>", node.tag_name().name()))
}

/// Parses a request envelope and returns its `serviceRequest` element, after checking the
/// envelope, the wrapper element and their namespaces.
fn service_request<'a>(document: &'a roxmltree::Document<'a>, operation: &str) -> roxmltree::Node<'a, 'a> {
    let envelope = document.root_element();
    assert_eq!((envelope.tag_name().namespace(), envelope.tag_name().name()), (Some(ENV), "Envelope"));
    assert_eq!(children(envelope), vec![(Some(ENV), "Header"), (Some(ENV), "Body")]);
    let body = child(envelope, "Body");
    assert_eq!(children(body), vec![(Some(PWS), operation)]);
    let wrapper = child(body, operation);
    assert_eq!(children(wrapper), vec![(Some(PWS), "serviceRequest")]);
    child(wrapper, "serviceRequest")
}

fn text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    child(node, name).text().unwrap_or("")
}

fn requests_with_action<'a>(requests: &'a [Request], operation: &str) -> Vec<&'a Request> {
    let action = format!("\"{ACTION_BASE}{operation}\"");
    requests
        .iter()
        .filter(|request| request.headers.get("soapaction").and_then(|v| v.to_str().ok()) == Some(action.as_str()))
        .collect()
}

#[tokio::test]
async fn authenticate_sends_the_documented_envelope_and_keeps_the_ticket() {
    let server = MockServer::start().await;
    mount_authenticate(&server, "ARQC8d/V3CZk+kOWf7w3KQ==", None).await;
    let client = client(&server);

    let session = Session::authenticate(&client, credentials()).await.expect("authenticated");

    assert_eq!(session.ticket().expose(), "ARQC8d/V3CZk+kOWf7w3KQ==");
    assert_eq!(session.base_url(), server.uri());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), ENDPOINT);
    assert_eq!(request.headers.get("content-type").unwrap(), "text/xml; charset=utf-8");
    let text_body = String::from_utf8(request.body.clone()).unwrap();
    let document = roxmltree::Document::parse(&text_body).expect("the request is well-formed XML");
    let rq = service_request(&document, "PwsAuthenticate");
    // Base-class members first, then alphabetical: WCF DataContract order.
    assert_eq!(
        children(rq),
        vec![(Some(REQ), "RequestId"), (Some(REQ), "AccountCode"), (Some(REQ), "Password"), (Some(REQ), "UserName")]
    );
    assert_eq!(text(rq, "RequestId"), "1");
    assert_eq!(text(rq, "AccountCode"), "my-account-code");
    assert_eq!(text(rq, "Password"), "my-password");
    assert_eq!(text(rq, "UserName"), "jdoe@acme.com");
}

#[tokio::test]
async fn the_raw_authenticate_answer_decodes_the_vendor_sample() {
    let server = MockServer::start().await;
    mount_authenticate(&server, "AftyRXSTlnMPzozuKwq0kQ==", None).await;
    let answer = client(&server).authenticate(credentials()).await.expect("decoded");
    let body = answer.body;
    assert_eq!(body.status, Some(RequestStatus::Ok));
    assert_eq!(body.messages, Some(vec![]), "an empty collection element is an empty list");
    assert_eq!(body.redirect_url, None, "i:nil is None");
    assert_eq!(body.server_timestamp_utc.unwrap().to_string(), "2018-03-22T15:22:21.9254018Z");
    let account = body.account_identity.unwrap();
    assert_eq!(account.account_uid, Some(1152921504606846977));
    let user = body.user_identity.unwrap();
    assert_eq!(user.user_display_name.as_deref(), Some("Jack Spratt"));
    assert_eq!(user.user_id, None);
    assert_eq!(body.super_user_flag, Some(false));
}

#[tokio::test]
async fn authenticate_follows_a_redirect_once_and_later_calls_go_there() {
    let first = MockServer::start().await;
    let second = MockServer::start().await;
    mount_authenticate(&first, "wrong-server-ticket", Some(&format!("{}/", second.uri()))).await;
    mount_authenticate(&second, "ticket-from-second", None).await;
    Mock::given(method("POST"))
        .and(path(ENDPOINT))
        .and(header("soapaction", format!("\"{ACTION_BASE}PwsSaveProjectTask\"").as_str()))
        .respond_with(xml(save_answer("Ok", "")))
        .expect(1)
        .mount(&second)
        .await;
    // The spec allows `*.projectorpsa.com`; a test server is on loopback.
    let client = client(&first).with_redirect_hosts(["127.0.0.1"]);

    let session = Session::authenticate(&client, credentials()).await.expect("authenticated");
    assert_eq!(session.base_url(), second.uri());
    assert_eq!(session.ticket().expose(), "ticket-from-second");
    client.save_project_task(&session, save_request()).await.expect("saved on the second server");

    assert_eq!(first.received_requests().await.unwrap().len(), 1);
    let second_requests = second.received_requests().await.unwrap();
    assert_eq!(requests_with_action(&second_requests, "PwsAuthenticate").len(), 1);
    assert_eq!(requests_with_action(&second_requests, "PwsSaveProjectTask").len(), 1);
}

#[tokio::test]
async fn save_project_task_sends_namespaces_order_and_escaped_values() {
    let server = MockServer::start().await;
    mount_authenticate(&server, "AZ2QD+hg1Hm7vSa7Y3Lm3w==", None).await;
    Mock::given(method("POST"))
        .and(header("soapaction", format!("\"{ACTION_BASE}PwsSaveProjectTask\"").as_str()))
        .respond_with(xml(save_answer("Ok", "")))
        .mount(&server)
        .await;
    let client = client(&server);
    let session = Session::authenticate(&client, credentials()).await.unwrap();

    let answer = client.save_project_task(&session, save_request()).await.expect("saved");
    assert_eq!(answer.body.status, Some(RequestStatus::Ok));

    let requests = server.received_requests().await.unwrap();
    let save = requests_with_action(&requests, "PwsSaveProjectTask")[0];
    let body = String::from_utf8(save.body.clone()).unwrap();
    let document = roxmltree::Document::parse(&body).unwrap();
    let rq = service_request(&document, "PwsSaveProjectTask");
    assert_eq!(
        children(rq),
        vec![
            (Some(REQ), "RequestId"),
            (Some(REQ), "SessionTicket"),
            (Some(SCH), "DescriptionClearFlag"),
            (Some(SCH), "PredecessorsClearFlag"),
            (Some(SCH), "ProjectIdentity"),
            (Some(SCH), "ProjectTask"),
        ]
    );
    assert_eq!(text(rq, "SessionTicket"), "AZ2QD+hg1Hm7vSa7Y3Lm3w==");
    assert_eq!(text(rq, "DescriptionClearFlag"), "false");
    assert_eq!(text(rq, "PredecessorsClearFlag"), "true");
    let project = child(rq, "ProjectIdentity");
    assert_eq!(children(project), vec![(Some(COM), "ProjectCode"), (Some(COM), "ProjectUid")]);
    assert_eq!(text(project, "ProjectUid"), "1152921504607412209");
    let task = child(rq, "ProjectTask");
    assert_eq!(
        children(task),
        vec![
            (Some(COM), "ExternalSystemIdentifier"),
            (Some(COM), "ProjectTaskUid"),
            (Some(COM), "Description"),
            (Some(COM), "DurationMinutes"),
            (Some(COM), "EarliestStartDate"),
            (Some(COM), "Predecessors"),
            (Some(COM), "TaskName"),
        ]
    );
    assert_eq!(text(task, "ProjectTaskUid"), "1152921504608747355");
    assert_eq!(text(task, "Description"), "a < b & c ]]> d — Grüße", "text round-trips through escaping");
    assert_eq!(text(task, "EarliestStartDate"), "2018-01-31z");
    let predecessors = child(task, "Predecessors");
    assert_eq!(children(predecessors), vec![(Some(COM), "PwsProjectTaskPredecessor")]);
    let predecessor = child(predecessors, "PwsProjectTaskPredecessor");
    assert_eq!(
        children(predecessor),
        vec![(Some(COM), "LagMinutes"), (Some(COM), "LinkType"), (Some(COM), "PredecessorProjectTaskIdentity")]
    );
    assert_eq!(text(predecessor, "LinkType"), "SS");
    assert_eq!(text(child(predecessor, "PredecessorProjectTaskIdentity"), "ProjectTaskUid"), "1152921504608637358");
}

#[tokio::test]
async fn ok_with_warnings_is_a_success_whose_messages_can_be_read() {
    let server = MockServer::start().await;
    mount_authenticate(&server, "t1", None).await;
    Mock::given(body_string_contains("PwsSaveProjectTask>"))
        .respond_with(xml(save_answer("OkWithWarnings", &message(105, "AtLeastOneItemNotFound", "Warning"))))
        .mount(&server)
        .await;
    let client = client(&server);
    let session = Session::authenticate(&client, credentials()).await.unwrap();

    let answer = client.save_project_task(&session, save_request()).await.expect("a warning is not a failure");

    let body = answer.body;
    assert_eq!(body.status, Some(RequestStatus::OkWithWarnings));
    let messages = body.messages.unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].error_number, Some(PwsErrorNumber::AtLeastOneItemNotFound));
    assert_eq!(messages[0].r#type, Some(MessageType::Warning));
    assert_eq!(messages[0].additional_error_text, None);
    let identity = body.project_task_identity.unwrap();
    assert_eq!(identity.project_task_uid, Some(1152921504608637358));
    assert_eq!(identity.project_task_id, None);
    assert_eq!(body.engagement_timestamp.as_deref(), Some("AAAAAAAAB9E="));
    assert_eq!(body.lock_stolen_from_user_identity, None);
}

#[tokio::test]
async fn fail_becomes_an_error_carrying_typed_messages() {
    let server = MockServer::start().await;
    mount_authenticate(&server, "t1", None).await;
    let messages = format!(
        "{}{}{}",
        message(10111, "RequiredFieldMissing", "Error"),
        message(54205, "ProjectTaskReferenceInvalid", "Error"),
        message(99999, "SomethingNew", "Fatal")
    );
    Mock::given(body_string_contains("PwsSaveProjectTask>"))
        .respond_with(xml(save_answer("Fail", &messages)))
        .mount(&server)
        .await;
    let client = client(&server);
    let session = Session::authenticate(&client, credentials()).await.unwrap();

    let error = client.save_project_task(&session, save_request()).await.expect_err("Fail is an error");

    let failure = error.api().and_then(|api| api.body.typed()).expect("the failure body is typed").clone();
    assert_eq!(failure.status, RequestStatus::Fail);
    assert!(!failure.is_session_invalid());
    let numbers: Vec<_> = failure.messages.iter().map(|m| m.error_number.clone()).collect();
    assert_eq!(
        numbers,
        vec![
            Some(PwsErrorNumber::RequiredFieldMissing),
            Some(PwsErrorNumber::ProjectTaskReferenceInvalid),
            Some(PwsErrorNumber::Other(99999)),
        ]
    );
    assert_eq!(failure.messages[2].r#type, Some(MessageType::Other("Fatal".to_owned())));
}

#[tokio::test]
async fn an_invalid_session_authenticates_again_once_and_retries() {
    let server = MockServer::start().await;
    // The first authentication hands out a ticket the save call will call invalid.
    Mock::given(header("soapaction", format!("\"{ACTION_BASE}PwsAuthenticate\"").as_str()))
        .respond_with(xml(authenticate_answer("stale-ticket", None)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(header("soapaction", format!("\"{ACTION_BASE}PwsAuthenticate\"").as_str()))
        .respond_with(xml(authenticate_answer("fresh-ticket", None)))
        .mount(&server)
        .await;
    Mock::given(body_string_contains("stale-ticket"))
        .and(body_string_contains("PwsSaveProjectTask>"))
        .respond_with(xml(save_answer("FailSessionInvalid", &message(-101, "InvalidSession", "Error"))))
        .mount(&server)
        .await;
    Mock::given(body_string_contains("fresh-ticket"))
        .and(body_string_contains("PwsSaveProjectTask>"))
        .respond_with(xml(save_answer("Ok", "")))
        .mount(&server)
        .await;
    let client = client(&server);
    let session = Session::authenticate(&client, credentials()).await.unwrap();
    assert_eq!(session.ticket().expose(), "stale-ticket");

    let answer = client.save_project_task(&session, save_request()).await.expect("retried with a fresh ticket");

    assert_eq!(answer.body.status, Some(RequestStatus::Ok));
    assert_eq!(session.ticket().expose(), "fresh-ticket");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests_with_action(&requests, "PwsAuthenticate").len(), 2);
    assert_eq!(requests_with_action(&requests, "PwsSaveProjectTask").len(), 2);
}

#[tokio::test]
async fn a_session_still_invalid_after_one_retry_is_reported_as_such() {
    let server = MockServer::start().await;
    mount_authenticate(&server, "always-stale", None).await;
    Mock::given(body_string_contains("PwsSaveProjectTask>"))
        .respond_with(xml(save_answer("FailSessionInvalid", &message(10004, "InvalidSessionTicket", "Error"))))
        .mount(&server)
        .await;
    let client = client(&server);
    let session = Session::authenticate(&client, credentials()).await.unwrap();

    let error = client.save_project_task(&session, save_request()).await.expect_err("still invalid");

    let failure = error.api().and_then(|api| api.body.typed()).unwrap();
    assert!(failure.is_session_invalid());
    assert_eq!(failure.messages[0].error_number, Some(PwsErrorNumber::InvalidSessionTicket));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests_with_action(&requests, "PwsSaveProjectTask").len(), 2, "one retry, not a loop");
}

#[tokio::test]
async fn a_soap_fault_is_a_typed_error() {
    let server = MockServer::start().await;
    let fault = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
<faultcode xmlns:a="http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher">a:InternalServiceFault</faultcode>
<faultstring xml:lang="en-US">The server was unable to process the request &amp; said so.</faultstring>
<detail><ExceptionDetail><Message>Object reference not set</Message></ExceptionDetail></detail>
</s:Fault></s:Body></s:Envelope>"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).insert_header("content-type", "text/xml").set_body_string(fault))
        .mount(&server)
        .await;

    let error = client(&server).authenticate(credentials()).await.expect_err("a fault");

    match error {
        Error::Fault(fault) => {
            assert_eq!(fault.code, "a:InternalServiceFault");
            assert_eq!(fault.message, "The server was unable to process the request & said so.");
            assert_eq!(fault.detail.as_deref(), Some("Object reference not set"));
        }
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn a_non_soap_error_page_keeps_its_status_and_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>down</html>"))
        .mount(&server)
        .await;

    let error = client(&server).authenticate(credentials()).await.expect_err("503");

    let api = error.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 503);
    assert_eq!(api.body, ErrorBody::Raw("<html>down</html>".to_owned()));
}

#[tokio::test]
async fn mistyped_and_malformed_answers_are_decode_errors_naming_the_element() {
    let server = MockServer::start().await;
    mount_authenticate(&server, "t1", None).await;
    let mistyped = save_answer("Ok", "").replace(
        r#"<ResponseId xmlns="http://projectorpsa.com/CommonServices/">0<"#,
        r#"<ResponseId xmlns="http://projectorpsa.com/CommonServices/">zero<"#,
    );
    Mock::given(body_string_contains("PwsSaveProjectTask>"))
        .respond_with(xml(mistyped))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(body_string_contains("PwsSaveProjectTask>"))
        .respond_with(xml("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><unclosed>".to_owned()))
        .mount(&server)
        .await;
    let client = client(&server);
    let session = Session::authenticate(&client, credentials()).await.unwrap();

    let error = client.save_project_task(&session, save_request()).await.expect_err("mistyped");
    match &error {
        Error::Decode(decode) => {
            assert_eq!(decode.path, "PwsSaveProjectTaskResponse/PwsSaveProjectTaskResult/ResponseId");
            assert!(decode.message.contains("`zero`"), "{}", decode.message);
            assert!(decode.body.contains("zero"), "the body is kept");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let error = client.save_project_task(&session, save_request()).await.expect_err("malformed");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[test]
fn the_project_task_detail_sample_decodes() {
    // PwsProjectTaskElement sample of the capture notes (namespace prefix b = Shared/Common).
    let sample = br#"<b:ProjectTaskDetail xmlns:b="http://projectorpsa.com/DataContracts/Shared/Common/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <b:ExternalSystemIdentifier i:nil="true"/> <b:ProjectTaskId i:nil="true"/>
  <b:ProjectTaskUid>1152921504608734905</b:ProjectTaskUid> <b:CompletedFlag>false</b:CompletedFlag>
  <b:Description i:nil="true"/> <b:DurationMinutes i:nil="true"/> <b:EarliestStartDate i:nil="true"/>
  <b:FullWbsCode>1</b:FullWbsCode> <b:NewExternalSystemIdentifier i:nil="true"/> <b:OpenForTimeFlag i:nil="true"/>
  <b:ParentTaskIdentity i:nil="true"/> <b:PlannedEndDateTime>2011-01-29T04:00:00Z</b:PlannedEndDateTime>
  <b:PlannedStartDateTime>2011-01-01T00:00:00Z</b:PlannedStartDateTime> <b:Predecessors/>
  <b:PreviousSiblingTaskIdentity i:nil="true"/> <b:ProjectTaskTypeIdentity i:nil="true"/>
  <b:TaskName>Grandpa task</b:TaskName> <b:InheritPurchaseOrderNumberFlag i:nil="true"/>
  <b:PurchaseOrderNumber i:nil="true"/> <b:Subscriptions/> <b:UserDefinedFields/>
</b:ProjectTaskDetail>"#;
    let element = parse_document(sample).unwrap();
    let detail = PwsProjectTaskDetail::from_xml(&element, "ProjectTaskDetail").expect("the sample decodes");
    assert_eq!(detail.project_task_uid, Some(1152921504608734905));
    assert_eq!(detail.external_system_identifier, None);
    assert_eq!(detail.completed_flag, Some(false));
    assert_eq!(detail.full_wbs_code.as_deref(), Some("1"));
    assert_eq!(detail.planned_end_date_time.unwrap().to_string(), "2011-01-29T04:00:00Z");
    assert_eq!(detail.predecessors, Some(vec![]));
    assert_eq!(detail.subscriptions, Some(vec![]));
    assert_eq!(detail.user_defined_fields, Some(vec![]));
    assert_eq!(detail.task_name.as_deref(), Some("Grandpa task"));
}

#[test]
fn text_with_markup_and_non_ascii_round_trips_through_cdata_and_entities() {
    let document = parse_document(
        "<R xmlns:b=\"urn:b\"><b:ProjectCode><![CDATA[a < b & ]]]]><![CDATA[> é]]></b:ProjectCode></R>".as_bytes(),
    )
    .unwrap();
    let decoded = PwsProjectRef::from_xml(&document, "R").unwrap();
    assert_eq!(decoded.project_code.as_deref(), Some("a < b & ]]> é"));
}

#[tokio::test]
async fn password_and_ticket_never_appear_in_debug_output() {
    let server = MockServer::start().await;
    mount_authenticate(&server, "SECRET-TICKET-42", None).await;
    let client = client(&server);
    let session = Session::authenticate(&client, credentials()).await.unwrap();

    let shown = format!("{session:?} {:?} {client:?}", credentials());
    assert!(!shown.contains("my-password"), "{shown}");
    assert!(!shown.contains("SECRET-TICKET-42"), "{shown}");
}

#[tokio::test]
async fn the_unconfirmed_endpoint_path_and_action_can_be_overridden() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/legacy/OpsProjectorSvc.asmx"))
        .and(header("soapaction", "\"urn:custom/PwsAuthenticate\""))
        .respond_with(xml(authenticate_answer("t", None)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)
        .with_endpoint_path("/legacy/OpsProjectorSvc.asmx")
        .with_action_template("urn:custom/{operation}");

    client.authenticate(credentials()).await.expect("sent to the overridden endpoint and action");
}

#[tokio::test]
async fn unauthenticate_sends_the_session_ticket_in_the_requests_namespace() {
    let server = MockServer::start().await;
    mount_authenticate(&server, "ticket-to-end", None).await;
    let ended = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<PwsUnauthenticateResponse xmlns="http://projectorpsa.com/PwsProjectorServices/"><PwsUnauthenticateResult>
<Messages xmlns="http://projectorpsa.com/CommonServices/"/><ResponseId xmlns="http://projectorpsa.com/CommonServices/">3</ResponseId>
<Status xmlns="http://projectorpsa.com/CommonServices/">Ok</Status></PwsUnauthenticateResult></PwsUnauthenticateResponse></s:Body></s:Envelope>"#;
    Mock::given(header("soapaction", format!("\"{ACTION_BASE}PwsUnauthenticate\"").as_str()))
        .respond_with(xml(ended.to_owned()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let session = Session::authenticate(&client, credentials()).await.unwrap();

    let request = projector::types::PwsUnauthenticateRq::new().with_request_id(3);
    let answer = client.unauthenticate(&session, request).await.expect("ended");

    assert_eq!(answer.body.response_id, Some(3));
    let requests = server.received_requests().await.unwrap();
    let end = requests_with_action(&requests, "PwsUnauthenticate")[0];
    let body = String::from_utf8(end.body.clone()).unwrap();
    let document = roxmltree::Document::parse(&body).unwrap();
    let rq = service_request(&document, "PwsUnauthenticate");
    assert_eq!(children(rq), vec![(Some(REQ), "RequestId"), (Some(REQ), "SessionTicket")]);
    assert_eq!(text(rq, "SessionTicket"), "ticket-to-end");
}

#[tokio::test]
async fn ending_a_session_the_service_calls_invalid_opens_no_new_session_to_end() {
    let server = MockServer::start().await;
    mount_authenticate(&server, "ticket-gone", None).await;
    let invalid = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<PwsUnauthenticateResponse xmlns="http://projectorpsa.com/PwsProjectorServices/"><PwsUnauthenticateResult>
<Messages xmlns="http://projectorpsa.com/CommonServices/"/><ResponseId xmlns="http://projectorpsa.com/CommonServices/">3</ResponseId>
<Status xmlns="http://projectorpsa.com/CommonServices/">FailSessionInvalid</Status></PwsUnauthenticateResult></PwsUnauthenticateResponse></s:Body></s:Envelope>"#;
    Mock::given(header("soapaction", format!("\"{ACTION_BASE}PwsUnauthenticate\"").as_str()))
        .respond_with(xml(invalid.to_owned()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let session = Session::authenticate(&client, credentials()).await.unwrap();

    let error = client.unauthenticate(&session, projector::types::PwsUnauthenticateRq::new()).await.unwrap_err();

    let failure = error.api().and_then(|api| api.body.typed()).expect("the typed failure");
    assert!(failure.is_session_invalid());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests_with_action(&requests, "PwsAuthenticate").len(), 1, "no second session was opened");
}

/// Authenticates at a server whose answer redirects to `redirect(target)`, where `target` is a
/// second server answering everything; returns the error and what reached the target.
async fn refused_redirect(
    redirect: impl Fn(&MockServer) -> String,
    allowed: Option<&[&str]>,
) -> (Error<projector::Failure>, usize) {
    let first = MockServer::start().await;
    let target = MockServer::start().await;
    mount_authenticate(&first, "first-ticket", Some(&redirect(&target))).await;
    mount_authenticate(&target, "target-ticket", None).await;
    let mut client = client(&first);
    if let Some(allowed) = allowed {
        client = client.with_redirect_hosts(allowed.iter().copied());
    }
    let error = Session::authenticate(&client, credentials()).await.expect_err("the redirect is refused");
    (error, target.received_requests().await.unwrap().len())
}

fn refusal(error: &Error<projector::Failure>) -> (Option<&str>, &RedirectRule) {
    match error {
        Error::Session(SessionError::RedirectRefused { host, rule }) => (host.as_deref(), rule),
        other => panic!("expected a refused redirect, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_to_a_host_the_spec_does_not_allow_is_refused() {
    // The default allow-list is the spec's `*.projectorpsa.com`: loopback is not in it.
    let (error, reached) = refused_redirect(|target| format!("{}/", target.uri()), None).await;
    assert_eq!(reached, 0, "the credentials never reach the other host");
    let (host, rule) = refusal(&error);
    assert_eq!(host, Some("127.0.0.1"));
    assert_eq!(rule, &RedirectRule::HostNotAllowed { allowed: vec!["*.projectorpsa.com".to_owned()] });
    let shown = error.to_string();
    assert!(shown.contains("`127.0.0.1`") && shown.contains("`*.projectorpsa.com`"), "{shown}");
}

#[tokio::test]
async fn a_redirect_with_user_information_is_refused_without_showing_it() {
    let (error, reached) = refused_redirect(
        |target| target.uri().replace("http://", "http://planted-user:planted-password@"),
        Some(&["127.0.0.1"]),
    )
    .await;
    assert_eq!(reached, 0);
    assert_eq!(refusal(&error), (Some("127.0.0.1"), &RedirectRule::UserInfo));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("planted"), "{shown}");
}

#[tokio::test]
async fn a_redirect_with_a_query_or_a_fragment_is_refused_without_showing_it() {
    let (error, reached) =
        refused_redirect(|target| format!("{}/?token=planted-query", target.uri()), Some(&["127.0.0.1"])).await;
    assert_eq!(reached, 0);
    assert_eq!(refusal(&error), (Some("127.0.0.1"), &RedirectRule::Query));
    assert!(!format!("{error} {error:?}").contains("planted"), "{error:?}");

    let (error, reached) =
        refused_redirect(|target| format!("{}/#planted-fragment", target.uri()), Some(&["127.0.0.1"])).await;
    assert_eq!(reached, 0);
    assert_eq!(refusal(&error), (Some("127.0.0.1"), &RedirectRule::Fragment));
    assert!(!format!("{error} {error:?}").contains("planted"), "{error:?}");
}

#[tokio::test]
async fn a_redirect_that_is_not_an_http_url_is_refused() {
    for redirect in ["/OpsProjectorWcfSvc", "ftp://127.0.0.1/", "javascript:alert(1)"] {
        let (error, reached) = refused_redirect(|_| redirect.to_owned(), Some(&["*"])).await;
        assert_eq!(reached, 0);
        assert_eq!(refusal(&error).1, &RedirectRule::NotHttpUrl, "{redirect}");
    }
}

#[tokio::test]
async fn an_ok_answer_with_an_empty_ticket_is_an_authentication_error() {
    for ticket in ["", "   ", "\n\t"] {
        let server = MockServer::start().await;
        mount_authenticate(&server, ticket, None).await;

        let error = Session::authenticate(&client(&server), credentials()).await.expect_err("no session");

        assert!(matches!(error, Error::Session(SessionError::NoTicket)), "{ticket:?}: {error:?}");
        assert_eq!(error.to_string(), "the authenticate answer is a success but carries no session ticket");
    }
    // No ticket element at all is the same failure.
    let server = MockServer::start().await;
    let answer = authenticate_answer("x", None).replace("<a:SessionTicket>x</a:SessionTicket>", "");
    Mock::given(method("POST")).respond_with(xml(answer)).mount(&server).await;
    let error = Session::authenticate(&client(&server), credentials()).await.expect_err("no session");
    assert!(matches!(error, Error::Session(SessionError::NoTicket)), "{error:?}");
}

#[tokio::test]
async fn errors_keep_answers_with_the_ticket_redacted() {
    const TICKET: &str = "PLANTED-TICKET-7f3a";
    let server = MockServer::start().await;
    // Decodes as XML, fails as a type: the kept answer shows what failed, not the ticket.
    let mistyped = authenticate_answer(TICKET, None).replace(">1</ResponseId>", ">one</ResponseId>");
    Mock::given(method("POST")).respond_with(xml(mistyped)).up_to_n_times(1).mount(&server).await;
    // Cut off inside the ticket: not XML at all.
    let cut = authenticate_answer(TICKET, None);
    let cut = cut[..cut.find(TICKET).unwrap() + TICKET.len()].to_owned();
    Mock::given(method("POST")).respond_with(xml(cut)).up_to_n_times(1).mount(&server).await;
    // A failure status with a body that is no envelope.
    let page = format!("<html><SessionTicket>{TICKET}</SessionTicket></html>");
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502).set_body_string(page)).mount(&server).await;
    let client = client(&server);

    let mistyped = client.authenticate(credentials()).await.expect_err("mistyped");
    let Error::Decode(decode) = &mistyped else { panic!("expected a decode error, got {mistyped:?}") };
    assert!(decode.body.contains("<a:SessionTicket>(redacted)</a:SessionTicket>"), "{}", decode.body);
    assert!(decode.body.contains(">one</ResponseId>"), "the rest is kept: {}", decode.body);
    let cut = client.authenticate(credentials()).await.expect_err("cut off");
    assert!(matches!(cut, Error::Decode(_)), "{cut:?}");
    let page = client.authenticate(credentials()).await.expect_err("502");
    assert_eq!(
        page.api().unwrap().body,
        ErrorBody::Raw("<html><SessionTicket>(redacted)</SessionTicket></html>".to_owned())
    );

    for error in [mistyped, cut, page] {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(TICKET), "{shown}");
    }
}

#[tokio::test]
async fn no_planted_secret_reaches_debug_or_display_of_sessions_clients_and_errors() {
    const TICKET: &str = "PLANTED-TICKET-91c2";
    const PASSWORD: &str = "PLANTED-PASSWORD-5d8e";
    let server = MockServer::start().await;
    mount_authenticate(&server, TICKET, None).await;
    let client = client(&server);
    let mut planted = credentials();
    planted.password = Secret::new(PASSWORD);
    let answer = client.authenticate(planted.clone()).await.unwrap();
    let session = Session::authenticate(&client, planted.clone()).await.unwrap();
    assert_eq!(session.ticket().expose(), TICKET);

    // A password XML cannot carry: the error names the element, never its text.
    let mut unsendable = planted.clone();
    unsendable.password = Secret::new(format!("{PASSWORD}\u{1}"));
    let envelope_error = client.authenticate(unsendable).await.expect_err("not sendable");
    assert!(envelope_error.to_string().contains("`Password`"), "{envelope_error}");

    let shown = format!(
        "{session:?} {client:?} {planted:?} {answer:?} {:?} {envelope_error} {envelope_error:?}",
        session.ticket()
    );
    for secret in [TICKET, PASSWORD] {
        assert!(!shown.contains(secret), "`{secret}` in: {shown}");
    }
}

#[tokio::test]
async fn a_hostile_answer_is_refused_naming_the_limit() {
    let server = MockServer::start().await;
    let attributes: String = (0..100_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let declarations: String = (0..40_000).map(|i| format!(" xmlns:p{i}=\"urn:{i}\"")).collect();
    for (hostile, limit) in [
        (format!("<PwsAuthenticateResult{attributes}>"), "more than 256 attributes on one element"),
        (format!("<PwsAuthenticateResult{declarations}>"), "more than 32 namespace declarations on one element"),
    ] {
        let answer = authenticate_answer("t", None).replacen("<PwsAuthenticateResult ", &hostile.replace('>', " "), 1);
        Mock::given(method("POST")).respond_with(xml(answer)).up_to_n_times(1).mount(&server).await;

        let error = client(&server).authenticate(credentials()).await.expect_err("refused");

        let Error::Decode(decode) = &error else { panic!("expected a decode error, got {error:?}") };
        assert!(decode.message.contains(limit), "{}", decode.message);
        assert_eq!(decode.path, "Envelope/Body/PwsAuthenticateResponse/PwsAuthenticateResult");
    }
}

/// An https server on loopback (certificate for `127.0.0.1` from the test CA in `tests/tls/`)
/// that answers every request with `answer`, and a client that trusts it.
async fn https_server(answer: String) -> (String, projector::Client) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls::{self, pki_types::pem::PemObject};

    let certificate =
        rustls::pki_types::CertificateDer::from_pem_slice(include_bytes!("../tls/loopback-127.0.0.1.pem"))
            .expect("the test certificate");
    let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(include_bytes!("../tls/loopback-127.0.0.1.key.pem"))
        .expect("the test key");
    let config =
        rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certificate], key)
            .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("https://127.0.0.1:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let Ok(mut tls) = acceptor.accept(socket).await else { continue };
            // One request per connection: read the head and the body it announces, then answer.
            let mut request = Vec::new();
            let mut chunk = [0u8; 4096];
            while let Ok(read) = tls.read(&mut chunk).await {
                request.extend_from_slice(&chunk[..read]);
                if read == 0 || request_complete(&request) {
                    break;
                }
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/xml; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
            let _ = tls.write_all(response.as_bytes()).await;
            let _ = tls.shutdown().await;
        }
    });
    let roots = reqwest::Certificate::from_pem(include_bytes!("../tls/loopback-ca.pem")).expect("the test CA");
    let http = reqwest::Client::builder().add_root_certificate(roots).build().unwrap();
    let client = projector::Client::new(ClientConfig::new().base_url(&base_url).http_client(http)).unwrap();
    (base_url, client)
}

/// Whether `request` holds a whole HTTP/1.1 request: its head and the body it announces.
fn request_complete(request: &[u8]) -> bool {
    let text = String::from_utf8_lossy(request).to_ascii_lowercase();
    let Some(head) = text.find("\r\n\r\n") else { return false };
    let length = text
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    request.len() >= head + 4 + length
}

#[tokio::test]
async fn a_redirect_from_https_to_http_is_refused() {
    let target = MockServer::start().await;
    mount_authenticate(&target, "target-ticket", None).await;
    let (base_url, client) =
        https_server(authenticate_answer("first-ticket", Some(&format!("{}/", target.uri())))).await;
    // Loopback is allowed here, so only the downgrade can refuse it.
    let client = client.with_redirect_hosts(["127.0.0.1"]);
    assert!(client.base_url().starts_with("https://"), "{base_url}");

    let error = Session::authenticate(&client, credentials()).await.expect_err("the redirect is refused");

    assert_eq!(refusal(&error), (Some("127.0.0.1"), &RedirectRule::Downgrade));
    assert_eq!(target.received_requests().await.unwrap().len(), 0, "the password never travels in plain http");
    // The https server itself answers: without a redirect, a session opens there.
    let (_, client) = https_server(authenticate_answer("https-ticket", None)).await;
    let session = Session::authenticate(&client, credentials()).await.expect("authenticated over https");
    assert_eq!(session.ticket().expose(), "https-ticket");
}
