//! `101 Switching Protocols` responses: the protocol an operation upgrades to.

use serde_yaml::Value;

use super::document::{get, get_str};

/// The protocol a 101 switches to. OpenAPI has no field for it: dropshot marks WebSocket
/// endpoints with `x-dropshot-websocket`, and others name it in the description.
pub(super) fn protocol(operation: &Value, response: &Value) -> Option<&'static str> {
    let described =
        get_str(response, "description").is_some_and(|text| text.to_ascii_lowercase().contains("websocket"));
    (websocket(operation) || described).then_some("websocket")
}

/// Whether the operation is a dropshot WebSocket endpoint.
pub(super) fn websocket(operation: &Value) -> bool {
    get(operation, "x-dropshot-websocket").is_some()
}
