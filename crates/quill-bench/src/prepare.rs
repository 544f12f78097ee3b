//! Turning a task into the SyGuS-IF file the solvers get, plus what the checker needs: the parsed
//! problem (of that very file) and the held-out examples.

use crate::holdout;
use crate::pbe;
use crate::suite::{Example, Task, TaskSpec};
use quill_lang::sexpr::{read_all, SExpr};
use quill_lang::Value;
use quill_sygus::Problem;
use std::path::{Path, PathBuf};

/// A task ready to run.
pub struct Prepared {
    /// The problem file the solvers are given, in the run's work folder.
    pub sl_path: PathBuf,
    /// The problem as Quill's front end reads that file, or why it cannot. Solvers run either way;
    /// without it only the z3 check is available.
    pub problem: Result<Problem, String>,
    /// Examples the solvers did not see, to score generalization.
    pub heldout: Vec<Example>,
    /// With `--unlabeled`, the file of the held-out examples' inputs (a JSON array of rows) that
    /// Quill is given; `None` otherwise, or when there are none or they are not strings, integers
    /// and Booleans.
    pub inputs_path: Option<PathBuf>,
    /// Whether the training examples contradict each other (so "infeasible" is right).
    pub contradictory: bool,
    /// Anything the report should say about this task's preparation.
    pub note: Option<String>,
}

/// Writes the problem for `task` under `work` and reads it back. `holdout` examples, chosen with
/// `seed`, are hidden from the solvers; with `unlabeled`, their inputs are written beside the
/// problem for Quill.
pub fn prepare(
    task: &Task,
    suite: &str,
    work: &Path,
    holdout: usize,
    seed: u64,
    unlabeled: bool,
) -> Result<Prepared, String> {
    let sl_path = work.join(safe_path(suite)).join(format!("{}.sl", safe_path(&task.name)));
    let mut note = None;
    let (text, heldout) = match &task.spec {
        TaskSpec::SygusFile(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            if holdout == 0 {
                (text, Vec::new())
            } else {
                match hide_examples(&text, &path.display().to_string(), holdout, seed, &task.name) {
                    Ok(reduced) => reduced,
                    Err(why) => {
                        note = Some(format!("no examples held out: {why}"));
                        (text, Vec::new())
                    }
                }
            }
        }
        TaskSpec::Examples { arity, train, heldout } => {
            let mut train = train.clone();
            let mut heldout = heldout.clone();
            let hide = holdout::choose(train.len(), holdout, seed, &task.name);
            for i in hide.into_iter().rev() {
                heldout.push(train.remove(i));
            }
            (pbe::write_sl(&format!("{suite} task {}", task.name), *arity, &train), heldout)
        }
    };
    if let Some(dir) = sl_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&sl_path, &text).map_err(|e| format!("{}: {e}", sl_path.display()))?;
    let problem = quill_sygus::parse(&text, &sl_path.display().to_string()).map_err(|e| e.to_string());
    let contradictory =
        problem.as_ref().ok().and_then(Problem::examples).is_some_and(|ex| pbe::contradiction(&ex).is_some());
    let inputs_path = match inputs_json(&heldout) {
        Some(json) if unlabeled => {
            let path = sl_path.with_extension("inputs.json");
            std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))?;
            Some(path)
        }
        _ => None,
    };
    Ok(Prepared { sl_path, problem, heldout, inputs_path, contradictory, note })
}

/// The inputs of `examples` as a JSON array of rows, as `quill synth --inputs` reads them; `None`
/// for no examples, or for a value JSON cannot carry as `--inputs` reads it (a bit-vector).
fn inputs_json(examples: &[Example]) -> Option<String> {
    if examples.is_empty() {
        return None;
    }
    let cell = |v: &Value| match v {
        Value::Str(s) => Some(serde_json::Value::String(s.to_rust_string())),
        Value::Int(n) => Some(serde_json::Value::from(*n)),
        Value::Bool(b) => Some(serde_json::Value::Bool(*b)),
        Value::BitVec { .. } => None,
    };
    let rows: Option<Vec<serde_json::Value>> = examples
        .iter()
        .map(|e| e.inputs.iter().map(cell).collect::<Option<Vec<_>>>().map(serde_json::Value::Array))
        .collect();
    serde_json::to_string(&rows?).ok()
}

/// Removes `k` example constraints (chosen with `seed`) from a PBE problem's text; returns the new
/// text and the removed examples. The other commands are printed back unchanged, except that
/// comments and layout are lost.
fn hide_examples(
    text: &str,
    file: &str,
    k: usize,
    seed: u64,
    task: &str,
) -> Result<(String, Vec<Example>), String> {
    let problem = quill_sygus::parse(text, file).map_err(|e| e.to_string())?;
    let examples = problem.examples().ok_or("not a programming-by-example problem")?;
    let forms = read_all(text).map_err(|e| format!("{file}:{e}"))?;
    let is_constraint =
        |f: &SExpr| f.list().and_then(|l| l.first()).and_then(SExpr::symbol) == Some("constraint");
    if forms.iter().filter(|f| is_constraint(f)).count() != examples.len() {
        return Err("the constraints do not line up with the examples".into());
    }
    let hide = holdout::choose(examples.len(), k, seed, task);
    let mut out = String::new();
    let mut nth = 0;
    for f in &forms {
        if is_constraint(f) {
            nth += 1;
            if hide.contains(&(nth - 1)) {
                continue;
            }
        }
        out.push_str(&f.to_string());
        out.push('\n');
    }
    Ok((out, hide.iter().map(|&i| examples[i].clone()).collect()))
}

/// A task or suite name made safe as a relative path: letters, digits, `.`, `-`, `_` and `/` (for
/// SyGuS subfolders) are kept, anything else becomes `_`, and `..` cannot climb out.
pub fn safe_path(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_/".contains(c) { c } else { '_' }).collect();
    s.split('/').filter(|p| !p.is_empty() && *p != "." && *p != "..").collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths_stay_inside() {
        assert_eq!(safe_path("euphony/123"), "euphony/123");
        assert_eq!(safe_path("../x y/./z"), "x_y/z");
    }

    #[test]
    fn hiding_examples_removes_constraints() {
        let text = "(set-logic SLIA)\n(synth-fun f ((x String)) String)\n\
                    (constraint (= (f \"a\") \"A\"))\n(constraint (= (f \"b\") \"B\"))\n\
                    (constraint (= (f \"c\") \"C\"))\n(check-synth)\n";
        let (reduced, hidden) = hide_examples(text, "t.sl", 1, 3, "t").unwrap();
        assert_eq!(hidden.len(), 1);
        assert_eq!(reduced.matches("(constraint").count(), 2);
        assert!(!reduced.contains(&format!("{})", hidden[0].output)));
        assert!(quill_sygus::parse(&reduced, "r.sl").is_ok());
    }
}
