//! Serving [`FakeState`] on a loopback port: through wiremock, or through a small hyper
//! server when the fault plan needs control of the connection itself.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::task::{JoinHandle, JoinSet};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

use super::response::FakeRequest;
use super::state::{Delivery, FakeState};

/// A running server. Dropping it stops the server.
pub(crate) enum Running {
    /// Served by wiremock; the server stops when this is dropped.
    Wiremock { _server: MockServer },
    /// Served by the hyper loop in this task.
    Socket(JoinHandle<()>),
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Running::Socket(task) = self {
            task.abort();
        }
    }
}

/// Serves `state` through wiremock on `listener`.
pub(crate) async fn start_wiremock(listener: std::net::TcpListener, state: FakeState) -> Running {
    let server = MockServer::builder()
        .listener(listener)
        .disable_request_recording()
        .start()
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(Responder(state))
        .mount(&server)
        .await;
    Running::Wiremock { _server: server }
}

struct Responder(FakeState);

impl Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let req = FakeRequest {
            method: request.method.clone(),
            path: request.url.path().to_owned(),
            query: request.url.query().map(str::to_owned),
            headers: request.headers.clone(),
            body: Bytes::from(request.body.clone()),
        };
        let reply = self.0.respond(&req);

        let mut template = ResponseTemplate::new(reply.response.status.as_u16());
        for (name, value) in &reply.response.headers {
            template = template.append_header(name.as_str(), value.as_str());
        }
        let mut body = reply.response.body;
        match reply.delivery {
            Delivery::Delayed(wait) => template = template.set_delay(wait),
            // NB: wiremock always sends a matching Content-Length, so a cut-off body is
            // syntactically broken JSON of the announced length. The socket server is
            // chosen whenever the plan holds a fault that needs a real cut.
            Delivery::Truncated | Delivery::Dropped => body.truncate(body.len() / 2),
            Delivery::Normal => {}
        }
        template.set_body_bytes(body)
    }
}

/// Serves `state` with hyper on `listener` until the returned task is aborted.
pub(crate) fn start_socket(listener: tokio::net::TcpListener, state: FakeState) -> Running {
    let task = tokio::spawn(async move {
        // NB: the connections live in this set, so aborting the accept loop ends them too.
        let mut connections = JoinSet::new();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                // Out of descriptors, say: back off instead of spinning.
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            };
            let state = state.clone();
            connections.spawn(async move {
                let service = service_fn(move |req| answer(state.clone(), req));
                // A connection that breaks is what some faults are for; nothing to report.
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
            while connections.try_join_next().is_some() {}
        }
    });
    Running::Socket(task)
}

async fn answer(
    state: FakeState,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<FakeBody>, io::Error> {
    let (parts, mut incoming) = req.into_parts();
    let mut body = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut incoming).poll_frame(cx)).await
    {
        let frame = frame.map_err(io::Error::other)?;
        if let Some(data) = frame.data_ref() {
            body.extend_from_slice(data);
        }
    }
    let request = FakeRequest {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: Bytes::from(body),
    };
    let reply = state.respond(&request);

    let mut builder = hyper::Response::builder().status(reply.response.status);
    for (name, value) in &reply.response.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let full = reply.response.body;
    let len = full.len();
    let body = match reply.delivery {
        Delivery::Dropped => {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "fault: dropped",
            ))
        }
        Delivery::Delayed(wait) => {
            tokio::time::sleep(wait).await;
            FakeBody::whole(full)
        }
        Delivery::Truncated => {
            builder = builder.header("content-length", len.to_string());
            FakeBody::cut(full[..len / 2].to_vec())
        }
        Delivery::Normal => FakeBody::whole(full),
    };
    builder.body(body).map_err(io::Error::other)
}

/// A body sent in one piece, optionally followed by an error that breaks the connection.
pub(crate) struct FakeBody {
    data: Option<Bytes>,
    fail: bool,
    len: u64,
}

impl FakeBody {
    fn whole(data: Vec<u8>) -> FakeBody {
        FakeBody {
            len: data.len() as u64,
            data: Some(Bytes::from(data)),
            fail: false,
        }
    }

    fn cut(data: Vec<u8>) -> FakeBody {
        FakeBody {
            len: data.len() as u64,
            data: Some(Bytes::from(data)),
            fail: true,
        }
    }
}

impl Body for FakeBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if let Some(data) = self.data.take().filter(|d| !d.is_empty()) {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if std::mem::take(&mut self.fail) {
            let cut = io::Error::new(io::ErrorKind::ConnectionAborted, "fault: body cut off");
            return Poll::Ready(Some(Err(cut)));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.fail
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        if self.fail {
            hyper::body::SizeHint::default()
        } else {
            hyper::body::SizeHint::with_exact(self.len)
        }
    }
}
