//! The training loop: Adam with warm-up and cosine decay, periodic validation, checkpoints that a
//! later run resumes from, a CSV log and an SVG curve.

use crate::batch::{examples_shown, make_batch, pick_examples, Rng};
use crate::checkpoint::{self, CheckpointError, DataManifest, RunConfig, TrainHyper, TrainState};
use crate::data::{self, DataError, Sample};
use crate::net::{batch_loss, Net, NetConfig};
use crate::vocab::{chars, Vocab, PAD};
use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::Device;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `quill train` asks for.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    pub data: PathBuf,
    pub out: PathBuf,
    pub hyper: TrainHyper,
    /// The network's shape for a fresh run (a resumed run keeps its own).
    pub net: NetConfig,
    pub resume: bool,
    /// Validation tasks evaluated at each checkpoint (the first ones of the split).
    pub val_max: usize,
    /// Stop (with a checkpoint) after this many steps although the schedule runs to
    /// `hyper.steps`: a time-boxed session, continued later with `resume`.
    pub stop_at: Option<usize>,
}

impl TrainOptions {
    /// Defaults for everything but the directories.
    pub fn new(data: PathBuf, out: PathBuf) -> TrainOptions {
        TrainOptions {
            data,
            out,
            hyper: TrainHyper {
                steps: 40_000,
                batch: 32,
                lr: 1e-3,
                warmup: 500,
                seed: 1,
                val_frac: 0.02,
                prod_weight: 1.0,
                eval_every: 500,
                few_examples: 0.5,
            },
            net: NetConfig::standard(chars::SIZE, Vocab::standard().len()),
            resume: false,
            val_max: 512,
            stop_at: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    #[error("{0}")]
    Setup(String),
}

/// One validation row of the log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    pub step: usize,
    pub train_loss: f64,
    pub val_loss: f64,
    pub val_token_acc: f64,
    pub val_exact_acc: f64,
    pub lr: f64,
    pub elapsed_s: f64,
}

/// Progress reports for the caller (the CLI draws a progress bar from them).
#[derive(Clone, Debug)]
pub enum Event {
    Loaded { train: usize, val: usize, skipped: usize, start_step: usize },
    Step { step: usize, loss: f32, ms_per_step: f64 },
    Eval(LogRow),
}

/// The learning rate at a step: linear warm-up, then cosine decay to a tenth.
pub fn learning_rate(h: &TrainHyper, step: usize) -> f64 {
    if step < h.warmup {
        return h.lr * (step + 1) as f64 / h.warmup as f64;
    }
    let span = h.steps.saturating_sub(h.warmup).max(1) as f64;
    let progress = ((step - h.warmup) as f64 / span).min(1.0);
    h.lr * (0.1 + 0.9 * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos()))
}

