//! The independent answer check on a real PBE strings task: a planted wrong answer is `wrong`, a
//! right one `solved`, with z3 taking part when it is installed.

mod common;

use quill_bench::prepare::{prepare, Prepared};
use quill_bench::proc::{Exit, Outcome};
use quill_bench::solver::{judge, Judgement, Z3Config};
use quill_bench::suite::{Task, TaskSpec};
use quill_bench::Status;
use std::path::Path;

const RIGHT: &str = "(\n(define-fun f ((name String)) String (str.substr name 0 (- (str.len name) 3)))\n)\n";
const WRONG: &str = "(define-fun f ((name String)) String (str.substr name 0 3))\n";

fn task(bench: &Path, name: &str) -> Task {
    Task {
        name: name.into(),
        spec: TaskSpec::SygusFile(bench.join(format!("sygus-v2/pbe_slia/from_2018/{name}.sl"))),
    }
}

fn printed(stdout: &str) -> Outcome {
    Outcome {
        stdout: stdout.into(),
        stderr: String::new(),
        exit: Exit::Code(0),
        killed: false,
        wall_s: 0.1,
        cpu_s: 0.1,
    }
}

fn run_judge(p: &Prepared, stdout: &str, z3: Option<&Z3Config>, work: &Path) -> Judgement {
    judge(p, &printed(stdout), 10.0, z3, &work.join("q.smt2"))
}

#[test]
fn planted_wrong_answer_is_caught_and_right_one_passes() {
    let Some(b) = common::benchmarks() else { return };
    let work = tempfile::tempdir().unwrap();
    let p = prepare(&task(&b, "bikes"), "pbe", work.path(), 0, 0, false).unwrap();
    assert!(p.problem.is_ok() && !p.contradictory);
    let z3 = common::tool("/usr/bin/z3").map(|exe| Z3Config { exe, limit_s: 10 });
    for z in [None, z3.as_ref()] {
        let right = run_judge(&p, RIGHT, z, work.path());
        assert_eq!(right.status, Status::Solved, "{right:?}");
        assert_eq!(right.size, Some(7));
        assert!(right.note.is_empty(), "{}", right.note);
        let wrong = run_judge(&p, WRONG, z, work.path());
        assert_eq!(wrong.status, Status::Wrong, "{wrong:?}");
        if z.is_some() {
            assert!(wrong.note.contains("z3 refutes"), "{}", wrong.note);
            let q = std::fs::read_to_string(work.path().join("q.smt2")).unwrap();
            assert!(q.contains("(define-fun f ((name String)) String (str.substr name 0 3))"), "{q}");
        }
    }
    // Malformed or missing definitions are wrong too.
    assert_eq!(
        run_judge(&p, "(define-fun g ((x String)) String x)", None, work.path()).status,
        Status::Wrong
    );
    assert_eq!(run_judge(&p, "(define-fun f ((x Int)) Int x)", None, work.path()).status, Status::Wrong);
    assert_eq!(run_judge(&p, "unknown", None, work.path()).status, Status::Failed);
}

#[test]
fn infeasible_counts_only_when_the_examples_contradict() {
    let Some(b) = common::benchmarks() else { return };
    let work = tempfile::tempdir().unwrap();
    let univ = prepare(&task(&b, "univ_3-long-repeat"), "pbe", work.path(), 0, 0, false).unwrap();
    assert!(univ.contradictory, "univ_3-long-repeat has contradicting examples");
    assert_eq!(run_judge(&univ, "infeasible\n", None, work.path()).status, Status::Solved);
    let bikes = prepare(&task(&b, "bikes"), "pbe", work.path(), 0, 0, false).unwrap();
    let j = run_judge(&bikes, "infeasible\n", None, work.path());
    assert_eq!(j.status, Status::Failed);
    assert!(j.note.contains("not confirmed"));
}

#[test]
fn held_out_examples_are_hidden_and_scored() {
    let Some(b) = common::benchmarks() else { return };
    let work = tempfile::tempdir().unwrap();
    let p = prepare(&task(&b, "bikes"), "pbe", work.path(), 2, 42, false).unwrap();
    assert_eq!(p.heldout.len(), 2);
    let text = std::fs::read_to_string(&p.sl_path).unwrap();
    assert_eq!(text.matches("(constraint").count(), 4);
    let again = prepare(&task(&b, "bikes"), "pbe", work.path(), 2, 42, false).unwrap();
    assert_eq!(p.heldout, again.heldout, "the same seed hides the same examples");
    assert!(p.inputs_path.is_none(), "held-out inputs are written only when asked for");
    let given = prepare(&task(&b, "bikes"), "pbe", work.path(), 2, 42, true).unwrap();
    let inputs: Vec<Vec<String>> =
        serde_json::from_str(&std::fs::read_to_string(given.inputs_path.unwrap()).unwrap()).unwrap();
    let heldout: Vec<Vec<String>> = p
        .heldout
        .iter()
        .map(|e| e.inputs.iter().map(|v| v.as_str().unwrap().to_rust_string()).collect())
        .collect();
    assert_eq!(inputs, heldout, "the inputs file holds the held-out inputs, without outputs");
    assert_eq!(run_judge(&p, RIGHT, None, work.path()).holdout_correct, Some(2));
    let first3 = "(define-fun f ((name String)) String (str.substr name 0 5))";
    let scored = run_judge(&p, first3, None, work.path()).holdout_correct.unwrap();
    assert!(scored < 2 || p.heldout.iter().all(|e| e.output.to_string().len() == 7));
}

#[test]
fn generated_problems_from_examples_parse() {
    let Some(b) = common::benchmarks() else { return };
    let work = tempfile::tempdir().unwrap();
    let suite = quill_bench::suite::load_suite(&b.join("bustle/sygus_benchmarks_89.json")).unwrap();
    for t in &suite.tasks {
        let p = prepare(t, "bustle", work.path(), 1, 0, false).unwrap();
        let problem = p.problem.as_ref().unwrap_or_else(|e| panic!("{}: {e}", t.name));
        assert!(problem.examples().is_some(), "{}", t.name);
        assert!(!p.heldout.is_empty() || problem.constraints.len() == 1);
    }
}
