//! A loaded GGUF model and token-by-token generation on the CPU.

use std::num::NonZeroU32;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;

use crate::chat::{ChatFormat, ChatMessage};
use crate::constraint::TokenConstraint;
use crate::gguf::Metadata;
use crate::sampling::{sample, Rng};
use crate::stream::{Pushed, TextStream};
use crate::tokenizer::{TokenKind, Tokenizer};
use crate::LlmError;

/// llama.cpp's global state, initialised once per process (a second initialisation is an error there)
/// with its log output silenced: Quill reports load and speed figures itself.
fn backend() -> Result<&'static LlamaBackend, LlmError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            {
                LlamaBackend::init().map(|mut b| {
                    b.void_logs();
                    b
                })
            }
            .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| LlmError::Engine { context: "initialising llama.cpp", message: e.clone() })
}

fn engine<E: std::fmt::Display>(context: &'static str) -> impl FnOnce(E) -> LlmError {
    move |e| LlmError::Engine { context, message: e.to_string() }
}

/// Threads for matrix work: `QUILL_LLM_THREADS`, else every core the process may use.
fn default_threads() -> usize {
    std::env::var("QUILL_LLM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// What to generate from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// A conversation, formatted with the model's chat template, ending with the assistant's turn opened.
    Messages(Vec<ChatMessage>),
    /// Raw text, used as is; texts of special tokens in it (`<|im_start|>`, `<|fim_prefix|>`) become
    /// their ids.
    Text(String),
    /// Token ids, used as is.
    Tokens(Vec<u32>),
}

/// One generation request.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateRequest {
    pub prompt: Prompt,
    /// The most tokens to generate.
    pub max_tokens: usize,
    /// 0 means greedy decoding.
    pub temperature: f64,
    /// Nucleus sampling: keep the most likely tokens whose probabilities sum to this (1.0 keeps all).
    pub top_p: f64,
    /// Seed of the sampler; with the same seed and request the same tokens come out.
    pub seed: u64,
    /// Generation stops before any of these strings; the string itself is not part of the text.
    pub stop: Vec<String>,
    /// Never stop at end-of-generation tokens (they are masked out); for measuring speed at a fixed length.
    pub ignore_eos: bool,
}

impl GenerateRequest {
    /// A greedy request for a conversation, with the given token budget.
    pub fn chat(messages: Vec<ChatMessage>, max_tokens: usize) -> Self {
        Self {
            prompt: Prompt::Messages(messages),
            max_tokens,
            temperature: 0.0,
            top_p: 1.0,
            seed: 0,
            stop: Vec::new(),
            ignore_eos: false,
        }
    }
}

/// Why generation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The model produced an end-of-generation token (not included in the output).
    EndOfText,
    /// `max_tokens` were generated.
    MaxTokens,
    /// A stop string appeared (it is cut from the text).
    StopString(String),
    /// The model's context window is full.
    ContextFull,
}

/// The result of one generation.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    /// The generated text (without the end token or the stop string).
    pub text: String,
    /// The generated token ids (without the end token; with the tokens that formed a stop string).
    pub tokens: Vec<u32>,
    /// Number of prompt tokens.
    pub prompt_tokens: usize,
    /// Time to process the prompt, up to the first next-token logits.
    pub prompt_secs: f64,
    /// Time of the generation phase after the prompt (sampling, masking, forward passes).
    pub gen_secs: f64,
    /// Single-token forward passes per second of the generation phase (one fewer pass than tokens,
    /// since the first token comes from the prompt's logits); 0 when there was none.
    pub tokens_per_sec: f64,
    pub stop_reason: StopReason,
}

/// A GGUF model loaded into memory once, with its tokenizer and chat format. The forward passes run
/// in llama.cpp (chosen over candle by measurement: twice candle's decode speed on this machine, see
/// docs/results/2026-11-24-llm-speed.md); tokenization, sampling and constraints are Quill's own.
pub struct Model {
    weights: LlamaModel,
    tokenizer: Tokenizer,
    chat: Result<ChatFormat, String>,
    architecture: String,
    context_length: usize,
    /// Ids that end generation.
    eog: Vec<u32>,
    /// Ids never generated (padding slots).
    never: Vec<u32>,
    threads: usize,
    load_secs: f64,
}

/// Tokens per llama.cpp batch when processing a prompt.
const BATCH: usize = 512;

impl Model {
    /// Loads a GGUF file: weights (architecture `qwen2` or `llama`), tokenizer and chat format.
    pub fn load(path: &Path) -> Result<Self, LlmError> {
        Self::load_inner(path).map_err(|e| match e {
            LlmError::Io { .. } | LlmError::InFile { .. } => e,
            other => LlmError::InFile { path: path.to_path_buf(), source: Box::new(other) },
        })
    }

