//! JSON Schema (OpenAPI 3.0/3.1, Swagger 2.0) → spec types: objects, enums, aliases and type expressions.

use std::collections::BTreeSet;

use serde_yaml::Value;

use super::document::{get, get_bool, get_str, key_text, members, Place};
use super::Importer;
use crate::names;
use crate::spec::{AliasSpec, Deprecation, EnumRepr, EnumSpec, FieldSpec, MemberSpec, ObjectSpec, TypeSpec, UnionSpec};

mod form_data;
mod unions;

/// Inline schemas nest at most this deep; below, a schema is `json` (and reported).
pub const MAX_SCHEMA_DEPTH: usize = 32;

/// A type expression and whether `null` is one of its values.
#[derive(Debug, Clone)]
pub struct Ty {
    pub expr: String,
    pub nullable: bool,
}

impl Ty {
    fn json() -> Ty {
        Ty { expr: "json".to_owned(), nullable: false }
    }
}

/// What a schema is, before it has a name.
enum Shape {
    Expr(String),
    Object(ObjectSpec),
    Enum(EnumSpec),
    Union(UnionSpec),
}

struct Shaped {
    shape: Shape,
    nullable: bool,
}

impl Shaped {
    fn expr(expr: impl Into<String>, nullable: bool) -> Shaped {
        Shaped { shape: Shape::Expr(expr.into()), nullable }
    }
}

/// What a named type is, for the parameter checks (`lower` accepts only scalars there).
#[derive(Debug, Clone)]
pub enum Kind {
    Object,
    Enum,
    Alias(String),
    Union,
}

const SCALARS: &[&str] =
    &["string", "int32", "int64", "float", "double", "decimal", "bool", "date", "datetime", "uuid"];

/// Names a generated `types` module cannot take without shadowing what the generated code uses.
const RESERVED_TYPES: &[&str] = &["String", "Option", "Vec", "Box", "Result", "Ok", "Err", "Some", "None", "Self"];

