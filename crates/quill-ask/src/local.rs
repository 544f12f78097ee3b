//! The local backend: a GGUF model run in this process by `quill-llm`, with decoding constrained
//! to the grammar of a Python function by `quill-constrain` when a function name is given.

use crate::{AskError, Backend, Completion, Message, Sampling};
use quill_constrain::{GrammarConstraint, Vocabulary};
use quill_llm::{ChatMessage, GenerateRequest, LlmError, Model, Prompt, TokenConstraint};
use std::path::Path;
use std::time::Instant;

/// Receives generated text as it comes.
pub type TextSink = Box<dyn FnMut(&str)>;

/// A loaded model. The grammar vocabulary is built on first use (it costs a scan of the
/// vocabulary, about a second for 150k tokens).
pub struct LocalBackend {
    model: Model,
    name: String,
    vocab: Option<Vocabulary>,
    /// Receives the text as it is generated (for a progress display); `None` to stay quiet.
    pub on_text: Option<TextSink>,
    /// Time spent computing grammar masks in all completions so far, and how many masks.
    pub total_mask_secs: f64,
    pub total_masks: usize,
    /// Time spent computing grammar masks in the last completion, and how many masks.
    pub last_mask_secs: f64,
    pub last_masks: usize,
    /// Proposals whose constrained decoding failed and were drawn again without the grammar.
    pub constraint_failures: usize,
}

impl LocalBackend {
    pub fn load(path: &Path, name: &str) -> Result<Self, AskError> {
        let model = Model::load(path).map_err(|e| AskError::Backend(e.to_string()))?;
        Ok(LocalBackend {
            model,
            name: name.to_string(),
            vocab: None,
            on_text: None,
            last_mask_secs: 0.0,
            last_masks: 0,
            total_mask_secs: 0.0,
            total_masks: 0,
            constraint_failures: 0,
        })
    }
}

impl Backend for LocalBackend {
    fn describe(&self) -> String {
        format!("local {}", self.name)
    }

    fn notes(&self) -> String {
        let per_token =
            if self.total_masks > 0 { 1e3 * self.total_mask_secs / self.total_masks as f64 } else { 0.0 };
        format!(
            "grammar masks: {} computed, {per_token:.2} ms each on average; constrained decoding failed and was \
             redrawn without the grammar {} time(s)",
            self.total_masks, self.constraint_failures
        )
    }

    fn complete(
        &mut self,
        messages: &[Message],
        sampling: &Sampling,
        function: Option<&str>,
    ) -> Result<Completion, AskError> {
        let messages: Vec<ChatMessage> =
            messages.iter().map(|m| ChatMessage::new(m.role.clone(), m.content.clone())).collect();
        let request = GenerateRequest {
            prompt: Prompt::Messages(messages),
            max_tokens: sampling.max_tokens,
            temperature: sampling.temperature,
            top_p: sampling.top_p,
            seed: sampling.seed,
            stop: Vec::new(),
            ignore_eos: false,
        };
        let mut constraint = match function {
            Some(name) => {
                if self.vocab.is_none() {
                    let v = Vocabulary::from_tokenizer(self.model.tokenizer())
                        .map_err(|e| AskError::Backend(e.to_string()))?;
                    self.vocab = Some(v);
                }
                let vocab = self.vocab.as_ref().expect("just built");
                Some(
                    GrammarConstraint::python_function(vocab, Some(name), true)
                        .map_err(|e| AskError::Backend(e.to_string()))?,
                )
            }
            None => None,
        };
        let start = Instant::now();
        let mut sink = |s: &str| {
            if let Some(f) = self.on_text.as_mut() {
                f(s)
            }
        };
        let constrained = self.model.generate(
            &request,
            constraint.as_mut().map(|c| c as &mut dyn TokenConstraint),
            &mut sink,
        );
        if let Some(c) = &constraint {
            self.last_masks = c.mask_times().len();
            self.last_mask_secs = c.mask_times().iter().map(|d| d.as_secs_f64()).sum();
            self.total_masks += self.last_masks;
            self.total_mask_secs += self.last_mask_secs;
        }
        let g = match constrained {
            Ok(g) => g,
            // The grammar's parser can give up (a budget of its own, or a state it cannot extend);
            // the proposal is then drawn again without it rather than lost, and counted.
            Err(LlmError::Constraint(_) | LlmError::NoTokenAllowed { .. }) if constraint.is_some() => {
                self.constraint_failures += 1;
                self.model
                    .generate(&request, None, &mut sink)
                    .map_err(|e| AskError::Backend(e.to_string()))?
            }
            Err(e) => return Err(AskError::Backend(e.to_string())),
        };
        Ok(Completion {
            text: g.text,
            tokens: g.tokens.len(),
            secs: start.elapsed().as_secs_f64(),
            tokens_per_sec: g.tokens_per_sec,
        })
    }
}
