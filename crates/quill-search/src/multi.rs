//! CEGIS for several functions under synthesis at once (`synth-fun` more than once in a file).
//!
//! Each round enumerates, for every function separately, its terms in order of cost, one per
//! behaviour on the inputs that function is called with at the points so far (observational
//! equivalence is sound here because the constraints read nothing else of a function). A
//! depth-first search then picks one term per function, in order, within a total cost that grows
//! step by step, so the first combination found is among the cheapest; each constraint is checked
//! as soon as every function it calls has a term, which prunes most combinations early. The
//! verifier checks the combination for all inputs, and a counterexample joins the points.

use crate::budget::Deadline;
use crate::cegis::{literals, simplify, Verdict, Verifier};
use crate::enumerate::{Search, Setup};
use crate::goal::{holds, Goal, PointCheck};
use crate::{Config, Stats, StopReason, Task};
use quill_eval::{eval, Column, EvalError};
use quill_lang::{Func, Grammar, Sort, Symbol, Term, Value};
use std::time::Instant;

/// One function under synthesis.
#[derive(Clone, Debug)]
pub struct Signature {
    pub params: Vec<(Symbol, Sort)>,
    pub ret: Sort,
    pub grammar: Grammar,
}

impl Signature {
    /// The function as a search task with no examples (its goal comes with the search's setup).
    pub(crate) fn search_task(&self) -> Task {
        Task {
            params: self.params.clone(),
            ret: self.ret,
            grammar: self.grammar.clone(),
            examples: vec![],
            sketch: None,
        }
    }
}

/// A logical specification over several functions; calls are `Func::Synth { index, .. }` with
/// `index` the position in `funcs`.
#[derive(Clone, Debug)]
pub struct MultiTask {
    pub funcs: Vec<Signature>,
    pub vars: Vec<(Symbol, Sort)>,
    pub constraints: Vec<Term>,
}

/// The result: one body per function when solved.
#[derive(Clone, Debug)]
pub struct MultiOutcome {
    pub answer: Option<Vec<Term>>,
    pub stop: StopReason,
    pub stats: Stats,
}

const MAX_ROUNDS: usize = 10_000;
/// The costliest term enumerated per function in one round.
const MAX_TERM_COST: u32 = 8;
/// At most this many terms per function are combined (the cheapest).
const MAX_TERMS: usize = 4_000;

/// Runs CEGIS over all functions together until verified, out of budget, or unknown.
pub fn cegis_multi(task: &MultiTask, config: &Config, verifier: &mut dyn Verifier) -> MultiOutcome {
    let started = Instant::now();
    // As in `cegis`: no waiting for simpler answers to arbitrary points.
    let config = &Config { occam: None, ..config.clone() };
    let mut stats = Stats::default();
    let finish = |stop, answer, mut stats: Stats| {
        stats.elapsed = started.elapsed();
        MultiOutcome { answer, stop, stats }
    };
    if task.constraints.iter().any(nested) {
        return crate::nested::solve_multi(task, config, verifier);
    }
    let mut hints = Vec::new();
    task.constraints.iter().for_each(|c| literals(c, &mut hints));
    let mut points: Vec<Vec<Value>> = vec![task.vars.iter().map(|v| Value::default_of(v.1)).collect()];
    for _ in 0..MAX_ROUNDS {
        let table = match Table::new(task, &points) {
            Ok(t) => t,
            Err(e) => {
                let why = format!("evaluating a counterexample: {e}");
                return finish(StopReason::Unsupported(why), None, stats);
            }
        };
        if table.checks.iter().any(|c| *c.check.check() == Term::Lit(Value::Bool(false))) {
            // A constraint that calls no function is false at a point: nothing can meet it.
            return finish(StopReason::Infeasible, None, stats);
        }
        let lists: Vec<Vec<(Term, Column, u32)>> = task
            .funcs
            .iter()
            .zip(&table.rows)
            .map(|(f, rows)| terms(f, rows, &hints, config, started))
            .collect();
        stats.candidates += lists.iter().map(|l| l.len() as u64).sum::<u64>();
        let Some(candidate) = combine(&table, &lists, config, started, &mut stats) else {
            let stop =
                if started.elapsed() >= config.timeout { StopReason::Timeout } else { StopReason::CostLimit };
            return finish(stop, None, stats);
        };
        match verifier.verify_all(&candidate) {
            Verdict::Verified => return finish(StopReason::Solved, Some(candidate), stats),
            Verdict::Counterexample(p) => {
                if points.contains(&p) {
                    let why =
                        format!("counterexample {p:?} repeats: the evaluator accepts the candidates there");
                    return finish(StopReason::Unsupported(why), None, stats);
                }
                points.push(p);
            }
            Verdict::Unknown(why) => {
                return finish(StopReason::Unsupported(format!("verifier: {why}")), None, stats)
            }
        }
        if started.elapsed() >= config.timeout {
            return finish(StopReason::Timeout, None, stats);
        }
    }
    finish(StopReason::CostLimit, None, stats)
}

fn nested(t: &Term) -> bool {
    match t {
        Term::App(Func::Synth { .. }, args) => args.iter().any(Term::calls_synth),
        Term::App(_, args) => args.iter().any(nested),
        _ => false,
    }
}

/// A constraint at a point, with the last function (in order) whose value it reads.
struct Check {
    check: PointCheck,
    last: usize,
}

/// The inputs each function is called with, and the checks. Hole `h` of a check stands for the
/// value of function `slots[h].0` on its input row `slots[h].1`.
struct Table {
    rows: Vec<Vec<Vec<Value>>>,
    slots: Vec<(usize, usize)>,
    checks: Vec<Check>,
}

