//! The symbolic verifier of Quill: checks candidate programs against a logical specification.
//!
//! A SyGuS problem whose constraints quantify over declared variables (rather than listing
//! examples) is solved by counterexample-guided inductive synthesis: the search proposes candidates,
//! and this crate either proves them correct for every input or returns an input where they fail.
//! Two checks are offered, meant to be used in this order:
//!
//! - [`PreCheck`] evaluates the constraints on a cached set of inputs (boundary values, values of
//!   the problem's own literals, seeded random values and earlier counterexamples). It costs
//!   microseconds and rejects most wrong candidates without a solver call.
//! - [`Verifier`] asks z3 whether some input breaks a constraint, over a persistent `z3 -in`
//!   process that it talks to in SMT-LIB text (no linking, independent of z3's version, and a hung
//!   solver can be killed and restarted). Each query has a time limit.
//!
//! A counterexample from the solver should be checked with [`confirm`], which evaluates the
//! constraints there with Quill's own evaluator: SMT-LIB leaves `(div x 0)` and `(mod x 0)`
//! unspecified and z3 treats them as uninterpreted functions, so a candidate that may divide by
//! zero can receive a counterexample that only exists under z3's choice of those values. The
//! verifier reports such verdicts as z3 gave them; it is the caller who confirms. (The other way
//! round is sound: `Verified` means the constraints hold whatever values division by zero takes.)
//! z3's integers are unbounded, so `Verified` also covers inputs beyond Quill's 64-bit integers;
//! a counterexample that needs such an input is looked for again within ±2^31 and, if there is
//! none there, reported as `Unknown`. [`Stats`] counts what each check rejected and the time spent
//! in each.
//!
//! ```no_run
//! # fn propose(_: &[Vec<quill_lang::Value>]) -> Vec<quill_lang::FunDef> { vec![] }
//! use quill_smt::{confirm, PreCheck, Verdict, Verifier, VerifierConfig};
//! let problem = quill_sygus::parse_file("max2.sl".as_ref())?;
//! let mut pre = PreCheck::new(&problem, 0);
//! let mut verifier = Verifier::new(VerifierConfig::default())?;
//! loop {
//!     let candidates = propose(pre.points());
//!     if pre.check(&candidates).is_some() {
//!         continue; // rejected by evaluation; the point is already cached
//!     }
//!     match verifier.verify(&problem, &candidates)? {
//!         Verdict::Verified => break,
//!         Verdict::Counterexample(cex) if confirm(&problem, &candidates, &cex) == Some(false) => {
//!             pre.add_point(cex);
//!         }
//!         _ => { /* an unconfirmed counterexample or Unknown: the caller decides */ }
//!     }
//! }
//! let mut stats = pre.stats().clone();
//! stats.merge(verifier.stats());
//! println!("{stats}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cegis;
mod model;
mod precheck;
mod query;
mod stats;
mod verifier;
mod z3;

pub use cegis::SpecVerifier;
pub use model::{parse_value, ValueError};
pub use precheck::PreCheck;
pub use query::smt_query;
pub use stats::Stats;
pub use verifier::{Verifier, VerifierConfig};

use quill_eval::{eval_with, Context};
use quill_lang::{FunDef, Sort, Symbol, Value};
use quill_sygus::Problem;
use std::path::PathBuf;

/// The outcome of a verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every constraint holds for every value of the declared variables.
    Verified,
    /// Values of `problem.declared_vars`, in order, where some constraint fails (according to z3;
    /// see [`confirm`]).
    Counterexample(Vec<Value>),
    /// z3 could not decide (time limit, `unknown`, a construct it rejects, or it died); the reason
    /// says which.
    Unknown(String),
}

/// What a specification requires of the function's value at one point (see
/// [`Verifier::required_output`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Witness {
    /// Exactly this value meets the specification there.
    Unique(Value),
    /// Every value does (the point constrains nothing, e.g. an implication's premise is false).
    Any,
    /// Several values do, but not all; one of them is given.
    Several(Value),
    /// No value does: the specification cannot be met.
    Infeasible,
    Unknown(String),
}

