//! Emits a service's `blocking.rs`: a `send_blocking` for every request builder (or SOAP call).
//!
//! Each method is one line that hands the async call to `runtime::blocking::wait`, so the
//! blocking API is the async one and costs no second copy of the request code.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::type_complexity_allow;
use super::operations::{error_type, spelled_types, success_type};
use crate::model::{Service, SoapService, SuccessShape, TypeDef};

/// `src/<service>/blocking.rs`, compiled only with the `blocking` feature.
pub fn service_module(service: &Service) -> TokenStream {
    let items = match &service.soap {
        Some(soap) => soap_calls(soap),
        None => rest_builders(service),
    };
    // The signatures spell the answer types, and some may be deprecated; callers still see it.
    let spells_deprecated =
        service.types.iter().any(|def| matches!(def, TypeDef::Object(object) if object.deprecated.is_some()));
    let allow = if spells_deprecated { quote!(#![allow(deprecated)]) } else { quote!() };
    quote! {
        //! Synchronous calls (the `blocking` feature): `send_blocking` waits for `send` on this
        //! thread, so programs without an async runtime can call every operation.
        #allow
        #items
    }
}

/// The doc line of every blocking method.
const WAITS: &str = "waiting on this thread (inside a tokio runtime: `Error::InvalidRequest`, nothing sent).";

fn rest_builders(service: &Service) -> TokenStream {
    let complexity = type_complexity_allow(service.groups.iter().flat_map(|g| &g.operations).flat_map(spelled_types));
    let impls = service.groups.iter().enumerate().flat_map(|(index, group)| {
        let module = group.module.ident();
        let cfg = super::features::group_cfg(service, index);
        group.operations.iter().map(move |op| {
            let builder = op.builder.ident();
            // The answer types are written from the group's module; a response enum lives there.
            let ok = match &op.success {
                SuccessShape::Enum { name, .. } => {
                    let name = name.ident();
                    quote!(super::#module::#name)
                }
                SuccessShape::Single(_) => success_type(op),
            };
            let error = error_type(op);
            let doc = format!(" Like `send().await`, {WAITS}");
            quote! {
                #cfg
                impl super::#module::#builder<'_> {
                    #[doc = #doc]
                    pub fn send_blocking(self) -> ::std::result::Result<crate::Response<#ok>, #error> {
                        crate::runtime::blocking::wait(self.send())
                    }
                }
            }
        })
    });
    quote! {
        #complexity
        #(#impls)*
    }
}

/// A `<call>_blocking` per client method, and `Session::authenticate_blocking`.
fn soap_calls(soap: &SoapService) -> TokenStream {
    let error_body = match &soap.session {
        Some(_) => quote!(super::Failure),
        None => quote!(crate::NoErrorBody),
    };
    let methods = soap.operations.iter().enumerate().map(|(index, operation)| {
        let method = operation.fn_name.ident();
        let blocking = &operation.blocking_fn;
        let request = operation.request.ident();
        let response = operation.response.ident();
        let doc = format!(" Like [`Client::{0}`](super::Client::{0}), {WAITS}", operation.fn_name.unraw());
        let takes_session = operation.uses_session && soap.session.as_ref().is_some_and(|s| s.authenticate != index);
        let (session_arg, session) =
            if takes_session { (quote!(session: &super::Session,), quote!(session,)) } else { (quote!(), quote!()) };
        quote! {
            #[doc = #doc]
            pub fn #blocking(&self, #session_arg request: super::types::#request)
                -> ::std::result::Result<crate::Response<super::types::#response>, crate::Error<#error_body>> {
                crate::runtime::blocking::wait(self.#method(#session request))
            }
        }
    });
    let session = soap.session.as_ref().map(|session| {
        let credentials = soap.operations[session.authenticate].request.ident();
        let doc = format!(" Like [`Session::authenticate`](super::Session::authenticate), {WAITS}");
        quote! {
            impl super::Session {
                #[doc = #doc]
                pub fn authenticate_blocking(client: &super::Client, credentials: super::types::#credentials)
                    -> ::std::result::Result<Self, crate::Error<super::Failure>> {
                    crate::runtime::blocking::wait(Self::authenticate(client, credentials))
                }
            }
        }
    });
    quote! {
        impl super::Client {
            #(#methods)*
        }
        #session
    }
}
