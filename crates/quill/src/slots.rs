//! A time slot's length as evidence for choosing among the programs that fit.
//!
//! Three examples `1:13:23` → `1:00-2:00`, `11:54:32` → `11:00-12:00` fit both "the hour and the
//! next" (`floor_to` then `+ 60`) and "the hour rounded down and up" (`floor_to`, `ceil_to`), and
//! only a time on the hour tells them apart: `2:00:00` gives `2:00-3:00` and `2:00-2:00`. When
//! every example's output is a slot of the same length (two times, the same minutes apart), a
//! slot is meant to have that length whatever the time. So the programs that fit are also run on
//! the examples' inputs with their time's minutes set to the edges of the usual slots
//! ([`Slots::new`]), and a program whose output there is not two times that far apart is off.

use crate::judge::text;
use quill_lang::times::{clock_times as times, ClockTime as Time};
use quill_lang::{Term, Value};
use quill_search::Example;

/// Minutes tried in place of an input time's: the first and last minute of hours, halves and
/// quarters.
const MINUTES: [u32; 6] = [0, 14, 15, 29, 30, 59];

/// At most this many varied inputs per task, each run on every candidate.
const MAX_VARIANTS: usize = 12;

/// How many minutes the slot of a text lasts: its two times apart, modulo a day; `None` unless
/// it has exactly two times.
fn length(s: &str) -> Option<u32> {
    match times(s)[..] {
        [a, b] => Some((b.of_day + 24 * 60 - a.of_day) % (24 * 60)),
        _ => None,
    }
}

/// The examples' inputs with a time's minutes set to slot edges, and the length every example's
/// slot has; judged by [`Slots::off`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Slots {
    varied: Vec<Vec<Value>>,
    length: u32,
}

impl Slots {
    /// When every example's output is a slot of the same length, above zero: each input that
    /// holds one time written with its minutes, with those minutes replaced by each of
    /// [`MINUTES`] (at most [`MAX_VARIANTS`] inputs, one minute per example before the next).
    /// Inputs with two times or more are left alone, since a slot between them (a shift from
    /// `9:00` to `17:00`) may rightly have any length.
    pub(crate) fn new(examples: &[Example]) -> Slots {
        let lengths: Vec<Option<u32>> =
            examples.iter().map(|e| text(&e.output).and_then(|o| length(&o))).collect();
        let Some(Some(first)) = lengths.first().copied() else { return Slots::default() };
        if first == 0 || lengths.iter().any(|l| *l != Some(first)) {
            return Slots::default();
        }
        // Each input that holds one time written with its minutes: its example, its position,
        // its text and where the minutes are.
        let mut timed: Vec<(&Example, usize, String, usize)> = Vec::new();
        for e in examples {
            for (i, v) in e.inputs.iter().enumerate() {
                let Some(s) = text(v) else { continue };
                if let [Time { minutes_at: Some(at), .. }] = times(&s)[..] {
                    timed.push((e, i, s, at));
                }
            }
        }
        let mut varied: Vec<Vec<Value>> = Vec::new();
        for minute in MINUTES {
            for (e, i, s, at) in &timed {
                let t = format!("{}{minute:02}{}", &s[..*at], &s[at + 2..]);
                let mut inputs = e.inputs.clone();
                inputs[*i] = Value::str(&t);
                let known = examples.iter().any(|x| x.inputs == inputs) || varied.contains(&inputs);
                if !known && varied.len() < MAX_VARIANTS {
                    varied.push(inputs);
                }
            }
        }
        Slots { varied, length: first }
    }

    /// On how many varied inputs `t` gives no slot of the examples' length (or fails).
    pub(crate) fn off(&self, t: &Term) -> u32 {
        let off = |i: &&Vec<Value>| {
            let slot = quill_eval::eval(t, i).ok().and_then(|v| text(&v)).and_then(|o| length(&o));
            slot != Some(self.length)
        };
        self.varied.iter().filter(off).count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(i: &str, o: &str) -> Example {
        Example { inputs: vec![Value::str(i)], output: Value::str(o) }
    }

    #[test]
    fn times_are_read_with_their_half_of_the_day() {
        let of_day = |s: &str| times(s).iter().map(|t| t.of_day).collect::<Vec<_>>();
        assert_eq!(of_day("Wed 1:00-2:00"), [60, 120]);
        assert_eq!(of_day("11:00PM-12:00AM"), [23 * 60, 0]);
        assert_eq!(of_day("3AM-5 pm"), [180, 17 * 60]);
        assert_eq!(of_day("31-Jan-2031 05:54:18"), [5 * 60 + 54]);
        // Dates, years and bare numbers are no times.
        assert!(of_day("7/24/1957 2031 45-60").is_empty());
        assert_eq!(length("11:00PM-12:00AM"), Some(60));
        assert_eq!(length("6:00PM"), None);
    }

    #[test]
    fn a_slot_of_another_length_is_off() {
        let slots = Slots::new(&[ex("1:13:23", "1:00-2:00"), ex("11:54:32", "11:00-12:00")]);
        assert_eq!(slots.length, 60);
        assert!(slots.varied.contains(&vec![Value::str("1:00:23")]));
        assert!(slots.varied.contains(&vec![Value::str("11:59:32")]));
        // The examples' own outputs, a constant, fail on every varied input.
        let constant = Term::Lit(Value::str("1:00-2:00"));
        assert_eq!(slots.off(&constant), 0);
        let empty = Term::Lit(Value::str("1:00-1:00"));
        assert_eq!(slots.off(&empty), slots.varied.len() as u32);
    }

    #[test]
    fn slots_need_one_length_and_one_time_per_input() {
        assert!(Slots::new(&[ex("1:13", "1:00-2:00"), ex("5:44", "5:30-6:00")]).varied.is_empty());
        assert!(Slots::new(&[ex("1:13", "1:00")]).varied.is_empty());
        assert!(Slots::new(&[ex("9:00 to 17:00", "9:00-17:00")]).varied.is_empty());
        assert!(Slots::new(&[]).varied.is_empty());
    }
}
