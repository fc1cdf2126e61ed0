//! Company-info discovery: codebase, version pin, unknown companies, moved codebases.

use connectwise_api::{ApiErrorKind, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{
    builder, fixture, json as json_response, json_bytes, TestClock, BASIC, CLIENT_ID,
};

fn info(codebase: &str, version: &str, cloud: serde_json::Value) -> ResponseTemplate {
    json_response(
        200,
        json!({"CompanyName":"examplemsp","Codebase":codebase,
        "VersionCode":version,"IsCloud":cloud}),
    )
}

/// Answers company-info calls from a list, one per call, repeating the last.
fn infos(list: Vec<ResponseTemplate>) -> impl Fn(&Request) -> ResponseTemplate {
    let calls = std::sync::atomic::AtomicUsize::new(0);
    move |_: &Request| {
        let n = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        list[n.min(list.len() - 1)].clone()
    }
}

async fn mount_codebases(server: &MockServer) {
    let not_found = json_response(404, json!({"code":"NotFound","message":"Not found"}));
    Mock::given(method("GET"))
        .and(path("/v2025_1/apis/3.0/company/companies"))
        .respond_with(not_found)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2025_2/apis/3.0/company/companies"))
        .respond_with(json_response(
            200,
            json!([{"id":250,"identifier":"Acme","name":"Acme Corp"}]),
        ))
        .mount(server)
        .await;
}

#[tokio::test]
async fn h17_the_codebase_can_move() {
    let server = MockServer::start().await;
    let answers = vec![
        info("v2025_1/", "v2025.1", json!(true)),
        info("v2025_2/", "v2025.2", json!("True")),
    ];
    Mock::given(method("GET"))
        .and(path("/login/companyinfo/examplemsp"))
        .respond_with(infos(answers))
        .mount(&server)
        .await;
    mount_codebases(&server).await;
    let clock = TestClock::new();
    let client = builder(&server, &clock)
        .codebase_discovery(true)
        .build()
        .unwrap();

    let page = client.companies().list().send().await.unwrap();
    assert_eq!(page.items[0].id, Some(250));
    let requests = server.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        [
            "/login/companyinfo/examplemsp",
            "/v2025_1/apis/3.0/company/companies",
            "/login/companyinfo/examplemsp",
            "/v2025_2/apis/3.0/company/companies"
        ]
    );
    for request in &requests {
        let is_info = request.url.path().starts_with("/login/");
        assert_eq!(request.headers.get("authorization").is_some(), !is_info);
        assert_eq!(request.headers.get("clientId").is_some(), !is_info);
    }
    let accept = |n: usize| {
        requests[n]
            .headers
            .get("accept")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert!(accept(1).ends_with("version=2025.1"), "{}", accept(1));
    assert!(accept(3).ends_with("version=2025.2"), "{}", accept(3));

    client.companies().list().send().await.unwrap();
    let after = server.received_requests().await.unwrap();
    assert_eq!(after.len(), 5);
    assert_eq!(after[4].url.path(), "/v2025_2/apis/3.0/company/companies");
}

#[tokio::test]
async fn h17_variant_b_an_unchanged_codebase_leaves_the_404() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/login/companyinfo/examplemsp"))
        .respond_with(info("v2025_1/", "v2025.1", json!(true)))
        .expect(2)
        .mount(&server)
        .await;
    mount_codebases(&server).await;
    let clock = TestClock::new();
    let client = builder(&server, &clock)
        .codebase_discovery(true)
        .build()
        .unwrap();
    let error = client.companies().list().send().await.unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.kind(), ApiErrorKind::NotFound);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn h17_variant_c_an_unknown_company_is_reported() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/login/companyinfo/typo"))
        .respond_with(json_bytes(200, "null"))
        .expect(1)
        .mount(&server)
        .await;
    let clock = TestClock::new();
    let client = builder(&server, &clock)
        .company("typo")
        .codebase_discovery(true)
        .build()
        .unwrap();
    let error = client.companies().list().send().await.unwrap_err();
    assert!(
        matches!(&error, Error::UnknownCompany { company } if company == "typo"),
        "{error:?}"
    );
    assert!(error.to_string().contains("typo"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn discover_reads_the_fixture_and_never_raises_the_pin() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/login/companyinfo/examplemsp"))
        .respond_with(json_bytes(200, fixture("companyinfo.json")))
        .expect(1)
        .mount(&server)
        .await;
    let clock = TestClock::new();
    let client = builder(&server, &clock).build().unwrap();
    assert_eq!(client.api_version(), "2025.8");
    let found = client.discover().await.unwrap();
    assert_eq!(found.is_cloud, Some(true));
    assert_eq!(found.company_id.as_deref(), Some("examplemsp"));
    assert_eq!(found.site_url.as_deref(), Some("na.myconnectwise.net"));
    assert_eq!(client.api_version(), "2025.1");
    assert!(client.base_url().as_str().ends_with("/v2025_1/apis/3.0/"));

    let newer = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/login/companyinfo/examplemsp"))
        .respond_with(info("v2026_4", "v2026.4", json!(false)))
        .mount(&newer)
        .await;
    let client = builder(&newer, &clock).build().unwrap();
    let found = client.discover().await.unwrap();
    assert_eq!(found.is_cloud, Some(false));
    assert_eq!(
        client.api_version(),
        "2025.8",
        "discovery never raises the pin"
    );
    assert!(
        client.base_url().as_str().ends_with("/v2026_4/apis/3.0/"),
        "a trailing / is added"
    );
}

#[tokio::test]
async fn api_requests_pin_the_version_and_carry_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, json!([])))
        .mount(&server)
        .await;
    let clock = TestClock::new();
    let client = builder(&server, &clock)
        .api_version("2024.1")
        .build()
        .unwrap();
    client.list_json("/company/companies").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let headers = &requests[0].headers;
    assert_eq!(
        headers.get("accept").unwrap(),
        "application/vnd.connectwise.com+json; version=2024.1"
    );
    assert_eq!(headers.get("authorization").unwrap(), BASIC);
    assert_eq!(headers.get("clientId").unwrap(), CLIENT_ID);
}
