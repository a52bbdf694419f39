//! `pagination` of an operation: checked against its parameters and answer, and lowered to `model::Pagination`.

use super::provenance::PAGINATION_KEYS;
use super::ServiceLowering;
use crate::diagnostics::did_you_mean;
use crate::model::{
    FieldAccess, Group, ObjectDef, Operation, Pagination, PaginationStyle, ParamLocation, SuccessResponse,
    SuccessShape, TypeDef, TypeRef,
};
use crate::spec::{self, PaginationSpec};

/// Sets `pagination` on every lowered operation whose spec declares it.
pub(super) fn lower_pagination(lowering: &mut ServiceLowering<'_>, types: &[TypeDef], groups: &mut [Group]) {
    let spec = lowering.spec;
    for operation in &spec.operations {
        let Some(pagination) = &operation.pagination else { continue };
        let path = format!("operations[{}].pagination", operation.id);
        if spec.protocol == spec::Protocol::Soap {
            lowering.error(&path, "pagination is for REST operations", Some("remove `pagination`".to_owned()));
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
    let (style, position_key, position) = match pagination.style {
        spec::PaginationStyle::PageNumber => {
            if pagination.offset.is_some() {
                lowering.error(
                    format!("{path}.offset"),
                    "`offset` is for `style: offset_limit`",
                    Some("name the page number parameter in `page`".to_owned()),
                );
            }
            let first = pagination.first_page.unwrap_or(1);
            (PaginationStyle::PageNumber { first }, "page", &pagination.page)
        }
        spec::PaginationStyle::OffsetLimit => {
            for (key, set) in [("page", pagination.page.is_some()), ("first_page", pagination.first_page.is_some())] {
                if set {
                    lowering.error(
                        format!("{path}.{key}"),
                        format!("`{key}` is for `style: page_number`"),
                        Some("name the offset parameter in `offset`".to_owned()),
                    );
                }
            }
            (PaginationStyle::OffsetLimit, "offset", &pagination.offset)
        }
    };
    let Some(position_name) = position else {
        lowering.error(
            path,
            format!("this pagination style needs `{position_key}`"),
            Some(format!("add `{position_key}: <the query parameter's name>`")),
        );
        return None;
    };
    let position = page_param(lowering, types, operation, position_name, &format!("{path}.{position_key}"));
    let size = page_param(lowering, types, operation, &pagination.size, &format!("{path}.size"));
    if let Some(max) = pagination.max_page_size.filter(|max| *max < 1) {
        lowering.error(
            format!("{path}.max_page_size"),
            format!("`max_page_size: {max}` is not a page size"),
            Some("write the largest page size the server serves (at least 1), or leave it out".to_owned()),
        );
    }
    if position.is_some() && position == size {
        lowering.error(
            format!("{path}.size"),
            format!("`{position_key}` and `size` name the same parameter"),
            Some("the page size is a parameter of its own".to_owned()),
        );
        return None;
    }
    let (response, variant) = items_response(lowering, operation, path)?;
    let body = response.ty.as_ref()?;
    let (item, items_field) = match &pagination.items {
        None => match through_aliases(types, body) {
            TypeRef::List(item) => ((**item).clone(), None),
            _ => {
                lowering.error(
                    path,
                    format!("the status {} answer is not a list, so its items cannot be the body", response.status),
                    Some("name the body's field that holds the items in `items`".to_owned()),
                );
                return None;
            }
        },
        Some(name) => {
            let ipath = format!("{path}.items");
            let Some(object) = object_of(types, body) else {
                lowering.error(
                    &ipath,
                    format!("the status {} answer is not an object, so it has no field `{name}`", response.status),
                    Some("leave `items` out when the body is the list itself".to_owned()),
                );
                return None;
            };
            let Some(field) = object.fields.iter().find(|field| &field.wire_name == name) else {
                let hint = did_you_mean(name, object.fields.iter().map(|field| field.wire_name.as_str()))
                    .or_else(|| Some(format!("`{}` has no such field", object.wire_name)));
                lowering.error(&ipath, format!("`{}` has no field `{name}`", object.wire_name), hint);
                return None;
            };
            let TypeRef::List(item) = through_aliases(types, &field.ty) else {
                lowering.error(
                    &ipath,
                    format!("field `{name}` of `{}` is not a list", object.wire_name),
                    Some("name the field that holds the page's items (a `list<T>`)".to_owned()),
                );
                return None;
            };
            ((**item).clone(), Some(FieldAccess { ident: field.ident.clone(), optional: field.optional }))
        }
    };
    let cleared = background_header(lowering, operation).into_iter().collect();
    let mut doc = Vec::new();
    lowering.provenance(path, &pagination.origin, &pagination.inferred, PAGINATION_KEYS, &mut doc);
    Some(Pagination {
        style,
        position: position?,
        size: size?,
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

/// The index of the integer query parameter `name`.
fn page_param(
    lowering: &mut ServiceLowering<'_>,
    types: &[TypeDef],
    operation: &Operation,
    name: &str,
    path: &str,
) -> Option<usize> {
    let Some(index) = operation.params.iter().position(|param| param.wire_name == name) else {
        let hint = did_you_mean(name, operation.params.iter().map(|param| param.wire_name.as_str()))
            .or_else(|| Some("name one of the operation's query parameters".to_owned()));
        lowering.error(path, format!("the operation has no parameter `{name}`"), hint);
        return None;
    };
    let param = &operation.params[index];
    if param.location != ParamLocation::Query {
        lowering.error(
            path,
            format!("parameter `{name}` is not a query parameter"),
            Some("pages are addressed by query parameters".to_owned()),
        );
        return None;
    }
    if !matches!(through_aliases(types, &param.ty), TypeRef::I32 | TypeRef::I64) {
        lowering.error(
            path,
            format!("parameter `{name}` is not an integer"),
            Some("give it `type: int32` or `type: int64`".to_owned()),
        );
        return None;
    }
    Some(index)
}

/// The success answer that carries the items, and its variant when the answer is an enum: the
/// only one with a body, else the 200 one.
fn items_response<'o>(
    lowering: &mut ServiceLowering<'_>,
    operation: &'o Operation,
    path: &str,
) -> Option<(&'o SuccessResponse, Option<String>)> {
    let with_body: Vec<&SuccessResponse> =
        operation.success.responses().iter().filter(|response| response.ty.is_some()).collect();
    let chosen = match with_body.as_slice() {
        [only] => Some(*only),
        several => several.iter().copied().find(|response| response.status == 200),
    };
    let Some(response) = chosen else {
        lowering.error(
            path,
            "no success answer of the operation carries the items",
            Some("declare the page's answer (status 200 with a body type)".to_owned()),
        );
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
