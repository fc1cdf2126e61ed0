//! No password, client secret or token in `Debug` output, error texts or logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use assetpanda_api::{Client, Credentials};
use serde_json::json;
use tracing::subscriber::DefaultGuard;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{builder, json, RecordingClock};

const SECRETS: [&str; 4] = [
    "pw-very-secret",
    "cs-very-secret",
    "tok-very-secret",
    "jwt-very-secret",
];

/// Log lines captured from the current thread.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures every log event of this thread, at every level, until the guard is dropped.
pub fn capture_logs() -> (Logs, DefaultGuard) {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}

fn assert_clean(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "`{secret}` leaked in: {text}");
    }
}

fn all_modes(server: &MockServer) -> Vec<Client> {
    let clock = RecordingClock::new();
    vec![
        builder(server, &clock)
            .token("tok-very-secret")
            .build()
            .unwrap(),
        builder(server, &clock)
            .v3_login("sync@example.com", "pw-very-secret")
            .build()
            .unwrap(),
        builder(server, &clock)
            .v2_login(
                "client-1",
                "cs-very-secret",
                "sync@example.com",
                "pw-very-secret",
            )
            .build()
            .unwrap(),
    ]
}

#[tokio::test]
async fn debug_of_clients_builders_and_credentials_holds_no_secret() {
    let server = MockServer::start().await;

    for client in all_modes(&server) {
        let text = format!("{client:?}");
        assert_clean(&text);
        assert!(text.contains("redacted"), "{text}");
    }
    let builder =
        Client::builder().v2_login("c", "cs-very-secret", "e@example.com", "pw-very-secret");
    assert_clean(&format!("{builder:?}"));
    assert_clean(&format!("{:?}", Credentials::token("tok-very-secret")));
}

#[tokio::test]
async fn login_failures_and_their_logs_hold_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/session/token"))
        .respond_with(json(200, json!({"jwt": "jwt-very-secret"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/session/token"))
        .respond_with(ResponseTemplate::new(500).set_body_raw("<html>oops</html>", "text/html"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json(401, json!({"message": "Token expired"})))
        .mount(&server)
        .await;
    let (logs, guard) = capture_logs();

    let mut errors = Vec::new();
    for client in all_modes(&server) {
        errors.push(client.groups().list().await.unwrap_err());
    }
    drop(guard);

    assert_eq!(errors.len(), 3);
    assert!(
        errors[2].to_string().contains("client id or secret"),
        "{}",
        errors[2]
    );
    for err in &errors {
        assert_clean(&format!("{err}"));
        assert_clean(&format!("{err:?}"));
    }
    assert_clean(&logs.text());
    assert!(
        logs.text().contains("assetpanda.request"),
        "{}",
        logs.text()
    );
}
