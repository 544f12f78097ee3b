//! Starting one sandboxed interpreter, feeding it, capturing it, timing it out and cleaning up.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::plan::{self, Mechanisms};
use crate::{sys, Interpreter, Limits, SandboxError};

/// Reads the program from the descriptor named in `argv[1]` and runs it as `__main__`.
pub(crate) const BOOTSTRAP: &str = include_str!("bootstrap.py");
/// Runs a program and then test statements, reporting on the descriptor named in `argv[2]`.
pub(crate) const HARNESS: &str = include_str!("harness.py");

/// Bound on the harness's result messages; more means something is wrong, and the run is killed.
const RESULTS_BYTES: usize = 4 << 20;
/// After the interpreter has exited and its processes have been killed, how long to wait for the
/// pipes to reach end-of-file (they do at once unless a process escaped the kill).
const DRAIN: Duration = Duration::from_millis(200);

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The interpreter exited with this status (1 for an uncaught exception).
    Exited(i32),
    /// Killed by this signal, other than by the CPU limit.
    Signalled(i32),
    /// The CPU-time limit was reached.
    CpuLimit,
    /// The wall-clock limit was reached and the run was killed.
    WallTimeout,
    /// One step of [`crate::Sandbox::check_asserts`] overran its own budget and the run was killed.
    StepTimeout,
    /// The program printed more than the output bound and was killed.
    OutputLimit,
}

/// The result of one sandboxed run.
#[derive(Debug, Clone)]
pub struct Run {
    pub outcome: Outcome,
    /// Captured output, at most `Limits::output_bytes` each.
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Whether output was cut at the bound (the run was then killed, [`Outcome::OutputLimit`]).
    pub truncated: bool,
    /// From start to the end of the clean-up.
    pub wall: Duration,
    /// CPU time of the interpreter (and of children it waited for).
    pub cpu_time: Duration,
    /// Process id of the interpreter, which is also its process group and session id.
    pub pid: u32,
    /// The fresh uid the run had, when that mechanism is active.
    pub uid: Option<u32>,
    /// The run's working directory on the host, already removed when the run is returned.
    pub workdir: std::path::PathBuf,
}

impl Run {
    /// Exited with status 0.
    pub fn success(&self) -> bool {
        self.outcome == Outcome::Exited(0)
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

pub(crate) struct Job<'a> {
    pub bootstrap: &'static str,
    /// Sent on the payload descriptor, which is then closed.
    pub payload: &'a [u8],
    pub stdin: &'a [u8],
    /// Whether to open the result channel.
    pub results: bool,
    /// Budget from the start, and from each complete result line, to the next one.
    pub per_step: Option<Duration>,
}

impl<'a> Job<'a> {
    pub fn plain(source: &'a str, stdin: &'a [u8]) -> Job<'a> {
        Job { bootstrap: BOOTSTRAP, payload: source.as_bytes(), stdin, results: false, per_step: None }
    }
}

pub(crate) struct Executed {
    pub run: Run,
    /// Everything received on the result channel (an overflow kills the run as `OutputLimit`).
    pub results: Vec<u8>,
}

/// A pipe end the loop reads into a bounded buffer.
struct Reader {
    file: Option<File>,
    buf: Vec<u8>,
    cap: usize,
    overflow: bool,
}

/// A pipe end the loop writes a buffer to, closing it when done.
struct Writer<'a> {
    file: Option<File>,
    data: &'a [u8],
}

impl Reader {
    fn new(fd: OwnedFd, cap: usize) -> io::Result<Reader> {
        sys::set_nonblocking(fd.as_fd())?;
        Ok(Reader { file: Some(File::from(fd)), buf: Vec::new(), cap, overflow: false })
    }

