//! Data-driven search tests: every `tests/fixtures/*.sl` file states what it expects in its first
//! line (`; expect: solved`, `; expect: solved, uses OP`, `; expect: infeasible`). Answers must fit
//! every example (re-checked here with the scalar evaluator, independently of the search's column
//! evaluation) and be derivable from the file's grammar.

mod common;

use common::task_from;
use quill_search::{synthesize, Config, StopReason};
use std::path::Path;
use std::time::Duration;

#[test]
fn fixture_tasks_meet_their_expectations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut checked = 0;
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "sl")) {
        let text = std::fs::read_to_string(path).unwrap();
        let expect = text.lines().next().and_then(|l| l.strip_prefix("; expect: ")).expect("an expect line");
        let task = task_from(path);
        let config = Config { timeout: Duration::from_secs(60), ..Config::default() };
        let out = synthesize(&task, &config);
        let name = path.file_name().unwrap().to_string_lossy();
        if expect == "infeasible" {
            assert_eq!(out.stop, StopReason::Infeasible, "{name}");
            assert!(out.answers.is_empty());
        } else {
            assert_eq!(out.stop, StopReason::Solved, "{name}");
            let answer = &out.answers[0];
            for e in &task.examples {
                assert_eq!(quill_eval::eval(answer, &e.inputs).as_ref(), Ok(&e.output), "{name}: {answer}");
            }
            assert!(task.grammar.derives(0, answer), "{name}: {answer} is not derivable from the grammar");
            if let Some(op) = expect.strip_prefix("solved, uses ") {
                assert!(
                    answer.to_string().contains(&format!("({op} ")),
                    "{name}: {answer} does not use {op}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} fixtures found");
}
