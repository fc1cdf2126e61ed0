//! The fake's faults, rate limit and counters.

use std::time::Duration;

use assetpanda_api::fake::{
    Endpoint, FakeAssetPanda, Fault, FaultPlan, FaultRule, GroupSpec, RateLimit,
};
use http::Method;
use serde_json::{json, Value};

use super::fake_common::{core, core_with, send, DEVICES};

#[test]
fn the_rate_limit_answers_429_with_retry_after_and_slides() {
    let core = core_with(FakeAssetPanda::builder().rate_limit(RateLimit {
        max_calls: 3,
        window: Duration::from_secs(180),
    }));
    for _ in 0..3 {
        assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 200);
        core.clock().advance(Duration::from_secs(10));
    }
    let refused = send(&core, Method::GET, "/v3/groups", None);
    assert_eq!(refused.status, 429);
    let retry_after = refused
        .headers
        .iter()
        .find(|(k, _)| k == "Retry-After")
        .unwrap();
    assert_eq!(retry_after.1, "150");
    core.clock().advance(Duration::from_secs(150));
    assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 200);
    assert_eq!(core.counters().throttled(), 1);
    let documented = RateLimit::asset_panda();
    assert_eq!(
        (documented.max_calls, documented.window.as_secs()),
        (400, 180)
    );
}

#[test]
fn faults_answer_chosen_requests_and_can_apply_writes_first() {
    let core = core_with(
        FakeAssetPanda::builder().faults(
            FaultPlan::new()
                .at(
                    [1],
                    Fault::TooManyRequests {
                        retry_after_secs: 7,
                    },
                )
                .at([2], Fault::BadGateway)
                .at([3], Fault::HtmlPage)
                .at([4], Fault::EmptyBody)
                .at([5], Fault::TruncatedBody)
                .rule(FaultRule::at([6], Fault::InternalServerError).after_apply())
                .at([7], Fault::ServiceUnavailable),
        ),
    );
    let create = |name: &str| {
        send(
            &core,
            Method::POST,
            "/v3/groups/139300/objects",
            Some(json!({"field_1": name})),
        )
    };
    let r = create("one");
    assert_eq!(r.status, 429);
    assert!(r
        .headers
        .contains(&("Retry-After".to_owned(), "7".to_owned())));
    let r = create("two");
    assert_eq!((r.status, r.content_type), (502, "text/html"));
    let r = create("three");
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/html"));
    assert!(create("four").body.is_empty());
    let r = create("five");
    assert_eq!(r.status, 200);
    assert!(
        serde_json::from_slice::<Value>(&r.body).is_err(),
        "cut JSON"
    );
    assert_eq!(create("six").status, 500);
    assert_eq!(create("seven").status, 503);
    let names: Vec<String> = core
        .objects(DEVICES)
        .iter()
        .map(|o| o.text("field_1").unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["five", "six"],
        "truncated and after-apply writes are stored"
    );
    let counters = core.counters();
    assert_eq!(counters.faults_injected(), 7);
    assert_eq!(counters.requests_by(&Method::POST, Endpoint::Create), 7);
    assert_eq!(counters.responses_with(502), 1);
    let log = core.requests();
    assert_eq!(log[1].fault.as_deref(), Some("502"));
    assert_eq!(log[6].number, 7);
}

#[test]
fn a_429_can_carry_its_wait_in_the_body_only() {
    let plan = FaultPlan::new().at(
        [1],
        Fault::TooManyRequestsBodyOnly {
            retry_after_secs: 60,
        },
    );
    let core = core_with(FakeAssetPanda::builder().faults(plan));
    let reply = send(&core, Method::GET, "/v3/groups", None);
    assert_eq!(reply.status, 429);
    assert!(reply.headers.iter().all(|(name, _)| name != "Retry-After"));
    assert_eq!(reply.body_json()["retryAfter"], 60);
    assert!(reply.body_json()["message"]
        .as_str()
        .unwrap()
        .contains("60 seconds"));
}

#[test]
fn a_token_expired_fault_expires_the_token_it_met() {
    let core =
        core_with(FakeAssetPanda::builder().faults(FaultPlan::new().at([2], Fault::TokenExpired)));
    assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 200);
    assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 401);
    assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 401);
    core.renew_static_token();
    assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 200);
}

#[test]
fn seeded_shares_repeat_for_the_same_seed() {
    let run = |seed: u64| {
        let core = FakeAssetPanda::builder()
            .seed(seed)
            .group(GroupSpec::companies())
            .faults(FaultPlan::new().share(0.3, Fault::ServiceUnavailable))
            .build()
            .unwrap();
        (0..200)
            .map(|_| send(&core, Method::GET, "/v3/groups", None).status)
            .collect::<Vec<_>>()
    };
    let first = run(11);
    assert_eq!(first, run(11));
    assert_ne!(first, run(12));
    let failed = first.iter().filter(|s| **s == 503).count();
    assert!((35..=85).contains(&failed), "{failed} of 200");
}

#[test]
fn counters_count_bytes_by_method_and_endpoint() {
    let core = core();
    core.populate(DEVICES, 10).unwrap();
    let reply = send(
        &core,
        Method::POST,
        "/v3/groups/139300/search/objects",
        Some(json!({})),
    );
    send(&core, Method::GET, "/v3/groups", None);
    let counters = core.counters();
    assert_eq!(counters.requests(), 2);
    assert_eq!(counters.requests_to(Endpoint::Search), 1);
    assert_eq!(
        counters.tally_of(Endpoint::Search).bytes_sent,
        reply.body.len() as u64
    );
    assert_eq!(counters.tally_of(Endpoint::Search).bytes_received, 2);
    assert!(counters.bytes_sent() > reply.body.len() as u64);
    core.reset_counters();
    assert_eq!(core.counters().requests(), 0);
    assert_eq!(core.request_count(), 2);
}
