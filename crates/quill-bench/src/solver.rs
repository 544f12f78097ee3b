//! The solvers a run compares, how each is started, and how what it printed becomes a status.

use crate::answer::{self, read_claim, AnswerError, Claim, RawDef};
use crate::check::{eval_check, score_heldout, EvalVerdict};
use crate::prepare::Prepared;
use crate::proc::{Exit, Outcome};
use crate::results::Status;
use crate::z3::{self, Z3Verdict};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A solver to compare Quill with (`--compare`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Competitor {
    /// cvc5 with `--lang=sygus2 --tlimit=MS`.
    Cvc5,
    /// Quill without its model (`quill synth --no-model`): the ablation of the model's guidance.
    QuillNoModel,
    /// Quill ranking the programs that fit by the model's mean log-probability per token
    /// (`quill synth --rank per-token`, with the run's `--model`): the ablation of the ranking rule.
    QuillPerToken,
    /// Quill ranking the programs that fit smallest first, the model's likelihood choosing among
    /// programs of one size (`quill synth --rank size-first`, with the run's `--model`): Occam's
    /// razor before the model in the ranking.
    QuillSizeFirst,
    /// Quill ranking the programs that fit by the learned ranker beside the model
    /// (`quill synth --rank learned`, with the run's `--model`; `quill rank fit` makes it).
    QuillLearned,
}

/// A solver taking part in the run.
#[derive(Clone, Debug)]
pub struct Solver {
    pub name: String,
    pub kind: SolverKind,
    pub exe: PathBuf,
    /// Arguments added after the solver's own (`--no-model`, `--model DIR`).
    pub extra: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolverKind {
    Quill,
    Cvc5,
}

impl Solver {
    /// The command that solves `sl` within `timeout_s` seconds; both solvers enforce the limit
    /// themselves, and the runner kills them a little after it. Quill also gets the unlabeled
    /// `inputs` file, when the run gives one.
    pub fn command(&self, sl: &Path, timeout_s: f64, inputs: Option<&Path>) -> Command {
        let mut c = Command::new(&self.exe);
        match self.kind {
            SolverKind::Quill => {
                c.arg("synth").arg(sl).arg("--timeout").arg(format!("{timeout_s}")).args(&self.extra);
                if let Some(p) = inputs {
                    c.arg("--inputs").arg(p);
                }
            }
            SolverKind::Cvc5 => {
                let ms = (timeout_s * 1000.0).round().max(1.0) as u64;
                c.arg("--lang=sygus2").arg(format!("--tlimit={ms}")).arg(sl);
            }
        }
        c
    }
}

/// A solver's result on one task, before it is placed in a row.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    pub status: Status,
    pub size: Option<usize>,
    pub holdout_correct: Option<usize>,
    pub answer: String,
    pub note: String,
}

impl Judgement {
    fn plain(status: Status, note: impl Into<String>) -> Judgement {
        Judgement { status, size: None, holdout_correct: None, answer: String::new(), note: note.into() }
    }
}

/// Where z3 is and how long it may think, when the z3 check is on.
#[derive(Clone, Debug)]
pub struct Z3Config {
    pub exe: PathBuf,
    pub limit_s: u64,
}

/// Decides the status of a solver's run on a prepared task. `query_path` is where the z3 query for
/// this run is kept.
pub fn judge(
    p: &Prepared,
    out: &Outcome,
    timeout_s: f64,
    z3: Option<&Z3Config>,
    query_path: &Path,
) -> Judgement {
    if out.killed {
        return Judgement::plain(Status::Timeout, "killed at the wall-clock limit");
    }
    match read_claim(&out.stdout) {
        Err(e) => Judgement::plain(Status::Wrong, format!("malformed answer: {e}")),
        Ok(Claim::Infeasible) if p.contradictory => Judgement {
            answer: "infeasible".into(),
            ..Judgement::plain(Status::Solved, "infeasible: confirmed, the examples contradict each other")
        },
        Ok(Claim::Infeasible) => Judgement {
            answer: "infeasible".into(),
            ..Judgement::plain(Status::Failed, "claims infeasible; not confirmed (no contradicting examples)")
        },
        Ok(Claim::Nothing(first)) => no_answer(out, &first, timeout_s),
        Ok(Claim::Defs(defs)) => verify(p, &defs, z3, query_path),
    }
}

/// The status of a run that printed no answer: a timeout when it used up its time, an error when it
/// crashed or exited with a failure code, otherwise a plain failure (`unknown`, `fail`, ...).
fn no_answer(out: &Outcome, first: &str, timeout_s: f64) -> Judgement {
    let text = format!("{}\n{}", out.stdout, out.stderr).to_lowercase();
    if text.contains("interrupted by timeout") || out.wall_s >= timeout_s {
        return Judgement::plain(Status::Timeout, first);
    }
    let last_err = out.stderr.lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or(first);
    match &out.exit {
        Exit::NotStarted(m) => Judgement::plain(Status::Error, m.clone()),
        Exit::Signal(s) => Judgement::plain(Status::Error, format!("killed by signal {s}: {last_err}")),
        Exit::Code(0) => Judgement::plain(Status::Failed, first),
        Exit::Code(c) => Judgement::plain(Status::Error, format!("exit code {c}: {last_err}")),
    }
}

/// Checks printed definitions with the evaluator and z3; z3's definite answers win (it is the
/// independent judge), the evaluator decides when z3 cannot.
fn verify(p: &Prepared, defs: &[RawDef], z3: Option<&Z3Config>, query_path: &Path) -> Judgement {
    let answer = defs.iter().map(RawDef::text).collect::<Vec<_>>().join(" ");
    let resolved = match &p.problem {
        Ok(problem) => match answer::resolve(problem, defs) {
            Err(AnswerError::Mismatch(m)) => {
                return Judgement { answer, ..Judgement::plain(Status::Wrong, m) }
            }
            r => r.map_err(|e| e.message().to_string()),
        },
        Err(e) => Err(format!("Quill's front end cannot read the problem: {e}")),
    };
    let eval = match (&p.problem, &resolved) {
        (Ok(problem), Ok(d)) => eval_check(problem, d),
        (_, Err(e)) | (Err(e), _) => EvalVerdict::Unknown(e.clone()),
    };
    let z3v = match z3 {
        Some(cfg) => match std::fs::read_to_string(&p.sl_path) {
            Ok(text) => z3::check(&cfg.exe, &text, defs, query_path, cfg.limit_s),
            Err(e) => Z3Verdict::Unknown(e.to_string()),
        },
        None => Z3Verdict::Unknown("z3 check off".into()),
    };
    let (status, note) = match (&z3v, &eval) {
        (Z3Verdict::Refuted, EvalVerdict::Fail(m)) => (Status::Wrong, format!("z3 refutes; {m}")),
        (Z3Verdict::Refuted, _) => (Status::Wrong, "z3 refutes (the evaluator did not)".into()),
        (Z3Verdict::Confirmed, EvalVerdict::Fail(m)) => {
            (Status::Solved, format!("z3 confirms but the evaluator disagrees: {m}"))
        }
        (Z3Verdict::Confirmed, _) => (Status::Solved, String::new()),
        (Z3Verdict::Unknown(why), EvalVerdict::Pass { sampled: true }) => {
            (Status::Solved, format!("checked on samples only; {why}"))
        }
        (Z3Verdict::Unknown(_), EvalVerdict::Pass { sampled: false }) => (Status::Solved, String::new()),
        (Z3Verdict::Unknown(_), EvalVerdict::Fail(m)) => (Status::Wrong, m.clone()),
        (Z3Verdict::Unknown(why), EvalVerdict::Unknown(m)) => (Status::Unchecked, format!("{m}; {why}")),
    };
    // Answers must be derivable from the grammar the problem gives; one that is not is reported
    // in the note (solvers print equivalent terms in different shapes, such as n-ary `str.++`, so
    // this is a flag to look at rather than a verdict).
    let note = match (&p.problem, &resolved) {
        (Ok(problem), Ok(d)) if status == Status::Solved => {
            let outside: Vec<&str> = d
                .iter()
                .filter(|f| {
                    problem
                        .synth_funs
                        .iter()
                        .any(|s| s.name == f.name && s.grammar_given && !s.grammar.derives(0, &f.body))
                })
                .map(|f| &*f.name)
                .collect();
            if outside.is_empty() {
                note
            } else {
                let sep = if note.is_empty() { "" } else { "; " };
                format!("{note}{sep}not derivable from the given grammar: {}", outside.join(", "))
            }
        }
        _ => note,
    };
    let (size, holdout_correct) = match &resolved {
        Ok(d) => (
            Some(d.iter().map(|f| f.body.size()).sum()),
            (d.len() == 1 && !p.heldout.is_empty()).then(|| score_heldout(&d[0], &p.heldout)),
        ),
        Err(_) => (None, None),
    };
    Judgement { status, size, holdout_correct, answer, note }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(c: &Command) -> Vec<String> {
        c.get_args().map(|a| a.to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn only_quill_is_given_the_unlabeled_inputs() {
        let solver =
            |kind| Solver { name: "s".into(), kind, exe: "x".into(), extra: vec!["--no-model".into()] };
        let inputs = Path::new("t.inputs.json");
        let quill = args(&solver(SolverKind::Quill).command(Path::new("t.sl"), 10.0, Some(inputs)));
        assert_eq!(quill, ["synth", "t.sl", "--timeout", "10", "--no-model", "--inputs", "t.inputs.json"]);
        let plain = args(&solver(SolverKind::Quill).command(Path::new("t.sl"), 10.0, None));
        assert!(!plain.contains(&"--inputs".to_string()));
        let cvc5 = args(&solver(SolverKind::Cvc5).command(Path::new("t.sl"), 10.0, Some(inputs)));
        assert_eq!(cvc5, ["--lang=sygus2", "--tlimit=10000", "t.sl"]);
    }
}
