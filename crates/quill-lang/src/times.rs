//! Time-of-day helpers for grammars from examples: the minutes since midnight of a time written in
//! any of the usual ways, and a number of minutes written on the 24-hour or the 12-hour clock.
//! "The half hour of `11:12:29`" is `11:00AM-11:30AM`: with these helpers, the time floored to a
//! multiple of 30 minutes and that plus 30, each written on the 12-hour clock, within a search's
//! reach; with SMT-LIB's string operators alone, the hours and minutes are cut out, converted and
//! padded by hand, far beyond it.
//!
//! As the other helpers, each is a `define-fun` in SMT-LIB itself, so a problem that offers them
//! stays a plain SyGuS-IF file. [`minutes`] is the same reading in Rust, which decides when
//! grammars offer the helpers ([`converts_times`]) and which the tests hold the definitions to.
//!
//! The reading (`time_minutes`), -1 when none applies:
//! - a `:` with a digit before it: the hour is the one or two digits before the first `:`, the
//!   minutes the two digits after it (`18:25:57`, `6:25 PM`, `2143-10-06 06:25`);
//! - else an `AM` or `PM` (either case) after one or two digits, with at most one space between
//!   (`11AM`, `6 pm`): that hour;
//! - else three or four digits and nothing else: hours and minutes (`227` is 2:27, `1105` 11:05).
//!
//! A `PM` after the hour adds 12 hours to hours below 12; an `AM` makes hour 12 midnight.

use crate::numbers::define_all;
use crate::term::FunDef;
use std::sync::Arc;

/// The steps, in minutes, that grammars offering the time helpers add as integer literals: time
/// slots are quarter hours, half hours, hours, an hour and a half or two hours long.
pub const STEPS: [i64; 5] = [15, 30, 60, 90, 120];

/// `(slot_last t m)`: the last minute of the `m`-minute slot that holds minute `t`, the end of a
/// slot that ends a minute before the next begins (`6:25PM` in `6:00PM-6:29PM`, with `m` 30).
/// Offered in a group of its own, only when an output ends a slot so ([`ends_slots_early`]): with
/// `+` and a literal, such a slot is two nodes larger than one that ends on the next one's start,
/// out of a search's reach in the time budget. It calls nothing, so it needs no other group.
const SLOT_LAST: &str = "(define-fun slot_last ((t Int) (m Int)) Int (- (+ (* m (div t m)) m) 1))";

/// The definition of `slot_last` (see [`SLOT_LAST`]).
pub fn slot_definitions() -> Vec<Arc<FunDef>> {
    define_all(&[SLOT_LAST])
}

/// Whether some output writes a time whose minutes are the last of a quarter hour (`:14`, `:29`,
/// `:44`, `:59`): the sign of slots that end a minute before the next begins.
pub fn ends_slots_early<'a>(examples: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    examples.into_iter().any(|(_, output)| [":14", ":29", ":44", ":59"].iter().any(|m| output.contains(m)))
}

/// `(slot_next t m)`: the first minute of the slot after the `m`-minute slot that holds minute
/// `t`, the end of a slot that ends where the next begins (`2:00` in `1:00-2:00`, with `m` 60).
/// `ceil_to` fits examples as well where no time sits on a slot's start, and gives an empty slot
/// for one that does (`2:00-2:00`); `+` and a literal make the right term two nodes larger, out
/// of a search's reach. Offered in a group of its own, with the time helpers, when an output
/// writes a slot ([`writes_slots`]). It calls nothing, so it needs no other group.
const SLOT_NEXT: &str = "(define-fun slot_next ((t Int) (m Int)) Int (+ (* m (div t m)) m))";

/// The definition of `slot_next` (see [`SLOT_NEXT`]).
pub fn next_definitions() -> Vec<Arc<FunDef>> {
    define_all(&[SLOT_NEXT])
}

/// Whether some output writes exactly two times (`1:00-2:00`, `3AM-5AM`, see [`clock_times`]):
/// a slot.
pub fn writes_slots<'a>(examples: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    examples.into_iter().any(|(_, output)| clock_times(output).len() == 2)
}

