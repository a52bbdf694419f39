//! Hand-written support code shared by every generated service: configuration, auth,
//! request sending, retries, hooks, responses, errors and date-times.
//!
//! This folder is copied verbatim from `codegen/runtime/` by `cargo xtask codegen`.

#[cfg(feature = "background-runtime")]
mod background;
#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
mod config;
mod connections;
mod datetime;
mod error;
mod hooks;
mod http;
#[cfg(feature = "mock")]
pub mod mock;
mod nullable;
#[cfg(feature = "oauth2-runtime")]
mod oauth2;
mod options;
#[cfg(feature = "paging-runtime")]
mod paging;
mod query;
mod rate_limit;
mod response;
mod retry;
#[cfg(feature = "soap-runtime")]
pub mod session;
#[cfg(feature = "soap-runtime")]
pub mod soap;
mod telemetry;
#[doc(hidden)]
pub mod unions;
mod upgrade;

#[cfg(feature = "background-runtime")]
#[doc(hidden)]
pub use background::Started;
#[cfg(feature = "background-runtime")]
pub use background::{BackgroundJob, JobContent, JobProtocol};
#[cfg(feature = "streaming-runtime")]
pub use body::ByteStream;
#[doc(hidden)]
pub use body::Form;
pub use body::{BinaryBody, Bytes, FilePart};
pub use config::{
    AccessToken, ApiKey, ApiKeyLocation, ApiKeyScheme, Auth, BoxError, ClientConfig, RedirectPolicy, Secret,
    TokenFuture, TokenProvider,
};
pub use datetime::{Date, DateTime, ParseDateTimeError};
pub use error::{
    ApiError, AuthError, DecodeError, Error, ErrorBody, JobError, NoErrorBody, OAuthError, OAuthErrorCode,
    RedirectRule, SessionError, SoapFault,
};
pub use hooks::{Hook, HookRequest, HookResponse, OperationInfo};
#[doc(hidden)]
pub use http::{encode_path_segment, HttpClient, RawResponse, RequestBuilder};
pub use nullable::Nullable;
#[cfg(feature = "oauth2-runtime")]
pub use oauth2::{ClientAuth, ClientCredentials};
pub use options::RequestOptions;
#[cfg(feature = "paging-runtime")]
#[doc(hidden)]
pub use paging::{
    collect_all, no_items, page_param, page_value, paginate, Page, PageFuture, PageRequest, PageStyle, Pager, Pages,
    Stream,
};
#[doc(hidden)]
pub use query::{push_cookie, Delimiter};
pub use rate_limit::RateLimit;
pub use response::{ETag, Response};
pub use retry::RetryPolicy;
