//! Single-invocation specifications, solved by guarded terms.
//!
//! A specification is single-invocation when every call of the function under synthesis passes the
//! same arguments, here required to be distinct universally quantified variables, one per
//! parameter: `max(x, y) >= x and max(x, y) >= y and (max(x, y) = x or max(x, y) = y)`. Then the
//! specification itself, with the call replaced by a term `t`, is a condition over the parameters
//! that holds exactly where `t` is a right answer. Given terms `t1 .. tk` such that at every input
//! one of them is right, `ite(spec[t1], t1, ite(spec[t2], t2, .. tk))` is a solution. This is how
//! cvc5 solves single-invocation problems (by quantifier instantiation); here the terms come from
//! the enumerator, one per counterexample: the smallest term that is right at that point.
//!
//! Every counterexample adds a term that is right at it, and no earlier term is right there (or the
//! candidate would have been), so the loop ends when the terms cover the input space. Branches that
//! turned out unnecessary are dropped afterwards, each removal checked by the verifier again.

use crate::cegis::{conjunction, setup, LogicalTask, Verdict, Verifier};
use crate::enumerate::Search;
use crate::{Config, Outcome, Stats, StopReason, Task};
use quill_lang::{Func, Op, Term, Value, Var};
use std::time::Instant;

/// How the variables of a single-invocation specification map onto the function's parameters.
pub(crate) struct Form {
    /// For each declared variable, the parameter it is passed as.
    param_of_var: Vec<usize>,
}

impl Form {
    /// The function's arguments at a point (values of the variables).
    fn args(&self, point: &[Value]) -> Vec<Value> {
        let mut out = vec![Value::Bool(false); self.param_of_var.len()];
        for (v, p) in self.param_of_var.iter().enumerate() {
            if let (Some(slot), Some(x)) = (out.get_mut(*p), point.get(v)) {
                *slot = x.clone();
            }
        }
        out
    }
}

/// The subterms of the specification that could be answers: of the function's sort, calling no
/// function under synthesis, and not bare literals (those the enumerator finds), over the
/// parameters; smallest first.
fn spec_terms(conj: &Term, form: &Form, task: &LogicalTask) -> Vec<Term> {
    fn walk(t: &Term, out: &mut Vec<Term>) {
        if let Term::App(_, args) = t {
            args.iter().for_each(|a| walk(a, out));
        }
        if !matches!(t, Term::Lit(_)) && !t.calls_synth() && !out.contains(t) {
            out.push(t.clone());
        }
    }
    let mut all = Vec::new();
    walk(conj, &mut all);
    let mut out: Vec<Term> =
        all.into_iter().filter(|t| t.sort() == task.ret).map(|t| guard(&t, form, task, &t)).collect();
    out.sort_by_key(Term::size);
    out.dedup();
    out
}

/// The form of the task's specification, if it is single-invocation with variables as arguments.
pub(crate) fn form(task: &LogicalTask) -> Option<Form> {
    let mut args: Option<Vec<u32>> = None;
    for c in &task.constraints {
        if !same_call(c, &mut args) {
            return None;
        }
    }
    let args = args?;
    if args.len() != task.params.len() || args.len() != task.vars.len() {
        return None;
    }
    let mut param_of_var = vec![usize::MAX; task.vars.len()];
    for (param, var) in args.iter().enumerate() {
        let slot = param_of_var.get_mut(*var as usize)?;
        if *slot != usize::MAX || task.vars[*var as usize].1 != task.params[param].1 {
            return None;
        }
        *slot = param;
    }
    Some(Form { param_of_var })
}

