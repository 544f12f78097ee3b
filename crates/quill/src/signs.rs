//! A number's sign as evidence for choosing among the programs that fit.
//!
//! Three examples that turn `76.2` into `76` fit both "the first run of digits" and "the part
//! before the point", and only a negative input tells them apart: `-7.8` gives `7` and `-7`. When
//! every example maps numbers to numbers and none is negative, the examples say nothing about
//! signs, and the reading that keeps one is the one a user means: rounding, truncating and
//! formatting a number all keep its sign. So the programs that fit are also run on the examples'
//! inputs with their numbers negated ([`Signs::new`]), and a program whose output there is a
//! number other than zero without a sign is off: it dropped the sign. A program that gives
//! nothing, zero or an error there (one that reads numbers with `str.to_int`, which reads no sign)
//! is not judged: it fails on negative numbers, but so may every program that fits, and then the
//! usual order should choose among them as if no negative number had been tried.

use crate::judge::text;
use quill_lang::{Term, Value};
use quill_search::Example;

/// The examples' inputs with their numbers negated, when the examples are about non-negative
/// numbers; judged by [`Signs::off`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Signs {
    negated: Vec<Vec<Value>>,
}

/// Whether `s` is a plain non-negative number: digits, then optionally a point and digits.
fn plain_number(s: &str) -> bool {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// Whether `s` is a number without its sign: a plain number (see [`plain_number`]) other than
/// zero.
fn unsigned(s: &str) -> bool {
    plain_number(s) && s.bytes().any(|b| matches!(b, b'1'..=b'9'))
}

impl Signs {
    /// Negated inputs when every example's output is a plain non-negative number and each
    /// example has an input that is one (the others stay as they are): each such input is
    /// written with a `-` in front. Nothing otherwise, so text that merely holds digits (a code,
    /// a date) is never varied.
    pub(crate) fn new(examples: &[Example]) -> Signs {
        let numeric = |v: &Value| text(v).is_some_and(|s| plain_number(&s));
        let applies = !examples.is_empty()
            && examples.iter().all(|e| numeric(&e.output) && e.inputs.iter().any(numeric));
        if !applies {
            return Signs::default();
        }
        let mut negated: Vec<Vec<Value>> = Vec::new();
        for e in examples {
            let inputs: Vec<Value> = e
                .inputs
                .iter()
                .map(|v| match text(v) {
                    Some(s) if plain_number(&s) => Value::str(&format!("-{s}")),
                    _ => v.clone(),
                })
                .collect();
            if !negated.contains(&inputs) {
                negated.push(inputs);
            }
        }
        Signs { negated }
    }

    /// On how many negated inputs `t` gives a number other than zero without a sign.
    pub(crate) fn off(&self, t: &Term) -> u32 {
        let dropped = |i: &&Vec<Value>| {
            quill_eval::eval(t, i).ok().and_then(|v| text(&v)).is_some_and(|s| unsigned(&s))
        };
        self.negated.iter().filter(dropped).count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quill_lang::{Op, Sort, Var};

    fn ex(i: &str, o: &str) -> Example {
        Example { inputs: vec![Value::str(i)], output: Value::str(o) }
    }

    fn arg() -> Term {
        Term::Var(Var { index: 0, name: "a".into(), sort: Sort::String })
    }

    #[test]
    fn numbers_are_told_from_text_with_digits() {
        for s in ["0", "76.2", "14.1324", "1000"] {
            assert!(plain_number(s), "{s}");
        }
        for s in ["", "-7", "7.", ".5", "1,652", "1e5", "12:30", "$5"] {
            assert!(!plain_number(s), "{s}");
        }
        for s in ["7", "0.01", "140"] {
            assert!(unsigned(s), "{s}");
        }
        for s in ["-7", "-0.02", "0", "0.00", "", "-", "x"] {
            assert!(!unsigned(s), "{s}");
        }
    }

    #[test]
    fn a_program_that_drops_the_sign_is_off() {
        let signs = Signs::new(&[ex("76.2", "76"), ex("14.0", "14"), ex("14.1324", "14")]);
        assert_eq!(signs.negated.len(), 3);
        // The input itself keeps the sign; two characters after the first do not ("76").
        assert_eq!(signs.off(&arg()), 0);
        let two = Term::app(Op::StrSubstr, vec![arg(), Term::Lit(Value::Int(1)), Term::Lit(Value::Int(2))]);
        assert_eq!(signs.off(&two), 3);
        // `str.to_int` reads no sign: -1, and its text "". That fails rather than drops the sign.
        let reread = Term::app(Op::StrFromInt, vec![Term::app(Op::StrToInt, vec![arg()])]);
        assert_eq!(signs.off(&reread), 0);
    }

    #[test]
    fn only_numbers_to_numbers_are_varied() {
        assert!(Signs::new(&[ex("76.2", "76"), ex("abc", "1")]).negated.is_empty());
        assert!(Signs::new(&[ex("76.2", "seventy-six")]).negated.is_empty());
        // An example with a negative number already shows what signs do.
        assert!(Signs::new(&[ex("76.2", "76"), ex("-7.8", "-7")]).negated.is_empty());
        assert!(Signs::new(&[]).negated.is_empty());
    }
}
