//! The tokenizer a GGUF file carries in its metadata: byte-level BPE (`tokenizer.ggml.model = "gpt2"`).
//!
//! There is no `tokenizer.json` beside these models, so the BPE model is rebuilt from
//! `tokenizer.ggml.tokens` and `tokenizer.ggml.merges`, and the pre-tokenizer is chosen by
//! `tokenizer.ggml.pre` to match what the upstream `tokenizer.json` declares (and what llama.cpp does for
//! the same name). Special (control) tokens are matched in the text by this module itself rather than
//! by the `tokenizers` crate's added vocabulary, so that one tokenizer serves both uses: chat markup,
//! where `<|im_start|>` must become one id, and user text, where the same characters must stay text.

use std::collections::HashMap;

use crate::gguf::{Metadata, Value};
use tokenizers::models::bpe::BPE;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::digits::Digits;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::SplitDelimiterBehavior;

use crate::LlmError;

/// Qwen2's pre-tokenizer regex, from its `tokenizer.json` (llama.cpp's `qwen2` pre-tokenizer).
const QWEN2_PATTERN: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// The kind of a vocabulary entry, from `tokenizer.ggml.token_type` (llama.cpp's numbering).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An ordinary BPE token (type 1).
    Normal,
    /// Unknown-token placeholder (type 2).
    Unknown,
    /// A control token such as `<|im_start|>` (type 3): never produced from plain text.
    Control,
    /// A user-defined token such as Qwen's `<tool_call>` (type 4): matched as a whole in text.
    UserDefined,
    /// A padding slot with no meaning (type 5, e.g. `[PAD151933]`); never generated.
    Unused,
    /// A raw byte token `<0xNN>` (type 6).
    Byte,
}

impl TokenKind {
    fn from_code(code: i64) -> Option<Self> {
        Some(match code {
            1 => Self::Normal,
            2 => Self::Unknown,
            3 => Self::Control,
            4 => Self::UserDefined,
            5 => Self::Unused,
            6 => Self::Byte,
            _ => return None,
        })
    }

    /// True for tokens that stand for markup rather than text (control and user-defined tokens).
    pub fn is_special(self) -> bool {
        matches!(self, Self::Control | Self::UserDefined)
    }
}

/// A byte-level BPE tokenizer read from GGUF metadata.
pub struct Tokenizer {
    bpe: tokenizers::Tokenizer,
    /// The text of each token as its raw bytes (byte-level characters mapped back to bytes).
    bytes: Vec<Vec<u8>>,
    kinds: Vec<TokenKind>,
    /// Special tokens by their text, longest first, for matching them inside a prompt.
    specials: Vec<(String, u32)>,
    by_text: HashMap<String, u32>,
    eos: u32,
    bos: Option<u32>,
}

fn meta<'a>(content: &'a Metadata, key: &str) -> Result<&'a Value, LlmError> {
    content.get(key).ok_or_else(|| LlmError::Metadata(format!("missing key `{key}`")))
}

fn meta_str<'a>(content: &'a Metadata, key: &str) -> Result<&'a str, LlmError> {
    meta(content, key)?
        .to_string()
        .map(String::as_str)
        .map_err(|e| LlmError::Metadata(format!("`{key}`: {e}")))
}

fn meta_u32(content: &Metadata, key: &str) -> Result<u32, LlmError> {
    meta(content, key)?.to_u32().map_err(|e| LlmError::Metadata(format!("`{key}`: {e}")))
}

fn meta_strings(content: &Metadata, key: &str) -> Result<Vec<String>, LlmError> {
    let list = meta(content, key)?.to_vec().map_err(|e| LlmError::Metadata(format!("`{key}`: {e}")))?;
    list.iter()
        .enumerate()
        .map(|(i, v)| v.to_string().cloned().map_err(|e| LlmError::Metadata(format!("`{key}`[{i}]: {e}"))))
        .collect()
}

/// GPT-2's reversible map from bytes to printable characters, inverted: byte-level BPE vocabularies
/// spell every byte as one of these characters (a space is `Ġ`).
fn unicode_to_byte() -> HashMap<char, u8> {
    let mut printable: Vec<u32> = (b'!' as u32..=b'~' as u32).collect();
    printable.extend(0xA1..=0xAC);
    printable.extend(0xAE..=0xFF);
    let mut map = HashMap::new();
    let mut next = 0u32;
    for b in 0u32..256 {
        let c = if printable.contains(&b) {
            b
        } else {
            next += 1;
            255 + next
        };
        map.insert(char::from_u32(c).unwrap_or('\u{FFFD}'), b as u8);
    }
    map
}

