//! Walking the pages of a paginated operation: which page to ask for next, when to stop, and a `Stream` of items.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;

use super::error::{DecodeError, Error};

/// How an operation's pages are addressed (from the spec's `pagination.style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// A page number (`pageNumber`) and a page size (`pageSize`); `first` is the number of the
    /// first page (usually 1).
    PageNumber {
        /// The number of the first page.
        first: i64,
    },
    /// An item offset (`skip`, `offset`) and a page size (`top`, `limit`), the offset starting at 0.
    OffsetLimit,
    /// A cursor each page gives for the next one (`nextPageToken` → `pageToken`); a page
    /// without one is the last, whatever its length.
    Cursor,
}

/// What one page request sends: the page number, the offset or the cursor, and the page size
/// (`None` leaves the server's default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// The page number, or the offset of the page's first item (0 for the cursor style).
    pub position: i64,
    /// The cursor style's cursor (`None` for the first page).
    pub cursor: Option<String>,
    /// The page size to ask for.
    pub size: Option<i64>,
}

/// One page as read: its items and, for the cursor style, the next page's cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The cursor of the next page; `None` (or empty) on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page of a number or offset style, which carries no cursor.
    pub fn items(items: Vec<T>) -> Self {
        Page { items, next_cursor: None }
    }
}

/// Which page comes next, and whether the last one has been read.
///
/// A page shorter than the page size that was asked for is the last one; so is an empty page
/// (the only stop signal when no page size is known). The size asked for is capped at the
/// operation's maximum page size: a server that silently caps it would otherwise return pages
/// "short" of the requested size, and the walk would stop after the first one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    style: PageStyle,
    next: Option<PageRequest>,
}

impl Pager {
    /// Starts at `start` (the builder's page number or offset, else the first page) with the
    /// builder's page size, else `max_size`.
    pub fn new(style: PageStyle, start: Option<i64>, size: Option<i64>, max_size: Option<i64>) -> Self {
        let first = match style {
            PageStyle::PageNumber { first } => first,
            PageStyle::OffsetLimit | PageStyle::Cursor => 0,
        };
        let size = match (size, max_size) {
            (Some(size), Some(max)) => Some(size.min(max)),
            (size, max) => size.or(max),
        };
        Pager { style, next: Some(PageRequest { position: start.unwrap_or(first), cursor: None, size }) }
    }

    /// A cursor walk from `start` (the builder's cursor, else none: the first page).
    pub fn cursor(start: Option<String>, size: Option<i64>, max_size: Option<i64>) -> Self {
        let mut pager = Pager::new(PageStyle::Cursor, None, size, max_size);
        if let Some(next) = pager.next.as_mut() {
            next.cursor = start;
        }
        pager
    }

    /// The page to ask for, or `None` once the last page has been read.
    pub fn next_request(&self) -> Option<PageRequest> {
        self.next.clone()
    }

    /// Records that the page just asked for held `received` items and gave `next_cursor`.
    /// Returns `false` when the walk cannot go on sensibly: the server gave back the cursor it
    /// was sent, so the next page would be this one again.
    pub fn advance(&mut self, received: usize, next_cursor: Option<String>) -> bool {
        let Some(current) = self.next.take() else { return true };
        if self.style == PageStyle::Cursor {
            let next_cursor = next_cursor.filter(|cursor| !cursor.is_empty());
            if next_cursor.is_some() && next_cursor == current.cursor {
                return false;
            }
            // A cursor page may be short or even empty; only a missing cursor ends the walk.
            self.next = next_cursor.map(|cursor| PageRequest { cursor: Some(cursor), ..current });
            return true;
        }
        let received = i64::try_from(received).unwrap_or(i64::MAX);
        let short = current.size.is_some_and(|size| received < size);
        if received == 0 || short {
            return true;
        }
        let position = match self.style {
            PageStyle::PageNumber { .. } => current.position.checked_add(1),
            // Items received, not the size asked for: a server that sends fewer than asked
            // (but more than none, without a known size) must not make the walk skip any.
            PageStyle::OffsetLimit | PageStyle::Cursor => current.position.checked_add(received),
        };
        self.next = position.map(|position| PageRequest { position, ..current });
        true
    }

    /// Ends the walk (after an error).
    pub fn stop(&mut self) {
        self.next = None;
    }
}

/// A page number, offset or size set on a builder, widened for the [`Pager`].
pub fn page_value<T: Into<i64>>(value: T) -> i64 {
    value.into()
}

