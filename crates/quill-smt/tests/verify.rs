//! The verifier against z3 on real benchmarks and inline problems (skipped when z3 or the shared
//! benchmarks are absent).

mod common;

use common::{candidate, inline, load, suite, verifier, z3_available};
use quill_lang::{FunDef, Sort, Value};
use quill_smt::{confirm, SmtError, Verdict, Verifier, Witness};
use quill_sygus::Problem;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(20);

/// Checks that `good` is verified and that `bad` gets a counterexample the evaluator confirms.
fn good_verified_bad_refuted(v: &mut Verifier, p: &Problem, good: &[FunDef], bad: &[FunDef]) -> Vec<Value> {
    assert_eq!(v.verify(p, good).unwrap(), Verdict::Verified);
    let Verdict::Counterexample(cex) = v.verify(p, bad).unwrap() else { panic!("expected a counterexample") };
    let sorts: Vec<Sort> = p.declared_vars.iter().map(|d| d.1).collect();
    assert_eq!(cex.iter().map(Value::sort).collect::<Vec<_>>(), sorts);
    assert_eq!(confirm(p, bad, &cex), Some(false), "the evaluator confirms the failure at {cex:?}");
    assert_eq!(confirm(p, good, &cex), Some(true), "the right candidate holds at {cex:?}");
    cex
}

/// The required test: a deliberately wrong candidate for a real CLIA benchmark gets a
/// counterexample that the evaluator confirms, while a right one is verified.
#[test]
fn clia_max2_wrong_candidate_gets_a_counterexample_the_evaluator_confirms() {
    let (true, Some(clia)) = (z3_available(), suite("clia")) else { return };
    let p = load(&clia.join("jmbl_fg_max2.sl"));
    let good = candidate(&p, "mux_2", "(ite (>= x y) x y)");
    let bad = candidate(&p, "mux_2", "x");
    let mut v = verifier(LIMIT);
    let cex = good_verified_bad_refuted(&mut v, &p, &[good], &[bad]);
    assert!(cex[1].as_int() > cex[0].as_int(), "x alone fails only where y > x: {cex:?}");
    let s = v.stats();
    assert_eq!((s.solver_calls, s.solver_verified, s.solver_counterexamples), (2, 1, 1));
}

#[test]
fn bitvector_benchmark_is_verified_and_refuted() {
    let (true, Some(general)) = (z3_available(), suite("general")) else { return };
    let p = load(&general.join("from_2018/hd-03-d1-prog.sl"));
    let good = candidate(&p, "f", "(bvand x (bvadd (bvnot x) #x00000001))");
    let bad = candidate(&p, "f", "(bvand x (bvsub x #x00000001))");
    good_verified_bad_refuted(&mut verifier(LIMIT), &p, &[good], &[bad]);
}

#[test]
fn string_constraints_are_verified_and_refuted() {
    if !z3_available() {
        return;
    }
    let p = inline(
        "(set-logic SLIA)\n(synth-fun f ((s String)) String)\n(declare-var s String)\n\
         (constraint (= (f s) (str.++ s s)))",
    );
    let good = candidate(&p, "f", "(str.++ s s)");
    let bad = candidate(&p, "f", "(str.++ s \"a\")");
    let mut v = verifier(LIMIT);
    good_verified_bad_refuted(&mut v, &p, &[good], &[bad]);

    // z3 4.8.12 prints a backslash unescaped, so a counterexample holding one is read back
    // character by character; it must come back exact.
    let p = inline(
        "(set-logic SLIA)\n(synth-fun g ((s String)) Int)\n(declare-var s String)\n\
         (constraint (=> (and (str.prefixof \"\\u{5c}u{41}\\u{e9}\" s) (= (str.len s) 8)) (= (g s) 1)))",
    );
    let Verdict::Counterexample(cex) = v.verify(&p, &[candidate(&p, "g", "0")]).unwrap() else {
        panic!("expected a counterexample")
    };
    let s = cex[0].as_str().expect("a string").to_rust_string();
    assert!(s.starts_with("\\u{41}\u{e9}") && s.chars().count() == 8, "{s:?}");
    assert_eq!(confirm(&p, &[candidate(&p, "g", "0")], &cex), Some(false));
}

#[test]
fn several_functions_under_synthesis_are_checked_together() {
    let (true, Some(clia)) = (z3_available(), suite("clia")) else { return };
    let p = load(&clia.join("jmbl_fg_fivefuncs.sl"));
    let bodies = [
        ("f1", "p1"),
        ("f2", "(+ p1 p1)"),
        ("f3", "(- (+ p1 (+ p1 p1)) P1)"),
        ("f4", "(+ (+ p1 p1) (+ p1 p1))"),
        ("f5", "(+ (+ (+ p1 p1) (+ p1 p1)) p1)"),
    ];
    // Given in another order than declared: candidates are matched by name.
    let good: Vec<FunDef> = bodies.iter().rev().map(|(n, b)| candidate(&p, n, b)).collect();
    let mut bad = good.clone();
    bad[0] = candidate(&p, "f5", "(+ (+ p1 p1) (+ p1 p1))");
    good_verified_bad_refuted(&mut verifier(LIMIT), &p, &good, &bad);
}

