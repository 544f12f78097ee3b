//! Shared helpers of the integration tests: a seeded random sampler over the grammar's token
//! mask and a batch check of Python sources with one `python3` process.

#![allow(dead_code)] // each test binary uses a different subset of these helpers

use std::io::Write;
use std::process::{Command, Stdio};

use quill_constrain::{GrammarConstraint, Vocabulary};

/// quill-llm's seeded SplitMix64 sampler generator, so a failing sample can be reproduced by seed,
/// with the two draws the walks need.
pub struct Rng(quill_llm::sampling::Rng);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(quill_llm::sampling::Rng::new(seed))
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.0.next_f64() <= p
    }
}

/// How one random walk over the mask ended.
pub enum Walk {
    /// EOS was chosen: the text is complete under the grammar.
    Complete(String),
    /// The step budget ran out first (not an error, the walk just did not close in time); the
    /// text so far, for diagnostics.
    Unfinished(String),
}

/// Samples tokens from the mask until EOS. For the first `soft_len` tokens the choice is
/// uniform among the allowed ids (half of the time among multi-byte tokens only, so keywords and
/// indentation chunks cross lexeme boundaries often). After that the walk winds down: EOS is
/// taken as soon as it is allowed, the token that closes the innermost open bracket, string or
/// comment (see [`closer_wanted`]) is preferred, and otherwise the choice narrows to `short`
/// (short operands, newlines, what a function header needs). Panics (test failure) on a dead
/// end, on a forbidden special token in the mask, or on a parser error.
pub fn walk(
    vocab: &Vocabulary,
    fn_name: Option<&str>,
    forbidden: &[u32],
    short: &[u32],
    rng: &mut Rng,
    soft_len: usize,
    max_len: usize,
) -> Walk {
    let eos = vocab.eos_ids().to_vec();
    let mut c = GrammarConstraint::python_function(vocab, fn_name, false).expect("grammar compiles");
    let mut text: Vec<u8> = Vec::new();
    let multi: Vec<bool> = (0..vocab.len() as u32).map(|t| vocab.token_bytes(t).len() > 1).collect();
    for step in 0..max_len {
        let allowed = c.allowed_tokens().expect("mask");
        assert!(!allowed.is_empty(), "dead end after {:?}", String::from_utf8_lossy(&text));
        for f in forbidden {
            assert!(
                !allowed.contains(f),
                "special token {f} allowed after {:?}",
                String::from_utf8_lossy(&text)
            );
        }
        let eos_ok = allowed.iter().any(|t| eos.contains(t));
        assert_eq!(eos_ok, c.is_accepting(), "EOS in mask disagrees with is_accepting");
        let winding_down = step >= soft_len;
        if eos_ok && (winding_down || rng.chance(0.02)) {
            return Walk::Complete(String::from_utf8(text).expect("grammar text is UTF-8"));
        }
        let text_only: Vec<u32> = allowed.iter().copied().filter(|t| !eos.contains(t)).collect();
        let pick = |pred: &dyn Fn(u32) -> bool| -> Vec<u32> {
            text_only.iter().copied().filter(|&t| pred(t)).collect()
        };
        let pool: Vec<u32> = if winding_down {
            let wanted = closer_wanted(&text);
            let closing = pick(&|t| wanted.as_deref() == Some(vocab.token_bytes(t)));
            let near = pick(&|t| short.contains(&t));
            if !closing.is_empty() && rng.chance(0.7) {
                closing
            } else if !near.is_empty() && rng.chance(0.9) {
                near
            } else {
                text_only
            }
        } else if rng.chance(0.5) {
            let m = pick(&|t| multi[t as usize]);
            if m.is_empty() {
                text_only
            } else {
                m
            }
        } else {
            text_only
        };
        let tok = pool[rng.below(pool.len())];
        c.consume(tok).unwrap_or_else(|e| panic!("token {tok} was in the mask but rejected: {e}"));
        text.extend_from_slice(vocab.token_bytes(tok));
    }
    Walk::Unfinished(String::from_utf8_lossy(&text).into_owned())
}

/// The bytes that would close the innermost open bracket, string or comment of `text`, by a
/// rough scan of Python's lexical structure (good enough to steer a walk; no correctness rests
/// on it).
pub fn closer_wanted(text: &[u8]) -> Option<Vec<u8>> {
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        match stack.last().map(|v| v.as_slice()) {
            Some(b"\n") if b == b'\n' => {
                stack.pop();
            }
            Some(b"\n") => {}
            Some(q) if q.first() == Some(&b'\'') || q.first() == Some(&b'"') => {
                if b == b'\\' {
                    i += 1;
                } else if text[i..].starts_with(q) {
                    i += q.len() - 1;
                    stack.pop();
                }
            }
            _ => match b {
                b'#' => stack.push(b"\n".to_vec()),
                b'(' => stack.push(b")".to_vec()),
                b'[' => stack.push(b"]".to_vec()),
                b'{' => stack.push(b"}".to_vec()),
                b')' | b']' | b'}' => {
                    stack.pop();
                }
                b'\'' | b'"' => {
                    let triple = text[i..].starts_with(&[b, b, b]);
                    stack.push(if triple { vec![b, b, b] } else { vec![b] });
                    if triple {
                        i += 2;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    stack.pop()
}

/// The real interpreter behind `python3` (on PATH it may be a slow pyenv shim).
fn python() -> String {
    let out = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .expect("python3 is needed by this test (run scripts/setup.sh or install python3)");
    String::from_utf8(out.stdout).expect("utf-8 path").trim().to_string()
}

/// Parses every source with `ast.parse` (warnings as errors) in one Python process and returns
/// `(index, error)` for each one that fails.
pub fn python_parse_failures(sources: &[String]) -> Vec<(usize, String)> {
    const SCRIPT: &str = r#"
import ast, json, sys, warnings
warnings.simplefilter("error")
for i, src in enumerate(json.load(sys.stdin)):
    try:
        ast.parse(src)
    except (SyntaxError, ValueError, Warning) as e:
        print(json.dumps([i, f"{type(e).__name__}: {e}"]))
"#;
    let mut child = Command::new(python())
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start python3");
    let input = serde_json::to_string(sources).expect("JSON");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write to python3");
    let out = child.wait_with_output().expect("python3 runs");
    assert!(out.status.success(), "python3 failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str::<(usize, String)>(l).expect("[index, message] from python3"))
        .collect()
}
