//! End to end: cvc5 on two tiny tasks through `run` (skipped when cvc5 is not installed). Quill is
//! left out (`no_quill`) so that the test does not depend on the binary being built.

mod common;

use quill_bench::{run, BenchArgs, Competitor, Status};
use std::path::Path;

#[test]
fn cvc5_solves_two_tiny_tasks_and_the_report_is_written() {
    let Some(cvc5) = common::tool("/usr/bin/cvc5") else { return };
    let dir = tempfile::tempdir().unwrap();
    let suite = dir.path().join("tiny");
    std::fs::create_dir_all(&suite).unwrap();
    let pbe = "(set-logic SLIA)\n(synth-fun f ((x String)) String ((Start String) (I Int)) \
               ((Start String (x \" \" (str.++ Start Start) (str.substr Start I I))) (I Int (0 1 2 (str.len Start)))))\n\
               (constraint (= (f \"ab\") \"ab ab\"))\n(constraint (= (f \"c\") \"c c\"))\n(check-synth)\n";
    let lia =
        "(set-logic LIA)\n(synth-fun g ((x Int) (y Int)) Int)\n(declare-var a Int)\n(declare-var b Int)\n\
               (constraint (>= (g a b) a))\n(constraint (>= (g a b) b))\n\
               (constraint (or (= (g a b) a) (= (g a b) b)))\n(check-synth)\n";
    std::fs::write(suite.join("double.sl"), pbe).unwrap();
    std::fs::write(suite.join("max2.sl"), lia).unwrap();
    let mut args = BenchArgs::new(vec![suite]);
    args.timeout = 5.0;
    args.compare = vec![Competitor::Cvc5];
    args.no_quill = true;
    args.cvc5 = cvc5;
    args.out = Some(dir.path().join("out"));
    let summary = run(&args, Path::new("/nonexistent/quill")).unwrap();
    assert!(!summary.interrupted);
    assert_eq!(summary.rows.len(), 2);
    for r in &summary.rows {
        assert_eq!(r.status, Status::Solved, "{r:?}");
        assert!(r.wall_s > 0.0 && r.wall_s < 7.0 && r.size.is_some());
    }
    let out = dir.path().join("out");
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3);
    assert!(std::fs::read_to_string(out.join("report.md")).unwrap().contains("| cvc5 | 2 |"));
    assert!(out.join("cactus-tiny.svg").exists() && out.join("tasks/tiny/max2.cvc5.stdout").exists());
}
