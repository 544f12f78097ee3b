//! The verifier as CEGIS needs it: cheap pre-checks first, then z3, for one function under
//! synthesis.

use crate::{PreCheck, Stats, Verdict, Verifier};
use quill_lang::{FunDef, Term};
use quill_sygus::Problem;

/// Implements `quill_search::Verifier` for a problem with one function under synthesis.
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
        let defs = [self.def(candidate)];
        if self.misses < MAX_MISSES || self.misses.is_multiple_of(64) {
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
}
