//! Calendar helpers for grammars from examples: the year, month and day of a date written in any
//! of the usual ways, and its weekday. A column of `06-Oct-2143`, `Mar 30 2002` and `01311846`
//! turned into `10/6/2143`, `3/30/2002` and `1/31/1846` needs one reading of three formats; in
//! SMT-LIB's string operators that is a term far beyond a search's reach, so the search finds a
//! character offset that fits the examples and fails on the next row.
//!
//! As the other helpers, each is a `define-fun` in SMT-LIB itself, so a problem that offers them
//! stays a plain SyGuS-IF file. [`read`] is the same reading in Rust, which decides when grammars
//! offer the helpers ([`converts_dates`]) and which the tests hold the definitions to.
//!
//! The reading, on the first three runs of digits `a`, `b`, `c` of the text (a run is at most
//! [`MAX_RUN`] digits; a missing one reads as -1):
//! - with a month's name (its first three letters, as written: `Oct`, `October`): that month; the
//!   day is `a` when it has at most two digits (`06-Oct-2143`, `Mar 30 2002`), else `b`
//!   (`2143 Oct 06`), and the year is the other one;
//! - eight digits: month, day, year (`01311846`), or year, month, day when the first two digits
//!   are no month (`20240315`); seven are eight with a leading zero left out (`8142089`);
//! - a year of four digits and a number of three digits, and no third number: the year and its
//!   day (`2067 309`, an ordinal date);
//! - a year of four digits first: year, month, day (`2143-10-06`, `2001--11--6`);
//! - a `.` after the first number: day, month, year (`15.3.1902`);
//! - else month, day, year (`7/24/1957`);
//! - in the last two cases, the other order of month and day when this one gives a month above 12
//!   and the other does not (`30/9/2004`, `6.30.2220`), as a spreadsheet reads them.
//!
//! A year of two digits is in its century as spreadsheets place it (`00` to `29` in the 2000s,
//! the rest in the 1900s: `09.12.97` is in 1997). The weekday is "" for a month or day out of
//! range.

use crate::numbers::define_all;
use crate::term::FunDef;
use std::sync::Arc;

/// The longest run of digits the helpers read as one number; a longer run is read as several.
pub const MAX_RUN: usize = 8;

/// The English weekday names, Sunday first (the helpers' weekday 0).
pub const WEEKDAYS: [&str; 7] =
    ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// Days before the first of each month in a common year.
pub(crate) const BEFORE_MONTH: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/// The offset of each month in Sakamoto's weekday formula.
const MONTH_OFFSETS: [i64; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];

/// An `ite` chain that maps `var` = `first`, `first + 1`, ... to the given SMT-LIB values, and
/// every other value to `default`.
pub(crate) fn table(var: &str, first: i64, values: &[String], default: &str) -> String {
    let mut out = default.to_string();
    for (i, v) in values.iter().enumerate().rev() {
        out = format!("(ite (= {var} {}) {v} {out})", first + i as i64);
    }
    out
}

/// The definitions that scan a text for runs of digits, named with the prefix `p` (`cal` for the
/// calendar helpers, `run` for `num_at`), a run being at most `max` digits:
/// - `{p}_min`: the smaller of two positions, where a negative one is none;
/// - `{p}_first`: where the first digit of `s` is, or -1 (the least of ten `str.indexof`s);
/// - `{p}_from_at`, `{p}_from`: `s` from position `p` on ("" for a negative `p`), and from its
///   first digit on;
/// - `{p}_run`: the length of the run of digits that `t` starts with (a test per character);
/// - `{p}_cut`, `{p}_num`: that run, and the first number of `s`;
/// - `{p}_drop`, `{p}_rest`: the text after that run, and after the first number of `s`.
pub(crate) fn digit_scan(p: &str, max: usize) -> Vec<String> {
    let mut first = "(str.indexof s \"9\" 0)".to_string();
    for d in (0..9).rev() {
        first = format!("({p}_min (str.indexof s \"{d}\" 0) {first})");
    }
    let mut run = format!("{max}");
    for k in (1..max).rev() {
        run = format!("(ite (str.is_digit (str.at t {k})) {run} {k})");
    }
    vec![
        format!("(define-fun {p}_min ((a Int) (b Int)) Int (ite (< a 0) b (ite (< b 0) a (ite (< a b) a b))))"),
        format!("(define-fun {p}_first ((s String)) Int {first})"),
        format!("(define-fun {p}_from_at ((s String) (p Int)) String (ite (< p 0) \"\" (str.substr s p (str.len s))))"),
        format!("(define-fun {p}_from ((s String)) String ({p}_from_at s ({p}_first s)))"),
        format!("(define-fun {p}_run ((t String)) Int (ite (str.is_digit (str.at t 0)) {run} 0))"),
        format!("(define-fun {p}_cut ((t String)) String (str.substr t 0 ({p}_run t)))"),
        format!("(define-fun {p}_num ((s String)) String ({p}_cut ({p}_from s)))"),
        format!("(define-fun {p}_drop ((t String)) String (str.substr t ({p}_run t) (str.len t)))"),
        format!("(define-fun {p}_rest ((s String)) String ({p}_drop ({p}_from s)))"),
    ]
}

