//! Budgets are honoured and reported as stop reasons; top-k and sketches behave as documented.

mod common;

use quill_lang::{resolve::Scope, sexpr::read_one, Term};
use quill_search::{synthesize, Config, StopReason, Task};
use std::path::Path;
use std::time::Duration;

fn fixture(name: &str) -> Task {
    common::task_from(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name))
}

/// A task no small program fits: outputs unrelated to inputs.
fn hopeless() -> Task {
    let mut t = fixture("first-word.sl");
    for (i, e) in t.examples.iter_mut().enumerate() {
        e.output = quill_lang::Value::str(["zq", "yx", "wv"][i % 3]);
    }
    t
}

#[test]
fn running_out_of_time_is_a_stop_reason() {
    let config = Config { timeout: Duration::from_millis(200), deduction: false, ..Config::default() };
    let out = synthesize(&hopeless(), &config);
    assert_eq!(out.stop, StopReason::Timeout);
    assert!(out.answers.is_empty());
    assert!(out.stats.candidates > 0);
}

#[test]
fn running_out_of_memory_is_a_stop_reason() {
    let config = Config { max_memory: 64 << 10, ..Config::default() };
    let out = synthesize(&hopeless(), &config);
    assert_eq!(out.stop, StopReason::MemoryLimit);
}

#[test]
fn a_cost_limit_is_a_stop_reason() {
    let config = Config { max_cost: 3, ..Config::default() };
    assert_eq!(synthesize(&hopeless(), &config).stop, StopReason::CostLimit);
}

#[test]
fn a_finite_grammar_is_exhausted() {
    let mut t = fixture("sign-label.sl");
    t.examples[0].output = quill_lang::Value::str("unknown");
    let out = synthesize(&t, &Config::default());
    assert_eq!(out.stop, StopReason::Exhausted);
}

#[test]
fn top_k_gives_distinct_answers_that_all_fit() {
    let task = fixture("first-word.sl");
    let out = synthesize(&task, &Config { top_k: 3, ..Config::default() });
    assert_eq!(out.stop, StopReason::Solved);
    assert_eq!(out.answers.len(), 3);
    for (i, a) in out.answers.iter().enumerate() {
        assert!(!out.answers[..i].contains(a), "duplicate answer {a}");
        for e in &task.examples {
            assert_eq!(quill_eval::eval(a, &e.inputs).as_ref(), Ok(&e.output));
        }
    }
}

#[test]
fn a_collection_window_ends_a_top_k_search_as_solved() {
    // More answers than exist at any reachable cost are asked for; without the window the search
    // would run until its 60 s budget or its memory limit.
    let task = fixture("first-word.sl");
    let config = Config {
        top_k: 100_000,
        collect_ratio: Some(1.0),
        timeout: Duration::from_secs(60),
        ..Config::default()
    };
    let out = synthesize(&task, &config);
    assert_eq!(out.stop, StopReason::Solved);
    assert!(out.answers.len() > 1, "{:?}", out.answers);
    assert!(out.answers.len() < 100_000);
    assert!(out.stats.elapsed < Duration::from_secs(30), "{:?}", out.stats.elapsed);
    for a in &out.answers {
        for e in &task.examples {
            assert_eq!(quill_eval::eval(a, &e.inputs).as_ref(), Ok(&e.output));
        }
    }
}

#[test]
fn variants_recover_programs_that_observational_equivalence_pruned() {
    let task = fixture("first-word-same-length.sl");
    let held_out = [quill_lang::Value::str("ab cd")];
    let plain = synthesize(&task, &Config::default());
    assert_eq!(plain.answers.len(), 1);
    assert_eq!(quill_eval::eval(&plain.answers[0], &held_out), Ok(quill_lang::Value::str("ab cd")));

    // As a ranker asks: a few answers, collected briefly past the first, and their variants.
    let config = Config { top_k: 4, collect_ratio: Some(1.0), variants: 50, ..Config::default() };
    let out = synthesize(&task, &config);
    assert_eq!(out.stop, StopReason::Solved);
    assert_eq!(out.answers[0], plain.answers[0], "the smallest answer still comes first");
    assert!(out.answers.len() > 1 && out.answers.len() <= 54, "{}", out.answers.len());
    for (i, a) in out.answers.iter().enumerate() {
        assert!(!out.answers[..i].contains(a), "duplicate answer {a}");
        for e in &task.examples {
            assert_eq!(quill_eval::eval(a, &e.inputs).as_ref(), Ok(&e.output), "{a}");
        }
    }
    let general =
        out.answers.iter().find(|a| quill_eval::eval(a, &held_out) == Ok(quill_lang::Value::str("ab")));
    assert!(general.is_some(), "no variant cuts at the space: {:?}", out.answers);
}

