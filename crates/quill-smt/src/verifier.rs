//! The verifier: one persistent z3 process, one query per candidate set.
//!
//! Starting z3 costs tens of milliseconds, and so does `(reset)` followed by `(set-logic ..)`
//! (z3 rebuilds its theory solvers), while a linear-integer query itself takes a fraction of a
//! millisecond. The process is therefore kept, its logic is set once (and changed, with a
//! `(reset)`, only when a query needs another), and each query runs inside `(push 1)` .. `(pop 1)`,
//! the `pop` being sent at the start of the next query so that it costs no round trip of its own.
//!
//! z3 gets the time limit as `(set-option :timeout ms)`, after which it answers `unknown`; since it
//! does not check that limit everywhere (bit-blasting a wide multiplication, for one), a query that
//! is still unanswered a grace period later has its process killed, and the next query starts a
//! fresh one.

use crate::model::{answer_values, parse_value, string_is_ambiguous, ValueError};
use crate::query::{build, build_witness, Query, WitnessQuery};
use crate::z3::{Failure, Z3};
use crate::{SmtError, Stats, Verdict, Witness};
use quill_lang::sexpr::{read_one, SExpr, SKind};
use quill_lang::{FunDef, Sort, Str, Value};
use quill_sygus::Problem;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How the verifier runs z3.
#[derive(Clone, Debug)]
pub struct VerifierConfig {
    /// The z3 binary (looked up on `PATH` when it is a bare name).
    pub z3_path: PathBuf,
    /// z3's own limit for each query; past it z3 answers `unknown` and the verdict is
    /// [`Verdict::Unknown`].
    pub timeout: Duration,
    /// How long after `timeout` an unanswered query is given up and z3 killed and restarted.
    pub grace: Duration,
}

impl Default for VerifierConfig {
    fn default() -> Self {
        VerifierConfig {
            z3_path: "z3".into(),
            timeout: Duration::from_secs(10),
            grace: Duration::from_secs(1),
        }
    }
}

/// How long a freshly started z3 has to say which version it is.
const STARTUP_LIMIT: Duration = Duration::from_secs(10);

/// When z3's counterexample needs integers beyond 64 bits, the query is asked again with the
/// integer variables bounded by this magnitude, small enough that the evaluator can also multiply
/// two of them when it confirms the counterexample.
const RETRY_BOUND: i64 = 1 << 31;

/// Checks candidates against a problem's constraints with z3. See the crate documentation.
pub struct Verifier {
    config: VerifierConfig,
    z3: Option<Z3>,
    /// The logic the current process was last given, if any (a new process has none).
    logic: Option<&'static str>,
    /// Whether the current process has the last query's scope open.
    pushed: bool,
    version: String,
    stats: Stats,
}

/// Why a query stopped early: a verdict of `Unknown`, a hard error, or (internally) a
/// counterexample too large for Quill's integers.
enum Stop {
    Unknown(String),
    Error(SmtError),
    TooLarge(String),
}

impl Verifier {
    /// Starts z3 and checks that it answers like z3.
    pub fn new(config: VerifierConfig) -> Result<Self, SmtError> {
        let mut v = Verifier {
            config,
            z3: None,
            logic: None,
            pushed: false,
            version: String::new(),
            stats: Stats::default(),
        };
        v.z3 = Some(v.start()?);
        Ok(v)
    }

    /// Starts a z3 process and asks its version, which checks that it is z3 and ready.
    fn start(&mut self) -> Result<Z3, SmtError> {
        let spawn_error = |message: String| SmtError::Spawn { path: self.config.z3_path.clone(), message };
        let mut z3 = Z3::spawn(&self.config.z3_path).map_err(|e| spawn_error(e.to_string()))?;
        let lines = z3
            .exchange("(get-info :version)", Instant::now() + STARTUP_LIMIT)
            .map_err(|f| spawn_error(format!("it does not answer `(get-info :version)`: {f}")))?;
        let version = keyword_string(&lines)
            .ok_or_else(|| spawn_error(format!("it answers `(get-info :version)` with {lines:?}")))?;
        self.version = version;
        Ok(z3)
    }

    /// The version z3 reported.
    pub fn z3_version(&self) -> &str {
        &self.version
    }

    pub fn config(&self) -> &VerifierConfig {
        &self.config
    }

    /// The solver calls made so far, by verdict, and the time they took.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Checks the candidates (one per function under synthesis, matched by name) against all
    /// constraints of the problem, universally quantified over its declared variables.
    ///
    /// Errors are for candidates that do not fit the problem and for a z3 that cannot be started;
    /// anything z3 cannot settle is a [`Verdict::Unknown`] saying why.
    pub fn verify(&mut self, problem: &Problem, candidates: &[FunDef]) -> Result<Verdict, SmtError> {
        let query = build(problem, candidates)?;
        let start = Instant::now();
        let verdict = match self.solve(&query) {
            Ok(v) => v,
            Err(Stop::Unknown(m)) => Verdict::Unknown(m),
            Err(Stop::TooLarge(m)) => Verdict::Unknown(format!("z3's counterexample needs {m}")),
            Err(Stop::Error(e)) => return Err(e),
        };
        self.stats.record_solver(&verdict, start.elapsed());
        Ok(verdict)
    }

