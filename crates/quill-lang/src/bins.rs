//! The bin helper for grammars from examples: the range of a fixed width that holds a number,
//! written `lo-hi` (`88` → `80-89`, `42` → `26-50`, `40.88` → `40-45`, a minute `54` → `45-60`).
//! Grouping values into ranges is how spreadsheet users make histograms and age brackets, and in
//! SMT-LIB's operators it is a term of fifteen nodes that states the bin's start twice, beyond a
//! search's reach; so a search fits three examples with a lookup table of their outputs.
//!
//! - `(bin_range s k m)`: `n`, the whole part of the number `s` (its digits before a `.`), in the
//!   bin of width `k` (below 1 counts as 1), written `lo-hi`:
//!   - `m` = 0: `lo` a multiple of `k`, `hi` = `lo` + `k` (`40-45`, `45-60`, `10-12`);
//!   - `m` = 2: bins counted from 1, `lo` one more than a multiple of `k`, `hi` = `lo` + `k` - 1
//!     (`1-25`, `76-100`);
//!   - any other `m`: `lo` a multiple of `k`, `hi` = `lo` + `k` - 1 (`80-89`).
//!
//!   `""` when `s` is no number (`str.to_int` gives -1) or the bin starts below 0.
//!
//! It is a `define-fun` in plain SMT-LIB, as the other helpers are, and takes `k` and `m` from
//! literal non-terminals of their own ([`WIDTHS`], [`ENDS`]): a width computed from the input fits
//! a few examples by accident. A group of its own, because a model's vocabulary has a token per
//! offered helper in the helper table's order and grows only at its end.

use crate::calendar::to_int;
use crate::numbers::define_all;
use crate::term::FunDef;
use std::sync::Arc;

/// The widths grammars offer `bin_range` (its `k`), as literals of `ntBinWidth`.
pub const WIDTHS: [i64; 8] = [2, 5, 10, 15, 20, 25, 50, 100];

/// The ways of writing a bin's ends grammars offer (its `m`), as literals of `ntBinEnd`.
pub const ENDS: [i64; 3] = [0, 1, 2];

/// The helper's SMT-LIB text, callees first.
const TEXT: [&str; 6] = [
    "(define-fun bin_whole ((s String)) Int \
     (str.to_int (ite (str.contains s \".\") (str.substr s 0 (str.indexof s \".\" 0)) s)))",
    "(define-fun bin_width ((k Int)) Int (ite (< k 1) 1 k))",
    "(define-fun bin_lo ((n Int) (k Int) (m Int)) Int \
     (ite (= m 2) (+ 1 (* k (div (- n 1) k))) (* k (div n k))))",
    "(define-fun bin_text ((lo Int) (hi Int)) String \
     (ite (< lo 0) \"\" (str.++ (str.from_int lo) (str.++ \"-\" (str.from_int hi)))))",
    "(define-fun bin_span ((lo Int) (k Int) (m Int)) String \
     (bin_text lo (ite (= m 0) (+ lo k) (- (+ lo k) 1))))",
    "(define-fun bin_range ((s String) (k Int) (m Int)) String \
     (ite (< (bin_whole s) 0) \"\" (bin_span (bin_lo (bin_whole s) (bin_width k) m) (bin_width k) m)))",
];

/// The name of the helper grammars offer.
pub const OFFERED: [&str; 1] = ["bin_range"];

/// The bin helper's definitions, callees first.
pub fn definitions() -> Vec<Arc<FunDef>> {
    define_all(&TEXT)
}

/// Whether a definition is the helper grammars offer (see [`OFFERED`]).
pub fn is_offered(d: &FunDef) -> bool {
    OFFERED.contains(&&*d.name)
}

/// The Rust reading of `bin_range`, for tests and the sampler (numbers of up to 18 digits).
pub fn bin_range(s: &str, k: i64, m: i64) -> String {
    let n = to_int(s.split_once('.').map_or(s, |(whole, _)| whole));
    if n < 0 {
        return String::new();
    }
    let k = k.max(1);
    let lo = if m == 2 { 1 + k * (n - 1).div_euclid(k) } else { k * n.div_euclid(k) };
    let hi = if m == 0 { lo + k } else { lo + k - 1 };
    if lo < 0 {
        String::new()
    } else {
        format!("{lo}-{hi}")
    }
}

/// The two numbers of a text that is exactly `lo-hi`, with `lo` below `hi`.
fn range(text: &str) -> Option<(i64, i64)> {
    let (a, b) = text.split_once('-')?;
    let (a, b) = (to_int(a), to_int(b));
    (a >= 0 && a < b).then_some((a, b))
}

/// Whether every example's output is a range `lo-hi` that holds a number of an input (the whole
/// part of a run of digits) and that no input holds as text: only then is `bin_range` offered.
pub fn writes_bins<'a>(mut rows: impl Iterator<Item = (&'a [String], &'a str)>) -> bool {
    let mut any = false;
    let all = rows.all(|(inputs, output)| {
        any = true;
        let Some((lo, hi)) = range(output) else { return false };
        let copied = inputs.iter().any(|i| i.contains(output));
        let held = inputs.iter().any(|i| {
            i.split(|c: char| !c.is_ascii_digit())
                .filter(|r| !r.is_empty())
                .any(|r| (lo..=hi).contains(&to_int(r)))
        });
        held && !copied
    });
    any && all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_written_three_ways() {
        let cases = [
            ("88", 10, 1, "80-89"),
            ("163", 10, 1, "160-169"),
            ("100", 25, 2, "76-100"),
            ("51", 25, 2, "51-75"),
            ("5", 25, 2, "1-25"),
            ("40.88", 5, 0, "40-45"),
            ("27.95", 5, 0, "25-30"),
            ("54", 15, 0, "45-60"),
            ("11", 2, 0, "10-12"),
            ("0", 25, 2, ""),
            ("7", 0, 0, "7-8"),
            ("-5", 10, 1, ""),
            ("abc", 10, 1, ""),
            (".5", 10, 1, ""),
        ];
        for (s, k, m, want) in cases {
            assert_eq!(bin_range(s, k, m), want, "{s} {k} {m}");
        }
    }

    #[test]
    fn definitions_parse_and_one_is_offered() {
        let defs = definitions();
        let offered: Vec<&str> = defs.iter().filter(|d| is_offered(d)).map(|d| &*d.name).collect();
        assert_eq!(offered, OFFERED);
    }

    #[test]
    fn ranges_that_hold_an_input_number_are_bins() {
        let bins = |rows: &[(&str, &str)]| {
            let rows: Vec<(Vec<String>, String)> =
                rows.iter().map(|(i, o)| (vec![i.to_string()], o.to_string())).collect();
            writes_bins(rows.iter().map(|(i, o)| (i.as_slice(), o.as_str())))
        };
        assert!(bins(&[("163", "160-169"), ("111", "110-119")]));
        assert!(bins(&[("31-Jan-2031 05:54:18", "45-60"), ("40.88", "40-45")]));
        // A range copied, one that holds no input number, a phone number, and no rows.
        assert!(!bins(&[("pages 12-34", "12-34")]));
        assert!(!bins(&[("163", "10-20")]));
        assert!(!bins(&[("call 555-1234", "555-1234"), ("163", "160-169")]));
        assert!(!bins(&[("163", "169-160")]));
        assert!(!bins(&[]));
    }
}
