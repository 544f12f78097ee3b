//! Choosing held-out examples, reproducibly.
//!
//! The choice depends only on `--seed`, the task's name and the number of examples, so two runs with
//! the same seed hide the same examples on every machine. The generator is a small SplitMix64 written
//! here rather than a crate, because its output sequence must never change under a dependency update.

/// A SplitMix64 pseudo-random generator: tiny, fast and good enough to shuffle indices.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`); the tiny modulo bias does not matter for picking examples.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// FNV-1a of a string: a hash that, unlike std's, is fixed forever.
pub fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// The indices (sorted) of the examples to hold out among `n`: `k` of them, but never all, so that
/// the solvers always keep at least one example.
pub fn choose(n: usize, k: usize, seed: u64, task: &str) -> Vec<usize> {
    let k = k.min(n.saturating_sub(1));
    let mut rng = SplitMix64::new(seed ^ fnv1a(task));
    let mut idx: Vec<usize> = (0..n).collect();
    // A partial Fisher-Yates shuffle: the first k positions are a uniform sample.
    for i in 0..k {
        let j = i + rng.below(n - i);
        idx.swap(i, j);
    }
    let mut chosen = idx[..k].to_vec();
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_chooses_the_same_examples() {
        assert_eq!(choose(10, 3, 7, "bikes"), choose(10, 3, 7, "bikes"));
        assert_eq!(choose(10, 3, 7, "bikes").len(), 3);
        let other_seeds = (0..20).filter(|s| choose(10, 3, *s, "bikes") != choose(10, 3, 7, "bikes")).count();
        assert!(other_seeds > 10, "seeds should change the choice");
    }

    #[test]
    fn at_least_one_example_stays() {
        assert_eq!(choose(3, 5, 1, "t").len(), 2);
        assert!(choose(1, 1, 1, "t").is_empty());
        assert!(choose(0, 1, 1, "t").is_empty());
        assert!(choose(5, 0, 1, "t").is_empty());
    }
}