    fn deadline(&self) -> Instant {
        Instant::now() + self.config.timeout + self.config.grace
    }

    /// The commands that close the previous query's scope, set the logic if it changes, and open a
    /// fresh scope.
    fn open_scope(&mut self, logic: &'static str) -> String {
        let mut commands = String::new();
        if std::mem::take(&mut self.pushed) {
            commands.push_str("(pop 1)\n");
        }
        if self.logic != Some(logic) {
            let ms = self.config.timeout.as_millis().max(1);
            commands.push_str(&format!("(reset)\n(set-option :timeout {ms})\n(set-logic {logic})\n"));
            self.logic = Some(logic);
        }
        commands.push_str("(push 1)\n");
        // If the exchange that sends these fails, the process is dropped and this no longer matters.
        self.pushed = true;
        commands
    }

    /// What the specification requires of the (single) function under synthesis at `point`, a
    /// value for each declared variable, when every call of the function there has the same
    /// arguments. The caller must make sure of that; with calls on different inputs the answer
    /// would be too strict.
    ///
    /// This turns a logical specification into examples wherever it determines the output, so that
    /// the example-driven search (and its unification of conditionals) can work on it.
    pub fn required_output(&mut self, problem: &Problem, point: &[Value]) -> Result<Witness, SmtError> {
        let q = build_witness(problem, point)?;
        let start = Instant::now();
        let w = match self.witness(&q) {
            Ok(w) => w,
            Err(Stop::Unknown(m) | Stop::TooLarge(m)) => Witness::Unknown(m),
            Err(Stop::Error(e)) => return Err(e),
        };
        self.stats.witness_calls += 1;
        self.stats.witness_time += start.elapsed();
        Ok(w)
    }

    fn witness(&mut self, q: &WitnessQuery) -> Result<Witness, Stop> {
        let mut commands = self.open_scope(q.logic);
        commands.push_str(&q.prelude);
        commands.push_str(&format!("(assert {})\n(check-sat)", q.spec));
        match self.check_sat(&commands)? {
            Answer::Unsat => return Ok(Witness::Infeasible),
            Answer::Unknown(reason) => return Ok(Witness::Unknown(reason)),
            Answer::Sat => {}
        }
        let out =
            Query { logic: q.logic, commands: String::new(), vars: vec![q.out.clone()], sorts: vec![q.ret] };
        let value = self.values(&out)?.remove(0);
        match self.check_sat(&format!("(assert (not (= {} {value})))\n(check-sat)", q.out))? {
            Answer::Unsat => return Ok(Witness::Unique(value)),
            Answer::Unknown(reason) => return Ok(Witness::Unknown(reason)),
            Answer::Sat => {}
        }
        let mut commands = self.open_scope(q.logic);
        commands.push_str(&q.prelude);
        commands.push_str(&format!("(assert (not {}))\n(check-sat)", q.spec));
        Ok(match self.check_sat(&commands)? {
            Answer::Unsat => Witness::Any,
            Answer::Sat => Witness::Several(value),
            Answer::Unknown(reason) => Witness::Unknown(reason),
        })
    }

    fn solve(&mut self, q: &Query) -> Result<Verdict, Stop> {
        let mut commands = self.open_scope(q.logic);
        commands.push_str(&q.commands);
        commands.push_str("(check-sat)");
        match self.check_sat(&commands)? {
            Answer::Unsat => return Ok(Verdict::Verified),
            Answer::Unknown(reason) => return Ok(Verdict::Unknown(reason)),
            Answer::Sat => {}
        }
        match self.values(q) {
            Err(Stop::TooLarge(what)) => {
                // Ask for a counterexample within a range Quill computes with, if there is one.
                let bound = Value::Int(RETRY_BOUND);
                let neg = Value::Int(-RETRY_BOUND);
                let bounds: Vec<String> = q
                    .vars
                    .iter()
                    .zip(&q.sorts)
                    .filter(|(_, s)| **s == Sort::Int)
                    .map(|(v, _)| format!("(<= {neg} {v} {bound})"))
                    .collect();
                match self.check_sat(&format!("(assert (and true {}))\n(check-sat)", bounds.join(" ")))? {
                    Answer::Sat => self.values(q).map(Verdict::Counterexample),
                    Answer::Unsat => Ok(Verdict::Unknown(format!(
                        "z3's counterexample needs {what}, and there is none with integers within ±{RETRY_BOUND}"
                    ))),
                    Answer::Unknown(reason) => Ok(Verdict::Unknown(reason)),
                }
            }
            other => other.map(Verdict::Counterexample),
        }
    }

