//! `quill rank`: learning from execution which of the programs that fit a few examples is the
//! general one. `gather` shows the guided solver 1 to 3 examples of each synthetic task, keeps
//! every program that fits them with its ranking features, and labels each by whether it is right
//! on the task's other examples; `fit` fits the linear ranker on those pools and says, on pools
//! it did not see, how often it puts a right program first compared with the likelihood rule.

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use quill::rank::{self, Features, Group, Ranker, FEATURES};
use quill_lang::grammar::case_changes;
use quill_lang::{Grammar, Sort, Symbol, Value};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct RankArgs {
    #[command(subcommand)]
    pub command: RankCommand,
}

#[derive(clap::Subcommand)]
pub enum RankCommand {
    /// Solve synthetic tasks from a few of their examples and save every program that fit, with
    /// its features and whether it was right on the other examples (JSON lines).
    Gather(GatherArgs),
    /// Fit the ranker on gathered pools, report how often it ranks a right program first on
    /// pools it was not fitted on, and write it (`ranker.json` beside a model).
    Fit(FitArgs),
}

#[derive(clap::Args)]
pub struct GatherArgs {
    /// A generated data set (`quill data gen`); use another seed than the model's training data,
    /// so that the likelihood feature is measured on tasks the model has not seen.
    #[arg(long, required_unless_present = "suite", conflicts_with = "suite")]
    pub data: Option<PathBuf>,
    /// A benchmark suite instead (as `quill bench` reads it: BUSTLE JSON, PROSE JSON lines, a
    /// SyGuS folder), with its held-out examples as labels. For measuring a ranker, or for
    /// fitting one on one suite to test on another; never fit on the suite you report.
    #[arg(long)]
    pub suite: Option<PathBuf>,
    /// With --suite: how many training examples to hold out per task, as `quill bench --holdout`.
    #[arg(long, default_value_t = 0)]
    pub holdout: usize,
    /// The model that guides the solver [default: the shipped one].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Output file (JSON lines; appended to, so that an interrupted run keeps its pools).
    #[arg(long)]
    pub out: PathBuf,
    /// How many string tasks to solve.
    #[arg(long, default_value_t = 1000)]
    pub tasks: usize,
    /// Skip this many string tasks first (to split the work between processes).
    #[arg(long, default_value_t = 0)]
    pub skip: usize,
    /// Time limit per task, in seconds.
    #[arg(long, default_value_t = 3.0)]
    pub timeout: f64,
    /// Only tasks whose program has at most this many nodes: benchmark answers are mostly small,
    /// and larger random programs are rarely found from a few examples, so their pools hold no
    /// right candidate to learn from.
    #[arg(long, default_value_t = 16)]
    pub max_size: usize,
}

#[derive(clap::Args)]
pub struct FitArgs {
    /// Files written by `quill rank gather`.
    #[arg(required = true)]
    pub pools: Vec<PathBuf>,
    /// Where to write the ranker (JSON).
    #[arg(long)]
    pub out: PathBuf,
    /// Every n-th pool is held out to measure the fitted ranker.
    #[arg(long, default_value_t = 5)]
    pub holdout_every: usize,
    #[arg(long, default_value_t = 1e-3)]
    pub l2: f64,
    #[arg(long, default_value_t = 1500)]
    pub iterations: usize,
    /// Pools (of another suite, say) only to measure the fitted ranker on, never fitted on.
    #[arg(long)]
    pub test: Vec<PathBuf>,
}

/// One gathered pool, as saved.
#[derive(Serialize, Deserialize)]
struct PoolLine {
    id: String,
    /// How many examples the solver was shown.
    shown: usize,
    held_out: usize,
    /// The program the task was generated from.
    truth: String,
    candidates: Vec<PoolCandidate>,
}

#[derive(Serialize, Deserialize)]
struct PoolCandidate {
    program: String,
    features: Features,
    correct: bool,
}

pub fn run(args: &RankArgs) -> Result<()> {
    match &args.command {
        RankCommand::Gather(g) => gather(g),
        RankCommand::Fit(f) => fit(f),
    }
}

