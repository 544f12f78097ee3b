//! Runs `quill bench` without the `quill` binary's subcommand, for trying the crate on its own:
//! `cargo run -p quill-bench --example bench -- SUITE... [flags]`. The Quill program is taken from
//! `QUILL_EXE`, else `target/debug/quill` beside this workspace.

use clap::Parser;
use quill_bench::{run, BenchArgs};
use std::path::PathBuf;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    bench: BenchArgs,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let quill = std::env::var_os("QUILL_EXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/debug/quill"));
    match run(&cli.bench, &quill) {
        Ok(s) => {
            eprintln!("report: {}", s.report_path().display());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
