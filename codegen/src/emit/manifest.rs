//! Emits the generated crate's `Cargo.toml` and `README.md`.

use std::collections::BTreeMap;

use crate::model::Model;
use crate::render::GENERATED_MARKER;

/// Dependencies of every generated crate, chosen for being widely used and maintained:
/// reqwest (async HTTP, rustls with aws-lc-rs so no system OpenSSL, certificates checked by
/// the platform's verifier and roots), serde/serde_json (JSON), serde_path_to_error (decode
/// errors that name the JSON path), chrono (dates behind our faithful `DateTime`), uuid
/// (GUIDs), percent-encoding (path segments), bytes (binary bodies: reqwest's own buffer); h2,
/// rustls, rustls-webpki and aws-lc-rs only as version floors (see the comment in the
/// manifest); tokio's timers (retries; reqwest runs on tokio, so no new package); quick-xml,
/// futures-core, http-body, tracing and wiremock only behind the features that need them.
const DEPENDENCIES: &str = r#"[dependencies]
chrono = { version = "0.4.38", default-features = false, features = ["std", "serde"] }
percent-encoding = "2.3"
reqwest = { version = "0.13.5", default-features = false, features = ["rustls", "http2"] }
serde = { version = "1.0.200", features = ["derive"] }
serde_json = "1.0.100"
serde_path_to_error = "0.1.16"
uuid = { version = "1.8", features = ["serde"] }
# `Bytes`, the byte buffer of binary bodies and answers: reqwest's own, so no new package.
# 1.11.1: RUSTSEC-2026-0007.
bytes = "1.11.1"
# Not used directly: floors for reqwest's HTTP/2 and TLS stack, so that an existing lock file
# cannot keep a version with a known advisory. h2 < 0.4.16: RUSTSEC-2026-0258. rustls < 0.23.24
# uses rustls-webpki 0.102, and rustls-webpki < 0.103.13 has the 2026 advisories
# (RUSTSEC-2026-0049, -0098, -0099, -0104). aws-lc-rs < 1.16.2 uses aws-lc-sys < 0.39, which
# has RUSTSEC-2026-0044 to -0048. No features: reqwest turns on what it needs.
aws-lc-rs = { version = "1.16.2", default-features = false }
h2 = { version = "0.4.16", default-features = false }
rustls = { version = "0.23.24", default-features = false }
rustls-webpki = { version = "0.103.13", default-features = false }
# XML for SOAP services only (the `soap-runtime` feature): namespace-aware and widely used.
quick-xml = { version = "0.42", optional = true }
# The `Stream` trait only (the `paging-runtime` feature): already in reqwest's tree, no other code.
futures-core = { version = "0.3.30", default-features = false, optional = true }
# The body trait reqwest streams through (the `streaming-runtime` feature): already in reqwest's
# tree, so no new package.
http-body = { version = "1", optional = true }
# The runtime reqwest already runs on, so it adds no package and a paused test clock drives our
# waits too: timers for the retry backoff and `Retry-After` (always), an async lock for the
# OAuth2 token cache's single-flight refresh (`oauth2-runtime` adds `sync`), polling background
# jobs, and the runtime thread of `send_blocking` (`blocking` adds `rt` and `net`).
# 1.44.2: RUSTSEC-2025-0023.
tokio = { version = "1.44.2", default-features = false, features = ["time"] }
# Spans per call (the `tracing` feature): the instrumentation crate most used in Rust, already
# in reqwest's tree (h2 logs through it), so the feature adds no package. 0.1.40: RUSTSEC-2023-0078.
tracing = { version = "0.1.40", default-features = false, features = ["std"], optional = true }
# The loopback server of the `mock` feature's test helpers: the mock server most used with
# reqwest clients, maintained, and what this project's own tests use.
wiremock = { version = "0.6.5", optional = true }
"#;

