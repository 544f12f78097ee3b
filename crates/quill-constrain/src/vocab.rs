//! A tokenizer's vocabulary as llguidance needs it: a token trie plus a parser factory, built
//! once per model and shared by every generation.

use std::sync::{Arc, OnceLock};

use llguidance::ParserFactory;
use quill_llm::{TokenKind, Tokenizer};
use toktrie::{ApproximateTokEnv, TokEnv, TokRxInfo, TokTrie};

use crate::ConstrainError;

/// The token vocabulary of one model, ready for grammar constraints. Cheap to clone.
#[derive(Clone)]
pub struct Vocabulary {
    factory: Arc<ParserFactory>,
    len: usize,
}

impl Vocabulary {
    /// Builds the vocabulary from each id's bytes. Ids in `special_ids` (chat markers such as
    /// `<|im_end|>`) are never matched as text: only a grammar that names them could emit them,
    /// and the Python grammar does not. `eos_ids` (at least one, all special) end generation and
    /// are allowed exactly when the text so far is complete.
    pub fn new(tokens: &[Vec<u8>], special_ids: &[u32], eos_ids: &[u32]) -> Result<Self, ConstrainError> {
        let n = u32::try_from(tokens.len())
            .map_err(|_| ConstrainError::Vocabulary(format!("{} tokens are too many", tokens.len())))?;
        let Some(&first_eos) = eos_ids.first() else {
            return Err(ConstrainError::Vocabulary("no end-of-sequence id given".into()));
        };
        for &id in special_ids.iter().chain(eos_ids) {
            if id >= n {
                return Err(ConstrainError::Vocabulary(format!("id {id} is outside the {n} tokens")));
            }
        }
        let words: Vec<Vec<u8>> = tokens
            .iter()
            .enumerate()
            .map(|(id, bytes)| {
                let id = id as u32;
                if special_ids.contains(&id) || eos_ids.contains(&id) {
                    // toktrie marks special tokens with a leading 0xFF byte, which never occurs
                    // in UTF-8 text, so no text regex can match them.
                    let mut w = vec![TokTrie::SPECIAL_TOKEN_MARKER];
                    w.extend_from_slice(if bytes.is_empty() { b"<special>" } else { bytes });
                    w
                } else {
                    bytes.clone()
                }
            })
            .collect();
        let trie = TokTrie::from(&TokRxInfo::new(n, first_eos), &words).with_eos_tokens(eos_ids);
        let env: TokEnv = Arc::new(ApproximateTokEnv::new(trie));
        let mut factory =
            ParserFactory::new_simple(&env).map_err(|e| ConstrainError::Vocabulary(e.to_string()))?;
        // llguidance would otherwise print grammar warnings to stderr in the middle of a run.
        factory.quiet();
        // The Python grammar is large and ambiguous in places (expressions, unrolled blocks): with
        // the default budget of 50,000 Earley items per mask, a mask deep inside a nested loop
        // failed in the MBPP run. Ten times that costs at most a few milliseconds more per token.
        let limits = factory.limits_mut();
        limits.step_max_items = 500_000;
        limits.step_lexer_fuel = 2_000_000;
        Ok(Self { factory: Arc::new(factory), len: tokens.len() })
    }

    /// The vocabulary of a quill-llm tokenizer: control, user-defined, unknown and unused entries
    /// count as special (never text); the end-of-generation ids are the tokenizer's own.
    pub fn from_tokenizer(tokenizer: &Tokenizer) -> Result<Self, ConstrainError> {
        let special: Vec<u32> = (0..tokenizer.vocab_size() as u32)
            .filter(|&id| {
                tokenizer
                    .kind(id)
                    .is_some_and(|k| k.is_special() || matches!(k, TokenKind::Unknown | TokenKind::Unused))
            })
            .collect();
        Self::new(&tokenizer.token_bytes(), &special, &tokenizer.eog_ids())
    }

    /// A vocabulary of the 256 single bytes (ids 0..=255) plus one end-of-sequence token (id 256):
    /// enough to feed any text through a grammar, or to sample from it byte by byte.
    pub fn byte_level() -> &'static Vocabulary {
        static BYTES: OnceLock<Vocabulary> = OnceLock::new();
        BYTES.get_or_init(|| {
            let mut tokens: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
            tokens.push(b"<eos>".to_vec());
            // Cannot fail: the arguments are fixed and valid.
            Vocabulary::new(&tokens, &[], &[256]).expect("the byte-level vocabulary is well formed")
        })
    }

    /// Number of token ids.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for an empty vocabulary (never the case for a built one).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The end-of-sequence ids.
    pub fn eos_ids(&self) -> &[u32] {
        self.factory.tok_env().tok_trie().eos_tokens()
    }

    /// The bytes of token `id` (special tokens carry toktrie's 0xFF marker in front).
    pub fn token_bytes(&self, id: u32) -> &[u8] {
        self.factory.tok_env().tok_trie().token(id)
    }

    pub(crate) fn factory(&self) -> &ParserFactory {
        &self.factory
    }
}
