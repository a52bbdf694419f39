//! Emits the generated crate's `Cargo.toml` and `README.md`.

use crate::model::Model;
use crate::render::GENERATED_MARKER;

/// Dependencies of every generated crate, chosen for being widely used and maintained:
/// reqwest (async HTTP, rustls with aws-lc-rs so no system OpenSSL, certificates checked by
/// the platform's verifier and roots), serde/serde_json (JSON), serde_path_to_error (decode
/// errors that name the JSON path), chrono (dates behind our faithful `DateTime`), uuid
/// (GUIDs), percent-encoding (path segments); h2, rustls, rustls-webpki and aws-lc-rs only as
/// version floors (see the comment in the manifest).
const DEPENDENCIES: &str = r#"[dependencies]
chrono = { version = "0.4.38", default-features = false, features = ["std", "serde"] }
percent-encoding = "2.3"
reqwest = { version = "0.13.5", default-features = false, features = ["rustls", "http2"] }
serde = { version = "1.0.200", features = ["derive"] }
serde_json = "1.0.100"
serde_path_to_error = "0.1.16"
uuid = { version = "1.8", features = ["serde"] }
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
# The runtime thread of `send_blocking` (the `blocking` feature). Already in the tree through
# reqwest, so the feature adds no package. 1.44.2: RUSTSEC-2025-0023 (broadcast channel).
tokio = { version = "1.44.2", optional = true, default-features = false, features = ["rt", "net", "time"] }
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
    let features: Vec<String> = model.services.iter().map(|s| toml_string(&s.module)).collect();
    text.push_str(&format!("default = [{}]\n", features.join(", ")));
    for service in &model.services {
        let needs = if service.soap.is_some() { "\"soap-runtime\"" } else { "" };
        text.push_str(&format!("{} = [{needs}]\n", service.module));
    }
    // Hyphenated, so it can never collide with a (snake_case) service feature.
    text.push_str("# XML support, turned on by the SOAP services that need it.\nsoap-runtime = [\"dep:quick-xml\"]\n");
    text.push_str(
        "# `send_blocking` on every request builder, for programs without an async runtime.\nblocking = [\"dep:tokio\"]\n",
    );
    text.push_str(
        "# Test helpers: a loopback server answering operations with typed values.\nmock = [\"dep:wiremock\"]\n",
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

pub fn readme(model: &Model) -> String {
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
    text
}
