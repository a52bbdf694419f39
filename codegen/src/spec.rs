//! The serde mirror of the YAML spec files: what a person writes, before any validation.
//!
//! Every struct rejects unknown keys so that a misspelt key is an error, not a silent default.
//! The meaning of each key is documented in `spec/README.md`; keep the two in step.

use serde::{Deserialize, Serialize, Serializer};

/// `spec/crate.yaml`: the package the service files are generated into.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CrateSpec {
    /// Cargo package name of the generated crate.
    pub name: String,
    /// Semver version of the generated crate; bump it when the spec changes.
    pub version: String,
    /// One-line description for the manifest and the crate docs.
    pub description: String,
    /// Licence expression written into the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
}

/// One service file (`spec/<service>.yaml`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Snake-case id: the Rust module and the cargo feature.
    pub service: String,
    /// Human title, first line of the module docs.
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the document came from (free text), kept in the module docs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub protocol: Protocol,
    /// Default base URL; the generated client lets the user override it.
    pub base_url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auth: Vec<AuthSpec>,
    /// API groups in the order they are documented; operations name one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<OperationSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<TypeSpec>,
    /// The SOAP binding (`protocol: soap` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soap: Option<SoapSpec>,
    /// How operations are run as background jobs (REST only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_jobs: Option<BackgroundJobsSpec>,
}

impl ServiceSpec {
    /// Removes every `origin` and `inferred` key (what `cargo xtask diff` compares is the API,
    /// not where its facts were read).
    pub fn strip_provenance(&mut self) {
        fn clear(origin: &mut Option<String>, inferred: &mut Vec<String>) {
            *origin = None;
            inferred.clear();
        }
        for operation in &mut self.operations {
            clear(&mut operation.origin, &mut operation.inferred);
            for param in &mut operation.params {
                clear(&mut param.origin, &mut param.inferred);
            }
            if let Some(body) = &mut operation.body {
                clear(&mut body.origin, &mut body.inferred);
            }
            if let Some(pagination) = &mut operation.pagination {
                clear(&mut pagination.origin, &mut pagination.inferred);
            }
            for response in &mut operation.responses {
                clear(&mut response.origin, &mut response.inferred);
            }
        }
        for ty in &mut self.types {
            match ty {
                TypeSpec::Object(object) => {
                    clear(&mut object.origin, &mut object.inferred);
                    for field in &mut object.fields {
                        clear(&mut field.origin, &mut field.inferred);
                    }
                }
                TypeSpec::Enum(enumeration) => {
                    clear(&mut enumeration.origin, &mut enumeration.inferred);
                    for member in &mut enumeration.members {
                        clear(&mut member.origin, &mut member.inferred);
                    }
                }
                TypeSpec::Alias(alias) => clear(&mut alias.origin, &mut alias.inferred),
                TypeSpec::Union(union) => {
                    clear(&mut union.origin, &mut union.inferred);
                    for variant in &mut union.variants {
                        clear(&mut variant.origin, &mut variant.inferred);
                    }
                }
            }
        }
    }
}

/// How a SOAP service is reached and how its envelopes are shaped.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SoapSpec {
    /// Path of the endpoint below the base URL.
    pub endpoint_path: String,
    /// `false` when no vendor document confirms the path (the client lets users override it).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub endpoint_path_confirmed: bool,
    /// The SOAPAction header; `{operation}` is replaced by the operation's element name.
    pub action: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub action_confirmed: bool,
    /// Namespace prefix of the operation wrapper elements (a key of `namespaces`).
    pub operation_namespace: String,
    /// Prefix → namespace URI, declared on every request envelope.
    pub namespaces: std::collections::BTreeMap<String, String>,
    /// Session handling, when operations carry a session ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SoapSessionSpec>,
}

