//! Emits a REST service's `mock.rs`: one marker per operation for `runtime::mock::MockServer`.
//!
//! A marker only states the operation's method, path template and answer types, and how an
//! answer becomes a status and body; serving and matching are the runtime's.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::{type_complexity_allow, type_tokens, Scope};
use super::operations::spelled_types;
use crate::model::{Group, Operation, Service, SuccessShape, TypeDef, TypeRef};

/// `src/<service>/mock.rs` of a REST service, compiled only with the `mock` feature. SOAP
/// services have none: their calls all share one path, so method and path cannot tell them apart.
pub fn service_module(service: &Service) -> TokenStream {
    let groups = service.groups.iter().enumerate().map(|(index, group)| {
        super::features::gate(&super::features::group_cfg(service, index), group_module(service, group))
    });
    let spells_deprecated =
        service.types.iter().any(|def| matches!(def, TypeDef::Object(object) if object.deprecated.is_some()));
    let allow = if spells_deprecated { quote!(#![allow(deprecated)]) } else { quote!() };
    // The group modules below spell types as `super::types::*`, like the groups themselves.
    let spelled = |op: &Operation| {
        let answer = match &op.success {
            SuccessShape::Single(response) => response.ty.as_ref(),
            SuccessShape::Enum { .. } => None,
        };
        answer.into_iter().chain(&op.error_body).any(names_a_type)
    };
    // Behind the features of the groups that spell a type, so that it is never unused.
    let spelling: Vec<usize> =
        (0..service.groups.len()).filter(|&index| service.groups[index].operations.iter().any(spelled)).collect();
    let types = if spelling.is_empty() {
        quote!()
    } else {
        let cfg = super::features::groups_cfg(service, &spelling);
        quote!(
            #cfg
            use super::types;
        )
    };
    quote! {
        //! Typed answers for `api_clients::mock::MockServer` (the `mock` feature): one marker per
        //! operation, in a module per group, e.g. `server.on(mock::<group>::<Operation>).answer(..)`.
        #allow
        #types
        #(#groups)*
    }
}

fn names_a_type(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named { .. } => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => names_a_type(inner),
        _ => false,
    }
}

fn group_module(service: &Service, group: &Group) -> TokenStream {
    let module = group.module.ident();
    let doc = format!(" Markers for the `{}` operations.", group.module);
    let complexity = type_complexity_allow(group.operations.iter().flat_map(spelled_types));
    let markers = group.operations.iter().map(|op| marker(service, group, op));
    quote! {
        #[doc = #doc]
        pub mod #module {
            #complexity
            #(#markers)*
        }
    }
}

fn marker(service: &Service, group: &Group, op: &Operation) -> TokenStream {
    let (service_module, group_module) = (service.module.ident(), group.module.ident());
    let marker = op.builder.ident();
    let doc = format!(
        " `{} {}`: answers `{}::{}`.",
        op.method.as_str(),
        op.path_template,
        group.api_struct,
        op.fn_name.unraw()
    );
    let method = op.method.as_str();
    let path = &op.path_template;
    let error = match &op.error_body {
        Some(ty) => type_tokens(ty, Scope::Sibling),
        None => quote!(crate::NoErrorBody),
    };
    let (answer, reply) = match &op.success {
        SuccessShape::Single(response) => {
            let status = Literal::u16_unsuffixed(response.status);
            match &response.ty {
                Some(ty) => {
                    (super::bodies::answer_type(ty), super::bodies::mock_reply(response, &status, quote!(&answer)))
                }
                None => (quote!(()), quote!(crate::runtime::mock::Reply::empty(#status))),
            }
        }
        SuccessShape::Enum { name, cases, .. } => {
            let name = name.ident();
            let path = quote!(crate::#service_module::#group_module::#name);
            let arms = cases.iter().map(|case| {
                let variant = case.variant.ident();
                let status = Literal::u16_unsuffixed(case.status);
                let reply = super::bodies::mock_reply(case, &status, quote!(&body));
                match &case.ty {
                    Some(_) => quote!(#path::#variant(body) => #reply,),
                    None => quote!(#path::#variant => crate::runtime::mock::Reply::empty(#status),),
                }
            });
            (path.clone(), quote!(match answer { #(#arms)* }))
        }
    };
    // `answer` is unused when the only success has no body.
    let argument = if matches!(&op.success, SuccessShape::Single(response) if response.ty.is_none()) {
        quote!(_answer)
    } else {
        quote!(answer)
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #marker;

        impl crate::runtime::mock::Operation for #marker {
            const METHOD: &'static str = #method;
            const PATH: &'static str = #path;
            type Answer = #answer;
            type Error = #error;
            fn reply(#argument: Self::Answer) -> crate::runtime::mock::Reply {
                #reply
            }
        }
    }
}
