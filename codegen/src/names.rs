//! Identifier policy: every Rust name the generator emits is computed here, once, in `lower`.
//!
//! heck does the case conversion; keywords become raw identifiers (`r#type`) except those
//! that cannot be raw (`self`, `Self`, `super`, `crate`), which get a `_` suffix; a leading
//! digit gets a `_` prefix (an `n` one for a snake_case name made only of digits); characters that cannot appear in an identifier are dropped.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition up to 2024 (including reserved ones), which need `r#`.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A snake_case name for a module, function, field or parameter, as Rust source text.
pub fn snake(source: &str) -> String {
    let name = to_snake(source);
    // `_0` would be the leading-digit spelling, but clippy refuses bindings made only of `_`
    // and digits (`just_underscores_and_digits`), so such a name starts with a letter instead.
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return format!("n{}", name.trim_start_matches('_'));
    }
    sanitize(&name)
}

/// An UpperCamelCase name for a type or variant, as Rust source text.
pub fn camel(source: &str) -> String {
    let name = ascii_words(source).to_upper_camel_case();
    sanitize(if name.is_empty() { "Value" } else { &name })
}

/// The items of the generated crate's root (`lib.rs` re-exports each from the runtime).
pub const CRATE_ROOT_ITEMS: &[&str] = &[
    "AccessToken",
    "ApiError",
    "Auth",
    "AuthError",
    "BinaryBody",
    "BoxError",
    "ByteStream",
    "Bytes",
    "ClientConfig",
    "Date",
    "DateTime",
    "DecodeError",
    "ETag",
    "Error",
    "ErrorBody",
    "FilePart",
    "Hook",
    "HookRequest",
    "HookResponse",
    "JobError",
    "NoErrorBody",
    "OAuthError",
    "OAuthErrorCode",
    "OperationInfo",
    "ParseDateTimeError",
    "RateLimit",
    "RedirectPolicy",
    "RedirectRule",
    "RequestOptions",
    "Response",
    "RetryPolicy",
    "Secret",
    "SessionError",
    "SoapFault",
    "TokenFuture",
    "TokenProvider",
];

/// The modules and cargo features of the generated crate's root besides the services, each with
/// what takes the name: a service of that id is refused.
pub const CRATE_ROOT_MODULES: &[(&str, &str)] = &[
    ("blocking", "the generated crate's `blocking` cargo feature"),
    ("chrono", "the re-exported `chrono` crate"),
    ("http", "the re-exported HTTP types (`http::StatusCode`, `http::HeaderMap`, ...)"),
    ("mock", "the `mock` cargo feature and its test helpers (`mock`)"),
    ("reqwest", "the re-exported `reqwest` crate"),
    ("runtime", "the generated crate's runtime module"),
    ("serde_json", "the re-exported `serde_json` crate"),
    ("tracing", "the generated crate's `tracing` cargo feature"),
    ("uuid", "the re-exported `uuid` crate"),
];

/// Where the generator's own items take names that spec names could otherwise take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservedIn {
    /// A request builder's fields and methods. A parameter of such a name yields: it gets the
    /// `_param` suffix (`send_param`), as progenitor renames around its own builder items.
    Builder,
    /// A service module's items and its `Client`'s methods: no group may have such an id.
    Service,
    /// The generated `ClientCredentials`' first arguments and methods: no token parameter may
    /// have such a Rust name.
    ClientCredentials,
}

