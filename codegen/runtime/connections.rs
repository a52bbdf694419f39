//! The reqwest clients a service client sends through: the one built from its settings (or the
//! one the user gave), and, each built on first use, an HTTP/1.1-only twin for upgrade requests
//! and a twin that follows no redirect for operations that declare a 3xx as their answer.

use std::sync::OnceLock;

use super::config::RedirectPolicy;

/// What a built client is made from.
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) redirects: RedirectPolicy,
    /// Extra trusted roots (`ClientConfig::add_root_certificate`).
    pub(crate) roots: Vec<reqwest::Certificate>,
}

pub(crate) struct Connections {
    main: reqwest::Client,
    /// `None` for a client the user gave: its settings cannot be copied into a twin.
    settings: Option<Settings>,
    http1: OnceLock<Result<reqwest::Client, String>>,
    no_redirects: OnceLock<Result<reqwest::Client, String>>,
}

impl Connections {
    /// The user's client, or one built from `settings`.
    pub(crate) fn new(given: Option<reqwest::Client>, settings: Settings) -> Result<Self, String> {
        let (main, settings) = match given {
            Some(client) => (client, None),
            None => (build(&settings, false, settings.redirects)?, Some(settings)),
        };
        Ok(Connections { main, settings, http1: OnceLock::new(), no_redirects: OnceLock::new() })
    }

    pub(crate) fn main(&self) -> &reqwest::Client {
        &self.main
    }

    /// The client for a request. One that asks to switch protocols (`upgrade`) needs HTTP/1.1:
    /// HTTP/2 has no `Upgrade`, and reqwest takes the version a TLS server picks (ALPN) over the
    /// one a request asks for (seanmonstar/reqwest#2116). One whose operation declares a 3xx
    /// answer (`answer_redirects`) must not follow it, and reqwest's redirect policy belongs to
    /// the client, not the request. A client the user gave is used as it is (the docs of
    /// `ClientConfig::http_client` say what that means).
    pub(crate) fn for_request(&self, upgrade: bool, answer_redirects: bool) -> Result<&reqwest::Client, String> {
        let Some(settings) = &self.settings else { return Ok(&self.main) };
        let twin = match (upgrade, answer_redirects) {
            (false, false) => return Ok(&self.main),
            (true, _) => self.http1.get_or_init(|| build(settings, true, settings.redirects)),
            (false, true) => self.no_redirects.get_or_init(|| build(settings, false, RedirectPolicy::None)),
        };
        twin.as_ref().map_err(Clone::clone)
    }
}

fn build(settings: &Settings, http1_only: bool, redirects: RedirectPolicy) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder().redirect(super::http::redirect_policy(redirects)).referer(false);
    for root in &settings.roots {
        builder = builder.add_root_certificate(root.clone());
    }
    if http1_only {
        builder = builder.http1_only();
    }
    builder.build().map_err(|error| format!("cannot build the HTTP client: {error}"))
}
