//! The doctests the generator writes on purpose: compiled by `cargo test --doc`, never run.
//!
//! Every example block opens with ```` ```no_run ```` and then the hidden `MARKER` line, so
//! `codegen/tests/it/hostile_docs.rs` can tell them from captured descriptions, which never
//! become doctests (`docs` fences them as `text`).

use crate::model::{AuthKind, AuthScheme, Group, Model, Operation, Service, SoapService, TypeRef};

/// The hidden first line of every generated example.
pub const MARKER: &str = "# // An example written by the generator: compiled by `cargo test --doc`, never run.";

/// The generated crate's name as a Rust path (`api-clients` → `api_clients`).
pub fn crate_path(model: &Model) -> String {
    model.krate.name.replace('-', "_")
}

/// A fenced `no_run` block around `code`, as doc lines.
fn block(code: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut lines = vec!["```no_run".to_owned(), MARKER.to_owned()];
    lines.extend(code);
    lines.push("```".to_owned());
    lines
}

/// The crate page's examples: implementing `TokenProvider` and matching an `Error`.
pub fn crate_sections(krate: &str) -> Vec<String> {
    let mut doc = vec![
        "# Authentication".to_owned(),
        String::new(),
        "`ClientConfig::bearer_token` sends one token on every request; a `TokenProvider` is asked for one \
         before every request (to refresh it):"
            .to_owned(),
        String::new(),
    ];
    doc.extend(block([
        format!("use {krate}::{{AccessToken, ClientConfig, TokenFuture, TokenProvider}};"),
        String::new(),
        "/// Reads the token another process keeps fresh in a file.".to_owned(),
        "struct TokenFile(std::path::PathBuf);".to_owned(),
        String::new(),
        "impl TokenProvider for TokenFile {".to_owned(),
        "    fn token(&self) -> TokenFuture<'_> {".to_owned(),
        "        Box::pin(async move {".to_owned(),
        "            let token = std::fs::read_to_string(&self.0)?;".to_owned(),
        "            Ok(AccessToken::new(token.trim()))".to_owned(),
        "        })".to_owned(),
        "    }".to_owned(),
        "}".to_owned(),
        String::new(),
        "let config = ClientConfig::new().token_provider(TokenFile(\"/run/secrets/api-token\".into()));".to_owned(),
    ]));
    doc.extend([
        String::new(),
        "An API key is set with `ClientConfig::api_key(scheme, key)`, the scheme being one of a service's \
         `Client` constants (where the documents say it travels: a header, the query or a cookie); HTTP Basic \
         with `ClientConfig::basic_auth(user, password)`. Neither ever shows in `Debug`, a hook or an error."
            .to_owned(),
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        "Every operation returns `Result<Response<T>, Error<E>>`, `E` being the error body it declares:".to_owned(),
        String::new(),
    ]);
    doc.extend(block([
        format!("use {krate}::http::StatusCode;"),
        format!("use {krate}::{{Error, ErrorBody, Response}};"),
        String::new(),
        "/// What an answer means, for a log line.".to_owned(),
        "fn describe<T, E: std::fmt::Debug>(result: Result<Response<T>, Error<E>>) -> String {".to_owned(),
        "    match result {".to_owned(),
        "        Ok(answer) => format!(\"ok: {}\", answer.status),".to_owned(),
        "        Err(Error::Api(error)) if error.status == StatusCode::NOT_FOUND => \"not found\".to_owned(),"
            .to_owned(),
        "        Err(Error::Api(error)) => match &error.body {".to_owned(),
        "            // The error body the operation declares, decoded.".to_owned(),
        "            ErrorBody::Typed(body) => format!(\"refused ({}): {body:?}\", error.status),".to_owned(),
        "            // Any other body, as text.".to_owned(),
        "            ErrorBody::Raw(text) => format!(\"refused ({}): {text}\", error.status),".to_owned(),
        "        },".to_owned(),
        "        Err(Error::Decode(error)) => format!(\"unexpected answer at `{}`: {}\", error.path, error.message),"
            .to_owned(),
        "        Err(error) if error.is_timeout() => \"timed out\".to_owned(),".to_owned(),
        "        Err(error) => format!(\"failed: {error}\"),".to_owned(),
        "    }".to_owned(),
        "}".to_owned(),
    ]));
    doc
}

