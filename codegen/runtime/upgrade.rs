//! Asking for `101 Switching Protocols`: the headers of the upgrade request.

use std::hash::{BuildHasher, Hasher};

/// The headers that ask to switch to `protocol`. A WebSocket handshake also needs a version and
/// a fresh key (RFC 6455 §4.1); the `Sec-WebSocket-Accept` answer is left to the WebSocket
/// library the caller hands the connection to.
pub(crate) fn headers(protocol: &'static str) -> Vec<(&'static str, String)> {
    let mut headers = vec![("Connection", "Upgrade".to_owned()), ("Upgrade", protocol.to_owned())];
    if protocol.eq_ignore_ascii_case("websocket") {
        headers.push(("Sec-WebSocket-Version", "13".to_owned()));
        headers.push(("Sec-WebSocket-Key", websocket_key()));
    }
    headers
}

/// 16 random bytes, base64-encoded. The key only has to differ per handshake (it proves the
/// server read this request, it protects no secret), so std's per-process random hash keys are
/// enough and no random-number crate is needed.
fn websocket_key() -> String {
    let mut bytes = [0u8; 16];
    for half in bytes.chunks_mut(8) {
        let bits = std::collections::hash_map::RandomState::new().build_hasher().finish();
        half.copy_from_slice(&bits.to_le_bytes());
    }
    base64(&bytes)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let value =
            chunk.iter().enumerate().fold(0u32, |value, (index, byte)| value | u32::from(*byte) << (16 - 8 * index));
        for index in 0..4 {
            if index <= chunk.len() {
                text.push(char::from(ALPHABET[(value >> (18 - 6 * index)) as usize & 63]));
            } else {
                text.push('=');
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        let cases: [(&[u8], &str); 4] = [(b"", ""), (b"f", "Zg=="), (b"fo", "Zm8="), (b"foobar", "Zm9vYmFy")];
        for (bytes, text) in cases {
            assert_eq!(base64(bytes), text);
        }
        // RFC 6455's sample nonce.
        assert_eq!(base64(b"the sample nonce"), "dGhlIHNhbXBsZSBub25jZQ==");
    }

    #[test]
    fn websocket_keys_are_16_bytes_and_fresh() {
        let key = websocket_key();
        assert_eq!(key.len(), 24);
        assert_ne!(key, websocket_key());
    }
}