impl Tokenizer {
    /// Builds the tokenizer from a GGUF file's metadata.
    pub fn from_gguf(content: &Metadata) -> Result<Self, LlmError> {
        let model = meta_str(content, "tokenizer.ggml.model")?;
        if model != "gpt2" {
            return Err(LlmError::Unsupported(format!(
                "tokenizer.ggml.model `{model}` (only byte-level BPE, `gpt2`, is supported)"
            )));
        }
        let pre = meta_str(content, "tokenizer.ggml.pre")?;
        let pre_tokenizer = pre_tokenizer(pre)?;
        let tokens = meta_strings(content, "tokenizer.ggml.tokens")?;
        let merges = meta_strings(content, "tokenizer.ggml.merges")?;
        let types = meta(content, "tokenizer.ggml.token_type")?
            .to_vec()
            .map_err(|e| LlmError::Metadata(format!("`tokenizer.ggml.token_type`: {e}")))?;
        if types.len() != tokens.len() {
            return Err(LlmError::Metadata(format!(
                "{} token types for {} tokens",
                types.len(),
                tokens.len()
            )));
        }
        let mut kinds = Vec::with_capacity(types.len());
        for (i, v) in types.iter().enumerate() {
            let code = v.to_i32().map(i64::from).or_else(|_| v.to_u32().map(i64::from));
            let kind = code.ok().and_then(TokenKind::from_code);
            kinds.push(kind.ok_or_else(|| LlmError::Metadata(format!("token {i}: bad token type {v:?}")))?);
        }

        let to_byte = unicode_to_byte();
        let mut bytes = Vec::with_capacity(tokens.len());
        let mut by_text = HashMap::with_capacity(tokens.len());
        let mut specials = Vec::new();
        for (id, (text, kind)) in tokens.iter().zip(&kinds).enumerate() {
            let id = id as u32;
            by_text.insert(text.clone(), id);
            if kind.is_special() {
                specials.push((text.clone(), id));
                bytes.push(text.as_bytes().to_vec());
            } else {
                // A character outside the byte alphabet cannot occur in a byte-level vocabulary except in
                // placeholder tokens (`[PAD..]`), whose text is then kept as is.
                let mapped: Option<Vec<u8>> = text.chars().map(|c| to_byte.get(&c).copied()).collect();
                bytes.push(mapped.unwrap_or_else(|| text.as_bytes().to_vec()));
            }
        }
        specials.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));

        let vocab: tokenizers::models::bpe::Vocab = by_text.iter().map(|(k, v)| (k.clone(), *v)).collect();
        let mut merge_pairs = Vec::with_capacity(merges.len());
        for (i, m) in merges.iter().enumerate() {
            let (a, b) = m
                .split_once(' ')
                .ok_or_else(|| LlmError::Metadata(format!("merge {i} `{m}` has no space")))?;
            merge_pairs.push((a.to_string(), b.to_string()));
        }
        let mut builder = BPE::builder().vocab_and_merges(vocab, merge_pairs);
        // Some vocabularies (SmolLM2's) lack a token for a few bytes; like the upstream tokenizer, such
        // characters become the unknown token instead of vanishing.
        if let Some(unk) =
            meta_u32(content, "tokenizer.ggml.unknown_token_id").ok().and_then(|id| tokens.get(id as usize))
        {
            builder = builder.unk_token(unk.clone());
        }
        let bpe = builder.build().map_err(|e| LlmError::Tokenizer(format!("building BPE: {e}")))?;
        let mut tok = tokenizers::Tokenizer::new(bpe);
        tok.with_pre_tokenizer(Some(pre_tokenizer));
        tok.with_decoder(Some(tokenizers::decoders::byte_level::ByteLevel::default()));

        let eos = meta_u32(content, "tokenizer.ggml.eos_token_id")?;
        let bos = meta_u32(content, "tokenizer.ggml.bos_token_id").ok();
        if eos as usize >= tokens.len() {
            return Err(LlmError::Metadata(format!("eos id {eos} outside a vocabulary of {}", tokens.len())));
        }
        Ok(Self { bpe: tok, bytes, kinds, specials, by_text, eos, bos })
    }

    /// Reads only the metadata of a GGUF file (not its weights) and builds its tokenizer.
    pub fn from_file(path: &std::path::Path) -> Result<Self, LlmError> {
        let in_file =
            |source: LlmError| LlmError::InFile { path: path.to_path_buf(), source: Box::new(source) };
        let mut file =
            std::fs::File::open(path).map_err(|source| LlmError::Io { path: path.to_path_buf(), source })?;
        let content =
            Metadata::read(std::io::BufReader::new(&mut file)).map_err(|e| in_file(LlmError::Metadata(e)))?;
        Self::from_gguf(&content).map_err(in_file)
    }

    /// Number of vocabulary entries (ids run from 0 to this, exclusive).
    pub fn vocab_size(&self) -> usize {
        self.bytes.len()
    }

    /// The bytes each token id stands for, indexed by id. Special tokens give their text
    /// (e.g. `<|im_end|>`); see [`Tokenizer::kind`] to tell them apart.
    pub fn token_bytes(&self) -> Vec<Vec<u8>> {
        self.bytes.clone()
    }

    /// The bytes of one token (empty for an id outside the vocabulary).
    pub fn bytes_of(&self, id: u32) -> &[u8] {
        self.bytes.get(id as usize).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The kind of each token, indexed by id.
    pub fn kinds(&self) -> &[TokenKind] {
        &self.kinds
    }

    /// The kind of one token.
    pub fn kind(&self, id: u32) -> Option<TokenKind> {
        self.kinds.get(id as usize).copied()
    }

    /// The id of a token given its exact vocabulary text (e.g. `<|im_start|>`).
    pub fn token_id(&self, text: &str) -> Option<u32> {
        self.by_text.get(text).copied()
    }

    /// The GGUF's declared end-of-sequence id.
    pub fn eos_id(&self) -> u32 {
        self.eos
    }

    /// The GGUF's declared beginning-of-sequence id, if any (not added by [`Tokenizer::encode`]).
    pub fn bos_id(&self) -> Option<u32> {
        self.bos
    }

    /// Every id that ends generation: the declared EOS plus the end-of-turn and end-of-text control
    /// tokens of chat models (llama.cpp's end-of-generation set, restricted to the names these models use).
    pub fn eog_ids(&self) -> Vec<u32> {
        let mut ids = vec![self.eos];
        for name in ["<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end|>"] {
            if let Some(id) = self.token_id(name) {
                if self.kind(id) == Some(TokenKind::Control) && !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }

    /// Encodes text. With `parse_special`, the texts of special tokens (`<|im_start|>`, ...) become their
    /// single ids; without it they are ordinary text. No BOS is added.
    pub fn encode(&self, text: &str, parse_special: bool) -> Result<Vec<u32>, LlmError> {
        let mut ids = Vec::new();
        if !parse_special {
            self.encode_plain(text, &mut ids)?;
            return Ok(ids);
        }
        let mut rest = text;
        while !rest.is_empty() {
            // The earliest special token in the rest, the longest one where several start at one place.
            let found = self
                .specials
                .iter()
                .filter_map(|(s, id)| rest.find(s.as_str()).map(|at| (at, s.len(), *id)))
                .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            match found {
                Some((at, len, id)) => {
                    self.encode_plain(&rest[..at], &mut ids)?;
                    ids.push(id);
                    rest = &rest[at + len..];
                }
                None => {
                    self.encode_plain(rest, &mut ids)?;
                    break;
                }
            }
        }
        Ok(ids)
    }

    fn encode_plain(&self, text: &str, ids: &mut Vec<u32>) -> Result<(), LlmError> {
        if text.is_empty() {
            return Ok(());
        }
        let encoding =
            self.bpe.encode_fast(text, false).map_err(|e| LlmError::Tokenizer(format!("encoding: {e}")))?;
        ids.extend_from_slice(encoding.get_ids());
        Ok(())
    }

    /// Decodes ids to text (special tokens as their text); invalid UTF-8 becomes U+FFFD.
    pub fn decode(&self, ids: &[u32]) -> String {
        let bytes: Vec<u8> = ids.iter().flat_map(|&id| self.bytes_of(id).iter().copied()).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// The pre-tokenizer for a `tokenizer.ggml.pre` name, as the model's `tokenizer.json` declares it.
fn pre_tokenizer(pre: &str) -> Result<PreTokenizerWrapper, LlmError> {
    let regex_err = |e| LlmError::Tokenizer(format!("pre-tokenizer regex: {e}"));
    match pre {
        // Qwen2: split with its own regex, then map bytes without GPT-2's regex.
        "qwen2" => {
            let split = Split::new(
                SplitPattern::Regex(QWEN2_PATTERN.to_string()),
                SplitDelimiterBehavior::Isolated,
                false,
            )
            .map_err(regex_err)?;
            Ok(Sequence::new(vec![split.into(), ByteLevel::new(false, false, false).into()]).into())
        }
        // SmolLM (and StarCoder-style vocabularies): single digits, then GPT-2's byte-level regex.
        "smollm" => {
            Ok(Sequence::new(vec![Digits::new(true).into(), ByteLevel::new(false, true, true).into()]).into())
        }
        other => Err(LlmError::Unsupported(format!(
            "tokenizer.ggml.pre `{other}` (known: qwen2, smollm); its pre-tokenizer rules are not implemented"
        ))),
    }
}
