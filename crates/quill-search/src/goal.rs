//! What the search is looking for: given outputs (examples), or constraints that must hold at
//! given points (a logical specification under CEGIS).

use quill_eval::{eval_with, Column, Context};
use quill_lang::{Term, Value};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// The constraints at one point of a logical specification. `check` is the conjunction of the
/// constraints with the variables fixed to the point and every call of the function under
/// synthesis replaced by `Term::Hole(j)`: the function's value on input tuple `j`.
#[derive(Clone, Debug)]
pub struct PointCheck {
    pub check: Term,
    pub env: Vec<Value>,
    /// The input tuples this point's check reads.
    pub tuples: Vec<usize>,
    /// Verdicts by the function's values on `tuples`: many candidates share those values, and the
    /// check (a whole specification) is far costlier than a lookup.
    pub memo: RefCell<FxHashMap<Vec<Value>, bool>>,
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
            Goal::Spec { points, .. } => {
                let values: Vec<Value> = (0..col.len()).map(|i| col.get(i)).collect();
                points.iter().all(|p| holds(p, &values))
            }
            Goal::Collect => false,
        }
    }

    /// For each input tuple, whether the candidate's value there is right, when that can be
    /// judged tuple by tuple (examples, or a pointwise specification).
    pub fn agreement(&self, col: &Column) -> Option<Vec<bool>> {
        match self {
            Goal::Outputs(target) => Some((0..col.len()).map(|i| col.get(i) == target.get(i)).collect()),
            Goal::Spec { points, pointwise: true } => {
                let values: Vec<Value> = (0..col.len()).map(|i| col.get(i)).collect();
                let mut ok = vec![true; col.len()];
                for p in points {
                    if !holds(p, &values) {
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

pub(crate) fn holds(p: &PointCheck, values: &[Value]) -> bool {
    let key: Vec<Value> = p.tuples.iter().map(|t| values[*t].clone()).collect();
    if let Some(v) = p.memo.borrow().get(&key) {
        return *v;
    }
    let ctx = Context { synth: &[], holes: values };
    let v = matches!(eval_with(&p.check, &p.env, &ctx), Ok(Value::Bool(true)));
    p.memo.borrow_mut().insert(key, v);
    v
}
