//! The parser must never panic: whatever the bytes, it returns a problem or an error. Random
//! deletions, insertions and replacements of a real benchmark exercise every error path of the
//! reader, the resolver and the grammar code.

use proptest::prelude::*;
use std::path::Path;

/// A version 2 problem with most constructs, used when the benchmarks are not beside the project.
const V2: &str = r#"(set-logic SLIA)
(define-fun g ((s String)) String (str.++ s "-"))
(synth-fun f ((x String) (n Int)) String
  ((S String) (I Int) (B Bool))
  ((S String (x "a" (g S) (str.++ S S) (str.at S I) (ite B S S) (Constant String)))
   (I Int (n 0 (- 1) (+ I I) (str.len S) (Variable Int)))
   (B Bool ((= I I) (str.prefixof S S)))))
(declare-var v String)
(constraint (= (f "ab" (- 1)) "a\u{48}"))
(constraint (= (f v 0) (g v)))
(check-synth)
"#;

/// A version 1 problem.
const V1: &str = r#"(set-logic BV)
(define-sort B8 (BitVec 8))
(synth-fun f ((x B8)) B8 ((Start B8 (x #x01 (bvadd Start Start) (let ((y B8 Start)) (bvand y y)) (Constant B8)))))
(declare-fun y () B8)
(constraint (= (f #x0f) (_ bv3 8)))
(check-synth)
"#;

fn sources() -> Vec<String> {
    let mut out = vec![V2.to_string(), V1.to_string()];
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/benchmarks");
    for f in [
        "sygus-v2/pbe_slia/euphony/11604909.sl",
        "sygus-comp-2019/PBE_SLIA/euphony/11604909.sl",
        "sygus-v2/general/bv-conditional-inverses/find_inv_ne_bvshl1_4bit.sl",
    ] {
        if let Ok(text) = std::fs::read_to_string(bench.join(f)) {
            out.push(text);
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, u8),
    Replace(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Bytes that matter to the grammar of s-expressions, plus arbitrary ones.
    let byte = prop_oneof![
        Just(b'('),
        Just(b')'),
        Just(b'"'),
        Just(b'|'),
        Just(b' '),
        Just(b'-'),
        Just(b'#'),
        Just(b'\\'),
        Just(b'0'),
        any::<u8>()
    ];
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<usize>(), byte).prop_map(|(i, b)| Edit::Replace(i, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mutated_benchmarks_never_panic(which in any::<usize>(), edits in prop::collection::vec(edit(), 1..8)) {
        let sources = sources();
        let mut bytes = sources[which % sources.len()].clone().into_bytes();
        for e in edits {
            let n = bytes.len().max(1);
            match e {
                Edit::Delete(i) if !bytes.is_empty() => { bytes.remove(i % n); }
                Edit::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
                Edit::Replace(i, b) if !bytes.is_empty() => bytes[i % n] = b,
                _ => {}
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = quill_sygus::parse(&text, "mutated.sl");
    }
}
