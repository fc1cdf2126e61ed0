//! "Did you mean …?" for names a person types: job names, group names.

/// The candidate closest to `wanted`, when it is close enough to be a likely typo.
///
/// Names are compared after case-folding and dropping everything but letters and digits,
/// so `Devices` suggests itself for `devics` and `Device-Z` for `devicez`.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = fold(wanted);
    if wanted.is_empty() {
        return None;
    }
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted, &fold(c)), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `" (did you mean `x`?)"` for the nearest candidate, or nothing.
pub fn hint<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(wanted, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_its_name_and_a_stranger_finds_none() {
        let names = ["companies", "devices"];

        assert_eq!(nearest("devics", names), Some("devices"));
        assert_eq!(nearest("Companys", names), Some("companies"));
        assert_eq!(nearest("tickets", names), None);
        assert_eq!(nearest("", names), None);
        assert_eq!(hint("devicez", names), "; did you mean `devices`?");
        assert_eq!(hint("zzz", names), "");
    }
}
