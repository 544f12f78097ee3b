//! Natural language to Python, verified by execution.
//!
//! A code model proposes functions for a description; every proposal runs in the sandbox
//! (`quill-sandbox`) against the tests the user gave, or the examples written in the description.
//! A proposal that passes them all is returned as verified. When none does, the failing test with
//! the actual value or traceback goes back to the model, which is asked for a repair, for a few
//! rounds (self-debugging, CEGIS-style). With no tests at all, the model is asked to write tests
//! itself and the proposals are ranked by how many of those they pass (as CodeT does); such an
//! answer is reported as unverified.
//!
//! The model is behind the [`Backend`] trait: a local GGUF model, or an OpenAI-compatible server.

mod backend;
pub mod doctest;
pub mod extract;
mod local;
pub mod mbpp;

pub use backend::{Backend, Completion, HttpBackend, Message, Sampling};
pub use local::LocalBackend;

use quill_sandbox::{Sandbox, TestReport};
use serde::Serialize;
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum AskError {
    #[error("model backend: {0}")]
    Backend(String),
    #[error("sandbox: {0}")]
    Sandbox(#[from] quill_sandbox::SandboxError),
    #[error("{0}")]
    BadRequest(String),
}

/// What the user asks for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub description: String,
    /// `assert` lines the function must pass.
    pub tests: Vec<String>,
    /// A signature such as `def domain(email: str) -> str`.
    pub signature: Option<String>,
    /// Code put before every candidate when it is run (imports the tests rely on).
    pub preamble: String,
}

/// How hard to try.
#[derive(Clone, Debug)]
pub struct Effort {
    /// Proposals per round; the first of the first round is greedy.
    pub samples: usize,
    /// Rounds of repair after the first, while no proposal passes.
    pub repairs: usize,
    pub temperature: f64,
    pub seed: u64,
    pub max_tokens: usize,
    /// Whether to constrain decoding to the grammar of a Python function (backends that can).
    pub constrain: bool,
}

impl Default for Effort {
    fn default() -> Self {
        Effort { samples: 3, repairs: 2, temperature: 0.8, seed: 0, max_tokens: 512, constrain: true }
    }
}

/// How far an answer is established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Passed every given test (or every example in the description).
    Verified,
    /// There were no tests to run; ranked by agreement on tests the model wrote.
    Unverified,
    /// No proposal passed every test; the best one is returned.
    Failed,
}

/// One proposal and how it fared.
#[derive(Clone, Debug, Serialize)]
pub struct Attempt {
    pub round: usize,
    pub sample: usize,
    pub passed: usize,
    pub total: usize,
    pub tokens: usize,
    pub secs: f64,
    pub tokens_per_sec: f64,
}

/// The answer: the best function found and the evidence for it.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub name: String,
    pub code: String,
    pub status: Status,
    pub passed: usize,
    pub total: usize,
    /// Where the tests came from: `given`, `description`, `model` or `none`.
    pub tests_from: &'static str,
    pub tests: Vec<String>,
    pub attempts: Vec<Attempt>,
    pub backend: String,
    pub secs: f64,
}

const SYSTEM: &str = "You are a careful Python programmer. Reply with one Python code block that defines \
the requested function (and any imports or helpers it needs), without example usage or explanations.";