/// A page number, offset or size as the parameter's integer type; a value that does not fit
/// (a page number past `i32::MAX`) is an error rather than a wrapped value.
pub fn page_param<T: TryFrom<i64>, E>(value: i64, name: &str) -> Result<T, Error<E>> {
    T::try_from(value)
        .map_err(|_| Error::InvalidRequest(format!("page parameter `{name}` = {value} does not fit its type")))
}

/// The error for a page answered with a success status that carries no items (say `202
/// Accepted` when the server chose to run the request in the background).
pub fn no_items<E>(status: u16) -> Error<E> {
    Error::Decode(DecodeError {
        status: reqwest::StatusCode::from_u16(status).unwrap_or(reqwest::StatusCode::OK),
        path: ".".to_owned(),
        message: format!("a page was answered with status {status}, which carries no items"),
        body: String::new(),
    })
}

/// One page's items, being fetched.
pub type PageFuture<'a, T, E> = Pin<Box<dyn Future<Output = Result<Page<T>, Error<E>>> + Send + 'a>>;

/// The items of every page, fetched one page at a time as the stream is read; ends after the
/// last page, or after yielding the error of a page that failed.
pub fn paginate<'a, T, E, F>(pager: Pager, fetch: F) -> Pages<'a, T, E, F>
where
    F: FnMut(PageRequest) -> PageFuture<'a, T, E>,
{
    Pages { pager, fetch, pending: None, items: VecDeque::new(), previous_first: None }
}

/// The stream [`paginate`] returns.
pub struct Pages<'a, T, E, F> {
    pager: Pager,
    fetch: F,
    pending: Option<PageFuture<'a, T, E>>,
    items: VecDeque<T>,
    /// The first item of the last page: a server that ignores the page parameter answers every
    /// page with the same items, and without this check the walk would never end.
    previous_first: Option<T>,
}

impl<T, E, F> std::fmt::Debug for Pages<'_, T, E, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("next", &self.pager.next).field("buffered", &self.items.len()).finish()
    }
}

// Every field is `Unpin`: the page future is boxed.
impl<T, E, F> Unpin for Pages<'_, T, E, F> {}

