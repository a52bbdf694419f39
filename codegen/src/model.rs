//! The validated intermediate representation that emitters read.
//!
//! References are resolved, every Rust name is computed (by `names`, as a [`RustName`]: an
//! identifier, raw where it must be), docs are cleaned (by `docs`) and the order of everything
//! is fixed. Emitters never look a type up by string, compute a name or clean a doc (a unit
//! test in `names` checks `emit/`).

// The spec's own enums that the model keeps as they are; emit and diff take them from here,
// so nothing after `lower` reads `spec`.
pub use crate::spec::{ApiKeyLocation, AuthKind, ClientAuthSpec, EnumRepr, ParamLocation, ParamStyle};

pub use crate::names::RustName;

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
    /// The description as the crate page's rustdoc.
    pub doc: Doc,
    pub license: Option<String>,
}

/// Rustdoc text, already made safe, one entry per line.
pub type Doc = Vec<String>;

/// An item marked deprecated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecated {
    /// As the spec writes it (empty for a bare `deprecated: true`), for `diff`.
    pub note: String,
    /// The note as `#[deprecated(note = ..)]` shows it: made safe, on one line.
    pub attr_note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Module name and cargo feature.
    pub module: RustName,
    /// The folder of its files under `src/` (the module name without `r#`).
    pub file_stem: String,
    pub title: String,
    /// The title as inline rustdoc.
    pub title_doc: String,
    pub doc: Doc,
    pub source: Option<String>,
    /// The module page's line saying where the spec was captured (empty without `source`).
    pub source_doc: Doc,
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

/// The cargo features that compile an item of a service, from the groups that need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupGate<'g> {
    /// Every group needs it: it compiles whenever the service module does.
    Always,
    /// No group needs it (a type no operation uses): only the service feature, which turns on
    /// every group, compiles it.
    ServiceOnly,
    /// The features of these groups (indexes into `Service::groups`), any of them.
    Groups(&'g [usize]),
}

impl Service {
    /// The gate of an item that the groups `groups` (indexes into `groups`) need. The one rule
    /// both the emitted `#[cfg]`s and the diff's group rules follow.
    pub fn group_gate<'g>(&self, groups: &'g [usize]) -> GroupGate<'g> {
        let count = self.groups.len();
        if groups.len() == count || (groups.is_empty() && count == 1) {
            GroupGate::Always
        } else if groups.is_empty() {
            GroupGate::ServiceOnly
        } else {
            GroupGate::Groups(groups)
        }
    }
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
    pub fn_name: RustName,
    /// Its blocking twin on the `blocking` client (`<fn_name>_blocking`).
    pub blocking_fn: RustName,
    pub doc: Doc,
    /// The operation element name (`PwsSaveProjectTask`).
    pub element: String,
    pub request_element: String,
    /// Rust idents of the request and response types.
    pub request: RustName,
    pub response: RustName,
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
    pub ticket_field: RustName,
    /// The field naming another server to authenticate at, and the host patterns it may name
    /// (`host` or `*.domain`, lowercase, validated).
    pub redirect: Option<SoapRedirect>,
    pub status_field: RustName,
    pub messages_field: RustName,
    /// The status enum and the message type (element type of the messages list).
    pub status_type: RustName,
    pub message_type: RustName,
    /// Variant idents of the status enum.
    pub failure_statuses: Vec<RustName>,
    pub invalid_session_statuses: Vec<RustName>,
}

/// How the authenticate answer may send a session to another server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoapRedirect {
    /// The field's ident in the authenticate response.
    pub field: RustName,
    pub hosts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuthScheme {
    pub id: String,
    pub kind: AuthKind,
    pub doc: Doc,
    /// The token request of an `oauth2_client_credentials` scheme.
    pub client_credentials: Option<ClientCredentials>,
    /// Where an `api_key` scheme sends its key.
    pub api_key: Option<ApiKey>,
}

