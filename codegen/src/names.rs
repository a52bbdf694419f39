//! Identifier policy: every Rust name the generator emits is computed here, once, in `lower`,
//! as a [`RustName`].
//!
//! heck does the case conversion; keywords become raw identifiers (`r#type`) except those
//! that cannot be raw (`self`, `Self`, `super`, `crate`), which get a `_` suffix; a leading
//! digit gets a `_` prefix (an `n` one for a snake_case name made only of digits); characters that cannot appear in an identifier are dropped.

use std::fmt;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span, TokenStream};

/// Keywords of every edition up to 2024 (including reserved ones), which need `r#`.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A Rust identifier the generated code uses: computed here (or checked by [`RustName::new`])
/// in `lower`, so every one the emitters place is valid, and raw (`r#type`) where it must be.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustName(String);

impl RustName {
    /// `text` as a name: an identifier that is not a keyword, or `r#` and a keyword that can be
    /// raw; `None` for anything else.
    pub fn new(text: &str) -> Option<RustName> {
        let (raw, bare) = match text.strip_prefix("r#") {
            Some(bare) => (true, bare),
            None => (false, text),
        };
        let identifier = bare.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && bare != "_";
        let valid = identifier && !NON_RAW_KEYWORDS.contains(&bare) && RAW_KEYWORDS.contains(&bare) == raw;
        valid.then(|| RustName(text.to_owned()))
    }

    /// The identifier, raw where the name is a keyword.
    pub fn ident(&self) -> Ident {
        match self.0.strip_prefix("r#") {
            Some(bare) => Ident::new_raw(bare, Span::call_site()),
            None => Ident::new(&self.0, Span::call_site()),
        }
    }

    /// The name without the raw prefix (`type` for `r#type`), for docs, messages, file names
    /// and names derived from it.
    pub fn unraw(&self) -> &str {
        self.0.strip_prefix("r#").unwrap_or(&self.0)
    }

    /// Whether the name is a keyword written as a raw identifier (`r#type`).
    pub fn is_raw(&self) -> bool {
        self.0.starts_with("r#")
    }

