//! Facts sources (`--facts`): tables and client sources that confirm or correct what an
//! importer would otherwise infer from the documents.
//!
//! Two kinds are read, recognised by their content: the tab-separated facts tables
//! (`visma-model-facts.tsv`, `visma-operation-facts.tsv`) and the PHP sources of the
//! openapi-generator client the markdown came from (`Model/*.php`: `attributeMap`,
//! `openAPITypes`, `openAPIFormats`, `openAPINullables`; `Api/*.php`: where each parameter goes).

use std::collections::BTreeMap;

use super::Document;
use crate::diagnostics::Diagnostics;

/// Everything the facts sources say, keyed by the names the documents use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// (model name, property name as the document writes it, e.g. `calendar_id`) → fact.
    pub fields: BTreeMap<(String, String), FieldFact>,
    /// (operation name in the document, e.g. `projectTaskGetAllTasks`, parameter name as
    /// documented, e.g. `erp_api_background`) → fact.
    pub params: BTreeMap<(String, String), ParamFact>,
    /// Operation name in the document → its success responses, by status.
    pub responses: BTreeMap<String, Vec<ResponseFact>>,
    /// Display paths of the sources read, in the order given.
    pub sources: Vec<String>,
}

/// What a source says about one model property.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldFact {
    /// The JSON wire name (`calendarID`).
    pub wire_name: String,
    /// The source's type name (`int`, `string`, `\DateTime`, `\OpenAPI\Client\Model\X[]`).
    pub ty: Option<String>,
    /// The OpenAPI format (`int32`, `date-time`, `byte`).
    pub format: Option<String>,
    pub nullable: Option<bool>,
    /// Allowed values, when the source lists them.
    pub enum_values: Vec<String>,
    /// `<source>:<line>`.
    pub origin: String,
}

/// Where a parameter travels, as a source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FactLocation {
    Path,
    Query,
    Header,
    Body,
}

/// What a source says about one operation parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamFact {
    /// The wire name (`erp-api-background`, `pageSize`).
    pub wire_name: String,
    pub location: FactLocation,
    pub ty: Option<String>,
    pub required: Option<bool>,
    /// `<source>:<line>`.
    pub origin: String,
}

/// A success response a source declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseFact {
    pub status: u16,
    /// The source's type name; `None` for no body.
    pub ty: Option<String>,
    /// `<source>:<line>`.
    pub origin: String,
}

impl Facts {
    /// No facts: the importer infers what the documents leave open.
    pub fn none() -> Self {
        Facts::default()
    }

    /// Reads every source; a source that is none of the known kinds, or malformed, is an error
    /// naming its file and line (facts are meant to be trusted, so nothing is skipped).
    pub fn read(sources: &[Document]) -> Result<Facts, Diagnostics> {
        let mut facts = Facts::default();
        let mut diagnostics = Diagnostics::default();
        for source in sources {
            facts.sources.push(source.path.clone());
            if let Err(problems) = facts.read_one(source) {
                diagnostics.0.extend(problems.0);
            }
        }
        diagnostics.finish(facts)
    }

    fn read_one(&mut self, source: &Document) -> Result<(), Diagnostics> {
        let first = source.text.lines().next().unwrap_or("").trim_end();
        let mut problems = Diagnostics::default();
        if first.starts_with("dto\tproperty\tjson_name") {
            self.model_table(source, &mut problems);
        } else if first.starts_with("operation\tparameter\twire_name") {
            self.operation_table(source, &mut problems);
        } else if source.text.trim_start().starts_with("<?php") {
            if source.text.contains("$attributeMap") {
                self.php_model(source, &mut problems);
            } else if source.text.contains("Request(") {
                self.php_api(source, &mut problems);
            }
            // Other client sources (Configuration.php, ObjectSerializer.php) state no facts.
        } else {
            problems.push(source.error(1, "not a facts source").with_hint(
                "give a facts table (a header `dto\tproperty\tjson_name...` or `operation\tparameter\twire_name...`) or the openapi-generator PHP client's `Model/*.php` and `Api/*.php`",
            ));
        }
        problems.finish(())
    }

