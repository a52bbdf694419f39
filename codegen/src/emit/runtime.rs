//! The hand-written runtime (`codegen/runtime/*.rs`), copied verbatim into every generated crate.

use crate::render::rust_header;
use crate::render::GeneratedFile;

/// The runtime sources, embedded at build time so generation needs no file access.
const RUNTIME: &[(&str, &str)] = &[
    ("background.rs", include_str!("../../runtime/background.rs")),
    ("blocking.rs", include_str!("../../runtime/blocking.rs")),
    ("body.rs", include_str!("../../runtime/body.rs")),
    ("config.rs", include_str!("../../runtime/config.rs")),
    ("connections.rs", include_str!("../../runtime/connections.rs")),
    ("datetime.rs", include_str!("../../runtime/datetime.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("hooks.rs", include_str!("../../runtime/hooks.rs")),
    ("http.rs", include_str!("../../runtime/http.rs")),
    ("mock.rs", include_str!("../../runtime/mock.rs")),
    ("mod.rs", include_str!("../../runtime/mod.rs")),
    ("nullable.rs", include_str!("../../runtime/nullable.rs")),
    ("oauth2.rs", include_str!("../../runtime/oauth2.rs")),
    ("options.rs", include_str!("../../runtime/options.rs")),
    ("paging.rs", include_str!("../../runtime/paging.rs")),
    ("query.rs", include_str!("../../runtime/query.rs")),
    ("rate_limit.rs", include_str!("../../runtime/rate_limit.rs")),
    ("response.rs", include_str!("../../runtime/response.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    ("session.rs", include_str!("../../runtime/session.rs")),
    ("soap.rs", include_str!("../../runtime/soap.rs")),
    ("telemetry.rs", include_str!("../../runtime/telemetry.rs")),
    ("unions.rs", include_str!("../../runtime/unions.rs")),
    ("upgrade.rs", include_str!("../../runtime/upgrade.rs")),
];

pub fn files() -> Vec<GeneratedFile> {
    RUNTIME
        .iter()
        .map(|(name, text)| GeneratedFile {
            path: format!("src/runtime/{name}"),
            contents: format!("{}\n{text}", rust_header()),
        })
        .collect()
}
