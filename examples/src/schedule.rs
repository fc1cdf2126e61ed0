//! Runs on a schedule: `--every 1h` or a cron expression, never two runs at once, a failed
//! run logged and tried again at the next tick, and a clean stop on Ctrl-C.
//!
//! A fixed interval runs at once and then on ticks counted from the first start; a cron
//! expression (five fields, or six with seconds first) runs at its next match in local time.
//! A run that outlasts one or more ticks is followed by the next tick still ahead, never by
//! a burst of catch-up runs. The first Ctrl-C stops waiting, or lets a run in progress
//! finish and then stops; a second Ctrl-C abandons the run in progress.

use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Local, Utc};
use tokio::sync::watch;

use crate::exit::ExitStatus;

/// When to run.
#[derive(Debug, Clone)]
pub enum Schedule {
    /// A fixed interval, counted from the first start.
    Every(Duration),
    /// A cron expression, evaluated in local time.
    Cron(Box<cron::Schedule>),
}

/// A schedule that could not be read.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{text}` is neither an interval (like `1h` or `15m`) nor a cron expression \
     (like `0 2 * * *`): {reason}"
)]
pub struct ScheduleError {
    text: String,
    reason: String,
}

impl FromStr for Schedule {
    type Err = ScheduleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let fields = text.split_whitespace().count();
        let refuse = |reason: String| ScheduleError {
            text: text.to_owned(),
            reason,
        };

        if fields == 0 {
            return Err(refuse(
                "it is empty; give an interval (`1h`, `15m`) or a cron expression (`0 2 * * *`)"
                    .to_owned(),
            ));
        }
        if !matches!(fields, 1 | 5..=7) {
            return Err(refuse(format!(
                "it has {fields} fields; a cron expression has 5 (minute hour day month \
                 weekday), or 6 or 7 with seconds first and a year last"
            )));
        }
        if fields == 1 {
            let every = humantime::parse_duration(text).map_err(|e| ScheduleError {
                text: text.to_owned(),
                reason: e.to_string(),
            })?;
            if every < Duration::from_secs(1) {
                return Err(ScheduleError {
                    text: text.to_owned(),
                    reason: "the interval must be at least one second".to_owned(),
                });
            }
            return Ok(Schedule::Every(every));
        }

        // NB: the cron crate wants seconds first; the usual five fields get second 0.
        let full = if fields == 5 {
            format!("0 {text}")
        } else {
            text.to_owned()
        };
        // NB: the parser's message may go on with a line that points at the fault with `^`;
        // the first line says it.
        let cron = cron::Schedule::from_str(&full).map_err(|e| {
            let message = e.to_string();
            refuse(message.lines().next().unwrap_or_default().trim().to_owned())
        })?;
        // NB: a valid expression can still name no real time (`0 0 31 2 *`, February 31st);
        // such a schedule would end at once without a single run.
        if cron.upcoming(Local).next().is_none() {
            return Err(ScheduleError {
                text: text.to_owned(),
                reason: "it never fires (no date matches it)".to_owned(),
            });
        }
        Ok(Schedule::Cron(Box::new(cron)))
    }
}

impl Schedule {
    /// Whether the first run happens at once (intervals) or waits for a tick (cron).
    pub fn runs_at_start(&self) -> bool {
        matches!(self, Schedule::Every(_))
    }

    /// The first tick strictly after `now`, for a schedule that started at `origin`.
    pub fn next_after(&self, origin: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Schedule::Every(every) => {
                let step = chrono::Duration::from_std(*every).ok()?;
                let elapsed = (now - origin).max(chrono::Duration::zero());
                let step_ms = step.num_milliseconds().max(1);
                let ticks = elapsed.num_milliseconds() / step_ms + 1;
                Some(origin + chrono::Duration::milliseconds(ticks * step_ms))
            }
            Schedule::Cron(cron) => cron
                .after(&now.with_timezone(&Local))
                .next()
                .map(|t| t.with_timezone(&Utc)),
        }
    }
}

/// The time source of the scheduler, so tests can run it without waiting.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;

    /// Resolves at `when` (at once if it has passed).
    fn sleep_until(&self, when: DateTime<Utc>) -> impl Future<Output = ()> + Send;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, when: DateTime<Utc>) -> impl Future<Output = ()> + Send {
        let wait = (when - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        tokio::time::sleep(wait)
    }
}

/// Counts stop requests (Ctrl-C presses); cheap to clone.
#[derive(Debug, Clone)]
pub struct Shutdown {
    rx: watch::Receiver<u32>,
}

/// The sending side of [`Shutdown`].
#[derive(Debug, Clone)]
pub struct ShutdownTrigger {
    tx: watch::Sender<u32>,
}

impl ShutdownTrigger {
    /// Records one more stop request.
    pub fn trigger(&self) {
        self.tx.send_modify(|n| *n += 1);
    }
}

impl Shutdown {
    /// A new pair of trigger and receiver.
    pub fn new() -> (ShutdownTrigger, Shutdown) {
        let (tx, rx) = watch::channel(0);
        (ShutdownTrigger { tx }, Shutdown { rx })
    }

    /// Stops on Ctrl-C: a background task counts each press.
    pub fn on_ctrl_c() -> Shutdown {
        let (trigger, shutdown) = Shutdown::new();
        tokio::spawn(async move {
            let mut presses = 0u32;
            while tokio::signal::ctrl_c().await.is_ok() {
                presses += 1;
                tracing::warn!("{}", stop_message(presses));
                trigger.trigger();
            }
        });
        shutdown
    }

    /// How many stops were requested so far.
    pub fn requests(&self) -> u32 {
        *self.rx.borrow()
    }

    /// Resolves once at least `n` stops were requested (never, if every trigger is gone).
    pub async fn reached(&mut self, n: u32) {
        if self.rx.wait_for(|c| *c >= n).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// What the `presses`-th Ctrl-C does, as logged.
pub fn stop_message(presses: u32) -> &'static str {
    if presses <= 1 {
        "stop requested: no new run starts, and a run in progress is finished first (Ctrl-C \
         again to abandon it)"
    } else {
        "second stop request: abandoning the run in progress, if any"
    }
}

/// Runs `run` on `schedule` until a stop is requested, and returns the status of the last
/// run that ended ([`ExitStatus::GroupFailed`] if a run was abandoned; success if none ran).
pub async fn run_scheduled<C, F, Fut>(
    schedule: &Schedule,
    clock: &C,
    mut shutdown: Shutdown,
    mut run: F,
) -> ExitStatus
where
    C: Clock,
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = ExitStatus>,
{
    let origin = clock.now();
    let mut last = ExitStatus::Success;
    let mut next = if schedule.runs_at_start() {
        Some(origin)
    } else {
        schedule.next_after(origin, origin)
    };
    let mut number = 0u64;

    while let Some(when) = next {
        if shutdown.requests() > 0 {
            break;
        }
        tracing::info!(next_run = %when.with_timezone(&Local), "waiting for the next run");
        tokio::select! {
            () = clock.sleep_until(when) => {}
            () = shutdown.reached(1) => break,
        }

        number += 1;
        tokio::select! {
            status = run(number) => last = status,
            () = shutdown.reached(2) => {
                tracing::warn!(run = number, "run abandoned");
                return ExitStatus::GroupFailed;
            }
        }

        next = schedule.next_after(origin, clock.now());
        if last != ExitStatus::Success {
            tracing::error!(
                run = number,
                exit = %last,
                "run did not succeed; it will be tried again at the next tick"
            );
        }
    }

    tracing::info!(runs = number, exit = %last, "schedule stopped");
    last
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