/// How a session ticket is obtained, sent and found invalid.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SoapSessionSpec {
    /// The operation that returns the ticket.
    pub authenticate: String,
    /// The operation that ends the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// The element carrying the ticket, in requests and in the authenticate response.
    pub ticket_field: String,
    /// An element of the authenticate response naming another server to authenticate at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_field: Option<String>,
    /// The hosts a redirect may lead to (`secure.example.com`, or `*.example.com` for any host
    /// below it); required with `redirect_field`.
    #[serde(default)]
    pub redirect_hosts: Option<Vec<String>>,
    /// The common response element holding the request status (an enum).
    pub status_field: String,
    /// The common response element holding the message list.
    pub messages_field: String,
    /// Status values that make a call fail.
    pub failure_statuses: Vec<String>,
    /// Status values that mean the session is no longer valid (re-authenticate and retry once).
    pub invalid_session_statuses: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Rest,
    /// SOAP 1.1 over HTTP; the service needs a `soap` section and each operation a `soap` binding.
    Soap,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AuthSpec {
    /// The scheme's name in the source document (e.g. `serviceapi`).
    pub id: String,
    pub kind: AuthKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The token request of an `oauth2_client_credentials` scheme (required there, refused
    /// with the other kinds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_credentials: Option<ClientCredentialsSpec>,
    /// Where an `api_key` scheme sends its key (required there, refused with the other kinds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<ApiKeySpec>,
}

impl AuthSpec {
    /// Whether this is an `api_key` scheme whose key travels where a parameter at `location`
    /// named `name` would: such a parameter would send the key twice, or make the user pass it
    /// on every call.
    pub fn sends_key_as(&self, location: ParamLocation, name: &str) -> bool {
        let Some(key) = self.api_key.as_ref().filter(|_| self.kind == AuthKind::ApiKey) else { return false };
        match (key.location, location) {
            (ApiKeyLocation::Header, ParamLocation::Header) => key.name.eq_ignore_ascii_case(name),
            (ApiKeyLocation::Query, ParamLocation::Query) | (ApiKeyLocation::Cookie, ParamLocation::Cookie) => {
                key.name == name
            }
            _ => false,
        }
    }
}

/// Where an API key travels: its name and whether it is a header, a query parameter or a cookie.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ApiKeySpec {
    /// The header, query parameter or cookie name, exactly as sent.
    pub name: String,
    #[serde(rename = "in")]
    pub location: ApiKeyLocation,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// `Authorization: Bearer <token>` with a static token.
    Bearer,
    /// An OAuth2 access token sent as a bearer token; the user supplies or refreshes it.
    Oauth2Bearer,
    /// An OAuth2 access token the client gets itself from the token endpoint with a client id
    /// and secret (RFC 6749 §4.4), sent as a bearer token.
    Oauth2ClientCredentials,
    /// A static key in a header, query parameter or cookie named by the scheme's `api_key`.
    ApiKey,
    /// HTTP Basic (RFC 7617): a user name and password in `Authorization: Basic`.
    Basic,
}

/// The token request of an OAuth2 client-credentials scheme.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClientCredentialsSpec {
    /// The token endpoint: an absolute `https` URL.
    pub token_url: String,
    /// The scopes asked for by default, in the order sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// How the client id and secret are sent to the token endpoint.
    #[serde(default, skip_serializing_if = "is_basic")]
    pub client_auth: ClientAuthSpec,
    /// Extra form fields of the token request (Visma Connect's `tenant_id`), set by the user.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<TokenParamSpec>,
}

/// RFC 6749 §2.3.1 client authentication.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthSpec {
    /// `Authorization: Basic` (every token endpoint must accept it).
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

/// An extra form field of a token request.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TokenParamSpec {
    /// The form field's name exactly as sent.
    pub name: String,
    /// Required fields are arguments of `ClientCredentials::new`, the others setters.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// Snake-case id: the Rust module and the accessor on the client.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OperationSpec {
    /// Stable snake-case id, unique in the service (e.g. `project_task_get_all_tasks`).
    pub id: String,
    /// The group (API) the operation belongs to.
    pub group: String,
    /// Method name inside the group; defaults to the id without the group prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The operation's name in the source document (e.g. `projectTaskGetAllTasks`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// The previous name, when this item was renamed (so `cargo xtask diff` reports a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// The HTTP method (REST only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Path template relative to the base URL, variables as `{wireName}` (REST only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Deprecation::is_no")]
    pub deprecated: Deprecation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodySpec>,
    /// Success responses by status (REST only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<ResponseSpec>,
    /// Declared error responses by status (or `default`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorSpec>,
    /// The SOAP binding (`protocol: soap` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soap: Option<SoapOperationSpec>,
    /// How the operation's answer is split into pages (REST only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PaginationSpec>,
    /// Sending the operation twice does no harm, so a POST or PATCH is retried too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub idempotent: bool,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

/// How a paginated operation is walked page by page (`spec/README.md`, "Pagination").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PaginationSpec {
    pub style: PaginationStyle,
    /// `page_number`: the query parameter with the page number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// `page_number`: the number of the first page (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_page: Option<i64>,
    /// `offset_limit`: the query parameter with the offset of the first item (from 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
    /// `cursor`: the query parameter that carries the cursor of the page to read (absent on the
    /// first request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// `cursor`: the field of the response body with the next page's cursor; absent, null or
    /// empty on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// The query parameter with the page size (the limit); optional for `cursor` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// The largest page size the server serves; larger requests are capped to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_page_size: Option<i64>,
    /// The field of the response body that holds the items; absent when the body is the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// Where an importer read this item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys an importer inferred (e.g. `style`, when it saw `pageNumber` and `pageSize`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