impl Importer<'_> {
    /// The type of the schema at `place`; an inline object or enum becomes a named type called
    /// after `hint`.
    pub fn schema_type(&mut self, place: &Place, hint: &str, depth: usize) -> Ty {
        let Some(schema) = self.docs.at(place).cloned() else {
            self.skip(place, "$ref", "the schema is missing; mapped to `json`");
            return Ty::json();
        };
        if let Some(reference) = get_str(&schema, "$ref") {
            return self.reference(place, reference);
        }
        if depth > MAX_SCHEMA_DEPTH {
            self.skip(place, "schema depth", format!("nested more than {MAX_SCHEMA_DEPTH} levels; mapped to `json`"));
            return Ty::json();
        }
        let shaped = self.shape(place, &schema, hint, depth);
        match shaped.shape {
            Shape::Expr(expr) => Ty { expr, nullable: shaped.nullable },
            Shape::Object(mut object) => {
                object.name = self.unique_name(hint);
                let name = object.name.clone();
                self.define(TypeSpec::Object(object), Kind::Object);
                Ty { expr: name, nullable: shaped.nullable }
            }
            Shape::Enum(mut enumeration) => {
                enumeration.name = self.unique_name(hint);
                let name = enumeration.name.clone();
                self.define(TypeSpec::Enum(enumeration), Kind::Enum);
                Ty { expr: name, nullable: shaped.nullable }
            }
            Shape::Union(mut union) => {
                union.name = self.unique_name(hint);
                let name = union.name.clone();
                self.define(TypeSpec::Union(union), Kind::Union);
                Ty { expr: name, nullable: shaped.nullable }
            }
        }
    }

    /// A `$ref` written in file `file` (reported at that file's root when it cannot be followed).
    pub fn reference_from(&mut self, file: usize, reference: &str) -> Ty {
        self.reference(&Place { file, pointer: String::new() }, reference)
    }

    /// A `$ref` to a schema: the named type of its target (defined later, from the queue).
    fn reference(&mut self, place: &Place, reference: &str) -> Ty {
        let target = match self.docs.resolve(place.file, reference) {
            Ok(target) => target,
            Err(reason) => {
                self.skip(place, "$ref", format!("{reason}; mapped to `json`"));
                return Ty::json();
            }
        };
        if let Some(ty) = self.referenced_file(&target) {
            return ty;
        }
        if let Some(named) = self.named.get(&target) {
            return Ty { expr: named.0.clone(), nullable: named.1 };
        }
        let end = match self.docs.follow(&target) {
            Ok(end) => end,
            Err(reason) => {
                self.skip(place, "$ref", format!("{reason}; mapped to `json`"));
                return Ty::json();
            }
        };
        let nullable = self.docs.at(&end).is_some_and(is_nullable);
        let name = self.unique_name(&ref_name(&self.docs.sources[target.file].name, &target.pointer));
        self.named.insert(target.clone(), (name.clone(), nullable));
        self.queue.push((target, name.clone()));
        Ty { expr: name, nullable }
    }

    /// Defines the named types the queue holds (and those their schemas reach).
    pub fn define_queued(&mut self) {
        while let Some((place, name)) = self.queue.pop() {
            let Some(schema) = self.docs.at(&place).cloned() else { continue };
            let description = description(&schema);
            let shaped = match get_str(&schema, "$ref") {
                Some(reference) => Shaped::expr(self.reference(&place, reference).expr, false),
                None => self.shape(&place, &schema, &name, 0),
            };
            match shaped.shape {
                Shape::Expr(expr) => {
                    let alias = AliasSpec {
                        name: name.clone(),
                        renamed_from: None,
                        description,
                        ty: expr.clone(),
                        origin: None,
                        inferred: Vec::new(),
                    };
                    self.define(TypeSpec::Alias(alias), Kind::Alias(expr));
                }
                Shape::Object(mut object) => {
                    object.name = name;
                    self.define(TypeSpec::Object(object), Kind::Object);
                }
                Shape::Enum(mut enumeration) => {
                    enumeration.name = name;
                    self.define(TypeSpec::Enum(enumeration), Kind::Enum);
                }
                Shape::Union(mut union) => {
                    union.name = name;
                    self.define(TypeSpec::Union(union), Kind::Union);
                }
            }
        }
    }

    fn define(&mut self, ty: TypeSpec, kind: Kind) {
        self.kinds.insert(ty.name().to_owned(), kind);
        self.types.push(ty);
    }

    /// A type name not yet taken (compared as Rust names), from `base`.
    pub fn unique_name(&mut self, base: &str) -> String {
        let mut name = names::camel(base).unraw().to_owned();
        if name.starts_with('_') || name.is_empty() {
            name = format!("T{}", name.trim_start_matches('_'));
        }
        if RESERVED_TYPES.contains(&name.as_str()) {
            name.push_str("Type");
        }
        let mut candidate = name.clone();
        let mut counter = 2;
        while !self.type_names.insert(names::camel(&candidate).to_string()) {
            candidate = format!("{name}{counter}");
            counter += 1;
        }
        candidate
    }

    fn shape(&mut self, place: &Place, schema: &Value, hint: &str, depth: usize) -> Shaped {
        let mut nullable = get_bool(schema, "nullable") || get_bool(schema, "x-nullable");
        if let Some(parts) = get(schema, "allOf").and_then(Value::as_sequence) {
            if get(schema, "properties").is_none() && parts.len() == 1 {
                let ty = self.schema_type(&place.child("allOf").index(0), hint, depth + 1);
                return Shaped::expr(ty.expr, nullable || ty.nullable);
            }
            return self.all_of(place, schema, hint, depth, nullable);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(parts) = get(schema, key).and_then(Value::as_sequence) {
                if get(schema, "properties").is_some() {
                    self.skip(
                        &place.child(key),
                        key,
                        "alternatives beside `properties` are not mapped; the object keeps its own properties",
                    );
                    break;
                }
                return self.union(place, key, parts.len(), hint, depth, nullable);
            }
        }
        if get(schema, "not").is_some() {
            self.skip(&place.child("not"), "not", "`not` constraints are not checked; ignored");
        }
        let mut types: Vec<String> = match get(schema, "type") {
            Some(Value::String(name)) => vec![name.clone()],
            Some(Value::Sequence(items)) => items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        };
        if types.iter().any(|name| name == "null") {
            nullable = true;
            types.retain(|name| name != "null");
        }
        if types.len() > 1 {
            self.skip(
                &place.child("type"),
                "type array",
                format!("a value of several types ({}) is mapped to `json`", types.join(", ")),
            );
            return Shaped::expr("json", nullable);
        }
        let enum_values = get(schema, "enum").and_then(Value::as_sequence).cloned().or_else(|| {
            // 3.1 `const` is an enum of one value.
            get(schema, "const").map(|value| vec![value.clone()])
        });
        let ty = match types.first() {
            Some(ty) => ty.clone(),
            None if get(schema, "properties").is_some() || get(schema, "additionalProperties").is_some() => {
                "object".to_owned()
            }
            None if get(schema, "items").is_some() => "array".to_owned(),
            None => match enum_values.as_ref().and_then(|values| values.iter().find(|value| !value.is_null())) {
                Some(Value::String(_)) => "string".to_owned(),
                Some(Value::Number(number)) if number.is_i64() || number.is_u64() => "integer".to_owned(),
                Some(Value::Number(_)) => "number".to_owned(),
                Some(Value::Bool(_)) => "boolean".to_owned(),
                _ => String::new(),
            },
        };
        if let Some(values) = enum_values {
            if values.iter().any(Value::is_null) {
                nullable = true;
            }
            let values: Vec<Value> = values.into_iter().filter(|value| !value.is_null()).collect();
            if !values.is_empty() && matches!(ty.as_str(), "string" | "integer") {
                if let Some(enumeration) = self.enumeration(place, schema, &ty, &values) {
                    return Shaped { shape: Shape::Enum(enumeration), nullable };
                }
            } else if !values.is_empty() {
                self.skip(
                    &place.child("enum"),
                    "enum",
                    format!("an enum of {ty} values is not an enum type in the spec; mapped to its base type"),
                );
            }
        }
        match ty.as_str() {
            "object" => self.object(place, schema, hint, depth, nullable),
            "array" => self.array(place, schema, hint, depth, nullable),
            "string" if self.files && get_str(schema, "format") == Some("binary") => Shaped::expr("binary", nullable),
            "string" => Shaped::expr(string_type(get_str(schema, "format")), nullable),
            "integer" => {
                let format = get_str(schema, "format").unwrap_or("");
                if format == "uint64" {
                    self.skip(
                        &place.child("format"),
                        "integer format",
                        "`uint64` is mapped to `int64`: values above 2^63-1 do not decode",
                    );
                }
                let expr = match format {
                    "int8" | "int16" | "int32" | "uint8" | "uint16" => "int32",
                    _ => "int64",
                };
                Shaped::expr(expr, nullable)
            }
            "number" => {
                let expr = match get_str(schema, "format") {
                    Some("float") => "float",
                    Some("decimal") => "decimal",
                    Some("int32") => "int32",
                    Some("int64") => "int64",
                    _ => "double",
                };
                Shaped::expr(expr, nullable)
            }
            "boolean" => Shaped::expr("bool", nullable),
            // Swagger 2.0 `type: file`: only in bodies and responses, which say so themselves.
            "file" => Shaped::expr("string", nullable),
            "" => Shaped::expr("json", nullable),
            other => {
                self.skip(&place.child("type"), "type", format!("unknown type `{other}`; mapped to `json`"));
                Shaped::expr("json", nullable)
            }
        }
    }

    fn object(&mut self, place: &Place, schema: &Value, hint: &str, depth: usize, nullable: bool) -> Shaped {
        let properties = get(schema, "properties").map(members).unwrap_or_default();
        let additional = get(schema, "additionalProperties");
        if get(schema, "patternProperties").is_some() {
            self.skip(&place.child("patternProperties"), "patternProperties", "not mapped; such members are dropped");
        }
        if properties.is_empty() {
            return match additional {
                Some(Value::Bool(false)) => {
                    Shaped { shape: Shape::Object(self.object_spec(schema, Vec::new())), nullable }
                }
                Some(Value::Mapping(map)) if !map.is_empty() => {
                    let inner =
                        self.schema_type(&place.child("additionalProperties"), &format!("{hint}Value"), depth + 1);
                    if inner.nullable {
                        self.skip(
                            &place.child("additionalProperties"),
                            "nullable",
                            "map values can be null, which `map<T>` cannot hold",
                        );
                    }
                    Shaped::expr(format!("map<{}>", inner.expr), nullable)
                }
                Some(_) => Shaped::expr("map<json>", nullable),
                None => Shaped::expr("json", nullable),
            };
        }
        if let Some(additional) = additional {
            if !matches!(additional, Value::Bool(false)) {
                self.skip(
                    &place.child("additionalProperties"),
                    "additionalProperties",
                    "members beside the declared properties are not kept (an object with a map is not a spec construct yet)",
                );
            }
        }
        let required = required_set(schema);
        self.stray_required(place, schema, &properties);
        let mut entries: Vec<(String, Place)> = properties
            .into_iter()
            .map(|(name, _)| {
                let child = place.child("properties").child(&name);
                (name, child)
            })
            .collect();
        self.leave_out_tag(place, &mut entries);
        let fields = self.fields(hint, &entries, &required, depth);
        Shaped { shape: Shape::Object(self.object_spec(schema, fields)), nullable }
    }

    /// Reports each name of the object's `required` list that no property has: a field cannot be
    /// required into existence, so the name is ignored.
    fn stray_required(&mut self, place: &Place, schema: &Value, properties: &[(String, &Value)]) {
        let names = get(schema, "required").and_then(Value::as_sequence).cloned().unwrap_or_default();
        for (index, name) in names.iter().enumerate() {
            let Some(name) = name.as_str() else { continue };
            if !properties.iter().any(|(property, _)| property == name) {
                let reason = format!("`{name}` names no property of the object; ignored");
                self.skip(&place.child("required").index(index), "required property", reason);
            }
        }
    }

    fn object_spec(&self, schema: &Value, fields: Vec<FieldSpec>) -> ObjectSpec {
        ObjectSpec {
            description: description(schema),
            deprecated: deprecation(schema),
            fields,
            ..ObjectSpec::default()
        }
    }

    /// Fields of object `owner` from `(wire name, schema place)` pairs, with Rust names that do not collide.
    fn fields(
        &mut self,
        owner: &str,
        entries: &[(String, Place)],
        required: &BTreeSet<String>,
        depth: usize,
    ) -> Vec<FieldSpec> {
        let mut taken = BTreeSet::new();
        let mut fields = Vec::new();
        for (name, place) in entries {
            let schema = self.docs.at(place).cloned().unwrap_or(Value::Null);
            let mut ty = self.schema_type(place, &format!("{owner} {name}"), depth + 1);
            // A password typed inline in the object is a `secret` (redacted in `Debug`).
            if get_str(&schema, "format") == Some("password") && ty.expr == "string" {
                ty.expr = "secret".to_owned();
            }
            let mut description = description(&schema);
            if get_bool(&schema, "writeOnly") {
                let note = "Write-only: sent in requests, not returned by the server.";
                description = Some(match description {
                    Some(text) => format!("{text}\n\n{note}"),
                    None => note.to_owned(),
                });
            }
            fields.push(FieldSpec {
                name: name.clone(),
                ty: ty.expr,
                required: required.contains(name),
                nullable: ty.nullable,
                read_only: get_bool(&schema, "readOnly"),
                deprecated: deprecation(&schema),
                description,
                max_length: get(&schema, "maxLength").and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok()),
                default: get(&schema, "default").cloned(),
                rust_name: rust_name(name, &mut taken),
                ..FieldSpec::default()
            });
        }
        fields
    }

    /// `allOf` of objects flattened into one object (later parts override a property of the
    /// same name in place); anything else is `json`.
    fn all_of(&mut self, place: &Place, schema: &Value, hint: &str, depth: usize, nullable: bool) -> Shaped {
        let mut entries: Vec<(String, Place)> = Vec::new();
        let mut required = BTreeSet::new();
        let mut problem = None;
        self.collect_properties(place, schema, &mut entries, &mut required, &mut problem, depth);
        if let Some(reason) = problem {
            self.skip(&place.child("allOf"), "allOf", format!("{reason}; mapped to `json`"));
            return Shaped::expr("json", nullable);
        }
        self.leave_out_tag(place, &mut entries);
        let fields = self.fields(hint, &entries, &required, depth);
        Shaped { shape: Shape::Object(self.object_spec(schema, fields)), nullable }
    }

    /// Drops the tag property from the properties of the inline variant object at `place` (see
    /// `omit_tag`); the objects it holds keep theirs.
    fn leave_out_tag(&mut self, place: &Place, entries: &mut Vec<(String, Place)>) {
        if let Some((_, property)) = self.omit_tag.take_if(|(variant, _)| variant == place) {
            entries.retain(|(name, _)| *name != property);
        }
    }

    fn collect_properties(
        &mut self,
        place: &Place,
        schema: &Value,
        entries: &mut Vec<(String, Place)>,
        required: &mut BTreeSet<String>,
        problem: &mut Option<String>,
        depth: usize,
    ) {
        if depth > MAX_SCHEMA_DEPTH {
            *problem = Some("nested too deeply".to_owned());
            return;
        }
        for key in ["oneOf", "anyOf"] {
            if get(schema, key).is_some() {
                *problem = Some(format!("a part holds `{key}`, which cannot be flattened"));
            }
        }
        if let Some(ty) = get_str(schema, "type").filter(|ty| *ty != "object") {
            *problem = Some(format!("a part is of type `{ty}`, not an object"));
        }
        if matches!(get(schema, "additionalProperties"), Some(value) if !matches!(value, Value::Bool(false))) {
            self.skip(
                &place.child("additionalProperties"),
                "additionalProperties",
                "members beside the declared properties are not kept",
            );
        }
        if let Some(parts) = get(schema, "allOf").and_then(Value::as_sequence) {
            for index in 0..parts.len() {
                let part = place.child("allOf").index(index);
                let end = match self.docs.follow(&part) {
                    Ok(end) => end,
                    Err(reason) => {
                        *problem = Some(reason);
                        return;
                    }
                };
                let Some(value) = self.docs.at(&end).cloned() else { return };
                self.collect_properties(&end, &value, entries, required, problem, depth + 1);
            }
        }
        required.extend(required_set(schema));
        for (name, _) in get(schema, "properties").map(members).unwrap_or_default() {
            let child = place.child("properties").child(&name);
            match entries.iter_mut().find(|(known, _)| *known == name) {
                Some(entry) => entry.1 = child,
                None => entries.push((name, child)),
            }
        }
    }

    /// `oneOf`/`anyOf`: `null` alternatives make it nullable; one alternative left is that
    /// type; string enums merge into one enum; only strings is `string`; else a union (`unions`).
    fn union(&mut self, place: &Place, key: &str, count: usize, hint: &str, depth: usize, nullable: bool) -> Shaped {
        let mut nullable = nullable;
        let mut parts = Vec::new();
        for index in 0..count {
            let part = place.child(key).index(index);
            let end = self.docs.follow(&part).ok();
            let value = end.as_ref().and_then(|end| self.docs.at(end)).cloned().unwrap_or(Value::Null);
            if is_null_schema(&value) {
                nullable = true;
            } else {
                parts.push((part, value));
            }
        }
        match parts.len() {
            0 => return Shaped::expr("json", nullable),
            1 => {
                let ty = self.schema_type(&parts[0].0, hint, depth + 1);
                return Shaped::expr(ty.expr, nullable || ty.nullable);
            }
            _ => {}
        }
        let inline_string_enums = parts.iter().all(|(part, value)| {
            self.docs.at(part).is_some_and(|raw| get(raw, "$ref").is_none())
                && get_str(value, "type").is_none_or(|ty| ty == "string")
                && (get(value, "enum")
                    .and_then(Value::as_sequence)
                    .is_some_and(|values| values.iter().all(|value| value.is_string() || value.is_null()))
                    || get(value, "const").is_some_and(Value::is_string))
        });
        if inline_string_enums {
            let mut merged = Vec::new();
            for (_, value) in &parts {
                let values = get(value, "enum")
                    .and_then(Value::as_sequence)
                    .cloned()
                    .unwrap_or_else(|| get(value, "const").cloned().into_iter().collect());
                nullable |= values.iter().any(Value::is_null);
                for member in values.into_iter().filter(|value| !value.is_null()) {
                    merged.push((member, description(value), deprecation(value)));
                }
            }
            let schema = self.docs.at(place).cloned().unwrap_or(Value::Null);
            if let Some(enumeration) = self.enumeration_of(place, &schema, "string", merged, None) {
                return Shaped { shape: Shape::Enum(enumeration), nullable };
            }
        }
        let strings = parts.iter().all(|(part, _)| self.is_string(part, 0));
        if strings {
            self.skip(&place.child(key), key, format!("{} alternatives, all strings: mapped to `string`", parts.len()));
            return Shaped::expr("string", nullable);
        }
        self.union_of(place, key, &parts, hint, depth, nullable).unwrap_or_else(|| Shaped::expr("json", nullable))
    }

    /// Whether the schema at `place` is a string (through `$ref`s and one-part `allOf`s).
    fn is_string(&mut self, place: &Place, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        let Ok(end) = self.docs.follow(place) else { return false };
        let Some(value) = self.docs.at(&end).cloned() else { return false };
        if let Some(parts) = get(&value, "allOf").and_then(Value::as_sequence) {
            return parts.len() == 1 && self.is_string(&end.child("allOf").index(0), depth + 1);
        }
        let string_enum =
            get(&value, "enum").and_then(Value::as_sequence).is_some_and(|values| values.iter().all(Value::is_string));
        get(&value, "properties").is_none() && (get_str(&value, "type") == Some("string") || string_enum)
    }

    fn array(&mut self, place: &Place, schema: &Value, hint: &str, depth: usize, nullable: bool) -> Shaped {
        if get(schema, "prefixItems").is_some() || get(schema, "items").is_some_and(Value::is_sequence) {
            self.skip(&place.child("items"), "tuple", "a tuple (items by position) is mapped to `list<json>`");
            return Shaped::expr("list<json>", nullable);
        }
        if get(schema, "items").is_none() {
            return Shaped::expr("list<json>", nullable);
        }
        let item = self.schema_type(&place.child("items"), &format!("{hint}Item"), depth + 1);
        if item.nullable {
            self.skip(&place.child("items"), "nullable", "list items can be null, which `list<T>` cannot hold");
        }
        Shaped::expr(format!("list<{}>", item.expr), nullable)
    }

    fn enumeration(&mut self, place: &Place, schema: &Value, ty: &str, values: &[Value]) -> Option<EnumSpec> {
        let varnames: Option<Vec<String>> = ["x-enum-varnames", "x-enumNames"].iter().find_map(|key| {
            get(schema, key)
                .and_then(Value::as_sequence)
                .map(|names| names.iter().filter_map(key_text).collect::<Vec<_>>())
                .filter(|names| names.len() == values.len())
        });
        let descriptions: Option<Vec<Option<String>>> = get(schema, "x-enum-descriptions")
            .and_then(Value::as_sequence)
            .filter(|items| items.len() == values.len())
            .map(|items| items.iter().map(|item| item.as_str().map(str::to_owned)).collect());
        let members = values
            .iter()
            .enumerate()
            .map(|(index, value)| {
                let doc = descriptions.as_ref().and_then(|docs| docs[index].clone());
                (value.clone(), doc, Deprecation::No)
            })
            .collect();
        self.enumeration_of(place, schema, ty, members, varnames)
    }

    fn enumeration_of(
        &mut self,
        place: &Place,
        schema: &Value,
        ty: &str,
        values: Vec<(Value, Option<String>, Deprecation)>,
        varnames: Option<Vec<String>>,
    ) -> Option<EnumSpec> {
        let repr = if ty == "integer" { EnumRepr::Integer } else { EnumRepr::String };
        let mut taken_names = BTreeSet::new();
        let mut taken_values = BTreeSet::new();
        let mut members = Vec::new();
        for (index, (value, description, deprecated)) in values.into_iter().enumerate() {
            let (wire, text) = match (repr, &value) {
                (EnumRepr::Integer, Value::Number(number)) if number.as_i64().is_some() => {
                    (value.clone(), number.to_string())
                }
                (EnumRepr::String, Value::String(text)) => (value.clone(), text.clone()),
                (EnumRepr::String, Value::Number(_) | Value::Bool(_)) => {
                    let text = key_text(&value).unwrap_or_default();
                    (Value::String(text.clone()), text)
                }
                _ => {
                    self.skip(
                        &place.child("enum").index(index),
                        "enum",
                        format!("the value does not fit a {ty} enum; left out"),
                    );
                    continue;
                }
            };
            if !taken_values.insert(text.clone()) {
                continue;
            }
            let source = match varnames.as_ref().and_then(|names| names.get(index)) {
                Some(name) => name.clone(),
                None => member_name(&text, repr),
            };
            let mut name = if names::camel(&source) == "Value" && !source.eq_ignore_ascii_case("value") {
                format!("Value {index}")
            } else {
                source
            };
            let base = name.clone();
            let mut counter = 2;
            while !taken_names.insert(names::camel(&name).to_string()) {
                name = format!("{base} {counter}");
                counter += 1;
            }
            members.push(MemberSpec { name, value: wire, description, deprecated, origin: None, inferred: Vec::new() });
        }
        if members.is_empty() {
            return None;
        }
        // A document's enum is a snapshot of what the server sends today: kept open, so a value
        // added later decodes (as `Other`) instead of failing the whole answer.
        Some(EnumSpec {
            name: String::new(),
            renamed_from: None,
            description: description(schema),
            repr,
            open: true,
            members,
            origin: None,
            inferred: Vec::new(),
        })
    }

    /// Whether `expr` is a type a parameter can carry: `Some(true)` a scalar, `Some(false)` a
    /// list of scalars (written out, since `lower` refuses an alias of a list), else `None`.
    pub fn param_shape(&self, expr: &str) -> Option<(String, bool)> {
        self.param_shape_at(expr, 0)
    }

    fn param_shape_at(&self, expr: &str, depth: usize) -> Option<(String, bool)> {
        if depth > MAX_SCHEMA_DEPTH {
            return None;
        }
        if SCALARS.contains(&expr) {
            return Some((expr.to_owned(), true));
        }
        if let Some(inner) = expr.strip_prefix("list<").and_then(|rest| rest.strip_suffix('>')) {
            let (_, scalar) = self.param_shape_at(inner, depth + 1)?;
            return scalar.then(|| (expr.to_owned(), false));
        }
        match self.kinds.get(expr)? {
            Kind::Enum => Some((expr.to_owned(), true)),
            // `lower` refuses an alias of a list: the list is written out.
            Kind::Alias(target) if target.starts_with("list<") => {
                self.param_shape_at(target, depth + 1).filter(|(_, scalar)| !scalar)
            }
            Kind::Alias(target) => {
                let (_, scalar) = self.param_shape_at(target, depth + 1)?;
                scalar.then(|| (expr.to_owned(), true))
            }
            Kind::Object | Kind::Union => None,
        }
    }
}

