//! Shared helpers for the search tests.

use quill_search::{Example, Task};
use std::path::Path;

/// Reads a fixture file into a task.
pub fn task_from(path: &Path) -> Task {
    let problem = quill_sygus::parse_file(path).unwrap_or_else(|e| panic!("{e}"));
    let f = &problem.synth_funs[0];
    Task {
        params: f.params.clone(),
        ret: f.ret,
        grammar: f.grammar.clone(),
        examples: problem
            .examples()
            .expect("fixtures are PBE")
            .into_iter()
            .map(|e| Example { inputs: e.inputs, output: e.output })
            .collect(),
        sketch: None,
    }
}
