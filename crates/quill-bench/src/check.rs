//! Checking an answer with Quill's evaluator: every constraint must evaluate to true.
//!
//! Constraints without variables (examples) are evaluated once. Constraints over declared variables
//! are evaluated on [`SAMPLES`] assignments drawn from a seeded generator, mixing small values, edge
//! values and the string literals of the problem: a failing sample proves the answer wrong, passing
//! ones do not prove it right, which is why the z3 check (`z3.rs`) is asked as well.

use crate::holdout::SplitMix64;
use crate::suite::Example;
use quill_eval::{eval_with, Context};
use quill_lang::{FunDef, Sort, Term, Value};
use quill_sygus::Problem;

/// How many variable assignments a constraint with variables is evaluated on.
pub const SAMPLES: usize = 64;

/// What the evaluator says about an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum EvalVerdict {
    /// Every constraint held; `sampled` when some had variables and were only tried on samples.
    Pass { sampled: bool },
    /// A constraint is false (which one, and on what values).
    Fail(String),
    /// The evaluator could not decide (an evaluation error on every try).
    Unknown(String),
}

/// Evaluates every constraint of `problem` with `defs` as the bodies of its functions to synthesize.
pub fn eval_check(problem: &Problem, defs: &[FunDef]) -> EvalVerdict {
    let refs: Vec<&FunDef> = defs.iter().collect();
    let ctx = Context { synth: &refs, holes: &[] };
    let sorts: Vec<Sort> = problem.declared_vars.iter().map(|v| v.1).collect();
    let strings = string_literals(problem);
    let mut rng = SplitMix64::new(0x5eed);
    let mut sampled = false;
    for c in &problem.constraints {
        let has_vars = mentions_vars(&c.term);
        let tries = if has_vars { SAMPLES } else { 1 };
        sampled |= has_vars;
        let mut decided = 0;
        let mut last_err = String::new();
        for t in 0..tries {
            let env: Vec<Value> = sorts.iter().map(|s| sample(*s, t, &mut rng, &strings)).collect();
            match eval_with(&c.term, &env, &ctx) {
                Ok(Value::Bool(true)) => decided += 1,
                Ok(Value::Bool(false)) => {
                    let at =
                        if has_vars { format!(" with {}", show_env(problem, &env)) } else { String::new() };
                    return EvalVerdict::Fail(format!("constraint at line {} is false{at}", c.line));
                }
                Ok(v) => return EvalVerdict::Unknown(format!("constraint at line {} gave {v}", c.line)),
                Err(e) => last_err = e.to_string(),
            }
        }
        if decided == 0 {
            return EvalVerdict::Unknown(format!("constraint at line {}: {last_err}", c.line));
        }
    }
    EvalVerdict::Pass { sampled }
}

/// How many held-out examples a single-function answer gets right.
pub fn score_heldout(def: &FunDef, heldout: &[Example]) -> usize {
    heldout
        .iter()
        .filter(|e| eval_with(&def.body, &e.inputs, &Context::default()).is_ok_and(|v| v == e.output))
        .count()
}

fn mentions_vars(t: &Term) -> bool {
    match t {
        Term::Var(_) => true,
        Term::App(_, args) => args.iter().any(mentions_vars),
        _ => false,
    }
}

fn string_literals(problem: &Problem) -> Vec<Value> {
    fn walk(t: &Term, out: &mut Vec<Value>) {
        match t {
            Term::Lit(v @ Value::Str(_)) if !out.contains(v) => out.push(v.clone()),
            Term::App(_, args) => args.iter().for_each(|a| walk(a, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    problem.constraints.iter().for_each(|c| walk(&c.term, &mut out));
    out
}

/// The `t`-th sample of a sort: the first few are edge values, the rest random.
fn sample(sort: Sort, t: usize, rng: &mut SplitMix64, strings: &[Value]) -> Value {
    let r = rng.next_u64();
    match sort {
        Sort::Bool => Value::Bool(r & 1 == 1),
        Sort::Int => {
            const EDGES: [i64; 5] = [0, 1, -1, 2, -2];
            match EDGES.get(t) {
                Some(v) => Value::Int(*v),
                None if r.is_multiple_of(4) => Value::Int((r >> 8) as i64 % 1_000_000),
                None => Value::Int((r >> 8) as i64 % 21 - 10),
            }
        }
        Sort::String => {
            if !strings.is_empty() && r.is_multiple_of(2) {
                strings[(r >> 8) as usize % strings.len()].clone()
            } else {
                let len = (r >> 4) as usize % 5;
                let chars: Vec<char> =
                    (0..len).map(|i| ['a', 'b', ' ', '1', '.'][((r >> (10 + 3 * i)) % 5) as usize]).collect();
                Value::Str(chars.into())
            }
        }
        Sort::BitVec(w) => {
            let edges = [0, 1, u64::MAX, 1u64 << (w - 1), (1u64 << (w - 1)).wrapping_sub(1)];
            Value::bv(w, edges.get(t).copied().unwrap_or(r))
        }
    }
}

fn show_env(problem: &Problem, env: &[Value]) -> String {
    problem
        .declared_vars
        .iter()
        .zip(env)
        .map(|((n, _), v)| format!("{n} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
