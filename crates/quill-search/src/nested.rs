//! Specifications with nested calls, such as `f(x + f(x, y), y + f(x, y))`.
//!
//! The other CEGIS strategies replace each call by a hole for the input tuple its arguments
//! evaluate to at a point; a call whose arguments contain another call has no such tuple until the
//! candidate is known. Here candidates come from the enumerator in order of cost instead, with
//! behaviours told apart on a fixed grid of small inputs (independent of the points, so one
//! enumeration serves every round), and each is checked by evaluating the whole specification at
//! every counterexample point so far, the function under synthesis bound to the candidate. Only a
//! candidate that holds at every point goes to the verifier.

use crate::cegis::{conjunction, conjunction_of, literals, LogicalTask, Verdict, Verifier};
use crate::enumerate::{Search, Setup};
use crate::goal::Goal;
use crate::multi::{MultiOutcome, MultiTask, Signature};
use crate::{Config, Outcome, Stats, StopReason};
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
        Sort::BitVec(width) => {
            let mask = quill_lang::value::bv_mask(width);
            let mut bits = vec![0, 1, 2, 3, mask, mask >> 1, (mask >> 1) + 1];
            bits.iter_mut().for_each(|b| *b &= mask);
            bits.sort_unstable();
            bits.dedup();
            bits.into_iter().map(|bits| Value::BitVec { width, bits }).collect()
        }
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

/// Whether the specification holds at `point` with the functions under synthesis defined by `defs`.
fn holds(conj: &Term, point: &[Value], defs: &[&FunDef]) -> bool {
    let ctx = Context { synth: defs, holes: &[] };
    matches!(eval_with(conj, point, &ctx), Ok(Value::Bool(true)))
}

/// Single function: see the module documentation.
pub(crate) fn solve(
    task: &LogicalTask,
    config: &Config,
    verifier: &mut dyn Verifier,
    started: Instant,
) -> Outcome {
    let sig = Signature { params: task.params.clone(), ret: task.ret, grammar: task.grammar.clone() };
    let (answer, stop, mut stats) = run(&[sig], &task.vars, &conjunction(task), config, verifier, started);
    stats.elapsed = started.elapsed();
    Outcome { answers: answer.into_iter().flatten().collect(), stop, stats }
}

/// Several functions: see the module documentation; combinations are tried in order of total cost.
pub(crate) fn solve_multi(task: &MultiTask, config: &Config, verifier: &mut dyn Verifier) -> MultiOutcome {
    let started = Instant::now();
    let conj = conjunction_of(&task.constraints);
    let (answer, stop, mut stats) = run(&task.funcs, &task.vars, &conj, config, verifier, started);
    stats.elapsed = started.elapsed();
    MultiOutcome { answer, stop, stats }
}

/// At most this many combinations of terms per round (the per-function lists are cut to its k-th
/// root for k functions).
const MAX_COMBINATIONS: f64 = 4e6;

