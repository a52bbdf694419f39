//! Emits the `Client` constants that say where each `api_key` scheme sends its key.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::doc_attrs;
use crate::docs::code_span;
use crate::model::{ApiKey, ApiKeyLocation, AuthScheme};

/// Where the key travels, in words: ``header `X-API-Key` ``.
pub fn where_sent(key: &ApiKey) -> String {
    let place = match key.location {
        ApiKeyLocation::Header => "header",
        ApiKeyLocation::Query => "query parameter",
        ApiKeyLocation::Cookie => "cookie",
    };
    format!("{place} {}", code_span(&key.wire_name))
}

/// `pub const <SCHEME>: ApiKeyScheme` for each `api_key` scheme, for `ClientConfig::api_key`.
pub fn api_key_constants(auth: &[AuthScheme]) -> TokenStream {
    let constants = auth.iter().filter_map(|scheme| {
        let key = scheme.api_key.as_ref()?;
        let constant = key.constant.ident();
        let wire = &key.wire_name;
        let scheme_fn = match key.location {
            ApiKeyLocation::Header => quote!(header),
            ApiKeyLocation::Query => quote!(query),
            ApiKeyLocation::Cookie => quote!(cookie),
        };
        let mut doc = vec![format!(
            "The {} scheme: an API key in the {}. Set it with `ClientConfig::api_key(Client::{constant}, key)`.",
            code_span(&scheme.id),
            where_sent(key)
        )];
        if !scheme.doc.is_empty() {
            doc.push(String::new());
            doc.extend(scheme.doc.iter().cloned());
        }
        let doc = doc_attrs(&doc);
        Some(quote! {
            #doc
            pub const #constant: crate::ApiKeyScheme = crate::ApiKeyScheme::#scheme_fn(#wire);
        })
    });
    quote!(#(#constants)*)
}
