//! The validated intermediate representation that emitters read.
//!
//! References are resolved, every Rust name is computed (by `names`), docs are cleaned (by
//! `docs`) and the order of everything is fixed. Emitters never look a type up by string
//! and never compute a name.

// The spec's own enums that the model keeps as they are; emit and diff take them from here,
// so nothing after `lower` reads `spec`.
pub use crate::spec::{AuthKind, ClientAuthSpec, EnumRepr, ParamLocation, ParamStyle};

/// The generated crate and every service in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub krate: CrateInfo,
    /// Sorted by module name.
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CrateInfo {
    pub name: String,
    pub version: String,
    pub description: String,
    pub license: Option<String>,
}

/// Rustdoc text, already made safe, one entry per line.
pub type Doc = Vec<String>;

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Module name and cargo feature.
    pub module: String,
    pub title: String,
    pub doc: Doc,
    pub source: Option<String>,
    pub base_url: String,
    pub auth: Vec<AuthScheme>,
    /// In spec order.
    pub groups: Vec<Group>,
    /// In spec order.
    pub types: Vec<TypeDef>,
    /// For each of `types`, in the same order: the groups (indexes into `groups`, ascending) whose
    /// operations use the type, directly or through other types. Empty for a type no operation
    /// uses (and for every type of a SOAP service).
    pub type_groups: Vec<Vec<usize>>,
    /// The SOAP binding and operations of a `protocol: soap` service (its `groups` are then empty).
    pub soap: Option<SoapService>,
    /// How operations run as background jobs, when the spec says.
    pub background_jobs: Option<BackgroundJobs>,
}

/// A SOAP 1.1 service: where it is, its namespaces, its operations and its session rules.
#[derive(Debug, Clone, PartialEq)]
pub struct SoapService {
    pub endpoint_path: String,
    pub endpoint_path_confirmed: bool,
    /// The SOAPAction template, `{operation}` standing for the operation element name.
    pub action_template: String,
    pub action_confirmed: bool,
    /// Prefix of the operation wrapper elements.
    pub operation_namespace: String,
    /// Prefix → URI, sorted by prefix.
    pub namespaces: Vec<(String, String)>,
    pub operations: Vec<SoapOperation>,
    pub session: Option<SoapSession>,
    /// Local names of the elements that carry a `secret` (sorted, distinct): errors redact
    /// their text from the answers they keep.
    pub secret_elements: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SoapOperation {
    pub id: String,
    /// Method on the service client.
    pub fn_name: String,
    pub doc: Doc,
    /// The operation element name (`PwsSaveProjectTask`).
    pub element: String,
    pub request_element: String,
    /// Rust idents of the request and response types.
    pub request: String,
    pub response: String,
    /// Takes the session's ticket (the request type has the ticket field and this is not the
    /// authenticate operation).
    pub uses_session: bool,
    /// The spec marks the call idempotent: it is retried (every SOAP call is a POST).
    pub idempotent: bool,
}

/// Rust names of what the session helper reads and writes.
#[derive(Debug, Clone, PartialEq)]
pub struct SoapSession {
    /// Index into `SoapService::operations`.
    pub authenticate: usize,
    pub end: Option<usize>,
    /// The ticket field's ident (the same name in requests and the authenticate response).
    pub ticket_field: String,
    /// The field naming another server to authenticate at, and the host patterns it may name
    /// (`host` or `*.domain`, lowercase, validated).
    pub redirect: Option<SoapRedirect>,
    pub status_field: String,
    pub messages_field: String,
    /// The status enum and the message type (element type of the messages list).
    pub status_type: String,
    pub message_type: String,
    /// Variant idents of the status enum.
    pub failure_statuses: Vec<String>,
    pub invalid_session_statuses: Vec<String>,
}

/// How the authenticate answer may send a session to another server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoapRedirect {
    /// The field's ident in the authenticate response.
    pub field: String,
    pub hosts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuthScheme {
    pub id: String,
    pub kind: AuthKind,
    pub doc: Doc,
    /// The token request of an `oauth2_client_credentials` scheme.
    pub client_credentials: Option<ClientCredentials>,
}

/// How the generated client gets its own OAuth2 tokens (client-credentials grant).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientCredentials {
    /// Absolute https URL.
    pub token_url: String,
    /// Requested by default, in spec order.
    pub scopes: Vec<String>,
    pub client_auth: ClientAuthSpec,
    /// In spec order; the required ones are `ClientCredentials::new` arguments in this order.
    pub params: Vec<TokenParam>,
}

