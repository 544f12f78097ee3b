//! `quill ask`: a Python function from a sentence, verified by running it; and `quill ask --mbpp`,
//! the MBPP benchmark of the same loop.

use anyhow::{bail, Context, Result};
use quill_ask::{ask, Backend, Effort, HttpBackend, Request};
use quill_lang::Value;
use quill_sandbox::{Limits, Sandbox};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(clap::Args)]
pub struct AskArgs {
    /// What the function must do, in a sentence or more (examples written in it, such as
    /// `>>> f(2)` then `4`, or `f(2) == 4`, are used as tests when no tests are given).
    pub description: Option<String>,
    /// A file of Python `assert` lines the function must pass.
    #[arg(long)]
    pub tests: Option<PathBuf>,
    /// A table of examples (CSV or JSON, as `quill synth --examples`): the last column is the output.
    #[arg(long)]
    pub examples: Option<PathBuf>,
    /// The function's signature, e.g. `def domain(email: str) -> str`.
    #[arg(long)]
    pub signature: Option<String>,
    /// Print the answer as JSON.
    #[arg(long)]
    pub json: bool,
    /// An OpenAI-compatible server instead of the local model, e.g. `http://127.0.0.1:8080/v1`.
    #[arg(long)]
    pub backend: Option<String>,
    /// The local model (see `quill models list`), or the model name sent to `--backend`.
    #[arg(long, default_value = "qwen2.5-coder-0.5b-instruct-q4_k_m")]
    pub model: String,
    /// Proposals per round.
    #[arg(long, default_value_t = 3)]
    pub samples: usize,
    /// Repair rounds after the first when no proposal passes.
    #[arg(long, default_value_t = 2)]
    pub repairs: usize,
    #[arg(long, default_value_t = 0.8)]
    pub temperature: f64,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The most tokens per proposal.
    #[arg(long, default_value_t = 512)]
    pub max_tokens: usize,
    /// Do not constrain decoding to the grammar of a Python function.
    #[arg(long)]
    pub no_constrain: bool,
    /// Run the MBPP benchmark from this file (sanitized JSON or JSONL) instead of one request.
    #[arg(long, conflicts_with_all = ["description", "tests", "examples", "signature"])]
    pub mbpp: Option<PathBuf>,
    /// MBPP: the task ids to run, inclusive (the test split is 11-510).
    #[arg(long, default_value = "11-510")]
    pub ids: String,
    /// MBPP: run only the first N tasks of the range.
    #[arg(long)]
    pub limit: Option<usize>,
    /// MBPP: where results.csv and report.md go.
    #[arg(long, default_value = "results/mbpp")]
    pub out: PathBuf,
}

pub fn run(args: &AskArgs) -> Result<()> {
    let effort = Effort {
        samples: args.samples.max(1),
        repairs: args.repairs,
        temperature: args.temperature,
        seed: args.seed,
        max_tokens: args.max_tokens,
        constrain: !args.no_constrain,
    };
    let sandbox = Sandbox::new(Limits::default()).context("starting the Python sandbox")?;
    let mut backend = backend(args)?;
    if let Some(path) = &args.mbpp {
        return mbpp(args, path, backend.as_mut(), &sandbox, &effort);
    }
    let Some(description) = &args.description else { bail!("give a description (or --mbpp FILE)") };
    let mut tests = match &args.tests {
        Some(p) => read_tests(p)?,
        None => Vec::new(),
    };
    if let Some(p) = &args.examples {
        let name = args
            .signature
            .as_deref()
            .and_then(|s| s.trim().strip_prefix("def "))
            .and_then(|s| s.split('(').next())
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .context("--examples needs --signature to name the function")?;
        tests.extend(example_asserts(p, name)?);
    }
    let req = Request {
        description: description.clone(),
        tests,
        signature: args.signature.clone(),
        preamble: String::new(),
    };
    let answer = ask(backend.as_mut(), &sandbox, &req, &effort)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(());
    }
    print!("{}", answer.code);
    if !answer.code.ends_with('\n') {
        println!();
    }
    let verdict = match answer.status {
        quill_ask::Status::Verified => {
            format!("verified: passed {}/{} tests ({})", answer.passed, answer.total, answer.tests_from)
        }
        quill_ask::Status::Unverified if answer.total > 0 => {
            format!(
                "unverified: no tests given; passed {}/{} tests the model wrote",
                answer.passed, answer.total
            )
        }
        quill_ask::Status::Unverified => "unverified: no tests given or found".to_string(),
        quill_ask::Status::Failed => {
            format!("failed: the best proposal passed {}/{} tests", answer.passed, answer.total)
        }
    };
    let tokens: usize = answer.attempts.iter().map(|a| a.tokens).sum();
    eprintln!(
        "quill: {verdict}; {} proposals, {tokens} tokens, {:.1}s ({})",
        answer.attempts.len(),
        answer.secs,
        answer.backend
    );
    Ok(())
}

