//! Values round-trip through z3: each is made the only counterexample of a query, and the
//! counterexample read back must be exactly it (skipped when z3 is absent).

mod common;

use common::{inline, verifier, z3_available};
use quill_lang::{FunDef, Sort, Term, Value};
use quill_smt::Verdict;
use std::time::Duration;

/// The query whose only counterexample is `x = v`.
fn only_counterexample(v: &Value) -> String {
    format!(
        "(set-logic ALL)\n(synth-fun f () Bool)\n(declare-var x {})\n(constraint (or f (distinct x {v})))",
        v.sort()
    )
}

#[test]
fn values_come_back_from_z3_exactly() {
    if !z3_available() {
        return;
    }
    let strings = [
        "",
        "a\"b",
        "\"\"",
        "\\",
        "\\u{41}",
        "a\\u0041",
        "\\x",
        "\u{e9}",
        "\u{1F600}",
        "\u{0}",
        "\n\t",
        "~ !",
        "\u{2FFFF}",
        "\\\\u{5c}",
    ];
    let mut values: Vec<Value> = strings.iter().map(|s| Value::str(s)).collect();
    values.extend([0, 5, -5, i64::MAX, i64::MIN + 1].map(Value::Int));
    values.extend([Value::Bool(true), Value::Bool(false)]);
    values.extend(
        [(1, 1), (5, 0b10110), (8, 0x80), (12, 0xabc), (33, 1 << 32), (64, u64::MAX)]
            .map(|(w, b)| Value::bv(w, b)),
    );
    let mut v = verifier(Duration::from_secs(20));
    let f =
        [FunDef { name: "f".into(), params: vec![], ret: Sort::Bool, body: Term::Lit(Value::Bool(false)) }];
    for value in values {
        let p = inline(&only_counterexample(&value));
        assert_eq!(v.verify(&p, &f).unwrap(), Verdict::Counterexample(vec![value.clone()]), "{value}");
    }
}
