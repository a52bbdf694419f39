//! `pagination` of an operation: checked against its parameters and answer, and lowered to `model::Pagination`.

use super::provenance::PAGINATION_KEYS;
use super::ServiceLowering;
use crate::diagnostics::did_you_mean;
use crate::model::{
    Field, FieldAccess, Group, ObjectDef, Operation, Pagination, PaginationStyle, ParamLocation, RustName,
    SuccessResponse, SuccessShape, TypeDef, TypeRef,
};
use crate::spec::{self, PaginationSpec};

/// Sets `pagination` on every lowered operation whose spec declares it.
pub(super) fn lower_pagination(lowering: &mut ServiceLowering<'_>, types: &[TypeDef], groups: &mut [Group]) {
    let spec = lowering.spec;
    for operation in &spec.operations {
        let Some(pagination) = &operation.pagination else { continue };
        let path = format!("operations[{}].pagination", operation.id);
        if spec.protocol == spec::Protocol::Soap {
            lowering.error(&path, "pagination is for REST operations").hint("remove `pagination`");
            continue;
        }
        // An operation that did not lower has been reported already.
        let Some(lowered) =
            groups.iter_mut().flat_map(|group| group.operations.iter_mut()).find(|op| op.id == operation.id)
        else {
            continue;
        };
        lowered.pagination = lower_one(lowering, types, pagination, lowered, &path);
    }
}

fn lower_one(
    lowering: &mut ServiceLowering<'_>,
    types: &[TypeDef],
    pagination: &PaginationSpec,
    operation: &Operation,
    path: &str,
) -> Option<Pagination> {
    let misplaced = |key: &str| -> Option<&'static str> {
        let style = pagination.style;
        let belongs = match key {
            "page" | "first_page" => style == spec::PaginationStyle::PageNumber,
            "offset" => style == spec::PaginationStyle::OffsetLimit,
            _ => style == spec::PaginationStyle::Cursor,
        };
        (!belongs).then_some(match key {
            "page" | "first_page" => "page_number",
            "offset" => "offset_limit",
            _ => "cursor",
        })
    };
    let set_keys = [
        ("page", pagination.page.is_some()),
        ("first_page", pagination.first_page.is_some()),
        ("offset", pagination.offset.is_some()),
        ("cursor", pagination.cursor.is_some()),
        ("next_cursor", pagination.next_cursor.is_some()),
    ];
    for (key, _) in set_keys.iter().filter(|(_, set)| *set) {
        if let Some(style) = misplaced(key) {
            lowering
                .error(format!("{path}.{key}"), format!("`{key}` is for `style: {style}`"))
                .hint("each style names its own keys (spec/README.md, \"Pagination\")");
        }
    }
    let (style, position_key, position) = match pagination.style {
        spec::PaginationStyle::PageNumber => {
            let first = pagination.first_page.unwrap_or(1);
            (PaginationStyle::PageNumber { first }, "page", &pagination.page)
        }
        spec::PaginationStyle::OffsetLimit => (PaginationStyle::OffsetLimit, "offset", &pagination.offset),
        spec::PaginationStyle::Cursor => (PaginationStyle::Cursor, "cursor", &pagination.cursor),
    };
    let Some(position_name) = position else {
        lowering
            .error(path, format!("this pagination style needs `{position_key}`"))
            .hint(format!("add `{position_key}: <the query parameter's name>`"));
        return None;
    };
    let cursor = style == PaginationStyle::Cursor;
    let position_path = format!("{path}.{position_key}");
    let position = if cursor {
        cursor_param(lowering, types, operation, position_name, &position_path)
    } else {
        page_param(lowering, types, operation, position_name, &position_path)
    };
    let size = match &pagination.size {
        Some(name) => Some(page_param(lowering, types, operation, name, &format!("{path}.size"))),
        None if cursor => None,
        None => {
            lowering
                .error(path, "this pagination style needs `size`")
                .hint("add `size: <the query parameter with the page size>`");
            return None;
        }
    };
    if let Some(max) = pagination.max_page_size.filter(|max| *max < 1) {
        lowering
            .error(format!("{path}.max_page_size"), format!("`max_page_size: {max}` is not a page size"))
            .hint("write the largest page size the server serves (at least 1), or leave it out");
    }
    if position.is_some() && size.is_some_and(|size| size == position) {
        lowering
            .error(format!("{path}.size"), format!("`{position_key}` and `size` name the same parameter"))
            .hint("the page size is a parameter of its own");
        return None;
    }
    let (response, variant) = items_response(lowering, operation, path)?;
    let body = response.ty.as_ref()?;
    let (item, items_field) = match &pagination.items {
        None => match through_aliases(types, body) {
            TypeRef::List(item) => ((**item).clone(), None),
            _ => {
                lowering
                    .error(
                        path,
                        format!("the status {} answer is not a list, so its items cannot be the body", response.status),
                    )
                    .hint("name the body's field that holds the items in `items`");
                return None;
            }
        },
        Some(name) => {
            let ipath = format!("{path}.items");
            let Some(object) = object_of(types, body) else {
                lowering
                    .error(
                        &ipath,
                        format!("the status {} answer is not an object, so it has no field `{name}`", response.status),
                    )
                    .hint("leave `items` out when the body is the list itself");
                return None;
            };
            let field = body_field(lowering, object, name, &ipath)?;
            let TypeRef::List(item) = through_aliases(types, &field.ty) else {
                lowering
                    .error(&ipath, format!("field `{name}` of `{}` is not a list", object.wire_name))
                    .hint("name the field that holds the page's items (a `list<T>`)");
                return None;
            };
            (
                (**item).clone(),
                Some(FieldAccess { ident: field.ident.clone(), optional: field.optional, tristate: field.tristate }),
            )
        }
    };
    let next_cursor = match (&pagination.next_cursor, cursor) {
        (Some(name), true) => Some(next_cursor_field(lowering, types, body, name, &format!("{path}.next_cursor"))?),
        (None, true) => {
            lowering
                .error(path, "`style: cursor` needs `next_cursor`")
                .hint("name the body's field with the next page's cursor in `next_cursor`");
            return None;
        }
        (_, false) => None,
    };
    let cleared = background_header(lowering, operation).into_iter().collect();
    let mut doc = Vec::new();
    lowering.provenance(path, &pagination.origin, &pagination.inferred, PAGINATION_KEYS, &mut doc);
    let size = match size {
        Some(size) => Some(size?),
        None => None,
    };
    Some(Pagination {
        style,
        position: position?,
        size,
        next_cursor,
        max_page_size: pagination.max_page_size,
        item,
        variant,
        items_field,
        cleared,
        doc,
    })
}

