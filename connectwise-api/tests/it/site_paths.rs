//! The `site` a person pastes: a full API base URL is cut back to the server's root.

use connectwise_api::{Client, Site};

fn base_of(site: &str) -> String {
    Client::builder()
        .company("examplemsp")
        .public_key("PUBKEY")
        .private_key("PRIVKEY")
        .client_id("11111111-2222-4333-8444-555555555555")
        .site(site.parse::<Site>().unwrap())
        .build()
        .unwrap()
        .base_url()
        .to_string()
}

#[test]
fn a_pasted_api_base_url_is_cut_back_to_the_root() {
    assert_eq!(
        base_of("https://api-na.myconnectwise.net/v4_6_release/apis/3.0"),
        "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/"
    );
    assert_eq!(
        base_of("https://api-eu.myconnectwise.net/v2025_1/apis/3.0/company/companies?x=1"),
        "https://api-eu.myconnectwise.net/v4_6_release/apis/3.0/"
    );
    assert_eq!(
        base_of("https://psa.example.com/cw/v2024_3/APIS/3.0/"),
        "https://psa.example.com/cw/v4_6_release/apis/3.0/"
    );
}

#[test]
fn a_root_url_with_a_prefix_is_kept() {
    assert_eq!(
        base_of("https://psa.example.com/cw"),
        "https://psa.example.com/cw/v4_6_release/apis/3.0/"
    );
    assert_eq!(
        base_of("https://psa.example.com/apis/3.0"),
        "https://psa.example.com/apis/3.0/v4_6_release/apis/3.0/"
    );
}