    /// The name as Rust source text (`r#type` for a raw one).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The source text (`r#type`), so `format_ident!("{}", name)` and messages keep the raw form.
impl fmt::Display for RustName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `format_ident!("{}", name)` is the name itself, raw where it is (quote formats an `Ident`
/// without its `r#`, which would turn `r#type` into the keyword).
impl quote::IdentFragment for RustName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl quote::ToTokens for RustName {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend([proc_macro2::TokenTree::Ident(self.ident())]);
    }
}

impl PartialEq<str> for RustName {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RustName {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// The source text (`r#type`), for messages and reports.
impl From<&RustName> for String {
    fn from(name: &RustName) -> String {
        name.0.clone()
    }
}

/// Maps keyed by names are looked up by their source text (`r#type`).
impl std::borrow::Borrow<str> for RustName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// A name `sanitize` made: valid by construction.
fn computed(text: String) -> RustName {
    debug_assert!(RustName::new(&text).is_some(), "`{text}` is not a Rust name");
    RustName(text)
}

/// A snake_case name for a module, function, field or parameter.
pub fn snake(source: &str) -> RustName {
    let name = to_snake(source);
    // `_0` would be the leading-digit spelling, but clippy refuses bindings made only of `_`
    // and digits (`just_underscores_and_digits`), so such a name starts with a letter instead.
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return computed(format!("n{}", name.trim_start_matches('_')));
    }
    sanitize(&name)
}

/// An UpperCamelCase name for a type or variant.
pub fn camel(source: &str) -> RustName {
    let name = ascii_words(source).to_upper_camel_case();
    sanitize(if name.is_empty() { "Value" } else { &name })
}

/// A SCREAMING_SNAKE_CASE name for an associated constant (`Client::API_KEY`). No keyword is
/// upper case, so none needs `r#`.
pub fn constant(source: &str) -> RustName {
    let name = to_snake(source).to_ascii_uppercase();
    sanitize(if name.trim_matches('_').is_empty() { "KEY" } else { &name })
}

/// Where the generator's own items take names that spec names could otherwise take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservedIn {
    /// The items of the generated crate's root (`lib.rs` re-exports each from the runtime): a
    /// spec type of such a name yields, it gets the `Dto` suffix (`ErrorDto`).
    CrateRoot,
    /// The modules and cargo features of the crate root besides the services: no service may
    /// have such an id.
    CrateModule,
    /// The crate's own hyphenated cargo features: no group feature (`<service>-<group>`) may be
    /// one. Features without a hyphen cannot clash with a group's.
    CrateFeature,
    /// A service module's items and its `Client`'s methods: no group may have such an id.
    Service,
    /// A group's API struct's own items besides one method per operation: no operation's method
    /// may have such a name.
    GroupApi,
    /// A request builder's fields and methods. A parameter of such a name yields: it gets the
    /// `_param` suffix (`send_param`), as progenitor renames around its own builder items.
    Builder,
    /// The generated `ClientCredentials`' first arguments and methods: no token parameter may
    /// have such a Rust name.
    ClientCredentials,
    /// The `Client`'s own associated constants: no API key scheme's constant may have such a name.
    ClientConst,
    /// The form fields the client-credentials grant sends itself (`runtime/oauth2.rs`): no token
    /// parameter may have such a wire name.
    TokenForm,
}

/// What takes each crate-root item's name: `lib.rs`'s `pub use runtime::<item>` (emit/service.rs).
const ROOT_ITEM: &str = "an item of the crate root, re-exported from the runtime";

/// Every name an emitted item takes, where, and which item takes it: one line per name, kept
/// next to nothing else, so an emitter that adds an item adds its line here. The taker is
/// worded for messages. `CrateRoot` is also the list `lib.rs` re-exports, in this order.
pub const RESERVED: &[(ReservedIn, &str, &str)] = &[
    (ReservedIn::CrateRoot, "AccessToken", ROOT_ITEM),
    (ReservedIn::CrateRoot, "ApiError", ROOT_ITEM),
    (ReservedIn::CrateRoot, "ApiKeyScheme", ROOT_ITEM),
    (ReservedIn::CrateRoot, "Auth", ROOT_ITEM),
    (ReservedIn::CrateRoot, "AuthError", ROOT_ITEM),
    (ReservedIn::CrateRoot, "BinaryBody", ROOT_ITEM),
    (ReservedIn::CrateRoot, "BoxError", ROOT_ITEM),
    (ReservedIn::CrateRoot, "ByteStream", ROOT_ITEM),
    (ReservedIn::CrateRoot, "Bytes", ROOT_ITEM),
    (ReservedIn::CrateRoot, "ClientConfig", ROOT_ITEM),
    (ReservedIn::CrateRoot, "Date", ROOT_ITEM),
    (ReservedIn::CrateRoot, "DateTime", ROOT_ITEM),
    (ReservedIn::CrateRoot, "DecodeError", ROOT_ITEM),
    (ReservedIn::CrateRoot, "ETag", ROOT_ITEM),
    (ReservedIn::CrateRoot, "Error", ROOT_ITEM),
    (ReservedIn::CrateRoot, "ErrorBody", ROOT_ITEM),
    (ReservedIn::CrateRoot, "FilePart", ROOT_ITEM),
    (ReservedIn::CrateRoot, "Hook", ROOT_ITEM),
    (ReservedIn::CrateRoot, "HookRequest", ROOT_ITEM),
    (ReservedIn::CrateRoot, "HookResponse", ROOT_ITEM),
    (ReservedIn::CrateRoot, "JobError", ROOT_ITEM),
    (ReservedIn::CrateRoot, "NoErrorBody", ROOT_ITEM),
    (ReservedIn::CrateRoot, "Nullable", ROOT_ITEM),
    (ReservedIn::CrateRoot, "OAuthError", ROOT_ITEM),
    (ReservedIn::CrateRoot, "OAuthErrorCode", ROOT_ITEM),
    (ReservedIn::CrateRoot, "OperationInfo", ROOT_ITEM),
    (ReservedIn::CrateRoot, "ParseDateTimeError", ROOT_ITEM),
    (ReservedIn::CrateRoot, "RateLimit", ROOT_ITEM),
    (ReservedIn::CrateRoot, "RedirectPolicy", ROOT_ITEM),
    (ReservedIn::CrateRoot, "RedirectRule", ROOT_ITEM),
    (ReservedIn::CrateRoot, "RequestOptions", ROOT_ITEM),
    (ReservedIn::CrateRoot, "Response", ROOT_ITEM),
    (ReservedIn::CrateRoot, "RetryPolicy", ROOT_ITEM),
    (ReservedIn::CrateRoot, "Secret", ROOT_ITEM),
    (ReservedIn::CrateRoot, "SessionError", ROOT_ITEM),
    (ReservedIn::CrateRoot, "SoapFault", ROOT_ITEM),
    (ReservedIn::CrateRoot, "TokenFuture", ROOT_ITEM),
    (ReservedIn::CrateRoot, "TokenProvider", ROOT_ITEM),
    // emit/service.rs (`lib.rs`) and emit/manifest.rs (`[features]`).
    (ReservedIn::CrateModule, "blocking", "the generated crate's `blocking` cargo feature"),
    (ReservedIn::CrateModule, "chrono", "the re-exported `chrono` crate"),
    (ReservedIn::CrateModule, "default", "the crate's default cargo feature"),
    (ReservedIn::CrateModule, "http", "the re-exported HTTP types (`http::StatusCode`, `http::HeaderMap`, ...)"),
    (ReservedIn::CrateModule, "mock", "the `mock` cargo feature and its test helpers (`mock`)"),
    (ReservedIn::CrateModule, "reqwest", "the re-exported `reqwest` crate"),
    (ReservedIn::CrateModule, "runtime", "the generated crate's runtime module"),
    (ReservedIn::CrateModule, "serde_json", "the re-exported `serde_json` crate"),
    (ReservedIn::CrateModule, "tracing", "the generated crate's `tracing` cargo feature"),
    (ReservedIn::CrateModule, "uuid", "the re-exported `uuid` crate"),
    // emit/manifest.rs (`[features]`).
    (ReservedIn::CrateFeature, "background-runtime", "the runtime's background job support"),
    (ReservedIn::CrateFeature, "oauth2-runtime", "the runtime's OAuth2 client credentials"),
    (ReservedIn::CrateFeature, "paging-runtime", "the runtime's page walk"),
    (ReservedIn::CrateFeature, "soap-runtime", "the runtime's SOAP envelopes and sessions"),
    (ReservedIn::CrateFeature, "streaming-runtime", "the runtime's streamed downloads"),
    // emit/service.rs, emit/client.rs, and the modules named.
    (ReservedIn::Service, "base_url", "the `Client`'s `base_url` method"),
    (ReservedIn::Service, "blocking", "the service's `blocking` module (emit/blocking.rs)"),
    (ReservedIn::Service, "clone", "the `Client`'s derived `Clone::clone`"),
    (ReservedIn::Service, "fmt", "the `Client`'s `Debug::fmt`"),
    (ReservedIn::Service, "http", "the `Client`'s `http` method"),
    (ReservedIn::Service, "mock", "the service's `mock` module (emit/mock.rs)"),
    (ReservedIn::Service, "new", "the `Client`'s constructor"),
    (ReservedIn::Service, "types", "the service's `types` module (emit/types.rs)"),
    // emit/operations.rs.
    (ReservedIn::GroupApi, "new", "the constructor"),
    // emit/operations.rs, and the modules named.
    (ReservedIn::Builder, "body", "the builder's request body field and setter"),
    (ReservedIn::Builder, "client", "the builder's field holding its client"),
    (ReservedIn::Builder, "collect_all", "the builder's page walk into a `Vec` (emit/pagination.rs)"),
    (ReservedIn::Builder, "into_stream", "the builder's page walk as a `Stream` (emit/pagination.rs)"),
    (ReservedIn::Builder, "request_options", "the builder's per-call settings"),
    (ReservedIn::Builder, "send", "the builder's `send`"),
    (ReservedIn::Builder, "send_blocking", "the builder's `send_blocking`, `blocking` feature (emit/blocking.rs)"),
    (ReservedIn::Builder, "send_in_background", "the builder's `send_in_background` (emit/background.rs)"),
    // emit/oauth2.rs.
    (ReservedIn::ClientConst, "DEFAULT_BASE_URL", "the `Client`'s default base URL (emit/client.rs)"),
    (ReservedIn::ClientCredentials, "client_id", "the first argument of `ClientCredentials::new`"),
    (ReservedIn::ClientCredentials, "client_secret", "the second argument of `ClientCredentials::new`"),
    (ReservedIn::ClientCredentials, "new", "the `ClientCredentials::new` constructor"),
    (ReservedIn::ClientCredentials, "scopes", "the `ClientCredentials::scopes` method"),
    (ReservedIn::ClientCredentials, "token_url", "the `ClientCredentials::token_url` method"),
    // runtime/oauth2.rs, in the order the token request sends them.
    (ReservedIn::TokenForm, "grant_type", "the grant's own `grant_type` field"),
    (ReservedIn::TokenForm, "scope", "the grant's own `scope` field"),
    (ReservedIn::TokenForm, "client_id", "the grant's own `client_id` field"),
    (ReservedIn::TokenForm, "client_secret", "the grant's own `client_secret` field"),
];

/// The item that takes `name` (raw or not) in `scope`, if one does.
pub fn reserved(scope: ReservedIn, name: &RustName) -> Option<&'static str> {
    reserved_text(scope, name.unraw())
}

