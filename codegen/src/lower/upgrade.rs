//! `101 Switching Protocols`: the protocol an operation upgrades to, and what may come with it.

use crate::model::SuccessResponse;
use crate::spec;

use super::ServiceLowering;

impl ServiceLowering<'_> {
    /// A `101`'s `upgrade` protocol (an HTTP token, required); no other status takes one.
    pub(super) fn upgrade(&mut self, response: &spec::ResponseSpec, rpath: &str) -> Option<String> {
        if response.status != 101 {
            if response.upgrade.is_some() {
                self.error(format!("{rpath}.upgrade"), "only a 101 response switches protocols")
                    .hint("remove `upgrade`, or declare it on a `status: 101` response");
            }
            return None;
        }
        if response.ty.is_some() {
            self.error(format!("{rpath}.type"), "a 101 response has no body: the connection is handed to the caller")
                .hint("remove `type`");
        }
        let Some(protocol) = &response.upgrade else {
            self.error(rpath, "a 101 response needs `upgrade`: the protocol the client asks to switch to")
                .hint("add `upgrade: websocket` (sent as `Upgrade: websocket`)");
            return None;
        };
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~/".contains(&b);
        if protocol.is_empty() || !protocol.bytes().all(token) {
            self.error(format!("{rpath}.upgrade"), format!("`{protocol}` is not a protocol name"))
                .hint("use an HTTP token such as `websocket` or `h2c` (letters, digits, `-`, `.`, `/`)");
            return None;
        }
        Some(protocol.clone())
    }

    /// An upgrading operation answers `101` or fails: its result is the connection.
    pub(super) fn check_upgrade_alone(&mut self, success: &[SuccessResponse], path: &str) {
        if success.len() > 1 && success.iter().any(|response| response.status == 101) {
            self.error(format!("{path}.responses"), "a 101 response must be the operation's only success response")
                .hint("the call returns the upgraded connection; declare the other statuses as a separate operation");
        }
    }
}
