//! The integration scenario of issue 11 (`integration.rs`, a user's program) run against the four
//! services on loopback (`world.rs`), checking what each service received.

mod integration;
mod world;

use serde_json::Value;
use wiremock::Request;
use world::{World, ACCESS_TOKEN, PROJECT, REPORT_TASK, SMS_KEY, TICKET};

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|value| value.to_str().ok())
}

fn query<'a>(request: &'a Request, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    request.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value)
}

async fn received(server: &wiremock::MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

#[tokio::test]
async fn the_integration_mirrors_open_tasks_fills_descriptions_releases_and_reports() {
    let world = World::start().await;
    let report = integration::run(&world.settings()).await.expect("the integration runs");

    let open: Vec<usize> = (1..=60).filter(|n| n % 7 != 0).collect();
    let undescribed: Vec<i32> = open.iter().filter(|n| *n % 5 == 0).map(|n| *n as i32).collect();
    assert_eq!(report.mirrored, open.iter().map(|n| format!("T-{n:03}")).collect::<Vec<_>>());
    assert_eq!(report.described, undescribed);
    assert!(report.kit_assembly_released);
    assert_eq!(report.report_task, Some("5c0e9d3a-1f2b-4c5d-8e6f-7a8b9c0d1e2f".parse().unwrap()));

    // Visma Connect: one token for the whole run, the documented form, no bearer of course.
    let tokens = received(&world.connect).await;
    assert_eq!(tokens.len(), 1, "one token request for every Visma call");
    let form = reqwest::Url::parse(&format!("http://form/?{}", String::from_utf8_lossy(&tokens[0].body))).unwrap();
    let form: Vec<(String, String)> = form.query_pairs().into_owned().collect();
    let field = |name: &str| form.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
    assert_eq!(field("grant_type"), Some("client_credentials"));
    assert_eq!(field("tenant_id"), Some("tenant-42"));
    assert!(
        header(&tokens[0], "authorization").is_some_and(|value| value.starts_with("Basic "))
            || field("client_secret").is_some()
    );

    // Visma.net: every request with the token; two pages of 50; an update per undescribed task, with its ETag.
    let visma = received(&world.visma).await;
    for request in &visma {
        assert_eq!(
            header(request, "authorization"),
            Some(format!("Bearer {ACCESS_TOKEN}").as_str()),
            "{}",
            request.url
        );
        assert_eq!(header(request, "x-api-key"), None, "2sms's key stays with 2sms");
    }
    // The first page was refused with 429 and asked for again (the default retry policy, after the
    // Retry-After second); the short second page is the last.
    let pages: Vec<_> = visma.iter().filter(|request| request.url.path() == "/v1/projecttask").collect();
    let numbers: Vec<String> =
        pages.iter().map(|page| query(page, "pageNumber").unwrap_or_default().into_owned()).collect();
    assert_eq!(numbers, ["1", "1", "2"]);
    for page in &pages {
        assert_eq!(query(page, "projectId").as_deref(), Some(PROJECT));
        assert_eq!(query(page, "pageSize").as_deref(), Some("50"));
    }
    let updates: Vec<_> = visma.iter().filter(|request| request.method.as_str() == "PUT").collect();
    assert_eq!(updates.len(), undescribed.len());
    for (update, id) in updates.iter().zip(&undescribed) {
        assert_eq!(update.url.path(), format!("/v1/projecttask/{id}"));
        assert_eq!(header(update, "if-match"), Some(format!("\"rev-{id}\"").as_str()));
        let body: Value = serde_json::from_slice(&update.body).unwrap();
        assert_eq!(body, serde_json::json!({ "description": { "value": format!("T-{id:03}") } }));
    }
    let release = visma.iter().filter(|request| request.url.path().ends_with("/action/release")).count();
    assert_eq!(release, 1);
    assert!(visma.iter().any(|request| request.url.path() == "/v1/background/job-release-1/content"));

    // Projector: one session, a save per open task with its ticket, then the logout.
    let projector = received(&world.projector).await;
    let action =
        |request: &Request| header(request, "soapaction").unwrap_or("").rsplit('/').next().unwrap_or("").to_owned();
    let actions: Vec<String> = projector.iter().map(action).collect();
    assert_eq!(actions.first().map(String::as_str), Some("PwsAuthenticate\""));
    assert_eq!(actions.last().map(String::as_str), Some("PwsUnauthenticate\""));
    assert_eq!(actions.iter().filter(|action| *action == "PwsSaveProjectTask\"").count(), open.len());
    for request in &projector[1..] {
        assert!(String::from_utf8_lossy(&request.body).contains(TICKET), "the session ticket travels in the envelope");
        assert_eq!(header(request, "authorization"), None, "Visma's token stays with Visma");
    }
    let first_save = String::from_utf8_lossy(&projector[1].body).into_owned();
    assert!(first_save.contains(">T-001<") && first_save.contains(">Work package 1<"), "{first_save}");

    // 2sms: one task with the key and the run's figures.
    let sms = received(&world.sms).await;
    assert_eq!(sms.len(), 1);
    assert_eq!(header(&sms[0], "x-api-key"), Some(SMS_KEY));
    assert_eq!(header(&sms[0], "authorization"), None);
    let body: Value = serde_json::from_slice(&sms[0].body).unwrap();
    assert_eq!(body["TaskID"], REPORT_TASK);
    assert_eq!(body["Frequency"], 0);
    let parameters: Value = serde_json::from_str(body["Parameters"].as_str().unwrap()).unwrap();
    assert_eq!(parameters, serde_json::json!({ "project": PROJECT, "mirrored": open.len() }));
}
