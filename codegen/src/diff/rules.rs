//! The rule table: every kind of change `cargo xtask diff` reports, with a stable id and how it
//! is classified on the two axes. `docs/diff-rules.md` is generated from this table (a test
//! keeps them equal).

/// Does an existing client of the HTTP API break?
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Wire {
    None,
    /// Needs a person: it depends on what servers and clients actually send.
    PotentiallyBreaking,
    Breaking,
}

/// The semver bump of the generated crate that the change needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

/// One kind of change. `wire` and `rust` describe the classification; where it depends on the
/// side (request or response) or on the enum's openness, the text says how.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub what: &'static str,
    pub wire: &'static str,
    pub rust: &'static str,
    pub why: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $what:literal, $wire:literal, $rust:literal, $why:literal;)*) => {
        $(pub const $name: &Rule = &Rule { id: $id, what: $what, wire: $wire, rust: $rust, why: $why };)*
        /// Every rule, in report order.
        pub const ALL: &[&Rule] = &[$($name),*];
    };
}

rules! {
    SERVICE_ADDED = "service-added", "a service (spec file) was added", "none", "minor", "a new module behind a new cargo feature";
    SERVICE_REMOVED = "service-removed", "a service was removed", "breaking", "major", "its module and feature are gone";
    BASE_URL_CHANGED = "base-url-changed", "the documented base URL changed", "potentially breaking", "patch", "clients on the default URL now talk to another server; the constant's value changes, not its type";
    AUTH_CHANGED = "auth-changed", "an auth scheme was added, removed or changed kind", "breaking", "patch", "requests without the new credentials fail; the client's auth settings are generic";
    OPERATION_ADDED = "operation-added", "an operation was added", "none", "minor", "a new method on the group (or client)";
    OPERATION_REMOVED = "operation-removed", "an operation was removed", "breaking", "major", "callers of the method stop compiling; callers of the endpoint get errors";
    OPERATION_RENAMED = "operation-renamed", "an operation's id/method name changed, same HTTP method and path (marked with `renamed_from`, or unambiguous)", "none", "major", "the wire is the same, but the Rust method and builder are renamed";
    OPERATION_METHOD_CHANGED = "operation-method-changed", "an operation's HTTP method changed", "breaking", "patch", "old clients send the old method; the Rust call is unchanged";
    OPERATION_PATH_CHANGED = "operation-path-changed", "an operation's path template changed", "breaking", "patch", "old clients call the old path; the Rust call is unchanged";
    OPERATION_DEPRECATED = "operation-deprecated", "an operation was marked deprecated (or no longer is)", "none", "minor", "`#[deprecated]` warns callers";
    PARAM_ADDED_REQUIRED = "param-added-required", "a required parameter was added", "breaking", "major", "old requests lack it; required parameters are method arguments, so the arity changes";
    PARAM_ADDED_OPTIONAL = "param-added-optional", "an optional parameter was added", "none", "minor", "a new setter on the builder";
    PARAM_REMOVED = "param-removed", "a parameter was removed", "potentially breaking", "major", "servers may reject or ignore it; its setter or argument is gone";
    PARAM_BECAME_REQUIRED = "param-became-required", "an optional parameter became required", "breaking", "major", "requests without it fail; it moves from a setter into the argument list";
    PARAM_BECAME_OPTIONAL = "param-became-optional", "a required parameter became optional", "none", "major", "the wire accepts old requests, but the argument leaves the method's argument list and becomes a setter";
    PARAM_TYPE_CHANGED = "param-type-changed", "a parameter's type changed", "breaking", "major", "values in the old format may be rejected; the argument or setter type changes";
    PARAM_LOCATION_CHANGED = "param-location-changed", "a parameter moved between path, query and header", "breaking", "patch", "old clients send it in the old place; the Rust name and type are unchanged";
    PARAM_WIRE_NAME_CHANGED = "param-wire-name-changed", "a parameter's wire name changed, its Rust name did not", "breaking", "patch", "old clients send the old name; the setter keeps its name";
    PARAM_DEPRECATED = "param-deprecated", "a parameter was marked deprecated (or no longer is)", "none", "minor", "`#[deprecated]` on the setter";
    BODY_ADDED = "body-added", "a request body was added", "breaking if required, else none", "major if required, else minor", "a required body becomes a method argument; an optional one a setter";
    BODY_REMOVED = "body-removed", "the request body was removed", "breaking", "major", "the argument or setter is gone";
    BODY_TYPE_CHANGED = "body-type-changed", "the request body's type changed", "breaking", "major", "the argument type changes";
    BODY_REQUIREDNESS_CHANGED = "body-requiredness-changed", "the request body became required or optional", "breaking if it became required, else none", "major", "the body moves between the argument list and a setter";
    RESPONSE_STATUS_ADDED = "response-status-added", "a success status was added", "potentially breaking", "minor, or major when the operation had one success status", "old clients treat it as unexpected; a second status turns the result into a response enum, a further one adds a variant to a #[non_exhaustive] enum";
    RESPONSE_STATUS_REMOVED = "response-status-removed", "a success status was removed", "breaking", "major", "the variant (or the result type) goes away";
    RESPONSE_TYPE_CHANGED = "response-type-changed", "the body type of a success status changed", "breaking", "major", "old clients cannot decode it; the result type changes";
    RESPONSE_HEADER_ADDED = "response-header-added", "a response header was documented", "none", "patch", "headers are read from `Response::headers`; only the docs change";
    RESPONSE_HEADER_REMOVED = "response-header-removed", "a documented response header was removed", "breaking", "patch", "clients reading it find nothing; the Rust API is unchanged";
    ERROR_STATUS_CHANGED = "error-status-changed", "an error status was added or removed", "none", "patch", "non-success statuses are all `Error::Api`";
    ERROR_TYPE_CHANGED = "error-type-changed", "the declared error body type changed", "potentially breaking", "major", "the `E` of `Error<E>` changes";
    TYPE_ADDED = "type-added", "a type was added", "none", "minor", "a new item in the `types` module";
    TYPE_REMOVED = "type-removed", "a type was removed", "none (its uses are reported on their own)", "major", "the Rust item is gone";
    TYPE_RENAMED = "type-renamed", "a type was renamed (marked with `renamed_from`, or unambiguous: same shape)", "none", "major", "JSON is the same; the Rust item is renamed";
    TYPE_KIND_CHANGED = "type-kind-changed", "a type changed kind (object, enum, alias)", "breaking", "major", "values have another shape";
    ALIAS_TARGET_CHANGED = "alias-target-changed", "an alias refers to another type", "breaking", "major", "values have another shape and the alias another Rust type";
    FIELD_ADDED_REQUIRED = "field-added-required", "a required field was added", "breaking in requests, none in responses", "major", "DTOs are exhaustive structs built with struct literals";
    FIELD_ADDED_OPTIONAL = "field-added-optional", "an optional field was added", "none", "major", "DTOs are exhaustive structs built with struct literals, so every literal must name the new field";
    FIELD_REMOVED = "field-removed", "a field was removed", "breaking if required in a response, else potentially breaking", "major", "the struct field is gone";
    FIELD_TYPE_CHANGED = "field-type-changed", "a field's type changed", "breaking", "major", "old values do not decode; the field's Rust type changes";
    FIELD_BECAME_REQUIRED = "field-became-required", "an optional field became required", "breaking in requests, none in responses", "major", "`Option<T>` becomes `T`";
    FIELD_BECAME_OPTIONAL = "field-became-optional", "a required field became optional", "breaking in responses, none in requests", "major", "`T` becomes `Option<T>`";
    FIELD_NULLABILITY_CHANGED = "field-nullability-changed", "a field became nullable or not nullable", "breaking when a response may now send null (or a request may not)", "major if the Rust type changes, else patch", "nullability decides `Option` for required fields";
    FIELD_WIRE_NAME_CHANGED = "field-wire-name-changed", "a field's JSON name changed, its Rust name did not", "breaking", "patch", "old clients send and expect the old name; the struct is unchanged";
    FIELD_RUST_NAME_CHANGED = "field-rust-name-changed", "a field's Rust name changed (`rust_name`), its JSON name did not", "none", "major", "the struct field is renamed";
    FIELD_DEPRECATED = "field-deprecated", "a field was marked deprecated (or no longer is)", "none", "minor", "`#[deprecated]` on the field";
    ENUM_MEMBER_ADDED = "enum-member-added", "an enum member was added", "none if the enum is open or only sent in requests; breaking for a closed enum in responses", "minor", "generated enums are #[non_exhaustive]; an open enum's old clients keep the value in `Other`";
    ENUM_MEMBER_REMOVED = "enum-member-removed", "an enum member was removed", "breaking in requests, none in responses", "major", "the variant is gone";
    ENUM_MEMBER_VALUE_CHANGED = "enum-member-value-changed", "a member's wire value changed, its name did not", "breaking", "patch", "old clients send and expect the old value";
    ENUM_OPENNESS_CHANGED = "enum-openness-changed", "an enum became open or closed", "closed: breaking in responses; open: potentially breaking", "closed: major; open: minor", "closing removes the `Other` variant; opening adds one";
    ENUM_REPR_CHANGED = "enum-repr-changed", "an enum changed between string and integer coding", "breaking", "major", "values travel differently and the fallback variant's type changes";
    DOCS_CHANGED = "docs-changed", "a description, summary or title changed", "none", "patch", "rustdoc only";
}