/// The item that takes the text `name` (a feature or wire name, or a name without `r#`) in
/// `scope`, if one does.
pub fn reserved_text(scope: ReservedIn, name: &str) -> Option<&'static str> {
    RESERVED.iter().find(|(within, reserved, _)| *within == scope && *reserved == name).map(|(_, _, taker)| *taker)
}

/// The names taken in `scope`, in the table's order.
pub fn reserved_names(scope: ReservedIn) -> impl Iterator<Item = &'static str> {
    RESERVED.iter().filter(move |(within, ..)| *within == scope).map(|(_, name, _)| *name)
}

/// What a spec type whose name is a crate-root item is called instead.
pub const RESERVED_TYPE_SUFFIX: &str = "Dto";

/// The Rust name of a spec type: UpperCamelCase, and one that is also an item of the crate
/// root (`Error`, `Response`, ...: [`ReservedIn::CrateRoot`]) gets the suffix `Dto` (`ErrorDto`),
/// so `use service::types::*` never shadows the crate's own `Error`: the generator's items
/// keep their names and the spec's yields.
pub fn type_name(source: &str) -> RustName {
    let name = camel(source);
    if reserved(ReservedIn::CrateRoot, &name).is_some() {
        computed(format!("{name}{RESERVED_TYPE_SUFFIX}"))
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
pub fn checked_snake(name: &str) -> Option<RustName> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.chars().any(|c| c.is_ascii_lowercase())
        // `non_snake_case` allows `_` runs only at the ends.
        && !name.trim_matches('_').contains("__");
    valid.then(|| sanitize(name))
}

fn sanitize(name: &str) -> RustName {
    let name = if name.is_empty() { "value".to_owned() } else { name.to_owned() };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("_{name}") } else { name };
    computed(if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    })
}

