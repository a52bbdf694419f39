//! Hand-written support code shared by every generated service: configuration, auth,
//! request sending, responses, errors and date-times.
//!
//! This folder is copied verbatim from `codegen/runtime/` by `cargo xtask codegen`.

#[cfg(feature = "blocking")]
pub mod blocking;
mod config;
mod datetime;
mod error;
mod http;
#[cfg(feature = "mock")]
pub mod mock;
mod response;
#[cfg(feature = "soap-runtime")]
pub mod soap;

pub use config::{AccessToken, Auth, BoxError, ClientConfig, RedirectPolicy, Secret, TokenFuture, TokenProvider};
pub use datetime::{Date, DateTime, ParseDateTimeError};
pub use error::{ApiError, DecodeError, Error, ErrorBody, NoErrorBody, RedirectRule, SessionError, SoapFault};
#[doc(hidden)]
pub use http::{encode_path_segment, HttpClient, RawResponse, RequestBuilder};
pub use response::{ETag, Response};
