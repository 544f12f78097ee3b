//! `run_python`: plain programs, their input, output, exit status and errors.

use std::sync::OnceLock;

use quill_sandbox::{Limits, Outcome, Sandbox};

fn sandbox() -> &'static Sandbox {
    static SB: OnceLock<Sandbox> = OnceLock::new();
    SB.get_or_init(|| Sandbox::new(Limits::default()).expect("a sandbox on this machine"))
}

#[test]
fn reads_stdin_and_writes_stdout() {
    let run = sandbox()
        .run_python("import sys\nfor line in sys.stdin:\n    print(line.strip().upper())", b"ab\ncd\n")
        .unwrap();
    assert_eq!((run.outcome, run.stdout_text().as_str()), (Outcome::Exited(0), "AB\nCD\n"));
}

#[test]
fn exit_status_and_main() {
    let run = sandbox().run_python("import sys\nif __name__ == '__main__':\n    sys.exit(3)", b"").unwrap();
    assert_eq!(run.outcome, Outcome::Exited(3));
    let run = sandbox().run_python("exit(4)", b"").unwrap();
    assert_eq!(run.outcome, Outcome::Exited(4));
}

#[test]
fn exceptions_show_the_candidates_own_lines() {
    let run = sandbox().run_python("def f():\n    return 1 / 0\nf()\n", b"").unwrap();
    assert_eq!(run.outcome, Outcome::Exited(1));
    let err = run.stderr_text();
    assert!(err.contains("File \"<candidate>\", line 2, in f\n    return 1 / 0"), "{err}");
    assert!(err.ends_with("ZeroDivisionError: division by zero\n"), "{err}");
    assert!(!err.contains("_quill"), "the bootstrap shows in the traceback: {err}");
}

#[test]
fn syntax_errors_are_reported() {
    let run = sandbox().run_python("def f(:\n", b"").unwrap();
    assert_eq!(run.outcome, Outcome::Exited(1));
    assert!(run.stderr_text().contains("SyntaxError"), "{}", run.stderr_text());
}

/// The sandbox runs the interpreter it resolved, whole: moving a pyenv installation elsewhere would
/// make the loader pick the system's libpython under a different version, which this catches.
#[test]
fn runs_the_resolved_interpreter() {
    let run = sandbox().run_python("import sys\nprint(sys.version.splitlines()[0])", b"").unwrap();
    assert_eq!(run.stdout_text().trim(), sandbox().interpreter().version);
    let run = sandbox()
        .run_python("import math, re, json, collections, itertools, heapq\nprint(math.gcd(12, 18))", b"")
        .unwrap();
    assert_eq!(run.stdout_text(), "6\n", "{}", run.stderr_text());
}

#[test]
fn home_and_cwd_are_the_fresh_workdir() {
    let run = sandbox().run_python("import os\nprint(os.getcwd() == os.environ['HOME'] == os.environ['TMPDIR'])\nprint(os.listdir('.'))", b"").unwrap();
    assert_eq!(run.stdout_text(), "True\n[]\n", "{}", run.stderr_text());
    assert!(!run.workdir.exists());
}