#[test]
fn a_sketch_restricts_answers_to_its_completions() {
    let mut task = fixture("first-word.sl");
    let mut scope = Scope::default();
    scope.vars.push(("s".into(), quill_lang::resolve::var(0, "s", quill_lang::Sort::String)));
    let sketch = scope.term(&read_one("(str.substr s 0 (? Int))").unwrap()).unwrap();
    task.sketch = Some(sketch);
    let out = synthesize(&task, &Config::default());
    assert_eq!(out.stop, StopReason::Solved);
    let Term::App(f, args) = &out.answers[0] else { panic!("{}", out.answers[0]) };
    assert_eq!(f.name(), "str.substr");
    assert_eq!(args[1].to_string(), "0");
}

#[test]
fn a_sketch_hole_of_a_missing_sort_is_unsupported() {
    let mut task = fixture("swap-names.sl");
    task.sketch = Some(Term::Hole(0, quill_lang::Sort::Int));
    assert!(matches!(synthesize(&task, &Config::default()).stop, StopReason::Unsupported(_)));
}

fn conditional(t: &quill_lang::Term) -> bool {
    t.to_string().contains("(ite ")
}

#[test]
fn occams_razor_prefers_a_straight_line_program_to_a_decision_tree() {
    // Deduction fits the three lengths of country code with a decision tree over fixed offsets
    // before the enumeration reaches "the digits up to the space".
    let task = fixture("country-code.sl");
    let held_out = [quill_lang::Value::str("+86 10-1234-5678")];
    let eager = synthesize(&task, &Config { occam: None, ..Config::default() });
    assert_eq!(eager.stop, StopReason::Solved);
    assert!(conditional(&eager.answers[0]), "{}", eager.answers[0]);

    let occam = synthesize(&task, &Config::default());
    assert_eq!(occam.stop, StopReason::Solved);
    let a = &occam.answers[0];
    assert!(!conditional(a), "{a}");
    assert_eq!(quill_eval::eval(a, &held_out), Ok(quill_lang::Value::str("86")), "{a}");

    // Asked for several, the straight-line programs come first and the tree is among the rest.
    let top = synthesize(&task, &Config { top_k: 3, collect_ratio: Some(1.0), ..Config::default() });
    assert!(!conditional(&top.answers[0]), "{:?}", top.answers);
    let sizes: Vec<usize> = top.answers.iter().map(|t| t.size()).collect();
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{sizes:?}");
}

#[test]
fn a_held_decision_tree_is_still_the_answer_when_nothing_simpler_fits() {
    // Only a conditional can tell the signs apart: after the wait the tree is answered, as solved,
    // well within the budget.
    let task = fixture("sign-label.sl");
    let config = Config { timeout: Duration::from_secs(30), ..Config::default() };
    let out = synthesize(&task, &config);
    assert_eq!(out.stop, StopReason::Solved);
    assert!(conditional(&out.answers[0]), "{}", out.answers[0]);
    assert!(out.stats.elapsed < Duration::from_secs(15), "{:?}", out.stats.elapsed);
}

#[test]
fn from_one_example_a_program_that_reads_its_inputs_beats_a_copy_of_the_output() {
    let task = fixture("join-one-example.sl");
    let other = ["x", "yz", "w"].map(quill_lang::Value::str);
    let eager = synthesize(&task, &Config { occam: None, ..Config::default() });
    assert_eq!(eager.answers[0].to_string(), "\"abcdef\"");
    let occam = synthesize(&task, &Config::default());
    assert_eq!(occam.stop, StopReason::Solved);
    assert_eq!(
        quill_eval::eval(&occam.answers[0], &other),
        Ok(quill_lang::Value::str("xyzw")),
        "{}",
        occam.answers[0]
    );
    // Asked for several, the copy comes after those that read the inputs, though it is smaller.
    let top = synthesize(&task, &Config { top_k: 8, collect_ratio: Some(1.0), ..Config::default() });
    let copy = top.answers.iter().position(|t| t.to_string() == "\"abcdef\"");
    assert!(copy.is_some_and(|i| i > 0), "{:?}", top.answers);
    // One copy is enough: its rewritings (`(str.++ "" "abcdef")`, ..) would fill a ranker's pool.
    let copies = top.answers.iter().filter(|t| quill_search::ignores_inputs(t, &task.examples)).count();
    assert_eq!(copies, 1, "{:?}", top.answers);
}

#[test]
fn from_one_example_variants_keep_a_derivation_that_reads_the_input() {
    let task = fixture("last-word-one-example.sl");
    let config = Config { top_k: 16, collect_ratio: Some(1.0), variants: 96, ..Config::default() };
    let out = synthesize(&task, &config);
    assert_eq!(out.stop, StopReason::Solved);
    let last_word = |a: &Term| {
        [("Ann Lee", "Lee"), ("Bob Di Xavier", "Xavier")]
            .iter()
            .all(|(i, o)| quill_eval::eval(a, &[quill_lang::Value::str(i)]) == Ok(quill_lang::Value::str(o)))
    };
    let shown: Vec<String> = out.answers.iter().map(ToString::to_string).collect();
    assert!(out.answers.iter().any(last_word), "no answer takes the last word: {shown:#?}");
}
