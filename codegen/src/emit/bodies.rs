//! A request builder's body glue (JSON, form fields, multipart parts, bytes, text) and how each
//! success body is read (JSON, text, bytes, or streamed by `send_streaming`).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, type_tokens, Scope};
use crate::model::{Body, BodyEncoding, FormField, Operation, ResponseContent, SuccessResponse, SuccessShape, TypeRef};

/// Whether any of these operations streams: a binary body may be a stream, and a binary answer
/// is read as one by `send_streaming` (the `streaming-runtime` feature).
pub fn streams<'a>(operations: impl IntoIterator<Item = &'a Operation>) -> bool {
    operations
        .into_iter()
        .any(|op| op.body.as_ref().is_some_and(|body| body.encoding == BodyEncoding::Binary) || streamed(op).is_some())
}

/// The answer `send_streaming` reads as a stream: the operation's one success, when it is bytes.
fn streamed(op: &Operation) -> Option<&SuccessResponse> {
    match &op.success {
        SuccessShape::Single(response) if response.ty.is_some() && response.content == ResponseContent::Binary => {
            Some(response)
        }
        _ => None,
    }
}

/// The type of the builder's `body` field.
pub fn body_type(body: &Body) -> TokenStream {
    match body.encoding {
        BodyEncoding::Binary => quote!(crate::BinaryBody),
        _ => type_tokens(&body.ty, Scope::Sibling),
    }
}

/// The type of a body argument or setter, and the conversion into the field: bytes and text
/// take anything that converts.
pub fn body_argument(body: &Body) -> (TokenStream, TokenStream) {
    match body.encoding {
        BodyEncoding::Binary => (quote!(impl ::std::convert::Into<crate::BinaryBody>), quote!(.into())),
        BodyEncoding::Text => (quote!(impl ::std::convert::Into<::std::string::String>), quote!(.into())),
        _ => (type_tokens(&body.ty, Scope::Sibling), quote!()),
    }
}

/// How the constructor's docs name the body.
pub fn body_note(body: &Body) -> &'static str {
    match body.encoding {
        BodyEncoding::Json => "JSON request body",
        BodyEncoding::Form(_) => "form request body (`application/x-www-form-urlencoded`)",
        BodyEncoding::Multipart(_) => "multipart request body (`multipart/form-data`)",
        BodyEncoding::Binary => "binary request body (bytes, or `BinaryBody::stream` for a large upload)",
        BodyEncoding::Text => "text request body",
    }
}

/// How a success body is spelled: bytes are `crate::Bytes`.
pub fn answer_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Binary => quote!(crate::Bytes),
        other => type_tokens(other, Scope::Sibling),
    }
}

