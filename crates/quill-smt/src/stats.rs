//! Counters of the two checks, for reporting how the work divides between them.

use crate::Verdict;
use std::fmt;
use std::time::Duration;

/// What the pre-check and the solver did: how many candidates each saw and rejected, and the time
/// each took. [`crate::PreCheck`] fills the `precheck_` fields and [`crate::Verifier`] the
/// `solver_` ones; [`Stats::merge`] puts them together for a report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Candidate sets evaluated by the pre-check.
    pub precheck_calls: u64,
    /// Of those, how many it rejected (found an input where a constraint is false).
    pub precheck_rejections: u64,
    pub precheck_time: Duration,
    /// Queries sent to z3.
    pub solver_calls: u64,
    pub solver_verified: u64,
    /// Queries answered with a counterexample (a rejection by the solver).
    pub solver_counterexamples: u64,
    pub solver_unknown: u64,
    /// How often z3 had to be started again after it was killed or died.
    pub solver_restarts: u64,
    pub solver_time: Duration,
    /// Queries for the output a specification requires at a point (see
    /// [`crate::Verifier::required_output`]), and their time.
    pub witness_calls: u64,
    pub witness_time: Duration,
}

impl Stats {
    pub(crate) fn record_solver(&mut self, verdict: &Verdict, time: Duration) {
        self.solver_calls += 1;
        self.solver_time += time;
        match verdict {
            Verdict::Verified => self.solver_verified += 1,
            Verdict::Counterexample(_) => self.solver_counterexamples += 1,
            Verdict::Unknown(_) => self.solver_unknown += 1,
        }
    }

    /// Adds another set of counters to these.
    pub fn merge(&mut self, other: &Stats) {
        self.precheck_calls += other.precheck_calls;
        self.precheck_rejections += other.precheck_rejections;
        self.precheck_time += other.precheck_time;
        self.solver_calls += other.solver_calls;
        self.solver_verified += other.solver_verified;
        self.solver_counterexamples += other.solver_counterexamples;
        self.solver_unknown += other.solver_unknown;
        self.solver_restarts += other.solver_restarts;
        self.solver_time += other.solver_time;
        self.witness_calls += other.witness_calls;
        self.witness_time += other.witness_time;
    }

    /// The candidate sets checked: every one goes through the pre-check when it is used, and
    /// through the solver otherwise.
    pub fn candidates(&self) -> u64 {
        self.precheck_calls.max(self.solver_calls)
    }

    /// The fraction of candidates the pre-check rejected (0 when there were none).
    pub fn precheck_rejected_fraction(&self) -> f64 {
        fraction(self.precheck_rejections, self.candidates())
    }

    /// The fraction of candidates the solver rejected with a counterexample.
    pub fn solver_rejected_fraction(&self) -> f64 {
        fraction(self.solver_counterexamples, self.candidates())
    }
}

fn fraction(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl fmt::Display for Stats {
    /// One line: `N candidates: P% rejected by pre-checks (Ts), S% by the solver (Ts; v verified,
    /// u unknown, r restarts)`, and the output queries if there were any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} candidates: {:.1}% rejected by pre-checks ({:.3}s), {:.1}% by the solver ({:.3}s in {} calls; \
             {} verified, {} unknown, {} restarts)",
            self.candidates(),
            100.0 * self.precheck_rejected_fraction(),
            self.precheck_time.as_secs_f64(),
            100.0 * self.solver_rejected_fraction(),
            self.solver_time.as_secs_f64(),
            self.solver_calls,
            self.solver_verified,
            self.solver_unknown,
            self.solver_restarts
        )?;
        if self.witness_calls > 0 {
            write!(f, "; {} output queries ({:.3}s)", self.witness_calls, self.witness_time.as_secs_f64())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_count_every_candidate_once() {
        let mut s = Stats { precheck_calls: 10, precheck_rejections: 7, ..Stats::default() };
        let solver =
            Stats { solver_calls: 3, solver_counterexamples: 2, solver_verified: 1, ..Stats::default() };
        s.merge(&solver);
        assert_eq!(s.candidates(), 10);
        assert!((s.precheck_rejected_fraction() - 0.7).abs() < 1e-9);
        assert!((s.solver_rejected_fraction() - 0.2).abs() < 1e-9);
        assert!(s.to_string().starts_with("10 candidates: 70.0% rejected by pre-checks"), "{s}");
        assert_eq!(Stats::default().precheck_rejected_fraction(), 0.0);
    }
}
