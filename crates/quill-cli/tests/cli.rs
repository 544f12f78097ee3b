//! The `quill` binary end to end: answers, `infeasible`, Python output and error messages.

use std::path::PathBuf;
use std::process::Command;

fn quill(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_quill")).args(args).output().expect("quill runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn repo(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path).display().to_string()
}

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("quill-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn the_shipped_example_is_solved_in_sygus_answer_format() {
    let (code, out, _) = quill(&["synth", &repo("examples/initials.sl")]);
    assert_eq!(code, 0);
    assert!(out.starts_with("(define-fun initials ((name String)) String "), "{out}");
}

#[test]
fn a_table_of_examples_gives_the_program_and_its_python() {
    let (code, out, _) = quill(&["synth", "--examples", &repo("examples/emails.csv")]);
    assert_eq!(code, 0);
    assert!(out.contains("(define-fun f ((email String)) String"), "{out}");
    assert!(out.contains("def f(email: str) -> str:"), "{out}");
}

/// The shipped example of numbers taken out of text: the answer takes runs of digits by their
/// index, and its Python calls the module's `_num_at` rather than an unrolled scan.
#[test]
fn numbers_in_text_are_taken_by_their_run() {
    let (code, out, _) = quill(&["synth", "--examples", &repo("examples/orders.csv")]);
    assert_eq!(code, 0);
    assert!(out.contains("(str.++ (num_at note 0) (str.++ \"/\" (num_at note 1)))"), "{out}");
    assert!(out.contains("def _num_at(s: str, i: int) -> str:") && !out.contains("def run_"), "{out}");
}

/// The shipped example of filling a column: two names have their first word, three are blank.
/// Three characters fit the two examples as well as the first word does; the blank rows tell them
/// apart ("Jo " ends in a space), with or without the model.
#[test]
fn blank_rows_are_filled_by_a_program_that_works_on_them() {
    let names = repo("examples/names.csv");
    for model in [None, Some("--no-model")] {
        let mut args = vec!["synth", "--examples", &names, "--fill"];
        args.extend(model);
        let (code, out, err) = quill(&args);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("# 3 filled rows\nJo Li,Jo\nKimberly Ng,Kimberly\nMaria de la Cruz,Maria"),
            "{out}"
        );
    }
    // Without --fill a blank output is an example of the empty string, as before.
    let (_, out, _) = quill(&["synth", "--examples", &names, "--no-model"]);
    assert!(!out.contains("filled rows") && !out.contains("(field name \" \" 0)"), "{out}");
}

#[test]
fn inputs_without_outputs_are_read_from_a_file_and_checked() {
    let table = temp("two.csv", "name,first\nAnn Lee,Ann\nBob Ray,Bob\n");
    let (_, alone, _) = quill(&["synth", "--examples", &table, "--no-model"]);
    let inputs = temp("inputs.json", r#"[["Jo Li"], ["Kimberly Ng"]]"#);
    let (code, out, err) = quill(&["synth", "--examples", &table, "--no-model", "--inputs", &inputs]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("(define-fun f ((name String)) String (field name \" \" 0))"), "{out}");
    assert!(
        !alone.starts_with("(define-fun f ((name String)) String (field"),
        "the inputs changed nothing: {alone}"
    );
    let bad = temp("bad.csv", "name\nJo Li\nA,B\n");
    let (code, _, err) = quill(&["synth", "--examples", &table, "--inputs", &bad]);
    assert_ne!(code, 0);
    assert!(
        err.contains("bad.csv") && err.contains("row 3") && err.contains("expected 1 inputs, found 2"),
        "{err}"
    );
}

#[test]
fn contradictory_examples_are_infeasible_and_exit_zero() {
    let f = temp(
        "contra.sl",
        "(set-logic SLIA)\n(synth-fun f ((s String)) String)\n(constraint (= (f \"a\") \"x\"))\n(constraint (= (f \"a\") \"y\"))\n",
    );
    let (code, out, _) = quill(&["synth", &f]);
    assert_eq!((code, out.trim()), (0, "infeasible"));
}

#[test]
fn a_malformed_file_exits_non_zero_naming_file_line_and_column() {
    let f = temp("bad.sl", "(set-logic SLIA)\n(synth-fun f ((s String)) Strin)\n");
    let (code, out, err) = quill(&["synth", &f]);
    assert_ne!(code, 0);
    assert!(out.is_empty());
    assert!(err.contains("bad.sl:2:"), "{err}");
}

#[test]
fn an_unsolvable_problem_prints_fail_and_exits_zero() {
    let f = temp(
        "fail.sl",
        "(set-logic SLIA)\n(synth-fun f ((s String)) String ((Start String)) ((Start String (s))))\n(constraint (= (f \"a\") \"b\"))\n",
    );
    let (code, out, _) = quill(&["synth", &f, "--timeout", "2"]);
    assert_eq!((code, out.trim()), (0, "fail"));
}

#[test]
fn the_model_can_be_switched_off_and_a_missing_one_is_an_error() {
    let (code, out, _) = quill(&["synth", &repo("examples/initials.sl"), "--no-model", "-v"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("(define-fun initials ((name String)) String "), "{out}");
    let (code, out, err) = quill(&["synth", &repo("examples/initials.sl"), "--model", "/nonexistent/model"]);
    assert_ne!(code, 0);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("/nonexistent/model"), "{err}");
}

#[test]
fn the_shipped_model_loads_and_verbose_output_says_what_it_did() {
    let model = repo("models/quill-strings");
    let (code, out, err) = quill(&["synth", &repo("examples/initials.sl"), "--model", &model, "-v"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("(define-fun initials ((name String)) String "), "{out}");
    assert!(err.contains("; model: "), "{err}");
}
