//! Number and date shapes for the string sampler: a number of the inputs rounded (to places or to a
//! step such as the nearest half), padded or scaled, a month number named or a month name numbered,
//! an hour put on the 12-hour clock, a date or time read and written anew, a run of digits taken
//! out of text, a number's bin (`80-89`). These call Quill's
//! helpers (`quill_lang::numbers`, `quill_lang::decimals`, `quill_lang::dates`, ..), which grammars
//! for examples offer when the examples compute numbers or convert months or clocks, so the model
//! learns when they fit.
//!
//! A helper applied to the wrong text gives some value rather than fail (`round_dec` of a name),
//! and the checker would keep such nonsense. So each shape first finds a piece of an input that
//! the helper is meant for (a decimal number, a month number, an hour), checked on every example,
//! and gives up when there is none; the caller then samples something else.

use super::strings::{app, i, StringSampler};
use quill_lang::{Func, Op, Term, Value};

/// Quill's offerable helper `name` applied to `args`. The names are this module's constants, and
/// the test of every shape calls each one.
fn helper(name: &str, args: Vec<Term>) -> Term {
    let def = quill_lang::grammar::offerable_helper(name)
        .unwrap_or_else(|| panic!("`{name}` is not one of Quill's offerable helpers"));
    Term::App(Func::Defined(def.clone()), args)
}

/// What a piece of input must be for a helper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A decimal number: digits with an optional `.` and more digits (`1234.5`).
    Decimal,
    /// Digits only (`0042`).
    Natural,
    /// A month's number, 1 to 12 (`03`).
    Month,
    /// An hour of the day, 0 to 23.
    Hour,
    /// A word that starts with a month's name (`Mar`, `March`).
    MonthName,
}

impl Kind {
    /// Whether characters of this kind make up the pieces: digits (and `.` for decimals) or letters.
    fn char_ok(self, c: char) -> bool {
        match self {
            Kind::Decimal => c.is_ascii_digit() || c == '.',
            Kind::MonthName => c.is_ascii_alphabetic(),
            _ => c.is_ascii_digit(),
        }
    }

    /// Whether a whole value is a piece of this kind.
    fn holds(self, v: &Value) -> bool {
        let Some(s) = v.as_str().map(|s| s.to_rust_string()) else { return false };
        let digits = |t: &str| !t.is_empty() && t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit());
        let int = || digits(&s).then(|| s.parse::<i64>().ok()).flatten();
        match self {
            Kind::Decimal => match s.split_once('.') {
                Some((w, f)) => digits(w) && digits(f),
                None => digits(&s),
            },
            Kind::Natural => digits(&s),
            Kind::Month => int().is_some_and(|m| (1..=12).contains(&m)),
            Kind::Hour => int().is_some_and(|h| (0..=23).contains(&h)),
            // A month's name or its start (`Sept`), not a word that merely starts like one (`Mark`);
            // the helper itself reads only the first three letters.
            Kind::MonthName => s.len() >= 3 && quill_lang::dates::MONTHS.iter().any(|m| m.starts_with(&s)),
        }
    }
}

impl Kind {
    /// Whether the run at `start..start + len` of `text` is where such a piece is written: a month
    /// number in a date of three numbers (`2024-03-15`, `3/15/24`), an hour before a `:`. Months
    /// and hours taken from other numbers would teach the model nonsense.
    fn fits_context(self, text: &str, start: usize, len: usize) -> bool {
        let chars: Vec<char> = text.chars().collect();
        match self {
            Kind::Month => {
                let numbers = runs(text, Kind::Natural).len();
                numbers == 3 && chars.iter().filter(|c| matches!(c, '-' | '/' | '.')).count() == 2
            }
            Kind::Hour => chars.get(start + len) == Some(&':'),
            _ => true,
        }
    }
}

