//! Counterexample-guided inductive synthesis (CEGIS) for logical specifications.
//!
//! The specification is a set of constraints over universally quantified variables that call the
//! function under synthesis. The enumerator proposes a term that satisfies the constraints at the
//! points collected so far; a [`Verifier`] either proves it for all values or returns a
//! counterexample point, which joins the collection; repeat until verified or out of budget.
//! The verifier is a trait so that this crate stays free of I/O (the SMT-backed one lives in
//! `quill-smt`) and so that any proposer and verifier can be combined.

use crate::enumerate::{Search, Setup};
use crate::goal::{Goal, PointCheck};
use crate::{Config, Example, Outcome, Stats, StopReason, Task};
use quill_eval::{eval, EvalError};
use quill_lang::{Func, Grammar, ProdKind, Sort, Symbol, Term, Value};
use std::time::Instant;

/// A logical specification for one function.
#[derive(Clone, Debug)]
pub struct LogicalTask {
    pub params: Vec<(Symbol, Sort)>,
    pub ret: Sort,
    pub grammar: Grammar,
    /// The universally quantified variables.
    pub vars: Vec<(Symbol, Sort)>,
    /// Boolean constraints over `vars` calling the function as `Func::Synth { index: 0, .. }`.
    pub constraints: Vec<Term>,
    /// Whether the grammar was given by the problem; when it was not, answers may use any term
    /// of the logic, not only those the (default) grammar derives.
    pub grammar_given: bool,
}

/// A verifier's answer about a candidate body.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Verified,
    /// Values of the variables at which the candidate violates the specification.
    Counterexample(Vec<Value>),
    Unknown(String),
}

/// What the specification requires of the function's value at one point.
#[derive(Clone, Debug, PartialEq)]
pub enum Required {
    /// Exactly this value meets the specification there.
    Unique(Value),
    /// Every value does: the point constrains nothing.
    Any,
    /// Several values do (or the verifier cannot tell): the point stays a logical constraint.
    Unknown,
    /// No value does.
    Infeasible,
}

/// Proves or refutes candidates against the specification.
pub trait Verifier {
    fn verify(&mut self, candidate: &Term) -> Verdict;

    /// What the specification requires of the function's value at `point` (values of the
    /// variables), where every call of the function has the same arguments. A verifier that
    /// cannot tell answers `Unknown`, and CEGIS then treats the specification as constraints.
    fn required_output(&mut self, _point: &[Value]) -> Required {
        Required::Unknown
    }

    /// Further inputs, besides a counterexample already returned by `verify`, where `candidate`
    /// breaks the specification (found cheaply, e.g. among cached test points); at most `max`.
    /// Checks bodies for several functions under synthesis, in their order. Verifiers that handle
    /// only one function answer `Unknown` for more.
    fn verify_all(&mut self, candidates: &[Term]) -> Verdict {
        match candidates {
            [one] => self.verify(one),
            _ => Verdict::Unknown("this verifier checks a single function".into()),
        }
    }

    fn more_counterexamples(&mut self, _candidate: &Term, _max: usize) -> Vec<Vec<Value>> {
        Vec::new()
    }
}

/// How many extra counterexamples a round may add beside the verifier's own.
const EXTRA_POINTS: usize = 3;

/// How many CEGIS rounds a run may take before giving up (each adds one point).
const MAX_ROUNDS: usize = 10_000;