/// The optional parameter of the service's background job header, if the operation has one.
fn background_header(lowering: &ServiceLowering<'_>, operation: &Operation) -> Option<usize> {
    let header = &lowering.spec.background_jobs.as_ref()?.header;
    operation.params.iter().position(|param| {
        param.location == ParamLocation::Header && !param.required && param.wire_name.eq_ignore_ascii_case(header)
    })
}

/// The index of the query parameter `name`.
fn query_param(lowering: &mut ServiceLowering<'_>, operation: &Operation, name: &str, path: &str) -> Option<usize> {
    let Some(index) = operation.params.iter().position(|param| param.wire_name == name) else {
        let hint = did_you_mean(name, operation.params.iter().map(|param| param.wire_name.as_str()))
            .or_else(|| Some("name one of the operation's query parameters".to_owned()));
        lowering.error(path, format!("the operation has no parameter `{name}`")).maybe_hint(hint);
        return None;
    };
    if operation.params[index].location != ParamLocation::Query {
        lowering
            .error(path, format!("parameter `{name}` is not a query parameter"))
            .hint("pages are addressed by query parameters");
        return None;
    }
    Some(index)
}

/// The index of the integer query parameter `name`.
fn page_param(
    lowering: &mut ServiceLowering<'_>,
    types: &[TypeDef],
    operation: &Operation,
    name: &str,
    path: &str,
) -> Option<usize> {
    let index = query_param(lowering, operation, name, path)?;
    let param = &operation.params[index];
    if !matches!(through_aliases(types, &param.ty), TypeRef::I32 | TypeRef::I64) {
        lowering
            .error(path, format!("parameter `{name}` is not an integer"))
            .hint("give it `type: int32` or `type: int64`");
        return None;
    }
    Some(index)
}

