//! CSV and report writing on synthetic results.

use quill_bench::report::{median, write_all, RunInfo};
use quill_bench::results::{read_csv, CsvSink};
use quill_bench::suite::{Suite, SuiteKind, Task, TaskSpec};
use quill_bench::{ResultRow, Status};

fn row(task: &str, solver: &str, status: Status, wall: f64, holdout: (usize, Option<usize>)) -> ResultRow {
    ResultRow {
        suite: "demo".into(),
        task: task.into(),
        solver: solver.into(),
        status,
        wall_s: wall,
        cpu_s: wall * 0.9,
        size: (status == Status::Solved).then_some(5),
        holdout_total: holdout.0,
        holdout_correct: holdout.1,
        answer: if status == Status::Solved {
            "(define-fun f ((x String)) String x)".into()
        } else {
            String::new()
        },
        note: if status == Status::Wrong { "z3 refutes, \"quoted\"".into() } else { String::new() },
    }
}

fn rows() -> Vec<ResultRow> {
    vec![
        row("a", "quill", Status::Solved, 1.0, (2, Some(2))),
        row("a", "cvc5", Status::Solved, 4.0, (2, Some(1))),
        row("b", "quill", Status::Solved, 3.0, (2, Some(2))),
        row("b", "cvc5", Status::Timeout, 10.5, (2, None)),
        row("c", "quill", Status::Wrong, 0.5, (2, Some(0))),
        row("c", "cvc5", Status::Solved, 2.0, (2, Some(2))),
    ]
}

#[test]
fn csv_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.csv");
    let mut sink = CsvSink::create(&path).unwrap();
    for r in rows() {
        sink.write(&r).unwrap();
    }
    // Each row is on disk as soon as it is written (what makes Ctrl-C safe).
    assert_eq!(read_csv(&path).unwrap(), rows());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(
        "suite,task,solver,status,wall_s,cpu_s,size,holdout_total,holdout_correct,answer,note\n"
    ));
}

#[test]
fn report_has_tables_ratio_generalization_failures_and_plots() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = ["a", "b", "c", "d"].map(|n| Task { name: n.into(), spec: TaskSpec::SygusFile(n.into()) });
    let suite = Suite {
        name: "demo".into(),
        kind: SuiteKind::Sygus,
        path: "demo".into(),
        tasks: tasks.to_vec(),
        notes: vec![],
    };
    let info = RunInfo {
        command: "quill bench demo".into(),
        nproc: 2,
        timeout: 10.0,
        solvers: vec!["quill".into(), "cvc5".into()],
        ..RunInfo::default()
    };
    write_all(dir.path(), &info, &[suite], &rows(), true).unwrap();
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(md.contains("Interrupted"));
    assert!(md.contains("`quill bench demo`") && md.contains("2 CPUs"));
    assert!(md.contains("| quill | 2 | 0 | 0 | 1 | 0 | 0 | 2.00 | 2.00 |"), "{md}");
    assert!(md.contains("| cvc5 | 2 | 0 | 1 | 0 | 0 | 0 | 3.00 | 3.00 |"), "{md}");
    assert!(md.contains("Median time quill/cvc5 on the 1 tasks both solved: **0.25**"), "{md}");
    assert!(
        md.contains("Generalization, quill: 2 of 2") && md.contains("Generalization, cvc5: 1 of 2"),
        "{md}"
    );
    assert!(md.contains("`c` (wrong: z3 refutes") && md.contains("`b` (timeout)"), "{md}");
    assert!(md.contains("3 of 4 tasks run"));
    for svg in ["cactus-demo.svg", "generalization.svg"] {
        let s = std::fs::read_to_string(dir.path().join(svg)).unwrap();
        assert!(s.starts_with("<svg") && s.trim_end().ends_with("</svg>"), "{svg}");
        assert!(md.contains(svg));
    }
    assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), Some(2.5));
}
