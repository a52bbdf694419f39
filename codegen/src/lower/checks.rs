//! Rules for what the generated code can carry: parameter types per location, header names
//! the runtime owns, literal path segments, base URLs and crate versions.
//!
//! Each rule refuses a spec that would otherwise lower and then generate a crate that does not
//! compile, or a client that refuses every call.

use std::collections::BTreeMap;

use crate::model::{ParamLocation, RustName, TypeDef, TypeRef};

/// How a type can travel in a URL or a header, after aliases are followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Shape {
    /// One text form (`Display`): a builtin scalar, an enum, or an alias of one.
    Scalar,
    Secret,
    Json,
    /// `binary`: a file in a multipart body, or a whole binary body or answer.
    Binary,
    Map,
    Object,
    List(Box<Shape>),
    /// An alias whose target is a list: the emitter sends a list only when the parameter's
    /// own type is `list<T>`.
    AliasOfList,
}

/// The shape of every named type of a service, by Rust ident.
pub(super) struct TypeShapes {
    named: BTreeMap<RustName, Named>,
}

enum Named {
    Scalar,
    /// With its fields' types, for [`TypeShapes::is_flat`].
    Object(Vec<TypeRef>),
    /// A union is never written into a URL or header.
    Union,
    Alias(TypeRef),
}

impl TypeShapes {
    pub(super) fn new(defs: &[TypeDef]) -> Self {
        let named = defs
            .iter()
            .map(|def| match def {
                TypeDef::Enum(enumeration) => (enumeration.ident.clone(), Named::Scalar),
                TypeDef::Object(object) => {
                    (object.ident.clone(), Named::Object(object.fields.iter().map(|field| field.ty.clone()).collect()))
                }
                TypeDef::Union(union) => (union.ident.clone(), Named::Union),
                TypeDef::Alias(alias) => (alias.ident.clone(), Named::Alias(alias.ty.clone())),
            })
            .collect();
        TypeShapes { named }
    }

    pub(super) fn of(&self, ty: &TypeRef) -> Shape {
        let mut ty = ty;
        let mut through_alias = false;
        // An alias cycle is reported elsewhere; the bound only keeps this walk finite.
        let mut budget = self.named.len();
        loop {
            return match ty {
                TypeRef::Secret => Shape::Secret,
                TypeRef::Json => Shape::Json,
                TypeRef::Binary => Shape::Binary,
                TypeRef::Map(_) => Shape::Map,
                TypeRef::List(_) if through_alias => Shape::AliasOfList,
                TypeRef::List(inner) => Shape::List(Box::new(self.of(inner))),
                TypeRef::Named { ident, .. } => match self.named.get(ident) {
                    Some(Named::Scalar) => Shape::Scalar,
                    Some(Named::Alias(target)) if budget > 0 => {
                        budget -= 1;
                        ty = target;
                        through_alias = true;
                        continue;
                    }
                    Some(Named::Alias(_)) | Some(Named::Object(_)) | Some(Named::Union) | None => Shape::Object,
                },
                _ => Shape::Scalar,
            };
        }
    }
}

impl TypeShapes {
    /// Whether a value is a set of named scalars, written as `name[key]=value` pairs: a map of
    /// scalars, or an object whose fields are all scalars (through aliases).
    pub(super) fn is_flat(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        let mut budget = self.named.len();
        loop {
            return match ty {
                TypeRef::Map(inner) => self.of(inner) == Shape::Scalar,
                TypeRef::Named { ident, .. } => match self.named.get(ident) {
                    Some(Named::Object(fields)) => fields.iter().all(|field| self.of(field) == Shape::Scalar),
                    Some(Named::Alias(target)) if budget > 0 => {
                        budget -= 1;
                        ty = target;
                        continue;
                    }
                    _ => false,
                },
                _ => false,
            };
        }
    }
}

fn describe(shape: &Shape) -> &'static str {
    match shape {
        Shape::Scalar => "a scalar",
        Shape::Secret => "a secret",
        Shape::Json => "free-form JSON",
        Shape::Binary => "binary data",
        Shape::Map => "a map",
        Shape::Object => "an object",
        Shape::AliasOfList => "an alias of a list",
        Shape::List(inner) => match inner.as_ref() {
            Shape::Scalar => "a list",
            Shape::Secret => "a list of secrets",
            Shape::Json => "a list of JSON values",
            Shape::Binary => "a list of files",
            Shape::Map => "a list of maps",
            Shape::Object => "a list of objects",
            Shape::List(_) | Shape::AliasOfList => "a list of lists",
        },
    }
}

const SCALARS: &str =
    "a scalar builtin (string, int32, int64, float, double, decimal, bool, date, datetime, uuid, etag), an enum, or an alias of one";