pub fn cargo_toml(model: &Model) -> String {
    let krate = &model.krate;
    let mut text = format!("# {GENERATED_MARKER}. Do not edit; change spec/ and regenerate.\n");
    text.push_str("[package]\n");
    text.push_str(&format!("name = {}\n", toml_string(&krate.name)));
    text.push_str(&format!("version = {}\n", toml_string(&krate.version)));
    text.push_str("edition = \"2021\"\nrust-version = \"1.85\"\n");
    text.push_str(&format!("description = {}\n", toml_string(&krate.description)));
    if let Some(license) = &krate.license {
        text.push_str(&format!("license = {}\n", toml_string(license)));
    }
    text.push_str("\n[features]\n");
    let features: Vec<String> = model.services.iter().map(|s| toml_string(s.module.as_str())).collect();
    text.push_str(&format!("default = [{}]\n", features.join(", ")));
    for service in &model.services {
        let paginated = service.groups.iter().flat_map(|group| &group.operations).any(|op| op.pagination.is_some());
        let needs: Vec<&str> = [
            (service.background_jobs.is_some(), "\"background-runtime\""),
            (service.auth.iter().any(|scheme| scheme.client_credentials.is_some()), "\"oauth2-runtime\""),
            (paginated, "\"paging-runtime\""),
            (service.soap.is_some(), "\"soap-runtime\""),
            (
                super::bodies::streams(service.groups.iter().flat_map(|group| &group.operations)),
                "\"streaming-runtime\"",
            ),
        ]
        .into_iter()
        .filter_map(|(needed, feature)| needed.then_some(feature))
        .collect();
        text.push_str(&super::features::manifest_lines(service, &needs));
    }
    // Hyphenated, so they can never collide with a (snake_case) service feature.
    text.push_str("# Polling background jobs, turned on by the services that declare them.\nbackground-runtime = []\n");
    text.push_str("# The `Stream` of a paginated operation's items.\npaging-runtime = [\"dep:futures-core\"]\n");
    text.push_str(
        "# Streamed binary bodies and answers (`BinaryBody::stream`, `send_streaming`), turned on by the services \
         that have them.\nstreaming-runtime = [\"dep:futures-core\", \"dep:http-body\"]\n",
    );
    text.push_str("# XML support, turned on by the SOAP services that need it.\nsoap-runtime = [\"dep:quick-xml\"]\n");
    text.push_str(
        "# OAuth2 client credentials (token cache and single-flight refresh), turned on by the services that \
         declare them.\noauth2-runtime = [\"tokio/sync\"]\n",
    );
    text.push_str(
        "# `send_blocking` on every request builder, for programs without an async runtime.\nblocking = [\"tokio/rt\", \"tokio/net\"]\n",
    );
    text.push_str(
        "# Test helpers: a loopback server answering operations with typed values.\nmock = [\"dep:wiremock\"]\n",
    );
    text.push_str(
        "# A `tracing` span per call: service, operation, method, path template, status, attempt, latency.\n\
         tracing = [\"dep:tracing\"]\n",
    );
    text.push('\n');
    text.push_str(DEPENDENCIES);
    text
}

