//! Issues summarised by kind: dozens of warnings that differ only in a record id or a
//! linked id are one line that says how many there are and which records they concern.

use std::fmt;

use cw_ap_mapping::Issue;

/// How many varying values and record ids a summary line lists before counting the rest.
const LISTED: usize = 3;

/// Issues of one kind: same job and field, same message apart from its numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueKind {
    /// How many issues are of this kind.
    pub count: usize,
    job: String,
    field: Option<String>,
    /// The message's text between numbers.
    words: Vec<String>,
    /// Each number slot's distinct values, in order of first appearance.
    slots: Vec<Vec<String>>,
    /// The records concerned, in order of first appearance.
    records: Vec<String>,
    /// The objects concerned, in order of first appearance.
    objects: Vec<String>,
}

/// Splits a message into its words between numbers and the numbers.
fn split(message: &str) -> (Vec<String>, Vec<String>) {
    let mut words = vec![String::new()];
    let mut numbers: Vec<String> = Vec::new();
    let mut in_number = false;
    for c in message.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                numbers.push(String::new());
                in_number = true;
            }
            if let Some(n) = numbers.last_mut() {
                n.push(c);
            }
        } else {
            if in_number {
                words.push(String::new());
                in_number = false;
            }
            if let Some(w) = words.last_mut() {
                w.push(c);
            }
        }
    }
    if in_number {
        words.push(String::new());
    }
    (words, numbers)
}

fn add_distinct(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_owned());
    }
}

/// Groups `issues` by kind, in order of each kind's first issue.
pub fn by_kind(issues: &[Issue]) -> Vec<IssueKind> {
    let mut kinds: Vec<IssueKind> = Vec::new();
    for issue in issues {
        let (words, numbers) = split(&issue.message);
        let found = kinds.iter_mut().find(|k| {
            k.job == issue.job
                && k.field == issue.field
                && k.words == words
                && k.records.is_empty() == issue.record.is_none()
                && k.objects.is_empty() == issue.object.is_none()
        });
        let kind = match found {
            Some(kind) => kind,
            None => {
                kinds.push(IssueKind {
                    count: 0,
                    job: issue.job.clone(),
                    field: issue.field.clone(),
                    slots: vec![Vec::new(); numbers.len()],
                    words,
                    records: Vec::new(),
                    objects: Vec::new(),
                });
                let last = kinds.len() - 1;
                &mut kinds[last]
            }
        };
        kind.count += 1;
        for (slot, n) in kind.slots.iter_mut().zip(&numbers) {
            add_distinct(slot, n);
        }
        if let Some(r) = &issue.record {
            add_distinct(&mut kind.records, r);
        }
        if let Some(o) = &issue.object {
            add_distinct(&mut kind.objects, o);
        }
    }
    kinds
}

/// `a, b, c and 7 more`.
fn listing(values: &[String]) -> String {
    let head = values
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > LISTED {
        format!("{head} and {} more", values.len() - LISTED)
    } else {
        head
    }
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.job)?;
        let single = |list: &[String]| (list.len() == 1).then(|| list[0].clone());
        if self.count == 1 {
            if let Some(r) = single(&self.records) {
                write!(f, " record {r}")?;
            }
            if let Some(o) = single(&self.objects) {
                write!(f, " object {o}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, " {field}:")?;
        }
        f.write_str(" ")?;
        for (i, word) in self.words.iter().enumerate() {
            f.write_str(word)?;
            if let Some(values) = self.slots.get(i) {
                match values.as_slice() {
                    [one] => f.write_str(one)?,
                    many => write!(f, "[{}; {} in all]", listing(many), many.len())?,
                }
            }
        }
        if self.count > 1 {
            write!(f, " — {} times", self.count)?;
            if !self.records.is_empty() {
                write!(f, "; records {}", listing(&self.records))?;
            }
            if !self.objects.is_empty() {
                write!(f, "; objects {}", listing(&self.objects))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(record: u32, company: u32) -> Issue {
        Issue::record(
            "devices",
            record.to_string(),
            format!("linked record {company} is not in group 139301; the link is left empty"),
        )
        .with_field("Company (field_40)")
    }

    #[test]
    fn issues_that_differ_in_numbers_are_one_kind() {
        let mut issues: Vec<Issue> = (0..115).map(|n| link(1000 + n, 600 + n % 10)).collect();
        issues.push(Issue::job("devices", "the list field has no values map"));

        let kinds = by_kind(&issues);

        assert_eq!(kinds.len(), 2);
        assert_eq!(kinds[0].count, 115);
        assert_eq!(
            kinds[0].to_string(),
            "[devices] Company (field_40): linked record [600, 601, 602 and 7 more; 10 in all] \
             is not in group 139301; the link is left empty — 115 times; records 1000, 1001, \
             1002 and 112 more"
        );
        assert_eq!(
            kinds[1].to_string(),
            "[devices] the list field has no values map"
        );
    }

    #[test]
    fn a_single_issue_reads_as_it_did() {
        let issue = link(1071, 614);

        let kinds = by_kind(std::slice::from_ref(&issue));

        assert_eq!(kinds[0].to_string(), issue.to_string());
    }

    #[test]
    fn other_fields_and_wordings_stay_apart() {
        let other_field = link(1, 2).with_field("Owner (field_41)");
        let other_words = Issue::record("devices", "1", "no linked record; the link is left empty")
            .with_field("Company (field_40)");

        let kinds = by_kind(&[link(1, 2), other_field, other_words, link(3, 2)]);

        assert_eq!(
            kinds.iter().map(|k| k.count).collect::<Vec<_>>(),
            vec![2, 1, 1]
        );
        assert!(
            kinds[0].to_string().contains("linked record 2 is not"),
            "{}",
            kinds[0]
        );
    }
}