/// A single-invocation part of a specification that is not single-invocation as a whole: the
/// constraints whose calls all pass the same distinct variables, as a task of their own, with its
/// form. `small` (`f(x, y) = f(y, x)` and `f(x, y) >= x, y`) relaxes to its second constraint, whose
/// guarded-term answer (the maximum) happens to meet the first as well. `None` when the whole
/// specification is single-invocation or no constraint qualifies.
pub(crate) fn relaxed(task: &LogicalTask) -> Option<(LogicalTask, Form)> {
    if form(task).is_some() {
        return None;
    }
    let mut args: Option<Vec<u32>> = None;
    let mut kept = Vec::new();
    for c in &task.constraints {
        let mut own = None;
        if !same_call(c, &mut own) {
            continue;
        }
        match (&own, &args) {
            (None, _) => {}
            (Some(a), None) => args = Some(a.clone()),
            (Some(a), Some(seen)) if a != seen => continue,
            _ => {}
        }
        kept.push(c.clone());
    }
    if args.is_none() || kept.len() == task.constraints.len() {
        return None;
    }
    let part = LogicalTask { constraints: kept, ..task.clone() };
    let f = form(&part)?;
    Some((part, f))
}

/// Whether every call in `t` passes variables, the same ones as `args` (set by the first call).
fn same_call(t: &Term, args: &mut Option<Vec<u32>>) -> bool {
    match t {
        Term::App(Func::Synth { .. }, a) => {
            let vars: Option<Vec<u32>> =
                a.iter().map(|x| if let Term::Var(v) = x { Some(v.index) } else { None }).collect();
            match (vars, args.as_ref()) {
                (None, _) => false,
                (Some(v), Some(seen)) => v == *seen,
                (Some(v), None) => {
                    *args = Some(v);
                    true
                }
            }
        }
        Term::App(_, a) => a.iter().all(|x| same_call(x, args)),
        _ => true,
    }
}

/// The specification as a condition on the parameters, with each call replaced by `t`.
fn guard(conj: &Term, form: &Form, task: &LogicalTask, t: &Term) -> Term {
    match conj {
        Term::Var(v) => {
            let p = form.param_of_var[v.index as usize];
            let (name, sort) = &task.params[p];
            Term::Var(Var { index: p as u32, name: name.clone(), sort: *sort })
        }
        Term::App(Func::Synth { .. }, _) => t.clone(),
        Term::App(f, args) => Term::App(f.clone(), args.iter().map(|a| guard(a, form, task, t)).collect()),
        other => other.clone(),
    }
}

/// `ite(spec[t1], t1, ite(.., tk))`, the last term unguarded.
fn assemble(conj: &Term, form: &Form, task: &LogicalTask, terms: &[Term]) -> Term {
    let Some((last, rest)) = terms.split_last() else { return Term::Lit(Value::default_of(task.ret)) };
    rest.iter().rev().fold(last.clone(), |acc, t| {
        Term::app(Op::Ite, vec![tidy(&guard(conj, form, task, t)), t.clone(), acc])
    })
}

/// Simplifies a guard syntactically: comparisons of a term with itself, Boolean connectives with
/// constant arguments, nested conjunctions and disjunctions. Guards are whole specifications with
/// the call replaced, so `max(x, y) >= x` becomes `x >= x` for the term `x`; left in, such
/// tautologies make the answer, and every later solver call on it, several times larger.
fn tidy(t: &Term) -> Term {
    use Op::{And, Eq, Ge, Gt, Implies, Le, Lt, Not, Or};
    let Term::App(f, args) = t else { return t.clone() };
    let args: Vec<Term> = args.iter().map(tidy).collect();
    let lit = |t: &Term| if let Term::Lit(Value::Bool(b)) = t { Some(*b) } else { None };
    let truth = |b: bool| Term::Lit(Value::Bool(b));
    if args.iter().all(|a| matches!(a, Term::Lit(_))) {
        let whole = Term::App(f.clone(), args.clone());
        if let Ok(v) = quill_eval::eval(&whole, &[]) {
            return Term::Lit(v);
        }
    }
    let Func::Builtin(op) = f else { return Term::App(f.clone(), args) };
    match (op, args.as_slice()) {
        (Eq | Ge | Le, [a, b]) if a == b => truth(true),
        (Gt | Lt, [a, b]) if a == b => truth(false),
        (Not, [a]) => lit(a).map_or_else(|| Term::App(f.clone(), args.clone()), |b| truth(!b)),
        (Implies, [a, b]) => match (lit(a), lit(b)) {
            (Some(false), _) | (_, Some(true)) => truth(true),
            (Some(true), _) => b.clone(),
            (_, Some(false)) => tidy(&Term::app(Not, vec![a.clone()])),
            _ => Term::App(f.clone(), args),
        },
        (And | Or, _) => {
            let absorbing = *op == Or;
            let mut flat: Vec<Term> = Vec::new();
            for a in args {
                match a {
                    Term::App(Func::Builtin(inner), parts) if inner == *op => flat.extend(parts),
                    other => flat.push(other),
                }
            }
            if flat.iter().any(|a| lit(a) == Some(absorbing)) {
                return truth(absorbing);
            }
            let mut kept: Vec<Term> = Vec::new();
            for a in flat {
                if lit(&a).is_none() && !kept.contains(&a) {
                    kept.push(a);
                }
            }
            match kept.len() {
                0 => truth(!absorbing),
                1 => kept.remove(0),
                _ => Term::App(f.clone(), kept),
            }
        }
        _ => Term::App(f.clone(), args),
    }
}

