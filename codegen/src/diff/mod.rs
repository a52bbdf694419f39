//! Semantic diff of two lowered specs: what changed, and what it breaks on the wire (existing
//! HTTP clients) and in Rust (code using the generated crate).
//!
//! The diff reads the `Model`, so both sides have been validated by the normal pipeline and both
//! the wire names and the Rust names this project generates are at hand. `diff` matches services,
//! then types (renames first, so later comparisons see through them), then operations; each
//! comparison pushes `Change`s classified by the rule table in `rules`.

mod groups;
mod operations;
pub mod report;
pub mod rules;
pub mod semver;
mod sides;
mod soap;
mod types;
mod unions;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{ApiKeyLocation, AuthKind, AuthScheme};
use crate::model::{Model, Service, TypeRef};
use rules::{Bump, Rule, Verdict, Wire};
pub use sides::Side;

/// What part of a service a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// The service itself: its presence, base URL, auth, SOAP binding, docs.
    Service,
    /// An operation, its parameters, body or responses.
    Operation,
    /// A type, field or enum member.
    Type,
}

/// One reported change.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub rule: &'static Rule,
    /// The service's module name.
    pub service: String,
    pub area: Area,
    /// The API group of an operation change (`None` for SOAP operations).
    pub group: Option<String>,
    /// What changed: an operation (`get_all_tasks`), a parameter (`get_all_tasks ?pageSize`), a
    /// body or status (`create body`, `create 201`), a type (`TaskDto`), a field
    /// (`TaskDto.status`) or an enum member (`TaskStatus::Done`).
    pub subject: String,
    /// For type changes: which side of the API reaches the type (it decides the wire verdict).
    pub side: Option<Side>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub wire: Wire,
    pub rust: Bump,
}

/// How a reviewer should read a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Breaks existing HTTP clients (wire `breaking`) or code using the generated crate (rust
    /// `major`).
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

    /// A stable 16-hex-digit id of the change (rule, service, group and subject, not the values),
    /// so tools can recognise the same change across pushes.
    pub fn fingerprint(&self) -> String {
        // FNV-1a, 64 bits: tiny, and the same on every machine.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let group = self.group.as_deref().unwrap_or("");
        for part in [self.rule.id, &self.service, group, &self.subject] {
            for byte in part.bytes().chain([0]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }
}

/// Every change between two models, and the crate versions they declare.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Sorted by service, area, group, category (breaking first), subject and rule.
    pub changes: Vec<Change>,
    pub old_version: String,
    pub new_version: String,
    /// What the two sides are, for the report's heading (`main:spec`, `spec`).
    pub old_label: String,
    pub new_label: String,
}

impl Report {
    /// Names the two sides in the rendered report.
    pub fn with_labels(mut self, old: impl Into<String>, new: impl Into<String>) -> Report {
        self.old_label = old.into();
        self.new_label = new.into();
        self
    }

    /// The bump the generated crate needs; `None` when nothing changed.
    pub fn bump(&self) -> Option<Bump> {
        self.changes.iter().map(|change| change.rust).max()
    }

    /// The smallest version after `old_version` that the bump allows.
    pub fn required_version(&self) -> Option<String> {
        Some(semver::Version::parse(&self.old_version)?.bumped(self.bump()?).to_string())
    }

    /// Whether the new spec's version is at least the required one.
    pub fn version_sufficient(&self) -> bool {
        semver::sufficient(&self.old_version, &self.new_version, self.bump())
    }

    pub fn count(&self, category: Category) -> usize {
        self.changes.iter().filter(|change| change.category() == category).count()
    }

    pub fn has_breaking(&self) -> bool {
        self.count(Category::Breaking) > 0
    }
}

