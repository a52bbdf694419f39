//! `oneOf`/`anyOf` of several types → a `kind: union`: tagged by the `discriminator` (its `mapping`, a variant's one-value `enum`, or the schema name) or a property every alternative fixes, else untagged.

use std::collections::BTreeSet;

use serde_yaml::Value;

use super::super::document::{get, get_str, members, Place};
use super::super::Importer;
use super::{description, Shape, Shaped};
use crate::names;
use crate::spec::{UnionSpec, VariantSpec};

impl Importer<'_> {
    /// Whether `expr` is `json` or names a union (after defining the queued types, so that a
    /// `$ref` is known): what a parameter of scalar alternatives is mapped to before it is
    /// narrowed to `string`.
    pub fn is_json_or_union(&mut self, expr: &str) -> bool {
        self.define_queued();
        expr == "json" || matches!(self.kinds.get(expr), Some(super::Kind::Union))
    }

    /// The union of `parts` (the alternatives at `place`'s `key`, `null` ones already taken out), or
    /// `None` after reporting why it stays `json`. Imported unions are open: a document's
    /// alternatives are a snapshot, and a variant added later must not fail the whole answer.
    pub(super) fn union_of(
        &mut self,
        place: &Place,
        key: &str,
        parts: &[(Place, Value)],
        hint: &str,
        depth: usize,
        nullable: bool,
    ) -> Option<Shaped> {
        let schema = self.docs.at(place).cloned().unwrap_or(Value::Null);
        let discriminator = get(&schema, "discriminator").cloned();
        let declared = discriminator.as_ref().and_then(|d| get_str(d, "propertyName")).map(str::to_owned);
        // Without a `discriminator`, a property every alternative requires with one value of its
        // own is the tag (serde's internally tagged enums look so): decoded untagged, such
        // alternatives could not be told apart, since an imported enum is open.
        let inferred = if declared.is_none() { common_tag(parts) } else { None };
        let property = declared.or_else(|| inferred.clone());
        let tags = match &property {
            Some(property) => Some(self.variant_tags(place, key, parts, property, discriminator.as_ref())?),
            None => None,
        };
        let mut nullable = nullable;
        let mut taken = BTreeSet::new();
        let mut variants = Vec::new();
        for (index, (part, _)) in parts.iter().enumerate() {
            let tag = tags.as_ref().map(|tags| tags[index].clone());
            // A tagged variant (and an inline one's type) is named after its tag, an untagged one after its type.
            let hint = match &tag {
                Some(tag) => format!("{hint} {tag}"),
                None => format!("{hint} {}", index + 1),
            };
            // An inline variant object is this union's alone: its tag property would only repeat
            // the tag (as a one-value enum type of its own), so it is left out. A `$ref`'d one
            // may be used elsewhere and keeps it.
            let inline = self.docs.at(part).is_some_and(|raw| get(raw, "$ref").is_none());
            if let (true, Some(_), Some(property)) = (inline, &tag, &property) {
                self.omit_tag = Some((part.clone(), property.clone()));
            }
            let ty = self.schema_type(part, &hint, depth + 1);
            self.omit_tag = None;
            nullable |= ty.nullable;
            let base = match &tag {
                Some(tag) if tag.chars().any(char::is_alphanumeric) => tag.clone(),
                _ if ty.expr.chars().all(|c| c.is_alphanumeric() || c == '_') => ty.expr.clone(),
                _ => spelled_name(&ty.expr),
            };
            variants.push(VariantSpec {
                name: unique_variant(&base, &mut taken),
                tag,
                ty: ty.expr,
                description: None,
                ..VariantSpec::default()
            });
        }
        let union = UnionSpec {
            name: String::new(),
            description: description(&schema),
            discriminator: property,
            open: true,
            variants,
            inferred: inferred.map(|_| vec!["discriminator".to_owned()]).unwrap_or_default(),
            ..UnionSpec::default()
        };
        Some(Shaped { shape: Shape::Union(union), nullable })
    }

    /// Each alternative's tag: its `mapping` entry, else the one value its `property` may take,
    /// else (a `$ref`) the schema's name, as OpenAPI's implicit mapping says.
    fn variant_tags(
        &mut self,
        place: &Place,
        key: &str,
        parts: &[(Place, Value)],
        property: &str,
        discriminator: Option<&Value>,
    ) -> Option<Vec<String>> {
        // (the schema a mapping entry names, its tag), in document order.
        let mut mapped: Vec<(Place, String)> = Vec::new();
        let mapping = discriminator.and_then(|d| get(d, "mapping")).map(members).unwrap_or_default();
        for (tag, target) in mapping {
            let Some(target) = target.as_str() else { continue };
            // A bare name stands for a component schema.
            let reference = if target.contains('#') || target.contains('/') {
                target.to_owned()
            } else {
                format!("#/components/schemas/{target}")
            };
            let end = self.docs.resolve(place.file, &reference).and_then(|target| self.docs.follow(&target));
            match end {
                Ok(end) => mapped.push((end, tag)),
                Err(reason) => {
                    let at = place.child("discriminator").child("mapping").child(&tag);
                    self.skip(&at, "discriminator mapping", format!("{reason}; the tag is left out"));
                }
            }
        }
        let mut tags = Vec::new();
        let mut used = BTreeSet::new();
        for (index, (part, value)) in parts.iter().enumerate() {
            let end = self.docs.follow(part).ok();
            let by_mapping = end.as_ref().and_then(|end| mapped.iter().find(|(target, _)| target == end));
            let declared =
                get(value, "properties").and_then(|properties| get(properties, property)).and_then(single_value);
            let named = self.docs.at(part).and_then(|raw| get_str(raw, "$ref")).map(|reference| {
                reference.rsplit('/').next().unwrap_or(reference).replace("~1", "/").replace("~0", "~")
            });
            let Some(tag) = by_mapping.map(|(_, tag)| tag.clone()).or(declared).or(named) else {
                self.skip(
                    &place.child(key),
                    key,
                    format!("a union tagged by `{property}` is mapped to `json`: alternative {} has no tag (no mapping entry, no one-value `enum`, no schema name)", index + 1),
                );
                return None;
            };
            if !used.insert(tag.clone()) {
                self.skip(
                    &place.child(key),
                    key,
                    format!("a union tagged by `{property}` is mapped to `json`: alternatives share the tag `{tag}`"),
                );
                return None;
            }
            tags.push(tag);
        }
        for (target, tag) in &mapped {
            if !tags.contains(tag) {
                let at = place.child("discriminator").child("mapping").child(tag);
                let shown = self.docs.show(target);
                self.skip(
                    &at,
                    "discriminator mapping",
                    format!("`{tag}` names {shown}, which is not one of the alternatives; left out"),
                );
            }
        }
        Some(tags)
    }
}

