//! Query-string reading: names match case-insensitively, as on the real server, and `+`
//! reads as a space.

use percent_encoding::{percent_decode_str, AsciiSet, NON_ALPHANUMERIC};

/// Everything but the unreserved characters is encoded.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One `name=value` pair, raw and decoded.
#[derive(Debug, Clone)]
struct Pair {
    raw: String,
    name: String,
    value: String,
}

/// The parsed query of one request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    pairs: Vec<Pair>,
}

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Query {
        let pairs = raw
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (name, value) = p.split_once('=').unwrap_or((p, ""));
                Pair {
                    raw: p.to_owned(),
                    name: decode(name),
                    value: decode(value),
                }
            })
            .collect();
        Query { pairs }
    }

    /// Adds a parameter in front of the others (so it wins over one of the same name).
    pub(crate) fn push_front(&mut self, name: &str, value: &str) {
        let encoded: String = percent_encoding::utf8_percent_encode(value, ENCODE).to_string();
        self.pairs.insert(
            0,
            Pair {
                raw: format!("{name}={encoded}"),
                name: name.to_owned(),
                value: value.to_owned(),
            },
        );
    }

    /// The decoded value of the first parameter called `name` (any case).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value.as_str())
    }

    /// A non-empty value of `name`, trimmed.
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// The raw query without the parameters named in `drop`, in the order received.
    pub(crate) fn raw_without(&self, drop: &[&str]) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|p| !drop.iter().any(|d| p.name.eq_ignore_ascii_case(d)))
            .map(|p| p.raw.as_str())
            .collect()
    }
}

fn decode(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}
