//! Small token helpers shared by the emitters: identifiers, docs and type spellings.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Deprecated, Doc, TypeRef};

/// An identifier of the generator's own (an HTTP method, a crate-root item): never a keyword.
/// Names from the spec are `RustName`s, computed in `lower`.
pub fn fixed_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` attributes, one per line; prettyplease prints them as `///` comments.
pub fn doc_attrs(doc: &Doc) -> TokenStream {
    let lines = doc.iter().map(|line| {
        let text = doc_text(line);
        quote!(#[doc = #text])
    });
    quote!(#(#lines)*)
}

/// A doc line as a `doc` attribute's text: prettyplease prints ` text` as `/// text`.
pub fn doc_text(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// `#![doc = "..."]` attributes for a module's own docs, one per line.
pub fn module_doc_attrs(doc: &Doc) -> TokenStream {
    let lines = doc.iter().map(|line| {
        let text = doc_text(line);
        quote!(#![doc = #text])
    });
    quote!(#(#lines)*)
}

/// Doc lines followed by one more paragraph (skipping the blank line when there is no doc).
pub fn doc_with(doc: &Doc, extra: impl IntoIterator<Item = String>) -> Doc {
    let mut lines = doc.clone();
    let extra: Vec<String> = extra.into_iter().collect();
    if !extra.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(extra);
    }
    lines
}

/// `#[deprecated]`, with the note when there is one.
pub fn deprecated_attr(deprecated: &Option<Deprecated>) -> TokenStream {
    match deprecated {
        None => quote!(),
        Some(Deprecated { note, .. }) if note.is_empty() => quote!(#[deprecated]),
        Some(Deprecated { attr_note, .. }) => quote!(#[deprecated(note = #attr_note)]),
    }
}

/// Where named types are written from.
#[derive(Clone, Copy)]
pub enum Scope {
    /// Inside the service's `types` module.
    Types,
    /// In a sibling module of `types`.
    Sibling,
}

/// The Rust spelling of a type; std paths are fully qualified so no spec name can shadow them.
pub fn type_tokens(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::Date => quote!(crate::Date),
        TypeRef::DateTime => quote!(crate::DateTime),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::ETag => quote!(crate::ETag),
        TypeRef::Secret => quote!(crate::Secret),
        // A file of a multipart form; a binary body and a binary answer are spelled by `bodies`.
        TypeRef::Binary => quote!(crate::FilePart),
        TypeRef::List(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Named { ident: name, boxed } => {
            let name = name.ident();
            let path = match scope {
                Scope::Types => quote!(#name),
                Scope::Sibling => quote!(super::types::#name),
            };
            if *boxed {
                quote!(::std::boxed::Box<#path>)
            } else {
                path
            }
        }
    }
}

/// `#![allow(clippy::type_complexity)]` when one of these spellings would trip that lint: the
/// spec spells nested types inline (`map<map<list<T>>>`), so there is no name to factor out.
/// Each entry is a type and how deep it sits in the spelled type (1: alone, 2: in an `Option`,
/// 3: in `Result<Response<T>, Error<E>>`), with the score of what surrounds it.
pub fn type_complexity_allow(spellings: impl IntoIterator<Item = (u32, Vec<(TypeRef, u32)>)>) -> TokenStream {
    // clippy's score: every path or tuple type adds 10 × its nesting depth; over 250 warns.
    fn score(ty: &TypeRef, nest: u32) -> u32 {
        10 * nest
            + match ty {
                TypeRef::List(inner) => score(inner, nest + 1),
                TypeRef::Map(inner) => 10 * (nest + 1) + score(inner, nest + 1),
                TypeRef::Named { boxed: true, .. } => 10 * (nest + 1),
                _ => 0,
            }
    }
    let complex = spellings
        .into_iter()
        .any(|(around, types)| around + types.iter().map(|(ty, nest)| score(ty, *nest)).sum::<u32>() > 250);
    if complex {
        quote!(#![allow(clippy::type_complexity)])
    } else {
        quote!()
    }
}