    /// Sends commands that end with `(check-sat)` and reads the answer.
    fn check_sat(&mut self, commands: &str) -> Result<Answer, Stop> {
        let lines = self.ask(commands, self.deadline())?;
        match lines.last().map(String::as_str) {
            Some("unsat") => Ok(Answer::Unsat),
            Some("sat") => Ok(Answer::Sat),
            Some("unknown") => {
                let reason = self
                    .ask("(get-info :reason-unknown)", self.deadline())
                    .ok()
                    .and_then(|lines| keyword_string(&lines))
                    .unwrap_or_default();
                Ok(Answer::Unknown(format!("z3 answered unknown ({reason})")))
            }
            _ => Err(Stop::Unknown(format!("unexpected answer from z3: {}", lines.join(" ")))),
        }
    }

    /// The values of the declared variables in z3's model.
    fn values(&mut self, q: &Query) -> Result<Vec<Value>, Stop> {
        if q.vars.is_empty() {
            return Ok(Vec::new());
        }
        let lines = self.ask(&format!("(get-value ({}))", q.vars.join(" ")), self.deadline())?;
        let exprs = answer_values(&lines, q.vars.len()).map_err(Stop::Unknown)?;
        let mut out = Vec::with_capacity(exprs.len());
        for ((e, sort), var) in exprs.iter().zip(&q.sorts).zip(&q.vars) {
            if *sort == Sort::String && string_is_ambiguous(e) {
                out.push(self.string_by_codes(var)?);
                continue;
            }
            out.push(parse_value(e, *sort).map_err(|err| match err {
                ValueError::OutOfRange(n) => Stop::TooLarge(format!("the integer {n}, beyond 64 bits")),
                other => Stop::Unknown(format!("cannot read z3's value: {other}")),
            })?);
        }
        Ok(out)
    }

    /// Reads a string variable's value as its length and character codes, which z3 prints
    /// unambiguously (see [`string_is_ambiguous`]).
    fn string_by_codes(&mut self, var: &str) -> Result<Value, Stop> {
        let ints = |v: &mut Self, terms: &[String]| -> Result<Vec<i64>, Stop> {
            let lines = v.ask(&format!("(get-value ({}))", terms.join(" ")), v.deadline())?;
            answer_values(&lines, terms.len())
                .map_err(Stop::Unknown)?
                .iter()
                .map(|e| match parse_value(e, Sort::Int) {
                    Ok(Value::Int(i)) => Ok(i),
                    _ => Err(Stop::Unknown(format!("cannot read z3's value `{e}`"))),
                })
                .collect()
        };
        let len = ints(self, &[format!("(str.len {var})")])?.first().copied().unwrap_or(-1);
        let len =
            usize::try_from(len).ok().filter(|l| *l <= quill_eval::MAX_STRING_LEN).ok_or_else(|| {
                Stop::Unknown(format!("z3's counterexample has a string of length {len}, too long for Quill"))
            })?;
        if len == 0 {
            return Ok(Value::str(""));
        }
        let terms: Vec<String> = (0..len).map(|i| format!("(str.to_code (str.at {var} {i}))")).collect();
        let chars = ints(self, &terms)?
            .into_iter()
            .map(|c| u32::try_from(c).ok().and_then(char::from_u32))
            .collect::<Option<Vec<char>>>()
            .ok_or_else(|| Stop::Unknown("z3's counterexample has a string with a surrogate code".into()))?;
        Ok(Value::Str(Str::from(chars)))
    }

    /// Sends commands to z3 (starting it if needed) and returns its answer lines. A missed deadline
    /// or a dead process drops the process; an `(error ..)` answer means z3 rejected the query.
    fn ask(&mut self, commands: &str, deadline: Instant) -> Result<Vec<String>, Stop> {
        let z3 = match self.z3.take() {
            Some(z3) => z3,
            None => {
                self.stats.solver_restarts += 1;
                // Whatever the caller prepared for this process, there is none.
                self.start().map_err(|e| {
                    self.logic = None;
                    self.pushed = false;
                    Stop::Error(e)
                })?
            }
        };
        let z3 = self.z3.insert(z3);
        match z3.exchange(commands, deadline) {
            Ok(lines) => match lines.iter().find(|l| l.starts_with("(error")) {
                Some(e) => Err(Stop::Unknown(format!("z3 rejected the query: {e}"))),
                None => Ok(lines),
            },
            Err(failure) => {
                self.z3 = None;
                self.logic = None;
                self.pushed = false;
                Err(Stop::Unknown(match failure {
                    Failure::Timeout => format!(
                        "z3 did not answer within {:?} (limit {:?} and {:?} grace); it was restarted",
                        self.config.timeout + self.config.grace,
                        self.config.timeout,
                        self.config.grace
                    ),
                    Failure::Died(m) => m,
                }))
            }
        }
    }
}

/// What `(check-sat)` answered.
enum Answer {
    Sat,
    Unsat,
    Unknown(String),
}

/// The string of an answer `(:KEYWORD "string")`, as z3 gives `get-info` answers.
fn keyword_string(lines: &[String]) -> Option<String> {
    let e = read_one(&lines.join(" ")).ok()?;
    match e.list()? {
        [SExpr { kind: SKind::Keyword(_), .. }, SExpr { kind: SKind::Str(s), .. }] => Some(s.clone()),
        _ => None,
    }
}
