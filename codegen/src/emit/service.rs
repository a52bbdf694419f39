//! Emits a service's `mod.rs` (its `Client` and group accessors) and the crate's `lib.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::client::{self, ClientParts};
use super::common::{doc_attrs, doc_with, fixed_ident, module_doc_attrs};
use super::examples;
use super::features;
use crate::docs::{code_span, table_cell};
use crate::model::AuthKind;
use crate::model::{Model, Service};

pub fn service_module(service: &Service, krate: &str) -> TokenStream {
    let mut paragraphs = vec![vec![format!("Default base URL: <{}>.", service.base_url)]];
    for scheme in &service.auth {
        let id = code_span(&scheme.id);
        let line = match (scheme.kind, &scheme.client_credentials) {
            (AuthKind::Oauth2ClientCredentials, Some(flow)) => format!(
                "Auth {id}: an OAuth2 access token the client gets itself from <{}> with \
                 `Client::with_client_credentials`; or set one with `ClientConfig::bearer_token` or \
                 `ClientConfig::token_provider`.",
                flow.token_url
            ),
            (AuthKind::ApiKey, _) => match &scheme.api_key {
                Some(key) => format!(
                    "Auth {id}: an API key in the {}; set it with `ClientConfig::api_key(Client::{}, key)`.",
                    super::auth::where_sent(key),
                    key.constant
                ),
                None => format!("Auth {id}: an API key."),
            },
            (AuthKind::Basic, _) => format!(
                "Auth {id}: HTTP Basic; set it with `ClientConfig::basic_auth(user, password)`, or as the base URL's \
                 userinfo (`https://user:password@host`)."
            ),
            (kind, _) => {
                let kind = match kind {
                    AuthKind::Oauth2Bearer | AuthKind::Oauth2ClientCredentials => {
                        "an OAuth2 access token sent as a bearer token"
                    }
                    _ => "a bearer token",
                };
                format!(
                    "Auth {id}: {kind}; set it with `ClientConfig::bearer_token` or `ClientConfig::token_provider`."
                )
            }
        };
        let mut paragraph = vec![line];
        paragraph.extend(scheme.doc.iter().cloned());
        paragraphs.push(paragraph);
    }
    let inner_doc = client::module_doc(service, paragraphs, &operation_table(service));
    let modules = service.groups.iter().enumerate().map(|(index, group)| {
        let module = group.module.ident();
        let cfg = features::group_cfg(service, index);
        quote!(#cfg pub mod #module;)
    });
    let accessors = service.groups.iter().enumerate().map(|(index, group)| {
        let module = group.module.ident();
        let cfg = features::group_cfg(service, index);
        let api = group.api_struct.ident();
        let doc = doc_attrs(&doc_with(&group.doc, [format!("The `{}` operations.", group.module)]));
        quote! {
            #doc
            #cfg
            pub fn #module(&self) -> #module::#api<'_> {
                #module::#api::new(self)
            }
        }
    });
    let client_credentials = super::oauth2::client_credentials(&service.auth);
    let background_jobs = features::background_items(service);
    let (client, client_items) = client::client_struct(
        service,
        ClientParts {
            example: examples::rest_client(krate, service),
            consts: super::auth::api_key_constants(&service.auth),
            fields: quote!(),
            init: quote!(),
            base_url_doc: "The base URL requests go to.",
        },
    );
    let http_attr = features::http_accessor_attr(service);
    quote! {
        #inner_doc

        pub mod types;
        #(#modules)*
        #[cfg(feature = "blocking")]
        mod blocking;
        #[cfg(feature = "mock")]
        pub mod mock;

        #client

        impl Client {
            #client_items

            #http_attr
            fn http(&self) -> &crate::runtime::HttpClient {
                &self.http
            }

            #(#accessors)*
        }

        #client_credentials
        #background_jobs
    }
}