/// Whether a text holds a time written with a `:` or a half of the day, as the time helpers
/// read it.
fn is_time(text: &str) -> bool {
    let marked = text.contains(':') || ["AM", "PM", "am", "pm"].iter().any(|h| text.contains(h));
    marked && quill_lang::times::minutes(text) >= 0
}

/// Maximal runs of characters of a kind in a text, as (start, length) in characters.
fn runs(text: &str, kind: Kind) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if !kind.char_ok(chars[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < chars.len() && kind.char_ok(chars[k]) {
            k += 1;
        }
        // A decimal run does not start or end with its point (`v1.20.` holds `1.20`).
        let (mut a, mut b) = (start, k);
        while kind == Kind::Decimal && a < b && chars[a] == '.' {
            a += 1;
        }
        while kind == Kind::Decimal && b > a && chars[b - 1] == '.' {
            b -= 1;
        }
        if b > a {
            out.push((a, b - a));
        }
    }
    out
}

impl StringSampler<'_> {
    /// A string built by a number or date helper, or `None` when the inputs hold no piece it is
    /// meant for.
    pub(super) fn format(&mut self) -> Option<Term> {
        // Dates and times are a small share of the inputs, and their helpers are useless on other
        // text: shapes whose pieces the inputs hold get most of the weight.
        let (month, name, hour) =
            (self.holds(Kind::Month), self.holds(Kind::MonthName), self.holds(Kind::Hour));
        let (date, time) = (self.holds_date(), self.holds_time());
        let w = |on: bool, k: u32| if on { 6 * k } else { 0 };
        match self.rng.weighted(&[
            4,
            3,
            3,
            4,
            w(month, 2),
            w(name, 2),
            w(hour, 1),
            w(hour, 1),
            w(date, 4),
            w(time, 3),
            3,
            2,
            2,
        ]) {
            0 => {
                let x = self.piece(Kind::Decimal)?;
                Some(helper("round_dec", vec![x, i(self.rng.range(0, 3))]))
            }
            1 => {
                let x = self.piece(Kind::Decimal)?;
                let k = *self.rng.pick(&[-3, -2, -2, -1, 1, 2, 2, 3]);
                Some(helper("shift_dec", vec![x, i(k)]))
            }
            2 => {
                let x = self.piece(Kind::Natural)?;
                Some(helper("pad_zero", vec![x, i(self.rng.range(2, 8))]))
            }
            3 => Some(app(Op::StrFromInt, vec![self.stepped()?])),
            4 => {
                let m = app(Op::StrToInt, vec![self.piece(Kind::Month)?]);
                let name = if self.rng.chance(1, 2) { "month_name" } else { "month_abbr" };
                Some(helper(name, vec![m]))
            }
            5 => {
                let n = app(Op::StrFromInt, vec![self.month_number()?]);
                Some(if self.rng.chance(1, 2) { helper("pad_zero", vec![n, i(2)]) } else { n })
            }
            6 => self.clock(),
            7 => {
                let h = app(Op::StrToInt, vec![self.piece(Kind::Hour)?]);
                Some(if self.rng.chance(1, 2) {
                    app(Op::StrFromInt, vec![helper("hour12", vec![h])])
                } else {
                    helper("am_pm", vec![h])
                })
            }
            8 => self.calendar(),
            9 => self.time_slot(),
            10 => self.decimal_step(),
            11 => self.digit_runs(),
            _ => self.bin(),
        }
    }

    /// A number of the inputs (its whole part) put in a bin of a usual width, written `lo-hi`
    /// (`88` → `80-89`, `42` → `26-50`, `40.88` → `40-45`).
    fn bin(&mut self) -> Option<Term> {
        let x = self.piece(Kind::Decimal)?;
        let k = *self.rng.pick(&quill_lang::bins::WIDTHS);
        let m = *self.rng.pick(&quill_lang::bins::ENDS);
        Some(helper("bin_range", vec![x, i(k), i(m)]))
    }

    /// A run of digits of an input taken by its index (`num_at`), perhaps joined by a separator to
    /// a later run (`206->96`, `769.858`), where every example has that many runs.
    fn digit_runs(&mut self) -> Option<Term> {
        let src = self.str_var();
        let vals = self.values(&src);
        let count = |v: &Value| {
            let text = v.as_str().map(|s| s.to_rust_string()).unwrap_or_default();
            quill_lang::runs::RUNS
                .iter()
                .take_while(|&&k| !quill_lang::runs::num_at(&text, k).is_empty())
                .count()
        };
        let runs = vals.iter().map(count).min().filter(|&n| n > 0 && vals.len() == self.inputs.len())?;
        let a = self.rng.below(runs) as i64;
        let first = helper("num_at", vec![src.clone(), i(a)]);
        if a + 1 == runs as i64 || self.rng.chance(1, 2) {
            return Some(first);
        }
        let b = self.rng.range(a + 1, runs as i64 - 1);
        const SEPARATORS: [&str; 8] = ["", "-", ".", " ", "->", "/", ":", ", "];
        let sep = SEPARATORS[self.rng.below(SEPARATORS.len())];
        let sep = Term::Lit(Value::str(sep));
        let second = helper("num_at", vec![src, i(b)]);
        Some(app(Op::StrConcat, vec![first, app(Op::StrConcat, vec![sep, second])]))
    }

    /// A decimal number of the inputs rounded to a step (the nearest half, five hundredths,
    /// quarter, five or fifty), perhaps without its trailing zeros; or rounded to places and then
    /// trimmed (`12.50` → `12.5`).
    fn decimal_step(&mut self) -> Option<Term> {
        let x = self.piece(Kind::Decimal)?;
        let (k, m) = *self.rng.pick(&[(1, 5), (1, 5), (2, 5), (2, 25), (0, 5), (0, 50)]);
        let rounded = helper("round_step", vec![x.clone(), i(k), i(m)]);
        Some(match self.rng.weighted(&[2, 2, 1]) {
            0 => rounded,
            1 => helper("trim_dec", vec![rounded]),
            _ => helper("trim_dec", vec![helper("round_dec", vec![x, i(self.rng.range(1, 3))])]),
        })
    }

    /// A time of the inputs floored to a step of minutes, perhaps with the step added (the start
    /// or end of its slot), written on a clock; or the whole slot (`11:00AM-11:30AM`), which may
    /// end a minute early (`11:00AM-11:29AM`) or be centred on the time rounded to the step
    /// (`10:45AM-11:15AM`).
    fn time_slot(&mut self) -> Option<Term> {
        let minutes = helper("time_minutes", vec![self.time_piece()?]);
        let clock = *self.rng.pick(&[
            "clock_24",
            "clock_12",
            "clock_hour",
            "clock_24",
            "clock_12",
            "clock_hour",
            "clock_12s",
        ]);
        let (start, end) = if self.rng.chance(1, 5) {
            let step = *self.rng.pick(&[30, 60, 120]);
            let mid = helper("round_to", vec![minutes, i(step)]);
            (app(Op::Sub, vec![mid.clone(), i(step / 2)]), app(Op::Add, vec![i(step / 2), mid]))
        } else {
            let step = *self.rng.pick(&quill_lang::times::STEPS);
            let start = helper("floor_to", vec![minutes.clone(), i(step)]);
            // `clock_hour` writes no minutes, so a slot on it cannot end a minute early.
            let early = u32::from(clock != "clock_hour");
            let end = match self.rng.weighted(&[early, 1, 2]) {
                0 => helper("slot_last", vec![minutes, i(step)]),
                1 => helper("slot_next", vec![minutes, i(step)]),
                _ => app(Op::Add, vec![i(step), start.clone()]),
            };
            (start, end)
        };
        Some(match self.rng.weighted(&[2, 1, 2]) {
            0 => helper(clock, vec![start]),
            1 => helper(clock, vec![end]),
            _ => {
                let dash = Term::Lit(Value::str("-"));
                let tail = app(Op::StrConcat, vec![dash, helper(clock, vec![end])]);
                app(Op::StrConcat, vec![helper(clock, vec![start]), tail])
            }
        })
    }

    /// Whether the first example has a string input that holds a time written with a `:` or a
    /// half of the day (`quill_lang::times::minutes`; bare digits would be any number).
    fn holds_time(&self) -> bool {
        let Some(first) = self.inputs.first() else { return false };
        first.iter().filter_map(|v| v.as_str().map(|s| s.to_rust_string())).any(|t| is_time(&t))
    }

    /// A string parameter that holds a time on every example (see [`Self::holds_time`]); a few
    /// tries, `None` when none does.
    fn time_piece(&mut self) -> Option<Term> {
        (0..4).find_map(|_| {
            let x = self.str_var();
            let vals = self.values(&x);
            let time = |v: &Value| v.as_str().is_some_and(|s| is_time(&s.to_rust_string()));
            (!vals.is_empty() && vals.len() == self.inputs.len() && vals.iter().all(time)).then_some(x)
        })
    }

    /// A part of a date of the inputs, read by the calendar helpers whatever the format: its
    /// month or day as a number (padded or not), its year, its month's or weekday's name.
    fn calendar(&mut self) -> Option<Term> {
        let x = self.date_piece()?;
        // The calendar counts (week, day of the year, quarter) are rarer in tables than the parts.
        let part = *self.rng.pick(&[
            "date_year",
            "date_month",
            "date_day",
            "date_year",
            "date_month",
            "date_day",
            "date_week",
            "date_yday",
            "date_quarter",
        ]);
        Some(match self.rng.weighted(&[4, 2, 2, 2]) {
            0 => app(Op::StrFromInt, vec![helper(part, vec![x])]),
            1 => helper("pad_zero", vec![app(Op::StrFromInt, vec![helper(part, vec![x])]), i(2)]),
            2 => {
                let name = if self.rng.chance(1, 2) { "month_name" } else { "month_abbr" };
                helper(name, vec![helper("date_month", vec![x])])
            }
            _ => helper(if self.rng.chance(1, 2) { "day_name" } else { "day_abbr" }, vec![x]),
        })
    }

    /// Whether the first example has a string input that holds a date
    /// (`quill_lang::calendar::holds_date`). Such inputs get more date shapes: a third of the
    /// benchmarks' text tasks are about dates.
    pub(super) fn holds_date(&self) -> bool {
        let Some(first) = self.inputs.first() else { return false };
        first
            .iter()
            .filter_map(|v| v.as_str().map(|s| s.to_rust_string()))
            .any(|t| quill_lang::calendar::holds_date(&t))
    }

    /// A string parameter that holds a date on every example; a few tries, `None` when none does.
    fn date_piece(&mut self) -> Option<Term> {
        (0..4).find_map(|_| {
            let x = self.str_var();
            let vals = self.values(&x);
            let date =
                |v: &Value| v.as_str().is_some_and(|s| quill_lang::calendar::holds_date(&s.to_rust_string()));
            (!vals.is_empty() && vals.len() == self.inputs.len() && vals.iter().all(date)).then_some(x)
        })
    }

    /// An integer built by a number or date helper, or `None` as for [`Self::format`].
    pub(super) fn format_int(&mut self) -> Option<Term> {
        match self.rng.weighted(&[4, 2, 1, 1, 1]) {
            0 => self.stepped(),
            1 => self.month_number(),
            2 => {
                let part = ["date_year", "date_month", "date_day"][self.rng.below(3)];
                Some(helper(part, vec![self.date_piece()?]))
            }
            3 => Some(helper("time_minutes", vec![self.time_piece()?])),
            _ => Some(helper("hour12", vec![app(Op::StrToInt, vec![self.piece(Kind::Hour)?])])),
        }
    }

    /// A 24-hour time on the 12-hour clock: the hour, the minutes after it and `AM` or `PM`
    /// (`21:15` → `9:15 PM`).
    fn clock(&mut self) -> Option<Term> {
        let piece = self.piece(Kind::Hour)?;
        let Term::App(_, args) = &piece else { return None };
        let src = args.first()?.clone();
        let h = app(Op::StrToInt, vec![piece]);
        let colon = app(Op::StrIndexOf, vec![src.clone(), Term::Lit(Value::str(":")), i(0)]);
        let minutes = app(Op::StrSubstr, vec![src, colon, i(3)]);
        let hour = app(Op::StrFromInt, vec![helper("hour12", vec![h.clone()])]);
        let space = if self.rng.chance(2, 3) { " " } else { "" };
        let half = app(Op::StrConcat, vec![Term::Lit(Value::str(space)), helper("am_pm", vec![h])]);
        Some(app(Op::StrConcat, vec![hour, app(Op::StrConcat, vec![minutes, half])]))
    }

    /// Whether the first example has a string input with a run of this kind where such a piece is
    /// written (see [`Kind::fits_context`]).
    fn holds(&self, kind: Kind) -> bool {
        let Some(first) = self.inputs.first() else { return false };
        first.iter().filter_map(|v| v.as_str().map(|s| s.to_rust_string())).any(|text| {
            runs(&text, kind).into_iter().any(|(start, len)| {
                let piece: String = text.chars().skip(start).take(len).collect();
                kind.fits_context(&text, start, len) && kind.holds(&Value::str(&piece))
            })
        })
    }

    /// A whole number of the inputs rounded to a step (`round_to`, `ceil_to`, `floor_to`).
    fn stepped(&mut self) -> Option<Term> {
        let n = match self.int_var().filter(|_| self.rng.chance(1, 3)) {
            Some(v) => v,
            None => app(Op::StrToInt, vec![self.piece(Kind::Natural)?]),
        };
        let name = ["round_to", "round_to", "ceil_to", "floor_to"][self.rng.below(4)];
        let step = *self.rng.pick(&[5, 10, 10, 25, 50, 100, 100, 500, 1000]);
        Some(helper(name, vec![n, i(step)]))
    }

    /// The number of the month a piece of the inputs names.
    fn month_number(&mut self) -> Option<Term> {
        Some(helper("month_num", vec![self.piece(Kind::MonthName)?]))
    }

    /// A string term whose value on every example is a piece of the given kind: a parameter, or a
    /// run of the kind in one, cut out by a fixed window or by the delimiters around it. A few
    /// tries; `None` when none fits.
    fn piece(&mut self, kind: Kind) -> Option<Term> {
        for _ in 0..4 {
            let src = self.str_var();
            let vals = self.values(&src);
            if vals.len() != self.inputs.len() || vals.is_empty() {
                continue;
            }
            if vals.iter().all(|v| kind.holds(v)) {
                return Some(src);
            }
            let first = vals[0].as_str().map(|s| s.to_rust_string()).unwrap_or_default();
            let found = runs(&first, kind);
            if found.is_empty() {
                continue;
            }
            let (start, len) = found[self.rng.below(found.len())];
            if !kind.fits_context(&first, start, len) {
                continue;
            }
            let term = self.cut(&src, &vals, &first, start, len);
            let cut = self.values(&term);
            if cut.len() == vals.len() && cut.iter().all(|v| kind.holds(v)) {
                return Some(term);
            }
        }
        None
    }

    /// A term for the characters `start..start + len` of `first` (the source's first value) that
    /// finds the same piece in the other values: a fixed window when every value has the same
    /// length, else the piece between the delimiters around it.
    fn cut(&mut self, src: &Term, vals: &[Value], first: &str, start: usize, len: usize) -> Term {
        let chars: Vec<char> = first.chars().collect();
        let lens: Vec<usize> = vals.iter().map(|v| v.as_str().map_or(0, |s| s.len())).collect();
        let fixed = lens.windows(2).all(|w| w[0] == w[1]);
        let to_end = start + len == chars.len();
        if fixed && self.rng.chance(2, 3) {
            return app(Op::StrSubstr, vec![src.clone(), i(start as i64), i(len as i64)]);
        }
        let from = if start == 0 {
            i(0)
        } else {
            let d = Term::Lit(Value::str(&chars[start - 1].to_string()));
            let at = if self.rng.chance(1, 3) {
                super::strings::last_index(src, &chars[start - 1].to_string())
            } else {
                app(Op::StrIndexOf, vec![src.clone(), d, i(0)])
            };
            app(Op::Add, vec![at, i(1)])
        };
        let length = if to_end {
            app(Op::StrLen, vec![src.clone()])
        } else {
            let d = Term::Lit(Value::str(&chars[start + len].to_string()));
            let end = app(Op::StrIndexOf, vec![src.clone(), d, from.clone()]);
            if start == 0 {
                end
            } else {
                app(Op::Sub, vec![end, from.clone()])
            }
        };
        app(Op::StrSubstr, vec![src.clone(), from, length])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_numbers_months_and_words() {
        assert_eq!(runs("$1,234.50 due", Kind::Decimal), vec![(1, 1), (3, 6)]);
        assert_eq!(runs("v1.20.", Kind::Decimal), vec![(1, 4)]);
        assert_eq!(runs("2024-03-15", Kind::Month), vec![(0, 4), (5, 2), (8, 2)]);
        assert_eq!(runs("Mar 5, 2024", Kind::MonthName), vec![(0, 3)]);
    }

    /// Every offerable helper but `last_indexof` (which `strings.rs` samples) is sampled on inputs
    /// that hold its pieces, and every sampled term runs on every example.
    #[test]
    fn every_shape_is_sampled_on_its_inputs() {
        use crate::rng::Rng;
        use quill_lang::Sort;
        let params = vec![("d".to_string(), Sort::String), ("t".to_string(), Sort::String)];
        let rows = [["2024-03-15", "21:15"], ["1999-11-02", "07:40"], ["2010-07-30", "12:05"]];
        let inputs: Vec<Vec<Value>> =
            rows.iter().map(|r| r.iter().map(|v| Value::str(v)).collect()).collect();
        let names = ["Nov 2, 1999 $7.25", "July 30, 2010 $1,204.00", "March 15, 2024 $12.50"];
        let other: Vec<Vec<Value>> = names.iter().map(|v| vec![Value::str(v), Value::str("x")]).collect();
        let mut rng = Rng::for_stream(1, 1);
        let mut seen = std::collections::BTreeSet::new();
        for inputs in [&inputs, &other] {
            for _ in 0..400 {
                let mut s = StringSampler::new(&mut rng, &params, inputs);
                let Some(t) = s.format() else { continue };
                assert!(inputs.iter().all(|env| quill_eval::eval(&t, env).is_ok()), "{t}");
                seen.extend(crate::term_ops(&t));
            }
        }
        // `last_indexof` and `field` come from the string sampler's own shapes, not formats.
        for h in quill_lang::grammar::offerable_helpers()
            .filter(|h| !["last_indexof", "field"].contains(&&*h.name))
        {
            assert!(seen.contains(&*h.name), "{} never sampled: {seen:?}", h.name);
        }
    }

    #[test]
    fn kinds_hold_only_for_their_pieces() {
        let s = |t: &str| Value::str(t);
        assert!(Kind::Decimal.holds(&s("12.50")) && Kind::Decimal.holds(&s("7")));
        assert!(!Kind::Decimal.holds(&s("1.2.3")) && !Kind::Decimal.holds(&s("$7")));
        assert!(Kind::Month.holds(&s("03")) && !Kind::Month.holds(&s("13")));
        assert!(Kind::Hour.holds(&s("23")) && !Kind::Hour.holds(&s("24")));
        assert!(Kind::MonthName.holds(&s("March")) && !Kind::MonthName.holds(&s("Mark")));
    }
}