/// Compares two models.
pub fn diff(old: &Model, new: &Model) -> Report {
    let mut changes = Vec::new();
    let old_services: BTreeMap<&str, &Service> = old.services.iter().map(|s| (s.module.as_str(), s)).collect();
    let new_services: BTreeMap<&str, &Service> = new.services.iter().map(|s| (s.module.as_str(), s)).collect();
    for (name, service) in &old_services {
        if !new_services.contains_key(name) {
            Out::new(name, &mut changes).push(draft(rules::SERVICE_REMOVED, *name).from(&service.title));
        }
    }
    for (name, service) in &new_services {
        match old_services.get(name) {
            None => Out::new(name, &mut changes).push(draft(rules::SERVICE_ADDED, *name).to(&service.title)),
            Some(old_service) => service_pair(old_service, service, &mut Out::new(name, &mut changes)),
        }
    }
    changes.sort_by(|a, b| {
        (&a.service, a.area, &a.group, a.category(), &a.subject, a.rule.id).cmp(&(
            &b.service,
            b.area,
            &b.group,
            b.category(),
            &b.subject,
            b.rule.id,
        ))
    });
    Report {
        changes,
        old_version: old.krate.version.clone(),
        new_version: new.krate.version.clone(),
        old_label: "old".to_owned(),
        new_label: "new".to_owned(),
    }
}

/// A scheme's kind as the report shows it, with where an API key travels:
/// `api_key in header X-API-Key`.
fn auth_kind_shown(scheme: &AuthScheme) -> String {
    let kind = match scheme.kind {
        AuthKind::Bearer => "bearer",
        AuthKind::Oauth2Bearer => "oauth2_bearer",
        AuthKind::Oauth2ClientCredentials => "oauth2_client_credentials",
        AuthKind::ApiKey => "api_key",
        AuthKind::Basic => "basic",
    };
    match &scheme.api_key {
        Some(key) => {
            let place = match key.location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!("{kind} in {place} {}", key.wire_name)
        }
        None => kind.to_owned(),
    }
}

fn service_pair(old: &Service, new: &Service, out: &mut Out) {
    let module = new.module.as_str();
    if old.base_url != new.base_url {
        out.push(draft(rules::BASE_URL_CHANGED, module).from(&old.base_url).to(&new.base_url));
    }
    let auth = |service: &Service| -> Vec<String> {
        service.auth.iter().map(|scheme| format!("{} ({})", scheme.id, auth_kind_shown(scheme))).collect()
    };
    let (old_auth, new_auth) = (auth(old), auth(new));
    if old_auth != new_auth {
        // Servers that stop asking for credentials do not mind receiving them; the API gets the
        // same bearer token whether the user or the client itself fetches it. An API key is the
        // same on the wire only at the same place under the same name.
        let same_token = |kind| match kind {
            AuthKind::Oauth2ClientCredentials => AuthKind::Oauth2Bearer,
            kind => kind,
        };
        // (The key's constant is named after the scheme id, so it adds nothing to compare.)
        let wire_schemes = |service: &Service| -> Vec<(String, AuthKind, Option<crate::model::ApiKey>)> {
            service
                .auth
                .iter()
                .map(|scheme| (scheme.id.clone(), same_token(scheme.kind), scheme.api_key.clone()))
                .collect()
        };
        let old_wire = wire_schemes(old);
        let only_removed = wire_schemes(new).iter().all(|scheme| old_wire.contains(scheme));
        let wire = if only_removed { Wire::None } else { Wire::Breaking };
        // The Rust items schemes add: `ClientCredentials` and `Client::with_client_credentials`,
        // and a `Client` constant per API key.
        let items = |service: &Service| -> BTreeSet<String> {
            let flow = service.auth.iter().any(|scheme| scheme.client_credentials.is_some());
            let constants =
                service.auth.iter().filter_map(|scheme| Some(scheme.api_key.as_ref()?.constant.to_string()));
            flow.then(|| "ClientCredentials".to_owned()).into_iter().chain(constants).collect()
        };
        let (old_items, new_items) = (items(old), items(new));
        let rust = if !old_items.is_subset(&new_items) {
            Bump::Major
        } else if old_items != new_items {
            Bump::Minor
        } else {
            Bump::Patch
        };
        let show = |schemes: &[String]| if schemes.is_empty() { "none".to_owned() } else { schemes.join(", ") };
        out.push(draft(rules::AUTH_CHANGED, module).from(show(&old_auth)).to(show(&new_auth)).wire(wire).rust(rust));
    }
    token_request_pair(old, new, out);
    // A protocol declared or removed is reported on each operation that gains or loses
    // `send_in_background()`; here only a change to a protocol kept (its paths or statuses).
    if let (Some(old_jobs), Some(new_jobs)) = (&old.background_jobs, &new.background_jobs) {
        if old_jobs != new_jobs {
            out.push(draft(rules::BACKGROUND_JOB_CHANGED, module).from("protocol").to("changed").rust(Bump::Patch));
        }
    }
    let doc_changed = |scheme: &crate::model::AuthScheme| {
        old.auth.iter().any(|old_scheme| old_scheme.id == scheme.id && old_scheme.doc != scheme.doc)
    };
    let auth_docs_changed = new.auth.iter().any(doc_changed);
    if old.title != new.title || old.doc != new.doc || old.source != new.source || auth_docs_changed {
        out.push(draft(rules::DOCS_CHANGED, module).from("title, description or source").to("changed"));
    }
    let old_groups: BTreeMap<&str, &crate::model::Group> = old.groups.iter().map(|g| (g.module.as_str(), g)).collect();
    for group in &new.groups {
        if let Some(old_group) = old_groups.get(group.module.as_str()) {
            if old_group.doc != group.doc {
                out.push(
                    draft(rules::DOCS_CHANGED, &group.module)
                        .area(Area::Operation)
                        .group(group.module.as_str())
                        .from("group description")
                        .to("changed"),
                );
            }
        }
    }
    let matching = types::match_types(old, new);
    let renamed: BTreeMap<String, String> = matching
        .renamed
        .iter()
        .map(|(old_def, new_def)| (types::ident(old_def).to_owned(), types::ident(new_def).to_owned()))
        .collect();
    let ctx = Ctx { old, new, renamed, old_sides: sides::Sides::of(old), new_sides: sides::Sides::of(new) };
    types::diff(&ctx, &matching, out);
    groups::diff(&ctx, &matching, out);
    operations::diff(&ctx, out);
    soap::diff(&ctx, out);
}

