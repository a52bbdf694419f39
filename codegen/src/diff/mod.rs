//! Semantic diff of two lowered specs: what changed, and what it breaks on the wire (existing
//! HTTP clients) and in Rust (code using the generated crate).
//!
//! The diff works on the `Model`, so both sides are validated by the normal pipeline and both
//! the wire names and the Rust names this project generates are at hand.

pub mod report;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use rules::{Bump, Rule, Wire};

/// One reported change.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    #[serde(serialize_with = "rule_id")]
    pub rule: &'static Rule,
    pub service: String,
    /// The API group of an operation change; `None` for types and service-level changes.
    pub group: Option<String>,
    /// What changed: an operation (`get_all_tasks`), a parameter (`get_all_tasks ?pageSize`),
    /// a type (`TaskExtendedDto`) or a field (`TaskExtendedDto.status`).
    pub subject: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub wire: Wire,
    pub rust: Bump,
}

fn rule_id<S: serde::Serializer>(rule: &&'static Rule, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(rule.id)
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// How a reviewer should read a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Breaks existing HTTP clients, or code using the generated crate.
    Breaking,
    NonBreaking,
    /// Documentation only.
    Informational,
}

impl Change {
    pub fn category(&self) -> Category {
        if self.wire == Wire::Breaking || self.rust == Bump::Major {
            Category::Breaking
        } else if self.rule == rules::DOCS_CHANGED {
            Category::Informational
        } else {
            Category::NonBreaking
        }
    }
}

/// Every change between two models, and the crate versions they declare.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub changes: Vec<Change>,
    pub old_version: String,
    pub new_version: String,
}

impl Report {
    /// The bump the generated crate needs; `None` when nothing changed.
    pub fn bump(&self) -> Option<Bump> {
        self.changes.iter().map(|change| change.rust).max()
    }

    /// The smallest version after `old_version` that the bump allows (0.y.z: major bumps y).
    pub fn required_version(&self) -> Option<String> {
        let bump = self.bump()?;
        let (major, minor, patch) = parse_version(&self.old_version)?;
        Some(match (bump, major) {
            (Bump::Major, 0) => format!("0.{}.0", minor + 1),
            (Bump::Major, _) => format!("{}.0.0", major + 1),
            (Bump::Minor, 0) => format!("0.{minor}.{}", patch + 1),
            (Bump::Minor, _) => format!("{major}.{}.0", minor + 1),
            (Bump::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
        })
    }

    /// Whether the new spec's version is at least the required one.
    pub fn version_sufficient(&self) -> bool {
        match (self.required_version().as_deref().and_then(parse_version), parse_version(&self.new_version)) {
            (Some(required), Some(new)) => new >= required,
            (None, _) => true,
            (Some(_), None) => false,
        }
    }

    pub fn count(&self, category: Category) -> usize {
        self.changes.iter().filter(|change| change.category() == category).count()
    }
}

fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text.split('.').map(|part| part.parse::<u64>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

/// Compares two models.
pub fn diff(old: &Model, new: &Model) -> Report {
    let mut changes = Vec::new();
    let old_services: BTreeMap<&str, &Service> = old.services.iter().map(|s| (s.module.as_str(), s)).collect();
    let new_services: BTreeMap<&str, &Service> = new.services.iter().map(|s| (s.module.as_str(), s)).collect();
    for (name, service) in &old_services {
        if !new_services.contains_key(name) {
            changes.push(service_change(
                rules::SERVICE_REMOVED,
                name,
                Some(service.title.clone()),
                None,
                Wire::Breaking,
                Bump::Major,
            ));
        }
    }
    for (name, service) in &new_services {
        match old_services.get(name) {
            None => changes.push(service_change(
                rules::SERVICE_ADDED,
                name,
                None,
                Some(service.title.clone()),
                Wire::None,
                Bump::Minor,
            )),
            Some(old_service) => ServiceDiff::new(old_service, service, &mut changes).run(),
        }
    }
    Report { changes, old_version: old.krate.version.clone(), new_version: new.krate.version.clone() }
}

fn service_change(
    rule: &'static Rule,
    service: &str,
    old: Option<String>,
    new: Option<String>,
    wire: Wire,
    rust: Bump,
) -> Change {
    Change { rule, service: service.to_owned(), group: None, subject: service.to_owned(), old, new, wire, rust }
}

/// An operation with the group it belongs to.
type Located<'a> = (&'a Group, &'a Operation);

/// Which side of the API a type is reached from.
#[derive(Debug, Clone, Copy, Default)]
struct Side {
    request: bool,
    response: bool,
}

struct ServiceDiff<'a> {
    old: &'a Service,
    new: &'a Service,
    changes: &'a mut Vec<Change>,
    /// Old type ident → new type ident, for renamed types.
    renamed_types: BTreeMap<String, String>,
    /// New type ident → where it is used (old side for removed types).
    sides: BTreeMap<String, Side>,
}

impl<'a> ServiceDiff<'a> {
    fn new(old: &'a Service, new: &'a Service, changes: &'a mut Vec<Change>) -> Self {
        let mut sides = sides_of(old);
        for (ident, side) in sides_of(new) {
            let entry = sides.entry(ident).or_default();
            entry.request |= side.request;
            entry.response |= side.response;
        }
        ServiceDiff { old, new, changes, renamed_types: BTreeMap::new(), sides }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: &'static Rule,
        group: Option<&str>,
        subject: String,
        old: Option<String>,
        new: Option<String>,
        wire: Wire,
        rust: Bump,
    ) {
        self.changes.push(Change {
            rule,
            service: self.new.module.clone(),
            group: group.map(str::to_owned),
            subject,
            old,
            new,
            wire,
            rust,
        });
    }