/// How pages are addressed. A next-link style (a URL in a field or a `Link` header) would be a
/// further variant with its own keys.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PaginationStyle {
    /// A page number and a page size; a page shorter than the size is the last.
    PageNumber,
    /// An item offset and a page size (limit); a page shorter than the limit is the last.
    OffsetLimit,
    /// A cursor the server gives with each page, sent back to get the next one; a page without
    /// one is the last.
    Cursor,
}

/// The background job protocol of a service (`spec/README.md`, "Background jobs").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BackgroundJobsSpec {
    /// The request header that asks for a background run (`erp-api-background`).
    pub header: String,
    /// The value sent in it (`none`).
    pub value: String,
    /// The status of the answer that accepts a job (default 202).
    #[serde(default = "accepted_status", skip_serializing_if = "is_accepted_status")]
    pub accepted_status: u16,
    /// The field of the accepted answer's body with the job id (default `id`).
    #[serde(default = "id_field", skip_serializing_if = "is_id_field")]
    pub job_id: String,
    /// The operation that reads a job's state; its one path parameter takes the job id.
    pub state: String,
    /// The field of the state with the job's status (default `status`).
    #[serde(default = "status_field", skip_serializing_if = "is_status_field")]
    pub status: String,
    /// Status values of a finished job.
    pub finished: Vec<String>,
    /// Status values of a failed job.
    pub failed: Vec<String>,
    /// The field of the state with a failed job's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The operation that reads a finished job's content; its one path parameter takes the id.
    pub content: String,
}

fn accepted_status() -> u16 {
    202
}

fn is_accepted_status(status: &u16) -> bool {
    *status == 202
}

fn id_field() -> String {
    "id".to_owned()
}

fn is_id_field(name: &str) -> bool {
    name == "id"
}

fn status_field() -> String {
    "status".to_owned()
}

fn is_status_field(name: &str) -> bool {
    name == "status"
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SoapOperationSpec {
    /// The operation's element name (`PwsSaveProjectTask`); the response is `<name>Response/<name>Result`.
    pub operation: String,
    /// The wrapper's child element holding the request.
    #[serde(default = "default_request_element", skip_serializing_if = "is_default_request_element")]
    pub request_element: String,
    /// The request type (an object).
    pub request: String,
    /// The response type (an object).
    pub response: String,
}

fn default_request_element() -> String {
    "serviceRequest".to_owned()
}

/// `deprecated: true`, or the reason as text.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Deprecation {
    #[default]
    #[serde(skip)]
    No,
    Flag(bool),
    Reason(String),
}

impl Serialize for Deprecation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Deprecation::No => serializer.serialize_bool(false),
            Deprecation::Flag(flag) => serializer.serialize_bool(*flag),
            Deprecation::Reason(reason) => serializer.serialize_str(reason),
        }
    }
}

impl Deprecation {
    /// Not deprecated (the key is left out when serializing).
    pub fn is_no(&self) -> bool {
        matches!(self, Deprecation::No | Deprecation::Flag(false))
    }

