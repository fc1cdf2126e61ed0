//! The ids a filter can match, read from its `id` comparisons, so that a listing or a
//! count reads only those records instead of the whole collection. Re-reads
//! (`id in (…)`) and id ranges (`id > a and id <= b`) then cost what they return.

use std::collections::{BTreeMap, BTreeSet};

use super::conditions::{Expr, Literal, Op};
use super::store::Record;

/// A superset of the ids a filter accepts: an inclusive range, and perhaps a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdScope {
    min: i64,
    max: i64,
    only: Option<BTreeSet<i64>>,
}

/// An integer id equal to `n`, if there is one.
fn integral(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.is_finite()).then_some(n as i64)
}

impl IdScope {
    /// Every id.
    pub(crate) fn all() -> IdScope {
        IdScope {
            min: i64::MIN,
            max: i64::MAX,
            only: None,
        }
    }

    /// The scope of `conditions`: `id` comparisons with numbers joined to the rest by
    /// `and` narrow it; anything else (an `or`, another field) leaves it as it is. The
    /// filter is still applied to every record in scope.
    pub(crate) fn of(conditions: Option<&Expr>) -> IdScope {
        let mut scope = IdScope::all();
        if let Some(expr) = conditions {
            scope.narrow(expr);
        }
        scope
    }

    fn narrow(&mut self, expr: &Expr) {
        match expr {
            Expr::And(parts) => parts.iter().for_each(|p| self.narrow(p)),
            Expr::Cmp { path, op, value } if path.len() == 1 && path[0] == "id" => {
                self.compare(*op, value);
            }
            _ => {}
        }
    }

    fn compare(&mut self, op: Op, value: &Literal) {
        let number = match value {
            Literal::Num(n) if n.is_finite() => Some(*n),
            _ => None,
        };
        match (op, number) {
            (Op::Eq, Some(n)) => self.keep(integral(n).into_iter().collect()),
            (Op::Gt, Some(n)) => self.min = self.min.max((n.floor() as i64).saturating_add(1)),
            (Op::Ge, Some(n)) => self.min = self.min.max(n.ceil() as i64),
            (Op::Lt, Some(n)) => self.max = self.max.min((n.ceil() as i64).saturating_sub(1)),
            (Op::Le, Some(n)) => self.max = self.max.min(n.floor() as i64),
            (Op::In, None) => {
                let Literal::List(items) = value else { return };
                let numbers: Option<BTreeSet<i64>> = items
                    .iter()
                    .map(|item| match item {
                        Literal::Num(n) => Some(integral(*n)),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()
                    .map(|ids| ids.into_iter().flatten().collect());
                if let Some(ids) = numbers {
                    self.keep(ids);
                }
            }
            _ => {}
        }
    }

    fn keep(&mut self, ids: BTreeSet<i64>) {
        self.only = Some(match self.only.take() {
            Some(old) => old.intersection(&ids).copied().collect(),
            None => ids,
        });
    }

    /// The stored records in scope with ids of at least `from`, in id order.
    pub(crate) fn records<'t>(
        &'t self,
        table: &'t BTreeMap<i64, Record>,
        from: i64,
    ) -> Box<dyn Iterator<Item = (i64, &'t Record)> + 't> {
        let min = self.min.max(from);
        if min > self.max {
            return Box::new(std::iter::empty());
        }
        match &self.only {
            Some(ids) => Box::new(
                ids.range(min..=self.max)
                    .filter_map(|id| table.get(id).map(|r| (*id, r))),
            ),
            None => Box::new(table.range(min..=self.max).map(|(id, r)| (*id, r))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::conditions::parse;
    use super::*;

    fn scope(text: &str) -> IdScope {
        IdScope::of(Some(&parse(text).expect("the condition parses")))
    }

    #[test]
    fn id_comparisons_narrow_and_others_do_not() {
        let s = scope("id > 10 and id <= 20 and name = \"x\"");
        assert_eq!((s.min, s.max, s.only), (11, 20, None));
        let s = scope("id >= 10.5 and id < 20.5");
        assert_eq!((s.min, s.max), (11, 20));
        let s = scope("id in (3, 5, 7) and id != 5");
        assert_eq!(s.only, Some(BTreeSet::from([3, 5, 7])));
        assert_eq!(scope("id = 3 or id = 4"), IdScope::all());
        assert_eq!(scope("id = 2.5").only, Some(BTreeSet::new()));
        assert_eq!(scope("id in (\"3\", 4)"), IdScope::all());
    }
}
