//! Emits one module per API group: the group struct, a request builder per operation, and
//! the response enum of operations with several success statuses.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{
    deprecated_attr, doc_attrs, doc_with, fixed_ident, module_doc_attrs, type_complexity_allow, type_tokens, Scope,
};
use crate::docs::code_span;
use crate::model::{Group, Operation, Param, ParamLocation, PathPart, Service, SuccessResponse, SuccessShape, TypeRef};

/// The module in parts, rendered independently (so on every core, and a large group is never
/// held in memory whole): the module docs, the API struct and its impl first, then each
/// operation's request builder.
pub fn part_count(group: &Group) -> usize {
    group.operations.len() + 1
}

/// Part `index` of the module (see `part_count`).
pub fn part(service: &Service, group: &Group, index: usize, krate: &str) -> TokenStream {
    match index.checked_sub(1) {
        None => head(service, group, krate),
        Some(index) => group.operations.get(index).map_or_else(TokenStream::new, |op| builder(service, group, op)),
    }
}

/// The module docs, the API struct and its impl with one constructor per operation.
fn head(service: &Service, group: &Group, krate: &str) -> TokenStream {
    let title = &service.title_doc;
    let mut inner_doc = vec![format!("The `{}` operations of the {title}.", group.module)];
    if !group.doc.is_empty() {
        inner_doc.push(String::new());
        inner_doc.extend(group.doc.clone());
    }
    let inner_doc = module_doc_attrs(&inner_doc);
    let uses_deprecated =
        group.operations.iter().any(|op| op.deprecated.is_some() || op.params.iter().any(|p| p.deprecated.is_some()));
    let allow = if uses_deprecated { quote!(#![allow(deprecated)]) } else { quote!() };
    let complexity = type_complexity_allow(group.operations.iter().flat_map(spelled_types));

    let api = group.api_struct.ident();
    let mut api_doc = doc_with(&group.doc, [format!("Returned by `Client::{}()`.", group.module)]);
    let example = super::examples::group(krate, service, group);
    if !example.is_empty() {
        api_doc.push(String::new());
        api_doc.extend(example);
    }
    let api_doc = doc_attrs(&api_doc);
    let constructors = group.operations.iter().map(constructor);
    // A group listed before any of its operations is captured still gets its accessor; its
    // client is then never read.
    let unread = if group.operations.is_empty() { quote!(#[allow(dead_code)]) } else { quote!() };
    quote! {
        #inner_doc
        #allow
        #complexity

        #api_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #api<'a> {
            #unread
            client: &'a super::Client,
        }

        impl<'a> #api<'a> {
            pub(super) fn new(client: &'a super::Client) -> Self {
                Self { client }
            }

            #(#constructors)*
        }
    }
}

/// The types an operation spells, for `type_complexity_allow`: in `Option` (builder fields,
/// accessors), alone (arguments, variants), and the answer in `Result<Response<T>, Error<E>>`.
pub(super) fn spelled_types(op: &Operation) -> Vec<(u32, Vec<(TypeRef, u32)>)> {
    let mut spellings: Vec<(u32, Vec<(TypeRef, u32)>)> = Vec::new();
    let inputs = op.params.iter().map(|param| &param.ty).chain(op.body.iter().map(|body| &body.ty));
    let answers = op.success.responses().iter().filter_map(|response| response.ty.as_ref());
    for ty in inputs.chain(answers) {
        spellings.push((10, vec![(ty.clone(), 2)]));
    }
    let ok = match &op.success {
        SuccessShape::Single(response) => response.ty.clone(),
        SuccessShape::Enum { .. } => None,
    };
    // `Result`, `crate::Response`, `crate::Error`, and the unit or the response enum.
    let around = if ok.is_some() { 10 + 20 + 20 } else { 10 + 20 + 20 + 30 };
    let result = [ok, op.error_body.clone()].into_iter().flatten().map(|ty| (ty, 3)).collect();
    spellings.push((around, result));
    spellings
}

/// The text form of a parameter type in a setter or argument: strings take `impl Into<String>`.
fn argument_type(ty: &TypeRef) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String => (quote!(impl ::std::convert::Into<::std::string::String>), quote!(.into())),
        other => (type_tokens(other, Scope::Sibling), quote!()),
    }
}

fn http_line(op: &Operation) -> String {
    code_span(&format!("{} {}", op.method.as_str(), op.path_template))
}

fn constructor(op: &Operation) -> TokenStream {
    let fn_name = op.fn_name.ident();
    let builder = op.builder.ident();
    let mut notes = vec![http_line(op)];
    if let Some(source) = &op.source_id {
        notes.extend([String::new(), format!("Documented as {}.", code_span(source))]);
    }
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    if !required.is_empty() || op.body.as_ref().is_some_and(|body| body.required) {
        notes.extend([String::new(), "Arguments:".to_owned(), String::new()]);
    }
    for param in &required {
        notes.push(format!("- `{}`: {}", param.ident.unraw(), param_location_note(param)));
    }
    if let Some(body) = op.body.as_ref().filter(|body| body.required) {
        let summary = body.doc.first().cloned().unwrap_or_else(|| "the request body.".to_owned());
        notes.push(format!("- `body`: {}: {summary}", super::bodies::body_note(body)));
    }
    let doc = doc_attrs(&doc_with(&op.doc, notes));
    let deprecated = deprecated_attr(&op.deprecated);
    let args = required.iter().map(|param| {
        let name = param.ident.ident();
        let (ty, _) = argument_type(&param.ty);
        quote!(#name: #ty)
    });
    let body_arg = match &op.body {
        Some(body) if body.required => {
            let (ty, _) = super::bodies::body_argument(body);
            quote!(body: #ty,)
        }
        _ => quote!(),
    };
    let inits = op.params.iter().map(|param| {
        let name = param.ident.ident();
        if param.required {
            let (_, convert) = argument_type(&param.ty);
            if convert.is_empty() {
                quote!(#name,)
            } else {
                quote!(#name: #name #convert,)
            }
        } else {
            quote!(#name: ::std::option::Option::None,)
        }
    });
    let body_init = match &op.body {
        Some(body) if body.required => {
            let (_, convert) = super::bodies::body_argument(body);
            if convert.is_empty() {
                quote!(body,)
            } else {
                quote!(body: body #convert,)
            }
        }
        Some(_) => quote!(body: ::std::option::Option::None,),
        None => quote!(),
    };
    quote! {
        #doc
        #deprecated
        pub fn #fn_name(&self, #(#args,)* #body_arg) -> #builder<'a> {
            #builder {
                client: self.client,
                #(#inits)*
                #body_init
                request_options: ::std::default::Default::default(),
            }
        }
    }
}

fn param_location_note(param: &Param) -> String {
    let place = super::params::place(param);
    let summary = param.doc.first().cloned().unwrap_or_default();
    if summary.is_empty() {
        format!("{place} {}.", code_span(&param.wire_name))
    } else {
        format!("{place} {}: {summary}", code_span(&param.wire_name))
    }
}

/// The type `send` returns in its `Ok`.
pub(super) fn success_type(op: &Operation) -> TokenStream {
    if let Some(connection) = super::upgrade::success_type(op) {
        return connection;
    }
    match &op.success {
        SuccessShape::Single(response) => match &response.ty {
            Some(ty) => super::bodies::answer_type(ty),
            None => quote!(()),
        },
        SuccessShape::Enum { name, .. } => {
            let name = name.ident();
            quote!(#name)
        }
    }
}

pub(super) fn error_type(op: &Operation) -> TokenStream {
    match &op.error_body {
        Some(ty) => {
            let ty = type_tokens(ty, Scope::Sibling);
            quote!(crate::Error<#ty>)
        }
        None => quote!(crate::Error),
    }
}

fn builder(service: &Service, group: &Group, op: &Operation) -> TokenStream {
    let builder = op.builder.ident();
    let doc = format!(
        " Request builder for [`{}::{}`]: set optional parameters, then `send().await`.",
        group.api_struct,
        op.fn_name.unraw()
    );
    let fields = op.params.iter().map(|param| {
        let name = param.ident.ident();
        let ty = type_tokens(&param.ty, Scope::Sibling);
        if param.required {
            quote!(#name: #ty,)
        } else {
            quote!(#name: ::std::option::Option<#ty>,)
        }
    });
    let body_field = match &op.body {
        Some(body) => {
            let ty = super::bodies::body_type(body);
            if body.required {
                quote!(body: #ty,)
            } else {
                quote!(body: ::std::option::Option<#ty>,)
            }
        }
        None => quote!(),
    };
    let setters = op.params.iter().filter(|p| !p.required).map(setter);
    let body_setter = match &op.body {
        Some(body) if !body.required => {
            let (ty, convert) = super::bodies::body_argument(body);
            let doc = doc_attrs(&doc_with(&body.doc, ["The request body (optional).".to_owned()]));
            quote! {
                #doc
                pub fn body(mut self, body: #ty) -> Self {
                    self.body = ::std::option::Option::Some(body #convert);
                    self
                }
            }
        }
        _ => quote!(),
    };
    let send = send(op);
    // `send` returns a future that borrows the client for `'a` (an upgrade's `async fn` elides it).
    let lifetime = if super::upgrade::success_type(op).is_some() { quote!('_) } else { quote!('a) };
    let generics = if super::upgrade::success_type(op).is_some() { quote!() } else { quote!(<'a>) };
    let info = operation_info(service, op);
    let response_enum = response_enum(op);
    let paging = super::pagination::methods(op);
    let background = super::background::send_in_background(op);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `send().await`"]
        pub struct #builder<'a> {
            client: &'a super::Client,
            #(#fields)*
            #body_field
            request_options: crate::RequestOptions,
        }

        impl #generics #builder<#lifetime> {
            #info
            #(#setters)*
            #body_setter

            /// Settings for this call over the client's: a timeout, extra headers (an
            /// idempotency key, say), a retry policy, or the opt-in to retry a POST.
            pub fn request_options(mut self, options: crate::RequestOptions) -> Self {
                self.request_options = options;
                self
            }

            #send
            #background
        }

        #paging
        #response_enum
    }
}

fn setter(param: &Param) -> TokenStream {
    let name = param.ident.ident();
    let (ty, convert) = argument_type(&param.ty);
    let place = super::params::place(param);
    let mut notes = vec![format!("Sent as {place} {}.", code_span(&param.wire_name))];
    notes.extend(super::params::style_note(param).map(str::to_owned));
    let doc = doc_attrs(&doc_with(&param.doc, notes));
    let deprecated = deprecated_attr(&param.deprecated);
    quote! {
        #doc
        #deprecated
        pub fn #name(mut self, value: #ty) -> Self {
            self.#name = ::std::option::Option::Some(value #convert);
            self
        }
    }
}

fn send(op: &Operation) -> TokenStream {
    let method = fixed_ident(op.method.as_str());
    let (segments, path) = path_expr(op);
    let sent_alone = |p: &&Param| !matches!(p.location, ParamLocation::Path | ParamLocation::Cookie);
    let params = op.params.iter().filter(sent_alone).map(|param| {
        let name = param.ident.ident();
        let wire = &param.wire_name;
        let add = match (param.location, &param.ty) {
            (ParamLocation::Query, _) => super::params::query_add(param),
            (_, TypeRef::List(_)) => quote!(request.header(#wire, &value.iter().map(::std::string::ToString::to_string).collect::<::std::vec::Vec<_>>().join(","))),
            _ => quote!(request.header(#wire, value)),
        };
        if param.required {
            quote! {
                let value = &self.#name;
                request = #add;
            }
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#name {
                    request = #add;
                }
            }
        }
    });
    let body = op.body.as_ref().map(super::bodies::set_body);
    let accept = super::bodies::accept(op);
    let cookies = super::params::cookies(op);
    let upgrade = super::upgrade::request(op);
    let redirects = answer_redirects(op);
    let arms = op.success.responses().iter().map(|response| success_arm(op, response));
    let ok = success_type(op);
    let error = error_type(op);
    let mut doc = vec![format!("Sends the request and decodes the answer (status {}).", statuses(op))];
    if let SuccessShape::Single(response) = &op.success {
        if !response.headers.is_empty() {
            doc.push(String::new());
            doc.push(format!("Response headers that matter: {}.", header_list(&response.headers)));
        }
    }
    doc.extend(super::upgrade::doc(op));
    let doc = doc_attrs(&doc);
    let setup = quote! {
        let http = self.client.http();
        #segments
        let mut request = http.request(::reqwest::Method::#method, #path).operation(&Self::OPERATION);
        #upgrade
        #redirects
        #(#params)*
        #cookies
        #body
        #accept
        request = request.options(self.request_options);
    };
    let streaming = super::bodies::send_streaming(op, &setup, &error);
    let arms = quote! {
        #(#arms)*
        _ => ::std::result::Result::Err(response.into_error()),
    };
    // An upgrade awaits the connection in its arm; every other `send` is a plain function that
    // builds the request and returns the runtime's one shared future, far cheaper to check
    // than an `async fn` (a state machine) per operation.
    let send = if super::upgrade::success_type(op).is_some() {
        quote! {
            pub async fn send(self) -> ::std::result::Result<crate::Response<#ok>, #error> {
                #setup
                let response = http.execute(request).await?;
                match response.status() {
                    #arms
                }
            }
        }
    } else {
        quote! {
            pub fn send(self) -> impl ::std::future::Future<Output = ::std::result::Result<crate::Response<#ok>, #error>> + ::std::marker::Send + 'a {
                #setup
                http.call(request, |response| match response.status() {
                    #arms
                })
            }
        }
    };
    quote! {
        #doc
        #send

        #streaming
    }
}

/// The builder's `OPERATION`: what hooks and tracing are told of the operation.
fn operation_info(service: &Service, op: &Operation) -> TokenStream {
    let (module, id, method, path, idempotent) =
        (service.module.as_str(), &op.id, op.method.as_str(), &op.path_template, op.idempotent);
    let doc = format!(" The operation, as hooks and tracing see it: {}.", http_line(op));
    quote! {
        #[doc = #doc]
        pub const OPERATION: crate::OperationInfo = crate::OperationInfo {
            service: #module,
            id: #id,
            method: #method,
            path: #path,
            idempotent: #idempotent,
        };
    }
}

/// An operation that declares a `302 Found` or `303 See Other` gets it as its answer (a download
/// at its `Location`, say): the runtime must not follow it. A declared 301, 307 or 308 says the
/// same request belongs at another URL (a renamed GitHub repository), so it is still followed
/// within the origin, and seen only from another origin. (A 304 is no redirect at all.)
fn answer_redirects(op: &Operation) -> TokenStream {
    let declared = op.success.responses().iter().any(|response| matches!(response.status, 302 | 303));
    if declared {
        quote!(request = request.answer_redirects();)
    } else {
        quote!()
    }
}

fn statuses(op: &Operation) -> String {
    op.success.responses().iter().map(|r| r.status.to_string()).collect::<Vec<_>>().join(", ")
}

fn success_arm(op: &Operation, response: &SuccessResponse) -> TokenStream {
    if let Some(arm) = super::upgrade::arm(response) {
        return arm;
    }
    let status = proc_macro2::Literal::u16_unsuffixed(response.status);
    let read = super::bodies::read(response);
    match (&op.success, &response.ty) {
        (SuccessShape::Single(_), Some(_)) => quote!(#status => #read,),
        (SuccessShape::Single(_), None) => quote!(#status => response.empty(),),
        (SuccessShape::Enum { name, .. }, Some(_)) => {
            let name = name.ident();
            let variant = response.variant.ident();
            quote!(#status => #read.map(|answer| answer.map(#name::#variant)),)
        }
        (SuccessShape::Enum { name, .. }, None) => {
            let name = name.ident();
            let variant = response.variant.ident();
            quote!(#status => response.empty().map(|answer| answer.map(|()| #name::#variant)),)
        }
    }
}

/// Statements binding each encoded path parameter, and the expression of the whole path:
/// `format!("/v1/x/{}", segment_0)`, or a plain string when the path has no parameters.
fn path_expr(op: &Operation) -> (TokenStream, TokenStream) {
    let mut template = String::new();
    let mut bindings = Vec::new();
    let mut args = Vec::new();
    for part in &op.path {
        match part {
            PathPart::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(index) => {
                template.push_str("{}");
                let name = op.params[*index].ident.ident();
                let segment = quote::format_ident!("segment_{}", args.len());
                bindings.push(quote!(let #segment = crate::runtime::encode_path_segment(&self.#name);));
                args.push(segment);
            }
        }
    }
    if args.is_empty() {
        (quote!(), quote!(::std::string::String::from(#template)))
    } else {
        (quote!(#(#bindings)*), quote!(::std::format!(#template, #(#args),*)))
    }
}

fn response_enum(op: &Operation) -> TokenStream {
    let SuccessShape::Enum { name, doc, cases } = &op.success else {
        return quote!();
    };
    let name = name.ident();
    let doc = doc_attrs(doc);
    let variants = cases.iter().map(|case| {
        let variant = case.variant.ident();
        let mut notes = vec![format!("Status {}.", case.status)];
        if !case.headers.is_empty() {
            notes.push(format!("Headers that matter: {}.", header_list(&case.headers)));
        }
        let doc = doc_attrs(&doc_with(&case.doc, notes));
        match &case.ty {
            Some(ty) => {
                let ty = super::bodies::answer_type(ty);
                quote!(#doc #variant(#ty),)
            }
            None => quote!(#doc #variant,),
        }
    });
    // Accessors for the common case (`answer.body.into_ok()`), so callers need not `match`.
    let accessors = cases.iter().map(|case| {
        let variant = case.variant.ident();
        match &case.ty {
            Some(ty) => {
                let ty = super::bodies::answer_type(ty);
                let method = &case.accessor;
                let doc = format!(" The status {} body, if that is what the server answered.", case.status);
                quote! {
                    #[doc = #doc]
                    pub fn #method(self) -> ::std::option::Option<#ty> {
                        match self {
                            Self::#variant(body) => ::std::option::Option::Some(body),
                            // A response enum always has several variants.
                            _ => ::std::option::Option::None,
                        }
                    }
                }
            }
            None => {
                let method = &case.accessor;
                let doc = format!(" Whether the server answered status {}.", case.status);
                quote! {
                    #[doc = #doc]
                    pub fn #method(&self) -> bool {
                        matches!(self, Self::#variant)
                    }
                }
            }
        }
    });
    quote! {
        #doc
        // The variants are returned once per call, so boxing the large ones would buy nothing.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            #(#accessors)*
        }
    }
}

/// The headers as code spans, each typed one with the accessor that reads it.
fn header_list(headers: &[String]) -> String {
    let shown = headers.iter().map(|header| {
        let accessor = match header.to_ascii_lowercase().as_str() {
            "etag" => " (`Response::etag`)",
            "location" => " (`Response::location`: a URL, resolved against the request URL)",
            _ => "",
        };
        format!("{}{accessor}", code_span(header))
    });
    shown.collect::<Vec<_>>().join(", ")
}
