//! The retry decision, row by row of the project's retry table.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use connectwise_api::retry::{
    backoff, decide, parse_retry_after, Decision, Outcome, RequestClass, RetryInput, RetryPolicy,
};
use http::StatusCode;

const ALL: [RequestClass; 3] = [
    RequestClass::Read,
    RequestClass::IdempotentWrite,
    RequestClass::NonIdempotent,
];

fn input(class: RequestClass, outcome: Outcome<'_>) -> RetryInput<'_> {
    RetryInput {
        class,
        outcome,
        retries_done: 0,
        server_error_retries_done: 0,
        now: Utc.with_ymd_and_hms(2026, 10, 21, 7, 27, 50).unwrap(),
        jitter: 0.5,
    }
}

fn status(code: u16) -> Outcome<'static> {
    Outcome::Status {
        status: StatusCode::from_u16(code).unwrap(),
        retry_after: None,
        body_wait: None,
        says_timeout: false,
    }
}

fn is_retry(decision: Decision) -> bool {
    matches!(decision, Decision::Retry(_))
}

#[test]
fn request_never_sent_is_retried_for_every_method() {
    for class in ALL {
        assert!(is_retry(decide(
            &RetryPolicy::default(),
            &input(class, Outcome::NotSent)
        )));
    }
}

#[test]
fn timeout_after_sending_is_retried_except_for_non_idempotent() {
    let policy = RetryPolicy::default();
    assert!(is_retry(decide(
        &policy,
        &input(RequestClass::Read, Outcome::LostAfterSend)
    )));
    let put = input(RequestClass::IdempotentWrite, Outcome::LostAfterSend);
    assert!(is_retry(decide(&policy, &put)));
    let post = input(RequestClass::NonIdempotent, Outcome::LostAfterSend);
    assert_eq!(decide(&policy, &post), Decision::GiveUp);
}

#[test]
fn status_429_waits_for_retry_after_for_every_method() {
    let outcome = Outcome::Status {
        status: StatusCode::TOO_MANY_REQUESTS,
        retry_after: Some("7"),
        body_wait: None,
        says_timeout: false,
    };
    for class in ALL {
        let decision = decide(&RetryPolicy::default(), &input(class, outcome));
        assert_eq!(
            decision,
            Decision::Retry(Duration::from_secs(7)),
            "{class:?}"
        );
    }
}

#[test]
fn status_429_with_an_http_date_waits_until_that_date() {
    let outcome = Outcome::Status {
        status: StatusCode::TOO_MANY_REQUESTS,
        retry_after: Some("Wed, 21 Oct 2026 07:28:00 GMT"),
        body_wait: None,
        says_timeout: false,
    };
    let decision = decide(&RetryPolicy::default(), &input(RequestClass::Read, outcome));
    assert_eq!(decision, Decision::Retry(Duration::from_secs(10)));
}

#[test]
fn status_429_without_header_uses_the_body_wait() {
    let outcome = Outcome::Status {
        status: StatusCode::TOO_MANY_REQUESTS,
        retry_after: None,
        body_wait: Some(Duration::from_secs(60)),
        says_timeout: false,
    };
    let decision = decide(
        &RetryPolicy::default(),
        &input(RequestClass::NonIdempotent, outcome),
    );
    assert_eq!(decision, Decision::Retry(Duration::from_secs(60)));
}

#[test]
fn status_429_without_any_hint_backs_off() {
    let policy = RetryPolicy::default();
    let mut row = input(RequestClass::Read, status(429));
    row.retries_done = 2;
    row.jitter = 0.5;
    // ceiling 500 ms * 2^2 = 2 s; half of it
    assert_eq!(
        decide(&policy, &row),
        Decision::Retry(Duration::from_secs(1))
    );
}

#[test]
fn a_hint_over_the_cap_is_not_waited_for() {
    let outcome = Outcome::Status {
        status: StatusCode::TOO_MANY_REQUESTS,
        retry_after: Some("367946340"),
        body_wait: None,
        says_timeout: false,
    };
    let decision = decide(&RetryPolicy::default(), &input(RequestClass::Read, outcome));
    assert_eq!(decision, Decision::GiveUp);
    let lenient = RetryPolicy::default().with_max_retry_wait(Duration::from_secs(400_000_000));
    let decision = decide(&lenient, &input(RequestClass::Read, outcome));
    assert_eq!(decision, Decision::Retry(Duration::from_secs(367_946_340)));
}

