//! How the examples write numbers inside their outputs, as evidence for choosing among the
//! programs that fit.
//!
//! Three examples with two-digit days (`31-Jan-2031` → `31`) fit both "copy the digits" and "read
//! the day as a number", and only an input such as `03-Mar-2024` tells them apart: one gives `03`,
//! the other `3`. The examples' outputs say which is meant. If none of their numbers starts with a
//! zero, a number that does is off style, when the input is a date or a time: there a day, month
//! or hour is written either way, while in a code or a phone number the zero is part of it. If a
//! number always has the same width and the examples show it padded (`01312031`), or it is a
//! year, a number of another width is off style. So the programs that fit are also run on inputs
//! varied from the examples' dates with a leading zero ([`zero_variants`]), and on the task's
//! unlabeled inputs, and judged by [`Style`].
//!
//! Digits right after a colon or a point are left alone: minutes, seconds and decimal fractions
//! keep their zeros (`5:04`, `0.05`) whatever the examples' other numbers do.

use quill_lang::Value;
use quill_search::Example;

/// At most this many varied inputs per task: one per two-digit number of each example's inputs
/// is plenty, and each is run on every candidate.
const MAX_VARIANTS: usize = 16;

/// A maximal run of ASCII digits in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    start: usize,
    len: usize,
    /// Its first digit is `0` and it has more than one.
    zero_led: bool,
    /// It follows a colon or a point (minutes, seconds, a fraction).
    positional: bool,
}

fn runs(s: &str) -> Vec<Run> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let len = i - start;
        let positional = start > 0 && matches!(b[start - 1], b':' | b'.');
        out.push(Run { start, len, zero_led: len > 1 && b[start] == b'0', positional });
    }
    out
}

/// Whether a text holds a date or a time: a month's name (`Jan`, `august`), three numbers joined
/// by the same separator (`6/28/2137`, `2001--11--6`, `15.3.1902`), or hours and minutes
/// (`5:27`).
pub(crate) fn dated(s: &str) -> bool {
    // A month's name in full, or its first three letters (`Sept` too).
    let named = s.split(|c: char| !c.is_alphabetic()).any(|w| {
        let w = w.to_lowercase();
        quill_lang::dates::MONTHS
            .iter()
            .map(|m| m.to_lowercase())
            .any(|m| w == m || w.len() >= 3 && w.len() <= 4 && m.starts_with(&w))
    });
    let rs = runs(s);
    let gap = |a: &Run, b: &Run| &s[a.start + a.len..b.start];
    let numeric = rs.windows(3).any(|w| {
        let (g1, g2) = (gap(&w[0], &w[1]), gap(&w[1], &w[2]));
        g1 == g2
            && (1..=2).contains(&g1.len())
            && g1.chars().all(|c| matches!(c, '-' | '/' | '.'))
            && w[0].len <= 4
            && w[1].len <= 2
            && w[2].len <= 4
    });
    let clock = rs.windows(2).any(|w| gap(&w[0], &w[1]) == ":" && w[0].len <= 2 && w[1].len == 2);
    named || numeric || clock
}

/// Inputs varied from the examples' by writing one two-digit number of a date or time (a day,
/// month or hour: 31 or less) with a leading zero instead (`31-Jan-2031` → `01-Jan-2031`), as the
/// next rows of a column of dates often are. Numbers inside words (`12th`) and after a colon or a
/// point are not varied. None equals an example's inputs; at most [`MAX_VARIANTS`].
pub(crate) fn zero_variants(examples: &[Example]) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = Vec::new();
    for e in examples {
        for (i, v) in e.inputs.iter().enumerate() {
            let Value::Str(s) = v else { continue };
            let s = s.to_rust_string();
            if !dated(&s) {
                continue;
            }
            for r in runs(&s) {
                let before = s[..r.start].chars().next_back();
                let after = s[r.start + r.len..].chars().next();
                let in_word =
                    before.is_some_and(char::is_alphabetic) || after.is_some_and(char::is_alphabetic);
                let small = s[r.start..r.start + r.len].parse::<u32>().is_ok_and(|n| n <= 31);
                if r.len != 2 || r.zero_led || r.positional || in_word || !small {
                    continue;
                }
                let varied = format!("{}0{}", &s[..r.start], &s[r.start + 1..]);
                let mut inputs = e.inputs.clone();
                inputs[i] = Value::str(&varied);
                if !examples.iter().any(|x| x.inputs == inputs) && !out.contains(&inputs) {
                    out.push(inputs);
                }
                if out.len() == MAX_VARIANTS {
                    return out;
                }
            }
        }
    }
    out
}

