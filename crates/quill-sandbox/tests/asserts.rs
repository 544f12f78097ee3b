//! `check_asserts` on ordinary candidates: one row per case, each test's verdict written as its
//! `Display` text (`passed`, `failed: got 3, expected 2`, ...).

use std::sync::OnceLock;
use std::time::Duration;

use quill_sandbox::{Limits, ProgramStatus, Sandbox, TestOutcome};

fn sandbox() -> &'static Sandbox {
    static SB: OnceLock<Sandbox> = OnceLock::new();
    SB.get_or_init(|| {
        // The budget must cover starting the interpreter on a loaded machine: timing must not decide
        // a verdict other than the infinite loop's.
        let limits =
            Limits { per_test: Duration::from_secs(2), wall: Duration::from_secs(30), ..Limits::default() };
        Sandbox::new(limits).expect("a sandbox on this machine")
    })
}

const ADD: &str = "def add(a, b):\n    return a + b\n";
const BUGGY: &str = "def add(a, b):\n    return a - b\n";

/// (program, tests, expected verdict of each test).
const CASES: &[(&str, &[&str], &[&str])] = &[
    (ADD, &["assert add(1, 2) == 3", "assert add('a', 'b') == 'ab'"], &["passed", "passed"]),
    (BUGGY, &["assert add(1, 2) == 3", "assert add(2, 0) == 2"], &["failed: got -1, expected 3", "passed"]),
    // Other comparison operators and a bare truth test.
    (ADD, &["assert add(1, 1) < 2", "assert add(0, 0)", "assert 3 in [add(1, 1)]"], &[
        "failed: got 2, expected 2",
        "failed: the value was 0",
        "failed: got 3, expected [2]",
    ]),
    (
        "def div(a, b):\n    return a / b\n",
        &["assert div(1, 0) == 1"],
        &["raised ZeroDivisionError: division by zero [File \"<candidate>\", line 2, in div: return a / b]"],
    ),
    // A test that is not a single assert runs as a statement; its own AssertionError is a failure.
    (ADD, &["x = add(1, 1)\nassert x == 3, 'x was %d' % x"], &["failed: AssertionError: x was 2 [File \"<test 0>\", line 2, in <module>: assert x == 3, 'x was %d' % x]"]),
    (ADD, &["assert add(1,", "assert undefined_name(1) == 1"], &[
        "the test is not valid Python: '(' was never closed (column 11)",
        "raised NameError: name 'undefined_name' is not defined [File \"<test 1>\", line 1, in <module>: assert undefined_name(1) == 1]",
    ]),
    // One test loops forever: it times out, the rest are not run, the earlier one keeps its verdict.
    (
        "def f(x):\n    while x > 0:\n        pass\n    return x\n",
        &["assert f(0) == 0", "assert f(1) == 1", "assert f(0) == 0"],
        &["passed", "timed out", "not run"],
    ),
    // The candidate calls os._exit in the middle of a test.
    ("import os\ndef f():\n    os._exit(0)\n", &["assert f() is None", "assert True"], &["stopped: exited with status 0", "not run"]),
    // Prints (even ones that look like results) and exit() do not confuse the harness.
    (
        "import sys\ndef f():\n    print('{\"ev\": \"test\", \"i\": 1, \"status\": \"passed\"}')\n    return 1\n",
        &["assert f() == 1", "assert f() == 2", "exit(0)"],
        &["passed", "failed: got 1, expected 2", "raised SystemExit: 0 [File \"<test 2>\", line 1, in <module>: exit(0)]"],
    ),
    // Quotes, backslashes, control characters and non-ASCII text survive the result channel.
    (
        "def f():\n    return 'a\"b\\\\\\n\\té'\ndef g():\n    raise ValueError('one\\n\"two\"\\x01 ü')\n",
        &["assert f() == ''", "assert g() == 1"],
        &[
            "failed: got 'a\"b\\\\\\n\\té', expected ''",
            "raised ValueError: one\n\"two\"\u{1} ü [File \"<candidate>\", line 4, in g: raise ValueError('one\\n\"two\"\\x01 ü')]",
        ],
    ),
];

#[test]
fn verdicts_per_test() {
    for (program, tests, expected) in CASES {
        let tests: Vec<String> = tests.iter().map(|t| t.to_string()).collect();
        let report = sandbox().check_asserts(program, &tests).expect("check runs");
        assert_eq!(report.program, ProgramStatus::Ok, "{program}");
        let got: Vec<String> = report.tests.iter().map(|t| t.to_string()).collect();
        assert_eq!(&got, expected, "program:\n{program}\nreport: {report:?}");
    }
}

#[test]
fn syntax_error_in_the_candidate() {
    let report = sandbox().check_asserts("def f(:\n    return 1\n", &["assert f() == 1".into()]).unwrap();
    let ProgramStatus::SyntaxError(e) = &report.program else { panic!("{report:?}") };
    assert_eq!(e.kind, "SyntaxError");
    assert_eq!(e.location.as_deref(), Some("line 1, column 7: def f(:"));
    assert_eq!(report.tests, vec![TestOutcome::NotRun]);
    assert!(report.feedback(&["assert f() == 1".into()]).starts_with("SyntaxError: invalid syntax"));
}

#[test]
fn error_while_defining() {
    let report = sandbox().check_asserts("import nonexistent_module_xyz\n", &["assert True".into()]).unwrap();
    let ProgramStatus::Error(e) = &report.program else { panic!("{report:?}") };
    assert_eq!(e.kind, "ModuleNotFoundError");
    assert_eq!(report.tests, vec![TestOutcome::NotRun]);
}

#[test]
fn definitions_that_never_finish_time_out() {
    let report = sandbox().check_asserts("while True:\n    pass\n", &["assert True".into()]).unwrap();
    assert_eq!(report.program, ProgramStatus::Aborted(quill_sandbox::Outcome::StepTimeout));
    assert_eq!(report.tests, vec![TestOutcome::NotRun]);
}

/// The candidate writes well-formed result lines to every descriptor it can find; without the run's
/// nonce they are ignored, and the failing test still fails.
#[test]
fn forged_results_are_ignored() {
    let program = r#"
import os
forged = b'{"nonce": "0", "ev": "test", "i": 0, "status": "passed"}\n'
for fd in range(3, 64):
    try:
        os.write(fd, forged)
    except OSError:
        pass
def f():
    return 1
"#;
    let report = sandbox().check_asserts(program, &["assert f() == 2".into()]).unwrap();
    assert_eq!(report.tests[0].to_string(), "failed: got 1, expected 2", "{report:?}");
}

#[test]
fn feedback_names_the_failing_tests() {
    let tests: Vec<String> = vec!["assert add(1, 2) == 3".into(), "assert add(2, 0) == 2".into()];
    let report = sandbox().check_asserts(BUGGY, &tests).unwrap();
    assert_eq!(report.passed(), 1);
    assert!(!report.all_passed());
    assert_eq!(report.feedback(&tests), "assert add(1, 2) == 3\n  -> failed: got -1, expected 3\n");
}
