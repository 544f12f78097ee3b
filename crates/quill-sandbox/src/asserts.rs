//! Checking a candidate against assert tests, all in one sandboxed process, each test on its own.

use std::fmt;

use serde::Deserialize;

use crate::run::{self, Job, Outcome, Run};
use crate::{plan, Sandbox, SandboxError};

/// A Python exception, as the harness saw it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PyError {
    /// The exception's class name, e.g. `ZeroDivisionError`.
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    /// The innermost frame in the candidate's or the test's own code, as
    /// `File "<candidate>", line 3, in f: return a / b`; for syntax errors `line L, column C: text`.
    pub location: Option<String>,
}

/// What became of the candidate's definitions (run once, before the tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgramStatus {
    Ok,
    /// The program does not parse; no test ran.
    SyntaxError(PyError),
    /// Running the definitions raised; no test ran.
    Error(PyError),
    /// The process ended or was killed while running the definitions.
    Aborted(Outcome),
}

/// The verdict on one test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestOutcome {
    Passed,
    /// The assertion was false. For `assert LHS op RHS`, `actual` is `repr(LHS)` and `expected` is
    /// `repr(RHS)`; for another assert, `actual` is `repr` of its false value. `error` is set when the
    /// test raised `AssertionError` itself (a test that is not a single assert statement).
    Failed {
        actual: Option<String>,
        expected: Option<String>,
        error: Option<PyError>,
    },
    /// The test raised an exception other than `AssertionError`.
    Error(PyError),
    /// The test itself is not valid Python.
    BadTest(String),
    /// The test overran its budget (`Limits::per_test`) or the run's wall-clock limit; killed.
    Timeout,
    /// The process ended in another way while running this test (CPU limit, output flood, a signal,
    /// or the candidate calling `os._exit`).
    Aborted(Outcome),
    /// An earlier test or the definitions ended the process.
    NotRun,
}

/// Results of [`Sandbox::check_asserts`]: one entry in `tests` per test given.
#[derive(Debug, Clone)]
pub struct TestReport {
    pub program: ProgramStatus,
    pub tests: Vec<TestOutcome>,
    /// The underlying run (the candidate's own prints are in its stdout and stderr).
    pub run: Run,
}

impl TestReport {
    pub fn passed(&self) -> usize {
        self.tests.iter().filter(|t| **t == TestOutcome::Passed).count()
    }

    pub fn all_passed(&self) -> bool {
        self.program == ProgramStatus::Ok && self.tests.iter().all(|t| *t == TestOutcome::Passed)
    }

    /// A short text for a model to read: the program's status, then each test that did not pass, with
    /// its source.
    pub fn feedback(&self, tests: &[String]) -> String {
        let mut s = String::new();
        match &self.program {
            ProgramStatus::Ok => {}
            ProgramStatus::SyntaxError(e) => s += &format!("SyntaxError: {} ({})\n", e.message, loc(e)),
            ProgramStatus::Error(e) => s += &format!("defining the program raised {e}\n"),
            ProgramStatus::Aborted(o) => s += &format!("the program was stopped while defining: {o}\n"),
        }
        for (t, src) in self.tests.iter().zip(tests) {
            if *t != TestOutcome::Passed {
                s += &format!("{}\n  -> {t}\n", src.trim());
            }
        }
        if s.is_empty() {
            s = format!("all {} tests passed\n", self.tests.len());
        }
        s
    }
}

fn loc(e: &PyError) -> &str {
    e.location.as_deref().unwrap_or("unknown location")
}

impl fmt::Display for PyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)?;
        if let Some(l) = &self.location {
            write!(f, " [{l}]")?;
        }
        Ok(())
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Exited(c) => write!(f, "exited with status {c}"),
            Outcome::Signalled(s) => write!(f, "killed by signal {s}"),
            Outcome::CpuLimit => f.write_str("CPU time limit exceeded"),
            Outcome::WallTimeout => f.write_str("wall-clock limit exceeded"),
            Outcome::StepTimeout => f.write_str("time limit of the test exceeded"),
            Outcome::OutputLimit => f.write_str("printed more than the output limit"),
        }
    }
}