/// The `with_<field>` setter of a DTO field named `field` in Rust: without the raw prefix, and
/// without leading `_` (a `_1st` field's setter is `with_1st`), since `non_snake_case` refuses a
/// `__` run inside a name.
pub fn setter(field: &RustName) -> RustName {
    computed(format!("with_{}", field.unraw().trim_start_matches('_')))
}

/// `name` and `suffix` as one name (`send` → `send_param`).
pub fn suffixed(name: &RustName, suffix: &str) -> RustName {
    sanitize(&format!("{}{suffix}", name.unraw()))
}

/// The catch-all variant of an open enum: the first of `Other`, `UnknownValue`,
/// `UnknownValue2`, ... that no member has taken.
pub fn other_variant(taken: impl Fn(&str) -> bool) -> RustName {
    let candidates = ["Other".to_owned(), "UnknownValue".to_owned()].into_iter();
    let mut candidates = candidates.chain((2..).map(|n| format!("UnknownValue{n}")));
    computed(candidates.find(|name| !taken(name)).expect("the candidates never end"))
}

/// The accessor of a response enum's variant: `into_ok` returns its body, `is_no_content`
/// says whether the answer was that bodiless status.
pub fn status_accessor(variant: &RustName, has_body: bool) -> RustName {
    let prefix = if has_body { "into" } else { "is" };
    sanitize(&format!("{prefix}_{}", to_snake(variant.unraw())))
}

