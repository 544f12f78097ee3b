//! Turning samples into batches, and the small seeded random generator training and sampling use.

use crate::data::Sample;
use crate::net::SpecBatch;
use crate::vocab::{BOS, EOS, PAD};
use serde::{Deserialize, Serialize};

/// SplitMix64: tiny, seedable, and its whole state is one `u64`, so a checkpoint can store it
/// and a resumed run draws the same batches as an uninterrupted one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rng {
    pub state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed ^ 0x9e37_79b9_7f4a_7c15 }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// How many examples a training task is shown: all `k` usually, and with probability `few`
/// between 1 and `k - 1` (uniformly). Draws from `rng` only when `few` is positive, so runs
/// without it keep their data order.
pub fn examples_shown(k: usize, few: f64, rng: &mut Rng) -> usize {
    if few <= 0.0 || k < 2 {
        return k;
    }
    if rng.unit() < few {
        1 + rng.below(k - 1)
    } else {
        k
    }
}

/// A batch on the host.
pub struct HostBatch {
    pub spec: SpecBatch,
    /// `[b, t]`: BOS then the program, PAD after.
    pub inputs: Vec<i64>,
    /// `[b, t]`: the program then EOS, PAD after.
    pub targets: Vec<i64>,
    /// `[b, vocab]`: 1.0 for each token that occurs in the program.
    pub occurs: Vec<f32>,
    pub t: usize,
}

/// Which examples of a sample a batch uses: a random subset of at most `k` in random order when
/// `rng` is given (training), else the first `k` (validation, so that it is the same every time).
pub fn pick_examples<'s>(s: &'s Sample, k: usize, rng: Option<&mut Rng>) -> Vec<&'s [u8]> {
    let mut idx: Vec<usize> = (0..s.examples.len()).collect();
    if let Some(rng) = rng {
        for i in 0..idx.len().min(k) {
            let j = i + rng.below(idx.len() - i);
            idx.swap(i, j);
        }
    }
    idx.into_iter().take(k).map(|i| s.examples[i].as_slice()).collect()
}

/// Builds a batch from the samples with their chosen examples.
pub fn make_batch(samples: &[(&Sample, Vec<&[u8]>)], k: usize, vocab_len: usize) -> HostBatch {
    let b = samples.len();
    let t = samples.iter().map(|(s, _)| s.program.len() + 1).max().unwrap_or(1);
    let mut inputs = vec![PAD as i64; b * t];
    let mut targets = vec![PAD as i64; b * t];
    let mut occurs = vec![0.0f32; b * vocab_len];
    for (i, (s, _)) in samples.iter().enumerate() {
        inputs[i * t] = BOS as i64;
        for (p, tok) in s.program.iter().enumerate() {
            inputs[i * t + p + 1] = *tok as i64;
            targets[i * t + p] = *tok as i64;
            occurs[i * vocab_len + *tok as usize] = 1.0;
        }
        targets[i * t + s.program.len()] = EOS as i64;
    }
    let tasks: Vec<Vec<&[u8]>> = samples.iter().map(|(_, e)| e.clone()).collect();
    HostBatch { spec: SpecBatch::new(&tasks, k), inputs, targets, occurs, t }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_examples_are_shown_at_the_requested_rate() {
        let mut rng = Rng::new(7);
        let before = rng.clone();
        assert_eq!(examples_shown(4, 0.0, &mut rng), 4);
        assert_eq!(rng, before, "no draw without few-example training");
        let n = 20_000;
        let counts = (0..n).fold([0usize; 5], |mut c, _| {
            c[examples_shown(4, 0.5, &mut rng)] += 1;
            c
        });
        assert_eq!(counts[0], 0);
        assert!((counts[4] as f64 / n as f64 - 0.5).abs() < 0.02, "{counts:?}");
        for c in &counts[1..4] {
            assert!((*c as f64 / n as f64 - 0.5 / 3.0).abs() < 0.02, "{counts:?}");
        }
    }
}