/// Every name an emitted item takes, where, and which item takes it: one line per name, kept
/// next to nothing else, so an emitter that adds a builder method adds its line here.
pub const RESERVED: &[(ReservedIn, &str, &str)] = &[
    (ReservedIn::Builder, "body", "the builder's request body field and setter (emit/operations.rs)"),
    (ReservedIn::Builder, "client", "the builder's field holding its client (emit/operations.rs)"),
    (ReservedIn::Builder, "collect_all", "the builder's page walk into a `Vec` (emit/pagination.rs)"),
    (ReservedIn::Builder, "into_stream", "the builder's page walk as a `Stream` (emit/pagination.rs)"),
    (ReservedIn::Builder, "request_options", "the builder's per-call settings (emit/operations.rs)"),
    (ReservedIn::Builder, "send", "the builder's `send` (emit/operations.rs)"),
    (ReservedIn::Builder, "send_blocking", "the builder's `send_blocking`, `blocking` feature (emit/blocking.rs)"),
    (ReservedIn::Builder, "send_in_background", "the builder's `send_in_background` (emit/background.rs)"),
    (ReservedIn::Service, "base_url", "the `Client`'s `base_url` method (emit/service.rs)"),
    (ReservedIn::Service, "blocking", "the service's `blocking` module (emit/blocking.rs)"),
    (ReservedIn::Service, "clone", "the `Client`'s derived `Clone::clone`"),
    (ReservedIn::Service, "fmt", "the `Client`'s `Debug::fmt`"),
    (ReservedIn::Service, "http", "the `Client`'s `http` method (emit/service.rs)"),
    (ReservedIn::Service, "mock", "the service's `mock` module (emit/mock.rs)"),
    (ReservedIn::Service, "new", "the `Client`'s constructor (emit/service.rs)"),
    (ReservedIn::Service, "types", "the service's `types` module (emit/types.rs)"),
    (ReservedIn::ClientCredentials, "client_id", "the first argument of `ClientCredentials::new` (emit/oauth2.rs)"),
    (
        ReservedIn::ClientCredentials,
        "client_secret",
        "the second argument of `ClientCredentials::new` (emit/oauth2.rs)",
    ),
    (ReservedIn::ClientCredentials, "new", "the `ClientCredentials` constructor (emit/oauth2.rs)"),
    (ReservedIn::ClientCredentials, "scopes", "the `ClientCredentials`' `scopes` method (emit/oauth2.rs)"),
    (ReservedIn::ClientCredentials, "token_url", "the `ClientCredentials`' `token_url` method (emit/oauth2.rs)"),
];

/// The emitted item that takes `name` (a Rust name, raw or not) in `scope`, if one does.
pub fn reserved(scope: ReservedIn, name: &str) -> Option<&'static str> {
    let name = unraw(name);
    RESERVED.iter().find(|(within, reserved, _)| *within == scope && *reserved == name).map(|(_, _, taker)| *taker)
}

/// What a spec type whose name is a crate-root item is called instead.
pub const RESERVED_TYPE_SUFFIX: &str = "Dto";

/// The Rust name of a spec type: UpperCamelCase, and one that is also an item of the crate
/// root (`Error`, `Response`, ... in [`CRATE_ROOT_ITEMS`]) gets the suffix `Dto` (`ErrorDto`),
/// so `use service::types::*` never shadows the crate's own `Error`: the generator's items
/// keep their names and the spec's yields.
pub fn type_name(source: &str) -> String {
    let name = camel(source);
    if CRATE_ROOT_ITEMS.contains(&name.as_str()) {
        format!("{name}{RESERVED_TYPE_SUFFIX}")
    } else {
        name
    }
}

/// snake_case without keyword handling, used to compare names for collisions.
pub fn to_snake(source: &str) -> String {
    ascii_words(source).to_snake_case()
}

