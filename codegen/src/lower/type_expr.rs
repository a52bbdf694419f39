//! Type expressions (`string`, `list<T>`, `map<T>`, a type name): parsed, then resolved to `TypeRef`s.

use crate::diagnostics::did_you_mean;
use crate::model::TypeRef;

use super::ServiceLowering;

/// A parsed type expression before its names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TypeExpr {
    Builtin(TypeRef),
    List(Box<TypeExpr>),
    Map(Box<TypeExpr>),
    Named(String),
}

/// Every builtin type and what it lowers to, in the order messages list them: the parser and
/// the hints read this one table.
const BUILTINS: &[(&str, TypeRef)] = &[
    ("string", TypeRef::String),
    ("int32", TypeRef::I32),
    ("int64", TypeRef::I64),
    ("float", TypeRef::F32),
    // `decimal` travels as a JSON number; f64 keeps 15-17 significant digits.
    ("double", TypeRef::F64),
    ("decimal", TypeRef::F64),
    ("bool", TypeRef::Bool),
    ("date", TypeRef::Date),
    ("datetime", TypeRef::DateTime),
    ("uuid", TypeRef::Uuid),
    ("json", TypeRef::Json),
    ("etag", TypeRef::ETag),
    ("secret", TypeRef::Secret),
    ("binary", TypeRef::Binary),
];

/// The builtin type names, in the table's order.
fn builtin_names<'a>() -> impl Iterator<Item = &'a str> {
    BUILTINS.iter().map(|(name, _)| *name)
}

/// Type names are words: letters (any script), digits and `_`.
pub(super) fn is_type_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// How deeply `list<…>` and `map<…>` may nest. Every phase after parsing walks type
/// expressions recursively, so the limit keeps them off the end of the stack.
pub const MAX_TYPE_DEPTH: usize = 16;

pub(super) fn parse_type_expr(text: &str) -> Result<TypeExpr, String> {
    parse_type_expr_at(text, 0)
}

pub(super) fn parse_type_expr_at(text: &str, depth: usize) -> Result<TypeExpr, String> {
    let text = text.trim();
    for (prefix, wrap) in [("list<", TypeExpr::List as fn(Box<TypeExpr>) -> TypeExpr), ("map<", TypeExpr::Map)] {
        if let Some(inner) = text.strip_prefix(prefix) {
            if depth == MAX_TYPE_DEPTH {
                return Err(format!("the type nests `list<…>` and `map<…>` more than {MAX_TYPE_DEPTH} deep"));
            }
            let inner = inner.strip_suffix('>').ok_or_else(|| format!("`{text}` is missing its closing `>`"))?;
            return Ok(wrap(Box::new(parse_type_expr_at(inner, depth + 1)?)));
        }
    }
    if let Some((_, builtin)) = BUILTINS.iter().find(|(name, _)| *name == text) {
        return Ok(TypeExpr::Builtin(builtin.clone()));
    }
    match text {
        "" => Err("the type is empty".to_owned()),
        name if is_type_name(name) => Ok(TypeExpr::Named(name.to_owned())),
        other => Err(format!("`{other}` is not a type expression")),
    }
}

/// Every type name mentioned in a type expression.
pub(super) fn named_in(text: &str) -> Vec<String> {
    pub(super) fn walk(expr: &TypeExpr, out: &mut Vec<String>) {
        match expr {
            TypeExpr::Named(name) => out.push(name.clone()),
            TypeExpr::List(inner) | TypeExpr::Map(inner) => walk(inner, out),
            TypeExpr::Builtin(_) => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(expr) = parse_type_expr(text) {
        walk(&expr, &mut out);
    }
    out
}

impl ServiceLowering<'_> {
    /// Resolves a type expression; `owner` records direct references for cycle detection.
    pub(super) fn resolve(&mut self, text: &str, path: &str, owner: Option<&str>) -> Option<TypeRef> {
        match parse_type_expr(text) {
            Ok(expr) => self.resolve_expr(&expr, path, owner, true),
            Err(message) => {
                let hint = if message.contains(" deep") {
                    "give an inner level a name: a `kind: alias` type, referred to by that name".to_owned()
                } else {
                    format!(
                        "use a builtin ({}), list<T>, map<T> or a type name",
                        builtin_names().collect::<Vec<_>>().join(", ")
                    )
                };
                self.error(path, message).hint(hint);
                None
            }
        }
    }

    pub(super) fn resolve_expr(
        &mut self,
        expr: &TypeExpr,
        path: &str,
        owner: Option<&str>,
        direct: bool,
    ) -> Option<TypeRef> {
        match expr {
            TypeExpr::Builtin(builtin) => Some(builtin.clone()),
            TypeExpr::List(inner) => Some(TypeRef::List(Box::new(self.resolve_expr(inner, path, owner, false)?))),
            TypeExpr::Map(inner) => Some(TypeRef::Map(Box::new(self.resolve_expr(inner, path, owner, false)?))),
            TypeExpr::Named(name) => {
                let Some(ident) = self.type_idents.get(name).cloned() else {
                    let candidates: Vec<&str> =
                        self.type_idents.keys().map(String::as_str).chain(builtin_names()).collect();
                    let hint =
                        did_you_mean(name, candidates).or_else(|| Some(format!("define `{name}` under `types`")));
                    self.error(path, format!("unknown type `{name}`")).maybe_hint(hint);
                    return None;
                };
                if let (Some(owner), true) = (owner, direct) {
                    self.direct_refs.entry(owner.to_owned()).or_default().insert(name.clone());
                }
                Some(TypeRef::Named { ident, boxed: false })
            }
        }
    }
}