/// A SOAP call's blocking twin (`<call>_blocking`).
pub fn blocking_call(fn_name: &RustName) -> RustName {
    suffixed(fn_name, "_blocking")
}

/// The variant name for a success status in a multi-status response enum.
pub fn status_variant(status: u16) -> RustName {
    computed(match status {
        200 => "Ok".to_owned(),
        201 => "Created".to_owned(),
        202 => "Accepted".to_owned(),
        203 => "NonAuthoritativeInformation".to_owned(),
        204 => "NoContent".to_owned(),
        205 => "ResetContent".to_owned(),
        206 => "PartialContent".to_owned(),
        other => format!("Status{other}"),
    })
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
        assert_eq!(setter(&snake("type")), "with_type");
        assert_eq!(setter(&snake("1st")), "with_1st");
        assert_eq!(setter(&snake("self")), "with_self_");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel("visibleInAP"), "VisibleInAp");
        assert_eq!(camel("NONE"), "None");
        assert_eq!(camel(">="), "Value");
    }

    #[test]
    fn constants_are_screaming_snake_case() {
        assert_eq!(constant("api_key"), "API_KEY");
        assert_eq!(constant("ApiKeyAuth"), "API_KEY_AUTH");
        assert_eq!(constant("X-API-Key"), "X_API_KEY");
        assert_eq!(constant("2fa"), "_2FA");
        assert_eq!(constant("$$"), "KEY");
        assert!(RustName::new(constant("self").as_str()).is_some());
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
        assert_eq!(checked_snake("self_upper").as_ref().map(RustName::as_str), Some("self_upper"));
        assert_eq!(checked_snake("type").as_ref().map(RustName::as_str), Some("r#type"));
        assert_eq!(checked_snake("self").as_ref().map(RustName::as_str), Some("self_"));
        assert_eq!(checked_snake("_x1").as_ref().map(RustName::as_str), Some("_x1"));
        for invalid in ["", "_", "__", "1st", "foo bar", "Foo", "größe", "a-b", "s__l", "_a__b_"] {
            assert_eq!(checked_snake(invalid), None, "{invalid}");
        }
    }

    /// The emitters place names and docs that `lower` computed: none of them makes a name or
    /// cleans a doc itself (the table of reserved names is all of this module they read).
    #[test]
    fn emitters_never_compute_names_or_clean_docs() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/emit");
        let forbidden = ["RustName::new", "heck::", "doc_lines(", "doc_inline("];
        let mut files = 0;
        for entry in std::fs::read_dir(dir).expect("emit/ is readable") {
            let path = entry.expect("emit/ lists").path();
            let text = std::fs::read_to_string(&path).expect("an emitter is readable");
            files += 1;
            for word in forbidden {
                assert!(!text.contains(word), "{} uses `{word}`", path.display());
            }
            let names_uses = text.matches("names::").count();
            let allowed = text.matches("names::reserved_names(").count() + text.matches("names::ReservedIn::").count();
            assert_eq!(names_uses, allowed, "{} computes a name with `names::`", path.display());
        }
        assert!(files > 10, "the emitters were found");
    }

    #[test]
    fn rust_names_are_identifiers_raw_where_they_must_be() {
        let raw = snake("type");
        assert!(raw.is_raw());
        assert_eq!(raw.unraw(), "type");
        assert_eq!(raw.to_string(), "r#type");
        assert_eq!(raw.ident().to_string(), "r#type");
        assert_eq!(quote::quote!(#raw).to_string(), "r#type");
        assert_eq!(quote::format_ident!("{}", raw), raw.ident());
        assert_eq!(snake("page").unraw(), "page");
        for valid in ["a", "_a", "A1", "r#type", "r#fn", "self_", "Self_"] {
            assert_eq!(RustName::new(valid).as_ref().map(RustName::as_str), Some(valid), "{valid}");
        }
        for invalid in ["", "_", "1a", "a-b", "type", "r#a", "r#self", "self", "crate", "r#", "größe"] {
            assert_eq!(RustName::new(invalid), None, "{invalid}");
        }
    }
}
