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

#[test]
fn a_bare_word_that_is_not_a_region_is_refused_not_taken_for_a_host() {
    for typo in ["xx", "northamerica", "eu1"] {
        let error = typo.parse::<Site>().unwrap_err();
        let text = error.to_string();
        assert!(text.contains(&format!("`{typo}`")), "{text}");
        assert!(text.contains("na, eu, au, aus, za, staging"), "{text}");
        assert!(text.contains(&format!("https://{typo}")), "{text}");
    }
    for bad in [
        "",
        "cw.example.com/path",
        "user@cw.example.com",
        "cw example.com",
    ] {
        assert!(bad.parse::<Site>().is_err(), "{bad:?} was taken for a host");
    }
}

#[test]
fn full_host_names_localhost_addresses_and_single_label_urls_are_kept() {
    assert_eq!(
        base_of("psa.example.com:8443"),
        "https://psa.example.com:8443/v4_6_release/apis/3.0/"
    );
    assert_eq!(
        base_of("10.0.0.5"),
        "https://10.0.0.5/v4_6_release/apis/3.0/"
    );
    assert_eq!(
        base_of("localhost"),
        "https://localhost/v4_6_release/apis/3.0/"
    );
    assert_eq!(
        base_of("https://cwserver"),
        "https://cwserver/v4_6_release/apis/3.0/"
    );
    assert_eq!(
        base_of("EU"),
        "https://api-eu.myconnectwise.net/v4_6_release/apis/3.0/"
    );
}

#[test]
fn a_bare_word_given_as_a_host_variant_fails_at_build() {
    let error = Client::builder()
        .company("examplemsp")
        .public_key("PUBKEY")
        .private_key("PRIVKEY")
        .client_id("11111111-2222-4333-8444-555555555555")
        .site(Site::Host("xx".into()))
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("neither a region"), "{error}");
}