/// How the examples' outputs write their numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Style {
    /// Some output has a number of two digits or more (not after a colon or point), and none of
    /// them starts with a zero. Judged only on dated inputs (see [`dated`]).
    unpadded: bool,
    /// When every output has the same count of numbers: that count, and for each position a
    /// width every output's number there has, if it is evidently a fixed width.
    fixed: Option<(usize, Vec<Option<usize>>)>,
}

impl Style {
    /// The style of the examples' text outputs; none for other sorts, and no fixed widths from a
    /// single distinct output.
    pub(crate) fn of(examples: &[Example]) -> Style {
        let mut outputs: Vec<String> = Vec::new();
        for e in examples {
            let Value::Str(s) = &e.output else { return Style::default() };
            let s = s.to_rust_string();
            if !outputs.contains(&s) {
                outputs.push(s);
            }
        }
        let all: Vec<Vec<Run>> = outputs.iter().map(|o| runs(o)).collect();
        let free = || all.iter().flatten().filter(|r| !r.positional);
        let unpadded = free().any(|r| r.len > 1) && !free().any(|r| r.zero_led);
        let count = all.first().map_or(0, Vec::len);
        let fixed = (outputs.len() > 1 && count > 0 && all.iter().all(|r| r.len() == count)).then(|| {
            let widths = (0..count)
                .map(|k| {
                    let len = all[0][k].len;
                    let same = all.iter().all(|r| r[k].len == len);
                    // Widths alike in three examples happen by chance (days, hours, rounded
                    // amounts); a zero kept in front, or a year, is a format.
                    let year = |r: &Vec<Run>, o: &String| {
                        r[k].len == 4
                            && o[r[k].start..r[k].start + 4]
                                .parse::<u32>()
                                .is_ok_and(|y| (1000..3000).contains(&y))
                    };
                    let evident = all.iter().any(|r| r[k].zero_led)
                        || all.iter().zip(&outputs).all(|(r, o)| year(r, o));
                    (same && evident).then_some(len)
                })
                .collect();
            (count, widths)
        });
        Style { unpadded, fixed }
    }

