//! H-28: a collection the API member may not read fails its own group only. The fake
//! ConnectWise grants every collection, so a mock server plays a member whose role lacks
//! service tickets.

use assetpanda_api::fake::{Endpoint, FakeAssetPanda, GroupSpec};
use connectwise_api::fake::FakeConnectWise;
use cw_ap_examples::ExitStatus;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::World;

const TICKETS: u64 = 139302;

const JOBS: &str = r#"
[[jobs]]
name = "companies"
entity = "companies"
target_group = 139301
match_keys = [{ target = "field_20" }]
[[jobs.fields]]
source = "name"
target = "field_1"

[[jobs]]
name = "tickets"
entity = "tickets"
target_group = 139302
match_keys = [{ target = "field_20" }]
[[jobs.fields]]
source = "summary"
target = "field_1"
"#;

async fn connectwise_without_tickets(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/login/companyinfo/examplemsp"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "CompanyName": "examplemsp", "Codebase": "v4_6_release/",
            "VersionCode": "v2025.1", "IsCloud": false
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v4_6_release/apis/3.0/company/companies"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 250, "identifier": "Acme", "name": "Acme Corp",
             "_info": {"lastUpdated": "2025-01-02T03:04:05Z"}}
        ])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v4_6_release/apis/3.0/service/tickets"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

async fn world(cw: &MockServer) -> World {
    let ap = FakeAssetPanda::builder()
        .group(GroupSpec::companies())
        .group(GroupSpec::devices())
        .group(GroupSpec::tickets());
    let world = World::build(FakeConnectWise::builder(), ap, JOBS).await;
    let fake_uri = world.servers.cw.uri().to_owned();
    world.patch_config(|t| t.replace(&fake_uri, &cw.uri()));
    for n in 0..40 {
        let fields =
            json!({"field_1": format!("Ticket {n}"), "field_20": (940_000 + n).to_string()});
        world
            .servers
            .ap
            .core()
            .insert_object(TICKETS, fields)
            .unwrap();
    }
    world
}

#[tokio::test]
async fn h28_a_forbidden_collection_fails_its_own_group_only() {
    let variants = [
        (
            403,
            json!({"code": "Unauthorized", "message": "You do not have permission to view tickets."}),
            "permission denied (403)",
        ),
        (
            404,
            json!({"code": "NotFound", "message": "Not found"}),
            "endpoint unavailable (404)",
        ),
    ];

    for (status, body, reason) in variants {
        let cw = connectwise_without_tickets(status, body).await;
        let world = world(&cw).await;

        let ran = world.run(&["run"]).await;

        assert_eq!(
            ran.status,
            ExitStatus::GroupFailed,
            "{status}: {}{}",
            ran.out,
            ran.err
        );
        let line = |job: &str| {
            ran.out
                .lines()
                .find(|l| l.starts_with(job))
                .unwrap_or_default()
                .to_owned()
        };
        assert!(line("companies").contains("complete"), "{}", ran.out);
        assert!(line("tickets").contains("failed"), "{}", ran.out);
        assert!(ran.out.contains(reason), "{status}: {}", ran.out);
        assert!(ran.out.contains("partial"), "{}", ran.out);
        assert_eq!(world.ap_requests(Endpoint::Archive), 0);
        assert_eq!(world.live(TICKETS).len(), 40);
        assert_eq!(world.live(139301).len(), 1);
    }
}
