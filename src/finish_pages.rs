//! A page whose client goes away is still rendered to its end.
//!
//! leptos cleans up a render (its reactive owner, its resources and the
//! tasks that load them) only when the HTML stream has been sent to the
//! end (`leptos_integration_utils`: the stream's last item calls
//! `unset_with_forced_cleanup`). When the client goes away first — a closed
//! tab, a dropped mobile connection, a load generator stopping — the
//! response future or its body is dropped before that, and the render
//! stays in memory for good: each resource's task waits for a notification
//! that can no longer come, and holds a child owner whose shared context
//! holds the resource, which holds the task's channel. Cleaning the root
//! owner up does not break that cycle (tried: 194 of 194 cut-off renders
//! cleaned up, the live tokio tasks still grew from 13 to 222). Measured on
//! the release build: 150 rounds of 25 catalog requests cut off mid-flight
//! grew the server's RSS by 158 MB, and the 20-minute soak by about
//! 1.25 MB a minute from the 25 requests wrk cuts off at the end of each
//! 10-s round.
//!
//! So [`layer`] runs each GET in a task of its own, and whatever a client
//! leaves unread of an HTML page — the whole response, or the rest of its
//! body — is read to the end in the background (at most [`FINISH_WITHIN`]),
//! which lets leptos clean the render up as it does for every completed
//! page. The work was already started; finishing it costs what a completed
//! request costs. Other answers (a video cut off mid-way, a PDF) are
//! dropped as before: reading the rest of a file would be waste.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use http_body::{Frame, SizeHint};

/// The longest a render nobody reads any more is given to finish.
pub const FINISH_WITHIN: Duration = Duration::from_secs(30);

/// Middleware: a GET is answered from a task of its own, and what its
/// client does not read is read to the end in the background.
pub async fn layer(request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let (mut answer, answered) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let run = next.run(request);
        tokio::pin!(run);
        // A page is given FINISH_WITHIN once its client has gone.
        let response = tokio::select! {
            response = &mut run => response,
            () = async {
                answer.closed().await;
                tokio::time::sleep(FINISH_WITHIN).await;
            } => {
                tracing::warn!("a page nobody waits for did not finish within {} s", FINISH_WITHIN.as_secs());
                return;
            }
        };
        // The client went away before the answer: read a page anyway.
        if let Err(response) = answer.send(response)
            && is_page(&response)
        {
            finish(response.into_body()).await;
        }
    });
    match answered.await {
        Ok(response) if is_page(&response) => {
            response.map(|body| Body::new(Finished { body: Some(body), ended: false }))
        }
        Ok(response) => response,
        Err(_) => {
            tracing::error!("a page's task ended without an answer");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Whether `response` is an HTML page (what leptos renders).
fn is_page(response: &Response) -> bool {
    response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

/// Reads `body` to its end, for at most [`FINISH_WITHIN`].
async fn finish(body: Body) {
    let mut data = body.into_data_stream();
    let read = async { while let Some(Ok(_)) = data.next().await {} };
    if tokio::time::timeout(FINISH_WITHIN, read).await.is_err() {
        tracing::warn!("a page nobody reads did not finish within {} s", FINISH_WITHIN.as_secs());
    }
}

/// A response body that, dropped before its end, is read to the end in the
/// background; otherwise the body it wraps (size and end of stream included).
struct Finished {
    body: Option<Body>,
    ended: bool,
}

impl http_body::Body for Finished {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let Some(body) = self.body.as_mut() else { return Poll::Ready(None) };
        let frame = Pin::new(body).poll_frame(cx);
        if matches!(frame, Poll::Ready(None)) {
            self.ended = true;
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.body.as_ref().is_none_or(http_body::Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.body.as_ref().map(http_body::Body::size_hint).unwrap_or_default()
    }
}

impl Drop for Finished {
    fn drop(&mut self) {
        if let Some(body) = self.body.take().filter(|body| !self.ended && !http_body::Body::is_end_stream(body)) {
            // Dropped outside a runtime only in tests that never read a body.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(finish(body));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use axum::Router;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    const PAGE: &str = "text/html; charset=utf-8";

    /// A page as leptos streams it: a first chunk at once, the rest later,
    /// and its clean-up as the stream's last item.
    fn app(cleaned: Arc<AtomicBool>, with_layer: bool, content_type: &'static str) -> Router {
        let page = move || {
            let cleaned = cleaned.clone();
            async move {
                let first = futures::stream::once(async { Ok::<_, std::io::Error>(Bytes::from("<html>")) });
                let rest = futures::stream::once(async {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok(Bytes::from("</html>"))
                });
                let clean_up = futures::stream::once(async move {
                    cleaned.store(true, Ordering::SeqCst);
                    Ok(Bytes::new())
                });
                (
                    [(axum::http::header::CONTENT_TYPE, content_type)],
                    Body::from_stream(first.chain(rest).chain(clean_up)),
                )
            }
        };
        let app = Router::new().route("/", get(page));
        if with_layer { app.layer(axum::middleware::from_fn(layer)) } else { app }
    }

    /// Reads the first chunk of the page, then goes away.
    async fn read_a_little(app: Router) {
        let response = app.oneshot(Request::get("/").body(Body::empty()).unwrap()).await.unwrap();
        let mut data = response.into_body().into_data_stream();
        assert_eq!(data.next().await.unwrap().unwrap(), "<html>");
        drop(data);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    #[tokio::test]
    async fn a_page_whose_client_went_away_is_rendered_to_its_end() {
        let cleaned = Arc::new(AtomicBool::new(false));
        read_a_little(app(cleaned.clone(), false, PAGE)).await;
        assert!(!cleaned.load(Ordering::SeqCst), "without the layer the page stops where its client did");

        let cleaned = Arc::new(AtomicBool::new(false));
        read_a_little(app(cleaned.clone(), true, PAGE)).await;
        assert!(cleaned.load(Ordering::SeqCst), "the rest of the page was read in the background");
    }

    #[tokio::test]
    async fn a_file_whose_client_went_away_is_not_read_further() {
        let cleaned = Arc::new(AtomicBool::new(false));
        read_a_little(app(cleaned.clone(), true, "video/webm")).await;
        assert!(!cleaned.load(Ordering::SeqCst));
    }

    #[tokio::test]
    async fn a_page_read_to_the_end_is_served_as_it_was() {
        let cleaned = Arc::new(AtomicBool::new(false));
        let response =
            app(cleaned.clone(), true, PAGE).oneshot(Request::get("/").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(body, "<html></html>");
        assert!(cleaned.load(Ordering::SeqCst));
    }
}