    /// Whether `v`, the output for `inputs`, writes its numbers otherwise: with a leading zero the
    /// examples never show (for a dated input), or in a width other than the examples' fixed one.
    pub(crate) fn off(&self, inputs: &[Value], v: &Value) -> bool {
        let Value::Str(s) = v else { return false };
        let rs = runs(&s.to_rust_string());
        let is_dated = || inputs.iter().any(|i| matches!(i, Value::Str(t) if dated(&t.to_rust_string())));
        if self.unpadded && rs.iter().any(|r| r.zero_led && !r.positional) && is_dated() {
            return true;
        }
        match &self.fixed {
            Some((count, widths)) if rs.len() == *count => {
                rs.iter().zip(widths).any(|(r, w)| w.is_some_and(|w| w != r.len))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(i: &str, o: &str) -> Example {
        Example { inputs: vec![Value::str(i)], output: Value::str(o) }
    }

    fn off(style: &Style, input: &str, output: &str) -> bool {
        style.off(&[Value::str(input)], &Value::str(output))
    }

    #[test]
    fn dates_and_times_are_told_from_codes() {
        for s in ["31-Jan-2031 05:54:18", "2001--11--6", "6/28/2137", "15.3.1902", "5:27", "1 August 2014"] {
            assert!(dated(s), "{s}");
        }
        for s in ["419 138 420700 5327 (27) 0033", "95.00", "24,gurbanjemal", "Marco Polo", "1Z 39V 80D 24"] {
            assert!(!dated(s), "{s}");
        }
    }

    #[test]
    fn days_months_and_hours_are_varied_with_a_leading_zero() {
        let examples =
            [ex("31-Jan-2031 14:54:18", "31"), ex("12th of May, 45 NE", "x"), ex("(27) 0033", "27")];
        // "2031" has four digits, "54" and "18" follow colons, "12th" is a word, "45" is no day,
        // and "(27) 0033" is no date.
        let got: Vec<Vec<Value>> = zero_variants(&examples);
        let want = ["01-Jan-2031 14:54:18", "31-Jan-2031 04:54:18"];
        assert_eq!(got, want.map(|s| vec![Value::str(s)]));
    }

    #[test]
    fn a_leading_zero_is_off_in_a_date_when_no_example_has_one() {
        let style = Style::of(&[ex("a", "31"), ex("b", "1/17/1990"), ex("c", "5:04")]);
        assert!(off(&style, "03-Mar-2024", "03"));
        assert!(off(&style, "03-Mar-2024", "3/03/2024"));
        assert!(!off(&style, "03-Mar-2024", "3"));
        // In a code the zero belongs to the number.
        assert!(!off(&style, "(03) 950", "03"));
        // Minutes and fractions keep their zeros.
        assert!(!off(&style, "10:05", "10:05"));
        assert!(!off(&style, "03-Mar-2024", "0.05"));
        // Examples that pad make a padded number ordinary.
        let padded = Style::of(&[ex("a", "31"), ex("b", "07")]);
        assert!(!off(&padded, "03-Mar-2024", "03"));
    }

    proptest::proptest! {
        /// Any text, digits and separators among letters of several bytes: nothing panics, and a
        /// variant differs from its input in one digit, now a zero.
        #[test]
        fn any_text_is_read_without_panic(s in "[0-9:./ -]{0,6}[a-zé€0-9:./ -]{0,14}", out in "[0-9a-z€:. ]{0,10}") {
            let examples = [ex(&s, &out), ex(&format!("{s}1"), "07")];
            for v in zero_variants(&examples) {
                let Value::Str(t) = &v[0] else { unreachable!() };
                let t: Vec<char> = t.to_rust_string().chars().collect();
                let one_zero = examples.iter().any(|e| {
                    let Value::Str(x) = &e.inputs[0] else { return false };
                    let x: Vec<char> = x.to_rust_string().chars().collect();
                    let diff: Vec<usize> = (0..x.len().min(t.len())).filter(|&i| x[i] != t[i]).collect();
                    x.len() == t.len() && diff.len() == 1 && t[diff[0]] == '0'
                });
                proptest::prop_assert!(one_zero, "{:?}", t);
            }
            let style = Style::of(&examples);
            let _ = style.off(&[Value::str(&s)], &Value::str(&out));
            let _ = dated(&s);
        }
    }

    #[test]
    fn a_fixed_width_needs_evidence() {
        // Eight digits with a zero in front, always: a format.
        let dates = Style::of(&[ex("a", "01312031 5:54"), ex("b", "02142034 13:32")]);
        assert!(off(&dates, "x", "0332024 10:17"));
        assert!(!off(&dates, "x", "03032024 10:17"));
        // Years: four digits, always.
        let years = Style::of(&[ex("a", "2001"), ex("b", "1846")]);
        assert!(off(&years, "8/7/2237", "8"));
        assert!(!off(&years, "8/7/2237", "2237"));
        // Rounded amounts and two-digit days alike by chance: another width is ordinary.
        let amounts = Style::of(&[ex("a", "100"), ex("b", "200")]);
        assert!(!off(&amounts, "6265", "6300"));
        let days = Style::of(&[ex("a", "Day 31"), ex("b", "Day 17")]);
        assert!(!off(&days, "x", "Day 3"));
        // A single distinct output fixes nothing.
        let one = Style::of(&[ex("a", "01"), ex("b", "01")]);
        assert!(!off(&one, "x", "8"));
    }
}
