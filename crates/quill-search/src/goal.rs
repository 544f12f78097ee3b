//! What the search is looking for: given outputs (examples), or constraints that must hold at
//! given points (a logical specification under CEGIS).

use quill_eval::{eval_with, Column, Context};
use quill_lang::{Term, Value};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// The constraints at one point of a logical specification: the conjunction of the constraints
/// with the variables fixed to the point and every call of the function under synthesis replaced
/// by a hole. Hole `i` of `check` stands for the function's value on input tuple `tuples[i]`.
#[derive(Clone, Debug)]
pub struct PointCheck {
    check: Term,
    env: Vec<Value>,
    /// The input tuples this point's check reads.
    pub tuples: Vec<usize>,
    /// Verdicts by the function's values on `tuples`: many candidates share those values, and the
    /// check (a whole specification) is far costlier than a lookup.
    memo: RefCell<FxHashMap<Vec<Value>, bool>>,
}

impl PointCheck {
    /// A check whose holes are numbered by input tuple (`Hole(j)` for tuple `j`); it is renumbered
    /// by position in `tuples`, so that evaluating it needs the values on its own tuples only.
    pub fn new(check: Term, env: Vec<Value>, tuples: Vec<usize>) -> Self {
        let check = renumber(&check, &tuples);
        PointCheck { check, env, tuples, memo: Default::default() }
    }

    /// The check after partial evaluation.
    pub fn check(&self) -> &Term {
        &self.check
    }
}

fn renumber(t: &Term, tuples: &[usize]) -> Term {
    match t {
        Term::Hole(j, s) => {
            let local = tuples.iter().position(|x| *x == *j as usize).unwrap_or(*j as usize);
            Term::Hole(local as u32, *s)
        }
        Term::App(f, args) => Term::App(f.clone(), args.iter().map(|a| renumber(a, tuples)).collect()),
        other => other.clone(),
    }
}

/// The search's goal over its input tuples (the columns it evaluates candidates on).
#[derive(Clone, Debug)]
pub enum Goal {
    /// The column of required outputs.
    Outputs(Column),
    /// Constraints at points. When every point reads exactly one tuple (the specification is
    /// single-invocation), each tuple can be judged on its own, which the unifier needs.
    Spec { points: Vec<PointCheck>, pointwise: bool },
    /// No term is an answer: the search only fills its bank (for callers that combine terms
    /// themselves).
    Collect,
}

impl Goal {
    /// Whether a candidate with these values meets the goal.
    pub fn accepts(&self, col: &Column) -> bool {
        match self {
            Goal::Outputs(target) => col == target,
            Goal::Spec { points, .. } => points.iter().all(|p| holds(p, &|t| col.get(t))),
            Goal::Collect => false,
        }
    }

    /// For each input tuple, whether the candidate's value there is right, when that can be
    /// judged tuple by tuple (examples, or a pointwise specification).
    pub fn agreement(&self, col: &Column) -> Option<Vec<bool>> {
        match self {
            Goal::Outputs(target) => Some((0..col.len()).map(|i| col.get(i) == target.get(i)).collect()),
            Goal::Spec { points, pointwise: true } => {
                let mut ok = vec![true; col.len()];
                for p in points {
                    if !holds(p, &|t| col.get(t)) {
                        p.tuples.iter().for_each(|t| ok[*t] = false);
                    }
                }
                Some(ok)
            }
            Goal::Spec { .. } | Goal::Collect => None,
        }
    }

    pub fn outputs(&self) -> Option<&Column> {
        match self {
            Goal::Outputs(c) => Some(c),
            Goal::Spec { .. } | Goal::Collect => None,
        }
    }
}

/// Whether the point's check holds when the function's value on tuple `t` is `value(t)`.
pub(crate) fn holds(p: &PointCheck, value: &dyn Fn(usize) -> Value) -> bool {
    // Most points read one tuple; their values need no vector of their own.
    match p.tuples.as_slice() {
        [t] => holds_at(p, std::slice::from_ref(&value(*t))),
        ts => holds_at(p, &ts.iter().map(|t| value(*t)).collect::<Vec<_>>()),
    }
}

fn holds_at(p: &PointCheck, values: &[Value]) -> bool {
    if let Some(v) = p.memo.borrow().get(values) {
        return *v;
    }
    let ctx = Context { synth: &[], holes: values };
    let v = matches!(eval_with(&p.check, &p.env, &ctx), Ok(Value::Bool(true)));
    p.memo.borrow_mut().insert(values.to_vec(), v);
    v
}
