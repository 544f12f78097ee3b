//! What a training run leaves in its output directory, and how it is read back.
//!
//! ```text
//! OUT/config.json        network shape, vocabulary, training hyper-parameters, data manifest
//! OUT/model.safetensors  the latest weights (f32): all that inference needs besides config.json
//! OUT/ckpt/state.json    step counter and random-generator state
//! OUT/ckpt/model.bpk     the weights with their parameter ids (burnpack), which the optimizer
//!                        state is keyed by; safetensors does not keep them
//! OUT/ckpt/optim.bpk     Adam's moments
//! OUT/log.csv, OUT/curve.svg
//! ```
//! The `ckpt` directory is written as `ckpt.tmp` and renamed into place, so an interrupted write
//! never leaves a half-written checkpoint behind: a kill loses at most one checkpoint interval.

use crate::batch::Rng;
use crate::data::ShardInfo;
use crate::net::{Net, NetConfig};
use burn::optim::{ModuleOptimizer, OptimizerRecord};
use burn::store::{BurnpackStore, ModuleSnapshot, SafetensorsStore};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Version of the directory layout and of the token vocabulary's meaning.
pub const FORMAT: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("{0}")]
    Mismatch(String),
}

fn file_err(path: &Path, message: impl ToString) -> CheckpointError {
    CheckpointError::File { path: path.display().to_string(), message: message.to_string() }
}

/// Training hyper-parameters, stored so a resumed run continues with the same ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainHyper {
    pub steps: usize,
    pub batch: usize,
    pub lr: f64,
    pub warmup: usize,
    pub seed: u64,
    pub val_frac: f64,
    pub prod_weight: f32,
    pub eval_every: usize,
    /// Share of training tasks shown with fewer examples than the encoder reads (1 to
    /// `max_examples - 1`, uniformly), so that the model also learns what one or two examples
    /// imply: users and benchmarks often give that few. Runs written before this field read as 0.
    #[serde(default)]
    pub few_examples: f64,
}

/// The data a run was trained on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataManifest {
    pub dir: String,
    pub shards: Vec<ShardInfo>,
    pub train_tasks: usize,
    pub val_tasks: usize,
    pub skipped_tasks: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    pub format: u32,
    pub net: NetConfig,
    /// Program tokens in order, as text; compared with the code's vocabulary on load.
    pub vocab: Vec<String>,
    pub train: TrainHyper,
    pub data: DataManifest,
}

/// Where a run stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainState {
    /// Steps done.
    pub step: usize,
    pub rng: Rng,
}

pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), CheckpointError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| file_err(path, e))?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text).map_err(|e| file_err(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| file_err(path, e))
}

pub fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, CheckpointError> {
    let text = std::fs::read_to_string(path).map_err(|e| file_err(path, e))?;
    serde_json::from_str(&text).map_err(|e| file_err(path, e))
}

/// Reads `config.json` and checks that its vocabulary is a prefix of the code's.
pub fn read_config(dir: &Path) -> Result<RunConfig, CheckpointError> {
    let config: RunConfig = read_json(&dir.join("config.json"))?;
    if config.format != FORMAT {
        return Err(CheckpointError::Mismatch(format!(
            "{}: checkpoint format {} but this build reads format {FORMAT}",
            dir.display(),
            config.format
        )));
    }
    // Tokens are only ever appended, so an older checkpoint's vocabulary is a prefix of this
    // build's; it loads, and simply never emits the tokens it was trained without.
    if crate::vocab::Vocab::of_texts(&config.vocab).is_none() {
        return Err(CheckpointError::Mismatch(format!(
            "{}: the checkpoint's program vocabulary is not a prefix of this build's",
            dir.display()
        )));
    }
    Ok(config)
}

/// Writes the inference weights (`model.safetensors`), replacing the old file only when the new
/// one is complete.
pub fn save_weights(net: &Net, dir: &Path) -> Result<(), CheckpointError> {
    let path = dir.join("model.safetensors");
    let tmp = dir.join("model.safetensors.tmp");
    let mut store = SafetensorsStore::from_file(&tmp).overwrite(true);
    net.save_into(&mut store).map_err(|e| file_err(&tmp, format!("{e:?}")))?;
    std::fs::rename(&tmp, &path).map_err(|e| file_err(&path, e))
}

/// Loads `model.safetensors` into a network of the configured shape.
pub fn load_weights(net: &mut Net, dir: &Path) -> Result<(), CheckpointError> {
    let path = dir.join("model.safetensors");
    if !path.is_file() {
        return Err(file_err(&path, "no such file"));
    }
    let mut store = SafetensorsStore::from_file(&path);
    let result = net.load_from(&mut store).map_err(|e| file_err(&path, format!("{e:?}")))?;
    if !result.is_success() || !result.missing.is_empty() {
        return Err(file_err(&path, format!("weights do not fit the configured network: {result}")));
    }
    Ok(())
}

fn ckpt_dir(dir: &Path) -> PathBuf {
    dir.join("ckpt")
}

/// Writes the resumable training state.
pub fn save_state(
    net: &Net,
    optim: &ModuleOptimizer,
    state: &TrainState,
    dir: &Path,
) -> Result<(), CheckpointError> {
    let tmp = dir.join("ckpt.tmp");
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| file_err(&tmp, e))?;
    }
    std::fs::create_dir_all(&tmp).map_err(|e| file_err(&tmp, e))?;
    let model = tmp.join("model.bpk");
    let mut store = BurnpackStore::from_file(&model).overwrite(true);
    net.save_into(&mut store).map_err(|e| file_err(&model, format!("{e:?}")))?;
    let opt = tmp.join("optim.bpk");
    optim.to_record().save(&opt).map_err(|e| file_err(&opt, format!("{e:?}")))?;
    write_json(&tmp.join("state.json"), state)?;
    let live = ckpt_dir(dir);
    let old = dir.join("ckpt.old");
    if live.exists() {
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| file_err(&old, e))?;
        }
        std::fs::rename(&live, &old).map_err(|e| file_err(&live, e))?;
    }
    std::fs::rename(&tmp, &live).map_err(|e| file_err(&live, e))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| file_err(&old, e))?;
    }
    Ok(())
}

/// Reads the training state back: the network (with its parameter ids), the optimizer and the
/// counters. A checkpoint caught between the two renames of [`save_state`] is found as `ckpt.old`.
pub fn load_state(
    net: &mut Net,
    optim: ModuleOptimizer,
    dir: &Path,
) -> Result<(ModuleOptimizer, TrainState), CheckpointError> {
    let mut ck = ckpt_dir(dir);
    if !ck.exists() && dir.join("ckpt.old").exists() {
        ck = dir.join("ckpt.old");
    }
    let state: TrainState = read_json(&ck.join("state.json"))?;
    let model = ck.join("model.bpk");
    let mut store = BurnpackStore::from_file(&model);
    let result = net.load_from(&mut store).map_err(|e| file_err(&model, format!("{e:?}")))?;
    if !result.is_success() || !result.missing.is_empty() {
        return Err(file_err(&model, format!("weights do not fit the configured network: {result}")));
    }
    let opt = ck.join("optim.bpk");
    let record = OptimizerRecord::load(&opt).map_err(|e| file_err(&opt, format!("{e:?}")))?;
    Ok((optim.load_record(record), state))
}
