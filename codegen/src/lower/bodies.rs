//! Request bodies and success responses by content type: JSON, forms, multipart, binary and text.

use std::collections::BTreeMap;

use crate::model::{
    BodyEncoding, FormField, Group, ObjectDef, Operation, ResponseContent, SuccessShape, TypeDef, TypeRef,
};

use super::checks::{self, Shape};
use super::{graph, ServiceLowering};

/// What a media type means for a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

/// `application/json` and `…+json` are JSON, `text/*` is text, the two form types are forms;
/// any other type (`application/octet-stream`, `image/png`, `*/*`) is bytes.
fn kind(content_type: &str) -> Kind {
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Kind::Json,
        "application/x-www-form-urlencoded" => Kind::Form,
        "multipart/form-data" => Kind::Multipart,
        json if json.ends_with("+json") => Kind::Json,
        text if text.starts_with("text/") => Kind::Text,
        _ => Kind::Binary,
    }
}

/// Why a content type cannot be sent as a header value as written, if it cannot.
fn media_type_problem(text: &str) -> Option<&'static str> {
    if text.chars().any(|c| !(c == ' ' || c == '\t' || c.is_ascii_graphic())) {
        return Some("it contains a line break, a control character or a non-ASCII character");
    }
    let essence = text.split(';').next().unwrap_or_default().trim();
    let token = |part: &str| !part.is_empty() && part.bytes().all(checks::is_tchar);
    match essence.split_once('/') {
        Some((kind, subtype)) if token(kind) && token(subtype) => None,
        _ => Some("it is not a media type (`type/subtype`)"),
    }
}

/// Checks every operation's body and success responses against their content types and sets how
/// each is written and read; refuses a file (`binary`) wherever it cannot travel.
pub(super) fn lower_bodies(lowering: &mut ServiceLowering<'_>, types: &[TypeDef], groups: &mut [Group]) {
    let context = Context::new(types);
    for group in groups.iter_mut() {
        for op in &mut group.operations {
            let path = format!("operations[{}]", op.id);
            lower_body(lowering, &context, op, &path);
            lower_responses(lowering, &context, op, &path);
            for error in &op.errors {
                let label = error.status.map_or_else(|| "default".to_owned(), |status| status.to_string());
                if error.ty.as_ref().is_some_and(|ty| context.reaches_binary(ty)) {
                    lowering
                        .error(
                            format!("{path}.errors[{label}].type"),
                            "an error body is read as JSON, which cannot carry `binary` data",
                        )
                        .hint("declare the error body as an object without `binary` fields, or leave its `type` out");
                }
            }
        }
    }
}

/// The service's objects by ident, and the types that hold `binary` data somewhere inside.
struct Context<'t> {
    objects: BTreeMap<&'t str, &'t ObjectDef>,
    with_binary: graph::Holders,
}

impl<'t> Context<'t> {
    fn new(types: &'t [TypeDef]) -> Self {
        let objects = types
            .iter()
            .filter_map(|def| match def {
                TypeDef::Object(object) => Some((object.ident.as_str(), object)),
                _ => None,
            })
            .collect();
        Context { objects, with_binary: graph::Holders::new(types, |ty| matches!(ty, TypeRef::Binary)) }
    }

    fn reaches_binary(&self, ty: &TypeRef) -> bool {
        self.with_binary.hold(ty)
    }
}