impl<'a, T, E, F> Stream for Pages<'a, T, E, F>
where
    T: Clone + PartialEq,
    F: FnMut(PageRequest) -> PageFuture<'a, T, E>,
{
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.pending.is_none() {
                let Some(request) = this.pager.next_request() else { return Poll::Ready(None) };
                this.pending = Some((this.fetch)(request));
            }
            let Some(pending) = this.pending.as_mut() else { return Poll::Ready(None) };
            let page = match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(page) => page,
            };
            this.pending = None;
            match page {
                Ok(Page { items, next_cursor }) => {
                    let first = items.first().cloned();
                    let repeated = first.is_some() && first == this.previous_first;
                    if repeated || !this.pager.advance(items.len(), next_cursor) {
                        this.pager.stop();
                        return Poll::Ready(Some(Err(repeated_page())));
                    }
                    this.previous_first = first;
                    this.items.extend(items);
                }
                Err(error) => {
                    this.pager.stop();
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

/// The error for a page that starts with the same item as the page before it, or gives back the
/// cursor it was asked with.
fn repeated_page<E>() -> Error<E> {
    Error::Decode(DecodeError {
        status: reqwest::StatusCode::OK,
        path: ".".to_owned(),
        message: "a page repeats the one before it (the same first item, or the same cursor): the server seems to \
                  ignore the page parameter, so the walk stops instead of reading the same page forever"
            .to_owned(),
        body: String::new(),
    })
}

/// Reads a stream of items to its end, stopping at the first error.
pub async fn collect_all<T, E, S>(stream: S) -> Result<Vec<T>, Error<E>>
where
    S: Stream<Item = Result<T, Error<E>>>,
{
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        items.push(item?);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn requests(mut pager: Pager, pages: &[usize]) -> Vec<PageRequest> {
        let mut seen = Vec::new();
        for &received in pages {
            let Some(request) = pager.next_request() else { break };
            seen.push(request);
            assert!(pager.advance(received, None));
        }
        assert_eq!(pager.next_request(), None, "the walk should have ended");
        seen
    }

    #[test]
    fn page_numbers_stop_at_a_short_page() {
        let pager = Pager::new(PageStyle::PageNumber { first: 1 }, None, Some(2), None);
        let seen = requests(pager, &[2, 2, 1]);
        let numbers: Vec<i64> = seen.iter().map(|r| r.position).collect();
        assert_eq!(numbers, [1, 2, 3]);
        assert!(seen.iter().all(|r| r.size == Some(2)));
    }

    #[test]
    fn an_empty_page_ends_the_walk_without_a_size() {
        let pager = Pager::new(PageStyle::PageNumber { first: 0 }, None, None, None);
        let seen = requests(pager, &[5, 3, 0]);
        assert_eq!(seen.iter().map(|r| r.position).collect::<Vec<_>>(), [0, 1, 2]);
        assert!(seen.iter().all(|r| r.size.is_none()));
    }

    #[test]
    fn the_size_is_capped_at_the_maximum_and_defaults_to_it() {
        let capped = Pager::new(PageStyle::PageNumber { first: 1 }, Some(4), Some(500), Some(100));
        assert_eq!(capped.next_request(), Some(PageRequest { position: 4, cursor: None, size: Some(100) }));
        let default = Pager::new(PageStyle::OffsetLimit, None, None, Some(100));
        assert_eq!(default.next_request(), Some(PageRequest { position: 0, cursor: None, size: Some(100) }));
    }

    #[test]
    fn offsets_advance_by_the_items_received() {
        let pager = Pager::new(PageStyle::OffsetLimit, Some(10), Some(3), None);
        let seen = requests(pager, &[3, 3, 0]);
        assert_eq!(seen.iter().map(|r| r.position).collect::<Vec<_>>(), [10, 13, 16]);
    }

    #[test]
    fn a_cursor_walk_follows_the_cursors_through_short_and_empty_pages_until_there_is_none() {
        let mut pager = Pager::cursor(None, Some(10), None);
        let mut sent = Vec::new();
        let answers = [(3, Some("c2")), (0, Some("c3")), (10, Some("")), (1, None)];
        for (received, next) in answers {
            let Some(request) = pager.next_request() else { break };
            sent.push(request.cursor.clone());
            assert_eq!(request.size, Some(10));
            assert!(pager.advance(received, next.map(str::to_owned)));
        }
        // An empty cursor is no cursor: the third page was the last.
        assert_eq!(sent, [None, Some("c2".to_owned()), Some("c3".to_owned())]);
        assert_eq!(pager.next_request(), None);

        let mut started = Pager::cursor(Some("from-here".to_owned()), None, None);
        assert_eq!(started.next_request().unwrap().cursor.as_deref(), Some("from-here"));
        assert!(!started.advance(2, Some("from-here".to_owned())), "the same cursor again cannot go on");
    }

    #[test]
    fn page_params_that_do_not_fit_are_errors() {
        assert_eq!(page_param::<i32, ()>(7, "p").ok(), Some(7));
        let error = page_param::<i32, ()>(i64::from(i32::MAX) + 1, "pageNumber").unwrap_err();
        assert!(error.to_string().contains("`pageNumber` = 2147483648"), "{error}");
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        // The page futures below are ready at once, so a no-op waker is enough.
        let mut future = std::pin::pin!(future);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
        }
    }

    #[test]
    fn the_stream_yields_every_item_then_ends_or_ends_after_an_error() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let pager = Pager::new(PageStyle::PageNumber { first: 1 }, None, Some(2), None);
        let stream = paginate(pager, move |request: PageRequest| -> PageFuture<'static, i64, ()> {
            log.lock().unwrap().push(request.position);
            Box::pin(async move {
                match request.position {
                    1 => Ok(Page::items(vec![1, 2])),
                    2 => Ok(Page::items(vec![3, 4])),
                    _ => Err(Error::InvalidRequest("page 3 failed".to_owned())),
                }
            })
        });
        let mut stream = std::pin::pin!(stream);
        let mut seen = Vec::new();
        while let Some(item) = block_on(std::future::poll_fn(|cx| stream.as_mut().poll_next(cx))) {
            seen.push(item.map_err(|error| error.to_string()));
        }
        assert_eq!(seen, [Ok(1), Ok(2), Ok(3), Ok(4), Err("invalid request: page 3 failed".to_owned())]);
        assert_eq!(*asked.lock().unwrap(), [1, 2, 3]);

        // A server that ignores the page number: the second page repeats the first, and the walk ends.
        let pager = Pager::new(PageStyle::PageNumber { first: 1 }, None, Some(2), None);
        let stream = paginate(pager, |_: PageRequest| -> PageFuture<'static, i64, ()> {
            Box::pin(async { Ok(Page::items(vec![7, 8])) })
        });
        let repeated = block_on(collect_all(stream)).unwrap_err().to_string();
        assert!(repeated.contains("ignore the page parameter"), "{repeated}");

        let pager = Pager::new(PageStyle::OffsetLimit, None, Some(2), None);
        let all = block_on(collect_all(paginate(pager, |request: PageRequest| -> PageFuture<'static, i64, ()> {
            Box::pin(async move { Ok(Page::items((request.position..(request.position + 2).min(5)).collect())) })
        })));
        assert_eq!(all.ok(), Some(vec![0, 1, 2, 3, 4]));
    }
}
