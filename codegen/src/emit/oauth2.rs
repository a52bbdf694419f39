//! Emits a service's `ClientCredentials` and `Client::with_client_credentials` (OAuth2 client credentials).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::doc_attrs;
use crate::docs::code_span;
use crate::model::ClientAuthSpec;
use crate::model::{AuthScheme, ClientCredentials};

/// The items for the service's client-credentials scheme; nothing when it has none.
pub fn client_credentials(auth: &[AuthScheme]) -> TokenStream {
    let Some((scheme, flow)) = auth.iter().find_map(|scheme| Some((scheme, scheme.client_credentials.as_ref()?)))
    else {
        return quote!();
    };
    let ClientCredentials { token_url, scopes, client_auth, params } = flow;
    let client_auth = match client_auth {
        ClientAuthSpec::Basic => quote!(crate::runtime::ClientAuth::Basic),
        ClientAuthSpec::Body => quote!(crate::runtime::ClientAuth::Body),
    };
    let sent_as = match flow.client_auth {
        ClientAuthSpec::Basic => "`Authorization: Basic`",
        ClientAuthSpec::Body => "the form body",
    };
    let mut struct_doc = vec![
        format!(
            "OAuth2 client credentials of the {} scheme: the application's client id and secret",
            code_span(&scheme.id)
        ),
        format!("(sent in {sent_as}) and the token request's parameters. `Debug` shows no secret."),
    ];
    if !scheme.doc.is_empty() {
        struct_doc.push(String::new());
        struct_doc.extend(scheme.doc.clone());
    }
    let struct_doc = doc_attrs(&struct_doc);
    let required: Vec<_> = params.iter().filter(|param| param.required).collect();
    let mut new_doc = vec!["The application's client id and secret".to_owned()];
    if required.is_empty() {
        new_doc[0].push('.');
    } else {
        new_doc[0].push_str(", and the required token parameters:");
        for param in &required {
            new_doc.push(String::new());
            let name = param.ident.unraw();
            let sent_as = if name == param.wire_name {
                String::new()
            } else {
                format!(" (sent as {})", code_span(&param.wire_name))
            };
            new_doc.push(format!("- `{name}`{sent_as}{}", doc_suffix(&param.doc)));
            new_doc.extend(param.doc.iter().skip(1).cloned());
        }
    }
    let new_doc = doc_attrs(&new_doc);
    let required_args = required.iter().map(|param| {
        let name = param.ident.ident();
        quote!(#name: impl ::std::convert::Into<::std::string::String>)
    });
    let required_params = required.iter().map(|param| {
        let (wire, name) = (&param.wire_name, param.ident.ident());
        quote!(.param(#wire, #name))
    });
    let setters = params.iter().filter(|param| !param.required).map(|param| {
        let (wire, name) = (&param.wire_name, param.ident.ident());
        let doc = doc_attrs(&super::common::doc_with(&param.doc, [format!("Sent as {}.", code_span(wire))]));
        quote! {
            #doc
            pub fn #name(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(self.0.param(#wire, value))
            }
        }
    });
    quote! {
        #struct_doc
        #[derive(Debug, Clone)]
        pub struct ClientCredentials(crate::runtime::ClientCredentials);

        impl ClientCredentials {
            /// The token endpoint the documents give; [`token_url`](Self::token_url) overrides it.
            pub const TOKEN_URL: &'static str = #token_url;
            /// The scopes asked for unless [`scopes`](Self::scopes) says otherwise.
            pub const SCOPES: &'static [&'static str] = &[#(#scopes),*];

            #new_doc
            pub fn new(
                client_id: impl ::std::convert::Into<::std::string::String>,
                client_secret: impl ::std::convert::Into<crate::Secret>,
                #(#required_args,)*
            ) -> Self {
                Self(
                    crate::runtime::ClientCredentials::new(Self::TOKEN_URL, client_id, client_secret)
                        .client_auth(#client_auth)
                        .scopes(Self::SCOPES.iter().copied())
                        #(#required_params)*
                )
            }

            #(#setters)*

            /// Another token endpoint: an https URL, or http to a loopback host (for tests).
            pub fn token_url(self, token_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(self.0.token_url(token_url))
            }

            /// The scopes to ask for instead of [`SCOPES`](Self::SCOPES).
            pub fn scopes<I, S>(self, scopes: I) -> Self
            where
                I: ::std::iter::IntoIterator<Item = S>,
                S: ::std::convert::Into<::std::string::String>,
            {
                Self(self.0.scopes(scopes))
            }
        }

        impl Client {
            /// A client that gets its own access tokens with these credentials: from the token
            /// endpoint on first use (one `client_credentials` request, shared by the requests
            /// waiting for it), cached until shortly before they expire. A 401 answer fetches a
            /// new token and sends the request once more. The secret goes only to the token
            /// endpoint, the token only to the base URL; a token endpoint that refuses is
            /// `Error::Auth` with its OAuth2 error code.
            pub fn with_client_credentials(
                config: crate::ClientConfig,
                credentials: ClientCredentials,
            ) -> ::std::result::Result<Self, crate::Error> {
                Self::new(config.client_credentials(credentials.0))
            }
        }
    }
}

/// `: <first doc line>`, or nothing.
fn doc_suffix(doc: &[String]) -> String {
    doc.first().map(|line| format!(": {line}")).unwrap_or_default()
}
