//! Checks against a real account, for the points the vendor does not document. Ignored:
//! run with `cargo test -p connectwise-api -- --ignored` and the variables `CW_SITE`,
//! `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY` and `CW_CLIENT_ID` set.

use connectwise_api::{Client, Condition, Site};
use futures::TryStreamExt;

fn sandbox() -> Client {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"));
    let site: Site = var("CW_SITE").parse().unwrap();
    Client::builder()
        .company(var("CW_COMPANY"))
        .public_key(var("CW_PUBLIC_KEY"))
        .private_key(var("CW_PRIVATE_KEY"))
        .client_id(var("CW_CLIENT_ID"))
        .site(site)
        .build()
        .unwrap()
}

#[tokio::test]
#[ignore = "needs a real ConnectWise account"]
async fn sandbox_not_in_and_not_like_are_accepted() {
    let client = sandbox();
    let info = client.discover().await.unwrap();
    assert!(info.codebase.is_some());
    let filter = Condition::not_in("id", [1, 2]).and(Condition::not_like("name", "zzz%"));
    let count = client.companies().count(filter.clone()).await.unwrap();
    let listed: Vec<_> = client
        .companies()
        .list()
        .conditions(filter)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len() as u64, count);
}

#[tokio::test]
#[ignore = "needs a real ConnectWise account"]
async fn sandbox_forward_only_reads_every_record_once() {
    let client = sandbox();
    let total = client.companies().count_all().await.unwrap();
    let ids: Vec<i32> = client
        .companies()
        .list()
        .forward_only()
        .fields(["id"])
        .page_size(100)
        .stream()
        .map_ok(|c| c.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    assert_eq!(ids.len() as u64, total);
}