/// The index of the optional string query parameter `name` that carries the cursor.
fn cursor_param(
    lowering: &mut ServiceLowering<'_>,
    types: &[TypeDef],
    operation: &Operation,
    name: &str,
    path: &str,
) -> Option<usize> {
    let index = query_param(lowering, operation, name, path)?;
    let param = &operation.params[index];
    if !matches!(through_aliases(types, &param.ty), TypeRef::String) {
        lowering
            .error(path, format!("parameter `{name}` is not a string"))
            .hint("a cursor is text the server gives: give the parameter `type: string`");
        return None;
    }
    if param.required {
        lowering
            .error(path, format!("parameter `{name}` is required"))
            .hint("the first page is asked for without a cursor: make the parameter optional");
        return None;
    }
    Some(index)
}

/// The field of the body object with wire name `name` (the items, the next cursor).
fn body_field<'o>(
    lowering: &mut ServiceLowering<'_>,
    object: &'o ObjectDef,
    name: &str,
    path: &str,
) -> Option<&'o Field> {
    let found = object.fields.iter().find(|field| field.wire_name == name);
    if found.is_none() {
        let hint = did_you_mean(name, object.fields.iter().map(|field| field.wire_name.as_str()))
            .or_else(|| Some(format!("`{}` has no such field", object.wire_name)));
        lowering.error(path, format!("`{}` has no field `{name}`", object.wire_name)).maybe_hint(hint);
    }
    found
}

/// The string field `name` of the answer's body object: the next page's cursor.
fn next_cursor_field(
    lowering: &mut ServiceLowering<'_>,
    types: &[TypeDef],
    body: &TypeRef,
    name: &str,
    path: &str,
) -> Option<FieldAccess> {
    let Some(object) = object_of(types, body) else {
        lowering
            .error(path, format!("the answer is not an object, so it has no field `{name}`"))
            .hint("a cursor comes in a field of the page's body");
        return None;
    };
    let field = body_field(lowering, object, name, path)?;
    if !matches!(through_aliases(types, &field.ty), TypeRef::String) {
        lowering
            .error(path, format!("field `{name}` of `{}` is not a string", object.wire_name))
            .hint("name the field that holds the next page's cursor (a `string`)");
        return None;
    }
    Some(FieldAccess { ident: field.ident.clone(), optional: field.optional, tristate: field.tristate })
}

/// The success answer that carries the items, and its variant when the answer is an enum: the
/// only one with a body, else the 200 one.
fn items_response<'o>(
    lowering: &mut ServiceLowering<'_>,
    operation: &'o Operation,
    path: &str,
) -> Option<(&'o SuccessResponse, Option<RustName>)> {
    let with_body: Vec<&SuccessResponse> =
        operation.success.responses().iter().filter(|response| response.ty.is_some()).collect();
    let chosen = match with_body.as_slice() {
        [only] => Some(*only),
        several => several.iter().copied().find(|response| response.status == 200),
    };
    let Some(response) = chosen else {
        lowering
            .error(path, "no success answer of the operation carries the items")
            .hint("declare the page's answer (status 200 with a body type)");
        return None;
    };
    let variant = match &operation.success {
        SuccessShape::Single(_) => None,
        SuccessShape::Enum { .. } => Some(response.variant.clone()),
    };
    Some((response, variant))
}

/// The type an alias (chain) stands for; other types as they are.
pub(super) fn through_aliases<'t>(types: &'t [TypeDef], mut ty: &'t TypeRef) -> &'t TypeRef {
    // Alias cycles are refused earlier; the bound only keeps a bug from looping.
    for _ in 0..=types.len() {
        let TypeRef::Named { ident, .. } = ty else { return ty };
        match types.iter().find(|def| matches!(def, TypeDef::Alias(alias) if &alias.ident == ident)) {
            Some(TypeDef::Alias(alias)) => ty = &alias.ty,
            _ => return ty,
        }
    }
    ty
}

/// The object a type (through aliases) names.
pub(super) fn object_of<'t>(types: &'t [TypeDef], ty: &'t TypeRef) -> Option<&'t ObjectDef> {
    let TypeRef::Named { ident, .. } = through_aliases(types, ty) else { return None };
    types.iter().find_map(|def| match def {
        TypeDef::Object(object) if &object.ident == ident => Some(object),
        _ => None,
    })
}
