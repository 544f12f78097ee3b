//! The BUSTLE/CrossBeam SyGuS strings set: a JSON list of tasks, each with `name`,
//! `trainExamples` and `testExamples` (lists of `{inputs: [..], output}` over strings).
//!
//! In the published file the test examples repeat the training examples, so only test examples that
//! are not also training examples count as held out; `--holdout` can hide training examples instead.

use super::{common_arity, json_examples, Suite, SuiteKind, SuiteLoader, Task, TaskSpec};
use crate::error::BenchError;
use std::path::Path;

/// The loader for the BUSTLE JSON file.
pub struct Bustle;

impl SuiteLoader for Bustle {
    fn kind(&self) -> SuiteKind {
        SuiteKind::Bustle
    }

    fn detect(&self, path: &Path, head: &str) -> bool {
        path.extension().is_some_and(|e| e == "json") && head.contains("\"trainExamples\"")
    }

    fn load(&self, path: &Path) -> Result<Suite, BenchError> {
        let text = std::fs::read_to_string(path).map_err(|e| BenchError::io(path, e))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| BenchError::suite(path, e.line(), e.to_string()))?;
        let list =
            json.as_array().ok_or_else(|| BenchError::suite(path, 1, "expected a JSON list of tasks"))?;
        let mut tasks = Vec::new();
        let mut notes = Vec::new();
        for (i, item) in list.iter().enumerate() {
            let bad = |m: String| BenchError::suite(path, 0, format!("task {}: {m}", i + 1));
            let name = item.get("name").and_then(|v| v.as_str()).ok_or_else(|| bad("no `name`".into()))?;
            let name = name.strip_suffix(".sl").unwrap_or(name).to_string();
            let field = |k: &str| item.get(k).ok_or_else(|| bad(format!("no `{k}`")));
            let (train, s1) = json_examples(field("trainExamples")?, "inputs", "output").map_err(&bad)?;
            let (test, s2) = json_examples(field("testExamples")?, "inputs", "output").map_err(&bad)?;
            if s1 + s2 > 0 {
                notes.push(format!("{name}: {} examples with null values skipped", s1 + s2));
            }
            if train.is_empty() {
                notes.push(format!("{name}: no usable training example, task skipped"));
                continue;
            }
            let arity = common_arity(&train).map_err(&bad)?;
            let heldout: Vec<_> = test.into_iter().filter(|t| !train.contains(t)).collect();
            if heldout.iter().any(|e| e.inputs.len() != arity) {
                return Err(bad(format!("a test example does not have {arity} inputs")));
            }
            tasks.push(Task { name, spec: TaskSpec::Examples { arity, train, heldout } });
        }
        Ok(Suite { name: "bustle".into(), kind: SuiteKind::Bustle, path: path.to_path_buf(), tasks, notes })
    }
}