/// Runs CEGIS with guarded terms. `None` when the answers cannot be expressed: the task's grammar
/// was given and does not derive the guards, so the caller should try another way.
///
/// With `relaxed` (the whole specification's conjunction), `task` is only part of the specification
/// that `verifier` checks (see [`relaxed`]). A counterexample where the candidate meets the part is
/// then replaced by the arguments of another call at it where the candidate does not (for
/// `f(x, y) = f(y, x)` at `(x, y)`, the point `(y, x)`); with no such call the attempt gives up
/// (`None`), as it does on any other way of not solving.
pub(crate) fn solve(
    task: &LogicalTask,
    form: &Form,
    config: &Config,
    verifier: &mut dyn Verifier,
    started: Instant,
    relaxed: Option<&Term>,
) -> Option<Outcome> {
    let mut stats = Stats::default();
    let finish = |stop, answers, mut stats: Stats| {
        stats.elapsed = started.elapsed();
        Some(Outcome { answers, stop, stats })
    };
    let conj = conjunction(task);
    let mut points: Vec<Vec<Value>> = vec![task.vars.iter().map(|v| Value::default_of(v.1)).collect()];
    let mut terms: Vec<Term> = Vec::new();
    let spec_terms = spec_terms(&conj, form, task);
    let search_task = Task {
        params: task.params.clone(),
        ret: task.ret,
        grammar: task.grammar.clone(),
        examples: vec![],
        sketch: None,
    };
    loop {
        let point = points.last().cloned().unwrap_or_default();
        // A point where no output meets the specification proves it unrealizable; without this
        // question the search below would look for a term until its budget ran out.
        if relaxed.is_none() && verifier.required_output(&point) == crate::cegis::Required::Infeasible {
            return finish(StopReason::Infeasible, vec![], stats);
        }
        // The specification's own terms first: `f(x) = 3x + 9` under some condition names the
        // term that is right there, and such terms are often too large for the enumerator.
        let args = form.args(&point);
        let from_spec = spec_terms.iter().find(|t| {
            !terms.contains(*t)
                && matches!(quill_eval::eval(&guard(&conj, form, task, t), &args), Ok(Value::Bool(true)))
        });
        if let Some(t) = from_spec {
            terms.push(t.clone());
        } else {
            let one = match setup(task, std::slice::from_ref(&point), false) {
                Ok(s) => s,
                Err(e) => {
                    let why = format!("evaluating a counterexample: {e}");
                    return finish(StopReason::Unsupported(why), vec![], stats);
                }
            };
            let out = Search::run_goal(&search_task, one, &Config { top_k: 1, ..config.clone() }, started);
            stats.candidates += out.stats.candidates;
            stats.kept += out.stats.kept;
            stats.cost_reached = stats.cost_reached.max(out.stats.cost_reached);
            stats.bank_bytes = stats.bank_bytes.max(out.stats.bank_bytes);
            let Some(t) = out.answers.into_iter().next() else {
                if relaxed.is_some() {
                    return None;
                }
                return finish(crate::cegis::unrealizable(out.stop, &task.grammar), vec![], stats);
            };
            terms.push(t);
        }
        let candidate = assemble(&conj, form, task, &terms);
        if task.grammar_given && !task.grammar.derives(0, &candidate) {
            return None;
        }
        match verifier.verify(&candidate) {
            Verdict::Verified => {
                minimize(&conj, form, task, &mut terms, config, verifier, started);
                let answer = assemble(&conj, form, task, &terms);
                return finish(StopReason::Solved, vec![answer], stats);
            }
            Verdict::Counterexample(p) => {
                let p = match relaxed {
                    None => p,
                    Some(whole) => match part_counterexample(whole, &conj, form, task, &candidate, p) {
                        Some(q) if !points.contains(&q) => q,
                        _ => return None,
                    },
                };
                if points.contains(&p) {
                    let why =
                        format!("counterexample {p:?} repeats: the evaluator accepts {candidate} there");
                    return finish(StopReason::Unsupported(why), vec![], stats);
                }
                points.push(p);
            }
            Verdict::Unknown(_) if relaxed.is_some() => return None,
            Verdict::Unknown(why) => {
                return finish(StopReason::Unsupported(format!("verifier: {why}")), vec![], stats)
            }
        }
        if started.elapsed() >= config.timeout {
            if relaxed.is_some() {
                return None;
            }
            return finish(StopReason::Timeout, vec![], stats);
        }
    }
}

