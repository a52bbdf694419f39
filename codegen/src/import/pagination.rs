//! Infers an operation's pagination from its parameters and answer: documents describe it in
//! prose ("Pagination parameter. Page number.") or not at all, but the shapes are few.

use super::{Inferred, Report};
use crate::spec::{FieldSpec, OperationSpec, PaginationSpec, PaginationStyle, ParamLocation, TypeSpec};

/// The query parameter names one importer accepts for each style, tried in order.
pub struct Names {
    /// `(page number, page size)` pairs.
    pub page_number: &'static [(&'static str, &'static str)],
    /// `(offset, limit)` pairs.
    pub offset_limit: &'static [(&'static str, &'static str)],
}

/// openapi-generator's documents of Visma.net: `pageNumber` and `pageSize` only.
pub const VISMA_NAMES: &Names = &Names { page_number: &[("pageNumber", "pageSize")], offset_limit: &[] };

/// The spellings common in OpenAPI documents (GitHub's `page`/`per_page`, OData's `$skip`/`$top`).
pub const OPENAPI_NAMES: &Names = &Names {
    page_number: &[
        ("pageNumber", "pageSize"),
        ("page", "per_page"),
        ("page", "pageSize"),
        ("page", "page_size"),
        ("page", "perPage"),
        ("page", "size"),
        ("page", "limit"),
    ],
    offset_limit: &[("offset", "limit"), ("skip", "top"), ("$skip", "$top"), ("skip", "limit"), ("start", "limit")],
};

/// An operation with integer query parameters of a known pair whose 200 answer is a list, or
/// an object with exactly one list field (the items), is taken to be paginated by them. Every
/// key is marked inferred, for a person to confirm in the overlay; an operation that already
/// has a pagination is left alone.
pub fn infer(operation: &mut OperationSpec, types: &[TypeSpec], report: &mut Report, names: &Names) {
    if operation.pagination.is_some() {
        return;
    }
    let integer = |name: &str| {
        operation.params.iter().find(|param| {
            param.location == ParamLocation::Query
                && param.name == name
                && matches!(param.ty.as_str(), "int32" | "int64")
        })
    };
    let pairs = names
        .page_number
        .iter()
        .map(|pair| (PaginationStyle::PageNumber, pair))
        .chain(names.offset_limit.iter().map(|pair| (PaginationStyle::OffsetLimit, pair)));
    let Some((style, (position, size), origin)) = pairs
        .filter_map(|(style, (position, size))| {
            let found = integer(position)?;
            integer(size)?;
            Some((style, (*position, *size), found.origin.clone()))
        })
        .next()
    else {
        return;
    };
    let Some(body) = operation.responses.iter().find(|response| response.status == 200).and_then(|r| r.ty.as_deref())
    else {
        return;
    };
    let items = if body.starts_with("list<") {
        None
    } else {
        let fields = types.iter().find_map(|ty| match ty {
            TypeSpec::Object(object) if object.name == body => Some(&object.fields),
            _ => None,
        });
        let lists: Vec<&FieldSpec> =
            fields.into_iter().flatten().filter(|field| field.ty.starts_with("list<")).collect();
        match lists.as_slice() {
            [only] => Some(only.name.clone()),
            _ => return,
        }
    };
    let position_key = if style == PaginationStyle::PageNumber { "page" } else { "offset" };
    let mut inferred: Vec<String> = ["style", position_key, "size"].map(str::to_owned).to_vec();
    inferred.extend(items.as_ref().map(|_| "items".to_owned()));
    let item = format!("operations[{}].pagination", operation.id);
    for key in &inferred {
        let value = match key.as_str() {
            "style" if style == PaginationStyle::PageNumber => "page_number".to_owned(),
            "style" => "offset_limit".to_owned(),
            "page" | "offset" => position.to_owned(),
            "size" => size.to_owned(),
            _ => items.clone().unwrap_or_default(),
        };
        report.inferred.push(Inferred {
            item: item.clone(),
            key: key.clone(),
            value,
            read: None,
            origin: origin.clone().unwrap_or_default(),
        });
    }
    let (page, offset) = if style == PaginationStyle::PageNumber {
        (Some(position.to_owned()), None)
    } else {
        (None, Some(position.to_owned()))
    };
    operation.pagination = Some(PaginationSpec {
        style,
        page,
        first_page: None,
        offset,
        cursor: None,
        next_cursor: None,
        size: Some(size.to_owned()),
        max_page_size: None,
        items,
        origin,
        inferred,
    });
}
