//! Format 5: OpenAPI 3.0 and 3.1 and Swagger 2.0 documents (JSON or YAML), `$ref`s across files.
//!
//! The importer maps what the spec format can express (objects, enums, aliases, lists, maps,
//! path/query/header parameters, JSON bodies and responses, bearer and OAuth2 auth) and reports
//! every construct it cannot with the JSON pointer it sits at (`pets.yaml#/paths/~1pets/get`):
//! an unmappable optional part is left out, a required one leaves its operation out. The result
//! is lowered before it is returned (`settle`), so whatever it produces validates.

mod bodies;
mod document;
mod operations;
mod params;
mod schemas;
mod settle;
mod upgrade;

use std::collections::{BTreeSet, HashMap};

use serde_yaml::Value;

use self::document::{get, get_str, members, Documents, Place, Source};
pub use self::document::{DiskReader, RefReader};
use super::draft::service_shell;
use super::{Document, Facts, Format, Imported, Inferred, Report, Skipped};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::spec::{
    ApiKeyLocation, ApiKeySpec, AuthKind, AuthSpec, ClientCredentialsSpec, GroupSpec, OperationSpec, Protocol, TypeSpec,
};

/// `cargo xtask import openapi`.
pub struct OpenApi;

impl Format for OpenApi {
    fn name(&self) -> &'static str {
        "openapi"
    }

    fn summary(&self) -> &'static str {
        "OpenAPI 3.0/3.1 or Swagger 2.0 documents (JSON or YAML; referenced files are read from the inputs or their folders)"
    }

    fn import(&self, docs: &[Document], _facts: &Facts, service: &str) -> Imported {
        import(docs, service, &DiskReader)
    }
}

/// The version of the document's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// The state of one import.
struct Importer<'r> {
    docs: Documents<'r>,
    version: Version,
    types: Vec<TypeSpec>,
    /// Rust spellings of the type names taken.
    type_names: BTreeSet<String>,
    /// The schema a `$ref` names → its type name and whether it admits `null`.
    named: HashMap<Place, (String, bool)>,
    /// Named schemas still to define.
    queue: Vec<(Place, String)>,
    kinds: HashMap<String, schemas::Kind>,
    groups: Vec<GroupSpec>,
    /// Tag → group id.
    tag_ids: Vec<(String, String)>,
    op_names: BTreeSet<(String, String)>,
    op_ids: BTreeSet<String>,
    operations_out: Vec<OperationSpec>,
    skipped: Vec<Skipped>,
    /// Facts guessed rather than read (a success response of an operation that declares none).
    inferred: Vec<Inferred>,
    /// While a form or multipart body's schema is mapped: `format: binary` strings are files.
    files: bool,
    /// While an inline variant object of a tagged union is mapped: its place and the tag
    /// property, which the object leaves out (the union writes and reads the tag itself).
    omit_tag: Option<(Place, String)>,
    /// The API keys of the `api_key` schemes: an operation parameter that is one is left out,
    /// since the client sends the key itself.
    api_keys: Vec<AuthSpec>,
}

impl Importer<'_> {
    /// Reports a construct at `place` that was not mapped (or mapped with a loss), by kind.
    fn skip(&mut self, place: &Place, construct: &str, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            origin: self.docs.show(place),
            construct: construct.to_owned(),
            reason: reason.into(),
        });
    }
}

