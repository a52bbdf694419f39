//! A user crate that depends on nothing but api-clients can name every type the API exposes,
//! and every public item of the generated crate (its runtime included) is documented.

use std::process::Command;

use crate::common::{cargo, copy_tree, workspace, TempDir};

/// The user's code: every foreign type of the API, named through api-clients alone.
const USER_MAIN: &str = r#"
use api_clients::http::{HeaderMap, HeaderValue, Method, StatusCode, Url};
use api_clients::{chrono, reqwest, serde_json, uuid};

fn status_and_location(answer: &api_clients::Response<()>) -> (StatusCode, Option<Url>) {
    (answer.status, answer.location())
}

fn error_headers<E>(error: &api_clients::ApiError<E>) -> &HeaderMap {
    &error.headers
}

/// A hook names the request and answer types, reqwest's error among them.
struct Log;

impl api_clients::Hook for Log {
    fn before_send(&self, request: &mut api_clients::HookRequest<'_>) {
        let _: Option<&api_clients::OperationInfo> = request.operation();
        let _: (&Method, &Url, &HeaderMap) = (request.method(), request.url(), request.headers());
    }

    fn after_receive(&self, response: &api_clients::HookResponse<'_>) {
        let _: (Option<StatusCode>, Option<&reqwest::Error>) = (response.status(), response.error());
    }
}

fn main() {
    let id: uuid::Uuid = uuid::Uuid::nil();
    let value: serde_json::Value = serde_json::json!({ "id": id.to_string() });
    let date: chrono::NaiveDate = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
    let when = api_clients::DateTime::from(chrono::DateTime::<chrono::Utc>::from_timestamp(0, 0).unwrap());
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", HeaderValue::from_static("1"));
    let answer = api_clients::Response {
        status: StatusCode::CREATED,
        headers,
        body: (),
        url: Url::parse("https://api.example.test/v1/things").unwrap(),
    };
    let http_client: reqwest::Client = reqwest::Client::builder().build().unwrap();
    let retry = api_clients::RetryPolicy::new().max_attempts(2);
    let options = api_clients::RequestOptions::new().retry(retry.clone()).idempotent();
    let config = api_clients::ClientConfig::new().http_client(http_client).retry(retry).hook(std::sync::Arc::new(Log));
    let _: Option<api_clients::RateLimit> = answer.rate_limit();
    println!("{options:?}");
    println!("{value} {date} {when:?} {:?} {:?} {config:?}", status_and_location(&answer), Method::GET);
    let _ = error_headers::<api_clients::NoErrorBody>;
}
"#;

#[test]
fn a_user_crate_names_the_api_types_through_api_clients_alone() {
    let workspace = workspace();
    let scratch = TempDir::new("api-clients-user");
    let copy = scratch.join("api-clients");
    copy_tree(&workspace.join("generated"), &copy).expect("copy generated/");

    // The runtime is `#[doc(hidden)]`, which `missing_docs` skips; shown here, the crate's
    // `#![deny(missing_docs)]` covers every item users reach through the re-exports too.
    let lib = std::fs::read_to_string(copy.join("src/lib.rs")).expect("the copy has a lib.rs");
    assert!(lib.contains("#![deny(missing_docs)]"), "lib.rs does not deny missing docs");
    let hidden = "#[doc(hidden)]\npub mod runtime;";
    assert!(lib.contains(hidden), "lib.rs no longer declares the runtime as `{hidden}`");
    std::fs::write(copy.join("src/lib.rs"), lib.replace(hidden, "pub mod runtime;")).expect("write lib.rs");

    let user = scratch.join("user");
    std::fs::create_dir_all(user.join("src")).expect("create the user crate");
    std::fs::write(
        user.join("Cargo.toml"),
        "[package]\nname = \"user\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         api-clients = { path = \"../api-clients\" }\n",
    )
    .expect("write the user manifest");
    std::fs::write(user.join("src/main.rs"), USER_MAIN).expect("write the user code");
    std::fs::copy(workspace.join("Cargo.lock"), user.join("Cargo.lock")).expect("copy the workspace Cargo.lock");

    let cargo = cargo();
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet"])
        .current_dir(&user)
        // The vendoring test's target folder: the same dependencies, built once.
        .env("CARGO_TARGET_DIR", workspace.join("target").join("vendoring"))
        .output()
        .expect("run cargo check");
    assert!(
        output.status.success(),
        "`cargo check` of a crate depending only on api-clients failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}
