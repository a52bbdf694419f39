//! Synchronous calls (the `blocking` feature): every `send_blocking` waits for its `send` here.
//!
//! The crate starts one runtime thread the first time a call blocks: it drives the sockets
//! and timers of every connection, so pooled connections stay usable between calls. The
//! calling thread only polls the request's own future and sleeps until it is woken.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::{Builder, Handle};

use super::error::Error;

/// What a blocking call answers inside an async runtime, where waiting would stall it.
const INSIDE_A_RUNTIME: &str = "a blocking call (`send_blocking`, `*_blocking`) was made inside a tokio runtime, \
     where waiting would block the runtime's thread; use `send().await` there (in `spawn_blocking`: \
     `Handle::current().block_on(....send())`)";

/// The runtime thread's handle, or why it could not be started (kept, so every call says so).
static RUNTIME: OnceLock<Result<Handle, String>> = OnceLock::new();

/// Runs `call` to completion on the calling thread, with the crate's runtime thread doing its
/// I/O. Inside a tokio runtime it is [`Error::InvalidRequest`] and nothing is sent.
pub fn wait<T, E>(call: impl Future<Output = Result<T, Error<E>>>) -> Result<T, Error<E>> {
    // Any runtime context counts: an async task, `block_on` or a `spawn_blocking` thread
    // (tokio offers no public test that tells them apart, and waiting in the first two would
    // stall the runtime, or deadlock a current-thread one).
    if Handle::try_current().is_ok() {
        return Err(Error::InvalidRequest(INSIDE_A_RUNTIME.to_owned()));
    }
    let handle = runtime().map_err(|problem| Error::InvalidRequest(problem.to_owned()))?;
    handle.block_on(call)
}

/// Starts the runtime thread on first use. `Handle::block_on` of a current-thread runtime
/// needs another thread inside `Runtime::block_on` to drive I/O and timers: that thread
/// waits on a future that never ends, for as long as the process runs.
fn runtime() -> Result<&'static Handle, &'static str> {
    let started = RUNTIME.get_or_init(|| {
        let runtime = Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| format!("cannot start the runtime for blocking calls: {error}"))?;
        let handle = runtime.handle().clone();
        std::thread::Builder::new()
            .name("api-clients-blocking".to_owned())
            .spawn(move || runtime.block_on(std::future::pending::<()>()))
            .map_err(|error| format!("cannot start the thread for blocking calls: {error}"))?;
        Ok(handle)
    });
    started.as_ref().map_err(String::as_str)
}
