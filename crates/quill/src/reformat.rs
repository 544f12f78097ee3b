//! A date's format as evidence for choosing among the programs that fit.
//!
//! Three examples `2001--11--6` → `2001` fit both "the first number" and "the date's year", and
//! only a date written another way tells them apart: `11/6/2001` gives `11` and `2001`. A column
//! of dates is seldom written one way throughout, and a year, a month's name or a weekday does not
//! depend on how its date was written. So the programs that fit are also run on the examples'
//! dates written in other formats ([`Reformat::new`]), and a program that gives another output
//! there than the example's is off.
//!
//! Where an output is itself a date (`6/28/2137` → `6/28/2137`) it may well copy its input's
//! format, and a program that does is as likely as one that rewrites it; there the rule applies
//! only when the examples' inputs already show dates written in two formats or more, evidence
//! that the output's format is the user's and not the input's.

use crate::judge::text;
use quill_lang::calendar::{date_alone, holds_date, read};
use quill_lang::dates::MONTHS;
use quill_lang::{Term, Value};
use quill_search::Example;

/// The examples' inputs with a date rewritten, each with the example's output; judged by
/// [`Reformat::off`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Reformat {
    cases: Vec<(Vec<Value>, Value)>,
}

/// At most this many rewritten inputs per task, each run on every candidate.
const MAX_CASES: usize = 12;

/// A date's shape: its numbers as `9` and its words as `a`, whatever their lengths
/// (`2001--11--6` → `9--9--9`, `Oct 08 2089` → `a 9 9`).
fn shape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let k = if c.is_ascii_digit() {
            '9'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if !(out.ends_with(k) && matches!(k, '9' | 'a')) {
            out.push(k);
        }
    }
    out
}

/// The date of `s` written in other formats that read as the same date: ISO, the day and month's
/// name, the month's abbreviation and the day, and day-month-year with the abbreviation.
fn rewritten(s: &str) -> Vec<String> {
    let (y, m, d) = read(s);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1000..=9999).contains(&y) {
        return Vec::new();
    }
    let name = MONTHS[m as usize - 1];
    let abbr = &name[..3];
    let formats = [
        format!("{y}-{m:02}-{d:02}"),
        format!("{d} {name} {y}"),
        format!("{abbr} {d}, {y}"),
        format!("{d:02}-{abbr}-{y}"),
    ];
    formats.into_iter().filter(|f| f != s && read(f) == (y, m, d)).collect()
}

impl Reformat {
    /// For each example, its inputs that are a date alone ([`quill_lang::calendar::date_alone`]) rewritten in the
    /// other formats of [`rewritten`], one input at a time, with the example's output; at most
    /// [`MAX_CASES`]. None when an output holds a date, unless the inputs' dates come in two
    /// shapes or more.
    pub(crate) fn new(examples: &[Example]) -> Reformat {
        // Each input that is a date alone: its example, its position and its rewritings.
        let mut dates: Vec<(&Example, usize, Vec<String>)> = Vec::new();
        let mut shapes: Vec<String> = Vec::new();
        for e in examples {
            for (i, v) in e.inputs.iter().enumerate() {
                if let Some(s) = text(v).filter(|s| date_alone(s)) {
                    shapes.push(shape(&s));
                    dates.push((e, i, rewritten(&s)));
                }
            }
        }
        shapes.sort();
        shapes.dedup();
        let dated_output = examples.iter().any(|e| text(&e.output).is_some_and(|o| holds_date(&o)));
        if dates.is_empty() || (dated_output && shapes.len() < 2) {
            return Reformat::default();
        }
        let mut cases: Vec<(Vec<Value>, Value)> = Vec::new();
        // One format per example before the next format of any, so that the cap keeps every
        // example represented.
        for k in 0..4 {
            for (e, i, formats) in &dates {
                let Some(f) = formats.get(k) else { continue };
                let mut inputs = e.inputs.clone();
                inputs[*i] = Value::str(f);
                let known = examples.iter().any(|x| x.inputs == inputs);
                if !known && !cases.iter().any(|(c, _)| *c == inputs) && cases.len() < MAX_CASES {
                    cases.push((inputs, e.output.clone()));
                }
            }
        }
        Reformat { cases }
    }

    /// On how many rewritten inputs `t` gives another output than the example's (or fails).
    pub(crate) fn off(&self, t: &Term) -> u32 {
        self.cases.iter().filter(|(i, o)| quill_eval::eval(t, i).ok().as_ref() != Some(o)).count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(i: &str, o: &str) -> Example {
        Example { inputs: vec![Value::str(i)], output: Value::str(o) }
    }

    #[test]
    fn dates_alone_are_told_from_dates_in_text() {
        for s in ["2001--11--6", "29 Dec 2113", "Oct 08 2089", "26-Mar-1816", "6/28/2137", "October 6, 2143"]
        {
            assert!(date_alone(s), "{s}");
        }
        for s in ["14-Mar-2002 13:16:16", "Sunday #1 March 2002", "2143 75", "Living", "1Z 39V 80D"] {
            assert!(!date_alone(s), "{s}");
        }
        assert_eq!(shape("2001--11--6"), "9--9--9");
        assert_eq!(shape("Oct 08 2089"), "a 9 9");
    }

    #[test]
    fn a_date_is_rewritten_as_the_same_date() {
        let got = rewritten("2001--11--6");
        assert_eq!(got, ["2001-11-06", "6 November 2001", "Nov 6, 2001", "06-Nov-2001"]);
        for f in &got {
            assert_eq!(read(f), (2001, 11, 6), "{f}");
        }
        // A date the reading cannot place is not rewritten.
        assert!(rewritten("99/99/99").is_empty());
    }

    #[test]
    fn the_date_rule_needs_dates_and_evidence_for_dated_outputs() {
        let years = [ex("2001--11--6", "2001"), ex("1846--1--31", "1846")];
        let rule = Reformat::new(&years);
        assert_eq!(rule.cases.len(), 8);
        let first_number = Term::app(
            quill_lang::Op::StrSubstr,
            vec![
                Term::Var(quill_lang::Var { index: 0, name: "a".into(), sort: quill_lang::Sort::String }),
                Term::Lit(Value::Int(0)),
                Term::Lit(Value::Int(4)),
            ],
        );
        // The first four characters are the year in ISO dates only.
        assert_eq!(rule.off(&first_number), 6);
        // A date copied from dates in one shape: the format may be the input's.
        assert!(Reformat::new(&[ex("6/28/2137", "6/28/2137"), ex("1/2/1903", "1/2/1903")]).cases.is_empty());
        // From dates in two shapes, it is the output's.
        assert!(!Reformat::new(&[ex("29 Dec 2113", "29/12/2113"), ex("26-Mar-1816", "26/3/1816")])
            .cases
            .is_empty());
        assert!(Reformat::new(&[ex("Living", "2016")]).cases.is_empty());
    }
}