/// A name for the type a `$ref` names: its last pointer segment, or the file's stem.
fn ref_name(file: &str, pointer: &str) -> String {
    let segments: Vec<String> = pointer
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect();
    let useful = segments.iter().rev().find(|segment| {
        !segment.chars().all(|c| c.is_ascii_digit()) && !["schema", "items", "properties"].contains(&segment.as_str())
    });
    match useful {
        Some(segment) => segment.clone(),
        None => file.split('.').next().unwrap_or("Schema").to_owned(),
    }
}

fn member_name(text: &str, repr: EnumRepr) -> String {
    let signed = |rest: &str, sign: &str| format!("{sign} {rest}");
    match repr {
        EnumRepr::Integer => match text.strip_prefix('-') {
            Some(rest) => format!("Value minus {rest}"),
            None => format!("Value {text}"),
        },
        EnumRepr::String => match (text.strip_prefix('+'), text.strip_prefix('-')) {
            (Some(rest), _) if !rest.is_empty() => signed(rest, "plus"),
            (_, Some(rest)) if !rest.is_empty() => signed(rest, "minus"),
            _ if text.is_empty() => "Empty".to_owned(),
            _ => text.to_owned(),
        },
    }
}

/// A field's `rust_name` when the computed one would collide with an earlier field's (or spell
/// a sign as nothing: `+1` and `-1`).
pub fn rust_name(wire: &str, taken: &mut BTreeSet<String>) -> Option<String> {
    let spelled = match (wire.strip_prefix('+'), wire.strip_prefix('-')) {
        (Some(rest), _) if !rest.is_empty() => Some(format!("plus_{rest}")),
        (_, Some(rest)) if !rest.is_empty() => Some(format!("minus_{rest}")),
        _ => None,
    };
    let computed = names::snake(wire);
    if spelled.is_none() && taken.insert(computed.unraw().to_owned()) {
        return None;
    }
    let base = names::to_snake(spelled.as_deref().unwrap_or(wire));
    let base = if base.starts_with(|c: char| c.is_ascii_lowercase()) { base } else { format!("field_{base}") };
    let base = base.trim_end_matches('_').to_owned();
    let mut candidate = base.clone();
    let mut counter = 2;
    while names::checked_snake(&candidate).is_none() || !taken.insert(candidate.clone()) {
        candidate = format!("{base}_{counter}");
        counter += 1;
        if counter > 10_000 {
            return None;
        }
    }
    Some(candidate)
}