    fn run(mut self) {
        let module = self.new.module.clone();
        if self.old.base_url != self.new.base_url {
            self.push(
                rules::BASE_URL_CHANGED,
                None,
                module.clone(),
                Some(self.old.base_url.clone()),
                Some(self.new.base_url.clone()),
                Wire::PotentiallyBreaking,
                Bump::Patch,
            );
        }
        let auth = |service: &Service| {
            service.auth.iter().map(|a| format!("{} ({:?})", a.id, a.kind)).collect::<Vec<_>>().join(", ")
        };
        if auth(self.old) != auth(self.new) {
            self.push(
                rules::AUTH_CHANGED,
                None,
                module.clone(),
                Some(auth(self.old)),
                Some(auth(self.new)),
                Wire::Breaking,
                Bump::Patch,
            );
        }
        if self.old.title != self.new.title || self.old.doc != self.new.doc {
            self.push(
                rules::DOCS_CHANGED,
                None,
                module,
                Some("service description".to_owned()),
                Some("changed".to_owned()),
                Wire::None,
                Bump::Patch,
            );
        }
        self.types();
        self.operations();
        self.soap_operations();
    }

    // ----- types -------------------------------------------------------------------------

    fn types(&mut self) {
        let old: BTreeMap<&str, &TypeDef> = self.old.types.iter().map(|t| (t.wire_name(), t)).collect();
        let new: BTreeMap<&str, &TypeDef> = self.new.types.iter().map(|t| (t.wire_name(), t)).collect();
        let mut removed: Vec<&str> = old.keys().filter(|name| !new.contains_key(*name)).copied().collect();
        let mut added: Vec<&str> = new.keys().filter(|name| !old.contains_key(*name)).copied().collect();
        let mut pairs: Vec<(&TypeDef, &TypeDef)> =
            old.iter().filter_map(|(name, def)| new.get(name).map(|new_def| (*def, *new_def))).collect();

        // Renames the spec marks, then unambiguous ones (one removed and one added of the same shape).
        for name in added.clone() {
            let Some(from) = renamed_from(new[name]) else { continue };
            if let Some(position) = removed.iter().position(|candidate| *candidate == from) {
                removed.remove(position);
                added.retain(|candidate| *candidate != name);
                pairs.push((old[from], new[name]));
                self.record_type_rename(old[from], new[name]);
            }
        }
        if removed.len() == 1 && added.len() == 1 && same_shape(old[removed[0]], new[added[0]]) {
            let (from, to) = (removed.remove(0), added.remove(0));
            pairs.push((old[from], new[to]));
            self.record_type_rename(old[from], new[to]);
        }
        for name in removed {
            self.push(
                rules::TYPE_REMOVED,
                None,
                name.to_owned(),
                Some(kind_of(old[name]).to_owned()),
                None,
                Wire::None,
                Bump::Major,
            );
        }
        for name in added {
            self.push(
                rules::TYPE_ADDED,
                None,
                name.to_owned(),
                None,
                Some(kind_of(new[name]).to_owned()),
                Wire::None,
                Bump::Minor,
            );
        }
        for (old_def, new_def) in pairs {
            self.type_pair(old_def, new_def);
        }
    }

    fn record_type_rename(&mut self, old: &TypeDef, new: &TypeDef) {
        let ident = |def: &TypeDef| match def {
            TypeDef::Object(o) => o.ident.clone(),
            TypeDef::Enum(e) => e.ident.clone(),
            TypeDef::Alias(a) => a.ident.clone(),
        };
        self.renamed_types.insert(ident(old), ident(new));
        self.push(
            rules::TYPE_RENAMED,
            None,
            new.wire_name().to_owned(),
            Some(old.wire_name().to_owned()),
            Some(new.wire_name().to_owned()),
            Wire::None,
            Bump::Major,
        );
    }

    fn side(&self, def: &TypeDef) -> Side {
        let ident = match def {
            TypeDef::Object(o) => &o.ident,
            TypeDef::Enum(e) => &e.ident,
            TypeDef::Alias(a) => &a.ident,
        };
        match self.sides.get(ident) {
            Some(side) if side.request || side.response => *side,
            // Unused types are judged as if both sides could see them.
            _ => Side { request: true, response: true },
        }
    }

    /// The old type spelled as the new model would spell it (renamed types followed).
    fn spell_old(&self, ty: &TypeRef) -> String {
        spell(ty, &self.renamed_types)
    }

