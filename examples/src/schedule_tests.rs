use std::sync::{Arc, Mutex};

use super::*;

/// A clock whose sleeps return at once, moving time to their deadline.
#[derive(Clone)]
struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    fn at(text: &str) -> Self {
        ManualClock(Arc::new(Mutex::new(text.parse().unwrap())))
    }

    fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap();
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }

    fn sleep_until(&self, when: DateTime<Utc>) -> impl Future<Output = ()> + Send {
        let mut now = self.0.lock().unwrap();
        if when > *now {
            *now = when;
        }
        std::future::ready(())
    }
}

#[test]
fn intervals_and_cron_expressions_parse() {
    assert!(matches!(
        "1h".parse::<Schedule>().unwrap(),
        Schedule::Every(d) if d == Duration::from_secs(3600)
    ));
    assert!(matches!(
        "15m".parse::<Schedule>().unwrap(),
        Schedule::Every(d) if d == Duration::from_secs(900)
    ));
    assert!(matches!(
        "0 2 * * *".parse::<Schedule>().unwrap(),
        Schedule::Cron(_)
    ));
    assert!(matches!(
        "30 0 2 * * *".parse::<Schedule>().unwrap(),
        Schedule::Cron(_)
    ));
}

#[test]
fn bad_schedules_say_what_was_expected() {
    let err = "every hour".parse::<Schedule>().unwrap_err().to_string();
    assert!(err.contains("every hour") && err.contains("cron"), "{err}");

    let err = "100ms".parse::<Schedule>().unwrap_err().to_string();
    assert!(err.contains("at least one second"), "{err}");

    let err = "99 * * * *".parse::<Schedule>().unwrap_err().to_string();
    assert!(!err.contains('\n') && !err.contains('^'), "{err}");

    let err = "".parse::<Schedule>().unwrap_err().to_string();
    assert!(err.contains("empty") && err.contains("`1h`"), "{err}");

    let err = "* * *".parse::<Schedule>().unwrap_err().to_string();
    assert!(
        err.contains("3 fields") && err.contains("minute hour"),
        "{err}"
    );
}

#[test]
fn a_cron_expression_that_never_fires_is_refused() {
    let err = "0 0 31 2 *".parse::<Schedule>().unwrap_err().to_string();
    assert!(
        err.contains("`0 0 31 2 *`") && err.contains("never fires"),
        "{err}"
    );
}

#[test]
fn interval_ticks_count_from_the_origin_and_skip_missed_ones() {
    let every: Schedule = "1h".parse().unwrap();
    let origin: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();

    let after_short_run = every.next_after(origin, "2026-01-01T00:05:00Z".parse().unwrap());
    let after_long_run = every.next_after(origin, "2026-01-01T01:30:00Z".parse().unwrap());

    assert_eq!(
        after_short_run,
        Some("2026-01-01T01:00:00Z".parse().unwrap())
    );
    assert_eq!(
        after_long_run,
        Some("2026-01-01T02:00:00Z".parse().unwrap())
    );
}

#[test]
fn a_cron_tick_is_strictly_after_now() {
    let cron: Schedule = "*/10 * * * *".parse().unwrap();
    let now: DateTime<Utc> = "2026-01-01T00:10:00Z".parse().unwrap();

    let next = cron.next_after(now, now).unwrap();

    assert!(next > now);
    assert!(next - now <= chrono::Duration::minutes(10));
}

#[tokio::test]
async fn runs_on_ticks_retries_after_a_failure_and_stops_when_asked() {
    let clock = ManualClock::at("2026-01-01T00:00:00Z");
    let (trigger, shutdown) = Shutdown::new();
    let every: Schedule = "1h".parse().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let outcomes = [
        ExitStatus::GroupFailed,
        ExitStatus::Success,
        ExitStatus::Success,
    ];

    let status = run_scheduled(&every, &clock, shutdown, |n| {
        seen.lock().unwrap().push(clock.now());
        if n == 3 {
            trigger.trigger();
        }
        std::future::ready(outcomes[n as usize - 1])
    })
    .await;

    let seen = seen.lock().unwrap().clone();
    let expected: Vec<DateTime<Utc>> = [
        "2026-01-01T00:00:00Z",
        "2026-01-01T01:00:00Z",
        "2026-01-01T02:00:00Z",
    ]
    .iter()
    .map(|t| t.parse().unwrap())
    .collect();
    assert_eq!(seen, expected);
    assert_eq!(status, ExitStatus::Success);
}

#[tokio::test]
async fn a_run_that_overruns_a_tick_is_not_followed_by_a_catch_up_run() {
    let clock = ManualClock::at("2026-01-01T00:00:00Z");
    let (trigger, shutdown) = Shutdown::new();
    let every: Schedule = "1h".parse().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));

    let status = run_scheduled(&every, &clock, shutdown, |n| {
        seen.lock().unwrap().push(clock.now());
        clock.advance(chrono::Duration::minutes(90));
        if n == 2 {
            trigger.trigger();
        }
        std::future::ready(ExitStatus::RecordsFailed)
    })
    .await;

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[1],
        "2026-01-01T02:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    assert_eq!(status, ExitStatus::RecordsFailed);
}

#[tokio::test]
async fn a_stop_before_the_first_cron_tick_runs_nothing() {
    let clock = ManualClock::at("2026-01-01T00:00:00Z");
    let (trigger, shutdown) = Shutdown::new();
    let cron: Schedule = "0 2 * * *".parse().unwrap();
    trigger.trigger();
    let mut runs = 0;

    let status = run_scheduled(&cron, &clock, shutdown, |_| {
        runs += 1;
        std::future::ready(ExitStatus::Success)
    })
    .await;

    assert_eq!(runs, 0);
    assert_eq!(status, ExitStatus::Success);
}

#[tokio::test]
async fn a_second_stop_abandons_the_run_in_progress() {
    let clock = ManualClock::at("2026-01-01T00:00:00Z");
    let (trigger, shutdown) = Shutdown::new();
    let every: Schedule = "1h".parse().unwrap();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let mut started_tx = Some(started_tx);

    let stopper = {
        let trigger = trigger.clone();
        async move {
            started_rx.await.unwrap();
            trigger.trigger();
            trigger.trigger();
        }
    };
    let scheduled = run_scheduled(&every, &clock, shutdown, |_| {
        if let Some(tx) = started_tx.take() {
            tx.send(()).unwrap();
        }
        std::future::pending::<ExitStatus>()
    });
    let (status, ()) = tokio::join!(scheduled, stopper);

    assert_eq!(status, ExitStatus::GroupFailed);
}

#[test]
fn the_second_ctrl_c_says_it_abandons_the_run() {
    assert!(stop_message(1).contains("no new run starts"));
    assert!(stop_message(1).contains("Ctrl-C again"));
    assert!(stop_message(2).contains("abandoning the run in progress"));
    assert!(!stop_message(2).contains("Ctrl-C again"));
}