    /// `visma-model-facts.tsv`: dto, property, json_name, type, format, nullable, enum_values (`|`-separated).
    fn model_table(&mut self, source: &Document, problems: &mut Diagnostics) {
        for (index, line) in source.text.lines().enumerate().skip(1) {
            let number = index + 1;
            if line.trim().is_empty() {
                continue;
            }
            let columns: Vec<&str> = line.split('\t').collect();
            let [dto, property, json_name, ty, format, nullable, rest @ ..] = columns.as_slice() else {
                problems.push(source.error(
                    number,
                    "expected 7 tab-separated columns: dto, property, json_name, type, format, nullable, enum_values",
                ));
                continue;
            };
            let Some(nullable) = boolean(nullable) else {
                problems.push(source.error(number, format!("nullable `{nullable}` is not `true` or `false`")));
                continue;
            };
            let fact = FieldFact {
                wire_name: (*json_name).to_owned(),
                ty: balanced(ty).then(|| normalize_type(ty)),
                format: Some((*format).to_owned()).filter(|format| !format.is_empty()),
                nullable: Some(nullable),
                enum_values: rest
                    .first()
                    .map(|values| values.split('|').filter(|v| !v.is_empty()).map(str::to_owned).collect())
                    .unwrap_or_default(),
                origin: source.origin(number),
            };
            self.add_field(source, number, (*dto).to_owned(), (*property).to_owned(), fact, problems);
        }
    }

    /// `visma-operation-facts.tsv`: operation, parameter, wire_name, in, type, required.
    fn operation_table(&mut self, source: &Document, problems: &mut Diagnostics) {
        for (index, line) in source.text.lines().enumerate().skip(1) {
            let number = index + 1;
            if line.trim().is_empty() {
                continue;
            }
            let columns: Vec<&str> = line.split('\t').collect();
            let [operation, parameter, wire_name, location, _ty, required, ..] = columns.as_slice() else {
                problems.push(source.error(
                    number,
                    "expected 6 tab-separated columns: operation, parameter, wire_name, in, type, required",
                ));
                continue;
            };
            let Some(location) = fact_location(location) else {
                problems
                    .push(source.error(number, format!("`in` is `{location}`; expected path, query, header or body")));
                continue;
            };
            let fact = ParamFact {
                wire_name: (*wire_name).to_owned(),
                location,
                ty: None,
                required: boolean(required),
                origin: source.origin(number),
            };
            self.add_param(source, number, (*operation).to_owned(), (*parameter).to_owned(), fact, problems);
        }
    }

    /// A model class: `attributeMap` (wire names), `openAPITypes`, `openAPIFormats`,
    /// `openAPINullables`, and the `get<Property>AllowableValues()` lists of enum properties.
    fn php_model(&mut self, source: &Document, problems: &mut Diagnostics) {
        let lines: Vec<&str> = source.text.lines().collect();
        // The class name, as the model documents name the model; `$openAPIModelName` is the
        // schema's name, which may differ in case (`addressInEmployeeDto`).
        let Some(model) = lines.iter().find_map(|line| {
            let rest = line.trim().strip_prefix("class ")?;
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            (!name.is_empty()).then_some(name)
        }) else {
            problems.push(
                source.error(1, "a model source without a `class`").with_hint("give the client's `Model/*.php` files"),
            );
            return;
        };
        let wire = php_array(&lines, "$attributeMap");
        if wire.is_empty() {
            problems.push(source.error(1, format!("model `{model}` has no `$attributeMap` entries")));
            return;
        }
        let types = php_array(&lines, "$openAPITypes");
        let formats = php_array(&lines, "$openAPIFormats");
        let nullables = php_array(&lines, "$openAPINullables");
        let constants = php_constants(&lines);
        for (property, (wire_name, line)) in &wire {
            let get = |map: &BTreeMap<String, (String, usize)>| map.get(property).map(|(value, _)| value.clone());
            // `getStatusAllowableValues` belongs to property `status`.
            let getter =
                format!("get{}AllowableValues", heck::ToUpperCamelCase::to_upper_camel_case(property.as_str()));
            let enum_values = allowable_values(&lines, &getter, &constants);
            let fact = FieldFact {
                wire_name: wire_name.clone(),
                ty: get(&types).map(|ty| normalize_type(&ty)),
                format: get(&formats).filter(|format| format != "null"),
                nullable: get(&nullables).and_then(|value| boolean(&value)),
                enum_values,
                origin: source.origin(*line),
            };
            self.add_field(source, *line, model.clone(), property.clone(), fact, problems);
        }
    }