/// A time written in a text: where its minutes are (a byte offset; none for `5PM`), and the
/// minute of the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockTime {
    pub minutes_at: Option<usize>,
    pub of_day: u32,
}

/// The times of a text: `h:mm` (seconds after it belong to it), or an hour alone followed by
/// `AM` or `PM`; either may be followed by `AM`/`PM`, perhaps after a space. An hour has one or
/// two digits and is not part of a longer number.
pub fn clock_times(s: &str) -> Vec<ClockTime> {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !digit(i) || (i > 0 && digit(i - 1)) {
            i += 1;
            continue;
        }
        let mut j = i;
        while digit(j) {
            j += 1;
        }
        let mut end = j;
        let mut minutes_at = None;
        let mut minute = 0;
        if b.get(j) == Some(&b':') && digit(j + 1) && digit(j + 2) && !digit(j + 3) {
            minutes_at = Some(j + 1);
            minute = u32::from(b[j + 1] - b'0') * 10 + u32::from(b[j + 2] - b'0');
            end = j + 3;
            // Seconds belong to the time.
            if b.get(end) == Some(&b':') && digit(end + 1) && digit(end + 2) {
                end += 3;
            }
        }
        let rest = s[end..].trim_start_matches(' ');
        let half =
            ["AM", "PM", "am", "pm"].iter().find(|h| rest.starts_with(**h)).map(|h| h.to_ascii_uppercase());
        let hour: u32 = s[i..j].parse().unwrap_or(99);
        let timed = minutes_at.is_some() || half.is_some();
        if j - i <= 2 && timed && minute < 60 && hour <= 24 {
            let hour = match half.as_deref() {
                Some("AM") => hour % 12,
                Some("PM") => hour % 12 + 12,
                _ => hour,
            };
            out.push(ClockTime { minutes_at, of_day: hour * 60 + minute });
        }
        i = end.max(i + 1);
    }
    out
}

/// `(clock_12s m)`: minutes since midnight on the 12-hour clock with a space before the half of
/// the day (`6:00 PM`, the way spreadsheets write `h:mm AM/PM`). Offered in a group of its own,
/// with the time helpers, only when an output writes a time so ([`spaces_half_day`]): `clock_12`
/// and a space put back in the middle would be a term of a dozen nodes.
const CLOCK_SPACED: &str = "(define-fun clock_12s ((m Int)) String (ite (< m 0) \"\" \
     (str.++ (str.from_int (ite (= (mod (div m 60) 12) 0) 12 (mod (div m 60) 12))) \":\" (time_pad (mod m 60)) \
     (ite (< (mod (div m 60) 24) 12) \" AM\" \" PM\"))))";

/// The definition of `clock_12s` (see [`CLOCK_SPACED`]), read after the time helpers it calls.
pub fn spaced_definitions() -> Vec<Arc<FunDef>> {
    crate::numbers::define_after(&TEXT, &[CLOCK_SPACED])
}

/// Whether some output writes a half of the day after a digit and a space (`6:00 PM`, `7 am`).
pub fn spaces_half_day<'a>(examples: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    examples.into_iter().any(|(_, output)| {
        let o = output.to_ascii_uppercase();
        o.match_indices(" AM")
            .chain(o.match_indices(" PM"))
            .any(|(i, _)| o[..i].ends_with(|c: char| c.is_ascii_digit()))
    })
}