/// Runs CEGIS until a verified answer, a budget, or an unknown verdict.
pub fn cegis(task: &LogicalTask, config: &Config, verifier: &mut dyn Verifier) -> Outcome {
    let started = Instant::now();
    // Counterexamples are arbitrary points: an answer that fits them is checked against the
    // specification at once, so waiting for a simpler one only slows the rounds.
    let config = &Config { occam: None, ..config.clone() };
    let mut stats = Stats::default();
    let finish = |stop, answers, mut stats: Stats| {
        stats.elapsed = started.elapsed();
        Outcome { answers, stop, stats }
    };
    if task.constraints.iter().any(nested_call) {
        return crate::nested::solve(task, config, verifier, started);
    }
    if let Some(form) = crate::si::form(task) {
        if let Some(out) = crate::si::solve(task, &form, config, verifier, started, None) {
            return out;
        }
    } else if let Some((part, form)) = crate::si::relaxed(task) {
        // Half the budget at most: when the part's answer does not meet the rest, the general
        // search below needs the time.
        let half = Config { timeout: config.timeout / 2, ..config.clone() };
        match crate::si::solve(&part, &form, &half, verifier, started, Some(&conjunction(task))) {
            Some(out) if out.stop == StopReason::Solved => return out,
            _ => {}
        }
    }
    // Start from one point with every variable at its sort's default value.
    let mut points: Vec<Vec<Value>> = vec![task.vars.iter().map(|v| Value::default_of(v.1)).collect()];
    let conj = conjunction(task);
    let mut spec_literals = Vec::new();
    literals(&conj, &mut spec_literals);
    // While every point so far fixes the function's output (or constrains nothing), the points are
    // examples and the example-driven search solves them, unifying conditionals as it does for
    // PBE; `None` once some point leaves a choice, after which the points stay constraints.
    let mut examples: Option<Vec<Example>> = Some(Vec::new());
    // The points before this index have been turned into examples (or found to constrain nothing).
    let mut examined = 0;
    for _ in 0..MAX_ROUNDS {
        while let (Some(ex), Some(p)) = (examples.as_mut(), points.get(examined)) {
            examined += 1;
            match example_at(&conj, p, verifier) {
                Ok(Some(e)) => ex.push(e),
                Ok(None) => {}
                Err(Required::Infeasible) => return finish(StopReason::Infeasible, vec![], stats),
                Err(_) => examples = None,
            }
        }
        let left = config.timeout.saturating_sub(started.elapsed());
        let round =
            Config { top_k: 1, timeout: left, literals: Some(spec_literals.clone()), ..config.clone() };
        let out = match &examples {
            Some(ex) if !ex.is_empty() => {
                let pbe = Task {
                    params: task.params.clone(),
                    ret: task.ret,
                    grammar: task.grammar.clone(),
                    examples: ex.clone(),
                    sketch: None,
                };
                crate::synthesize(&pbe, &round)
            }
            _ => {
                let setup = match setup(task, &points, true) {
                    Ok(s) => s,
                    Err(e) => {
                        return finish(
                            StopReason::Unsupported(format!("evaluating a counterexample: {e}")),
                            vec![],
                            stats,
                        )
                    }
                };
                let search_task = Task {
                    params: task.params.clone(),
                    ret: task.ret,
                    grammar: task.grammar.clone(),
                    examples: vec![],
                    sketch: None,
                };
                Search::run_goal(&search_task, setup, &Config { top_k: 1, ..config.clone() }, started)
            }
        };
        stats.candidates += out.stats.candidates;
        stats.kept += out.stats.kept;
        stats.cost_reached = out.stats.cost_reached;
        stats.bank_bytes = stats.bank_bytes.max(out.stats.bank_bytes);
        let Some(candidate) = out.answers.into_iter().next() else {
            return finish(unrealizable(out.stop, &task.grammar), vec![], stats);
        };
        match verifier.verify(&candidate) {
            Verdict::Verified => return finish(StopReason::Solved, vec![candidate], stats),
            Verdict::Counterexample(p) => {
                if points.contains(&p) {
                    // The verifier and the evaluator disagree about this point; going on would loop.
                    let why =
                        format!("counterexample {p:?} repeats: the evaluator accepts {candidate} there");
                    return finish(StopReason::Unsupported(why), vec![], stats);
                }
                points.push(p);
                for q in verifier.more_counterexamples(&candidate, EXTRA_POINTS) {
                    if !points.contains(&q) {
                        points.push(q);
                    }
                }
            }
            Verdict::Unknown(why) => {
                return finish(StopReason::Unsupported(format!("verifier: {why}")), vec![], stats)
            }
        }
        if started.elapsed() >= config.timeout {
            return finish(StopReason::Timeout, vec![], stats);
        }
    }
    finish(StopReason::CostLimit, vec![], stats)
}

