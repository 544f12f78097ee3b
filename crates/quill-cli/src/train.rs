//! `quill train`: train Quill's own transformer on generated tasks, with a progress bar.

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use quill_model::train::{set_threads, Event, TrainOptions};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct TrainArgs {
    /// Directory of training data (`shard-*.jsonl`, as `quill data gen` writes them).
    #[arg(long)]
    pub data: PathBuf,
    /// Directory for checkpoints, `log.csv` and `curve.svg`.
    #[arg(long)]
    pub out: PathBuf,
    /// Total training steps (for --resume: the new total).
    #[arg(long, default_value_t = 40_000)]
    pub steps: usize,
    /// Tasks per step.
    #[arg(long, default_value_t = 32)]
    pub batch: usize,
    /// Peak learning rate (linear warm-up, then cosine decay to a tenth).
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Continue the run in --out from its last checkpoint.
    #[arg(long)]
    pub resume: bool,
    /// Fraction of tasks (chosen by a hash of their id) held out for validation.
    #[arg(long, default_value_t = 0.02)]
    pub val_frac: f64,
    /// Steps between validation + checkpoint.
    #[arg(long, default_value_t = 500)]
    pub eval_every: usize,
    /// Threads for the tensor kernels (1 gives bit-for-bit reproducible runs).
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Share of training tasks shown with fewer examples than the model reads (1 to 3 of 4), so
    /// that it learns what one or two examples imply (a fresh run only).
    #[arg(long, default_value_t = 0.5)]
    pub few_examples: f64,
    /// Width of the network (a fresh run only).
    #[arg(long, default_value_t = 128)]
    pub d_model: usize,
    /// Encoder and decoder layers each (a fresh run only).
    #[arg(long, default_value_t = 2)]
    pub layers: usize,
}

pub fn run(args: &TrainArgs) -> Result<()> {
    if args.batch == 0 || args.steps == 0 || args.eval_every == 0 {
        bail!("--batch, --steps and --eval-every must be positive");
    }
    if !(args.lr.is_finite() && args.lr > 0.0 && (0.0..1.0).contains(&args.val_frac)) {
        bail!("--lr must be positive and --val-frac in [0, 1)");
    }
    if !(0.0..=1.0).contains(&args.few_examples) {
        bail!("--few-examples must be in [0, 1]");
    }
    if args.d_model == 0 || !args.d_model.is_multiple_of(4) || args.layers == 0 {
        bail!("--d-model must be a positive multiple of 4 (4 attention heads) and --layers positive");
    }
    set_threads(args.threads);
    let mut opts = TrainOptions::new(args.data.clone(), args.out.clone());
    opts.resume = args.resume;
    opts.hyper.steps = args.steps;
    opts.hyper.batch = args.batch;
    opts.hyper.lr = args.lr;
    opts.hyper.seed = args.seed;
    opts.hyper.val_frac = args.val_frac;
    opts.hyper.eval_every = args.eval_every;
    opts.hyper.few_examples = args.few_examples;
    opts.net.d_model = args.d_model;
    opts.net.d_ff = 4 * args.d_model;
    opts.net.enc_layers = args.layers;
    opts.net.dec_layers = args.layers;
    let bar = ProgressBar::new(args.steps as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} [{elapsed_precise} < {eta_precise}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // When standard error is not a terminal the bar is hidden, and so is `println` through it:
    // the messages then go to standard error directly, so a logged run still shows them.
    let say = |bar: &ProgressBar, m: String| if bar.is_hidden() { eprintln!("{m}") } else { bar.println(m) };
    let mut ms_avg = 0.0f64;
    let mut on = |e: &Event| {
        match e {
        Event::Loaded { train, val, skipped, start_step } => {
            say(
                &bar,
                format!(
                    "data: {train} training tasks, {val} validation tasks, {skipped} skipped; starting at step {start_step}"
                ),
            );
            bar.set_position(*start_step as u64);
        }
        Event::Step { step, loss, ms_per_step } => {
            ms_avg = if ms_avg == 0.0 { *ms_per_step } else { 0.98 * ms_avg + 0.02 * ms_per_step };
            bar.set_position(*step as u64);
            bar.set_message(format!("loss {loss:.3}, {ms_avg:.0} ms/step"));
        }
        Event::Eval(r) => say(
            &bar,
            format!(
                "step {}: train loss {:.4}, val loss {:.4}, val token acc {:.3}, val exact {:.3}, {ms_avg:.0} ms/step",
                r.step, r.train_loss, r.val_loss, r.val_token_acc, r.val_exact_acc
            ),
        ),
    }
    };
    quill_model::train(&opts, &mut on)?;
    bar.finish();
    eprintln!("checkpoint, log.csv and curve.svg in {}", args.out.display());
    Ok(())
}