/// The helpers' SMT-LIB text, callees first. Internal helpers start with `time_`, except
/// `time_minutes`; a helper that takes a value computed by its caller as a parameter does so to
/// compute it once.
const TEXT: [&str; 15] = [
    // The number written in the one or two digits just before position `p` of `s`, or -1.
    "(define-fun time_before ((s String) (p Int)) Int (ite (str.is_digit (str.at s (- p 1))) \
     (ite (str.is_digit (str.at s (- p 2))) (str.to_int (str.substr s (- p 2) 2)) (str.to_int (str.at s (- p 1)))) (- 1)))",
    // Whether `PM` (or `pm`) or `AM` (or `am`) follows position `p`.
    "(define-fun time_pm ((s String) (p Int)) Bool (or (>= (str.indexof s \"PM\" p) 0) (>= (str.indexof s \"pm\" p) 0)))",
    "(define-fun time_am ((s String) (p Int)) Bool (or (>= (str.indexof s \"AM\" p) 0) (>= (str.indexof s \"am\" p) 0)))",
    // Hour `h` on the 24-hour clock, after the half of the day that follows it.
    "(define-fun time_24 ((h Int) (pm Bool) (am Bool)) Int (ite (and pm (< h 12)) (+ h 12) (ite (and am (= h 12)) 0 h)))",
    // A time with a `:` at `p`.
    "(define-fun time_colon ((s String) (p Int) (h Int)) Int (ite (and (>= h 0) (str.is_digit (str.at s (+ p 1))) \
     (str.is_digit (str.at s (+ p 2)))) (+ (* 60 (time_24 h (time_pm s p) (time_am s p))) (str.to_int (str.substr s (+ p 1) 2))) (- 1)))",
    // The smaller of two positions, where a negative one is none.
    "(define-fun time_first ((a Int) (b Int)) Int (ite (< a 0) b (ite (< b 0) a (ite (< a b) a b))))",
    // Where the first `AM` or `PM` (either case) is, or -1.
    "(define-fun time_half_at ((s String)) Int (time_first (time_first (str.indexof s \"AM\" 0) (str.indexof s \"PM\" 0)) \
     (time_first (str.indexof s \"am\" 0) (str.indexof s \"pm\" 0))))",
    // A time written as an hour `h` before the half of the day at `q`.
    "(define-fun time_hour ((s String) (q Int) (h Int)) Int (ite (< h 0) (- 1) (* 60 (time_24 h (time_pm s q) (time_am s q)))))",
    "(define-fun time_half ((s String) (q Int)) Int (ite (< q 0) (- 1) \
     (time_hour s q (time_before s (ite (= (str.at s (- q 1)) \" \") (- q 1) q)))))",
    // Three or four digits: hours and minutes.
    "(define-fun time_digits ((s String)) Int (ite (and (<= 3 (str.len s)) (<= (str.len s) 4) (>= (str.to_int s) 0)) \
     (+ (* 60 (div (str.to_int s) 100)) (mod (str.to_int s) 100)) (- 1)))",
    "(define-fun time_minutes ((s String)) Int (ite (str.contains s \":\") \
     (time_colon s (str.indexof s \":\" 0) (time_before s (str.indexof s \":\" 0))) \
     (ite (>= (time_half_at s) 0) (time_half s (time_half_at s)) (time_digits s))))",
    // Two digits for the minutes.
    "(define-fun time_pad ((n Int)) String (ite (< n 10) (str.++ \"0\" (str.from_int n)) (str.from_int n)))",
    // Minutes since midnight `m` on the 24-hour clock (`18:00`, `8:30`), on the 12-hour clock
    // (`6:00PM`), and as the hour alone on the 12-hour clock (`6PM`); "" for a negative `m`.
    "(define-fun clock_24 ((m Int)) String (ite (< m 0) \"\" \
     (str.++ (str.from_int (mod (div m 60) 24)) \":\" (time_pad (mod m 60)))))",
    "(define-fun clock_12 ((m Int)) String (ite (< m 0) \"\" (str.++ (str.from_int (ite (= (mod (div m 60) 12) 0) 12 \
     (mod (div m 60) 12))) \":\" (time_pad (mod m 60)) (ite (< (mod (div m 60) 24) 12) \"AM\" \"PM\"))))",
    "(define-fun clock_hour ((m Int)) String (ite (< m 0) \"\" (str.++ (str.from_int (ite (= (mod (div m 60) 12) 0) 12 \
     (mod (div m 60) 12))) (ite (< (mod (div m 60) 24) 12) \"AM\" \"PM\"))))",
];

/// The time helpers, callees first; `time_minutes` and the `clock_` ones are offered.
pub fn definitions() -> Vec<Arc<FunDef>> {
    define_all(&TEXT)
}

/// Whether a definition is one of the time helpers grammars offer.
pub fn is_offered(d: &FunDef) -> bool {
    &*d.name == "time_minutes" || d.name.starts_with("clock_")
}