impl Table {
    fn new(task: &MultiTask, points: &[Vec<Value>]) -> Result<Table, EvalError> {
        let mut t = Table { rows: vec![Vec::new(); task.funcs.len()], slots: Vec::new(), checks: Vec::new() };
        for p in points {
            for c in &task.constraints {
                let mut read = Vec::new();
                let replaced = t.replace(c, p, &mut read)?;
                let check = simplify(&replaced, p);
                if check == Term::Lit(Value::Bool(true)) {
                    continue;
                }
                let last = read.iter().map(|h| t.slots[*h].0).max().unwrap_or(0);
                let check = PointCheck::new(check, p.clone(), read);
                t.checks.push(Check { check, last });
            }
        }
        // Checks that prune most come first: those decided by the fewest functions.
        t.checks.sort_by_key(|c| c.last);
        Ok(t)
    }

    fn replace(&mut self, t: &Term, env: &[Value], read: &mut Vec<usize>) -> Result<Term, EvalError> {
        Ok(match t {
            Term::App(Func::Synth { index, ret, .. }, args) => {
                let f = *index as usize;
                let row = args.iter().map(|a| eval(a, env)).collect::<Result<Vec<_>, _>>()?;
                let r = match self.rows[f].iter().position(|x| *x == row) {
                    Some(r) => r,
                    None => {
                        self.rows[f].push(row);
                        self.rows[f].len() - 1
                    }
                };
                let h = match self.slots.iter().position(|s| *s == (f, r)) {
                    Some(h) => h,
                    None => {
                        self.slots.push((f, r));
                        self.slots.len() - 1
                    }
                };
                if !read.contains(&h) {
                    read.push(h);
                }
                Term::Hole(h as u32, *ret)
            }
            Term::App(f, args) => Term::App(
                f.clone(),
                args.iter().map(|a| self.replace(a, env, read)).collect::<Result<_, _>>()?,
            ),
            other => other.clone(),
        })
    }
}

/// The function's terms up to [`MAX_TERM_COST`], one per behaviour on its rows, cheapest first.
fn terms(
    f: &Signature,
    rows: &[Vec<Value>],
    hints: &[Value],
    config: &Config,
    started: Instant,
) -> Vec<(Term, Column, u32)> {
    // A function no constraint calls at the points so far is still needed: one row of defaults
    // gives it a behaviour to enumerate on.
    let rows = if rows.is_empty() {
        vec![f.params.iter().map(|p| Value::default_of(p.1)).collect()]
    } else {
        rows.to_vec()
    };
    let task = f.search_task();
    let setup = Setup { rows, goal: Goal::Collect, hints: hints.to_vec(), constant_output: None };
    let round = Config { max_cost: MAX_TERM_COST.min(config.max_cost), ..config.clone() };
    let mut out = Search::collect(&task, setup, &round, started);
    out.truncate(MAX_TERMS);
    out
}

/// The cheapest combination (by total cost, growing) that meets every check, if any within the
/// budget.
fn combine(
    table: &Table,
    lists: &[Vec<(Term, Column, u32)>],
    config: &Config,
    started: Instant,
    stats: &mut Stats,
) -> Option<Vec<Term>> {
    let k = lists.len();
    if lists.iter().any(Vec::is_empty) {
        return None;
    }
    let mut deadline = Deadline::new(config.timeout.saturating_sub(started.elapsed()));
    let max_total = lists.iter().map(|l| l.last().map_or(0, |x| x.2)).sum::<u32>();
    let min_total = lists.iter().map(|l| l[0].2).sum::<u32>();
    let mut values = vec![Value::Bool(false); table.slots.len()];
    let mut chosen = vec![0usize; k];
    for total in min_total..=max_total {
        let mut dfs =
            Dfs { table, lists, values: &mut values, chosen: &mut chosen, deadline: &mut deadline, stats };
        match dfs.go(0, total) {
            Some(true) => {
                return Some(chosen.iter().enumerate().map(|(f, i)| lists[f][*i].0.clone()).collect())
            }
            Some(false) => {}
            None => return None,
        }
    }
    None
}

struct Dfs<'t> {
    table: &'t Table,
    lists: &'t [Vec<(Term, Column, u32)>],
    values: &'t mut Vec<Value>,
    chosen: &'t mut Vec<usize>,
    deadline: &'t mut Deadline,
    stats: &'t mut Stats,
}

impl Dfs<'_> {
    /// Assigns functions `f..` with exactly `budget` cost left in total. `None` when time is up.
    fn go(&mut self, f: usize, budget: u32) -> Option<bool> {
        let k = self.lists.len();
        // The cheapest the remaining functions can cost, beyond this one.
        let rest_min: u32 = self.lists[f + 1..].iter().map(|l| l[0].2).sum();
        for i in 0..self.lists[f].len() {
            let (_, col, cost) = &self.lists[f][i];
            if *cost + rest_min > budget {
                break;
            }
            if f + 1 == k && *cost != budget {
                continue;
            }
            if self.deadline.tick() {
                return None;
            }
            self.stats.kept += 1;
            for (h, (g, r)) in self.table.slots.iter().enumerate() {
                if *g == f {
                    self.values[h] = col.get(*r);
                }
            }
            let ok = self
                .table
                .checks
                .iter()
                .filter(|c| c.last == f)
                .all(|c| holds(&c.check, &|h| self.values[h].clone()));
            if !ok {
                continue;
            }
            self.chosen[f] = i;
            if f + 1 == k {
                return Some(true);
            }
            if self.go(f + 1, budget - cost)? {
                return Some(true);
            }
        }
        Some(false)
    }
}
