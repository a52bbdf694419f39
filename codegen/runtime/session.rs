//! The authenticated session of a SOAP service: its ticket and server, authenticating again
//! once when the service says the session is invalid, and the redirect to another server.
//!
//! A service's generated code implements [`SessionProtocol`] (how to authenticate, where the
//! answer carries the ticket and the redirect, which failure means "session invalid") and wraps
//! [`Session`] in its own `Session` type; everything that does not depend on the spec is here.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use super::config::Secret;
use super::error::{Error, SessionError};
use super::response::Response;

/// What a session needs of one SOAP service; implemented by the service's generated code.
pub trait SessionProtocol {
    /// The service's client.
    type Client;
    /// The authenticate request: the credentials a session keeps to authenticate again.
    type Credentials;
    /// The authenticate answer.
    type Answer;
    /// The body of a call whose status says it failed.
    type Failure;

    /// Sends the authenticate request to `base_url`.
    fn authenticate(
        client: &Self::Client,
        base_url: &str,
        credentials: &Self::Credentials,
    ) -> impl Future<Output = Result<Response<Self::Answer>, Error<Self::Failure>>> + Send;

    /// The base URL the client sends to, where a session first authenticates.
    fn base_url(client: &Self::Client) -> &str;

    /// The ticket an authenticate answer carries.
    fn ticket(answer: &Self::Answer) -> Option<&Secret>;

    /// The URL an authenticate answer redirects the session to, with the host patterns the
    /// client allows (see [`redirect_base_url`](super::soap::redirect_base_url)). A service
    /// without redirects keeps this default: never.
    fn redirect<'a>(client: &'a Self::Client, answer: &'a Self::Answer) -> Option<(&'a str, &'a [String])> {
        let _ = (client, answer);
        None
    }

    /// Whether a failure says the session is no longer valid.
    fn is_session_invalid(failure: &Self::Failure) -> bool;
}

/// The future of one call [`Session::send`] makes; boxed, as it borrows the client, base URL and request it is given.
pub type Attempt<'a, T, E> = Pin<Box<dyn Future<Output = Result<Response<T>, Error<E>>> + Send + 'a>>;

/// An authenticated session: the credentials, and behind a lock the ticket and the server
/// that hosts the account (both change when the session authenticates again).
pub struct Session<P: SessionProtocol> {
    credentials: P::Credentials,
    state: Mutex<State>,
}

/// What one authentication gave: the ticket and the server it is valid on.
#[derive(Clone)]
struct State {
    ticket: Secret,
    base_url: String,
}

impl<P: SessionProtocol> Session<P> {
    /// Authenticates, following the answer's redirect to another server once (only where
    /// [`redirect_base_url`](super::soap::redirect_base_url) allows). An answer without a
    /// ticket, or with a refused redirect, is [`Error::Session`].
    pub async fn authenticate(client: &P::Client, credentials: P::Credentials) -> Result<Self, Error<P::Failure>> {
        let state = open::<P>(client, &credentials).await?;
        Ok(Session { credentials, state: Mutex::new(state) })
    }

    /// The current ticket.
    pub fn ticket(&self) -> Secret {
        self.state().ticket
    }

    /// The base URL of the server that hosts the account.
    pub fn base_url(&self) -> String {
        self.state().base_url
    }

    /// Sends a call with the session's ticket (`set_ticket` puts it into the request) to the
    /// session's server. If the service answers that the session is invalid, authenticates
    /// again and sends the call once more with the new ticket; its answer is final.
    ///
    /// `send` gets the client as an argument, so the future it returns borrows only what it is given.
    pub async fn send<Rq, Rs>(
        &self,
        client: &P::Client,
        mut request: Rq,
        set_ticket: fn(&mut Rq, Secret),
        send: impl for<'a> Fn(&'a P::Client, &'a str, &'a Rq) -> Attempt<'a, Rs, P::Failure>,
    ) -> Result<Response<Rs>, Error<P::Failure>> {
        // One read of the state: the ticket and the server belong together.
        let state = self.state();
        set_ticket(&mut request, state.ticket);
        match send(client, &state.base_url, &request).await {
            Err(error) if is_session_invalid::<P>(&error) => {
                let state = self.reauthenticate(client).await?;
                set_ticket(&mut request, state.ticket);
                send(client, &state.base_url, &request).await
            }
            other => other,
        }
    }

    /// Sends a call with the session's ticket once, without authenticating again: for the call
    /// that ends the session, where an invalid session means there is nothing left to end.
    pub async fn send_once<Rq, Rs>(
        &self,
        client: &P::Client,
        mut request: Rq,
        set_ticket: fn(&mut Rq, Secret),
        send: impl for<'a> Fn(&'a P::Client, &'a str, &'a Rq) -> Attempt<'a, Rs, P::Failure>,
    ) -> Result<Response<Rs>, Error<P::Failure>> {
        let state = self.state();
        set_ticket(&mut request, state.ticket);
        send(client, &state.base_url, &request).await
    }

    fn state(&self) -> State {
        // A panic elsewhere while holding the lock cannot leave the state half-written: it is
        // only ever replaced whole.
        match self.state.lock() {
            Ok(state) => state.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Authenticates again and keeps the new state; returns it, so the caller sends with it
    /// even if another call authenticates again in between.
    async fn reauthenticate(&self, client: &P::Client) -> Result<State, Error<P::Failure>> {
        let fresh = open::<P>(client, &self.credentials).await?;
        match self.state.lock() {
            Ok(mut state) => *state = fresh.clone(),
            Err(poisoned) => *poisoned.into_inner() = fresh.clone(),
        }
        Ok(fresh)
    }
}

// By hand: the derived form would show the `Mutex` (and its poisoning) rather than the
// session. The ticket and the credentials' secrets are `Secret`s, shown redacted; of the
// server only the host is shown (a base URL may carry a key in its query).
impl<P: SessionProtocol> fmt::Debug for Session<P>
where
    P::Credentials: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        let host = reqwest::Url::parse(&state.base_url).ok().and_then(|url| url.host_str().map(str::to_owned));
        f.debug_struct("Session")
            .field("credentials", &self.credentials)
            .field("ticket", &state.ticket)
            .field("host", &host)
            .finish()
    }
}