/// The number in the one or two ASCII digits just before character `p` of `s`, if any.
fn before(s: &[char], p: usize) -> Option<i64> {
    let digit = |k: usize| s.get(k).and_then(|c| c.to_digit(10).filter(|_| c.is_ascii_digit()));
    let one = p.checked_sub(1).and_then(digit)?;
    match p.checked_sub(2).and_then(digit) {
        Some(tens) => Some(i64::from(tens * 10 + one)),
        None => Some(i64::from(one)),
    }
}

/// Where `pat` first occurs in `s` at or after character `from`.
fn find(s: &[char], pat: &str, from: usize) -> Option<usize> {
    let pat: Vec<char> = pat.chars().collect();
    (from..=s.len().saturating_sub(pat.len())).find(|&k| s[k..].starts_with(&pat))
}

/// Hour `h` on the 24-hour clock after the half of the day that follows position `p`.
fn on_24(s: &[char], p: usize, h: i64) -> i64 {
    let after = |a: &str, b: &str| find(s, a, p).is_some() || find(s, b, p).is_some();
    if after("PM", "pm") && h < 12 {
        h + 12
    } else if after("AM", "am") && h == 12 {
        0
    } else {
        h
    }
}

/// The minutes since midnight that `time_minutes` reads in `s` (see the module documentation), or
/// -1.
pub fn minutes(text: &str) -> i64 {
    let s: Vec<char> = text.chars().collect();
    if let Some(p) = find(&s, ":", 0) {
        let two = |k: usize| s.get(k).is_some_and(char::is_ascii_digit);
        return match before(&s, p) {
            Some(h) if two(p + 1) && two(p + 2) => {
                60 * on_24(&s, p, h)
                    + i64::from(s[p + 1].to_digit(10).unwrap_or(0) * 10 + s[p + 2].to_digit(10).unwrap_or(0))
            }
            _ => -1,
        };
    }
    let half = ["AM", "PM", "am", "pm"].iter().filter_map(|h| find(&s, h, 0)).min();
    if let Some(q) = half {
        let end = if q >= 1 && s[q - 1] == ' ' { q - 1 } else { q };
        return before(&s, end).map_or(-1, |h| 60 * on_24(&s, q, h));
    }
    if (3..=4).contains(&s.len()) && s.iter().all(char::is_ascii_digit) {
        let n: i64 = text.parse().unwrap_or(0);
        return 60 * (n / 100) + n % 100;
    }
    -1
}

/// `m` minutes since midnight as `clock_24`, `clock_12` and `clock_hour` write it ("" for a
/// negative `m`).
pub fn clocks(m: i64) -> [String; 3] {
    if m < 0 {
        return Default::default();
    }
    let h = m.div_euclid(60);
    let h12 = if h % 12 == 0 { 12 } else { h % 12 };
    let half = if h.rem_euclid(24) < 12 { "AM" } else { "PM" };
    [
        format!("{}:{:02}", h.rem_euclid(24), m % 60),
        format!("{h12}:{:02}{half}", m % 60),
        format!("{h12}{half}"),
    ]
}

