//! Every saved task reads back: the program parses with the SyGuS front end, is derivable from its
//! grammar, re-evaluates to the saved outputs, and its trace agrees with evaluating each subterm.

mod common;

use common::config;
use quill_data::sample::bv::PRELUDE;
use quill_data::{generate, DomainKind, Task};
use quill_lang::{Grammar, Symbol, Term};

/// The applications strictly inside a term, in prefix order.
fn proper_apps(t: &Term, root: bool, out: &mut Vec<Term>) {
    if let Term::App(_, args) = t {
        if !root {
            out.push(t.clone());
        }
        args.iter().for_each(|a| proper_apps(a, false, out));
    }
}

/// The grammar of the PBE bit-vector track, read from the track's own definitions.
fn bv_grammar() -> Grammar {
    let text = format!(
        "(set-logic BV)\n{PRELUDE}\n(synth-fun f ((x (_ BitVec 64))) (_ BitVec 64) ((Start (_ BitVec 64))) \
         ((Start (_ BitVec 64) (#x0000000000000000 #x0000000000000001 x (bvnot Start) (smol Start) \
         (ehad Start) (arba Start) (shesh Start) (bvand Start Start) (bvor Start Start) (bvxor Start Start) \
         (bvadd Start Start) (im Start Start Start)))))"
    );
    quill_sygus::parse(&text, "pbe_bv").expect("the track grammar parses").synth_funs[0].grammar.clone()
}

fn check_task(t: &Task, bv: &Grammar) {
    let term = t.parse_program().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(term.to_string(), t.program, "{}: prints back differently", t.id);
    assert_eq!(term.size(), t.size, "{}", t.id);
    let sorts = t.param_sorts().unwrap();
    let ret = t.ret_sort().unwrap();
    assert_eq!(term.sort(), ret, "{}", t.id);
    let grammar = match t.grammar.as_str() {
        "strings" => {
            let params: Vec<(Symbol, _)> =
                t.params.iter().zip(&sorts).map(|((n, _), s)| (Symbol::from(n.as_str()), *s)).collect();
            // Grammars for examples offer the number and date helpers when the examples call
            // for them, and the sampler uses them where the inputs hold numbers or dates.
            let mut g = Grammar::for_examples(&params, ret, true);
            let helpers: Vec<_> = quill_lang::grammar::offerable_helpers().skip(1).cloned().collect();
            g.offer_helpers(&helpers);
            // `field` splits on the sampler's delimiters, as a problem's on its separators.
            let delims: Vec<String> = quill_data::sample::DELIMS.iter().map(|d| d.to_string()).collect();
            g.offer_field(&delims);
            g
        }
        "pbe_bv" => bv.clone(),
        g => panic!("{}: unknown grammar {g}", t.id),
    };
    assert!(grammar.derives(0, &term), "{}: {} is not derivable from its grammar", t.id, t.program);
    // A string program's helpers read back as Quill's own definitions, which the model's
    // vocabulary recognises by the whole definition.
    let mut apps = Vec::new();
    proper_apps(&term, false, &mut apps);
    for a in &apps {
        if let (Term::App(quill_lang::Func::Defined(d), _), "strings") = (a, t.grammar.as_str()) {
            assert!(quill_lang::grammar::offerable_helpers().any(|h| **h == **d), "{}: {}", t.id, d.name);
        }
    }
    let examples = t.example_values().unwrap();
    assert!(examples.len() >= 2);
    let outputs: Vec<_> = examples.iter().map(|(_, o)| o.clone()).collect();
    assert!(outputs.windows(2).any(|w| w[0] != w[1]), "{}: constant outputs", t.id);
    assert!(!outputs.iter().all(|o| o.as_str().is_some_and(|s| s.is_empty())), "{}: empty outputs", t.id);
    for p in 0..sorts.len() {
        assert!(examples.iter().any(|(ins, o)| ins[p] != *o), "{}: the identity on parameter {p}", t.id);
    }
    for (ins, out) in &examples {
        assert_eq!(ins.len(), sorts.len());
        assert_eq!(quill_eval::eval(&term, ins).as_ref(), Ok(out), "{}: output differs", t.id);
    }
    let mut subterms = Vec::new();
    proper_apps(&term, true, &mut subterms);
    assert_eq!(subterms.len(), t.trace.len(), "{}: trace length", t.id);
    for (sub, row) in subterms.iter().zip(&t.trace) {
        assert_eq!(row[0], sub.to_string(), "{}: trace order", t.id);
        assert_eq!(row.len(), 1 + examples.len());
        for ((ins, _), saved) in examples.iter().zip(&row[1..]) {
            let v = quill_eval::eval(sub, ins).unwrap_or_else(|e| panic!("{}: {sub}: {e}", t.id));
            assert_eq!(&v.to_string(), saved, "{}: trace of {sub}", t.id);
        }
    }
}

#[test]
fn string_tasks_read_back_and_re_evaluate() {
    let (tasks, _) = generate(&config(300, 3, DomainKind::Strings));
    let bv = bv_grammar();
    for t in &tasks {
        assert_eq!((t.domain.as_str(), t.grammar.as_str()), ("strings", "strings"));
        check_task(t, &bv);
    }
}

#[test]
fn bit_vector_tasks_read_back_and_re_evaluate() {
    let (tasks, _) = generate(&config(200, 3, DomainKind::Bv));
    let bv = bv_grammar();
    for t in &tasks {
        assert_eq!((t.domain.as_str(), t.params[0].1.as_str()), ("bv", "(_ BitVec 64)"));
        assert!(t.examples[0].inputs[0].starts_with("#x"));
        check_task(t, &bv);
    }
}