/// Why a parameter of this shape cannot be sent from `location`, with the help to show.
pub(super) fn param_type_problem(location: ParamLocation, shape: &Shape, written: &str) -> Option<(String, String)> {
    let list_of_scalars = matches!(shape, Shape::List(inner) if **inner == Shape::Scalar);
    let fits = match location {
        ParamLocation::Path | ParamLocation::Cookie => *shape == Shape::Scalar,
        ParamLocation::Query | ParamLocation::Header => *shape == Shape::Scalar || list_of_scalars,
    };
    if fits {
        return None;
    }
    let secret = matches!(shape, Shape::Secret) || matches!(shape, Shape::List(inner) if **inner == Shape::Secret);
    if secret {
        return Some((
            format!("parameter type `{written}` is secret: a secret is not sent as a parameter"),
            "credentials are configured on `ClientConfig` (`bearer_token`, `token_provider`, `secret_header`), where they \
             stay out of URLs and logs; if the value is not secret, declare it as `string`"
                .to_owned(),
        ));
    }
    if matches!(shape, Shape::Binary) || matches!(shape, Shape::List(inner) if **inner == Shape::Binary) {
        return Some((
            format!("parameter type `{written}` is binary data, which a parameter cannot carry"),
            "send bytes as the body (`content_type: application/octet-stream`), or files as `binary` fields of a \
             `multipart/form-data` body"
                .to_owned(),
        ));
    }
    let (place, help) = match location {
        ParamLocation::Path => (
            "a path segment",
            format!("a path segment holds one value: use {SCALARS}; send a list or an object in the query or the body"),
        ),
        ParamLocation::Query => (
            "a query parameter",
            format!(
                "use {SCALARS}, or `list<T>` of those (sent as `name=a&name=b`, or joined with `style`); a map or an \
                 object of scalars takes `style: deep_object`; anything deeper has no standard query encoding, so \
                 send it in the body"
            ),
        ),
        ParamLocation::Header => (
            "a header",
            format!("use {SCALARS}, or `list<T>` of those (sent comma-separated); send anything else in the body"),
        ),
        ParamLocation::Cookie => (
            "a cookie",
            format!("a cookie holds one value: use {SCALARS}; send anything else in the query or the body"),
        ),
    };
    let help = if *shape == Shape::AliasOfList {
        format!("write the parameter's type as `list<T>` rather than through an alias; {help}")
    } else {
        help
    };
    Some((format!("parameter type `{written}` is {}, which cannot be written into {place}", describe(shape)), help))
}

/// An RFC 9110 `tchar`: what header names, cookie names and media-type parts are made of.
pub(super) fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Why a header parameter of this name would clash with the runtime or the HTTP library, which
/// set these headers themselves (a second value would be sent, or the request's framing broken).
pub(super) fn reserved_header(name: &str) -> Option<&'static str> {
    let help = match name.to_ascii_lowercase().as_str() {
        "authorization" => {
            "the runtime sends `Authorization` from the service's `auth` and `ClientConfig::bearer_token` or \
             `token_provider`; remove the parameter"
        }
        "proxy-authorization" => "configure a proxy on the reqwest client given to `ClientConfig::http_client`",
        "content-type" => "the runtime sets `Content-Type` from the body (`application/json`); remove the parameter",
        "accept" => "the runtime sends `Accept: application/json`; remove the parameter",
        "user-agent" => "the user sets it with `ClientConfig::user_agent`; remove the parameter",
        "cookie" => {
            "declare each cookie as a parameter with `in: cookie`: the client sends them all in one `Cookie` header"
        }
        "host" | "content-length" | "transfer-encoding" | "connection" | "keep-alive" | "proxy-connection" | "te"
        | "trailer" | "upgrade" => {
            "the HTTP library sets the connection and framing headers itself; remove the parameter"
        }
        _ => return None,
    };
    Some(help)
}

/// Whether a literal path segment is a dot segment (`.`, `..`, also percent-encoded), which URL
/// parsing removes or climbs: the runtime refuses such a path on every call.
pub(super) fn is_dot_segment(segment: &str) -> bool {
    matches!(segment.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | "..")
}

