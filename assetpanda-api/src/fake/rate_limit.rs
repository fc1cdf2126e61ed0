//! The server-side call limit: at most N calls in any window, answered with 429.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// A limit of `max_calls` in any `window`, enforced per fake server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls allowed in any window.
    pub max_calls: u32,
    /// The window's length.
    pub window: Duration,
}

impl RateLimit {
    /// Asset Panda's documented limit: 400 calls per 3 minutes.
    pub fn asset_panda() -> Self {
        RateLimit {
            max_calls: 400,
            window: Duration::from_secs(180),
        }
    }
}

/// The calls admitted within the current window.
#[derive(Debug)]
pub(crate) struct Limiter {
    pub(crate) limit: RateLimit,
    admitted: VecDeque<DateTime<Utc>>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Limiter {
            limit,
            admitted: VecDeque::new(),
        }
    }

    /// Admits a call at `now`, or gives the whole seconds until one would be admitted.
    // TODO: refused calls do not count against the window; whether the real server counts
    // them is not documented.
    pub(crate) fn admit(&mut self, now: DateTime<Utc>) -> Result<(), u64> {
        let window = chrono::Duration::from_std(self.limit.window).unwrap_or(chrono::Duration::MAX);
        while self
            .admitted
            .front()
            .is_some_and(|first| *first + window <= now)
        {
            self.admitted.pop_front();
        }
        if self.admitted.len() < self.limit.max_calls as usize {
            self.admitted.push_back(now);
            return Ok(());
        }
        let free_at = self.admitted.front().map_or(now, |first| *first + window);
        let millis = (free_at - now).num_milliseconds().max(0) as u64;
        Err(millis.div_ceil(1000).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_slides() {
        let start = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        let mut limiter = Limiter::new(RateLimit {
            max_calls: 2,
            window: Duration::from_secs(10),
        });
        assert_eq!(limiter.admit(start), Ok(()));
        assert_eq!(limiter.admit(start + chrono::Duration::seconds(4)), Ok(()));
        assert_eq!(limiter.admit(start + chrono::Duration::seconds(5)), Err(5));
        assert_eq!(limiter.admit(start + chrono::Duration::seconds(10)), Ok(()));
        assert_eq!(
            limiter.admit(start + chrono::Duration::milliseconds(10_500)),
            Err(4)
        );
    }
}