fn required_set(schema: &Value) -> BTreeSet<String> {
    get(schema, "required")
        .and_then(Value::as_sequence)
        .map(|items| items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// `description`, else `title`.
pub fn description(schema: &Value) -> Option<String> {
    get_str(schema, "description")
        .or_else(|| get_str(schema, "title"))
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

pub fn deprecation(value: &Value) -> Deprecation {
    if get_bool(value, "deprecated") {
        Deprecation::Flag(true)
    } else {
        Deprecation::No
    }
}

fn string_type(format: Option<&str>) -> &'static str {
    match format {
        Some("date-time") => "datetime",
        Some("date") => "date",
        Some("uuid") => "uuid",
        _ => "string",
    }
}

/// Whether a schema (without following its `$ref`) admits `null`.
fn is_nullable(schema: &Value) -> bool {
    let in_types = match get(schema, "type") {
        Some(Value::Sequence(items)) => items.iter().any(|item| item.as_str() == Some("null")),
        _ => false,
    };
    let in_union = ["oneOf", "anyOf"]
        .iter()
        .any(|key| get(schema, key).and_then(Value::as_sequence).is_some_and(|parts| parts.iter().any(is_null_schema)));
    get_bool(schema, "nullable") || get_bool(schema, "x-nullable") || in_types || in_union
}

fn is_null_schema(schema: &Value) -> bool {
    match get(schema, "type") {
        Some(Value::String(ty)) => ty == "null",
        Some(Value::Sequence(items)) => items.len() == 1 && items[0].as_str() == Some("null"),
        _ => get(schema, "enum").and_then(Value::as_sequence).is_some_and(|values| values.iter().all(Value::is_null)),
    }
}
