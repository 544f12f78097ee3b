//! Helpers shared by the integration tests.
#![allow(dead_code)] // Each test binary uses a different subset.

use quill_lang::resolve::{var, Scope};
use quill_lang::sexpr::read_one;
use quill_lang::{FunDef, Func};
use quill_smt::{Verifier, VerifierConfig};
use quill_sygus::Problem;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The z3 binary: `QUILL_Z3`, or `z3` on the path (the Debian package installs /usr/bin/z3).
pub fn z3_path() -> PathBuf {
    std::env::var_os("QUILL_Z3").map_or_else(|| PathBuf::from("z3"), PathBuf::from)
}

/// Whether z3 can be run; prints a note when it cannot (and fails under `QUILL_REQUIRE_Z3=1`).
pub fn z3_available() -> bool {
    let ok = Command::new(z3_path()).arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var("QUILL_REQUIRE_Z3").is_err(), "z3 is required but cannot be run");
        eprintln!("note: `{}` cannot be run; the test is skipped", z3_path().display());
    }
    ok
}

pub fn verifier(timeout: Duration) -> Verifier {
    let config = VerifierConfig { z3_path: z3_path(), timeout, grace: Duration::from_secs(2) };
    Verifier::new(config).expect("z3 starts")
}

/// The SyGuS-IF v2 suites, when the shared benchmarks are present (with a note when not).
pub fn suite(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/benchmarks/sygus-v2").join(name);
    if !p.is_dir() {
        eprintln!("note: {} is absent; the test is skipped", p.display());
        return None;
    }
    Some(p)
}

pub fn load(path: &Path) -> Problem {
    quill_sygus::parse_file(path).expect("the benchmark parses")
}

pub fn inline(text: &str) -> Problem {
    quill_sygus::parse(text, "inline.sl").expect("the problem parses")
}

/// A candidate for the function under synthesis `name`, with `body` written in SMT-LIB over its
/// parameters and the problem's helpers.
pub fn candidate(problem: &Problem, name: &str, body: &str) -> FunDef {
    let f = problem.synth_funs.iter().find(|f| &*f.name == name).expect("a function of that name");
    let mut scope = Scope::default();
    for d in &problem.defined {
        scope.funcs.insert(d.name.to_string(), Func::Defined(d.clone()));
    }
    for (i, (p, s)) in f.params.iter().enumerate() {
        scope.vars.push((p.to_string(), var(i, p, *s)));
    }
    let body = scope.term(&read_one(body).expect("the body reads")).expect("the body resolves");
    FunDef { name: f.name.clone(), params: f.params.clone(), ret: f.ret, body }
}
