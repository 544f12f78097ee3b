//! The random source: ChaCha8 seeded per chunk, with ranges and choices computed here from raw
//! 64-bit words, so that the data set depends only on the ChaCha stream (a documented, stable
//! algorithm) and not on how a `rand` release happens to map words to ranges.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded random source.
pub struct Rng(ChaCha8Rng);

impl Rng {
    /// A source for one stream, derived from the master seed and the stream's number.
    pub fn for_stream(seed: u64, stream: u64) -> Rng {
        Rng(ChaCha8Rng::seed_from_u64(mix(seed ^ mix(stream.wrapping_add(0x9e37_79b9_7f4a_7c15)))))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A uniform number in `0..n` (`n > 0`; 0 when `n == 0`). Multiply-shift: the bias is below
    /// 2^-40 for the small ranges used here.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// A uniform integer in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    /// A uniformly chosen element (`items` must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index chosen with probability proportional to its weight; the last index when every
    /// weight is zero.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| *w as u64).sum();
        if total == 0 {
            return weights.len().saturating_sub(1);
        }
        let mut r = self.below(total as usize) as u64;
        for (i, w) in weights.iter().enumerate() {
            if r < *w as u64 {
                return i;
            }
            r -= *w as u64;
        }
        weights.len() - 1
    }
}

/// SplitMix64's finaliser: spreads nearby seeds (0, 1, 2, ..) over unrelated ChaCha keys.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a over bytes, 64 bits: a hash whose value is fixed by its definition (the standard
/// library's hashers promise no stability across releases), for seeds and behaviour keys.
pub fn fnv64(bytes: &[u8], basis: u64) -> u64 {
    let mut h = basis;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The standard FNV-1a offset basis.
pub const FNV_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