/// Asks for a function, verifying proposals in `sandbox`.
pub fn ask(
    backend: &mut dyn Backend,
    sandbox: &Sandbox,
    req: &Request,
    effort: &Effort,
) -> Result<Answer, AskError> {
    let started = Instant::now();
    let name = req
        .signature
        .as_deref()
        .and_then(signature_name)
        .or_else(|| extract::function_name(&req.tests))
        .ok_or_else(|| {
            AskError::BadRequest("no function name: give --signature, or tests that call the function".into())
        })?;
    let (tests, tests_from) = if !req.tests.is_empty() {
        (req.tests.clone(), "given")
    } else {
        let found = doctest::asserts_in(&req.description, &name);
        let from = if found.is_empty() { "none" } else { "description" };
        (found, from)
    };
    let mut base = vec![Message::system(SYSTEM), Message::user(first_prompt(req, &name))];
    let mut attempts = Vec::new();
    let mut seen: Vec<(String, Option<TestReport>)> = Vec::new();
    let mut draw = 0u64;
    for round in 0..=effort.repairs {
        for sample in 0..effort.samples.max(1) {
            let greedy = round == 0 && sample == 0;
            let sampling = Sampling {
                temperature: if greedy { 0.0 } else { effort.temperature },
                top_p: 0.95,
                seed: effort.seed.wrapping_add(draw),
                max_tokens: effort.max_tokens,
            };
            draw += 1;
            let c = backend.complete(&base, &sampling, effort.constrain.then_some(name.as_str()))?;
            let code = format!("{}{}", req.preamble, extract::code_of(&c.text));
            let report = match seen.iter().find(|(k, _)| *k == code) {
                Some((_, r)) => r.clone(),
                None if tests.is_empty() => None,
                None => Some(sandbox.check_asserts(&code, &tests)?),
            };
            let passed = report.as_ref().map_or(0, TestReport::passed);
            attempts.push(Attempt {
                round,
                sample,
                passed,
                total: tests.len(),
                tokens: c.tokens,
                secs: c.secs,
                tokens_per_sec: c.tokens_per_sec,
            });
            let done = report.as_ref().is_some_and(TestReport::all_passed);
            seen.push((code, report));
            if done {
                let (code, _) = seen.pop().expect("just pushed");
                let total = tests.len();
                return Ok(Answer {
                    name,
                    code,
                    status: Status::Verified,
                    passed: total,
                    total,
                    tests_from,
                    tests,
                    attempts,
                    backend: backend.describe(),
                    secs: started.elapsed().as_secs_f64(),
                });
            }
        }
        if tests.is_empty() {
            break;
        }
        // Repair the proposal that passed most tests, showing the model what went wrong.
        let Some((code, Some(report))) =
            seen.iter().max_by_key(|(_, r)| r.as_ref().map_or(0, TestReport::passed))
        else {
            break;
        };
        base.truncate(2);
        base.push(Message::assistant(format!("```python\n{code}```")));
        base.push(Message::user(format!(
            "This function fails these tests:\n{}\nFix it. Reply with the complete corrected function in one \
             Python code block.",
            report.feedback(&tests)
        )));
    }
    if tests.is_empty() {
        return rank_by_model_tests(backend, sandbox, req, effort, name, seen, attempts, started);
    }
    let (code, report) = seen
        .into_iter()
        .max_by_key(|(_, r)| r.as_ref().map_or(0, TestReport::passed))
        .ok_or_else(|| AskError::BadRequest("no proposals were made".into()))?;
    let total = tests.len();
    Ok(Answer {
        name,
        code,
        status: Status::Failed,
        passed: report.as_ref().map_or(0, TestReport::passed),
        total,
        tests_from,
        tests,
        attempts,
        backend: backend.describe(),
        secs: started.elapsed().as_secs_f64(),
    })
}

/// With no tests: the model writes some, and the proposal that passes most of them wins (ties go
/// to the earlier proposal, the greedy one first).
#[allow(clippy::too_many_arguments)]
fn rank_by_model_tests(
    backend: &mut dyn Backend,
    sandbox: &Sandbox,
    req: &Request,
    effort: &Effort,
    name: String,
    seen: Vec<(String, Option<TestReport>)>,
    attempts: Vec<Attempt>,
    started: Instant,
) -> Result<Answer, AskError> {
    let prompt = format!(
        "{}\n\nWrite 5 Python assert statements that check a correct `{name}` on typical and edge-case inputs, \
         one per line, in one code block. Do not define the function.",
        req.description
    );
    let sampling =
        Sampling { temperature: 0.0, top_p: 1.0, seed: effort.seed, max_tokens: effort.max_tokens };
    let c = backend.complete(&[Message::user(prompt)], &sampling, None)?;
    let generated: Vec<String> = c
        .text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("assert ") && l.contains(&format!("{name}(")))
        .map(str::to_string)
        .collect();
    let mut best: Option<(usize, String)> = None;
    for (code, _) in seen {
        let passed =
            if generated.is_empty() { 0 } else { sandbox.check_asserts(&code, &generated)?.passed() };
        if best.as_ref().is_none_or(|(p, _)| passed > *p) {
            best = Some((passed, code));
        }
    }
    let (passed, code) = best.ok_or_else(|| AskError::BadRequest("no proposals were made".into()))?;
    let total = generated.len();
    Ok(Answer {
        name,
        code,
        status: Status::Unverified,
        passed,
        total,
        tests_from: if total == 0 { "none" } else { "model" },
        tests: generated,
        attempts,
        backend: backend.describe(),
        secs: started.elapsed().as_secs_f64(),
    })
}

fn first_prompt(req: &Request, name: &str) -> String {
    let mut p = req.description.trim().to_string();
    match &req.signature {
        Some(sig) => p.push_str(&format!("\nUse this signature: `{}`", sig.trim().trim_end_matches(':'))),
        None => p.push_str(&format!("\nThe function must be named `{name}`.")),
    }
    p
}

/// `domain` in `def domain(email: str) -> str`.
fn signature_name(sig: &str) -> Option<String> {
    let rest = sig.trim().strip_prefix("def ")?.trim_start();
    let end = rest.find('(')?;
    let name = rest[..end].trim();
    (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_names() {
        assert_eq!(signature_name("def domain(email: str) -> str").as_deref(), Some("domain"));
        assert_eq!(signature_name("domain(email)"), None);
    }
}