/// The helpers' SMT-LIB text, callees first. Internal helpers start with `cal_`; a helper that
/// takes a value computed by its caller as a parameter does so to compute it once.
pub(crate) fn text() -> Vec<String> {
    let before: Vec<String> = BEFORE_MONTH.iter().map(i64::to_string).collect();
    let mut ord_month = "1".to_string();
    for m in 2..=12 {
        ord_month = format!("(ite (> n (cal_before y {m})) {m} {ord_month})");
    }
    let quoted = |names: &[&str]| names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>();
    let mut by_name = "0".to_string();
    for (i, m) in crate::dates::MONTHS.iter().enumerate().rev() {
        by_name = format!("(ite (str.contains s \"{}\") {} {by_name})", &m[..3], i + 1);
    }
    let offsets: Vec<String> = MONTH_OFFSETS.iter().map(i64::to_string).collect();
    let mut out = digit_scan("cal", MAX_RUN);
    out.extend([
        // The month whose name `s` holds (its first three letters), or 0.
        format!("(define-fun cal_month_name ((s String)) Int {by_name})"),
        // Piece `k` (0 year, 1 month, 2 day) of an eight-digit date.
        "(define-fun cal_eight ((k Int) (a String)) String (ite (<= (str.to_int (str.substr a 0 2)) 12) \
         (ite (= k 0) (str.substr a 4 4) (ite (= k 1) (str.substr a 0 2) (str.substr a 2 2))) \
         (ite (= k 0) (str.substr a 0 4) (ite (= k 1) (str.substr a 4 2) (str.substr a 6 2)))))"
            .into(),
        // Piece `k` of a date without a month's name, from its first three numbers and whether a
        // `.` follows the first.
        // Whether the usual order of day and month (day first after a `.`) gives a month above 12
        // where the other order does not (`30/9/2004`, `6.30.2220`).
        "(define-fun cal_swap ((a String) (b String) (dot Bool)) Bool (ite dot \
         (and (> (str.to_int b) 12) (<= (str.to_int a) 12)) (and (> (str.to_int a) 12) (<= (str.to_int b) 12))))"
            .into(),
        "(define-fun cal_numeric ((k Int) (a String) (b String) (c String) (dot Bool)) String \
         (ite (= (str.len a) 8) (cal_eight k a) (ite (= (str.len a) 7) (cal_eight k (str.++ \"0\" a)) \
         (ite (= (str.len a) 4) (ite (= k 0) a (ite (= k 1) b c)) \
         (ite (= dot (not (cal_swap a b dot))) (ite (= k 0) c (ite (= k 1) b a)) \
         (ite (= k 0) c (ite (= k 1) a b)))))))"
            .into(),
        "(define-fun cal_century ((y Int)) Int (ite (< y 100) (+ y (ite (< y 30) 2000 1900)) y))".into(),
        "(define-fun cal_leap ((y Int)) Bool (and (= (mod y 4) 0) (or (not (= (mod y 100) 0)) (= (mod y 400) 0))))"
            .into(),
        // Days of year `y` before the first of month `m`.
        format!(
            "(define-fun cal_before ((y Int) (m Int)) Int (+ {} (ite (and (> m 2) (cal_leap y)) 1 0)))",
            table("m", 1, &before, "0")
        ),
        // An ordinal date: a four-digit year and a day of the year of three digits (`2067 309`).
        "(define-fun cal_ordinal ((a String) (b String) (c String)) Bool \
         (and (= (str.len a) 4) (= (str.len b) 3) (= c \"\")))"
            .into(),
        format!("(define-fun cal_ord_month ((y Int) (n Int)) Int {ord_month})"),
        "(define-fun cal_ord ((k Int) (y Int) (n Int)) Int (ite (= k 0) y (ite (= k 1) (cal_ord_month y n) \
         (- n (cal_before y (cal_ord_month y n))))))"
            .into(),
        // A year's value, a two-digit one in its century (`97` is 1997).
        "(define-fun cal_year ((t String)) Int (ite (= (str.len t) 2) (cal_century (str.to_int t)) (str.to_int t)))"
            .into(),
        // Piece `k` of a date with the month `m` by name (`m` > 0) or without.
        "(define-fun cal_piece ((k Int) (m Int) (a String) (b String) (c String) (dot Bool)) Int \
         (ite (> m 0) (ite (= k 1) m (ite (= k 2) (str.to_int (ite (<= (str.len a) 2) a b)) \
         (cal_year (ite (<= (str.len a) 2) b a)))) \
         (ite (cal_ordinal a b c) (cal_ord k (str.to_int a) (str.to_int b)) \
         (ite (= k 0) (cal_year (cal_numeric k a b c dot)) (str.to_int (cal_numeric k a b c dot))))))"
            .into(),
        "(define-fun cal_read ((k Int) (s String) (r String)) Int \
         (cal_piece k (cal_month_name s) (cal_num s) (cal_num r) (cal_num (cal_rest r)) (= (str.at r 0) \".\")))"
            .into(),
        "(define-fun date_year ((s String)) Int (cal_read 0 s (cal_rest s)))".into(),
        "(define-fun date_month ((s String)) Int (cal_read 1 s (cal_rest s)))".into(),
        "(define-fun date_day ((s String)) Int (cal_read 2 s (cal_rest s)))".into(),
        // Sakamoto's weekday (0 Sunday) of day `d` of month `m`, where `y` is the year, less one
        // in January and February.
        format!(
            "(define-fun cal_weekday ((y Int) (m Int) (d Int)) Int (mod (+ y (div y 4) (- (div y 100)) \
             (div y 400) {} d) 7))",
            table("m", 1, &offsets, "0")
        ),
        format!("(define-fun cal_day_name ((w Int)) String {})", table("w", 0, &quoted(&WEEKDAYS), "\"\"")),
        "(define-fun cal_named ((y Int) (m Int) (d Int)) String \
         (ite (and (<= 1 m) (<= m 12) (<= 1 d) (<= d 31) (<= 0 y)) \
         (cal_day_name (cal_weekday (ite (< m 3) (- (cal_century y) 1) (cal_century y)) m d)) \"\"))"
            .into(),
        "(define-fun day_name ((s String)) String (cal_named (date_year s) (date_month s) (date_day s)))".into(),
        "(define-fun day_abbr ((s String)) String (str.substr (day_name s) 0 3))".into(),
    ]);
    out
}