#[test]
fn helpers_are_defined_for_constraints_and_candidates() {
    let (true, Some(clia)) = (z3_available(), suite("clia")) else { return };
    let p = load(&clia.join("jmbl_fg_mpg_guard1.sl"));
    let good = candidate(&p, "eq_1", "(ite (>= (plus_2 x y) 1) (plus_2 x y) (plus_2 x (minus y)))");
    let bad = candidate(&p, "eq_1", "(plus_2 x y)");
    let mut v = verifier(LIMIT);
    good_verified_bad_refuted(&mut v, &p, &[good], &[bad]);

    // A helper that calls the function under synthesis (inlined into the constraint by the front
    // end), and helpers named `min` and `max`, which z3 must not confuse with anything of its own.
    let Some(general) = suite("general") else { return };
    let p = load(&general.join("bv-conditional-inverses/find_inv_bvsge_bvadd_4bit.sl"));
    let good = candidate(&p, "inv", "(ite (= s min) (bvsub t s) (bvsub t (bvnot (bvnot s))))");
    let bad = candidate(&p, "inv", "(bvand t max)");
    good_verified_bad_refuted(&mut v, &p, &[good], &[bad]);
    let recursive = candidate(&p, "inv", "(ite (l s t) s t)");
    assert!(matches!(v.verify(&p, &[recursive]), Err(SmtError::Unsupported(_))));
}

/// Fermat's last theorem for cubes: z3 can neither prove it nor find a counterexample.
const FERMAT: &str = "(set-logic NIA)\n(synth-fun f ((x Int) (y Int) (z Int)) Bool)\n\
    (declare-var x Int)\n(declare-var y Int)\n(declare-var z Int)\n\
    (constraint (or (f x y z) (<= x 0) (<= y 0) (<= z 0) \
    (distinct (+ (* x x x) (* y y y)) (* z z z))))";

/// Factoring a 64-bit product of two 32-bit primes by bit-blasting.
const FACTOR: &str = "(set-logic BV)\n(synth-fun f ((x (_ BitVec 64)) (y (_ BitVec 64))) Bool)\n\
    (declare-var x (_ BitVec 64))\n(declare-var y (_ BitVec 64))\n\
    (constraint (or (f x y) (= x #x0000000000000001) (= y #x0000000000000001) \
    (bvuge x #x0000000100000000) (bvuge y #x0000000100000000) \
    (distinct (bvmul x y) #xffffffea00000055)))";

#[test]
fn a_query_past_its_time_limit_is_unknown_and_the_verifier_goes_on() {
    let (true, Some(clia)) = (z3_available(), suite("clia")) else { return };
    let mut v = verifier(Duration::from_millis(200));
    for text in [FERMAT, FACTOR] {
        let p = inline(text);
        let start = Instant::now();
        let verdict = v.verify(&p, &[candidate(&p, "f", "false")]).unwrap();
        let took = start.elapsed();
        eprintln!("{verdict:?} after {took:?}");
        assert!(matches!(&verdict, Verdict::Unknown(_)), "{verdict:?}");
        assert!(took < Duration::from_secs(4), "answered after {took:?}");
        let max2 = load(&clia.join("jmbl_fg_max2.sl"));
        let good = candidate(&max2, "mux_2", "(ite (>= x y) x y)");
        assert_eq!(v.verify(&max2, &[good]).unwrap(), Verdict::Verified);
    }
    assert_eq!(v.stats().solver_unknown, 2);
}

#[test]
fn counterexamples_beyond_64_bits_are_not_returned() {
    if !z3_available() {
        return;
    }
    let p = inline(
        "(set-logic LIA)\n(synth-fun f ((x Int)) Int)\n(declare-var x Int)\n\
         (constraint (=> (> (div x 4) 9223372036854775807) (= (f x) 0)))\n\
         (constraint (=> (> x 5) (>= (f x) 0)))",
    );
    let mut v = verifier(LIMIT);
    let verdict = v.verify(&p, &[candidate(&p, "f", "1")]).unwrap();
    assert!(matches!(&verdict, Verdict::Unknown(r) if r.contains("beyond 64 bits")), "{verdict:?}");
    // When a small counterexample exists too, it is found.
    let Verdict::Counterexample(cex) = v.verify(&p, &[candidate(&p, "f", "(- 1)")]).unwrap() else {
        panic!("expected a counterexample")
    };
    assert_eq!(confirm(&p, &[candidate(&p, "f", "(- 1)")], &cex), Some(false));
}

