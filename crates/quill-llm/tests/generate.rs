//! Real inference on the small installed model (SmolLM2-135M): determinism, independence of
//! generations, seeded sampling, stop strings and token constraints.

mod common;

use std::sync::{Mutex, MutexGuard, OnceLock};

use quill_llm::{
    ChatMessage, ConstraintError, GenerateRequest, Generation, Model, Prompt, StopReason, TokenConstraint,
};

/// One loaded model shared by the tests of this file (loading is the slow part).
fn model() -> MutexGuard<'static, Model> {
    static MODEL: OnceLock<Mutex<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            // One thread: the test harness runs other tests beside this one, and ggml's worker threads
            // spin on barriers when the cores are taken (docs/results/2026-11-24-llm-speed.md).
            let mut m = Model::load(&common::smollm()).expect("load SmolLM2");
            m.set_threads(1);
            Mutex::new(m)
        })
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn ask(question: &str, max_tokens: usize) -> GenerateRequest {
    GenerateRequest::chat(vec![ChatMessage::user(question)], max_tokens)
}

fn run(model: &mut Model, request: &GenerateRequest) -> Generation {
    let mut streamed = String::new();
    let out = model.generate(request, None, &mut |s| streamed.push_str(s)).expect("generate");
    assert_eq!(streamed, out.text, "the streamed pieces make up the text");
    out
}

#[test]
fn greedy_generation_is_deterministic_and_generations_are_independent() {
    let mut m = model();
    let a = ask("Write a Python function that returns the square of x.", 20);
    let b = ask("What is the capital of France?", 12);
    let first = run(&mut m, &a);
    let other = run(&mut m, &b);
    let again = run(&mut m, &a);
    assert!(!first.tokens.is_empty());
    assert_eq!(first.tokens, again.tokens, "same request, same tokens (the KV cache was reset)");
    assert_ne!(first.tokens, other.tokens);
    assert_eq!(m.tokenizer().decode(&first.tokens), first.text);
    assert!(first.tokens.len() <= 20);
    if first.tokens.len() == 20 {
        assert_eq!(first.stop_reason, StopReason::MaxTokens);
    }
}

#[test]
fn sampling_with_a_seed_reproduces() {
    let mut m = model();
    let mut r = ask("Tell me a short story about a robot.", 12);
    r.temperature = 1.0;
    r.top_p = 0.95;
    r.seed = 42;
    let one = run(&mut m, &r);
    let two = run(&mut m, &r);
    assert_eq!(one.tokens, two.tokens);
    // Across seeds, sampling at temperature 1 does not always give the same text.
    let texts: std::collections::HashSet<Vec<u32>> = (0..3)
        .map(|seed| {
            r.seed = seed;
            run(&mut m, &r).tokens
        })
        .collect();
    assert!(texts.len() > 1, "three seeds gave identical samples");
}

#[test]
fn stop_strings_end_generation_before_them() {
    let mut m = model();
    let mut r = ask("Count from 1 to 20.", 16);
    let free = run(&mut m, &r);
    // Stop at a character from the middle of the unconstrained (greedy, hence reproducible) answer.
    let chars: Vec<char> = free.text.chars().collect();
    assert!(chars.len() > 4, "{:?}", free.text);
    let stop = chars[chars.len() / 2].to_string();
    let cut = free.text.find(&stop).unwrap();
    r.stop = vec!["never appears".to_string(), stop.clone()];
    let stopped = run(&mut m, &r);
    assert_eq!(stopped.stop_reason, StopReason::StopString(stop));
    assert_eq!(stopped.text, free.text[..cut]);
}

/// Allows only tokens made of ASCII digits; complete after `min` tokens, and records what it saw.
struct Digits {
    digit_tokens: Vec<bool>,
    min: usize,
    committed: Vec<u32>,
}

impl TokenConstraint for Digits {
    fn mask(&mut self, allowed: &mut [bool]) -> Result<(), ConstraintError> {
        for (a, ok) in allowed.iter_mut().zip(&self.digit_tokens) {
            *a &= *ok;
        }
        Ok(())
    }
    fn commit(&mut self, token: u32) -> Result<(), ConstraintError> {
        if !self.digit_tokens.get(token as usize).copied().unwrap_or(false) {
            return Err(ConstraintError::new(format!("token {token} is not digits")));
        }
        self.committed.push(token);
        Ok(())
    }
    fn is_complete(&self) -> bool {
        self.committed.len() >= self.min
    }
}

#[test]
fn a_constraint_restricts_every_token_and_controls_the_end() {
    let mut m = model();
    let digit_tokens: Vec<bool> = m
        .tokenizer()
        .token_bytes()
        .iter()
        .map(|b| !b.is_empty() && b.iter().all(u8::is_ascii_digit))
        .collect();
    let mut c = Digits { digit_tokens, min: 5, committed: Vec::new() };
    let r = ask("Write a sentence about cats.", 12);
    let out = m.generate(&r, Some(&mut c), &mut |_| {}).unwrap();
    assert!(!out.text.is_empty() && out.text.bytes().all(|b| b.is_ascii_digit()), "{:?}", out.text);
    assert_eq!(c.committed, out.tokens, "every generated token was committed, and nothing else");
    assert!(out.tokens.len() >= 5, "the end token is not allowed before the constraint is complete");

    // A constraint that allows nothing is an error, not a silent empty answer.
    struct Nothing;
    impl TokenConstraint for Nothing {
        fn mask(&mut self, allowed: &mut [bool]) -> Result<(), ConstraintError> {
            allowed.fill(false);
            Ok(())
        }
        fn commit(&mut self, _: u32) -> Result<(), ConstraintError> {
            Ok(())
        }
        fn is_complete(&self) -> bool {
            false
        }
    }
    let err = m.generate(&r, Some(&mut Nothing), &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("no token is allowed"), "{err}");
}

#[test]
fn raw_prompts_parse_special_tokens_and_chat_adds_the_default_system_message() {
    let mut m = model();
    let messages = vec![ChatMessage::user("Hi")];
    let chat = m.prompt_tokens(&Prompt::Messages(messages)).unwrap();
    let text = m.tokenizer().decode(&chat);
    assert_eq!(
        text,
        "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n\
         <|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    );
    // The same conversation written out as raw text encodes to the same ids.
    assert_eq!(m.prompt_tokens(&Prompt::Text(text)).unwrap(), chat);
    let out = m
        .generate(&GenerateRequest { prompt: Prompt::Tokens(chat), ..ask("", 8) }, None, &mut |_| {})
        .unwrap();
    assert!(out.prompt_tokens > 10 && !out.tokens.is_empty());
}