    fn type_pair(&mut self, old: &TypeDef, new: &TypeDef) {
        let subject = new.wire_name().to_owned();
        let side = self.side(new);
        match (old, new) {
            (TypeDef::Object(old), TypeDef::Object(new)) => {
                if old.doc != new.doc {
                    self.push(
                        rules::DOCS_CHANGED,
                        None,
                        subject.clone(),
                        Some("description".to_owned()),
                        Some("changed".to_owned()),
                        Wire::None,
                        Bump::Patch,
                    );
                }
                self.fields(&subject, old, new, side);
            }
            (TypeDef::Enum(old), TypeDef::Enum(new)) => self.enum_pair(&subject, old, new, side),
            (TypeDef::Alias(old), TypeDef::Alias(new)) => {
                let (before, after) = (self.spell_old(&old.ty), spell(&new.ty, &BTreeMap::new()));
                if before != after {
                    self.push(
                        rules::ALIAS_TARGET_CHANGED,
                        None,
                        subject,
                        Some(before),
                        Some(after),
                        Wire::Breaking,
                        Bump::Major,
                    );
                }
            }
            _ => self.push(
                rules::TYPE_KIND_CHANGED,
                None,
                subject,
                Some(kind_of(old).to_owned()),
                Some(kind_of(new).to_owned()),
                Wire::Breaking,
                Bump::Major,
            ),
        }
    }

    fn fields(&mut self, type_name: &str, old: &ObjectDef, new: &ObjectDef, side: Side) {
        let old_fields: BTreeMap<&str, &Field> = old.fields.iter().map(|f| (f.wire_name.as_str(), f)).collect();
        let new_fields: BTreeMap<&str, &Field> = new.fields.iter().map(|f| (f.wire_name.as_str(), f)).collect();
        let mut matched: Vec<(&Field, &Field)> = Vec::new();
        let mut removed: Vec<&Field> = Vec::new();
        for field in &old.fields {
            match new_fields.get(field.wire_name.as_str()) {
                Some(new_field) => matched.push((field, new_field)),
                None => removed.push(field),
            }
        }
        let mut added: Vec<&Field> =
            new.fields.iter().filter(|f| !old_fields.contains_key(f.wire_name.as_str())).collect();
        // A wire rename: marked with `renamed_from`, or the same Rust name under a new JSON name.
        added.retain(|new_field| {
            let position = removed.iter().position(|old_field| {
                new_field.renamed_from.as_deref() == Some(old_field.wire_name.as_str())
                    || old_field.ident == new_field.ident
            });
            match position {
                Some(position) => {
                    let old_field = removed.remove(position);
                    matched.push((old_field, new_field));
                    false
                }
                None => true,
            }
        });
        for field in removed {
            let wire = if side.response && !field.skip_if_none { Wire::Breaking } else { Wire::PotentiallyBreaking };
            self.push(
                rules::FIELD_REMOVED,
                None,
                format!("{type_name}.{}", field.wire_name),
                Some(self.spell_old(&field.ty)),
                None,
                wire,
                Bump::Major,
            );
        }
        for field in added {
            let subject = format!("{type_name}.{}", field.wire_name);
            let ty = Some(spell(&field.ty, &BTreeMap::new()));
            if field.skip_if_none {
                self.push(rules::FIELD_ADDED_OPTIONAL, None, subject, None, ty, Wire::None, Bump::Major);
            } else {
                let wire = if side.request { Wire::Breaking } else { Wire::None };
                self.push(rules::FIELD_ADDED_REQUIRED, None, subject, None, ty, wire, Bump::Major);
            }
        }
        for (old_field, new_field) in matched {
            self.field_pair(type_name, old_field, new_field, side);
        }
    }

    fn field_pair(&mut self, type_name: &str, old: &Field, new: &Field, side: Side) {
        let subject = format!("{type_name}.{}", new.wire_name);
        if old.wire_name != new.wire_name {
            self.push(
                rules::FIELD_WIRE_NAME_CHANGED,
                None,
                subject.clone(),
                Some(old.wire_name.clone()),
                Some(new.wire_name.clone()),
                Wire::Breaking,
                Bump::Patch,
            );
        }
        if old.ident != new.ident {
            self.push(
                rules::FIELD_RUST_NAME_CHANGED,
                None,
                subject.clone(),
                Some(old.ident.clone()),
                Some(new.ident.clone()),
                Wire::None,
                Bump::Major,
            );
        }
        let (before, after) = (self.spell_old(&old.ty), spell(&new.ty, &BTreeMap::new()));
        if before != after {
            self.push(
                rules::FIELD_TYPE_CHANGED,
                None,
                subject.clone(),
                Some(before),
                Some(after),
                Wire::Breaking,
                Bump::Major,
            );
        }
        let (old_required, new_required) = (!old.skip_if_none, !new.skip_if_none);
        if !old_required && new_required {
            let wire = if side.request { Wire::Breaking } else { Wire::None };
            self.push(
                rules::FIELD_BECAME_REQUIRED,
                None,
                subject.clone(),
                Some("optional".to_owned()),
                Some("required".to_owned()),
                wire,
                Bump::Major,
            );
        } else if old_required && !new_required {
            let wire = if side.response { Wire::Breaking } else { Wire::None };
            self.push(
                rules::FIELD_BECAME_OPTIONAL,
                None,
                subject.clone(),
                Some("required".to_owned()),
                Some("optional".to_owned()),
                wire,
                Bump::Major,
            );
        } else if old.optional != new.optional {
            // Both required: `optional` here means nullable.
            let became_nullable = new.optional;
            let wire = if (became_nullable && side.response) || (!became_nullable && side.request) {
                Wire::Breaking
            } else {
                Wire::None
            };
            let (from, to) = if became_nullable { ("not nullable", "nullable") } else { ("nullable", "not nullable") };
            self.push(
                rules::FIELD_NULLABILITY_CHANGED,
                None,
                subject.clone(),
                Some(from.to_owned()),
                Some(to.to_owned()),
                wire,
                Bump::Major,
            );
        }
        if old.deprecated != new.deprecated {
            self.push(
                rules::FIELD_DEPRECATED,
                None,
                subject.clone(),
                deprecation(&old.deprecated),
                deprecation(&new.deprecated),
                Wire::None,
                Bump::Minor,
            );
        }
        if old.doc != new.doc {
            self.push(
                rules::DOCS_CHANGED,
                None,
                subject,
                Some("description".to_owned()),
                Some("changed".to_owned()),
                Wire::None,
                Bump::Patch,
            );
        }
    }