/// Runs (or resumes) training; returns the log rows written by this call.
pub fn train(opts: &TrainOptions, on: &mut dyn FnMut(&Event)) -> Result<Vec<LogRow>, TrainError> {
    let out = &opts.out;
    let config_path = out.join("config.json");
    let existing = config_path.exists();
    if existing && !opts.resume {
        return Err(TrainError::Setup(format!(
            "{} already holds a training run; pass --resume to continue it or choose another --out",
            out.display()
        )));
    }
    let saved = if opts.resume && existing { Some(checkpoint::read_config(out)?) } else { None };
    // A resumed run keeps the vocabulary it started with (a prefix of this build's).
    let vocab = match &saved {
        Some(c) => Vocab::prefix(c.vocab.len()),
        None => Vocab::standard(),
    };
    let (net_cfg, hyper) = match &saved {
        // A resumed run keeps its shape and hyper-parameters; only the number of steps may grow.
        Some(c) => (c.net.clone(), TrainHyper { steps: opts.hyper.steps, ..c.train.clone() }),
        None => (opts.net.clone(), opts.hyper.clone()),
    };
    let ds = data::load_dir(&opts.data, &vocab, net_cfg.max_prog, net_cfg.max_chars)?;
    let (val, train): (Vec<Sample>, Vec<Sample>) =
        ds.samples.into_iter().partition(|s| data::is_validation(&s.id, hyper.val_frac));
    if train.is_empty() {
        return Err(TrainError::Setup(format!("{}: no training tasks", opts.data.display())));
    }
    let manifest = DataManifest {
        dir: opts.data.display().to_string(),
        shards: ds.shards,
        train_tasks: train.len(),
        val_tasks: val.len(),
        skipped_tasks: ds.skipped,
    };
    if let Some(c) = &saved {
        if c.data.shards != manifest.shards {
            return Err(TrainError::Setup(format!(
                "{}: the data differ from those the run in {} was trained on",
                opts.data.display(),
                out.display()
            )));
        }
    }
    std::fs::create_dir_all(out).map_err(|e| TrainError::Setup(format!("{}: {e}", out.display())))?;
    let run = RunConfig {
        format: checkpoint::FORMAT,
        net: net_cfg.clone(),
        vocab: vocab.texts(),
        train: hyper.clone(),
        data: manifest,
    };
    checkpoint::write_json(&config_path, &run)?;

    let device = Device::flex().autodiff();
    device.seed(hyper.seed);
    let mut net = net_cfg.init(&device);
    let mut optim = AdamConfig::new()
        .with_grad_clipping(Some(burn::optim::grad_clipping::GradientClippingConfig::Norm(1.0)))
        .init();
    let mut state = TrainState { step: 0, rng: Rng::new(hyper.seed) };
    if saved.is_some() {
        let (o, s) = checkpoint::load_state(&mut net, optim, out)?;
        optim = o;
        state = s;
        // Dropout draws from the device's generator, whose state is not saved: reseed it from
        // the step so that a resumed run is itself reproducible.
        device.seed(hyper.seed ^ (state.step as u64).wrapping_mul(0x9e37_79b9));
    }
    let log_path = out.join("log.csv");
    let mut rows = read_log(&log_path).into_iter().filter(|r| r.step <= state.step).collect::<Vec<_>>();
    write_log(&log_path, &rows)?;
    on(&Event::Loaded { train: train.len(), val: val.len(), skipped: ds.skipped, start_step: state.step });

    let k = net_cfg.max_examples;
    let started = Instant::now();
    let mut new_rows = Vec::new();
    let (mut loss_sum, mut loss_n) = (0.0f64, 0usize);
    let mut window = Instant::now();
    let end = opts.stop_at.map_or(hyper.steps, |s| s.min(hyper.steps));
    while state.step < end {
        let picked: Vec<(&Sample, Vec<&[u8]>)> = (0..hyper.batch)
            .map(|_| {
                let s = &train[state.rng.below(train.len())];
                let n = examples_shown(k, hyper.few_examples, &mut state.rng);
                (s, pick_examples(s, n, Some(&mut state.rng)))
            })
            .collect();
        let hb = make_batch(&picked, k, vocab.len());
        let bl =
            batch_loss(&net, &hb.spec, &hb.inputs, &hb.targets, &hb.occurs, hb.t, hyper.prod_weight, &device);
        let loss: f32 = bl.loss.clone().into_scalar();
        let grads = GradientsParams::from_grads(bl.loss.backward(), &net);
        let lr = learning_rate(&hyper, state.step);
        net = optim.step(lr, net, grads);
        state.step += 1;
        loss_sum += loss as f64;
        loss_n += 1;
        let ms = window.elapsed().as_secs_f64() * 1e3;
        window = Instant::now();
        on(&Event::Step { step: state.step, loss, ms_per_step: ms });
        if state.step.is_multiple_of(hyper.eval_every) || state.step == end {
            let (val_loss, tok_acc, exact) = evaluate(&net.valid(), &val, opts.val_max, &hyper, k, &vocab);
            checkpoint::save_weights(&net, out)?;
            checkpoint::save_state(&net, &optim, &state, out)?;
            let row = LogRow {
                step: state.step,
                train_loss: loss_sum / loss_n.max(1) as f64,
                val_loss,
                val_token_acc: tok_acc,
                val_exact_acc: exact,
                lr,
                elapsed_s: started.elapsed().as_secs_f64(),
            };
            (loss_sum, loss_n) = (0.0, 0);
            rows.push(row.clone());
            new_rows.push(row.clone());
            write_log(&log_path, &rows)?;
            let svg = crate::svg::curve(&rows);
            std::fs::write(out.join("curve.svg"), svg)
                .map_err(|e| TrainError::Setup(format!("curve.svg: {e}")))?;
            on(&Event::Eval(row));
        }
    }
    Ok(new_rows)
}

