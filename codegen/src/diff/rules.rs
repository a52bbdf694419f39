//! The rule table: every kind of change `cargo xtask diff` reports, with a stable id and its
//! classification on the two axes. It is the single source of `docs/diff-rules.md` (a test
//! keeps the two equal) and of every classification that does not depend on context: the diff
//! takes an `Always` verdict from here, and passes its own only for a `Depends` one.

use std::fmt;

/// Does an existing client of the HTTP API break?
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Wire {
    None,
    /// Needs a person: it depends on what servers and clients actually send.
    PotentiallyBreaking,
    Breaking,
}

/// The semver bump of the generated crate that a change needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    Patch,
    Minor,
    /// Code using the generated crate may stop compiling.
    Major,
}

impl fmt::Display for Wire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Wire::None => "none",
            Wire::PotentiallyBreaking => "potentially breaking",
            Wire::Breaking => "breaking",
        })
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// A rule's verdict on one axis: fixed, or depending on where the change is (the text says how).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict<T> {
    Always(T),
    Depends(&'static str),
}

impl<T: fmt::Display> fmt::Display for Verdict<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Always(value) => value.fmt(f),
            Verdict::Depends(text) => f.write_str(text),
        }
    }
}

/// One kind of change.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case id, shown in every report; never reuse or rename one.
    pub id: &'static str,
    pub what: &'static str,
    pub wire: Verdict<Wire>,
    pub rust: Verdict<Bump>,
    /// Why the verdicts are what they are, in terms of how this project generates code.
    pub why: &'static str,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

use Bump::{Major, Minor, Patch};
use Verdict::{Always, Depends};
use Wire::{Breaking, PotentiallyBreaking};
const NO: Verdict<Wire> = Always(Wire::None);

macro_rules! rules {
    ($($name:ident = $id:literal, $what:literal, $wire:expr, $rust:expr, $why:literal;)*) => {
        $(pub const $name: &Rule = &Rule { id: $id, what: $what, wire: $wire, rust: $rust, why: $why };)*
        /// Every rule, in the order of the documentation.
        pub const ALL: &[&Rule] = &[$($name),*];
    };
}