/// A REST service's `Client` example: build it, then call the first group's example operation.
pub fn rest_client(krate: &str, service: &Service) -> Vec<String> {
    let module = &service.module;
    // The first scheme's credentials, the way that scheme is set.
    let config = match service.auth.first() {
        None => "ClientConfig::new()".to_owned(),
        Some(AuthScheme { api_key: Some(key), .. }) => {
            format!("ClientConfig::new().api_key({module}::Client::{}, \"key\")", key.constant)
        }
        Some(AuthScheme { kind: AuthKind::Basic, .. }) => {
            "ClientConfig::new().basic_auth(\"user\", \"password\")".to_owned()
        }
        Some(_) => "ClientConfig::new().bearer_token(\"token\")".to_owned(),
    };
    let call = service.groups.iter().find_map(|group| example_operation(group).map(|op| (group, op)));
    let (inputs, call_lines) = match call {
        Some((group, op)) => {
            let (inputs, call) = operation_call(krate, service, group, op);
            (inputs, vec![format!("let answer = {call};"), "println!(\"{:?}\", answer.body);".to_owned()])
        }
        None => (Vec::new(), Vec::new()),
    };
    let mut code = allow_deprecated(call.is_some_and(|(_, op)| uses_deprecated(op)));
    code.extend([format!("use {krate}::{{{module}, ClientConfig}};"), String::new()]);
    // The `Client` is there with any group; the example calls one, so it compiles with that one.
    if let Some((group, _)) = call.filter(|_| service.groups.len() > 1) {
        code.push(format!("# #[cfg(feature = \"{}\")]", group.feature));
    }
    code.push(format!("# async fn example({}) -> Result<(), Box<dyn std::error::Error>> {{", inputs.join(", ")));
    // A service that gets its own tokens shows that: it is how its users will build the client.
    match service.auth.iter().find_map(|scheme| scheme.client_credentials.as_ref()) {
        Some(flow) => {
            let required = flow.params.iter().filter(|param| param.required);
            let args: Vec<String> = ["\"client-id\"".to_owned(), "\"client-secret\"".to_owned()]
                .into_iter()
                .chain(required.map(|param| format!("\"{}\"", param.ident.unraw().replace('_', "-"))))
                .collect();
            code.extend([
                format!("let credentials = {module}::ClientCredentials::new({});", args.join(", ")),
                format!("let client = {module}::Client::with_client_credentials(ClientConfig::new(), credentials)?;"),
            ]);
        }
        None => code.push(format!("let client = {module}::Client::new({config})?;")),
    }
    code.extend(call_lines);
    code.extend(["# Ok(())".to_owned(), "# }".to_owned()]);
    block(code)
}

/// A group's example: one operation called through the client.
pub fn group(krate: &str, service: &Service, group: &Group) -> Vec<String> {
    let Some(op) = example_operation(group) else { return Vec::new() };
    let (inputs, call) = operation_call(krate, service, group, op);
    let module = &service.module;
    let mut code = allow_deprecated(uses_deprecated(op));
    let mut params = vec![format!("client: {krate}::{module}::Client")];
    params.extend(inputs);
    code.extend([
        format!("# async fn example({}) -> Result<(), Box<dyn std::error::Error>> {{", params.join(", ")),
        format!("let answer = {call};"),
        "println!(\"{} {:?}\", answer.status, answer.body);".to_owned(),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
    ]);
    block(code)
}

/// The SOAP `Session` example: authenticate, call an operation with the session, and end it.
pub fn soap_session(krate: &str, service: &Service, soap: &SoapService) -> Vec<String> {
    let Some(session) = &soap.session else { return Vec::new() };
    let module = &service.module;
    let types = format!("{krate}::{module}::types");
    let authenticate = &soap.operations[session.authenticate];
    let mut params = vec![format!("credentials: {types}::{}", authenticate.request)];
    let mut calls = Vec::new();
    let with_session = soap
        .operations
        .iter()
        .enumerate()
        .find(|(index, op)| op.uses_session && *index != session.authenticate && Some(*index) != session.end);
    if let Some((_, op)) = with_session {
        params.push(format!("request: {types}::{}", op.request));
        calls.push(format!("let answer = client.{}(&session, request).await?;", op.fn_name));
        calls.push("println!(\"{:?}\", answer.body);".to_owned());
    }
    block(
        [
            format!("use {krate}::{{{module}, ClientConfig}};"),
            String::new(),
            format!("# async fn example({}) -> Result<(), Box<dyn std::error::Error>> {{", params.join(", ")),
            format!("let client = {module}::Client::new(ClientConfig::new())?;"),
            format!("let session = {module}::Session::authenticate(&client, credentials).await?;"),
        ]
        .into_iter()
        .chain(calls)
        .chain(["# Ok(())".to_owned(), "# }".to_owned()]),
    )
}

