//! Specifications with nested calls, such as `f(x + f(x, y), y + f(x, y))`.
//!
//! The other CEGIS strategies replace each call by a hole for the input tuple its arguments
//! evaluate to at a point; a call whose arguments contain another call has no such tuple until the
//! candidate is known. Here candidates come from the enumerator in order of cost instead, with
//! behaviours told apart on a fixed grid of small inputs (independent of the points, so one
//! enumeration serves every round), and each is checked by evaluating the whole specification at
//! every counterexample point so far, the function under synthesis bound to the candidate. Only a
//! candidate that holds at every point goes to the verifier.

use crate::cegis::{conjunction, literals, LogicalTask, Verdict, Verifier};
use crate::enumerate::{Search, Setup};
use crate::goal::Goal;
use crate::{Config, Outcome, Stats, StopReason, Task};
use quill_eval::{eval_with, Context};
use quill_lang::{FunDef, Sort, Term, Value};
use std::time::Instant;

/// The most grid rows; larger products are sampled.
const MAX_ROWS: usize = 256;

/// The cost bound of the first enumeration, and its growth per round.
const FIRST_COST: u32 = 5;
const COST_STEP: u32 = 2;

/// Small values of a sort for the grid.
fn grid_values(sort: Sort) -> Vec<Value> {
    match sort {
        Sort::Int => (-2..=3).map(Value::Int).collect(),
        Sort::Bool => vec![Value::Bool(false), Value::Bool(true)],
        other => vec![Value::default_of(other)],
    }
}

/// Input tuples on which candidates' behaviours are compared: the product of small values per
/// parameter, or an evenly spread sample of it when too large.
fn grid(params: &[(quill_lang::Symbol, Sort)]) -> Vec<Vec<Value>> {
    let values: Vec<Vec<Value>> = params.iter().map(|p| grid_values(p.1)).collect();
    let total: usize = values.iter().map(Vec::len).product::<usize>().max(1);
    let step = total.div_ceil(MAX_ROWS).max(1);
    (0..total)
        .step_by(step)
        .map(|mut i| {
            values
                .iter()
                .map(|vs| {
                    let v = vs[i % vs.len()].clone();
                    i /= vs.len();
                    v
                })
                .collect()
        })
        .collect()
}

/// Whether the specification holds at `point` with the function under synthesis defined as `body`.
fn holds(conj: &Term, point: &[Value], def: &FunDef) -> bool {
    let defs = [def];
    let ctx = Context { synth: &defs, holes: &[] };
    matches!(eval_with(conj, point, &ctx), Ok(Value::Bool(true)))
}

pub(crate) fn solve(
    task: &LogicalTask,
    config: &Config,
    verifier: &mut dyn Verifier,
    started: Instant,
) -> Outcome {
    let mut stats = Stats::default();
    let finish = |stop, answers, mut stats: Stats| {
        stats.elapsed = started.elapsed();
        Outcome { answers, stop, stats }
    };
    let conj = conjunction(task);
    let mut hints = Vec::new();
    literals(&conj, &mut hints);
    let search_task = Task {
        params: task.params.clone(),
        ret: task.ret,
        grammar: task.grammar.clone(),
        examples: vec![],
        sketch: None,
    };
    let rows = grid(&task.params);
    let mut points: Vec<Vec<Value>> = vec![task.vars.iter().map(|v| Value::default_of(v.1)).collect()];
    let mut def = FunDef {
        name: "f".into(),
        params: task.params.clone(),
        ret: task.ret,
        body: Term::Lit(Value::Bool(false)),
    };
    // Terms up to this cost were checked in an earlier round.
    let mut checked_to: Option<u32> = None;
    let mut cap = FIRST_COST;
    while cap <= config.max_cost {
        let round = Config { max_cost: cap, ..config.clone() };
        let setup =
            Setup { rows: rows.clone(), goal: Goal::Collect, hints: hints.clone(), constant_output: None };
        let terms = Search::collect(&search_task, setup, &round, started);
        stats.candidates += terms.len() as u64;
        for (t, _, cost) in terms {
            if checked_to.is_some_and(|c| cost <= c) {
                continue;
            }
            if started.elapsed() >= config.timeout {
                return finish(StopReason::Timeout, vec![], stats);
            }
            def.body = t;
            if !points.iter().all(|p| holds(&conj, p, &def)) {
                continue;
            }
            match verifier.verify(&def.body) {
                Verdict::Verified => return finish(StopReason::Solved, vec![def.body], stats),
                Verdict::Counterexample(p) => points.push(p),
                Verdict::Unknown(why) => {
                    return finish(StopReason::Unsupported(format!("verifier: {why}")), vec![], stats)
                }
            }
        }
        if started.elapsed() >= config.timeout {
            return finish(StopReason::Timeout, vec![], stats);
        }
        checked_to = Some(cap);
        cap += COST_STEP;
    }
    finish(StopReason::CostLimit, vec![], stats)
}