fn lower_body(lowering: &mut ServiceLowering<'_>, context: &Context<'_>, op: &mut Operation, path: &str) {
    let Some(body) = &mut op.body else { return };
    let bpath = format!("{path}.body");
    if let Some(problem) = media_type_problem(&body.content_type) {
        lowering
            .error(
                format!("{bpath}.content_type"),
                format!("`{}` cannot be the body's content type: {problem}", body.content_type),
            )
            .hint("write a media type such as `application/json`, `multipart/form-data` or `application/octet-stream`");
        return;
    }
    let written = body.content_type.clone();
    if written.contains('*') {
        lowering
            .error(format!("{bpath}.content_type"), format!("`{written}` is a range of media types, not one to send"))
            .hint("write the one media type the server expects, e.g. `application/octet-stream` (a caller can set another with `BinaryBody::with_content_type`)");
        return;
    }
    body.encoding = match kind(&written) {
        Kind::Json => {
            if body.ty == TypeRef::Binary {
                lowering
                    .error(format!("{bpath}.type"), format!("a body sent as `{written}` cannot be `binary`"))
                    .hint("set `content_type: application/octet-stream` (or the data's own media type) to send the bytes as they are");
            } else if context.reaches_binary(&body.ty) {
                lowering
                    .error(
                        format!("{bpath}.type"),
                        format!("a body sent as `{written}` cannot carry a file (`binary` field)"),
                    )
                    .hint("send files in a `multipart/form-data` body, or declare the field as a base64 `string`");
            }
            BodyEncoding::Json
        }
        Kind::Text => {
            if body.ty != TypeRef::String {
                lowering
                    .error(
                        format!("{bpath}.type"),
                        format!("a body sent as `{written}` is text, so its type is `string`"),
                    )
                    .hint("write `type: string`, or use `application/json` for structured data");
            }
            BodyEncoding::Text
        }
        Kind::Binary => {
            if body.ty != TypeRef::Binary {
                lowering
                    .error(
                        format!("{bpath}.type"),
                        format!("a body sent as `{written}` is bytes, so its type is `binary`"),
                    )
                    .hint("write `type: binary`, or use `application/json` for structured data");
            }
            BodyEncoding::Binary
        }
        kind @ (Kind::Form | Kind::Multipart) => {
            let multipart = kind == Kind::Multipart;
            if multipart && written.contains(';') {
                lowering
                    .error(format!("{bpath}.content_type"), "a multipart body's parameters are chosen by the client")
                    .hint("write `content_type: multipart/form-data`: the client adds the boundary");
            }
            let fields = form_fields(lowering, context, &body.ty, multipart, &bpath, &written).unwrap_or_default();
            if multipart {
                BodyEncoding::Multipart(fields)
            } else {
                BodyEncoding::Form(fields)
            }
        }
    };
}

/// The fields of a form body's object; `None` after reporting why the type is not one.
fn form_fields(
    lowering: &mut ServiceLowering<'_>,
    context: &Context<'_>,
    ty: &TypeRef,
    multipart: bool,
    bpath: &str,
    written: &str,
) -> Option<Vec<FormField>> {
    let object = match ty {
        TypeRef::Named { ident, .. } => context.objects.get(ident.as_str()),
        _ => None,
    };
    let Some(object) = object else {
        lowering
            .error(
                format!("{bpath}.type"),
                format!("a body sent as `{written}` is an object whose fields are the form's fields"),
            )
            .hint("name an `object` type here (not an alias, list or builtin)");
        return None;
    };
    let mut fields = Vec::new();
    for field in &object.fields {
        let shape = lowering.shapes.of(&field.ty);
        let (list, file) = match &shape {
            Shape::Scalar => (false, false),
            Shape::Binary => (false, true),
            Shape::List(inner) if **inner == Shape::Scalar => (true, false),
            Shape::List(inner) if **inner == Shape::Binary => (true, true),
            _ => {
                let what = match &shape {
                    Shape::Secret => "a secret".to_owned(),
                    Shape::AliasOfList => "an alias of a list".to_owned(),
                    Shape::List(_) => "a list of something other than scalars or files".to_owned(),
                    Shape::Object => "an object".to_owned(),
                    Shape::Map => "a map".to_owned(),
                    _ => "free-form JSON".to_owned(),
                };
                lowering
                    .error(
                        format!("{bpath}.type"),
                        format!(
                            "field `{}` of `{}` is {what}, which a form field cannot carry",
                            field.wire_name, object.wire_name
                        ),
                    )
                    .hint(if multipart {
                        "form fields are scalars, files (`binary`) or lists of either; send nested data as JSON"
                    } else {
                        "form fields are scalars or lists of scalars; send nested data as JSON"
                    });
                continue;
            }
        };
        if file && !multipart {
            lowering
                .error(
                    format!("{bpath}.content_type"),
                    format!(
                        "field `{}` of `{}` is a file (`binary`), which `{written}` cannot carry",
                        field.wire_name, object.wire_name
                    ),
                )
                .hint("use `content_type: multipart/form-data` to upload files");
            continue;
        }
        fields.push(FormField {
            wire_name: field.wire_name.clone(),
            ident: field.ident.clone(),
            optional: field.optional,
            tristate: field.tristate,
            list,
            file,
        });
    }
    Some(fields)
}

