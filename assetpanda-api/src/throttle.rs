//! Client-side limit on the number of calls in any time window.
//!
//! Asset Panda allows 400 calls per three minutes per IP address. The client keeps under
//! a smaller budget by itself (default 360 calls in any 180 s window) with a GCRA limiter
//! from `governor`. A GCRA limiter with burst `b` and emission interval `T` lets through
//! at most `b + ⌊W / T⌋` calls in any window of length `W`; the interval is chosen so that
//! this never exceeds the budget.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::error::{Error, Result};

/// Budget of the throttle: at most `max_calls` in any window of length `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// Most calls allowed in any window (default 360).
    pub max_calls: u32,
    /// Length of the window (default 180 s).
    pub window: Duration,
    /// Calls that may go out at once before the steady rate applies (default a tenth of
    /// `max_calls`, at least 1); must be below `max_calls` unless both are 1.
    pub burst: u32,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self::new(360, Duration::from_secs(180))
    }
}

impl ThrottleConfig {
    /// A budget of `max_calls` in any `window`, with the default burst.
    pub fn new(max_calls: u32, window: Duration) -> Self {
        Self {
            max_calls,
            window,
            burst: (max_calls / 10).max(1),
        }
    }

    /// Sets the burst.
    pub fn with_burst(mut self, burst: u32) -> Self {
        self.burst = burst;
        self
    }

    /// The GCRA emission interval: `window / (max_calls − burst)`, rounded up, so that
    /// `burst + window / interval ≤ max_calls`.
    pub fn interval(&self) -> Result<Duration> {
        if self.max_calls == 0 || self.burst == 0 || self.window.is_zero() {
            return Err(Error::config(
                "throttle: max_calls, burst and window must all be above zero",
            ));
        }
        if self.burst > self.max_calls {
            return Err(Error::config(format!(
                "throttle: burst {} exceeds max_calls {}",
                self.burst, self.max_calls
            )));
        }

        let steady = self.max_calls - self.burst;
        if steady == 0 {
            // NB: a burst equal to the budget refills only after a whole window.
            return Ok(self.window + Duration::from_nanos(1));
        }
        let nanos = self.window.as_nanos().div_ceil(u128::from(steady));
        Ok(Duration::from_nanos(
            u64::try_from(nanos).unwrap_or(u64::MAX),
        ))
    }
}

/// A shared call budget. Clones share one limiter, so every client built with the same
/// `Throttle` counts against the same budget (the vendor counts per IP address).
#[derive(Clone)]
pub struct Throttle {
    limiter: Arc<DefaultDirectRateLimiter>,
    config: ThrottleConfig,
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Throttle")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Throttle {
    /// Builds a throttle for the budget, or a `Config` error when the budget is invalid.
    pub fn new(config: ThrottleConfig) -> Result<Self> {
        let interval = config.interval()?;
        let burst = NonZeroU32::new(config.burst)
            .ok_or_else(|| Error::config("throttle: burst must be above zero"))?;
        let quota = Quota::with_period(interval)
            .ok_or_else(|| Error::config("throttle: the window is too short"))?
            .allow_burst(burst);

        Ok(Self {
            limiter: Arc::new(RateLimiter::direct(quota)),
            config,
        })
    }

    /// The budget this throttle keeps.
    pub fn config(&self) -> ThrottleConfig {
        self.config
    }

    /// Waits until one more call fits the budget, and counts it.
    pub async fn acquire(&self) {
        self.limiter.until_ready().await;
    }
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new(ThrottleConfig::default())
            .unwrap_or_else(|_| unreachable!("the default throttle budget is valid"))
    }
}