#[test]
fn gateway_errors_are_retried_except_for_non_idempotent() {
    for code in [502, 503, 504] {
        let policy = RetryPolicy::default();
        assert!(is_retry(decide(
            &policy,
            &input(RequestClass::Read, status(code))
        )));
        assert!(is_retry(decide(
            &policy,
            &input(RequestClass::IdempotentWrite, status(code))
        )));
        let post = input(RequestClass::NonIdempotent, status(code));
        assert_eq!(decide(&policy, &post), Decision::GiveUp, "{code}");
    }
}

#[test]
fn a_500_that_timed_out_is_retried_except_for_non_idempotent() {
    let outcome = Outcome::Status {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        retry_after: None,
        body_wait: None,
        says_timeout: true,
    };
    let policy = RetryPolicy::default();
    let mut get = input(RequestClass::Read, outcome);
    get.server_error_retries_done = 2;
    assert!(
        is_retry(decide(&policy, &get)),
        "a timeout 500 is not limited to 2 retries"
    );
    assert!(is_retry(decide(
        &policy,
        &input(RequestClass::IdempotentWrite, outcome)
    )));
    let post = input(RequestClass::NonIdempotent, outcome);
    assert_eq!(decide(&policy, &post), Decision::GiveUp);
}

#[test]
fn any_other_500_is_retried_at_most_twice() {
    let policy = RetryPolicy::default();
    for class in [RequestClass::Read, RequestClass::IdempotentWrite] {
        for done in 0..2 {
            let mut row = input(class, status(500));
            row.server_error_retries_done = done;
            row.retries_done = done;
            assert!(is_retry(decide(&policy, &row)), "{class:?} after {done}");
        }
        let mut row = input(class, status(500));
        row.server_error_retries_done = 2;
        row.retries_done = 2;
        assert_eq!(decide(&policy, &row), Decision::Exhausted);
    }
    let post = input(RequestClass::NonIdempotent, status(500));
    assert_eq!(decide(&policy, &post), Decision::GiveUp);
}

#[test]
fn an_empty_2xx_body_is_retried_for_reads_only() {
    let policy = RetryPolicy::default();
    assert!(is_retry(decide(
        &policy,
        &input(RequestClass::Read, Outcome::EmptyBody)
    )));
    for class in [RequestClass::IdempotentWrite, RequestClass::NonIdempotent] {
        assert_eq!(
            decide(&policy, &input(class, Outcome::EmptyBody)),
            Decision::GiveUp
        );
    }
}

#[test]
fn a_non_json_2xx_body_is_never_retried() {
    for class in ALL {
        let row = input(class, Outcome::UnexpectedContentType);
        assert_eq!(decide(&RetryPolicy::default(), &row), Decision::GiveUp);
    }
}

#[test]
fn other_4xx_are_never_retried() {
    for code in [400, 401, 403, 404, 405, 409, 415, 422] {
        for class in ALL {
            let row = input(class, status(code));
            assert_eq!(
                decide(&RetryPolicy::default(), &row),
                Decision::GiveUp,
                "{code}"
            );
        }
    }
}

#[test]
fn the_budget_ends_retries() {
    let policy = RetryPolicy::default();
    let mut row = input(RequestClass::Read, status(503));
    row.retries_done = 4;
    assert!(is_retry(decide(&policy, &row)));
    row.retries_done = 5;
    assert_eq!(decide(&policy, &row), Decision::Exhausted);
    let off = RetryPolicy::disabled();
    assert_eq!(
        decide(&off, &input(RequestClass::Read, status(503))),
        Decision::Exhausted
    );
}

#[test]
fn backoff_is_full_jitter_under_a_doubling_ceiling() {
    let policy = RetryPolicy::default();
    assert_eq!(backoff(&policy, 0, 0.0), Duration::ZERO);
    assert_eq!(backoff(&policy, 0, 1.0), Duration::from_millis(500));
    assert_eq!(backoff(&policy, 3, 1.0), Duration::from_secs(4));
    assert_eq!(backoff(&policy, 30, 1.0), Duration::from_secs(60));
    let custom =
        RetryPolicy::default().with_backoff(Duration::from_millis(10), Duration::from_millis(50));
    assert_eq!(backoff(&custom, 4, 1.0), Duration::from_millis(50));
}

#[test]
fn retry_after_parses_seconds_and_dates() {
    let now = Utc.with_ymd_and_hms(2026, 10, 21, 7, 27, 50).unwrap();
    assert_eq!(
        parse_retry_after(" 30 ", now),
        Some(Duration::from_secs(30))
    );
    let date = "Wed, 21 Oct 2026 07:28:00 GMT";
    assert_eq!(parse_retry_after(date, now), Some(Duration::from_secs(10)));
    let past = "Wed, 21 Oct 2026 07:00:00 GMT";
    assert_eq!(parse_retry_after(past, now), Some(Duration::ZERO));
    assert_eq!(parse_retry_after("soon", now), None);
}
