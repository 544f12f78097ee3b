//! Property: the enumeration is complete up to its budget. A program drawn at random from the
//! grammar, run on random inputs, gives examples for which the search must find some answer (not
//! necessarily the same program), and that answer must fit every example. Without the deductive
//! steps the search goes strictly in order of size, so the answer is never larger than the target.

mod common;

use proptest::prelude::*;
use quill_lang::{Grammar, NtId, ProdKind, Term, Value};
use quill_search::{synthesize, Config, Example, StopReason};
use std::path::Path;
use std::time::Duration;

/// A small deterministic generator so that the drawn program depends only on the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn draw(g: &Grammar, nt: NtId, depth: u32, rng: &mut Rng) -> Term {
    let prods = &g.nonterminals[nt].productions;
    let leaves: Vec<_> = prods.iter().filter(|p| p.args.is_empty()).collect();
    let p = if depth == 0 && !leaves.is_empty() {
        leaves[rng.next(leaves.len())]
    } else {
        &prods[rng.next(prods.len())]
    };
    let children = p.args.iter().map(|a| draw(g, *a, depth.saturating_sub(1), rng)).collect();
    match &p.kind {
        ProdKind::AnyConst(s) => Term::Lit(Value::default_of(*s)),
        _ => p.build(children),
    }
}

fn word(rng: &mut Rng) -> String {
    let words = ["ada", "alan turing", "x y z", "quill", "a-b c", "", "hello world again"];
    words[rng.next(words.len())].to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]
    #[test]
    fn random_programs_are_recovered(seed in any::<u64>()) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/first-word.sl");
        let mut task = common::task_from(&path);
        let mut rng = Rng(seed);
        let target = draw(&task.grammar, 0, 2, &mut rng);
        let mut examples = Vec::new();
        for _ in 0..5 {
            let input = Value::str(&word(&mut rng));
            if let Ok(output) = quill_eval::eval(&target, std::slice::from_ref(&input)) {
                examples.push(Example { inputs: vec![input], output });
            }
        }
        prop_assume!(!examples.is_empty());
        task.examples = examples;
        let out = synthesize(&task, &Config { timeout: Duration::from_secs(30), deduction: false, ..Config::default() });
        prop_assert_eq!(&out.stop, &StopReason::Solved, "target {}", target);
        for e in &task.examples {
            let got = quill_eval::eval(&out.answers[0], &e.inputs);
            prop_assert_eq!(got.as_ref(), Ok(&e.output));
        }
        prop_assert!(out.answers[0].size() <= target.size(), "{} is larger than the target {}", out.answers[0], target);
    }
}
