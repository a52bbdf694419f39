//! The reqwest clients a service client sends through: the one built from its settings (or the
//! one the user gave), and, built on first use, an HTTP/1.1-only twin for upgrade requests.

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
}

impl Connections {
    /// The user's client, or one built from `settings`.
    pub(crate) fn new(given: Option<reqwest::Client>, settings: Settings) -> Result<Self, String> {
        let (main, settings) = match given {
            Some(client) => (client, None),
            None => (build(&settings, false)?, Some(settings)),
        };
        Ok(Connections { main, settings, http1: OnceLock::new() })
    }

    pub(crate) fn main(&self) -> &reqwest::Client {
        &self.main
    }

    /// The client for a request that asks to switch protocols. HTTP/2 has no `Upgrade`, and
    /// reqwest takes the version a TLS server picks (ALPN) over the one a request asks for
    /// (seanmonstar/reqwest#2116), so an upgrade needs a client that offers HTTP/1.1 alone. A
    /// client the user gave is used as it is (its docs say to build it with `http1_only`).
    pub(crate) fn for_upgrade(&self) -> Result<&reqwest::Client, String> {
        let Some(settings) = &self.settings else { return Ok(&self.main) };
        self.http1.get_or_init(|| build(settings, true)).as_ref().map_err(Clone::clone)
    }
}

fn build(settings: &Settings, http1_only: bool) -> Result<reqwest::Client, String> {
    let mut builder =
        reqwest::Client::builder().redirect(super::http::redirect_policy(settings.redirects)).referer(false);
    for root in &settings.roots {
        builder = builder.add_root_certificate(root.clone());
    }
    if http1_only {
        builder = builder.http1_only();
    }
    builder.build().map_err(|error| format!("cannot build the HTTP client: {error}"))
}
