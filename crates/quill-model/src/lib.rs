//! Quill's own small transformer: it reads a task's input/output examples character by character
//! and writes programs token by token (prefix order of the term), with a second head that predicts
//! which tokens occur in the program (guidance for the enumerator).
//!
//! Built on burn with its pure-Rust `flex` CPU backend. Training ([`train::train`]) reads JSON
//! Lines shards, logs a CSV and an SVG curve, and writes checkpoints that a later run resumes;
//! inference ([`Model`]) loads `config.json` + `model.safetensors` from the run's directory.

pub mod batch;
pub mod checkpoint;
pub mod constrain;
pub mod data;
pub mod guide;
pub mod infer;
pub mod net;
pub mod search;
pub mod svg;
pub mod train;
pub mod vocab;

pub use constrain::{DecodeState, Finished, GrammarDecoder};
pub use guide::{GuideOptions, ModelGuide};
pub use infer::{Encoded, InferError, Model, Spec};
pub use net::NetConfig;
pub use search::{beam_search, beam_search_until, sample, Proposal};
pub use train::{train, Event, LogRow, TrainError, TrainOptions};
pub use vocab::{ProgTok, TokenError, Vocab};