/// Text for one cell of a Markdown table: on one line, with `|` escaped.
fn table_cell(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What compiling the crate costs, measured for the services of `spec/`: the CPU seconds
/// (user + system) of `cargo check` and `cargo build` (dev profile) of the crate alone, from
/// scratch with its dependencies already built, with only that service's feature on. Measured
/// by `cargo clean -p api-clients` then `/usr/bin/time cargo check|build -p api-clients
/// --no-default-features --features <service>` (the mean of two runs, rustc 1.95); measure
/// again when a service grows much. Last measured on a slow day of the shared 2-core machine
/// (progenitor's unchanged nexus crate checked 1.9× slower than the time before), so the
/// figures err high. A service missing here is shown without figures. The
/// dependencies, built into an empty target folder the same way: 74.7 s (the REST services),
/// 76.2 s (all, with quick-xml).
const MEASURED_COST: &[(&str, f64, f64)] =
    &[("account_tasks", 1.4, 2.9), ("projector", 2.3, 4.1), ("visma_net", 3.6, 7.0)];

/// The same figures with every service of `spec/` on (`MEASURED_COST` for the whole crate).
const MEASURED_ALL: (f64, f64) = (5.1, 9.6);

/// The generated crate's README: its services, its features and what each costs to compile.
/// `lines` is the number of generated Rust lines of each service (by module name).
pub fn readme(model: &Model, lines: &BTreeMap<String, usize>) -> String {
    let krate = &model.krate;
    let mut text = format!("<!-- {GENERATED_MARKER}. Do not edit; change spec/ and regenerate. -->\n");
    text.push_str(&format!("# {}\n\n{}\n\n", krate.name, krate.description));
    text.push_str("| module (cargo feature) | API | operations | types |\n|---|---|---|---|\n");
    for service in &model.services {
        let operations: usize = match &service.soap {
            Some(soap) => soap.operations.len(),
            None => service.groups.iter().map(|g| g.operations.len()).sum(),
        };
        text.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            service.module,
            table_cell(&service.title),
            operations,
            service.types.len()
        ));
    }
    text.push_str(
        "\nThis crate depends on nothing in the workspace that generated it: copy the folder into your \
         repository, add it as a path dependency, and turn off the services you do not need with \
         `default-features = false, features = [...]`.\n",
    );
    text.push_str(&compile_cost(model, lines));
    text
}

/// The "Features and compile time" section.
fn compile_cost(model: &Model, lines: &BTreeMap<String, usize>) -> String {
    let mut text = String::from("\n## Features and compile time\n\n");
    text.push_str(
        "Every service is a cargo feature, all on by default. A program that calls one service should turn \
         the others off: each costs compile time, and a SOAP service also pulls in `quick-xml` (the \
         `soap-runtime` feature, which the SOAP services turn on themselves). The runtime (configuration, \
         sending, errors) is compiled whatever the features.\n\n",
    );
    text.push_str("| feature | generated lines | `cargo check` | `cargo build` |\n|---|---|---|---|\n");
    let measured: Vec<&(&str, f64, f64)> = model
        .services
        .iter()
        .filter_map(|s| MEASURED_COST.iter().find(|(name, ..)| *name == s.module.as_str()))
        .collect();
    for service in &model.services {
        let figures = MEASURED_COST.iter().find(|(name, ..)| *name == service.module.as_str());
        let (check, build) = match figures {
            Some((_, check, build)) => (format!("{check:.1} s"), format!("{build:.1} s")),
            None => ("not measured".to_owned(), "not measured".to_owned()),
        };
        let count = lines.get(service.module.as_str()).copied().unwrap_or(0);
        text.push_str(&format!("| `{}` | {} | {check} | {build} |\n", service.module, thousands(count)));
    }
    // The whole-crate figures hold only for exactly the measured services.
    if measured.len() == model.services.len() && measured.len() == MEASURED_COST.len() {
        let total: usize = lines.values().sum();
        let (check, build) = MEASURED_ALL;
        text.push_str(&format!("| all (default) | {} | {check:.1} s | {build:.1} s |\n", thousands(total)));
    }
    text.push_str(
        "\nThe times are CPU seconds (user + system) to compile this crate alone, from scratch, its \
         dependencies already built (dev profile, rustc 1.95): `cargo clean -p <crate>`, then \
         `cargo check` or `cargo build` with `--no-default-features --features <service>`. They include \
         the runtime. On an idle machine `cargo check` takes about as long in wall time; on a loaded one, \
         more. The dependencies (reqwest with rustls, serde, chrono, uuid, ...: about 135 crates) are \
         built once, and cost more: about 75 CPU seconds for `cargo build` (`quick-xml` adds 1.5 s).\n",
    );
    text.push_str(&super::features::readme_section(model));
    text
}

/// `12345` as `12,345`.
fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