    fn enum_pair(&mut self, subject: &str, old: &EnumDef, new: &EnumDef, side: Side) {
        if old.repr != new.repr {
            self.push(
                rules::ENUM_REPR_CHANGED,
                None,
                subject.to_owned(),
                Some(format!("{:?}", old.repr).to_lowercase()),
                Some(format!("{:?}", new.repr).to_lowercase()),
                Wire::Breaking,
                Bump::Major,
            );
            return;
        }
        if old.open != new.open {
            let (wire, rust) = if new.open {
                (if side.response { Wire::PotentiallyBreaking } else { Wire::None }, Bump::Minor)
            } else {
                (if side.response { Wire::Breaking } else { Wire::None }, Bump::Major)
            };
            let word = |open: bool| if open { "open" } else { "closed" }.to_owned();
            self.push(
                rules::ENUM_OPENNESS_CHANGED,
                None,
                subject.to_owned(),
                Some(word(old.open)),
                Some(word(new.open)),
                wire,
                rust,
            );
        }
        let show = |value: &WireValue| match value {
            WireValue::String(text) => format!("\"{text}\""),
            WireValue::Integer(number) => number.to_string(),
        };
        let old_by_ident: BTreeMap<&str, &Member> = old.members.iter().map(|m| (m.ident.as_str(), m)).collect();
        let new_by_ident: BTreeMap<&str, &Member> = new.members.iter().map(|m| (m.ident.as_str(), m)).collect();
        for member in &old.members {
            match new_by_ident.get(member.ident.as_str()) {
                Some(new_member) if new_member.value != member.value => self.push(
                    rules::ENUM_MEMBER_VALUE_CHANGED,
                    None,
                    format!("{subject}::{}", member.ident),
                    Some(show(&member.value)),
                    Some(show(&new_member.value)),
                    Wire::Breaking,
                    Bump::Patch,
                ),
                Some(_) => {}
                None => {
                    let wire = if side.request { Wire::Breaking } else { Wire::None };
                    self.push(
                        rules::ENUM_MEMBER_REMOVED,
                        None,
                        format!("{subject}::{}", member.ident),
                        Some(show(&member.value)),
                        None,
                        wire,
                        Bump::Major,
                    );
                }
            }
        }
        for member in &new.members {
            if !old_by_ident.contains_key(member.ident.as_str()) {
                let wire = if !new.open && side.response { Wire::Breaking } else { Wire::None };
                self.push(
                    rules::ENUM_MEMBER_ADDED,
                    None,
                    format!("{subject}::{}", member.ident),
                    None,
                    Some(show(&member.value)),
                    wire,
                    Bump::Minor,
                );
            }
        }
        if old.doc != new.doc {
            self.push(
                rules::DOCS_CHANGED,
                None,
                subject.to_owned(),
                Some("description".to_owned()),
                Some("changed".to_owned()),
                Wire::None,
                Bump::Patch,
            );
        }
    }

    // ----- REST operations ---------------------------------------------------------------

