//! Calendar counts for grammars from examples: the ISO week, the day of the year and the quarter
//! of a date (`17 Dec 1973` → `1973W51`, `06-Oct-2143` → `279 2143`, `Q4 '2143`). Each is
//! arithmetic on the date's year, month and day ([`crate::calendar`]) that takes a leap-year rule
//! or a weekday, far beyond a search's reach in SMT-LIB's operators.
//!
//! - `(date_week s)`: the ISO 8601 week number (1 to 53; weeks start on Monday, and week 1 holds
//!   the year's first Thursday), so 1 January can be in week 52 or 53 of the year before and
//!   31 December in week 1 of the next.
//! - `(date_yday s)`: the day of the year, 1 to 366.
//! - `(date_quarter s)`: the quarter, 1 to 4.
//!
//! Each is -1 when the text holds no date in range (a month outside 1 to 12, a day outside 1 to
//! 31). Two-digit years count as the weekday helpers count them (`00` to `29` in the 2000s).
//!
//! As the other helpers, they are `define-fun`s in plain SMT-LIB, calling the calendar helpers
//! (`date_year`, `cal_weekday`, ..): grammars offer them only together with those ([`counts_dates`]
//! brings the calendar helpers too), so a problem file defines their callees before them. The
//! evaluator computes them natively, as it does the calendar helpers, with [`week`], [`yday`] and
//! [`quarter`], the same arithmetic in Rust that the tests hold the definitions to.

use crate::term::FunDef;
use std::sync::Arc;

/// The helpers' SMT-LIB text, callees first. Internal helpers start with `cal_`, as the calendar
/// helpers' do, and they call those.
fn text() -> Vec<String> {
    vec![
        "(define-fun cal_ok ((y Int) (m Int) (d Int)) Bool (and (<= 1 m) (<= m 12) (<= 1 d) (<= d 31) (<= 0 y)))"
            .into(),
        "(define-fun cal_yday ((y Int) (m Int) (d Int)) Int (+ d (cal_before y m)))".into(),
        // The weekday of 31 December of year `y` (0 Sunday): a year has 53 ISO weeks when it
        // ends on a Thursday or the year before ends on a Wednesday.
        "(define-fun cal_dec31 ((y Int)) Int (mod (+ y (div y 4) (- (div y 100)) (div y 400)) 7))".into(),
        "(define-fun cal_weeks ((y Int)) Int (ite (or (= (cal_dec31 y) 4) (= (cal_dec31 (- y 1)) 3)) 53 52))"
            .into(),
        // The ISO weekday, 1 Monday to 7 Sunday.
        "(define-fun cal_iso_day ((y Int) (m Int) (d Int)) Int \
         (+ 1 (mod (+ 6 (cal_weekday (ite (< m 3) (- y 1) y) m d)) 7)))"
            .into(),
        // Week `w` of year `y` counted from the week of its first Thursday, moved into the year
        // before or after when it falls outside `y`.
        "(define-fun cal_week_of ((y Int) (w Int)) Int (ite (< w 1) (cal_weeks (- y 1)) (ite (> w (cal_weeks y)) 1 w)))"
            .into(),
        "(define-fun cal_week ((y Int) (m Int) (d Int)) Int \
         (cal_week_of y (div (+ (- (cal_yday y m d) (cal_iso_day y m d)) 10) 7)))"
            .into(),
        "(define-fun cal_counts ((k Int) (y Int) (m Int) (d Int)) Int (ite (cal_ok y m d) \
         (ite (= k 0) (cal_week (cal_century y) m d) (ite (= k 1) (cal_yday (cal_century y) m d) \
         (div (+ m 2) 3))) (- 1)))"
            .into(),
        "(define-fun date_week ((s String)) Int (cal_counts 0 (date_year s) (date_month s) (date_day s)))".into(),
        "(define-fun date_yday ((s String)) Int (cal_counts 1 (date_year s) (date_month s) (date_day s)))".into(),
        "(define-fun date_quarter ((s String)) Int (cal_counts 2 (date_year s) (date_month s) (date_day s)))"
            .into(),
    ]
}

/// The definitions of the calendar counts, callees first. Their bodies call the calendar helpers,
/// which are read again here so that the definitions resolve; a problem file defines those from
/// [`crate::calendar::definitions`] first (the names and texts are the same).
pub fn definitions() -> Vec<Arc<FunDef>> {
    let (calendar, own) = (crate::calendar::text(), text());
    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    crate::numbers::define_after(&strs(&calendar), &strs(&own))
}

/// Whether a definition is one of the calendar counts grammars offer.
pub fn is_offered(d: &FunDef) -> bool {
    d.name.starts_with("date_")
}