    /// An API class: for each `<operation>Request(...)` method, where each parameter goes
    /// (`toQueryValue`, `$headerParams[...]`, `{name}` path replacement, the JSON body) and
    /// whether it is optional (`= null`); for each `<operation>WithHttpInfo`, the statuses and
    /// types of its success responses.
    fn php_api(&mut self, source: &Document, problems: &mut Diagnostics) {
        let lines: Vec<&str> = source.text.lines().collect();
        let mut index = 0;
        while index < lines.len() {
            let line = lines[index].trim();
            let Some(signature) = line.strip_prefix("public function ") else {
                index += 1;
                continue;
            };
            let end = lines[index + 1..]
                .iter()
                .position(|next| {
                    let next = next.trim();
                    next.starts_with("public function ")
                        || next.starts_with("protected function ")
                        || next.starts_with("private function ")
                })
                .map_or(lines.len(), |offset| index + 1 + offset);
            let body = &lines[index..end];
            let (name, arguments) = signature.split_once('(').unwrap_or((signature, ""));
            if let Some(operation) = name.strip_suffix("Request") {
                self.php_request(source, index, operation, arguments, body, problems);
            } else if let Some(operation) = name.strip_suffix("WithHttpInfo") {
                self.php_responses(source, index, operation, body);
            }
            index = end;
        }
    }

    fn php_request(
        &mut self,
        source: &Document,
        start: usize,
        operation: &str,
        arguments: &str,
        body: &[&str],
        problems: &mut Diagnostics,
    ) {
        let optional: Vec<(String, bool)> = arguments
            .split(',')
            .filter_map(|argument| {
                let argument = argument.trim();
                let variable = argument.strip_prefix('$')?;
                let (name, default) =
                    variable.split_once('=').map_or((variable, None), |(name, default)| (name, Some(default.trim())));
                Some((name.trim().to_owned(), default.is_some_and(|default| default.starts_with("null"))))
            })
            .collect();
        let mut found = 0;
        for (offset, line) in body.iter().enumerate() {
            let number = start + offset + 1;
            let text = line.trim();
            let mut fact = None;
            if text.ends_with("ObjectSerializer::toQueryValue(") {
                // The next lines: `$variable,` then `'wireName', // param base name`.
                let variable = body
                    .get(offset + 1)
                    .map(|line| line.trim().trim_end_matches(',').trim_start_matches('$').to_owned());
                let wire = body.get(offset + 2).and_then(|line| single_quoted(line.trim())).map(|(wire, _)| wire);
                if let (Some(variable), Some(wire)) = (variable, wire) {
                    fact = Some((variable, wire, FactLocation::Query, number + 1));
                }
            } else if let Some(rest) = text.strip_prefix("$headerParams[") {
                let wire = single_quoted(rest).map(|(wire, _)| wire);
                let variable =
                    rest.split("toHeaderValue($").nth(1).and_then(|rest| rest.split(')').next()).map(str::to_owned);
                if let (Some(variable), Some(wire)) = (variable, wire) {
                    fact = Some((variable, wire, FactLocation::Header, number));
                }
            } else if let Some(rest) = text.strip_prefix("'{' . ") {
                let wire = single_quoted(rest).map(|(wire, _)| wire);
                let variable = body
                    .get(offset + 1)
                    .and_then(|line| line.split("toPathValue($").nth(1))
                    .and_then(|rest| rest.split(')').next())
                    .map(str::to_owned);
                if let (Some(variable), Some(wire)) = (variable, wire) {
                    fact = Some((variable, wire, FactLocation::Path, number));
                }
            } else if let Some(rest) = text.split("sanitizeForSerialization($").nth(1) {
                if let Some(variable) = rest.split(')').next() {
                    fact = Some((variable.to_owned(), "(request body)".to_owned(), FactLocation::Body, number));
                }
            }
            let Some((variable, wire_name, location, line)) = fact else { continue };
            found += 1;
            let required = optional.iter().find(|(name, _)| *name == variable).map(|(_, optional)| !optional);
            let fact = ParamFact { wire_name, location, ty: None, required, origin: source.origin(line) };
            self.add_param(source, line, operation.to_owned(), variable, fact, problems);
        }
        let declared = optional.iter().filter(|(name, _)| name != "contentType").count();
        if found < declared {
            problems.push(source.error(
                start + 1,
                format!("`{operation}Request` takes {declared} parameters but only {found} could be placed (path, query, header or body)"),
            ));
        }
    }

