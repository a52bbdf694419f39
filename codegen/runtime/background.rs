//! Background jobs: an operation sent to be run later, polled with backoff until it finishes, then its result read.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::error::{DecodeError, Error, JobError};
use super::http::HttpClient;
use super::response::Response;

/// How one service runs background jobs (from the spec's `background_jobs`): where a job's
/// state and content are read, and which status words end the wait. `S` is the state type.
pub struct JobProtocol<S> {
    /// The path of a job's state (`/v1/background/{id}`), the id already given.
    pub state_path: fn(&str) -> String,
    /// The status the state operation answers with.
    pub state_status: u16,
    /// The path of a finished job's content.
    pub content_path: fn(&str) -> String,
    /// The status a finished job's content is answered with.
    pub content_status: u16,
    /// The job's status word in the state, as sent (`Started`, `Finished`, or one the spec
    /// does not know).
    pub status: fn(&S) -> Option<String>,
    /// The error message in the state of a failed job.
    pub message: fn(&S) -> Option<String>,
    /// The status words of a finished job.
    pub finished: &'static [&'static str],
    /// The status words of a failed job.
    pub failed: &'static [&'static str],
}

// Derived `Clone`/`Copy` would ask the same of `S`, which only appears in `fn` pointers.
impl<S> Clone for JobProtocol<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for JobProtocol<S> {}

/// What a finished job's result is read from.
pub enum JobContent<T> {
    /// The content operation's body, decoded as `T` (the original operation's success body).
    Fetch,
    /// The original operation answers no body: the result is made, nothing is fetched.
    Empty(fn() -> T),
}

/// The first wait between two state reads; it doubles after each read, up to [`MAX_DELAY`].
pub const FIRST_DELAY: Duration = Duration::from_millis(500);
pub const MAX_DELAY: Duration = Duration::from_secs(30);
/// How long [`BackgroundJob::wait`] waits by default before giving up.
pub const DEADLINE: Duration = Duration::from_secs(600);

/// What an operation's first answer means for a background job (see [`BackgroundJob::start`]).
pub enum Started<T> {
    /// Queued as a job; the id as the answer gives it (`None` or empty: it gives none).
    Queued(Option<String>),
    /// Answered at once with the result.
    Done(T),
}

enum Start<T> {
    /// Accepted as a job with this id.
    Queued(String),
    /// The server answered at once with the result instead of queueing the request.
    Done(Response<T>),
}

/// A request sent as a background job: `wait()` for its typed result.
///
/// `T` is the original operation's success body, `E` its error body, `S` the service's job
/// state type.
pub struct BackgroundJob<T, E, S> {
    http: HttpClient,
    start: Start<T>,
    protocol: JobProtocol<S>,
    content: JobContent<T>,
    first_delay: Duration,
    max_delay: Duration,
    deadline: Duration,
    _error: PhantomData<fn() -> E>,
}

impl<T, E, S> fmt::Debug for BackgroundJob<T, E, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = match &self.start {
            Start::Queued(id) => Some(id),
            Start::Done(_) => None,
        };
        f.debug_struct("BackgroundJob")
            .field("id", &id)
            .field("first_delay", &self.first_delay)
            .field("max_delay", &self.max_delay)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

