//! Where the ConnectWise server is: a cloud region, a self-hosted host or a URL.

use std::fmt;
use std::str::FromStr;

use url::Url;

use crate::error::{Error, Result};

/// A ConnectWise cloud region, each with its own `api-` host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// North America: `api-na.myconnectwise.net`.
    Na,
    /// Europe: `api-eu.myconnectwise.net`.
    Eu,
    /// Australia: `api-au.myconnectwise.net`.
    Au,
    /// Australia, second host: `api-aus.myconnectwise.net`.
    Aus,
    /// South Africa: `api-za.myconnectwise.net`.
    Za,
    /// Staging and demo: `api-staging.connectwisedev.com`.
    Staging,
}

impl Region {
    /// Every region.
    pub const ALL: [Region; 6] = [
        Region::Na,
        Region::Eu,
        Region::Au,
        Region::Aus,
        Region::Za,
        Region::Staging,
    ];

    /// The API host of the region.
    pub fn api_host(self) -> &'static str {
        match self {
            Self::Na => "api-na.myconnectwise.net",
            Self::Eu => "api-eu.myconnectwise.net",
            Self::Au => "api-au.myconnectwise.net",
            Self::Aus => "api-aus.myconnectwise.net",
            Self::Za => "api-za.myconnectwise.net",
            Self::Staging => "api-staging.connectwisedev.com",
        }
    }

    /// The portal (UI) host of the region, which does not serve the API.
    pub fn portal_host(self) -> &'static str {
        &self.api_host()["api-".len()..]
    }

    /// The short name: `na`, `eu`, `au`, `aus`, `za` or `staging`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Na => "na",
            Self::Eu => "eu",
            Self::Au => "au",
            Self::Aus => "aus",
            Self::Za => "za",
            Self::Staging => "staging",
        }
    }
}

/// The server to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Site {
    /// A cloud region; requests go to its `api-` host over HTTPS.
    Cloud(Region),
    /// A host name, reached over HTTPS. A cloud portal host (`na.myconnectwise.net`) is
    /// rewritten to its `api-` twin; any other host (self-hosted servers) is used as given.
    Host(String),
    /// The server's root URL (scheme, host, port and an optional path prefix). The codebase
    /// and `apis/3.0` are appended to it, and `login/companyinfo` is read under it; a full API
    /// base URL (`…/v4_6_release/apis/3.0`) is cut back to its root. A plain
    /// `http://` URL needs [`ClientBuilder::allow_insecure_http`](crate::ClientBuilder::allow_insecure_http).
    Url(Url),
}

impl Site {
    /// The root URL (ending in `/`) under which the codebase and `login/` live.
    pub(crate) fn root(&self) -> Result<Url> {
        let host = match self {
            Self::Cloud(region) => region.api_host().to_owned(),
            Self::Host(host) => api_twin(host.trim()),
            Self::Url(url) => return url_root(url),
        };
        check_host(&host)?;
        url_root(&parse_url(&format!("https://{host}/"))?)
    }
}

impl FromStr for Site {
    type Err = Error;

    /// Reads a region name (`na`, `eu`, …), a host name or a URL.
    ///
    /// A bare name without a dot that is not a region (`xx`, a mistyped `nа`) is refused rather
    /// than taken for a host: a single-label server is still reachable as a URL
    /// (`https://cwserver`).
    fn from_str(text: &str) -> Result<Self> {
        let text = text.trim();
        if let Some(region) = Region::ALL
            .iter()
            .find(|r| r.name().eq_ignore_ascii_case(text))
        {
            return Ok(Self::Cloud(*region));
        }
        if text.contains("://") {
            return Ok(Self::Url(parse_url(text)?));
        }
        check_host(text)?;
        Ok(Self::Host(text.to_owned()))
    }
}

impl From<Region> for Site {
    fn from(region: Region) -> Self {
        Self::Cloud(region)
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cloud(region) => f.write_str(region.api_host()),
            Self::Host(host) => f.write_str(host),
            Self::Url(url) => write!(f, "{url}"),
        }
    }
}

/// Refuses what cannot be a host name: empty, holding URL syntax, or a single label that is
/// neither `localhost` nor a region name (the likelier meaning of `site = "xx"` is a typo).
fn check_host(host: &str) -> Result<()> {
    let reason = if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
        format!("`{host}` is not a host name")
    } else {
        let name = host.rsplit_once(':').map_or(host, |(name, _port)| name);
        if name.contains('.') || name.eq_ignore_ascii_case("localhost") || name.starts_with('[') {
            return Ok(());
        }
        let regions: Vec<&str> = Region::ALL.iter().map(|r| r.name()).collect();
        format!(
            "`{host}` is neither a region ({}) nor a full host name; \
             write a host such as `psa.example.com` or a URL such as `https://{host}`",
            regions.join(", ")
        )
    };
    Err(Error::Config {
        field: "site".to_owned(),
        reason,
    })
}

/// Rewrites one of the six documented portal hosts to its `api-` host.
fn api_twin(host: &str) -> String {
    let lower = host.to_ascii_lowercase();
    match Region::ALL.iter().find(|r| r.portal_host() == lower) {
        Some(region) => region.api_host().to_owned(),
        None => lower,
    }
}

fn parse_url(text: &str) -> Result<Url> {
    Url::parse(text).map_err(|e| Error::Config {
        field: "site".to_owned(),
        reason: format!("`{text}` is not a valid URL: {e}"),
    })
}

fn url_root(url: &Url) -> Result<Url> {
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        return Err(Error::Config {
            field: "site".to_owned(),
            reason: format!("`{url}` is not an http(s) URL with a host"),
        });
    }
    let mut root = url.clone();
    root.set_query(None);
    root.set_fragment(None);
    if let Some(prefix) = without_api_base(root.path()) {
        root.set_path(&prefix);
    }
    if !root.path().ends_with('/') {
        let path = format!("{}/", root.path());
        root.set_path(&path);
    }
    if let Some(host) = root.host_str().map(api_twin) {
        root.set_host(Some(&host)).map_err(|e| Error::Config {
            field: "site".to_owned(),
            reason: format!("bad host: {e}"),
        })?;
    }
    Ok(root)
}

/// The path before the codebase when `path` is a full API base (`/v4_6_release/apis/3.0`,
/// with anything after it): people paste the base URL the vendor's documents show.
fn without_api_base(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    let apis = segments
        .windows(2)
        .position(|w| w[0].eq_ignore_ascii_case("apis") && w[1] == "3.0")?;
    // NB: the segment before `apis` is the codebase; everything before it is the prefix.
    let codebase = apis.checked_sub(1)?;
    if segments[codebase].is_empty() {
        return None;
    }
    Some(format!("{}/", segments[..codebase].join("/")))
}