    fn php_responses(&mut self, source: &Document, start: usize, operation: &str, body: &[&str]) {
        let Some(switch) = body.iter().position(|line| line.trim().starts_with("switch($statusCode)")) else { return };
        let mut responses: Vec<ResponseFact> = Vec::new();
        for (offset, line) in body.iter().enumerate().skip(switch + 1) {
            let text = line.trim();
            if text == "}" {
                break;
            }
            let Some(status) = text
                .strip_prefix("case ")
                .and_then(|rest| rest.strip_suffix(':'))
                .and_then(|code| code.parse::<u16>().ok())
            else {
                continue;
            };
            // `return $this->handleResponseWithDataType(` then `'<type>',`.
            let ty = body.get(offset + 2).and_then(|line| single_quoted(line.trim())).map(|(ty, _)| ty);
            if !responses.iter().any(|response| response.status == status) {
                responses.push(ResponseFact { status, ty, origin: source.origin(start + offset + 1) });
            }
        }
        if !responses.is_empty() {
            self.responses.entry(operation.to_owned()).or_insert(responses);
        }
    }

    /// Records a field fact; a second source must agree with the first on what both state.
    fn add_field(
        &mut self,
        source: &Document,
        line: usize,
        model: String,
        property: String,
        fact: FieldFact,
        problems: &mut Diagnostics,
    ) {
        let key = (model, property);
        let Some(existing) = self.fields.get_mut(&key) else {
            self.fields.insert(key, fact);
            return;
        };
        let conflicts = [
            (existing.wire_name != fact.wire_name)
                .then(|| format!("wire name `{}` vs `{}`", existing.wire_name, fact.wire_name)),
            conflict("type", &existing.ty, &fact.ty),
            conflict("format", &existing.format, &fact.format),
            conflict("nullable", &existing.nullable, &fact.nullable),
            (!existing.enum_values.is_empty()
                && !fact.enum_values.is_empty()
                && existing.enum_values != fact.enum_values)
                .then(|| "enum values".to_owned()),
        ];
        for message in conflicts.into_iter().flatten() {
            problems.push(
                source
                    .error(line, format!("`{}.{}`: {message} (the other source: {})", key.0, key.1, existing.origin))
                    .with_hint("the facts sources disagree; correct one of them"),
            );
        }
        existing.ty = existing.ty.take().or(fact.ty);
        existing.format = existing.format.take().or(fact.format);
        existing.nullable = existing.nullable.or(fact.nullable);
        if existing.enum_values.is_empty() {
            existing.enum_values = fact.enum_values;
        }
    }

    fn add_param(
        &mut self,
        source: &Document,
        line: usize,
        operation: String,
        parameter: String,
        fact: ParamFact,
        problems: &mut Diagnostics,
    ) {
        let key = (operation, parameter);
        let Some(existing) = self.params.get_mut(&key) else {
            self.params.insert(key, fact);
            return;
        };
        let conflicts = [
            (existing.wire_name != fact.wire_name)
                .then(|| format!("wire name `{}` vs `{}`", existing.wire_name, fact.wire_name)),
            (existing.location != fact.location)
                .then(|| format!("location {:?} vs {:?}", existing.location, fact.location)),
            conflict("required", &existing.required, &fact.required),
        ];
        for message in conflicts.into_iter().flatten() {
            problems.push(
                source
                    .error(
                        line,
                        format!("`{}` parameter `{}`: {message} (the other source: {})", key.0, key.1, existing.origin),
                    )
                    .with_hint("the facts sources disagree; correct one of them"),
            );
        }
        existing.required = existing.required.or(fact.required);
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.params.is_empty() && self.responses.is_empty()
    }
}

