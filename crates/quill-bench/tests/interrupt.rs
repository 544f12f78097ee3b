//! Stopping a run (what Ctrl-C does): running solvers are killed, the finished tasks are kept in
//! `results.csv` and the report says it was interrupted. Its own test binary, because the stop flag
//! is process-wide.

use quill_bench::{proc, run, BenchArgs, Competitor};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn a_stopped_run_reports_what_finished() {
    let dir = tempfile::tempdir().unwrap();
    let suite = dir.path().join("s");
    std::fs::create_dir_all(&suite).unwrap();
    let sl = "(set-logic LIA)\n(synth-fun f ((x Int)) Int)\n(constraint (= (f 1) 1))\n(check-synth)\n";
    std::fs::write(suite.join("a_fast.sl"), sl).unwrap();
    std::fs::write(suite.join("b_slow.sl"), sl).unwrap();
    // A stand-in solver: answers at once on the fast task, hangs on the slow one.
    let fake = dir.path().join("fake-solver");
    std::fs::write(
        &fake,
        "#!/bin/sh\ncase \"$3\" in *slow*) sleep 60;; *) echo '(define-fun f ((x Int)) Int x)';; esac\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut args = BenchArgs::new(vec![suite]);
    args.timeout = 30.0;
    args.compare = vec![Competitor::Cvc5];
    args.cvc5 = fake;
    args.no_quill = true;
    args.no_z3 = true;
    args.out = Some(dir.path().join("out"));
    let start = Instant::now();
    let stopper = std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(1500));
        proc::request_stop();
    });
    let summary = run(&args, Path::new("/nonexistent/quill")).unwrap();
    stopper.join().unwrap();
    assert!(start.elapsed() < Duration::from_secs(20), "the hanging solver was not killed");
    assert!(summary.interrupted);
    assert_eq!(summary.rows.len(), 1, "{:?}", summary.rows);
    assert_eq!(summary.rows[0].task, "a_fast");
    assert_eq!(summary.solved("cvc5"), 1);
    let csv = std::fs::read_to_string(dir.path().join("out/results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 2);
    assert!(std::fs::read_to_string(summary.report_path()).unwrap().contains("Interrupted"));
}