/// How many examples of task number `i` the solver sees: 1, 2 or 3, as benchmarks and users give.
fn shown_for(i: usize) -> usize {
    // A SplitMix64 finalizer, so that the count does not follow the data's own order.
    let mut z = (i as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    1 + ((z ^ (z >> 31)) % 3) as usize
}

fn gather(args: &GatherArgs) -> Result<()> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    let Some((guide, _)) = crate::guide::load(args.model.as_deref(), crate::synth::Rank::Total, false)?
    else {
        bail!("`quill rank gather` needs a model (the likelihood is one of the ranker's features)");
    };
    let jobs = match (&args.data, &args.suite) {
        (Some(data), _) => synthetic_jobs(args, data)?,
        (None, Some(suite)) => suite_jobs(args, suite)?,
        (None, None) => bail!("give --data or --suite"),
    };
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args.out)
        .with_context(|| format!("opening {}", args.out.display()))?;
    let config = quill::Config { timeout: Duration::from_secs_f64(args.timeout), ..quill::Config::default() };
    let bar = ProgressBar::new(jobs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} tasks {msg} [{elapsed_precise}, eta {eta}]")
            .context("progress bar template")?,
    );
    let started = Instant::now();
    let (mut pools, mut informative, mut likelihood_right, mut any_right) = (0, 0, 0, 0);
    for job in jobs {
        bar.inc(1);
        let Job { id, truth, task, held } = job;
        let Some(pool) = quill::candidate_pool(&task, &config, &guide) else { continue };
        if pool.is_empty() {
            continue;
        }
        let candidates: Vec<PoolCandidate> = pool
            .into_iter()
            .map(|(term, features)| PoolCandidate {
                correct: held.iter().all(|e| quill_search::fits(&term, e)),
                program: term.to_string(),
                features,
            })
            .collect();
        let group = Group {
            features: candidates.iter().map(|c| c.features).collect(),
            correct: candidates.iter().map(|c| c.correct).collect(),
        };
        pools += 1;
        informative += usize::from(group.informative());
        likelihood_right += usize::from(rank::top1(&group, likelihood_rule));
        any_right += usize::from(group.correct.iter().any(|&c| c));
        let line = PoolLine { id, shown: task.examples.len(), held_out: held.len(), truth, candidates };
        writeln!(out, "{}", serde_json::to_string(&line)?).context("writing a pool")?;
        bar.set_message(format!(
            "({pools} pools, likelihood right on {likelihood_right}, some candidate on {any_right})"
        ));
    }
    bar.finish_and_clear();
    eprintln!(
        "{pools} pools in {:.0} s: {informative} informative (right and wrong candidates); the default rule is right on {likelihood_right}, some candidate on {any_right}",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One task to gather a pool on: what the solver sees and the examples that label its candidates.
struct Job {
    id: String,
    truth: String,
    task: quill_search::Task,
    held: Vec<quill_search::Example>,
}

/// String tasks of a generated data set, each shown 1 to 3 of its examples.
fn synthetic_jobs(args: &GatherArgs, data: &std::path::Path) -> Result<Vec<Job>> {
    let tasks = quill_data::read_shards(data).with_context(|| format!("reading {}", data.display()))?;
    let mut jobs = Vec::new();
    let chosen = tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            t.domain == "strings" && t.ret == "String" && t.examples.len() >= 4 && t.size <= args.max_size
        })
        .skip(args.skip)
        .take(args.tasks);
    for (i, t) in chosen {
        match split(t, shown_for(i)) {
            Ok((task, held)) => jobs.push(Job { id: t.id.clone(), truth: t.program.clone(), task, held }),
            Err(e) => eprintln!("skipping {}: {e}", t.id),
        }
    }
    Ok(jobs)
}

/// The tasks of a benchmark suite with held-out examples, prepared as `quill bench` prepares them.
fn suite_jobs(args: &GatherArgs, path: &std::path::Path) -> Result<Vec<Job>> {
    let suite = quill_bench::suite::load_suite(path)?;
    let work = std::env::temp_dir().join(format!("quill-rank-{}", std::process::id()));
    let mut jobs = Vec::new();
    for t in suite.tasks.iter().skip(args.skip).take(args.tasks) {
        let prepared = quill_bench::prepare::prepare(t, &suite.name, &work, args.holdout, 0, false)
            .map_err(|e| anyhow::anyhow!("{}: {e}", t.name))?;
        let Ok(problem) = prepared.problem else { continue };
        let (Some(examples), [f]) = (problem.examples(), problem.synth_funs.as_slice()) else { continue };
        if prepared.heldout.is_empty() || prepared.contradictory {
            continue;
        }
        let ex = |e: quill_sygus::Example| quill_search::Example { inputs: e.inputs, output: e.output };
        let task = quill_search::Task {
            params: f.params.clone(),
            ret: f.ret,
            grammar: f.grammar.clone(),
            examples: examples.into_iter().map(ex).collect(),
            sketch: None,
        };
        jobs.push(Job {
            id: t.name.clone(),
            truth: String::new(),
            task,
            held: prepared.heldout.into_iter().map(ex).collect(),
        });
    }
    let _ = std::fs::remove_dir_all(&work);
    Ok(jobs)
}

/// The solver's task from the first `shown` examples of a synthetic task, and the rest held out.
fn split(t: &quill_data::Task, shown: usize) -> Result<(quill_search::Task, Vec<quill_search::Example>)> {
    let sorts = t.param_sorts()?;
    let ret = t.ret_sort()?;
    let params: Vec<(Symbol, Sort)> =
        t.params.iter().zip(sorts).map(|((n, _), s)| (Symbol::from(n.as_str()), s)).collect();
    let examples: Vec<quill_search::Example> = t
        .example_values()?
        .into_iter()
        .map(|(inputs, output)| quill_search::Example { inputs, output })
        .collect();
    let (shown_ex, held) = examples.split_at(shown.min(examples.len() - 1));
    let text = |v: &Value| match v {
        Value::Str(s) => s.to_rust_string(),
        other => other.to_string(),
    };
    let rows: Vec<(Vec<String>, String)> =
        shown_ex.iter().map(|e| (e.inputs.iter().map(text).collect(), text(&e.output))).collect();
    let case = case_changes(rows.iter().map(|(i, o)| (i.as_slice(), o.as_str())));
    let grammar = Grammar::for_examples(&params, ret, case);
    let task = quill_search::Task { params, ret, grammar, examples: shown_ex.to_vec(), sketch: None };
    Ok((task, held.to_vec()))
}