impl fmt::Display for TestOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TestOutcome::Passed => f.write_str("passed"),
            TestOutcome::Failed { actual: Some(a), expected: Some(e), .. } => {
                write!(f, "failed: got {a}, expected {e}")
            }
            TestOutcome::Failed { actual: Some(a), .. } => write!(f, "failed: the value was {a}"),
            TestOutcome::Failed { error: Some(e), .. } => write!(f, "failed: {e}"),
            TestOutcome::Failed { .. } => f.write_str("failed"),
            TestOutcome::Error(e) => write!(f, "raised {e}"),
            TestOutcome::BadTest(m) => write!(f, "the test is not valid Python: {m}"),
            TestOutcome::Timeout => f.write_str("timed out"),
            TestOutcome::Aborted(o) => write!(f, "stopped: {o}"),
            TestOutcome::NotRun => f.write_str("not run"),
        }
    }
}

#[derive(Deserialize)]
struct Message {
    nonce: String,
    ev: String,
    status: Option<String>,
    i: Option<usize>,
    error: Option<PyError>,
    actual: Option<String>,
    expected: Option<String>,
    message: Option<String>,
}

pub(crate) fn check(sb: &Sandbox, program: &str, tests: &[String]) -> Result<TestReport, SandboxError> {
    let nonce = plan::random_hex()?;
    // Fields `<byte length>\n<bytes>`: the harness parses them without importing `json`.
    let mut payload = Vec::new();
    for field in [nonce.as_str(), program].into_iter().chain(tests.iter().map(String::as_str)) {
        payload.extend_from_slice(format!("{}\n", field.len()).as_bytes());
        payload.extend_from_slice(field.as_bytes());
    }
    let job = Job {
        bootstrap: run::HARNESS,
        payload: &payload,
        stdin: b"",
        results: true,
        per_step: Some(sb.limits().per_test),
    };
    let done = run::execute(sb.interpreter(), sb.limits(), sb.mechanisms(), job)?;

    let mut status: Option<ProgramStatus> = None;
    let mut results: Vec<Option<TestOutcome>> = vec![None; tests.len()];
    for line in done.results.split(|&b| b == b'\n') {
        // Lines without the run's nonce did not come from the harness: ignore them.
        let Ok(msg) = serde_json::from_slice::<Message>(line) else { continue };
        if msg.nonce != nonce {
            continue;
        }
        let protocol =
            |what: &str| SandboxError::Protocol(format!("{what} in {}", String::from_utf8_lossy(line)));
        match (msg.ev.as_str(), msg.status.as_deref()) {
            ("program", Some("ok")) => status = Some(ProgramStatus::Ok),
            ("program", Some(s @ ("syntax" | "error"))) => {
                let e = msg.error.ok_or_else(|| protocol("no error"))?;
                status =
                    Some(if s == "syntax" { ProgramStatus::SyntaxError(e) } else { ProgramStatus::Error(e) });
            }
            ("test", Some(s)) => {
                let i = msg.i.filter(|&i| i < tests.len()).ok_or_else(|| protocol("bad test index"))?;
                results[i] = Some(match s {
                    "passed" => TestOutcome::Passed,
                    "failed" => {
                        TestOutcome::Failed { actual: msg.actual, expected: msg.expected, error: msg.error }
                    }
                    "error" => TestOutcome::Error(msg.error.ok_or_else(|| protocol("no error"))?),
                    "bad_test" => TestOutcome::BadTest(msg.message.unwrap_or_default()),
                    _ => return Err(protocol("unknown test status")),
                });
            }
            ("end", _) => {}
            _ => return Err(protocol("unknown message")),
        }
    }

    let outcome = done.run.outcome;
    let stopped = if matches!(outcome, Outcome::StepTimeout | Outcome::WallTimeout) {
        TestOutcome::Timeout
    } else {
        TestOutcome::Aborted(outcome)
    };
    let program = status.unwrap_or(ProgramStatus::Aborted(outcome));
    let mut blamed = program != ProgramStatus::Ok;
    let tests = results
        .into_iter()
        .map(|r| match r {
            Some(r) => r,
            // The first test without a result is the one the process ended in.
            None if !blamed => {
                blamed = true;
                stopped.clone()
            }
            None => TestOutcome::NotRun,
        })
        .collect();
    Ok(TestReport { program, tests, run: done.run })
}
