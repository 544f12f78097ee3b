//! `quill synth`: solve one problem and print the answer as SyGuS-Comp solvers do.

use anyhow::{bail, Context, Result};
use quill::{Config, Problem};
use quill_lang::resolve::{var, Scope};
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args)]
pub struct SynthArgs {
    /// A SyGuS-IF file (version 2.1, or version 1).
    pub file: Option<PathBuf>,
    /// A table of examples instead of a SyGuS file: CSV with a header row, or JSON rows; the last
    /// column is the output, the others are the inputs.
    #[arg(long, conflicts_with = "file")]
    pub examples: Option<PathBuf>,
    /// With --examples: rows whose output cell is empty are inputs to fill in, not examples. Quill
    /// prefers a program that works on them (one that fails or gives nothing there is likely
    /// fitted to the examples alone) and prints the filled rows after the program.
    #[arg(long, requires = "examples")]
    pub fill: bool,
    /// Inputs without outputs (a CSV with a header row, or a JSON array of rows, one cell per
    /// parameter), used as --fill uses blank rows: to prefer a program that works on them.
    #[arg(long, value_name = "FILE")]
    pub inputs: Option<PathBuf>,
    /// Time limit in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub timeout: f64,
    /// How many distinct answers to print (best first).
    #[arg(long, default_value_t = 1)]
    pub top: usize,
    /// Memory limit for the search, in MiB.
    #[arg(long, default_value_t = 4096)]
    pub memory: usize,
    /// A partial program whose holes `(? Sort)` the answer must fill, e.g.
    /// `(str.++ (? String) " " (? String))`.
    #[arg(long)]
    pub sketch: Option<String>,
    /// Print search statistics to standard error.
    #[arg(long, short)]
    pub verbose: bool,
    /// The trained model that guides example-based search and ranks its answers (a directory
    /// with `config.json` and `model.safetensors`) [default: $QUILL_MODEL, else the model shipped
    /// in the source tree, `models/quill-strings`].
    #[arg(long, value_name = "DIR", conflicts_with = "no_model")]
    pub model: Option<PathBuf>,
    /// Search without the model (the symbolic search alone; for ablations).
    #[arg(long)]
    pub no_model: bool,
    /// How the programs that fit are ranked: by the model's total log-likelihood, by its mean per
    /// token (which does not favour short programs), or smallest first with the likelihood choosing
    /// among programs of one size (Occam's razor first; measured side by side it generalized
    /// better on BUSTLE and worse on PROSE, a tie overall).
    #[arg(long, value_enum, default_value_t = Rank::Total)]
    pub rank: Rank,
}

/// The ranking rule of `--rank`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Rank {
    Total,
    PerToken,
    SizeFirst,
    /// The linear ranker fitted by `quill rank fit` (`ranker.json` beside the model) on features
    /// of each program: the likelihood, its literals and positions, how it behaves on varied inputs.
    Learned,
}

