//! The success of an operation that declares none but `default` or a `2XX` range: `200` with that response's body, marked inferred.

use serde_yaml::Value;

use super::super::document::{get, members, Place};
use super::super::schemas::description;
use super::super::Importer;
use crate::spec::{ErrorSpec, ErrorStatus, OperationSpec, ResponseSpec};

/// Whether a response key is a range of success statuses (`2XX`), which the spec cannot declare.
pub(super) fn is_success_range(status: &str) -> bool {
    matches!(status, "2XX" | "2xx")
}

impl Importer<'_> {
    /// The `200` an operation without a declared success status answers: read from its `2XX`
    /// range when it has one, else from `default` (which OpenAPI defines as every status not
    /// declared, a success among them), with that response's body and headers. `None` when the
    /// operation has neither. The client reads any other 2xx as an `Error::Api` with its status
    /// and body, so nothing an undeclared status sends is lost.
    pub(super) fn default_success(
        &mut self,
        at: &Place,
        operation: &Value,
        produces: &[String],
        camel: &str,
        errors: &[ErrorSpec],
    ) -> Option<ResponseSpec> {
        let keys = get(operation, "responses").map(members).unwrap_or_default();
        let key = keys
            .iter()
            .map(|(key, _)| key.as_str())
            .find(|key| is_success_range(key))
            .or_else(|| keys.iter().map(|(key, _)| key.as_str()).find(|key| *key == "default"))?
            .to_owned();
        let resolved = self.docs.follow(&at.child(&key)).ok()?;
        let response = self.docs.at(&resolved).cloned().unwrap_or(Value::Null);
        // The `default` error's body type, when it has one, is the success's too (not defined twice).
        let shared = errors
            .iter()
            .find(|error| key == "default" && error.status == ErrorStatus::Named("default".to_owned()))
            .and_then(|error| error.ty.clone());
        let (ty, content_type) = match shared {
            Some(ty) => (Some(ty), None),
            None => match self.response_body(&resolved, &response, produces, &format!("{camel} Response {key}")) {
                Ok(Some((ty, content_type))) => (Some(ty), content_type),
                Ok(None) => (None, None),
                Err(reason) => {
                    self.skip(&resolved, "response media type", format!("{reason}; the response is left out"));
                    return None;
                }
            },
        };
        let reason = format!("no success status is declared: `{key}` is mapped to a `200` success (inferred)");
        self.skip(&at.child(&key), "response status", reason);
        let headers = get(&response, "headers").map(members).unwrap_or_default();
        Some(ResponseSpec {
            status: 200,
            ty,
            content_type,
            description: description(&response),
            headers: headers.into_iter().map(|(name, _)| name).collect(),
            upgrade: None,
            origin: None,
            inferred: Vec::new(),
        })
    }
}

/// What the import report says was guessed for an operation marked `inferred: [responses]`,
/// and what it was read from.
pub(super) fn guessed_texts(spec: &OperationSpec, operation: &Value) -> (String, String) {
    let keys = get(operation, "responses").map(members).unwrap_or_default();
    let body = match spec.responses.first().and_then(|response| response.ty.as_ref()) {
        Some(ty) => format!("200 with the body `{ty}`"),
        None => "200 without a body".to_owned(),
    };
    let read = match keys.iter().find(|(key, _)| is_success_range(key)) {
        Some((key, _)) => format!("only `{key}` (a range)"),
        None if keys.is_empty() => "no responses".to_owned(),
        None => "only `default`".to_owned(),
    };
    (body, read)
}