/// Imports the OpenAPI document among `docs` (the others are files its `$ref`s may name);
/// files no input holds are read with `reader`, only inside the input documents' folders.
pub fn import(docs: &[Document], service: &str, reader: &dyn RefReader) -> Imported {
    let mut spec = service_shell(service, Protocol::Rest);
    let mut report = Report::default();
    let mut problems = Diagnostics::default();
    let mut sources = Vec::new();
    for doc in docs {
        match document::parse(&doc.path, &doc.text) {
            Ok(root) => sources.push(Source {
                path: document::normalize(std::path::Path::new(&doc.path)).display().to_string(),
                name: doc.name().to_owned(),
                root,
            }),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    let roots: Vec<usize> = (0..sources.len())
        .filter(|&index| {
            get(&sources[index].root, "openapi").is_some() || get(&sources[index].root, "swagger").is_some()
        })
        .collect();
    let Some(&root) = roots.first() else {
        if problems.is_empty() {
            problems.push(Diagnostic {
                message: "no OpenAPI or Swagger document among the inputs (none has an `openapi` or `swagger` key)"
                    .to_owned(),
                location: Location::File { file: docs.first().map_or_else(String::new, |doc| doc.path.clone()) },
                hint: Some("pass the API description (and the files its `$ref`s name)".to_owned()),
            });
        }
        spec.base_url = "https://localhost".to_owned();
        return Imported { spec, report, problems };
    };
    for &other in &roots[1..] {
        problems.push(Diagnostic {
            message: format!("a second API description; only `{}` is imported for one service", sources[root].path),
            location: Location::File { file: sources[other].path.clone() },
            hint: Some("import each API description as its own service".to_owned()),
        });
    }
    // The root is file 0: pointers without a file name it.
    sources.swap(0, root);
    report.documents.push(sources[0].path.clone());
    let version_text = get(&sources[0].root, "openapi")
        .or_else(|| get(&sources[0].root, "swagger"))
        .and_then(document::key_text)
        .unwrap_or_default();
    let version = if version_text.starts_with("2.") {
        Version::Swagger2
    } else if version_text.starts_with("3.0") {
        Version::OpenApi30
    } else if version_text.starts_with("3.") {
        Version::OpenApi31
    } else {
        problems.push(Diagnostic {
            message: format!("`{version_text}` is not an OpenAPI version this importer reads (2.0, 3.0, 3.1)"),
            location: Location::File { file: sources[0].path.clone() },
            hint: Some("the document was skipped".to_owned()),
        });
        spec.base_url = "https://localhost".to_owned();
        return Imported { spec, report, problems };
    };
    let mut importer = Importer {
        docs: Documents::new(sources, reader),
        version,
        types: Vec::new(),
        type_names: BTreeSet::new(),
        named: HashMap::new(),
        queue: Vec::new(),
        kinds: HashMap::new(),
        groups: Vec::new(),
        tag_ids: Vec::new(),
        op_names: BTreeSet::new(),
        op_ids: BTreeSet::new(),
        operations_out: Vec::new(),
        skipped: Vec::new(),
        inferred: Vec::new(),
        files: false,
        omit_tag: None,
        api_keys: Vec::new(),
    };
    importer.info(&mut spec, &version_text);
    importer.security(&mut spec);
    let roots = importer.component_schemas();
    importer.operations();
    importer.define_queued();
    importer.types.sort_by(|a, b| a.name().cmp(b.name()));
    spec.operations = std::mem::take(&mut importer.operations_out);
    let used: BTreeSet<&str> = spec.operations.iter().map(|operation| operation.group.as_str()).collect();
    spec.groups = importer.groups.iter().filter(|group| used.contains(group.id.as_str())).cloned().collect();
    spec.types = std::mem::take(&mut importer.types);
    report.inferred.append(&mut importer.inferred);
    // Before settling, so that `lower` checks the inferred pagination like the rest.
    for operation in &mut spec.operations {
        super::pagination::infer(operation, &spec.types, &mut report, super::pagination::OPENAPI_NAMES);
    }
    settle::settle(&mut spec, &mut importer.skipped);
    settle::prune(&mut spec, &roots);
    if spec.operations.is_empty() {
        problems.push(Diagnostic {
            message: "no operation of the document could be imported (the report says why for each)".to_owned(),
            location: Location::File { file: report.documents[0].clone() },
            hint: Some("a service needs at least one operation; add one through the overlay".to_owned()),
        });
    }
    report.skipped = importer.skipped;
    problems.0.extend(importer.docs.problems);
    Imported { spec, report, problems }
}

impl Importer<'_> {
    /// Names every schema of `components/schemas` (Swagger: `definitions`) in document order,
    /// so each becomes a type even when no operation uses it; returns their names.
    fn component_schemas(&mut self) -> Vec<String> {
        let place = match self.version {
            Version::Swagger2 => Place { file: 0, pointer: "/definitions".to_owned() },
            _ => Place { file: 0, pointer: "/components/schemas".to_owned() },
        };
        let schemas = self.docs.at(&place).cloned().unwrap_or(Value::Null);
        let mut names = Vec::new();
        for (name, _) in members(&schemas) {
            let reference = format!("#{}/{}", place.pointer, document::escape(&name));
            names.push(self.reference_from(0, &reference).expr);
        }
        names
    }

    /// Title, description, source note and base URL.
    fn info(&mut self, spec: &mut crate::spec::ServiceSpec, version_text: &str) {
        let root = Place { file: 0, pointer: String::new() };
        let document = self.docs.sources[0].root.clone();
        if let Some(info) = get(&document, "info") {
            if let Some(title) = get_str(info, "title").map(str::trim).filter(|title| !title.is_empty()) {
                spec.title = title.to_owned();
            }
            spec.description =
                get_str(info, "description").map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned);
            let api_version = get(info, "version").and_then(document::key_text);
            spec.source = Some(match api_version {
                Some(api) => {
                    format!("{} (API version {api}, {} {version_text})", self.docs.sources[0].name, self.format_name())
                }
                None => format!("{} ({} {version_text})", self.docs.sources[0].name, self.format_name()),
            });
        }
        let base = match self.version {
            Version::Swagger2 => {
                let schemes: Vec<&str> = get(&document, "schemes")
                    .and_then(Value::as_sequence)
                    .map(|items| items.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let scheme = if schemes.is_empty() || schemes.contains(&"https") { "https" } else { schemes[0] };
                get_str(&document, "host").map(|host| {
                    format!("{scheme}://{host}{}", get_str(&document, "basePath").unwrap_or("").trim_end_matches('/'))
                })
            }
            _ => {
                let server = get(&document, "servers").and_then(Value::as_sequence).and_then(|servers| servers.first());
                server.and_then(|server| {
                    let mut url = get_str(server, "url")?.to_owned();
                    for (name, variable) in get(server, "variables").map(members).unwrap_or_default() {
                        if let Some(default) = get(variable, "default").and_then(document::key_text) {
                            url = url.replace(&format!("{{{name}}}"), &default);
                        }
                    }
                    Some(url.trim_end_matches('/').to_owned())
                })
            }
        };
        spec.base_url = match base {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => url,
            Some(relative) => {
                self.skip(&root.child("servers"), "server", format!("the server URL `{relative}` is relative; the base URL is `https://localhost{relative}`, set the real one on the client"));
                format!(
                    "https://localhost{}",
                    if relative.starts_with('/') { relative } else { format!("/{relative}") }
                )
            }
            None => {
                self.skip(
                    &root,
                    "server",
                    "the document names no server; the base URL is `https://localhost`, set the real one on the client",
                );
                "https://localhost".to_owned()
            }
        };
    }

    fn format_name(&self) -> &'static str {
        match self.version {
            Version::Swagger2 => "Swagger",
            _ => "OpenAPI",
        }
    }

    /// The client-credentials flow of an OAuth2 scheme (3.x `flows.clientCredentials`, Swagger
    /// 2.0 `flow: application`): its token URL and scopes (in the document's order). A flow the
    /// spec cannot take (a token URL that is not absolute https, a second flow) is reported and
    /// the scheme stays a plain OAuth2 bearer token.
    fn client_credentials(&mut self, at: &Place, scheme: &Value, taken: bool) -> Option<ClientCredentialsSpec> {
        let (flow, flow_at) = match self.version {
            Version::Swagger2 => {
                (get_str(scheme, "flow") == Some("application")).then_some((scheme.clone(), at.clone()))?
            }
            _ => {
                let flow_at = at.child("flows").child("clientCredentials");
                (scheme.get("flows")?.get("clientCredentials")?.clone(), flow_at)
            }
        };
        let token_url = get_str(&flow, "tokenUrl").unwrap_or("").to_owned();
        if !token_url.starts_with("https://") {
            let reason = format!("the token URL `{token_url}` is not an absolute https URL (the client secret travels only over https); the scheme is a bearer token the caller supplies");
            self.skip(&flow_at.child("tokenUrl"), "OAuth2 flow", reason);
            return None;
        }
        if taken {
            self.skip(&flow_at, "OAuth2 flow", "a second client-credentials flow: the client gets its tokens from one token endpoint; the scheme is a bearer token the caller supplies");
            return None;
        }
        let scopes = flow.get("scopes").map(members).unwrap_or_default().into_iter().map(|(scope, _)| scope).collect();
        Some(ClientCredentialsSpec { token_url, scopes, client_auth: Default::default(), params: Vec::new() })
    }

    /// Security schemes: bearer, OAuth2, API keys and HTTP Basic map to `auth`; the others are
    /// reported with what to do.
    fn security(&mut self, spec: &mut crate::spec::ServiceSpec) {
        let place = match self.version {
            Version::Swagger2 => Place { file: 0, pointer: "/securityDefinitions".to_owned() },
            _ => Place { file: 0, pointer: "/components/securitySchemes".to_owned() },
        };
        let schemes = self.docs.at(&place).cloned().unwrap_or(Value::Null);
        for (id, _) in members(&schemes) {
            let at = place.child(&id);
            let Ok(resolved) = self.docs.follow(&at) else {
                self.skip(&at, "security scheme", "its `$ref` cannot be followed; not mapped");
                continue;
            };
            let scheme = self.docs.at(&resolved).cloned().unwrap_or(Value::Null);
            let kind = get_str(&scheme, "type").unwrap_or("");
            let http_scheme = get_str(&scheme, "scheme").unwrap_or("").to_ascii_lowercase();
            let name = get_str(&scheme, "name").unwrap_or("");
            let located = get_str(&scheme, "in").unwrap_or("");
            let api_key = match (kind, located) {
                ("apiKey", "header") => Some(ApiKeyLocation::Header),
                ("apiKey", "query") => Some(ApiKeyLocation::Query),
                // Swagger 2.0 has no cookie keys.
                ("apiKey", "cookie") if self.version != Version::Swagger2 => Some(ApiKeyLocation::Cookie),
                _ => None,
            }
            .filter(|_| !name.is_empty())
            .map(|location| ApiKeySpec { name: name.to_owned(), location });
            let mapped = match (kind, http_scheme.as_str()) {
                ("http", "bearer") => Some(AuthKind::Bearer),
                ("http", "basic") | ("basic", _) => Some(AuthKind::Basic),
                ("oauth2" | "openIdConnect", _) => Some(AuthKind::Oauth2Bearer),
                ("apiKey", _) if api_key.is_some() => Some(AuthKind::ApiKey),
                _ => None,
            };
            // The first client-credentials flow with an https token URL lets the client get its
            // own tokens; the spec has one token endpoint per service.
            let taken = spec.auth.iter().any(|auth| auth.client_credentials.is_some());
            let client_credentials = match kind {
                "oauth2" => self.client_credentials(&resolved, &scheme, taken),
                _ => None,
            };
            let mapped = if client_credentials.is_some() { Some(AuthKind::Oauth2ClientCredentials) } else { mapped };
            match mapped {
                Some(kind) => {
                    let auth = AuthSpec {
                        id: id.clone(),
                        kind,
                        description: schemas::description(&scheme),
                        client_credentials,
                        api_key,
                    };
                    if auth.api_key.is_some() {
                        self.api_keys.push(auth.clone());
                    }
                    spec.auth.push(auth);
                }
                None => {
                    let reason = match (kind, located) {
                        ("apiKey", _) if name.is_empty() => "the API key has no `name`; not mapped".to_owned(),
                        ("apiKey", other) => format!("an API key in `{other}` is not a place the spec knows (header, query, cookie in OpenAPI 3); not mapped"),
                        ("http", _) => format!("HTTP `{http_scheme}` authentication is not an auth kind of the spec (bearer and basic are); not mapped"),
                        _ => format!("`{kind}` security is not an auth kind of the spec"),
                    };
                    self.skip(&at, "security scheme", reason);
                }
            }
        }
    }
}
