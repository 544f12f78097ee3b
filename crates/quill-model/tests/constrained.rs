//! Grammar-constrained decoding from an untrained (random) model: every proposal, sampled or from
//! beam search, must be a term the grammar derives, and must evaluate without panicking.

use quill_lang::{Grammar, Sort, Value};
use quill_model::batch::Rng;
use quill_model::{beam_search, sample, GrammarDecoder, Model, NetConfig, Vocab};
use std::path::Path;

fn model() -> Model {
    let mut net = NetConfig::standard(quill_model::vocab::chars::SIZE, Vocab::standard().len());
    net.d_model = 32;
    net.d_ff = 64;
    net.enc_layers = 1;
    net.dec_layers = 1;
    Model::untrained(net, 3)
}

/// Inputs for evaluation: the problem's examples, or a few values of the parameters' sorts.
fn inputs(problem: &quill_sygus::Problem) -> Vec<Vec<Value>> {
    if let Some(ex) = problem.examples() {
        return ex.into_iter().map(|e| e.inputs).collect();
    }
    let params = &problem.synth_funs[0].params;
    (0..4i64)
        .map(|i| {
            params
                .iter()
                .map(|(_, s)| match s {
                    Sort::Int => Value::Int(i * 7 - 10),
                    Sort::String => Value::str(["", "a b", "Ada", "x.y"][i as usize]),
                    Sort::Bool => Value::Bool(i % 2 == 0),
                    Sort::BitVec(w) => Value::bv(*w, 0x9e37_79b9_7f4a_7c15u64.wrapping_mul(i as u64 + 1)),
                })
                .collect()
        })
        .collect()
}

fn check(grammar: &Grammar, ins: &[Vec<Value>], model: &Model, what: &str) -> usize {
    let dec = GrammarDecoder::new(grammar, model.vocab(), model.max_program_tokens());
    assert!(dec.usable(), "{what}: no program within the budget");
    let spec = model.spec_from_texts(&[(vec!["\"Ada Lovelace\"".into()], "\"A.L.\"".into())]);
    let enc = model.encode(&spec);
    let mut rng = Rng::new(17);
    let mut props = sample(model, &enc, &dec, 40, 1.5, &mut rng).unwrap();
    assert!(props.len() >= 40, "{what}: every sample finishes ({} did)", props.len());
    props.extend(beam_search(model, &enc, &dec, 4).unwrap());
    for p in &props {
        assert!(grammar.derives(0, &p.term), "{what}: {} is not derived by the grammar", p.term);
        assert!(p.tokens.len() <= model.max_program_tokens());
        for env in ins {
            // A failed evaluation (e.g. an out-of-range index) is a value; only a panic fails here.
            let _ = quill_eval::eval(&p.term, env);
        }
    }
    props.len()
}

#[test]
fn proposals_are_terms_of_real_sygus_grammars() {
    let m = model();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for file in ["initials_small.sl", "19274448.sl", "11604909.sl", "max3.sl", "PRE_100_10.sl"] {
        let problem = quill_sygus::parse_file(&dir.join(file)).unwrap();
        let f = &problem.synth_funs[0];
        check(&f.grammar, &inputs(&problem), &m, file);
    }
}

#[test]
fn constant_productions_take_literal_tokens() {
    let m = model();
    let params = vec![("name".into(), Sort::String), ("n".into(), Sort::Int)];
    let g = Grammar::default_strings(&params, Sort::String);
    let ins = vec![vec![Value::str("Ada Lovelace"), Value::Int(2)]];
    check(&g, &ins, &m, "default strings grammar");
}

#[test]
fn masks_follow_the_grammar_step_by_step() {
    let m = model();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let problem = quill_sygus::parse_file(&dir.join("initials_small.sl")).unwrap();
    let v = m.vocab();
    let dec = GrammarDecoder::new(&problem.synth_funs[0].grammar, v, 8);
    let st = dec.start();
    let allowed: Vec<String> = dec.allowed(&st).iter().map(|t| v.get(*t).unwrap().text()).collect();
    // The String non-terminal: the parameter, its two literals, and its four operators.
    let mut want = vec!["$0", "\" \"", "\".\"", "str.++/2", "str.replace/3", "str.at/2", "str.substr/3"];
    want.sort();
    let mut got = allowed.clone();
    got.sort();
    assert_eq!(got, want);
    // After `str.at $0` an Int must follow; a budget of 8 tokens leaves room for it.
    let at = v.id(&quill_model::ProgTok::Op(quill_lang::Op::StrAt, 2)).unwrap();
    let p0 = v.id(&quill_model::ProgTok::Param(0)).unwrap();
    let st = dec.advance(&dec.advance(&st, at).unwrap(), p0).unwrap();
    assert!(dec.advance(&st, p0).is_none(), "a String where an Int belongs");
    let one = v.literal(&Value::Int(1));
    let st = dec.advance(&st, one).unwrap();
    assert_eq!(dec.allowed(&st), vec![quill_model::vocab::EOS]);
    let done = dec.finish(&st);
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].term.to_string(), "(str.at name 1)");
}

#[test]
fn the_grammar_for_examples_decodes_its_helper_and_case_operators() {
    let m = model();
    let params = vec![("path".into(), Sort::String)];
    let g = Grammar::for_examples(&params, Sort::String, true);
    let ins = vec![vec![Value::str("/usr/lib/x.so")], vec![Value::str("a/b")]];
    check(&g, &ins, &m, "grammar for examples");
    // The helper and the case operators are tokens the decoder may emit where they fit.
    let v = m.vocab();
    let dec = GrammarDecoder::new(&g, v, 12);
    let allowed: Vec<String> = dec.allowed(&dec.start()).iter().map(|t| v.get(*t).unwrap().text()).collect();
    assert!(allowed.contains(&"str.to_upper/1".to_string()), "{allowed:?}");
    let substr = v.id(&quill_model::ProgTok::Op(quill_lang::Op::StrSubstr, 3)).unwrap();
    let p0 = v.id(&quill_model::ProgTok::Param(0)).unwrap();
    let st = dec.advance(&dec.advance(&dec.start(), substr).unwrap(), p0).unwrap();
    let ints: Vec<String> = dec.allowed(&st).iter().map(|t| v.get(*t).unwrap().text()).collect();
    assert!(ints.contains(&"last_indexof/2".to_string()), "{ints:?}");
    // An older model, whose vocabulary lacks these tokens, never emits them.
    let old = Vocab::of_texts(&Vocab::standard().texts()[..145]).unwrap();
    let dec = GrammarDecoder::new(&g, &old, 12);
    assert!(dec.allowed(&dec.start()).iter().all(|t| *t < 145));
}