fn backend(args: &AskArgs) -> Result<Box<dyn Backend>> {
    if let Some(url) = &args.backend {
        return Ok(Box::new(HttpBackend::new(url, &args.model, Duration::from_secs(600))));
    }
    let spec = quill_llm::models::find(&args.model)?;
    let path = spec.installed_path().with_context(|| {
        format!(
            "model `{}` is not installed: run `quill models install {}` (or scripts/setup.sh)",
            spec.name, spec.name
        )
    })?;
    eprintln!("quill: loading {}", path.display());
    Ok(Box::new(quill_ask::LocalBackend::load(&path, spec.name)?))
}

fn read_tests(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let tests: Vec<String> =
        text.lines().map(str::trim).filter(|l| l.starts_with("assert")).map(str::to_string).collect();
    if tests.is_empty() {
        bail!("{}: no `assert` lines", path.display());
    }
    Ok(tests)
}

/// `assert NAME(in1, ..) == out` per example row.
fn example_asserts(path: &Path, name: &str) -> Result<Vec<String>> {
    let problem = crate::examples::load(path, false)?;
    let examples = problem.examples().context("the table's rows are not examples")?;
    Ok(examples
        .iter()
        .map(|e| {
            let args: Vec<String> = e.inputs.iter().map(py_literal).collect();
            format!("assert {name}({}) == {}", args.join(", "), py_literal(&e.output))
        })
        .collect())
}

/// A Python literal for a value (JSON string syntax is valid Python for strings).
fn py_literal(v: &Value) -> String {
    match v {
        Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Str(s) => serde_json::to_string(&s.chars().iter().collect::<String>()).unwrap_or_default(),
        other => other.to_string(),
    }
}

fn mbpp(
    args: &AskArgs,
    path: &Path,
    backend: &mut dyn Backend,
    sandbox: &Sandbox,
    effort: &Effort,
) -> Result<()> {
    let (lo, hi) = args
        .ids
        .split_once('-')
        .and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?)))
        .context("--ids must be a range like 11-510")?;
    let mut tasks: Vec<_> =
        quill_ask::mbpp::load(path)?.into_iter().filter(|t| (lo..=hi).contains(&t.task_id)).collect();
    tasks.sort_by_key(|t| t.task_id);
    if let Some(n) = args.limit {
        tasks.truncate(n);
    }
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    let csv = args.out.join("results.csv");
    if csv.exists() {
        std::fs::remove_file(&csv)?;
    }
    let bar = indicatif::ProgressBar::new(tasks.len() as u64 * 2);
    bar.set_style(indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} tasks·modes, ETA {eta} {msg}",
    )?);
    let mut rows = Vec::new();
    for t in &tasks {
        for mode in ["bare", "loop"] {
            let row = quill_ask::mbpp::run_task(backend, sandbox, t, mode, effort)?;
            quill_ask::mbpp::append_csv(&csv, &row)?;
            rows.push(row);
            let passed = |m: &str| rows.iter().filter(|r| r.mode == m && r.passed).count();
            bar.set_message(format!("bare {} loop {}", passed("bare"), passed("loop")));
            bar.inc(1);
        }
    }
    bar.finish();
    let mut report = std::fs::File::create(args.out.join("report.md"))?;
    writeln!(
        report,
        "# MBPP with `quill ask`\n\n- Command: `{}`\n- Backend: {} ({})\n- Tasks: {} (ids {lo}-{hi} of {}{})\n\n{}",
        std::env::args().collect::<Vec<_>>().join(" "),
        backend.describe(),
        backend.notes(),
        tasks.len(),
        path.display(),
        args.limit.map(|n| format!(", first {n}")).unwrap_or_default(),
        quill_ask::mbpp::summary(&rows)
    )?;
    print!("{}", quill_ask::mbpp::summary(&rows));
    Ok(())
}
