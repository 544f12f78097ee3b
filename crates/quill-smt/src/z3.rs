//! A `z3 -in` process that answers SMT-LIB commands under a deadline.
//!
//! z3 prints nothing for declarations and one answer per query command, so the end of an answer
//! cannot be recognised from the answer itself (a `get-value` may span many lines). Every batch of
//! commands therefore ends with `(echo MARKER)`, and the answer is everything z3 prints before the
//! marker. z3's output is read on a thread of its own that forwards lines over a channel, so that
//! waiting for an answer can time out; a process that misses its deadline is killed (the caller
//! starts a fresh one), which is the backstop behind z3's own soft time limit.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Instant;

/// The line that ends every answer. It cannot be confused with a value: z3 prints values inside
/// parentheses and escapes line breaks in strings.
const MARKER: &str = "quill-smt-end-of-answer";

/// Why an exchange got no answer. Either way the process is no longer usable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The deadline passed first.
    Timeout,
    /// z3 closed its output or its input (it exited or crashed).
    Died(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Timeout => f.write_str("no answer in time"),
            Failure::Died(m) => f.write_str(m),
        }
    }
}

pub(crate) struct Z3 {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Z3 {
    /// Starts `path -smt2 -in`. Errors from z3 go to its standard output, so standard error is not
    /// read (and not piped, so it cannot fill up and stall z3).
    pub(crate) fn spawn(path: &Path) -> std::io::Result<Z3> {
        let mut child = Command::new(path)
            .args(["-smt2", "-in"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("z3's standard input or output is not a pipe"));
        };
        let (tx, lines) = mpsc::channel();
        // The thread ends when z3's output closes (z3 exited or was killed) or when the receiver is
        // gone (the process was dropped).
        let reader = std::thread::Builder::new().name("quill-smt-z3-output".into()).spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        if let Err(e) = reader {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
        Ok(Z3 { child, stdin, lines })
    }

    /// Sends `commands` (complete SMT-LIB commands) and returns the lines z3 printed in answer,
    /// without surrounding whitespace, once all of them are answered.
    pub(crate) fn exchange(&mut self, commands: &str, deadline: Instant) -> Result<Vec<String>, Failure> {
        let batch = format!("{commands}\n(echo \"{MARKER}\")\n");
        if let Err(e) = self.stdin.write_all(batch.as_bytes()).and_then(|()| self.stdin.flush()) {
            return Err(Failure::Died(format!("z3 stopped reading its input ({e})")));
        }
        let mut out = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.trim() == MARKER => return Ok(out),
                Ok(line) => out.push(line.trim().to_string()),
                Err(RecvTimeoutError::Timeout) => return Err(Failure::Timeout),
                Err(RecvTimeoutError::Disconnected) => {
                    // The exit status, when the process has already ended, says how.
                    let status = match self.child.try_wait() {
                        Ok(Some(s)) => format!(" ({s})"),
                        _ => String::new(),
                    };
                    return Err(Failure::Died(format!("z3 exited or closed its output{status}")));
                }
            }
        }
    }
}

impl Drop for Z3 {
    /// Kills the process and reaps it. A process that is dropped has either answered everything
    /// asked of it or missed a deadline, so there is nothing to wait for.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