/// A SOAP service's `Client` example without a session: build it and call the first operation.
pub fn soap_client(krate: &str, service: &Service, soap: &SoapService) -> Vec<String> {
    let module = &service.module;
    let mut code = vec![format!("use {krate}::{{{module}, ClientConfig}};"), String::new()];
    match soap.operations.iter().find(|op| !op.uses_session) {
        Some(op) => code.extend([
            format!(
                "# async fn example(request: {krate}::{module}::types::{}) -> Result<(), Box<dyn std::error::Error>> {{",
                op.request
            ),
            format!("let client = {module}::Client::new(ClientConfig::new())?;"),
            format!("let answer = client.{}(request).await?;", op.fn_name),
            "println!(\"{:?}\", answer.body);".to_owned(),
        ]),
        None => code.extend([
            "# fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
            format!("let client = {module}::Client::new(ClientConfig::new())?;"),
            "println!(\"{}\", client.base_url());".to_owned(),
        ]),
    }
    code.extend(["# Ok(())".to_owned(), "# }".to_owned()]);
    block(code)
}

/// `# #![allow(deprecated)]` when the example calls something deprecated.
fn allow_deprecated(needed: bool) -> Vec<String> {
    if needed {
        vec!["# #![allow(deprecated)]".to_owned()]
    } else {
        Vec::new()
    }
}

fn uses_deprecated(op: &Operation) -> bool {
    op.deprecated.is_some() || op.params.iter().any(|param| param.required && param.deprecated.is_some())
}

/// The operation a group's example calls: a current one with the fewest arguments that need a
/// value from outside (in spec order among equals).
fn example_operation(group: &Group) -> Option<&Operation> {
    group.operations.iter().min_by_key(|op| {
        let outside = op.params.iter().filter(|param| param.required && literal(&param.ty).is_none()).count()
            + usize::from(op.body.as_ref().is_some_and(|body| body.required));
        (uses_deprecated(op), outside)
    })
}

/// A literal for an argument of this type, when there is a simple one.
fn literal(ty: &TypeRef) -> Option<&'static str> {
    match ty {
        TypeRef::String => Some("\"...\""),
        TypeRef::I32 | TypeRef::I64 => Some("1"),
        TypeRef::F32 | TypeRef::F64 => Some("1.0"),
        TypeRef::Bool => Some("true"),
        _ => None,
    }
}

/// The example function's inputs (`name: Type`) and the call expression, `?` included.
fn operation_call(krate: &str, service: &Service, group: &Group, op: &Operation) -> (Vec<String>, String) {
    let mut inputs = Vec::new();
    let mut args = Vec::new();
    for param in op.params.iter().filter(|param| param.required) {
        match literal(&param.ty) {
            Some(value) => args.push(value.to_owned()),
            None => {
                // `client` is the example's own name; a parameter of that name gets another.
                let name = if param.ident == "client" { "client_".to_owned() } else { param.ident.to_string() };
                inputs.push(format!("{name}: {}", user_type(krate, service, &param.ty)));
                args.push(name);
            }
        }
    }
    if let Some(body) = op.body.as_ref().filter(|body| body.required) {
        inputs.push(format!("body: {}", user_type(krate, service, &body.ty)));
        args.push("body".to_owned());
    }
    // Raw identifiers (`r#type`) are valid in calls as they are.
    let call = format!("client.{}().{}({}).send().await?", group.module, op.fn_name, args.join(", "));
    (inputs, call)
}

/// How a user's code spells a type of the API.
fn user_type(krate: &str, service: &Service, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Date => format!("{krate}::Date"),
        TypeRef::DateTime => format!("{krate}::DateTime"),
        TypeRef::Uuid => format!("{krate}::uuid::Uuid"),
        TypeRef::Json => format!("{krate}::serde_json::Value"),
        TypeRef::ETag => format!("{krate}::ETag"),
        TypeRef::Secret => format!("{krate}::Secret"),
        TypeRef::Binary => format!("{krate}::BinaryBody"),
        TypeRef::List(inner) => format!("Vec<{}>", user_type(krate, service, inner)),
        TypeRef::Map(inner) => {
            format!("std::collections::BTreeMap<String, {}>", user_type(krate, service, inner))
        }
        TypeRef::Named { ident, boxed } => {
            let path = format!("{krate}::{}::types::{ident}", service.module);
            if *boxed {
                format!("Box<{path}>")
            } else {
                path
            }
        }
    }
}
