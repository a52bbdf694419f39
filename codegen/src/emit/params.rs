//! How a request builder writes its query parameters (by `style`) and its cookies.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Operation, Param, ParamLocation, ParamStyle, TypeRef};

/// The expression that adds query parameter `value` (a reference to the field's value) to `request`.
pub(super) fn query_add(param: &Param) -> TokenStream {
    let wire = &param.wire_name;
    let joined =
        |delimiter: TokenStream| quote!(request.query_joined(#wire, value, crate::runtime::Delimiter::#delimiter));
    match (param.style, &param.ty) {
        (ParamStyle::DeepObject, _) => quote!(request.query_deep(#wire, value)),
        (ParamStyle::Comma, TypeRef::List(_)) => joined(quote!(Comma)),
        (ParamStyle::Space, TypeRef::List(_)) => joined(quote!(Space)),
        (ParamStyle::Pipe, TypeRef::List(_)) => joined(quote!(Pipe)),
        (_, TypeRef::List(_)) => quote!(request.query_each(#wire, value)),
        _ => quote!(request.query(#wire, value)),
    }
}

/// Statements that send the operation's cookie parameters in one `Cookie` header (none when it
/// has no cookie parameters, or none of the optional ones is set).
pub(super) fn cookies(op: &Operation) -> TokenStream {
    let pairs: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|param| param.location == ParamLocation::Cookie)
        .map(|param| {
            let name = param.ident.ident();
            let wire = &param.wire_name;
            if param.required {
                quote!(crate::runtime::push_cookie(&mut cookies, #wire, &self.#name);)
            } else {
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#name {
                        crate::runtime::push_cookie(&mut cookies, #wire, value);
                    }
                }
            }
        })
        .collect();
    if pairs.is_empty() {
        return quote!();
    }
    quote! {
        let mut cookies = ::std::string::String::new();
        #(#pairs)*
        if !cookies.is_empty() {
            request = request.header("Cookie", &cookies);
        }
    }
}

/// A parameter's place, as the docs name it.
pub(super) fn place(param: &Param) -> &'static str {
    match param.location {
        ParamLocation::Path => "path parameter",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// How the value is written, for a setter's docs (`None` for the usual `name=value`).
pub(super) fn style_note(param: &Param) -> Option<&'static str> {
    if param.location != ParamLocation::Query {
        return None;
    }
    match (param.style, &param.ty) {
        (ParamStyle::Comma, TypeRef::List(_)) => Some("The values are sent comma-separated: `name=a,b`."),
        (ParamStyle::Space, TypeRef::List(_)) => Some("The values are sent space-separated: `name=a%20b`."),
        (ParamStyle::Pipe, TypeRef::List(_)) => Some("The values are sent pipe-separated: `name=a|b`."),
        (ParamStyle::DeepObject, _) => Some("Each member is sent as `name[key]=value`; a `None` field is left out."),
        _ => None,
    }
}
