//! Recognising programming-by-example problems.
//!
//! Many SyGuS problems (the PBE tracks) are nothing but input/output pairs written as constraints.
//! Recognising them lets a solver skip the verifier and work with examples directly.

use crate::Problem;
use quill_lang::{Func, Op, Term, Value};

/// One input/output example of the function to synthesize.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Example {
    pub inputs: Vec<Value>,
    pub output: Value,
}

pub(crate) fn extract(p: &Problem) -> Option<Vec<Example>> {
    if p.synth_funs.len() != 1 || p.constraints.is_empty() {
        return None;
    }
    p.constraints.iter().map(|c| example(&c.term)).collect()
}

/// The example a constraint states, if it is `(= (f lit..) lit)` or `(= lit (f lit..))`.
fn example(t: &Term) -> Option<Example> {
    let Term::App(Func::Builtin(Op::Eq), sides) = t else { return None };
    let (call, out) = match sides.as_slice() {
        [call @ Term::App(Func::Synth { .. }, _), Term::Lit(v)] => (call, v),
        [Term::Lit(v), call @ Term::App(Func::Synth { .. }, _)] => (call, v),
        _ => return None,
    };
    let Term::App(_, args) = call else { return None };
    let inputs = args
        .iter()
        .map(|a| match a {
            Term::Lit(v) => Some(v.clone()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Example { inputs, output: out.clone() })
}