/// An API key's place on the wire, and the `Client` constant that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The header, query parameter or cookie name, exactly as sent.
    pub wire_name: String,
    pub location: ApiKeyLocation,
    /// `Client::<constant>`, the `ApiKeyScheme` given to `ClientConfig::api_key`.
    pub constant: RustName,
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
    pub ident: RustName,
    pub required: bool,
    pub doc: Doc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Module name and accessor method on the client.
    pub module: RustName,
    /// Its file's name under the service folder, without `.rs` (the module without `r#`).
    pub file_stem: String,
    /// The struct the accessor returns (e.g. `ProjectTaskApi`).
    pub api_struct: RustName,
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
    pub fn_name: RustName,
    /// The request builder struct that `fn_name` returns.
    pub builder: RustName,
    pub method: HttpMethod,
    pub path_template: String,
    /// The path split into literal text and parameters (indexes into `params`).
    pub path: Vec<PathPart>,
    /// The summary as inline rustdoc (for the service's operation table).
    pub summary_doc: Option<String>,
    pub doc: Doc,
    pub deprecated: Option<Deprecated>,
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
    pub variant: Option<RustName>,
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
    pub ident: RustName,
    pub optional: bool,
    /// A `Nullable` rather than an `Option` (read with `into_value`/`value`).
    pub tristate: bool,
}

/// A service's background job protocol (see `runtime::background::JobProtocol`).
#[derive(Debug, Clone, PartialEq)]
pub struct BackgroundJobs {
    /// The ident of the job state type (an object in `types`).
    pub state_type: RustName,
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
    pub accepted_variant: RustName,
    pub job_id: FieldAccess,
    /// The variant of the answer the job's content stands for, and its body type (`None`: empty).
    pub result_variant: RustName,
    pub result: Option<TypeRef>,
}

/// A header value written as the parameter's type spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    Text(String),
    /// A member of the parameter's enum type: the enum's ident and the variant.
    Member {
        ty: RustName,
        variant: RustName,
    },
    /// A value an open enum does not list, in its catch-all variant.
    Other {
        ty: RustName,
        variant: RustName,
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
            TypeDef::Union(union) => &union.wire_name,
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
    pub ident: RustName,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Doc,
    pub deprecated: Option<Deprecated>,
    /// How a query list or object is written; `Repeat` for every other parameter.
    pub style: ParamStyle,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    pub content_type: String,
    /// How the body is written, from its content type (`lower/bodies.rs`).
    pub encoding: BodyEncoding,
    pub required: bool,
    pub doc: Doc,
}

/// How a request body is written.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyEncoding {
    Json,
    /// `application/x-www-form-urlencoded`: the object's fields (scalars and lists of them).
    Form(Vec<FormField>),
    /// `multipart/form-data`: the object's fields, files among them.
    Multipart(Vec<FormField>),
    /// The bytes as they are (a `binary` body: `crate::BinaryBody`, in memory or streamed).
    Binary,
    /// A `string` body as UTF-8 text (`text/*`).
    Text,
}

/// A field of a form body: one `name=value` pair or part per value.
#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub wire_name: String,
    pub ident: RustName,
    /// Wrapped in `Option`: no pair when `None`.
    pub optional: bool,
    /// A `Nullable` rather than an `Option`: no pair unless it holds a value (a form has no `null`).
    pub tristate: bool,
    /// A list: one pair or part per item.
    pub list: bool,
    /// A file (`binary`, `crate::FilePart`): a part with a file name and content type.
    pub file: bool,
}

