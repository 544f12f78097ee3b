//! Training data: tasks read from JSON Lines shards (`DIR/shard-*.jsonl`, one task per line, as
//! `quill data gen` writes them), turned into token and character sequences once at load time.

use crate::vocab::{chars, Vocab};
use quill_lang::resolve::{var, Scope};
use quill_lang::sexpr::read_one;
use quill_lang::{Sort, Symbol, Term};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One task as a line of a shard.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct TaskRecord {
    pub id: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub grammar: String,
    /// `(name, sort)` pairs; sorts in SMT-LIB syntax.
    pub params: Vec<(String, String)>,
    pub ret: String,
    /// The program in SMT-LIB syntax over the parameter names.
    pub program: String,
    #[serde(default)]
    pub size: usize,
    pub examples: Vec<ExampleRecord>,
}

/// One input/output example; every value is written as an SMT-LIB literal.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ExampleRecord {
    pub inputs: Vec<String>,
    pub output: String,
}

/// Why data could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Line { path: String, line: usize, message: String },
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

/// Parses a sort written in SMT-LIB syntax.
pub fn parse_sort(text: &str) -> Result<Sort, String> {
    let e = read_one(text).map_err(|e| e.to_string())?;
    Scope::default().sort(&e).map_err(|e| e.to_string())
}

/// Parses a task's program over its parameters.
pub fn parse_program(program: &str, params: &[(Symbol, Sort)]) -> Result<Term, String> {
    let mut scope = Scope::default();
    for (i, (n, s)) in params.iter().enumerate() {
        scope.vars.push((n.to_string(), var(i, n, *s)));
    }
    let e = read_one(program).map_err(|e| e.to_string())?;
    scope.term(&e).map_err(|e| e.to_string())
}

/// The shard files of a directory, sorted by name.
pub fn shard_files(dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let io = |source| DataError::Io { path: dir.display().to_string(), source };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("shard-") && n.ends_with(".jsonl"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(DataError::NoShards(dir.display().to_string()));
    }
    Ok(files)
}

/// Turns one record into a sample, or says why it cannot be one. `max_prog` bounds the program
/// tokens (BOS/EOS included); `max_chars` bounds each rendered example.
pub fn prepare(
    rec: &TaskRecord,
    vocab: &Vocab,
    max_prog: usize,
    max_chars: usize,
) -> Result<Option<Sample>, String> {
    let params = rec
        .params
        .iter()
        .map(|(n, s)| Ok((Symbol::from(n.as_str()), parse_sort(s)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let term = parse_program(&rec.program, &params)?;
    let (mut program, mut lits) = (Vec::new(), Vec::new());
    if vocab.encode(&term, &mut program, &mut lits).is_err() || program.len() + 2 > max_prog {
        return Ok(None);
    }
    if rec.examples.is_empty() {
        return Ok(None);
    }
    let examples = rec
        .examples
        .iter()
        .map(|ex| {
            let ins: Vec<&str> = ex.inputs.iter().map(String::as_str).collect();
            chars::render(&ins, &ex.output, max_chars)
        })
        .collect();
    Ok(Some(Sample { id: rec.id.clone(), program, examples }))
}

/// Reads every shard of `dir`. Lines that are not valid tasks are errors naming file and line.
pub fn load_dir(dir: &Path, vocab: &Vocab, max_prog: usize, max_chars: usize) -> Result<Dataset, DataError> {
    let mut samples = Vec::new();
    let mut shards = Vec::new();
    let mut skipped = 0;
    for file in shard_files(dir)? {
        let path = file.display().to_string();
        let text =
            std::fs::read_to_string(&file).map_err(|source| DataError::Io { path: path.clone(), source })?;
        let mut tasks = 0;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let err = |message: String| DataError::Line { path: path.clone(), line: i + 1, message };
            let rec: TaskRecord = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
            tasks += 1;
            match prepare(&rec, vocab, max_prog, max_chars).map_err(err)? {
                Some(s) => samples.push(s),
                None => skipped += 1,
            }
        }
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        shards.push(ShardInfo { file: name, bytes: text.len() as u64, tasks });
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