fn conflict<T: PartialEq + std::fmt::Debug>(what: &str, a: &Option<T>, b: &Option<T>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) if a != b => Some(format!("{what} {a:?} vs {b:?}")),
        _ => None,
    }
}

/// A PHP type without namespaces (`\\OpenAPI\\Client\\Model\\X[]` → `X[]`, `\\DateTime` → `DateTime`),
/// the way the facts table writes it.
pub fn normalize_type(ty: &str) -> String {
    let ty = ty.trim();
    match ty.strip_prefix("array<").and_then(|rest| rest.strip_suffix('>')) {
        Some(inner) => format!("array<{}>", inner.split(',').map(normalize_type).collect::<Vec<_>>().join(",")),
        None => ty.rsplit('\\').next().unwrap_or(ty).to_owned(),
    }
}

fn boolean(text: &str) -> Option<bool> {
    match text.trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn fact_location(text: &str) -> Option<FactLocation> {
    Some(match text.trim() {
        "path" => FactLocation::Path,
        "query" => FactLocation::Query,
        "header" => FactLocation::Header,
        "body" => FactLocation::Body,
        _ => return None,
    })
}

/// `false` for a type a table cut short (`array<string` of `array<string,string>`, split at the
/// comma by the tool that wrote the table); the type is then left to the other sources.
fn balanced(ty: &str) -> bool {
    !ty.is_empty() && ty.matches('<').count() == ty.matches('>').count()
}

/// `'text' ...` → (`text`, the rest after the closing quote), with PHP's `\'` and `\\` escapes.
fn single_quoted(text: &str) -> Option<(String, &str)> {
    let rest = text.strip_prefix('\'')?;
    let mut value = String::new();
    let mut chars = rest.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped @ ('\'' | '\\'))) => value.push(escaped),
                Some((_, other)) => {
                    value.push('\\');
                    value.push(other);
                }
                None => return None,
            },
            '\'' => return Some((value, &rest[index + 1..])),
            c => value.push(c),
        }
    }
    None
}

/// The entries `'key' => value` of the PHP array assigned to `variable` (`$attributeMap = [`),
/// each with its 1-based line; quoted values unquoted, others (`null`, `false`) as written.
fn php_array(lines: &[&str], variable: &str) -> BTreeMap<String, (String, usize)> {
    let mut entries = BTreeMap::new();
    let Some(start) = lines.iter().position(|line| line.contains(&format!("{variable} = ["))) else { return entries };
    for (offset, line) in lines[start + 1..].iter().enumerate() {
        let text = line.trim();
        if text.starts_with("];") {
            break;
        }
        let Some((key, rest)) = single_quoted(text) else { continue };
        let Some(value) = rest.trim().strip_prefix("=>") else { continue };
        let value = value.trim().trim_end_matches(',').trim();
        let value = single_quoted(value).map_or_else(|| value.to_owned(), |(value, _)| value);
        entries.insert(key, (value, start + offset + 2));
    }
    entries
}

/// `public const STATUS_ON_HOLD = 'OnHold';` → `STATUS_ON_HOLD` → `OnHold`.
fn php_constants(lines: &[&str]) -> BTreeMap<String, String> {
    lines
        .iter()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("public const ")?;
            let (name, value) = rest.split_once('=')?;
            Some((name.trim().to_owned(), single_quoted(value.trim())?.0))
        })
        .collect()
}

/// The values `get<Property>AllowableValues()` returns (`self::CONSTANT` entries).
fn allowable_values(lines: &[&str], getter: &str, constants: &BTreeMap<String, String>) -> Vec<String> {
    let Some(start) = lines.iter().position(|line| line.contains(&format!("function {getter}()"))) else {
        return Vec::new();
    };
    let mut values = Vec::new();
    for line in &lines[start + 1..] {
        let text = line.trim();
        if text.starts_with("];") || text == "}" {
            break;
        }
        if let Some(constant) = text.strip_prefix("self::") {
            if let Some(value) = constants.get(constant.trim_end_matches(',')) {
                values.push(value.clone());
            }
        } else if let Some((value, _)) = single_quoted(text) {
            values.push(value);
        }
    }
    values
}
