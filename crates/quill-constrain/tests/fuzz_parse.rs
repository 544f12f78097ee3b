//! Soundness of the Python grammar: random programs sampled token by token from the constraint's
//! own mask must all parse with Python's `ast.parse` (warnings as errors).
//!
//! The vocabulary mixes all 256 single bytes with multi-byte chunks (keywords with and without
//! spaces, indentation runs, glued number-keyword pairs such as `1if`), so that tokens cross
//! lexeme boundaries the way a real BPE vocabulary does, plus one chat marker that must never be
//! allowed.

mod common;

use common::{python_parse_failures, walk, Rng, Walk};
use quill_constrain::Vocabulary;

/// Multi-byte tokens, chosen to provoke the grammar's tricky spots.
const CHUNKS: &[&str] = &[
    "def ",
    "def",
    " ",
    "  ",
    "    ",
    "\n",
    "\n\n",
    "\n    ",
    "\n        ",
    "\n            ",
    "(",
    ")",
    "):",
    "):\n",
    ":\n",
    ":\n    ",
    "return ",
    "return",
    "if ",
    " if ",
    " else ",
    "else",
    "else:",
    "elif ",
    "for ",
    " for ",
    " in ",
    "in",
    " not in ",
    " is ",
    " is not ",
    "is",
    " and ",
    " or ",
    "not ",
    "and",
    "or",
    "lambda ",
    "lambda",
    "yield ",
    "while ",
    "with ",
    " as ",
    "try:",
    "except ",
    "except",
    "except:",
    "finally:",
    "raise ",
    " from ",
    "import ",
    "from ",
    "pass",
    "break",
    "continue",
    "assert ",
    "del ",
    "global ",
    "nonlocal ",
    "remove_Occ",
    "def remove_Occ(",
    "True",
    "False",
    "None",
    "1",
    "10",
    "0",
    "00",
    "1.",
    ".5",
    "1e5",
    "1e",
    "e",
    "j",
    "0x1f",
    "1_0",
    "1if",
    "1else",
    "0or",
    "1 ",
    "x",
    "y",
    "xs",
    "n",
    "i",
    "self",
    "result",
    "len",
    "range",
    "print",
    ", ",
    ",",
    ",\n",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "\"\"\"",
    "'''",
    "f\"",
    "f'",
    "r'",
    "b'",
    "rb'",
    "{x}",
    "{x!r}",
    "{x:.2f}",
    "{{",
    "}}",
    "\\n",
    "\\",
    "\\x4",
    "\\u",
    "\\N",
    "\\0",
    "=",
    "==",
    "!=",
    "+=",
    "-=",
    "**",
    "*",
    "//",
    "/",
    "%",
    "<",
    "<=",
    ">>",
    "->",
    ".",
    "...",
    ":",
    ";",
    "@",
    "#",
    "# comment\n",
    "\t",
    "\r",
    "\r\n",
    "\x0c",
    "\0",
    "é",
    "€",
];

/// Tokens that wind a walk down once no bracket, string or comment is open: short operands,
/// newlines and what a function header needs.
const SHORT: &[&str] =
    &["x", "1", "(", ")", ":", "):", "\n", "\n    ", "pass", "def ", "remove_Occ", "def remove_Occ("];

fn vocabulary() -> (Vocabulary, u32) {
    let mut tokens: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
    tokens.extend(CHUNKS.iter().map(|c| c.as_bytes().to_vec()));
    let marker = tokens.len() as u32;
    tokens.push(b"<|im_end|>".to_vec());
    let eos = tokens.len() as u32;
    tokens.push(b"<|endoftext|>".to_vec());
    (Vocabulary::new(&tokens, &[marker], &[eos]).expect("vocabulary"), marker)
}

fn short_ids(vocab: &Vocabulary) -> Vec<u32> {
    (0..vocab.len() as u32).filter(|&t| SHORT.iter().any(|c| c.as_bytes() == vocab.token_bytes(t))).collect()
}

fn sample(fn_name: Option<&str>, seeds: std::ops::Range<u64>) -> (Vec<String>, usize) {
    let (vocab, marker) = vocabulary();
    let short = short_ids(&vocab);
    let mut done = Vec::new();
    let mut unfinished = 0;
    for seed in seeds {
        let mut rng = Rng::new(seed);
        match walk(&vocab, fn_name, &[marker], &short, &mut rng, 120, 600) {
            Walk::Complete(text) => done.push(text),
            Walk::Unfinished(text) => {
                if unfinished < 3 {
                    let tail: String =
                        text.chars().rev().take(160).collect::<Vec<_>>().into_iter().rev().collect();
                    println!("unfinished walk (seed {seed}) ends with: {tail:?}");
                }
                unfinished += 1
            }
        }
    }
    (done, unfinished)
}

fn assert_all_parse(samples: &[String]) {
    let failures = python_parse_failures(samples);
    let shown: Vec<String> =
        failures.iter().take(5).map(|(i, e)| format!("--- {e}\n{}", samples[*i])).collect();
    assert!(
        failures.is_empty(),
        "{} of {} samples do not parse:\n{}",
        failures.len(),
        samples.len(),
        shown.join("\n")
    );
}

/// Number of walks: 200 by default (seconds); set QUILL_FUZZ_WALKS for a deeper local run.
fn walks() -> u64 {
    std::env::var("QUILL_FUZZ_WALKS").ok().and_then(|v| v.parse().ok()).unwrap_or(200)
}

#[test]
fn random_programs_parse() {
    let n = walks();
    let (samples, unfinished) = sample(None, 0..n);
    println!("{} complete samples, {unfinished} unfinished", samples.len());
    assert!(samples.len() as u64 >= n * 3 / 4, "too few walks completed: {} of {n}", samples.len());
    assert_all_parse(&samples);
}

#[test]
fn fixed_name_programs_parse_and_define_it() {
    let (samples, unfinished) = sample(Some("remove_Occ"), 1000..1080);
    println!("{} complete samples, {unfinished} unfinished", samples.len());
    assert!(samples.len() >= 50, "too few walks completed: {} of 80", samples.len());
    for s in &samples {
        assert!(s.contains("def remove_Occ"), "no `def remove_Occ` in:\n{s}");
    }
    assert_all_parse(&samples);
}