/// The statements that set the request body from `self.body`.
pub fn set_body(body: &Body) -> TokenStream {
    if body.encoding == BodyEncoding::Json {
        return if body.required {
            quote!(request = request.json(&self.body);)
        } else {
            quote! {
                if let ::std::option::Option::Some(body) = &self.body {
                    request = request.json(body);
                }
            }
        };
    }
    let content_type = &body.content_type;
    let set = |value: TokenStream| match &body.encoding {
        BodyEncoding::Json => quote!(request = request.json(&#value);),
        BodyEncoding::Text => quote!(request = request.text(#content_type, &#value);),
        BodyEncoding::Binary => quote!(request = request.binary(#content_type, #value);),
        BodyEncoding::Form(fields) => {
            let form = form(fields, &value);
            quote! {
                #form
                request = request.form(#content_type, form);
            }
        }
        BodyEncoding::Multipart(fields) => {
            let form = form(fields, &value);
            quote! {
                #form
                request = request.multipart(form);
            }
        }
    };
    if body.required {
        set(quote!(self.body))
    } else {
        let set = set(quote!(body));
        quote! {
            if let ::std::option::Option::Some(body) = self.body {
                #set
            }
        }
    }
}

/// `let form = …;` with one pair or part per field value, in field order.
fn form(fields: &[FormField], value: &TokenStream) -> TokenStream {
    if fields.is_empty() {
        return quote!(let form = crate::runtime::Form::new(););
    }
    let adds = fields.iter().map(|field| {
        let name = field.ident.ident();
        let wire = &field.wire_name;
        let add = if field.file { quote!(form.file(#wire, value);) } else { quote!(form.text(#wire, value);) };
        match (field.optional, field.list) {
            (false, false) => quote! {
                let value = &fields.#name;
                #add
            },
            (true, false) if field.tristate => quote! {
                if let ::std::option::Option::Some(value) = fields.#name.value() {
                    #add
                }
            },
            (true, false) => quote! {
                if let ::std::option::Option::Some(value) = &fields.#name {
                    #add
                }
            },
            (false, true) => quote! {
                for value in &fields.#name {
                    #add
                }
            },
            (true, true) if field.tristate => quote! {
                for value in fields.#name.value().into_iter().flatten() {
                    #add
                }
            },
            (true, true) => quote! {
                for value in fields.#name.iter().flatten() {
                    #add
                }
            },
        }
    });
    quote! {
        let fields = &#value;
        let mut form = crate::runtime::Form::new();
        #(#adds)*
    }
}

/// `request = request.accept(..);` when some answer is not `application/json`: the media types
/// of the answers with a body, each once, in status order.
pub fn accept(op: &Operation) -> TokenStream {
    let mut types: Vec<&str> = Vec::new();
    for response in op.success.responses() {
        if let (Some(_), Some(content_type)) = (&response.ty, &response.content_type) {
            if !types.contains(&content_type.as_str()) {
                types.push(content_type);
            }
        }
    }
    if types.iter().all(|content_type| *content_type == "application/json") {
        return quote!();
    }
    let accept = types.join(", ");
    quote!(request = request.accept(#accept);)
}

/// The call that reads a success body.
pub fn read(response: &SuccessResponse) -> TokenStream {
    match response.content {
        ResponseContent::Json => quote!(response.json()),
        ResponseContent::Text => quote!(response.text()),
        ResponseContent::Binary => quote!(response.bytes()),
    }
}

/// The mock reply for a success body.
pub fn mock_reply(response: &SuccessResponse, status: &proc_macro2::Literal, value: TokenStream) -> TokenStream {
    let content_type = response.content_type.as_deref().unwrap_or("application/json");
    match response.content {
        ResponseContent::Json => quote!(crate::runtime::mock::Reply::json(#status, #value)),
        ResponseContent::Text => {
            quote!(crate::runtime::mock::Reply::raw(#status, #content_type, ::std::string::String::as_bytes(#value)))
        }
        ResponseContent::Binary => quote!(crate::runtime::mock::Reply::raw(#status, #content_type, #value)),
    }
}

/// `send_streaming`, for an operation whose one answer is bytes: `setup` builds the request
/// as `send` does.
pub fn send_streaming(op: &Operation, setup: &TokenStream, error: &TokenStream) -> TokenStream {
    let Some(response) = streamed(op) else { return quote!() };
    let status = proc_macro2::Literal::u16_unsuffixed(response.status);
    let doc = doc_attrs(&vec![
        format!(
            "Sends the request and returns the status {} answer with its body unread: a stream of chunks the",
            response.status
        ),
        "caller reads as they arrive ([`crate::ByteStream::next_chunk`]), with no limit on its size, unlike".to_owned(),
        "`send`, which reads the body into memory within `ClientConfig::max_response_bytes`. An error status"
            .to_owned(),
        "is read and returned as `send` returns it.".to_owned(),
    ]);
    quote! {
        #doc
        pub async fn send_streaming(self) -> ::std::result::Result<crate::Response<crate::ByteStream>, #error> {
            #setup
            match http.execute_streaming(request, #status).await? {
                ::std::result::Result::Ok(answer) => ::std::result::Result::Ok(answer),
                ::std::result::Result::Err(response) => ::std::result::Result::Err(response.into_error()),
            }
        }
    }
}