/// The one value a property schema allows: a one-value `enum` or a `const` string.
fn single_value(property: &Value) -> Option<String> {
    match get(property, "enum").and_then(Value::as_sequence).map(Vec::as_slice) {
        Some([Value::String(only)]) => Some(only.clone()),
        _ => get_str(property, "const").map(str::to_owned),
    }
}

/// The first property (in the first alternative's order) that every alternative, an object,
/// requires with one value of its own, all values distinct.
fn common_tag(parts: &[(Place, Value)]) -> Option<String> {
    let (_, first) = parts.first()?;
    let properties = get(first, "properties").map(members).unwrap_or_default();
    properties.into_iter().map(|(name, _)| name).find(|name| {
        let mut values = BTreeSet::new();
        parts.iter().all(|(_, value)| {
            let required = get(value, "required")
                .and_then(Value::as_sequence)
                .is_some_and(|items| items.iter().any(|item| item.as_str() == Some(name.as_str())));
            let tag = get(value, "properties").and_then(|properties| get(properties, name)).and_then(single_value);
            required && tag.is_some_and(|tag| values.insert(tag))
        })
    })
}

/// A variant name for a type expression that is not a name: `list<Pet>` → `Pet list`.
fn spelled_name(expr: &str) -> String {
    for (prefix, word) in [("list<", "list"), ("map<", "map")] {
        if let Some(inner) = expr.strip_prefix(prefix).and_then(|rest| rest.strip_suffix('>')) {
            return format!("{} {word}", spelled_name(inner));
        }
    }
    expr.to_owned()
}

/// `base`, or `base 2`, `base 3`, ... when another variant's Rust name is taken.
fn unique_variant(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = base.to_owned();
    let mut counter = 2;
    while !taken.insert(names::camel(&candidate).to_string()) {
        candidate = format!("{base} {counter}");
        counter += 1;
    }
    candidate
}
