//! The client-side throttle: requests in flight are capped.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use connectwise_api::{Client, Site, Throttle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

use crate::support::CLIENT_ID;

#[derive(Default)]
struct Seen {
    active: AtomicUsize,
    most: AtomicUsize,
    changed: Notify,
}

/// Holds each request until a second one is in flight (or 200 ms pass), then answers.
async fn handle(mut socket: TcpStream, seen: Arc<Seen>) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let now = seen.active.fetch_add(1, Ordering::SeqCst) + 1;
    seen.most.fetch_max(now, Ordering::SeqCst);
    seen.changed.notify_waiters();
    let wait_for_company = async {
        while seen.active.load(Ordering::SeqCst) < 2 {
            let notified = seen.changed.notified();
            if seen.active.load(Ordering::SeqCst) >= 2 {
                break;
            }
            notified.await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_millis(200), wait_for_company).await;
    let reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\
                 Connection: close\r\n\r\n{\"id\": 1}";
    let _ = socket.write_all(reply.as_bytes()).await;
    seen.active.fetch_sub(1, Ordering::SeqCst);
}

async fn most_in_flight(throttle: Option<Throttle>) -> usize {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let server_seen = seen.clone();
    let server = tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(handle(socket, server_seen.clone()));
        }
    });
    let client = Client::builder()
        .company("examplemsp")
        .public_key("PUBKEY")
        .private_key("PRIVKEY")
        .client_id(CLIENT_ID)
        .site(Site::Url(format!("http://{address}").parse().unwrap()))
        .allow_insecure_http(true)
        .throttle(throttle)
        .build()
        .unwrap();
    let (a, b) = tokio::join!(
        client.get_json("/system/info"),
        client.get_json("/system/info")
    );
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
    server.abort();
    seen.most.load(Ordering::SeqCst)
}

#[tokio::test]
async fn the_throttle_caps_requests_in_flight() {
    let capped = Throttle {
        per_minute: 600,
        max_in_flight: 1,
    };
    assert_eq!(most_in_flight(Some(capped)).await, 1);
    assert_eq!(
        most_in_flight(None).await,
        2,
        "without the throttle both run at once"
    );
}
