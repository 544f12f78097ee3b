//! Date and time helpers for grammars from examples: month names from month numbers and back, and
//! the 12-hour clock. Spreadsheet dates are text, and turning `2019-11-05` into `Nov 2019` or
//! `21:15` into `9:15 PM` needs a table that SMT-LIB's string operators cannot hold in a short term.
//!
//! As with the number helpers (`crate::numbers`), each is a `define-fun` in SMT-LIB, so a problem
//! that offers them stays a plain SyGuS-IF file. Month helpers are offered when an example turns
//! a month's number into its name or back ([`converts_months`]); clock helpers when one turns a
//! time into `AM`/`PM` or back ([`converts_clock`]).

use crate::numbers::define_all;
use crate::term::FunDef;
use std::sync::Arc;

/// The English month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month helpers' SMT-LIB text, callees first.
fn month_text() -> Vec<String> {
    let mut name = String::from("\"\"");
    for (i, m) in MONTHS.iter().enumerate().rev() {
        name = format!("(ite (= m {}) \"{m}\" {name})", i + 1);
    }
    let abbrs: String = MONTHS.iter().map(|m| &m[..3]).collect();
    vec![
        // The English name of month `m` (1 to 12; empty otherwise), and its first three letters.
        format!("(define-fun month_name ((m Int)) String {name})"),
        "(define-fun month_abbr ((m Int)) String (str.substr (month_name m) 0 3))".into(),
        format!("(define-fun dates_month_at ((t String)) Int (str.indexof \"{abbrs}\" t 0))"),
        // The number of the month whose name `s` starts with (`Nov`, `November` → 11; 0 when
        // none does). Names are matched as written: `Jan`, not `jan`.
        "(define-fun month_num ((s String)) Int (ite (and (= (str.len (str.substr s 0 3)) 3) \
         (= (mod (dates_month_at (str.substr s 0 3)) 3) 0)) (+ (div (dates_month_at (str.substr s 0 3)) 3) 1) 0))"
            .into(),
    ]
}

/// The clock helpers' SMT-LIB text: the hour on a 12-hour clock (`0` and `12` → 12, `22` → 10)
/// and its half of the day (`AM` before noon, `PM` after).
const CLOCK_TEXT: [&str; 2] = [
    "(define-fun hour12 ((h Int)) Int (ite (= (mod h 12) 0) 12 (mod h 12)))",
    "(define-fun am_pm ((h Int)) String (ite (< (mod h 24) 12) \"AM\" \"PM\"))",
];

/// The month helpers, callees first; all but the internal `dates_month_at` are offered.
pub fn month_definitions() -> Vec<Arc<FunDef>> {
    let text = month_text();
    define_all(&text.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The clock helpers, all offered.
pub fn clock_definitions() -> Vec<Arc<FunDef>> {
    define_all(&CLOCK_TEXT)
}

/// Whether a helper is internal (called by other helpers only, never offered by a grammar).
pub fn is_internal(d: &FunDef) -> bool {
    d.name.starts_with("dates_")
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase)
}

fn is_month(w: &str) -> bool {
    w.len() >= 3 && MONTHS.iter().any(|m| m.to_ascii_lowercase().starts_with(w))
}

/// Whether some example converts words that `pick` holds for: its output has one its inputs lack
/// (a name made from a number: `11` → `Nov`), or its inputs have one its output lacks while the
/// output has a number the inputs do not (a number made from a name: `Jan` → `1`). An example that
/// only drops such a word (`April 11 1867` → `1867`) or copies it converts nothing.
fn converts<'a>(
    examples: impl IntoIterator<Item = (&'a [String], &'a str)>,
    pick: impl Fn(&str) -> bool,
) -> bool {
    examples.into_iter().any(|(inputs, output)| {
        let ins: Vec<String> =
            inputs.iter().flat_map(|i| words(i).collect::<Vec<_>>()).filter(|w| pick(w)).collect();
        let outs: Vec<String> = words(output).filter(|w| pick(w)).collect();
        let from_number = outs.iter().any(|w| !ins.contains(w));
        let to_number = ins.iter().any(|w| !outs.contains(w))
            && crate::numbers::computes_numbers(std::iter::once((inputs, output)));
        from_number || to_number
    })
}

/// Whether some example converts a month's name (see [`converts`]: `2019-11-05` → `Nov 2019`,
/// `12-Jan-2020` → `1/12/2020`): then the month helpers are offered.
pub fn converts_months<'a>(examples: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    converts(examples, is_month)
}

/// Whether some example converts between clocks (see [`converts`]: `21:15` → `9:15 PM`,
/// `7:40 PM` → `19:40`): then the clock helpers are offered.
pub fn converts_clock<'a>(examples: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    converts(examples, |w| w == "am" || w == "pm")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(i: &str, o: &str) -> bool {
        let inputs = [i.to_string()];
        converts_months([(&inputs[..], o)])
    }

    fn clock(i: &str, o: &str) -> bool {
        let inputs = [i.to_string()];
        converts_clock([(&inputs[..], o)])
    }

    #[test]
    fn definitions_parse_and_internal_ones_are_marked() {
        let months = month_definitions();
        assert_eq!(months.iter().filter(|d| !is_internal(d)).count(), 3);
        assert!(month_definitions()[0].to_string().contains("\"December\""));
        assert_eq!(clock_definitions().len(), 2);
    }

    #[test]
    fn gates_see_conversions_of_months_and_clocks() {
        assert!(months("2019-11-05", "Nov 2019"));
        assert!(months("12-Jan-2020", "1/12/2020"));
        assert!(!months("March 3", "March"));
        assert!(!months("John Smith", "Smith"));
        // `mar` in `Marco` is not a word of its own.
        assert!(!months("Marco", "M"));
        // Dropping or copying a month converts nothing, nor does a name that looks like one.
        assert!(!months("April 11 1867", "1867"));
        assert!(!months("Jan Kotas", "J.K."));
        assert!(!clock("Dec 2, 11=23 PM - lorem", "lorem"));
        assert!(clock("21:15", "9:15 PM"));
        assert!(clock("7:40 PM", "19:40"));
        assert!(!clock("7:40 PM", "PM"));
    }
}