/// The calendar helpers, callees first; those without the `cal_` prefix are offered.
pub fn definitions() -> Vec<Arc<FunDef>> {
    let text = text();
    define_all(&text.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Whether a definition is one of the calendar helpers grammars offer.
pub fn is_offered(d: &FunDef) -> bool {
    !d.name.starts_with("cal_")
}

/// The first three runs of digits of `s` (at most [`MAX_RUN`] digits each; "" when missing) and
/// whether a `.` follows the first.
fn runs(s: &str) -> ([&str; 3], bool) {
    let mut out = [""; 3];
    let mut rest = s;
    let mut dot = false;
    for (k, slot) in out.iter_mut().enumerate() {
        let Some(p) = rest.find(|c: char| c.is_ascii_digit()) else {
            rest = "";
            continue;
        };
        let t = &rest[p..];
        let n = t.bytes().take(MAX_RUN).take_while(u8::is_ascii_digit).count();
        *slot = &t[..n];
        rest = &t[n..];
        if k == 0 {
            dot = rest.starts_with('.');
        }
    }
    (out, dot)
}

/// SMT-LIB's `str.to_int`: the value of a non-empty run of digits, else -1.
pub(crate) fn to_int(s: &str) -> i64 {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return -1;
    }
    s.parse().unwrap_or(-1)
}

/// The (year, month, day) the helpers read in `s` (see the module documentation); -1 for a piece
/// that is not there.
pub fn read(s: &str) -> (i64, i64, i64) {
    let by_name = crate::dates::MONTHS.iter().position(|m| s.contains(&m[..3]));
    let ([a, b, c], dot) = runs(s);
    let year = |y: &str| if y.len() == 2 { century(to_int(y)) } else { to_int(y) };
    if let Some(m) = by_name {
        let (d, y) = if a.len() <= 2 { (a, b) } else { (b, a) };
        return (year(y), m as i64 + 1, to_int(d));
    }
    if a.len() == 4 && b.len() == 3 && c.is_empty() {
        let (y, n) = (to_int(a), to_int(b));
        let m = (2..=12).rev().find(|&m| n > before(y, m)).unwrap_or(1);
        return (y, m, n - before(y, m));
    }
    // Seven digits are eight with the month's leading zero left out (`8142089`).
    let padded = format!("0{a}");
    let a = if a.len() == 7 { padded.as_str() } else { a };
    let (y, m, d) = if a.len() == 8 {
        if to_int(&a[..2]) <= 12 {
            (&a[4..], &a[..2], &a[2..4])
        } else {
            (&a[..4], &a[4..6], &a[6..])
        }
    } else if a.len() == 4 {
        (a, b, c)
    } else {
        // Day first after a `.`, else month first, unless that order makes no month and the
        // other does (`30/9/2004`, `6.30.2220`).
        let swap = if dot { to_int(b) > 12 && to_int(a) <= 12 } else { to_int(a) > 12 && to_int(b) <= 12 };
        if dot != swap {
            (c, b, a)
        } else {
            (c, a, b)
        }
    };
    (year(y), to_int(m), to_int(d))
}

/// The weekday name of the date [`read`] finds in `s`, or "" (see the module documentation).
pub fn day_name(s: &str) -> &'static str {
    let (y, m, d) = read(s);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 0 {
        return "";
    }
    WEEKDAYS[weekday(century(y), m, d) as usize]
}

