//! Bit-vector operations of SMT-LIB's FixedSizeBitVectors theory, on values of at most 64 bits kept
//! in the low bits of a `u64`.

use quill_lang::value::bv_mask;

/// The value as a signed number of `w` bits.
pub fn signed(x: u64, w: u32) -> i64 {
    if w >= 64 {
        x as i64
    } else {
        let shift = 64 - w;
        ((x << shift) as i64) >> shift
    }
}

fn msb(x: u64, w: u32) -> bool {
    // Widths are 1 to 64 by construction; the guard keeps a malformed value from panicking.
    (1..=64).contains(&w) && (x >> (w - 1)) & 1 == 1
}

pub fn neg(x: u64, w: u32) -> u64 {
    x.wrapping_neg() & bv_mask(w)
}

/// `bvudiv`: division by zero gives all ones, as SMT-LIB 2.6 defines.
pub fn udiv(x: u64, y: u64, w: u32) -> u64 {
    x.checked_div(y).unwrap_or(bv_mask(w))
}

/// `bvurem`: remainder by zero gives the dividend.
pub fn urem(x: u64, y: u64) -> u64 {
    x.checked_rem(y).unwrap_or(x)
}

/// `bvsdiv`, defined in SMT-LIB through `bvudiv` on magnitudes.
pub fn sdiv(s: u64, t: u64, w: u32) -> u64 {
    match (msb(s, w), msb(t, w)) {
        (false, false) => udiv(s, t, w),
        (true, false) => neg(udiv(neg(s, w), t, w), w),
        (false, true) => neg(udiv(s, neg(t, w), w), w),
        (true, true) => udiv(neg(s, w), neg(t, w), w),
    }
}

/// `bvsrem`: the sign follows the dividend.
pub fn srem(s: u64, t: u64, w: u32) -> u64 {
    match (msb(s, w), msb(t, w)) {
        (false, false) => urem(s, t),
        (true, false) => neg(urem(neg(s, w), t), w),
        (false, true) => urem(s, neg(t, w)),
        (true, true) => neg(urem(neg(s, w), neg(t, w)), w),
    }
}

/// `bvsmod`: the sign follows the divisor.
pub fn smod(s: u64, t: u64, w: u32) -> u64 {
    let abs = |x: u64| if msb(x, w) { neg(x, w) } else { x };
    let u = urem(abs(s), abs(t));
    if u == 0 {
        return u;
    }
    let m = bv_mask(w);
    match (msb(s, w), msb(t, w)) {
        (false, false) => u,
        (true, false) => (neg(u, w).wrapping_add(t)) & m,
        (false, true) => (u.wrapping_add(t)) & m,
        (true, true) => neg(u, w),
    }
}

pub fn shl(x: u64, y: u64, w: u32) -> u64 {
    if y >= w as u64 {
        0
    } else {
        (x << y) & bv_mask(w)
    }
}

pub fn lshr(x: u64, y: u64, w: u32) -> u64 {
    if y >= w as u64 {
        0
    } else {
        x >> y
    }
}

pub fn ashr(x: u64, y: u64, w: u32) -> u64 {
    let s = signed(x, w);
    let shift = y.min(63) as u32;
    ((s >> shift) as u64) & bv_mask(w)
}

pub fn rotate_left(x: u64, k: u32, w: u32) -> u64 {
    let k = k % w;
    if k == 0 {
        x
    } else {
        ((x << k) | (x >> (w - k))) & bv_mask(w)
    }
}

pub fn sign_extend(x: u64, w: u32, k: u32) -> u64 {
    (signed(x, w) as u64) & bv_mask(w + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_division_matches_the_smtlib_examples() {
        // -7 / 2 = -3 (truncating), -7 rem 2 = -1, -7 smod 2 = 1, in 4 bits.
        let m7 = neg(7, 4);
        assert_eq!(sdiv(m7, 2, 4), neg(3, 4));
        assert_eq!(srem(m7, 2, 4), neg(1, 4));
        assert_eq!(smod(m7, 2, 4), 1);
        assert_eq!(smod(7, neg(2, 4), 4), neg(1, 4));
        assert_eq!(udiv(5, 0, 4), 0xF);
        assert_eq!(urem(5, 0), 5);
        assert_eq!(sdiv(m7, 0, 4), 1);
        assert_eq!(ashr(0x8, 9, 4), 0xF);
        assert_eq!(rotate_left(0b1001, 1, 4), 0b0011);
    }
}
