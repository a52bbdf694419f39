//! Emits a service's background job protocol and `send_in_background()` on the builders of operations that can run as jobs (glue over `runtime::background`).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{type_tokens, Scope};
use super::operations::{error_type, success_type};
use crate::docs::code_span;
use crate::model::{FieldAccess, HeaderValue, Operation, Service};

/// The `BackgroundJob` alias and the `BACKGROUND_JOBS` protocol of the service's `mod.rs`.
pub fn service_items(service: &Service) -> TokenStream {
    let Some(jobs) = &service.background_jobs else { return quote!() };
    let state = jobs.state_type.ident();
    let path = |(before, after): &(String, String)| quote!(|id| [#before, crate::runtime::encode_path_segment(&id).as_str(), #after].concat());
    let (state_path, content_path) = (path(&jobs.state_path), path(&jobs.content_path));
    let (state_status, content_status) = (jobs.state_status, jobs.content_status);
    let text = |field: &FieldAccess| {
        let name = field.ident.ident();
        if field.tristate {
            quote!(|state| state.#name.value().map(::std::string::ToString::to_string))
        } else if field.optional {
            quote!(|state| state.#name.as_ref().map(::std::string::ToString::to_string))
        } else {
            quote!(|state| ::std::option::Option::Some(::std::string::ToString::to_string(&state.#name)))
        }
    };
    let status = text(&jobs.status_field);
    let message = match &jobs.message_field {
        Some(field) => text(field),
        None => quote!(|_| ::std::option::Option::None),
    };
    let (finished, failed) = (&jobs.finished, &jobs.failed);
    let alias_doc = format!(
        " A request sent as a background job (`send_in_background()` on a request builder, which sends {}): `wait()` for its result.",
        code_span(&format!("{}: {}", jobs.header, jobs.value))
    );
    quote! {
        #[doc = #alias_doc]
        pub type BackgroundJob<T, E = crate::NoErrorBody> = crate::runtime::BackgroundJob<T, E, types::#state>;

        /// Where this service's job states and contents are read, and which statuses end a job.
        const BACKGROUND_JOBS: crate::runtime::JobProtocol<types::#state> = crate::runtime::JobProtocol {
            state_path: #state_path,
            state_status: #state_status,
            content_path: #content_path,
            content_status: #content_status,
            status: #status,
            message: #message,
            finished: &[#(#finished),*],
            failed: &[#(#failed),*],
        };
    }
}

/// `send_in_background()` on `op`'s builder, or nothing when it cannot run as a job.
pub fn send_in_background(op: &Operation) -> TokenStream {
    let Some(call) = &op.background else { return quote!() };
    let header = op.params[call.header].ident.ident();
    let value = match &call.value {
        HeaderValue::Text(text) => quote!(::std::string::String::from(#text)),
        HeaderValue::Member { ty, variant } => {
            let (ty, variant) = (ty.ident(), variant.ident());
            quote!(super::types::#ty::#variant)
        }
        HeaderValue::Other { ty, variant, value } => {
            let (ty, variant) = (ty.ident(), variant.ident());
            quote!(super::types::#ty::#variant(::std::string::String::from(#value)))
        }
    };
    let result = match &call.result {
        Some(ty) => type_tokens(ty, Scope::Sibling),
        None => quote!(()),
    };
    let error_body = match &op.error_body {
        Some(ty) => type_tokens(ty, Scope::Sibling),
        None => quote!(crate::NoErrorBody),
    };
    let error = error_type(op);
    let answer = success_type(op);
    let (accepted, done) = (call.accepted_variant.ident(), call.result_variant.ident());
    let id_field = call.job_id.ident.ident();
    let id = if call.job_id.tristate {
        quote!(accepted.#id_field.into_value())
    } else if call.job_id.optional {
        quote!(accepted.#id_field)
    } else {
        quote!(::std::option::Option::Some(accepted.#id_field))
    };
    let (done_arm, content) = match &call.result {
        Some(_) => (
            quote!(#answer::#done(result) => crate::runtime::Started::Done(result)),
            quote!(crate::runtime::JobContent::Fetch),
        ),
        None => (
            quote!(#answer::#done => crate::runtime::Started::Done(())),
            quote!(crate::runtime::JobContent::Empty(|| ())),
        ),
    };
    let doc = format!(
        " Sends the request as a background job ({} is set) and returns its handle: `wait()` on it polls the job and returns this operation's result. When the server answers at once instead, `wait()` returns that answer.",
        code_span(&op.params[call.header].wire_name)
    );
    quote! {
        #[doc = #doc]
        pub async fn send_in_background(mut self) -> ::std::result::Result<super::BackgroundJob<#result, #error_body>, #error> {
            self.#header = ::std::option::Option::Some(#value);
            let http = self.client.http().clone();
            let answer = self.send().await?;
            crate::runtime::BackgroundJob::start(http, answer, super::BACKGROUND_JOBS, #content, |body| match body {
                #answer::#accepted(accepted) => crate::runtime::Started::Queued(#id),
                #done_arm,
            })
        }
    }
}
