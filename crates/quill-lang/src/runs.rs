//! The digit-run helper for grammars from examples: the `i`-th run of digits of a text
//! (`type size =  206: … type size =  96: …`, 1 → `96`; `the price is %500 dollars`, 0 → `500`).
//! Pulling numbers out of free text is what spreadsheet users ask a regular expression for, and
//! SMT-LIB's operators state it only as a term of thirty nodes and more: the first digit is the
//! least of ten `str.indexof`s, and the run's end an unrolled test per character.
//!
//! - `(num_at s i)`: the digits of the `i`-th maximal run of ASCII digits in `s`, counting from 0,
//!   or `""` when `s` has fewer runs. An `i` below 0 counts as 0 and one above 3 as 3. A run longer
//!   than [`MAX_RUN`] digits counts as runs of [`MAX_RUN`] digits and a rest, because the end of a
//!   run is found by a test per character.
//!
//! It is a `define-fun` in plain SMT-LIB, as the other helpers are, and takes `i` from a literal
//! non-terminal of its own (see [`RUNS`]). A group of its own, because a model's vocabulary has a
//! token per offered helper in the helper table's order and grows only at its end.

use crate::numbers::define_all;
use crate::term::FunDef;
use std::sync::Arc;

/// The most digits one run holds (see the module documentation).
pub const MAX_RUN: usize = 20;

/// The runs grammars offer `num_at` (its `i`), as literals of a non-terminal of their own, `ntRun`:
/// an index computed from the input fits a few examples by accident.
pub const RUNS: [i64; 4] = [0, 1, 2, 3];

/// The helpers' SMT-LIB text, callees first: the digit scan the calendar helpers use
/// ([`crate::calendar::digit_scan`], its internal helpers named `run_`) with runs of up to
/// [`MAX_RUN`] digits, and `num_at`, the first number after skipping `i` of them.
fn text() -> Vec<String> {
    let mut out = crate::calendar::digit_scan("run", MAX_RUN);
    out.push(
        "(define-fun num_at ((s String) (i Int)) String (run_num (ite (<= i 0) s (ite (= i 1) \
         (run_rest s) (ite (= i 2) (run_rest (run_rest s)) (run_rest (run_rest (run_rest s))))))))"
            .into(),
    );
    out
}

/// The name of the helper grammars offer.
pub const OFFERED: [&str; 1] = ["num_at"];

/// The digit-run helpers' definitions, callees first.
pub fn definitions() -> Vec<Arc<FunDef>> {
    let text = text();
    define_all(&text.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Whether a definition is the helper grammars offer (see [`OFFERED`]).
pub fn is_offered(d: &FunDef) -> bool {
    OFFERED.contains(&&*d.name)
}

/// The maximal runs of ASCII digits of `s`, each cut into pieces of at most [`MAX_RUN`] digits.
fn runs(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for run in s.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()) {
        // ASCII digits are one byte each, so byte chunks are digit chunks.
        out.extend(run.as_bytes().chunks(MAX_RUN).map(|c| std::str::from_utf8(c).unwrap_or_default()));
    }
    out
}

/// The Rust reading of `num_at`, for the evaluator, tests and the sampler.
pub fn num_at(s: &str, i: i64) -> String {
    let i = i.clamp(0, RUNS[RUNS.len() - 1]) as usize;
    runs(s).get(i).map_or_else(String::new, |r| r.to_string())
}

/// Whether some example's output holds, as a whole run of digits, a run of digits of an input that
/// is not the whole input (`%500` → `500`, `206: … 96:` → `206->96`): only then is `num_at`
/// offered.
pub fn takes_runs<'a>(examples: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    examples.into_iter().any(|(inputs, output)| {
        let wanted = runs(output);
        inputs
            .iter()
            .filter(|i| i.as_str() != output)
            .any(|i| runs(i).iter().any(|r| r != i && wanted.contains(r)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn takes(pairs: &[(&str, &str)]) -> bool {
        let rows: Vec<(Vec<String>, String)> =
            pairs.iter().map(|(i, o)| (vec![i.to_string()], o.to_string())).collect();
        takes_runs(rows.iter().map(|(i, o)| (i.as_slice(), o.as_str())))
    }

    #[test]
    fn every_definition_parses_and_one_is_offered() {
        let defs = definitions();
        let offered: Vec<&str> = defs.iter().filter(|d| is_offered(d)).map(|d| &*d.name).collect();
        assert_eq!(offered, OFFERED);
    }

    #[test]
    fn the_rust_reading() {
        let log = "type size =  206: Iste.Quia type size =  96: Harum";
        assert_eq!(num_at(log, 0), "206");
        assert_eq!(num_at(log, 1), "96");
        assert_eq!(num_at(log, 2), "");
        assert_eq!(num_at("the price is %500 dollars", -4), "500");
        assert_eq!(num_at("a1b22c333d4444e55555", 9), "4444");
        assert_eq!(num_at(&"7".repeat(25), 1), "77777");
        assert_eq!(num_at("no digits", 0), "");
    }

    #[test]
    fn offered_when_an_output_takes_a_run_of_digits() {
        assert!(takes(&[("the price is %500 dollars", "500")]));
        assert!(takes(&[("type size = 206: a type size = 96: b", "206->96")]));
        assert!(!takes(&[("500", "500")]));
        assert!(!takes(&[("500", "$500")]));
        assert!(!takes(&[("John Smith", "J. Smith")]));
        assert!(!takes(&[("12 apples", "120")]));
    }
}
