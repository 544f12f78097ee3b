//! The `quill` command line.

mod ask;
mod data;
mod examples;
mod guide;
mod models;
mod output;
mod rank;
mod synth;
mod train;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "quill", version, about = "Quill: a neurosymbolic program synthesizer")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Synthesize a program from a SyGuS-IF file or a table of examples.
    Synth(synth::SynthArgs),
    /// Run benchmark suites (SyGuS folders, BUSTLE, PROSE), optionally side by side with cvc5,
    /// check every answer independently and write a report with plots.
    Bench(quill_bench::BenchArgs),
    /// A Python function from a description (and tests or examples), verified by running it in a
    /// sandbox; `--mbpp` runs the MBPP benchmark.
    Ask(ask::AskArgs),
    /// Manage the local language models: list, install, verify, run.
    Models(models::ModelsArgs),
    /// Generate synthetic training data (`gen`); compare it with benchmark solutions (`coverage`).
    Data(data::DataArgs),
    /// Train Quill's own transformer on generated tasks (`quill data gen`).
    Train(train::TrainArgs),
    /// Learn to rank the programs that fit: gather labelled pools on generated tasks (`gather`)
    /// and fit the ranker on them (`fit`).
    Rank(rank::RankArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Synth(args) => synth::run(&args),
        Command::Bench(args) => bench(&args),
        Command::Ask(args) => ask::run(&args),
        Command::Models(args) => models::run(&args),
        Command::Data(args) => data::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Rank(args) => rank::run(&args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn bench(args: &quill_bench::BenchArgs) -> anyhow::Result<()> {
    // The harness runs this very binary as a subprocess for every task, so that a crash or a
    // runaway search in one task cannot take the benchmark down with it.
    let exe = std::env::current_exe()?;
    let summary = quill_bench::run(args, &exe)?;
    eprintln!("report: {}", summary.report_path().display());
    Ok(())
}