fn nested_call(t: &Term) -> bool {
    match t {
        Term::App(Func::Synth { .. }, args) => args.iter().any(Term::calls_synth),
        Term::App(_, args) => args.iter().any(nested_call),
        _ => false,
    }
}

pub(crate) fn conjunction(task: &LogicalTask) -> Term {
    conjunction_of(&task.constraints)
}

/// The constraints as one term (the constraint itself when there is one).
pub(crate) fn conjunction_of(constraints: &[Term]) -> Term {
    match constraints {
        [one] => one.clone(),
        many => Term::app(quill_lang::Op::And, many.to_vec()),
    }
}

/// The example a point gives: the arguments of the function's calls there (which must all be the
/// same) and the output the verifier says the specification requires. `Ok(None)` for a point that
/// constrains nothing; `Err` with why the point cannot be an example.
fn example_at(
    conj: &Term,
    point: &[Value],
    verifier: &mut dyn Verifier,
) -> Result<Option<Example>, Required> {
    let (mut rows, mut tuples) = (Vec::new(), Vec::new());
    if replace_calls(conj, point, &mut rows, &mut tuples).is_err() || rows.len() != 1 {
        return Err(Required::Unknown);
    }
    match verifier.required_output(point) {
        Required::Unique(output) => Ok(Some(Example { inputs: rows.remove(0), output })),
        Required::Any => Ok(None),
        other => Err(other),
    }
}

/// Turns the points into input tuples (the arguments the function is called with) and one check
/// per point.
///
/// Constants for `(Constant S)` productions come from the specification's literals and, when
/// `point_values` is set, from the points' values too.
pub(crate) fn setup(
    task: &LogicalTask,
    points: &[Vec<Value>],
    point_values: bool,
) -> Result<Setup, EvalError> {
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut checks = Vec::new();
    let conj = conjunction(task);
    for p in points {
        let mut tuples = Vec::new();
        let check = simplify(&replace_calls(&conj, p, &mut rows, &mut tuples)?, p);
        checks.push(PointCheck::new(check, p.clone(), tuples));
    }
    let pointwise = checks.iter().all(|c| c.tuples.len() == 1);
    // The specification's literals come first: the pool of constants is bounded, and a point's
    // values are arbitrary where the specification's are chosen.
    let mut hints: Vec<Value> = Vec::new();
    literals(&conj, &mut hints);
    if point_values {
        hints.extend(points.iter().flatten().cloned());
    }
    Ok(Setup { rows, goal: Goal::Spec { points: checks, pointwise }, hints, constant_output: None })
}

