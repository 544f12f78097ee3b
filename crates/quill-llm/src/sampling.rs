//! Choosing the next token from logits: greedy, or temperature with nucleus (top-p) sampling.
//!
//! The random generator is a small SplitMix64 written here so that a seed gives the same tokens on every
//! platform and with every version of the dependencies.

/// A seeded SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Picks a token from `logits`, where disallowed tokens already hold negative infinity. Returns `None`
/// when no token is allowed. Greedy (lowest id among equal maxima) when `temperature <= 0`.
pub fn sample(logits: &[f32], temperature: f64, top_p: f64, rng: &mut Rng) -> Option<u32> {
    let finite = |(_, l): &(usize, &f32)| l.is_finite();
    if temperature <= 0.0 {
        let mut best: Option<(usize, f32)> = None;
        for (i, &l) in logits.iter().enumerate().filter(|&(_, l)| l.is_finite()) {
            if best.is_none_or(|(_, b)| l > b) {
                best = Some((i, l));
            }
        }
        return best.map(|(i, _)| i as u32);
    }
    let mut candidates: Vec<(usize, f64)> =
        logits.iter().enumerate().filter(finite).map(|(i, &l)| (i, f64::from(l) / temperature)).collect();
    if candidates.is_empty() {
        return None;
    }
    let max = candidates.iter().map(|c| c.1).fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for c in &mut candidates {
        c.1 = (c.1 - max).exp();
        total += c.1;
    }
    if top_p < 1.0 {
        // The smallest set of most likely tokens whose probabilities reach top_p (at least one token).
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut kept = 0.0;
        let mut keep = 0;
        for c in &candidates {
            keep += 1;
            kept += c.1;
            if kept >= top_p * total {
                break;
            }
        }
        candidates.truncate(keep);
        total = kept;
    }
    let mut target = rng.next_f64() * total;
    for &(i, p) in &candidates {
        if target < p {
            return Some(i as u32);
        }
        target -= p;
    }
    // Rounding can leave the target just past the last weight.
    candidates.last().map(|c| c.0 as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_takes_the_first_maximum_and_skips_masked() {
        let l = [1.0, f32::NEG_INFINITY, 3.0, 3.0];
        assert_eq!(sample(&l, 0.0, 1.0, &mut Rng::new(0)), Some(2));
        assert_eq!(sample(&[f32::NEG_INFINITY; 3], 0.0, 1.0, &mut Rng::new(0)), None);
        assert_eq!(sample(&[f32::NEG_INFINITY; 3], 0.8, 0.9, &mut Rng::new(0)), None);
    }

    #[test]
    fn sampling_never_picks_masked_tokens_and_follows_probabilities() {
        let l = [0.0, f32::NEG_INFINITY, (3.0f32).ln()];
        let mut rng = Rng::new(7);
        let mut counts = [0usize; 3];
        for _ in 0..4000 {
            counts[sample(&l, 1.0, 1.0, &mut rng).unwrap() as usize] += 1;
        }
        assert_eq!(counts[1], 0);
        // Token 2 is three times as likely as token 0: expect about 3000 of 4000.
        assert!((2800..3200).contains(&counts[2]), "{counts:?}");
    }

    #[test]
    fn top_p_drops_the_tail() {
        let l = [(0.6f32).ln(), (0.3f32).ln(), (0.1f32).ln()];
        let mut rng = Rng::new(1);
        for _ in 0..500 {
            assert_ne!(sample(&l, 1.0, 0.85, &mut rng), Some(2));
        }
    }
}
