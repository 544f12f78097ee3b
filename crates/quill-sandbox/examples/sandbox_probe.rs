//! Prints the interpreter and the mechanisms in force, and measures the per-run overhead: the median
//! wall time of 20 runs of `pass`, bare (`std::process::Command`, no isolation), in the full sandbox,
//! and with each mechanism turned off in turn; then `check_asserts` with two tests.
//!
//! `cargo run --release -p quill-sandbox --example sandbox_probe`

use std::process::Command;
use std::time::{Duration, Instant};

use quill_sandbox::{Limits, Mechanism, Sandbox};

const RUNS: usize = 20;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time_runs(sb: &Sandbox) -> Duration {
    median(
        (0..RUNS)
            .map(|_| {
                let run = sb.run_python("pass", b"").expect("a run");
                assert!(run.success(), "{run:?}");
                run.wall
            })
            .collect(),
    )
}

fn main() {
    let t = Instant::now();
    let sb = match Sandbox::new(Limits::default()) {
        Ok(sb) => sb,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!("Sandbox::new (resolve + probe): {:?}", t.elapsed());
    println!("interpreter: {:?}", sb.interpreter());
    println!("mechanisms: {}", sb.mechanisms());
    println!("hidden: {:?}", sb.mechanisms().hidden);

    let exe = &sb.interpreter().executable;
    let bare = median(
        (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                let out =
                    Command::new(exe).args(["-I", "-S", "-B", "-c", "pass"]).output().expect("bare run");
                assert!(out.status.success());
                t.elapsed()
            })
            .collect(),
    );
    println!("bare `python -I -S -B -c pass`: median {bare:?}");
    println!("sandbox, all mechanisms: median {:?}", time_runs(&sb));
    for m in [Mechanism::Landlock, Mechanism::NetworkNamespace, Mechanism::FreshUid] {
        if sb.mechanisms().has(m) {
            println!("sandbox without {m}: median {:?}", time_runs(&sb.without(m)));
        }
    }
    if sb.mechanisms().has(Mechanism::MountNamespace) {
        let sb2 = sb.without(Mechanism::MountNamespace).without(Mechanism::FreshUid);
        println!("sandbox without mount namespace and fresh uid: median {:?}", time_runs(&sb2));
    }
    let tests = ["assert f(1) == 2".to_string(), "assert f(2) == 3".to_string()];
    let walls = (0..RUNS)
        .map(|_| {
            let r = sb.check_asserts("def f(x):\n    return x + 1\n", &tests).expect("a check");
            assert!(r.all_passed(), "{r:?}");
            r.run.wall
        })
        .collect();
    println!("check_asserts (2 tests): median {:?}", median(walls));
}