fn run(
    funcs: &[Signature],
    vars: &[(quill_lang::Symbol, Sort)],
    conj: &Term,
    config: &Config,
    verifier: &mut dyn Verifier,
    started: Instant,
) -> (Option<Vec<Term>>, StopReason, Stats) {
    let mut stats = Stats::default();
    let mut hints = Vec::new();
    literals(conj, &mut hints);
    let grids: Vec<Vec<Vec<Value>>> = funcs.iter().map(|f| grid(&f.params)).collect();
    let per_function = MAX_COMBINATIONS.powf(1.0 / funcs.len().max(1) as f64) as usize;
    let mut points: Vec<Vec<Value>> = vec![vars.iter().map(|v| Value::default_of(v.1)).collect()];
    let mut defs: Vec<FunDef> = funcs
        .iter()
        .enumerate()
        .map(|(i, f)| FunDef {
            name: format!("f{i}").as_str().into(),
            params: f.params.clone(),
            ret: f.ret,
            body: Term::Lit(Value::default_of(f.ret)),
        })
        .collect();
    // Combinations whose every term costs at most this were checked in an earlier round.
    let mut checked_to: Option<u32> = None;
    let mut cap = FIRST_COST;
    while cap <= config.max_cost {
        let round = Config { max_cost: cap, ..config.clone() };
        let mut lists = Vec::with_capacity(funcs.len());
        for (f, rows) in funcs.iter().zip(&grids) {
            let task = f.search_task();
            let setup = Setup {
                rows: rows.clone(),
                goal: Goal::Collect,
                hints: hints.clone(),
                constant_output: None,
            };
            let mut terms: Vec<(Term, u32)> =
                Search::collect(&task, setup, &round, started).into_iter().map(|(t, _, c)| (t, c)).collect();
            terms.truncate(per_function);
            stats.candidates += terms.len() as u64;
            lists.push(terms);
        }
        if lists.iter().any(Vec::is_empty) {
            return (None, StopReason::Exhausted, stats);
        }
        let mut search = Combine {
            lists: &lists,
            conj,
            points: &mut points,
            defs: &mut defs,
            chosen: vec![0; funcs.len()],
            checked_to,
            verifier: &mut *verifier,
            config,
            started,
        };
        let min_total: u32 = lists.iter().map(|l| l[0].1).sum();
        let max_total: u32 = lists.iter().map(|l| l.last().map_or(0, |x| x.1)).sum();
        for total in min_total..=max_total {
            match search.go(0, total) {
                Found::Nothing => {}
                Found::Answer(bodies) => return (Some(bodies), StopReason::Solved, stats),
                Found::Stop(stop) => return (None, stop, stats),
            }
        }
        checked_to = Some(cap);
        cap += COST_STEP;
    }
    (None, StopReason::CostLimit, stats)
}

enum Found {
    Nothing,
    Answer(Vec<Term>),
    Stop(StopReason),
}

struct Combine<'a> {
    lists: &'a [Vec<(Term, u32)>],
    conj: &'a Term,
    points: &'a mut Vec<Vec<Value>>,
    defs: &'a mut Vec<FunDef>,
    chosen: Vec<usize>,
    checked_to: Option<u32>,
    verifier: &'a mut dyn Verifier,
    config: &'a Config,
    started: Instant,
}

impl Combine<'_> {
    /// Picks terms for functions `f..` whose costs add up to exactly `budget`, checking each full
    /// combination at the points and then with the verifier.
    fn go(&mut self, f: usize, budget: u32) -> Found {
        if f == self.lists.len() {
            if budget != 0 {
                return Found::Nothing;
            }
            return self.check();
        }
        let rest_min: u32 = self.lists[f + 1..].iter().map(|l| l[0].1).sum();
        for i in 0..self.lists[f].len() {
            let cost = self.lists[f][i].1;
            if cost + rest_min > budget {
                break;
            }
            self.chosen[f] = i;
            match self.go(f + 1, budget - cost) {
                Found::Nothing => {}
                other => return other,
            }
        }
        Found::Nothing
    }

    fn check(&mut self) -> Found {
        if self.started.elapsed() >= self.config.timeout {
            return Found::Stop(StopReason::Timeout);
        }
        let costs = self.chosen.iter().enumerate().map(|(f, &i)| self.lists[f][i].1);
        if let Some(c) = self.checked_to {
            if costs.clone().all(|x| x <= c) {
                return Found::Nothing;
            }
        }
        for (f, &i) in self.chosen.iter().enumerate() {
            self.defs[f].body = self.lists[f][i].0.clone();
        }
        let refs: Vec<&FunDef> = self.defs.iter().collect();
        if !self.points.iter().all(|p| holds(self.conj, p, &refs)) {
            return Found::Nothing;
        }
        let bodies: Vec<Term> = self.defs.iter().map(|d| d.body.clone()).collect();
        match self.verifier.verify_all(&bodies) {
            Verdict::Verified => Found::Answer(bodies),
            Verdict::Counterexample(p) => {
                if self.points.contains(&p) {
                    let why =
                        format!("counterexample {p:?} repeats: the evaluator accepts the candidates there");
                    return Found::Stop(StopReason::Unsupported(why));
                }
                self.points.push(p);
                Found::Nothing
            }
            Verdict::Unknown(why) => Found::Stop(StopReason::Unsupported(format!("verifier: {why}"))),
        }
    }
}