/// A point where `candidate` breaks the part `conj` of a relaxed specification, from a counterexample
/// `p` of the whole one (`whole`): `p` itself, else the arguments of some other call in `whole` at `p`.
fn part_counterexample(
    whole: &Term,
    conj: &Term,
    form: &Form,
    task: &LogicalTask,
    candidate: &Term,
    p: Vec<Value>,
) -> Option<Vec<Value>> {
    let breaks = |q: &[Value]| {
        !matches!(quill_eval::eval(&guard(conj, form, task, candidate), &form.args(q)), Ok(Value::Bool(true)))
    };
    if breaks(&p) {
        return Some(p);
    }
    let mut calls = Vec::new();
    collect_call_args(whole, &mut calls);
    calls.into_iter().find_map(|args| {
        let values: Option<Vec<Value>> = args.iter().map(|a| quill_eval::eval(a, &p).ok()).collect();
        let values = values?;
        // The point whose variables, passed as the part's arguments, give these values.
        let mut q = p.clone();
        for (v, param) in form.param_of_var.iter().enumerate() {
            q[v] = values.get(*param)?.clone();
        }
        breaks(&q).then_some(q)
    })
}

fn collect_call_args<'a>(t: &'a Term, out: &mut Vec<&'a [Term]>) {
    if let Term::App(f, args) = t {
        if matches!(f, Func::Synth { .. }) && !args.iter().any(Term::calls_synth) {
            out.push(args);
        }
        args.iter().for_each(|a| collect_call_args(a, out));
    }
}

/// Drops terms whose branch the solution does not need, oldest first (early terms are often the
/// small constants that fitted the first, arbitrary points), while time is left.
fn minimize(
    conj: &Term,
    form: &Form,
    task: &LogicalTask,
    terms: &mut Vec<Term>,
    config: &Config,
    verifier: &mut dyn Verifier,
    started: Instant,
) {
    let mut i = 0;
    while i < terms.len() && terms.len() > 1 && started.elapsed() < config.timeout {
        let mut fewer = terms.clone();
        fewer.remove(i);
        if verifier.verify(&assemble(conj, form, task, &fewer)) == Verdict::Verified {
            *terms = fewer;
        } else {
            i += 1;
        }
    }
}
