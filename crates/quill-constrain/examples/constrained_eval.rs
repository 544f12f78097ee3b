//! Samples Python functions for MBPP prompts with and without the grammar constraint and
//! measures how many parse, and how long the mask takes per token.
//!
//! Usage:
//! `cargo run --release -p quill-constrain --example constrained_eval -- --mbpp PATH/mbpp.jsonl
//!  [--model NAME] [--n 30] [--temperature 0.8] [--max-tokens 300] [--seed 1] [--fenced] [--out FILE.jsonl]`
//!
//! The tasks are MBPP's test split (task ids 11 onwards) in order. The prompt is the task text, the
//! required function name (taken from the first test) and that test. Each output is checked with
//! `ast.parse` (warnings as errors) by one `python3` process; an unconstrained output is checked
//! as is and also after taking the first fenced code block, as a caller would. With `--fenced`
//! the constrained output is wrapped in a Markdown fence too (see `python_function_grammar`) and
//! its code is taken out of the fence the same way.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use quill_constrain::{GrammarConstraint, Vocabulary};
use quill_llm::{models, ChatMessage, GenerateRequest, Model, Prompt, StopReason, TokenConstraint};
use serde_json::{json, Value};

const CHECK: &str = r#"
import ast, json, sys, warnings
warnings.simplefilter("error")
out = []
for item in json.load(sys.stdin):
    try:
        tree = ast.parse(item["code"])
        names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        out.append({"parses": True, "defines": item["name"] in names})
    except (SyntaxError, ValueError, Warning) as e:
        out.append({"parses": False, "defines": False, "error": f"{type(e).__name__}: {e}"})
json.dump(out, sys.stdout)
"#;

struct Args {
    mbpp: String,
    model: String,
    n: usize,
    temperature: f64,
    max_tokens: usize,
    seed: u64,
    out: Option<String>,
    fenced: bool,
}

fn parse_args() -> Args {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let get = |flag: &str| argv.iter().position(|a| a == flag).and_then(|i| argv.get(i + 1)).cloned();
    let num = |flag: &str, default: f64| get(flag).map_or(default, |v| v.parse().expect("a number"));
    Args {
        mbpp: get("--mbpp").unwrap_or_else(|| {
            eprintln!("usage: constrained_eval --mbpp PATH/mbpp.jsonl [--model NAME] [--n N] ...");
            std::process::exit(2)
        }),
        model: get("--model").unwrap_or_else(|| models::TEST_MODEL.to_string()),
        n: num("--n", 30.0) as usize,
        temperature: num("--temperature", 0.8),
        max_tokens: num("--max-tokens", 300.0) as usize,
        seed: num("--seed", 1.0) as u64,
        out: get("--out"),
        fenced: argv.iter().any(|a| a == "--fenced"),
    }
}

/// The function name the tests call: `assert name(` at the start of the first test.
fn function_name(test: &str) -> Option<String> {
    let rest = test.trim_start().strip_prefix("assert")?.trim_start();
    let rest = rest.strip_prefix('(').unwrap_or(rest);
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    (!name.is_empty() && rest[name.len()..].starts_with('(')).then_some(name)
}

/// The first fenced code block, without its language tag; the text itself when there is none.
fn first_code_block(text: &str) -> String {
    let Some(start) = text.find("```") else { return text.to_string() };
    let body = &text[start + 3..];
    let body = body.find('\n').map_or("", |i| &body[i + 1..]);
    body.find("```").map_or(body, |end| &body[..end]).to_string()
}