/// Whether some example writes a time of its inputs on a clock its inputs lack: its output has a
/// time (`18:00`) or an `AM`/`PM` (either case) that the input with a time does not have as such
/// (`11:12:29` → `11:00AM-11:30AM`, `6PM` → `6:00PM-7:59PM`). Grammars offer the time helpers
/// only then.
pub fn converts_times<'a>(rows: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    rows.into_iter().any(|(inputs, output)| {
        inputs.iter().filter(|i| minutes(i) >= 0).any(|input| {
            let out: Vec<char> = output.chars().collect();
            let clock = (1..out.len().saturating_sub(2)).any(|p| {
                out[p] == ':' && out[p - 1].is_ascii_digit() && out[p + 1].is_ascii_digit() && {
                    let start = if p >= 2 && out[p - 2].is_ascii_digit() { p - 2 } else { p - 1 };
                    let piece: String = out[start..(p + 3).min(out.len())].iter().collect();
                    !input.contains(&piece)
                }
            });
            let half =
                |w: &str| output.to_ascii_uppercase().contains(w) && !input.to_ascii_uppercase().contains(w);
            clock || half("AM") || half("PM")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_times_are_read() {
        let cases = [
            ("18:25:57", 18 * 60 + 25),
            ("6:25:57 PM", 18 * 60 + 25),
            ("12:05 AM", 5),
            ("0:00:20 AM", 0),
            ("2143-10-06 06:25", 6 * 60 + 25),
            ("31-Jan-2031 05:54:18", 5 * 60 + 54),
            ("11AM", 11 * 60),
            ("6 pm", 18 * 60),
            ("12PM", 12 * 60),
            ("227", 2 * 60 + 27),
            ("1105", 11 * 60 + 5),
            ("Note: 5", -1),
            ("12345", -1),
            ("no time", -1),
        ];
        for (s, m) in cases {
            assert_eq!(minutes(s), m, "{s}");
        }
        assert_eq!(clocks(12 * 60 + 30), ["12:30".to_string(), "12:30PM".into(), "12PM".into()]);
        assert_eq!(clocks(8 * 60), ["8:00".to_string(), "8:00AM".into(), "8AM".into()]);
        assert_eq!(clocks(24 * 60), ["0:00".to_string(), "12:00AM".into(), "12AM".into()]);
    }

    #[test]
    fn definitions_parse_and_four_are_offered() {
        let defs = definitions();
        let offered: Vec<&str> = defs.iter().filter(|d| is_offered(d)).map(|d| &*d.name).collect();
        assert_eq!(offered, ["time_minutes", "clock_24", "clock_12", "clock_hour"]);
    }

    #[test]
    fn gates_see_times_written_anew() {
        let converts = |i: &str, o: &str| {
            let inputs = [i.to_string()];
            converts_times([(&inputs[..], o)])
        };
        assert!(converts("11:12:29", "11:00AM-11:30AM"));
        assert!(converts("18:25:57", "18:00"));
        assert!(converts("6PM", "6:00PM-7:59PM"));
        assert!(converts("227", "2AM-4AM"));
        // Copying a time, or taking its hour, writes no clock anew.
        assert!(!converts("18:25:57", "18:25"));
        assert!(!converts("18:25:57", "18"));
        assert!(!converts("6:25 PM", "PM"));
        assert!(!converts("John Smith", "10:00AM"));
    }

    #[test]
    fn spaced_halves_of_the_day_are_seen_in_outputs() {
        assert_eq!(spaced_definitions()[0].name.as_ref(), "clock_12s");
        let spaced = |o: &str| spaces_half_day([(&["18:25".to_string()][..], o)]);
        assert!(spaced("Sun 6:00 PM") && spaced("5:27 am"));
        assert!(!spaced("6:00PM") && !spaced("I AM"));
    }

    #[test]
    fn slots_ending_early_are_seen_in_outputs() {
        assert_eq!(slot_definitions()[0].name.as_ref(), "slot_last");
        let early = |o: &str| {
            let inputs = ["11:12:29".to_string()];
            ends_slots_early([(&inputs[..], o)])
        };
        assert!(early("10:00AM-11:59AM") && early("11:00AM-11:14AM") && early("6:00PM-6:29PM"));
        assert!(!early("11:00AM-11:30AM") && !early("10AM-12PM"));
    }

    #[test]
    fn slots_and_their_times_are_seen_in_outputs() {
        assert_eq!(next_definitions()[0].name.as_ref(), "slot_next");
        let slot = |o: &str| {
            let inputs = ["11:12:29".to_string()];
            writes_slots([(&inputs[..], o)])
        };
        assert!(slot("Wed 1:00-2:00") && slot("3AM-5 pm") && slot("11:00PM-12:00AM"));
        // One time with seconds, a date and a time, a range of numbers: no slot.
        assert!(!slot("23:34:17") && !slot("2002-09-12 23:34") && !slot("45-60"));
        let of_day = |s: &str| clock_times(s).iter().map(|t| t.of_day).collect::<Vec<_>>();
        assert_eq!(of_day("11:00PM-12:00AM"), [23 * 60, 0]);
        assert_eq!(of_day("31-Jan-2031 05:54:18"), [5 * 60 + 54]);
        assert_eq!(clock_times("a 5:07")[0].minutes_at, Some(4));
        assert!(of_day("7/24/1957 2031 45-60 123:45").is_empty());
    }
}
