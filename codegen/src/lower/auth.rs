//! Lowers a service's `auth` schemes, checking the token request of OAuth2 client credentials
//! and where an API key travels.

use std::collections::BTreeMap;

use super::{checks, doc_of, ServiceLowering};
use crate::model::{ApiKey, AuthScheme, ClientCredentials, RustName, TokenParam};
use crate::names;
use crate::spec::{ApiKeyLocation, ApiKeySpec, AuthKind, ClientCredentialsSpec, Protocol};

pub(super) fn lower_auth(lowering: &mut ServiceLowering<'_>) -> Vec<AuthScheme> {
    let spec = lowering.spec;
    let mut schemes = Vec::new();
    let mut first_client_credentials: Option<&str> = None;
    // `Client::<constant>` → the scheme that took it.
    let mut constants: BTreeMap<RustName, &str> = BTreeMap::new();
    for auth in &spec.auth {
        let path = format!("auth[{}]", auth.id);
        let client_credentials = match (auth.kind, &auth.client_credentials) {
            (AuthKind::Oauth2ClientCredentials, Some(flow)) => {
                if let Some(first) = first_client_credentials {
                    lowering
                        .error(&path, format!("a second `oauth2_client_credentials` scheme (the first is `{first}`)"))
                        .hint("the client gets its tokens from one token endpoint; keep one scheme");
                }
                first_client_credentials.get_or_insert(&auth.id);
                if spec.protocol == Protocol::Soap {
                    lowering
                        .error(&path, "`oauth2_client_credentials` is not supported for SOAP services")
                        .hint("SOAP services authenticate with their `soap.session`; remove the scheme");
                }
                lower_client_credentials(lowering, &format!("{path}.client_credentials"), flow)
            }
            (AuthKind::Oauth2ClientCredentials, None) => {
                lowering.error(&path, "an `oauth2_client_credentials` scheme needs `client_credentials`").hint(
                    "add `client_credentials: { token_url: https://..., scopes: [...] }` naming the token endpoint"
                        .to_owned(),
                );
                None
            }
            (_, Some(_)) => {
                lowering
                    .error(
                        format!("{path}.client_credentials"),
                        "`client_credentials` belongs to `kind: oauth2_client_credentials` only",
                    )
                    .hint("set `kind: oauth2_client_credentials`, or remove `client_credentials`");
                None
            }
            (_, None) => None,
        };
        let api_key = match (auth.kind, &auth.api_key) {
            (AuthKind::ApiKey, Some(key)) => {
                if spec.protocol == Protocol::Soap {
                    lowering.error(&path, "an `api_key` scheme is not supported for SOAP services").hint(
                        "SOAP services authenticate with their `soap.session`; a key header the server also wants \
                         is set with `ClientConfig::secret_header`",
                    );
                }
                lower_api_key(lowering, &path, &auth.id, key, &mut constants)
            }
            (AuthKind::ApiKey, None) => {
                lowering.error(&path, "an `api_key` scheme needs `api_key`").hint(
                    "add `api_key: { name: X-API-Key, in: header }` (or `in: query`, `in: cookie`), with the name the \
                     documents give",
                );
                None
            }
            (_, Some(_)) => {
                lowering
                    .error(format!("{path}.api_key"), "`api_key` belongs to `kind: api_key` only")
                    .hint("set `kind: api_key`, or remove `api_key`");
                None
            }
            (_, None) => None,
        };
        schemes.push(AuthScheme {
            id: auth.id.clone(),
            kind: auth.kind,
            doc: doc_of(&auth.description),
            client_credentials,
            api_key,
        });
    }
    schemes
}

/// An API key's name must be one its place can carry, and not a header the client sets itself;
/// its `Client` constant is named after the scheme.
fn lower_api_key<'s>(
    lowering: &mut ServiceLowering<'_>,
    path: &str,
    id: &'s str,
    key: &ApiKeySpec,
    constants: &mut BTreeMap<RustName, &'s str>,
) -> Option<ApiKey> {
    let name = &key.name;
    let token = !name.is_empty() && name.bytes().all(checks::is_tchar);
    let problem = match key.location {
        ApiKeyLocation::Header if !token => Some((
            format!("`{name}` is not a valid HTTP header name"),
            "use ASCII letters, digits and `-` (no spaces, `:` or other separators)".to_owned(),
        )),
        // `Authorization` is the key's own header when the documents say so (`Authorization: <key>`).
        ApiKeyLocation::Header if !name.eq_ignore_ascii_case("authorization") => {
            checks::reserved_header(name).map(|_| {
                (
                    format!("header `{name}` cannot carry the key: the generated client or its HTTP library sets it"),
                    "name the header the documents give for the key, e.g. `X-API-Key`".to_owned(),
                )
            })
        }
        ApiKeyLocation::Cookie if !token => Some((
            format!("`{name}` is not a valid cookie name"),
            "use ASCII letters, digits and `-`, `_`, `.` (no spaces, `=`, `;` or other separators)".to_owned(),
        )),
        ApiKeyLocation::Query if name.is_empty() || name.chars().any(char::is_control) => Some((
            "the query parameter needs a name without control characters".to_owned(),
            "write the parameter name the documents give, e.g. `api_key`".to_owned(),
        )),
        _ => None,
    };
    if let Some((message, hint)) = problem {
        lowering.error(format!("{path}.api_key.name"), message).hint(hint);
        return None;
    }
    let constant = names::constant(id);
    let taken = constants.get(&constant).copied();
    if let Some(other) = taken {
        lowering
            .error(path, format!("the schemes `{other}` and `{id}` would both be `Client::{constant}`"))
            .hint("rename one of the schemes");
        return None;
    }
    if let Some(taker) = names::reserved(names::ReservedIn::ClientConst, &constant) {
        lowering
            .error(path, format!("the scheme `{id}` would be `Client::{constant}`, which is {taker}"))
            .hint("rename the scheme");
        return None;
    }
    constants.insert(constant.clone(), id);
    Some(ApiKey { wire_name: name.clone(), location: key.location, constant })
}

