//! The rules that rank the programs that fit before the model's score does: whether a program
//! ignores its inputs, memorizes the examples, breaks on unlabeled or varied inputs (a leading
//! zero, a negated number, a date written otherwise, a time at a slot's edge), or misses carried
//! examples. The guided solver ranks by them. Ignoring the inputs and missing carried
//! examples are read off the candidate's features (see [`rank::features`]), which the pool has
//! already computed.

use crate::rank::{self, Features};
use crate::reformat::Reformat;
use crate::signs::Signs;
use crate::slots::Slots;
use crate::{digits, unlabeled};
use quill_lang::{Term, Value};
use quill_search::{Example, Task};

/// The ranking's rules before the model's score (see `guided::Candidate::rank`), for one task.
pub(crate) struct Judge<'a> {
    examples: &'a [Example],
    unlabeled: &'a [Vec<Value>],
    zeros: Vec<Vec<Value>>,
    signs: Signs,
    reformat: Reformat,
    slots: Slots,
}

impl<'a> Judge<'a> {
    pub(crate) fn new(task: &'a Task, unlabeled: &'a [Vec<Value>]) -> Judge<'a> {
        Judge {
            examples: &task.examples,
            unlabeled,
            zeros: digits::zero_variants(&task.examples),
            signs: Signs::new(&task.examples),
            reformat: Reformat::new(&task.examples),
            slots: Slots::new(&task.examples),
        }
    }

    /// (ignores its inputs, memorizes the examples or misuses a step, unlabeled inputs it breaks
    /// on, varied inputs it breaks on, share of carried examples missed in thousandths). The
    /// varied inputs are of four kinds, counted alike: a day or hour with a leading zero (see
    /// `digits`), the examples' numbers negated (`signs`), their dates written in other formats
    /// (`reformat`), their times' minutes at the edges of slots (`slots`).
    pub(crate) fn rules(&self, t: &Term, features: &Features) -> (bool, bool, u32, u32, u32) {
        // A step helper misused (rounding to 1, or to a negative step) fits by accident, as a
        // lookup table does; the model has been seen to prefer one. So does, from examples with
        // one output, a program that holds that output as a literal (`(str.++ "abc" (str.at a
        // 1))` for `abc`): the constant program with a read of the input that adds nothing.
        let table = quill_search::memorizes(t)
            || quill_lang::numbers::misuses_step(t)
            || holds_an_output(t, self.examples);
        (
            features[rank::IGNORES_INPUTS] > 0.0,
            table,
            unlabeled::breaks(t, self.unlabeled, self.examples),
            unlabeled::breaks(t, &self.zeros, self.examples)
                + self.signs.off(t)
                + self.reformat.off(t)
                + self.slots.off(t),
            (features[rank::MISSES_CARRIED] * 1000.0).round() as u32,
        )
    }
}

/// A value's text, for the rules that read outputs and inputs as text; `None` for other sorts.
pub(crate) fn text(v: &Value) -> Option<String> {
    v.as_str().map(|s| s.to_rust_string())
}

/// Whether every example has the same output, a text of two characters or more, and `t` has it
/// as a literal.
fn holds_an_output(t: &Term, examples: &[Example]) -> bool {
    fn holds(t: &Term, v: &Value) -> bool {
        match t {
            Term::Lit(w) => w == v,
            Term::App(_, args) => args.iter().any(|a| holds(a, v)),
            _ => false,
        }
    }
    match examples {
        [first, rest @ ..] => {
            matches!(&first.output, Value::Str(s) if s.len() > 1)
                && rest.iter().all(|e| e.output == first.output)
                && holds(t, &first.output)
        }
        [] => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_output_held_as_a_literal_is_a_lookup() {
        let lit = |s: &str| Term::Lit(Value::str(s));
        let a = Term::Var(quill_lang::Var { index: 0, name: "a".into(), sort: quill_lang::Sort::String });
        let padded = Term::app(
            quill_lang::Op::StrConcat,
            vec![lit("abc"), Term::app(quill_lang::Op::StrAt, vec![a.clone(), Term::Lit(Value::Int(1))])],
        );
        let ex = |i: &str, o: &str| Example { inputs: vec![Value::str(i)], output: Value::str(o) };
        assert!(holds_an_output(&padded, &[ex("a", "abc")]));
        assert!(!holds_an_output(&a, &[ex("abc", "abc")]));
        // With two outputs, a literal equal to one of them may be a replacement's ("NY").
        assert!(!holds_an_output(&padded, &[ex("a", "abc"), ex("b", "bcd")]));
        // A one-character output is too short to tell.
        assert!(!holds_an_output(&lit("a"), &[ex("x", "a")]));
    }
}
