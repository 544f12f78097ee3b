//! Decimal step helpers for grammars from examples: a number rounded to the nearest half, quarter
//! or five hundredths (`3.48` → `3.5`, `17.66` → `17.65`), and trailing zeros dropped from a
//! decimal (`12.50` → `12.5`, `2345.0` → `2345`). Spreadsheet users ask for both ("round to the
//! nearest 0.5", "no trailing zeros"), and in SMT-LIB's operators either is a term of twenty nodes
//! and more, beyond a search's reach.
//!
//! - `(round_step s k m)`: the number string `s` rounded half up to the nearest multiple of `m`
//!   units of 10^-k, written with exactly `k` decimals and keeping a leading `-` unless it rounds
//!   to zero
//!   (`3.48`, 1, 5 → `3.5`; `1.82`, 1, 5 → `2.0`; `17.66`, 2, 5 → `17.65`; `12338`, 0, 50 →
//!   `12350`). A `k` below 0 counts as 0 and an `m` below 1 as 1. The value is exact for numbers
//!   with up to `k` + 3 decimals; longer ones are first rounded half up to `k` + 3 decimals.
//! - `(trim_dec s)`: `s` without the zeros that end its decimals, and without a `.` left at the
//!   end (`12.50` → `12.5`, `100.00` → `100`); text without a `.` is unchanged. Up to six zeros go.
//!
//! Like the number helpers, they are `define-fun`s in plain SMT-LIB, and they call the number
//! helpers (`round_to`, `dec_scaled`, `dec_signed`): grammars offer them only together
//! with those ([`rounds_decimals`] implies [`crate::numbers::computes_numbers`]), so a problem
//! file that defines them defines their callees before them. A separate group rather than more
//! number helpers, because a model's vocabulary has a token per offered helper in the helper
//! table's order and grows only at its end.

use crate::numbers::define_after;
use crate::term::FunDef;
use std::sync::Arc;

/// The helpers' SMT-LIB text, callees first; they call the number helpers' definitions.
const TEXT: &[&str] = &[
    // An unsigned number string rounded half up to the nearest multiple of `m` units of 10^-k, in
    // those units, for `k` ≥ 0 and `m` ≥ 1: three more decimals first make it exact for most
    // inputs without the integer overflow that an exact reading of long decimals would risk.
    "(define-fun dec_steps ((u String) (k Int) (m Int)) Int \
     (div (round_to (dec_scaled u (+ k 3)) (* 1000 m)) 1000))",
    "(define-fun dec_round_step ((s String) (k Int) (m Int)) String (dec_signed (str.prefixof \"-\" s) \
     (dec_steps (ite (str.prefixof \"-\" s) (str.substr s 1 (str.len s)) s) k m) k))",
    "(define-fun round_step ((s String) (k Int) (m Int)) String \
     (dec_round_step s (ite (< k 0) 0 k) (ite (< m 1) 1 m)))",
    // `s` without its last `n` characters.
    "(define-fun dec_cut ((s String) (n Int)) String (str.substr s 0 (- (str.len s) n)))",
    // Up to three trailing zeros of a decimal dropped, and the `.` when none is left after it.
    "(define-fun dec_trim3 ((s String)) String (ite (str.contains s \".\") \
     (ite (str.suffixof \".000\" s) (dec_cut s 4) (ite (str.suffixof \"000\" s) (dec_cut s 3) \
     (ite (str.suffixof \".00\" s) (dec_cut s 3) (ite (str.suffixof \"00\" s) (dec_cut s 2) \
     (ite (str.suffixof \".0\" s) (dec_cut s 2) (ite (str.suffixof \"0\" s) (dec_cut s 1) \
     (ite (str.suffixof \".\" s) (dec_cut s 1) s))))))) s))",
    "(define-fun trim_dec ((s String)) String (dec_trim3 (dec_trim3 s)))",
];

/// The names of the helpers grammars offer, in the order they are offered.
pub const OFFERED: [&str; 2] = ["round_step", "trim_dec"];

/// The places grammars offer `round_step` (its `k`), as literals of a non-terminal of their own
/// (see `grammar::literal_args`): a number of places computed from the input (`str.len`)
/// fits a few examples by accident.
pub const PLACES: [i64; 4] = [0, 1, 2, 3];

/// The steps grammars offer `round_step` (its `m`, in units of the last place), as literals of a
/// non-terminal of their own, as [`PLACES`].
pub const STEPS: [i64; 6] = [1, 2, 5, 10, 25, 50];

/// The decimal helpers' definitions, callees first. Their bodies call the number helpers, which
/// are read again here so that the definitions resolve; a problem file defines the number helpers
/// from [`crate::numbers::definitions`] before these (the names and texts are the same).
pub fn definitions() -> Vec<Arc<FunDef>> {
    define_after(crate::numbers::TEXT, TEXT)
}