/// Keeps ASCII letters and digits, spells Latin letters with diacritics in ASCII (`Größe` →
/// `Groesse`) and other letters by their code point, and turns the rest into word
/// separators so heck sees word boundaries (`If-Match` → `If Match`).
fn ascii_words(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for ch in source.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if let Some(ascii) = latin_ascii(ch) {
            out.push_str(ascii);
        } else if ch.is_alphanumeric() {
            // Rust accepts non-ASCII identifiers, but callers should not have to type them;
            // spell the code point so distinct names stay distinct.
            out.push_str(&format!(" u{:x} ", ch as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

/// The ASCII spelling of a Latin letter with a diacritic (German umlauts as `ae`, `oe`, `ue`).
fn latin_ascii(ch: char) -> Option<&'static str> {
    // Pairs of (letters, spelling); the table is small and fixed, so the names stay stable.
    const TABLE: &[(&str, &str)] = &[
        ("ÀÁÂÃÅĀĂĄ", "A"),
        ("àáâãåāăą", "a"),
        ("Ä", "Ae"),
        ("äæ", "ae"),
        ("Æ", "Ae"),
        ("ÇĆĈĊČ", "C"),
        ("çćĉċč", "c"),
        ("ĎĐÐ", "D"),
        ("ďđð", "d"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("èéêëēĕėęě", "e"),
        ("ĜĞĠĢ", "G"),
        ("ĝğġģ", "g"),
        ("ĤĦ", "H"),
        ("ĥħ", "h"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ìíîïĩīĭįı", "i"),
        ("Ĵ", "J"),
        ("ĵ", "j"),
        ("Ķ", "K"),
        ("ķ", "k"),
        ("ĹĻĽĿŁ", "L"),
        ("ĺļľŀł", "l"),
        ("ÑŃŅŇ", "N"),
        ("ñńņň", "n"),
        ("ÒÓÔÕØŌŎŐ", "O"),
        ("òóôõøōŏő", "o"),
        ("Ö", "Oe"),
        ("öœ", "oe"),
        ("Œ", "Oe"),
        ("ŔŖŘ", "R"),
        ("ŕŗř", "r"),
        ("ŚŜŞŠ", "S"),
        ("śŝşš", "s"),
        ("ß", "ss"),
        ("ŢŤŦ", "T"),
        ("ţťŧ", "t"),
        ("Þ", "Th"),
        ("þ", "th"),
        ("ÙÚÛŨŪŬŮŰŲ", "U"),
        ("ùúûũūŭůűų", "u"),
        ("Ü", "Ue"),
        ("ü", "ue"),
        ("Ŵ", "W"),
        ("ŵ", "w"),
        ("ÝŶŸ", "Y"),
        ("ýÿŷ", "y"),
        ("ŹŻŽ", "Z"),
        ("źżž", "z"),
    ];
    TABLE.iter().find(|(letters, _)| letters.contains(ch)).map(|(_, ascii)| *ascii)
}

/// A snake_case name a person chose (`rust_name`), as Rust source text: keywords become raw
/// identifiers; `None` when it is not a lowercase identifier (which would not compile, or
/// would trip `non_snake_case`).
pub fn checked_snake(name: &str) -> Option<String> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.chars().any(|c| c.is_ascii_lowercase())
        // `non_snake_case` allows `_` runs only at the ends.
        && !name.trim_matches('_').contains("__");
    valid.then(|| sanitize(name))
}

/// Whether `name` is a keyword that needs a raw identifier (`r#type`).
pub fn is_raw(name: &str) -> bool {
    name.starts_with("r#")
}

fn sanitize(name: &str) -> String {
    let name = if name.is_empty() { "value".to_owned() } else { name.to_owned() };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("_{name}") } else { name };
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The name without a raw-identifier prefix, for deriving other names from it.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The `with_<field>` setter of a DTO field named `field` in Rust: without the raw prefix, and
/// without leading `_` (a `_1st` field's setter is `with_1st`), since `non_snake_case` refuses a
/// `__` run inside a name.
pub fn setter(field: &str) -> String {
    format!("with_{}", unraw(field).trim_start_matches('_'))
}

/// The variant name for a success status in a multi-status response enum.
pub fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".to_owned(),
        201 => "Created".to_owned(),
        202 => "Accepted".to_owned(),
        203 => "NonAuthoritativeInformation".to_owned(),
        204 => "NoContent".to_owned(),
        205 => "ResetContent".to_owned(),
        206 => "PartialContent".to_owned(),
        other => format!("Status{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_named_like_crate_root_items_get_the_dto_suffix() {
        assert_eq!(type_name("Error"), "ErrorDto");
        assert_eq!(type_name("response"), "ResponseDto");
        assert_eq!(type_name("e_tag"), "ETagDto");
        assert_eq!(type_name("ErrorInfo"), "ErrorInfo");
        assert_eq!(type_name("Client"), "Client", "only crate-root items are reserved");
    }

    #[test]
    fn converts_case_and_escapes_keywords() {
        assert_eq!(snake("pageSize"), "page_size");
        assert_eq!(snake("If-Match"), "if_match");
        assert_eq!(snake("erp-api-background"), "erp_api_background");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("$filter"), "filter");
        assert_eq!(snake("1st"), "_1st");
        assert_eq!(setter("r#type"), "with_type");
        assert_eq!(setter("_1st"), "with_1st");
        assert_eq!(setter("self_"), "with_self_");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel("visibleInAP"), "VisibleInAp");
        assert_eq!(camel("NONE"), "None");
        assert_eq!(camel(">="), "Value");
    }

    #[test]
    fn spells_non_ascii_letters_in_ascii() {
        assert_eq!(snake("Größe"), "groesse");
        assert_eq!(camel("Größe"), "Groesse");
        assert_eq!(snake("Ärger"), "aerger");
        assert_eq!(snake("café_crème"), "cafe_creme");
        assert_eq!(snake("Łódź"), "lodz");
        assert_eq!(snake("名前"), "u540d_u524d");
        assert_eq!(camel("名前"), "U540dU524d");
    }

    #[test]
    fn checks_chosen_rust_names() {
        assert_eq!(checked_snake("self_upper").as_deref(), Some("self_upper"));
        assert_eq!(checked_snake("type").as_deref(), Some("r#type"));
        assert_eq!(checked_snake("self").as_deref(), Some("self_"));
        assert_eq!(checked_snake("_x1").as_deref(), Some("_x1"));
        for invalid in ["", "_", "__", "1st", "foo bar", "Foo", "größe", "a-b", "s__l", "_a__b_"] {
            assert_eq!(checked_snake(invalid), None, "{invalid}");
        }
    }
}
