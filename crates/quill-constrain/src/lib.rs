//! Grammar-constrained decoding for quill-llm: a token mask from an llguidance grammar, so that
//! every sampled program belongs to the grammar.
//!
//! The shipped grammar ([`python_function_grammar`]) describes one or more Python function
//! definitions (optionally preceded by imports), chosen so that every string it accepts parses with
//! Python's `ast.parse`. [`Vocabulary`] turns a tokenizer's per-id bytes into llguidance's token
//! trie once per model; [`GrammarConstraint`] is one generation's parser state and implements
//! [`quill_llm::TokenConstraint`].

mod grammar;
mod vocab;

use std::time::{Duration, Instant};

use llguidance::api::TopLevelGrammar;
use llguidance::Matcher;
use quill_llm::{ConstraintError, TokenConstraint};

pub use grammar::{python_function_grammar, PYTHON_FUNCTION_TEMPLATE};
pub use vocab::Vocabulary;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum ConstrainError {
    /// The requested function name cannot be a Python function name.
    #[error("`{0}` is not a valid Python function name (ASCII identifier, not a keyword)")]
    InvalidName(String),
    /// The vocabulary given to [`Vocabulary::new`] is unusable.
    #[error("vocabulary: {0}")]
    Vocabulary(String),
    /// llguidance rejected the grammar.
    #[error("grammar does not compile: {0}")]
    Grammar(String),
    /// The parser failed while masking or consuming a token.
    #[error("constraint parser: {0}")]
    Parser(String),
}

/// One generation's grammar state: compute the allowed tokens, then commit the sampled one.
pub struct GrammarConstraint {
    matcher: Matcher,
    vocab_size: usize,
    /// Cached because [`TokenConstraint::is_complete`] takes `&self` while llguidance's
    /// `is_accepting` needs `&mut`; refreshed after every commit.
    accepting: bool,
    mask_times: Vec<Duration>,
}

impl GrammarConstraint {
    /// A constraint for the shipped Python-function grammar (see [`python_function_grammar`]):
    /// with `fn_name`, the last function has exactly that name; with `fenced`, the code comes
    /// inside a Markdown code fence.
    pub fn python_function(
        vocab: &Vocabulary,
        fn_name: Option<&str>,
        fenced: bool,
    ) -> Result<Self, ConstrainError> {
        Self::from_lark(vocab, &python_function_grammar(fn_name, fenced)?)
    }

    /// A constraint for any llguidance Lark grammar.
    pub fn from_lark(vocab: &Vocabulary, lark: &str) -> Result<Self, ConstrainError> {
        let parser = vocab
            .factory()
            .create_parser(TopLevelGrammar::from_lark(lark.to_string()))
            .map_err(|e| ConstrainError::Grammar(e.to_string()))?;
        let mut matcher = Matcher::new(Ok(parser));
        let accepting = matcher.is_accepting().map_err(|e| ConstrainError::Parser(e.to_string()))?;
        Ok(Self { matcher, vocab_size: vocab.len(), accepting, mask_times: Vec::new() })
    }

    /// Wall time of every [`TokenConstraint::mask`] call so far (llguidance's mask computation
    /// plus copying it into the caller's slice).
    pub fn mask_times(&self) -> &[Duration] {
        &self.mask_times
    }

    /// The ids allowed next, as llguidance computes them (for tests and samplers that want a
    /// list rather than a mask).
    pub fn allowed_tokens(&mut self) -> Result<Vec<u32>, ConstrainError> {
        let vob = self.matcher.compute_mask().map_err(|e| ConstrainError::Parser(e.to_string()))?;
        let mut out = Vec::new();
        vob.iter_set_entries(|i| {
            if i < self.vocab_size {
                out.push(i as u32)
            }
        });
        Ok(out)
    }

    /// Consumes one token; an error means the grammar does not allow it here.
    pub fn consume(&mut self, token: u32) -> Result<(), ConstrainError> {
        self.matcher.consume_token(token).map_err(|e| ConstrainError::Parser(e.to_string()))?;
        self.accepting = self.matcher.is_stopped()
            || self.matcher.is_accepting().map_err(|e| ConstrainError::Parser(e.to_string()))?;
        Ok(())
    }

    /// True when the text consumed so far is a complete sentence of the grammar.
    pub fn is_accepting(&self) -> bool {
        self.accepting
    }
}

impl TokenConstraint for GrammarConstraint {
    fn mask(&mut self, allowed: &mut [bool]) -> Result<(), ConstraintError> {
        let start = Instant::now();
        // Once the grammar has matched all it can (the closing fence of fenced output), nothing may
        // follow: every token is masked and only an end-of-generation token, which the generator
        // allows when the constraint is complete, can end the text.
        if self.matcher.is_stopped() {
            allowed.fill(false);
            self.mask_times.push(start.elapsed());
            return Ok(());
        }
        let vob = self.matcher.compute_mask().map_err(|e| ConstraintError::new(e.to_string()))?;
        for (id, slot) in allowed.iter_mut().enumerate() {
            // Ids past the tokenizer's vocabulary (padding rows of the output layer) are never text.
            if *slot && (id >= self.vocab_size || !vob.is_allowed(id as u32)) {
                *slot = false;
            }
        }
        self.mask_times.push(start.elapsed());
        Ok(())
    }

    fn commit(&mut self, token: u32) -> Result<(), ConstraintError> {
        self.consume(token).map_err(|e| ConstraintError::new(e.to_string()))
    }

    fn is_complete(&self) -> bool {
        self.accepting
    }
}

/// How a text fares against a grammar, fed byte by byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextCheck {
    /// The whole text is a complete sentence of the grammar.
    Accepted,
    /// Every byte was allowed, but the text stops before a sentence is complete.
    Incomplete,
    /// The byte at this offset was not allowed.
    RejectedAt(usize),
}

/// Checks `text` against the Lark grammar `lark` with the same parser the constraint uses (no
/// model vocabulary needed: the text is fed one byte per token).
pub fn grammar_check(lark: &str, text: &str) -> Result<TextCheck, ConstrainError> {
    let mut c = GrammarConstraint::from_lark(Vocabulary::byte_level(), lark)?;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if c.consume(u32::from(b)).is_err() {
            return Ok(TextCheck::RejectedAt(i));
        }
    }
    Ok(if c.is_accepting() { TextCheck::Accepted } else { TextCheck::Incomplete })
}

/// Whether `text` is a complete sentence of the Lark grammar `lark` (see [`grammar_check`]).
pub fn grammar_accepts(lark: &str, text: &str) -> Result<bool, ConstrainError> {
    Ok(grammar_check(lark, text)? == TextCheck::Accepted)
}