fn lower_responses(lowering: &mut ServiceLowering<'_>, context: &Context<'_>, op: &mut Operation, path: &str) {
    let responses = match &mut op.success {
        SuccessShape::Single(response) => std::slice::from_mut(response),
        SuccessShape::Enum { cases, .. } => cases.as_mut_slice(),
    };
    for response in responses {
        let rpath = format!("{path}.responses[{}]", response.status);
        let Some(ty) = &response.ty else {
            if let Some(written) = &response.content_type {
                lowering
                    .error(
                        format!("{rpath}.content_type"),
                        format!("an empty answer has no content type (`{written}`)"),
                    )
                    .hint("add the body's `type` (`binary` for bytes, `string` for text), or remove `content_type`");
            }
            continue;
        };
        let default = if *ty == TypeRef::Binary { "application/octet-stream" } else { "application/json" };
        let written = response.content_type.clone().unwrap_or_else(|| default.to_owned());
        if let Some(problem) = media_type_problem(&written) {
            lowering
                .error(
                    format!("{rpath}.content_type"),
                    format!("`{written}` cannot be the answer's content type: {problem}"),
                )
                .hint("write a media type such as `application/json`, `text/plain` or `application/octet-stream`");
            continue;
        }
        response.content = match kind(&written) {
            Kind::Json => {
                if *ty == TypeRef::Binary {
                    lowering
                        .error(format!("{rpath}.type"), format!("an answer sent as `{written}` cannot be `binary`"))
                        .hint("set `content_type: application/octet-stream` (or the data's media type, or `*/*`) to read the bytes as they are");
                } else if context.reaches_binary(ty) {
                    lowering
                        .error(
                            format!("{rpath}.type"),
                            format!("an answer sent as `{written}` cannot carry `binary` data"),
                        )
                        .hint("declare the field as a base64 `string`");
                }
                ResponseContent::Json
            }
            Kind::Text => {
                if *ty != TypeRef::String {
                    lowering
                        .error(
                            format!("{rpath}.type"),
                            format!("an answer sent as `{written}` is text, so its type is `string`"),
                        )
                        .hint("write `type: string`, or use `application/json` for structured data");
                }
                ResponseContent::Text
            }
            Kind::Binary | Kind::Form | Kind::Multipart => {
                if *ty != TypeRef::Binary {
                    lowering
                        .error(
                            format!("{rpath}.type"),
                            format!("an answer sent as `{written}` is read as bytes, so its type is `binary`"),
                        )
                        .hint("write `type: binary`, or use `application/json` for structured data");
                }
                ResponseContent::Binary
            }
        };
        response.content_type = Some(written);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_read_by_their_essence() {
        assert_eq!(kind("application/json"), Kind::Json);
        assert_eq!(kind("application/vnd.github.v3+json; charset=utf-8"), Kind::Json);
        assert_eq!(kind("Multipart/Form-Data"), Kind::Multipart);
        assert_eq!(kind("application/x-www-form-urlencoded;charset=UTF-8"), Kind::Form);
        assert_eq!(kind("text/csv"), Kind::Text);
        assert_eq!(kind("*/*"), Kind::Binary);
        assert_eq!(kind("image/png"), Kind::Binary);
        assert!(media_type_problem("*/*").is_none());
        assert!(media_type_problem("text/plain; charset=utf-8").is_none());
        assert!(media_type_problem("text/plain\r\nX-Injected: 1").is_some());
        assert!(media_type_problem("plain").is_some());
        assert!(media_type_problem("text/").is_some());
    }
}