/// Why a verification could not be attempted. A query that z3 cannot settle is not an error but a
/// [`Verdict::Unknown`].
#[derive(Debug, thiserror::Error)]
pub enum SmtError {
    /// z3 could not be started, or did not answer like z3 when it was.
    #[error("cannot run z3 at {path}: {message}")]
    Spawn { path: PathBuf, message: String },
    /// The candidates do not fit the problem: one missing or extra, a wrong signature, a hole.
    #[error("the candidates do not fit the problem: {0}")]
    Candidates(String),
    /// Something the verifier deliberately does not handle, such as a candidate that calls a
    /// function under synthesis.
    #[error("not supported by the verifier: {0}")]
    Unsupported(String),
    /// The problem's terms refer to something absent (a variable or function index out of range).
    #[error("ill-formed problem: {0}")]
    IllFormed(String),
}

/// Evaluates every constraint at `cex` (values of the declared variables) with Quill's evaluator,
/// the candidates standing for the functions under synthesis.
///
/// `Some(false)`: some constraint is false there, so the evaluator confirms the failure.
/// `Some(true)`: every constraint holds, so the solver and the evaluator disagree (this is expected
/// only for candidates that divide by zero, see the crate documentation). `None`: no constraint is
/// false but some could not be evaluated (division by zero, a 64-bit overflow), or the point or the
/// candidates do not fit the problem.
pub fn confirm(problem: &Problem, candidates: &[FunDef], cex: &[Value]) -> Option<bool> {
    let ordered = order_candidates(&signatures(problem), candidates).ok()?;
    let sorts: Vec<Sort> = problem.declared_vars.iter().map(|v| v.1).collect();
    if !fits(&sorts, cex) {
        return None;
    }
    let ctx = Context { synth: &ordered, holes: &[] };
    let mut undefined = false;
    for c in &problem.constraints {
        match eval_with(&c.term, cex, &ctx) {
            Ok(Value::Bool(false)) => return Some(false),
            Ok(Value::Bool(true)) => {}
            _ => undefined = true,
        }
    }
    (!undefined).then_some(true)
}

/// Whether `point` has one value of each sort, in order.
fn fits(sorts: &[Sort], point: &[Value]) -> bool {
    sorts.len() == point.len() && sorts.iter().zip(point).all(|(s, v)| v.sort() == *s)
}

/// What the verifier needs to know of a function under synthesis.
#[derive(Clone, Debug)]
struct Signature {
    name: Symbol,
    params: Vec<Sort>,
    ret: Sort,
}

fn signatures(problem: &Problem) -> Vec<Signature> {
    problem
        .synth_funs
        .iter()
        .map(|f| Signature {
            name: f.name.clone(),
            params: f.params.iter().map(|p| p.1).collect(),
            ret: f.ret,
        })
        .collect()
}

/// The candidates in the order of the functions under synthesis (constraints refer to those by
/// index), matched by name, each checked to have its function's signature.
fn order_candidates<'a>(synth: &[Signature], candidates: &'a [FunDef]) -> Result<Vec<&'a FunDef>, SmtError> {
    if candidates.len() != synth.len() {
        return Err(SmtError::Candidates(format!(
            "{} functions are to be synthesized, {} candidates were given",
            synth.len(),
            candidates.len()
        )));
    }
    synth
        .iter()
        .map(|f| {
            let c = candidates
                .iter()
                .find(|c| c.name == f.name)
                .ok_or_else(|| SmtError::Candidates(format!("no candidate for `{}`", f.name)))?;
            let params: Vec<Sort> = c.params.iter().map(|p| p.1).collect();
            if params != f.params || c.ret != f.ret || c.body.sort() != f.ret {
                return Err(SmtError::Candidates(format!(
                    "the candidate for `{}` has a signature other than the function's",
                    f.name
                )));
            }
            Ok(c)
        })
        .collect()
}
