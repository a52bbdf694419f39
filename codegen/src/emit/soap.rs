//! Emits what a SOAP service adds: XML reading and writing for its types, and its `mod.rs`
//! (the `Client` with one method per operation, the `Failure` body and the `Session` helper).

use proc_macro2::TokenStream;
use quote::quote;

use super::client::{self, ClientParts};
use super::common::doc_attrs;
use super::examples;
use crate::docs::{code_span, table_cell};
use crate::model::{EnumRepr, Field, ObjectDef, Service, SoapService, SoapSession, TypeDef};

/// `ToXml` and `FromXml` for every object and enum of the service (appended to `types`).
pub fn xml_impls(service: &Service) -> TokenStream {
    let impls = service.types.iter().map(|def| match def {
        TypeDef::Object(object) => object_impls(object),
        TypeDef::Enum(enumeration) => {
            let name = enumeration.ident.ident();
            let integer = enumeration.repr == EnumRepr::Integer;
            enum_impls(&name, integer)
        }
        // An alias reads and writes as its target; `lower` refuses unions in SOAP services.
        TypeDef::Alias(_) | TypeDef::Union(_) => quote!(),
    });
    quote!(#(#impls)*)
}

fn enum_impls(name: &proc_macro2::Ident, integer: bool) -> TokenStream {
    quote! {
        impl crate::runtime::soap::ToXml for #name {
            fn write_xml(&self, writer: &mut crate::runtime::soap::XmlWriter, prefix: &str, name: &str) {
                writer.leaf(prefix, name, &self.to_string());
            }
        }

        impl crate::runtime::soap::FromXml for #name {
            fn from_xml(
                element: &crate::runtime::soap::Element,
                path: &str,
            ) -> ::std::result::Result<Self, crate::runtime::soap::XmlError> {
                crate::runtime::soap::enum_from_xml(element, path, #integer)
            }
        }
    }
}

fn object_impls(object: &ObjectDef) -> TokenStream {
    let name = object.ident.ident();
    let writes = object.fields.iter().filter_map(write_field);
    let reads = object.fields.iter().filter_map(read_field);
    quote! {
        impl crate::runtime::soap::ToXml for #name {
            fn write_xml(&self, writer: &mut crate::runtime::soap::XmlWriter, prefix: &str, name: &str) {
                writer.start(prefix, name);
                #(#writes)*
                writer.end(prefix, name);
            }
        }

        impl crate::runtime::soap::FromXml for #name {
            fn from_xml(
                element: &crate::runtime::soap::Element,
                path: &str,
            ) -> ::std::result::Result<Self, crate::runtime::soap::XmlError> {
                ::std::result::Result::Ok(Self {
                    #(#reads)*
                })
            }
        }
    }
}