pub fn run(args: &SynthArgs) -> Result<()> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    let (mut problem, from_table) = match (&args.file, &args.examples) {
        (Some(f), None) => (quill_sygus::parse_file(f)?, false),
        (None, Some(t)) => (crate::examples::load(t, args.fill)?, true),
        _ => bail!("give a SyGuS file or --examples FILE"),
    };
    if let Some(path) = &args.inputs {
        let Some(f) = problem.synth_funs.first().filter(|_| problem.examples().is_some()) else {
            bail!("--inputs needs a problem given by examples");
        };
        let sorts: Vec<_> = f.params.iter().map(|(_, s)| *s).collect();
        problem.unlabeled.extend(crate::examples::load_inputs(path, &sorts)?);
    }
    let sketch = match &args.sketch {
        Some(text) => Some(parse_sketch(&problem, text)?),
        None => None,
    };
    let config = Config {
        timeout: Duration::from_secs_f64(args.timeout),
        max_memory: args.memory << 20,
        top_k: args.top.max(1),
        ..Config::default()
    };
    // Logical specifications are verified by z3; example-based ones need no solver.
    let mut verifier = match problem.examples() {
        Some(_) => None,
        None => match quill_smt::Verifier::new(quill_smt::VerifierConfig {
            timeout: config.timeout,
            ..Default::default()
        }) {
            Ok(smt) => Some(quill_smt::SpecVerifier::new(&problem, smt, 0)),
            Err(e) => {
                eprintln!("quill: {e}");
                crate::output::line("fail");
                return Ok(());
            }
        },
    };
    // Only example-based problems use the model, so the others never pay for loading it.
    let guide = match problem.examples() {
        Some(_) if !args.no_model => crate::guide::load(args.model.as_deref(), args.rank, args.verbose)?,
        _ => None,
    };
    let solution = match quill::solve_ranked(
        &problem,
        &config,
        sketch.as_ref(),
        verifier.as_mut().map(|v| v as &mut dyn quill::Verifier),
        guide.as_ref().map(|(g, _)| g as &dyn quill::Guide),
        guide.as_ref().and_then(|(_, r)| r.as_ref()),
    ) {
        Ok(s) => s,
        Err(e) => {
            // The problem is well-formed but outside what Quill can attempt: give up as solvers do.
            eprintln!("quill: {e}");
            crate::output::line("fail");
            return Ok(());
        }
    };
    if let (true, Some(v)) = (args.verbose, &verifier) {
        eprintln!("; verifier: {}", v.stats());
    }
    if args.verbose {
        let s = &solution.stats;
        eprintln!(
            "; {} after {:.3}s: {} candidates, {} kept, cost {} reached, bank {} KiB",
            solution.stop,
            s.elapsed.as_secs_f64(),
            s.candidates,
            s.kept,
            s.cost_reached,
            s.bank_bytes >> 10
        );
    }
    if let Some(g) = &solution.guidance {
        crate::guide::report(g, args.verbose);
    }
    if solution.infeasible() {
        crate::output::line("infeasible");
    } else if solution.answers.is_empty() {
        // Say why when the problem is outside what Quill handles, as opposed to a budget running out.
        if let quill::StopReason::Unsupported(why) = &solution.stop {
            eprintln!("quill: {why}");
        }
        crate::output::line("fail");
    } else {
        for (i, defs) in solution.answers.iter().enumerate() {
            if i > 0 {
                crate::output::line("");
            }
            crate::output::line(&quill_sygus::format_answer(defs));
            if from_table {
                for d in defs {
                    crate::output::line(&format!("\n{}", quill_python::function(d)));
                }
            }
        }
        if args.fill {
            print_filled(&problem, &solution.answers[0]);
        }
    }
    Ok(())
}

/// Prints the rows `--fill` left blank with the first answer's outputs, as CSV under a comment
/// line (a cell the program cannot compute stays empty).
fn print_filled(problem: &Problem, defs: &[quill_lang::FunDef]) {
    let Some(f) = defs.first() else { return };
    crate::output::line(&format!("\n# {} filled rows", problem.unlabeled.len()));
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in &problem.unlabeled {
        let out = quill_eval::eval(&f.body, row).map(|v| text(&v)).unwrap_or_default();
        let cells: Vec<String> = row.iter().map(text).chain([out]).collect();
        // Writing to memory does not fail.
        let _ = w.write_record(&cells);
    }
    let bytes = w.into_inner().unwrap_or_default();
    crate::output::line(String::from_utf8_lossy(&bytes).trim_end());
}

/// A value as a table cell: strings without SyGuS quotes.
fn text(v: &quill_lang::Value) -> String {
    match v {
        quill_lang::Value::Str(s) => s.to_rust_string(),
        other => other.to_string(),
    }
}

fn parse_sketch(problem: &Problem, text: &str) -> Result<quill_lang::Term> {
    let f = problem.synth_funs.first().context("the problem has no function to synthesize")?;
    let mut scope = Scope::default();
    for (i, (name, sort)) in f.params.iter().enumerate() {
        scope.vars.push((name.to_string(), var(i, name, *sort)));
    }
    for d in &problem.defined {
        scope.funcs.insert(d.name.to_string(), quill_lang::Func::Defined(d.clone()));
    }
    let e = quill_lang::sexpr::read_one(text).map_err(|e| anyhow::anyhow!("--sketch {e}"))?;
    scope.term(&e).map_err(|e| anyhow::anyhow!("--sketch {e}"))
}
