//! The parts of a service's `mod.rs` that REST and SOAP services share: the module page's
//! frame, and the `Client` struct with its default base URL, constructor and `base_url`.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, module_doc_attrs};
use crate::model::{Doc, Service};

/// The module page: the title and description, then `paragraphs` (where requests go, how they
/// authenticate), where the spec was captured from, and the operation table (its rows gated as
/// `features::gated_module_doc` says).
pub fn module_doc(
    service: &Service,
    paragraphs: Vec<Doc>,
    operation_table: &[(Option<TokenStream>, String)],
) -> TokenStream {
    let mut doc = vec![service.title_doc.clone()];
    if !service.doc.is_empty() {
        doc.push(String::new());
        doc.extend(service.doc.iter().cloned());
    }
    for paragraph in paragraphs {
        doc.push(String::new());
        doc.extend(paragraph);
    }
    if !service.source_doc.is_empty() {
        doc.push(String::new());
        doc.extend(service.source_doc.iter().cloned());
    }
    doc.push(String::new());
    let doc = module_doc_attrs(&doc);
    let table = super::features::gated_module_doc(operation_table);
    quote!(#doc #table)
}

/// What a protocol adds to the shared `Client`.
pub struct ClientParts {
    /// The example of the struct's docs.
    pub example: Doc,
    /// Constants after `DEFAULT_BASE_URL`.
    pub consts: TokenStream,
    /// Fields after `http`.
    pub fields: TokenStream,
    /// Their values in `new`.
    pub init: TokenStream,
    /// The doc line of `base_url()`.
    pub base_url_doc: &'static str,
}

/// The `Client` struct, and the first items of its `impl`: the defaults, `new` and `base_url`.
pub fn client_struct(service: &Service, parts: ClientParts) -> (TokenStream, TokenStream) {
    let ClientParts { example, consts, fields, init, base_url_doc } = parts;
    let mut doc =
        vec![format!("A client for the {}. Cheap to clone: clones share one connection pool.", service.title_doc)];
    doc.push(String::new());
    doc.extend(example);
    let doc = doc_attrs(&doc);
    let base_url = &service.base_url;
    let base_url_doc = format!(" {base_url_doc}");
    let definition = quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct Client {
            http: crate::runtime::HttpClient,
            #fields
        }
    };
    let items = quote! {
        /// The base URL the documents give; `ClientConfig::base_url` overrides it.
        pub const DEFAULT_BASE_URL: &'static str = #base_url;
        #consts

        /// A client with these settings (unset ones take the service defaults).
        pub fn new(config: crate::ClientConfig) -> ::std::result::Result<Self, crate::Error> {
            ::std::result::Result::Ok(Self {
                http: crate::runtime::HttpClient::new(config, Self::DEFAULT_BASE_URL)?,
                #init
            })
        }

        #[doc = #base_url_doc]
        pub fn base_url(&self) -> &str {
            self.http.base_url()
        }
    };
    (definition, items)
}
