//! `quill bench`: runs Quill and other SyGuS solvers side by side on benchmark suites, checks every
//! answer independently, and writes a report with tables and plots.
//!
//! The flow: each suite path is recognised and loaded ([`suite`]); each task becomes a SyGuS-IF file
//! in the run's folder ([`prepare`], [`pbe`]), with held-out examples kept aside ([`holdout`]); the
//! solvers run on it one after the other as child processes with the same limits ([`proc`],
//! [`solver`]); each answer is re-read ([`answer`]) and checked by Quill's evaluator ([`check`]) and by
//! z3 ([`z3`]); rows go to `results.csv` as they come ([`results`]); at the end (or on Ctrl-C)
//! `report.md` and the SVG plots are written ([`report`], [`svg`]).
//!
//! Nothing here hard-codes where the suites are: they are arguments.

pub mod answer;
pub mod check;
pub mod error;
pub mod holdout;
pub mod machine;
pub mod pbe;
pub mod prepare;
pub mod proc;
pub mod report;
pub mod results;
mod runner;
pub mod solver;
pub mod suite;
pub mod svg;
pub mod z3;

pub use error::BenchError;
pub use results::{ResultRow, Status};
pub use solver::Competitor;

use std::path::{Path, PathBuf};

/// The settings of `quill bench`.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct BenchArgs {
    /// Suites: a folder of .sl files (searched recursively), the BUSTLE .json file, or the PROSE
    /// .jsonl file.
    #[arg(required = true, value_name = "SUITE")]
    pub suites: Vec<PathBuf>,
    /// Time limit per task and solver, in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECS")]
    pub timeout: f64,
    /// How many tasks run at once.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub jobs: usize,
    /// Other solvers to run on the same files.
    #[arg(long, value_enum, value_name = "SOLVER")]
    pub compare: Vec<Competitor>,
    /// Where the report, results and work files go [default: results/bench-<timestamp>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Run only the first N tasks of each suite (in sorted order).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Seed for choosing held-out examples.
    #[arg(long, default_value_t = 0, value_name = "S")]
    pub seed: u64,
    /// Hide K training examples of each example-based task from the solvers and score answers on them.
    #[arg(long, default_value_t = 0, value_name = "K")]
    pub holdout: usize,
    /// Give Quill the held-out examples' inputs without their outputs (`quill synth --inputs`),
    /// as a spreadsheet user has the rest of a column: a protocol of its own, to be reported as
    /// such, since the answers are then chosen knowing the inputs they are scored on. cvc5 has no
    /// way to take them and sees the examples alone.
    #[arg(long)]
    pub unlabeled: bool,
    /// Run only the --compare solvers (to measure a baseline).
    #[arg(long)]
    pub no_quill: bool,
    /// The cvc5 program.
    #[arg(long, default_value = "cvc5", value_name = "PATH")]
    pub cvc5: PathBuf,
    /// The z3 program used to check answers.
    #[arg(long, default_value = "z3", value_name = "PATH")]
    pub z3: PathBuf,
    /// Check answers with Quill's evaluator only.
    #[arg(long)]
    pub no_z3: bool,
    /// The model Quill runs with (`quill synth --model DIR`) [default: as `quill synth`].
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Also run Quill with another trained model (`quill synth --model DIR`), named `quill@` and the
    /// folder's name in the results: two checkpoints side by side in one run. Repeatable.
    #[arg(long, value_name = "DIR")]
    pub compare_model: Vec<PathBuf>,
}

impl BenchArgs {
    /// Settings with the defaults of the command line, for `suites`.
    pub fn new(suites: Vec<PathBuf>) -> BenchArgs {
        BenchArgs {
            suites,
            timeout: 10.0,
            jobs: 1,
            compare: Vec::new(),
            out: None,
            limit: None,
            seed: 0,
            holdout: 0,
            unlabeled: false,
            no_quill: false,
            cvc5: "cvc5".into(),
            z3: "z3".into(),
            no_z3: false,
            model: None,
            compare_model: Vec::new(),
        }
    }
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The folder with `report.md`, `results.csv`, the plots and the work files.
    pub out_dir: PathBuf,
    /// Every result, in the order the tasks finished.
    pub rows: Vec<ResultRow>,
    /// Whether Ctrl-C cut the run short.
    pub interrupted: bool,
}

impl Summary {
    /// How many tasks `solver` solved.
    pub fn solved(&self, solver: &str) -> usize {
        self.rows.iter().filter(|r| r.solver == solver && r.status == Status::Solved).count()
    }

    pub fn report_path(&self) -> PathBuf {
        self.out_dir.join("report.md")
    }
}

/// Runs the benchmark described by `args`, with `quill_exe` as the Quill program (the binary passes
/// `std::env::current_exe()`).
pub fn run(args: &BenchArgs, quill_exe: &Path) -> Result<Summary, BenchError> {
    runner::run(args, quill_exe)
}
