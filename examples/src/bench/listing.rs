//! Listing every configuration: through the `connectwise-api` stream (typed and as JSON
//! values) and through a plain `reqwest` loop that fetches the same pages and decodes
//! nothing. The loop also measures what a listing costs in bytes with and without a
//! `fields` projection.

use std::time::{Duration, Instant};

use connectwise_api::fake::FakeConnectWise;
use connectwise_api::{link_target, Client, MAX_PAGE_SIZE};
use futures::StreamExt;

/// Requests, body bytes and wall time of one listing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Listing {
    /// Records received (`None` when the loop did not decode them to count).
    pub records: Option<u64>,
    /// Requests sent.
    pub requests: u64,
    /// Response body bytes.
    pub bytes: u64,
    /// Wall time.
    pub wall: Duration,
}

/// Why a listing stopped.
#[derive(Debug, thiserror::Error)]
pub enum ListingError {
    /// The plain loop's request failed.
    #[error("the plain listing of {path} failed: {source}")]
    Http {
        /// The collection.
        path: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// The client's stream yielded an error.
    #[error("the client listing of {path} failed: {source}")]
    Client {
        /// The collection.
        path: String,
        /// The cause.
        #[source]
        source: connectwise_api::Error,
    },
}

/// Fetches every page of `path` forward-only with a plain `reqwest` client, following the
/// `Link` header and keeping only the byte count of each body. With `fields`, the pages
/// carry that projection.
pub async fn raw(
    fake: &FakeConnectWise,
    path: &str,
    fields: Option<&str>,
) -> Result<Listing, ListingError> {
    let http = reqwest::Client::new();
    let url = format!("{}{path}", fake.api_root());
    let user = format!("{}+{}", fake.company_id(), fake.public_key());
    let accept = format!(
        "application/vnd.connectwise.com+json; version={}",
        connectwise_api::DEFAULT_API_VERSION
    );
    let fail = |source| ListingError::Http {
        path: path.to_owned(),
        source,
    };
    let mut out = Listing::default();
    let mut page_id: Option<String> = None;
    let start = Instant::now();

    loop {
        let mut query = vec![("pageSize", MAX_PAGE_SIZE.to_string())];
        if let Some(fields) = fields {
            query.push(("fields", fields.to_owned()));
        }
        if let Some(id) = &page_id {
            query.push(("pageId", id.clone()));
        }
        let response = http
            .get(&url)
            .query(&query)
            .basic_auth(&user, Some(fake.private_key()))
            .header("clientId", fake.client_id())
            .header("Accept", &accept)
            .header("pagination-type", "forward-only")
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(fail)?;
        let next = response
            .headers()
            .get("link")
            .and_then(|v| v.to_str().ok())
            .and_then(|l| link_target(l, "next"))
            .and_then(|u| page_id_of(&u));
        let body = response.bytes().await.map_err(fail)?;

        out.requests += 1;
        out.bytes += body.len() as u64;
        // NB: without decoding, only an empty array or a missing `next` link ends it.
        if body.as_ref() == b"[]" || next.is_none() {
            break;
        }
        page_id = next;
    }
    out.wall = start.elapsed();
    Ok(out)
}

fn page_id_of(url: &str) -> Option<String> {
    let url = reqwest::Url::parse(url).ok()?;
    let id = url
        .query_pairs()
        .find(|(k, _)| k == "pageId")
        .map(|(_, v)| v.into_owned());
    id
}

/// Lists every configuration through the client's typed stream.
pub async fn typed(client: &Client) -> Result<Listing, ListingError> {
    let list = client
        .configurations()
        .list()
        .page_size(MAX_PAGE_SIZE)
        .forward_only();
    count(list.stream(), "/company/configurations").await
}

/// Lists every configuration through the client's stream of JSON values.
pub async fn json(client: &Client) -> Result<Listing, ListingError> {
    let list = client
        .list_json("/company/configurations")
        .page_size(MAX_PAGE_SIZE)
        .forward_only();
    count(list.stream(), "/company/configurations").await
}

async fn count<T>(
    mut stream: connectwise_api::ItemStream<T>,
    path: &str,
) -> Result<Listing, ListingError> {
    let start = Instant::now();
    let mut records = 0u64;
    while let Some(item) = stream.next().await {
        item.map_err(|source| ListingError::Client {
            path: path.to_owned(),
            source,
        })?;
        records += 1;
    }
    Ok(Listing {
        records: Some(records),
        wall: start.elapsed(),
        ..Listing::default()
    })
}
