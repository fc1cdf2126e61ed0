//! The retry decision, row by row of the table in the project's decisions, without HTTP.

use std::time::Duration;

use assetpanda_api::retry::{
    decide, wait_hint, Attempts, Decision, Outcome, RequestClass, RetryPolicy, StopReason,
};
use chrono::{TimeZone, Utc};
use http::{HeaderMap, HeaderValue, StatusCode};

use RequestClass::{Idempotent, Read, Unsafe};

const CLASSES: [RequestClass; 3] = [Read, Idempotent, Unsafe];

fn status(code: u16) -> Outcome {
    Outcome::Status {
        status: StatusCode::from_u16(code).unwrap(),
        server_timeout: false,
    }
}

fn first(class: RequestClass, outcome: Outcome) -> Decision {
    decide(
        &RetryPolicy::default(),
        class,
        outcome,
        Attempts::default(),
        None,
        0.5,
    )
}

fn retries(decision: Decision) -> bool {
    matches!(decision, Decision::Retry(_))
}

#[test]
fn row_connection_never_made_is_retried_for_every_class() {
    for class in CLASSES {
        assert!(retries(first(class, Outcome::NotSent)), "{class:?}");
    }
}

#[test]
fn row_timeout_after_sending_is_retried_except_for_unsafe_calls() {
    assert!(retries(first(Read, Outcome::NoAnswer)));
    assert!(retries(first(Idempotent, Outcome::NoAnswer)));
    assert_eq!(
        first(Unsafe, Outcome::NoAnswer),
        Decision::Stop(StopReason::NotRetryable)
    );
}

#[test]
fn row_429_is_retried_for_every_class_after_the_hint() {
    for class in CLASSES {
        let d = decide(
            &RetryPolicy::default(),
            class,
            status(429),
            Attempts::default(),
            Some(Duration::from_secs(7)),
            0.9,
        );
        assert_eq!(d, Decision::Retry(Duration::from_secs(7)), "{class:?}");
    }
}

#[test]
fn row_gateway_errors_are_retried_except_for_unsafe_calls() {
    for code in [502, 503, 504] {
        assert!(retries(first(Read, status(code))), "{code}");
        assert!(retries(first(Idempotent, status(code))), "{code}");
        assert_eq!(
            first(Unsafe, status(code)),
            Decision::Stop(StopReason::NotRetryable),
            "{code}"
        );
    }
}

#[test]
fn row_timed_out_500_is_retried_like_a_gateway_error() {
    let timeout = Outcome::Status {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        server_timeout: true,
    };
    let many = Attempts {
        retries: 4,
        plain_server_errors: 0,
    };
    let policy = RetryPolicy::default();

    assert!(retries(decide(&policy, Read, timeout, many, None, 0.1)));
    assert!(retries(decide(
        &policy, Idempotent, timeout, many, None, 0.1
    )));
    assert_eq!(
        decide(&policy, Unsafe, timeout, Attempts::default(), None, 0.1),
        Decision::Stop(StopReason::NotRetryable)
    );
}

#[test]
fn row_other_500_is_retried_at_most_twice_and_never_for_unsafe_calls() {
    let policy = RetryPolicy::default();
    for class in [Read, Idempotent] {
        for done in 0..2 {
            let attempts = Attempts {
                retries: done,
                plain_server_errors: done,
            };
            assert!(retries(decide(
                &policy,
                class,
                status(500),
                attempts,
                None,
                0.3
            )));
        }
        let third = Attempts {
            retries: 2,
            plain_server_errors: 2,
        };
        assert_eq!(
            decide(&policy, class, status(500), third, None, 0.3),
            Decision::Stop(StopReason::BudgetSpent)
        );
    }
    assert_eq!(
        first(Unsafe, status(500)),
        Decision::Stop(StopReason::NotRetryable)
    );
}

#[test]
fn row_empty_body_on_2xx_is_retried_for_reads_only() {
    assert!(retries(first(Read, Outcome::EmptyBody)));
    for class in [Idempotent, Unsafe] {
        assert_eq!(
            first(class, Outcome::EmptyBody),
            Decision::Stop(StopReason::NotRetryable)
        );
    }
}

#[test]
fn row_non_json_body_on_2xx_is_never_retried() {
    for class in CLASSES {
        assert_eq!(
            first(class, Outcome::NotJson),
            Decision::Stop(StopReason::NotRetryable)
        );
    }
}

#[test]
fn row_other_4xx_is_never_retried() {
    for code in [400, 401, 403, 404, 405, 409, 415, 422] {
        for class in CLASSES {
            assert_eq!(
                first(class, status(code)),
                Decision::Stop(StopReason::NotRetryable),
                "{code} {class:?}"
            );
        }
    }
}

#[test]
fn the_budget_of_five_retries_ends_in_budget_spent() {
    let policy = RetryPolicy::default();
    let fifth = Attempts {
        retries: 4,
        plain_server_errors: 0,
    };
    let sixth = Attempts {
        retries: 5,
        plain_server_errors: 0,
    };

    assert!(retries(decide(
        &policy,
        Read,
        status(503),
        fifth,
        None,
        0.5
    )));
    assert_eq!(
        decide(&policy, Read, status(503), sixth, None, 0.5),
        Decision::Stop(StopReason::BudgetSpent)
    );
}

#[test]
fn a_hint_above_the_cap_is_not_waited_for() {
    let hint = Duration::from_secs(367_946_340);
    let d = decide(
        &RetryPolicy::default(),
        Idempotent,
        status(429),
        Attempts::default(),
        Some(hint),
        0.5,
    );

    assert_eq!(d, Decision::Stop(StopReason::HintTooLong(hint)));
}

#[test]
fn backoff_is_full_jitter_between_zero_and_the_capped_exponential() {
    let policy = RetryPolicy::default();

    assert_eq!(policy.backoff(0, 1.0), Duration::from_millis(500));
    assert_eq!(policy.backoff(3, 1.0), Duration::from_millis(4000));
    assert_eq!(policy.backoff(3, 0.5), Duration::from_millis(2000));
    assert_eq!(policy.backoff(20, 1.0), Duration::from_secs(60));
    assert_eq!(policy.backoff(2, 0.0), Duration::ZERO);
}

#[test]
fn without_a_hint_the_wait_is_the_backoff() {
    let policy = RetryPolicy::default();
    let d = decide(&policy, Read, status(503), Attempts::default(), None, 0.25);

    assert_eq!(d, Decision::Retry(Duration::from_millis(125)));
}

#[test]
fn wait_hint_reads_seconds_dates_and_body_hints() {
    let now = Utc.with_ymd_and_hms(2026, 10, 21, 7, 27, 50).unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("7"));
    assert_eq!(wait_hint(&headers, b"", now), Some(Duration::from_secs(7)));

    headers.insert(
        "retry-after",
        HeaderValue::from_static("Wed, 21 Oct 2026 07:28:00 GMT"),
    );
    assert_eq!(wait_hint(&headers, b"", now), Some(Duration::from_secs(10)));

    let empty = HeaderMap::new();
    let body = br#"{"message":"Too many requests. Try again in 60 seconds.","retryAfter":60}"#;
    assert_eq!(wait_hint(&empty, body, now), Some(Duration::from_secs(60)));
    let text = br#"{"message":"Too many requests. Please try again in 30 seconds."}"#;
    assert_eq!(wait_hint(&empty, text, now), Some(Duration::from_secs(30)));
    assert_eq!(wait_hint(&empty, br#"{"message":429}"#, now), None);
}
