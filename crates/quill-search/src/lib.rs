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
mod concat;
mod consts;
mod enumerate;
mod unify;

pub use budget::{Config, StopReason};

use quill_lang::{Grammar, Sort, Symbol, Term, Value};
use std::time::Duration;

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
pub fn synthesize(task: &Task, config: &Config) -> Outcome {
    enumerate::Search::run(task, config)
}

/// Whether two examples have the same inputs but different outputs, in which case no function
/// fits and the task is infeasible.
pub fn contradictory(examples: &[Example]) -> bool {
    let mut seen: rustc_hash::FxHashMap<&[Value], &Value> = Default::default();
    examples.iter().any(|e| seen.insert(&e.inputs, &e.output).is_some_and(|prev| *prev != e.output))
}
