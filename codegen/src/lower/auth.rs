//! Lowers a service's `auth` schemes, checking the token request of OAuth2 client credentials.

use std::collections::BTreeMap;

use super::{checks, doc_of, ServiceLowering};
use crate::model::{AuthScheme, ClientCredentials, RustName, TokenParam};
use crate::names;
use crate::spec::{AuthKind, ClientCredentialsSpec, Protocol};

pub(super) fn lower_auth(lowering: &mut ServiceLowering<'_>) -> Vec<AuthScheme> {
    let spec = lowering.spec;
    let mut schemes = Vec::new();
    let mut first_client_credentials: Option<&str> = None;
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
        schemes.push(AuthScheme {
            id: auth.id.clone(),
            kind: auth.kind,
            doc: doc_of(&auth.description),
            client_credentials,
        });
    }
    schemes
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