/// Validation loss, token accuracy and exact-sequence accuracy (teacher forcing, argmax) on the
/// first `max` validation tasks with their first examples. NaN when there is no validation set.
pub fn evaluate(
    net: &Net,
    val: &[Sample],
    max: usize,
    h: &TrainHyper,
    k: usize,
    vocab: &Vocab,
) -> (f64, f64, f64) {
    let device = Device::flex();
    let val = &val[..val.len().min(max)];
    if val.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let (mut loss, mut tok_ok, mut tok_n, mut exact) = (0.0f64, 0usize, 0usize, 0usize);
    for chunk in val.chunks(h.batch.max(1)) {
        let picked: Vec<(&Sample, Vec<&[u8]>)> =
            chunk.iter().map(|s| (s, pick_examples(s, k, None))).collect();
        let hb = make_batch(&picked, k, vocab.len());
        let bl = batch_loss(net, &hb.spec, &hb.inputs, &hb.targets, &hb.occurs, hb.t, h.prod_weight, &device);
        loss += bl.loss.into_scalar::<f32>() as f64 * chunk.len() as f64;
        let pred: Vec<i64> = bl.logits.argmax(2).try_into_vec_as::<i64>().unwrap_or_default();
        for (i, _) in chunk.iter().enumerate() {
            let mut all = true;
            for p in 0..hb.t {
                let want = hb.targets[i * hb.t + p];
                if want == PAD as i64 {
                    continue;
                }
                let ok = pred.get(i * hb.t + p) == Some(&want);
                tok_ok += ok as usize;
                tok_n += 1;
                all &= ok;
            }
            exact += all as usize;
        }
    }
    (loss / val.len() as f64, tok_ok as f64 / tok_n.max(1) as f64, exact as f64 / val.len() as f64)
}

const LOG_HEADER: &str = "step,train_loss,val_loss,val_token_acc,val_exact_acc,lr,elapsed_s";

/// Reads the rows of an existing log; a missing or unreadable log reads as empty.
pub fn read_log(path: &Path) -> Vec<LogRow> {
    let Ok(text) = std::fs::read_to_string(path) else { return Vec::new() };
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<f64> = line.split(',').map(|x| x.trim().parse::<f64>().unwrap_or(f64::NAN)).collect();
            (f.len() == 7 && f[0].is_finite()).then(|| LogRow {
                step: f[0] as usize,
                train_loss: f[1],
                val_loss: f[2],
                val_token_acc: f[3],
                val_exact_acc: f[4],
                lr: f[5],
                elapsed_s: f[6],
            })
        })
        .collect()
}

fn write_log(path: &Path, rows: &[LogRow]) -> Result<(), CheckpointError> {
    let mut text = String::from(LOG_HEADER);
    text.push('\n');
    for r in rows {
        text.push_str(&format!(
            "{},{:.5},{:.5},{:.5},{:.5},{:.6},{:.1}\n",
            r.step, r.train_loss, r.val_loss, r.val_token_acc, r.val_exact_acc, r.lr, r.elapsed_s
        ));
    }
    let tmp = path.with_extension("csv.tmp");
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| CheckpointError::File { path: path.display().to_string(), message: e.to_string() })
}

/// Uses `n` threads for the tensor kernels (once per process; later calls have no effect).
pub fn set_threads(n: usize) {
    let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
}