    fn operations(&mut self) {
        let list = |service: &'a Service| -> Vec<(&'a Group, &'a Operation)> {
            service.groups.iter().flat_map(|g| g.operations.iter().map(move |op| (g, op))).collect()
        };
        let old = list(self.old);
        let new = list(self.new);
        let mut unmatched_old: Vec<(&Group, &Operation)> =
            old.iter().filter(|(_, op)| !new.iter().any(|(_, n)| n.id == op.id)).copied().collect();
        let mut pairs: Vec<(Located<'_>, Located<'_>)> = Vec::new();
        let mut added = Vec::new();
        for (group, op) in &new {
            if let Some(old_pair) = old.iter().find(|(_, o)| o.id == op.id) {
                pairs.push((*old_pair, (*group, *op)));
                continue;
            }
            // A rename: marked, or the same method and path under a new id.
            let position = unmatched_old.iter().position(|(_, o)| {
                op.renamed_from.as_deref() == Some(o.id.as_str())
                    || (o.method == op.method && o.path_template == op.path_template)
            });
            match position {
                Some(position) => {
                    let old_pair = unmatched_old.remove(position);
                    self.push(
                        rules::OPERATION_RENAMED,
                        Some(&group.module),
                        op.fn_name.clone(),
                        Some(format!("{}::{}", old_pair.0.module, old_pair.1.fn_name)),
                        Some(format!("{}::{}", group.module, op.fn_name)),
                        Wire::None,
                        Bump::Major,
                    );
                    pairs.push((old_pair, (*group, *op)));
                }
                None => added.push((*group, *op)),
            }
        }
        for (group, op) in unmatched_old {
            self.push(
                rules::OPERATION_REMOVED,
                Some(&group.module),
                op.fn_name.clone(),
                Some(http_of(op)),
                None,
                Wire::Breaking,
                Bump::Major,
            );
        }
        for (group, op) in added {
            self.push(
                rules::OPERATION_ADDED,
                Some(&group.module),
                op.fn_name.clone(),
                None,
                Some(http_of(op)),
                Wire::None,
                Bump::Minor,
            );
        }
        for ((_, old_op), (group, new_op)) in pairs {
            self.operation_pair(&group.module, old_op, new_op);
        }
    }

    fn operation_pair(&mut self, group: &str, old: &Operation, new: &Operation) {
        let name = new.fn_name.clone();
        let g = Some(group);
        if old.method != new.method {
            self.push(
                rules::OPERATION_METHOD_CHANGED,
                g,
                name.clone(),
                Some(old.method.as_str().to_owned()),
                Some(new.method.as_str().to_owned()),
                Wire::Breaking,
                Bump::Patch,
            );
        }
        if old.path_template != new.path_template {
            self.push(
                rules::OPERATION_PATH_CHANGED,
                g,
                name.clone(),
                Some(old.path_template.clone()),
                Some(new.path_template.clone()),
                Wire::Breaking,
                Bump::Patch,
            );
        }
        if old.deprecated != new.deprecated {
            self.push(
                rules::OPERATION_DEPRECATED,
                g,
                name.clone(),
                deprecation(&old.deprecated),
                deprecation(&new.deprecated),
                Wire::None,
                Bump::Minor,
            );
        }
        if old.doc != new.doc {
            self.push(
                rules::DOCS_CHANGED,
                g,
                name.clone(),
                Some("summary or description".to_owned()),
                Some("changed".to_owned()),
                Wire::None,
                Bump::Patch,
            );
        }
        self.params(group, &name, old, new);
        self.body(group, &name, old, new);
        self.responses(group, &name, old, new);
    }

    fn params(&mut self, group: &str, op: &str, old: &Operation, new: &Operation) {
        let g = Some(group);
        let describe = |p: &Param, spelled: String| format!("{spelled} in {}", location(p.location));
        let mut unmatched_old: Vec<&Param> = old.params.iter().collect();
        let mut pairs = Vec::new();
        let mut added = Vec::new();
        for param in &new.params {
            let position = unmatched_old.iter().position(|o| o.wire_name == param.wire_name).or_else(|| {
                unmatched_old
                    .iter()
                    .position(|o| param.renamed_from.as_deref() == Some(o.wire_name.as_str()) || o.ident == param.ident)
            });
            match position {
                Some(position) => pairs.push((unmatched_old.remove(position), param)),
                None => added.push(param),
            }
        }
        for param in unmatched_old {
            self.push(
                rules::PARAM_REMOVED,
                g,
                format!("{op} {}", param.wire_name),
                Some(describe(param, self.spell_old(&param.ty))),
                None,
                Wire::PotentiallyBreaking,
                Bump::Major,
            );
        }
        for param in added {
            let spelled = describe(param, spell(&param.ty, &BTreeMap::new()));
            if param.required {
                self.push(
                    rules::PARAM_ADDED_REQUIRED,
                    g,
                    format!("{op} {}", param.wire_name),
                    None,
                    Some(spelled),
                    Wire::Breaking,
                    Bump::Major,
                );
            } else {
                self.push(
                    rules::PARAM_ADDED_OPTIONAL,
                    g,
                    format!("{op} {}", param.wire_name),
                    None,
                    Some(spelled),
                    Wire::None,
                    Bump::Minor,
                );
            }
        }
        for (old_param, new_param) in pairs {
            let subject = format!("{op} {}", new_param.wire_name);
            if old_param.wire_name != new_param.wire_name {
                self.push(
                    rules::PARAM_WIRE_NAME_CHANGED,
                    g,
                    subject.clone(),
                    Some(old_param.wire_name.clone()),
                    Some(new_param.wire_name.clone()),
                    Wire::Breaking,
                    if old_param.ident == new_param.ident { Bump::Patch } else { Bump::Major },
                );
            }
            if old_param.location != new_param.location {
                self.push(
                    rules::PARAM_LOCATION_CHANGED,
                    g,
                    subject.clone(),
                    Some(location(old_param.location).to_owned()),
                    Some(location(new_param.location).to_owned()),
                    Wire::Breaking,
                    Bump::Patch,
                );
            }
            let (before, after) = (self.spell_old(&old_param.ty), spell(&new_param.ty, &BTreeMap::new()));
            if before != after {
                self.push(
                    rules::PARAM_TYPE_CHANGED,
                    g,
                    subject.clone(),
                    Some(before),
                    Some(after),
                    Wire::Breaking,
                    Bump::Major,
                );
            }
            match (old_param.required, new_param.required) {
                (false, true) => self.push(
                    rules::PARAM_BECAME_REQUIRED,
                    g,
                    subject.clone(),
                    Some("optional".to_owned()),
                    Some("required".to_owned()),
                    Wire::Breaking,
                    Bump::Major,
                ),
                (true, false) => self.push(
                    rules::PARAM_BECAME_OPTIONAL,
                    g,
                    subject.clone(),
                    Some("required".to_owned()),
                    Some("optional".to_owned()),
                    Wire::None,
                    Bump::Major,
                ),
                _ => {}
            }
            if old_param.deprecated != new_param.deprecated {
                self.push(
                    rules::PARAM_DEPRECATED,
                    g,
                    subject.clone(),
                    deprecation(&old_param.deprecated),
                    deprecation(&new_param.deprecated),
                    Wire::None,
                    Bump::Minor,
                );
            }
            if old_param.doc != new_param.doc {
                self.push(
                    rules::DOCS_CHANGED,
                    g,
                    subject,
                    Some("description".to_owned()),
                    Some("changed".to_owned()),
                    Wire::None,
                    Bump::Patch,
                );
            }
        }
    }