    /// Reads what is there; returns the number of new bytes.
    fn pump(&mut self) -> usize {
        let Some(file) = self.file.as_mut() else { return 0 };
        let mut chunk = [0u8; 16 << 10];
        let mut got = 0;
        loop {
            match file.read(&mut chunk) {
                Ok(0) => {
                    self.file = None;
                    break;
                }
                Ok(n) => {
                    got += n;
                    let room = self.cap.saturating_sub(self.buf.len());
                    self.buf.extend_from_slice(&chunk[..n.min(room)]);
                    if n > room {
                        self.overflow = true;
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(_) => {
                    self.file = None;
                    break;
                }
            }
        }
        got
    }
}

impl Writer<'_> {
    fn pump(&mut self) {
        let Some(file) = self.file.as_mut() else { return };
        while !self.data.is_empty() {
            match file.write(self.data) {
                Ok(n) => self.data = &self.data[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                // The child closed its end (SIGPIPE is ignored by Rust programs): stop feeding it.
                Err(_) => break,
            }
        }
        self.file = None;
    }
}

fn pollfd(file: &Option<File>, events: libc::c_short) -> libc::pollfd {
    libc::pollfd { fd: file.as_ref().map_or(-1, |f| f.as_raw_fd()), events, revents: 0 }
}

/// Kills the run's process group and, with a fresh uid, every process of that uid.
fn kill_tree(pid: libc::pid_t, uid: Option<u32>) -> Result<(), SandboxError> {
    sys::killpg(pid);
    if let Some(uid) = uid {
        let ok = sys::kill_all_of_uid(uid).map_err(SandboxError::io("start the kill-by-uid helper"))?;
        if !ok {
            return Err(SandboxError::Io {
                what: format!("kill the processes of sandbox uid {uid}"),
                source: io::Error::other("the helper could not take that uid"),
            });
        }
    }
    Ok(())
}

/// Kills and reaps the run if `execute` leaves early with an error, so that no error path leaves a
/// sandboxed process running or unreaped.
struct Guard {
    pid: libc::pid_t,
    uid: Option<u32>,
    armed: bool,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.armed {
            let _ = kill_tree(self.pid, self.uid);
            let _ = sys::wait4(self.pid);
        }
    }
}

pub(crate) fn execute(
    python: &Interpreter,
    limits: &Limits,
    m: &Mechanisms,
    job: Job<'_>,
) -> Result<Executed, SandboxError> {
    let prepared = plan::prepare(python, limits, m)?;
    let mut setup = prepared.setup;
    let uid = prepared.uid;
    let pipe = || sys::pipe().map_err(SandboxError::io("create a pipe"));
    let (payload_r, payload_w) = pipe()?;
    let (stdin_r, stdin_w) = pipe()?;
    let (stdout_r, stdout_w) = pipe()?;
    let (stderr_r, stderr_w) = pipe()?;
    let results = if job.results { Some(pipe()?) } else { None };

    let mut cmd = Command::new(&python.executable);
    cmd.args(["-I", "-S", "-B", "-c", job.bootstrap])
        .arg(payload_r.as_raw_fd().to_string())
        .arg(results.as_ref().map_or(-1, |(_, w)| w.as_raw_fd()).to_string())
        .env_clear()
        .env("HOME", &prepared.workdir.0)
        .env("TMPDIR", &prepared.workdir.0)
        .env("PATH", "/usr/bin:/bin")
        .env("LANG", "C.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::from(stdin_r))
        .stdout(Stdio::from(stdout_w))
        .stderr(Stdio::from(stderr_w));
    setup.inherit.push(payload_r);
    let results_r = match results {
        Some((r, w)) => {
            setup.inherit.push(w);
            Some(r)
        }
        None => None,
    };
    setup.install(&mut cmd);
    let start = Instant::now();
    let child = cmd.spawn().map_err(SandboxError::io("start the sandboxed interpreter"))?;
    // The child's ends of every pipe live in `cmd`; closing them here is what lets end-of-file arrive.
    drop(cmd);
    let pid = child.id() as libc::pid_t;
    drop(child);
    let mut guard = Guard { pid, uid, armed: true };
    let pidfd = sys::pidfd_open(pid).map_err(SandboxError::io("watch the sandboxed interpreter"))?;

    let mut stdout =
        Reader::new(stdout_r, limits.output_bytes).map_err(SandboxError::io("set up the sandbox's pipes"))?;
    let mut stderr =
        Reader::new(stderr_r, limits.output_bytes).map_err(SandboxError::io("set up the sandbox's pipes"))?;
    let mut channel = match results_r {
        Some(r) => Reader::new(r, RESULTS_BYTES).map_err(SandboxError::io("set up the result channel"))?,
        None => Reader { file: None, buf: Vec::new(), cap: 0, overflow: false },
    };
    let mut writers = [
        Writer { file: Some(File::from(payload_w)), data: job.payload },
        Writer { file: Some(File::from(stdin_w)), data: job.stdin },
    ];
    for w in &writers {
        if let Some(f) = &w.file {
            sys::set_nonblocking(f.as_fd()).map_err(SandboxError::io("set up the sandbox's pipes"))?;
        }
    }
    for w in &mut writers {
        w.pump();
    }

    let wall_deadline = start + limits.wall;
    let mut step_deadline = job.per_step.map(|d| start + d);
    let mut killed: Option<Outcome> = None;
    let mut exited_at: Option<Instant> = None;
    loop {
        let now = Instant::now();
        if exited_at.is_none() && killed.is_none() {
            let reason = if stdout.overflow || stderr.overflow || channel.overflow {
                Some(Outcome::OutputLimit)
            } else if now >= wall_deadline {
                Some(Outcome::WallTimeout)
            } else if step_deadline.is_some_and(|d| now >= d) {
                Some(Outcome::StepTimeout)
            } else {
                None
            };
            if let Some(reason) = reason {
                killed = Some(reason);
                kill_tree(pid, uid)?;
            }
        }
        let open = stdout.file.is_some() || stderr.file.is_some() || channel.file.is_some();
        if let Some(t) = exited_at {
            if !open || now >= t + DRAIN {
                break;
            }
        }
        let timeout = match (exited_at, killed) {
            (Some(t), _) => (t + DRAIN).saturating_duration_since(now),
            // Killed: only the exit is awaited now, and it comes promptly after SIGKILL.
            (None, Some(_)) => Duration::from_millis(100),
            (None, None) => {
                let d = step_deadline.map_or(wall_deadline, |s| s.min(wall_deadline));
                d.saturating_duration_since(now) + Duration::from_millis(1)
            }
        };
        let mut fds = [
            pollfd(&stdout.file, libc::POLLIN),
            pollfd(&stderr.file, libc::POLLIN),
            pollfd(&channel.file, libc::POLLIN),
            pollfd(&writers[0].file, libc::POLLOUT),
            pollfd(&writers[1].file, libc::POLLOUT),
            libc::pollfd {
                fd: if exited_at.is_none() { pidfd.as_raw_fd() } else { -1 },
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        sys::poll(&mut fds, timeout).map_err(SandboxError::io("wait for the sandboxed interpreter"))?;
        stdout.pump();
        stderr.pump();
        let before = channel.buf.iter().filter(|&&b| b == b'\n').count();
        if channel.pump() > 0 {
            let after = channel.buf.iter().filter(|&&b| b == b'\n').count();
            if after > before {
                step_deadline = job.per_step.map(|d| Instant::now() + d);
            }
        }
        for w in &mut writers {
            w.pump();
        }
        if exited_at.is_none() && fds[5].revents != 0 {
            // The interpreter is a zombie: its pid, and so its process group, cannot be reused until it
            // is reaped, so the group can safely be killed now (children it left behind).
            for w in &mut writers {
                w.file = None;
            }
            kill_tree(pid, uid)?;
            exited_at = Some(Instant::now());
        }
    }
    guard.armed = false;
    let reaped = sys::wait4(pid).map_err(SandboxError::io("reap the sandboxed interpreter"))?;
    let workdir = prepared.workdir.0.clone();
    drop(prepared.workdir);
    let wall = start.elapsed();

    let status = reaped.status;
    let cpu_secs = limits.cpu.as_secs() + u64::from(limits.cpu.subsec_nanos() > 0);
    let outcome = if let Some(reason) = killed {
        reason
    } else if libc::WIFSIGNALED(status) {
        let sig = libc::WTERMSIG(status);
        if sig == libc::SIGXCPU || (sig == libc::SIGKILL && reaped.cpu.as_secs() >= cpu_secs.max(1)) {
            Outcome::CpuLimit
        } else {
            Outcome::Signalled(sig)
        }
    } else {
        Outcome::Exited(libc::WEXITSTATUS(status))
    };
    let run = Run {
        outcome,
        truncated: stdout.overflow || stderr.overflow,
        stdout: stdout.buf,
        stderr: stderr.buf,
        wall,
        cpu_time: reaped.cpu,
        pid: pid as u32,
        uid,
        workdir,
    };
    Ok(Executed { run, results: channel.buf })
}