fn python_check(items: &[Value]) -> Vec<Value> {
    let mut child = Command::new("python3")
        .args(["-c", CHECK])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(Value::Array(items.to_vec()).to_string().as_bytes()).unwrap();
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    assert!(child.wait().unwrap().success(), "python3 check failed");
    serde_json::from_str::<Vec<Value>>(&out).expect("JSON from python3")
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

fn main() {
    let args = parse_args();
    let path = models::find(&args.model).and_then(|m| m.installed_path()).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let mut model = Model::load(&path).expect("model loads");
    let vocab = Vocabulary::from_tokenizer(model.tokenizer()).expect("vocabulary");

    let tasks: Vec<Value> = std::fs::read_to_string(&args.mbpp)
        .expect("read MBPP")
        .lines()
        .map(|l| serde_json::from_str(l).expect("MBPP JSON line"))
        .filter(|t: &Value| t["task_id"].as_u64().is_some_and(|id| id >= 11))
        .filter(|t: &Value| t["test_list"][0].as_str().and_then(function_name).is_some())
        .take(args.n)
        .collect();

    let mut records = Vec::new();
    let mut mask_times: Vec<Duration> = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        let test = task["test_list"][0].as_str().unwrap();
        let name = function_name(test).unwrap();
        let prompt = format!(
            "{}\nWrite a Python function named `{name}`. Your code should pass this test:\n{test}\nReply with only the code.",
            task["text"].as_str().unwrap()
        );
        for constrained in [false, true] {
            let request = GenerateRequest {
                prompt: Prompt::Messages(vec![ChatMessage::user(prompt.clone())]),
                max_tokens: args.max_tokens,
                temperature: args.temperature,
                top_p: 1.0,
                seed: args.seed + i as u64,
                stop: Vec::new(),
                ignore_eos: false,
            };
            let mut constraint = if constrained {
                Some(GrammarConstraint::python_function(&vocab, Some(&name), args.fenced).expect("grammar"))
            } else {
                None
            };
            let gen = model
                .generate(&request, constraint.as_mut().map(|c| c as &mut dyn TokenConstraint), &mut |_| {})
                .expect("generation");
            if let Some(c) = &constraint {
                mask_times.extend_from_slice(c.mask_times());
            }
            let code =
                if constrained && !args.fenced { gen.text.clone() } else { first_code_block(&gen.text) };
            records.push(json!({
                "task_id": task["task_id"], "name": name, "constrained": constrained,
                "text": gen.text, "code": code, "tokens": gen.tokens.len(),
                "hit_max_tokens": gen.stop_reason == StopReason::MaxTokens,
                "ended": gen.stop_reason == StopReason::EndOfText,
                "secs_per_token": gen.gen_secs / gen.tokens.len().max(1) as f64,
            }));
            eprintln!("task {} constrained={constrained}: {} tokens", task["task_id"], gen.tokens.len());
        }
    }

    // Both the raw text and the extracted code are checked; for constrained outputs they agree.
    let mut items: Vec<Value> =
        records.iter().map(|r| json!({"code": r["code"], "name": r["name"]})).collect();
    items.extend(records.iter().map(|r| json!({"code": r["text"], "name": r["name"]})));
    let checks = python_check(&items);
    let n_rec = records.len();
    for (k, r) in records.iter_mut().enumerate() {
        r["code_check"] = checks[k].clone();
        r["text_check"] = checks[n_rec + k].clone();
    }

    for constrained in [false, true] {
        let rs: Vec<&Value> = records.iter().filter(|r| r["constrained"] == constrained).collect();
        let count = |f: &dyn Fn(&Value) -> bool| rs.iter().filter(|r| f(r)).count();
        let n = rs.len();
        let code_ok = count(&|r| r["code_check"]["parses"] == true);
        let text_ok = count(&|r| r["text_check"]["parses"] == true);
        let defines = count(&|r| r["code_check"]["defines"] == true);
        let maxed = count(&|r| r["hit_max_tokens"] == true);
        let ended = count(&|r| r["ended"] == true);
        let ended_ok = count(&|r| r["ended"] == true && r["code_check"]["parses"] == true);
        let mut spt: Vec<f64> = rs.iter().map(|r| r["secs_per_token"].as_f64().unwrap()).collect();
        spt.sort_by(f64::total_cmp);
        println!(
            "{}: {n} samples; code parses {code_ok}/{n} (invalid {:.0}%), raw text parses {text_ok}/{n}, \
             defines the named function {defines}/{n}, hit max tokens {maxed}/{n}, \
             ended by the model {ended}/{n} (of which parse {ended_ok}), median {:.3} s/token",
            if constrained { "constrained  " } else { "unconstrained" },
            100.0 * (n - code_ok) as f64 / n as f64,
            spt.get(spt.len() / 2).copied().unwrap_or(f64::NAN)
        );
    }
    mask_times.sort();
    println!(
        "mask time per token over {} masks: median {:.0} us, p95 {:.0} us, max {:.0} us",
        mask_times.len(),
        percentile(&mask_times, 0.5),
        percentile(&mask_times, 0.95),
        percentile(&mask_times, 1.0)
    );
    if let Some(out) = args.out {
        let mut f = std::fs::File::create(&out).expect("create --out file");
        for r in &records {
            writeln!(f, "{r}").unwrap();
        }
        println!("samples written to {out}");
    }
}
