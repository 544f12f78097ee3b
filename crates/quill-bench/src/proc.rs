//! Running a solver as a child process under a wall-clock limit, measuring its wall and CPU time.
//!
//! Each child is the leader of its own process group, so that a kill reaches anything it started and
//! so that the terminal's Ctrl-C reaches only this program, which then stops the children itself.
//! The child is reaped with `wait4`, which returns the CPU time of exactly that child (and what it
//! waited for), where `getrusage(RUSAGE_CHILDREN)` would mix up children running side by side under
//! `--jobs`. Those two calls (and `killpg`) need `libc` and so `unsafe`; they are kept here, small.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Set by Ctrl-C: launch nothing more.
static STOP: AtomicBool = AtomicBool::new(false);
/// Ctrl-C presses so far; the second one exits at once.
static PRESSES: AtomicUsize = AtomicUsize::new(0);
/// Process groups of the children running now.
static RUNNING: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// How a child process ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    /// It could not be started (missing program, ...).
    NotStarted(String),
}

/// What a child did.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub exit: Exit,
    /// Whether the wall-clock limit (or Ctrl-C) killed it.
    pub killed: bool,
    pub wall_s: f64,
    pub cpu_s: f64,
}

/// Installs the Ctrl-C handler: the first press stops new launches and kills running children, so
/// the run can write the report of what is done; a second press exits at once. Installing twice (a
/// second `run` in the same process) keeps the first handler, which does the same.
pub fn install_interrupt_handler() {
    STOP.store(false, Ordering::SeqCst);
    PRESSES.store(0, Ordering::SeqCst);
    let _ = ctrlc::set_handler(|| {
        STOP.store(true, Ordering::SeqCst);
        if PRESSES.fetch_add(1, Ordering::SeqCst) >= 1 {
            std::process::exit(130);
        }
        eprintln!("\ninterrupted: stopping solvers, writing the report of what is done");
        request_stop();
    });
}

/// Whether Ctrl-C was pressed.
pub fn stopped() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Stops the run as Ctrl-C does: no new launches, and the running children are killed (used by the
/// handler, by tests, and by callers that embed the library).
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
    let running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    running.iter().for_each(|&pg| kill_group(pg));
}

/// Runs `cmd` with no input, killing its process group after `limit`.
pub fn run(mut cmd: Command, limit: Duration) -> Outcome {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
    let start = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            let what = format!("cannot start {:?}: {e}", cmd.get_program());
            return Outcome {
                stdout: String::new(),
                stderr: what.clone(),
                exit: Exit::NotStarted(what),
                killed: false,
                wall_s: 0.0,
                cpu_s: 0.0,
            };
        }
    };
    let pid = child.id() as i32;
    RUNNING.lock().unwrap_or_else(|e| e.into_inner()).push(pid);
    let killed = Arc::new(AtomicBool::new(false));
    if stopped() {
        killed.store(true, Ordering::SeqCst);
        kill_group(pid);
    }
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let watchdog = {
        let killed = Arc::clone(&killed);
        std::thread::spawn(move || {
            if done_rx.recv_timeout(limit) == Err(mpsc::RecvTimeoutError::Timeout) {
                let running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
                if running.contains(&pid) {
                    killed.store(true, Ordering::SeqCst);
                    kill_group(pid);
                }
            }
        })
    };
    let (status, cpu_s) = wait(pid);
    let wall_s = start.elapsed().as_secs_f64();
    RUNNING.lock().unwrap_or_else(|e| e.into_inner()).retain(|&p| p != pid);
    // Anything the solver started and left behind would keep the output pipes open.
    kill_group(pid);
    let _ = done_tx.send(());
    let _ = watchdog.join();
    drop(child);
    let exit = match status {
        Ok(s) if libc::WIFEXITED(s) => Exit::Code(libc::WEXITSTATUS(s)),
        Ok(s) if libc::WIFSIGNALED(s) => Exit::Signal(libc::WTERMSIG(s)),
        Ok(s) => Exit::Code(s),
        Err(e) => Exit::NotStarted(format!("wait4 failed: {e}")),
    };
    Outcome {
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        exit,
        killed: killed.load(Ordering::SeqCst),
        wall_s,
        cpu_s,
    }
}

/// Reads a pipe to its end on a thread of its own, so that a chatty child never blocks on a full pipe.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Waits for the child `pid` and returns its wait status and CPU seconds (user + system).
#[allow(
    unsafe_code,
    reason = "wait4 has no safe wrapper in std; it is the only way to get one child's CPU time"
)]
fn wait(pid: i32) -> (Result<i32, std::io::Error>, f64) {
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid, writable and live for the call; `pid` is our child,
        // which nothing else reaps (std's `Child` is never waited on).
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
            return (Ok(status), secs(usage.ru_utime) + secs(usage.ru_stime));
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return (Err(e), 0.0);
        }
    }
}

/// Sends SIGKILL to a process group; a group that is already gone is fine.
#[allow(unsafe_code, reason = "killpg has no safe wrapper in std; children run in their own process groups")]
fn kill_group(pgid: i32) {
    if pgid > 1 {
        // SAFETY: killpg takes plain integers and has no memory effects.
        unsafe {
            libc::killpg(pgid, libc::SIGKILL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_exit_code_and_times_are_reported() {
        let mut c = Command::new("sh");
        c.args(["-c", "echo out; echo err >&2; exit 3"]);
        let o = run(c, Duration::from_secs(10));
        assert_eq!(o.stdout, "out\n");
        assert_eq!(o.stderr, "err\n");
        assert_eq!(o.exit, Exit::Code(3));
        assert!(!o.killed);
    }

    #[test]
    fn the_limit_kills_the_whole_group() {
        let mut c = Command::new("sh");
        c.args(["-c", "sleep 30 & sleep 30; echo never"]);
        let o = run(c, Duration::from_millis(300));
        assert!(o.killed);
        assert!(o.wall_s < 5.0, "{}", o.wall_s);
        assert_eq!(o.exit, Exit::Signal(libc::SIGKILL));
    }

    #[test]
    fn cpu_time_is_measured() {
        let mut c = Command::new("sh");
        c.args(["-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"]);
        let o = run(c, Duration::from_secs(20));
        assert!(o.cpu_s > 0.05, "cpu {}", o.cpu_s);
        assert!(o.cpu_s <= o.wall_s + 0.05);
    }

    #[test]
    fn a_missing_program_is_reported() {
        let o = run(Command::new("/nonexistent/solver"), Duration::from_secs(1));
        assert!(matches!(o.exit, Exit::NotStarted(_)));
    }
}
