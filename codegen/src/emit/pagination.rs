//! Emits `into_stream()` and `collect_all()` on the request builder of a paginated operation (glue over `runtime::paging`).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, type_tokens, Scope};
use super::operations::{error_type, success_type};
use crate::docs::code_span;
use crate::model::{Operation, Pagination, PaginationStyle, SuccessShape};

/// The paging methods of `op`'s builder, or nothing when it is not paginated.
pub fn methods(op: &Operation) -> TokenStream {
    let Some(pagination) = &op.pagination else { return quote!() };
    let builder = ident(&op.builder);
    let item = type_tokens(&pagination.item, Scope::Sibling);
    let error = error_type(op);
    let error_body = match &op.error_body {
        Some(ty) => type_tokens(ty, Scope::Sibling),
        None => quote!(crate::NoErrorBody),
    };
    let position = &op.params[pagination.position];
    let size = &op.params[pagination.size];
    let (position_field, size_field) = (ident(&position.ident), ident(&size.ident));
    let (position_wire, size_wire) = (&position.wire_name, &size.wire_name);
    let read = |param: &crate::model::Param, field: &proc_macro2::Ident| {
        if param.required {
            quote!(::std::option::Option::Some(crate::runtime::page_value(self.#field)))
        } else {
            quote!(self.#field.map(crate::runtime::page_value))
        }
    };
    let (start, size_value) = (read(position, &position_field), read(size, &size_field));
    let position_set = if position.required {
        quote!(request.#position_field = crate::runtime::page_param(page.position, #position_wire)?;)
    } else {
        quote!(request.#position_field = ::std::option::Option::Some(crate::runtime::page_param(page.position, #position_wire)?);)
    };
    let size_set = if size.required {
        quote!(request.#size_field = crate::runtime::page_param(size, #size_wire)?;)
    } else {
        quote!(request.#size_field = ::std::option::Option::Some(crate::runtime::page_param(size, #size_wire)?);)
    };
    let style = match pagination.style {
        PaginationStyle::PageNumber { first } => quote!(crate::runtime::PageStyle::PageNumber { first: #first }),
        PaginationStyle::OffsetLimit => quote!(crate::runtime::PageStyle::OffsetLimit),
    };
    let max = match pagination.max_page_size {
        Some(max) => quote!(::std::option::Option::Some(#max)),
        None => quote!(::std::option::Option::None),
    };
    let cleared: Vec<TokenStream> = pagination
        .cleared
        .iter()
        .map(|&index| {
            let field = ident(&op.params[index].ident);
            quote!(template.#field = ::std::option::Option::None;)
        })
        .collect();
    let template = if cleared.is_empty() { quote!(let template = self;) } else { quote!(let mut template = self;) };
    let items = items_of(op, pagination);
    let doc = stream_doc(op, pagination);
    quote! {
        impl<'a> #builder<'a> {
            #(#[doc = #doc])*
            pub fn into_stream(self) -> impl crate::runtime::Stream<Item = ::std::result::Result<#item, #error>> + ::std::marker::Send + 'a {
                let pager = crate::runtime::Pager::new(#style, #start, #size_value, #max);
                #template
                #(#cleared)*
                crate::runtime::paginate(pager, move |page: crate::runtime::PageRequest| -> crate::runtime::PageFuture<'a, #item, #error_body> {
                    let mut request = template.clone();
                    ::std::boxed::Box::pin(async move {
                        #position_set
                        if let ::std::option::Option::Some(size) = page.size {
                            #size_set
                        }
                        let answer = request.send().await?;
                        #items
                    })
                })
            }

            /// Reads every page (see [`Self::into_stream`]) and returns all their items, or the
            /// first error.
            pub async fn collect_all(self) -> ::std::result::Result<::std::vec::Vec<#item>, #error> {
                crate::runtime::collect_all(self.into_stream()).await
            }
        }
    }
}

/// The statements taking a page's items out of `answer`.
fn items_of(op: &Operation, pagination: &Pagination) -> TokenStream {
    let from_body = |body: TokenStream| match &pagination.items_field {
        None => body,
        Some(field) => {
            let field = ident(&field.ident);
            if pagination.items_field.as_ref().is_some_and(|field| field.optional) {
                quote!(#body.#field.unwrap_or_default())
            } else {
                quote!(#body.#field)
            }
        }
    };
    match (&op.success, &pagination.variant) {
        (SuccessShape::Enum { .. }, Some(variant)) => {
            let variant = ident(variant);
            let items = from_body(quote!(body));
            let answer = success_type(op);
            quote! {
                let status = answer.status.as_u16();
                match answer.body {
                    #answer::#variant(body) => ::std::result::Result::Ok(#items),
                    _ => ::std::result::Result::Err(crate::runtime::no_items(status)),
                }
            }
        }
        _ => {
            let items = from_body(quote!(answer.body));
            quote!(::std::result::Result::Ok(#items))
        }
    }
}

fn stream_doc(op: &Operation, pagination: &Pagination) -> Vec<String> {
    let position = code_span(&op.params[pagination.position].wire_name);
    let size = code_span(&op.params[pagination.size].wire_name);
    let mut doc =
        vec![" The items of every page, one request per page as the stream is read.".to_owned(), String::new()];
    doc.push(match pagination.style {
        PaginationStyle::PageNumber { first } => format!(
            " Pages are numbered by {position} from the value set on the builder, else {first}; {size} is the page size."
        ),
        PaginationStyle::OffsetLimit => format!(
            " {position} is the offset of a page's first item, from the value set on the builder, else 0; {size} is the page size."
        ),
    });
    doc.push(match pagination.max_page_size {
        Some(max) => format!(" The page size set on the builder is capped at {max}, the documented maximum (the default)."),
        None => " Without a page size set on the builder the server's default applies, and only an empty page ends the walk.".to_owned(),
    });
    doc.push(
        " A page shorter than the page size, or an empty one, is the last. A failing page ends the stream with its error."
            .to_owned(),
    );
    if !pagination.doc.is_empty() {
        doc.push(String::new());
        doc.extend(pagination.doc.iter().map(|line| format!(" {line}")));
    }
    doc
}