rules! {
    // Services.
    SERVICE_ADDED = "service-added", "a service (spec file) was added", NO, Always(Minor),
        "a new module behind a new cargo feature (on by default)";
    SERVICE_REMOVED = "service-removed", "a service was removed", Always(Breaking), Always(Major),
        "its module and cargo feature are gone";
    BASE_URL_CHANGED = "base-url-changed", "the documented base URL changed", Always(PotentiallyBreaking), Always(Patch),
        "clients on the default URL now talk to another server; `Client::DEFAULT_BASE_URL` keeps its type";
    AUTH_CHANGED = "auth-changed", "an auth scheme was added, removed or changed kind, or an API key moved (its header, query parameter or cookie)",
        Depends("breaking when a scheme is added, changes kind or its API key moves; none when one is only removed, or changes between `oauth2_bearer` and `oauth2_client_credentials` (the API gets the same bearer token)"),
        Depends("minor when an `oauth2_client_credentials` or `api_key` scheme is added, major when one is removed; patch otherwise"),
        "requests without the new credentials, or with the key in its old place, fail; credentials are set on the generic `ClientConfig`, but a client-credentials scheme adds `ClientCredentials` and `Client::with_client_credentials`, and an `api_key` scheme its `Client` constant";
    AUTH_TOKEN_REQUEST_CHANGED = "auth-token-request-changed",
        "the token URL, scopes, client authentication or token parameters of an `oauth2_client_credentials` scheme changed",
        Always(PotentiallyBreaking),
        Depends("major when a token parameter is removed, added as required or changes between required and optional; minor when an optional one is added; patch otherwise"),
        "old clients keep sending the old token request, which the token endpoint may refuse; required parameters are `ClientCredentials::new` arguments, optional ones its setters";
    SOAP_BINDING_CHANGED = "soap-binding-changed",
        "a SOAP endpoint path, SOAPAction template, namespace, request element, or a field's XML namespace or item element changed",
        Always(Breaking), Always(Patch),
        "old clients send envelopes the service no longer reads; the Rust API is the same";
    SOAP_REDIRECT_HOSTS_CHANGED = "soap-redirect-hosts-changed",
        "the hosts a SOAP session may be redirected to (`redirect_hosts`, or the `redirect_field` that enables redirects) changed",
        Depends("potentially breaking when a host is added or redirects start; none when hosts are only removed or redirects stop"),
        Always(Patch),
        "a wider list loosens where the client sends the credentials (review that each new host belongs to the service), and old clients refuse redirects to the new hosts; a narrower one only refuses more; the Rust API is the same";

    // Operations.
    OPERATION_ADDED = "operation-added", "an operation was added", NO, Always(Minor),
        "a new method on the group (or on a SOAP client)";
    OPERATION_REMOVED = "operation-removed", "an operation was removed", Always(Breaking), Always(Major),
        "callers of the endpoint get errors; the method and its builder are gone";
    OPERATION_RENAMED = "operation-renamed",
        "an operation's method name or group changed, same HTTP method and path (marked with `renamed_from`, or unambiguous)",
        NO, Always(Major),
        "the wire is the same, but `client.<group>().<method>()`, the builder and the response enum are renamed";
    OPERATION_METHOD_CHANGED = "operation-method-changed", "an operation's HTTP method changed", Always(Breaking), Always(Patch),
        "old clients send the old method; the Rust call is unchanged";
    OPERATION_PATH_CHANGED = "operation-path-changed",
        "an operation's path template (SOAP: its element) changed; renamed placeholders alone are not a change",
        Always(Breaking), Always(Patch),
        "old clients call the old path; the Rust call is unchanged";
    OPERATION_DEPRECATED = "operation-deprecated", "an operation was marked deprecated (or no longer is)", NO, Always(Minor),
        "`#[deprecated]` warns callers";
    PAGINATION_CHANGED = "pagination-changed", "an operation's pagination was declared, removed or changed", NO,
        Depends("minor when declared; major when removed or its item type changes; patch otherwise"),
        "the HTTP API is the same, the spec only says how to walk it; `into_stream()`/`collect_all()` appear or go away, and their item type is their signature";
    BACKGROUND_JOB_CHANGED = "background-job-changed",
        "the service's background job protocol (`background_jobs`) or an operation's way of running as a job was declared, removed or changed",
        NO, Depends("minor when declared; major when removed or a job's result type changes; patch otherwise"),
        "the HTTP API is the same; `send_in_background()` and `BackgroundJob` appear or go away, and a job's result type is part of its signature";
    OPERATION_IDEMPOTENT_CHANGED = "operation-idempotent-changed",
        "an operation was marked `idempotent` (or no longer is)",
        Depends("potentially breaking when marked; none when the mark is removed"), Always(Patch),
        "a marked POST, PATCH or SOAP call is sent again after a 429, 502, 503, 504, 408 or refused connection: review that the server treats a repeat as one request; without the mark it is sent once; only the value of the builder's `OPERATION.idempotent` changes";
    OPERATION_SESSION_CHANGED = "operation-session-changed", "a SOAP operation started or stopped taking the session ticket",
        NO, Always(Major),
        "the ticket travels in a request field either way; the method gains or loses its `&Session` argument";

    // Parameters.
    PARAM_ADDED_REQUIRED = "param-added-required", "a required parameter was added", Always(Breaking), Always(Major),
        "old requests lack it; required parameters are positional arguments of the method";
    PARAM_ADDED_OPTIONAL = "param-added-optional", "an optional parameter was added", NO, Always(Minor),
        "a new setter on the builder";
    PARAM_REMOVED = "param-removed", "a parameter was removed", Always(PotentiallyBreaking), Always(Major),
        "servers may reject or ignore it; its argument or setter is gone";
    PARAM_BECAME_REQUIRED = "param-became-required", "an optional parameter became required", Always(Breaking), Always(Major),
        "requests without it fail; it moves from a setter into the argument list";
    PARAM_BECAME_OPTIONAL = "param-became-optional", "a required parameter became optional", NO, Always(Major),
        "the server accepts old requests, but the argument leaves the method and becomes a setter";
    PARAM_TYPE_CHANGED = "param-type-changed", "a parameter's type changed", Always(Breaking), Always(Major),
        "values in the old format may be rejected; the argument or setter type changes";
    PARAM_LOCATION_CHANGED = "param-location-changed", "a parameter moved between path, query, header and cookie",
        Always(Breaking), Always(Patch),
        "old clients send it in the old place; its Rust name and type are unchanged";
    PARAM_STYLE_CHANGED = "param-style-changed", "a query parameter's `style` changed (how a list or object is written)",
        Always(Breaking), Always(Patch),
        "old clients join or spread the values the old way, which the server no longer reads; the Rust API is unchanged";
    PARAM_WIRE_NAME_CHANGED = "param-wire-name-changed", "a parameter's wire name changed",
        Depends("breaking; none for a path parameter or a header whose name changed only in case"), Always(Patch),
        "old clients send the old name (a path parameter's name is not sent, header names ignore case); the Rust API is unchanged";
    PARAM_RUST_NAME_CHANGED = "param-rust-name-changed", "a parameter's Rust name changed (`rust_name`), its wire name did not",
        NO, Depends("major for an optional parameter; patch for a required one"),
        "an optional parameter's setter is renamed; required parameters are positional, so their names are not part of the API";
    PARAM_ORDER_CHANGED = "param-order-changed", "the order of the required parameters changed", NO, Always(Major),
        "the positional arguments change places: calls fail to compile or, when the types agree, silently pass values to the wrong parameter";
    PARAM_DEPRECATED = "param-deprecated", "a parameter was marked deprecated (or no longer is)", NO, Always(Minor),
        "`#[deprecated]` on the setter";

    // Request bodies.
    BODY_ADDED = "body-added", "a request body was added",
        Depends("breaking if required, else none"), Depends("major if required, else minor"),
        "a required body becomes the method's last argument; an optional one a `body` setter";
    BODY_REMOVED = "body-removed", "the request body was removed", Always(Breaking), Always(Major),
        "servers may reject the body old clients send; the argument or setter is gone";
    BODY_TYPE_CHANGED = "body-type-changed", "the request body's type changed", Always(Breaking), Always(Major),
        "the server expects another shape; the argument type changes";
    BODY_BECAME_REQUIRED = "body-became-required", "an optional request body became required", Always(Breaking), Always(Major),
        "requests without it fail; the `body` setter becomes an argument";
    BODY_BECAME_OPTIONAL = "body-became-optional", "a required request body became optional", NO, Always(Major),
        "the server accepts old requests, but the argument becomes a `body` setter";
    BODY_CONTENT_TYPE_CHANGED = "body-content-type-changed", "the request body's content type changed", Always(Breaking), Always(Patch),
        "the server expects another encoding (JSON, a form, multipart, bytes or text) or media type; the argument changes only with the body's type (`body-type-changed`)";

    // Responses.
    RESPONSE_STATUS_ADDED = "response-status-added", "a success status was added", Always(PotentiallyBreaking),
        Depends("major when the operation had one success status, else minor"),
        "old clients treat the status as unexpected; a second status turns the result into a response enum, a further one adds a variant to a `#[non_exhaustive]` enum";
    RESPONSE_STATUS_REMOVED = "response-status-removed", "a success status was removed", Always(Breaking), Always(Major),
        "clients relying on it see another status; its variant (or the whole response enum) goes away";
    RESPONSE_TYPE_CHANGED = "response-type-changed", "the body type of a success status changed", Always(Breaking), Always(Major),
        "old clients cannot decode it; the result type changes";
    RESPONSE_CONTENT_TYPE_CHANGED = "response-content-type-changed", "the content type of a success body changed", Always(Breaking), Always(Patch),
        "old clients ask for and read the old media type (JSON, text or bytes); the result type changes only with the body's type (`response-type-changed`)";
    RESPONSE_HEADER_ADDED = "response-header-added", "a response header was documented", NO, Always(Patch),
        "headers are read from `Response::headers`; only the docs change";
    RESPONSE_HEADER_REMOVED = "response-header-removed", "a documented response header was removed", Always(Breaking), Always(Patch),
        "clients reading it find nothing; the Rust API is unchanged";
    ERROR_STATUS_CHANGED = "error-status-changed", "an error status was declared or no longer is", NO, Always(Patch),
        "every non-success status is an `Error::Api` already";
    ERROR_TYPE_CHANGED = "error-type-changed", "the declared error body type changed", Always(PotentiallyBreaking), Always(Major),
        "clients decoding error bodies may fail; the `E` of `Error<E>` changes";

    // Types.
    TYPE_ADDED = "type-added", "a type was added", NO, Always(Minor),
        "a new item in the `types` module";
    TYPE_REMOVED = "type-removed", "a type was removed", NO, Always(Major),
        "its uses are reported on their own; the Rust item is gone";
    TYPE_RENAMED = "type-renamed", "a type was renamed (marked with `renamed_from`, or unambiguous: one type of the same shape)",
        NO, Always(Major),
        "the JSON is the same; the Rust item is renamed";
    TYPE_KIND_CHANGED = "type-kind-changed", "a type changed kind (object, enum, alias, union)", Always(Breaking), Always(Major),
        "values have another shape";
    TYPE_DEPRECATED = "type-deprecated", "an object type was marked deprecated (or no longer is)", NO, Always(Minor),
        "`#[deprecated]` on the struct";
    ALIAS_TARGET_CHANGED = "alias-target-changed", "an alias refers to another type", Always(Breaking), Always(Major),
        "values have another shape and the alias another Rust type";
    DERIVE_REMOVED = "derive-removed", "a struct no longer derives `Eq` (a field now holds a float) or `Default` (a field is no longer optional)",
        NO, Always(Major),
        "code comparing or defaulting the struct stops compiling; reported on every struct affected, also through nesting";
    DERIVE_ADDED = "derive-added", "a struct now derives `Eq` or `Default`", NO, Always(Minor),
        "a new trait implementation";
    TYPE_LEFT_GROUP = "type-left-group",
        "a type is no longer compiled with a group's cargo feature (`<service>-<group>`): no operation of the group reaches it any more",
        NO, Always(Major),
        "a type compiles only with the features of the groups whose operations reach it (the service feature turns on all of them), so code built with that group's feature alone that names the type stops compiling; a removed type or group is reported by its own rules";
    TYPE_JOINED_GROUP = "type-joined-group", "a type is now compiled with a group's cargo feature it was not compiled with",
        NO, Always(Minor),
        "a build with that group's feature alone gains a public item, new API that a later patch release could not take back without breaking code that came to use it; builds with the service feature see no change";

    // Fields.
    FIELD_ADDED_REQUIRED = "field-added-required", "a required field was added",
        Depends("breaking in requests, none in responses"),
        Depends("major, or minor when the field is nullable (an `Option`)"),
        "old clients do not send it; `Type::new` takes the new field as an argument, unless it is an `Option`, which `new` leaves `None` (structs are `#[non_exhaustive]`)";
    FIELD_ADDED_OPTIONAL = "field-added-optional", "an optional field was added", NO, Always(Minor),
        "structs are `#[non_exhaustive]` and built with `Type::new(required…)` and `with_<field>` setters, so a new `Option` field is only a new field and setter";
    FIELD_REMOVED = "field-removed", "a field was removed",
        Depends("breaking when it was required in a response, else potentially breaking"), Always(Major),
        "old clients require it in responses (or the server may reject it in requests); the struct field is gone";
    FIELD_TYPE_CHANGED = "field-type-changed", "a field's type changed", Always(Breaking), Always(Major),
        "old values do not decode; the field's Rust type changes";
    FIELD_BECAME_REQUIRED = "field-became-required", "an optional field became required",
        Depends("breaking in requests, none in responses"),
        Depends("major, or patch when the field is nullable and stays an `Option` (SOAP)"),
        "old clients may leave it out; `Option<T>` becomes `T` and an argument of `Type::new`, and in a REST service an optional nullable field's `Nullable<T>` becomes `Option<T>`";
    FIELD_BECAME_OPTIONAL = "field-became-optional", "a required field became optional",
        Depends("breaking in responses, none in requests"),
        Depends("major, or patch when the field was nullable and stays an `Option` (SOAP)"),
        "old clients require it in responses; `T` becomes `Option<T>` and leaves `Type::new`'s arguments (its `with_` setter still takes `T`), and in a REST service a nullable field's `Option<T>` becomes `Nullable<T>`";
    FIELD_NULLABILITY_CHANGED = "field-nullability-changed", "a required field became nullable or not nullable",
        Depends("becoming nullable: breaking in responses; becoming not nullable: breaking in requests; else none"),
        Always(Major),
        "old clients do not expect (or still send) null; nullability decides `Option` for required fields, and whether `Type::new` takes them";
    FIELD_TRISTATE_CHANGED = "field-tristate-changed",
        "an optional field of a REST service became nullable (a `Nullable`: absent, null or a value) or not nullable (an `Option`)",
        Depends("becoming not nullable: potentially breaking in requests; else none"), Always(Major),
        "old clients never send null and read a null as `None`, but may send the `Nullable::Null` a server no longer accepts; the field's Rust type changes between `Option<T>` and `Nullable<T>`";
    FIELD_WIRE_NAME_CHANGED = "field-wire-name-changed", "a field's wire name (JSON name, or XML element) changed, its Rust name did not",
        Always(Breaking), Always(Patch),
        "old clients send and expect the old name; the struct is unchanged (a fix of a captured name still needs a look)";
    FIELD_RUST_NAME_CHANGED = "field-rust-name-changed", "a field's Rust name changed (`rust_name`), its wire name did not",
        NO, Always(Major),
        "the struct field and its `with_` setter are renamed";
    FIELD_ORDER_CHANGED = "field-order-changed", "an object's fields changed order",
        Depends("breaking for a SOAP type (its elements are a sequence); none for JSON"),
        Depends("major when fields that are not an `Option` changed places, else patch"),
        "`Type::new` takes the fields that are not an `Option` as positional arguments in spec order: calls fail to compile or, when the types agree, pass values to the wrong field; reported for JSON only then";
    FIELD_DEPRECATED = "field-deprecated", "a field was marked deprecated (or no longer is)", NO, Always(Minor),
        "`#[deprecated]` on the field and its setter; `Type::new` never asks for an optional one, so callers name it only to set it";

    // Enums.
    ENUM_MEMBER_ADDED = "enum-member-added", "an enum member was added",
        Depends("breaking for a closed enum in responses; none for an open enum or in requests only"), Always(Minor),
        "old clients fail to decode an unknown value of a closed enum, an open one keeps it in `Other` (code matching `Other(\"new\")` changes path); enums are `#[non_exhaustive]`";
    ENUM_MEMBER_REMOVED = "enum-member-removed", "an enum member was removed",
        Depends("breaking in requests, none in responses"), Always(Major),
        "servers reject the value; the variant is gone";
    ENUM_MEMBER_RENAMED = "enum-member-renamed", "an enum member's name changed, its wire value did not", NO, Always(Major),
        "the variant is renamed";
    ENUM_MEMBER_VALUE_CHANGED = "enum-member-value-changed", "an enum member's wire value changed, its name did not",
        Always(Breaking), Always(Patch),
        "old clients send and expect the old value; the variant is unchanged";
    ENUM_MEMBER_DEPRECATED = "enum-member-deprecated", "an enum member was marked deprecated (or no longer is)", NO, Always(Minor),
        "`#[deprecated]` on the variant";
    ENUM_OPENNESS_CHANGED = "enum-openness-changed",
        "an enum became open (unknown values kept) or closed, or its fallback variant was renamed (a member took its name)",
        Depends("opened: potentially breaking in responses; closed: potentially breaking in requests; else none"),
        Depends("closed, or the fallback variant renamed: major; opened: major for a string enum, minor for an integer enum"),
        "closing removes the `Other` variant; opening adds one, and a string enum's `as_str()` then borrows from the value instead of returning `&'static str`";
    ENUM_REPR_CHANGED = "enum-repr-changed", "an enum changed between string and integer values", Always(Breaking), Always(Major),
        "values travel differently; `as_str()` becomes `value()` and the fallback variant's type changes";

    // Unions.
    UNION_VARIANT_ADDED = "union-variant-added", "a union variant was added",
        Depends("breaking for a closed union in responses; none for an open union or in requests only"), Always(Minor),
        "old clients fail to decode a value of the new variant unless the union is open (then it lands in `Other`); unions are `#[non_exhaustive]` enums";
    UNION_VARIANT_REMOVED = "union-variant-removed", "a union variant was removed",
        Depends("breaking in requests, none in responses"), Always(Major),
        "servers reject values of the variant; the enum variant is gone";
    UNION_VARIANT_RENAMED = "union-variant-renamed",
        "a union variant's name changed, its tag (or, untagged, its type and place) did not", NO, Always(Major),
        "the JSON is the same; the enum variant is renamed";
    UNION_VARIANT_TYPE_CHANGED = "union-variant-type-changed", "a union variant's type changed", Always(Breaking), Always(Major),
        "values of the variant have another shape; the variant holds another Rust type";
    UNION_VARIANT_ORDER_CHANGED = "union-variant-order-changed", "an untagged union's variants changed order",
        Always(PotentiallyBreaking), Always(Patch),
        "an untagged union decodes a value as the first variant that accepts it: a value two variants accept may now decode as the other one; the Rust enum is the same";
    UNION_TAG_CHANGED = "union-tag-changed", "a tagged union variant's tag changed", Always(Breaking), Always(Patch),
        "old clients send and expect the old tag; the variant is unchanged";
    UNION_DISCRIMINATOR_CHANGED = "union-discriminator-changed",
        "a union's discriminator property changed, or the union became tagged or untagged", Always(Breaking), Always(Patch),
        "old clients read and write the variant's name in another place (or not at all); the Rust enum is the same";
    UNION_OPENNESS_CHANGED = "union-openness-changed",
        "a union became open (unknown variants kept) or closed, or its fallback variant was renamed (a variant took its name)",
        Depends("opened: none; closed: potentially breaking in responses"),
        Depends("opened: minor; closed, or the fallback variant renamed: major"),
        "opening adds the `Other` variant to a `#[non_exhaustive]` enum; closing removes it, and answers old clients kept there fail to decode";

    // Documentation.
    DOCS_CHANGED = "docs-changed", "a title, summary or description changed", NO, Always(Patch),
        "rustdoc only (informational)";
}
