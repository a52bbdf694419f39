//! A parameter's `style` (how a query list or object is written) and the names a cookie may have.

use crate::model::{ParamLocation, ParamStyle, TypeRef};
use crate::spec;

use super::checks::{self, Shape};
use super::ServiceLowering;

impl ServiceLowering<'_> {
    /// The parameter's style, checked against its location and type; the type is checked against
    /// the location too (a `deep_object` parameter is the one query parameter that is a map or an
    /// object).
    pub(super) fn param_style(&mut self, param: &spec::ParamSpec, ty: &TypeRef, ppath: &str) -> ParamStyle {
        let Some(style) = param.style else {
            self.check_param_type(param, ty, ppath);
            return ParamStyle::Repeat;
        };
        let name = style.as_str();
        if param.location != ParamLocation::Query {
            self.error(format!("{ppath}.style"), format!("`style: {name}` applies to query parameters only"))
                .hint("remove `style`: a header list is sent comma-separated, a path or cookie value is one scalar");
            self.check_param_type(param, ty, ppath);
            return ParamStyle::Repeat;
        }
        if style == ParamStyle::DeepObject {
            if !self.shapes.is_flat(ty) {
                self.error(
                    format!("{ppath}.type"),
                    format!("`style: deep_object` needs a map or an object of scalars, not `{}`", param.ty.trim()),
                )
                .hint(
                    "use `map<T>` of a scalar, or an object whose fields are all scalars (each is sent as \
                     `name[field]=value`); send nested values in the body",
                );
            }
            return style;
        }
        let shape = self.shapes.of(ty);
        let fits = checks::param_type_problem(param.location, &shape, param.ty.trim()).is_none();
        self.check_param_type(param, ty, ppath);
        let list_of_scalars = matches!(&shape, Shape::List(inner) if **inner == Shape::Scalar);
        if style != ParamStyle::Repeat && fits && !list_of_scalars {
            self.error(
                format!("{ppath}.style"),
                format!("`style: {name}` joins a list, but `{}` is one value", param.ty.trim()),
            )
            .hint("make the type `list<T>`, or remove `style` (a scalar is sent as `name=value`)");
        }
        style
    }

    /// A cookie's name is an HTTP token (RFC 6265), like a header name.
    pub(super) fn check_cookie_name(&mut self, param: &spec::ParamSpec, ppath: &str) {
        if param.location == ParamLocation::Cookie
            && (param.name.is_empty() || !param.name.bytes().all(checks::is_tchar))
        {
            self.error(format!("{ppath}.name"), format!("`{}` is not a valid cookie name", param.name))
                .hint("use ASCII letters, digits and `-`, `_`, `.` (no spaces, `=`, `;` or other separators)");
        }
    }
}
