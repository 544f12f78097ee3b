//! The model as a search guide (`quill_search::Guide`), with an untrained model: what it returns
//! must be usable by the enumerator and the ranker whatever the weights are.

use quill_lang::ProdKind;
use quill_model::{GuideOptions, Model, ModelGuide, NetConfig, Vocab};
use quill_search::{Guide, Task};
use std::path::Path;

fn guide(options: GuideOptions) -> ModelGuide {
    let mut net = NetConfig::standard(quill_model::vocab::chars::SIZE, Vocab::standard().len());
    net.d_model = 32;
    net.d_ff = 64;
    net.enc_layers = 1;
    net.dec_layers = 1;
    ModelGuide::new(Model::untrained(net, 5), options)
}

fn task(file: &str) -> Task {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(file);
    let problem = quill_sygus::parse_file(&path).unwrap();
    let f = &problem.synth_funs[0];
    Task {
        params: f.params.clone(),
        ret: f.ret,
        grammar: f.grammar.clone(),
        examples: problem
            .examples()
            .unwrap()
            .into_iter()
            .map(|e| quill_search::Example { inputs: e.inputs, output: e.output })
            .collect(),
        sketch: None,
    }
}

#[test]
fn costs_cover_the_grammar_within_their_bounds() {
    let options = GuideOptions { cost_cap: 3, ..GuideOptions::default() };
    let g = guide(options.clone());
    for file in ["initials_small.sl", "11604909.sl", "PRE_100_10.sl"] {
        let t = task(file);
        let prepared = g.prepare(&t).expect("a string task with few parameters is readable");
        let costs = prepared.costs().expect("costs are given when the scale is positive");
        assert_eq!(costs.len(), t.grammar.nonterminals.len(), "{file}");
        for (nt, row) in t.grammar.nonterminals.iter().zip(&costs) {
            assert_eq!(row.len(), nt.productions.len(), "{file}");
            for (p, c) in nt.productions.iter().zip(row) {
                if matches!(p.kind, ProdKind::Chain) {
                    assert_eq!(*c, 0, "{file}: chain rules are free");
                } else {
                    assert!((1..=1 + options.cost_cap).contains(c), "{file}: cost {c}");
                }
            }
        }
    }
}

#[test]
fn a_zero_scale_keeps_the_size_order() {
    let g = guide(GuideOptions { cost_scale: 0.0, ..GuideOptions::default() });
    assert!(g.prepare(&task("initials_small.sl")).unwrap().costs().is_none());
}

#[test]
fn proposals_are_grammar_terms_and_programs_get_scores() {
    let g = guide(GuideOptions { beam: 4, ..GuideOptions::default() });
    let t = task("initials_small.sl");
    let mut prepared = g.prepare(&t).unwrap();
    let props = prepared.propose(std::time::Duration::from_secs(60));
    assert!(!props.is_empty());
    for p in &props {
        assert!(t.grammar.derives(0, p), "{p} is not derived by the grammar");
        let s = prepared.score(p).expect("a proposal is made of model tokens");
        assert!(s.is_finite() && s <= 0.0, "log-probability {s}");
    }
}

#[test]
fn batched_scores_match_one_by_one_and_per_token_divides_by_length() {
    let t = task("initials_small.sl");
    let g = guide(GuideOptions { beam: 4, ..GuideOptions::default() });
    let mut prepared = g.prepare(&t).unwrap();
    let mut props = prepared.propose(std::time::Duration::from_secs(60));
    // A program the model has no token for is scored `None` without shifting the others.
    props.insert(1, quill_lang::resolve::var(99, "z", quill_lang::Sort::String));
    let many = prepared.score_many(&props);
    assert_eq!(many.len(), props.len());
    for (p, s) in props.iter().zip(&many) {
        match (prepared.score(p), s) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-3, "{p}: {a} one by one, {b} batched"),
            (a, b) => assert_eq!(a.is_some(), b.is_some(), "{p}"),
        }
    }

    let per = ModelGuide::new(g.model.clone(), GuideOptions { per_token: true, ..g.options.clone() });
    let per = per.prepare(&t).unwrap();
    let (mut toks, mut lits) = (Vec::new(), Vec::new());
    let p = &props[0];
    g.model.vocab().encode(p, &mut toks, &mut lits).unwrap();
    let (total, mean) = (prepared.score(p).unwrap(), per.score(p).unwrap());
    assert!(
        (total / (toks.len() + 1) as f64 - mean).abs() < 1e-4,
        "{total} over {} tokens vs {mean}",
        toks.len()
    );
}

#[test]
fn sketches_and_too_many_parameters_are_left_to_the_plain_search() {
    let g = guide(GuideOptions::default());
    let mut t = task("initials_small.sl");
    t.sketch = Some(quill_lang::Term::Lit(quill_lang::Value::str("x")));
    assert!(g.prepare(&t).is_none());
}

#[test]
fn proposals_stop_at_their_budget() {
    let g = guide(GuideOptions { beam: 4, ..GuideOptions::default() });
    let mut prepared = g.prepare(&task("initials_small.sl")).unwrap();
    assert!(prepared.propose(std::time::Duration::ZERO).is_empty());
}
