//! Benchmark suites: recognising a suite from its path and turning it into tasks.
//!
//! Each suite format has one small loader module. Adding a suite means writing a loader (a type that
//! implements [`SuiteLoader`]), adding a variant to [`SuiteKind`] and listing the loader in
//! [`LOADERS`]; nothing else in the crate knows about file formats, because every task becomes a
//! SyGuS-IF problem before any solver sees it.

mod bustle;
mod prose;
mod sygus;

pub use bustle::Bustle;
pub use prose::{Prose, PROSE_TRAIN};
pub use sygus::SygusDir;

use crate::error::BenchError;
pub use quill_sygus::Example;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The formats a suite can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuiteKind {
    /// A folder of SyGuS-IF files (or one file), given to solvers as they are.
    Sygus,
    /// The BUSTLE/CrossBeam JSON file of string tasks with `trainExamples` and `testExamples`.
    Bustle,
    /// The PROSE `transformation_text.jsonl` file, one task per line.
    Prose,
    // An MBPP loader would add `Mbpp` here: its tasks are Python functions with assert tests, so it
    // would also need a `TaskSpec` variant for a Python target.
}

/// One task of a suite.
#[derive(Clone, Debug)]
pub struct Task {
    /// The name in reports: the path below the suite folder without `.sl`, or the task's own name.
    pub name: String,
    pub spec: TaskSpec,
}

/// What a task asks for.
#[derive(Clone, Debug)]
pub enum TaskSpec {
    /// A SyGuS-IF file. With `--holdout`, some of its examples are taken out before solvers see it.
    SygusFile(PathBuf),
    /// Input/output examples of a function over String parameters returning a String. A SyGuS-IF
    /// problem with the PBE strings grammar is generated from `train`; `heldout` is for scoring only.
    Examples { arity: usize, train: Vec<Example>, heldout: Vec<Example> },
}

/// A loaded suite.
#[derive(Clone, Debug)]
pub struct Suite {
    /// A short name for reports (the folder or file name).
    pub name: String,
    pub kind: SuiteKind,
    pub path: PathBuf,
    pub tasks: Vec<Task>,
    /// What the loader left out and why (for the report), e.g. examples with missing values.
    pub notes: Vec<String>,
}

/// A suite format: how to recognise it and how to read it.
pub trait SuiteLoader: Sync {
    fn kind(&self) -> SuiteKind;
    /// Whether `path` is a suite of this kind; `head` is the start of the file (empty for folders).
    fn detect(&self, path: &Path, head: &str) -> bool;
    fn load(&self, path: &Path) -> Result<Suite, BenchError>;
}

/// Every known loader, tried in order.
pub const LOADERS: &[&dyn SuiteLoader] = &[&SygusDir, &Bustle, &Prose];

/// Recognises the kind of the suite at `path` and loads it.
pub fn load_suite(path: &Path) -> Result<Suite, BenchError> {
    let meta = std::fs::metadata(path).map_err(|e| BenchError::io(path, e))?;
    let head = if meta.is_dir() { String::new() } else { read_head(path)? };
    match LOADERS.iter().find(|l| l.detect(path, &head)) {
        Some(loader) => loader.load(path),
        None => Err(BenchError::UnknownSuite {
            path: path.to_path_buf(),
            message: "expected a folder of .sl files, a .sl file, the BUSTLE .json file or the PROSE .jsonl \
                      file"
                .into(),
        }),
    }
}

/// The first few kilobytes of a file, for recognising its format.
fn read_head(path: &Path) -> Result<String, BenchError> {
    let mut buf = vec![0u8; 4096];
    let mut f = std::fs::File::open(path).map_err(|e| BenchError::io(path, e))?;
    let n = f.read(&mut buf).map_err(|e| BenchError::io(path, e))?;
    buf.truncate(n);
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// The file or folder name without extension, used as the suite name.
pub(crate) fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "suite".into())
}

/// Reads a JSON value that must be a string (or null, which gives `None`), for example lists.
pub(crate) fn json_string(v: &serde_json::Value) -> Result<Option<String>, String> {
    match v {
        serde_json::Value::String(s) => Ok(Some(s.clone())),
        serde_json::Value::Null => Ok(None),
        other => Err(format!("expected a string, found {other}")),
    }
}

/// Converts JSON examples `{inputs: [..], output: ..}` (field names given) into [`Example`]s of
/// strings. Examples with a null input or output cannot be stated in SyGuS and are skipped; the
/// count of skipped ones is returned with them.
pub(crate) fn json_examples(
    list: &serde_json::Value,
    inputs_key: &str,
    output_key: &str,
) -> Result<(Vec<Example>, usize), String> {
    let items = list.as_array().ok_or("expected a list of examples")?;
    let mut out = Vec::new();
    let mut skipped = 0;
    for (i, item) in items.iter().enumerate() {
        let ins = item
            .get(inputs_key)
            .and_then(|v| v.as_array())
            .ok_or(format!("example {}: expected a list `{inputs_key}`", i + 1))?;
        let output = item.get(output_key).ok_or(format!("example {}: no `{output_key}`", i + 1))?;
        let output = json_string(output).map_err(|m| format!("example {}: output: {m}", i + 1))?;
        let inputs = ins
            .iter()
            .map(json_string)
            .collect::<Result<Option<Vec<String>>, _>>()
            .map_err(|m| format!("example {}: input: {m}", i + 1))?;
        match (inputs, output) {
            (Some(inputs), Some(output)) => out.push(Example {
                inputs: inputs.iter().map(|s| quill_lang::Value::str(s)).collect(),
                output: quill_lang::Value::str(&output),
            }),
            _ => skipped += 1,
        }
    }
    Ok((out, skipped))
}

/// Checks that every example has the same number of inputs, and returns it.
pub(crate) fn common_arity(examples: &[Example]) -> Result<usize, String> {
    let arity = examples.first().map_or(0, |e| e.inputs.len());
    match examples.iter().position(|e| e.inputs.len() != arity) {
        Some(i) => {
            Err(format!("example {} has {} inputs, the first has {arity}", i + 1, examples[i].inputs.len()))
        }
        None if arity == 0 => Err("the examples have no inputs".into()),
        None => Ok(arity),
    }
}
