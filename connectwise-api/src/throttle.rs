//! The client-side throttle: a request rate and a cap on requests in flight.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{Error, Result};

/// Settings of the client-side throttle.
///
/// The default, 600 requests a minute with at most 4 in flight, stays well below the
/// 1,000 a minute above which ConnectWise warns that it throttles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Requests allowed per minute.
    pub per_minute: u32,
    /// Requests allowed at the same time.
    pub max_in_flight: usize,
}

impl Default for Throttle {
    fn default() -> Self {
        Self {
            per_minute: 600,
            max_in_flight: 4,
        }
    }
}

/// A running throttle shared by the clones of one client.
pub(crate) struct Throttler {
    limiter: DefaultDirectRateLimiter,
    in_flight: Arc<Semaphore>,
    settings: Throttle,
}

impl Throttler {
    pub(crate) fn new(settings: Throttle) -> Result<Self> {
        let invalid = |reason: &str| Error::Config {
            field: "throttle".to_owned(),
            reason: reason.to_owned(),
        };
        let per_minute = NonZeroU32::new(settings.per_minute)
            .ok_or_else(|| invalid("per_minute must be > 0"))?;
        if settings.max_in_flight == 0 {
            return Err(invalid("max_in_flight must be > 0"));
        }
        // NB: a small burst keeps any 60 s window close to `per_minute` requests.
        let burst = NonZeroU32::new(settings.per_minute.min(10)).unwrap_or(per_minute);
        let quota = Quota::per_minute(per_minute).allow_burst(burst);
        Ok(Self {
            limiter: RateLimiter::direct(quota),
            in_flight: Arc::new(Semaphore::new(settings.max_in_flight)),
            settings,
        })
    }

    /// Waits for a slot; the permit frees it when dropped.
    pub(crate) async fn acquire(&self) -> Option<OwnedSemaphorePermit> {
        let permit = Arc::clone(&self.in_flight).acquire_owned().await.ok();
        self.limiter.until_ready().await;
        permit
    }
}

impl fmt::Debug for Throttler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Throttler")
            .field("settings", &self.settings)
            .finish()
    }
}