    fn load_inner(path: &Path) -> Result<Self, LlmError> {
        let start = Instant::now();
        let file =
            std::fs::File::open(path).map_err(|source| LlmError::Io { path: path.to_path_buf(), source })?;
        let content = Metadata::read(std::io::BufReader::new(file)).map_err(LlmError::Metadata)?;
        let architecture = content
            .get("general.architecture")
            .and_then(|v| v.to_string().ok())
            .cloned()
            .ok_or_else(|| LlmError::Metadata("missing key `general.architecture`".into()))?;
        if !["qwen2", "llama"].contains(&architecture.as_str()) {
            return Err(LlmError::Unsupported(format!(
                "architecture `{architecture}` (supported: qwen2, llama)"
            )));
        }
        let tokenizer = Tokenizer::from_gguf(&content)?;
        let chat = match content.get("tokenizer.chat_template").map(|v| v.to_string()) {
            Some(Ok(template)) => ChatFormat::from_template(template).map_err(|e| e.to_string()),
            _ => Err("the GGUF has no tokenizer.chat_template".to_string()),
        };
        let weights = LlamaModel::load_from_file(backend()?, path, &LlamaModelParams::default())
            .map_err(engine("loading the weights"))?;
        let context_length = weights.n_ctx_train().max(1) as usize;
        if weights.n_vocab() as usize != tokenizer.vocab_size() {
            return Err(LlmError::Metadata(format!(
                "llama.cpp sees {} tokens, the metadata lists {}",
                weights.n_vocab(),
                tokenizer.vocab_size()
            )));
        }
        let eog = tokenizer.eog_ids();
        let never = (0..tokenizer.vocab_size() as u32)
            .filter(|&id| tokenizer.kind(id) == Some(TokenKind::Unused))
            .collect();
        Ok(Self {
            weights,
            tokenizer,
            chat,
            architecture,
            context_length,
            eog,
            never,
            threads: default_threads(),
            load_secs: start.elapsed().as_secs_f64(),
        })
    }

    /// The tokenizer (vocabulary bytes, kinds, encode/decode).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The ids that end generation (EOS, `<|im_end|>`, `<|endoftext|>` where present).
    pub fn eog_ids(&self) -> &[u32] {
        &self.eog
    }

    /// `general.architecture` of the file.
    pub fn architecture(&self) -> &str {
        &self.architecture
    }

    /// The most tokens (prompt plus generated) one generation can hold.
    pub fn context_length(&self) -> usize {
        self.context_length
    }

    /// Seconds [`Model::load`] took.
    pub fn load_secs(&self) -> f64 {
        self.load_secs
    }

    /// The chat format, or why the model has none usable.
    pub fn chat_format(&self) -> Result<&ChatFormat, LlmError> {
        self.chat.as_ref().map_err(|e| LlmError::Unsupported(e.clone()))
    }

    /// The prompt's token ids.
    pub fn prompt_tokens(&self, prompt: &Prompt) -> Result<Vec<u32>, LlmError> {
        match prompt {
            Prompt::Messages(m) => self.chat_format()?.encode(&self.tokenizer, m),
            Prompt::Text(t) => self.tokenizer.encode(t, true),
            Prompt::Tokens(t) => Ok(t.clone()),
        }
    }

