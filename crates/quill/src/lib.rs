//! Quill as a library: hand it a problem, get programs that provably meet it.
//!
//! This crate chooses how to solve a problem from its specification (today: input-output examples,
//! through the enumerative search of `quill-search`) and turns search results into answers for the
//! functions to synthesize. It does no I/O.

mod digits;
mod guided;
mod judge;
pub mod rank;
mod reformat;
mod signs;
mod slots;
pub mod table;
mod transport;
mod unlabeled;

pub use guided::{candidate_pool, Distinguishing, Guidance};
pub use rank::Ranker;

pub use quill_search::{Config, Guide, Stats, StopReason, TaskGuide, Verdict, Verifier};
pub use quill_sygus::{Example, Problem};

use quill_lang::{FunDef, Term};

/// The result of solving a problem.
#[derive(Clone, Debug)]
pub struct Solution {
    /// Answers, best first; each gives a definition for every function to synthesize.
    pub answers: Vec<Vec<FunDef>>,
    pub stop: StopReason,
    pub stats: Stats,
    /// What the learned guide did, when one was given and could read the task.
    pub guidance: Option<Guidance>,
}

impl Solution {
    pub fn infeasible(&self) -> bool {
        self.stop == StopReason::Infeasible
    }
}

/// Why a problem cannot be attempted.
#[derive(Clone, Debug, thiserror::Error)]
pub enum SolveError {
    #[error("{0}")]
    Unsupported(String),
    #[error("sketch: {0}")]
    Sketch(String),
}

/// Solves a problem. Budgets come from `config`; hitting them is reported in `Solution::stop`.
///
/// Programming-by-example problems (every constraint an input-output pair) are solved by the
/// enumerator directly; any other problem with one function under synthesis goes through CEGIS,
/// which needs a `verifier` (the SMT-backed one is `quill_smt::SpecVerifier`).
pub fn solve(
    problem: &Problem,
    config: &Config,
    sketch: Option<&Term>,
    verifier: Option<&mut dyn Verifier>,
) -> Result<Solution, SolveError> {
    solve_guided(problem, config, sketch, verifier, None)
}

/// Solves a problem as [`solve`] does, with a learned `guide` for example-based problems without
/// a sketch: the guide prices the grammar for the enumerator, proposes programs of its own and
/// ranks every program that fits the examples (see [`Guidance`]). Logical specifications and
/// sketches are solved as without a guide.
pub fn solve_guided(
    problem: &Problem,
    config: &Config,
    sketch: Option<&Term>,
    verifier: Option<&mut dyn Verifier>,
    guide: Option<&dyn Guide>,
) -> Result<Solution, SolveError> {
    solve_ranked(problem, config, sketch, verifier, guide, None)
}

/// Solves a problem as [`solve_guided`] does, with a learned [`Ranker`] ordering the programs that
/// fit the examples instead of the guide's likelihood alone (it needs the guide: the likelihood is
/// one of its features).
pub fn solve_ranked(
    problem: &Problem,
    config: &Config,
    sketch: Option<&Term>,
    verifier: Option<&mut dyn Verifier>,
    guide: Option<&dyn Guide>,
    ranker: Option<&Ranker>,
) -> Result<Solution, SolveError> {
    let Some(examples) = problem.examples() else {
        return solve_logical(problem, config, verifier);
    };
    let f = &problem.synth_funs[0];
    if let Some(s) = sketch {
        if s.sort() != f.ret {
            return Err(SolveError::Sketch(format!(
                "the sketch has sort {} but {} returns {}",
                s.sort(),
                f.name,
                f.ret
            )));
        }
    }
    let task = quill_search::Task {
        params: f.params.clone(),
        ret: f.ret,
        grammar: f.grammar.clone(),
        examples: examples
            .into_iter()
            .map(|e| quill_search::Example { inputs: e.inputs, output: e.output })
            .collect(),
        sketch: sketch.cloned(),
    };
    let sorts: Vec<_> = f.params.iter().map(|(_, s)| *s).collect();
    let inputs = unlabeled::usable(&problem.unlabeled, &sorts, &task.examples);
    if let (Some(g), None) = (guide, sketch) {
        let (out, guidance) = guided::solve(&task, config, g, ranker, &inputs);
        return Ok(Solution { guidance, ..solution(f, out) });
    }
    Ok(solution(f, unlabeled::search(&task, config, &inputs)))
}

/// Turns the bodies a search found into definitions of the function under synthesis.
fn solution(f: &quill_sygus::SynthFun, out: quill_search::Outcome) -> Solution {
    let answers = out
        .answers
        .into_iter()
        .map(|body| vec![FunDef { name: f.name.clone(), params: f.params.clone(), ret: f.ret, body }])
        .collect();
    Solution { answers, stop: out.stop, stats: out.stats, guidance: None }
}

fn solve_logical(
    problem: &Problem,
    config: &Config,
    verifier: Option<&mut dyn Verifier>,
) -> Result<Solution, SolveError> {
    let Some(verifier) = verifier else {
        return Err(SolveError::Unsupported("a logical specification needs a verifier".into()));
    };
    let [f] = problem.synth_funs.as_slice() else {
        return Ok(solve_several(problem, config, verifier));
    };
    let task = quill_search::LogicalTask {
        params: f.params.clone(),
        ret: f.ret,
        grammar: f.grammar.clone(),
        vars: problem.declared_vars.clone(),
        constraints: problem.constraints.iter().map(|c| c.term.clone()).collect(),
        grammar_given: f.grammar_given,
    };
    Ok(solution(f, quill_search::cegis(&task, config, verifier)))
}

/// CEGIS over several functions under synthesis at once.
fn solve_several(problem: &Problem, config: &Config, verifier: &mut dyn Verifier) -> Solution {
    let task = quill_search::MultiTask {
        funcs: problem
            .synth_funs
            .iter()
            .map(|f| quill_search::Signature {
                params: f.params.clone(),
                ret: f.ret,
                grammar: f.grammar.clone(),
            })
            .collect(),
        vars: problem.declared_vars.clone(),
        constraints: problem.constraints.iter().map(|c| c.term.clone()).collect(),
    };
    let out = quill_search::cegis_multi(&task, config, verifier);
    let answers = out
        .answer
        .map(|bodies| {
            problem
                .synth_funs
                .iter()
                .zip(bodies)
                .map(|(f, body)| FunDef { name: f.name.clone(), params: f.params.clone(), ret: f.ret, body })
                .collect()
        })
        .into_iter()
        .collect();
    Solution { answers, stop: out.stop, stats: out.stats, guidance: None }
}