/// An extra form field of the token request.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenParam {
    pub wire_name: String,
    /// The argument or setter name.
    pub ident: String,
    pub required: bool,
    pub doc: Doc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Module name and accessor method on the client.
    pub module: String,
    /// The struct the accessor returns (e.g. `ProjectTaskApi`).
    pub api_struct: String,
    /// The cargo feature that compiles the group (`<service>-<group>`, e.g. `visma_net-project_task`).
    pub feature: String,
    pub doc: Doc,
    /// In spec order.
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    /// The operation's previous id, when the spec marks a rename.
    pub renamed_from: Option<String>,
    pub source_id: Option<String>,
    /// Method on the group struct.
    pub fn_name: String,
    /// The request builder struct that `fn_name` returns.
    pub builder: String,
    pub method: HttpMethod,
    pub path_template: String,
    /// The path split into literal text and parameters (indexes into `params`).
    pub path: Vec<PathPart>,
    pub summary: Option<String>,
    pub doc: Doc,
    pub deprecated: Option<String>,
    /// Required parameters first (spec order), then optional ones (spec order).
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: SuccessShape,
    pub errors: Vec<ErrorResponse>,
    /// The type the declared error responses decode into, if any is declared.
    pub error_body: Option<TypeRef>,
    /// How the answer is split into pages, when the spec says.
    pub pagination: Option<Pagination>,
    /// How the operation is sent as a background job, when the service has a job protocol and
    /// the operation takes its header.
    pub background: Option<BackgroundCall>,
    /// The spec marks this POST or PATCH idempotent: it is retried like a GET.
    pub idempotent: bool,
}

/// A paginated operation: the parameters that address a page and where its items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub style: PaginationStyle,
    /// Indexes into `Operation::params`: the page number, offset or cursor, and the page size
    /// (always set except for a cursor style without one).
    pub position: usize,
    pub size: Option<usize>,
    /// `Cursor`: the body field with the next page's cursor (a string).
    pub next_cursor: Option<FieldAccess>,
    pub max_page_size: Option<i64>,
    /// The type of one item.
    pub item: TypeRef,
    /// The response enum's variant holding the items (`None` when the answer is not an enum).
    pub variant: Option<String>,
    /// The field of the body holding the items (`None` when the body is the list).
    pub items_field: Option<FieldAccess>,
    /// Parameters cleared before each page request (the background job header: a page must be
    /// answered with its items, not queued).
    pub cleared: Vec<usize>,
    /// Where the pagination was read and what of it was inferred (for the stream's docs).
    pub doc: Doc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaginationStyle {
    PageNumber { first: i64 },
    OffsetLimit,
    Cursor,
}

/// A field read from a decoded body: its ident, and whether it is an `Option`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldAccess {
    pub ident: String,
    pub optional: bool,
}

/// A service's background job protocol (see `runtime::background::JobProtocol`).
#[derive(Debug, Clone, PartialEq)]
pub struct BackgroundJobs {
    /// The ident of the job state type (an object in `types`).
    pub state_type: String,
    /// The state path: the text before and after the job id.
    pub state_path: (String, String),
    pub state_status: u16,
    pub content_path: (String, String),
    pub content_status: u16,
    pub status_field: FieldAccess,
    pub message_field: Option<FieldAccess>,
    pub finished: Vec<String>,
    pub failed: Vec<String>,
    /// The header and value that ask for a background run, for the docs.
    pub header: String,
    pub value: String,
}

/// How one operation is sent as a background job.
#[derive(Debug, Clone, PartialEq)]
pub struct BackgroundCall {
    /// Index into `Operation::params` of the header parameter, and the value it is set to.
    pub header: usize,
    pub value: HeaderValue,
    /// The response enum's variant of the accepted answer, and its job id field.
    pub accepted_variant: String,
    pub job_id: FieldAccess,
    /// The variant of the answer the job's content stands for, and its body type (`None`: empty).
    pub result_variant: String,
    pub result: Option<TypeRef>,
}

