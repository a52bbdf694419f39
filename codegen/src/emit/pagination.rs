//! Emits `into_stream()` and `collect_all()` on the request builder of a paginated operation (glue over `runtime::paging`).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{type_tokens, Scope};
use super::operations::{error_type, success_type};
use crate::docs::code_span;
use crate::model::{Operation, Pagination, PaginationStyle, SuccessShape};

/// The paging methods of `op`'s builder, or nothing when it is not paginated.
pub fn methods(op: &Operation) -> TokenStream {
    let Some(pagination) = &op.pagination else { return quote!() };
    let builder = op.builder.ident();
    let item = type_tokens(&pagination.item, Scope::Sibling);
    let error = error_type(op);
    let error_body = match &op.error_body {
        Some(ty) => type_tokens(ty, Scope::Sibling),
        None => quote!(crate::NoErrorBody),
    };
    let position = &op.params[pagination.position];
    let position_field = position.ident.ident();
    let position_wire = &position.wire_name;
    let read = |param: &crate::model::Param, field: &proc_macro2::Ident| {
        if param.required {
            quote!(::std::option::Option::Some(crate::runtime::page_value(self.#field)))
        } else {
            quote!(self.#field.map(crate::runtime::page_value))
        }
    };
    let size = pagination.size.map(|index| &op.params[index]);
    let size_value = match size {
        Some(size) => read(size, &size.ident.ident()),
        None => quote!(::std::option::Option::None),
    };
    let size_set = size.map(|size| {
        let (size_field, size_wire) = (size.ident.ident(), &size.wire_name);
        let value = quote!(crate::runtime::page_param(size, #size_wire)?);
        let set = if size.required {
            quote!(request.#size_field = #value;)
        } else {
            quote!(request.#size_field = ::std::option::Option::Some(#value);)
        };
        quote! {
            if let ::std::option::Option::Some(size) = page.size {
                #set
            }
        }
    });
    let max = match pagination.max_page_size {
        Some(max) => quote!(::std::option::Option::Some(#max)),
        None => quote!(::std::option::Option::None),
    };
    // The cursor parameter is an optional string (lower checks it): the first page has none.
    let (pager, position_set) = match pagination.style {
        PaginationStyle::Cursor => (
            quote!(crate::runtime::Pager::cursor(self.#position_field.clone(), #size_value, #max)),
            quote!(request.#position_field = page.cursor;),
        ),
        style => {
            let style = match style {
                PaginationStyle::PageNumber { first } => {
                    quote!(crate::runtime::PageStyle::PageNumber { first: #first })
                }
                _ => quote!(crate::runtime::PageStyle::OffsetLimit),
            };
            let start = read(position, &position_field);
            let value = quote!(crate::runtime::page_param(page.position, #position_wire)?);
            let set = if position.required {
                quote!(request.#position_field = #value;)
            } else {
                quote!(request.#position_field = ::std::option::Option::Some(#value);)
            };
            (quote!(crate::runtime::Pager::new(#style, #start, #size_value, #max)), set)
        }
    };
    let cleared: Vec<TokenStream> = pagination
        .cleared
        .iter()
        .map(|&index| {
            let field = op.params[index].ident.ident();
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
                let pager = #pager;
                #template
                #(#cleared)*
                crate::runtime::paginate(pager, move |page: crate::runtime::PageRequest| -> crate::runtime::PageFuture<'a, #item, #error_body> {
                    let mut request = template.clone();
                    ::std::boxed::Box::pin(async move {
                        #position_set
                        #size_set
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

/// The statements taking a page's items (and the cursor style's next cursor) out of `answer`.
fn items_of(op: &Operation, pagination: &Pagination) -> TokenStream {
    let page = |body: TokenStream| {
        let items = match &pagination.items_field {
            None => body.clone(),
            Some(field) => {
                let name = field.ident.ident();
                if field.tristate {
                    quote!(#body.#name.into_value().unwrap_or_default())
                } else if field.optional {
                    quote!(#body.#name.unwrap_or_default())
                } else {
                    quote!(#body.#name)
                }
            }
        };
        match &pagination.next_cursor {
            None => quote!(crate::runtime::Page::items(#items)),
            // Two fields moved out of one body: the items and the cursor.
            Some(field) => {
                let name = field.ident.ident();
                let next = if field.tristate {
                    quote!(#body.#name.into_value())
                } else if field.optional {
                    quote!(#body.#name)
                } else {
                    quote!(::std::option::Option::Some(#body.#name))
                };
                quote!(crate::runtime::Page { next_cursor: #next, items: #items })
            }
        }
    };
    match (&op.success, &pagination.variant) {
        (SuccessShape::Enum { .. }, Some(variant)) => {
            let variant = variant.ident();
            let page = page(quote!(body));
            let answer = success_type(op);
            quote! {
                let status = answer.status.as_u16();
                match answer.body {
                    #answer::#variant(body) => ::std::result::Result::Ok(#page),
                    _ => ::std::result::Result::Err(crate::runtime::no_items(status)),
                }
            }
        }
        _ => {
            let page = page(quote!(answer.body));
            quote!(::std::result::Result::Ok(#page))
        }
    }
}

fn stream_doc(op: &Operation, pagination: &Pagination) -> Vec<String> {
    let position = code_span(&op.params[pagination.position].wire_name);
    let size = pagination.size.map(|index| code_span(&op.params[index].wire_name));
    let size_sentence = size.as_ref().map(|size| format!(" {size} is the page size.")).unwrap_or_default();
    let mut doc =
        vec![" The items of every page, one request per page as the stream is read.".to_owned(), String::new()];
    doc.push(match pagination.style {
        PaginationStyle::PageNumber { first } => {
            format!(" Pages are numbered by {position} from the value set on the builder, else {first};{size_sentence}")
        }
        PaginationStyle::OffsetLimit => format!(
            " {position} is the offset of a page's first item, from the value set on the builder, else 0;{size_sentence}"
        ),
        PaginationStyle::Cursor => {
            let next = pagination.next_cursor.as_ref().map_or(String::new(), |field| code_span(field.ident.unraw()));
            format!(
                " Each page's {next} is sent as {position} to ask for the next one, starting from the value set on the builder, else none (the first page).{size_sentence}"
            )
        }
    });
    let cursor = pagination.style == PaginationStyle::Cursor;
    match (size.is_some(), pagination.max_page_size) {
        (true, Some(max)) => doc.push(format!(
            " The page size set on the builder is capped at {max}, the documented maximum (the default)."
        )),
        (true, None) if !cursor => doc.push(
            " Without a page size set on the builder the server's default applies, and only an empty page ends the walk."
                .to_owned(),
        ),
        _ => {}
    }
    doc.push(match pagination.style {
        _ if cursor => " A page without a next cursor is the last. A failing page ends the stream with its error.".to_owned(),
        _ => " A page shorter than the page size, or an empty one, is the last. A failing page ends the stream with its error."
            .to_owned(),
    });
    doc.push(
        " A page that repeats the one before (the same first item or cursor) ends the stream with an error: the server ignores the page parameter."
            .to_owned(),
    );
    if !pagination.doc.is_empty() {
        doc.push(String::new());
        doc.extend(pagination.doc.iter().map(|line| format!(" {line}")));
    }
    doc
}