/// How a success response's body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseContent {
    Json,
    /// `text/*` into a `String` (UTF-8), within the client's body limit.
    Text,
    /// Bytes (`crate::Bytes`) within the client's body limit, or streamed (`send_streaming`).
    Binary,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessShape {
    /// One success status: its body type (`None` for an empty body) is the result.
    Single(SuccessResponse),
    /// Several success statuses: a generated enum with one variant per status.
    Enum { name: RustName, doc: Doc, cases: Vec<SuccessResponse> },
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
    pub variant: RustName,
    /// The response enum's accessor of the variant: `into_ok` for a body, `is_no_content` without.
    pub accessor: RustName,
    pub ty: Option<TypeRef>,
    /// The body's media type (`None` for an empty body) and how it is read.
    pub content_type: Option<String>,
    pub content: ResponseContent,
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
    /// Bytes: a file in a multipart form (`crate::FilePart`), a binary body or answer.
    Binary,
    List(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// A type defined in the same service; `boxed` where it closes a reference cycle.
    Named {
        ident: RustName,
        boxed: bool,
    },
}

impl TypeRef {
    /// The type in the spec's grammar (`list<TaskDto>`), each named type as `name` spells its
    /// Rust name: for docs and for the diff's comparisons.
    pub fn spell(&self, name: &dyn Fn(&RustName) -> String) -> String {
        match self {
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
            TypeRef::Binary => "binary".to_owned(),
            TypeRef::List(inner) => format!("list<{}>", inner.spell(name)),
            TypeRef::Map(inner) => format!("map<{}>", inner.spell(name)),
            TypeRef::Named { ident, .. } => name(ident),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Object(ObjectDef),
    Enum(EnumDef),
    Alias(AliasDef),
    Union(UnionDef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDef {
    pub ident: RustName,
    pub wire_name: String,
    /// The previous spec name, when the spec marks a rename.
    pub renamed_from: Option<String>,
    pub doc: Doc,
    pub deprecated: Option<Deprecated>,
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
    pub ident: RustName,
    /// Its `with_<field>` setter (`names::setter`), unique within the object.
    pub setter: RustName,
    pub ty: TypeRef,
    /// Wrapped in `Option` (not required, or nullable).
    pub optional: bool,
    /// `None` is left out of the JSON (not required); a required nullable field sends `null`.
    pub skip_if_none: bool,
    /// Optional and nullable in a REST service: a `Nullable<T>` (absent, `null` or a value)
    /// instead of an `Option` (`optional` and `skip_if_none` are also set).
    pub tristate: bool,
    pub read_only: bool,
    pub doc: Doc,
    pub deprecated: Option<Deprecated>,
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
    pub ident: RustName,
    pub wire_name: String,
    /// The previous spec name, when the spec marks a rename.
    pub renamed_from: Option<String>,
    pub doc: Doc,
    pub repr: EnumRepr,
    pub open: bool,
    pub members: Vec<Member>,
    /// The catch-all variant of an open enum (`Other`, unless a member took that name).
    pub other_variant: RustName,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub ident: RustName,
    pub value: WireValue,
    pub doc: Doc,
    pub deprecated: Option<Deprecated>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireValue {
    String(String),
    Integer(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct AliasDef {
    pub ident: RustName,
    pub wire_name: String,
    /// The previous spec name, when the spec marks a rename.
    pub renamed_from: Option<String>,
    pub doc: Doc,
    pub ty: TypeRef,
}

/// A value that is one of several types (`kind: union`): a Rust enum with one tuple variant per
/// spec variant, and for an open union a catch-all holding the raw JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    pub ident: RustName,
    pub wire_name: String,
    /// The previous spec name, when the spec marks a rename.
    pub renamed_from: Option<String>,
    pub doc: Doc,
    /// The JSON property naming the variant; `None` for an untagged union (variants tried in order).
    pub discriminator: Option<String>,
    pub open: bool,
    /// In spec order (the order an untagged union tries them).
    pub variants: Vec<Variant>,
    /// The catch-all variant of an open union (`Other`, unless a variant took that name).
    pub other_variant: RustName,
    /// Some variant (transitively) holds a float, so `Eq` is not derived.
    pub has_float: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub ident: RustName,
    /// The discriminator's value (tagged unions only).
    pub tag: Option<String>,
    pub ty: TypeRef,
    pub doc: Doc,
}