/// Statements writing one field, in element order; `None` fields are left out, or sent as
/// `i:nil` when the field is required but nullable (or marked nillable).
fn write_field(field: &Field) -> Option<TokenStream> {
    let xml = field.xml.as_ref()?;
    let member = field.ident.ident();
    let prefix = &xml.namespace;
    let element = &field.wire_name;
    let write = |value: TokenStream| match &xml.item {
        Some((item_prefix, item)) => quote!(writer.list(#prefix, #element, #item_prefix, #item, #value);),
        None => quote!(crate::runtime::soap::ToXml::write_xml(#value, writer, #prefix, #element);),
    };
    if !field.optional {
        return Some(write(quote!(&self.#member)));
    }
    let present = write(quote!(value));
    if !field.skip_if_none || xml.nillable {
        Some(quote! {
            match &self.#member {
                ::std::option::Option::Some(value) => { #present }
                ::std::option::Option::None => writer.nil(#prefix, #element),
            }
        })
    } else {
        Some(quote! {
            if let ::std::option::Option::Some(value) = &self.#member {
                #present
            }
        })
    }
}

fn read_field(field: &Field) -> Option<TokenStream> {
    let xml = field.xml.as_ref()?;
    let member = field.ident.ident();
    let element = &field.wire_name;
    let read = match (&xml.item, field.optional) {
        (Some((_, item)), true) => quote!(crate::runtime::soap::list(element, #element, #item, path)?),
        // A required collection that is absent reads as empty.
        (Some((_, item)), false) => {
            quote!(crate::runtime::soap::list(element, #element, #item, path)?.unwrap_or_default())
        }
        (None, true) => quote!(crate::runtime::soap::optional(element, #element, path)?),
        (None, false) => quote!(crate::runtime::soap::required(element, #element, path)?),
    };
    Some(quote!(#member: #read,))
}

pub fn service_module(service: &Service, soap: &SoapService, krate: &str) -> TokenStream {
    let endpoint = format!(
        "Default endpoint: <{}{}>{}.",
        service.base_url,
        soap.endpoint_path,
        if soap.endpoint_path_confirmed {
            ""
        } else {
            " (not confirmed by vendor documentation; see `Client::with_endpoint_path`)"
        }
    );
    let inner_doc = client::module_doc(service, vec![vec![endpoint]], &operation_table(soap));
    let namespaces = soap.namespaces.iter().map(|(prefix, uri)| quote!((#prefix, #uri),));
    let secret_elements = &soap.secret_elements;
    let redirect = soap.session.as_ref().and_then(|session| session.redirect.as_ref());
    let redirect_field = redirect.map(|_| quote!(redirect_hosts: ::std::vec::Vec<::std::string::String>,));
    let redirect_init = redirect
        .map(|_| quote!(redirect_hosts: Self::DEFAULT_REDIRECT_HOSTS.iter().map(|host| (*host).to_owned()).collect(),));
    let redirect_items = redirect.map(|redirect| {
        let hosts = &redirect.hosts;
        let shown = hosts.iter().map(|host| format!("`{host}`")).collect::<Vec<_>>().join(", ");
        let doc = format!(" The hosts the documents say an authenticate answer may redirect to: {shown}.");
        quote! {
            #[doc = #doc]
            pub const DEFAULT_REDIRECT_HOSTS: &'static [&'static str] = &[#(#hosts),*];

            /// Replaces the hosts an authenticate answer may redirect the session (and the
            /// credentials) to: `host`, `*.domain` for any host below `domain`, or `*` for any
            /// host. A redirect is refused anyway from https to http, or with user information,
            /// a query or a fragment.
            pub fn with_redirect_hosts<I, S>(mut self, hosts: I) -> Self
            where
                I: ::std::iter::IntoIterator<Item = S>,
                S: ::std::convert::Into<::std::string::String>,
            {
                self.redirect_hosts = hosts.into_iter().map(::std::convert::Into::into).collect();
                self
            }
        }
    });
    let endpoint_path = &soap.endpoint_path;
    let action = &soap.action_template;
    let endpoint_doc = if soap.endpoint_path_confirmed {
        " The endpoint path below the base URL."
    } else {
        " The endpoint path below the base URL. Not confirmed by vendor documentation (seen in third-party code)."
    };
    let action_doc = if soap.action_confirmed {
        " The `SOAPAction` template; `{operation}` stands for the operation element name."
    } else {
        " The `SOAPAction` template; `{operation}` stands for the operation element name. Not confirmed by vendor documentation (the WCF default form, seen in third-party code)."
    };
    let error_body = match &soap.session {
        Some(_) => quote!(Failure),
        None => quote!(crate::NoErrorBody),
    };
    let methods = soap.operations.iter().enumerate().map(|(index, operation)| {
        let fn_name = operation.fn_name.ident();
        let request = operation.request.ident();
        let response = operation.response.ident();
        let element = &operation.element;
        let request_element = &operation.request_element;
        let mut doc = operation.doc.clone();
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!("SOAP operation `{element}`."));
        let check = check(soap, &response);
        let is_authenticate = soap.session.as_ref().is_some_and(|session| session.authenticate == index);
        match (&soap.session, operation.uses_session && !is_authenticate) {
            (Some(session), true) => {
                let ticket = session.ticket_field.ident();
                // Ending a session that is no longer valid needs no new one: that answer is final.
                let ends = session.end == Some(index);
                let send = if ends { quote!(send_once) } else { quote!(send) };
                doc.push(String::new());
                doc.push(if ends {
                    "Sends the session's ticket once: if the service answers that the session is invalid, it has ended already and that answer is returned (no new session is opened to end it).".to_owned()
                } else {
                    "Sends the session's ticket; if the service answers that the session is invalid, authenticates again once and retries.".to_owned()
                });
                let doc = doc_attrs(&doc);
                quote! {
                    #doc
                    pub async fn #fn_name(
                        &self,
                        session: &Session,
                        request: types::#request,
                    ) -> ::std::result::Result<crate::Response<types::#response>, crate::Error<Failure>> {
                        session
                            .0
                            .#send(
                                self,
                                request,
                                |request, ticket| request.#ticket = ::std::option::Option::Some(ticket),
                                |client, base_url, request| {
                                    ::std::boxed::Box::pin(client.call(base_url, #element, #request_element, request, #check))
                                },
                            )
                            .await
                    }
                }
            }
            _ => {
                if is_authenticate {
                    doc.push(String::new());
                    doc.push("Sends the request to this client's base URL as it is; `Session::authenticate` also follows a redirect to another server.".to_owned());
                }
                let doc = doc_attrs(&doc);
                quote! {
                    #doc
                    pub async fn #fn_name(
                        &self,
                        request: types::#request,
                    ) -> ::std::result::Result<crate::Response<types::#response>, crate::Error<#error_body>> {
                        self.call(self.base_url(), #element, #request_element, &request, #check).await
                    }
                }
            }
        }
    });
    let operation_prefix = &soap.operation_namespace;
    let operation_infos = operation_infos(service, soap);
    let session_items = soap.session.as_ref().map(|session| session_items(service, soap, session, krate));
    let (client, client_items) = client::client_struct(
        service,
        ClientParts {
            example: examples::soap_client(krate, service, soap),
            consts: quote! {
                #[doc = #endpoint_doc]
                pub const DEFAULT_ENDPOINT_PATH: &'static str = #endpoint_path;
                #[doc = #action_doc]
                pub const DEFAULT_ACTION_TEMPLATE: &'static str = #action;
            },
            fields: quote! {
                endpoint_path: ::std::string::String,
                action_template: ::std::string::String,
                request_options: crate::RequestOptions,
                #redirect_field
            },
            init: quote! {
                endpoint_path: Self::DEFAULT_ENDPOINT_PATH.to_owned(),
                action_template: Self::DEFAULT_ACTION_TEMPLATE.to_owned(),
                request_options: crate::RequestOptions::new(),
                #redirect_init
            },
            base_url_doc: match soap.session {
                Some(_) => "The base URL requests go to (a session may have been redirected elsewhere).",
                None => "The base URL requests go to.",
            },
        },
    );
    quote! {
        #inner_doc

        pub mod types;
        #[cfg(feature = "blocking")]
        mod blocking;

        /// Namespaces declared on every request envelope.
        const NAMESPACES: &[(&str, &str)] = &[#(#namespaces)*];

        /// Elements whose text is a secret: redacted from the answers errors keep.
        const SECRET_ELEMENTS: &[&str] = &[#(#secret_elements),*];

        #operation_infos

        #client

        impl Client {
            #client_items


            /// Uses another endpoint path below the base URL.
            pub fn with_endpoint_path(mut self, path: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.endpoint_path = path.into();
                self
            }

            /// Uses another `SOAPAction` template (`{operation}` is replaced by the operation name).
            pub fn with_action_template(mut self, template: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.action_template = template.into();
                self
            }

            #redirect_items

            /// A copy of this client whose calls all use these settings (a timeout, extra
            /// headers, a retry policy, the opt-in to retry): cheap, it shares the connection
            /// pool, and a `Session` opened with either client works with both.
            pub fn with_request_options(&self, options: crate::RequestOptions) -> Self {
                Self { request_options: options, ..self.clone() }
            }

            #(#methods)*

            async fn call<Rq: crate::runtime::soap::ToXml, Rs: crate::runtime::soap::FromXml, E>(
                &self,
                base_url: &str,
                operation: &str,
                request_element: &str,
                request: &Rq,
                check: impl Fn(&Rs) -> ::std::option::Option<E>,
            ) -> ::std::result::Result<crate::Response<Rs>, crate::Error<E>> {
                let action = self.action_template.replace("{operation}", operation);
                let call = crate::runtime::soap::Call {
                    base_url,
                    endpoint_path: &self.endpoint_path,
                    action: &action,
                    namespaces: NAMESPACES,
                    operation_prefix: #operation_prefix,
                    operation,
                    request_element,
                    secret_elements: SECRET_ELEMENTS,
                    info: operation_info(operation),
                    options: &self.request_options,
                };
                crate::runtime::soap::call(&self.http, call, request, check).await
            }
        }

        #session_items
    }
}

/// `operation_info`: what hooks and tracing are told of each call, by operation element.
fn operation_infos(service: &Service, soap: &SoapService) -> TokenStream {
    let arms = soap.operations.iter().map(|operation| {
        let (module, id, path, idempotent) =
            (service.module.as_str(), &operation.id, &soap.endpoint_path, operation.idempotent);
        let element = &operation.element;
        quote! {
            #element => ::std::option::Option::Some(&crate::OperationInfo {
                service: #module,
                id: #id,
                method: "POST",
                path: #path,
                idempotent: #idempotent,
            }),
        }
    });
    quote! {
        /// The operation of an operation element, as hooks and tracing see it.
        fn operation_info(element: &str) -> ::std::option::Option<&'static crate::OperationInfo> {
            match element {
                #(#arms)*
                _ => ::std::option::Option::None,
            }
        }
    }
}

/// The operation table of a SOAP service's page: operation, SOAP action, Rust method.
/// (A SOAP service has no group features: every row is always there.)
fn operation_table(soap: &SoapService) -> Vec<(Option<TokenStream>, String)> {
    let mut lines = vec![
        "# Operations".to_owned(),
        String::new(),
        "| operation | SOAP action | Rust method | summary |".to_owned(),
        "|---|---|---|---|".to_owned(),
    ];
    for operation in &soap.operations {
        let action = soap.action_template.replace("{operation}", &operation.element);
        let rust = if operation.fn_name.is_raw() {
            format!("`{}`", operation.fn_name.unraw())
        } else {
            format!("[`{0}`](Client::{0})", operation.fn_name)
        };
        // The first line of the operation's docs, unless it opens a block.
        let summary = operation.doc.first().filter(|line| !line.starts_with("```")).cloned().unwrap_or_default();
        lines.push(format!(
            "| {} | {} | {rust} | {} |",
            table_cell(&code_span(&operation.element)),
            table_cell(&code_span(&action)),
            table_cell(&summary)
        ));
    }
    lines.into_iter().map(|line| (None, line)).collect()
}

/// The `check` closure of a call answering `response`: its failure statuses as `Failure`, or
/// none for a service without a session.
fn check(soap: &SoapService, response: &proc_macro2::Ident) -> TokenStream {
    match &soap.session {
        Some(session) => {
            let status = session.status_field.ident();
            let messages = session.messages_field.ident();
            quote!(|answer: &types::#response| Failure::check(answer.#status.as_ref(), answer.#messages.as_deref()))
        }
        None => quote!(|_: &types::#response| ::std::option::Option::None),
    }
}

/// `Failure`, and `Session`: a wrapper of `runtime::session::Session` over this service's
/// `SessionProtocol`, which says how to authenticate and where the answer keeps the ticket.
fn session_items(service: &Service, soap: &SoapService, session: &SoapSession, krate: &str) -> TokenStream {
    let status_type = session.status_type.ident();
    let message_type = session.message_type.ident();
    let failures = session.failure_statuses.iter().map(|variant| variant.ident());
    let invalid = session.invalid_session_statuses.iter().map(|variant| variant.ident());
    let authenticate = &soap.operations[session.authenticate];
    let auth_request = authenticate.request.ident();
    let auth_response = authenticate.response.ident();
    let auth_element = &authenticate.element;
    let auth_request_element = &authenticate.request_element;
    let auth_check = check(soap, &auth_response);
    let ticket = session.ticket_field.ident();
    let redirect = session.redirect.as_ref().map(|redirect| {
        let field = redirect.field.ident();
        quote! {
            fn redirect<'a>(
                client: &'a Client,
                answer: &'a types::#auth_response,
            ) -> ::std::option::Option<(&'a str, &'a [::std::string::String])> {
                answer.#field.as_deref().map(|url| (url, client.redirect_hosts.as_slice()))
            }
        }
    });
    let authenticate_doc: Vec<String> = match &session.redirect {
        Some(_) => vec![
            "Authenticates, following the service's redirect to another server once (only to an".to_owned(),
            "allowed host: see `Client::with_redirect_hosts`). An answer without a ticket, or with".to_owned(),
            "a refused redirect, is `Error::Session`.".to_owned(),
        ],
        None => vec!["Authenticates. An answer without a ticket is `Error::Session`.".to_owned()],
    };
    let authenticate_doc = doc_attrs(&authenticate_doc);
    let mut session_doc = vec![
        "An authenticated session: the ticket, the server that hosts the account, and the".to_owned(),
        "credentials to authenticate again when the service says the session is invalid.".to_owned(),
        "`Debug` never shows the ticket or the password.".to_owned(),
        String::new(),
    ];
    session_doc.extend(examples::soap_session(krate, service, soap));
    let session_doc = doc_attrs(&session_doc);
    quote! {
        /// The body of a call whose status says it failed: the status and the service's messages.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Failure {
            /// The status the answer carried (one of the failure statuses).
            pub status: types::#status_type,
            /// The service's messages about the failure (empty when it sent none).
            pub messages: ::std::vec::Vec<types::#message_type>,
        }

        impl Failure {
            /// Whether the call failed because the session is no longer valid.
            pub fn is_session_invalid(&self) -> bool {
                matches!(self.status, #(types::#status_type::#invalid)|*)
            }

            fn check(
                status: ::std::option::Option<&types::#status_type>,
                messages: ::std::option::Option<&[types::#message_type]>,
            ) -> ::std::option::Option<Self> {
                match status {
                    ::std::option::Option::Some(status @ (#(types::#status_type::#failures)|*)) => ::std::option::Option::Some(Failure {
                        status: status.clone(),
                        messages: messages.map(<[_]>::to_vec).unwrap_or_default(),
                    }),
                    _ => ::std::option::Option::None,
                }
            }
        }

        #session_doc
        pub struct Session(crate::runtime::session::Session<SessionProtocol>);

        // The runtime's form: the credentials and the ticket redacted, of the server the host alone.
        impl ::std::fmt::Debug for Session {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl Session {
            #authenticate_doc
            pub async fn authenticate(
                client: &Client,
                credentials: types::#auth_request,
            ) -> ::std::result::Result<Self, crate::Error<Failure>> {
                crate::runtime::session::Session::authenticate(client, credentials).await.map(Session)
            }

            /// The current ticket.
            pub fn ticket(&self) -> crate::Secret {
                self.0.ticket()
            }

            /// The base URL of the server that hosts the account.
            pub fn base_url(&self) -> ::std::string::String {
                self.0.base_url()
            }
        }

        /// How this service's session authenticates, and where its answer keeps the ticket.
        struct SessionProtocol;

        impl crate::runtime::session::SessionProtocol for SessionProtocol {
            type Client = Client;
            type Credentials = types::#auth_request;
            type Answer = types::#auth_response;
            type Failure = Failure;

            async fn authenticate(
                client: &Client,
                base_url: &str,
                credentials: &types::#auth_request,
            ) -> ::std::result::Result<crate::Response<types::#auth_response>, crate::Error<Failure>> {
                client.call(base_url, #auth_element, #auth_request_element, credentials, #auth_check).await
            }

            fn base_url(client: &Client) -> &str {
                client.base_url()
            }

            fn ticket(answer: &types::#auth_response) -> ::std::option::Option<&crate::Secret> {
                answer.#ticket.as_ref()
            }

            #redirect

            fn is_session_invalid(failure: &Failure) -> bool {
                failure.is_session_invalid()
            }
        }
    }
}
