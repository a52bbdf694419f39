//! Emits a service's `mod.rs` (its `Client` and group accessors) and the crate's `lib.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, doc_with, ident, module_doc_attrs};
use crate::docs::{code_span, doc_inline};
use crate::model::{Model, Service};
use crate::spec::AuthKind;

pub fn service_module(service: &Service) -> TokenStream {
    let title = doc_inline(&service.title);
    let mut doc = vec![title.clone()];
    if !service.doc.is_empty() {
        doc.push(String::new());
        doc.extend(service.doc.clone());
    }
    doc.push(String::new());
    doc.push(format!("Default base URL: <{}>.", service.base_url));
    for scheme in &service.auth {
        let kind = match scheme.kind {
            AuthKind::Bearer => "a bearer token",
            AuthKind::Oauth2Bearer => "an OAuth2 access token sent as a bearer token",
        };
        doc.push(String::new());
        doc.push(format!(
            "Auth {}: {kind}; set it with `ClientConfig::bearer_token` or `ClientConfig::token_provider`.",
            code_span(&scheme.id)
        ));
        doc.extend(scheme.doc.clone());
    }
    if let Some(source) = &service.source {
        doc.push(String::new());
        doc.extend(crate::docs::doc_lines(&format!("Captured from: {source}")));
    }
    let inner_doc = module_doc_attrs(&doc);
    let modules = service.groups.iter().map(|group| {
        let module = ident(&group.module);
        quote!(pub mod #module;)
    });
    let accessors = service.groups.iter().map(|group| {
        let module = ident(&group.module);
        let api = ident(&group.api_struct);
        let doc = doc_attrs(&doc_with(&group.doc, [format!("The `{}` operations.", group.module)]));
        quote! {
            #doc
            pub fn #module(&self) -> #module::#api<'_> {
                #module::#api::new(self)
            }
        }
    });
    let base_url = &service.base_url;
    let client_doc = format!(" A client for the {title}. Cheap to clone: clones share one connection pool.");
    quote! {
        #inner_doc

        pub mod types;
        #(#modules)*
        #[cfg(feature = "blocking")]
        mod blocking;
        #[cfg(feature = "mock")]
        pub mod mock;

        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            http: crate::runtime::HttpClient,
        }

        impl Client {
            /// The base URL the documents give; `ClientConfig::base_url` overrides it.
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            /// A client with these settings (unset ones take the service defaults).
            pub fn new(config: crate::ClientConfig) -> ::std::result::Result<Self, crate::Error> {
                ::std::result::Result::Ok(Self {
                    http: crate::runtime::HttpClient::new(config, Self::DEFAULT_BASE_URL)?,
                })
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.http.base_url()
            }

            fn http(&self) -> &crate::runtime::HttpClient {
                &self.http
            }

            #(#accessors)*
        }
    }
}

pub fn lib_rs(model: &Model) -> TokenStream {
    let mut doc = crate::docs::doc_lines(&model.krate.description);
    doc.push(String::new());
    doc.push("Each service is a module behind a cargo feature of the same name (all on by default):".to_owned());
    doc.push(String::new());
    for service in &model.services {
        // The colon is escaped: `[`shop`]: Shop` would be a Markdown link reference definition,
        // which hides the line (clippy's `doc_nested_refdefs`).
        doc.push(format!("- [`{}`]\\: {}", service.module, doc_inline(&service.title)));
    }
    let inner_doc = module_doc_attrs(&doc);
    let modules = model.services.iter().map(|service| {
        let module = ident(&service.module);
        let feature = &service.module;
        // prettyplease and rustfmt wrap lines differently; generated modules are formatted by
        // prettyplease only, so `cargo fmt --check` skips them deliberately.
        quote! {
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    // One item per `use` line: rustfmt and prettyplease agree on short lines.
    let reexports = [
        "AccessToken",
        "ApiError",
        "Auth",
        "BoxError",
        "ClientConfig",
        "Date",
        "DateTime",
        "DecodeError",
        "ETag",
        "Error",
        "ErrorBody",
        "NoErrorBody",
        "ParseDateTimeError",
        "RedirectPolicy",
        "RedirectRule",
        "Response",
        "Secret",
        "SessionError",
        "SoapFault",
        "TokenFuture",
        "TokenProvider",
    ]
    .map(ident);
    quote! {
        #inner_doc
        #![forbid(unsafe_code)]

        #[doc(hidden)]
        pub mod runtime;

        // First: rustfmt sorts this `use` before the type names.
        /// Test helpers: a loopback server answering operations with typed values (the `mock` feature).
        #[cfg(feature = "mock")]
        pub use runtime::mock;
        #(pub use runtime::#reexports;)*

        #(#modules)*
    }
}