/// Why a base URL cannot be used: the client appends paths to it and shows it in the docs.
pub(super) fn check_base_url(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("it needs `https://` or `http://`")?;
    if let Some(bad) = url.chars().find(|c| c.is_whitespace() || c.is_control() || "<>\"`{}|\\^".contains(*c)) {
        return Err(if bad.is_whitespace() || bad.is_control() {
            "it contains white space or a control character"
        } else {
            "it contains a character URLs do not allow unescaped (one of < > \" ` { } | \\ ^)"
        });
    }
    if url.contains(['?', '#']) {
        return Err("a query or fragment cannot be followed by operation paths");
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err("it carries credentials (`user:password@`), which would be published in the generated docs");
    }
    let (host, port) = match authority.strip_prefix('[') {
        // An IPv6 literal: `[::1]:8080`.
        Some(literal) => {
            let (address, after) = literal.split_once(']').ok_or("the IPv6 address has no closing `]`")?;
            if address.is_empty() || !address.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
                return Err("the IPv6 address is not valid");
            }
            match after {
                "" => (address, None),
                _ => (
                    address,
                    Some(after.strip_prefix(':').ok_or("the host is followed by something else than a port")?),
                ),
            }
        }
        None => {
            let (host, port) = match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            };
            if !host.chars().all(|c| c.is_alphanumeric() || "-._~".contains(c)) {
                return Err("the host holds a character host names do not have");
            }
            (host, port)
        }
    };
    if host.is_empty() {
        return Err("the host is missing");
    }
    if let Some(port) = port {
        if !port.parse::<u16>().is_ok_and(|port| port > 0) || port.starts_with('+') {
            return Err("the port is not a number from 1 to 65535");
        }
    }
    Ok(())
}

/// A base URL as it may be shown in a message: without its userinfo, which may hold a password.
pub(super) fn redacted_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// Whether a crate version is semver (`MAJOR.MINOR.PATCH`, optional `-pre.release` and
/// `+build.metadata`), as cargo reads it.
pub(super) fn is_semver(version: &str) -> bool {
    let (version, build) = match version.split_once('+') {
        Some((version, build)) => (version, Some(build)),
        None => (version, None),
    };
    let (core, pre) = match version.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (version, None),
    };
    let numeric = |part: &str| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && (part == "0" || !part.starts_with('0'))
    };
    let identifier = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| numeric(part) && part.parse::<u64>().is_ok())
        && pre.is_none_or(|pre| {
            // A numeric pre-release identifier has no leading zero; others are any identifier.
            pre.split('.').all(|part| identifier(part) && (!part.bytes().all(|b| b.is_ascii_digit()) || numeric(part)))
        })
        && build.is_none_or(|build| build.split('.').all(identifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_versions() {
        for good in ["0.1.0", "1.2.3-beta.1", "1.0.0-rc.1+build.5", "0.0.1+20260101", "1.0.0-alpha-1", "10.20.30"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["0.1", "01.0.0", "1.0.0-", "1.0.0-beta..1", "1.0.0-01", "1.0.0+", "1.0.0-a_b", "v1.0.0", "1.0.0.0"]
        {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn base_urls() {
        for good in ["https://api.example.com", "http://127.0.0.1:8080/v1/", "https://[::1]:443", "https://bücher.de"]
        {
            assert_eq!(check_base_url(good), Ok(()), "{good}");
        }
        for bad in [
            "https://user:pw@host",
            "https://@host",
            "https://:0",
            "https://host:0",
            "https://host:99999",
            "https://host:+1",
            "https://host:",
            "https://[::1",
            "https://a%b",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(redacted_url("https://user:pw@host/x@y"), "https://***@host/x@y");
        assert_eq!(redacted_url("https://host/x@y"), "https://host/x@y");
    }

    #[test]
    fn shapes_follow_aliases_and_stop_on_cycles() {
        let name = |ident: &str| RustName::new(ident).expect("a test name is an identifier");
        let named = |ident: &str| TypeRef::Named { ident: name(ident), boxed: false };
        let alias = |ident: &str, ty: TypeRef| {
            TypeDef::Alias(crate::model::AliasDef {
                ident: name(ident),
                wire_name: ident.to_owned(),
                renamed_from: None,
                doc: Vec::new(),
                ty,
            })
        };
        let defs = [
            alias("Id", TypeRef::I64),
            alias("Ref", named("Id")),
            alias("Ids", TypeRef::List(Box::new(named("Ref")))),
            alias("Loop", named("Pool")),
            alias("Pool", named("Loop")),
        ];
        let shapes = TypeShapes::new(&defs);
        assert_eq!(shapes.of(&named("Ref")), Shape::Scalar);
        assert_eq!(shapes.of(&TypeRef::List(Box::new(named("Ref")))), Shape::List(Box::new(Shape::Scalar)));
        assert_eq!(shapes.of(&named("Ids")), Shape::AliasOfList);
        assert_eq!(shapes.of(&named("Loop")), Shape::Object);
    }

    #[test]
    fn dot_segments() {
        assert!(is_dot_segment(".") && is_dot_segment("..") && is_dot_segment("%2E%2e") && is_dot_segment(".%2E"));
        assert!(!is_dot_segment("...") && !is_dot_segment(".well-known") && !is_dot_segment(""));
    }
}
