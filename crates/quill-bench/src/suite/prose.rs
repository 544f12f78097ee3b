//! The PROSE `Transformation.Text` benchmarks flattened into JSON lines: each line is a task with
//! `name` and `examples` (a list of `{inputs: [..], output}` over strings).
//!
//! The suite has no train/test split, so one is fixed here: the first [`PROSE_TRAIN`] examples (in
//! file order, as a user would give the first rows of a spreadsheet) are for the solvers and the rest
//! are held out to score generalization. At least one example is always held out. The task contents
//! must not be copied anywhere but the run's own work folder.

use super::{common_arity, json_examples, Suite, SuiteKind, SuiteLoader, Task, TaskSpec};
use crate::error::BenchError;
use std::path::Path;

/// How many examples of a PROSE task the solvers see (fewer when the task has fewer than
/// `PROSE_TRAIN + 1`, so that one is always held out).
pub const PROSE_TRAIN: usize = 3;

/// The loader for the PROSE JSON-lines file.
pub struct Prose;

impl SuiteLoader for Prose {
    fn kind(&self) -> SuiteKind {
        SuiteKind::Prose
    }

    fn detect(&self, path: &Path, head: &str) -> bool {
        path.extension().is_some_and(|e| e == "jsonl") && head.contains("\"examples\"")
    }

    fn load(&self, path: &Path) -> Result<Suite, BenchError> {
        let text = std::fs::read_to_string(path).map_err(|e| BenchError::io(path, e))?;
        let mut tasks = Vec::new();
        let mut notes = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let bad = |m: String| BenchError::suite(path, i + 1, m);
            let item: serde_json::Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
            let name = item.get("name").and_then(|v| v.as_str()).ok_or_else(|| bad("no `name`".into()))?;
            let examples = item.get("examples").ok_or_else(|| bad("no `examples`".into()))?;
            let (mut all, skipped) = json_examples(examples, "inputs", "output").map_err(&bad)?;
            if skipped > 0 {
                notes.push(format!("{name}: {skipped} examples with null values skipped"));
            }
            if all.len() < 2 {
                notes.push(format!("{name}: fewer than 2 usable examples, task skipped"));
                continue;
            }
            let arity = common_arity(&all).map_err(&bad)?;
            let heldout = all.split_off(PROSE_TRAIN.min(all.len() - 1));
            tasks.push(Task {
                name: name.to_string(),
                spec: TaskSpec::Examples { arity, train: all, heldout },
            });
        }
        Ok(Suite { name: "prose".into(), kind: SuiteKind::Prose, path: path.to_path_buf(), tasks, notes })
    }
}
