//! Hand-written support code shared by every generated service: configuration, auth,
//! request sending, responses, errors and date-times.
//!
//! This folder is copied verbatim from `codegen/runtime/` by `cargo xtask codegen`.

mod config;
mod datetime;
mod error;
mod http;
#[cfg(feature = "oauth2-runtime")]
mod oauth2;
mod response;
#[cfg(feature = "soap-runtime")]
pub mod soap;

pub use config::{AccessToken, Auth, BoxError, ClientConfig, RedirectPolicy, Secret, TokenFuture, TokenProvider};
pub use datetime::{Date, DateTime, ParseDateTimeError};
pub use error::{
    ApiError, AuthError, DecodeError, Error, ErrorBody, NoErrorBody, OAuthError, OAuthErrorCode, RedirectRule,
    SessionError, SoapFault,
};
#[doc(hidden)]
pub use http::{encode_path_segment, HttpClient, RawResponse, RequestBuilder};
#[cfg(feature = "oauth2-runtime")]
pub use oauth2::{ClientAuth, ClientCredentials};
pub use response::{ETag, Response};
