//! Training end to end on a small generated data set: the loss falls, checkpoints load back to
//! the same model, and a resumed run ends where an uninterrupted one does.

mod common;

use quill_model::train::{train, Event, TrainOptions};
use quill_model::{Model, Spec};
use std::path::Path;

/// A tiny network (d=32, one layer each side) so that each run takes seconds in a debug build.
fn tiny(data: &Path, out: &Path, steps: usize) -> TrainOptions {
    let mut o = TrainOptions::new(data.to_path_buf(), out.to_path_buf());
    o.net.d_model = 32;
    o.net.d_ff = 64;
    o.net.enc_layers = 1;
    o.net.dec_layers = 1;
    o.net.max_chars = 32;
    o.net.dropout = 0.0;
    o.hyper.steps = steps;
    o.hyper.batch = 8;
    o.hyper.lr = 3e-3;
    o.hyper.warmup = 5;
    o.hyper.eval_every = 10;
    o.hyper.val_frac = 0.1;
    o.val_max = 16;
    o
}

/// burn seeds its random generator per process, not per run: runs in parallel test threads
/// would draw from the same stream, so every run here holds this lock.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn losses(opts: &TrainOptions) -> Vec<f32> {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = Vec::new();
    train(opts, &mut |e| {
        if let Event::Step { loss, .. } = e {
            out.push(*loss)
        }
    })
    .unwrap();
    out
}

fn probe(model: &Model) -> (Vec<f32>, Vec<f32>) {
    let spec: Spec = model.spec_from_texts(&[
        (vec!["\"Ada Lovelace\"".into(), "3".into()], "\"A.\"".into()),
        (vec!["\"Alan Turing\"".into(), "1".into()], "\"A.\"".into()),
    ]);
    let enc = model.encode(&spec);
    let next = model.next_token_logprobs(&enc, &[&[], &[5, 6]]).unwrap();
    let mut a = next.concat();
    a.push(model.score(&enc, &[5, 6]).unwrap());
    (a, model.token_probs(&enc))
}

fn assert_close(a: &[f32], b: &[f32], tol: f32) {
    assert_eq!(a.len(), b.len());
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!((x - y).abs() <= tol * (1.0 + x.abs()), "entry {i}: {x} vs {y}");
    }
}

#[test]
fn loss_falls_on_generated_tasks() {
    let dir = common::scratch("loss");
    let data = common::write_dataset(&dir, 12, 7);
    let l = losses(&tiny(&data, &dir.join("run"), 40));
    assert_eq!(l.len(), 40);
    let first = l[..5].iter().sum::<f32>() / 5.0;
    let last = l[35..].iter().sum::<f32>() / 5.0;
    assert!(last < 0.7 * first, "loss did not fall: first {first:.3}, last {last:.3} ({l:?})");
    let log = std::fs::read_to_string(dir.join("run/log.csv")).unwrap();
    assert_eq!(log.lines().count(), 1 + 4, "{log}");
    assert!(std::fs::read_to_string(dir.join("run/curve.svg")).unwrap().contains("<polyline"));
}

#[test]
fn checkpoints_load_back_to_the_same_model() {
    let dir = common::scratch("roundtrip");
    let data = common::write_dataset(&dir, 3, 11);
    let run = dir.join("run");
    losses(&tiny(&data, &run, 10));
    let a = Model::load(&run).unwrap();
    let b = Model::load(&run).unwrap();
    assert_eq!(probe(&a), probe(&b));
    // Saving a loaded model and loading it again changes nothing either.
    a.save(&dir.join("copy")).unwrap();
    let c = Model::load(&dir.join("copy")).unwrap();
    assert_eq!(probe(&a), probe(&c));
    // A fresh model of the same shape gives different outputs: the weights really were loaded.
    let fresh = {
        let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        Model::untrained(a.config().net.clone(), 99)
    };
    assert_ne!(probe(&a).0, probe(&fresh).0);
}

#[test]
fn a_resumed_run_matches_an_uninterrupted_one() {
    let dir = common::scratch("resume");
    let data = common::write_dataset(&dir, 3, 5);
    let (straight, split) = (dir.join("straight"), dir.join("split"));
    let full = losses(&tiny(&data, &straight, 20));
    let mut first = tiny(&data, &split, 20);
    first.stop_at = Some(10);
    let head = losses(&first);
    let mut again = tiny(&data, &split, 20);
    {
        let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        assert!(train(&again, &mut |_| {}).is_err(), "an existing run must not be overwritten");
    }
    again.resume = true;
    let tail = losses(&again);
    assert_eq!(head.len() + tail.len(), 20);
    assert_close(&[head, tail].concat(), &full, 1e-4);
    let (a, b) = (Model::load(&straight).unwrap(), Model::load(&split).unwrap());
    let ((a1, a2), (b1, b2)) = (probe(&a), probe(&b));
    assert_close(&a1, &b1, 1e-4);
    assert_close(&a2, &b2, 1e-4);
    let log = std::fs::read_to_string(split.join("log.csv")).unwrap();
    let steps: Vec<&str> = log.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(steps, ["10", "20"]);
}
