//! Emits a service's `types` module: DTO structs, enums that keep unknown values, aliases.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{deprecated_attr, doc_attrs, doc_with, type_complexity_allow, type_tokens, Scope};
use crate::docs::code_span;
use crate::model::{AliasDef, EnumDef, EnumRepr, Field, ObjectDef, Service, TypeDef, WireValue};

/// How a service's fields travel, for the "JSON name" / "XML element" line of their docs.
#[derive(Clone, Copy)]
enum WireFormat {
    Json,
    Xml,
}

fn wire_format(service: &Service) -> WireFormat {
    if service.soap.is_some() {
        WireFormat::Xml
    } else {
        WireFormat::Json
    }
}

/// The module in parts, rendered independently (so on every core): the module's inner
/// attributes, then one part per type. (The driver adds the XML impls of a SOAP service's
/// types as a last part.)
pub fn part_count(service: &Service) -> usize {
    service.types.len() + 1
}

/// Part `index` of the module (see `part_count`).
pub fn part(service: &Service, index: usize) -> TokenStream {
    match index.checked_sub(1).map(|index| service.types.get(index)) {
        None => head(service),
        Some(Some(TypeDef::Object(object))) => object_tokens(object, wire_format(service)),
        Some(Some(TypeDef::Enum(enumeration))) => enum_tokens(enumeration),
        Some(Some(TypeDef::Alias(alias))) => alias_tokens(alias),
        Some(Some(TypeDef::Union(union))) => super::unions::union_tokens(union),
        Some(None) => quote!(),
    }
}

