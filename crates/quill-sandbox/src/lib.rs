//! Runs untrusted Python candidates (for example LLM-written functions) in a separate, locked-down
//! `python3` process, and checks them against MBPP-style `assert` tests.
//!
//! # Threat model
//!
//! The code run here is untrusted but not targeted: mostly wrong or sloppy programs (infinite loops,
//! runaway recursion, huge allocations, floods of output), occasionally hostile ones (fork bombs,
//! deleting files, opening sockets, reading secrets, processes that try to outlive the run). The
//! sandbox must keep every such program from harming the machine, reading the user's files, reaching
//! the network, or hanging or slowing down Quill, and must leave nothing behind after a run.
//!
//! Every run is a fresh `python3 -I -S -B` process (the real interpreter, resolved once; `-S` skips
//! `site`, which costs ~100 ms per start here). What is applied to it, when the machine allows it
//! (see [`Mechanisms`]; each one is probed when the [`Sandbox`] is created and recorded, never assumed):
//!
//! * **Resource limits** (`setrlimit`): CPU seconds, address space, file size, open files, no core
//!   dumps, and a process count. A wall-clock deadline is enforced by Quill itself.
//! * **Its own session and process group** (`setsid`): on any timeout the whole group is killed.
//! * **A fresh user id per run** (when Quill runs as root): a random unprivileged uid/gid with no
//!   supplementary groups and no capabilities. The process count limit is then enforced (it is not for
//!   root), the run cannot signal anything else on the machine, and after the run every process of
//!   that uid is killed with `kill(-1, SIGKILL)`, which also catches children that left the process
//!   group (`setsid`, double fork). The sweep is atomic with respect to `fork`, so fork bombs die too.
//! * **A private network namespace** (`unshare(CLONE_NEWNET)`): no interface but a loopback that is
//!   down, so no connection to anything, not even to `localhost`.
//! * **A private mount namespace**: the working directory is a size-limited `tmpfs` that exists only
//!   for the run (so nothing it writes ever reaches the disk), the user's home is covered by an empty
//!   read-only `tmpfs`, and the interpreter's installation is bound back read-only at its own path
//!   (pyenv installs live under the 0700 `/root`; moving them elsewhere is not an option because the
//!   dynamic loader would then silently pick up a different `libpython`).
//! * **Landlock** (kernel LSM, works without root too): the process may read and execute only system
//!   directories (`/usr`, `/lib*`, `/bin`, `/sbin`, a few files of `/etc`) and the interpreter's
//!   installation, may write only its working directory and `/dev/null`, may not bind or connect TCP
//!   sockets, and (ABI 6) may not signal processes or reach abstract Unix sockets outside the sandbox.
//! * A minimal environment: `HOME` and `TMPDIR` point at the working directory; stdin, stdout and
//!   stderr are pipes; stdout and stderr are captured up to a bound, beyond which the run is killed.
//!
//! What is **not** contained, even as root: CPU and memory pressure while a run lasts (bounded by
//! the limits, not prevented); reads of world-readable files inside the allowed system directories;
//! path-based Unix sockets that any user may connect to (Landlock does not cover `connect`; the
//! fresh uid has no group, so only world-writable ones are reachable); kernel exploits. Test verdicts
//! are advisory: the candidate runs in the same interpreter as the test harness, so a deliberately
//! hostile candidate can tamper with the harness (monkeypatch builtins, return objects whose `__eq__`
//! always holds). The result channel keeps ordinary prints from being taken for results and ignores
//! lines without the run's nonce, but it is not a security boundary against the code it judges.
//!
//! Without root (a developer machine) the uid change, the mount namespace and the process-count limit
//! are unavailable; the network namespace then needs an unprivileged user namespace; Landlock and the
//! rlimits still apply. Measured consequences (tests/adversarial.rs run as `nobody`): a child that
//! leaves the process group survives the run; a fork bomb grows until the wall-clock kill; the total
//! written to the working directory is bounded only per file; and the candidate can `chmod` files
//! the user owns (Landlock does not cover metadata changes). Reads outside the allowed directories,
//! writes, network and signals stay blocked. [`Sandbox::mechanisms`] says what is in force.

mod asserts;
mod landlock;
mod plan;
mod python;
mod run;
mod sys;

use std::path::PathBuf;
use std::time::Duration;

pub use asserts::{ProgramStatus, PyError, TestOutcome, TestReport};
pub use plan::{Mechanism, Mechanisms};
pub use python::Interpreter;
pub use run::{Outcome, Run};