fn lower_client_credentials(
    lowering: &mut ServiceLowering<'_>,
    path: &str,
    flow: &ClientCredentialsSpec,
) -> Option<ClientCredentials> {
    let mut valid = true;
    let url_problem = checks::check_base_url(&flow.token_url)
        .err()
        .or_else(|| (!flow.token_url.starts_with("https://")).then_some("the client secret travels only over https"));
    if let Some(problem) = url_problem {
        valid = false;
        lowering
            .error(
                format!("{path}.token_url"),
                format!("`{}` is not a valid token URL: {problem}", checks::redacted_url(&flow.token_url)),
            )
            .hint(
                "write the token endpoint's absolute https URL, e.g. `https://id.example.com/connect/token`; a test \
                 points the client elsewhere with `ClientCredentials::token_url`"
                    .to_owned(),
            );
    }
    let mut seen_scopes = Vec::new();
    for (index, scope) in flow.scopes.iter().enumerate() {
        let problem = if scope.is_empty() || !scope.bytes().all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E)) {
            Some(format!("scope `{scope}` is empty or holds a space, a control character, `\"` or `\\`"))
        } else if seen_scopes.contains(&scope) {
            Some(format!("scope `{scope}` is listed twice"))
        } else {
            None
        };
        if let Some(problem) = problem {
            valid = false;
            lowering
                .error(format!("{path}.scopes[{index}]"), problem)
                .hint("list each scope once, as the token endpoint spells it (RFC 6749 §3.3)");
        }
        seen_scopes.push(scope);
    }
    let mut params = Vec::new();
    let mut idents: BTreeMap<RustName, &str> = BTreeMap::new();
    for param in &flow.params {
        let param_path = format!("{path}.params[{}]", param.name);
        let ident = names::snake(&param.name);
        let problem = if param.name.is_empty() || param.name.chars().any(|c| c.is_control()) {
            Some(("the token parameter needs a name without control characters".to_owned(), None))
        } else if names::reserved_text(names::ReservedIn::TokenForm, &param.name).is_some() {
            Some((
                format!("the token parameter `{}` is set by the grant itself", param.name),
                Some(format!("remove it: {} are always sent", grant_fields())),
            ))
        } else if let Some(taker) = names::reserved(names::ReservedIn::ClientCredentials, &ident) {
            Some((
                format!(
                    "the token parameter `{}` would be named `{ident}`, which `ClientCredentials` uses",
                    param.name
                ),
                Some(format!("`{ident}` is {taker}; a token parameter of that name cannot be declared")),
            ))
        } else {
            idents.get(&ident).map(|other| {
                (
                    format!("the token parameters `{other}` and `{}` are both named `{ident}` in Rust", param.name),
                    Some("remove one of them".to_owned()),
                )
            })
        };
        if let Some((message, hint)) = problem {
            valid = false;
            lowering.error(param_path, message).maybe_hint(hint);
            continue;
        }
        idents.insert(ident.clone(), &param.name);
        params.push(TokenParam {
            wire_name: param.name.clone(),
            ident,
            required: param.required,
            doc: doc_of(&param.description),
        });
    }
    valid.then(|| ClientCredentials {
        token_url: flow.token_url.clone(),
        scopes: flow.scopes.clone(),
        client_auth: flow.client_auth,
        params,
    })
}

/// The form fields the grant sends itself, as a list in words: `` `a`, `b` and `c` ``.
fn grant_fields() -> String {
    let fields: Vec<String> =
        names::reserved_names(names::ReservedIn::TokenForm).map(|field| format!("`{field}`")).collect();
    match fields.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => fields.join(""),
    }
}
