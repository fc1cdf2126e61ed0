//! Request spans and events: method, path, attempt and status, and never a secret.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{client, json as json_response, API, CLIENT_ID};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn spans_name_method_path_attempt_and_status_without_secrets_or_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies/5")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies/5")))
        .respond_with(json_response(
            200,
            json!({"id": 5, "name": "SecretBodyText"}),
        ))
        .mount(&server)
        .await;
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (client, _) = client(&server);
    client.companies().get(5).await.unwrap();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("connectwise.request"), "{logs}");
    assert!(
        logs.contains("method=GET") && logs.contains("path=/company/companies/5"),
        "{logs}"
    );
    assert!(
        logs.contains("attempt=1") && logs.contains("attempt=2"),
        "{logs}"
    );
    assert!(
        logs.contains("status=503") && logs.contains("status=200"),
        "{logs}"
    );
    assert!(logs.contains("WARN"), "a retry is logged at warn: {logs}");
    for secret in [
        "PRIVKEY",
        "ZXhhbXBsZW1zcCtQVUJLRVk6UFJJVktFWQ",
        CLIENT_ID,
        "SecretBodyText",
    ] {
        assert!(!logs.contains(secret), "`{secret}` in logs: {logs}");
    }
}

#[test]
fn client_and_errors_are_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<connectwise_api::Client>();
    check::<connectwise_api::Error>();
    check::<connectwise_api::ListRequest<serde_json::Value>>();
    fn check_send<T: Send + 'static>() {}
    check_send::<connectwise_api::ItemStream<serde_json::Value>>();
}
