//! The constraint driving a real model: SmolLM2-135M (installed by scripts/setup.sh; a missing
//! model fails this test). A few short samples must stay inside the grammar token by token, end
//! only when complete, and parse with Python.

mod common;

use common::python_parse_failures;
use quill_constrain::{GrammarConstraint, Vocabulary};
use quill_llm::{models, ChatMessage, GenerateRequest, Model, Prompt, StopReason, TokenConstraint};

fn smollm() -> Model {
    let spec = models::find(models::TEST_MODEL).expect("known model");
    let path = spec
        .installed_path()
        .unwrap_or_else(|e| panic!("{e}\n(this test needs the SmolLM2 model: run scripts/setup.sh)"));
    Model::load(&path).expect("SmolLM2 loads")
}

#[test]
fn smollm_samples_stay_in_the_grammar_and_parse() {
    let mut model = smollm();
    let vocab = Vocabulary::from_tokenizer(model.tokenizer()).expect("vocabulary");
    let prompt = "Write a Python function named `add` that returns the sum of two numbers a and b.";
    let mut finished = Vec::new();
    // Fenced output ends with the closing fence, after which the grammar admits nothing more: the
    // generator must then end the text rather than fail.
    for (seed, temperature, fenced) in [(0, 0.0, false), (1, 0.8, false), (0, 0.0, true), (2, 0.8, true)] {
        let mut c = GrammarConstraint::python_function(&vocab, Some("add"), fenced).expect("grammar");
        let request = GenerateRequest {
            prompt: Prompt::Messages(vec![ChatMessage::user(prompt)]),
            max_tokens: 60,
            temperature,
            top_p: 1.0,
            seed,
            stop: Vec::new(),
            ignore_eos: false,
        };
        let gen = model
            .generate(&request, Some(&mut c as &mut dyn TokenConstraint), &mut |_| {})
            .expect("generate");
        assert!(!c.mask_times().is_empty(), "the mask was never consulted");
        if gen.stop_reason == StopReason::EndOfText {
            assert!(c.is_complete(), "stopped before the grammar was complete: {:?}", gen.text);
            let code: String =
                gen.text.lines().filter(|l| !l.starts_with("```")).map(|l| format!("{l}\n")).collect();
            finished.push(code);
        }
    }
    assert!(!finished.is_empty(), "no sample finished within 60 tokens");
    let failures = python_parse_failures(&finished);
    assert!(failures.is_empty(), "constrained samples do not parse: {failures:?}\n{finished:#?}");
    assert!(finished.iter().all(|t| t.contains("def add")), "{finished:#?}");
}
