//! The pre-check: rejecting wrong candidates by evaluation alone.

mod common;

use common::{candidate, inline};
use quill_lang::Value;
use quill_smt::{confirm, PreCheck};

const MAX2: &str = "(set-logic LIA)\n(synth-fun max2 ((a Int) (b Int)) Int)\n\
    (declare-var x Int)\n(declare-var y Int)\n\
    (constraint (>= (max2 x y) x))\n(constraint (>= (max2 x y) y))\n\
    (constraint (or (= x (max2 x y)) (= y (max2 x y))))";

#[test]
fn a_wrong_candidate_is_rejected_without_the_solver() {
    let p = inline(MAX2);
    let mut pc = PreCheck::new(&p, 7);
    assert!(pc.points().len() >= 64, "{} points", pc.points().len());
    for wrong in ["a", "b", "(+ a b)", "(ite (> a b) b a)", "(ite (>= a 0) a b)"] {
        let c = [candidate(&p, "max2", wrong)];
        let point = pc.check(&c).unwrap_or_else(|| panic!("`{wrong}` passes the pre-check"));
        assert_eq!(confirm(&p, &c, &point), Some(false), "{wrong} at {point:?}");
        assert_eq!(&pc.points()[0], &point, "the rejecting point moves to the front");
    }
    assert_eq!(pc.check(&[candidate(&p, "max2", "(ite (>= a b) a b)")]), None);
    let s = pc.stats();
    assert_eq!((s.precheck_calls, s.precheck_rejections, s.solver_calls), (6, 5, 0));
    assert!((s.precheck_rejected_fraction() - 5.0 / 6.0).abs() < 1e-9);
}

#[test]
fn points_are_seeded_cover_boundaries_and_the_problems_literals() {
    let p = inline(
        "(set-logic ALL)\n(synth-fun f ((x Int) (s String) (b (_ BitVec 8))) Bool)\n\
         (declare-var x Int)\n(declare-var s String)\n(declare-var b (_ BitVec 8))\n\
         (constraint (=> (= x 4242) (f x s b)))\n(constraint (or (= s \"Dr.\") (distinct b #x80) (f x s b)))",
    );
    let pc = PreCheck::new(&p, 1);
    assert_eq!(pc.points(), PreCheck::new(&p, 1).points(), "the same seed gives the same points");
    assert_ne!(pc.points(), PreCheck::new(&p, 2).points());
    let has = |i: usize, v: Value| pc.points().iter().any(|pt| pt[i] == v);
    for v in [0, -1, 4241, 4242, 4243] {
        assert!(has(0, Value::Int(v)), "{v}");
    }
    assert!(has(1, Value::str("")) && has(1, Value::str("Dr.")));
    assert!(has(2, Value::bv(8, 0xff)) && has(2, Value::bv(8, 0x7f)) && has(2, Value::bv(8, 0x80)));
    assert!(pc.points().iter().all(|pt| pt[0].as_int().is_some_and(|i| i.unsigned_abs() <= 1 << 20)));
    // `false` fails only where x is 4242 or b is #x80 (and s is not "Dr."), which the problem's
    // literals lead to.
    let mut pc = pc;
    let point = pc.check(&[candidate(&p, "f", "false")]).expect("rejected");
    assert!(point[0] == Value::Int(4242) || point[2] == Value::bv(8, 0x80), "{point:?}");
}

#[test]
fn added_counterexamples_are_tried_first_and_errors_are_skipped() {
    let p = inline(
        "(set-logic LIA)\n(synth-fun f ((x Int)) Int)\n(declare-var x Int)\n\
         (constraint (=> (= x 123457) (= (f x) 0)))",
    );
    let mut pc = PreCheck::new(&p, 3);
    let c = [candidate(&p, "f", "(div 1 (- x 123457))")];
    // At x = 123457 the candidate divides by zero: no point refutes it.
    assert!(!pc.add_point(vec![Value::str("wrong sort")]));
    assert!(pc.add_point(vec![Value::Int(123457)]));
    assert_eq!(pc.check(&c), None);
    let c = [candidate(&p, "f", "1")];
    assert_eq!(pc.check(&c), Some(vec![Value::Int(123457)]));
    // Candidates that do not fit the problem are left to the verifier to report.
    assert_eq!(pc.check(&[]), None);
}
