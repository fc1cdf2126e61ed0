//! Serving the core over HTTP: wiremock for most answers, a raw hyper server for broken
//! connections.

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;

use axum::body::Body;
use bytes::Bytes;
use futures::StreamExt;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

use super::core::FakeCore;
use super::reply::{FakeReply, FakeRequest, RawFault};

/// How the fake is served.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Transport {
    /// Wiremock, unless the fault plan drops or cuts connections; then raw (the default).
    #[default]
    Auto,
    /// A wiremock `MockServer` with a custom responder; cannot drop or cut connections.
    Wiremock,
    /// A small hyper server that can also drop a connection or cut a body short.
    Raw,
}

/// A running fake Asset Panda server on a loopback port.
///
/// It dereferences to [`FakeCore`], so the state, counters, faults and tokens are at hand:
/// `fake.objects(139300)`, `fake.counters()`, `fake.set_faults(..)`. Dropping it stops the
/// server.
///
/// ```no_run
/// # async fn demo() {
/// use assetpanda_api::fake::{FakeAssetPanda, GroupSpec};
///
/// let fake = FakeAssetPanda::builder()
///     .seed(7)
///     .group(GroupSpec::devices())
///     .group(GroupSpec::companies())
///     .start()
///     .await;
/// println!("Asset Panda at {} with token {}", fake.uri(), fake.token());
/// # }
/// ```
pub struct FakeAssetPanda {
    core: FakeCore,
    address: SocketAddr,
    uri: String,
    transport: Transport,
    // NB: held for its Drop, which stops the server.
    _running: Running,
}

/// The server that runs; each stops when dropped.
enum Running {
    Wiremock { _server: MockServer },
    Raw { _server: RawServer },
}

impl std::fmt::Debug for FakeAssetPanda {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeAssetPanda")
            .field("address", &self.address)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl Deref for FakeAssetPanda {
    type Target = FakeCore;

    fn deref(&self) -> &FakeCore {
        &self.core
    }
}

impl FakeAssetPanda {
    /// The base URL, `http://127.0.0.1:<port>` (no trailing slash); paths start with `/v3`.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The socket address served.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The transport in use (never `Auto`).
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The core, to clone and keep apart from the server.
    pub fn core(&self) -> &FakeCore {
        &self.core
    }

    pub(crate) async fn serve(
        core: FakeCore,
        listener: std::net::TcpListener,
        transport: Transport,
    ) -> std::io::Result<Self> {
        let address = listener.local_addr()?;
        let running = match transport {
            Transport::Raw => Running::Raw {
                _server: RawServer::start(core.clone(), listener)?,
            },
            Transport::Auto | Transport::Wiremock => {
                let server = MockServer::builder()
                    .listener(listener)
                    .disable_request_recording()
                    .start()
                    .await;
                Mock::given(wiremock::matchers::any())
                    .respond_with(Responder(core.clone()))
                    .mount(&server)
                    .await;
                Running::Wiremock { _server: server }
            }
        };
        let transport = match running {
            Running::Raw { .. } => Transport::Raw,
            Running::Wiremock { .. } => Transport::Wiremock,
        };
        core.lock().raw_transport = transport == Transport::Raw;
        Ok(FakeAssetPanda {
            core,
            address,
            uri: format!("http://{address}"),
            transport,
            _running: running,
        })
    }
}

/// The wiremock responder: every request goes to the core.
struct Responder(FakeCore);

impl Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let request = FakeRequest {
            method: request.method.clone(),
            path: request.url.path().to_owned(),
            query: request.url.query().map(str::to_owned),
            headers: request.headers.clone(),
            body: Bytes::from(request.body.clone()),
        };
        let reply = self.0.handle(&request);
        // NB: raw faults never reach here: a plan with them forces the raw transport.
        let mut template = ResponseTemplate::new(reply.status);
        for (name, value) in &reply.headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        template = template.set_body_raw(reply.body.to_vec(), reply.content_type);
        if let Some(delay) = reply.delay {
            template = template.set_delay(delay);
        }
        template
    }
}

/// The raw hyper server: its accept loop and connections stop when it is dropped.
struct RawServer {
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Why a connection was closed on purpose.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

impl RawServer {
    fn start(core: FakeCore, listener: std::net::TcpListener) -> std::io::Result<Self> {
        listener.set_nonblocking(true)?;
        let listener = TcpListener::from_std(listener)?;
        let core = Arc::new(core);
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of descriptors or similar: give the system a moment, then go on.
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                };
                let core = Arc::clone(&core);
                let service = hyper::service::service_fn(move |request| {
                    let core = Arc::clone(&core);
                    async move { answer(&core, request).await }
                });
                connections.spawn(async move {
                    let connection = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service);
                    // An error here is the fault injection's own doing or the client leaving.
                    let _ = connection.await;
                });
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(RawServer { task })
    }
}

/// Answers one request on the raw server.
async fn answer(
    core: &FakeCore,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Body>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(Body::new(body), usize::MAX)
        .await
        .map_err(|_| Dropped)?;
    let request = FakeRequest {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
    };
    let reply = core.handle(&request);
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    build_response(reply)
}

fn build_response(reply: FakeReply) -> Result<hyper::Response<Body>, Dropped> {
    let full_len = reply.body.len();
    let body = match reply.raw {
        Some(RawFault::DropConnection) => return Err(Dropped),
        Some(RawFault::CutBodyAt(at)) => {
            let head = reply.body.slice(..at.min(full_len));
            // NB: the pause lets hyper flush the head and the first bytes before the error
            // aborts the connection; without it nothing at all may reach the client.
            let head = futures::stream::once(async move { Ok::<_, Dropped>(head) });
            let cut = futures::stream::once(async {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                Err::<Bytes, _>(Dropped)
            });
            Body::from_stream(head.chain(cut))
        }
        None => Body::from(reply.body),
    };
    let mut response = hyper::Response::builder()
        .status(reply.status)
        .header(http::header::CONTENT_TYPE, reply.content_type)
        .header(http::header::CONTENT_LENGTH, full_len);
    for (name, value) in &reply.headers {
        response = response.header(name.as_str(), value.as_str());
    }
    response.body(body).map_err(|_| Dropped)
}