/// The (year, month, day) of `s` with a two-digit year in its century, if in range.
fn date(s: &str) -> Option<(i64, i64, i64)> {
    let (y, m, d) = crate::calendar::read(s);
    let ok = (1..=12).contains(&m) && (1..=31).contains(&d) && y >= 0;
    ok.then_some((crate::calendar::century(y), m, d))
}

fn day_of_year(y: i64, m: i64, d: i64) -> i64 {
    d + crate::calendar::before(y, m)
}

fn weeks_in(y: i64) -> i64 {
    let dec31 = |y: i64| (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)).rem_euclid(7);
    if dec31(y) == 4 || dec31(y - 1) == 3 {
        53
    } else {
        52
    }
}

/// The ISO week of the date in `s`, or -1 (see the module documentation).
pub fn week(s: &str) -> i64 {
    let Some((y, m, d)) = date(s) else { return -1 };
    let iso_day = (crate::calendar::weekday(y, m, d) + 6).rem_euclid(7) + 1;
    let w = (day_of_year(y, m, d) - iso_day + 10).div_euclid(7);
    if w < 1 {
        weeks_in(y - 1)
    } else if w > weeks_in(y) {
        1
    } else {
        w
    }
}

/// The day of the year of the date in `s`, or -1.
pub fn yday(s: &str) -> i64 {
    date(s).map_or(-1, |(y, m, d)| day_of_year(y, m, d))
}

/// The quarter of the date in `s`, or -1.
pub fn quarter(s: &str) -> i64 {
    date(s).map_or(-1, |(_, m, _)| (m + 2) / 3)
}

/// Whether some example writes a count of a date of its inputs: a run of digits of an output,
/// not one of that input's, that is the date's ISO week or day of the year, or its quarter right
/// after a `Q` (`1973W51`, `279 2143`, `Q4 '2143`). Grammars offer the calendar counts, with the
/// calendar helpers, only then.
pub fn counts_dates<'a>(rows: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    let runs = |t: &'a str| {
        t.char_indices()
            .filter(move |&(i, c)| c.is_ascii_digit() && !t[..i].ends_with(|p: char| p.is_ascii_digit()))
            .map(move |(i, _)| {
                let n = t[i..].bytes().take_while(u8::is_ascii_digit).count();
                (&t[..i], &t[i..i + n])
            })
    };
    rows.into_iter().any(|(inputs, output)| {
        inputs.iter().filter(|i| crate::calendar::holds_date(i)).any(|input| {
            let (w, n, q) = (week(input), yday(input), quarter(input));
            let own: Vec<&str> = runs(input).map(|(_, r)| r).collect();
            runs(output).filter(|(_, r)| !own.contains(r)).any(|(before, r)| {
                let v: i64 = r.parse().unwrap_or(-1);
                v == w || v == n || (v == q && before.ends_with(['Q', 'q']))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_days_and_quarters() {
        let cases = [
            ("17 Dec 1973", 51, 351, 4),
            ("1 January 2015", 1, 1, 1),
            ("06-Oct-2143", 40, 279, 4),
            ("May 17 1835", 20, 137, 2),
            // 1 January 2021 is a Friday, in week 53 of 2020; 31 December 2024 is in week 1.
            ("2021-01-01", 53, 1, 1),
            ("12/31/2024", 1, 366, 4),
            ("2026-12-28", 53, 362, 4),
            ("3/15/24", 11, 75, 1),
            ("no date", -1, -1, -1),
        ];
        for (s, w, n, q) in cases {
            assert_eq!((week(s), yday(s), quarter(s)), (w, n, q), "{s}");
        }
    }

    #[test]
    fn definitions_parse_after_the_calendar_helpers() {
        let defs = definitions();
        let offered: Vec<&str> = defs.iter().filter(|d| is_offered(d)).map(|d| &*d.name).collect();
        assert_eq!(offered, ["date_week", "date_yday", "date_quarter"]);
        let calendar = crate::calendar::definitions();
        assert!(defs.iter().all(|d| calendar.iter().all(|c| c.name != d.name)), "a name is taken twice");
    }

    #[test]
    fn gates_see_counts_written() {
        let counts = |i: &str, o: &str| {
            let inputs = [i.to_string()];
            counts_dates([(&inputs[..], o)])
        };
        assert!(counts("17 Dec 1973", "Monday, 1973W51"));
        assert!(counts("06-Oct-2143 18:25", "279 2143"));
        assert!(counts("06-Oct-2143 18:25", "Q4 '2143"));
        assert!(counts("May 17 1835", "W20"));
        assert!(!counts("06-Oct-2143", "4"));
        assert!(!counts("06-Oct-2143", "2143"));
        assert!(!counts("John Smith", "W20"));
    }
}
