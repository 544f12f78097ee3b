//! `quill data`: generate synthetic training tasks (`gen`), and compare the operators of a data set
//! with those of known benchmark solutions (`coverage`).

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use quill_data::{DomainKind, GenConfig};
use quill_lang::Term;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct DataArgs {
    #[command(subcommand)]
    pub command: DataCommand,
}

#[derive(clap::Subcommand)]
pub enum DataCommand {
    /// Sample random programs, run them on realistic inputs and save the non-trivial, distinct
    /// ones as sharded JSON lines with a manifest. The same seed and settings give the same files.
    Gen(GenArgs),
    /// Report which operators of known benchmark solutions (a `quill bench` results.csv) occur in a
    /// generated data set.
    Coverage(CoverageArgs),
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Domain {
    Strings,
    Bv,
}

#[derive(clap::Args)]
pub struct GenArgs {
    /// Output directory (created; shard files already in it are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Number of tasks to keep.
    #[arg(long)]
    pub tasks: usize,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Tasks per shard file.
    #[arg(long, default_value_t = 10_000)]
    pub shard_size: usize,
    #[arg(long, value_enum, default_value = "strings")]
    pub domain: Domain,
    /// Examples per task.
    #[arg(long, default_value_t = 8)]
    pub examples: usize,
    /// Largest program size (nodes).
    #[arg(long, default_value_t = 30)]
    pub max_size: usize,
}

#[derive(clap::Args)]
pub struct CoverageArgs {
    /// A generated data set (directory of shards).
    #[arg(long)]
    pub data: PathBuf,
    /// A `quill bench` results.csv with an `answer` column.
    #[arg(long)]
    pub answers: PathBuf,
    /// Which suite of the CSV to read.
    #[arg(long, default_value = "pbe_slia")]
    pub suite: String,
}

pub fn run(args: &DataArgs) -> Result<()> {
    match &args.command {
        DataCommand::Gen(g) => gen(g),
        DataCommand::Coverage(c) => coverage(c),
    }
}

fn gen(args: &GenArgs) -> Result<()> {
    if args.tasks == 0 || args.examples < 2 || args.shard_size == 0 {
        bail!("--tasks and --shard-size must be positive and --examples at least 2");
    }
    let cfg = GenConfig {
        tasks: args.tasks,
        seed: args.seed,
        domain: match args.domain {
            Domain::Strings => DomainKind::Strings,
            Domain::Bv => DomainKind::Bv,
        },
        examples: args.examples,
        max_size: args.max_size,
        shard_size: args.shard_size,
    };
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let bar = ProgressBar::new(args.tasks as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} tasks {msg} [{elapsed_precise}, eta {eta}]")
            .context("progress bar template")?,
    );
    let start = Instant::now();
    let manifest = quill_data::write_dataset(&args.out, &cfg, &command, |s| {
        bar.set_position(s.kept);
        bar.set_message(format!("({} sampled)", s.attempts));
    })?;
    bar.finish_and_clear();
    let secs = start.elapsed().as_secs_f64();
    let s = &manifest.stats;
    eprintln!(
        "kept {} of {} sampled programs in {:.1} s ({:.0} tasks/s); {} shard(s) in {}",
        s.kept,
        s.attempts,
        secs,
        s.kept as f64 / secs.max(1e-9),
        manifest.shards.len(),
        args.out.display()
    );
    let rejected: Vec<String> = s.rejected.iter().map(|(k, v)| format!("{k} {v}")).collect();
    eprintln!("rejected: {}", rejected.join(", "));
    if s.exhausted {
        eprintln!("stopped early: too few distinct programs for these settings");
    }
    Ok(())
}

fn coverage(args: &CoverageArgs) -> Result<()> {
    let tasks = quill_data::read_shards(&args.data)?;
    let mut have: BTreeMap<String, u64> = BTreeMap::new();
    let mut have_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for t in &tasks {
        let term = t.parse_program()?;
        for op in quill_data::term_ops(&term) {
            *have.entry(op).or_default() += 1;
        }
        pairs(&term, &mut have_pairs);
    }
    let mut reader = csv::Reader::from_path(&args.answers)
        .with_context(|| format!("reading {}", args.answers.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(suite), Some(answer)) = (col("suite"), col("answer")) else {
        bail!("{}: expected columns `suite` and `answer`", args.answers.display());
    };
    // Occurrences of each operator over the distinct solutions of the suite.
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    let mut want_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    let (mut read, mut unreadable) = (0, 0);
    let mut seen = std::collections::HashSet::new();
    for row in reader.records() {
        let row = row?;
        let text = row.get(answer).unwrap_or("").trim();
        if row.get(suite) != Some(args.suite.as_str()) || text.is_empty() || !seen.insert(text.to_string()) {
            continue;
        }
        match solution(text) {
            Some(term) => {
                read += 1;
                for op in quill_data::term_ops(&term) {
                    *want.entry(op).or_default() += 1;
                }
                pairs(&term, &mut want_pairs);
            }
            None => unreadable += 1,
        }
    }
    let covered: Vec<&String> = want.keys().filter(|op| have.contains_key(*op)).collect();
    let missing: Vec<&String> = want.keys().filter(|op| !have.contains_key(*op)).collect();
    let weight: u64 = want.values().sum();
    let weight_covered: u64 = want.iter().filter(|(op, _)| have.contains_key(*op)).map(|(_, n)| n).sum();
    println!(
        "{}: {} of {} operators used by {} distinct known solutions ({} unreadable) occur in {} tasks of {} \
         ({:.1}% of solutions' operator uses); missing: {}",
        args.suite,
        covered.len(),
        want.len(),
        read,
        unreadable,
        tasks.len(),
        args.data.display(),
        100.0 * weight_covered as f64 / weight.max(1) as f64,
        if missing.is_empty() { "none".to_string() } else { format!("{missing:?}") }
    );
    let missing_pairs: Vec<String> =
        want_pairs.difference(&have_pairs).map(|(p, c)| format!("{p}>{c}")).collect();
    println!(
        "{}: {} of {} parent>argument operator pairs of those solutions occur in the data; missing: {}",
        args.suite,
        want_pairs.len() - missing_pairs.len(),
        want_pairs.len(),
        if missing_pairs.is_empty() { "none".to_string() } else { missing_pairs.join(" ") }
    );
    Ok(())
}

/// The body of one `(define-fun ...)` answer, read with the SyGuS front end (the PBE bit-vector
/// helpers are defined first so that answers calling them read).
fn solution(answer: &str) -> Option<Term> {
    let text = format!(
        "(set-logic ALL)\n{}\n(synth-fun quill_unused ((x Int)) Int)\n{answer}\n",
        quill_data::sample::bv::PRELUDE
    );
    let problem = quill_sygus::parse(&text, "answer").ok()?;
    problem.defined.last().map(|d| d.body.clone())
}

/// Every (operator, argument kind) pair of a term: the argument's operator, or `var` / `const`.
fn pairs(t: &Term, out: &mut BTreeSet<(String, String)>) {
    let name = |t: &Term| match t {
        Term::App(f, _) => f.name(),
        Term::Var(_) => "var".to_string(),
        _ => "const".to_string(),
    };
    if let Term::App(_, args) = t {
        for a in args {
            out.insert((name(t), name(a)));
            pairs(a, out);
        }
    }
}
