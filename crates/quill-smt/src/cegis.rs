//! The verifier as CEGIS needs it: cheap pre-checks first, then z3, for one function under
//! synthesis.

use crate::{PreCheck, Stats, Verdict, Verifier, Witness};
use quill_lang::{FunDef, Term, Value};
use quill_sygus::Problem;

/// Implements `quill_search::Verifier` for a problem: `verify` for one function under synthesis,
/// `verify_all` for any number.
pub struct SpecVerifier<'p> {
    problem: &'p Problem,
    smt: Verifier,
    pre: PreCheck,
    /// Candidates since the pre-check last rejected one. Specifications guarded by premises that
    /// random points rarely meet make the pre-check useless, so it is skipped after a run of misses
    /// (and tried again now and then, in case the candidates change character).
    misses: u32,
}

const MAX_MISSES: u32 = 16;

/// Pre-check time allowed before it must be paid for by saved solver time.
const PRECHECK_ALLOWANCE: std::time::Duration = std::time::Duration::from_millis(50);

impl<'p> SpecVerifier<'p> {
    pub fn new(problem: &'p Problem, smt: Verifier, seed: u64) -> Self {
        SpecVerifier { problem, smt, pre: PreCheck::new(problem, seed), misses: 0 }
    }

    /// Pre-check and solver counters together.
    pub fn stats(&self) -> Stats {
        let mut s = self.pre.stats().clone();
        s.merge(self.smt.stats());
        s
    }

    fn def(&self, body: &Term) -> FunDef {
        let f = &self.problem.synth_funs[0];
        FunDef { name: f.name.clone(), params: f.params.clone(), ret: f.ret, body: body.clone() }
    }
}

impl quill_search::Verifier for SpecVerifier<'_> {
    fn verify(&mut self, candidate: &Term) -> quill_search::Verdict {
        self.verify_all(std::slice::from_ref(candidate))
    }

    fn verify_all(&mut self, candidates: &[Term]) -> quill_search::Verdict {
        if candidates.len() != self.problem.synth_funs.len() {
            let why = format!(
                "{} candidates for {} functions under synthesis",
                candidates.len(),
                self.problem.synth_funs.len()
            );
            return quill_search::Verdict::Unknown(why);
        }
        let defs: Vec<FunDef> = self
            .problem
            .synth_funs
            .iter()
            .zip(candidates)
            .map(|(f, body)| FunDef {
                name: f.name.clone(),
                params: f.params.clone(),
                ret: f.ret,
                body: body.clone(),
            })
            .collect();
        // The pre-check pays only while it is cheaper than the solver calls it saves: large
        // candidates evaluated on every cached point can cost more than a solver call.
        let s = self.stats();
        let affordable = s.precheck_time <= s.solver_time * 2 + PRECHECK_ALLOWANCE;
        if (self.misses < MAX_MISSES && affordable) || self.misses.is_multiple_of(64) {
            if let Some(point) = self.pre.check(&defs) {
                self.misses = 0;
                return quill_search::Verdict::Counterexample(point);
            }
        }
        self.misses += 1;
        match self.smt.verify(self.problem, &defs) {
            Ok(Verdict::Verified) => quill_search::Verdict::Verified,
            Ok(Verdict::Counterexample(p)) => {
                // A counterexample the evaluator cannot confirm (division by zero, which z3 leaves
                // uninterpreted) would make CEGIS loop: report it as unknown instead.
                match crate::confirm(self.problem, &defs, &p) {
                    Some(false) => {
                        self.pre.add_point(p.clone());
                        quill_search::Verdict::Counterexample(p)
                    }
                    _ => quill_search::Verdict::Unknown(format!(
                        "z3's counterexample {p:?} is not confirmed by the evaluator"
                    )),
                }
            }
            Ok(Verdict::Unknown(why)) => quill_search::Verdict::Unknown(why),
            Err(e) => quill_search::Verdict::Unknown(e.to_string()),
        }
    }

    fn more_counterexamples(&mut self, candidate: &Term, max: usize) -> Vec<Vec<Value>> {
        self.pre.failures(&[self.def(candidate)], max)
    }

    fn required_output(&mut self, point: &[Value]) -> quill_search::Required {
        use quill_search::Required;
        match self.smt.required_output(self.problem, point) {
            Ok(Witness::Unique(v)) => {
                // The evaluator must agree that this value meets the specification, or the
                // example-driven search would chase an output the final check rejects.
                let def = self.def(&Term::Lit(v.clone()));
                match crate::confirm(self.problem, &[def], point) {
                    Some(true) => Required::Unique(v),
                    _ => Required::Unknown,
                }
            }
            Ok(Witness::Any) => Required::Any,
            Ok(Witness::Infeasible) => Required::Infeasible,
            Ok(Witness::Several(_) | Witness::Unknown(_)) | Err(_) => Required::Unknown,
        }
    }
}