fn group(p: &PoolLine) -> Group {
    Group {
        features: p.candidates.iter().map(|c| c.features).collect(),
        correct: p.candidates.iter().map(|c| c.correct).collect(),
    }
}

fn read_pools(paths: &[PathBuf]) -> Result<Vec<PoolLine>> {
    let mut lines = Vec::new();
    for path in paths {
        let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("reading {}", path.display()))?;
            let pool: PoolLine = serde_json::from_str(&line).with_context(|| {
                format!("{}:{}: not a pool written by `quill rank gather`", path.display(), n + 1)
            })?;
            lines.push(pool);
        }
    }
    Ok(lines)
}

/// How often each rule puts a right candidate first on `pools` (all, then by examples shown),
/// printed and returned as text.
fn measure(what: &str, pools: &[Shown], weights: &[f64]) -> String {
    let learned = |_: usize, f: &Features| f.iter().zip(weights).map(|(x, w)| x * w).sum::<f64>();
    let mut report = String::new();
    for shown in [None, Some(1), Some(2), Some(3)] {
        let gs: Vec<&Group> =
            pools.iter().filter(|(s, _)| shown.is_none_or(|k| *s == k)).map(|(_, g)| g).collect();
        if gs.is_empty() {
            continue;
        }
        let count =
            |rule: &dyn Fn(usize, &Features) -> f64| gs.iter().filter(|g| rank::top1(g, rule)).count();
        let line = format!(
            "{what}{}: {} ; right first: learned {}, default {}, size first {}, some candidate {}",
            shown.map_or(String::new(), |k| format!(" shown {k}")),
            gs.len(),
            count(&learned),
            count(&likelihood_rule),
            count(&size_first_rule),
            gs.iter().filter(|g| g.correct.iter().any(|&c| c)).count(),
        );
        eprintln!("{line}");
        report.push_str(&line);
        report.push('\n');
    }
    report
}

/// The solver's rule without a ranker: programs that ignore their inputs last, then those that
/// miss more carried examples, then likelihood. (A miss share is at least 1/24, so 1e6 of it
/// outweighs any likelihood difference, which is floored at -50.)
fn likelihood_rule(_: usize, f: &Features) -> f64 {
    -1e9 * f[rank::IGNORES_INPUTS] - 1e6 * f[rank::MISSES_CARRIED] + f[rank::LOGLIK_REL]
}

/// As [`likelihood_rule`], with smaller programs first before the likelihood (`--rank size-first`).
fn size_first_rule(_: usize, f: &Features) -> f64 {
    -1e12 * f[rank::IGNORES_INPUTS] - 1e9 * f[rank::MISSES_CARRIED] - 1e3 * f[rank::SIZE_REL]
        + f[rank::LOGLIK_REL]
}

/// A pool's group with the number of examples its task showed, for per-count reports.
type Shown = (usize, Group);

fn fit(args: &FitArgs) -> Result<()> {
    if args.holdout_every < 2 {
        bail!("--holdout-every must be at least 2");
    }
    let lines = read_pools(&args.pools)?;
    if lines.is_empty() {
        bail!("no pools in the given files");
    }
    let (mut train, mut val): (Vec<Shown>, Vec<Shown>) = (Vec::new(), Vec::new());
    for (i, p) in lines.iter().enumerate() {
        let g = (p.shown, group(p));
        if i % args.holdout_every == args.holdout_every - 1 {
            val.push(g);
        } else {
            train.push(g);
        }
    }
    let started = Instant::now();
    let groups: Vec<Group> = train.iter().map(|(_, g)| g.clone()).collect();
    let weights = rank::fit(&groups, args.l2, args.iterations);
    eprintln!(
        "fitted on {} pools ({} informative) in {:.1} s",
        groups.len(),
        groups.iter().filter(|g| g.informative()).count(),
        started.elapsed().as_secs_f64()
    );
    let mut report = measure("held-out pools", &val, &weights);
    if !args.test.is_empty() {
        let test: Vec<Shown> = read_pools(&args.test)?.iter().map(|p| (p.shown, group(p))).collect();
        report.push_str(&measure("test pools", &test, &weights));
    }
    for (name, w) in FEATURES.iter().zip(&weights) {
        eprintln!("  {name:22} {w:+.4}");
    }
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let ranker = Ranker {
        features: FEATURES.iter().map(|s| s.to_string()).collect(),
        weights,
        note: format!("{command}\n{report}"),
    };
    std::fs::write(&args.out, ranker.to_json() + "\n")
        .with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!("wrote {}", args.out.display());
    Ok(())
}
