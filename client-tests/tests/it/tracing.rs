//! The `tracing` feature: one `api_call` span per call with the service, operation id, method,
//! path template, status, attempt and latency, a `retrying` event per retry, and no secret,
//! filled-in path, query or body in anything a subscriber receives.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use api_clients::{visma_net, ClientConfig};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The fields of one span (or event) as text, by name.
type Fields = BTreeMap<String, String>;

/// Keeps every span's name and fields, and every event's fields.
#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<BTreeMap<u64, (String, Fields)>>>,
    events: Arc<Mutex<Vec<Fields>>>,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut fields = Fields::new();
        attrs.record(&mut Collect(&mut fields));
        self.spans.lock().unwrap().insert(id.into_u64(), (attrs.metadata().name().to_owned(), fields));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        if let Some((_, fields)) = self.spans.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Collect(fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::new();
        event.record(&mut Collect(&mut fields));
        fields.insert("target".to_owned(), event.metadata().target().to_owned());
        self.events.lock().unwrap().push(fields);
    }
}

impl Capture {
    fn calls(&self) -> Vec<Fields> {
        let spans = self.spans.lock().unwrap();
        spans.values().filter(|(name, _)| name == "api_call").map(|(_, fields)| fields.clone()).collect()
    }

    /// Everything captured, as one text (to look for secrets in).
    fn text(&self) -> String {
        format!("{:?} {:?}", self.spans.lock().unwrap(), self.events.lock().unwrap())
    }

    /// What this crate recorded (not reqwest's and hyper's own events), as one text.
    fn ours(&self) -> String {
        let events = self.events.lock().unwrap();
        let ours: Vec<&Fields> = events.iter().filter(|fields| fields["target"].starts_with("api_clients")).collect();
        format!("{:?} {ours:?}", self.spans.lock().unwrap())
    }
}

#[tokio::test(start_paused = true)]
async fn a_call_is_one_span_with_the_operation_and_its_last_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask/7"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/projecttask/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "taskId": "planted-body-3" })))
        .mount(&server)
        .await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let config = ClientConfig::new()
        .base_url(server.uri())
        .bearer_token("planted-token-1")
        .secret_header("X-Api-Key", "planted-key-2")
        .timeout(None)
        .http_client(http);
    let client = visma_net::Client::new(config).unwrap();

    client.project_task().get_task_by_internal_id(7).send().await.unwrap();

    let calls = capture.calls();
    assert_eq!(calls.len(), 1, "one span per call, not per attempt: {calls:#?}");
    let call = &calls[0];
    let expected: Vec<(&str, &str)> = vec![
        ("attempt", "2"),
        ("method", "GET"),
        ("operation", "project_task_get_task_by_internal_id"),
        ("path", "/v1/projecttask/{internalId}"),
        ("service", "visma_net"),
        ("status", "200"),
    ];
    let shown: Vec<(&str, &str)> =
        call.iter().filter(|(name, _)| *name != "latency_ms").map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(shown, expected);
    let latency: f64 = call["latency_ms"].parse().unwrap();
    assert_eq!(latency, 0.0, "the paused clock does not move while the loopback server answers");
    let retries: Vec<Fields> = capture
        .events
        .lock()
        .unwrap()
        .iter()
        .filter(|fields| fields.get("message").is_some_and(|message| message == "retrying"))
        .cloned()
        .collect();
    assert_eq!(retries.len(), 1, "{retries:?}");
    assert_eq!((retries[0]["attempt"].as_str(), retries[0]["status"].as_str()), ("1", "429"));
    assert_eq!(retries[0]["wait_ms"], "1000");
    let text = capture.text();
    assert!(!text.contains("planted"), "a subscriber saw a secret or the body: {text}");
    let ours = capture.ours();
    for shown in ["/v1/projecttask/7", "127.0.0.1", "x-api-key"] {
        assert!(!ours.contains(shown), "the crate recorded `{shown}`: {ours}");
    }
}

#[tokio::test]
async fn a_failed_call_has_no_status_and_its_attempt() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let config = ClientConfig::new().base_url(base_url).retry(api_clients::RetryPolicy::none());

    visma_net::Client::new(config).unwrap().project_task().get_all_tasks().send().await.unwrap_err();

    let calls = capture.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].get("attempt").map(String::as_str), Some("1"));
    assert_eq!(calls[0].get("status"), None, "no answer, no status");
    assert_eq!(calls[0]["operation"], "project_task_get_all_tasks");
}