    /// `None` when not deprecated, else the note (possibly empty).
    pub fn note(&self) -> Option<String> {
        match self {
            Deprecation::No | Deprecation::Flag(false) => None,
            Deprecation::Flag(true) => Some(String::new()),
            Deprecation::Reason(reason) => Some(reason.clone()),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    /// Wire name exactly as sent (`pageSize`, `If-Match`, `erp-api-background`).
    pub name: String,
    #[serde(rename = "in")]
    pub location: ParamLocation,
    /// Type expression (see `spec/README.md`).
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Deprecation::is_no")]
    pub deprecated: Deprecation,
    /// Rust name override, for wire names whose case conversion is poor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// How a query parameter's list or object is written (`repeat` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ParamStyle>,
    /// The previous name, when this item was renamed (so `cargo xtask diff` reports a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a query parameter's list or object is written (OpenAPI's `style` and `explode`).
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ParamStyle {
    /// `ids=1&ids=2` (form, exploded).
    #[default]
    Repeat,
    /// `ids=1,2` (form, not exploded).
    Comma,
    /// `ids=1%202` (spaceDelimited).
    Space,
    /// `ids=1|2` (pipeDelimited).
    Pipe,
    /// `filter[name]=x&filter[size]=2` (deepObject), for a map or an object of scalars.
    DeepObject,
}

impl ParamStyle {
    /// The spec spelling, for messages and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamStyle::Repeat => "repeat",
            ParamStyle::Comma => "comma",
            ParamStyle::Space => "space",
            ParamStyle::Pipe => "pipe",
            ParamStyle::DeepObject => "deep_object",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BodySpec {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default = "default_content_type", skip_serializing_if = "is_default_content_type")]
    pub content_type: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

fn default_content_type() -> String {
    "application/json".to_owned()
}

fn yes() -> bool {
    true
}

// Serialization leaves out keys at their default, so rendered files hold only what a
// document said (`skip_serializing_if` needs a function per default).
fn is_true(value: &bool) -> bool {
    *value
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_basic(value: &ClientAuthSpec) -> bool {
    *value == ClientAuthSpec::Basic
}

fn is_default_content_type(value: &str) -> bool {
    value == default_content_type()
}

fn is_default_request_element(value: &str) -> bool {
    value == default_request_element()
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    pub status: u16,
    /// Body type; absent for an empty body.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// The body's media type: `application/json` unless the type is `binary`
    /// (`application/octet-stream`); `text/*` is read as a string, another non-JSON type as bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Response headers that matter to the caller (`ETag`, `Location`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
    /// The protocol a `101 Switching Protocols` switches to (`websocket`), sent as `Upgrade`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade: Option<String>,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    /// A status code, or `default` for every undeclared non-success status.
    pub status: ErrorStatus,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum ErrorStatus {
    Code(u16),
    Named(String),
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum TypeSpec {
    Object(ObjectSpec),
    Enum(EnumSpec),
    Alias(AliasSpec),
    Union(UnionSpec),
}

impl TypeSpec {
    pub fn name(&self) -> &str {
        match self {
            TypeSpec::Object(object) => &object.name,
            TypeSpec::Enum(enumeration) => &enumeration.name,
            TypeSpec::Alias(alias) => &alias.name,
            TypeSpec::Union(union) => &union.name,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ObjectSpec {
    pub name: String,
    /// The previous name, when this item was renamed (so `cargo xtask diff` reports a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Deprecation::is_no")]
    pub deprecated: Deprecation,
    /// SOAP: namespace prefix of the fields' elements (fields may override it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldSpec>,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Wire (JSON) name exactly as sent and received.
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Deprecation::is_no")]
    pub deprecated: Deprecation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// SOAP: namespace prefix of this field's element, when not the object's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_namespace: Option<String>,
    /// SOAP: element name of each item of a list field (default: the item type's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_item: Option<String>,
    /// SOAP: a `None` required value is sent as `i:nil="true"` instead of being left out.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nillable: bool,
    /// Maximum length the document gives (shown in the docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Default the server applies when the field is left out (shown in the docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_yaml::Value>,
    /// Rust name override, for wire names whose case conversion is poor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// The previous name, when this item was renamed (so `cargo xtask diff` reports a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EnumSpec {
    pub name: String,
    /// The previous name, when this item was renamed (so `cargo xtask diff` reports a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How members travel on the wire.
    pub repr: EnumRepr,
    /// `true` when the document cannot promise the member list is complete:
    /// unknown values are kept instead of failing to decode.
    #[serde(default, skip_serializing_if = "is_false")]
    pub open: bool,
    pub members: Vec<MemberSpec>,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EnumRepr {
    String,
    Integer,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MemberSpec {
    /// Variant name source (converted to UpperCamelCase).
    pub name: String,
    /// Wire value: a string for `repr: string`, an integer for `repr: integer`.
    pub value: serde_yaml::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Deprecation::is_no")]
    pub deprecated: Deprecation,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AliasSpec {
    pub name: String,
    /// The previous name, when this item was renamed (so `cargo xtask diff` reports a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub ty: String,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

/// `kind: union`: a value that is one of several types, told apart by a tag property
/// (`discriminator`) or, untagged, by trying the variants in order.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UnionSpec {
    pub name: String,
    /// The previous name, when this item was renamed (so `cargo xtask diff` reports a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The JSON property that names the variant (tagged); none for an untagged union.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// `true` when the document cannot promise the variant list is complete: an unknown tag
    /// (or, untagged, a value no variant accepts) is kept as raw JSON instead of failing.
    #[serde(default, skip_serializing_if = "is_false")]
    pub open: bool,
    pub variants: Vec<VariantSpec>,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

/// One variant of a union.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    /// Variant name source (converted to UpperCamelCase).
    pub name: String,
    /// The discriminator's value for this variant (tagged unions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Type expression; a tagged union's variants name object types.
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where an importer read this item: `<document>:<line>` (shown in the generated docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Keys of this item whose value an importer inferred rather than read (e.g. `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}