/// What every comparison of one service needs: both sides, the type renames, and where types
/// are used.
struct Ctx<'a> {
    old: &'a Service,
    new: &'a Service,
    /// Old type ident → new type ident.
    renamed: BTreeMap<String, String>,
    old_sides: sides::Sides,
    new_sides: sides::Sides,
}

impl Ctx<'_> {
    /// An old type in the spec's grammar, with renamed types under their new names, so it equals
    /// the new spelling when only a rename happened.
    fn spell_old(&self, ty: &TypeRef) -> String {
        spell(ty, &|ident| self.renamed.get(ident).map_or(ident, String::as_str).to_owned())
    }

    fn spell_new(&self, ty: &TypeRef) -> String {
        spell(ty, &str::to_owned)
    }

    /// Where a type is used, on either side of the diff.
    fn side(&self, old_ident: &str, new_ident: &str) -> Side {
        let (old_request, old_response) = self.old_sides.reach(old_ident);
        let (new_request, new_response) = self.new_sides.reach(new_ident);
        Side::of(old_request || new_request, old_response || new_response)
    }
}

/// A type in the spec's grammar (`list<TaskDto>`), named types by their Rust ident.
fn spell(ty: &TypeRef, name: &dyn Fn(&str) -> String) -> String {
    ty.spell(&|ident| name(ident.as_str()))
}

/// `None`, `deprecated`, or `deprecated: <note>`, for deprecation changes.
fn deprecation(deprecated: &Option<crate::model::Deprecated>) -> String {
    match deprecated.as_ref().map(|deprecated| deprecated.note.as_str()) {
        None => "not deprecated".to_owned(),
        Some("") => "deprecated".to_owned(),
        Some(note) => format!("deprecated: {note}"),
    }
}

/// A change being described; `Out::push` fills in the service and the rule's fixed verdicts.
#[derive(Clone)]
struct Draft {
    rule: &'static Rule,
    area: Area,
    group: Option<String>,
    subject: String,
    side: Option<Side>,
    old: Option<String>,
    new: Option<String>,
    wire: Option<Wire>,
    rust: Option<Bump>,
}

