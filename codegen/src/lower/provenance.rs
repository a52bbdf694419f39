//! `origin` and `inferred` keys (written by `cargo xtask import`): checked, and turned into the
//! doc lines that tell a reviewer where an item was read and which of its facts were guessed.

use super::ServiceLowering;
use crate::docs::{code_span, doc_lines};
use crate::model::Doc;

/// The keys an item's `inferred:` list may name, per kind of item.
pub const OPERATION_KEYS: &[&str] = &[
    "id",
    "group",
    "name",
    "method",
    "path",
    "summary",
    "description",
    "deprecated",
    "params",
    "body",
    "responses",
    "errors",
    "soap",
];
pub const PARAM_KEYS: &[&str] = &["name", "in", "type", "required", "description", "deprecated", "style"];
pub const BODY_KEYS: &[&str] = &["type", "content_type", "required", "description"];
pub const RESPONSE_KEYS: &[&str] = &["status", "type", "content_type", "description", "headers", "upgrade"];
pub const TYPE_KEYS: &[&str] =
    &["name", "kind", "description", "deprecated", "fields", "members", "repr", "open", "type", "xml_namespace"];
pub const FIELD_KEYS: &[&str] = &[
    "name",
    "type",
    "required",
    "nullable",
    "read_only",
    "deprecated",
    "description",
    "xml_namespace",
    "xml_item",
    "nillable",
    "max_length",
    "default",
];
pub const MEMBER_KEYS: &[&str] = &["name", "value", "description", "deprecated"];
pub const PAGINATION_KEYS: &[&str] =
    &["style", "page", "first_page", "offset", "cursor", "next_cursor", "size", "max_page_size", "items"];

impl ServiceLowering<'_> {
    /// Checks `origin` and `inferred` of the item at `path` and appends their doc lines to `doc`.
    pub(super) fn provenance(
        &mut self,
        path: &str,
        origin: &Option<String>,
        inferred: &[String],
        keys: &[&str],
        doc: &mut Doc,
    ) {
        let mut lines = Vec::new();
        if let Some(origin) = origin {
            match split_origin(origin) {
                Some((document, line)) => lines.push(format!("Source: {} line {line}.", code_span(document))),
                None => {
                    self.error(format!("{path}.origin"), format!("origin `{origin}` is not `<document>:<line>`"))
                        .hint("write the document's file name and a line number from 1, e.g. `ProjectTaskApi.md:42`");
                }
            }
        }
        let mut named = Vec::new();
        for key in inferred {
            if !keys.contains(&key.as_str()) {
                let hint = crate::diagnostics::did_you_mean(key, keys.iter().copied())
                    .unwrap_or_else(|| format!("name one of this item's keys: {}", keys.join(", ")));
                self.error(format!("{path}.inferred"), format!("`{key}` is not a key of this item")).hint(hint);
            } else if named.contains(&describe(key)) {
                self.error(format!("{path}.inferred"), format!("`{key}` is listed twice")).hint("remove one");
            } else {
                named.push(describe(key));
            }
        }
        if !named.is_empty() {
            lines.push(format!("Inferred by the importer, not stated in the source: {}.", named.join(", ")));
        }
        if lines.is_empty() {
            return;
        }
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(lines.iter().flat_map(|line| doc_lines(line)));
    }
}

/// `ProjectTaskApi.md:42` → (`ProjectTaskApi.md`, 42).
fn split_origin(origin: &str) -> Option<(&str, usize)> {
    let (document, line) = origin.rsplit_once(':')?;
    let line: usize = line.parse().ok()?;
    (line >= 1 && !document.trim().is_empty()).then_some((document, line))
}

fn describe(key: &str) -> String {
    match key {
        "name" => "the wire name".to_owned(),
        "in" => "where it is sent".to_owned(),
        "type" => "the type".to_owned(),
        "required" => "whether it is required".to_owned(),
        "nullable" => "whether it may be null".to_owned(),
        other => format!("`{other}`"),
    }
}