/// Resource limits of one sandboxed run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// CPU time of the process (`RLIMIT_CPU`), rounded up to whole seconds (at least one).
    pub cpu: Duration,
    /// Wall-clock time from start to kill.
    pub wall: Duration,
    /// Address space of each process (`RLIMIT_AS`).
    pub memory_bytes: u64,
    /// Bytes kept of stdout and of stderr each; a run that prints more is killed.
    pub output_bytes: usize,
    /// Size of any file written (`RLIMIT_FSIZE`) and of the working directory's `tmpfs`.
    pub disk_bytes: u64,
    /// Processes and threads of the run's uid (`RLIMIT_NPROC`); enforced only with a fresh uid.
    pub processes: u32,
    /// Open file descriptors (`RLIMIT_NOFILE`).
    pub open_files: u32,
    /// Wall-clock budget of each step of [`Sandbox::check_asserts`]: running the program's definitions,
    /// then each test. A step that overruns fails with [`TestOutcome::Timeout`].
    pub per_test: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            cpu: Duration::from_secs(5),
            wall: Duration::from_secs(10),
            memory_bytes: 512 << 20,
            output_bytes: 64 << 10,
            disk_bytes: 16 << 20,
            processes: 64,
            open_files: 64,
            per_test: Duration::from_secs(3),
        }
    }
}

/// Why the sandbox could not run something (a candidate's own failure is a [`Run`], not an error).
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot find a Python interpreter: running `{program}` failed: {source}")]
    NoInterpreter { program: PathBuf, source: std::io::Error },
    #[error("the Python interpreter `{program}` gave an unexpected answer: {detail}")]
    BadInterpreter { program: PathBuf, detail: String },
    #[error("the sandbox cannot run Python even with no isolation: {0}")]
    Unusable(String),
    #[error("cannot {what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("the test harness sent a malformed message: {0}")]
    Protocol(String),
}

impl SandboxError {
    fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> SandboxError {
        let what = what.into();
        move |source| SandboxError::Io { what, source }
    }
}

/// A configured sandbox: the interpreter, the limits, and the isolation mechanisms found usable.
/// Cheap to share between threads; each run is independent.
#[derive(Debug, Clone)]
pub struct Sandbox {
    limits: Limits,
    python: Interpreter,
    mechanisms: Mechanisms,
}

impl Sandbox {
    /// Resolves the real interpreter behind `python3` on `PATH` and probes the isolation mechanisms.
    pub fn new(limits: Limits) -> Result<Sandbox, SandboxError> {
        Sandbox::with_python(limits, "python3")
    }

    /// As [`Sandbox::new`] with another interpreter (a name looked up on `PATH`, or a path).
    pub fn with_python(limits: Limits, program: impl Into<PathBuf>) -> Result<Sandbox, SandboxError> {
        let python = Interpreter::resolve(&program.into())?;
        let mechanisms = plan::probe(&python, &limits)?;
        Ok(Sandbox { limits, python, mechanisms })
    }

    /// The same interpreter and mechanisms with other limits (no new probing).
    pub fn with_limits(&self, limits: Limits) -> Sandbox {
        Sandbox { limits, ..self.clone() }
    }

    /// The same sandbox with `mechanism` turned off, for measuring what each mechanism costs and for
    /// tests that show an attack succeeds without it. Never needed for normal use. Turning off the
    /// mount namespace while the fresh uid stays on makes runs fail when the interpreter lives in a
    /// directory other users cannot enter (pyenv under `/root`).
    pub fn without(&self, mechanism: Mechanism) -> Sandbox {
        let mut mechanisms = self.mechanisms.clone();
        if mechanisms.has(mechanism) {
            mechanisms.active.retain(|m| *m != mechanism);
            mechanisms.missing.push((mechanism, "turned off by the caller".into()));
        }
        Sandbox { mechanisms, ..self.clone() }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn interpreter(&self) -> &Interpreter {
        &self.python
    }

    /// The isolation mechanisms in force for every run, and why any is missing.
    pub fn mechanisms(&self) -> &Mechanisms {
        &self.mechanisms
    }

    /// Runs `source` as a Python program (`__name__ == "__main__"`) with `stdin` as its input.
    pub fn run_python(&self, source: &str, stdin: &[u8]) -> Result<Run, SandboxError> {
        let job = run::Job::plain(source, stdin);
        Ok(run::execute(&self.python, &self.limits, &self.mechanisms, job)?.run)
    }

    /// Runs `program` (definitions), then each test statement of `tests` (usually one `assert` line
    /// each) in the same process, and reports each test separately. See [`TestReport`].
    ///
    /// The program runs with `__name__ == "__candidate__"`, so its `if __name__ == "__main__":` block
    /// (example calls a model likes to add) does not run. Each step (start-up and definitions, then
    /// each test) has `Limits::per_test` of wall-clock time; one that overruns is reported as
    /// [`TestOutcome::Timeout`] and the tests after it as [`TestOutcome::NotRun`]. The CPU and wall
    /// limits apply to the whole process. Tests share the program's globals, as in MBPP.
    pub fn check_asserts(&self, program: &str, tests: &[String]) -> Result<TestReport, SandboxError> {
        asserts::check(self, program, tests)
    }
}