/// Whether `y` is a leap year of the Gregorian calendar.
pub(crate) fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days of year `y` before the first of month `m` (1 to 12).
pub(crate) fn before(y: i64, m: i64) -> i64 {
    BEFORE_MONTH[(m.clamp(1, 12) - 1) as usize] + i64::from(m > 2 && is_leap(y))
}

/// A year of two digits in its century as spreadsheets place it (`00` to `29` in the 2000s, the
/// rest in the 1900s); other years as they are.
pub fn century(y: i64) -> i64 {
    if y < 100 {
        y + if y < 30 { 2000 } else { 1900 }
    } else {
        y
    }
}

/// Sakamoto's weekday (0 Sunday) of day `d` of month `m` (1 to 12) of year `y`.
pub fn weekday(y: i64, m: i64, d: i64) -> i64 {
    let y = if m < 3 { y - 1 } else { y };
    (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) + MONTH_OFFSETS[m as usize - 1] + d)
        .rem_euclid(7)
}

/// Whether `s` holds a date as people write one: [`read`] finds a month and a day in range and a
/// year of four digits, or a month by name. Times (`6:25:57 PM`) and codes read as nonsense dates,
/// and are not dates here.
pub fn holds_date(s: &str) -> bool {
    let (y, m, d) = read(s);
    let named = crate::dates::MONTHS.iter().any(|n| s.contains(&n[..3]));
    (1..=12).contains(&m) && (1..=31).contains(&d) && (named || (1000..=9999).contains(&y))
}

/// Whether `s` is a date and nothing else: a date [`holds_date`] finds, whose words are all
/// month names (`Oct`, `October`), with at most three numbers and no other characters than
/// spaces, `-`, `/`, `.` and `,` between them. Text around a date (a time, a name) is left alone:
/// a program may rightly read it by position.
pub fn date_alone(s: &str) -> bool {
    let words_are_months = s
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .all(|w| crate::dates::MONTHS.iter().any(|m| m.starts_with(w) && w.len() >= 3));
    let numbers = s.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).count();
    let plain = s.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '/' | '.' | ','));
    plain && words_are_months && numbers <= 3 && holds_date(s)
}

/// Whether every example's output is the year, month or day, as a plain number, of an input that
/// is a date alone ([`date_alone`]): `2001--11--6` → `2001`. Copying a number out of a date fits
/// such examples, but fails on the next row written in another format (`11/6/2001`), which the
/// calendar helpers read; so grammars offer them then too.
pub fn takes_date_parts<'a>(mut rows: impl Iterator<Item = (&'a [String], &'a str)>) -> bool {
    let mut any = false;
    let all = rows.all(|(inputs, output)| {
        any = true;
        inputs.iter().filter(|i| date_alone(i)).any(|input| {
            let (y, m, d) = read(input);
            [y, m, d].iter().any(|n| output == n.to_string())
        })
    });
    any && all
}

