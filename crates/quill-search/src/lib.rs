//! Enumerative program synthesis from input-output examples.
//!
//! [`synthesize`] searches a grammar bottom-up in order of cost (size, by default), keeping one term
//! per observable behaviour (observational equivalence). Two deductive steps run between cost
//! levels: decision-tree unification for grammars with a conditional (`ite`, or a helper whose body
//! is one), and splitting string outputs into a prefix found in the bank and a remainder solved
//! recursively (for `str.++`). Every answer is built from the grammar's own productions, so it is
//! derivable from the grammar, and is checked on every example before it is returned.
//!
//! The search does no I/O. Running out of time or memory is not an error but a [`StopReason`].

mod bank;
mod budget;
mod cegis;
mod concat;
mod consts;
mod enumerate;
mod goal;
mod guide;
mod multi;
mod nested;
mod si;
mod unify;

pub use budget::{Config, StopReason, MIN_COLLECT};
pub use cegis::{cegis, LogicalTask, Required, Verdict, Verifier};
pub use guide::{Guide, TaskGuide};
pub use multi::{cegis_multi, MultiOutcome, MultiTask, Signature};

use quill_lang::{Grammar, Sort, Symbol, Term, Value};
use std::time::{Duration, Instant};

/// One input-output example.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Example {
    pub inputs: Vec<Value>,
    pub output: Value,
}

/// A programming-by-example task: find a term of `grammar` that maps each example's inputs (the
/// values of `params`) to its output.
#[derive(Clone, Debug)]
pub struct Task {
    pub params: Vec<(Symbol, Sort)>,
    pub ret: Sort,
    pub grammar: Grammar,
    pub examples: Vec<Example>,
    /// A partial program whose holes (`Term::Hole`) the answer must fill with grammar terms.
    pub sketch: Option<Term>,
}

/// What a search did and why it stopped.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Candidate terms evaluated.
    pub candidates: u64,
    /// Terms kept (new behaviour).
    pub kept: u64,
    /// The highest cost level completed.
    pub cost_reached: u32,
    pub elapsed: Duration,
    pub bank_bytes: usize,
}

/// The result of a search: answers (best first), why it stopped, and statistics.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub answers: Vec<Term>,
    pub stop: StopReason,
    pub stats: Stats,
}

/// Searches for up to `config.top_k` terms of the task's grammar consistent with all examples.
///
/// Tasks with many examples are solved on a growing subset (counterexample-guided over the
/// examples): the search runs on a few examples, its answers are checked on all of them, and the
/// first example an answer gets wrong joins the subset for the next round. Each candidate is then
/// evaluated on a handful of examples instead of hundreds, and the final answers are still checked
/// on every example.
pub fn synthesize(task: &Task, config: &Config) -> Outcome {
    let examples = dedup(&task.examples);
    if contradictory(&examples) {
        return Outcome { answers: vec![], stop: StopReason::Infeasible, stats: Stats::default() };
    }
    if examples.len() <= SUBSET_START || config.top_k == 0 {
        return enumerate::Search::run(&Task { examples, ..task.clone() }, config);
    }
    let started = Instant::now();
    let mut subset: Vec<Example> = spread(&examples, SUBSET_START);
    let mut total = Stats::default();
    loop {
        let left = config.timeout.saturating_sub(started.elapsed());
        let sub_task = Task { examples: subset.clone(), ..task.clone() };
        let out = enumerate::Search::run(&sub_task, &Config { timeout: left, ..config.clone() });
        total.candidates += out.stats.candidates;
        total.kept += out.stats.kept;
        total.cost_reached = out.stats.cost_reached;
        total.bank_bytes = total.bank_bytes.max(out.stats.bank_bytes);
        let mut good = Vec::new();
        let mut wrong: Vec<&Example> = Vec::new();
        for t in &out.answers {
            match examples.iter().find(|e| !fits(t, e)) {
                None => good.push(t.clone()),
                Some(e) => wrong.push(e),
            }
        }
        total.elapsed = started.elapsed();
        if !good.is_empty() || out.stop != StopReason::Solved || wrong.is_empty() {
            let stop = if good.is_empty() && out.stop == StopReason::Solved {
                StopReason::Exhausted
            } else {
                out.stop
            };
            let stop = if good.is_empty() { stop } else { StopReason::Solved };
            return Outcome { answers: good, stop, stats: total };
        }
        for e in wrong {
            if !subset.contains(e) {
                subset.push(e.clone());
            }
        }
    }
}

/// How many examples the first round of a subset search uses.
const SUBSET_START: usize = 10;

fn dedup(examples: &[Example]) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    for e in examples {
        if !out.contains(e) {
            out.push(e.clone());
        }
    }
    out
}

/// `k` examples spread evenly over the list, so that the first round sees varied inputs.
fn spread(examples: &[Example], k: usize) -> Vec<Example> {
    (0..k).map(|i| examples[i * examples.len() / k].clone()).collect()
}

/// Whether a program evaluates to the example's output on its inputs (an evaluation error is a
/// miss, never a panic).
pub fn fits(t: &Term, e: &Example) -> bool {
    quill_eval::eval(t, &e.inputs).is_ok_and(|v| v == e.output)
}

/// Whether `t`, fitted to a single example, gives that example's output whatever its inputs (a
/// constant, or `(str.replace x x "abc")`): probed on inputs varied from the example's. With several
/// examples an answer that ignores its inputs is only possible when their outputs agree, and then a
/// constant is the likely answer, so this is false.
pub fn ignores_inputs(t: &Term, examples: &[Example]) -> bool {
    let [e] = examples else { return false };
    !e.inputs.is_empty()
        && (0..e.inputs.len()).all(|i| {
            enumerate::probes(&e.inputs[i]).into_iter().all(|v| {
                let mut inputs = e.inputs.clone();
                inputs[i] = v;
                quill_eval::eval(t, &inputs).is_ok_and(|o| o == e.output)
            })
        })
}

/// Whether `t` memorizes its examples: it has a conditional with a branch that reads no input
/// (`(ite (str.contains x "1") "110-119" "160-169")`), so that on some inputs the answer is a
/// constant, usually an example's output copied. Such a lookup table fits a few examples easily
/// and rarely generalizes, so the search looks longer for a program without one and a ranker
/// puts it behind any program that computes every output.
pub fn memorizes(t: &Term) -> bool {
    match t {
        Term::App(quill_lang::Func::Builtin(quill_lang::Op::Ite), args) => {
            args.iter().skip(1).any(|b| !reads_input(b)) || args.iter().any(memorizes)
        }
        Term::App(_, args) => args.iter().any(memorizes),
        _ => false,
    }
}

/// Whether `t` mentions a parameter anywhere.
fn reads_input(t: &Term) -> bool {
    match t {
        Term::Var(_) => true,
        Term::App(_, args) => args.iter().any(reads_input),
        Term::Lit(_) | Term::Hole(..) => false,
    }
}

/// Whether two examples have the same inputs but different outputs, in which case no function
/// fits and the task is infeasible.
pub fn contradictory(examples: &[Example]) -> bool {
    let mut seen: rustc_hash::FxHashMap<&[Value], &Value> = Default::default();
    examples.iter().any(|e| seen.insert(&e.inputs, &e.output).is_some_and(|prev| *prev != e.output))
}