/// The operation table of a REST service's page: method, path, Rust method, summary. A row is
/// there only with its group's feature, since it links to the group's items.
fn operation_table(service: &Service) -> Vec<(Option<TokenStream>, String)> {
    let mut lines: Vec<(Option<TokenStream>, String)> =
        ["# Operations", "", "| method | path | Rust method | summary |", "|---|---|---|---|"]
            .into_iter()
            .map(|line| (None, line.to_owned()))
            .collect();
    for (index, group) in service.groups.iter().enumerate() {
        let predicate = features::group_predicate(service, index);
        for op in &group.operations {
            let call = format!("{}().{}()", group.module.unraw(), op.fn_name.unraw());
            // Intra-doc links cannot spell raw identifiers; those get the code span alone.
            let rust = if group.module.is_raw() || op.fn_name.is_raw() {
                format!("`{call}`")
            } else {
                format!("[`{call}`]({}::{}::{})", group.module, group.api_struct, op.fn_name)
            };
            let summary = op.summary_doc.clone().unwrap_or_default();
            let row = format!(
                "| `{}` | {} | {rust} | {} |",
                op.method.as_str(),
                table_cell(&code_span(&op.path_template)),
                table_cell(&summary)
            );
            lines.push((predicate.clone(), row));
        }
    }
    lines
}

pub fn lib_rs(model: &Model) -> TokenStream {
    let krate = examples::crate_path(model);
    let mut doc = model.krate.doc.clone();
    doc.push(String::new());
    doc.push(
        "Each service is a module behind a cargo feature of the same name (all on by default), and each API \
         group of a REST service behind `<service>-<group>`, which compiles that group and the types it uses \
         alone:"
            .to_owned(),
    );
    doc.push(String::new());
    for service in &model.services {
        // Not a link: the module is not there when its features are off, and rustdoc lists the
        // modules that are. rustfmt formats `lib.rs`, so its docs stay plain `//!` lines.
        doc.push(format!("- `{}`: {}", service.module, service.title_doc));
    }
    doc.extend([
        String::new(),
        "The types of other crates that the API uses are re-exported, so no other dependency is needed \
         to name them (and their versions always match): [`http`] (status, headers, URL), [`uuid`], \
         [`serde_json`], [`chrono`] (behind [`DateTime`]) and [`reqwest`] (`Error::Transport`, \
         `ClientConfig::http_client`)."
            .to_owned(),
        String::new(),
    ]);
    doc.extend(examples::crate_sections(&krate));
    let inner_doc = module_doc_attrs(&doc);
    let modules = model.services.iter().map(|service| {
        let module = service.module.ident();
        let cfg = features::service_cfg(service);
        // prettyplease and rustfmt wrap lines differently; generated modules are formatted by
        // prettyplease only, so `cargo fmt --check` skips them deliberately.
        quote! {
            #cfg
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    // One item per `use` line: rustfmt and prettyplease agree on short lines.
    // The items of the crate root, which `lib.rs` re-exports from the runtime; the same table
    // keeps spec types from taking these names. `ByteStream` exists with the `streaming-runtime`
    // feature only (re-exported below).
    let reexports = crate::names::reserved_names(crate::names::ReservedIn::CrateRoot)
        .filter(|name| *name != "ByteStream")
        .map(fixed_ident);
    quote! {
        #inner_doc
        #![forbid(unsafe_code)]
        #![deny(missing_docs)]

        #[doc(hidden)]
        pub mod runtime;

        // The crates whose types the API uses, first: rustfmt sorts `::` paths before others.
        pub use ::chrono;
        pub use ::reqwest;
        pub use ::serde_json;
        pub use ::uuid;
        /// Test helpers: a loopback server answering operations with typed values (the `mock` feature).
        #[cfg(feature = "mock")]
        pub use runtime::mock;

        #(pub use runtime::#reexports;)*

        /// The HTTP types of the API: status codes, headers, methods and URLs (reqwest's, which
        /// are the `http` and `url` crates' types).
        pub mod http {
            pub use ::reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
            pub use ::reqwest::{Method, StatusCode, Url, Version};
        }

        #[cfg(feature = "streaming-runtime")]
        pub use runtime::ByteStream;

        #(#modules)*
    }
}
