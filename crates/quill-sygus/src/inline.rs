//! Helpers that call functions under synthesis.
//!
//! Some benchmarks define a helper around the function being synthesized, such as
//! `(define-fun l ((s BV) (t BV)) Bool (distinct (bvshl s (inv s t)) t))`, and state constraints
//! through it. Such a helper is not a fixed function: its meaning changes with every candidate. The
//! front end therefore inlines these helpers wherever they are called, so that in the constraints
//! every call of a function under synthesis is visible as `Func::Synth` and every `Func::Defined`
//! left is an ordinary, closed helper.

use crate::error::{unsupported, Res};
use quill_lang::sexpr::{SExpr, MAX_DEPTH};
use quill_lang::{Func, Term};

/// Whether a helper's body (already inlined) calls a function under synthesis.
fn synth_helper(f: &Func) -> bool {
    matches!(f, Func::Defined(d) if d.body.calls_synth())
}

/// Whether the term calls a function under synthesis, directly or through a helper.
pub(crate) fn reaches_synth(t: &Term) -> bool {
    match t {
        Term::App(Func::Synth { .. }, _) => true,
        Term::App(f, args) => synth_helper(f) || args.iter().any(reaches_synth),
        _ => false,
    }
}

/// [`inline`]s the term read from `at`, refusing the result if inlining nested it deeper than the
/// reader would have accepted, since every later stage recurses over terms.
pub(crate) fn checked(t: Term, at: &SExpr) -> Res<Term> {
    if !reaches_synth_through_helper(&t) {
        return Ok(t);
    }
    let t = inline(t);
    if depth(&t) > MAX_DEPTH {
        return unsupported(
            at,
            format!(
                "after inlining the helpers that call functions under synthesis, this term is nested \
                 deeper than {MAX_DEPTH} levels, which is not supported"
            ),
        );
    }
    Ok(t)
}

fn depth(t: &Term) -> usize {
    match t {
        Term::App(_, args) => 1 + args.iter().map(depth).max().unwrap_or(0),
        _ => 1,
    }
}

/// Replaces every call of a helper that calls a function under synthesis with the helper's body
/// applied to the arguments. Helper bodies are inlined when they are defined, so one level is
/// enough.
fn inline(t: Term) -> Term {
    if !reaches_synth_through_helper(&t) {
        return t;
    }
    match t {
        Term::App(f, args) => {
            let args: Vec<Term> = args.into_iter().map(inline).collect();
            match &f {
                Func::Defined(d) if d.body.calls_synth() => d.body.substitute_vars(&args),
                _ => Term::App(f, args),
            }
        }
        t => t,
    }
}

/// Whether inlining would change anything, so that the common case copies nothing.
fn reaches_synth_through_helper(t: &Term) -> bool {
    match t {
        Term::App(f, args) => synth_helper(f) || args.iter().any(reaches_synth_through_helper),
        _ => false,
    }
}
