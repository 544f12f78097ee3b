//! MBPP (Mostly Basic Python Problems) as a benchmark of `ask`: each task's sentence goes to the
//! model with the function name its tests call (the tests themselves are not shown), and the
//! answer is judged by the task's three tests in the sandbox.
//!
//! Two modes run side by side per task: `bare` is the model alone (one greedy sample, no
//! constraint, no repair: pass@1 of the model), `loop` is Quill's verification loop with the
//! tests used for verification and feedback (reported separately, as MBPP's protocol allows).

use crate::{ask, AskError, Backend, Effort, Request, Status};
use quill_sandbox::Sandbox;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// One task of the sanitized MBPP file.
#[derive(Clone, Debug, Deserialize)]
pub struct Task {
    pub task_id: u32,
    pub prompt: String,
    pub test_list: Vec<String>,
    #[serde(default)]
    pub test_imports: Vec<String>,
}

/// Reads `sanitized-mbpp.json` (a JSON array) or `mbpp.jsonl` (one task per line; its sentence
/// is under `text`).
pub fn load(path: &Path) -> Result<Vec<Task>, AskError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| AskError::BadRequest(format!("{}: {e}", path.display())))?;
    let bad =
        |line: usize, e: serde_json::Error| AskError::BadRequest(format!("{}:{line}: {e}", path.display()));
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(&text).map_err(|e| bad(e.line(), e));
    }
    #[derive(Deserialize)]
    struct Line {
        task_id: u32,
        text: String,
        test_list: Vec<String>,
        #[serde(default)]
        test_setup_code: String,
    }
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let t: Line = serde_json::from_str(l).map_err(|e| bad(i + 1, e))?;
        let imports = t.test_setup_code.lines().map(str::to_string).filter(|l| !l.is_empty()).collect();
        out.push(Task { task_id: t.task_id, prompt: t.text, test_list: t.test_list, test_imports: imports });
    }
    Ok(out)
}

/// The result of one task in one mode.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub task_id: u32,
    pub mode: &'static str,
    pub passed: bool,
    pub tests_passed: usize,
    pub tests: usize,
    pub proposals: usize,
    pub tokens: usize,
    pub secs: f64,
    pub tokens_per_sec: f64,
    /// Why the task could not be run to the end (a backend or sandbox failure); it then counts as
    /// failed, and the run goes on.
    pub error: Option<String>,
}

/// Runs one task in one mode. `effort` is the loop's; the bare mode uses one greedy sample.
pub fn run_task(
    backend: &mut dyn Backend,
    sandbox: &Sandbox,
    task: &Task,
    mode: &'static str,
    effort: &Effort,
) -> Result<Row, AskError> {
    let req = Request {
        description: task.prompt.clone(),
        tests: task.test_list.clone(),
        signature: None,
        preamble: task.test_imports.iter().map(|l| format!("{l}\n")).collect(),
    };
    let effort = match mode {
        "bare" => Effort { samples: 1, repairs: 0, constrain: false, ..effort.clone() },
        _ => effort.clone(),
    };
    let started = std::time::Instant::now();
    let a = match ask(backend, sandbox, &req, &effort) {
        Ok(a) => a,
        Err(e) => {
            return Ok(Row {
                task_id: task.task_id,
                mode,
                passed: false,
                tests_passed: 0,
                tests: task.test_list.len(),
                proposals: 0,
                tokens: 0,
                secs: started.elapsed().as_secs_f64(),
                tokens_per_sec: 0.0,
                error: Some(e.to_string()),
            })
        }
    };
    let tokens: usize = a.attempts.iter().map(|t| t.tokens).sum();
    let gen_secs: f64 = a.attempts.iter().map(|t| t.secs).sum();
    Ok(Row {
        task_id: task.task_id,
        mode,
        passed: a.status == Status::Verified,
        tests_passed: a.passed,
        tests: a.total,
        proposals: a.attempts.len(),
        tokens,
        secs: a.secs,
        tokens_per_sec: if gen_secs > 0.0 { tokens as f64 / gen_secs } else { 0.0 },
        error: None,
    })
}

/// Appends a row to a CSV file (with a header when the file is new), so that an interrupted run
/// keeps what it measured.
pub fn append_csv(path: &Path, row: &Row) -> std::io::Result<()> {
    let new = !path.exists();
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    if new {
        writeln!(f, "task_id,mode,passed,tests_passed,tests,proposals,tokens,secs,tokens_per_sec,error")?;
    }
    // The error is the last column, quoted, with quotes doubled and newlines flattened (CSV).
    let error = row
        .error
        .as_deref()
        .map(|e| format!("\"{}\"", e.replace('"', "\"\"").replace('\n', " ")))
        .unwrap_or_default();
    writeln!(
        f,
        "{},{},{},{},{},{},{},{:.2},{:.2},{}",
        row.task_id,
        row.mode,
        row.passed,
        row.tests_passed,
        row.tests,
        row.proposals,
        row.tokens,
        row.secs,
        row.tokens_per_sec,
        error
    )
}

/// A Markdown summary of rows: pass@1 per mode, mean time per task, mean tokens per second.
pub fn summary(rows: &[Row]) -> String {
    let mut s = String::from(
        "| mode | tasks | passed | pass rate | mean s/task | median s/task | tokens/s | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for mode in ["bare", "loop"] {
        let r: Vec<&Row> = rows.iter().filter(|r| r.mode == mode).collect();
        if r.is_empty() {
            continue;
        }
        let passed = r.iter().filter(|x| x.passed).count();
        let mut secs: Vec<f64> = r.iter().map(|x| x.secs).collect();
        secs.sort_by(f64::total_cmp);
        let mean = secs.iter().sum::<f64>() / secs.len() as f64;
        let tps: Vec<f64> = r.iter().map(|x| x.tokens_per_sec).filter(|t| *t > 0.0).collect();
        let tps = if tps.is_empty() { 0.0 } else { tps.iter().sum::<f64>() / tps.len() as f64 };
        s.push_str(&format!(
            "| {mode} | {} | {passed} | {:.1}% | {mean:.1} | {:.1} | {tps:.1} | {} |\n",
            r.len(),
            100.0 * passed as f64 / r.len() as f64,
            secs[secs.len() / 2],
            r.iter().filter(|x| x.error.is_some()).count()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_sanitized_file_loads_when_present() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/benchmarks/mbpp/sanitized-mbpp.json");
        if !path.exists() {
            return;
        }
        let tasks = load(&path).unwrap();
        assert_eq!(tasks.len(), 427);
        let test_split = tasks.iter().filter(|t| (11..=510).contains(&t.task_id)).count();
        assert_eq!(test_split, 257);
        assert!(tasks.iter().all(|t| !t.test_list.is_empty()));
    }

    #[test]
    fn bad_lines_are_named() {
        let dir = std::env::temp_dir().join(format!("quill-mbpp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("bad.jsonl");
        std::fs::write(&p, "{\"task_id\": 1, \"text\": \"x\", \"test_list\": []}\nnot json\n").unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(e.contains("bad.jsonl:2"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