    /// Threads used for the forward passes.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Sets the threads used for the forward passes (at least one).
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// A fresh llama.cpp context (an empty KV cache) holding up to `n_ctx` positions.
    fn context(&self, n_ctx: usize) -> Result<LlamaContext<'_>, LlmError> {
        let threads = i32::try_from(self.threads).unwrap_or(1);
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(n_ctx.max(16) as u32))
            .with_n_batch(BATCH as u32)
            .with_n_ubatch(BATCH as u32)
            .with_n_threads(threads)
            .with_n_threads_batch(threads);
        self.weights.new_context(backend()?, params).map_err(engine("creating a llama.cpp context"))
    }

    /// Generates text. Every generation starts from an empty KV cache, so calls are independent.
    ///
    /// With a `constraint`, at each step its mask is applied (masked tokens get logit -inf), the chosen
    /// token is passed to [`TokenConstraint::commit`], and end-of-generation tokens are allowed exactly
    /// when [`TokenConstraint::is_complete`] is true (whatever the mask says about them); an
    /// end-of-generation token is never committed. `on_token` receives the text as it becomes final
    /// (whole characters, never part of a stop string).
    pub fn generate(
        &mut self,
        request: &GenerateRequest,
        mut constraint: Option<&mut dyn TokenConstraint>,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<Generation, LlmError> {
        let prompt = self.prompt_tokens(&request.prompt)?;
        let vocab = self.tokenizer.vocab_size();
        if prompt.is_empty() {
            return Err(LlmError::BadRequest("empty prompt".into()));
        }
        if let Some(&bad) = prompt.iter().find(|&&t| t as usize >= vocab) {
            return Err(LlmError::BadRequest(format!("prompt token {bad} outside a vocabulary of {vocab}")));
        }
        if prompt.len() >= self.context_length {
            return Err(LlmError::BadRequest(format!(
                "prompt of {} tokens does not fit the context of {}",
                prompt.len(),
                self.context_length
            )));
        }
        let n_ctx = (prompt.len() + request.max_tokens + 1).min(self.context_length);
        let mut ctx = self.context(n_ctx)?;
        let start = Instant::now();
        // One batch for the whole generation: allocating it per token would be llama.cpp's
        // batch-sized arrays and one allocation per slot, every step.
        let mut batch = LlamaBatch::new(BATCH, 1);
        let mut logits = forward(&mut ctx, &mut batch, &prompt, 0)?;
        let prompt_secs = start.elapsed().as_secs_f64();
        if logits.len() < vocab {
            return Err(LlmError::BadRequest(format!("{} logits for a vocabulary of {vocab}", logits.len())));
        }

        let gen_start = Instant::now();
        let mut rng = Rng::new(request.seed);
        let mut stream = TextStream::default();
        let mut tokens = Vec::new();
        let mut pos = prompt.len();
        let mut steps = 0usize;
        let mut allowed = vec![true; vocab];
        let stop_reason = loop {
            if tokens.len() >= request.max_tokens {
                break StopReason::MaxTokens;
            }
            // Logits past the vocabulary (padding of the output layer) can never be chosen.
            logits[vocab..].fill(f32::NEG_INFINITY);
            for &id in &self.never {
                logits[id as usize] = f32::NEG_INFINITY;
            }
            // The end tokens' own logits, kept so that a complete constraint can let them through.
            let eog_raw: Vec<f32> = self.eog.iter().map(|&id| logits[id as usize]).collect();
            let eog_allowed = match constraint.as_deref_mut() {
                Some(c) => {
                    allowed.fill(true);
                    c.mask(&mut allowed)?;
                    for (l, ok) in logits.iter_mut().zip(&allowed) {
                        if !ok {
                            *l = f32::NEG_INFINITY;
                        }
                    }
                    c.is_complete()
                }
                None => true,
            };
            for (&id, &raw) in self.eog.iter().zip(&eog_raw) {
                logits[id as usize] =
                    if eog_allowed && !request.ignore_eos { raw } else { f32::NEG_INFINITY };
            }
            let token = sample(&logits, request.temperature, request.top_p, &mut rng)
                .ok_or(LlmError::NoTokenAllowed { step: tokens.len() })?;
            if self.eog.contains(&token) {
                break StopReason::EndOfText;
            }
            if let Some(c) = constraint.as_deref_mut() {
                c.commit(token)?;
            }
            tokens.push(token);
            match stream.push(self.tokenizer.bytes_of(token), &request.stop) {
                Pushed::Text(t) => on_token(&t),
                Pushed::Stopped { tail, stop } => {
                    on_token(&tail);
                    break StopReason::StopString(stop);
                }
            }
            if tokens.len() >= request.max_tokens {
                break StopReason::MaxTokens;
            }
            if pos + 1 >= n_ctx {
                break StopReason::ContextFull;
            }
            logits = forward(&mut ctx, &mut batch, &[token], pos)?;
            pos += 1;
            steps += 1;
        };
        let rest = stream.finish();
        if !rest.is_empty() {
            on_token(&rest);
        }
        let gen_secs = gen_start.elapsed().as_secs_f64();
        Ok(Generation {
            text: stream.text().to_string(),
            tokens,
            prompt_tokens: prompt.len(),
            prompt_secs,
            gen_secs,
            tokens_per_sec: if steps > 0 && gen_secs > 0.0 { steps as f64 / gen_secs } else { 0.0 },
            stop_reason,
        })
    }
}

/// Runs `ids` at positions `pos..` through the model and returns the next-token logits after the last.
fn forward(
    ctx: &mut LlamaContext<'_>,
    batch: &mut LlamaBatch,
    ids: &[u32],
    pos: usize,
) -> Result<Vec<f32>, LlmError> {
    let chunks = ids.chunks(BATCH).count();
    for (c, chunk) in ids.chunks(BATCH).enumerate() {
        batch.clear();
        for (i, &id) in chunk.iter().enumerate() {
            let at = (pos + c * BATCH + i) as i32;
            let last = c + 1 == chunks && i + 1 == chunk.len();
            batch.add(LlamaToken(id as i32), at, &[0], last).map_err(engine("filling a batch"))?;
        }
        ctx.decode(batch).map_err(engine("forward pass"))?;
    }
    Ok(ctx.get_logits_ith(batch.n_tokens() - 1).to_vec())
}
