//! Inference: a trained model loaded from its directory, encoding a task's examples once and then
//! scoring or extending program-token prefixes.

use crate::checkpoint::{self, CheckpointError, RunConfig};
use crate::net::{Memory, Net, NetConfig, SpecBatch};
use crate::vocab::{chars, Vocab, BOS, EOS, PAD};
use burn::module::Module;
use burn::tensor::activation::{log_softmax, sigmoid};
use burn::tensor::Device;
use quill_lang::Value;
use std::path::Path;

/// A task's examples as the encoder reads them.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    pub examples: Vec<Vec<u8>>,
}

/// The encoded examples of one task.
#[derive(Clone, Debug)]
pub struct Encoded {
    memory: Memory,
}

#[derive(Debug, thiserror::Error)]
pub enum InferError {
    #[error("prefix of {len} tokens is longer than the model's {max} (BOS and EOS included)")]
    TooLong { len: usize, max: usize },
    #[error("token id {0} is outside the vocabulary")]
    BadToken(u32),
}

/// A model ready for inference (no autodiff, dropout off).
#[derive(Clone, Debug)]
pub struct Model {
    net: Net,
    config: RunConfig,
    vocab: Vocab,
    device: Device,
}

fn read_floats(t: burn::tensor::Tensor<2>) -> Vec<f32> {
    t.try_into_vec_as::<f32>().unwrap_or_default()
}

impl Model {
    /// Loads `config.json` and `model.safetensors` from a training run's directory.
    pub fn load(dir: &Path) -> Result<Model, CheckpointError> {
        let config = checkpoint::read_config(dir)?;
        let device = Device::flex();
        let mut net = config.net.init(&device);
        checkpoint::load_weights(&mut net, dir)?;
        let vocab = Vocab::prefix(config.vocab.len());
        Ok(Model { net: net.valid(), config, vocab, device })
    }

    /// Wraps a network (for example a freshly initialised one, in tests) as a model.
    pub fn from_net(net: &Net, config: RunConfig) -> Model {
        let vocab = Vocab::prefix(config.vocab.len());
        Model { net: net.valid(), config, vocab, device: Device::flex() }
    }

    /// A randomly initialised model of the given shape (untrained; for tests and baselines).
    pub fn untrained(net: NetConfig, seed: u64) -> Model {
        let device = Device::flex();
        device.seed(seed);
        let n = net.init(&device);
        let config = RunConfig {
            format: checkpoint::FORMAT,
            net,
            vocab: Vocab::standard().texts(),
            train: crate::train::TrainOptions::new(".".into(), ".".into()).hyper,
            data: checkpoint::DataManifest {
                dir: String::new(),
                shards: Vec::new(),
                train_tasks: 0,
                val_tasks: 0,
                skipped_tasks: 0,
            },
        };
        Model { net: n.valid(), config, vocab: Vocab::standard(), device }
    }

