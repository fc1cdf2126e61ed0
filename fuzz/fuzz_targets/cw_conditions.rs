//! The ConnectWise conditions builder and renderer: whatever a caller builds either is
//! refused with an error or renders to text that the server's language reads back, with
//! the same text literal.

#![no_main]

use connectwise_api::fake::{parse_conditions, Expr, Literal as Parsed};
use connectwise_api::Condition;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (field, value) = text.split_once('\n').unwrap_or(("name", text));
    let condition = match selector % 6 {
        0 => Condition::eq(field, value),
        1 => Condition::ne(field, value).and(Condition::is_not_null(field)),
        2 => Condition::contains(field, value),
        3 => Condition::like(field, value).or(Condition::is_null(field)),
        4 => Condition::in_list(field, value.split(',')),
        _ => Condition::not_in(field, value.split(',')),
    };

    let _ = condition.render_without_in();
    let Ok(rendered) = condition.render() else {
        return;
    };
    let parsed = match parse_conditions(&rendered) {
        Ok(parsed) => parsed,
        Err(e) => panic!("{rendered:?} was rendered but does not parse: {e:?}"),
    };
    if selector % 6 == 0 {
        match parsed {
            Expr::Cmp {
                value: Parsed::Str(back),
                ..
            } => assert_eq!(back, value, "the literal changed on the way"),
            other => panic!("{rendered:?} parsed as {other:?}"),
        }
    }
});
