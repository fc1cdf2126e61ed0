//! Ready clients pointed at a running fake.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;

use super::clock::FakeClock;
use super::server::FakeAssetPanda;
use crate::{Client, ClientBuilder, Clock, RetryPolicy};

/// A manual fake clock never sleeps: a client's wait moves it forward and returns at once,
/// so retry waits and the fake's rate-limit window pass without real time. The system
/// clock really sleeps.
impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        FakeClock::now(self)
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        if self.is_manual() {
            self.advance(duration);
            Box::pin(async {})
        } else {
            Box::pin(tokio::time::sleep(duration))
        }
    }
}

impl FakeAssetPanda {
    /// A client builder pointed at the fake: its URL, plain HTTP allowed, throttle off,
    /// the fake's clock for retry waits, retry backoff shortened to milliseconds (as the
    /// ConnectWise fake's), and the static bearer token. Change what a test needs
    /// (credentials, retry policy, timeouts) before `build()`.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(self.uri())
            .allow_insecure_http(true)
            .throttle(None)
            .clock(Arc::new(self.clock()))
            .retry_policy(RetryPolicy {
                backoff_base: Duration::from_millis(1),
                backoff_cap: Duration::from_millis(20),
                ..RetryPolicy::default()
            })
            .token(self.token())
    }

    /// [`FakeAssetPanda::client_builder`] with the v3 e-mail and password login instead of
    /// the static token.
    pub fn v3_login_client_builder(&self) -> ClientBuilder {
        self.client_builder()
            .v3_login(self.email(), self.password())
    }

    /// [`FakeAssetPanda::client_builder`] with the v2 login (client id, secret, e-mail and
    /// password) instead of the static token.
    pub fn v2_login_client_builder(&self) -> ClientBuilder {
        let (id, secret) = (self.client_id(), self.client_secret());
        self.client_builder()
            .v2_login(id, secret, self.email(), self.password())
    }

    /// A ready client with the static bearer token (see [`FakeAssetPanda::client_builder`]),
    /// as the ConnectWise fake's `client()` gives one.
    pub fn client(&self) -> crate::Result<Client> {
        self.client_builder().build()
    }
}
