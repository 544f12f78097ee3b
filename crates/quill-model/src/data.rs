//! Training data: tasks read from JSON Lines shards (`DIR/shard-*.jsonl`, one task per line, as
//! `quill data gen` writes them), turned into token and character sequences once at load time.

use crate::vocab::{chars, Vocab};
use quill_data::Task;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Why data could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error(transparent)]
    Read(#[from] quill_data::DataError),
    #[error("{path}: {source}")]
    Task { path: String, source: quill_data::DataError },
    #[error("{0}: no shard-*.jsonl files")]
    NoShards(String),
}

/// A task ready for training: program tokens (without BOS/EOS) and each example rendered.
#[derive(Clone, Debug)]
pub struct Sample {
    pub id: String,
    pub program: Vec<u32>,
    pub examples: Vec<Vec<u8>>,
}

/// One shard of the data manifest stored with a checkpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardInfo {
    pub file: String,
    pub bytes: u64,
    pub tasks: usize,
}

/// What was loaded: samples plus the manifest.
#[derive(Debug)]
pub struct Dataset {
    pub samples: Vec<Sample>,
    pub shards: Vec<ShardInfo>,
    /// Tasks whose program has no token sequence (or is longer than the decoder allows).
    pub skipped: usize,
}

/// Turns one task into a sample, or `None` when the model cannot read it. `max_prog` bounds the
/// program tokens (BOS/EOS included); `max_chars` bounds each rendered example.
pub fn prepare(
    task: &Task,
    vocab: &Vocab,
    max_prog: usize,
    max_chars: usize,
) -> Result<Option<Sample>, quill_data::DataError> {
    let term = task.parse_program()?;
    let (mut program, mut lits) = (Vec::new(), Vec::new());
    if vocab.encode(&term, &mut program, &mut lits).is_err() || program.len() + 2 > max_prog {
        return Ok(None);
    }
    if task.examples.is_empty() {
        return Ok(None);
    }
    let examples = task
        .examples
        .iter()
        .map(|ex| {
            let ins: Vec<&str> = ex.inputs.iter().map(String::as_str).collect();
            chars::render(&ins, &ex.output, max_chars)
        })
        .collect();
    Ok(Some(Sample { id: task.id.clone(), program, examples }))
}

/// Reads every shard of `dir` (as `quill data gen` writes them). A line that is not a valid task
/// is an error naming the file and the line or task.
pub fn load_dir(dir: &Path, vocab: &Vocab, max_prog: usize, max_chars: usize) -> Result<Dataset, DataError> {
    let files = quill_data::shard_files(dir)?;
    if files.is_empty() {
        return Err(DataError::NoShards(dir.display().to_string()));
    }
    let mut samples = Vec::new();
    let mut shards = Vec::new();
    let mut skipped = 0;
    for file in files {
        let tasks = quill_data::read_shard(&file)?;
        let path = file.display().to_string();
        for task in &tasks {
            match prepare(task, vocab, max_prog, max_chars)
                .map_err(|source| DataError::Task { path: path.clone(), source })?
            {
                Some(s) => samples.push(s),
                None => skipped += 1,
            }
        }
        let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        shards.push(ShardInfo { file: name, bytes, tasks: tasks.len() });
    }
    Ok(Dataset { samples, shards, skipped })
}

/// Whether a task belongs to the validation split: a stable hash of its id, so the split does
/// not depend on file order or on the seed.
pub fn is_validation(id: &str, val_frac: f64) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // FNV alone barely moves the high bits for ids that differ in their last characters
    // (`t-000001`, `t-000002`): finish with a full-avalanche mix before reading the high bits.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    ((h >> 11) as f64 / (1u64 << 53) as f64) < val_frac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_validation_split_has_about_the_asked_size() {
        let n = (0..10_000).filter(|i| is_validation(&format!("t-{i:06}"), 0.1)).count();
        assert!((800..1200).contains(&n), "{n} of 10000");
        assert_eq!((0..100).filter(|i| is_validation(&format!("s-{i}"), 0.0)).count(), 0);
    }
}
