//! How OpenAPI's `style`/`explode` (and Swagger's `collectionFormat`) map to the spec's `style`.

use serde_yaml::Value;

use crate::spec::{ParamLocation, ParamStyle};

use super::document::{get, get_str};

/// A location as messages name it.
pub(super) fn place(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "the path",
        ParamLocation::Query => "the query",
        ParamLocation::Header => "a header",
        ParamLocation::Cookie => "a cookie",
    }
}

/// The spec style of a query list (`list` true) or map/object parameter (`None`: the default,
/// `name=a&name=b`), or why its serialization has no spec equivalent. A header list is sent
/// `a,b` (`simple`), the only style a header has.
pub(super) fn list_style(
    swagger2: bool,
    param: &Value,
    location: ParamLocation,
    list: bool,
) -> Result<Option<ParamStyle>, String> {
    if swagger2 {
        let format = get_str(param, "collectionFormat").unwrap_or("csv");
        return match (location, format) {
            (ParamLocation::Query, "multi") | (ParamLocation::Header, "csv") => Ok(None),
            (ParamLocation::Query, "csv") => Ok(Some(ParamStyle::Comma)),
            (ParamLocation::Query, "ssv") => Ok(Some(ParamStyle::Space)),
            (ParamLocation::Query, "pipes") => Ok(Some(ParamStyle::Pipe)),
            _ => Err(format!("`collectionFormat: {format}` is not how the spec sends lists")),
        };
    }
    let style = get_str(param, "style");
    if location != ParamLocation::Query {
        return match style.unwrap_or("simple") {
            "simple" => Ok(None),
            other => Err(format!("`style: {other}` is not how the spec sends lists")),
        };
    }
    let style = style.unwrap_or("form");
    // OpenAPI's default: `explode` is true for `form` only.
    let explode = get(param, "explode").and_then(Value::as_bool).unwrap_or(style == "form");
    match (style, explode, list) {
        ("deepObject", _, false) => Ok(Some(ParamStyle::DeepObject)),
        // An exploded space- or pipe-delimited list repeats the name, like `form`.
        ("form" | "spaceDelimited" | "pipeDelimited", true, true) => Ok(None),
        ("form", false, true) => Ok(Some(ParamStyle::Comma)),
        ("spaceDelimited", false, true) => Ok(Some(ParamStyle::Space)),
        ("pipeDelimited", false, true) => Ok(Some(ParamStyle::Pipe)),
        (style, explode, true) => {
            Err(format!("`style: {style}` with `explode: {explode}` is not how the spec sends lists"))
        }
        (style, explode, false) => Err(format!(
            "`style: {style}` with `explode: {explode}` is not how the spec sends an object (it takes `deepObject`)"
        )),
    }
}