/// Whether a definition is one of the decimal helpers grammars offer (see [`OFFERED`]).
pub fn is_offered(d: &FunDef) -> bool {
    OFFERED.contains(&&*d.name)
}

/// Whether the examples compute numbers ([`crate::numbers::computes_numbers`]) and some input or
/// output holds a decimal number (`3.48`, `17.65`): only then are the decimal helpers offered.
pub fn rounds_decimals<'a>(examples: impl IntoIterator<Item = (&'a [String], &'a str)> + Clone) -> bool {
    let decimal = |t: &str| crate::numbers::numbers(t).iter().any(|n| n.contains('.'));
    crate::numbers::computes_numbers(examples.clone())
        && examples.into_iter().any(|(inputs, output)| decimal(output) || inputs.iter().any(|i| decimal(i)))
}

/// The Rust reading of `round_step` on a plain number string (an optional `-`, digits, an optional
/// `.` and digits), for tests and the sampler: `None` for other text.
pub fn round_step(s: &str, k: i64, m: i64) -> Option<String> {
    let (negative, u) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = u.split_once('.').unwrap_or((u, ""));
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || whole.len() > 9 {
        return None;
    }
    let (k, m) = (k.clamp(0, 6) as u32, m.max(1) as u128);
    // The value in units of 10^-(k+3), rounded half up at the next digit, as `dec_scaled` does.
    let scale = 10u128.pow(k + 3);
    let padded = format!("{frac:0<width$}", width = k as usize + 4);
    let mut units =
        whole.parse::<u128>().ok()? * scale + padded[..k as usize + 3].parse::<u128>().unwrap_or(0);
    if padded.as_bytes()[k as usize + 3] >= b'5' {
        units += 1;
    }
    let step = 1000 * m;
    let n = (units + step / 2) / step * step / 1000;
    let p = 10u128.pow(k);
    let sign = if negative && n > 0 { "-" } else { "" };
    Some(match k {
        0 => format!("{sign}{n}"),
        _ => format!("{sign}{}.{:0>w$}", n / p, n % p, w = k as usize),
    })
}

/// The Rust reading of `trim_dec`: two passes, each dropping up to three trailing zeros and then
/// a `.` left at the end, of text that holds a `.`.
pub fn trim_dec(s: &str) -> String {
    fn pass(s: &str) -> &str {
        if !s.contains('.') {
            return s;
        }
        let zeros = s.bytes().rev().take_while(|&b| b == b'0').take(3).count();
        let t = &s[..s.len() - zeros];
        t.strip_suffix('.').unwrap_or(t)
    }
    pass(pass(s)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(pairs: &[(&str, &str)]) -> Vec<(Vec<String>, String)> {
        pairs.iter().map(|(i, o)| (vec![i.to_string()], o.to_string())).collect()
    }

    fn rounds(pairs: &[(&str, &str)]) -> bool {
        let r = rows(pairs);
        rounds_decimals(r.iter().map(|(i, o)| (i.as_slice(), o.as_str())))
    }

    #[test]
    fn every_definition_parses_after_the_number_helpers() {
        let defs = definitions();
        assert_eq!(defs.len(), TEXT.len());
        let offered: Vec<&str> = defs.iter().filter(|d| is_offered(d)).map(|d| &*d.name).collect();
        assert_eq!(offered, OFFERED);
        let numbers = crate::numbers::definitions();
        assert!(defs.iter().all(|d| numbers.iter().all(|n| n.name != d.name)), "a name is taken twice");
    }

    #[test]
    fn decimals_are_offered_for_decimal_numbers_computed() {
        assert!(rounds(&[("3.48", "3.5")]));
        assert!(rounds(&[("243.425112", "243.5"), ("2345.23292", "2345")]));
        assert!(rounds(&[("12.50 kg", "13")]));
        assert!(!rounds(&[("12338", "12350")]));
        assert!(!rounds(&[("3.48", "3.48")]));
        assert!(!rounds(&[("John Smith", "J. Smith")]));
    }

    #[test]
    fn the_rust_readings() {
        assert_eq!(round_step("3.48", 1, 5).as_deref(), Some("3.5"));
        assert_eq!(round_step("1.82", 1, 5).as_deref(), Some("2.0"));
        assert_eq!(round_step("17.66", 2, 5).as_deref(), Some("17.65"));
        assert_eq!(round_step("-1.25", 1, 5).as_deref(), Some("-1.5"));
        assert_eq!(round_step("12338", 0, 50).as_deref(), Some("12350"));
        assert_eq!(round_step("1.2", -1, 0).as_deref(), Some("1"));
        assert_eq!(round_step("abc", 1, 5), None);
        assert_eq!(trim_dec("12.50"), "12.5");
        assert_eq!(trim_dec("100.00"), "100");
        assert_eq!(trim_dec("100"), "100");
        assert_eq!(trim_dec("1.20000000"), "1.20");
        assert_eq!(trim_dec("v1.0 beta"), "v1.0 beta");
    }
}