#[test]
fn a_counterexample_through_division_by_zero_is_not_confirmed() {
    if !z3_available() {
        return;
    }
    // z3 may give `(div x 0)` any value, so it finds a "counterexample" the evaluator, which has
    // no value for `(div x 0)`, cannot reproduce.
    let p =
        inline("(set-logic LIA)\n(synth-fun f ((x Int)) Int)\n(declare-var x Int)\n(constraint (= (f x) 0))");
    let bad = [candidate(&p, "f", "(div x 0)")];
    let Verdict::Counterexample(cex) = verifier(LIMIT).verify(&p, &bad).unwrap() else {
        panic!("expected a counterexample")
    };
    assert_eq!(confirm(&p, &bad, &cex), None);
}

#[test]
fn candidates_that_do_not_fit_are_errors() {
    if !z3_available() {
        return;
    }
    let p =
        inline("(set-logic LIA)\n(synth-fun f ((x Int)) Int)\n(declare-var x Int)\n(constraint (= (f x) 0))");
    let mut v = verifier(LIMIT);
    assert!(matches!(v.verify(&p, &[]), Err(SmtError::Candidates(_))));
    let mut renamed = candidate(&p, "f", "0");
    renamed.name = "g".into();
    assert!(matches!(v.verify(&p, &[renamed]), Err(SmtError::Candidates(_))));
    let mut holed = candidate(&p, "f", "0");
    holed.body = quill_lang::Term::Hole(0, Sort::Int);
    assert!(matches!(v.verify(&p, &[holed]), Err(SmtError::Candidates(_))));
    assert_eq!(v.verify(&p, &[candidate(&p, "f", "0")]).unwrap(), Verdict::Verified);
    assert!(v.z3_version().starts_with('4'), "{}", v.z3_version());
}

/// Median time of a verify call on a CLIA task; run with `--ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn median_verify_time_on_clia() {
    let (true, Some(clia)) = (z3_available(), suite("clia")) else { return };
    let mut v = verifier(LIMIT);
    for (file, name, good, bad) in [
        ("jmbl_fg_max2.sl", "mux_2", "(ite (>= x y) x y)", "x"),
        ("jmbl_fg_mpg_guard1.sl", "eq_1", "(ite (>= (plus_2 x y) 1) (plus_2 x y) (plus_2 x (minus y)))", "x"),
    ] {
        let p = load(&clia.join(file));
        for body in [good, bad] {
            let c = [candidate(&p, name, body)];
            let mut times: Vec<Duration> = (0..50)
                .map(|_| {
                    let start = Instant::now();
                    v.verify(&p, &c).unwrap();
                    start.elapsed()
                })
                .collect();
            times.sort();
            println!("{file} {body}: median {:?}, min {:?}, max {:?}", times[25], times[0], times[49]);
        }
    }
    println!("{}", v.stats());
}

/// The output a specification requires at a point: unique for the maximum, any value where an
/// implication's premise is false, several for a mere bound, none for a contradiction.
#[test]
fn required_outputs_are_unique_free_several_or_none() {
    if !z3_available() {
        return;
    }
    let mut v = verifier(LIMIT);
    let max = inline(
        "(set-logic LIA)(synth-fun f ((x Int) (y Int)) Int)(declare-var a Int)(declare-var b Int)
         (constraint (>= (f a b) a))(constraint (>= (f a b) b))(constraint (or (= (f a b) a) (= (f a b) b)))",
    );
    let at = [Value::Int(3), Value::Int(-7)];
    assert_eq!(v.required_output(&max, &at).unwrap(), Witness::Unique(Value::Int(3)));
    let guarded = inline(
        "(set-logic LIA)(synth-fun f ((x Int)) Int)(declare-var a Int)
         (constraint (=> (> a 0) (= (f a) (* 2 a))))",
    );
    assert_eq!(v.required_output(&guarded, &[Value::Int(-1)]).unwrap(), Witness::Any);
    assert_eq!(v.required_output(&guarded, &[Value::Int(4)]).unwrap(), Witness::Unique(Value::Int(8)));
    let bound =
        inline("(set-logic LIA)(synth-fun f ((x Int)) Int)(declare-var a Int)(constraint (> (f a) a))");
    assert!(
        matches!(v.required_output(&bound, &[Value::Int(0)]).unwrap(), Witness::Several(Value::Int(n)) if n > 0)
    );
    let none = inline(
        "(set-logic LIA)(synth-fun f ((x Int)) Int)(declare-var a Int)(constraint (> (f a) a))(constraint (< (f a) a))",
    );
    assert_eq!(v.required_output(&none, &[Value::Int(0)]).unwrap(), Witness::Infeasible);
    assert_eq!(v.stats().witness_calls, 5);
}
