//! Emits a union type: an enum of its variants with `Serialize`/`Deserialize` that read the JSON once.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, doc_with, type_tokens, Scope};
use crate::docs::code_span;
use crate::model::{TypeRef, UnionDef};

/// A `#[non_exhaustive]` enum with a tuple variant per spec variant (and the raw JSON of an
/// unknown one when the union is open). Decoding reads the value once into a
/// `serde_json::Value`; a tagged union then decodes the one variant its tag names, an untagged one
/// tries each variant on the borrowed value in turn, so the work stays linear in the answer.
pub fn union_tokens(union: &UnionDef) -> TokenStream {
    let name = union.ident.ident();
    let other = union.other_variant.ident();
    let mut notes = vec![format!("Spec name: {}.", code_span(&union.wire_name))];
    notes.push(match &union.discriminator {
        Some(field) => format!("Tagged: the JSON object's {} property names the variant.", code_span(field)),
        None => "Untagged: a value is the first variant, in this order, that decodes it.".to_owned(),
    });
    if union.open {
        notes.push(format!(
            "The documents do not promise this list is complete: a value this client does not know is kept in `{}` as received, and sent back unchanged.",
            union.other_variant
        ));
    }
    let doc = doc_attrs(&doc_with(&union.doc, notes));
    let eq = if union.has_float { quote!() } else { quote!(Eq,) };
    let variants = union.variants.iter().map(|variant| {
        let variant_name = variant.ident.ident();
        let ty = type_tokens(&variant.ty, Scope::Types);
        let notes = match &variant.tag {
            Some(tag) => format!("Tag: {}.", code_span(tag)),
            None => format!("A {} value.", code_span(&spelled(&variant.ty))),
        };
        let notes = [notes];
        let doc = doc_attrs(&doc_with(&variant.doc, notes));
        quote!(#doc #variant_name(#ty),)
    });
    let other_variant = if union.open {
        quote! {
            /// A value this client does not know, kept as received.
            #other(::serde_json::Value),
        }
    } else {
        quote!()
    };
    let (serialize, deserialize) = match &union.discriminator {
        Some(field) => tagged_impls(union, field),
        None => untagged_impls(union),
    };
    quote! {
        #doc
        // Variant sizes are the document's; boxing them all would cost every caller a `Box::new`.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq, #eq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #other_variant
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #deserialize
            }
        }
    }
}

fn tagged_impls(union: &UnionDef, field: &str) -> (TokenStream, TokenStream) {
    let other = union.other_variant.ident();
    let wire_name = &union.wire_name;
    let variants: Vec<_> = union.variants.iter().map(|variant| variant.ident.ident()).collect();
    let tags: Vec<&str> = union.variants.iter().map(|variant| variant.tag.as_deref().unwrap_or_default()).collect();
    let (other_write, other_read) = if union.open {
        (
            quote!(Self::#other(value) => ::serde::Serialize::serialize(value, serializer),),
            quote!(_ => ::std::result::Result::Ok(Self::#other(value)),),
        )
    } else {
        (
            quote!(),
            quote!(tag => ::std::result::Result::Err(crate::runtime::unions::unknown_tag(#wire_name, #field, tag, &[#(#tags),*])),),
        )
    };
    let serialize = quote! {
        match self {
            #(Self::#variants(value) => crate::runtime::unions::serialize_tagged(serializer, #field, #tags, value),)*
            #other_write
        }
    };
    let deserialize = quote! {
        match crate::runtime::unions::tag_of(&value, #field).as_deref() {
            #(::std::option::Option::Some(#tags) => crate::runtime::unions::variant(value).map(Self::#variants),)*
            #other_read
        }
    };
    (serialize, deserialize)
}

fn untagged_impls(union: &UnionDef) -> (TokenStream, TokenStream) {
    let other = union.other_variant.ident();
    let wire_name = &union.wire_name;
    let variants: Vec<_> = union.variants.iter().map(|variant| variant.ident.ident()).collect();
    let (other_write, fallback) = if union.open {
        (
            quote!(Self::#other(value) => ::serde::Serialize::serialize(value, serializer),),
            quote!(::std::result::Result::Ok(Self::#other(value))),
        )
    } else {
        (quote!(), quote!(::std::result::Result::Err(crate::runtime::unions::no_variant(#wire_name))))
    };
    let serialize = quote! {
        match self {
            #(Self::#variants(value) => ::serde::Serialize::serialize(value, serializer),)*
            #other_write
        }
    };
    let deserialize = quote! {
        #(
            if let ::std::option::Option::Some(found) = crate::runtime::unions::try_variant(&value) {
                return ::std::result::Result::Ok(Self::#variants(found));
            }
        )*
        #fallback
    };
    (serialize, deserialize)
}

/// The type in the spec's grammar, for a variant's doc line.
fn spelled(ty: &TypeRef) -> String {
    ty.spell(&|ident| ident.unraw().to_owned())
}