/// The module's inner attributes: its doc and the lints its items need allowed.
fn head(service: &Service) -> TokenStream {
    let module_doc = format!(" Data types of the {} (request and response bodies, enums).", service.title_doc);
    let uses_deprecated = service.types.iter().any(|def| match def {
        TypeDef::Object(object) => object.deprecated.is_some() || object.fields.iter().any(|f| f.deprecated.is_some()),
        TypeDef::Enum(enumeration) => enumeration.members.iter().any(|m| m.deprecated.is_some()),
        TypeDef::Alias(_) | TypeDef::Union(_) => false,
    });
    // Derives and sibling types read deprecated items; callers still see the warnings.
    let allow = if uses_deprecated { quote!(#![allow(deprecated)]) } else { quote!() };
    // Fields are spelled alone or in an `Option`; aliases are the lint's own remedy.
    let fields = service.types.iter().filter_map(|def| match def {
        TypeDef::Object(object) => Some(&object.fields),
        _ => None,
    });
    // Every field is also spelled inside `Into<..>`, as `new`'s argument or its setter's.
    // A tri-state field's setter spells `Into<Nullable<T>>`, one level deeper.
    let complexity = type_complexity_allow(
        fields.flatten().map(|field| (10, vec![(field.ty.clone(), if field.tristate { 3 } else { 2 })])),
    );
    quote! {
        #![doc = #module_doc]
        #allow
        #complexity
    }
}

/// A struct, `#[non_exhaustive]` so that a field added later is a minor change: callers build it
/// with `new` (the required fields) and the `with_<field>` setters, and read its public fields.
fn object_tokens(object: &ObjectDef, format: WireFormat) -> TokenStream {
    let name = object.ident.ident();
    let doc = doc_attrs(&doc_with(&object.doc, [format!("Spec name: {}.", code_span(&object.wire_name))]));
    let deprecated = deprecated_attr(&object.deprecated);
    let eq = if object.has_float { quote!() } else { quote!(Eq,) };
    let default = if object.all_optional { quote!(Default,) } else { quote!() };
    let constructors = constructors(object);
    let fields = object.fields.iter().map(|field| {
        let field_name = field.ident.ident();
        let wire = &field.wire_name;
        let mut notes = vec![match format {
            WireFormat::Json => format!("JSON name: {}.", code_span(wire)),
            WireFormat::Xml => format!("XML element {}.", code_span(wire)),
        }];
        if field.read_only {
            notes.push("Read-only: set by the server, ignored in requests.".to_owned());
        }
        let doc = doc_attrs(&doc_with(&field.doc, notes));
        let deprecated = deprecated_attr(&field.deprecated);
        let ty = type_tokens(&field.ty, Scope::Types);
        let (ty, serde) = match (field.optional, field.skip_if_none) {
            // Optional and nullable: left out when `Absent`, `null` when `Null`.
            _ if field.tristate => (
                quote!(crate::Nullable<#ty>),
                quote!(#[serde(rename = #wire, default, skip_serializing_if = "crate::Nullable::is_absent")]),
            ),
            (false, _) => (ty, quote!(#[serde(rename = #wire)])),
            (true, true) => (
                quote!(::std::option::Option<#ty>),
                quote!(#[serde(rename = #wire, default, skip_serializing_if = "::std::option::Option::is_none")]),
            ),
            // Required but nullable: always sent, `null` when `None`.
            (true, false) => (quote!(::std::option::Option<#ty>), quote!(#[serde(rename = #wire)])),
        };
        quote! {
            #doc
            #deprecated
            #serde
            pub #field_name: #ty,
        }
    });
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, #eq #default ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #constructors
    }
}

/// `new` with the fields that are not an `Option` as arguments, in spec order, and a setter per
/// field. Setters take `impl Into<T>` (an `Option<T>` field's takes `T`), so a field that becomes
/// optional keeps its setter's signature, and deprecated fields need never be named.
fn constructors(object: &ObjectDef) -> TokenStream {
    let name = object.ident.ident();
    let required: Vec<&Field> = object.fields.iter().filter(|field| !field.optional).collect();
    let params = required.iter().map(|field| {
        let field_name = field.ident.ident();
        let ty = argument_type(&field.ty);
        quote!(#field_name: #ty)
    });
    let values = object.fields.iter().map(|field| {
        let field_name = field.ident.ident();
        if field.tristate {
            quote!(#field_name: crate::Nullable::Absent)
        } else if field.optional {
            quote!(#field_name: ::std::option::Option::None)
        } else if takes_as_is(&field.ty) {
            // Shorthand, as clippy's `redundant_field_names` asks.
            quote!(#field_name)
        } else {
            quote!(#field_name: #field_name.into())
        }
    });
    // No "a `Name`": the article would depend on how the name sounds.
    let unset =
        if object.fields.iter().any(|field| field.tristate) { "`None` or `Nullable::Absent`" } else { "`None`" };
    let new_doc = if required.is_empty() {
        format!(
            " Builds the value with every field {unset} (the same as `Default`); set fields with the `with_` methods."
        )
    } else {
        let list: Vec<String> = required.iter().map(|field| format!("`{}`", field.ident.unraw())).collect();
        format!(
            " Builds the value from its required fields ({}); every other field is {unset} until set with its `with_` method.",
            list.join(", ")
        )
    };
    // clippy's `too_many_arguments` counts more than 7; the spec decides how many are required.
    let many = if required.len() > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };
    let setters = object.fields.iter().map(|field| {
        let field_name = field.ident.ident();
        let setter = field.setter.ident();
        let ty = argument_type(&field.ty);
        let deprecated = deprecated_attr(&field.deprecated);
        let value = argument_value(&field.ty, &quote!(value));
        if field.tristate {
            // `with_x(5)` sets a value, `with_x(Nullable::Null)` sends `null`.
            let doc = format!(
                " Sets `{}`: a value, or `Nullable::Null` to send `null` (left out while `Nullable::Absent`).",
                field.ident.unraw()
            );
            let spelled = type_tokens(&field.ty, Scope::Types);
            return quote! {
                #[doc = #doc]
                #deprecated
                #[must_use]
                pub fn #setter(mut self, value: impl ::std::convert::Into<crate::Nullable<#spelled>>) -> Self {
                    self.#field_name = value.into();
                    self
                }
            };
        }
        let (doc, value) = if field.optional {
            (format!(" Sets `{}` to `Some(value)`.", field.ident.unraw()), quote!(::std::option::Option::Some(#value)))
        } else {
            (format!(" Sets `{}`.", field.ident.unraw()), value)
        };
        quote! {
            #[doc = #doc]
            #deprecated
            #[must_use]
            pub fn #setter(mut self, value: #ty) -> Self {
                self.#field_name = #value;
                self
            }
        }
    });
    quote! {
        impl #name {
            #[doc = #new_doc]
            #many
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#values,)*
                }
            }
            #(#setters)*
        }
    }
}

fn enum_tokens(enumeration: &EnumDef) -> TokenStream {
    let name = enumeration.ident.ident();
    let other = enumeration.other_variant.ident();
    let mut notes = vec![format!("Spec name: {}.", code_span(&enumeration.wire_name))];
    if enumeration.open {
        notes.push(format!(
            "The documents do not promise this list is complete: a value this client does not know is kept in `{}` instead of failing to decode.",
            enumeration.other_variant
        ));
    }
    let doc = doc_attrs(&doc_with(&enumeration.doc, notes));
    let variants = enumeration.members.iter().map(|member| {
        let variant = member.ident.ident();
        let shown = match &member.value {
            WireValue::String(text) => code_span(text),
            WireValue::Integer(number) => format!("`{number}`"),
        };
        let doc = doc_attrs(&doc_with(&member.doc, [format!("Wire value: {shown}.")]));
        let deprecated = deprecated_attr(&member.deprecated);
        quote!(#doc #deprecated #variant,)
    });
    let (other_variant, other_doc) = match (enumeration.open, enumeration.repr) {
        (false, _) => (quote!(), quote!()),
        (true, EnumRepr::String) => (
            quote!(#other(::std::string::String),),
            quote!(#[doc = " A value this client does not know, as received."]),
        ),
        (true, EnumRepr::Integer) => {
            (quote!(#other(i64),), quote!(#[doc = " A value this client does not know, as received."]))
        }
    };
    let conversions = match enumeration.repr {
        EnumRepr::String => string_enum_impls(enumeration),
        EnumRepr::Integer => integer_enum_impls(enumeration),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #other_doc
            #other_variant
        }
        #conversions
    }
}

fn string_enum_impls(enumeration: &EnumDef) -> TokenStream {
    let name = enumeration.ident.ident();
    let other = enumeration.other_variant.ident();
    let variants: Vec<_> = enumeration.members.iter().map(|member| member.ident.ident()).collect();
    let values: Vec<TokenStream> = enumeration.members.iter().map(|member| wire_literal(&member.value)).collect();
    let (as_str_other, lifetime) =
        if enumeration.open { (quote!(Self::#other(value) => value,), quote!()) } else { (quote!(), quote!('static)) };
    // Without members, a `match` would have one catch-all arm (clippy's `match_single_binding`).
    let from_body = if variants.is_empty() {
        quote!(Self::#other(value.to_owned()))
    } else {
        quote! {
            match value {
                #(#values => Self::#variants,)*
                other => Self::#other(other.to_owned()),
            }
        }
    };
    let decode = if enumeration.open {
        quote! {
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    #from_body
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(Self::from(value.as_str()))
                }
            }
        }
    } else {
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                    match value.as_str() {
                        #(#values => ::std::result::Result::Ok(Self::#variants),)*
                        other => ::std::result::Result::Err(<D::Error as ::serde::de::Error>::unknown_variant(other, &[#(#values),*])),
                    }
                }
            }
        }
    };
    quote! {
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &#lifetime str {
                match self {
                    #(Self::#variants => #values,)*
                    #as_str_other
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #decode
    }
}

fn integer_enum_impls(enumeration: &EnumDef) -> TokenStream {
    let name = enumeration.ident.ident();
    let other = enumeration.other_variant.ident();
    let variants: Vec<_> = enumeration.members.iter().map(|member| member.ident.ident()).collect();
    let values: Vec<TokenStream> = enumeration.members.iter().map(|member| wire_literal(&member.value)).collect();
    let value_other = if enumeration.open { quote!(Self::#other(value) => *value,) } else { quote!() };
    let from_body = if variants.is_empty() {
        quote!(Self::#other(value))
    } else {
        quote! {
            match value {
                #(#values => Self::#variants,)*
                other => Self::#other(other),
            }
        }
    };
    let decode = if enumeration.open {
        quote! {
            impl ::std::convert::From<i64> for #name {
                fn from(value: i64) -> Self {
                    #from_body
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(Self::from(value))
                }
            }
        }
    } else {
        let expected = format!("one of {}", values.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "));
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                    match value {
                        #(#values => ::std::result::Result::Ok(Self::#variants),)*
                        other => ::std::result::Result::Err(<D::Error as ::serde::de::Error>::invalid_value(
                            ::serde::de::Unexpected::Signed(other),
                            &#expected,
                        )),
                    }
                }
            }
        }
    };
    quote! {
        impl #name {
            /// The number sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #(Self::#variants => #values,)*
                    #value_other
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.value())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        #decode
    }
}

/// The type `new` and the setters take for a field of type `ty`: `impl Into<T>`, so `&str`, arrays
/// and unboxed values convert, except numbers and `bool`, taken as they are so that a literal
/// keeps its type (`impl Into<i64>` would read `1152921504607412209` as an `i32`).
fn argument_type(ty: &crate::model::TypeRef) -> TokenStream {
    let spelled = type_tokens(ty, Scope::Types);
    if takes_as_is(ty) {
        spelled
    } else {
        quote!(impl ::std::convert::Into<#spelled>)
    }
}

/// The field value made from an argument of `argument_type`.
fn argument_value(ty: &crate::model::TypeRef, argument: &impl quote::ToTokens) -> TokenStream {
    if takes_as_is(ty) {
        quote!(#argument)
    } else {
        quote!(#argument.into())
    }
}

fn takes_as_is(ty: &crate::model::TypeRef) -> bool {
    use crate::model::TypeRef;
    matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 | TypeRef::Bool)
}

/// A member's wire value as a literal (`lower` has checked it matches the enum's repr).
fn wire_literal(value: &WireValue) -> TokenStream {
    match value {
        WireValue::String(text) => quote!(#text),
        WireValue::Integer(number) => {
            let literal = proc_macro2::Literal::u64_unsuffixed(number.unsigned_abs());
            if *number < 0 {
                quote!(-#literal)
            } else {
                quote!(#literal)
            }
        }
    }
}

fn alias_tokens(alias: &AliasDef) -> TokenStream {
    let name = alias.ident.ident();
    let doc = doc_attrs(&doc_with(&alias.doc, [format!("Spec name: {}.", code_span(&alias.wire_name))]));
    let ty = type_tokens(&alias.ty, Scope::Types);
    quote! {
        #doc
        pub type #name = #ty;
    }
}