    fn body(&mut self, group: &str, op: &str, old: &Operation, new: &Operation) {
        let g = Some(group);
        match (&old.body, &new.body) {
            (None, Some(body)) => {
                let (wire, rust) =
                    if body.required { (Wire::Breaking, Bump::Major) } else { (Wire::None, Bump::Minor) };
                self.push(
                    rules::BODY_ADDED,
                    g,
                    op.to_owned(),
                    None,
                    Some(spell(&body.ty, &BTreeMap::new())),
                    wire,
                    rust,
                );
            }
            (Some(body), None) => self.push(
                rules::BODY_REMOVED,
                g,
                op.to_owned(),
                Some(self.spell_old(&body.ty)),
                None,
                Wire::Breaking,
                Bump::Major,
            ),
            (Some(old_body), Some(new_body)) => {
                let (before, after) = (self.spell_old(&old_body.ty), spell(&new_body.ty, &BTreeMap::new()));
                if before != after {
                    self.push(
                        rules::BODY_TYPE_CHANGED,
                        g,
                        op.to_owned(),
                        Some(before),
                        Some(after),
                        Wire::Breaking,
                        Bump::Major,
                    );
                }
                if old_body.required != new_body.required {
                    let word = |required: bool| if required { "required" } else { "optional" }.to_owned();
                    let wire = if new_body.required { Wire::Breaking } else { Wire::None };
                    self.push(
                        rules::BODY_REQUIREDNESS_CHANGED,
                        g,
                        op.to_owned(),
                        Some(word(old_body.required)),
                        Some(word(new_body.required)),
                        wire,
                        Bump::Major,
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn responses(&mut self, group: &str, op: &str, old: &Operation, new: &Operation) {
        let g = Some(group);
        let old_cases: BTreeMap<u16, &SuccessResponse> =
            old.success.responses().iter().map(|r| (r.status, r)).collect();
        let new_cases: BTreeMap<u16, &SuccessResponse> =
            new.success.responses().iter().map(|r| (r.status, r)).collect();
        let body = |r: &SuccessResponse, spell_with: &dyn Fn(&TypeRef) -> String| {
            r.ty.as_ref().map_or("empty".to_owned(), spell_with)
        };
        for (status, response) in &old_cases {
            if !new_cases.contains_key(status) {
                let before = body(response, &|ty| self.spell_old(ty));
                self.push(
                    rules::RESPONSE_STATUS_REMOVED,
                    g,
                    format!("{op} {status}"),
                    Some(before),
                    None,
                    Wire::Breaking,
                    Bump::Major,
                );
            }
        }
        let was_single = matches!(old.success, SuccessShape::Single(_));
        for (status, response) in &new_cases {
            match old_cases.get(status) {
                None => {
                    let rust = if was_single { Bump::Major } else { Bump::Minor };
                    let after = body(response, &|ty| spell(ty, &BTreeMap::new()));
                    self.push(
                        rules::RESPONSE_STATUS_ADDED,
                        g,
                        format!("{op} {status}"),
                        None,
                        Some(after),
                        Wire::PotentiallyBreaking,
                        rust,
                    );
                }
                Some(old_response) => {
                    let before = body(old_response, &|ty| self.spell_old(ty));
                    let after = body(response, &|ty| spell(ty, &BTreeMap::new()));
                    if before != after {
                        self.push(
                            rules::RESPONSE_TYPE_CHANGED,
                            g,
                            format!("{op} {status}"),
                            Some(before),
                            Some(after),
                            Wire::Breaking,
                            Bump::Major,
                        );
                    }
                    let old_headers: BTreeSet<String> =
                        old_response.headers.iter().map(|h| h.to_ascii_lowercase()).collect();
                    let new_headers: BTreeSet<String> =
                        response.headers.iter().map(|h| h.to_ascii_lowercase()).collect();
                    for header in response.headers.iter().filter(|h| !old_headers.contains(&h.to_ascii_lowercase())) {
                        self.push(
                            rules::RESPONSE_HEADER_ADDED,
                            g,
                            format!("{op} {status}"),
                            None,
                            Some(header.clone()),
                            Wire::None,
                            Bump::Patch,
                        );
                    }
                    for header in old_response.headers.iter().filter(|h| !new_headers.contains(&h.to_ascii_lowercase()))
                    {
                        self.push(
                            rules::RESPONSE_HEADER_REMOVED,
                            g,
                            format!("{op} {status}"),
                            Some(header.clone()),
                            None,
                            Wire::Breaking,
                            Bump::Patch,
                        );
                    }
                }
            }
        }
        let statuses = |op: &Operation| -> BTreeSet<String> {
            op.errors.iter().map(|e| e.status.map_or("default".to_owned(), |s| s.to_string())).collect()
        };
        let (old_errors, new_errors) = (statuses(old), statuses(new));
        for status in new_errors.difference(&old_errors) {
            self.push(
                rules::ERROR_STATUS_CHANGED,
                g,
                format!("{op} {status}"),
                None,
                Some("declared".to_owned()),
                Wire::None,
                Bump::Patch,
            );
        }
        for status in old_errors.difference(&new_errors) {
            self.push(
                rules::ERROR_STATUS_CHANGED,
                g,
                format!("{op} {status}"),
                Some("declared".to_owned()),
                None,
                Wire::None,
                Bump::Patch,
            );
        }
        let error_type = |ty: &Option<TypeRef>, spell_with: &dyn Fn(&TypeRef) -> String| {
            ty.as_ref().map_or("none".to_owned(), spell_with)
        };
        let before = error_type(&old.error_body, &|ty| self.spell_old(ty));
        let after = error_type(&new.error_body, &|ty| spell(ty, &BTreeMap::new()));
        if before != after {
            self.push(
                rules::ERROR_TYPE_CHANGED,
                g,
                op.to_owned(),
                Some(before),
                Some(after),
                Wire::PotentiallyBreaking,
                Bump::Major,
            );
        }
    }

    // ----- SOAP operations ---------------------------------------------------------------

    fn soap_operations(&mut self) {
        let empty = Vec::new();
        let old = self.old.soap.as_ref().map_or(&empty, |soap| &soap.operations);
        let new = self.new.soap.as_ref().map_or(&empty, |soap| &soap.operations);
        for op in old.iter().filter(|op| !new.iter().any(|n| n.id == op.id)) {
            self.push(
                rules::OPERATION_REMOVED,
                None,
                op.fn_name.clone(),
                Some(op.element.clone()),
                None,
                Wire::Breaking,
                Bump::Major,
            );
        }
        for op in new {
            let Some(old_op) = old.iter().find(|o| o.id == op.id) else {
                self.push(
                    rules::OPERATION_ADDED,
                    None,
                    op.fn_name.clone(),
                    None,
                    Some(op.element.clone()),
                    Wire::None,
                    Bump::Minor,
                );
                continue;
            };
            if old_op.element != op.element || old_op.request_element != op.request_element {
                self.push(
                    rules::OPERATION_PATH_CHANGED,
                    None,
                    op.fn_name.clone(),
                    Some(old_op.element.clone()),
                    Some(op.element.clone()),
                    Wire::Breaking,
                    Bump::Patch,
                );
            }
            let renamed = |ident: &str| self.renamed_types.get(ident).cloned().unwrap_or_else(|| ident.to_owned());
            let (old_request, old_response) = (renamed(&old_op.request), renamed(&old_op.response));
            if old_request != op.request {
                self.push(
                    rules::BODY_TYPE_CHANGED,
                    None,
                    op.fn_name.clone(),
                    Some(old_op.request.clone()),
                    Some(op.request.clone()),
                    Wire::Breaking,
                    Bump::Major,
                );
            }
            if old_response != op.response {
                self.push(
                    rules::RESPONSE_TYPE_CHANGED,
                    None,
                    op.fn_name.clone(),
                    Some(old_op.response.clone()),
                    Some(op.response.clone()),
                    Wire::Breaking,
                    Bump::Major,
                );
            }
            if old_op.uses_session != op.uses_session {
                self.push(
                    rules::PARAM_ADDED_REQUIRED,
                    None,
                    format!("{} session", op.fn_name),
                    None,
                    Some("session".to_owned()),
                    Wire::Breaking,
                    Bump::Major,
                );
            }
            if old_op.doc != op.doc {
                self.push(
                    rules::DOCS_CHANGED,
                    None,
                    op.fn_name.clone(),
                    Some("summary or description".to_owned()),
                    Some("changed".to_owned()),
                    Wire::None,
                    Bump::Patch,
                );
            }
        }
    }
}

fn renamed_from(def: &TypeDef) -> Option<&str> {
    match def {
        TypeDef::Object(o) => o.renamed_from.as_deref(),
        TypeDef::Enum(e) => e.renamed_from.as_deref(),
        TypeDef::Alias(a) => a.renamed_from.as_deref(),
    }
}

fn kind_of(def: &TypeDef) -> &'static str {
    match def {
        TypeDef::Object(_) => "object",
        TypeDef::Enum(_) => "enum",
        TypeDef::Alias(_) => "alias",
    }
}

/// Same kind and same wire shape (field names and types, member values, alias target).
fn same_shape(old: &TypeDef, new: &TypeDef) -> bool {
    let none = BTreeMap::new();
    match (old, new) {
        (TypeDef::Object(a), TypeDef::Object(b)) => {
            let fields = |o: &ObjectDef| {
                o.fields.iter().map(|f| (f.wire_name.clone(), spell(&f.ty, &none), f.skip_if_none)).collect::<Vec<_>>()
            };
            fields(a) == fields(b)
        }
        (TypeDef::Enum(a), TypeDef::Enum(b)) => {
            a.members.iter().map(|m| &m.value).eq(b.members.iter().map(|m| &m.value))
        }
        (TypeDef::Alias(a), TypeDef::Alias(b)) => spell(&a.ty, &none) == spell(&b.ty, &none),
        _ => false,
    }
}

/// A type in the spec's grammar, with renamed type names mapped to their new names.
fn spell(ty: &TypeRef, renamed: &BTreeMap<String, String>) -> String {
    match ty {
        TypeRef::String => "string".to_owned(),
        TypeRef::I32 => "int32".to_owned(),
        TypeRef::I64 => "int64".to_owned(),
        TypeRef::F32 => "float".to_owned(),
        TypeRef::F64 => "double".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Date => "date".to_owned(),
        TypeRef::DateTime => "datetime".to_owned(),
        TypeRef::Uuid => "uuid".to_owned(),
        TypeRef::Json => "json".to_owned(),
        TypeRef::ETag => "etag".to_owned(),
        TypeRef::Secret => "secret".to_owned(),
        TypeRef::List(inner) => format!("list<{}>", spell(inner, renamed)),
        TypeRef::Map(inner) => format!("map<{}>", spell(inner, renamed)),
        TypeRef::Named { ident, .. } => renamed.get(ident).cloned().unwrap_or_else(|| ident.clone()),
    }
}

fn http_of(op: &Operation) -> String {
    format!("{} {}", op.method.as_str(), op.path_template)
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn deprecation(note: &Option<String>) -> Option<String> {
    Some(match note {
        None => "not deprecated".to_owned(),
        Some(note) if note.is_empty() => "deprecated".to_owned(),
        Some(note) => format!("deprecated: {note}"),
    })
}

/// Type ident → the sides it is reached from, following fields, list items and aliases.
fn sides_of(service: &Service) -> BTreeMap<String, Side> {
    let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for def in &service.types {
        let (ident, targets) = match def {
            TypeDef::Object(o) => (o.ident.as_str(), o.fields.iter().flat_map(|f| named(&f.ty)).collect()),
            TypeDef::Alias(a) => (a.ident.as_str(), named(&a.ty)),
            TypeDef::Enum(e) => (e.ident.as_str(), Vec::new()),
        };
        edges.insert(ident, targets);
    }
    let mut roots: Vec<(&str, bool)> = Vec::new();
    for op in service.groups.iter().flat_map(|g| &g.operations) {
        for param in &op.params {
            roots.extend(named(&param.ty).into_iter().map(|n| (n, true)));
        }
        if let Some(body) = &op.body {
            roots.extend(named(&body.ty).into_iter().map(|n| (n, true)));
        }
        for response in op.success.responses() {
            roots.extend(response.ty.iter().flat_map(named).map(|n| (n, false)));
        }
        if let Some(error) = &op.error_body {
            roots.extend(named(error).into_iter().map(|n| (n, false)));
        }
    }
    for op in service.soap.iter().flat_map(|soap| &soap.operations) {
        roots.push((op.request.as_str(), true));
        roots.push((op.response.as_str(), false));
    }
    let mut sides: BTreeMap<String, Side> = BTreeMap::new();
    for (root, request) in roots {
        let mut stack = vec![root];
        let mut seen = BTreeSet::new();
        while let Some(ident) = stack.pop() {
            if !seen.insert(ident) {
                continue;
            }
            let side = sides.entry(ident.to_owned()).or_default();
            if request {
                side.request = true;
            } else {
                side.response = true;
            }
            stack.extend(edges.get(ident).into_iter().flatten().copied());
        }
    }
    sides
}

fn named(ty: &TypeRef) -> Vec<&str> {
    match ty {
        TypeRef::Named { ident, .. } => vec![ident.as_str()],
        TypeRef::List(inner) | TypeRef::Map(inner) => named(inner),
        _ => Vec::new(),
    }
}