/// Authenticates at the client's server, then once more at the server the answer redirects to.
async fn open<P: SessionProtocol>(
    client: &P::Client,
    credentials: &P::Credentials,
) -> Result<State, Error<P::Failure>> {
    let mut base_url = P::base_url(client).to_owned();
    let mut answer = P::authenticate(client, &base_url, credentials).await?;
    // Follow a redirect to the server that hosts the account, once, and only where the
    // credentials may go.
    let redirect = P::redirect(client, &answer.body)
        .map(|(url, allowed)| (url.trim(), allowed))
        .filter(|(url, _)| !url.is_empty())
        .map(|(url, allowed)| super::soap::redirect_base_url(&base_url, url, allowed));
    if let Some(redirect) = redirect {
        base_url = redirect.map_err(Error::Session)?;
        answer = P::authenticate(client, &base_url, credentials).await?;
    }
    // A success without a ticket is no session: every later call would fail.
    match P::ticket(&answer.body) {
        Some(ticket) if !ticket.expose().trim().is_empty() => Ok(State { ticket: ticket.clone(), base_url }),
        _ => Err(Error::Session(SessionError::NoTicket)),
    }
}

fn is_session_invalid<P: SessionProtocol>(error: &Error<P::Failure>) -> bool {
    error.api().and_then(|api| api.body.typed()).is_some_and(P::is_session_invalid)
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::sync::Mutex;
    use std::task::{Context, Poll, Waker};

    use reqwest::header::HeaderMap;
    use reqwest::{StatusCode, Url};

    use super::*;
    use crate::runtime::error::{ApiError, ErrorBody, RedirectRule};

    /// Runs a future that never waits (the fake answers at once).
    fn ready<T>(future: impl Future<Output = T>) -> T {
        let mut future = pin!(future);
        match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(value) => value,
            Poll::Pending => panic!("the fake never waits"),
        }
    }

    /// A service that hands out `ticket-1`, `ticket-2`, … and records every call it gets.
    struct Fake {
        base_url: String,
        redirect: Option<String>,
        allowed: Vec<String>,
        /// Answers of the calls sent with a session, in order; `true` means "session invalid".
        invalid: Mutex<Vec<bool>>,
        log: Mutex<Vec<String>>,
    }

    impl Fake {
        fn new(base_url: &str) -> Self {
            Fake {
                base_url: base_url.to_owned(),
                redirect: None,
                allowed: vec!["*.example.com".to_owned()],
                invalid: Mutex::new(Vec::new()),
                log: Mutex::new(Vec::new()),
            }
        }

        fn log(&self) -> Vec<String> {
            self.log.lock().unwrap().clone()
        }

        fn logged(&self, entry: String) -> usize {
            let mut log = self.log.lock().unwrap();
            log.push(entry);
            log.iter().filter(|entry| entry.starts_with("authenticate")).count()
        }

        /// One call with a session: answers "session invalid" or the ticket it was sent.
        fn call<'a>(&'a self, base_url: &'a str, request: &'a Request) -> Attempt<'a, String, Failure> {
            Box::pin(async move {
                let ticket = request.ticket.as_ref().map(Secret::expose).unwrap_or("none").to_owned();
                self.logged(format!("call {base_url} {ticket}"));
                let invalid = {
                    let mut answers = self.invalid.lock().unwrap();
                    if answers.is_empty() {
                        false
                    } else {
                        answers.remove(0)
                    }
                };
                if invalid {
                    Err(api_error(Failure { session_invalid: true }))
                } else {
                    Ok(response(ticket))
                }
            })
        }
    }

    #[derive(Debug)]
    struct Credentials {
        user: &'static str,
        password: Secret,
    }

    struct Answer {
        ticket: Option<Secret>,
        redirect: Option<String>,
    }

    #[derive(Debug)]
    struct Failure {
        session_invalid: bool,
    }

    #[derive(Default)]
    struct Request {
        ticket: Option<Secret>,
    }

    fn response<T>(body: T) -> Response<T> {
        Response {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body,
            url: Url::parse("http://fake.test").unwrap(),
        }
    }

    fn api_error(failure: Failure) -> Error<Failure> {
        Error::Api(Box::new(ApiError {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: ErrorBody::Typed(failure),
        }))
    }

    struct Protocol;

    impl SessionProtocol for Protocol {
        type Client = Fake;
        type Credentials = Credentials;
        type Answer = Answer;
        type Failure = Failure;

        async fn authenticate(
            client: &Fake,
            base_url: &str,
            credentials: &Credentials,
        ) -> Result<Response<Answer>, Error<Failure>> {
            assert_eq!(credentials.password.expose(), "hunter2", "the kept credentials are sent");
            let count = client.logged(format!("authenticate {base_url} {}", credentials.user));
            // The first answer at the client's own server redirects, when the fake is told to.
            let redirect = if base_url == client.base_url { client.redirect.clone() } else { None };
            Ok(response(Answer { ticket: Some(Secret::new(format!("ticket-{count}"))), redirect }))
        }

        fn base_url(client: &Fake) -> &str {
            &client.base_url
        }

        fn ticket(answer: &Answer) -> Option<&Secret> {
            answer.ticket.as_ref()
        }

        fn redirect<'a>(client: &'a Fake, answer: &'a Answer) -> Option<(&'a str, &'a [String])> {
            answer.redirect.as_deref().map(|url| (url, client.allowed.as_slice()))
        }

        fn is_session_invalid(failure: &Failure) -> bool {
            failure.session_invalid
        }
    }

    fn credentials() -> Credentials {
        Credentials { user: "ada", password: Secret::new("hunter2") }
    }

    fn authenticate(client: &Fake) -> Result<Session<Protocol>, Error<Failure>> {
        ready(Session::<Protocol>::authenticate(client, credentials()))
    }

    fn send(session: &Session<Protocol>, client: &Fake) -> Result<Response<String>, Error<Failure>> {
        ready(session.send(
            client,
            Request::default(),
            |request, ticket| request.ticket = Some(ticket),
            |client, base_url, request| client.call(base_url, request),
        ))
    }

    #[test]
    fn an_invalid_session_authenticates_again_once_and_sends_the_new_ticket() {
        let client = Fake::new("https://a.example.com");
        let session = authenticate(&client).unwrap();
        client.invalid.lock().unwrap().push(true);

        let answer = send(&session, &client).expect("sent again with a fresh ticket");

        assert_eq!(answer.body, "ticket-2");
        assert_eq!(session.ticket().expose(), "ticket-2");
        assert_eq!(
            client.log(),
            [
                "authenticate https://a.example.com ada",
                "call https://a.example.com ticket-1",
                "authenticate https://a.example.com ada",
                "call https://a.example.com ticket-2",
            ]
        );
    }

    #[test]
    fn ending_an_invalid_session_sends_once_and_opens_no_new_one() {
        let client = Fake::new("https://a.example.com");
        let session = authenticate(&client).unwrap();
        client.invalid.lock().unwrap().push(true);

        let error = ready(session.send_once(
            &client,
            Request::default(),
            |request, ticket| request.ticket = Some(ticket),
            |client, base_url, request| client.call(base_url, request),
        ))
        .expect_err("the invalid answer is returned");

        assert!(error.api().and_then(|api| api.body.typed()).is_some_and(|failure| failure.session_invalid));
        assert_eq!(client.log(), ["authenticate https://a.example.com ada", "call https://a.example.com ticket-1"]);
    }

    #[test]
    fn a_session_still_invalid_after_one_retry_is_the_answer() {
        let client = Fake::new("https://a.example.com");
        let session = authenticate(&client).unwrap();
        client.invalid.lock().unwrap().extend([true, true, true]);

        let error = send(&session, &client).expect_err("still invalid");

        assert!(error.api().and_then(|api| api.body.typed()).is_some_and(|failure| failure.session_invalid));
        let log = client.log();
        assert_eq!(log.iter().filter(|entry| entry.starts_with("call")).count(), 2, "one retry, not a loop: {log:?}");
        assert_eq!(log.iter().filter(|entry| entry.starts_with("authenticate")).count(), 2, "{log:?}");
    }

    #[test]
    fn other_failures_are_not_retried() {
        let client = Fake::new("https://a.example.com");
        let session = authenticate(&client).unwrap();

        let error = ready(session.send(
            &client,
            Request::default(),
            |request, ticket| request.ticket = Some(ticket),
            |client, _, _| {
                client.logged("call".to_owned());
                Box::pin(async { Err::<Response<()>, _>(api_error(Failure { session_invalid: false })) })
            },
        ))
        .expect_err("failed");

        assert!(matches!(error, Error::Api(_)));
        assert_eq!(client.log(), ["authenticate https://a.example.com ada", "call"]);
        assert_eq!(session.ticket().expose(), "ticket-1");
    }

    #[test]
    fn a_poisoned_lock_still_gives_the_state_and_takes_a_new_one() {
        let client = Fake::new("https://a.example.com");
        let session = authenticate(&client).unwrap();
        let panicked = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let _held = session.state.lock().unwrap();
                    panic!("a panic while the lock is held");
                })
                .join()
        });
        assert!(panicked.is_err() && session.state.is_poisoned());

        assert_eq!(session.ticket().expose(), "ticket-1");
        assert_eq!(session.base_url(), "https://a.example.com");
        assert!(format!("{session:?}").contains("host: Some(\"a.example.com\")"));
        client.invalid.lock().unwrap().push(true);
        assert_eq!(send(&session, &client).unwrap().body, "ticket-2");
        assert_eq!(session.ticket().expose(), "ticket-2", "the new state replaced the poisoned one");
    }

    #[test]
    fn debug_shows_the_host_alone_and_no_secret() {
        let client = Fake::new("https://a.example.com/path?key=base-url-secret");
        let session = authenticate(&client).unwrap();

        let shown = format!("{session:?}");

        assert_eq!(
            shown,
            "Session { credentials: Credentials { user: \"ada\", password: Secret(<redacted>) }, \
             ticket: Secret(<redacted>), host: Some(\"a.example.com\") }"
        );
        assert!(!shown.contains("ticket-1") && !shown.contains("hunter2") && !shown.contains("base-url-secret"));
        assert!(!shown.contains("Mutex") && !shown.contains("State"), "{shown}");
    }

    #[test]
    fn a_redirect_moves_the_session_and_its_calls_to_the_other_server() {
        let mut client = Fake::new("https://a.example.com");
        client.redirect = Some(" https://b.example.com/ ".to_owned());

        let session = authenticate(&client).unwrap();

        assert_eq!(session.base_url(), "https://b.example.com");
        assert_eq!(session.ticket().expose(), "ticket-2", "the ticket of the second server");
        client.invalid.lock().unwrap().push(true);
        send(&session, &client).unwrap();
        assert_eq!(
            client.log(),
            [
                "authenticate https://a.example.com ada",
                "authenticate https://b.example.com ada",
                "call https://b.example.com ticket-2",
                // Authenticating again starts over at the client's server and follows it again.
                "authenticate https://a.example.com ada",
                "authenticate https://b.example.com ada",
                "call https://b.example.com ticket-4",
            ]
        );
    }

    #[test]
    fn a_blank_redirect_is_none_and_a_refused_one_sends_nothing_there() {
        let mut client = Fake::new("https://a.example.com");
        client.redirect = Some("  ".to_owned());
        assert_eq!(authenticate(&client).unwrap().base_url(), "https://a.example.com");

        let mut client = Fake::new("https://a.example.com");
        client.redirect = Some("https://evil.test/".to_owned());
        let error = authenticate(&client).expect_err("refused");
        assert!(matches!(
            error,
            Error::Session(SessionError::RedirectRefused { rule: RedirectRule::HostNotAllowed { .. }, .. })
        ));
        assert_eq!(client.log(), ["authenticate https://a.example.com ada"]);
    }

    #[test]
    fn an_answer_without_a_ticket_is_no_session() {
        struct NoTicket;
        impl SessionProtocol for NoTicket {
            type Client = Fake;
            type Credentials = Credentials;
            type Answer = Answer;
            type Failure = Failure;
            async fn authenticate(_: &Fake, _: &str, _: &Credentials) -> Result<Response<Answer>, Error<Failure>> {
                Ok(response(Answer { ticket: Some(Secret::new(" ")), redirect: None }))
            }
            fn base_url(client: &Fake) -> &str {
                &client.base_url
            }
            fn ticket(answer: &Answer) -> Option<&Secret> {
                answer.ticket.as_ref()
            }
            fn is_session_invalid(_: &Failure) -> bool {
                false
            }
        }
        let client = Fake::new("https://a.example.com");
        let error = ready(Session::<NoTicket>::authenticate(&client, credentials())).expect_err("blank ticket");
        assert!(matches!(error, Error::Session(SessionError::NoTicket)));
    }
}
