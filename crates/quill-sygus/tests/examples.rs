//! Recognising programming-by-example problems and extracting their examples.

use quill_lang::Value;
use quill_sygus::{parse, Example};

fn examples(text: &str) -> Option<Vec<Example>> {
    parse(text, "t.sl").unwrap_or_else(|e| panic!("{e}")).examples()
}

#[test]
fn literal_constraints_are_examples() {
    let ex = examples(
        r#"(set-logic SLIA)
        (synth-fun f ((s String) (n Int)) String)
        (constraint (= (f "a""b" (- 1)) "x\u{48}\u0049"))
        (constraint (= "" (f "\u{5c}" 0)))
        (constraint (= (f "caf\u{e9}" -2) "ok"))"#,
    )
    .expect("a PBE problem");
    assert_eq!(
        ex,
        vec![
            Example { inputs: vec![Value::str("a\"b"), Value::Int(-1)], output: Value::str("xHI") },
            Example { inputs: vec![Value::str("\\"), Value::Int(0)], output: Value::str("") },
            Example { inputs: vec![Value::str("café"), Value::Int(-2)], output: Value::str("ok") },
        ]
    );
    let bv = examples("(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8)) (constraint (= (f #x0f) (_ bv3 8)))");
    assert_eq!(bv, Some(vec![Example { inputs: vec![Value::bv(8, 15)], output: Value::bv(8, 3) }]));
}

#[test]
fn other_problems_have_no_examples() {
    let none = [
        // A variable argument.
        "(synth-fun f ((x Int)) Int) (declare-var y Int) (constraint (= (f y) 1))",
        // Not an equation.
        "(synth-fun f ((x Int)) Int) (constraint (> (f 1) 1))",
        // Both sides call the function.
        "(synth-fun f ((x Int)) Int) (constraint (= (f 1) (f 2)))",
        // A computed argument.
        "(synth-fun f ((x Int)) Int) (constraint (= (f (+ 1 1)) 2))",
        // Two functions.
        "(synth-fun f ((x Int)) Int) (synth-fun g ((x Int)) Int) (constraint (= (f 1) 2))",
        // No constraints at all.
        "(synth-fun f ((x Int)) Int)",
        // An assumption turns examples into implications.
        "(synth-fun f ((x Int)) Int) (declare-var y Int) (assume (> y 0)) (constraint (= (f 1) 2))",
    ];
    for text in none {
        assert_eq!(examples(text), None, "{text}");
    }
}
