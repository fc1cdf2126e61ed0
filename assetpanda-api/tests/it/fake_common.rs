//! Helpers shared by the fake's own tests: a core on a manual clock, requests with the
//! static token, search pages.

use assetpanda_api::fake::{
    FakeAssetPanda, FakeAssetPandaBuilder, FakeClock, FakeCore, FakeReply, FakeRequest, GroupSpec,
};
use http::Method;
use serde_json::Value;

pub const DEVICES: u64 = 139300;
pub const COMPANIES: u64 = 139301;

pub fn core_with(builder: FakeAssetPandaBuilder) -> FakeCore {
    builder
        .seed(7)
        .group(GroupSpec::devices())
        .group(GroupSpec::companies())
        .clock(FakeClock::manual_default())
        .build()
        .expect("valid fake configuration")
}

pub fn core() -> FakeCore {
    core_with(FakeAssetPanda::builder())
}

pub fn send(core: &FakeCore, method: Method, path: &str, body: Option<Value>) -> FakeReply {
    let mut request = FakeRequest::new(method, path).bearer(&core.token());
    if let Some(body) = body {
        request = request.json(&body);
    }
    core.handle(&request)
}

pub fn search(core: &FakeCore, group: u64, query: &str, body: Value) -> Value {
    let path = format!("/v3/groups/{group}/search/objects?{query}");
    let reply = send(core, Method::POST, &path, Some(body));
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.body_json()
}

pub fn ids_of(page: &Value) -> Vec<String> {
    page["objects"]
        .as_array()
        .expect("objects array")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_owned())
        .collect()
}