/// Whether some example writes a part of a date of its inputs in a form the inputs lack: a month
/// or day number not written as such (`06-Oct-2143` → `10/6/2143`), a number holding both
/// written with two digits each (`Mar 30 2002` → `03302002`), or a month's or weekday's
/// name (`01311846` → `Jan 46`, `Sunday`). Grammars offer the calendar helpers only then, since
/// five more productions widen every search.
pub fn converts_dates<'a>(rows: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    let words = |t: &'a str| t.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty());
    rows.into_iter().any(|(inputs, output)| {
        inputs.iter().filter(|i| holds_date(i)).any(|input| {
            let (_, m, d) = read(input);
            let month = crate::dates::MONTHS[m as usize - 1];
            let fresh = |w: &str| !words(input).any(|i| i == w);
            let (mm, dd) = (format!("{m:02}"), format!("{d:02}"));
            words(output).filter(|w| fresh(w)).any(|w| {
                let n = to_int(w);
                n == m
                    || n == d
                    || (n >= 0 && w.contains(&mm) && w.contains(&dd))
                    || (w.len() >= 3 && month.starts_with(w))
                    || (w.len() >= 3 && day_name(input).starts_with(w))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_formats_are_read() {
        let cases = [
            ("06-Oct-2143", (2143, 10, 6), "Sunday"),
            ("Mar 30 2002", (2002, 3, 30), "Saturday"),
            ("01311846", (1846, 1, 31), "Saturday"),
            ("20240315", (2024, 3, 15), "Friday"),
            ("22 Apr 1953 11:34", (1953, 4, 22), "Wednesday"),
            ("2026-12-30T06:25:57Z", (2026, 12, 30), "Wednesday"),
            ("2001--11--6", (2001, 11, 6), "Tuesday"),
            ("15.3.1902", (1902, 3, 15), "Saturday"),
            ("7/24/1957 0:00", (1957, 7, 24), "Wednesday"),
            ("Friday, January 31, 2031", (2031, 1, 31), "Friday"),
            ("2143 Oct 06", (2143, 10, 6), "Sunday"),
            ("3/15/24", (2024, 3, 15), "Friday"),
            ("09.12.97", (1997, 12, 9), "Tuesday"),
            ("6-Apr-92", (1992, 4, 6), "Monday"),
            ("30/9/2004", (2004, 9, 30), "Thursday"),
            ("6.30.2220", (2220, 6, 30), "Friday"),
            ("13/14/2000", (2000, 13, 14), ""),
            ("2067 309", (2067, 11, 5), "Saturday"),
            ("8142089", (2089, 8, 14), "Sunday"),
            ("1972 100", (1972, 4, 9), "Sunday"),
            ("1846 031", (1846, 1, 31), "Saturday"),
            ("no date", (-1, -1, -1), ""),
        ];
        for (s, ymd, day) in cases {
            assert_eq!((read(s), day_name(s)), (ymd, day), "{s}");
        }
    }

    #[test]
    fn definitions_parse_and_five_are_offered() {
        let defs = definitions();
        let offered: Vec<&str> = defs.iter().filter(|d| is_offered(d)).map(|d| &*d.name).collect();
        assert_eq!(offered, ["date_year", "date_month", "date_day", "day_name", "day_abbr"]);
    }

    #[test]
    fn gates_see_dates_converted() {
        let converts = |i: &str, o: &str| {
            let inputs = [i.to_string()];
            converts_dates([(&inputs[..], o)])
        };
        assert!(converts("06-Oct-2143", "10/6/2143"));
        assert!(converts("01311846", "Jan 46"));
        assert!(converts("Mar 30 2002", "Saturday"));
        assert!(converts("Mar 30 2002", "30/3/2002"));
        assert!(converts("Mar 30 2002", "03302002"));
        // Copying or dropping parts converts nothing, and times are no dates.
        assert!(!converts("06-Oct-2143", "2143"));
        assert!(!converts("2143-10-06", "10-06"));
        assert!(!converts("6:25:57 PM", "18:25"));
        assert!(!converts("John Smith", "Smith"));
    }

    #[test]
    fn parts_taken_out_of_dates_alone_are_seen() {
        let takes = |rows: &[(&str, &str)]| {
            let rows: Vec<(Vec<String>, String)> =
                rows.iter().map(|(i, o)| (vec![i.to_string()], o.to_string())).collect();
            takes_date_parts(rows.iter().map(|(i, o)| (i.as_slice(), o.as_str())))
        };
        assert!(takes(&[("2001--11--6", "2001"), ("1846--1--31", "31")]));
        assert!(takes(&[("06-Oct-2143", "6")]));
        // A date among other text, a part written otherwise, or one row that is no part.
        assert!(!takes(&[("06-Oct-2143 13:16", "2143")]));
        assert!(!takes(&[("06-Oct-2143", "06")]));
        assert!(!takes(&[("2001--11--6", "2001"), ("John Smith", "Smith")]));
        assert!(!takes(&[]));
    }
}