    /// Writes `config.json` and `model.safetensors` into `dir`, so [`Model::load`] reads it back.
    pub fn save(&self, dir: &Path) -> Result<(), CheckpointError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| CheckpointError::File { path: dir.display().to_string(), message: e.to_string() })?;
        checkpoint::write_json(&dir.join("config.json"), &self.config)?;
        checkpoint::save_weights(&self.net, dir)
    }

    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// The number of trainable parameters.
    pub fn num_params(&self) -> usize {
        self.net.num_params()
    }

    /// The longest program (in tokens, without BOS/EOS) the decoder handles.
    pub fn max_program_tokens(&self) -> usize {
        self.config.net.max_prog - 2
    }

    /// Renders examples given as SMT-LIB literal texts (inputs, output).
    pub fn spec_from_texts(&self, examples: &[(Vec<String>, String)]) -> Spec {
        let max = self.config.net.max_chars;
        Spec {
            examples: examples
                .iter()
                .map(|(ins, out)| {
                    let ins: Vec<&str> = ins.iter().map(String::as_str).collect();
                    chars::render(&ins, out, max)
                })
                .collect(),
        }
    }

    /// Renders examples given as values; each value is written as its SMT-LIB literal.
    pub fn spec_from_values(&self, examples: &[(Vec<Value>, Value)]) -> Spec {
        let texts: Vec<(Vec<String>, String)> = examples
            .iter()
            .map(|(ins, out)| (ins.iter().map(Value::to_string).collect(), out.to_string()))
            .collect();
        self.spec_from_texts(&texts)
    }

    /// Encodes the first examples of a task (as many as the model reads); once per task.
    pub fn encode(&self, spec: &Spec) -> Encoded {
        let tasks: Vec<Vec<&[u8]>> = vec![spec.examples.iter().map(Vec::as_slice).collect()];
        let batch = SpecBatch::new(&tasks, self.config.net.max_examples);
        Encoded { memory: self.net.encode(&batch, &self.device) }
    }

    /// Log-probabilities of the next token after each prefix (program tokens without BOS), all
    /// prefixes decoded as one batch. Returns one vector of `vocab().len()` entries per prefix.
    pub fn next_token_logprobs(
        &self,
        enc: &Encoded,
        prefixes: &[&[u32]],
    ) -> Result<Vec<Vec<f32>>, InferError> {
        if prefixes.is_empty() {
            return Ok(Vec::new());
        }
        let max = self.config.net.max_prog;
        let t = prefixes.iter().map(|p| p.len() + 1).max().unwrap_or(1);
        if t > max {
            return Err(InferError::TooLong { len: t + 1, max });
        }
        let b = prefixes.len();
        let v = self.vocab.len();
        let mut ids = vec![PAD as i64; b * t];
        for (i, p) in prefixes.iter().enumerate() {
            ids[i * t] = BOS as i64;
            for (j, tok) in p.iter().enumerate() {
                if *tok as usize >= v || *tok == PAD {
                    return Err(InferError::BadToken(*tok));
                }
                ids[i * t + j + 1] = *tok as i64;
            }
        }
        let memory = repeat(&enc.memory, b);
        let logits = self.net.decode(&memory, &ids, b, t, &self.device);
        let all = log_softmax(logits, 2).try_into_vec_as::<f32>().unwrap_or_default();
        // Right padding does not change earlier positions (attention is causal), so each prefix's
        // next-token distribution is read at its own last position.
        Ok(prefixes
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let at = (i * t + p.len()) * v;
                all[at..at + v].to_vec()
            })
            .collect())
    }

    /// The log-probability of a whole program (tokens without BOS/EOS; EOS is scored too), by
    /// teacher forcing: for ranking candidate programs.
    pub fn score(&self, enc: &Encoded, program: &[u32]) -> Result<f32, InferError> {
        let mut one = self.score_batch(enc, &[program]);
        one.pop().unwrap_or(Ok(f32::NAN))
    }

    /// [`Model::score`] of many programs at once: they are decoded in batches of `SCORE_BATCH`,
    /// right-padded (attention is causal, so padding after a program does not change its score).
    pub fn score_batch(&self, enc: &Encoded, programs: &[&[u32]]) -> Vec<Result<f32, InferError>> {
        let max = self.config.net.max_prog;
        let v = self.vocab.len();
        let mut out: Vec<Result<f32, InferError>> = programs
            .iter()
            .map(|p| {
                if p.len() + 2 > max {
                    Err(InferError::TooLong { len: p.len() + 2, max })
                } else if let Some(t) = p.iter().find(|t| **t as usize >= v || **t == PAD) {
                    Err(InferError::BadToken(*t))
                } else {
                    Ok(0.0)
                }
            })
            .collect();
        let ok: Vec<usize> = (0..programs.len()).filter(|i| out[*i].is_ok()).collect();
        for chunk in ok.chunks(SCORE_BATCH) {
            let t = chunk.iter().map(|i| programs[*i].len() + 1).max().unwrap_or(1);
            let b = chunk.len();
            let mut ids = vec![PAD as i64; b * t];
            for (row, i) in chunk.iter().enumerate() {
                ids[row * t] = BOS as i64;
                for (j, tok) in programs[*i].iter().enumerate() {
                    ids[row * t + j + 1] = *tok as i64;
                }
            }
            let memory = repeat(&enc.memory, b);
            let logits = self.net.decode(&memory, &ids, b, t, &self.device);
            let all = log_softmax(logits, 2).try_into_vec_as::<f32>().unwrap_or_default();
            for (row, i) in chunk.iter().enumerate() {
                let targets = programs[*i].iter().copied().chain([EOS]);
                let at = |p: usize, tok: u32| {
                    all.get((row * t + p) * v + tok as usize).copied().unwrap_or(f32::NAN)
                };
                out[*i] = Ok(targets.enumerate().map(|(p, tok)| at(p, tok)).sum());
            }
        }
        out
    }

    /// The production head: for each program token, the probability that it occurs in the
    /// program (independent sigmoids). The enumerator turns these into costs (-log p).
    pub fn token_probs(&self, enc: &Encoded) -> Vec<f32> {
        read_floats(sigmoid(self.net.production_logits(&enc.memory)))
    }
}

/// How many programs [`Model::score_batch`] decodes together.
const SCORE_BATCH: usize = 64;

/// The memory of one task repeated for a batch of `b` prefixes.
fn repeat(m: &Memory, b: usize) -> Memory {
    if b == 1 {
        return m.clone();
    }
    Memory {
        states: m.states.clone().repeat_dim(0, b),
        mask: m.mask.clone().repeat_dim(0, b),
        weights: m.weights.clone().repeat_dim(0, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_model_is_small() {
        let m = Model::untrained(NetConfig::standard(chars::SIZE, Vocab::standard().len()), 1);
        let n = m.num_params();
        // f32 weights: the checkpoint must stay well under 20 MB.
        assert!(n * 4 < 10_000_000, "{n} parameters");
        assert!(n > 500_000, "{n} parameters");
    }
}