impl<T, E, S> BackgroundJob<T, E, S>
where
    T: DeserializeOwned,
    E: DeserializeOwned + serde::Serialize,
    S: DeserializeOwned,
{
    /// The handle for an operation's first answer: `read` says whether the server queued the
    /// request as a job (with its id) or answered at once with the result. Shared by every
    /// generated `send_in_background`, which only knows its response enum.
    pub fn start<R>(
        http: HttpClient,
        answer: Response<R>,
        protocol: JobProtocol<S>,
        content: JobContent<T>,
        read: impl FnOnce(R) -> Started<T>,
    ) -> Result<Self, Error<E>> {
        let Response { status, headers, body, url } = answer;
        let start = match read(body) {
            Started::Queued(Some(id)) if !id.is_empty() => Start::Queued(id),
            Started::Queued(_) => return Err(missing_job_id(status)),
            Started::Done(body) => Start::Done(Response { status, headers, body, url }),
        };
        Ok(Self::with_start(http, start, protocol, content))
    }

    fn with_start(http: HttpClient, start: Start<T>, protocol: JobProtocol<S>, content: JobContent<T>) -> Self {
        BackgroundJob {
            http,
            start,
            protocol,
            content,
            first_delay: FIRST_DELAY,
            max_delay: MAX_DELAY,
            deadline: DEADLINE,
            _error: PhantomData,
        }
    }

    /// The job id, or `None` when the server answered at once instead of queueing the request.
    pub fn id(&self) -> Option<&str> {
        match &self.start {
            Start::Queued(id) => Some(id),
            Start::Done(_) => None,
        }
    }

    /// How long `wait()` polls before failing with [`JobError::DeadlinePassed`] (default 10 minutes).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The first wait between state reads and the longest one; each wait doubles the one
    /// before (default 500 ms up to 30 s).
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.first_delay = first;
        self.max_delay = max.max(first);
        self
    }

    /// Reads the job's state once (`None` when the server answered at once).
    pub async fn state(&self) -> Result<Option<Response<S>>, Error<E>> {
        match &self.start {
            Start::Queued(id) => self.read_state(id).await.map(Some),
            Start::Done(_) => Ok(None),
        }
    }

    /// Polls the job's state with backoff until it is finished, failed or the deadline passes,
    /// then reads its content as the original operation's success body.
    ///
    /// A status the spec lists neither as finished nor as failed (`Started`, or one it does not
    /// know) means the job is still running.
    pub async fn wait(self) -> Result<Response<T>, Error<E>> {
        let id = match self.start {
            Start::Done(answer) => return Ok(answer),
            Start::Queued(ref id) => id.clone(),
        };
        let started = tokio::time::Instant::now();
        let deadline = started + self.deadline;
        let mut delay = self.first_delay;
        loop {
            let state = self.read_state(&id).await?;
            let status = (self.protocol.status)(&state.body);
            if let Some(word) = &status {
                if self.protocol.finished.contains(&word.as_str()) {
                    return self.read_content(&id, state).await;
                }
                if self.protocol.failed.contains(&word.as_str()) {
                    let message = (self.protocol.message)(&state.body);
                    return Err(Error::Job(JobError::Failed { id, status: word.clone(), message }));
                }
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Err(Error::Job(JobError::DeadlinePassed { id, waited: now - started, status }));
            }
            // The last read happens at the deadline, not a whole backoff step after it.
            tokio::time::sleep(delay.min(deadline - now)).await;
            delay = delay.saturating_mul(2).min(self.max_delay);
        }
    }

    async fn read_state(&self, id: &str) -> Result<Response<S>, Error<E>> {
        let request = self.http.request(Method::GET, (self.protocol.state_path)(id));
        let response = self.http.execute(request).await?;
        if response.status() == self.protocol.state_status {
            response.json()
        } else {
            Err(response.into_error())
        }
    }

    async fn read_content(&self, id: &str, state: Response<S>) -> Result<Response<T>, Error<E>> {
        match self.content {
            JobContent::Empty(make) => Ok(state.map(|_| make())),
            JobContent::Fetch => {
                let request = self.http.request(Method::GET, (self.protocol.content_path)(id));
                let response = self.http.execute(request).await?;
                if response.status() == self.protocol.content_status {
                    response.json()
                } else {
                    Err(response.into_error())
                }
            }
        }
    }
}

/// The error for an accepted answer without a job id.
fn missing_job_id<E>(status: reqwest::StatusCode) -> Error<E> {
    Error::Decode(DecodeError {
        status,
        path: ".".to_owned(),
        message: "the background job was accepted but the answer carries no job id".to_owned(),
        body: String::new(),
    })
}
