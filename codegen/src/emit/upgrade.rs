//! An operation answering `101 Switching Protocols`: it asks for the upgrade and returns the connection.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Operation, SuccessResponse, SuccessShape};

/// The protocol the operation upgrades to, if it does (`lower` makes its 101 the only success).
fn protocol(op: &Operation) -> Option<&str> {
    match &op.success {
        SuccessShape::Single(response) => response.upgrade.as_deref(),
        SuccessShape::Enum { .. } => None,
    }
}

/// The statement that asks for the upgrade (`Connection: Upgrade`, `Upgrade: <protocol>`).
pub(super) fn request(op: &Operation) -> TokenStream {
    match protocol(op) {
        Some(protocol) => quote!(request = request.upgrade(#protocol);),
        None => quote!(),
    }
}

/// The type `send` returns for an upgrading operation: the connection.
pub(super) fn success_type(op: &Operation) -> Option<TokenStream> {
    protocol(op).map(|_| quote!(::reqwest::Upgraded))
}

/// The match arm of a 101.
pub(super) fn arm(response: &SuccessResponse) -> Option<TokenStream> {
    response.upgrade.as_ref().map(|_| quote!(101 => response.upgraded().await,))
}

/// The `send` docs of an upgrading operation: what the caller gets.
pub(super) fn doc(op: &Operation) -> Vec<String> {
    match protocol(op) {
        Some(protocol) => vec![
            String::new(),
            format!(
                "Asks to switch to `{protocol}` (`Connection: Upgrade`, over HTTP/1.1); the `101` answer's body is \
                 the connection, to read and write with tokio's `AsyncRead`/`AsyncWrite` (hand it to a \
                 `{protocol}` library, which checks the server's handshake headers)."
            ),
        ],
        None => Vec::new(),
    }
}