/// A header value written as the parameter's type spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    Text(String),
    /// A member of the parameter's enum type: the enum's ident and the variant.
    Member {
        ty: String,
        variant: String,
    },
    /// A value an open enum does not list, in its catch-all variant.
    Other {
        ty: String,
        variant: String,
        value: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

impl TypeDef {
    /// The type's name in the spec.
    pub fn wire_name(&self) -> &str {
        match self {
            TypeDef::Object(object) => &object.wire_name,
            TypeDef::Enum(enumeration) => &enumeration.wire_name,
            TypeDef::Alias(alias) => &alias.wire_name,
        }
    }
}

impl HttpMethod {
    /// Every method a REST operation may use, in the order messages list them.
    pub const ALL: [HttpMethod; 7] = [
        HttpMethod::Get,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Patch,
        HttpMethod::Delete,
        HttpMethod::Head,
        HttpMethod::Options,
    ];

    /// The method's name on the wire (and in the spec, where any case is accepted).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    /// The previous wire name, when the spec marks a rename.
    pub renamed_from: Option<String>,
    pub location: ParamLocation,
    /// Field and setter name.
    pub ident: String,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Doc,
    pub deprecated: Option<String>,
    /// How a query list or object is written; `Repeat` for every other parameter.
    pub style: ParamStyle,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    pub content_type: String,
    pub required: bool,
    pub doc: Doc,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessShape {
    /// One success status: its body type (`None` for an empty body) is the result.
    Single(SuccessResponse),
    /// Several success statuses: a generated enum with one variant per status.
    Enum { name: String, doc: Doc, cases: Vec<SuccessResponse> },
}

impl SuccessShape {
    pub fn responses(&self) -> &[SuccessResponse] {
        match self {
            SuccessShape::Single(response) => std::slice::from_ref(response),
            SuccessShape::Enum { cases, .. } => cases,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    pub status: u16,
    /// Variant name when part of an enum (`Ok`, `Created`, `Accepted`, ...).
    pub variant: String,
    pub ty: Option<TypeRef>,
    pub doc: Doc,
    /// Response header names that matter (`ETag`, `Location`).
    pub headers: Vec<String>,
    /// A `101`'s protocol: the call returns the upgraded connection.
    pub upgrade: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// `None` for the `default` entry.
    pub status: Option<u16>,
    pub ty: Option<TypeRef>,
    pub doc: Doc,
}

/// A Rust type as the generated code spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    String,
    I32,
    I64,
    F32,
    F64,
    Bool,
    Date,
    DateTime,
    Uuid,
    Json,
    ETag,
    /// A string whose `Debug` output is redacted (passwords, session tickets).
    Secret,
    List(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// A type defined in the same service; `boxed` where it closes a reference cycle.
    Named {
        ident: String,
        boxed: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Object(ObjectDef),
    Enum(EnumDef),
    Alias(AliasDef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDef {
    pub ident: String,
    pub wire_name: String,
    /// The previous spec name, when the spec marks a rename.
    pub renamed_from: Option<String>,
    pub doc: Doc,
    pub deprecated: Option<String>,
    /// In spec order (the wire order).
    pub fields: Vec<Field>,
    /// Every field can be left out, so `Default` is derived.
    pub all_optional: bool,
    /// Some field (transitively) holds a float, so `Eq` is not derived.
    pub has_float: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    /// The previous wire name, when the spec marks a rename.
    pub renamed_from: Option<String>,
    pub ident: String,
    /// Its `with_<field>` setter (`names::setter`), unique within the object.
    pub setter: String,
    pub ty: TypeRef,
    /// Wrapped in `Option` (not required, or nullable).
    pub optional: bool,
    /// `None` is left out of the JSON (not required); a required nullable field sends `null`.
    pub skip_if_none: bool,
    pub read_only: bool,
    pub doc: Doc,
    pub deprecated: Option<String>,
    /// How the field is written as XML (SOAP services only).
    pub xml: Option<FieldXml>,
}

/// A field's XML element: namespace prefix, and for lists the item element.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldXml {
    pub namespace: String,
    /// `(prefix, element name)` of each item of a list field.
    pub item: Option<(String, String)>,
    /// A required `None` value is sent as `i:nil="true"`.
    pub nillable: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub ident: String,
    pub wire_name: String,
    /// The previous spec name, when the spec marks a rename.
    pub renamed_from: Option<String>,
    pub doc: Doc,
    pub repr: EnumRepr,
    pub open: bool,
    pub members: Vec<Member>,
    /// The catch-all variant of an open enum (`Other`, unless a member took that name).
    pub other_variant: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub ident: String,
    pub value: WireValue,
    pub doc: Doc,
    pub deprecated: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireValue {
    String(String),
    Integer(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct AliasDef {
    pub ident: String,
    pub wire_name: String,
    /// The previous spec name, when the spec marks a rename.
    pub renamed_from: Option<String>,
    pub doc: Doc,
    pub ty: TypeRef,
}