/// The token request of a client-credentials scheme kept by both sides.
fn token_request_pair(old: &Service, new: &Service, out: &mut Out) {
    let flow = |service: &Service| {
        service.auth.iter().find_map(|scheme| Some((scheme.id.clone(), scheme.client_credentials.clone()?)))
    };
    let (Some((old_id, old_flow)), Some((new_id, new_flow))) = (flow(old), flow(new)) else { return };
    if old_id != new_id {
        return;
    }
    let show = |flow: &crate::model::ClientCredentials| {
        let params: Vec<String> = flow
            .params
            .iter()
            .map(|param| format!("{}{}", param.wire_name, if param.required { "" } else { "?" }))
            .collect();
        let client_auth = match flow.client_auth {
            crate::model::ClientAuthSpec::Basic => "basic",
            crate::model::ClientAuthSpec::Body => "body",
        };
        format!(
            "{}, scopes [{}], client_auth {client_auth}, params [{}]",
            flow.token_url,
            flow.scopes.join(" "),
            params.join(", ")
        )
    };
    let (old_shown, new_shown) = (show(&old_flow), show(&new_flow));
    if old_shown == new_shown {
        return;
    }
    // Required parameters are `ClientCredentials::new` arguments, optional ones setters.
    let signature = |flow: &crate::model::ClientCredentials| -> Vec<(String, bool)> {
        flow.params.iter().map(|param| (param.ident.to_string(), param.required)).collect()
    };
    let (old_params, new_params) = (signature(&old_flow), signature(&new_flow));
    let kept = old_params.iter().all(|param| new_params.contains(param));
    let rust = if !kept || new_params.iter().any(|param| param.1 && !old_params.contains(param)) {
        Bump::Major
    } else if new_params.len() > old_params.len() {
        Bump::Minor
    } else {
        Bump::Patch
    };
    out.push(draft(rules::AUTH_TOKEN_REQUEST_CHANGED, &new.module).from(old_shown).to(new_shown).rust(rust));
}

fn draft(rule: &'static Rule, subject: impl Into<String>) -> Draft {
    Draft {
        rule,
        area: Area::Service,
        group: None,
        subject: subject.into(),
        side: None,
        old: None,
        new: None,
        wire: None,
        rust: None,
    }
}

impl Draft {
    fn area(mut self, area: Area) -> Draft {
        self.area = area;
        self
    }

    fn group(mut self, group: &str) -> Draft {
        self.group = Some(group.to_owned());
        self
    }

    /// A type-level change reached from `side`.
    fn side(mut self, side: Side) -> Draft {
        self.area = Area::Type;
        self.side = Some(side);
        self
    }

    /// The old value.
    fn from(mut self, value: impl Into<String>) -> Draft {
        self.old = Some(value.into());
        self
    }

    /// The new value.
    fn to(mut self, value: impl Into<String>) -> Draft {
        self.new = Some(value.into());
        self
    }

    /// The wire verdict of a rule whose wire verdict depends on context.
    fn wire(mut self, wire: Wire) -> Draft {
        self.wire = Some(wire);
        self
    }

    /// The rust verdict of a rule whose rust verdict depends on context.
    fn rust(mut self, rust: Bump) -> Draft {
        self.rust = Some(rust);
        self
    }
}

/// Collects the changes of one service.
struct Out<'a> {
    service: String,
    changes: &'a mut Vec<Change>,
}

impl<'a> Out<'a> {
    fn new(service: &str, changes: &'a mut Vec<Change>) -> Out<'a> {
        Out { service: service.to_owned(), changes }
    }

    fn push(&mut self, draft: Draft) {
        let rule = draft.rule;
        self.changes.push(Change {
            rule,
            service: self.service.clone(),
            area: draft.area,
            group: draft.group,
            subject: draft.subject,
            side: draft.side,
            old: draft.old,
            new: draft.new,
            wire: resolve(rule, "wire", rule.wire, draft.wire, Wire::Breaking),
            rust: resolve(rule, "rust", rule.rust, draft.rust, Bump::Major),
        });
    }
}

/// A fixed verdict comes from the table; a context-dependent one from the comparison. Giving
/// one where the table fixes it, or none where it depends, is a bug in the diff (the rule tests
/// catch it); release builds then fall back to the worst verdict rather than hide a change.
fn resolve<T: Copy + PartialEq + std::fmt::Debug>(
    rule: &Rule,
    axis: &str,
    verdict: Verdict<T>,
    given: Option<T>,
    worst: T,
) -> T {
    match (verdict, given) {
        (Verdict::Always(value), None) => value,
        (Verdict::Depends(_), Some(value)) => value,
        (Verdict::Always(value), Some(other)) => {
            debug_assert!(false, "`{}` fixes its {axis} verdict ({value:?}); the diff gave {other:?}", rule.id);
            value
        }
        (Verdict::Depends(_), None) => {
            debug_assert!(false, "`{}`: the diff gave no {axis} verdict", rule.id);
            worst
        }
    }
}