/// Replaces each call `f(args)` with a hole numbered by the input tuple `args` evaluates to at the
/// point, adding new tuples to `rows`.
fn replace_calls(
    t: &Term,
    env: &[Value],
    rows: &mut Vec<Vec<Value>>,
    tuples: &mut Vec<usize>,
) -> Result<Term, EvalError> {
    Ok(match t {
        Term::App(Func::Synth { ret, .. }, args) => {
            let tuple = args.iter().map(|a| eval(a, env)).collect::<Result<Vec<_>, _>>()?;
            let j = match rows.iter().position(|r| *r == tuple) {
                Some(j) => j,
                None => {
                    rows.push(tuple);
                    rows.len() - 1
                }
            };
            if !tuples.contains(&j) {
                tuples.push(j);
            }
            Term::Hole(j as u32, *ret)
        }
        Term::App(f, args) => Term::App(
            f.clone(),
            args.iter().map(|a| replace_calls(a, env, rows, tuples)).collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

pub(crate) fn literals(t: &Term, out: &mut Vec<Value>) {
    match t {
        Term::Lit(v) => out.push(v.clone()),
        Term::App(_, args) => args.iter().for_each(|a| literals(a, out)),
        _ => {}
    }
}

fn has_holes(t: &Term) -> bool {
    match t {
        Term::Hole(..) => true,
        Term::App(_, args) => args.iter().any(has_holes),
        _ => false,
    }
}

/// Partially evaluates a point's check: everything that does not depend on the function's values
/// becomes a literal, and Boolean connectives with known arguments collapse. Specifications are
/// often implications whose premises are false at most points, so the check that remains (and is
/// evaluated for every candidate) is usually a single comparison.
pub(crate) fn simplify(t: &Term, env: &[Value]) -> Term {
    use quill_lang::Op::{And, Implies, Ite, Not, Or};
    if !has_holes(t) {
        return eval(t, env).map(Term::Lit).unwrap_or_else(|_| t.clone());
    }
    let Term::App(f, args) = t else { return t.clone() };
    let args: Vec<Term> = args.iter().map(|a| simplify(a, env)).collect();
    let lit = |t: &Term| if let Term::Lit(Value::Bool(b)) = t { Some(*b) } else { None };
    let truth = |b: bool| Term::Lit(Value::Bool(b));
    match f {
        Func::Builtin(And) | Func::Builtin(Or) => {
            let absorbing = matches!(f, Func::Builtin(Or));
            if args.iter().any(|a| lit(a) == Some(absorbing)) {
                return truth(absorbing);
            }
            let rest: Vec<Term> = args.into_iter().filter(|a| lit(a).is_none()).collect();
            match rest.len() {
                0 => truth(!absorbing),
                1 => rest.into_iter().next().unwrap_or_else(|| truth(!absorbing)),
                _ => Term::App(f.clone(), rest),
            }
        }
        Func::Builtin(Implies) if args.len() == 2 => match (lit(&args[0]), lit(&args[1])) {
            (Some(false), _) | (_, Some(true)) => truth(true),
            (Some(true), _) => args[1].clone(),
            _ => Term::App(f.clone(), args),
        },
        Func::Builtin(Not) if args.len() == 1 => match lit(&args[0]) {
            Some(b) => truth(!b),
            None => Term::App(f.clone(), args),
        },
        Func::Builtin(Ite) if args.len() == 3 => match lit(&args[0]) {
            Some(true) => args[1].clone(),
            Some(false) => args[2].clone(),
            None => Term::App(f.clone(), args),
        },
        _ => Term::App(f.clone(), args),
    }
}

/// A search that exhausted a finite grammar found no term meeting the specification at the
/// points, so none meets it anywhere: the problem is unrealizable. The search reports `Exhausted`
/// provably only for non-recursive grammars (see `Search::finite_cost`), so the claim is made only
/// for those, and only without `(Constant S)` productions (drawn from a pool, not enumerated).
pub(crate) fn unrealizable(stop: StopReason, grammar: &Grammar) -> StopReason {
    let pooled = grammar
        .nonterminals
        .iter()
        .flat_map(|n| &n.productions)
        .any(|p| matches!(p.kind, ProdKind::AnyConst(_)));
    if stop == StopReason::Exhausted && !pooled && !recursive(grammar, 0, &mut Vec::new()) {
        StopReason::Infeasible
    } else {
        stop
    }
}

fn recursive(g: &Grammar, nt: usize, stack: &mut Vec<usize>) -> bool {
    if stack.contains(&nt) {
        return true;
    }
    stack.push(nt);
    let r = g
        .nonterminals
        .get(nt)
        .is_some_and(|n| n.productions.iter().any(|p| p.args.iter().any(|a| recursive(g, *a, stack))));
    stack.pop();
    r
}
