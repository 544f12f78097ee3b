//! The `quill` command line.

mod examples;
mod synth;

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
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Synth(args) => synth::run(&args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
